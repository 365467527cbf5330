//! Per step (in journey order) and per way out of it (next, event/timeout, yes/no, split paths,
//! control): unique customers and visits, and the messages of message steps.

use leptos::prelude::*;

use super::{count_button, Pick};
use crate::app::use_settings;
use crate::engine::backtest::{JourneyBacktest, Selection};
use crate::engine::journey::{Journey, Step};
use crate::i18n::journey_backtest_texts::journey_backtest_texts;
use crate::i18n::{fill, format};
use crate::state::backtest_labels::{outlet_name, step_name};

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
