//! The funnel: pick steps (with property filters), window and order; see customers and
//! conversion per step, the drop-off, the median time to convert, and who dropped at a step.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::charts::funnel_bars::{funnel_bars_svg, FunnelBars};
use crate::components::customer_list_panel::CustomerListPanel;
use crate::components::funnel_extras::{
    breakdown_attributes, breakdown_of, FunnelBreakdown, TimeToConvert,
};
use crate::components::segment_filter_select::SegmentFilterSelect;
use crate::components::EventFilterPicker;
use crate::engine::filter::EventFilter;
use crate::engine::funnel::{FunnelMode, FunnelResult, FunnelSpec, MAX_STEPS};
use crate::engine::query::{Analysis, FunnelCustomersSpec, QueryResult};
use crate::engine::segment_rule::Span;
use crate::i18n::journeys_texts::journeys_texts;
use crate::i18n::{event_label, fill, format};
use crate::sync::saved_segments::{run_in_segment, use_saved_segments};
use crate::sync::Dataset;

/// The funnel's steps from the URL (`?funnel=visit,purchase`, as the Dashboard's conversion card
/// links), if they name 2 to `MAX_STEPS` events; anything else opens the default funnel.
fn steps_from_url(param: Option<String>) -> Option<Vec<EventFilter>> {
    let text = param?;
    let steps: Vec<EventFilter> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty() && s.len() <= 100)
        .map(EventFilter::of)
        .collect();
    (2..=MAX_STEPS).contains(&steps.len()).then_some(steps)
}

fn default_spec() -> FunnelSpec {
    let from_url = leptos_router::hooks::use_query_map()
        .with_untracked(|query| steps_from_url(query.get("funnel")));
    FunnelSpec {
        steps: from_url.unwrap_or_else(|| {
            ["visit", "product_view", "cart_add", "purchase"]
                .iter()
                .map(|e| EventFilter::of(e))
                .collect()
        }),
        window: Span::days(14),
        mode: FunnelMode::Ordered,
        from: None,
        to: None,
        breakdown: None,
    }
}

