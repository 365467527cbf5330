//! Time in the demo: Korean Standard Time (UTC+9, no daylight saving), whole seconds.
//!
//! The generator works on Unix seconds and local day numbers so that it never needs a time-zone
//! database, and formats every instant as RFC 3339 with a `+09:00` offset.

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::{Rng, RngExt};
use serde::{Serialize, Serializer};

/// Seconds east of UTC for Asia/Seoul.
pub const KST_OFFSET: i64 = 9 * 3600;
pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// The fixed `+09:00` offset.
pub fn kst() -> FixedOffset {
    FixedOffset::east_opt(KST_OFFSET as i32).expect("+09:00 is a valid offset")
}

/// Instant (Unix seconds) as a `DateTime` in KST.
pub fn to_datetime(t: i64) -> DateTime<FixedOffset> {
    kst()
        .timestamp_opt(t, 0)
        .single()
        .expect("generated instants are in chrono's range")
}

/// Local (KST) day number: days since 1970-01-01 in Seoul.
pub fn local_day(t: i64) -> i64 {
    (t + KST_OFFSET).div_euclid(DAY)
}

/// Instant of local midnight starting `day`.
pub fn day_start(day: i64) -> i64 {
    day * DAY - KST_OFFSET
}

/// Local hour of day, 0–23.
pub fn local_hour(t: i64) -> u32 {
    ((t + KST_OFFSET).rem_euclid(DAY) / HOUR) as u32
}

/// Calendar date of a local day.
pub fn date_of(day: i64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt((day + 719_163) as i32).expect("day is in chrono's range")
}

/// Local day of a calendar date.
pub fn day_of(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

/// Instant of a local date and time (KST).
pub fn at(y: i32, m: u32, d: u32, hour: i64, minute: i64) -> i64 {
    let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid calendar date");
    day_start(day_of(date)) + hour * HOUR + minute * MINUTE
}

/// Months since year 0 (`year * 12 + month0`), a cheap key for per-month tables.
pub fn month_key(day: i64) -> i32 {
    let d = date_of(day);
    d.year() * 12 + d.month0() as i32
}

/// Calendar month (1–12) of an instant, in KST.
pub fn month_of(t: i64) -> u32 {
    date_of(local_day(t)).month()
}

/// Whether a message sent at `t` falls in the Korean quiet hours for advertising (21:00–08:00).
pub fn is_quiet(t: i64) -> bool {
    let h = local_hour(t);
    !(8..21).contains(&h)
}

/// An instant written as `2026-03-01T10:00:00+09:00` (RFC 3339, KST, whole seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfc3339(pub i64);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.0 + KST_OFFSET;
        let date = date_of(local.div_euclid(DAY));
        let secs = local.rem_euclid(DAY);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+09:00",
            date.year(),
            date.month(),
            date.day(),
            secs / HOUR,
            secs % HOUR / MINUTE,
            secs % MINUTE
        )
    }
}

impl Serialize for Rfc3339 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// How busy each local hour is for shoppers: a lunch peak (12–13h), an evening peak (20–23h), little at night.
const SHOPPER_HOURS: [u32; 24] = [
    30, 14, 7, 4, 3, 4, 8, 18, 30, 40, 48, 55, 90, 80, 50, 48, 48, 50, 58, 70, 95, 105, 100, 65,
];
/// Business hours for the B2B contact people.
const OFFICE_HOURS: [u32; 24] = [
    1, 0, 0, 0, 0, 0, 1, 3, 20, 60, 80, 75, 30, 55, 80, 75, 65, 45, 15, 6, 4, 3, 2, 1,
];

/// Relative shopping activity by weekday, Monday first: Sunday evening and Monday are the busiest.
pub const WEEKDAY_FACTOR: [f64; 7] = [1.1, 1.0, 1.0, 0.95, 0.85, 0.85, 1.15];

/// Draws a time of day with a realistic hourly rhythm.
#[derive(Debug, Clone)]
pub struct Clock {
    shopper: WeightedIndex<u32>,
    office: WeightedIndex<u32>,
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock {
    pub fn new() -> Self {
        Self {
            shopper: WeightedIndex::new(SHOPPER_HOURS).expect("hour weights are positive"),
            office: WeightedIndex::new(OFFICE_HOURS).expect("hour weights are positive"),
        }
    }

    /// An instant on local `day` at a shopper's typical hour.
    pub fn shopper_time<R: Rng + ?Sized>(&self, rng: &mut R, day: i64) -> i64 {
        day_start(day) + self.shopper.sample(rng) as i64 * HOUR + rng.random_range(0..HOUR)
    }

    /// An instant on local `day` in office hours.
    pub fn office_time<R: Rng + ?Sized>(&self, rng: &mut R, day: i64) -> i64 {
        day_start(day) + self.office.sample(rng) as i64 * HOUR + rng.random_range(0..HOUR)
    }
}

/// Weekday of a local day, Monday = 0.
pub fn weekday(day: i64) -> usize {
    // 1970-01-01 was a Thursday.
    (day + 3).rem_euclid(7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_kst_with_offset() {
        let t = at(2026, 3, 1, 10, 0);
        assert_eq!(Rfc3339(t + 5).to_string(), "2026-03-01T10:00:05+09:00");
        assert_eq!(to_datetime(t).to_rfc3339(), "2026-03-01T10:00:00+09:00");
    }

    #[test]
    fn days_hours_and_weekdays_are_local() {
        let t = at(2026, 5, 1, 0, 30);
        assert_eq!(
            date_of(local_day(t)),
            NaiveDate::from_ymd_opt(2026, 5, 1).expect("date")
        );
        assert_eq!(local_hour(t), 0);
        assert!(is_quiet(t));
        assert!(!is_quiet(at(2026, 5, 1, 8, 0)));
        assert!(is_quiet(at(2026, 5, 1, 21, 0)));
        // 2026-05-01 is a Friday.
        assert_eq!(weekday(local_day(t)), 4);
    }
}
