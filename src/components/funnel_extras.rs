//! The funnel's time-to-convert distribution (chart and table) and its breakdown by attribute or
//! segment (a table per group), exactly as the engine computed them.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::funnel_bars::{funnel_bars_svg, FunnelBars};
use crate::engine::funnel::{FunnelGroup, FunnelTotals, TimeBucket};
use crate::engine::population::{Breakdown, NamedRule, NO_VALUE_LABEL, OTHER_LABEL};
use crate::engine::segment_templates::templates;
use crate::i18n::journeys_texts::{journeys_texts, JourneysTexts};
use crate::i18n::{fill, format, template_name, Texts};
use crate::model::AttributeType;
use crate::sync::saved_segments::SavedSegment;

/// The breakdown a select value stands for: `"$templates"` (the DOMAIN templates), `"$saved"`
/// (the saved segments, if any), `"attr:<name>"`; anything else is none.
pub fn breakdown_of(key: &str, saved: &[SavedSegment]) -> Option<Breakdown> {
    let segments: Vec<NamedRule> = match key {
        "$templates" => templates()
            .into_iter()
            .map(|t| NamedRule {
                label: t.id.to_owned(),
                rule: t.rule,
            })
            .collect(),
        "$saved" => saved
            .iter()
            .map(|s| NamedRule {
                label: s.name.clone(),
                rule: s.rule.clone(),
            })
            .collect(),
        _ => {
            return key.strip_prefix("attr:").map(|a| Breakdown::Attribute {
                attribute: a.to_owned(),
                limit: 10,
            })
        }
    };
    (!segments.is_empty()).then_some(Breakdown::Segments { segments })
}

/// The attributes worth breaking a funnel down by (text and yes/no).
pub fn breakdown_attributes(meta: &crate::model::Meta) -> Vec<String> {
    meta.attributes
        .iter()
        .filter(|a| matches!(a.kind, AttributeType::Text | AttributeType::Bool))
        .map(|a| a.name.clone())
        .collect()
}

fn short_duration(jt: &JourneysTexts, seconds: i64) -> String {
    if seconds >= 86_400 && seconds % 86_400 == 0 {
        fill(jt.dur_d, &[&format::count((seconds / 86_400) as usize)])
    } else if seconds >= 3_600 && seconds % 3_600 == 0 {
        fill(jt.dur_h, &[&format::count((seconds / 3_600) as usize)])
    } else {
        fill(
            jt.dur_min,
            &[&format::count((seconds / 60).max(0) as usize)],
        )
    }
}

/// "1 h – 6 h", "30 d or more".
pub fn bucket_label(jt: &JourneysTexts, bucket: &TimeBucket) -> String {
    match bucket.max_seconds {
        Some(max) => fill(
            jt.bucket_range,
            &[
                &short_duration(jt, bucket.min_seconds),
                &short_duration(jt, max),
            ],
        ),
        None => fill(jt.bucket_open, &[&short_duration(jt, bucket.min_seconds)]),
    }
}

/// The label of a breakdown group: a template's name, the translated "(none)"/"(other)", or the
/// attribute value.
fn group_label(t: &Texts, jt: &JourneysTexts, label: &str) -> String {
    match label {
        NO_VALUE_LABEL => jt.no_value.to_owned(),
        OTHER_LABEL => jt.other_label.to_owned(),
        other => template_name(t, other),
    }
}

#[component]
pub fn TimeToConvert(totals: FunnelTotals) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let jt = journeys_texts(app.locale.get_untracked());
    let buckets = totals.time_to_convert;
    let converted: usize = buckets.iter().map(|b| b.customers).sum();
    let labels: Vec<String> = buckets.iter().map(|b| bucket_label(jt, b)).collect();
    let counts: Vec<usize> = buckets.iter().map(|b| b.customers).collect();
    let share = |n: usize| {
        if converted == 0 {
            0.0
        } else {
            n as f64 / converted as f64
        }
    };
    let notes: Vec<String> = counts.iter().map(|&n| format::percent(share(n))).collect();
    let svg = if buckets.is_empty() {
        String::new()
    } else {
        funnel_bars_svg(&FunnelBars {
            title: jt.ttc_title,
            y_label: jt.ttc_y,
            steps: &labels,
            customers: &counts,
            notes: &notes,
        })
        .unwrap_or_default()
    };
    let alt = labels
        .iter()
        .zip(&counts)
        .map(|(l, n)| format!("{l}: {}", format::count(*n)))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = labels
        .iter()
        .zip(&counts)
        .map(|(l, &n)| {
            view! {
                <tr>
                    <th scope="row">{l.clone()}</th>
                    <td class="crm-num">{format::count(n)}</td>
                    <td class="crm-num">{format::percent(share(n))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{jt.ttc_title}</h3>
        {(!svg.is_empty()).then(|| view! {
            <figure class="crm-chart" role="img" aria-label=alt>
                <div inner_html=svg></div>
            </figure>
        })}
        <details>
            <summary>{jt.ttc_caption}</summary>
            <div class="crm-table-wrap">
                <table class="crm-table">
                    <caption>{jt.ttc_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{jt.ttc_bucket}</th>
                            <th scope="col" class="crm-num">{t.customers_col}</th>
                            <th scope="col" class="crm-num">{jt.share}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}

#[component]
pub fn FunnelBreakdown(
    groups: Vec<FunnelGroup>,
    /// What the groups are ("channel", or the segments' heading).
    by: String,
) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let jt = journeys_texts(app.locale.get_untracked());
    let rows = groups
        .iter()
        .map(|g| {
            let first = g.totals.steps.first();
            let last = g.totals.steps.last();
            let median = g
                .totals
                .median_seconds_to_convert
                .map(|s| format::duration(s, t))
                .unwrap_or_else(|| "—".to_owned());
            view! {
                <tr>
                    <th scope="row">{group_label(t, jt, &g.label)}</th>
                    <td class="crm-num">{format::count(first.map(|s| s.customers).unwrap_or(0))}</td>
                    <td class="crm-num">{format::count(last.map(|s| s.customers).unwrap_or(0))}</td>
                    <td class="crm-num">{format::percent(last.map(|s| s.conversion_from_start).unwrap_or(0.0))}</td>
                    <td class="crm-num">{median}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="crm-table-wrap">
            <table class="crm-table">
                <caption>{fill(jt.breakdown_caption, &[&by])}</caption>
                <thead>
                    <tr>
                        <th scope="col">{jt.group}</th>
                        <th scope="col" class="crm-num">{jt.entered}</th>
                        <th scope="col" class="crm-num">{jt.converted}</th>
                        <th scope="col" class="crm-num">{jt.conversion}</th>
                        <th scope="col" class="crm-num">{jt.median_time}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
