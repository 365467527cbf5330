//! An attribute rule: the attribute (built-ins first, then the data's own, each with its type),
//! the tests that fit its type, and the value fields that test needs.

use leptos::prelude::*;

use super::{control_id, options, Builder};
use crate::engine::filter::Literal;
use crate::engine::segment_rule::{AttributeTest, Rule};
use crate::i18n::rule_sentence::attribute_label;
use crate::i18n::segments_texts::SegmentsTexts;
use crate::model::AttributeType;
use crate::state::rule_ops;

fn op_label(st: &SegmentsTexts, op: &str) -> &'static str {
    match op {
        "eq" => st.op_eq,
        "ne" => st.op_ne,
        "in" => st.op_in,
        "not_in" => st.op_not_in,
        "contains" => st.op_contains,
        "starts_with" => st.op_starts_with,
        "gt" => st.op_gt,
        "gte" => st.op_gte,
        "lt" => st.op_lt,
        "lte" => st.op_lte,
        "between" => st.op_between,
        "exists" => st.op_exists,
        "not_exists" => st.op_not_exists,
        "list_has" => st.op_list_has,
        "list_has_any" => st.op_list_has_any,
        "list_has_none" => st.op_list_has_none,
        "before" => st.op_before,
        "after" => st.op_after,
        "in_last_days" => st.op_in_last_days,
        "in_next_days" => st.op_in_next_days,
        "more_than_days_ago" => st.op_more_than_days_ago,
        _ => st.op_anniversary,
    }
}

fn test_mut(rule: &mut Rule) -> Option<&mut AttributeTest> {
    match rule {
        Rule::Attribute { test, .. } => Some(test),
        _ => None,
    }
}

pub fn attribute_view(
    b: Builder,
    path: Vec<usize>,
    rule: &Rule,
    name: &str,
    st: &'static SegmentsTexts,
) -> AnyView {
    let Rule::Attribute { attribute, test } = rule else {
        return ().into_any();
    };
    let catalog = b.catalog.get_value();
    let entry = catalog.attribute(attribute).cloned();
    let kind = entry.as_ref().map(|e| e.kind);
    let builtins = catalog
        .attributes
        .iter()
        .filter(|a| a.builtin)
        .map(|a| {
            let is = a.name == *attribute;
            view! { <option value=a.name.clone() selected=is>{attribute_label(st, &a.name)}</option> }
        })
        .collect_view();
    let own = catalog
        .attributes
        .iter()
        .filter(|a| !a.builtin)
        .map(|a| {
            let is = a.name == *attribute;
            view! { <option value=a.name.clone() selected=is>{a.name.clone()}</option> }
        })
        .collect_view();
    let kinds: Vec<(String, AttributeType)> = catalog
        .attributes
        .iter()
        .map(|a| (a.name.clone(), a.kind))
        .collect();
    let attr_path = path.clone();
    let on_attribute = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let kind = kinds.iter().find(|(n, _)| *n == chosen).map(|(_, k)| *k);
        b.focus.keep_current();
        b.edit(&attr_path, |r| {
            *r = Rule::Attribute {
                test: kind
                    .map(|k| rule_ops::first_test(k, &chosen))
                    .unwrap_or(AttributeTest::Exists),
                attribute: chosen,
            }
        });
    };
    let op = rule_ops::attribute_op(test);
    let ops_view = kind.map(|kind| {
        let ops: Vec<(String, String)> = rule_ops::attribute_ops(kind)
            .iter()
            .map(|o| ((*o).to_owned(), op_label(st, o).to_owned()))
            .collect();
        let op_path = path.clone();
        view! {
            <label class="crm-field">
                <span>{st.f_test}</span>
                <select id=control_id(&path, "op") aria-label=format!("{}: {name}", st.f_test)
                    on:change=move |ev| {
                        let new_op = event_target_value(&ev);
                        b.focus.keep_current();
                        b.edit(&op_path, |r| if let Some(t) = test_mut(r) { *t = rule_ops::attribute_test(&new_op, kind, t) });
                    }>
                    {options(ops, op)}
                </select>
            </label>
        }
    });
    let suggestions = entry.map(|e| e.suggestions).unwrap_or_default();
    let values = kind
        .map(|kind| value_fields(b, &path, test, kind, name, suggestions, st))
        .unwrap_or_else(|| ().into_any());
    view! {
        <label class="crm-field">
            <span>{st.f_attribute}</span>
            <select id=control_id(&path, "attribute") aria-label=format!("{}: {name}", st.f_attribute) on:change=on_attribute>
                <option value="" selected=attribute.is_empty()>{st.f_choose}</option>
                <optgroup label=st.builtins>{builtins}</optgroup>
                <optgroup label=st.data_attributes>{own}</optgroup>
            </select>
        </label>
        {ops_view}
        {values}
    }
    .into_any()
}

