//! Shown for any path the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::use_settings;

#[component]
pub fn NotFound() -> impl IntoView {
    let app = use_settings();
    view! {
        <header class="crm-page-header">
            <h1>{move || app.t().not_found}</h1>
        </header>
        <p>
            <A href=app.href("/")>{move || app.t().back_to_dashboard}</A>
        </p>
    }
}
