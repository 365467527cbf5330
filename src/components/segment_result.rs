//! The live answer of the segment builder: how many customers, their share of everyone, and the
//! rule read back as a sentence. Rules with problems pause the count (with a note), never crash it.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::rule_check::RuleIssue;
use crate::engine::segment_rule::Rule;
use crate::i18n::rule_sentence::{rule_sentence, SentenceContext};
use crate::i18n::{fill, format, segments_texts};

#[component]
pub fn SegmentResult(
    /// Members, or `None` while some rule has a problem.
    #[prop(into)]
    count: Signal<Option<usize>>,
    total: usize,
    #[prop(into)] rule: Signal<Rule>,
    #[prop(into)] issues: Signal<Vec<RuleIssue>>,
    currency: String,
    /// Display names of referable segments, by id.
    #[prop(into)]
    names: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let app = use_settings();
    let number = move || match count.get() {
        Some(n) => format::count(n),
        None => "—".to_owned(),
    };
    let share = move || {
        let st = segments_texts(app.locale.get());
        count.get().map(|n| {
            let ratio = if total == 0 {
                0.0
            } else {
                n as f64 / total as f64
            };
            fill(
                st.share_of_all,
                &[&format::percent(ratio), &format::count(total)],
            )
        })
    };
    let blocked = move || {
        let st = segments_texts(app.locale.get());
        let n = issues.with(Vec::len);
        (n > 0).then(|| {
            format!(
                "{} {}",
                st.count_blocked,
                fill(st.issues_count, &[&n.to_string()])
            )
        })
    };
    let sentence = move || {
        let locale = app.locale.get();
        let names = names.get();
        let lookup = |id: &str| {
            names
                .iter()
                .find(|(k, _)| k == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| id.to_owned())
        };
        rule.with(|r| {
            rule_sentence(
                r,
                &SentenceContext {
                    locale,
                    currency: &currency,
                    segment_name: &lookup,
                },
            )
        })
    };
    view! {
        <section class="crm-card crm-segment-result" aria-labelledby="crm-segment-count-label">
            <div class="crm-result-figure">
                <h2 id="crm-segment-count-label">{move || segments_texts(app.locale.get()).count_label}</h2>
                <p class="crm-big-number" role="status" aria-live="polite" data-testid="segment-count">{number}</p>
                <p class="crm-muted" data-testid="segment-share">{share}</p>
                <p class="crm-rule-issue" data-testid="segment-blocked">{blocked}</p>
            </div>
            <div class="crm-result-sentence">
                <h3>{move || segments_texts(app.locale.get()).sentence_label}</h3>
                <p data-testid="segment-sentence">{sentence}</p>
            </div>
        </section>
    }
}
