//! How customers moved between the named RFM segments since an earlier date: the engine's
//! `rfm_transitions` table (then in rows, now in columns) and the headline "N champions then
//! are at risk or hibernating now".

use std::sync::Arc;

use chrono::{Days, NaiveDate};
use leptos::prelude::*;

use crate::app::use_settings;
use crate::engine::query::{Analysis, QueryResult, RfmTransitionsSpec};
use crate::engine::rfm::{RfmSpec, RfmTransitions, NO_PURCHASE};
use crate::engine::QueryError;
use crate::i18n::dashboard_texts::dashboard_texts;
use crate::i18n::{fill, format, rfm_segment_name, Texts};
use crate::sync::dataset::{analysis_context, run_query};
use crate::sync::Dataset;

/// The segment whose slipping the headline counts.
pub const CHAMPIONS: &str = "champions";
/// The default comparison: this many days before the data's "now".
pub const DEFAULT_DAYS_BACK: u64 = 90;

pub fn run_transitions(
    data: &Dataset,
    app: &crate::app::AppSettings,
    rfm: RfmSpec,
    from: String,
) -> Result<RfmTransitions, QueryError> {
    let spec = RfmTransitionsSpec { rfm, from };
    match run_query(data, app, None, Analysis::RfmTransitions(spec))? {
        QueryResult::RfmTransitions(moves) => Ok(moves),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

/// Today in the report's zone, and the default date to compare with.
pub fn today_and_default_from(
    data: &Dataset,
    app: &crate::app::AppSettings,
) -> (NaiveDate, NaiveDate) {
    let ctx = analysis_context(data, app);
    let today = ctx.zone.datetime(ctx.now).date_naive();
    let from = today
        .checked_sub_days(Days::new(DEFAULT_DAYS_BACK))
        .unwrap_or(today);
    (today, from)
}

/// "N of the M champions on <date> have slipped: 168 now loyal, 3 now about to sleep." from the
/// engine's table (the champions' row, every other column, largest first); `None` when the
/// definition has no segment called champions.
pub fn slipping_sentence(
    t: &Texts,
    locale: crate::i18n::Locale,
    moves: &RfmTransitions,
    from_text: &str,
) -> Option<String> {
    let d = dashboard_texts(locale);
    let row = moves.labels.iter().position(|l| l == CHAMPIONS)?;
    let then: usize = moves.counts[row].iter().sum();
    let mut slipped: Vec<(usize, &str)> = moves.counts[row]
        .iter()
        .zip(&moves.labels)
        .filter(|&(&n, label)| n > 0 && label != CHAMPIONS)
        .map(|(&n, label)| (n, label.as_str()))
        .collect();
    slipped.sort_by_key(|s| std::cmp::Reverse(s.0));
    let moved: usize = slipped.iter().map(|s| s.0).sum();
    if moved == 0 {
        return Some(fill(d.rfm_none_slipped, &[&format::count(then), from_text]));
    }
    let items = slipped
        .iter()
        .map(|&(n, label)| {
            fill(
                d.rfm_slipped_item,
                &[&format::count(n), &label_name(t, locale, label)],
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(fill(
        d.rfm_slipping,
        &[
            &format::count(moved),
            &format::count(then),
            from_text,
            &items,
        ],
    ))
}

/// A transition label as the marketer reads it.
pub fn label_name(t: &Texts, locale: crate::i18n::Locale, label: &str) -> String {
    if label == NO_PURCHASE {
        dashboard_texts(locale).rfm_no_purchase.to_owned()
    } else {
        rfm_segment_name(t, label)
    }
}

#[component]
pub fn RfmTransitionsView(
    data: Arc<Dataset>,
    spec: RwSignal<RfmSpec>,
    from: RwSignal<String>,
) -> impl IntoView {
    let app = use_settings();
    let (today, _) = today_and_default_from(&data, &app);
    let result = {
        let data = data.clone();
        Memo::new(move |_| {
            app.zone.track();
            run_transitions(&data, &app, spec.get(), from.get())
        })
    };
    let body = move || {
        let t = app.t();
        let locale = app.locale.get();
        let d = dashboard_texts(locale);
        let moves = match result.get() {
            Ok(moves) => moves,
            Err(err) => {
                return view! { <p role="alert" class="crm-notice crm-notice-error">{fill(t.spec_error, &[&err.to_string()])}</p> }.into_any()
            }
        };
        let from_text = NaiveDate::parse_from_str(&from.get(), "%Y-%m-%d")
            .map(|date| format::date(date, locale))
            .unwrap_or_else(|_| from.get());
        let headline = slipping_sentence(t, locale, &moves, &from_text)
            .map(|text| view! { <p class="crm-rfm-slipping">{text}</p> });
        let names: Vec<String> = moves
            .labels
            .iter()
            .map(|l| label_name(t, locale, l))
            .collect();
        let header = names
            .iter()
            .map(|n| view! { <th scope="col" class="crm-num">{n.clone()}</th> })
            .collect_view();
        let rows = moves
            .counts
            .iter()
            .zip(&names)
            .map(|(row, name)| {
                let cells = row
                    .iter()
                    .map(|n| view! { <td class="crm-num">{format::count(*n)}</td> })
                    .collect_view();
                view! { <tr><th scope="row">{name.clone()}</th>{cells}</tr> }
            })
            .collect_view();
        view! {
            {headline}
            <p class="crm-intro">{fill(d.rfm_moves_intro, &[&from_text, &format::date(today, locale)])}</p>
            <div class="crm-table-wrap" tabindex="0" role="region" aria-label=d.rfm_moves_title>
                <table class="crm-table crm-rfm-moves">
                    <caption>{d.rfm_moves_title}</caption>
                    <thead><tr><th scope="col">{d.rfm_moves_then_now}</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="crm-card" aria-labelledby="crm-rfm-moves-title">
            <h2 id="crm-rfm-moves-title">{move || dashboard_texts(app.locale.get()).rfm_moves_title}</h2>
            <label class="crm-field">
                <span>{move || dashboard_texts(app.locale.get()).rfm_moves_from}</span>
                <input type="date" aria-label=move || dashboard_texts(app.locale.get()).rfm_moves_from max=today.format("%Y-%m-%d").to_string()
                    prop:value=move || from.get()
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if !value.is_empty() {
                            from.set(value);
                        }
                    }/>
            </label>
            {body}
        </section>
    }
}
