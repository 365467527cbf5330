//! Relationship stages: each stage an editable segment rule (first match from the top wins), and
//! how many customers moved from each stage to each other between two dates; every count opens
//! its customers.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::app::{use_settings, AppSettings};
use crate::components::customer_list_panel::CustomerListPanel;
use crate::components::ignored_params::IgnoredParams;
use crate::components::url_params::use_url_params_writer;
use crate::engine::filter::{EventFilter, ANY_ACTIVITY};
use crate::engine::query::{
    Analysis, QueryResult, RelationshipCustomersSpec, RelationshipTransitionsSpec,
};
use crate::engine::relationship::{
    RelationshipSpec, RelationshipTransitions, StageDef, MAX_STAGES,
};
use crate::engine::segment_rule::{CompareOp, Comparison, Rule, Window};
use crate::i18n::journeys_texts::{journeys_texts, stage_name};
use crate::i18n::{event_label, fill, format};
use crate::state::relationship_view::{self, RelationshipSettings};
use crate::sync::{dataset::run_query, Dataset};

/// A count whose customers are listed: the stage at "from" and the stage at "to".
#[derive(Debug, Clone, PartialEq)]
struct Pick {
    from: String,
    to: String,
}

/// The simple shape the form edits: "performed `event` at least `n` times in the last `d` days".
fn simple(rule: &Rule) -> Option<(String, u32, u32)> {
    match rule {
        Rule::Performed {
            event,
            count:
                Comparison {
                    op: CompareOp::Gte,
                    value,
                },
            window: Window::LastDays(days),
        } if event.conditions.is_empty() && value.fract() == 0.0 && *value >= 0.0 => {
            Some((event.event.clone(), *value as u32, *days))
        }
        _ => None,
    }
}

fn simple_rule(event: &str, at_least: u32, days: u32) -> Rule {
    Rule::Performed {
        event: EventFilter::of(event),
        count: Comparison {
            op: CompareOp::Gte,
            value: f64::from(at_least),
        },
        window: Window::LastDays(days.max(1)),
    }
}

