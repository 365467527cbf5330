//! The retention matrix: a row per cohort, a column per period, cells shaded by value,
//! incomplete cells marked, a mean row; every cell opens the customers behind it.

use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::retention::{Cell, CohortRow, Column, RetentionTable as Table};
use crate::engine::Period;
use crate::i18n::labels::{cohort_short, column_label};
use crate::i18n::{fill, format, Locale, Texts};
use crate::state::cohort_view::Measure;

/// Which cell is open: (table, row, column).
pub type CellRef = (usize, usize, usize);

/// The number a cell shows under `measure`, for shading and text.
pub fn cell_value(measure: Measure, row: &CohortRow, cell: &Cell) -> Option<f64> {
    match measure {
        Measure::Customers => cell.rate,
        Measure::Revenue => cell.value_per_customer,
        Measure::CumulativeRevenue => {
            (row.size > 0).then(|| cell.cumulative_value / row.size as f64)
        }
    }
}

/// The text of a value under `measure`.
pub fn format_value(measure: Measure, value: f64, currency: &str, locale: Locale) -> String {
    match measure {
        Measure::Customers => format::percent(value),
        _ => format::money_compact(value, currency, locale),
    }
}

/// The tooltip and accessible name of a cell.
pub fn cell_description(t: &Texts, row: &CohortRow, cell: &Cell) -> String {
    let base = if row.size > 0 { row.size } else { 0 };
    let [lo, hi] = cell.interval.unwrap_or([f64::NAN, f64::NAN]);
    let mut text = fill(
        t.cell_tooltip,
        &[
            &format::count(cell.customers),
            &format::count(base),
            &cell.rate.map(format::percent).unwrap_or_else(|| "—".into()),
            &format::percent(lo),
            &format::percent(hi),
        ],
    );
    if !cell.complete {
        text.push_str(&format!(" · {}", t.incomplete_period));
    }
    text
}

#[component]
pub fn RetentionTable(
    table: Table,
    table_index: usize,
    columns: Vec<Column>,
    period: Period,
    measure: Measure,
    currency: String,
    small_cohort: usize,
    #[prop(into)] caption: String,
    on_open: Callback<CellRef>,
    #[prop(into)] selected: Signal<Option<CellRef>>,
) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let locale = app.locale.get_untracked();
    // Shade revenue relative to the largest cell; rates are already 0–1.
    let top = table
        .rows
        .iter()
        .flat_map(|row| {
            row.cells
                .iter()
                .flatten()
                .filter_map(move |c| cell_value(measure, row, c))
        })
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let scale = move |v: f64| match measure {
        Measure::Customers => v.clamp(0.0, 1.0),
        _ => (v / top).clamp(0.0, 1.0),
    };
    let header = columns
        .iter()
        .map(|c| view! { <th scope="col" class="crm-num">{column_label(t, period, c)}</th> })
        .collect_view();
    let rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let cells = row
                .cells
                .iter()
                .enumerate()
                .map(|(k, cell)| match cell {
                    None => view! { <td class="crm-empty-cell"></td> }.into_any(),
                    Some(cell) => {
                        let value = cell_value(measure, row, cell);
                        let text = value
                            .map(|v| format_value(measure, v, &currency, locale))
                            .unwrap_or_else(|| "—".into());
                        let level = value.map(scale).unwrap_or(0.0);
                        let shade = format!("--crm-shade:{level:.3}");
                        // Dark cells need light text to stay readable.
                        let description = cell_description(t, row, cell);
                        let incomplete = !cell.complete;
                        let here = (table_index, r, k);
                        view! {
                            <td class="crm-num crm-heat" class:crm-incomplete=incomplete style=shade
                                data-value=value.map(|v| v.to_string())>
                                <button type="button" class="crm-cell-button" title=description.clone()
                                    aria-pressed=move || (selected.get() == Some(here)).to_string()
                                    on:click=move |_| on_open.run(here)>
                                    {text}
                                    {incomplete.then(|| view! { <span class="crm-incomplete-mark" aria-hidden="true">"*"</span> })}
                                    // The visible number first, then where it is and what it means.
                                    <span class="crm-visually-hidden">
                                        {format!(", {}, {}: {}", cohort_short(period, row.start, locale), column_label(t, period, &columns_label(&columns, k)), description)}
                                    </span>
                                </button>
                            </td>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            let small = row.size > 0 && row.small;
            view! {
                <tr>
                    <th scope="row">
                        {cohort_short(period, row.start, locale)}
                        {small.then(|| view! {
                            <span class="crm-small-flag" title=fill(t.small_cohort, &[&small_cohort.to_string()])
                                aria-label=fill(t.small_cohort, &[&small_cohort.to_string()])>"!"</span>
                        })}
                    </th>
                    <td class="crm-num">{format::count(row.size)}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let mean = (!table.mean.is_empty()).then(|| {
        let cells = table
            .mean
            .iter()
            .map(|m| {
                let value = match measure {
                    Measure::Customers => m.rate,
                    _ => m.value_per_customer,
                };
                let text = value
                    .map(|v| format_value(measure, v, &currency, locale))
                    .unwrap_or_else(|| "—".into());
                view! { <td class="crm-num" data-value=value.map(|v| v.to_string())>{text}</td> }
            })
            .collect_view();
        view! {
            <tfoot>
                <tr class="crm-mean-row">
                    <th scope="row">{t.mean_row}</th>
                    <td></td>
                    {cells}
                </tr>
            </tfoot>
        }
    });
    view! {
        <div class="crm-table-wrap crm-retention-wrap">
            <table class="crm-table crm-retention">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t.cohort_col}</th>
                        <th scope="col" class="crm-num">{t.cohort_size}</th>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
                {mean}
            </table>
        </div>
    }
}

fn columns_label(columns: &[Column], k: usize) -> Column {
    columns.get(k).cloned().unwrap_or(Column { from: 0, to: 0 })
}
