//! A page's title (its one `<h1>`) and a sentence on what the page answers.

use leptos::prelude::*;

#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<&'static str>,
    #[prop(into)] intro: Signal<&'static str>,
) -> impl IntoView {
    view! {
        <header class="crm-page-header">
            <h1>{move || title.get()}</h1>
            <p class="crm-intro">{move || intro.get()}</p>
        </header>
    }
}
