//! The journey designer: build a flow (entry → steps → exit) from the node kinds of DOMAIN.md,
//! check it, backtest it on history and save it. `?template=<id>` starts from a source journey,
//! `?saved=<id>` opens a saved one.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::app::use_settings;
use crate::components::download::download_text;
use crate::components::journey_backtest_view::JourneyBacktestView;
use crate::components::journey_designer::{
    localised_template, template_label, Checks, ChecksSummary, Designer, FlowCanvas,
    JourneySettings, SendingRulesEditor,
};
use crate::components::{DefinitionBar, PageHeader, WithDataset};
use crate::engine::journey::Journey;
use crate::engine::journey_templates::{template, templates};
use crate::engine::query::{Analysis, JourneyValidateSpec, QueryResult};
use crate::engine::segment_rule::Rule;
use crate::engine::segment_templates;
use crate::hooks::use_debounced;
use crate::i18n::journey_designer_texts::journey_designer_texts;
use crate::i18n::{fill, template_name};
use crate::model::{DefinitionKind, SavedDefinition};
use crate::state::journey_edit;
use crate::state::saved_segment::{referable_segments, segment_library};
use crate::sync::dataset::run_query_with_segments;
use crate::sync::saved_segments::use_saved_segments;
use crate::sync::Dataset;

/// Milliseconds between the last edit and the new check.
const DEBOUNCE_MS: u64 = 150;

/// A saved definition as a journey. Read from its text: the wasm already holds the text reader
/// of a journey (the templates), and a second reader for JSON values would add to the download.
fn parse_journey(value: &serde_json::Value) -> Result<Journey, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

#[component]
pub fn JourneyDesigner() -> impl IntoView {
    let app = use_settings();
    let t = move || journey_designer_texts(app.locale.get());
    view! {
        <PageHeader title=Signal::derive(move || t().title) intro=Signal::derive(move || t().intro)/>
        <WithDataset let:data>
            <DesignerView data/>
        </WithDataset>
    }
}

