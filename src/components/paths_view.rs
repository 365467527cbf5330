//! Paths: a Sankey of how customers move between events (unique customers per move), with a
//! start or end anchor, steps, hidden events, top N plus "(other)", the session gap and a
//! segment filter. Every node and move is a button (over the chart and in the table of every
//! move) that lists its customers.

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::app::use_settings;
use crate::charts::sankey::{self, layout, sankey_svg, Rect, Sankey, SankeyLink, SankeyNode};
use crate::components::customer_list_panel::CustomerListPanel;
use crate::components::ignored_params::IgnoredParams;
use crate::components::segment_filter_select::SegmentFilterSelect;
use crate::components::url_params::use_url_params_writer;
use crate::components::EventFilterPicker;
use crate::engine::filter::EventFilter;
use crate::engine::paths::{PathsResult, MAX_PATH_STEPS};
use crate::engine::query::{Analysis, PathsCustomersSpec, QueryResult};
use crate::i18n::journeys_texts::{journeys_texts, JourneysTexts};
use crate::i18n::{event_label, fill, format, Texts};
use crate::state::paths_view::{self, AnchorKind, PathsSettings, MAX_GAP_MINUTES, MAX_TOP};
use crate::sync::saved_segments::{run_in_segment, use_saved_segments};
use crate::sync::Dataset;

/// The node or move whose customers are listed.
#[derive(Debug, Clone, PartialEq)]
struct Pick {
    step: usize,
    label: String,
    target: Option<String>,
}

fn node_name(t: &Texts, jt: &JourneysTexts, label: &str) -> String {
    if label == crate::engine::population::OTHER_LABEL {
        jt.other_label.to_owned()
    } else {
        event_label(t, label)
    }
}

/// `left/top/width/height` in percent of the drawing, for a button over `rect`.
fn place(rect: &Rect) -> String {
    format!(
        "left:{:.3}%;top:{:.3}%;width:{:.3}%;height:{:.3}%",
        rect.x / sankey::WIDTH * 100.0,
        rect.y / sankey::HEIGHT * 100.0,
        rect.width / sankey::WIDTH * 100.0,
        rect.height / sankey::HEIGHT * 100.0
    )
}

