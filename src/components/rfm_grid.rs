//! The RFM grid: recency × frequency scores shaded by customers or by revenue, the named
//! segments with their customers and share of revenue, and the editor of names, ranges, window
//! and cut points. A cell or a segment opens its customers ([`RfmMembers`]).

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::use_settings;
use crate::components::rfm_editor::RfmEditor;
use crate::components::rfm_members::{RfmMembers, RfmPick};
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::rfm::{RfmCuts, RfmResult, RfmSpec};
use crate::engine::QueryError;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format, rfm_segment_name};
use crate::sync::{dataset::run_query, Dataset};

/// What the grid's shading shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shade {
    Customers,
    Revenue,
}

pub fn run_rfm(
    data: &Dataset,
    app: &crate::app::AppSettings,
    spec: RfmSpec,
) -> Result<RfmResult, QueryError> {
    match run_query(data, app, None, Analysis::Rfm(spec))? {
        QueryResult::Rfm(result) => Ok(*result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

#[component]
pub fn RfmGrid(data: Arc<Dataset>, spec: RwSignal<RfmSpec>) -> impl IntoView {
    let app = use_settings();
    let currency = app.currency(&data.store.meta.currency);
    let shade = RwSignal::new(Shade::Customers);
    let picked: RwSignal<Option<RfmPick>> = RwSignal::new(None);
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_rfm(&data, &app, spec.get())
        })
    };
    // A new definition closes the member list: its cell or segment may have changed.
    Effect::new(move |_| {
        spec.track();
        picked.set(None);
    });
    let cut_points = Signal::derive(move || result.get().ok().map(|r| r.cut_points));
    let body = move || {
        let t = app.t();
        let d = dashboard_texts(app.locale.get());
        let locale = app.locale.get();
        let result = match result.get() {
            Ok(r) => r,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
            }
        };
        let by = shade.get();
        let cells = result.grid.iter().flatten();
        let most = match by {
            Shade::Customers => cells.map(|c| c.customers as f64).fold(0.0, f64::max),
            Shade::Revenue => cells.map(|c| c.monetary).fold(0.0, f64::max),
        };
        let header = (1..=5)
            .map(|f| view! { <th scope="col" class="crm-num">{format!("F{f}")}</th> })
            .collect_view();
        let rows = (1..=5u8)
            .rev()
            .map(|r| {
                let cells = (1..=5u8)
                    .map(|f| {
                        let cell = result.grid[usize::from(r - 1)][usize::from(f - 1)];
                        let measure = match by {
                            Shade::Customers => cell.customers as f64,
                            Shade::Revenue => cell.monetary,
                        };
                        let level = if most > 0.0 { measure / most } else { 0.0 };
                        let label = fill(
                            t.rfm_cell,
                            &[
                                &r.to_string(),
                                &f.to_string(),
                                &format::count(cell.customers),
                                &format::money_compact(cell.monetary, &currency, locale),
                            ],
                        );
                        let shown = match by {
                            Shade::Customers => format::count(cell.customers),
                            Shade::Revenue => format::money_compact(cell.monetary, &currency, locale),
                        };
                        // The visible number leads the name (WCAG 2.5.3, label in name).
                        let action = format!("{shown} — {}", fill(d.rfm_show_members, &[&label]));
                        view! {
                            <td class="crm-num crm-heat" style=format!("--crm-shade:{level:.3}") title=label>
                                <button type="button" class="crm-cell-button" aria-label=action
                                    on:click=move |_| picked.set(Some(RfmPick::Cell(r, f)))>
                                    {shown}
                                </button>
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{format!("R{r}")}</th>{cells}</tr> }
            })
            .collect_view();
        let segments = result
            .segments
            .iter()
            .map(|s| {
                let name = rfm_segment_name(t, &s.name);
                let key = s.name.clone();
                let action = fill(d.rfm_show_members, &[&name]);
                view! {
                    <tr>
                        <th scope="row">
                            <button type="button" class="crm-link-button" aria-label=action
                                on:click=move |_| picked.set(Some(RfmPick::Segment(key.clone())))>{name}</button>
                        </th>
                        <td class="crm-num">{format::count(s.customers)}</td>
                        <td class="crm-num">{format::money_compact(s.revenue, &currency, locale)}</td>
                        <td class="crm-num">{s.revenue_share.map(|v| format::percent(v / 100.0)).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            })
            .collect_view();
        let quintiles = spec.with(|s| matches!(s.cuts, RfmCuts::Quintiles));
        let intro = if quintiles {
            d.rfm_intro_quintiles
        } else {
            d.rfm_intro_own
        };
        // Empty rows or columns look like a fault unless the ties behind them are explained.
        let empty = result.empty_scores();
        let empty_note = (quintiles && !empty.is_empty()).then(|| {
            let scores: Vec<String> = empty
                .recency
                .iter()
                .map(|r| format!("R{r}"))
                .chain(empty.frequency.iter().map(|f| format!("F{f}")))
                .collect();
            fill(d.rfm_empty_scores, &[&scores.join(", "), d.rfm_edit])
        });
        view! {
            <p class="crm-intro">{fill(intro, &[&result.window_days.to_string()])}</p>
            {empty_note.map(|note| view! { <p class="crm-intro crm-rfm-empty-note">{note}</p> })}
            <div class="crm-rfm">
                <table class="crm-table crm-retention crm-rfm-grid">
                    <caption>{format!("{} / {}", t.rfm_recency, t.rfm_frequency)}</caption>
                    <thead><tr><th scope="col"><span class="crm-visually-hidden">{t.rfm_recency}</span></th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <table class="crm-table crm-rfm-segments">
                    <caption>{t.rfm_segments}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.rfm_segment}</th>
                            <th scope="col" class="crm-num">{t.rfm_customers}</th>
                            <th scope="col" class="crm-num">{t.rfm_revenue}</th>
                            <th scope="col" class="crm-num">{t.rfm_share}</th>
                        </tr>
                    </thead>
                    <tbody>{segments}</tbody>
                </table>
            </div>
            <p>
                <button type="button" class="crm-link-button"
                    on:click=move |_| picked.set(Some(RfmPick::Segment(crate::engine::rfm::NO_PURCHASE.to_owned())))>
                    {fill(t.rfm_no_purchase, &[&format::count(result.without_purchase)])}
                </button>
            </p>
        }
        .into_any()
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-rfm-title">
            <h2 id="crm-rfm-title">{move || app.t().rfm_title}</h2>
            <div class="crm-kpi-controls">
                <label class="crm-field">
                    <span>{move || dashboard_texts(app.locale.get()).rfm_shade_by}</span>
                    <select aria-label=move || dashboard_texts(app.locale.get()).rfm_shade_by on:change=move |ev| {
                        shade.set(if event_target_value(&ev) == "revenue" { Shade::Revenue } else { Shade::Customers });
                    }>
                        <option value="customers" selected=move || shade.get() == Shade::Customers>
                            {move || dashboard_texts(app.locale.get()).rfm_shade_customers}
                        </option>
                        <option value="revenue" selected=move || shade.get() == Shade::Revenue>
                            {move || dashboard_texts(app.locale.get()).rfm_shade_revenue}
                        </option>
                    </select>
                </label>
            </div>
            {body}
            <RfmEditor spec cut_points/>
            <RfmMembers data spec picked/>
        </section>
    }
}
