//! The checks summary: every finding of the journey, with a "Go to" that moves the focus to
//! the step (or the settings) it is about.

use leptos::prelude::*;

use super::fields::issue_text;
use super::{kind_label, node_heading_id, Designer};
use crate::app::use_settings;
use crate::engine::journey_validate::Severity;
use crate::i18n::fill;
use crate::i18n::journey_designer_texts::journey_designer_texts;
use crate::state::journey_edit::display_order;

#[component]
pub fn ChecksSummary(d: Designer) -> impl IntoView {
    let app = use_settings();
    let body = move || {
        let tx = journey_designer_texts(app.locale.get());
        // Step numbers as the canvas shows them.
        let numbers: Vec<(String, usize, &'static str)> = d.journey.with(|j| {
            display_order(j)
                .into_iter()
                .enumerate()
                .map(|(n, (ix, _))| (j.nodes[ix].id.clone(), n + 1, j.nodes[ix].step.kind()))
                .collect()
        });
        d.checks.with(|c| match c {
            None => view! { <p class="crm-muted" role="status">{tx.checking}</p> }.into_any(),
            Some(Err(e)) => view! {
                <p class="crm-notice crm-notice-warn" role="alert">{format!("{}: {e}", tx.check_failed)}</p>
            }
            .into_any(),
            Some(Ok(v)) if v.validation.issues.is_empty() => view! {
                <p class="jd-ok" role="status" data-testid="checks-status">"✓ "{tx.checks_ok}</p>
            }
            .into_any(),
            Some(Ok(v)) => {
                let v = &v.validation;
                let items = v
                    .issues
                    .iter()
                    .map(|i| {
                        let error = i.severity == Severity::Error;
                        let (place, target) = match &i.node {
                            Some(id) => match numbers.iter().find(|(n, _, _)| n == id) {
                                Some((_, number, kind)) => (
                                    format!("{} · {}", fill(tx.step_n, &[&number.to_string()]), kind_label(tx, kind)),
                                    node_heading_id(id),
                                ),
                                None => (id.clone(), "jd-flow-title".to_owned()),
                            },
                            None if i.path.starts_with("rules") => {
                                (tx.where_rules.to_owned(), "jd-rules-title".to_owned())
                            }
                            None if i.path.starts_with("nodes") || i.path.starts_with("start") => {
                                (tx.flow_title.to_owned(), "jd-flow-title".to_owned())
                            }
                            None => (tx.where_settings.to_owned(), "jd-settings-title".to_owned()),
                        };
                        let go_label = format!("{}: {place}", tx.go_to);
                        view! {
                            <li class:jd-error=error class:jd-warning=!error>
                                <strong>{if error { tx.error } else { tx.warning }}</strong>
                                " · "{place}": "{issue_text(tx, i)}" "
                                <button type="button" class="crm-link-button" aria-label=go_label
                                    on:click=move |_| super::focus_by_id(&target)>{tx.go_to}</button>
                            </li>
                        }
                    })
                    .collect_view();
                let has_errors = v.errors > 0;
                view! {
                    <p role="status" data-testid="checks-status"
                        class:jd-error=has_errors class:jd-warning=!has_errors>
                        {fill(tx.checks_count, &[&v.errors.to_string(), &v.warnings.to_string()])}
                    </p>
                    <ul class="jd-check-list">{items}</ul>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="crm-card jd-checks" aria-labelledby="jd-checks-title">
            <h2 id="jd-checks-title">{move || journey_designer_texts(app.locale.get()).checks_title}</h2>
            {body}
        </section>
    }
}
