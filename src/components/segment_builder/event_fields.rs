//! An event filter inside a rule: the event type (from the data) and property conditions whose
//! keys and values are the ones seen on that event type.

use leptos::prelude::*;

use super::{control_id, options, Builder};
use crate::engine::catalog::ValueKind;
use crate::engine::filter::{EventFilter, PropertyCondition, ValueTest, ANY_ACTIVITY, ANY_EVENT};
use crate::engine::segment_rule::Rule;
use crate::i18n::segments_texts::SegmentsTexts;
use crate::i18n::{event_label, fill, Texts};
use crate::state::rule_ops;

/// Which of a rule's event filters.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The rule's event (the first one of a sequence).
    Main,
    /// The second event of a sequence.
    Then,
}

impl Which {
    fn part(self) -> &'static str {
        match self {
            Which::Main => "event",
            Which::Then => "then",
        }
    }
}

fn filter_of(rule: &Rule, which: Which) -> Option<&EventFilter> {
    match (rule, which) {
        (Rule::Sequence { then, .. } | Rule::NotFollowedBy { then, .. }, Which::Then) => Some(then),
        (_, Which::Main) => rule_ops::main_event(rule),
        _ => None,
    }
}

fn filter_mut(rule: &mut Rule, which: Which) -> Option<&mut EventFilter> {
    match (rule, which) {
        (Rule::Sequence { then, .. } | Rule::NotFollowedBy { then, .. }, Which::Then) => Some(then),
        (
            Rule::Performed { event, .. }
            | Rule::NotPerformed { event, .. }
            | Rule::FirstPerformed { event, .. }
            | Rule::LastPerformed { event, .. }
            | Rule::Aggregate { event, .. },
            Which::Main,
        ) => Some(event),
        (Rule::Sequence { first, .. } | Rule::NotFollowedBy { first, .. }, Which::Main) => {
            Some(first)
        }
        _ => None,
    }
}

