//! One rule: its kind, the fields that kind needs, its problem (if any), and its actions.

use leptos::prelude::*;

use super::{actions, attribute_fields, control_id, event_fields, options, window_fields, Builder};
use crate::engine::rule_check::{Problem, RuleIssue};
use crate::engine::segment_rule::{Aggregate, CompareOp, Rule};
use crate::engine::QueryErrorKind;
use crate::i18n::segments_texts::SegmentsTexts;
use crate::i18n::{fill, Texts};
use crate::state::{rule_ops, rule_tree};

/// The translated reason a rule cannot be counted.
pub fn problem_text(st: &SegmentsTexts, issue: &RuleIssue) -> String {
    match &issue.problem {
        Problem::NoEvent => st.p_no_event.to_owned(),
        Problem::NoProperty => st.p_no_property.to_owned(),
        Problem::NoAttribute => st.p_no_attribute.to_owned(),
        Problem::NoValue => st.p_no_value.to_owned(),
        Problem::NotANumber => st.p_not_a_number.to_owned(),
        Problem::ZeroDays => st.p_zero_days.to_owned(),
        Problem::BadDate => st.p_bad_date.to_owned(),
        Problem::EmptyRange => st.p_empty_range.to_owned(),
        Problem::NoSegment => st.p_no_segment.to_owned(),
        Problem::Engine { kind, message } => match kind {
            QueryErrorKind::UnknownAttribute => st.p_unknown_attribute.to_owned(),
            QueryErrorKind::TypeMismatch => st.p_type_mismatch.to_owned(),
            QueryErrorKind::UnknownSegment => st.p_unknown_segment.to_owned(),
            QueryErrorKind::SegmentCycle => {
                let circle = message.rsplit(": ").next().unwrap_or(message.as_str());
                fill(st.p_cycle, &[circle])
            }
            _ => fill(st.p_other, &[message.as_str()]),
        },
    }
}

fn kind_label(st: &SegmentsTexts, kind: &str) -> &'static str {
    match kind {
        "attribute" => st.kind_attribute,
        "performed" => st.kind_performed,
        "not_performed" => st.kind_not_performed,
        "sequence" => st.kind_sequence,
        "not_followed_by" => st.kind_not_followed_by,
        "first_performed" => st.kind_first,
        "last_performed" => st.kind_last,
        "aggregate" => st.kind_aggregate,
        _ => st.kind_segment,
    }
}

/// Labels of the numeric comparisons.
pub fn compare_options(st: &SegmentsTexts) -> Vec<(String, String)> {
    [
        ("gte", st.op_gte),
        ("gt", st.op_gt),
        ("eq", st.op_eq),
        ("ne", st.op_ne),
        ("lte", st.op_lte),
        ("lt", st.op_lt),
    ]
    .into_iter()
    .map(|(k, l)| (k.to_owned(), l.to_owned()))
    .collect()
}

pub fn compare_key(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "eq",
        CompareOp::Ne => "ne",
        CompareOp::Gt => "gt",
        CompareOp::Gte => "gte",
        CompareOp::Lt => "lt",
        CompareOp::Lte => "lte",
    }
}

pub fn parse_compare(key: &str) -> CompareOp {
    match key {
        "eq" => CompareOp::Eq,
        "ne" => CompareOp::Ne,
        "gt" => CompareOp::Gt,
        "lt" => CompareOp::Lt,
        "lte" => CompareOp::Lte,
        _ => CompareOp::Gte,
    }
}

