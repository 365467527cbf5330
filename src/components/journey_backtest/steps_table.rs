//! Per step (in journey order) and per way out of it (next, event/timeout, yes/no, split paths,
//! control): unique customers and visits, and the messages of message steps.

use leptos::prelude::*;

use super::{count_button, Pick};
use crate::app::use_settings;
use crate::engine::backtest::{JourneyBacktest, Selection};
use crate::engine::journey::{Journey, Step, CONTROL_OUTLET};
use crate::i18n::journey_backtest_texts::{journey_backtest_texts, JourneyBacktestTexts};
use crate::i18n::{event_label, fill, format, Texts};

/// A readable duration: whole days, else whole hours, else minutes.
fn span_text(t: &Texts, seconds: i64) -> String {
    if seconds > 0 && seconds % 86_400 == 0 {
        fill(t.dur_days, &[&format::integer(seconds / 86_400)])
    } else if seconds > 0 && seconds % 3_600 == 0 {
        fill(t.dur_hours, &[&format::integer(seconds / 3_600)])
    } else {
        fill(t.dur_minutes, &[&format::integer(seconds / 60)])
    }
}

/// What a step is, for a marketer: "Message · Kakao · Welcome coupon", "Delay · 2 days".
pub fn step_name(t: &Texts, bt: &JourneyBacktestTexts, journey: &Journey, id: &str) -> String {
    let Some(node) = journey.node(id) else {
        return id.to_owned();
    };
    match &node.step {
        Step::Message { channel, name, .. } => {
            let channel = super::channel_name(bt, *channel);
            if name.trim().is_empty() {
                format!("{} · {channel}", bt.kind_message)
            } else {
                format!("{} · {channel} · {}", bt.kind_message, name.trim())
            }
        }
        Step::Delay { duration, .. } => {
            format!("{} · {}", bt.kind_delay, span_text(t, duration.seconds()))
        }
        Step::Wait { event, timeout, .. } => format!(
            "{} · {} ≤ {}",
            bt.kind_wait,
            event_label(t, &event.event),
            span_text(t, timeout.seconds())
        ),
        Step::Branch { .. } => bt.kind_branch.to_owned(),
        Step::Split { .. } => bt.kind_split.to_owned(),
        Step::Exit => bt.kind_exit.to_owned(),
    }
}

/// An outlet's name: "then", "yes", "path A", "control group" …
pub fn outlet_name(bt: &JourneyBacktestTexts, outlet: &str, from_split: bool) -> String {
    match outlet {
        CONTROL_OUTLET if from_split => bt.out_control.to_owned(),
        "next" if !from_split => bt.out_next.to_owned(),
        "event" if !from_split => bt.out_event.to_owned(),
        "timeout" if !from_split => bt.out_timeout.to_owned(),
        "yes" if !from_split => bt.out_yes.to_owned(),
        "no" if !from_split => bt.out_no.to_owned(),
        label => fill(bt.out_path, &[label]),
    }
}

#[component]
pub fn BacktestStepsTable(
    result: JourneyBacktest,
    journey: Journey,
    on_pick: Callback<Pick>,
) -> impl IntoView {
    let app = use_settings();
    move || {
        let t = app.t();
        let bt = journey_backtest_texts(app.locale.get());
        let rows = result
            .nodes
            .iter()
            .map(|node| {
                let name = step_name(t, bt, &journey, &node.id);
                let from_split = matches!(
                    journey.node(&node.id).map(|n| &n.step),
                    Some(Step::Split { .. })
                );
                let messages = node.messages.as_ref().map(|m| {
                    fill(bt.messages_cell, &[&format::count(m.sent), &format::count(m.attempted)])
                });
                let pick = Pick {
                    select: Selection::Node { node: node.id.clone() },
                    label: fill(bt.pick_at_step, &[&name]),
                };
                let edges = result
                    .edges
                    .iter()
                    .filter(|e| e.from == node.id)
                    .map(|edge| {
                        let to = match &edge.to {
                            Some(to) => step_name(t, bt, &journey, to),
                            None => bt.to_end.to_owned(),
                        };
                        let label = fill(
                            bt.edge_label,
                            &[&outlet_name(bt, &edge.outlet, from_split), &to],
                        );
                        let pick = Pick {
                            select: Selection::Edge {
                                node: edge.from.clone(),
                                outlet: edge.outlet.clone(),
                            },
                            label: format!("{name}: {label}"),
                        };
                        view! {
                            <tr class="crm-bt-edge">
                                <th scope="row"><span aria-hidden="true">"↳ "</span>{label}</th>
                                <td class="crm-num">{count_button(bt, format::count(edge.customers), edge.customers, pick, on_pick)}</td>
                                <td class="crm-num">{format::count(edge.times)}</td>
                                <td></td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <tr class="crm-bt-node">
                        <th scope="row">{name}" "<span class="crm-muted">{format!("({})", node.id)}</span></th>
                        <td class="crm-num">{count_button(bt, format::count(node.customers), node.customers, pick, on_pick)}</td>
                        <td class="crm-num">{format::count(node.visits)}</td>
                        <td class="crm-num">{messages}</td>
                    </tr>
                    {edges}
                }
            })
            .collect_view();
        view! {
            <h3>{bt.steps_title}</h3>
            <div class="crm-table-wrap">
                <table class="crm-table crm-bt-steps">
                    <caption>{bt.steps_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{bt.col_step}</th>
                            <th scope="col" class="crm-num">{bt.col_customers}</th>
                            <th scope="col" class="crm-num">{bt.col_visits}</th>
                            <th scope="col" class="crm-num">{bt.col_messages}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    }
}
