//! Replays the last N days of history through a journey: who would have entered, reached each
//! step and the goal, and how many messages each channel would have sent per day.
//!
//! # Usage
//!
//! ```ignore
//! view! { <JourneyBacktestView data=dataset journey=Signal::derive(move || Some(journey.get()))/> }
//! ```
//!
//! The backtest runs when the user asks (it replays every customer), not on every edit; a note
//! says when the journey or the settings changed since. Every count lists its customers
//! (`journey_backtest_customers`) with a CSV and "save as segment". Saved journeys can be
//! replayed alongside so frequency caps count across them; the numbers stay the edited journey's.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use crate::app::{use_settings, AppSettings};
use crate::components::customer_list_panel::CustomerListPanel;
use crate::components::journey_backtest::calendar_heatmap::BacktestCalendar;
use crate::components::journey_backtest::channels_table::BacktestChannelsTable;
use crate::components::journey_backtest::saved_journeys::{saved_journeys, SavedJourneysChoice};
use crate::components::journey_backtest::steps_table::BacktestStepsTable;
use crate::components::journey_backtest::{count_button, Pick};
use crate::engine::backtest::{
    BacktestCustomersSpec, BacktestResult, BacktestSpec, GoalGroup, GoalResult, JourneyBacktest,
    Selection, MAX_DAYS,
};
use crate::engine::journey::Journey;
use crate::engine::query::{Analysis, QueryResult};
use crate::engine::segment::SegmentLibrary;
use crate::engine::{QueryError, WeekStart};
use crate::i18n::journey_backtest_texts::{journey_backtest_texts, JourneyBacktestTexts};
use crate::i18n::{event_label, fill, format, Locale};
use crate::state::backtest_view::{day_counts, error_journey, parse_days, pressure};
use crate::sync::{dataset::run_query_with_segments, Dataset};

/// Runs the `journey_backtest` analysis.
fn backtest(
    data: &Dataset,
    app: &AppSettings,
    segments: SegmentLibrary,
    spec: BacktestSpec,
) -> Result<BacktestResult, QueryError> {
    match run_query_with_segments(data, app, segments, None, Analysis::JourneyBacktest(spec))? {
        QueryResult::JourneyBacktest(result) => Ok(result),
        _ => Err(QueryError::invalid("", "unexpected result kind")),
    }
}

/// The customers behind one count of the first journey of `spec`.
fn customers(
    data: &Dataset,
    app: &AppSettings,
    segments: SegmentLibrary,
    spec: BacktestSpec,
    select: Selection,
) -> Result<Vec<String>, String> {
    let spec = BacktestCustomersSpec {
        backtest: spec,
        journey: 0,
        select,
    };
    match run_query_with_segments(
        data,
        app,
        segments,
        None,
        Analysis::JourneyBacktestCustomers(spec),
    ) {
        Ok(QueryResult::JourneyBacktestCustomers(list)) => Ok(list.customers),
        Ok(_) => Err("unexpected result kind".to_owned()),
        Err(e) => Err(e.to_string()),
    }
}

/// Everything a result depends on: when it differs from the inputs now, the result is stale.
#[derive(Debug, Clone, PartialEq)]
struct RunKey {
    journey: Option<Journey>,
    segments: SegmentLibrary,
    days: u32,
    others: Vec<String>,
    zone: String,
    week_start: WeekStart,
}

/// One run: what was asked and what came back.
#[derive(Debug, Clone)]
struct Run {
    key: RunKey,
    spec: BacktestSpec,
    result: Result<BacktestResult, QueryError>,
}

/// `2026-11-16T00:00:00+09:00` → its local date, formatted.
fn rfc_date(text: &str, locale: Locale) -> String {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|d| format::date(d.date_naive(), locale))
        .unwrap_or_else(|_| text.to_owned())
}

/// `+5.0 points` / `+5.0%p`.
fn points(bt: &JourneyBacktestTexts, value: f64) -> String {
    let sign = if value > 0.0 { "+" } else { "" };
    fill(
        bt.points,
        &[&format!("{sign}{}", format::decimal(value, 1))],
    )
}

/// A rate in percent (as the engine gives it) for people.
fn rate(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |r| format::percent(r / 100.0))
}

