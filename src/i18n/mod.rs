//! Every user-facing text, in Korean and English, and locale-aware formatting.
//!
//! Texts are fields of one struct, [`Texts`], with one value per language: a text missing in
//! either language is a compile error, not a blank label.

pub mod cohorts_texts;
pub mod dashboard_texts;
mod en;
pub mod format;
pub mod journey_backtest_texts;
pub mod journey_designer_texts;
pub mod journeys_texts;
mod ko;
pub mod kpi_text;
pub mod labels;
pub mod retention_answer;
pub mod sync_texts;
mod texts;

use serde::{Deserialize, Serialize};

pub use texts::Texts;

pub mod rule_sentence;
pub mod segments_texts;
pub use segments_texts::segments_texts;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    Ko,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Ko, Locale::En];

    /// Parses `ko`, `ko-KR`, `en`, `en-US` …
    pub fn parse(raw: &str) -> Result<Locale, String> {
        let lower = raw.to_ascii_lowercase();
        match lower.split(['-', '_']).next() {
            Some("ko") => Ok(Locale::Ko),
            Some("en") => Ok(Locale::En),
            _ => Err(format!("locale {raw:?} is not supported (ko or en)")),
        }
    }

    /// Korean when the browser's first supported preference is Korean, else English.
    pub fn from_browser(languages: &[String]) -> Locale {
        languages
            .iter()
            .find_map(|l| Locale::parse(l).ok())
            .unwrap_or(Locale::En)
    }

    /// The BCP 47 tag for `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Ko => "ko",
            Locale::En => "en",
        }
    }

    /// The language's own name, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ko => "한국어",
            Locale::En => "English",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Ko => &ko::TEXTS,
            Locale::En => &en::TEXTS,
        }
    }
}

/// Replaces `{0}`, `{1}` … in a text with the arguments.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_owned();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), arg);
    }
    out
}

/// The display name of an event type: translated for the v1 vocabulary, as is otherwise.
pub fn event_label(t: &Texts, name: &str) -> String {
    let known = match name {
        "$signup" | "signup" => t.ev_signup,
        "$activity" => t.event_any_activity,
        "$any" => t.event_any,
        "visit" => t.ev_visit,
        "product_view" => t.ev_product_view,
        "cart_add" => t.ev_cart_add,
        "purchase" => t.ev_purchase,
        "refund" => t.ev_refund,
        "support_ticket" => t.ev_support_ticket,
        "nps_response" => t.ev_nps_response,
        "message_sent" => t.ev_message_sent,
        "message_opened" => t.ev_message_opened,
        "message_clicked" => t.ev_message_clicked,
        "contract_start" => t.ev_contract_start,
        "contract_renewed" => t.ev_contract_renewed,
        "contract_ended" => t.ev_contract_ended,
        other => return other.to_owned(),
    };
    known.to_owned()
}

/// The display name of a segment template (see `engine::segment_templates`).
pub fn template_name(t: &Texts, id: &str) -> String {
    match id {
        "win_back" => t.tpl_win_back,
        "first_purchase_nudge" => t.tpl_first_purchase_nudge,
        "cart_reminder" => t.tpl_cart_reminder,
        "vip_revenue" => t.tpl_vip_revenue,
        "service_recovery" => t.tpl_service_recovery,
        "renewal" => t.tpl_renewal,
        "discount_hunters" => t.tpl_discount_hunters,
        other => other,
    }
    .to_owned()
}

/// The display name of an RFM segment: translated for the default names, as typed otherwise.
pub fn rfm_segment_name(t: &Texts, name: &str) -> String {
    match name {
        "champions" => t.rfm_champions,
        "loyal" => t.rfm_loyal,
        "potential loyalists" => t.rfm_potential_loyalists,
        "new" => t.rfm_new,
        "promising" => t.rfm_promising,
        "need attention" => t.rfm_need_attention,
        "about to sleep" => t.rfm_about_to_sleep,
        "at risk" => t.rfm_at_risk,
        "can't lose" => t.rfm_cant_lose,
        "hibernating" => t.rfm_hibernating,
        "other" => t.rfm_other,
        other => other,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_parse_from_tags() {
        assert_eq!(Locale::parse("ko-KR"), Ok(Locale::Ko));
        assert_eq!(Locale::parse("EN_us"), Ok(Locale::En));
        assert!(Locale::parse("fr").is_err());
        assert_eq!(
            Locale::from_browser(&["fr-FR".into(), "ko".into()]),
            Locale::Ko
        );
        assert_eq!(Locale::from_browser(&[]), Locale::En);
    }

    #[test]
    fn fill_replaces_numbered_arguments() {
        assert_eq!(fill("{0} of {1}", &["3", "10"]), "3 of 10");
    }

    #[test]
    fn korean_and_english_texts_differ_where_they_should() {
        let (ko, en) = (Locale::Ko.texts(), Locale::En.texts());
        assert_eq!(en.nav_dashboard, "Dashboard");
        assert_eq!(ko.nav_dashboard, "대시보드");
        assert_ne!(ko.headline_customers, en.headline_customers);
        // Both languages keep the same placeholders.
        for (k, e) in [
            (ko.showing_of, en.showing_of),
            (ko.cohort_caption, en.cohort_caption),
        ] {
            for i in 0..3 {
                let p = format!("{{{i}}}");
                assert_eq!(k.contains(&p), e.contains(&p), "{k} / {e}");
            }
        }
    }
}
