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

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use std::sync::Arc;

    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::DataStatus;
    use crate::app::AppSettings;
    use crate::config;
    use crate::engine::{WeekStart, Zone};
    use crate::i18n::Locale;
    use crate::sync::{Dataset, DatasetContext, SyncError};

    wasm_bindgen_test_configure!(run_in_browser);

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

    async fn until(host: &web_sys::HtmlElement, what: impl Fn(&str) -> bool) -> String {
        for _ in 0..100 {
            leptos::task::tick().await;
            let text = host.text_content().unwrap_or_default();
            if what(&text) {
                return text;
            }
        }
        host.text_content().unwrap_or_default()
    }

    #[wasm_bindgen_test]
    async fn a_failed_load_explains_itself_and_try_again_reloads() {
        let el = host();
        let attempts = RwSignal::new(0u32);
        let _handle = leptos::mount::mount_to(el.clone(), move || {
            provide_context(AppSettings {
                locale: RwSignal::new(Locale::En),
                zone: RwSignal::new(Zone::default()),
                week_start: RwSignal::new(WeekStart::Monday),
                initial: StoredValue::new(config::resolve(&[], &[])),
            });
            let reload = RwSignal::new(0u32);
            let resource = LocalResource::new(move || {
                reload.track();
                attempts.update_untracked(|n| *n += 1);
                async move {
                    Err::<Arc<Dataset>, _>(SyncError::Http {
                        url: "/demo/meta.json".into(),
                        status: 500,
                    })
                }
            });
            provide_context(DatasetContext { resource, reload });
            view! { <DataStatus/> }
        });
        let text = until(&el, |t| t.contains("HTTP 500")).await;
        assert!(text.contains("The data could not be loaded."), "{text}");
        assert!(
            text.contains("The server answered HTTP 500 for /demo/meta.json."),
            "{text}"
        );
        let alert = el
            .query_selector("[role=alert]")
            .expect("query")
            .expect("an alert");
        assert!(alert
            .text_content()
            .unwrap_or_default()
            .contains("Try again"));
        let before = attempts.get_untracked();
        let button: web_sys::HtmlElement = el
            .query_selector("button")
            .expect("query")
            .expect("a retry button")
            .unchecked_into();
        button.click();
        for _ in 0..20 {
            leptos::task::tick().await;
        }
        assert_eq!(
            attempts.get_untracked(),
            before + 1,
            "try again loads once more"
        );
    }
}
