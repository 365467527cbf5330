//! View-model helpers of the journey backtest: the days field, and the message-pressure calendar
//! as the view lays it out: messages sent per local day
//! (all channels or one) bucketed into weeks × weekdays, a shading level per day for the heat map
//! and its legend, and the peak day and average per day for the sentence under it. Pure, tested
//! natively.
//!
//! ```ignore
//! let days = day_counts(&result.journeys[0].calendar, None);
//! let grid = weeks(&days, WeekStart::Monday); // rows of 7 cells, `None` outside the window
//! let summary = pressure(&days, result.days);  // peak day, total, average per day
//! ```

use chrono::{Datelike, Duration, NaiveDate};

use crate::engine::backtest::{DayCount, MAX_DAYS};
use crate::engine::journey::Channel;
use crate::engine::WeekStart;

/// The days field as a valid number of days (1 to [`MAX_DAYS`]).
pub fn parse_days(text: &str) -> Option<u32> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=MAX_DAYS).contains(d))
}

/// Which journey of a backtest spec an engine error path names (`journeys[1].start` → `(Some(1),
/// "start")`), and the rest of the path; `(None, path)` when it names none.
pub fn error_journey(path: &str) -> (Option<usize>, &str) {
    let Some(rest) = path.strip_prefix("journeys[") else {
        return (None, path);
    };
    let Some((index, rest)) = rest.split_once(']') else {
        return (None, path);
    };
    match index.parse::<usize>() {
        Ok(i) => (Some(i), rest.strip_prefix('.').unwrap_or(rest)),
        Err(_) => (None, path),
    }
}

/// Shading levels above zero (level 0 is a day without messages).
pub const LEVELS: u8 = 4;

/// One day of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub count: usize,
    /// 0 (none) to [`LEVELS`] (the busiest days).
    pub level: u8,
}

/// One calendar week: seven cells from the week's first day; `None` outside the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarWeek {
    pub start: NaiveDate,
    pub days: [Option<CalendarDay>; 7],
}

/// Peak and average of the window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pressure {
    pub total: usize,
    /// Days in the window.
    pub days: usize,
    /// The busiest day (the first of equals); `None` when nothing was sent.
    pub peak: Option<(NaiveDate, usize)>,
    pub average: f64,
}

/// Messages sent per day of the engine's calendar, of one channel or all. Rows whose date does
/// not parse are left out (the engine always writes `YYYY-MM-DD`).
pub fn day_counts(calendar: &[DayCount], channel: Option<Channel>) -> Vec<(NaiveDate, usize)> {
    calendar
        .iter()
        .filter_map(|d| {
            let date = NaiveDate::parse_from_str(&d.date, "%Y-%m-%d").ok()?;
            let n = match channel {
                None => d.total,
                Some(c) => d.counts.get(&c).copied().unwrap_or(0),
            };
            Some((date, n))
        })
        .collect()
}

/// The shading level of `count` when the busiest day has `max`: 0 for none, else
/// `ceil(count × LEVELS / max)`, so the busiest day is always the darkest.
pub fn shade_level(count: usize, max: usize) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    let level = (count * LEVELS as usize).div_ceil(max);
    level.clamp(1, LEVELS as usize) as u8
}

/// The count range `(low, high)` of each level 1..=LEVELS when the busiest day has `max`;
/// levels no whole count falls into are left out. Empty when `max` is 0.
pub fn level_ranges(max: usize) -> Vec<(u8, usize, usize)> {
    let levels = LEVELS as usize;
    (1..=LEVELS)
        .filter_map(|level| {
            let l = level as usize;
            let low = (l - 1) * max / levels + 1;
            let high = l * max / levels;
            (low <= high).then_some((level, low, high))
        })
        .collect()
}

/// The first day of the week holding `date`.
pub fn week_of(date: NaiveDate, week_start: WeekStart) -> NaiveDate {
    let offset = match week_start {
        WeekStart::Monday => date.weekday().num_days_from_monday(),
        WeekStart::Sunday => date.weekday().num_days_from_sunday(),
    };
    date - Duration::days(offset as i64)
}

/// The days (in date order) as weeks × weekdays, shaded against the busiest day.
pub fn weeks(days: &[(NaiveDate, usize)], week_start: WeekStart) -> Vec<CalendarWeek> {
    let max = days.iter().map(|d| d.1).max().unwrap_or(0);
    let mut out: Vec<CalendarWeek> = Vec::new();
    for &(date, count) in days {
        let start = week_of(date, week_start);
        if out.last().is_none_or(|w| w.start != start) {
            out.push(CalendarWeek {
                start,
                days: [None; 7],
            });
        }
        if let Some(week) = out.last_mut() {
            let i = (date - start).num_days().clamp(0, 6) as usize;
            week.days[i] = Some(CalendarDay {
                date,
                count,
                level: shade_level(count, max),
            });
        }
    }
    out
}

/// The total, the busiest day and the average per day of a window of `window_days` (24-hour
/// days; the calendar lists every local day it touches, one more when it starts mid-day).
pub fn pressure(days: &[(NaiveDate, usize)], window_days: u32) -> Pressure {
    let total = days.iter().map(|d| d.1).sum();
    let mut peak: Option<(NaiveDate, usize)> = None;
    for &(date, n) in days {
        if n > 0 && peak.is_none_or(|p| n > p.1) {
            peak = Some((date, n));
        }
    }
    Pressure {
        total,
        days: window_days as usize,
        peak,
        average: if window_days == 0 {
            0.0
        } else {
            total as f64 / window_days as f64
        },
    }
}

