//! The journey designer's editor: journey settings, sending rules, the flow canvas and the
//! checks, all editing one `RwSignal<Journey>`.
//!
//! Like the segment builder, each part is rendered from the journey's *shape* (which steps
//! exist, how they link, which settings show). Typing a value changes the journey but not its
//! shape, so fields are never rebuilt under the cursor; an action that changes the shape rebuilds
//! the part and puts the focus back on the control that was used, or on the new or moved step.

mod canvas;
mod checks;
mod fields;
mod node_card;
mod rule_editor;
mod settings;

use std::collections::BTreeMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::components::focus_keeper::FocusKeeper;
use crate::engine::catalog::Catalog;
use crate::engine::journey::{Channel, Journey, Step};
use crate::engine::journey_templates::JourneyTemplate;
use crate::engine::query::JourneyValidation;
use crate::engine::segment::SegmentLibrary;
use crate::engine::segment_rule::Rule;
use crate::i18n::journey_designer_texts::JourneyDesignerTexts;
use crate::sync::Dataset;

pub use crate::components::focus_keeper::focus_by_id;
pub use canvas::FlowCanvas;
pub use checks::ChecksSummary;
pub use settings::{JourneySettings, SendingRulesEditor};

/// The result of the last check: `None` while the first one runs.
pub type Checks = Option<Result<JourneyValidation, String>>;

/// Everything the designer's parts share.
#[derive(Clone, Copy)]
pub struct Designer {
    /// The edited journey.
    pub journey: RwSignal<Journey>,
    /// Bumped when a whole journey is loaded: every part rebuilds its fields.
    pub revision: RwSignal<u64>,
    /// Findings and previews of the settled journey.
    pub checks: Signal<Checks>,
    pub data: StoredValue<Arc<Dataset>>,
    pub catalog: StoredValue<Arc<Catalog>>,
    /// Property keys per event type.
    pub properties: StoredValue<Arc<BTreeMap<String, Vec<String>>>>,
    /// Segments whose rules can be copied: (key, display name, rule).
    pub segments: Signal<Vec<(String, String, Rule)>>,
    /// Segments a rule can refer to, so the journey follows later edits of them: `(id, name)`.
    pub referable: Signal<Vec<(String, String)>>,
    /// The rules those ids stand for, for the checks.
    pub library: Signal<SegmentLibrary>,
    /// Which rule editor is open: `entry` or a branch's node id (one at a time, so the
    /// builder's element ids stay unique).
    pub open_rule: RwSignal<Option<String>>,
    /// Display name of the preview customer.
    pub preview_customer: StoredValue<String>,
    /// Where the focus goes after a part re-renders.
    pub focus: FocusKeeper,
}

impl Designer {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        journey: RwSignal<Journey>,
        revision: RwSignal<u64>,
        checks: Signal<Checks>,
        data: Arc<Dataset>,
        segments: Signal<Vec<(String, String, Rule)>>,
        (referable, library): (Signal<Vec<(String, String)>>, Signal<SegmentLibrary>),
        preview_customer: String,
    ) -> Designer {
        let catalog = Arc::new(Catalog::of(&data.store));
        let properties: BTreeMap<String, Vec<String>> = data.store.meta.event_properties();
        let open_rule = RwSignal::new(None);
        // A newly loaded journey starts with every rule editor closed.
        Effect::new(move |_| {
            revision.track();
            open_rule.set(None);
        });
        Designer {
            journey,
            revision,
            checks,
            data: StoredValue::new(data),
            catalog: StoredValue::new(catalog),
            properties: StoredValue::new(Arc::new(properties)),
            segments,
            referable,
            library,
            open_rule,
            preview_customer: StoredValue::new(preview_customer),
            focus: FocusKeeper::default(),
        }
    }

    /// Changes the journey.
    pub fn edit(&self, f: impl FnOnce(&mut Journey)) {
        self.journey.update(f);
    }

    /// Changes the step of node `id`.
    pub fn edit_step(&self, id: &str, f: impl FnOnce(&mut Step)) {
        self.journey.update(|j| {
            if let Some(ix) = j.node_index(id) {
                f(&mut j.nodes[ix].step);
            }
        });
    }

    /// Event types of the data as `(value, label)`.
    pub fn event_options(&self, t: &crate::i18n::Texts) -> Vec<(String, String)> {
        self.data.with_value(|data| {
            data.store
                .meta
                .event_types
                .iter()
                .map(|e| (e.name.clone(), crate::i18n::event_label(t, &e.name)))
                .collect()
        })
    }
}

/// The element id of a node's heading (the focus target of "Go to").
pub fn node_heading_id(id: &str) -> String {
    format!("jd-node-{id}")
}

/// An element id for a control of node `id`.
pub fn control_id(id: &str, part: &str) -> String {
    format!("jd-{id}-{part}")
}

/// The translated name of a step kind.
pub fn kind_label(tx: &JourneyDesignerTexts, kind: &str) -> &'static str {
    match kind {
        "message" => tx.k_message,
        "delay" => tx.k_delay,
        "wait" => tx.k_wait,
        "branch" => tx.k_branch,
        "split" => tx.k_split,
        _ => tx.k_exit,
    }
}

/// The step kinds as `(value, label)` for a select.
pub fn kind_items(tx: &JourneyDesignerTexts) -> Vec<(String, String)> {
    crate::state::journey_edit::KINDS
        .iter()
        .map(|k| ((*k).to_owned(), kind_label(tx, k).to_owned()))
        .collect()
}

/// The translated name of a channel.
pub fn channel_label(tx: &JourneyDesignerTexts, channel: Channel) -> &'static str {
    match channel {
        Channel::Email => tx.ch_email,
        Channel::Sms => tx.ch_sms,
        Channel::Push => tx.ch_push,
        Channel::InApp => tx.ch_in_app,
        Channel::Kakao => tx.ch_kakao,
    }
}

/// The display name of a journey template.
pub fn template_label(tx: &JourneyDesignerTexts, id: &str) -> String {
    match id {
        "win_back" => tx.tpl_win_back,
        "signup_coupon" => tx.tpl_signup_coupon,
        "cart_consultation" => tx.tpl_cart_consultation,
        other => other,
    }
    .to_owned()
}

/// A template's journey as the designer opens it: its name and its message names in the UI's
/// language (the contents are Korean, written for the demo's customers).
pub fn localised_template(tx: &JourneyDesignerTexts, tpl: JourneyTemplate) -> Journey {
    let mut journey = tpl.journey;
    journey.name = template_label(tx, tpl.id);
    for node in &mut journey.nodes {
        if let Step::Message { name, .. } = &mut node.step {
            if let Some((_, local)) = tx.tpl_messages.iter().find(|(en, _)| *en == name.as_str()) {
                *name = (*local).to_owned();
            }
        }
    }
    journey
}