fn date_of(app: &AppSettings, unix: i64) -> String {
    app.zone
        .get_untracked()
        .datetime(unix)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

#[component]
pub fn RelationshipView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    // Settings come from the URL at mount and are written back to it on every change (the
    // default dates are not written, so a link keeps meaning "the last 90 days").
    let (initial, ignored) = {
        let params = use_query_map().get_untracked();
        RelationshipSettings::from_params(|key| params.get(key))
    };
    let now = data.now();
    let default_to = date_of(&app, now);
    let default_from = date_of(&app, now - 90 * 86_400);
    let spec = RwSignal::new(initial.spec);
    let to_date = RwSignal::new(initial.to.unwrap_or_else(|| default_to.clone()));
    let from_date = RwSignal::new(initial.from.unwrap_or_else(|| default_from.clone()));
    let write_url = use_url_params_writer("/journeys", &relationship_view::PARAMS);
    Effect::new(move |first: Option<()>| {
        let settings = RelationshipSettings {
            spec: spec.get(),
            from: Some(from_date.get()).filter(|d| *d != default_from),
            to: Some(to_date.get()).filter(|d| *d != default_to),
        };
        if first.is_some() {
            write_url.run(settings.to_params());
        }
    });
    let picked: RwSignal<Option<Pick>> = RwSignal::new(None);
    // A rule being typed as JSON, per stage, and its parse error.
    let json_error: RwSignal<Option<(usize, String)>> = RwSignal::new(None);
    let event_names: Vec<String> = data.store.meta.event_names();
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            let analysis = Analysis::RelationshipTransitions(RelationshipTransitionsSpec {
                relationship: spec.get(),
                from: from_date.get(),
                to: Some(to_date.get()),
            });
            match run_query(&data, &app, None, analysis) {
                Ok(QueryResult::RelationshipTransitions(r)) => Ok(r),
                Ok(_) => Err("unexpected result".to_owned()),
                Err(e) => Err(e.to_string()),
            }
        })
    };
    let edit = move |f: &dyn Fn(&mut Vec<StageDef>)| {
        spec.update(|s| f(&mut s.stages));
        picked.set(None);
    };

    let stages_editor = move || {
        let t = app.t();
        let jt = journeys_texts(app.locale.get());
        let stages = spec.get().stages;
        let count = stages.len();
        let events: Vec<(String, String)> = std::iter::once(ANY_ACTIVITY.to_owned())
            .chain(event_names.iter().cloned())
            .map(|n| {
                let label = event_label(t, &n);
                (n, label)
            })
            .collect();
        let items = stages
            .iter()
            .enumerate()
            .map(|(i, stage)| {
                let shown = stage_name(jt, &stage.name);
                let form = match simple(&stage.rule) {
                    Some((event, at_least, days)) => {
                        let options = events
                            .iter()
                            .map(|(v, l)| view! { <option value=v.clone() selected=*v == event>{l.clone()}</option> })
                            .collect_view();
                        let (e1, e2) = (event.clone(), event.clone());
                        view! {
                            <label class="crm-field">
                                <span>{jt.rule_event}</span>
                                <select aria-label=format!("{} — {}", shown, jt.rule_event) on:change=move |ev| {
                                    let e = event_target_value(&ev);
                                    edit(&|s| if let Some(x) = s.get_mut(i) { x.rule = simple_rule(&e, at_least, days); });
                                }>{options}</select>
                            </label>
                            <label class="crm-field">
                                <span>{jt.rule_at_least}</span>
                                <input type="number" min="0" max="100000" aria-label=format!("{} — {}", shown, jt.rule_at_least)
                                    prop:value=at_least.to_string() on:change=move |ev| {
                                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                                            edit(&|s| if let Some(x) = s.get_mut(i) { x.rule = simple_rule(&e1, n, days); });
                                        }
                                    }/>
                            </label>
                            <label class="crm-field">
                                <span>{jt.rule_days}</span>
                                <input type="number" min="1" max="3650" aria-label=format!("{} — {}", shown, jt.rule_days)
                                    prop:value=days.to_string() on:change=move |ev| {
                                        if let Ok(d) = event_target_value(&ev).parse::<u32>() {
                                            edit(&|s| if let Some(x) = s.get_mut(i) { x.rule = simple_rule(&e2, at_least, d.clamp(1, 3650)); });
                                        }
                                    }/>
                            </label>
                        }
                        .into_any()
                    }
                    None => view! { <p class="crm-field">{jt.rule_custom}</p> }.into_any(),
                };
                let json = serde_json::to_string_pretty(&stage.rule).unwrap_or_default();
                let typed = RwSignal::new(json.clone());
                let error = move || {
                    json_error
                        .get()
                        .filter(|(at, _)| *at == i)
                        .map(|(_, m)| view! { <p role="alert" class="crm-notice crm-notice-error">{fill(jt.rule_invalid, &[&m])}</p> })
                };
                let name_label = fill(jt.stage_name, &[&(i + 1).to_string()]);
                view! {
                    <li class="crm-stage">
                        <div class="crm-kpi-controls">
                            <label class="crm-field">
                                <span>{name_label.clone()}</span>
                                <input type="text" aria-label=name_label prop:value=shown.clone() on:change=move |ev| {
                                    let name = event_target_value(&ev).trim().to_owned();
                                    edit(&|s| if let Some(x) = s.get_mut(i) { x.name = name.clone(); });
                                }/>
                            </label>
                            {form}
                            <button type="button" class="crm-icon-button" aria-label=fill(jt.move_up, &[&shown]) disabled=i == 0
                                on:click=move |_| edit(&|s| s.swap(i, i.saturating_sub(1)))>"↑"</button>
                            <button type="button" class="crm-icon-button" aria-label=fill(jt.move_down, &[&shown]) disabled=i + 1 == count
                                on:click=move |_| edit(&|s| if i + 1 < s.len() { s.swap(i, i + 1) })>"↓"</button>
                            <button type="button" class="crm-icon-button" aria-label=fill(jt.remove_stage, &[&shown]) disabled=count == 1
                                on:click=move |_| edit(&|s| if s.len() > 1 && i < s.len() { s.remove(i); })>"×"</button>
                        </div>
                        <details>
                            <summary>{jt.rule_json_summary}</summary>
                            <label>
                                <span class="crm-visually-hidden">{fill(jt.rule_json, &[&shown])}</span>
                                <textarea rows="6" cols="60" class="crm-json" aria-label=fill(jt.rule_json, &[&shown])
                                    prop:value=json on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
                            </label>
                            <button type="button" class="crm-button" on:click=move |_| {
                                match serde_json::from_str::<Rule>(&typed.get_untracked()) {
                                    Ok(rule) => {
                                        json_error.set(None);
                                        edit(&|s| if let Some(x) = s.get_mut(i) { x.rule = rule.clone(); });
                                    }
                                    Err(e) => json_error.set(Some((i, e.to_string()))),
                                }
                            }>{jt.rule_apply}</button>
                            {error}
                        </details>
                    </li>
                }
            })
            .collect_view();
        view! {
            <fieldset class="crm-stages">
                <legend>{jt.stages_legend}</legend>
                <ol class="crm-stage-list">{items}</ol>
                <div class="crm-kpi-controls">
                    {(count < MAX_STAGES).then(|| view! {
                        <button type="button" class="crm-button" on:click=move |_| {
                            let name = journeys_texts(app.locale.get_untracked()).new_stage;
                            edit(&|s| {
                                let mut n = s.len() + 1;
                                while s.iter().any(|x| x.name == format!("{name} {n}")) { n += 1; }
                                s.push(StageDef { name: format!("{name} {n}"), rule: simple_rule("purchase", 1, 365) });
                            });
                        }>{jt.add_stage}</button>
                    })}
                    <button type="button" class="crm-button" on:click=move |_| {
                        json_error.set(None);
                        edit(&|s| *s = RelationshipSpec::default().stages);
                    }>{jt.reset_stages}</button>
                </div>
            </fieldset>
        }
    };

    let dates = move || {
        let jt = journeys_texts(app.locale.get());
        view! {
            <div class="crm-kpi-controls">
                <label class="crm-field">
                    <span>{jt.from_date}</span>
                    <input type="date" aria-label=jt.from_date prop:value=from_date.get() on:change=move |ev| {
                        from_date.set(event_target_value(&ev));
                        picked.set(None);
                    }/>
                </label>
                <label class="crm-field">
                    <span>{jt.to_date}</span>
                    <input type="date" aria-label=jt.to_date prop:value=to_date.get() on:change=move |ev| {
                        to_date.set(event_target_value(&ev));
                        picked.set(None);
                    }/>
                </label>
            </div>
        }
    };

    let table = move || {
        let jt = journeys_texts(app.locale.get());
        let moves: RelationshipTransitions = match result.get() {
            Ok(r) => r,
            Err(message) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(jt.rule_error, &[&message])}</p> }.into_any()
            }
        };
        let (from, to) = (from_date.get(), to_date.get());
        let names: Vec<String> = moves.labels.iter().map(|l| stage_name(jt, l)).collect();
        // Columns: every label but "not yet" (nobody is "not yet" at the later date).
        let columns = moves.labels.len() - 1;
        let head = (0..columns)
            .map(|j| view! { <th scope="col" class="crm-num">{names[j].clone()}</th> })
            .collect_view();
        let rows = moves
            .counts
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let cells = row[..columns]
                    .iter()
                    .enumerate()
                    .map(|(j, &n)| {
                        if n == 0 {
                            return view! { <td class="crm-num">{format::count(0)}</td> }.into_any();
                        }
                        let pick = Pick { from: moves.labels[i].clone(), to: moves.labels[j].clone() };
                        let hint = fill(jt.transition_button, &[&names[i], &names[j], &format::count(n)]);
                        let class = if i == j { "crm-num crm-same-stage" } else { "crm-num" };
                        view! {
                            <td class=class>
                                <button type="button" class="crm-link-button" on:click=move |_| picked.set(Some(pick.clone()))>
                                    {format::count(n)}
                                    <span class="crm-visually-hidden">{format!(", {hint}")}</span>
                                </button>
                            </td>
                        }
                        .into_any()
                    })
                    .collect_view();
                let total: usize = row.iter().sum();
                view! {
                    <tr>
                        <th scope="row">{names[i].clone()}</th>
                        {cells}
                        <td class="crm-num">{format::count(total)}</td>
                    </tr>
                }
            })
            .collect_view();
        let column_totals = (0..columns)
            .map(|j| view! { <td class="crm-num">{format::count(moves.counts.iter().map(|r| r[j]).sum::<usize>())}</td> })
            .collect_view();
        let all: usize = moves.counts.iter().flatten().sum();
        view! {
            <div class="crm-table-wrap">
                <table class="crm-table crm-transitions">
                    <caption>{fill(jt.transitions_caption, &[&from, &to])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{fill(jt.corner, &[&from, &to])}</th>
                            {head}
                            <th scope="col" class="crm-num">{jt.total}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row">{jt.total}</th>
                            {column_totals}
                            <td class="crm-num">{format::count(all)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        }
        .into_any()
    };

    let panel = {
        let data = data.clone();
        move || {
            let pick = picked.get()?;
            let jt = journeys_texts(app.locale.get());
            let analysis = Analysis::RelationshipCustomers(RelationshipCustomersSpec {
                relationship: spec.get_untracked(),
                stage: pick.to.clone(),
                to: Some(to_date.get_untracked()),
                from: Some(from_date.get_untracked()),
                from_stage: Some(pick.from.clone()),
            });
            let customers = match run_query(&data, &app, None, analysis) {
                Ok(QueryResult::RelationshipCustomers(list)) => Ok(list.customers),
                Ok(_) => Err("unexpected result".to_owned()),
                Err(e) => Err(e.to_string()),
            };
            let count = customers.as_ref().map(|c| c.len()).unwrap_or(0);
            let title = fill(
                jt.moved_title,
                &[
                    &stage_name(jt, &pick.from),
                    &from_date.get_untracked(),
                    &stage_name(jt, &pick.to),
                    &to_date.get_untracked(),
                    &format::count(count),
                ],
            );
            Some(view! {
                <CustomerListPanel data=data.clone() title customers file_name="crm-lens-relationship-customers.csv"
                    id="crm-relationship-customers-title" on_close=Callback::new(move |_| picked.set(None))/>
            })
        }
    };

    view! {
        <section class="crm-card crm-controls" aria-labelledby="crm-relationship-title">
            <h2 id="crm-relationship-title">{move || journeys_texts(app.locale.get()).rel_title}</h2>
            <p class="crm-intro">{move || journeys_texts(app.locale.get()).rel_intro}</p>
            <IgnoredParams names=ignored/>
            {stages_editor}
            {dates}
            {table}
            {panel}
        </section>
    }
}