fn figure(label: &'static str, value: AnyView) -> impl IntoView {
    view! {
        <div class="crm-figure">
            <dt>{label}</dt>
            <dd class="crm-figure-value">{value}</dd>
        </div>
    }
}

/// The outcome figures of the edited journey.
fn summary(bt: &JourneyBacktestTexts, j: &JourneyBacktest, on_pick: Callback<Pick>) -> AnyView {
    let item = |label: &'static str, n: usize, select: Selection| {
        let pick = Pick {
            select,
            label: label.to_owned(),
        };
        figure(label, count_button(bt, format::count(n), n, pick, on_pick))
    };
    view! {
        <h3>{bt.summary_title}</h3>
        <dl class="crm-figures crm-bt-summary">
            {item(bt.fig_entries, j.entries, Selection::Entries)}
            {item(bt.fig_customers, j.customers, Selection::Entries)}
            {item(bt.fig_completed, j.completed, Selection::Completed)}
            {item(bt.fig_exited, j.exited, Selection::Exited)}
            {item(bt.fig_in_progress, j.in_progress, Selection::InProgress)}
            {item(bt.fig_control, j.control, Selection::Control)}
        </dl>
        <p class="crm-muted crm-bt-note">{bt.entries_note}</p>
        {(j.step_limit > 0).then(|| view! {
            <p class="crm-notice crm-notice-warn">{fill(bt.step_limit, &[&format::count(j.step_limit)])}</p>
        })}
    }
    .into_any()
}

/// The goal: the plain sentence and its figures.
fn goal_view(
    bt: &JourneyBacktestTexts,
    t: &'static crate::i18n::Texts,
    goal: Option<&GoalResult>,
    on_pick: Callback<Pick>,
) -> AnyView {
    let Some(g) = goal else {
        return view! { <h3>{bt.goal_title}</h3><p class="crm-muted">{bt.goal_none}</p> }
            .into_any();
    };
    let mut sentence = fill(
        bt.goal_sentence,
        &[
            &format::count(g.treated),
            &format::count(g.treated_reached),
            &rate(g.treated_rate),
            &event_label(t, &g.event),
            &format::count(g.within_days as usize),
        ],
    );
    sentence.push(' ');
    match g.uplift_points {
        Some(uplift) if g.control > 0 => sentence.push_str(&fill(
            bt.goal_control,
            &[
                &rate(g.control_rate),
                &format::count(g.control_reached),
                &format::count(g.control),
                &points(bt, uplift),
            ],
        )),
        _ => sentence.push_str(bt.goal_no_control),
    }
    let open = (g.open_windows > 0).then(|| {
        view! {
            <p class="crm-muted crm-bt-note">
                {fill(bt.goal_open, &[&format::count(g.open_windows), &format::count(g.within_days as usize)])}
            </p>
        }
    });
    let reached = |label: &'static str, n: usize, group: GoalGroup, reached: bool| {
        let pick = Pick {
            select: Selection::Goal { group, reached },
            label: label.to_owned(),
        };
        figure(label, count_button(bt, format::count(n), n, pick, on_pick))
    };
    let text = |label: &'static str, value: String| {
        figure(label, view! { <span>{value}</span> }.into_any())
    };
    let has_control = g.control > 0;
    view! {
        <h3>{bt.goal_title}</h3>
        <p class="crm-bt-goal-sentence">{sentence}</p>
        <dl class="crm-figures crm-bt-goal">
            {reached(bt.fig_treated_reached, g.treated_reached, GoalGroup::Treated, true)}
            {reached(bt.fig_treated_missed, g.treated - g.treated_reached, GoalGroup::Treated, false)}
            {text(bt.fig_treated_rate, rate(g.treated_rate))}
            {has_control.then(|| reached(bt.fig_control_reached, g.control_reached, GoalGroup::Control, true))}
            {has_control.then(|| text(bt.fig_control_rate, rate(g.control_rate)))}
            {has_control.then(|| text(bt.fig_uplift, g.uplift_points.map_or_else(|| "—".to_owned(), |u| points(bt, u))))}
        </dl>
        {open}
    }
    .into_any()
}

