//! One step of the flow as a card: its fields, its outlets and its findings.

use leptos::prelude::*;

use super::fields::{duration_fields, issues_list, outlet_row, Targets};
use super::rule_editor::rule_editor;
use super::{channel_label, control_id, kind_label, node_heading_id, Designer};
use crate::app::use_settings;
use crate::components::segment_builder::options;
use crate::components::EventFilterPicker;
use crate::engine::filter::EventFilter;
use crate::engine::journey::{Channel, Step};
use crate::engine::segment_rule::Span;
use crate::i18n::fill;
use crate::i18n::journey_designer_texts::{journey_designer_texts, JourneyDesignerTexts};
use crate::state::journey_edit;

/// What a card needs to know about its place in the flow.
pub struct Place {
    pub number: usize,
    pub reachable: bool,
    pub is_start: bool,
    /// The heading to focus when this card is deleted.
    pub focus_after_delete: String,
}

fn delay_span(s: &Step) -> Option<Span> {
    match s {
        Step::Delay { duration, .. } => Some(*duration),
        _ => None,
    }
}

fn set_delay_span(s: &mut Step, span: Span) {
    if let Step::Delay { duration, .. } = s {
        *duration = span;
    }
}

fn wait_span(s: &Step) -> Option<Span> {
    match s {
        Step::Wait { timeout, .. } => Some(*timeout),
        _ => None,
    }
}

fn set_wait_span(s: &mut Step, span: Span) {
    if let Step::Wait { timeout, .. } = s {
        *timeout = span;
    }
}

fn outlet_label(tx: &JourneyDesignerTexts, step: &Step, outlet: usize, raw: &str) -> String {
    match step {
        Step::Wait { .. } if outlet == 0 => tx.o_event.to_owned(),
        Step::Wait { .. } => tx.o_timeout.to_owned(),
        Step::Branch { .. } if outlet == 0 => tx.o_yes.to_owned(),
        Step::Branch { .. } => tx.o_no.to_owned(),
        Step::Split { .. } => fill(tx.o_path, &[raw]),
        _ => tx.o_next.to_owned(),
    }
}

