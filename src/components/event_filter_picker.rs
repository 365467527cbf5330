//! Picks an event filter: an event type (or sign-up / any activity) and property conditions.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::filter::{EventFilter, Literal, PropertyCondition, ValueTest};

/// The operators offered, by key.
const OPS: [&str; 7] = ["eq", "ne", "exists", "not_exists", "gte", "lte", "contains"];

fn op_key(test: &ValueTest) -> &'static str {
    match test {
        ValueTest::Eq { .. } | ValueTest::In { .. } => "eq",
        ValueTest::Ne { .. } | ValueTest::NotIn { .. } => "ne",
        ValueTest::Exists => "exists",
        ValueTest::NotExists => "not_exists",
        ValueTest::Gte { .. } | ValueTest::Gt { .. } => "gte",
        ValueTest::Lte { .. } | ValueTest::Lt { .. } => "lte",
        ValueTest::Contains { .. } | ValueTest::StartsWith { .. } => "contains",
    }
}

fn value_text(test: &ValueTest) -> String {
    let literal = |l: &Literal| match l {
        Literal::Text(t) => t.clone(),
        Literal::Number(n) => n.to_string(),
        Literal::Bool(b) => b.to_string(),
    };
    match test {
        ValueTest::Eq { value } | ValueTest::Ne { value } => literal(value),
        ValueTest::In { values } | ValueTest::NotIn { values } => {
            values.iter().map(literal).collect::<Vec<_>>().join(", ")
        }
        ValueTest::Gt { value }
        | ValueTest::Gte { value }
        | ValueTest::Lt { value }
        | ValueTest::Lte { value } => value.to_string(),
        ValueTest::Contains { value } | ValueTest::StartsWith { value } => value.clone(),
        ValueTest::Exists | ValueTest::NotExists => String::new(),
    }
}

/// Builds a test from an operator key and the typed text. Numbers compare as numbers; `true` and
/// `false` as booleans; anything else as text.
fn make_test(op: &str, text: &str) -> ValueTest {
    let text = text.trim();
    let literal = if let Ok(n) = text.parse::<f64>() {
        Literal::Number(n)
    } else if let Ok(b) = text.parse::<bool>() {
        Literal::Bool(b)
    } else {
        Literal::Text(text.to_owned())
    };
    let number = text.parse::<f64>().unwrap_or(0.0);
    match op {
        "ne" => ValueTest::Ne { value: literal },
        "exists" => ValueTest::Exists,
        "not_exists" => ValueTest::NotExists,
        "gte" => ValueTest::Gte { value: number },
        "lte" => ValueTest::Lte { value: number },
        "contains" => ValueTest::Contains {
            value: text.to_owned(),
        },
        _ => ValueTest::Eq { value: literal },
    }
}

