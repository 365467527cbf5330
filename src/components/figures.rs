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

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::*;

    use super::{Figure, Figures};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn figures_render_as_term_and_value_and_follow_their_signal() {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .expect("document");
        let el: web_sys::HtmlElement = document
            .create_element("div")
            .expect("div")
            .unchecked_into();
        document
            .body()
            .expect("body")
            .append_child(&el)
            .expect("append");
        let figures = RwSignal::new(vec![Figure {
            label: "Customers",
            value: "6,000".into(),
            note: None,
        }]);
        let _handle = leptos::mount::mount_to(el.clone(), move || {
            view! { <Figures label="Key figures" figures=Signal::from(figures)/> }
        });
        leptos::task::tick().await;
        let dt = el.query_selector("dl dt").expect("query").expect("a term");
        let dd = el.query_selector("dl dd").expect("query").expect("a value");
        assert_eq!(dt.text_content().as_deref(), Some("Customers"));
        assert_eq!(dd.text_content().as_deref(), Some("6,000"));
        figures.set(vec![Figure {
            label: "고객 수",
            value: "6,001".into(),
            note: Some("note"),
        }]);
        leptos::task::tick().await;
        let dd = el.query_selector("dl dd").expect("query").expect("a value");
        assert_eq!(dd.text_content().as_deref(), Some("6,001note"));
        assert_eq!(
            el.query_selector("dl")
                .expect("q")
                .expect("dl")
                .get_attribute("aria-label")
                .as_deref(),
            Some("Key figures")
        );
    }
}
