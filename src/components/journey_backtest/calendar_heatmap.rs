//! The message-pressure calendar: messages sent per local day (all channels or one), as weeks ×
//! weekdays (the settings' week start), shaded in AA-contrast levels with a legend, and the
//! average and peak day in a sentence. Every day with messages lists its customers.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use super::{channel_name, Pick};
use crate::app::use_settings;
use crate::engine::backtest::{DayCount, Selection};
use crate::engine::journey::Channel;
use crate::i18n::journey_backtest_texts::{journey_backtest_texts, JourneyBacktestTexts};
use crate::i18n::{fill, format, Locale};
use crate::state::backtest_view::{day_counts, level_ranges, pressure, weekday_order, weeks};

fn weekday_name(bt: &JourneyBacktestTexts, day: chrono::Weekday) -> &'static str {
    bt.weekdays[day.num_days_from_monday() as usize]
}

/// "Mon Nov 2, 2026" / "2026. 11. 2. (월)".
fn day_text(bt: &JourneyBacktestTexts, locale: Locale, date: NaiveDate) -> String {
    let weekday = weekday_name(bt, date.weekday());
    match locale {
        Locale::En => format!("{weekday} {}", format::date(date, locale)),
        Locale::Ko => format!("{} ({weekday})", format::date(date, locale)),
    }
}

#[component]
pub fn BacktestCalendar(
    calendar: Vec<DayCount>,
    /// The window's length in days (the average's divisor).
    window_days: u32,
    /// Channels that sent at least one message (offered in the channel choice).
    channels: Vec<Channel>,
    on_pick: Callback<Pick>,
) -> impl IntoView {
    let app = use_settings();
    let shown = RwSignal::new(None::<Channel>);
    let options = channels.clone();
    let choice = move || {
        let bt = journey_backtest_texts(app.locale.get());
        let opts = options
            .iter()
            .map(|&c| {
                view! { <option value=c.name() selected=move || shown.get() == Some(c)>{channel_name(bt, c)}</option> }
            })
            .collect_view();
        let all = channels.clone();
        view! {
            <label class="crm-field">
                <span>{bt.calendar_channel}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    shown.set(all.iter().copied().find(|c| c.name() == v));
                }>
                    <option value="" selected=move || shown.get().is_none()>{bt.all_channels}</option>
                    {opts}
                </select>
            </label>
        }
    };
    let body = move || {
        let bt = journey_backtest_texts(app.locale.get());
        let locale = app.locale.get();
        let week_start = app.week_start.get();
        let channel = shown.get();
        let days = day_counts(&calendar, channel);
        let grid = weeks(&days, week_start);
        let summary = pressure(&days, window_days);
        let max = summary.peak.map(|p| p.1).unwrap_or(0);
        let channel_label = channel
            .map(|c| channel_name(bt, c))
            .unwrap_or(bt.all_channels);
        let heads = weekday_order(week_start)
            .iter()
            .map(|&d| view! { <th scope="col">{weekday_name(bt, d)}</th> })
            .collect_view();
        let rows = grid
            .iter()
            .map(|week| {
                let cells = week
                    .days
                    .iter()
                    .map(|cell| match cell {
                        None => view! { <td class="crm-bt-out"></td> }.into_any(),
                        Some(day) => {
                            let text = day_text(bt, locale, day.date);
                            let class = format!("crm-bt-day crm-bt-heat-{}", day.level);
                            let iso = day.date.format("%Y-%m-%d").to_string();
                            if day.count == 0 {
                                return view! {
                                    <td class=class data-date=iso><span class="crm-visually-hidden">{format!("{text}: ")}</span>"0"</td>
                                }
                                .into_any();
                            }
                            let name = fill(bt.day_button, &[&text, "\u{0}"]);
                            let (before, after) = name.split_once('\u{0}').unwrap_or((&name, ""));
                            let (before, after) = (before.to_owned(), after.to_owned());
                            let pick = Pick {
                                select: Selection::Day {
                                    date: iso.clone(),
                                    channel,
                                },
                                label: fill(bt.pick_day, &[&text, channel_label]),
                            };
                            view! {
                                <td class=class data-date=iso>
                                    <button type="button" class="crm-bt-day-button" on:click=move |_| on_pick.run(pick.clone())>
                                        <span class="crm-visually-hidden">{before}</span>
                                        {format::count(day.count)}
                                        <span class="crm-visually-hidden">{after}</span>
                                    </button>
                                </td>
                            }
                            .into_any()
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{format::date(week.start, locale)}</th>{cells}</tr> }
            })
            .collect_view();
        let legend = std::iter::once((0u8, bt.legend_none.to_owned()))
            .chain(level_ranges(max).into_iter().map(|(level, low, high)| {
                let text = if low == high {
                    format::count(low)
                } else {
                    format!("{}–{}", format::count(low), format::count(high))
                };
                (level, text)
            }))
            .map(|(level, text)| {
                view! { <li><span class=format!("crm-bt-swatch crm-bt-heat-{level}") aria-hidden="true"></span>{text}</li> }
            })
            .collect_view();
        let sentence = match summary.peak {
            Some((date, peak)) => fill(
                bt.cal_sentence,
                &[
                    &format::decimal(summary.average, 1),
                    &format::count(summary.days),
                    &format::count(summary.total),
                    &day_text(bt, locale, date),
                    &format::count(peak),
                ],
            ),
            None => bt.cal_empty.to_owned(),
        };
        view! {
            <p class="crm-bt-pressure">{sentence}</p>
            <div class="crm-bt-legend">
                <span id="crm-bt-legend-title">{bt.legend}": "</span>
                <ul aria-labelledby="crm-bt-legend-title">{legend}</ul>
            </div>
            <div class="crm-table-wrap crm-bt-calendar-wrap">
                <table class="crm-table crm-bt-calendar">
                    <caption>{fill(bt.calendar_caption, &[channel_label])}</caption>
                    <thead><tr><th scope="col">{bt.col_week}</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    };
    view! {
        <h3>{move || journey_backtest_texts(app.locale.get()).calendar_title}</h3>
        {choice}
        {body}
    }
}