pub fn leaf_view(
    b: Builder,
    path: Vec<usize>,
    rule: &Rule,
    st: &'static SegmentsTexts,
    t: &'static Texts,
) -> AnyView {
    let kind = rule_ops::leaf_kind(rule);
    let name = fill(st.rule_n, &[&rule_tree::path_label(&path)]);
    let kinds: Vec<(String, String)> = rule_ops::LEAF_KINDS
        .iter()
        .map(|k| ((*k).to_owned(), kind_label(st, k).to_owned()))
        .collect();
    let on_kind = {
        let path = path.clone();
        move |ev: leptos::ev::Event| {
            let kind = event_target_value(&ev);
            b.focus.keep_current();
            b.edit(&path, |r| *r = rule_ops::new_leaf(&kind, Some(r)));
        }
    };
    let fields = fields_view(b, &path, rule, &name, st, t);
    let issue_path = path.clone();
    let issue = move || b.issue_at(&issue_path);
    let issue_id = control_id(&path, "issue");
    let bad = {
        let issue = issue.clone();
        move || issue().is_some()
    };
    view! {
        <div class="crm-rule" class:crm-rule-bad=bad role="group" aria-label=name.clone()
            aria-describedby=issue_id.clone() data-path=rule_tree::path_id(&path)>
            <div class="crm-rule-head">
                <span class="crm-rule-name">{name.clone()}</span>
                <label class="crm-field">
                    <span>{st.rule_kind}</span>
                    <select id=control_id(&path, "kind") aria-label=format!("{}: {name}", st.rule_kind) on:change=on_kind>
                        {options(kinds, kind)}
                    </select>
                </label>
                {actions::actions_view(b, path.clone(), name.clone(), st)}
            </div>
            <div class="crm-rule-fields">{fields}</div>
            <p class="crm-rule-issue" id=issue_id.clone()>
                {move || issue().map(|i| format!("⚠ {}", problem_text(st, &i)))}
            </p>
        </div>
    }
    .into_any()
}