#[component]
pub fn JourneyBacktestView(
    data: Arc<Dataset>,
    /// The journey to replay (`None` while the editor has none).
    #[prop(into)]
    journey: Signal<Option<Journey>>,
    /// The segments its rules may refer to by id (templates and saved segments).
    #[prop(into, optional)]
    segments: Signal<SegmentLibrary>,
) -> impl IntoView {
    let app = use_settings();
    let bt = move || journey_backtest_texts(app.locale.get());
    let days_text = RwSignal::new("90".to_owned());
    let days = Memo::new(move |_| days_text.with(|t| parse_days(t)));
    let others = RwSignal::new(Vec::<String>::new());
    let saved = saved_journeys();
    let busy = RwSignal::new(false);
    let last = RwSignal::new(None::<Run>);
    let picked = RwSignal::new(None::<(Pick, Option<Result<Vec<String>, String>>)>);
    let data_store = StoredValue::new(data.clone());

    let key_now = move || RunKey {
        journey: journey.get(),
        segments: segments.get(),
        days: days.get().unwrap_or(0),
        others: others.get(),
        zone: app.zone.with(|z| z.name().to_owned()),
        week_start: app.week_start.get(),
    };

    let run = move || {
        if busy.get_untracked() {
            return;
        }
        let key = untrack(key_now);
        let (Some(journey), Some(days)) =
            (key.journey.clone(), parse_days(&days_text.get_untracked()))
        else {
            return;
        };
        let mut journeys = vec![journey];
        if let Some(Ok(list)) = saved.get_untracked() {
            journeys.extend(
                list.into_iter()
                    .filter(|s| key.others.contains(&s.id))
                    .filter_map(|s| s.journey),
            );
        }
        let spec = BacktestSpec { days, journeys };
        busy.set(true);
        picked.set(None);
        // Let the busy state paint before the replay holds the thread.
        set_timeout(
            move || {
                let library = key.segments.clone();
                let result =
                    data_store.try_with_value(|d| backtest(d, &app, library, spec.clone()));
                if let Some(result) = result {
                    let _ = last.try_set(Some(Run { key, spec, result }));
                }
                let _ = busy.try_set(false);
            },
            Duration::from_millis(30),
        );
    };

    let on_pick = Callback::new(move |pick: Pick| {
        let Some((spec, library)) =
            last.with_untracked(|r| r.as_ref().map(|r| (r.spec.clone(), r.key.segments.clone())))
        else {
            return;
        };
        let select = pick.select.clone();
        picked.set(Some((pick.clone(), None)));
        set_timeout(
            move || {
                let list = data_store.try_with_value(|d| customers(d, &app, library, spec, select));
                if let Some(list) = list {
                    let still = picked.try_with_untracked(|p| p.as_ref().map(|p| p.0 == pick));
                    if still == Some(Some(true)) {
                        let _ = picked.try_set(Some((pick, Some(list))));
                    }
                }
            },
            Duration::from_millis(30),
        );
    });

    let controls = move || {
        let b = bt();
        let days_id = "crm-bt-days";
        view! {
            <div class="crm-kpi-controls crm-bt-controls">
                <label class="crm-field" for=days_id>
                    <span>{b.days}</span>
                    <input id=days_id type="number" min="1" max=MAX_DAYS.to_string() step="1"
                        aria-describedby="crm-bt-days-hint"
                        prop:value=move || days_text.get()
                        on:input=move |ev| days_text.set(event_target_value(&ev))/>
                    <span id="crm-bt-days-hint" class="crm-muted crm-bt-note">{b.days_hint}</span>
                </label>
                <button type="button" class="crm-primary crm-bt-run"
                    disabled=move || busy.get() || journey.with(Option::is_none) || days.get().is_none()
                    on:click=move |_| run()>{b.run}</button>
            </div>
            {move || days.get().is_none().then(|| view! {
                <p class="crm-notice crm-notice-error" role="alert">{bt().days_invalid}</p>
            })}
        }
    };

    let state = move || {
        let b = bt();
        if journey.with(Option::is_none) {
            return view! { <p class="crm-notice" role="status">{b.no_journey}</p> }.into_any();
        }
        if busy.get() {
            return view! {
                <p class="crm-notice crm-bt-busy" role="status"><span class="crm-spinner" aria-hidden="true"></span>" "{b.running}</p>
            }
            .into_any();
        }
        let stale = last.with(|r| r.as_ref().map(|r| r.key != key_now()));
        match stale {
            None => view! { <p class="crm-muted" role="status">{b.not_run}</p> }.into_any(),
            Some(true) => view! { <p class="crm-notice crm-notice-warn crm-bt-stale" role="status">{b.stale}</p> }.into_any(),
            Some(false) => ().into_any(),
        }
    };

    let results = move || {
        let run = last.get()?;
        let b = bt();
        let t = app.t();
        let locale = app.locale.get();
        let result =
            match run.result {
                Ok(r) => r,
                Err(error) => {
                    let (index, detail) = error_journey(&error.path);
                    let detail = if detail.is_empty() {
                        error.message.clone()
                    } else {
                        format!("{detail}: {}", error.message)
                    };
                    let text = match index.and_then(|i| run.spec.journeys.get(i).filter(|_| i > 0))
                    {
                        Some(other) => fill(b.invalid_other, &[&other.name, &detail]),
                        None => fill(b.invalid, &[&detail]),
                    };
                    return Some(view! {
                    <p role="alert" class="crm-notice crm-notice-error crm-bt-error">{text}</p>
                }.into_any());
                }
            };
        let j = result.journeys.first()?.clone();
        let edited = run.spec.journeys.first()?.clone();
        let edited_rules = edited.rules.clone();
        let sent_channels: Vec<_> = j
            .channels
            .iter()
            .filter(|c| c.sent > 0)
            .map(|c| c.channel)
            .collect();
        let others_note = (run.spec.journeys.len() > 1).then(|| {
            let names: Vec<String> = run.spec.journeys[1..]
                .iter()
                .map(|j| format!("“{}”", j.name))
                .collect();
            view! { <p class="crm-notice crm-bt-others-note">{fill(b.others_note, &[&names.join(", ")])}</p> }
        });
        let days = day_counts(&j.calendar, None);
        let load = pressure(&days, result.days);
        let lead = fill(
            b.lead,
            &[
                &format::count(result.days as usize),
                &format::count(j.customers),
                &format::count(j.entries),
                &format::count(load.total),
                &format::decimal(load.average, 1),
                &format::count(load.peak.map_or(0, |p| p.1)),
            ],
        );
        Some(view! {
            <p class="crm-bt-lead">{lead}</p>
            <p class="crm-bt-window">
                {fill(b.window, &[&rfc_date(&result.from, locale), &rfc_date(&result.to, locale), &format::count(result.days as usize)])}
            </p>
            {others_note}
            {summary(b, &j, on_pick)}
            {goal_view(b, t, j.goal.as_ref(), on_pick)}
            <BacktestStepsTable result=j.clone() journey=edited on_pick/>
            <BacktestChannelsTable channels=j.channels.clone() rules=edited_rules on_pick/>
            <BacktestCalendar calendar=j.calendar.clone() window_days=result.days channels=sent_channels on_pick/>
        }.into_any())
    };

    let panel = move || {
        let (pick, list) = picked.get()?;
        let b = bt();
        Some(match list {
            None => view! { <p class="crm-notice" role="status">{b.listing}</p> }.into_any(),
            Some(customers) => {
                let n = customers.as_ref().map(Vec::len).unwrap_or(0);
                let title = fill(b.list_title, &[&pick.label, &format::count(n)]);
                view! {
                    <CustomerListPanel data=data.clone() title customers file_name="crm-lens-backtest-customers.csv"
                        id="crm-bt-customers-title" on_close=Callback::new(move |_| picked.set(None))/>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="crm-card crm-bt" aria-labelledby="crm-backtest-title" aria-busy=move || busy.get().to_string()>
            <h2 id="crm-backtest-title">{move || bt().title}</h2>
            <p class="crm-intro">{move || bt().intro}</p>
            {controls}
            <SavedJourneysChoice list=saved selected=others/>
            {state}
            {results}
            <div class="crm-bt-panel">{panel}</div>
        </section>
    }
}