/// The weekday order of the header, as `chrono` weekdays from the week's first day.
pub fn weekday_order(week_start: WeekStart) -> [chrono::Weekday; 7] {
    use chrono::Weekday::*;
    match week_start {
        WeekStart::Monday => [Mon, Tue, Wed, Thu, Fri, Sat, Sun],
        WeekStart::Sunday => [Sun, Mon, Tue, Wed, Thu, Fri, Sat],
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn days_are_whole_numbers_in_range() {
        assert_eq!(parse_days("90"), Some(90));
        assert_eq!(parse_days(" 3660 "), Some(3660));
        assert_eq!(parse_days("0"), None);
        assert_eq!(parse_days("3661"), None);
        assert_eq!(parse_days("1.5"), None);
        assert_eq!(parse_days(""), None);
    }

    #[test]
    fn error_paths_name_their_journey() {
        assert_eq!(error_journey("journeys[1].start"), (Some(1), "start"));
        assert_eq!(
            error_journey("journeys[0].nodes[2].next"),
            (Some(0), "nodes[2].next")
        );
        assert_eq!(error_journey("journeys[3]"), (Some(3), ""));
        assert_eq!(error_journey("days"), (None, "days"));
        assert_eq!(
            error_journey("journeys[x].start"),
            (None, "journeys[x].start")
        );
        assert_eq!(error_journey(""), (None, ""));
    }

    #[test]
    fn levels_put_the_busiest_day_darkest() {
        assert_eq!(shade_level(0, 10), 0);
        assert_eq!(shade_level(1, 10), 1);
        assert_eq!(shade_level(3, 10), 2);
        assert_eq!(shade_level(5, 10), 2);
        assert_eq!(shade_level(6, 10), 3);
        assert_eq!(shade_level(10, 10), 4);
        assert_eq!(shade_level(3, 0), 0);
        assert_eq!(shade_level(1, 1), 4);
        assert_eq!(
            level_ranges(10),
            vec![(1, 1, 2), (2, 3, 5), (3, 6, 7), (4, 8, 10)]
        );
        // Few messages: levels no count reaches are left out.
        assert_eq!(level_ranges(2), vec![(2, 1, 1), (4, 2, 2)]);
        assert!(level_ranges(0).is_empty());
    }

    #[test]
    fn days_fill_weeks_from_the_week_start() {
        // 2026-11-04 is a Wednesday.
        let days: Vec<(NaiveDate, usize)> = (0..7)
            .map(|i| (d("2026-11-04") + Duration::days(i), i as usize))
            .collect();
        let monday = weeks(&days, WeekStart::Monday);
        assert_eq!(monday.len(), 2);
        assert_eq!(monday[0].start, d("2026-11-02"));
        assert_eq!(monday[0].days[0], None);
        assert_eq!(monday[0].days[1], None);
        assert_eq!(
            monday[0].days[2].map(|c| (c.date, c.count)),
            Some((d("2026-11-04"), 0))
        );
        assert_eq!(monday[1].start, d("2026-11-09"));
        assert_eq!(monday[1].days[0].map(|c| c.count), Some(5));
        assert_eq!(monday[1].days[1].map(|c| (c.count, c.level)), Some((6, 4)));
        assert!(monday[1].days[2..].iter().all(Option::is_none));
        let sunday = weeks(&days, WeekStart::Sunday);
        assert_eq!(sunday[0].start, d("2026-11-01"));
        assert_eq!(sunday[0].days[3].map(|c| c.date), Some(d("2026-11-04")));
        assert_eq!(sunday[1].days[0].map(|c| c.date), Some(d("2026-11-08")));
        assert_eq!(weekday_order(WeekStart::Sunday)[0], chrono::Weekday::Sun);
        let cells: usize = monday.iter().map(|w| w.days.iter().flatten().count()).sum();
        assert_eq!(cells, 7);
    }

    #[test]
    fn pressure_finds_peak_and_average() {
        let days = vec![
            (d("2026-11-01"), 2),
            (d("2026-11-02"), 5),
            (d("2026-11-03"), 5),
        ];
        let p = pressure(&days, 3);
        assert_eq!(p.total, 12);
        assert_eq!(p.days, 3);
        assert_eq!(p.peak, Some((d("2026-11-02"), 5)));
        assert!((p.average - 4.0).abs() < 1e-9);
        // A 2-day window that touches 3 local days.
        assert!((pressure(&days, 2).average - 6.0).abs() < 1e-9);
        let none = pressure(&[(d("2026-11-01"), 0)], 1);
        assert_eq!(none.peak, None);
        assert_eq!(pressure(&[], 0).average, 0.0);
    }

    #[test]
    fn day_counts_of_one_channel_or_all() {
        let day = |date: &str, sms: usize, kakao: usize| DayCount {
            date: date.into(),
            counts: BTreeMap::from([(Channel::Sms, sms), (Channel::Kakao, kakao)]),
            total: sms + kakao,
        };
        let cal = vec![
            day("2026-11-01", 1, 2),
            day("2026-11-02", 0, 4),
            day("bad", 9, 9),
        ];
        assert_eq!(
            day_counts(&cal, None),
            vec![(d("2026-11-01"), 3), (d("2026-11-02"), 4)]
        );
        assert_eq!(
            day_counts(&cal, Some(Channel::Sms)),
            vec![(d("2026-11-01"), 1), (d("2026-11-02"), 0)]
        );
        assert_eq!(
            day_counts(&cal, Some(Channel::Email)),
            vec![(d("2026-11-01"), 0), (d("2026-11-02"), 0)]
        );
    }
}
