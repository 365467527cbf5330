//! Save, open, rename, copy and delete a segment or journey: the bar any editor page drops in.
//!
//! It keeps the editor's unsaved work as a draft in this browser and offers it back after a
//! reload, waits for the connection while offline, and on a conflict (someone saved a newer
//! version) shows their version beside the user's and lets them choose: overwrite with mine,
//! load theirs, or save mine as a copy. Nothing is overwritten without that choice.
//!
//! # Usage
//!
//! ```ignore
//! use crate::components::definition_bar::DefinitionBar;
//! use crate::model::DefinitionKind;
//!
//! let rule = RwSignal::new(serde_json::json!({"rule": "all", "rules": []}));
//! view! {
//!     <DefinitionBar
//!         kind=DefinitionKind::Segment
//!         current=Signal::derive(move || rule.get())
//!         on_open=Callback::new(move |saved: SavedDefinition| rule.set(saved.definition))
//!         on_restore=Callback::new(move |definition: serde_json::Value| rule.set(definition))
//!         // optional:
//!         open_id=saved_id_from_url          // MaybeProp<String>: open this saved id at mount
//!         draft_scope="segments"             // one draft per editor (default: the collection)
//!         save_blocked=validation_message    // MaybeProp<String>: Some(reason) disables saving
//!         default_name=proposed_name         // MaybeProp<String>: the name of a new item
//!         on_saved=remember_id               // Callback<SavedDefinition>: after each save
//!         new_item=template_loads            // MaybeProp<u32>: bump to start a new item
//!     />
//! }
//! ```
//!
//! `current` is the definition as JSON exactly as it will be saved (a segment rule, a journey).
//! `on_open` loads a saved one into the editor (opened from the list, `open_id`, or "load
//! theirs" in a conflict); `on_restore` loads a restored draft.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::app::use_settings;
use crate::i18n::fill;
use crate::i18n::sync_texts::{sync_texts, SyncTexts};
use crate::model::{DefinitionInput, DefinitionKind, SavedDefinition};
use crate::sync::definitions::{random_token, use_definitions, Versioned};
use crate::sync::draft;
use crate::sync::http::now_utc;
use crate::sync::SyncError;
use crate::sync_policy::draft::Draft;

/// A conflict waiting for the user's choice.
#[derive(Debug, Clone, PartialEq)]
struct Conflict {
    theirs: Versioned,
    mine: DefinitionInput,
}

/// The last operation started, so "Try again" after an error repeats that one (not a save).
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Open(String),
    Save,
    SaveCopy,
    Rename,
    Delete,
    Overwrite,
    MineAsCopy,
}