#[component]
pub fn PathsView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    // Settings come from the URL at mount and are written back to it on every change.
    let (initial, ignored) = {
        let params = use_query_map().get_untracked();
        PathsSettings::from_params(|key| params.get(key))
    };
    let controls = RwSignal::new(initial);
    let write_url = use_url_params_writer("/journeys", &paths_view::PARAMS);
    Effect::new(move |first: Option<()>| {
        let params = controls.with(PathsSettings::to_params);
        if first.is_some() {
            write_url.run(params);
        }
    });
    let picked: RwSignal<Option<Pick>> = RwSignal::new(None);
    let saved = use_saved_segments();
    let event_names: Vec<String> = data.store.meta.event_names();
    let properties: Arc<BTreeMap<String, Vec<String>>> =
        Arc::new(data.store.meta.event_properties());
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            let c = controls.get();
            let found = saved.list.with(|list| {
                run_in_segment(
                    &data,
                    &app,
                    c.filter.as_deref(),
                    list,
                    Analysis::Paths(c.spec()),
                )
            });
            match found {
                Ok(QueryResult::Paths(result)) => Ok(result),
                Ok(_) => Err("unexpected result".to_owned()),
                Err(e) => Err(e),
            }
        })
    };
    let set = move |f: &dyn Fn(&mut PathsSettings)| {
        controls.update(|c| f(c));
        picked.set(None);
    };

    let editor = move || {
        let t = app.t();
        let jt = journeys_texts(app.locale.get());
        let c = controls.get();
        let events: Vec<(String, String)> = event_names
            .iter()
            .map(|n| (n.clone(), event_label(t, n)))
            .collect();
        let hidden_boxes = event_names
            .iter()
            .map(|name| {
                let checked = c.hidden.contains(name);
                let key = name.clone();
                view! {
                    <label class="crm-check">
                        <input type="checkbox" prop:checked=checked on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let key = key.clone();
                            set(&move |c| {
                                c.hidden.retain(|h| *h != key);
                                if on {
                                    c.hidden.push(key.clone());
                                }
                            });
                        }/>
                        {event_label(t, name)}
                    </label>
                }
            })
            .collect_view();
        let anchor = c.anchor;
        let anchor_picker = (anchor != AnchorKind::None).then(|| {
            view! {
                <EventFilterPicker legend=jt.anchor_event.to_owned()
                    value=Signal::derive(move || controls.get().anchor_event)
                    on_change=Callback::new(move |f: EventFilter| set(&|c| c.anchor_event = f.clone()))
                    events=events.clone() properties=properties.clone()/>
            }
        });
        view! {
            <div class="crm-kpi-controls">
                <label class="crm-field">
                    <span>{jt.anchor}</span>
                    <select aria-label=jt.anchor on:change=move |ev| {
                        let kind = match event_target_value(&ev).as_str() {
                            "start" => AnchorKind::Start,
                            "end" => AnchorKind::End,
                            _ => AnchorKind::None,
                        };
                        set(&|c| c.anchor = kind);
                    }>
                        <option value="none" selected=anchor == AnchorKind::None>{jt.anchor_none}</option>
                        <option value="start" selected=anchor == AnchorKind::Start>{jt.anchor_start}</option>
                        <option value="end" selected=anchor == AnchorKind::End>{jt.anchor_end}</option>
                    </select>
                </label>
                <label class="crm-field">
                    <span>{jt.path_steps}</span>
                    <input type="number" min="2" max=MAX_PATH_STEPS.to_string() aria-label=jt.path_steps
                        prop:value=c.steps.to_string() on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                set(&|c| c.steps = n.clamp(2, MAX_PATH_STEPS));
                            }
                        }/>
                </label>
                <label class="crm-field">
                    <span>{jt.top_moves}</span>
                    <input type="number" min="1" max=MAX_TOP.to_string() aria-label=jt.top_moves
                        prop:value=c.top.to_string() on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                set(&|c| c.top = n.clamp(1, MAX_TOP));
                            }
                        }/>
                </label>
                <label class="crm-field">
                    <span>{jt.session_gap}</span>
                    <input type="number" min="1" max=MAX_GAP_MINUTES.to_string() aria-label=jt.session_gap
                        prop:value=c.gap_minutes.to_string() on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                                set(&|c| c.gap_minutes = n.clamp(1, MAX_GAP_MINUTES));
                            }
                        }/>
                </label>
                <SegmentFilterSelect value=Signal::derive(move || controls.get().filter)
                    on_change=Callback::new(move |id: Option<String>| set(&|c| c.filter = id.clone()))
                    saved=saved.names()/>
            </div>
            {anchor_picker}
            <fieldset class="crm-checks">
                <legend>{jt.hidden_events}</legend>
                {hidden_boxes}
            </fieldset>
        }
    };

    let chart = move || {
        let t = app.t();
        let jt = journeys_texts(app.locale.get());
        let result: PathsResult = match result.get() {
            Ok(r) => r,
            Err(message) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&message])}</p> }.into_any()
            }
        };
        if result.links.is_empty() {
            return view! { <p class="crm-notice">{jt.no_paths}</p> }.into_any();
        }
        let nodes: Vec<SankeyNode> = result
            .nodes
            .iter()
            .map(|n| SankeyNode {
                step: n.step,
                customers: n.customers,
            })
            .collect();
        let links: Vec<SankeyLink> = result
            .links
            .iter()
            .map(|l| SankeyLink {
                source: l.source,
                target: l.target,
                customers: l.customers,
            })
            .collect();
        let names: Vec<String> = result
            .nodes
            .iter()
            .map(|n| node_name(t, jt, &n.label))
            .collect();
        let labels: Vec<String> = result
            .nodes
            .iter()
            .zip(&names)
            .map(|(n, name)| format!("{name} {}", format::count(n.customers)))
            .collect();
        let columns = result.nodes.iter().map(|n| n.step + 1).max().unwrap_or(0);
        let steps: Vec<String> = (0..columns)
            .map(|i| fill(jt.step_n, &[&(i + 1).to_string()]))
            .collect();
        let raw: Vec<&str> = result.nodes.iter().map(|n| n.label.as_str()).collect();
        let svg = sankey_svg(
            &Sankey {
                title: jt.sankey_title,
                nodes: &nodes,
                links: &links,
                labels: &labels,
                steps: &steps,
            },
            &raw,
        );
        let placed = layout(&nodes, &links);
        let (svg, placed) = match (svg, placed) {
            (Ok(svg), Ok(placed)) => (svg, placed),
            (Err(e), _) | (_, Err(e)) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&e])}</p> }.into_any()
            }
        };
        let node_buttons = result
            .nodes
            .iter()
            .zip(&placed.nodes)
            .enumerate()
            .map(|(i, (node, rect))| {
                let label = fill(jt.node_button, &[&names[i], &(node.step + 1).to_string(), &format::count(node.customers)]);
                let pick = Pick { step: node.step, label: node.label.clone(), target: None };
                view! {
                    <button type="button" class="crm-sankey-hit" style=place(rect) aria-label=label.clone() title=label
                        on:click=move |_| picked.set(Some(pick.clone()))></button>
                }
            })
            .collect_view();
        let link_buttons = result
            .links
            .iter()
            .zip(&placed.links)
            .map(|(link, ribbon)| {
                let (s, g) = (&result.nodes[link.source], &result.nodes[link.target]);
                let label = fill(jt.link_button, &[&names[link.source], &names[link.target], &(s.step + 1).to_string(), &format::count(link.customers)]);
                let pick = Pick { step: s.step, label: s.label.clone(), target: Some(g.label.clone()) };
                view! {
                    <button type="button" class="crm-sankey-hit crm-sankey-link" style=place(&ribbon.middle()) aria-label=label.clone() title=label
                        on:click=move |_| picked.set(Some(pick.clone()))></button>
                }
            })
            .collect_view();
        let rows = result
            .links
            .iter()
            .map(|link| {
                let (s, g) = (&result.nodes[link.source], &result.nodes[link.target]);
                let pick = Pick { step: s.step, label: s.label.clone(), target: Some(g.label.clone()) };
                let hint = fill(jt.link_button, &[&names[link.source], &names[link.target], &(s.step + 1).to_string(), &format::count(link.customers)]);
                view! {
                    <tr>
                        <td class="crm-num">{format!("{} → {}", s.step + 1, g.step + 1)}</td>
                        <th scope="row">{names[link.source].clone()}</th>
                        <td>{names[link.target].clone()}</td>
                        <td class="crm-num">
                            <button type="button" class="crm-link-button" on:click=move |_| picked.set(Some(pick.clone()))>
                                {format::count(link.customers)}
                                <span class="crm-visually-hidden">{format!(", {hint}")}</span>
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let alt = fill(
            jt.sankey_alt,
            &[
                &format::count(result.nodes.len()),
                &format::count(result.links.len()),
            ],
        );
        view! {
            <p>{fill(jt.with_paths, &[&format::count(result.customers)])}</p>
            <figure class="crm-chart">
                <div class="crm-sankey">
                    <div inner_html=svg></div>
                    {link_buttons}
                    {node_buttons}
                </div>
                <figcaption class="crm-visually-hidden">{alt}</figcaption>
            </figure>
            <div class="crm-table-wrap crm-scroll-table">
                <table class="crm-table">
                    <caption>{jt.moves_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col" class="crm-num">{jt.col_step}</th>
                            <th scope="col">{jt.col_from}</th>
                            <th scope="col">{jt.col_to}</th>
                            <th scope="col" class="crm-num">{t.customers_col}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let panel = {
        let data = data.clone();
        move || {
            let pick = picked.get()?;
            let t = app.t();
            let jt = journeys_texts(app.locale.get());
            let c = controls.get_untracked();
            let spec = PathsCustomersSpec {
                paths: c.spec(),
                step: pick.step,
                label: pick.label.clone(),
                target: pick.target.clone(),
            };
            let found = saved.list.with_untracked(|list| {
                run_in_segment(
                    &data,
                    &app,
                    c.filter.as_deref(),
                    list,
                    Analysis::PathsCustomers(spec),
                )
            });
            let customers = match found {
                Ok(QueryResult::PathsCustomers(list)) => Ok(list.customers),
                Ok(_) => Err("unexpected result".to_owned()),
                Err(e) => Err(e),
            };
            let count = customers.as_ref().map(|c| c.len()).unwrap_or(0);
            let source = node_name(t, jt, &pick.label);
            let title = match &pick.target {
                Some(target) => fill(
                    jt.link_button,
                    &[
                        &source,
                        &node_name(t, jt, target),
                        &(pick.step + 1).to_string(),
                        &format::count(count),
                    ],
                ),
                None => fill(
                    jt.node_button,
                    &[&source, &(pick.step + 1).to_string(), &format::count(count)],
                ),
            };
            Some(view! {
                <CustomerListPanel data=data.clone() title customers file_name="crm-lens-path-customers.csv"
                    id="crm-path-customers-title" on_close=Callback::new(move |_| picked.set(None))/>
            })
        }
    };

    view! {
        <section class="crm-card crm-controls" aria-labelledby="crm-paths-title">
            <h2 id="crm-paths-title">{move || journeys_texts(app.locale.get()).paths_title}</h2>
            <p class="crm-intro">{move || journeys_texts(app.locale.get()).paths_intro}</p>
            <IgnoredParams names=ignored/>
            {editor}
            {chart}
            {panel}
        </section>
    }
}