#[component]
pub fn FunnelView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let spec = RwSignal::new(default_spec());
    // The breakdown select's key ("", "$templates", "$saved", "attr:<name>") and the segment
    // filter; both are resolved against the saved segments when the funnel runs.
    let by_key = RwSignal::new(String::new());
    let filter: RwSignal<Option<String>> = RwSignal::new(None);
    let saved = use_saved_segments();
    // The spec as the engine takes it, with the breakdown resolved.
    let effective = Memo::new(move |_| {
        let mut s = spec.get();
        s.breakdown = saved
            .list
            .with(|list| by_key.with(|key| breakdown_of(key, list)));
        s
    });
    // The step whose drop-offs are listed.
    let dropped_at: RwSignal<Option<usize>> = RwSignal::new(None);
    let properties: Arc<BTreeMap<String, Vec<String>>> =
        Arc::new(data.store.meta.event_properties());
    let event_names: Vec<String> = data.store.meta.event_names();
    let attributes = breakdown_attributes(&data.store.meta);
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            let found = saved.list.with(|list| {
                run_in_segment(
                    &data,
                    &app,
                    filter.get().as_deref(),
                    list,
                    Analysis::Funnel(effective.get()),
                )
            });
            match found {
                Ok(QueryResult::Funnel(result)) => Ok(result),
                Ok(_) => Err("unexpected result".to_owned()),
                Err(e) => Err(e),
            }
        })
    };
    let steps_editor = move || {
        let t = app.t();
        let current = spec.get();
        let count = current.steps.len();
        let events: Vec<(String, String)> =
            std::iter::once(("$activity".to_owned(), t.event_any_activity.to_owned()))
                .chain(event_names.iter().map(|n| (n.clone(), event_label(t, n))))
                .collect();
        let pickers = (0..count)
            .map(|i| {
                let value = Signal::derive(move || spec.get().steps.get(i).cloned().unwrap_or_else(|| EventFilter::of("visit")));
                let on_change = Callback::new(move |f: EventFilter| {
                    spec.update(|s| {
                        if let Some(step) = s.steps.get_mut(i) {
                            *step = f;
                        }
                    });
                    dropped_at.set(None);
                });
                let remove_label = fill(t.remove_step, &[&(i + 1).to_string()]);
                view! {
                    <div class="crm-funnel-step">
                        <EventFilterPicker legend=fill(t.step_n, &[&(i + 1).to_string()]) value on_change
                            events=events.clone() properties=properties.clone()/>
                        {(count > 2).then(|| view! {
                            <button type="button" class="crm-icon-button" aria-label=remove_label
                                on:click=move |_| { spec.update(|s| { s.steps.remove(i); }); dropped_at.set(None); }>"×"</button>
                        })}
                    </div>
                }
            })
            .collect_view();
        let mode = current.mode;
        let jt = journeys_texts(app.locale.get());
        let by = by_key.get();
        let has_saved = saved.list.with(|list| !list.is_empty());
        let breakdown_options = std::iter::once((String::new(), jt.breakdown_none.to_owned()))
            .chain(std::iter::once((
                "$templates".to_owned(),
                jt.breakdown_segments.to_owned(),
            )))
            .chain(has_saved.then(|| ("$saved".to_owned(), jt.breakdown_saved.to_owned())))
            .chain(attributes.iter().map(|a| {
                (
                    format!("attr:{a}"),
                    fill(jt.breakdown_attribute, &[a.as_str()]),
                )
            }))
            .map(|(key, label)| {
                let selected = key == by;
                view! { <option value=key selected=selected>{label}</option> }
            })
            .collect_view();
        view! {
            <div class="crm-control-grid">{pickers}</div>
            <div class="crm-kpi-controls">
                {(count < MAX_STEPS).then(|| view! {
                    <button type="button" class="crm-button" on:click=move |_| spec.update(|s| s.steps.push(EventFilter::of("purchase")))>{t.add_step}</button>
                })}
                <label class="crm-field">
                    <span>{t.funnel_window}</span>
                    <input type="number" min="1" max="365" aria-label=t.funnel_window prop:value=current.window.days.to_string()
                        on:change=move |ev| {
                            if let Ok(days) = event_target_value(&ev).parse::<u32>() {
                                spec.update(|s| s.window = Span::days(days.clamp(1, 365)));
                            }
                        }/>
                </label>
                <label class="crm-field">
                    <span>{t.funnel_mode}</span>
                    <select aria-label=t.funnel_mode on:change=move |ev| {
                        let mode = match event_target_value(&ev).as_str() {
                            "strict" => FunnelMode::Strict,
                            "any_order" => FunnelMode::AnyOrder,
                            _ => FunnelMode::Ordered,
                        };
                        spec.update(|s| s.mode = mode);
                    }>
                        <option value="ordered" selected=mode == FunnelMode::Ordered>{t.mode_ordered}</option>
                        <option value="strict" selected=mode == FunnelMode::Strict>{t.mode_strict}</option>
                        <option value="any_order" selected=mode == FunnelMode::AnyOrder>{t.mode_any}</option>
                    </select>
                </label>
                <label class="crm-field">
                    <span>{jt.breakdown}</span>
                    <select aria-label=jt.breakdown on:change=move |ev| {
                        by_key.set(event_target_value(&ev));
                        dropped_at.set(None);
                    }>{breakdown_options}</select>
                </label>
                <SegmentFilterSelect value=filter
                    on_change=Callback::new(move |key: Option<String>| { filter.set(key); dropped_at.set(None); })
                    saved=saved.names()/>
            </div>
        }
    };
    let results = {
        let data = data.clone();
        move || {
            let t = app.t();
            let result: FunnelResult = match result.get() {
                Ok(r) => r,
                Err(message) => {
                    return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&message])}</p> }.into_any()
                }
            };
            let steps = &result.totals.steps;
            let labels: Vec<String> = steps.iter().map(|s| event_label(t, &s.label)).collect();
            let notes: Vec<String> = steps
                .iter()
                .map(|s| format::percent(s.conversion_from_start))
                .collect();
            let customers: Vec<usize> = steps.iter().map(|s| s.customers).collect();
            let svg = funnel_bars_svg(&FunnelBars {
                title: t.funnel_chart_title,
                y_label: t.customers_col,
                steps: &labels,
                customers: &customers,
                notes: &notes,
            })
            .unwrap_or_default();
            let alt = labels
                .iter()
                .zip(steps)
                .map(|(l, s)| {
                    format!(
                        "{l}: {} ({})",
                        format::count(s.customers),
                        format::percent(s.conversion_from_start)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            let rows = steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let label = labels[i].clone();
                    view! {
                        <tr>
                            <th scope="row">{format!("{}. {}", i + 1, label)}</th>
                            <td class="crm-num">{format::count(s.customers)}</td>
                            <td class="crm-num">{format::percent(s.conversion_from_start)}</td>
                            <td class="crm-num">{format::percent(s.conversion_from_previous)}</td>
                            <td class="crm-num">
                                {if i == 0 || s.dropped == 0 {
                                    format::count(s.dropped).into_any()
                                } else {
                                    view! {
                                        <button type="button" class="crm-link-button" on:click=move |_| dropped_at.set(Some(i))>
                                            {format::count(s.dropped)}
                                            <span class="crm-visually-hidden">{format!(", {}", fill(t.show_dropped, &[&label]))}</span>
                                        </button>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let median = match result.totals.median_seconds_to_convert {
                Some(seconds) => fill(t.median_convert, &[&format::duration(seconds, t)]),
                None => t.nobody_converted.to_owned(),
            };
            let drop_list = dropped_at.get().and_then(|step| {
                let spec_now = effective.get_untracked();
                let listed = saved.list.with_untracked(|list| {
                    run_in_segment(&data, &app, filter.get_untracked().as_deref(), list,
                        Analysis::FunnelCustomers(FunnelCustomersSpec { funnel: spec_now, step, dropped: true }))
                });
                let customers = match listed {
                    Ok(QueryResult::FunnelCustomers(list)) => Ok(list.customers),
                    Ok(_) => Err("unexpected result".to_owned()),
                    Err(e) => Err(e),
                };
                let count = customers.as_ref().map(Vec::len).unwrap_or(0);
                let before = labels.get(step.checked_sub(1)?)?.clone();
                let at = labels.get(step)?.clone();
                let title = fill(t.dropped_title, &[&before, &at, &format::count(count)]);
                Some(view! {
                    <CustomerListPanel data=data.clone() title customers file_name="crm-lens-funnel-dropped.csv"
                        id="crm-dropped-title" on_close=Callback::new(move |_| dropped_at.set(None))/>
                })
            });
            view! {
                <figure class="crm-chart" role="img" aria-label=alt>
                    <div inner_html=svg></div>
                </figure>
                <p>{median}</p>
                <div class="crm-table-wrap">
                    <table class="crm-table">
                        <caption>{t.funnel_title}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t.funnel_step}</th>
                                <th scope="col" class="crm-num">{t.customers_col}</th>
                                <th scope="col" class="crm-num">{t.funnel_of_start}</th>
                                <th scope="col" class="crm-num">{t.funnel_of_previous}</th>
                                <th scope="col" class="crm-num">{t.funnel_dropped}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {drop_list}
                <TimeToConvert totals=result.totals.clone()/>
                {(!result.groups.is_empty()).then(|| {
                    let jt = journeys_texts(app.locale.get());
                    let by = match &effective.get_untracked().breakdown {
                        Some(crate::engine::population::Breakdown::Attribute { attribute, .. }) => attribute.clone(),
                        _ if by_key.get_untracked() == "$saved" => jt.by_saved_segment.to_owned(),
                        _ => jt.by_segment.to_owned(),
                    };
                    view! { <FunnelBreakdown groups=result.groups.clone() by/> }
                })}
            }
            .into_any()
        }
    };
    view! {
        <section class="crm-card crm-controls" aria-labelledby="crm-funnel-title">
            <h2 id="crm-funnel-title">{move || app.t().funnel_title}</h2>
            <p class="crm-intro">{move || app.t().funnel_intro}</p>
            {steps_editor}
            {results}
        </section>
    }
}