/// `2026-12-07 21:05` in the app's time zone.
fn when(at: &chrono::DateTime<chrono::FixedOffset>, zone: crate::engine::Zone) -> String {
    zone.datetime(at.timestamp())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[component]
pub fn DefinitionBar(
    /// Segment or journey.
    kind: DefinitionKind,
    /// The editor's definition now, as it would be saved.
    #[prop(into)]
    current: Signal<Value>,
    /// Loads a saved definition into the editor.
    on_open: Callback<SavedDefinition>,
    /// Loads a restored draft's definition into the editor.
    on_restore: Callback<Value>,
    /// Opens this saved id when it is set (e.g. from `?saved=<id>`).
    #[prop(optional, into)]
    open_id: MaybeProp<String>,
    /// The draft slot of this editor; defaults to the collection name.
    #[prop(optional, into)]
    draft_scope: Option<String>,
    /// When set, saving is disabled and this reason shown (e.g. validation errors).
    #[prop(optional, into)]
    save_blocked: MaybeProp<String>,
    /// The proposed name of a new item.
    #[prop(optional, into)]
    default_name: MaybeProp<String>,
    /// Told the item as saved after every successful save (new, update, copy, overwrite).
    #[prop(optional)]
    on_saved: Option<Callback<SavedDefinition>>,
    /// Changing this starts a new, unsaved item (the editor loaded a template or a blank): the
    /// bar lets go of the open saved item, so Save creates a new one instead of overwriting it.
    #[prop(optional, into)]
    new_item: MaybeProp<u32>,
) -> impl IntoView {
    let app = use_settings();
    let defs = use_definitions();
    let s = move || sync_texts(app.locale.get());
    let scope = StoredValue::new(draft_scope.unwrap_or_else(|| kind.collection().to_owned()));

    let opened = RwSignal::new(None::<Versioned>);
    let name = RwSignal::new(default_name.get_untracked().unwrap_or_default());
    let busy = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<SyncError>);
    let conflict = RwSignal::new(None::<Conflict>);
    let confirm_delete = RwSignal::new(false);
    let pending_open = RwSignal::new(None::<SavedDefinition>);
    let last_op = StoredValue::new(None::<Op>);
    // The Idempotency-Key of a create not yet known to have succeeded, with its input: trying
    // the same create again reuses it, so the server cannot make it twice.
    let create_key = StoredValue::new(None::<(DefinitionInput, String)>);
    let create = move |mine: DefinitionInput| {
        let key = match create_key.get_value() {
            Some((input, key)) if input == mine => key,
            _ => random_token(),
        };
        create_key.set_value(Some((mine.clone(), key.clone())));
        async move {
            let result = defs.create_keyed(kind, mine, key).await;
            if result.is_ok() {
                create_key.try_set_value(None);
            }
            result
        }
    };
    // What the editor held when last opened or saved: the draft and "unsaved" compare with it.
    let baseline = RwSignal::new((name.get_untracked(), current.get_untracked()));
    let offered = RwSignal::new(
        scope
            .with_value(|scope| draft::load(scope))
            .filter(|d| d.differs_from(&name.get_untracked(), &current.get_untracked())),
    );

    // Whether the name is still the proposed one: neither typed by the user nor taken from a
    // saved item (a deleted item's name stays, and switching the language keeps a typed name).
    let name_is_default = StoredValue::new(true);
    // A new default name (another cohort cell …) replaces the name of an unsaved new item.
    Effect::new(move |_| {
        if let Some(proposed) = default_name.get() {
            if opened.get_untracked().is_none() && name_is_default.get_value() {
                name.set(proposed.clone());
                baseline.update(|b| b.0 = proposed);
            }
        }
    });

    // A new item: forget the open saved one and propose the default name again.
    Effect::new(move |previous: Option<Option<u32>>| {
        let now = new_item.get();
        if previous.is_some_and(|p| p != now) && opened.get_untracked().is_some() {
            opened.set(None);
            name_is_default.set_value(true);
            let proposed = default_name.get_untracked().unwrap_or_default();
            name.set(proposed.clone());
            baseline.set((proposed, current.get_untracked()));
            conflict.set(None);
            confirm_delete.set(false);
            notice.set(None);
        }
        now
    });

    let dirty =
        Memo::new(move |_| baseline.with(|(n, d)| *n != name.get() || current.with(|c| c != d)));

    // Keep unsaved work as a draft (not while an older draft waits for the user's answer).
    Effect::new(move |_| {
        let is_dirty = dirty.get();
        let definition = current.get();
        let name = name.get();
        if offered.with_untracked(Option::is_some) {
            return;
        }
        if !is_dirty {
            scope.with_value(|scope| draft::clear(scope));
            return;
        }
        let base = opened.get_untracked();
        let d = Draft {
            kind,
            saved_id: base.as_ref().map(|b| b.saved.id.clone()),
            base_version: base.as_ref().map(|b| b.saved.version),
            name,
            definition,
            saved_at: now_utc().fixed_offset(),
        };
        if let Err(e) = scope.with_value(|scope| draft::save(scope, &d)) {
            error.set(Some(e));
        }
    });

    let list = LocalResource::new(move || {
        defs.changed.track();
        async move { defs.list(kind).await }
    });

    // Also runs after a save or open finished, when the view may be gone: `try_*` only.
    let took = move |v: Versioned| {
        name_is_default.try_set_value(false);
        let _ = name.try_set(v.saved.name.clone());
        let _ = baseline.try_set((v.saved.name.clone(), v.saved.definition.clone()));
        let _ = opened.try_set(Some(v));
    };

    let open_now = move |id: String| {
        last_op.set_value(Some(Op::Open(id.clone())));
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            match defs.get(kind, &id).await {
                Ok(v) => {
                    if on_open.try_run(v.saved.clone()).is_none() {
                        return;
                    }
                    took(v);
                    let _ = conflict.try_set(None);
                    let _ = confirm_delete.try_set(false);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    // `open_id` (e.g. `?saved=`) opens that item once per id.
    let opened_from_prop = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        if let Some(id) = open_id.get().filter(|id| !id.is_empty()) {
            if opened_from_prop.get_value().as_deref() != Some(id.as_str()) {
                opened_from_prop.set_value(Some(id.clone()));
                open_now(id);
            }
        }
    });

    let ask_open = move |saved: SavedDefinition| {
        if dirty.get_untracked() {
            pending_open.set(Some(saved));
        } else {
            open_now(saved.id);
        }
    };

    // Runs when a save finished, after the user may have left the view: `try_*` only, and a
    // gone view means nothing to do.
    let finish = move |result: Result<Versioned, SyncError>, mine: DefinitionInput| {
        match result {
            Ok(v) => {
                let _ = notice.try_set(Some(fill(
                    sync_texts(app.locale.get_untracked()).saved_ok,
                    &[&v.saved.name, &v.saved.version.to_string()],
                )));
                // The editor may have changed while saving: the baseline is what was saved.
                if let Some(on_saved) = on_saved {
                    let _ = on_saved.try_run(v.saved.clone());
                }
                took(v);
                let _ = conflict.try_set(None);
            }
            Err(SyncError::Conflict { current }) => {
                let _ = conflict.try_set(Some(Conflict {
                    theirs: *current,
                    mine,
                }));
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
            }
        }
        let _ = busy.try_set(false);
    };

    let input_now = move || DefinitionInput {
        name: name.get_untracked().trim().to_owned(),
        description: opened
            .get_untracked()
            .map(|o| o.saved.description)
            .unwrap_or_default(),
        definition: current.get_untracked(),
    };

    let start = move || -> bool {
        if busy.get_untracked() {
            return false;
        }
        error.set(None);
        notice.set(None);
        confirm_delete.set(false);
        if name.get_untracked().trim().is_empty() {
            notice.set(Some(
                sync_texts(app.locale.get_untracked())
                    .name_required
                    .to_owned(),
            ));
            return false;
        }
        busy.set(true);
        true
    };

    let save = move || {
        if !start() {
            return;
        }
        last_op.set_value(Some(Op::Save));
        let mine = input_now();
        let base = opened.get_untracked();
        spawn_local(async move {
            let result = match base {
                Some(base) => defs.update(kind, &base, mine.clone()).await,
                None => create(mine.clone()).await,
            };
            finish(result, mine);
        });
    };

    let copy_name = move |base: &str| {
        format!(
            "{base}{}",
            sync_texts(app.locale.get_untracked()).copy_suffix
        )
    };

    let save_copy = move || {
        if !start() {
            return;
        }
        last_op.set_value(Some(Op::SaveCopy));
        let mut mine = input_now();
        if opened
            .get_untracked()
            .is_some_and(|o| o.saved.name == mine.name)
        {
            mine.name = copy_name(&mine.name);
        }
        spawn_local(async move {
            let result = create(mine.clone()).await;
            finish(result, mine);
        });
    };

    let rename = move || {
        let Some(base) = opened.get_untracked() else {
            return;
        };
        if !start() {
            return;
        }
        last_op.set_value(Some(Op::Rename));
        let new_name = name.get_untracked().trim().to_owned();
        spawn_local(async move {
            match defs.rename(kind, &base, new_name).await {
                Ok(v) => {
                    let _ = notice.try_set(Some(fill(
                        sync_texts(app.locale.get_untracked()).renamed_ok,
                        &[&v.saved.name],
                    )));
                    // Only the name was saved: the definition baseline stays the saved one.
                    let _ = baseline.try_set((v.saved.name.clone(), v.saved.definition.clone()));
                    let _ = opened.try_set(Some(v));
                }
                Err(SyncError::Conflict { current }) => {
                    let mut mine = current.input();
                    let Some(typed) = name.try_get_untracked() else {
                        return;
                    };
                    mine.name = typed;
                    let _ = conflict.try_set(Some(Conflict {
                        theirs: *current,
                        mine,
                    }));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let delete = move || {
        let Some(base) = opened.get_untracked() else {
            return;
        };
        last_op.set_value(Some(Op::Delete));
        busy.set(true);
        error.set(None);
        notice.set(None);
        confirm_delete.set(false);
        spawn_local(async move {
            let t = sync_texts(app.locale.get_untracked());
            match defs.delete(kind, &base).await {
                Ok(()) => {
                    let _ = notice.try_set(Some(fill(t.deleted_ok, &[&base.saved.name])));
                    let _ = opened.try_set(None);
                    // The editor keeps its content, now as a new unsaved item.
                    let _ = baseline.try_update(|b| b.1 = Value::Null);
                }
                Err(SyncError::Conflict { current }) => {
                    let _ = notice.try_set(Some(fill(
                        t.delete_conflict,
                        &[&current.saved.version.to_string()],
                    )));
                    let _ = opened.try_set(Some(*current));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = busy.try_set(false);
        });
    };

    let overwrite = move || {
        let Some(c) = conflict.get_untracked() else {
            return;
        };
        last_op.set_value(Some(Op::Overwrite));
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = defs.update(kind, &c.theirs, c.mine.clone()).await;
            finish(result, c.mine);
        });
    };
    let load_theirs = move || {
        let Some(c) = conflict.get_untracked() else {
            return;
        };
        on_open.run(c.theirs.saved.clone());
        took(c.theirs);
        conflict.set(None);
        scope.with_value(|scope| draft::clear(scope));
    };
    let mine_as_copy = move || {
        let Some(c) = conflict.get_untracked() else {
            return;
        };
        last_op.set_value(Some(Op::MineAsCopy));
        busy.set(true);
        error.set(None);
        let mut mine = c.mine.clone();
        mine.name = copy_name(&mine.name);
        spawn_local(async move {
            let result = create(mine.clone()).await;
            finish(result, mine);
        });
    };

    // "Try again" after an error repeats what failed.
    let redo = move || {
        error.set(None);
        match last_op.get_value() {
            Some(Op::Open(id)) => open_now(id),
            Some(Op::Save) | None => save(),
            Some(Op::SaveCopy) => save_copy(),
            Some(Op::Rename) => rename(),
            Some(Op::Delete) => delete(),
            Some(Op::Overwrite) => overwrite(),
            Some(Op::MineAsCopy) => mine_as_copy(),
        }
    };

    let restore = move || {
        if let Some(d) = offered.get_untracked() {
            name_is_default.set_value(false);
            name.set(d.name.clone());
            on_restore.run(d.definition.clone());
            offered.set(None);
            // Reopen what it started from, keeping the restored edit as unsaved changes. If
            // someone saved a newer version since, saving the draft would overwrite it: show
            // both versions and let the user choose instead.
            if let Some(id) = d.saved_id.clone() {
                spawn_local(async move {
                    if let Ok(v) = defs.get(kind, &id).await {
                        let _ =
                            baseline.try_set((v.saved.name.clone(), v.saved.definition.clone()));
                        if d.is_stale(v.saved.version) {
                            let _ = conflict.try_set(Some(Conflict {
                                mine: DefinitionInput {
                                    name: d.name.clone(),
                                    description: v.saved.description.clone(),
                                    definition: d.definition.clone(),
                                },
                                theirs: v.clone(),
                            }));
                        }
                        let _ = opened.try_set(Some(v));
                    }
                });
            }
        }
    };
    let discard = move || {
        offered.set(None);
        scope.with_value(|scope| draft::clear(scope));
    };

    let label = move || match kind {
        DefinitionKind::Segment => s().bar_label_segment,
        DefinitionKind::Journey => s().bar_label_journey,
    };
    let list_heading = move || match kind {
        DefinitionKind::Segment => s().saved_segments,
        DefinitionKind::Journey => s().saved_journeys,
    };
    let name_id = scope.with_value(|scope| format!("crm-defbar-name-{scope}"));
    let blocked = move || save_blocked.get().filter(|r| !r.is_empty());

    view! {
        <section class="crm-defbar" aria-label=label>
            {move || defs.in_browser().then(|| view! {
                <p class="crm-defbar-local">
                    <span class="crm-pill">{move || s().saved_in_browser}</span>
                    " "
                    <span class="crm-muted">{move || s().saved_in_browser_hint}</span>
                </p>
            })}
            {move || offered.get().map(|d| view! {
                <div class="crm-notice crm-notice-warn" role="status">
                    <p>{fill(s().draft_offer, &[&when(&d.saved_at, app.zone.get())])}</p>
                    <button type="button" on:click=move |_| restore()>{move || s().restore}</button>
                    " "
                    <button type="button" on:click=move |_| discard()>{move || s().discard}</button>
                </div>
            })}
            <div class="crm-defbar-row">
                <label for=name_id.clone()>{move || s().name_label}</label>
                <input
                    id=name_id
                    type="text"
                    maxlength="200"
                    prop:value=move || name.get()
                    on:input=move |ev| {
                        name_is_default.set_value(false);
                        name.set(event_target_value(&ev));
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && blocked().is_none() {
                            ev.prevent_default();
                            save();
                        }
                    }
                />
                <button
                    type="button"
                    class="crm-primary"
                    disabled=move || busy.get() || blocked().is_some()
                    on:click=move |_| save()
                >
                    {move || s().save}
                </button>
                <button
                    type="button"
                    disabled=move || busy.get() || blocked().is_some()
                    on:click=move |_| save_copy()
                >
                    {move || s().save_as_copy}
                </button>
                <button
                    type="button"
                    disabled=move || busy.get() || opened.with(Option::is_none)
                    on:click=move |_| rename()
                >
                    {move || s().rename}
                </button>
                <button
                    type="button"
                    disabled=move || busy.get() || opened.with(Option::is_none)
                    on:click=move |_| confirm_delete.set(true)
                >
                    {move || s().delete}
                </button>
                <span class="crm-defbar-state" aria-live="polite">
                    {move || {
                        let t = s();
                        let state = match opened.get() {
                            Some(o) => fill(t.editing, &[&o.saved.name, &o.saved.version.to_string()]),
                            None => t.editing_new.to_owned(),
                        };
                        if dirty.get() { format!("{state} · {}", t.unsaved_changes) } else { state }
                    }}
                </span>
            </div>
            {move || blocked().map(|reason| view! { <p class="crm-notice crm-notice-warn">{reason}</p> })}
            {move || confirm_delete.get().then(|| {
                let target = opened.get().map(|o| o.saved.name).unwrap_or_default();
                view! {
                    <div class="crm-notice crm-notice-warn" role="alertdialog" aria-label=move || s().delete>
                        <p>{fill(s().confirm_delete, &[&target])}</p>
                        <button type="button" class="crm-danger" on:click=move |_| delete()>{move || s().yes_delete}</button>
                        " "
                        <button type="button" on:click=move |_| confirm_delete.set(false)>{move || s().cancel}</button>
                    </div>
                }
            })}
            {move || pending_open.get().map(|saved| {
                let saved_name = saved.name.clone();
                let open_label = fill(s().open_item, &[&saved.name]);
                view! {
                    <div class="crm-notice crm-notice-warn" role="alertdialog" aria-label=move || s().unsaved_changes>
                        <p>{format!("{} · {}", s().unsaved_changes, fill(s().open_item, &[&saved_name]))}</p>
                        <button type="button" on:click=move |_| {
                            pending_open.set(None);
                            open_now(saved.id.clone());
                        }>{open_label}</button>
                        " "
                        <button type="button" on:click=move |_| pending_open.set(None)>{move || s().cancel}</button>
                    </div>
                }
            })}
            {move || (busy.get() && !defs.online.get() && !defs.in_browser()).then(|| view! {
                <p class="crm-notice crm-notice-warn" role="status">{move || s().waiting_offline}</p>
            })}
            {move || (busy.get() && defs.online.get()).then(|| view! {
                <p class="crm-muted" role="status">{move || s().saving}</p>
            })}
            {move || notice.get().map(|n| view! { <p class="crm-notice" role="status">{n}</p> })}
            {move || error.get().map(|e| view! {
                <div class="crm-notice crm-notice-error" role="alert">
                    <p>{e.message(app.t())}</p>
                    <button type="button" on:click=move |_| redo()>{move || app.t().retry}</button>
                </div>
            })}
            {move || conflict.get().map(|c| conflict_view(s(), app.zone.get(), c, overwrite, load_theirs, mine_as_copy, move || conflict.set(None)))}
            <details class="crm-defbar-saved">
                <summary>{list_heading}</summary>
                {move || match list.get() {
                    None => view! { <p class="crm-muted" role="status">{move || s().loading_list}</p> }.into_any(),
                    Some(Err(e)) => view! {
                        <div class="crm-notice crm-notice-error" role="alert">
                            <p>{e.message(app.t())}</p>
                            <button type="button" on:click=move |_| defs.changed.update(|n| *n += 1)>
                                {move || app.t().retry}
                            </button>
                        </div>
                    }.into_any(),
                    Some(Ok(items)) if items.is_empty() => view! { <p class="crm-muted">{move || s().none_saved}</p> }.into_any(),
                    Some(Ok(items)) => view! {
                        <ul class="crm-defbar-list">
                            {items.into_iter().map(|saved| {
                                let label = fill(s().open_item, &[&saved.name]);
                                let meta = fill(s().version_updated, &[&saved.version.to_string(), &when(&saved.updated_at, app.zone.get())]);
                                let shown = saved.name.clone();
                                let current_id = saved.id.clone();
                                let is_open = move || opened.with(|o| o.as_ref().is_some_and(|o| o.saved.id == current_id));
                                view! {
                                    <li>
                                        <button type="button" aria-label=label aria-current=move || is_open().then_some("true")
                                            on:click=move |_| ask_open(saved.clone())>
                                            {shown}
                                        </button>
                                        " "
                                        <span class="crm-muted">{meta}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
                <button type="button" on:click=move |_| defs.changed.update(|n| *n += 1)>{move || s().refresh_list}</button>
            </details>
        </section>
    }
}

/// Their version beside mine, and the three ways out.
fn conflict_view(
    s: &'static SyncTexts,
    zone: crate::engine::Zone,
    c: Conflict,
    overwrite: impl Fn() + Copy + 'static,
    load_theirs: impl Fn() + Copy + 'static,
    mine_as_copy: impl Fn() + Copy + 'static,
    close: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let theirs = &c.theirs.saved;
    let owner = theirs.owner.clone().unwrap_or_else(|| s.someone.to_owned());
    view! {
        <div class="crm-conflict" role="alertdialog" aria-label=fill(s.conflict_title, &[&theirs.name])>
            <h3>{fill(s.conflict_title, &[&theirs.name])}</h3>
            <p>{fill(s.conflict_body, &[&theirs.version.to_string(), &when(&theirs.updated_at, zone), &owner])}</p>
            <div class="crm-conflict-sides">
                <figure>
                    <figcaption>{s.theirs}" · "{theirs.name.clone()}</figcaption>
                    <pre tabindex="0" aria-label=s.theirs>{pretty(&theirs.definition)}</pre>
                </figure>
                <figure>
                    <figcaption>{s.mine}" · "{c.mine.name.clone()}</figcaption>
                    <pre tabindex="0" aria-label=s.mine>{pretty(&c.mine.definition)}</pre>
                </figure>
            </div>
            <button type="button" class="crm-danger" on:click=move |_| overwrite()>{s.overwrite}</button>
            " "
            <button type="button" on:click=move |_| load_theirs()>{s.load_theirs}</button>
            " "
            <button type="button" class="crm-primary" on:click=move |_| mine_as_copy()>{s.save_mine_copy}</button>
            " "
            <button type="button" on:click=move |_| close()>{s.cancel}</button>
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use leptos::prelude::*;
    use serde_json::{json, Value};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::DefinitionBar;
    use crate::app::AppSettings;
    use crate::config::{self, DataSource};
    use crate::engine::{WeekStart, Zone};
    use crate::i18n::Locale;
    use crate::model::{DefinitionKind, SavedDefinition};
    use crate::sync::definitions::{local_key, provide_definitions};
    use crate::sync_policy::draft::draft_key;
    use crate::sync_policy::wire::parse_stored_list;

    wasm_bindgen_test_configure!(run_in_browser);

    fn storage() -> web_sys::Storage {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .expect("localStorage")
    }

    fn stored() -> Vec<SavedDefinition> {
        storage()
            .get_item(&local_key(DefinitionKind::Segment))
            .expect("read")
            .map(|text| parse_stored_list(text.as_bytes()).expect("readable"))
            .unwrap_or_default()
    }

    fn host() -> web_sys::HtmlElement {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .expect("document");
        let div = document.create_element("div").expect("div");
        document
            .body()
            .expect("body")
            .append_child(&div)
            .expect("append");
        div.unchecked_into()
    }

    /// Mounts a bar ("a tab") over `current` with its own contexts.
    fn mount_bar(
        el: &web_sys::HtmlElement,
        scope: &'static str,
        current: RwSignal<Value>,
    ) -> leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable> {
        leptos::mount::mount_to(el.clone(), move || {
            provide_context(AppSettings {
                locale: RwSignal::new(Locale::En),
                zone: RwSignal::new(Zone::default()),
                week_start: RwSignal::new(WeekStart::Monday),
                initial: StoredValue::new(config::resolve(&[], &[])),
            });
            provide_definitions(&DataSource::Demo);
            view! {
                <DefinitionBar
                    kind=DefinitionKind::Segment
                    current=Signal::derive(move || current.get())
                    on_open=Callback::new(move |saved: SavedDefinition| current.set(saved.definition))
                    on_restore=Callback::new(move |definition: Value| current.set(definition))
                    draft_scope=scope
                />
            }
        })
    }

    async fn until(el: &web_sys::HtmlElement, what: impl Fn(&str) -> bool) -> String {
        for _ in 0..200 {
            leptos::task::tick().await;
            let text = el.text_content().unwrap_or_default();
            if what(&text) {
                return text;
            }
        }
        el.text_content().unwrap_or_default()
    }

    /// Clicks the button whose accessible name (aria-label, else text) is `label`.
    fn click(el: &web_sys::HtmlElement, label: &str) {
        let find = js_sys::Function::new_with_args(
            "el, label",
            "for (const b of el.querySelectorAll('button')) {
                if ((b.getAttribute('aria-label') ?? b.textContent).trim() === label) { b.click(); return true; }
            }
            return false;",
        );
        let clicked = find
            .call2(&wasm_bindgen::JsValue::NULL, el, &label.into())
            .expect("call");
        assert!(
            clicked.as_bool() == Some(true),
            "no button {label:?} in {}",
            el.inner_html()
        );
    }

    fn type_name(el: &web_sys::HtmlElement, value: &str) {
        let input: web_sys::HtmlInputElement = el
            .query_selector("input[type=text]")
            .expect("query")
            .expect("the name field")
            .unchecked_into();
        input.set_value(value);
        let event = web_sys::Event::new("input").expect("event");
        input.dispatch_event(&event).expect("dispatch");
    }

    fn reset(scopes: &[&str]) {
        let storage = storage();
        storage
            .remove_item(&local_key(DefinitionKind::Segment))
            .expect("clear");
        for scope in scopes {
            storage.remove_item(&draft_key(scope)).expect("clear");
        }
    }

    #[wasm_bindgen_test]
    async fn saved_in_this_browser_survives_a_reload_and_so_does_a_draft() {
        reset(&["test-reload"]);
        let el = host();
        let current = RwSignal::new(json!({"rule": "all", "rules": []}));
        let handle = mount_bar(&el, "test-reload", current);
        let text = until(&el, |t| t.contains("Saved in this browser")).await;
        assert!(text.contains("Nothing saved yet."), "{text}");
        type_name(&el, "VIP buyers");
        click(&el, "Save");
        let text = until(&el, |t| t.contains("Saved “VIP buyers” (version 1).")).await;
        assert!(text.contains("Saved “VIP buyers” (version 1)."), "{text}");
        assert_eq!(stored().len(), 1);

        // An unsaved edit is kept as a draft.
        current.set(json!({"rule": "any", "rules": []}));
        until(&el, |t| t.contains("Unsaved changes")).await;

        // "Reload": a fresh bar lists the saved item and offers the draft back.
        drop(handle);
        el.set_inner_html("");
        let fresh = RwSignal::new(json!({"rule": "all", "rules": []}));
        let _handle = mount_bar(&el, "test-reload", fresh);
        let text = until(&el, |t| t.contains("VIP buyers") && t.contains("version 1")).await;
        assert!(text.contains("You have unsaved changes from"), "{text}");
        assert!(el
            .query_selector("button[aria-label='Open VIP buyers']")
            .expect("query")
            .is_some());
        click(&el, "Restore them");
        let text = until(&el, |t| t.contains("Editing “VIP buyers”, version 1")).await;
        assert_eq!(fresh.get_untracked(), json!({"rule": "any", "rules": []}));
        assert!(text.contains("Unsaved changes"), "{text}");
        el.remove();
    }

    #[wasm_bindgen_test]
    async fn two_tabs_saving_the_same_segment_conflict_and_nothing_is_overwritten() {
        reset(&["tab-a", "tab-b"]);
        let (a, b) = (host(), host());
        let mine = RwSignal::new(json!({"rule": "all", "rules": [{"rule": "segment", "id": "a"}]}));
        let _ha = mount_bar(&a, "tab-a", mine);
        until(&a, |t| t.contains("Nothing saved yet.")).await;
        type_name(&a, "Shared");
        click(&a, "Save");
        until(&a, |t| t.contains("(version 1)")).await;

        // Tab B opens the same segment and saves a change first.
        let theirs = RwSignal::new(Value::Null);
        let _hb = mount_bar(&b, "tab-b", theirs);
        until(&b, |t| t.contains("Shared")).await;
        click(&b, "Open Shared");
        until(&b, |t| t.contains("Editing “Shared”, version 1")).await;
        theirs.set(json!({"rule": "all", "rules": [{"rule": "segment", "id": "b"}]}));
        click(&b, "Save");
        until(&b, |t| t.contains("(version 2)")).await;

        // Tab A still started from version 1: saving shows the conflict, overwrites nothing.
        mine.set(json!({"rule": "all", "rules": [{"rule": "segment", "id": "mine"}]}));
        click(&a, "Save");
        let text = until(&a, |t| t.contains("Someone else changed “Shared”")).await;
        assert!(text.contains("Their version 2 was saved"), "{text}");
        let conflict = a
            .query_selector(".crm-conflict")
            .expect("query")
            .expect("the conflict view")
            .text_content()
            .unwrap_or_default();
        assert!(
            conflict.contains("\"b\"") && conflict.contains("\"mine\""),
            "{conflict}"
        );
        let saved = stored();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].version, 2);
        assert_eq!(saved[0].definition["rules"][0]["id"], "b");

        // Save mine as a copy: both versions are kept.
        click(&a, "Save mine as a copy");
        until(&a, |t| t.contains("Saved “Shared (copy)” (version 1).")).await;
        let mut names: Vec<_> = stored()
            .into_iter()
            .map(|d| (d.name, d.definition["rules"][0]["id"].clone()))
            .collect();
        names.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(
            names,
            vec![
                ("Shared".to_owned(), json!("b")),
                ("Shared (copy)".to_owned(), json!("mine"))
            ]
        );

        // Tab B, still at version 2, deletes: allowed. A stale delete would conflict.
        click(&b, "Delete");
        until(&b, |t| t.contains("cannot be undone")).await;
        click(&b, "Yes, delete");
        until(&b, |t| t.contains("Deleted “Shared”.")).await;
        assert_eq!(stored().len(), 1);
        a.remove();
        b.remove();
    }
}
