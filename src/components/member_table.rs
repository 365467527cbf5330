//! A virtual, sortable member table: only the rows in view (plus a few above and below) are in
//! the DOM, whatever the number of members, so 100,000 rows scroll as smoothly as 100. Names
//! link to the customer's profile.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::use_settings;
use crate::engine::lifecycle::LifecycleStage;
use crate::engine::members::{MemberRow, SortKey};
use crate::engine::rfm::NO_PURCHASE;
use crate::i18n::segments_texts::SegmentsTexts;
use crate::i18n::{format, rfm_segment_name, segments_texts, Locale, Texts};
use crate::sync::Dataset;

/// Height of one row in pixels (the stylesheet fixes it too).
pub const ROW_HEIGHT: f64 = 38.0;
/// Height of the scrolling area in pixels.
const VIEWPORT: f64 = 456.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 6;

/// The column title of a sort key.
pub fn column_title(t: &Texts, st: &SegmentsTexts, key: SortKey) -> &'static str {
    match key {
        SortKey::Name => t.col_name,
        SortKey::Email => t.col_email,
        SortKey::Signup => t.col_signup,
        SortKey::LastSeen => t.col_last_seen,
        SortKey::Orders => t.col_orders,
        SortKey::Revenue => t.col_revenue,
        SortKey::Clv => st.col_clv,
        SortKey::Rfm => st.col_rfm,
        SortKey::Stage => st.col_stage,
    }
}

pub fn stage_name(t: &Texts, stage: Option<LifecycleStage>) -> String {
    match stage {
        Some(LifecycleStage::New) => t.stage_new.to_owned(),
        Some(LifecycleStage::Returning) => t.stage_returning.to_owned(),
        Some(LifecycleStage::Resurrecting) => t.stage_resurrecting.to_owned(),
        Some(LifecycleStage::Dormant) => t.stage_dormant.to_owned(),
        None => "—".to_owned(),
    }
}

pub fn rfm_name(t: &Texts, st: &SegmentsTexts, name: &str) -> String {
    if name == NO_PURCHASE {
        st.rfm_no_purchase.to_owned()
    } else {
        rfm_segment_name(t, name)
    }
}

/// The cells of one member as text, in column order (for the table and the CSV).
pub fn member_cells(
    data: &Dataset,
    row: &MemberRow,
    locale: Locale,
    currency: &str,
    zone: &crate::engine::Zone,
) -> [String; 9] {
    let t = locale.texts();
    let st = segments_texts(locale);
    let c = &data.store.customers;
    let i = row.customer as usize;
    [
        c.names[i].clone(),
        c.emails[i].clone().unwrap_or_default(),
        format::unix_date(c.created_at[i], zone, locale),
        row.last_seen
            .map(|at| format::unix_date(at, zone, locale))
            .unwrap_or_else(|| t.never.to_owned()),
        format::count(row.orders as usize),
        format::money(row.revenue, currency, locale),
        format::money(row.clv, currency, locale),
        rfm_name(t, st, &row.rfm_segment),
        stage_name(t, row.stage),
    ]
}

#[component]
pub fn MemberTable(
    data: Arc<Dataset>,
    /// Every customer's row, by customer index.
    rows: Memo<Arc<Vec<MemberRow>>>,
    /// Customer indexes in display order.
    #[prop(into)]
    order: Signal<Arc<Vec<u32>>>,
    sort: RwSignal<SortKey>,
    descending: RwSignal<bool>,
    /// Names the scrolling region.
    #[prop(into)]
    caption: Signal<String>,
) -> impl IntoView {
    let app = use_settings();
    let first = RwSignal::new(0usize);
    let currency = app.currency(&data.store.meta.currency);
    let on_scroll = move |ev: leptos::ev::Event| {
        let top = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|e| e.scroll_top())
            .unwrap_or(0);
        let start = ((top.max(0) as f64) / ROW_HEIGHT) as usize;
        if first.get_untracked() != start {
            first.set(start);
        }
    };
    let header = move || {
        let locale = app.locale.get();
        let (t, st) = (locale.texts(), segments_texts(locale));
        let (current, desc) = (sort.get(), descending.get());
        SortKey::ALL
            .into_iter()
            .map(|key| {
                let title = column_title(t, st, key);
                let numeric = matches!(key, SortKey::Orders | SortKey::Revenue | SortKey::Clv);
                let aria_sort = match (key == current, desc) {
                    (false, _) => "none",
                    (true, true) => "descending",
                    (true, false) => "ascending",
                };
                let arrow = match (key == current, desc) {
                    (false, _) => "",
                    (true, true) => " ↓",
                    (true, false) => " ↑",
                };
                let scope_class = if numeric { "crm-num" } else { "" };
                view! {
                    <th scope="col" class=scope_class aria-sort=aria_sort>
                        <button type="button" class="crm-sort" title=fill_sort(st, title)
                            on:click=move |_| {
                                if sort.get_untracked() == key {
                                    descending.update(|d| *d = !*d);
                                } else {
                                    sort.set(key);
                                    descending.set(!matches!(key, SortKey::Name | SortKey::Email));
                                }
                            }>
                            {title}<span aria-hidden="true">{arrow}</span>
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    let body = move || {
        let locale = app.locale.get();
        let zone = app.zone.get();
        let order = order.get();
        let n = order.len();
        let visible = (VIEWPORT / ROW_HEIGHT).ceil() as usize;
        let start = first.get().saturating_sub(OVERSCAN).min(n);
        let end = (first.get() + visible + OVERSCAN).min(n);
        let top = start as f64 * ROW_HEIGHT;
        let bottom = (n - end) as f64 * ROW_HEIGHT;
        let rows_now = rows.get();
        let drawn = order[start..end]
            .iter()
            .enumerate()
            .filter_map(|(k, &c)| {
                let row = rows_now.get(c as usize)?;
                let cells = member_cells(&data, row, locale, &currency, &zone);
                let id = data.store.customers.ids[c as usize].clone();
                let href = app.href(&format!(
                    "/customers/{}",
                    String::from(js_sys::encode_uri_component(&id))
                ));
                let [name, email, signup, last, orders, revenue, clv, rfm, stage] = cells;
                Some(view! {
                    <tr aria-rowindex=(start + k + 2).to_string()>
                        <th scope="row"><a href=href>{name}</a></th>
                        <td>{email}</td>
                        <td>{signup}</td>
                        <td>{last}</td>
                        <td class="crm-num">{orders}</td>
                        <td class="crm-num">{revenue}</td>
                        <td class="crm-num">{clv}</td>
                        <td>{rfm}</td>
                        <td>{stage}</td>
                    </tr>
                })
            })
            .collect_view();
        view! {
            <tr class="crm-spacer" aria-hidden="true" style=format!("height:{top}px")><td colspan="9"></td></tr>
            {drawn}
            <tr class="crm-spacer" aria-hidden="true" style=format!("height:{bottom}px")><td colspan="9"></td></tr>
        }
    };
    let count = move || (order.get().len() + 1).to_string();
    view! {
        <div class="crm-vtable" role="region" tabindex="0" aria-label=move || caption.get() on:scroll=on_scroll
            style=format!("max-height:{VIEWPORT}px")>
            <table class="crm-table crm-members" aria-rowcount=count>
                <thead><tr aria-rowindex="1">{header}</tr></thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

fn fill_sort(st: &SegmentsTexts, title: &str) -> String {
    crate::i18n::fill(st.sort_by, &[title])
}
