//! The buttons that move, duplicate and remove one rule or group. Each names the rule it acts
//! on; the ones that cannot act where the rule is are `aria-disabled` (still focusable), and
//! after a move the focus follows the moved rule's same button.

use leptos::prelude::*;

use super::{control_id, Builder};
use crate::engine::rule_check::RulePath;
use crate::engine::segment_rule::Rule;
use crate::i18n::segments_texts::SegmentsTexts;
use crate::state::rule_tree;

type Move = fn(&mut Rule, &[usize]) -> Option<RulePath>;

pub fn actions_view(
    b: Builder,
    path: Vec<usize>,
    name: String,
    st: &'static SegmentsTexts,
) -> AnyView {
    let root = b.rule.get_untracked();
    let button =
        |part: &'static str, icon: &'static str, label: &'static str, enabled: bool, act: Move| {
            let id = control_id(&path, part);
            let path = path.clone();
            let click = move |_| {
                if !enabled {
                    return;
                }
                b.rule.update(|root| {
                    if let Some(p) = act(root, &path) {
                        // After a removal the focus goes to the rule that took its place, else
                        // to the group's "add rule" button; after a move, to the same button.
                        let target = match part {
                            "remove" if !p.is_empty() => first_control(root, &p),
                            "remove" => control_id(&p, "add-rule"),
                            _ => control_id(&p, part),
                        };
                        b.focus.move_to(target);
                    }
                });
            };
            view! {
                <button type="button" class="crm-icon-button" id=id
                    aria-label=format!("{label}: {name}") title=label
                    aria-disabled=if enabled { "false" } else { "true" }
                    on:click=click>
                    <span aria-hidden="true">{icon}</span>
                </button>
            }
        };
    let up = rule_tree::can_move_up(&path);
    let down = rule_tree::can_move_down(&root, &path);
    let into = rule_tree::can_move_into(&root, &path);
    let out = rule_tree::can_move_out(&path);
    view! {
        <div class="crm-rule-actions">
            {button("up", "↑", st.move_up, up, rule_tree::move_up)}
            {button("down", "↓", st.move_down, down, rule_tree::move_down)}
            {button("into", "⤵", st.move_into, into, rule_tree::move_into)}
            {button("out", "⤴", st.move_out, out, rule_tree::move_out)}
            {button("duplicate", "⧉", st.duplicate, true, rule_tree::duplicate)}
            {button("remove", "✕", st.remove, true, rule_tree::remove)}
        </div>
    }
    .into_any()
}

/// The first control of the rule at `path`: a rule's kind select or a group's match select.
fn first_control(root: &Rule, path: &[usize]) -> String {
    let is_group = rule_tree::get(root, path).is_some_and(rule_tree::is_group);
    control_id(path, if is_group { "match" } else { "kind" })
}
