//! One all / any / none group: its match select, its rules (nested groups inside), and the
//! buttons that add a rule or a group.

use leptos::prelude::*;

use super::{actions, control_id, leaf, options, Builder};
use crate::engine::segment_rule::Rule;
use crate::i18n::segments_texts::SegmentsTexts;
use crate::i18n::{fill, Texts};
use crate::state::{rule_ops, rule_tree};

/// The display name of the group at `path` ("Whole segment", "Group 2.1").
pub fn group_name(st: &SegmentsTexts, path: &[usize]) -> String {
    if path.is_empty() {
        st.root_group.to_owned()
    } else {
        fill(st.group_n, &[&rule_tree::path_label(path)])
    }
}

pub fn group_view(
    b: Builder,
    path: Vec<usize>,
    rule: &Rule,
    st: &'static SegmentsTexts,
    t: &'static Texts,
) -> AnyView {
    let kind = rule_tree::group_kind(rule);
    let children = rule_tree::children(rule).cloned().unwrap_or_default();
    let is_root = path.is_empty();
    let name = group_name(st, &path);
    let items = children
        .iter()
        .enumerate()
        .map(|(i, child)| {
            let mut child_path = path.clone();
            child_path.push(i);
            let inner = if rule_tree::is_group(child) {
                group_view(b, child_path, child, st, t)
            } else {
                leaf::leaf_view(b, child_path, child, st, t)
            };
            view! { <li class="crm-rule-item">{inner}</li> }
        })
        .collect_view();
    let match_options = vec![
        ("all".to_owned(), st.match_all.to_owned()),
        ("any".to_owned(), st.match_any.to_owned()),
        ("none".to_owned(), st.match_none.to_owned()),
    ];
    let on_match = {
        let path = path.clone();
        move |ev: leptos::ev::Event| {
            let kind = event_target_value(&ev);
            b.focus.keep_current();
            b.edit(&path, |r| rule_tree::set_group_kind(r, &kind));
        }
    };
    let add_rule = {
        let path = path.clone();
        move |_| {
            b.rule.update(|root| {
                if let Some(p) = rule_tree::add(root, &path, rule_ops::new_leaf("performed", None))
                {
                    b.focus.move_to(control_id(&p, "kind"));
                }
            });
        }
    };
    let add_group = {
        let path = path.clone();
        move |_| {
            b.rule.update(|root| {
                let group = Rule::all(vec![rule_ops::new_leaf("performed", None)]);
                if let Some(p) = rule_tree::add(root, &path, group) {
                    b.focus.move_to(control_id(&p, "match"));
                }
            });
        }
    };
    let empty = children.is_empty();
    view! {
        <fieldset class="crm-group" class:crm-group-root=is_root data-path=rule_tree::path_id(&path)>
            <legend>
                <span class="crm-group-name">{name.clone()}</span>
                <label class="crm-inline">
                    <span>{st.group_match}</span>
                    <select id=control_id(&path, "match") aria-label=format!("{name}: {}", st.group_match) on:change=on_match>
                        {options(match_options, kind)}
                    </select>
                </label>
            </legend>
            {(!is_root).then(|| actions::actions_view(b, path.clone(), name.clone(), st))}
            {empty.then(|| view! { <p class="crm-empty">{st.empty_group}</p> })}
            <ol class="crm-rules">{items}</ol>
            <div class="crm-group-add">
                <button type="button" class="crm-secondary" id=control_id(&path, "add-rule")
                    aria-label=format!("{}: {name}", st.add_rule) on:click=add_rule>
                    {format!("+ {}", st.add_rule)}
                </button>
                <button type="button" class="crm-secondary" id=control_id(&path, "add-group")
                    aria-label=format!("{}: {name}", st.add_group) on:click=add_group>
                    {format!("+ {}", st.add_group)}
                </button>
            </div>
        </fieldset>
    }
    .into_any()
}
