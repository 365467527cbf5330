//! How the open segment overlaps another: customers only in this one, in both, only in the other.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::members::Overlap;
use crate::i18n::{fill, format, segments_texts};

#[component]
pub fn SegmentOverlap(
    /// (key, display name) of the segments to compare with.
    #[prop(into)]
    choices: Signal<Vec<(String, String)>>,
    /// The chosen key, empty for none.
    #[prop(into)]
    chosen: Signal<String>,
    on_choose: Callback<String>,
    /// The overlap with the chosen segment, when both can be counted.
    #[prop(into)]
    overlap: Signal<Option<Overlap>>,
) -> impl IntoView {
    let app = use_settings();
    let select = move || {
        let st = segments_texts(app.locale.get());
        let current = chosen.get();
        std::iter::once((String::new(), st.compare_none.to_owned()))
            .chain(choices.get())
            .map(|(key, name)| {
                let is = key == current;
                view! { <option value=key selected=is>{name}</option> }
            })
            .collect_view()
    };
    let other_name = move || {
        let current = chosen.get();
        choices
            .get()
            .into_iter()
            .find(|(k, _)| *k == current)
            .map(|(_, n)| n)
            .unwrap_or_default()
    };
    let table = move || {
        let st = segments_texts(app.locale.get());
        overlap.get().map(|o| {
            let total = (o.only_a + o.both + o.only_b).max(1) as f64;
            let rows = [
                (st.only_this.to_owned(), o.only_a),
                (st.both.to_owned(), o.both),
                (fill(st.only_other, &[&other_name()]), o.only_b),
            ];
            view! {
                <table class="crm-table crm-overlap">
                    <tbody>
                        {rows.into_iter().map(|(label, n)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td class="crm-num" data-testid="overlap-count">{format::count(n)}</td>
                                <td class="crm-bar-cell"><span class="crm-bar" style=format!("width:{:.1}%", n as f64 / total * 100.0)></span></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }
        })
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-overlap-title">
            <h2 id="crm-overlap-title">{move || segments_texts(app.locale.get()).overlap_title}</h2>
            <label class="crm-field">
                <span>{move || segments_texts(app.locale.get()).compare_with}</span>
                <select aria-label=move || segments_texts(app.locale.get()).compare_with
                    on:change=move |ev| on_choose.run(event_target_value(&ev))>
                    {select}
                </select>
            </label>
            {table}
        </section>
    }
}