#[component]
fn DesignerView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let tx = move || journey_designer_texts(app.locale.get());
    let (template_id, saved_id) =
        use_query_map().with_untracked(|q| (q.get("template"), q.get("saved")));
    // `?saved=` opens that one (the bar loads it); otherwise a template, by default sign-up.
    let initial = match (&saved_id, &template_id) {
        (Some(_), _) => journey_edit::blank(),
        (None, id) => id
            .as_deref()
            .and_then(template)
            .or_else(|| template("signup_coupon"))
            .map(|t| localised_template(journey_designer_texts(app.locale.get_untracked()), t))
            .unwrap_or_else(journey_edit::blank),
    };
    let journey = RwSignal::new(initial);
    let revision = RwSignal::new(0u64);
    let load = move |j: Journey| {
        journey.set(j);
        revision.update(|r| *r += 1);
    };
    // A template or a blank journey is a new item: the definition bar then lets go of an open
    // saved journey, so saving never overwrites it.
    let new_item = RwSignal::new(0u32);
    let start_new = move |j: Journey| {
        load(j);
        new_item.update(|n| *n += 1);
    };

    // The check follows the journey once typing pauses.
    let settled = use_debounced(journey, Duration::from_millis(DEBOUNCE_MS));
    // A real demo customer for the personalisation previews.
    let preview = data.store.customers.ids.first().cloned();
    let preview_name = data
        .store
        .customers
        .names
        .first()
        .map(|n| format!("{n} ({})", preview.clone().unwrap_or_default()))
        .unwrap_or_default();
    // Saved segments and templates: rules can refer to them, or copy their rules in.
    let saved_segments = use_saved_segments().list;
    let library = Memo::new(move |_| saved_segments.with(|s| segment_library(s)));
    let referable = Signal::derive(move || saved_segments.with(|s| referable_segments(app.t(), s)));
    let checks = {
        let data = data.clone();
        Memo::new(move |_| -> Checks {
            app.zone.track();
            let spec = JourneyValidateSpec {
                journey: settled.get(),
                preview_customer: preview.clone(),
            };
            Some(
                match run_query_with_segments(
                    &data,
                    &app,
                    library.get(),
                    None,
                    Analysis::JourneyValidate(spec),
                ) {
                    Ok(QueryResult::JourneyValidate(v)) => Ok(v),
                    Ok(_) => Err("unexpected result".to_owned()),
                    Err(e) => Err(e.to_string()),
                },
            )
        })
    };

    let segments = Signal::derive(move || {
        let t = app.t();
        let mut out: Vec<(String, String, Rule)> = segment_templates::templates()
            .into_iter()
            .map(|s| (format!("template:{}", s.id), template_name(t, s.id), s.rule))
            .collect();
        saved_segments.with(|list| {
            out.extend(
                list.iter()
                    .map(|s| (format!("saved:{}", s.id), s.name.clone(), s.rule.clone())),
            )
        });
        out
    });

    let d = Designer::new(
        journey,
        revision,
        checks.into(),
        data.clone(),
        segments,
        (referable, library.into()),
        preview_name,
    );

    let unreadable = RwSignal::new(false);
    let open_saved =
        Callback::new(
            move |saved: SavedDefinition| match parse_journey(&saved.definition) {
                Ok(j) => {
                    unreadable.set(false);
                    load(j);
                }
                Err(_) => unreadable.set(true),
            },
        );
    let restore_draft = Callback::new(move |definition: serde_json::Value| {
        if let Ok(j) = parse_journey(&definition) {
            load(j);
        }
    });
    let errors = Memo::new(move |_| {
        checks.with(|c| match c {
            Some(Ok(v)) => v.validation.errors,
            Some(Err(_)) => 1,
            None => 0,
        })
    });
    let save_blocked = Signal::derive(move || {
        let n = errors.get();
        (n > 0).then(|| fill(tx().save_blocked, &[&n.to_string()]))
    });
    let default_name = Signal::derive(move || {
        let name = journey.with(|j| j.name.clone());
        Some(if name.trim().is_empty() {
            tx().untitled.to_owned()
        } else {
            name
        })
    });
    let template_buttons = move || {
        let tx = tx();
        templates()
            .into_iter()
            .map(|tpl| {
                let name = template_label(tx, tpl.id);
                let j = localised_template(tx, tpl);
                view! {
                    <button type="button" class="crm-chip" aria-label=fill(tx.use_template, &[&name])
                        on:click=move |_| start_new(j.clone())>{name.clone()}</button>
                }
            })
            .collect_view()
    };
    let json =
        // Through a JSON value (as saved), whose pretty printer the app already has.
        Memo::new(move |_| {
            journey.with(|j| {
                serde_json::to_value(j)
                    .and_then(|v| serde_json::to_string_pretty(&v))
                    .unwrap_or_default()
            })
        });
    let download = move |_| {
        if let Err(e) = download_text("journey.json", "application/json", &json.get_untracked()) {
            web_sys::console::warn_1(&e.into());
        }
    };
    // The backtest replays the settled journey once it has no errors (the engine refuses others).
    let backtested = Signal::derive(move || {
        let valid = checks.with(|c| matches!(c, Some(Ok(v)) if v.validation.valid));
        valid.then(|| settled.get())
    });
    view! {
        <section class="crm-card" aria-labelledby="jd-start-title">
            <h2 id="jd-start-title">{move || tx().start_title}</h2>
            <div class="crm-presets">
                {template_buttons}
                <button type="button" class="crm-chip" id="jd-new" on:click=move |_| start_new(journey_edit::blank())>
                    {move || tx().new_journey}
                </button>
            </div>
            {move || unreadable.get().then(|| view! {
                <p class="crm-notice crm-notice-warn" role="alert">{tx().saved_unreadable}</p>
            })}
        </section>
        <DefinitionBar
            kind=DefinitionKind::Journey
            current=Signal::derive(move || serde_json::to_value(journey.get()).unwrap_or_default())
            on_open=open_saved
            on_restore=restore_draft
            open_id=saved_id.clone()
            draft_scope="journeys"
            save_blocked=save_blocked
            default_name=default_name
            new_item=new_item
        />
        <ChecksSummary d/>
        <div class="jd-layout">
            <div class="jd-side">
                <JourneySettings d/>
                <SendingRulesEditor d/>
            </div>
            <FlowCanvas d/>
        </div>
        <details class="crm-card jd-json">
            <summary>{move || tx().json_title}</summary>
            <pre data-testid="journey-json">{move || json.get()}</pre>
            <button type="button" class="crm-secondary" on:click=download>{move || tx().download_json}</button>
        </details>
        <JourneyBacktestView data journey=backtested segments=library/>
    }
}
