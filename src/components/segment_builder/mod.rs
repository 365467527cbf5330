//! The segment builder: nested all / any / none groups of rules, edited with mouse or keyboard.
//!
//! The tree is rendered from the rule's *shape* (`state::rule_ops::shape`: kinds, chosen names
//! and operators). Typing a value changes the rule but not its shape, so fields are never rebuilt
//! under the cursor; choosing something that changes which controls show rebuilds the tree and
//! puts the focus back on the control that was used (or on the moved rule's button). Buttons that
//! cannot act right now are `aria-disabled`, not `disabled`, so the focus never drops.

mod actions;
mod attribute_fields;
mod event_fields;
mod group;
mod leaf;
mod window_fields;

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::focus_keeper::FocusKeeper;

use crate::app::use_settings;
use crate::engine::catalog::Catalog;
use crate::engine::rule_check::RuleIssue;
use crate::engine::segment_rule::Rule;
use crate::i18n::segments_texts;
use crate::state::{rule_ops, rule_tree};

/// Everything the builder's controls share.
#[derive(Clone, Copy)]
pub struct Builder {
    /// The edited rule; always a group at the root.
    pub rule: RwSignal<Rule>,
    /// Problems per rule (from the settled rule).
    pub issues: Signal<Vec<RuleIssue>>,
    pub catalog: StoredValue<Arc<Catalog>>,
    /// Segments a rule may refer to: (id, display name).
    pub segments: Signal<Vec<(String, String)>>,
    /// Where the focus goes after the builder re-renders.
    pub focus: FocusKeeper,
    /// The rule as the controls last drew or changed it: a different one came from outside.
    drawn: StoredValue<Option<Rule>>,
}

impl Builder {
    pub fn new(
        rule: RwSignal<Rule>,
        issues: Signal<Vec<RuleIssue>>,
        catalog: Arc<Catalog>,
        segments: Signal<Vec<(String, String)>>,
    ) -> Builder {
        Builder {
            rule,
            issues,
            catalog: StoredValue::new(catalog),
            segments,
            focus: FocusKeeper::default(),
            drawn: StoredValue::new(None),
        }
    }

    /// Changes the rule at `path` in place.
    pub fn edit(&self, path: &[usize], f: impl FnOnce(&mut Rule)) {
        self.rule.update(|root| {
            if let Some(rule) = rule_tree::get_mut(root, path) {
                f(rule);
            }
        });
        // The control that made the change already shows it: no redraw needed.
        self.drawn.set_value(Some(self.rule.get_untracked()));
    }

    /// The problem text of the rule at `path`, if any.
    pub fn issue_at(&self, path: &[usize]) -> Option<RuleIssue> {
        self.issues
            .with(|issues| issues.iter().find(|i| i.path == path).cloned())
    }
}

/// An element id for a control of the rule at `path`.
pub fn control_id(path: &[usize], part: &str) -> String {
    format!("sb-{}-{part}", rule_tree::path_id(path))
}

/// `(value, label)` options with one selected, as `<option>`s.
pub fn options(items: Vec<(String, String)>, selected: &str) -> impl IntoView {
    items
        .into_iter()
        .map(|(value, label)| {
            let is = value == selected;
            view! { <option value=value selected=is>{label}</option> }
        })
        .collect_view()
}

/// The rule tree, editable.
#[component]
pub fn SegmentBuilder(builder: Builder) -> impl IntoView {
    let app = use_settings();
    let shape = Memo::new(move |_| builder.rule.with(rule_ops::shape));
    // A rule put in from outside (a saved segment opened, "load theirs", a restored draft) must
    // redraw the controls even with the same shape: they show its values too.
    let from_outside = Memo::new(move |count: Option<&u32>| {
        let count = count.copied().unwrap_or(0);
        let outside = builder.rule.with(|rule| {
            builder
                .drawn
                .with_value(|drawn| drawn.as_ref() != Some(rule))
        });
        if outside {
            builder.drawn.set_value(Some(builder.rule.get_untracked()));
            count + 1
        } else {
            count
        }
    });
    move || {
        // Reading (not just tracking) the memos runs them, so they follow the rule.
        shape.with(|_| ());
        from_outside.with(|_| ());
        let locale = app.locale.get();
        let st = segments_texts(locale);
        let t = locale.texts();
        let root = builder.rule.get_untracked();
        let tree = group::group_view(builder, Vec::new(), &root, st, t);
        builder.focus.apply();
        view! { <div class="crm-builder">{tree}</div> }
    }
}