/// The card of node `id`.
pub fn node_card(
    d: Designer,
    id: String,
    step: Step,
    place: Place,
    targets: Targets,
    tx: &'static JourneyDesignerTexts,
) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let kind = step.kind();
    let step_name = format!(
        "{} · {}",
        fill(tx.step_n, &[&place.number.to_string()]),
        kind_label(tx, kind)
    );
    let heading = node_heading_id(&id);
    let at = |field: &str| format!("{field} · {step_name}");

    let body = match &step {
        Step::Delay { .. } => duration_fields(
            d,
            id.clone(),
            "duration",
            (tx.duration, at(tx.duration)),
            tx,
            delay_span,
            set_delay_span,
        )
        .into_any(),
        Step::Wait { .. } => {
            let (n1, n2) = (id.clone(), id.clone());
            let value = Signal::derive(move || {
                d.journey.with(|j| match j.node(&n1).map(|n| &n.step) {
                    Some(Step::Wait { event, .. }) => event.clone(),
                    _ => EventFilter::of("purchase"),
                })
            });
            let on_change = Callback::new(move |f: EventFilter| {
                d.edit_step(&n2, |s| {
                    if let Step::Wait { event, .. } = s {
                        *event = f;
                    }
                })
            });
            view! {
                <EventFilterPicker legend=at(tx.wait_event) value on_change
                    events=d.event_options(t) properties=d.properties.get_value()/>
                {duration_fields(d, id.clone(), "timeout", (tx.timeout, at(tx.timeout)), tx, wait_span, set_wait_span)}
            }
            .into_any()
        }
        Step::Branch { .. } => {
            rule_editor(d, id.clone(), (tx.condition, at(tx.condition))).into_any()
        }
        Step::Split {
            paths,
            control_percent,
        } => {
            let count = paths.len();
            let rows = paths
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let (n1, n2, n3) = (id.clone(), id.clone(), id.clone());
                    let path_name = format!("{} {} · {step_name}", tx.split_path, i + 1);
                    let on_label = move |ev| {
                        let v = event_target_value(&ev);
                        d.edit_step(&n1, |s| {
                            if let Step::Split { paths, .. } = s {
                                if let Some(p) = paths.get_mut(i) {
                                    p.label = v;
                                }
                            }
                        });
                    };
                    let on_percent = move |ev| {
                        if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                            d.edit_step(&n2, |s| {
                                if let Step::Split { paths, .. } = s {
                                    if let Some(p) = paths.get_mut(i) {
                                        p.percent = v;
                                    }
                                }
                            });
                        }
                    };
                    let remove_focus = control_id(&id, "add-path");
                    let on_remove = move |_| {
                        d.focus.move_to(remove_focus.clone());
                        d.edit(|j| journey_edit::remove_path(j, &n3, i));
                    };
                    let outlet = outlet_row(
                        d,
                        id.clone(),
                        i,
                        fill(tx.o_path, &[&p.label]),
                        step_name.clone(),
                        p.next.clone(),
                        targets.clone(),
                        tx,
                    );
                    view! {
                        <div class="jd-path" role="group" aria-label=path_name.clone()>
                            <div class="jd-inline">
                                <label class="jd-field">{tx.path_label}
                                    <input type="text" size="6" id=control_id(&id, &format!("p{i}-label"))
                                        aria-label=format!("{}: {path_name}", tx.path_label)
                                        prop:value=p.label.clone() on:input=on_label/>
                                </label>
                                <label class="jd-field">{tx.percent}
                                    <input type="number" min="0" max="100" step="any" id=control_id(&id, &format!("p{i}-percent"))
                                        aria-label=format!("{}: {path_name}", tx.percent)
                                        prop:value=p.percent.to_string() on:input=on_percent/>
                                </label>
                                {(count > 1).then(|| view! {
                                    <button type="button" class="crm-icon-button" aria-label=fill(tx.remove_path, &[&format!("{} · {step_name}", i + 1)])
                                        on:click=on_remove>"×"</button>
                                })}
                            </div>
                            {outlet}
                        </div>
                    }
                })
                .collect_view();
            let (n1, n2) = (id.clone(), id.clone());
            let add_id = control_id(&id, "add-path");
            let focus_new = control_id(&id, &format!("p{count}-label"));
            let on_control = move |ev| {
                if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                    d.edit_step(&n1, |s| {
                        if let Step::Split {
                            control_percent, ..
                        } = s
                        {
                            *control_percent = v;
                        }
                    });
                }
            };
            view! {
                {rows}
                <div class="jd-inline jd-control">
                    <label class="jd-field">{tx.control_percent}
                        <input type="number" min="0" max="100" step="any" id=control_id(&id, "control")
                            aria-label=at(tx.control_percent) prop:value=control_percent.to_string() on:input=on_control/>
                    </label>
                    <button type="button" class="crm-secondary" id=add_id aria-label=at(tx.add_path)
                        on:click=move |_| { d.focus.move_to(focus_new.clone()); d.edit(|j| journey_edit::add_path(j, &n2)); }>
                        "+ "{tx.add_path}
                    </button>
                </div>
                <p class="crm-muted">{tx.control_note}</p>
            }
            .into_any()
        }
        Step::Message {
            channel,
            name,
            content,
            advertising,
            ..
        } => {
            let (n1, n2, n3, n4, n5) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
            let chosen = *channel;
            let on_channel = move |ev| {
                let v = event_target_value(&ev);
                if let Some(c) = Channel::ALL.into_iter().find(|c| c.name() == v) {
                    d.edit_step(&n1, |s| {
                        if let Step::Message { channel, .. } = s {
                            *channel = c;
                        }
                    });
                }
            };
            let on_name = move |ev| {
                let v = event_target_value(&ev);
                d.edit_step(&n2, |s| {
                    if let Step::Message { name, .. } = s {
                        *name = v;
                    }
                });
            };
            let on_content = move |ev| {
                let v = event_target_value(&ev);
                d.edit_step(&n3, |s| {
                    if let Step::Message { content, .. } = s {
                        *content = v;
                    }
                });
            };
            let on_ad = move |ev| {
                let v = event_target_checked(&ev);
                d.edit_step(&n4, |s| {
                    if let Step::Message { advertising, .. } = s {
                        *advertising = v;
                    }
                });
            };
            let preview_for = fill(tx.preview_for, &[&d.preview_customer.get_value()]);
            let preview = move || {
                let tx = journey_designer_texts(app.locale.get());
                d.checks.with(|c| {
                    let Some(Ok(v)) = c else {
                        return None;
                    };
                    let p = v.previews.iter().find(|p| p.node == n5)?;
                    let p = &p.preview;
                    let notes = [
                        (!p.unknown.is_empty()).then(|| (true, fill(tx.preview_unknown, &[&p.unknown.join(", ")]))),
                        (!p.missing.is_empty()).then(|| (false, fill(tx.preview_missing, &[&p.missing.join(", ")]))),
                        p.malformed.then(|| (true, tx.preview_malformed.to_owned())),
                    ]
                    .into_iter()
                    .flatten()
                    .map(|(bad, text)| view! { <p class:jd-error=bad class:jd-warning=!bad>{text}</p> })
                    .collect_view();
                    Some(view! {
                        <p class="jd-bubble" data-testid="message-preview">{p.text.clone()}</p>
                        {notes}
                    })
                })
            };
            view! {
                <div class="jd-inline">
                    <label class="jd-field">{tx.channel}
                        <select id=control_id(&id, "channel") aria-label=at(tx.channel) on:change=on_channel>
                            {options(Channel::ALL.into_iter().map(|c| (c.name().to_owned(), channel_label(tx, c).to_owned())).collect(), chosen.name())}
                        </select>
                    </label>
                    <label class="jd-field jd-grow">{tx.message_name}
                        <input type="text" id=control_id(&id, "name") aria-label=at(tx.message_name)
                            prop:value=name.clone() on:input=on_name/>
                    </label>
                </div>
                <label class="jd-field">{tx.content}
                    <textarea id=control_id(&id, "content") rows="3" aria-label=at(tx.content)
                        aria-describedby=control_id(&id, "content-hint")
                        prop:value=content.clone() on:input=on_content></textarea>
                </label>
                <p class="crm-muted jd-hint" id=control_id(&id, "content-hint")>{tx.content_hint}</p>
                <label class="jd-check">
                    <input type="checkbox" id=control_id(&id, "advertising") aria-label=at(tx.advertising)
                        prop:checked=*advertising on:change=on_ad/>
                    {tx.advertising}
                </label>
                <div class="jd-preview" role="group" aria-label=preview_for.clone()>
                    <p class="jd-preview-title">{preview_for.clone()}</p>
                    {preview}
                </div>
            }
            .into_any()
        }
        Step::Exit => view! { <p class="crm-muted">{tx.exit_node_note}</p> }.into_any(),
    };

    let outlets = match &step {
        Step::Split { .. } | Step::Exit => Vec::new(),
        _ => step
            .outlets()
            .into_iter()
            .enumerate()
            .map(|(i, (raw, target))| {
                outlet_row(
                    d,
                    id.clone(),
                    i,
                    outlet_label(tx, &step, i, raw),
                    step_name.clone(),
                    target.map(str::to_owned),
                    targets.clone(),
                    tx,
                )
            })
            .collect::<Vec<_>>(),
    };

    let (n1, n2) = (id.clone(), id.clone());
    let after_delete = place.focus_after_delete.clone();
    let start_id = control_id(&id, "start");
    let start_focus = heading.clone();
    let on_start = move |_| {
        d.focus.move_to(start_focus.clone());
        d.edit(|j| journey_edit::set_start(j, &n1));
    };
    let on_delete = move |_| {
        d.focus.move_to(after_delete.clone());
        if d.open_rule.get_untracked().as_deref() == Some(n2.as_str()) {
            d.open_rule.set(None);
        }
        d.edit(|j| journey_edit::delete(j, &n2));
    };
    let tx_fn = move || journey_designer_texts(app.locale.get());
    view! {
        <section class=format!("jd-node jd-kind-{kind}") class:jd-unreachable=!place.reachable
            aria-labelledby=heading data-node=id.clone()>
            <header class="jd-node-head">
                <h3 id=heading.clone() tabindex="-1">
                    <span class="jd-step-no">{place.number}</span>
                    {step_name.clone()}
                </h3>
                {place.is_start.then(|| view! { <span class="jd-badge jd-badge-start">{tx.start_badge}</span> })}
                {(!place.reachable).then(|| view! { <span class="jd-badge jd-badge-warn">{tx.unreachable_badge}</span> })}
                <span class="jd-node-actions">
                    {(!place.is_start).then(|| view! {
                        <button type="button" class="crm-link-button" id=start_id aria-label=at(tx.set_start) on:click=on_start>{tx.set_start}</button>
                    })}
                    <button type="button" class="crm-link-button jd-delete" id=control_id(&id, "delete") aria-label=at(tx.delete_step)
                        on:click=on_delete>{tx.delete_step}</button>
                </span>
            </header>
            <div class="jd-node-body">{body}</div>
            {(!outlets.is_empty()).then(|| view! { <div class="jd-outlets">{outlets}</div> })}
            {issues_list(d, Some(id.clone()), "", tx_fn)}
        </section>
    }
}
