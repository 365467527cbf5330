//! A segment rule inside a journey (the segment entry, or a branch's condition): a sentence,
//! "copy the rules of a segment", and the segment builder on demand (one open at a time).

use leptos::prelude::*;

use super::{control_id, Designer};
use crate::app::use_settings;
use crate::components::segment_builder::{options, Builder, SegmentBuilder};
use crate::engine::journey::{Entry, Journey, Step};
use crate::engine::rule_check;
use crate::engine::segment_rule::Rule;
use crate::i18n::journey_designer_texts::journey_designer_texts;
use crate::i18n::rule_sentence::{rule_sentence, SentenceContext};
use crate::state::journey_edit::simplify_rule;
use crate::state::rule_tree;
use crate::sync::dataset::analysis_context;

/// The key of the entry's rule editor.
pub const ENTRY: &str = "entry";

fn get_rule(j: &Journey, key: &str) -> Option<Rule> {
    if key == ENTRY {
        return match &j.entry {
            Entry::Segment { rule } => Some(rule.clone()),
            _ => None,
        };
    }
    match j.node(key).map(|n| &n.step) {
        Some(Step::Branch { condition, .. }) => Some(condition.clone()),
        _ => None,
    }
}

fn set_rule(j: &mut Journey, key: &str, new: Rule) {
    if key == ENTRY {
        if let Entry::Segment { rule } = &mut j.entry {
            *rule = new;
        }
        return;
    }
    if let Some(ix) = j.node_index(key) {
        if let Step::Branch { condition, .. } = &mut j.nodes[ix].step {
            *condition = new;
        }
    }
}

/// The editor of the rule at `key` (`entry` or a branch's id); `label` names it.
pub fn rule_editor(
    d: Designer,
    key: String,
    (visible, label): (&'static str, String),
) -> impl IntoView {
    let app = use_settings();
    let tx = move || journey_designer_texts(app.locale.get());
    // Bumped when a segment's rules are copied in: the open builder starts again from them.
    let copied = RwSignal::new(0u64);
    let currency = d.data.with_value(|data| data.store.meta.currency.clone());
    let sentence = {
        let key = key.clone();
        move || {
            let locale = app.locale.get();
            let rule = d
                .journey
                .with(|j| get_rule(j, &key))
                .unwrap_or(Rule::all(Vec::new()));
            let names = d.segments.get();
            let name = move |id: &str| {
                names
                    .iter()
                    .find(|(k, _, _)| k.ends_with(id))
                    .map(|(_, n, _)| n.clone())
                    .unwrap_or_else(|| id.to_owned())
            };
            rule_sentence(
                &rule,
                &SentenceContext {
                    locale,
                    currency: &currency,
                    segment_name: &name,
                },
            )
        }
    };
    let k1 = key.clone();
    let on_copy = move |ev| {
        let chosen = event_target_value(&ev);
        let Some(rule) = d.segments.with_untracked(|s| {
            s.iter()
                .find(|(k, _, _)| *k == chosen)
                .map(|(_, _, r)| r.clone())
        }) else {
            return;
        };
        d.edit(|j| set_rule(j, &k1, simplify_rule(rule)));
        copied.update(|n| *n += 1);
    };
    let k2 = key.clone();
    let is_open = Memo::new(move |_| d.open_rule.get().as_deref() == Some(k2.as_str()));
    let k3 = key.clone();
    let toggle_id = control_id(&key, "rules");
    let on_toggle = move |_| {
        if is_open.get_untracked() {
            d.open_rule.set(None);
        } else {
            d.open_rule.set(Some(k3.clone()));
        }
    };
    let k4 = key.clone();
    let builder = move || {
        copied.track();
        if !is_open.get() {
            return None;
        }
        let start = d
            .journey
            .with_untracked(|j| get_rule(j, &k4))
            .unwrap_or(Rule::all(Vec::new()));
        let rule = RwSignal::new(rule_tree::as_root(start));
        let k = k4.clone();
        Effect::new(move |first: Option<()>| {
            let r = rule.get();
            if first.is_some() {
                d.edit(|j| set_rule(j, &k, simplify_rule(r)));
            }
        });
        let issues = Memo::new(move |_| {
            d.data.with_value(|data| {
                let ctx = analysis_context(data, &app);
                rule.with(|r| {
                    d.library
                        .with(|lib| rule_check::check(&data.store, &ctx, r, lib))
                })
            })
        });
        let builder = Builder::new(rule, issues.into(), d.catalog.get_value(), d.referable);
        Some(view! { <div class="jd-rule-builder"><SegmentBuilder builder/></div> })
    };
    let choices = move || {
        let first = (String::new(), format!("{}…", tx().copy_rules_from));
        let items = std::iter::once(first)
            .chain(d.segments.get().into_iter().map(|(k, name, _)| (k, name)))
            .collect();
        options(items, "")
    };
    let copy_label = label.clone();
    let toggle_label = label.clone();
    view! {
        <div class="jd-rule" role="group" aria-label=label.clone()>
            <p class="jd-rule-label">{visible}</p>
            <p class="jd-sentence" data-testid="rule-sentence">{sentence}</p>
            <div class="jd-inline">
                <select id=control_id(&key, "copy") aria-label=move || format!("{}: {copy_label}", tx().copy_rules_from) on:change=on_copy>
                    {choices}
                </select>
                <button type="button" class="crm-secondary" id=toggle_id aria-label=move || format!("{}: {toggle_label}", if is_open.get() { tx().close_rules } else { tx().edit_rules })
                    aria-expanded=move || is_open.get().to_string()
                    on:click=on_toggle>
                    {move || if is_open.get() { tx().close_rules } else { tx().edit_rules }}
                </button>
            </div>
            {builder}
        </div>
    }
}