/// A text or number input that rewrites the test from what is typed.
#[allow(clippy::too_many_arguments)]
fn typed_input(
    b: Builder,
    path: &[usize],
    part: &str,
    input_type: &'static str,
    label: String,
    value: String,
    list: Option<String>,
    apply: fn(&mut AttributeTest, &str),
) -> AnyView {
    let edit_path = path.to_vec();
    let short = label.split(": ").next().unwrap_or_default().to_owned();
    view! {
        <label class="crm-field">
            <span>{short}</span>
            <input type=input_type step="any" id=control_id(path, part) list=list aria-label=label
                prop:value=value
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    b.edit(&edit_path, |r| if let Some(t) = test_mut(r) { apply(t, &text) });
                }/>
        </label>
    }
    .into_any()
}

fn value_fields(
    b: Builder,
    path: &[usize],
    test: &AttributeTest,
    kind: AttributeType,
    name: &str,
    suggestions: Vec<String>,
    st: &'static SegmentsTexts,
) -> AnyView {
    let list_id = control_id(path, "suggestions");
    let datalist = {
        let list_id = list_id.clone();
        view! { <datalist id=list_id>{suggestions.into_iter().map(|s| view! { <option value=s></option> }).collect_view()}</datalist> }
    };
    let label = |what: &str| format!("{what}: {name}");
    match test {
        AttributeTest::Exists | AttributeTest::NotExists => ().into_any(),
        AttributeTest::Eq { value } | AttributeTest::Ne { value } if kind == AttributeType::Bool => {
            let current = matches!(value, Literal::Bool(true));
            let edit_path = path.to_vec();
            let yes_no = vec![
                ("true".to_owned(), st.yes.to_owned()),
                ("false".to_owned(), st.no.to_owned()),
            ];
            view! {
                <label class="crm-field">
                    <span>{st.f_value}</span>
                    <select id=control_id(path, "value") aria-label=label(st.f_value)
                        on:change=move |ev| {
                            let yes = event_target_value(&ev) == "true";
                            b.edit(&edit_path, |r| match test_mut(r) {
                                Some(AttributeTest::Eq { value }) | Some(AttributeTest::Ne { value }) => *value = Literal::Bool(yes),
                                _ => {}
                            });
                        }>
                        {options(yes_no, if current { "true" } else { "false" })}
                    </select>
                </label>
            }
            .into_any()
        }
        AttributeTest::Eq { value } | AttributeTest::Ne { value } => {
            let number = kind == AttributeType::Number;
            let apply: fn(&mut AttributeTest, &str) = if number {
                |t, s| {
                    if let AttributeTest::Eq { value } | AttributeTest::Ne { value } = t {
                        *value = rule_ops::typed_literal(AttributeType::Number, s)
                    }
                }
            } else {
                |t, s| {
                    if let AttributeTest::Eq { value } | AttributeTest::Ne { value } = t {
                        *value = rule_ops::typed_literal(AttributeType::Text, s)
                    }
                }
            };
            view! {
                {typed_input(b, path, "value", if number { "number" } else { "text" }, label(st.f_value), rule_ops::literal_text(value), Some(list_id), apply)}
                {datalist}
            }
            .into_any()
        }
        AttributeTest::In { values } | AttributeTest::NotIn { values } => {
            let text = values.iter().map(rule_ops::literal_text).collect::<Vec<_>>().join(", ");
            let apply: fn(&mut AttributeTest, &str) = if kind == AttributeType::Number {
                |t, s| {
                    let list: Vec<Literal> = rule_ops::split_list(s).iter().map(|x| Literal::Number(rule_ops::parse_number(x))).collect();
                    if let AttributeTest::In { values } | AttributeTest::NotIn { values } = t { *values = list }
                }
            } else {
                |t, s| {
                    let list: Vec<Literal> = rule_ops::split_list(s).into_iter().map(Literal::Text).collect();
                    if let AttributeTest::In { values } | AttributeTest::NotIn { values } = t { *values = list }
                }
            };
            typed_input(b, path, "values", "text", label(st.f_values), text, None, apply)
        }
        AttributeTest::Contains { value } | AttributeTest::StartsWith { value } | AttributeTest::ListHas { value } => {
            view! {
                {typed_input(b, path, "value", "text", label(st.f_value), value.clone(), Some(list_id), |t, s| match t {
                    AttributeTest::Contains { value } | AttributeTest::StartsWith { value } | AttributeTest::ListHas { value } => *value = s.to_owned(),
                    _ => {}
                })}
                {datalist}
            }
            .into_any()
        }
        AttributeTest::ListHasAny { values } | AttributeTest::ListHasNone { values } => {
            typed_input(b, path, "values", "text", label(st.f_values), values.join(", "), None, |t, s| match t {
                AttributeTest::ListHasAny { values } | AttributeTest::ListHasNone { values } => *values = rule_ops::split_list(s),
                _ => {}
            })
        }
        AttributeTest::Gt { value } | AttributeTest::Gte { value } | AttributeTest::Lt { value } | AttributeTest::Lte { value } => {
            typed_input(b, path, "value", "number", label(st.f_value), rule_ops::number_text(*value), None, |t, s| match t {
                AttributeTest::Gt { value } | AttributeTest::Gte { value } | AttributeTest::Lt { value } | AttributeTest::Lte { value } => *value = rule_ops::parse_number(s),
                _ => {}
            })
        }
        AttributeTest::Between { min, max } => view! {
            {typed_input(b, path, "min", "number", label(st.f_min), rule_ops::number_text(*min), None, |t, s| {
                if let AttributeTest::Between { min, .. } = t { *min = rule_ops::parse_number(s) }
            })}
            {typed_input(b, path, "max", "number", label(st.f_max), rule_ops::number_text(*max), None, |t, s| {
                if let AttributeTest::Between { max, .. } = t { *max = rule_ops::parse_number(s) }
            })}
        }
        .into_any(),
        AttributeTest::Before { date } | AttributeTest::After { date } => {
            typed_input(b, path, "date", "date", label(st.f_date), date.clone(), None, |t, s| match t {
                AttributeTest::Before { date } | AttributeTest::After { date } => *date = s.to_owned(),
                _ => {}
            })
        }
        AttributeTest::InLastDays { days }
        | AttributeTest::InNextDays { days }
        | AttributeTest::MoreThanDaysAgo { days }
        | AttributeTest::AnniversaryInNextDays { days } => {
            typed_input(b, path, "days", "number", label(st.f_days), days.to_string(), None, |t, s| match t {
                AttributeTest::InLastDays { days }
                | AttributeTest::InNextDays { days }
                | AttributeTest::MoreThanDaysAgo { days }
                | AttributeTest::AnniversaryInNextDays { days } => *days = rule_ops::parse_days(s),
                _ => {}
            })
        }
    }
}