fn op_label(st: &SegmentsTexts, op: &str) -> &'static str {
    match op {
        "eq" => st.op_eq,
        "ne" => st.op_ne,
        "in" => st.op_in,
        "not_in" => st.op_not_in,
        "gt" => st.op_gt,
        "gte" => st.op_gte,
        "lt" => st.op_lt,
        "lte" => st.op_lte,
        "contains" => st.op_contains,
        "starts_with" => st.op_starts_with,
        "exists" => st.op_exists,
        _ => st.op_not_exists,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn filter_view(
    b: Builder,
    path: Vec<usize>,
    which: Which,
    rule: &Rule,
    name: &str,
    label: &'static str,
    st: &'static SegmentsTexts,
    t: &'static Texts,
) -> AnyView {
    let Some(filter) = filter_of(rule, which).cloned() else {
        return ().into_any();
    };
    let catalog = b.catalog.get_value();
    let part = which.part();
    let mut events = vec![
        (String::new(), st.f_choose.to_owned()),
        (ANY_EVENT.to_owned(), event_label(t, ANY_EVENT)),
        (ANY_ACTIVITY.to_owned(), event_label(t, ANY_ACTIVITY)),
    ];
    events.extend(
        catalog
            .event_types
            .iter()
            .map(|e| (e.name.clone(), event_label(t, &e.name))),
    );
    if !filter.event.is_empty() && !events.iter().any(|(v, _)| *v == filter.event) {
        events.push((filter.event.clone(), filter.event.clone()));
    }
    let on_event = {
        let path = path.clone();
        move |ev: leptos::ev::Event| {
            let chosen = event_target_value(&ev);
            b.focus.keep_current();
            // Conditions are about one event type's properties: a new type starts clean.
            b.edit(&path, |r| {
                if let Some(f) = filter_mut(r, which) {
                    *f = EventFilter::of(&chosen);
                }
            });
        }
    };
    let properties = catalog.properties_of(&filter.event);
    let keys: Vec<(String, String)> = std::iter::once((String::new(), st.f_choose.to_owned()))
        .chain(properties.iter().map(|p| (p.key.clone(), p.key.clone())))
        .collect();
    let conditions = filter
        .conditions
        .iter()
        .enumerate()
        .map(|(i, condition)| {
            let entry = properties.iter().find(|p| p.key == condition.property);
            let kind = entry.map(|p| p.kind).unwrap_or(ValueKind::Text);
            let op = rule_ops::value_op(&condition.test);
            let cname = format!("{name}, {label}, {}", fill(st.condition_n, &[&(i + 1).to_string()]));
            let ops: Vec<(String, String)> = rule_ops::value_ops(kind)
                .iter()
                .map(|o| ((*o).to_owned(), op_label(st, o).to_owned()))
                .collect();
            let id = |field: &str| control_id(&path, &format!("{part}-c{i}-{field}"));
            let list_id = id("values");
            let suggestions: Vec<String> = entry
                .map(|p| p.values.iter().map(rule_ops::literal_text).collect())
                .unwrap_or_default();
            let (key_path, op_path, value_path, remove_path) =
                (path.clone(), path.clone(), path.clone(), path.clone());
            let typed = rule_ops::value_text(&condition.test);
            let kinds = properties
                .iter()
                .map(|p| (p.key.clone(), p.kind))
                .collect::<Vec<_>>();
            let needs_value = !matches!(op, "exists" | "not_exists");
            let is_bool = kind == ValueKind::Bool && matches!(op, "eq" | "ne");
            let value_input = if is_bool {
                let yes_no = vec![
                    ("true".to_owned(), st.yes.to_owned()),
                    ("false".to_owned(), st.no.to_owned()),
                ];
                view! {
                    <select id=id("value") aria-label=format!("{}: {cname}", st.f_value)
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            b.edit(&value_path, |r| if let Some(f) = filter_mut(r, which) {
                                if let Some(c) = f.conditions.get_mut(i) { c.test = rule_ops::value_test(op, kind, &text) }
                            });
                        }>
                        {options(yes_no, &typed)}
                    </select>
                }
                .into_any()
            } else if needs_value {
                let input_type = if kind == ValueKind::Number && !matches!(op, "in" | "not_in") { "number" } else { "text" };
                view! {
                    <input type=input_type step="any" id=id("value") list=list_id.clone()
                        aria-label=format!("{}: {cname}", st.f_value)
                        prop:value=typed
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            b.edit(&value_path, |r| if let Some(f) = filter_mut(r, which) {
                                if let Some(c) = f.conditions.get_mut(i) { c.test = rule_ops::value_test(op, kind, &text) }
                            });
                        }/>
                    <datalist id=list_id>{suggestions.into_iter().map(|s| view! { <option value=s></option> }).collect_view()}</datalist>
                }
                .into_any()
            } else {
                ().into_any()
            };
            view! {
                <div class="crm-condition" role="group" aria-label=cname.clone()>
                    <select id=id("key") aria-label=format!("{}: {cname}", st.f_property)
                        on:change=move |ev| {
                            let key = event_target_value(&ev);
                            let kind = kinds.iter().find(|(k, _)| *k == key).map(|(_, k)| *k).unwrap_or(ValueKind::Text);
                            b.focus.keep_current();
                            b.edit(&key_path, |r| if let Some(f) = filter_mut(r, which) {
                                if let Some(c) = f.conditions.get_mut(i) {
                                    *c = PropertyCondition { property: key, test: rule_ops::value_test(rule_ops::value_ops(kind)[0], kind, "") };
                                }
                            });
                        }>
                        {options(keys.clone(), &condition.property)}
                    </select>
                    <select id=id("op") aria-label=format!("{}: {cname}", st.f_test)
                        on:change=move |ev| {
                            let new_op = event_target_value(&ev);
                            b.focus.keep_current();
                            b.edit(&op_path, |r| if let Some(f) = filter_mut(r, which) {
                                if let Some(c) = f.conditions.get_mut(i) {
                                    let text = rule_ops::value_text(&c.test);
                                    c.test = rule_ops::value_test(&new_op, kind, &text);
                                }
                            });
                        }>
                        {options(ops, op)}
                    </select>
                    {value_input}
                    <button type="button" class="crm-icon-button" id=id("remove")
                        aria-label=format!("{}: {cname}", st.remove_condition) title=st.remove_condition
                        on:click=move |_| {
                            b.focus.move_to(control_id(&remove_path, &format!("{part}-add")));
                            b.edit(&remove_path, |r| if let Some(f) = filter_mut(r, which) {
                                if i < f.conditions.len() { f.conditions.remove(i); }
                            });
                        }>
                        <span aria-hidden="true">"✕"</span>
                    </button>
                </div>
            }
        })
        .collect_view();
    let add_path = path.clone();
    let can_add = !filter.event.is_empty();
    let add_id = control_id(&path, &format!("{part}-add"));
    let new_condition_id = control_id(&path, &format!("{part}-c{}-key", filter.conditions.len()));
    view! {
        <div class="crm-event-fields">
            <label class="crm-field">
                <span>{label}</span>
                <select id=control_id(&path, part) aria-label=format!("{label}: {name}") on:change=on_event>
                    {options(events, &filter.event)}
                </select>
            </label>
            {conditions}
            <button type="button" class="crm-link-button" id=add_id
                aria-label=format!("{}: {name}, {label}", st.add_condition)
                aria-disabled=if can_add { "false" } else { "true" }
                on:click=move |_| {
                    if !can_add {
                        return;
                    }
                    b.focus.move_to(new_condition_id.clone());
                    b.edit(&add_path, |r| if let Some(f) = filter_mut(r, which) {
                        f.conditions.push(PropertyCondition { property: String::new(), test: ValueTest::Exists });
                    });
                }>
                {format!("+ {}", st.add_condition)}
            </button>
        </div>
    }
    .into_any()
}
