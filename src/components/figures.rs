//! Headline figures as a description list: a label, the value, and what it means.

use leptos::prelude::*;

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: &'static str,
    pub value: String,
    pub note: Option<&'static str>,
}

/// A row of figure cards (`<dl>` with `<dt>` label / `<dd>` value pairs).
#[component]
pub fn Figures(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] figures: Signal<Vec<Figure>>,
) -> impl IntoView {
    view! {
        <dl class="crm-figures" aria-label=move || label.get()>
            {move || {
                figures
                    .get()
                    .into_iter()
                    .map(|f| {
                        view! {
                            <div class="crm-figure">
                                <dt>{f.label}</dt>
                                <dd>
                                    <span class="crm-figure-value">{f.value}</span>
                                    {f.note.map(|note| view! { <span class="crm-figure-note">{note}</span> })}
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </dl>
    }
}
