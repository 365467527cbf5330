//! Small controls the designer's parts share: a duration (number + unit), the outlet row
//! ("Leads to" + "Add step"), and the findings list of one place.

use std::sync::Arc;

use leptos::prelude::*;

use super::{control_id, kind_items, node_heading_id, Designer};
use crate::components::segment_builder::options;
use crate::engine::journey::Step;
use crate::engine::journey_validate::{Issue, IssueCode, Severity};
use crate::engine::segment_rule::Span;
use crate::i18n::journey_designer_texts::JourneyDesignerTexts;
use crate::state::journey_edit;

/// A span as one number and a unit (`minutes`, `hours`, `days`).
pub fn span_parts(span: Span) -> (u32, &'static str) {
    if span.minutes != 0 {
        (span.days * 1440 + span.hours * 60 + span.minutes, "minutes")
    } else if span.hours != 0 {
        (span.days * 24 + span.hours, "hours")
    } else {
        (span.days, "days")
    }
}

/// One number and a unit as a span.
pub fn span_of(value: u32, unit: &str) -> Span {
    match unit {
        "minutes" => Span {
            minutes: value,
            ..Span::default()
        },
        "hours" => Span {
            hours: value,
            ..Span::default()
        },
        _ => Span::days(value),
    }
}

/// A duration field of node `node`: `get` reads the span from the step, `set` writes it.
pub fn duration_fields(
    d: Designer,
    node: String,
    part: &'static str,
    (visible, label): (&'static str, String),
    tx: &'static JourneyDesignerTexts,
    get: fn(&Step) -> Option<Span>,
    set: fn(&mut Step, Span),
) -> impl IntoView {
    let initial = d
        .journey
        .with_untracked(|j| j.node(&node).and_then(|n| get(&n.step)))
        .unwrap_or_default();
    let (value, unit) = span_parts(initial);
    let unit = RwSignal::new(unit);
    let current_value = {
        let node = node.clone();
        move || {
            d.journey
                .with_untracked(|j| j.node(&node).and_then(|n| get(&n.step)))
                .map(|s| span_parts(s).0)
                .unwrap_or(0)
        }
    };
    let (n1, n2) = (node.clone(), node.clone());
    let on_value = move |ev| {
        if let Ok(v) = event_target_value(&ev).trim().parse::<u32>() {
            let span = span_of(v, unit.get_untracked());
            d.edit_step(&n1, |s| set(s, span));
        }
    };
    let on_unit = move |ev| {
        let chosen = match event_target_value(&ev).as_str() {
            "minutes" => "minutes",
            "hours" => "hours",
            _ => "days",
        };
        let v = current_value();
        unit.set(chosen);
        d.edit_step(&n2, |s| set(s, span_of(v, chosen)));
    };
    let units = [
        ("minutes", tx.minutes),
        ("hours", tx.hours),
        ("days", tx.days),
    ];
    let selected = unit.get_untracked();
    view! {
        <div class="jd-field jd-duration">
            <label for=control_id(&node, part)>{visible}</label>
            <div class="jd-inline">
                <input type="number" min="0" step="1" id=control_id(&node, part) aria-label=label.clone() prop:value=value.to_string()
                    on:input=on_value/>
                <select id=control_id(&node, &format!("{part}-unit")) aria-label=format!("{}: {label}", tx.unit) on:change=on_unit>
                    {options(units.into_iter().map(|(v, l)| (v.to_owned(), l.to_owned())).collect(), selected)}
                </select>
            </div>
        </div>
    }
}

/// Where an outlet can lead: `(node id, label)` for every step.
pub type Targets = Arc<Vec<(String, String)>>;

/// One outlet: its label, the "Leads to" select and "Add step" after it.
#[allow(clippy::too_many_arguments)]
pub fn outlet_row(
    d: Designer,
    node: String,
    outlet: usize,
    label: String,
    step_name: String,
    current: Option<String>,
    targets: Targets,
    tx: &'static JourneyDesignerTexts,
) -> impl IntoView {
    let select_id = control_id(&node, &format!("o{outlet}"));
    let add_id = control_id(&node, &format!("o{outlet}-add"));
    let kind_id = control_id(&node, &format!("o{outlet}-kind"));
    let kind = RwSignal::new("message".to_owned());
    let (n1, n2) = (node.clone(), node.clone());
    let on_link = move |ev| {
        let value = event_target_value(&ev);
        let target = (!value.is_empty()).then_some(value);
        d.focus.keep_current();
        d.edit(|j| journey_edit::relink(j, &n1, outlet, target));
    };
    let on_add = move |_| {
        let k = kind.get_untracked();
        let mut added = None;
        d.edit(|j| added = journey_edit::add_after(j, Some((&n2, outlet)), &k));
        if let Some(id) = added {
            d.focus.move_to(node_heading_id(&id));
        }
    };
    let current_value = current.clone().unwrap_or_default();
    let links: Vec<(String, String)> = std::iter::once((String::new(), tx.end_here.to_owned()))
        .chain(targets.iter().cloned())
        .collect();
    let go = current.as_ref().and_then(|c| {
        let text = targets.iter().find(|(id, _)| id == c)?.1.clone();
        let heading = node_heading_id(c);
        Some(view! {
            <button type="button" class="crm-link-button jd-go" on:click=move |_| super::focus_by_id(&heading)>
                {format!("↳ {text}")}
            </button>
        })
    });
    let name = format!("{label} · {step_name}");
    view! {
        <div class="jd-outlet" class:jd-outlet-open=current.is_none()>
            <span class="jd-outlet-label" aria-hidden="true">"→ "{label.clone()}</span>
            <select id=select_id class="jd-leads-to" aria-label=format!("{}: {name}", tx.leads_to) on:change=on_link>
                {options(links, &current_value)}
            </select>
            {go}
            <span class="jd-add">
                <select id=kind_id aria-label=format!("{}: {name}", tx.kind_to_add)
                    on:change=move |ev| kind.set(event_target_value(&ev))>
                    {options(kind_items(tx), "message")}
                </select>
                <button type="button" class="crm-secondary" id=add_id aria-label=format!("{}: {name}", tx.add_step) on:click=on_add>
                    "+ "{tx.add_step}
                </button>
            </span>
        </div>
    }
}

/// The translated text of a finding.
pub fn issue_text(tx: &JourneyDesignerTexts, issue: &Issue) -> String {
    use IssueCode::*;
    let text = match issue.code {
        NoNodes => tx.i_no_nodes,
        DuplicateId => tx.i_duplicate_id,
        UnknownLink => tx.i_unknown_link,
        Unreachable => tx.i_unreachable,
        DeadEnd => tx.i_dead_end,
        CycleWithoutDelay => tx.i_cycle,
        SplitSum => tx.i_split_sum,
        DuplicateOutlet => tx.i_duplicate_outlet,
        NoConsent => tx.i_no_consent,
        EmptyContent => tx.i_empty_content,
        UnknownPlaceholder => tx.i_unknown_placeholder,
        MalformedPlaceholder => tx.i_malformed_placeholder,
        UnknownEvent => tx.i_unknown_event,
        UnknownProperty => tx.i_unknown_property,
        UnknownAttribute => tx.i_unknown_attribute,
        TypeMismatch => tx.i_type_mismatch,
        InvalidRule => tx.i_invalid_rule,
        InvalidValue => tx.i_invalid_value,
    };
    match issue.code {
        // The engine's detail names the rule or setting at fault.
        InvalidRule | InvalidValue => format!("{text} ({})", issue.message),
        _ => text.to_owned(),
    }
}

/// The findings whose node is `node` (or, with `None`, whose path starts with `prefix`).
pub fn issues_list(
    d: Designer,
    node: Option<String>,
    prefix: &'static str,
    tx: impl Fn() -> &'static JourneyDesignerTexts + Send + Sync + Copy + 'static,
) -> impl IntoView {
    move || {
        let tx = tx();
        d.checks.with(|c| {
            let Some(Ok(v)) = c else {
                return None;
            };
            let items: Vec<_> = v
                .validation
                .issues
                .iter()
                .filter(|i| match &node {
                    Some(n) => i.node.as_deref() == Some(n.as_str()),
                    // "" is the journey's settings: everything but the rules and the graph.
                    None if prefix.is_empty() => {
                        i.node.is_none()
                            && !["rules", "nodes", "start"]
                                .iter()
                                .any(|p| i.path.starts_with(p))
                    }
                    None => i.node.is_none() && i.path.starts_with(prefix),
                })
                .map(|i| {
                    let error = i.severity == Severity::Error;
                    let tag = if error { tx.error } else { tx.warning };
                    view! {
                        <li class:jd-error=error class:jd-warning=!error>
                            <strong>{tag}": "</strong>{issue_text(tx, i)}
                        </li>
                    }
                })
                .collect();
            (!items.is_empty()).then(|| view! { <ul class="jd-issues">{items}</ul> })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_round_trip_through_one_unit() {
        for (span, parts) in [
            (Span::days(2), (2, "days")),
            (span_of(1, "hours"), (1, "hours")),
            (span_of(90, "minutes"), (90, "minutes")),
            (
                Span {
                    days: 1,
                    hours: 2,
                    minutes: 0,
                },
                (26, "hours"),
            ),
        ] {
            assert_eq!(span_parts(span), parts);
        }
        assert_eq!(span_of(2, "days"), Span::days(2));
        assert_eq!(span_of(3, "weird"), Span::days(3));
    }
}
