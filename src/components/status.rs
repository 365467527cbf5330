//! Loading and failure states of the dataset, with a way to try again.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::i18n::{fill, format};
use crate::sync::use_dataset;

/// Shows "loading", or the reason loading failed with a "try again" button, or data warnings.
#[component]
pub fn DataStatus() -> impl IntoView {
    let app = use_settings();
    let dataset = use_dataset();
    move || {
        let t = app.t();
        match dataset.get() {
            None => view! {
                <p class="crm-notice crm-loading" role="status" aria-live="polite">
                    <span class="crm-spinner" aria-hidden="true"></span>
                    {t.loading_data}
                </p>
            }
            .into_any(),
            Some(Err(error)) => view! {
                <div class="crm-notice crm-notice-error" role="alert">
                    <p><strong>{t.load_failed}</strong></p>
                    <p>{error.message(t)}</p>
                    <button type="button" on:click=move |_| dataset.reload.update(|n| *n += 1)>
                        {t.retry}
                    </button>
                </div>
            }
            .into_any(),
            Some(Ok(data)) if data.report.unknown_customer_skipped > 0 => view! {
                <p class="crm-notice crm-notice-warn" role="status">
                    {fill(t.events_skipped, &[&format::count(data.report.unknown_customer_skipped)])}
                </p>
            }
            .into_any(),
            Some(Ok(_)) => ().into_any(),
        }
    }
}
