//! Do customers come back? Cohort retention with every option analysts expect, curves, the
//! customers behind each cell, and two definitions side by side. All settings live in the URL.

use std::sync::Arc;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::app::{use_settings, AppSettings};
use crate::charts::retention_curves::{retention_curves_svg, CurveSeries, RetentionCurves};
use crate::components::cell_explainer::{CellExplainer, CellStory};
use crate::components::download::{download_svg_as_png, download_text};
use crate::components::ignored_params::IgnoredParams;
use crate::components::retention_answer::RetentionAnswer;
use crate::components::retention_controls::RetentionControls;
use crate::components::retention_table::{cell_value, CellRef, RetentionTable};
use crate::components::{PageHeader, WithDataset};
use crate::engine::promotions::{buyers_rule, promotions, versus_the_rest};
use crate::engine::query::{Analysis, CellCustomers, QueryResult, RetentionCellSpec};
use crate::engine::retention::{RetentionResult, RetentionSpec};
use crate::engine::segment_rule::Rule;
use crate::engine::segment_templates::template;
use crate::engine::QueryError;
use crate::export::excel_csv;
use crate::i18n::cohorts_texts::cohorts_texts;
use crate::i18n::labels::{cohort_short, column_label};
use crate::i18n::{event_label, fill, format, template_name};
use crate::state::cohort_view::{CohortView, Measure, SegmentRef};
use crate::sync::saved_segments::{use_saved_segments, SavedSegment};
use crate::sync::{dataset::run_query, Dataset};

#[component]
pub fn Cohorts() -> impl IntoView {
    let app = use_settings();
    view! {
        <PageHeader title=Signal::derive(move || app.t().nav_cohorts) intro=Signal::derive(move || app.t().cohorts_intro)/>
        <WithDataset let:data>
            <CohortsView data/>
        </WithDataset>
    }
}

/// The rule and the display name of a segment named in the URL.
fn resolve_segment(
    segment: &SegmentRef,
    app: &AppSettings,
    saved: &[SavedSegment],
) -> Result<(String, Rule), QueryError> {
    let t = app.t();
    let ct = cohorts_texts(app.locale.get_untracked());
    match segment {
        SegmentRef::Template(id) => template(id)
            .map(|tpl| (template_name(t, tpl.id), tpl.rule))
            .ok_or_else(|| QueryError::invalid("filter", id.clone())),
        SegmentRef::Coupon(code) => Ok((fill(ct.coupon_buyers, &[code]), buyers_rule(code))),
        SegmentRef::Saved(id) => saved
            .iter()
            .find(|s| s.id == *id)
            .map(|s| (s.name.clone(), s.rule.clone()))
            .ok_or_else(|| QueryError::invalid("segment", fill(ct.saved_missing, &[id]))),
    }
}

/// The filter rule and the spec with the segment breakdown put in, as the engine takes them.
fn effective(
    app: &AppSettings,
    view: &CohortView,
    spec: &RetentionSpec,
    saved: &[SavedSegment],
) -> Result<(Option<Rule>, RetentionSpec), QueryError> {
    let filter = match &view.filter {
        Some(segment) => Some(resolve_segment(segment, app, saved)?.1),
        None => None,
    };
    let mut spec = spec.clone();
    if let Some(segment) = &view.versus {
        let (label, rule) = resolve_segment(segment, app, saved)?;
        let others = cohorts_texts(app.locale.get_untracked()).everyone_else;
        spec.breakdown = Some(versus_the_rest(&label, rule, others));
    }
    Ok((filter, spec))
}