/// An event type select plus a list of property conditions.
///
/// `events` are `(value, label)` pairs; `properties` maps an event type to its property keys
/// (from the data's meta).
#[component]
pub fn EventFilterPicker(
    /// The legend naming what this filter is for ("Start event").
    #[prop(into)]
    legend: Signal<String>,
    #[prop(into)] value: Signal<EventFilter>,
    on_change: Callback<EventFilter>,
    events: Vec<(String, String)>,
    properties: Arc<BTreeMap<String, Vec<String>>>,
) -> impl IntoView {
    let app = use_settings();
    let events = Arc::new(events);
    let set_event = move |event: String| {
        // Conditions are about one event type's properties: a new type starts clean.
        on_change.run(EventFilter::of(&event));
    };
    let update_condition = move |index: usize, condition: Option<PropertyCondition>| {
        let mut filter = value.get_untracked();
        match condition {
            Some(c) if index < filter.conditions.len() => filter.conditions[index] = c,
            Some(c) => filter.conditions.push(c),
            None if index < filter.conditions.len() => {
                filter.conditions.remove(index);
            }
            None => {}
        }
        on_change.run(filter);
    };
    let props_for = {
        let properties = properties.clone();
        move |event: &str| properties.get(event).cloned().unwrap_or_default()
    };
    let event_options = {
        let events = events.clone();
        move || {
            let current = value.get().event;
            events
                .iter()
                .map(|(v, label)| {
                    let selected = *v == current;
                    view! { <option value=v.clone() selected=selected>{label.clone()}</option> }
                })
                .collect_view()
        }
    };
    let conditions = {
        let props_for = props_for.clone();
        move || {
            let t = app.t();
            let filter = value.get();
            let keys = props_for(&filter.event);
            filter
                .conditions
                .iter()
                .enumerate()
                .map(|(i, condition)| {
                    let op = op_key(&condition.test);
                    let text = value_text(&condition.test);
                    let property = condition.property.clone();
                    let key_options = keys
                        .iter()
                        .map(|k| view! { <option value=k.clone() selected={*k == property}>{k.clone()}</option> })
                        .collect_view();
                    let op_options = OPS
                        .iter()
                        .map(|o| {
                            let label = match *o {
                                "eq" => t.op_eq,
                                "ne" => t.op_ne,
                                "exists" => t.op_exists,
                                "not_exists" => t.op_not_exists,
                                "gte" => t.op_gte,
                                "lte" => t.op_lte,
                                _ => t.op_contains,
                            };
                            view! { <option value=*o selected={*o == op}>{label}</option> }
                        })
                        .collect_view();
                    let needs_value = !matches!(op, "exists" | "not_exists");
                    let (p1, p2, t1) = (property.clone(), property.clone(), text.clone());
                    view! {
                        <div class="crm-condition" role="group" aria-label=format!("{} {}", t.property, i + 1)>
                            <label>
                                <span class="crm-visually-hidden">{t.property}</span>
                                <select aria-label=t.property on:change=move |ev| {
                                    let key = event_target_value(&ev);
                                    update_condition(i, Some(PropertyCondition { property: key, test: make_test(op, &t1) }));
                                }>{key_options}</select>
                            </label>
                            <label>
                                <span class="crm-visually-hidden">{t.operator}</span>
                                <select aria-label=t.operator on:change=move |ev| {
                                    let new_op = event_target_value(&ev);
                                    update_condition(i, Some(PropertyCondition { property: p1.clone(), test: make_test(&new_op, &text) }));
                                }>{op_options}</select>
                            </label>
                            {needs_value.then(|| {
                                let current = value_text(&condition.test);
                                view! {
                                    <label>
                                        <span class="crm-visually-hidden">{t.value}</span>
                                        <input type="text" size="10" aria-label=t.value prop:value=current on:change=move |ev| {
                                            let typed = event_target_value(&ev);
                                            update_condition(i, Some(PropertyCondition { property: p2.clone(), test: make_test(op, &typed) }));
                                        }/>
                                    </label>
                                }
                            })}
                            <button type="button" class="crm-icon-button" aria-label=t.remove_filter
                                on:click=move |_| update_condition(i, None)>"×"</button>
                        </div>
                    }
                })
                .collect_view()
        }
    };
    let can_add = move || !props_for(&value.get().event).is_empty();
    let add = {
        let properties = properties.clone();
        move |_| {
            let filter = value.get_untracked();
            if let Some(first) = properties.get(&filter.event).and_then(|p| p.first()) {
                update_condition(
                    usize::MAX,
                    Some(PropertyCondition {
                        property: first.clone(),
                        test: ValueTest::Exists,
                    }),
                );
            }
        }
    };
    view! {
        <fieldset class="crm-event-filter">
            <legend>{move || legend.get()}</legend>
            <label>
                <span class="crm-visually-hidden">{move || legend.get()}</span>
                <select aria-label=move || legend.get() on:change=move |ev| set_event(event_target_value(&ev))>{event_options}</select>
            </label>
            {conditions}
            <Show when=can_add>
                <button type="button" class="crm-link-button" on:click=add.clone()>{move || app.t().add_filter}</button>
            </Show>
        </fieldset>
    }
}
