//! Where each KPI card leads: the view that explains the number, with that view's state in the
//! URL (the card's period granularity and segment filter carried over). Pure, so the links are
//! tested natively: a cohort link parses back, through [`CohortView::from_params`], into the
//! view the card means.

use crate::engine::filter::{EventFilter, ANY_ACTIVITY};
use crate::engine::kpi::Formula;
use crate::engine::retention::{Counting, RetentionSpec};
use crate::engine::Period;

use super::cohort_view::{CohortView, Measure, SegmentRef};

/// The path and query of the view behind `formula` (without the app's base path).
///
/// - Cohort-shaped KPIs (new, active, revenue, order value, CLV, repeat purchase, retention,
///   churn) open `/cohorts` with a retention spec in the URL, in the card's granularity and
///   segment filter.
/// - NPS opens `/segments` on the "low satisfaction or NPS detractors" template.
/// - Conversion opens `/journeys` on the visit → purchase funnel.
pub fn kpi_link(formula: Formula, period: Period, filter: Option<&str>) -> String {
    let spec = |start: Option<&str>, return_event: &str| RetentionSpec {
        start: start.map_or_else(|| RetentionSpec::default().start, EventFilter::of),
        return_event: EventFilter::of(return_event),
        period,
        ..RetentionSpec::default()
    };
    let cohorts = |spec: RetentionSpec, measure: Measure| {
        let view = CohortView {
            spec,
            filter: filter.and_then(SegmentRef::parse),
            measure,
            ..CohortView::default()
        };
        with_query("/cohorts", &view.to_params())
    };
    let filter_param = |path: &str, extra: &[(&'static str, String)]| {
        let mut params = extra.to_vec();
        if let Some(id) = filter {
            params.push(("filter", id.to_owned()));
        }
        with_query(path, &params)
    };
    match formula {
        Formula::ActiveCustomers | Formula::RetentionRate => {
            cohorts(spec(None, ANY_ACTIVITY), Measure::Customers)
        }
        Formula::ChurnRate => cohorts(
            RetentionSpec {
                counting: Counting::OnOrAfter,
                ..spec(None, ANY_ACTIVITY)
            },
            Measure::Customers,
        ),
        Formula::NewCustomers => cohorts(spec(None, "purchase"), Measure::Customers),
        Formula::Revenue | Formula::Orders | Formula::AverageOrderValue => {
            cohorts(spec(None, "purchase"), Measure::Revenue)
        }
        Formula::Clv => cohorts(spec(None, "purchase"), Measure::CumulativeRevenue),
        Formula::RepeatPurchaseRate => {
            cohorts(spec(Some("purchase"), "purchase"), Measure::Customers)
        }
        Formula::Nps => filter_param("/segments", &[("template", "service_recovery".to_owned())]),
        Formula::ConversionRate => {
            filter_param("/journeys", &[("funnel", "visit,purchase".to_owned())])
        }
    }
}

fn with_query(path: &str, params: &[(&'static str, String)]) -> String {
    if params.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    format!("{path}?{}", query.join("&"))
}

/// Percent-encodes like JavaScript's `encodeURIComponent`.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => out.push(char::from(byte)),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    /// Parses a `/cohorts?…` link back into the view the Cohorts page would show.
    fn cohort_view(link: &str) -> CohortView {
        let query = link
            .strip_prefix("/cohorts?")
            .expect("a cohorts link with state");
        let params: Vec<(String, String)> = query
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').expect("key=value");
                (k.to_owned(), decode(v))
            })
            .collect();
        let (view, ignored) = CohortView::from_params(|key| {
            params
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        });
        assert!(ignored.is_empty(), "{link}: ignored {ignored:?}");
        view
    }

    #[test]
    fn cohort_cards_carry_their_spec_period_and_filter() {
        let repeat = cohort_view(&kpi_link(
            Formula::RepeatPurchaseRate,
            Period::Month,
            Some("vip_revenue"),
        ));
        assert_eq!(repeat.spec.start, EventFilter::of("purchase"));
        assert_eq!(repeat.spec.return_event, EventFilter::of("purchase"));
        assert_eq!(repeat.spec.period, Period::Month);
        assert_eq!(
            repeat.filter.map(|f| f.key()).as_deref(),
            Some("vip_revenue")
        );

        let clv = cohort_view(&kpi_link(Formula::Clv, Period::Week, None));
        assert_eq!(clv.measure, Measure::CumulativeRevenue);
        assert_eq!(clv.spec.period, Period::Week);
        assert_eq!(clv.filter, None);

        let churn = cohort_view(&kpi_link(Formula::ChurnRate, Period::Month, None));
        assert_eq!(churn.spec.counting, Counting::OnOrAfter);
        let revenue = cohort_view(&kpi_link(Formula::Revenue, Period::Month, None));
        assert_eq!(revenue.measure, Measure::Revenue);
    }

    #[test]
    fn every_card_has_a_view_and_other_views_keep_the_filter() {
        for formula in [
            Formula::ActiveCustomers,
            Formula::NewCustomers,
            Formula::Revenue,
            Formula::AverageOrderValue,
            Formula::Clv,
            Formula::ChurnRate,
            Formula::RepeatPurchaseRate,
            Formula::ConversionRate,
            Formula::RetentionRate,
            Formula::Nps,
        ] {
            let link = kpi_link(formula, Period::Month, Some("win_back"));
            assert!(link.contains("filter=win_back"), "{formula:?}: {link}");
            if link.starts_with("/cohorts") {
                cohort_view(&link);
            }
        }
        assert_eq!(
            kpi_link(Formula::ConversionRate, Period::Month, None),
            "/journeys?funnel=visit%2Cpurchase"
        );
        assert_eq!(encode_component("a b/é"), "a%20b%2F%C3%A9");
    }
}