fn run_retention(
    data: &Dataset,
    app: &AppSettings,
    view: &CohortView,
    spec: &RetentionSpec,
    saved: &[SavedSegment],
) -> Result<RetentionResult, QueryError> {
    let (filter, spec) = effective(app, view, spec, saved)?;
    match run_query(data, app, filter, Analysis::Retention(spec))? {
        QueryResult::Retention(result) => Ok(result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

fn run_cell(
    data: &Dataset,
    app: &AppSettings,
    view: &CohortView,
    cell: CellRef,
    saved: &[SavedSegment],
) -> Result<CellCustomers, QueryError> {
    let (table, row, column) = cell;
    let (filter, retention) = effective(app, view, &view.spec, saved)?;
    let spec = RetentionCellSpec {
        retention,
        table,
        row,
        column,
    };
    match run_query(data, app, filter, Analysis::RetentionCell(spec))? {
        QueryResult::RetentionCell(customers) => Ok(customers),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

/// The CSV of a result: one line per group and cohort, a column per period.
fn result_csv(result: &RetentionResult, view: &CohortView, app: &AppSettings) -> String {
    let t = app.t();
    let mut header = vec![
        t.breakdown.to_owned(),
        t.cohort_col.to_owned(),
        t.cohort_size.to_owned(),
    ];
    header.extend(
        result
            .columns
            .iter()
            .map(|c| column_label(t, result.period, c)),
    );
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = result.tables.iter().flat_map(|table| {
        table.rows.iter().map(move |row| {
            let mut line = vec![
                table.label.clone(),
                row.start.to_string(),
                row.size.to_string(),
            ];
            line.extend(row.cells.iter().map(|cell| {
                match cell {
                    Some(cell) => cell_value(view.measure, row, cell)
                        .map(|v| match view.measure {
                            Measure::Customers => format!("{:.4}", v),
                            _ => format!("{:.0}", v),
                        })
                        .unwrap_or_default(),
                    None => String::new(),
                }
            }));
            line
        })
    });
    excel_csv(&header, rows)
}

/// Curves for one table: a line per cohort (or, with a breakdown, per group's mean) and the mean.
fn curves(
    result: &RetentionResult,
    view: &CohortView,
    app: &AppSettings,
    title: &str,
) -> Result<String, String> {
    let t = app.t();
    let locale = app.locale.get_untracked();
    let columns: Vec<String> = result
        .columns
        .iter()
        .map(|c| column_label(t, result.period, c))
        .collect();
    let mean_value = |m: &crate::engine::retention::MeanCell| match view.measure {
        Measure::Customers => m.rate,
        _ => m.value_per_customer,
    };
    let mut series: Vec<CurveSeries> = Vec::new();
    if result.tables.len() > 1 {
        for table in &result.tables {
            series.push(CurveSeries {
                label: table.label.clone(),
                values: table.mean.iter().map(mean_value).collect(),
                emphasis: false,
            });
        }
    } else if let Some(table) = result.tables.first() {
        for row in table.rows.iter().filter(|r| r.size > 0) {
            let mut cumulative = 0.0;
            series.push(CurveSeries {
                label: cohort_short(result.period, row.start, locale),
                values: row
                    .cells
                    .iter()
                    .map(|cell| {
                        // A running period would dip the curve: stop at the last complete one.
                        cell.as_ref()
                            .filter(|c| c.complete)
                            .and_then(|c| match view.measure {
                                Measure::CumulativeRevenue => {
                                    cumulative += c.value;
                                    Some(cumulative / row.size as f64)
                                }
                                _ => cell_value(view.measure, row, c),
                            })
                    })
                    .collect(),
                emphasis: false,
            });
        }
        if !table.mean.is_empty() {
            let mut running = 0.0;
            series.push(CurveSeries {
                label: t.mean_row.to_owned(),
                values: table
                    .mean
                    .iter()
                    .map(|m| {
                        let v = mean_value(m)?;
                        if view.measure == Measure::CumulativeRevenue {
                            running += v;
                            Some(running)
                        } else {
                            Some(v)
                        }
                    })
                    .collect(),
                emphasis: true,
            });
        }
    }
    let currency = "KRW";
    let y_label = match view.measure {
        Measure::Customers => t.curves_y_rate,
        _ => t.curves_y_revenue,
    };
    let measure = view.measure;
    retention_curves_svg(&RetentionCurves {
        title,
        x_label: t.curves_x,
        y_label,
        columns: &columns,
        series: &series,
        earlier_label: t.curves_earlier,
        format_y: &move |v| match measure {
            Measure::Customers => format::percent(v),
            _ => format::money_compact(v, currency, locale),
        },
    })
}

#[component]
fn CohortsView(data: Arc<Dataset>) -> impl IntoView {
    let app = use_settings();
    let query_map = use_query_map();
    let navigate = use_navigate();
    let parsed = Memo::new(move |_| {
        let params = query_map.read();
        CohortView::from_params(|key| params.get(key))
    });
    let view_state = Signal::derive(move || parsed.get().0);
    let ignored = Signal::derive(move || parsed.get().1);
    let set_view = Callback::new(move |next: CohortView| {
        let query: Vec<String> = next
            .to_params()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(&v))))
            .collect();
        let mut url = app.href("/cohorts");
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        navigate(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    // Saved segments, read again after every save or delete.
    let saved = use_saved_segments();
    let saved_rules = saved.list;
    let saved_names = saved.names();
    let selected: RwSignal<Option<CellRef>> = RwSignal::new(None);
    // A new definition closes the explainer: its cell may no longer exist.
    Effect::new(move |_| {
        view_state.track();
        selected.set(None);
    });

    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            let view = view_state.get();
            app.zone.track();
            app.week_start.track();
            app.locale.track();
            saved_rules.with(|saved| run_retention(&data, &app, &view, &view.spec, saved))
        })
    };
    let compared = {
        let data = data.clone();
        Memo::new(move |_| {
            let view = view_state.get();
            app.zone.track();
            app.week_start.track();
            app.locale.track();
            view.compare
                .flip(&view.spec)
                .map(|b| saved_rules.with(|saved| run_retention(&data, &app, &view, &b, saved)))
        })
    };
    let meta = Arc::new(data.store.meta.clone());
    let promotions = Arc::new(promotions(&data.store));
    let currency = app.currency(&data.store.meta.currency);

    let results = {
        let data = data.clone();
        move || {
            let t = app.t();
            let view = view_state.get();
            let result = match result.get() {
                Ok(result) => result,
                Err(err) => {
                    return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
                }
            };
            let caption = fill(
                t.retention_caption,
                &[
                    &event_label(t, &view.spec.start.event),
                    &event_label(t, &view.spec.return_event.event),
                    match result.period {
                        crate::engine::Period::Day => t.period_day,
                        crate::engine::Period::Week => t.period_week,
                        crate::engine::Period::Month => t.period_month,
                    },
                ],
            );
            let tables = result
                .tables
                .iter()
                .enumerate()
                .map(|(i, table)| {
                    let caption = if result.tables.len() > 1 {
                        format!("{caption} · {}", fill(t.group_label, &[&table.label]))
                    } else {
                        caption.clone()
                    };
                    view! {
                        <RetentionTable table=table.clone() table_index=i columns=result.columns.clone()
                            period=result.period measure=view.measure currency=currency.clone()
                            small_cohort=view.spec.small_cohort caption=caption
                            on_open=Callback::new(move |cell| selected.set(Some(cell)))
                            selected=selected/>
                    }
                })
                .collect_view();
            let title = match view.measure {
                Measure::CumulativeRevenue => t.revenue_curves_title,
                _ => t.curves_title,
            };
            let svg = curves(&result, &view, &app, title);
            let alt = result
                .tables
                .first()
                .map(|table| {
                    let first = table.mean.get(1).and_then(|m| match view.measure {
                        Measure::Customers => m.rate,
                        _ => m.value_per_customer,
                    });
                    let last = table
                        .mean
                        .iter()
                        .rev()
                        .find(|m| m.cohorts > 0)
                        .and_then(|m| match view.measure {
                            Measure::Customers => m.rate,
                            _ => m.value_per_customer,
                        });
                    let show = |v: Option<f64>| {
                        v.map(|v| match view.measure {
                            Measure::Customers => format::percent(v),
                            _ => format::money_compact(v, &currency, app.locale.get_untracked()),
                        })
                        .unwrap_or_else(|| "—".into())
                    };
                    fill(t.curves_alt, &[title, &show(first), &show(last)])
                })
                .unwrap_or_default();
            let csv = result_csv(&result, &view, &app);
            let chart = match svg {
                Ok(svg) => {
                    let (svg_file, svg_png) = (svg.clone(), svg.clone());
                    let label = alt.clone();
                    view! {
                        <figure class="crm-card crm-chart" role="img" aria-label=label>
                            <div inner_html=svg></div>
                            <figcaption class="crm-visually-hidden">{alt}</figcaption>
                        </figure>
                        <div class="crm-actions">
                            <button type="button" class="crm-button" on:click=move |_| {
                                let _ = download_text("crm-lens-retention.svg", "image/svg+xml", &svg_file);
                            }>{t.download_svg}</button>
                            <button type="button" class="crm-button" on:click=move |_| {
                                let _ = download_svg_as_png("crm-lens-retention.png", &svg_png, 860, 360);
                            }>{t.download_png}</button>
                        </div>
                    }
                    .into_any()
                }
                Err(message) => view! { <p class="crm-notice">{message}</p> }.into_any(),
            };
            let explainer = {
                let data = data.clone();
                let result = result.clone();
                let view = view.clone();
                move || {
                    let cell = selected.get()?;
                    let (ti, r, k) = cell;
                    let row = result.tables.get(ti)?.rows.get(r)?;
                    let story = CellStory {
                        spec: view.spec.clone(),
                        period: result.period,
                        cohort_start: row.start,
                        cohort_size: row.size,
                        column: result.columns.get(k)?.clone(),
                        column_index: k,
                    };
                    // Untracked: saving this cell as a segment re-reads the saved list, and that
                    // must not rebuild the panel (its "saved" confirmation would be lost).
                    let customers = saved_rules
                        .with_untracked(|saved| run_cell(&data, &app, &view, cell, saved))
                        .map_err(|e| e.to_string());
                    Some(view! {
                        <CellExplainer story customers store=data.clone() on_close=Callback::new(move |_| selected.set(None))/>
                    })
                }
            };
            let comparison = compared.get().map(|b| match b {
                Ok(b) => view! { <RetentionDifference a=result.clone() b measure=view.measure/> }.into_any(),
                Err(err) => view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any(),
            });
            let answer = view! {
                <RetentionAnswer result=result.clone() value=view.measure != Measure::Customers
                    return_event=event_label(t, &view.spec.return_event.event) currency=currency.clone()/>
            };
            view! {
                {answer}
                <div class="crm-actions">
                    <button type="button" class="crm-button" on:click=move |_| {
                        let _ = download_text("crm-lens-retention.csv", "text/csv;charset=utf-8", &csv);
                    }>{t.download_csv}</button>
                </div>
                {tables}
                <p class="crm-legend"><span class="crm-incomplete-swatch" aria-hidden="true"></span>{t.incomplete_period}</p>
                {explainer}
                {chart}
                {comparison}
            }
            .into_any()
        }
    };
    view! {
        <IgnoredParams names=ignored/>
        <RetentionControls view=view_state on_change=set_view meta=meta promotions=promotions saved=saved_names/>
        {results}
    }
}

/// Two results of the same data side by side as one table of differences (B − A).
#[component]
fn RetentionDifference(a: RetentionResult, b: RetentionResult, measure: Measure) -> impl IntoView {
    let app = use_settings();
    let t = app.t();
    let locale = app.locale.get_untracked();
    let (Some(ta), Some(tb)) = (a.tables.first(), b.tables.first()) else {
        return ().into_any();
    };
    let header = a
        .columns
        .iter()
        .map(|c| view! { <th scope="col" class="crm-num">{column_label(t, a.period, c)}</th> })
        .collect_view();
    let rows = ta
        .rows
        .iter()
        .zip(&tb.rows)
        .map(|(ra, rb)| {
            let cells = ra
                .cells
                .iter()
                .zip(&rb.cells)
                .map(|(ca, cb)| {
                    let va = ca.as_ref().and_then(|c| cell_value(measure, ra, c));
                    let vb = cb.as_ref().and_then(|c| cell_value(measure, rb, c));
                    let text = match (va, vb) {
                        (Some(x), Some(y)) => {
                            let d = y - x;
                            match measure {
                                Measure::Customers => format!("{}{} %p", if d > 0.0 { "+" } else { "" }, format::decimal(d * 100.0, 1)),
                                _ => format!("{}{}", if d > 0.0 { "+" } else { "" }, format::money_compact(d, "KRW", locale)),
                            }
                        }
                        _ => String::new(),
                    };
                    let full = match (va, vb) {
                        (Some(x), Some(y)) => format!("A {} · B {}", format_pair(measure, x, locale), format_pair(measure, y, locale)),
                        _ => String::new(),
                    };
                    view! { <td class="crm-num" title=full>{text}</td> }
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{cohort_short(a.period, ra.start, locale)}</th>
                    <td class="crm-num">{format!("{} / {}", format::count(ra.size), format::count(rb.size))}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="crm-card" aria-labelledby="crm-compare-title">
            <h2 id="crm-compare-title">{t.compare_title}</h2>
            <p>{t.compare_intro}</p>
            <div class="crm-table-wrap" tabindex="0" role="region" aria-label=t.difference>
                <table class="crm-table crm-retention crm-difference">
                    <caption>{t.difference}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t.cohort_col}</th>
                            <th scope="col" class="crm-num">{format!("{} (A / B)", t.cohort_size)}</th>
                            {header}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

fn format_pair(measure: Measure, v: f64, locale: crate::i18n::Locale) -> String {
    match measure {
        Measure::Customers => format::percent(v),
        _ => format::money_compact(v, "KRW", locale),
    }
}
