//! The progress of loading or refreshing the dataset (stage, pages, rows, bytes) with a Cancel
//! button; and the "Refresh data" control with the reason a refresh failed.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::i18n::sync_texts::{sync_texts, SyncTexts};
use crate::i18n::{fill, format};
use crate::sync::dataset::use_load_control;
use crate::sync::loader::{Progress, Stage};

/// "Loading events: 3 pages, 12,000 rows, 4.2 MB".
pub fn progress_text(s: &SyncTexts, p: &Progress) -> String {
    let stage = match p.stage {
        Stage::Meta => s.stage_meta,
        Stage::Customers => s.stage_customers,
        Stage::Events => s.stage_events,
    };
    fill(
        s.load_progress,
        &[
            stage,
            &format::count(p.pages),
            &format::count(p.rows),
            &bytes(p.bytes),
        ],
    )
}

fn bytes(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{} MB", format::decimal(n as f64 / 1_000_000.0, 1))
    } else {
        format!("{} KB", format::decimal(n as f64 / 1_000.0, 0))
    }
}

/// The progress bar and Cancel button while a load or refresh runs (nothing otherwise).
#[component]
pub fn LoadProgress() -> impl IntoView {
    let app = use_settings();
    let Some(control) = use_load_control() else {
        return ().into_any();
    };
    let s = move || sync_texts(app.locale.get());
    (move || {
        control.progress.get().map(|p| {
            let stage_done = match p.stage {
                Stage::Meta => 0.0,
                Stage::Customers => 1.0,
                Stage::Events => 2.0,
            };
            view! {
                <div class="crm-notice crm-load-progress" role="status" aria-live="polite">
                    <progress aria-label=move || s().progress_label max="3" value=stage_done.to_string()></progress>
                    <span>{progress_text(s(), &p)}</span>
                    <button type="button" on:click=move |_| control.cancel()>
                        {move || if control.refreshing.get() { s().cancel_refresh } else { s().cancel_load }}
                    </button>
                </div>
            }
        })
    })
    .into_any()
}

/// "Refresh data" for a backend (asks only for changes since the last load) and the time of the
/// data on screen; nothing in demo mode.
#[component]
pub fn RefreshData() -> impl IntoView {
    let app = use_settings();
    let Some(control) = use_load_control() else {
        return ().into_any();
    };
    let s = move || sync_texts(app.locale.get());
    (move || {
        control.can_refresh().then(|| {
            view! {
                <span class="crm-refresh">
                    <button
                        type="button"
                        on:click=move |_| control.refresh()
                        disabled=move || control.progress.get().is_some()
                    >
                        {move || if control.refreshing.get() { s().refreshing } else { s().refresh_data }}
                    </button>
                    {move || {
                        control.server_time.get().map(|t| {
                            let at = app.zone.get().datetime(t.timestamp()).format("%Y-%m-%d %H:%M").to_string();
                            view! { <span class="crm-muted">{fill(s().last_synced, &[&at])}</span> }
                        })
                    }}
                </span>
            }
        })
    })
    .into_any()
}

/// Why the last refresh failed (the data on screen is the previous one), with "Try again".
#[component]
pub fn RefreshError() -> impl IntoView {
    let app = use_settings();
    let Some(control) = use_load_control() else {
        return ().into_any();
    };
    let s = move || sync_texts(app.locale.get());
    (move || {
        control.refresh_error.get().map(|error| {
            view! {
                <div class="crm-notice crm-notice-error crm-refresh-error" role="alert">
                    <p><strong>{move || s().refresh_failed}</strong></p>
                    <p>{error.message(app.t())}</p>
                    <button type="button" on:click=move |_| control.refresh()>{move || app.t().retry}</button>
                </div>
            }
        })
    })
    .into_any()
}