fn fields_view(
    b: Builder,
    path: &[usize],
    rule: &Rule,
    name: &str,
    st: &'static SegmentsTexts,
    t: &'static Texts,
) -> AnyView {
    use event_fields::Which;
    let path = path.to_vec();
    let event = |which: Which, label: &'static str| {
        event_fields::filter_view(b, path.clone(), which, rule, name, label, st, t)
    };
    let window = || window_fields::window_view(b, path.clone(), rule, name, st);
    match rule {
        Rule::Attribute { .. } => attribute_fields::attribute_view(b, path.clone(), rule, name, st),
        Rule::Performed { count, .. } => {
            let op_path = path.clone();
            let value_path = path.clone();
            view! {
                {event(Which::Main, st.f_event)}
                <label class="crm-field">
                    <span>{st.f_how_often}</span>
                    <select id=control_id(&path, "count-op") aria-label=format!("{}: {name}", st.f_how_often)
                        on:change=move |ev| {
                            let op = parse_compare(&event_target_value(&ev));
                            b.edit(&op_path, |r| if let Rule::Performed { count, .. } = r { count.op = op });
                        }>
                        {options(compare_options(st), compare_key(count.op))}
                    </select>
                </label>
                <label class="crm-field crm-narrow">
                    <span>{st.f_times}</span>
                    <input type="number" min="0" step="1" id=control_id(&path, "count")
                        aria-label=format!("{}: {name}", st.f_times)
                        prop:value=rule_ops::number_text(count.value)
                        on:input=move |ev| {
                            let value = rule_ops::parse_number(&event_target_value(&ev));
                            b.edit(&value_path, |r| if let Rule::Performed { count, .. } = r { count.value = value });
                        }/>
                </label>
                {window()}
            }
            .into_any()
        }
        Rule::NotPerformed { .. } | Rule::FirstPerformed { .. } | Rule::LastPerformed { .. } => {
            view! { {event(Which::Main, st.f_event)} {window()} }.into_any()
        }
        Rule::Sequence { within, .. } | Rule::NotFollowedBy { within, .. } => {
            let (days_path, hours_path) = (path.clone(), path.clone());
            view! {
                {event(Which::Main, st.f_first_event)}
                {event(Which::Then, st.f_then_event)}
                <fieldset class="crm-inline-set">
                    <legend>{st.f_within}</legend>
                    <label class="crm-field crm-narrow">
                        <span>{st.f_days}</span>
                        <input type="number" min="0" step="1" id=control_id(&path, "within-days")
                            aria-label=format!("{} ({}): {name}", st.f_within, st.f_days)
                            prop:value=within.days.to_string()
                            on:input=move |ev| {
                                let days = rule_ops::parse_days(&event_target_value(&ev));
                                b.edit(&days_path, |r| match r {
                                    Rule::Sequence { within, .. } | Rule::NotFollowedBy { within, .. } => within.days = days,
                                    _ => {}
                                });
                            }/>
                    </label>
                    <label class="crm-field crm-narrow">
                        <span>{st.f_hours}</span>
                        <input type="number" min="0" max="23" step="1" id=control_id(&path, "within-hours")
                            aria-label=format!("{} ({}): {name}", st.f_within, st.f_hours)
                            prop:value=within.hours.to_string()
                            on:input=move |ev| {
                                let hours = rule_ops::parse_days(&event_target_value(&ev));
                                b.edit(&hours_path, |r| match r {
                                    Rule::Sequence { within, .. } | Rule::NotFollowedBy { within, .. } => within.hours = hours,
                                    _ => {}
                                });
                            }/>
                    </label>
                </fieldset>
                {window()}
            }
            .into_any()
        }
        Rule::Aggregate {
            aggregate, compare, ..
        } => {
            let (agg_path, op_path, value_path) = (path.clone(), path.clone(), path.clone());
            let measures: Vec<(String, String)> = [
                ("sum", st.agg_sum),
                ("avg", st.agg_avg),
                ("count", st.agg_count),
                ("min", st.agg_min),
                ("max", st.agg_max),
            ]
            .into_iter()
            .map(|(k, l)| (k.to_owned(), l.to_owned()))
            .collect();
            let measure = match aggregate {
                Aggregate::Sum => "sum",
                Aggregate::Avg => "avg",
                Aggregate::Count => "count",
                Aggregate::Min => "min",
                Aggregate::Max => "max",
            };
            view! {
                {event(Which::Main, st.f_event)}
                <label class="crm-field">
                    <span>{st.f_measure}</span>
                    <select id=control_id(&path, "measure") aria-label=format!("{}: {name}", st.f_measure)
                        on:change=move |ev| {
                            let a = match event_target_value(&ev).as_str() {
                                "avg" => Aggregate::Avg,
                                "count" => Aggregate::Count,
                                "min" => Aggregate::Min,
                                "max" => Aggregate::Max,
                                _ => Aggregate::Sum,
                            };
                            b.edit(&agg_path, |r| if let Rule::Aggregate { aggregate, .. } = r { *aggregate = a });
                        }>
                        {options(measures, measure)}
                    </select>
                </label>
                <label class="crm-field">
                    <span>{st.f_test}</span>
                    <select id=control_id(&path, "compare-op") aria-label=format!("{}: {name}", st.f_test)
                        on:change=move |ev| {
                            let op = parse_compare(&event_target_value(&ev));
                            b.edit(&op_path, |r| if let Rule::Aggregate { compare, .. } = r { compare.op = op });
                        }>
                        {options(compare_options(st), compare_key(compare.op))}
                    </select>
                </label>
                <label class="crm-field">
                    <span>{st.f_value}</span>
                    <input type="number" step="any" id=control_id(&path, "compare-value")
                        aria-label=format!("{}: {name}", st.f_value)
                        prop:value=rule_ops::number_text(compare.value)
                        on:input=move |ev| {
                            let value = rule_ops::parse_number(&event_target_value(&ev));
                            b.edit(&value_path, |r| if let Rule::Aggregate { compare, .. } = r { compare.value = value });
                        }/>
                </label>
                {window()}
            }
            .into_any()
        }
        Rule::Segment { id } => {
            let mut items = vec![(String::new(), st.f_choose.to_owned())];
            items.extend(b.segments.get_untracked());
            let seg_path = path.clone();
            view! {
                <label class="crm-field">
                    <span>{st.f_segment}</span>
                    <select id=control_id(&path, "segment") aria-label=format!("{}: {name}", st.f_segment)
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            b.edit(&seg_path, |r| if let Rule::Segment { id } = r { *id = chosen });
                        }>
                        {options(items, id)}
                    </select>
                </label>
            }
            .into_any()
        }
        Rule::All { .. } | Rule::Any { .. } | Rule::None { .. } => ().into_any(),
    }
}
