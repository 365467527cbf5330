//! The flow: the entry, then one card per step in graph order from the start (steps no path
//! reaches come last, flagged).

use std::sync::Arc;

use leptos::prelude::*;

use super::node_card::{node_card, Place};
use super::{kind_items, kind_label, node_heading_id, Designer};
use crate::app::use_settings;
use crate::components::segment_builder::options;
use crate::engine::journey::{Entry, Journey, Step};
use crate::i18n::journey_designer_texts::{journey_designer_texts, JourneyDesignerTexts};
use crate::i18n::{event_label, fill};
use crate::state::journey_edit::{self, display_order};

/// What the canvas is built from: steps, their kinds and links (not their texts).
#[derive(Debug, Clone, PartialEq)]
struct Shape {
    revision: u64,
    start: String,
    nodes: Vec<(String, &'static str, Vec<Option<String>>)>,
}

fn shape_of(revision: u64, j: &Journey) -> Shape {
    Shape {
        revision,
        start: j.start.clone(),
        nodes: j
            .nodes
            .iter()
            .map(|n| {
                (
                    n.id.clone(),
                    n.step.kind(),
                    n.step
                        .outlets()
                        .into_iter()
                        .map(|(_, t)| t.map(str::to_owned))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// The label of a step in "Leads to" lists: `Step 3 · Message “Welcome coupon”`.
fn target_label(tx: &JourneyDesignerTexts, number: usize, step: &Step) -> String {
    let base = format!(
        "{} · {}",
        fill(tx.step_n, &[&number.to_string()]),
        kind_label(tx, step.kind())
    );
    match step {
        Step::Message { name, .. } if !name.is_empty() => format!("{base} “{name}”"),
        _ => base,
    }
}

/// "Add step" before the first one (or as the first one).
fn add_first(d: Designer, tx: &'static JourneyDesignerTexts, empty: bool) -> impl IntoView {
    let kind = RwSignal::new("message".to_owned());
    let label = if empty {
        tx.add_first
    } else {
        tx.add_before_first
    };
    let on_add = move |_| {
        let k = kind.get_untracked();
        let mut added = None;
        d.edit(|j| added = journey_edit::add_after(j, None, &k));
        if let Some(id) = added {
            d.focus.move_to(node_heading_id(&id));
        }
    };
    view! {
        <div class="jd-outlet jd-add-first">
            <select id="jd-add-first-kind" aria-label=format!("{}: {label}", tx.kind_to_add)
                on:change=move |ev| kind.set(event_target_value(&ev))>
                {options(kind_items(tx), "message")}
            </select>
            <button type="button" class="crm-secondary" id="jd-add-first" on:click=on_add>"+ "{label}</button>
        </div>
    }
}

#[component]
pub fn FlowCanvas(d: Designer) -> impl IntoView {
    let app = use_settings();
    let shape = Memo::new(move |_| {
        let revision = d.revision.get();
        d.journey.with(|j| shape_of(revision, j))
    });
    let entry_text = move || {
        let locale = app.locale.get();
        let (t, tx) = (locale.texts(), journey_designer_texts(locale));
        let what = d.journey.with(|j| match &j.entry {
            Entry::Event { event } => {
                format!("{} · {}", tx.entry_event, event_label(t, &event.event))
            }
            Entry::Segment { .. } => tx.entry_segment.to_owned(),
            Entry::Date {
                attribute,
                offset_days,
                ..
            } => format!("{} · {attribute} {offset_days:+}", tx.entry_date),
        });
        format!("{}: {what}", tx.entry_pill)
    };
    let cards = move || {
        shape.with(|_| ());
        let tx = journey_designer_texts(app.locale.get());
        let j = d.journey.get_untracked();
        let order = display_order(&j);
        let numbers: Vec<(String, usize)> = order
            .iter()
            .enumerate()
            .map(|(n, (ix, _))| (j.nodes[*ix].id.clone(), n + 1))
            .collect();
        let targets: Arc<Vec<(String, String)>> = Arc::new(
            order
                .iter()
                .enumerate()
                .map(|(n, (ix, _))| {
                    let node = &j.nodes[*ix];
                    (node.id.clone(), target_label(tx, n + 1, &node.step))
                })
                .collect(),
        );
        let list = order
            .iter()
            .enumerate()
            .map(|(n, (ix, reachable))| {
                let node = &j.nodes[*ix];
                let focus_after_delete = if n > 0 {
                    node_heading_id(&numbers[n - 1].0)
                } else {
                    "jd-add-first".to_owned()
                };
                let place = Place {
                    number: n + 1,
                    reachable: *reachable,
                    is_start: node.id == j.start,
                    focus_after_delete,
                };
                view! {
                    <li class="jd-flow-item">
                        {node_card(d, node.id.clone(), node.step.clone(), place, targets.clone(), tx)}
                    </li>
                }
            })
            .collect_view();
        d.focus.apply();
        view! {
            {add_first(d, tx, j.nodes.is_empty())}
            {j.nodes.is_empty().then(|| view! { <p class="crm-muted">{tx.no_steps}</p> })}
            <ol class="jd-flow">{list}</ol>
        }
    };
    let tx = move || journey_designer_texts(app.locale.get());
    view! {
        <section class="crm-card jd-canvas" aria-labelledby="jd-flow-title">
            <h2 id="jd-flow-title">{move || tx().flow_title}</h2>
            <p class="crm-muted">{move || tx().flow_hint}</p>
            <p class="jd-entry-pill">{entry_text}</p>
            {cards}
        </section>
    }
}
