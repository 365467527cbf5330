//! The table cells of a "how many, what share, bar" row, as the segment and event tables show it.

use leptos::prelude::*;

use crate::i18n::format;

/// Three `<td>`s: the count, its share of `total`, and a bar as long as the share.
#[component]
pub fn ShareCells(count: usize, total: usize) -> impl IntoView {
    let share = count as f64 / total.max(1) as f64;
    view! {
        <td class="crm-num">{format::count(count)}</td>
        <td class="crm-num">{format::percent(share)}</td>
        <td class="crm-bar-cell" aria-hidden="true">
            <span class="crm-bar" style=format!("width:{:.1}%", share * 100.0)></span>
        </td>
    }
}
