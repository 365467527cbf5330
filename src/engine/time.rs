//! Time in the report's zone: parsing, calendar periods and the analysis context.
//!
//! The store keeps UTC unix seconds; calendar questions ("which week?") are answered in the
//! report's IANA time zone, with the week start as an explicit setting, so results are
//! reproducible anywhere.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub const DAY: i64 = 86_400;

/// An IANA time zone, Asia/Seoul unless told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(chrono_tz::Asia::Seoul)
    }
}

impl Zone {
    /// Parses an IANA name such as `Asia/Seoul`.
    pub fn parse(name: &str) -> Result<Zone, String> {
        name.parse::<Tz>().map(Zone).map_err(|_| {
            format!("unknown time zone {name:?} (expected an IANA name such as Asia/Seoul)")
        })
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The local date of a unix time.
    pub fn date(&self, unix: i64) -> NaiveDate {
        self.datetime(unix).date_naive()
    }

    /// The local date and time of a unix time.
    pub fn datetime(&self, unix: i64) -> DateTime<Tz> {
        let utc = DateTime::from_timestamp(unix, 0).unwrap_or_default();
        utc.with_timezone(&self.0)
    }

    /// The unix time of local midnight starting `date` (the earliest instant if DST makes it ambiguous).
    pub fn midnight(&self, date: NaiveDate) -> i64 {
        let naive = NaiveDateTime::new(date, NaiveTime::MIN);
        match self.0.from_local_datetime(&naive) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.timestamp(),
            // Midnight skipped by a DST jump: the day starts an hour later.
            chrono::LocalResult::None => self
                .0
                .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
                .map(|t| t.timestamp())
                .unwrap_or_else(|| naive.and_utc().timestamp()),
        }
    }
}

/// Parses an RFC 3339 timestamp to unix seconds (sub-seconds are dropped).
pub fn parse_timestamp(text: &str) -> Option<i64> {
    fast_rfc3339(text.as_bytes()).or_else(|| {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.timestamp())
    })
}

/// The common shape `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`, read without chrono's general parser
/// (ingest parses a million of these). Anything else, including out-of-range fields, returns
/// `None` so that chrono decides, with its exact rules.
fn fast_rfc3339(b: &[u8]) -> Option<i64> {
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let mut n = 0i64;
        for &c in b.get(range)? {
            if !c.is_ascii_digit() {
                return None;
            }
            n = n * 10 + (c - b'0') as i64;
        }
        Some(n)
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    // Leap seconds and impossible dates go to chrono.
    if !(1..=12).contains(&month) || day < 1 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if b.len() == i + 1 => 0,
        sign @ (b'+' | b'-') if b.len() == i + 6 && b[i + 3] == b':' => {
            let (h, m) = (digits(i + 1..i + 3)?, digits(i + 4..i + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year as i32, month as u32, day as u32)?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let days = (date - epoch).num_days();
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60)
}

/// Parses an RFC 3339 timestamp, or a plain `YYYY-MM-DD` date taken as local midnight in `zone`.
pub fn parse_date_or_timestamp(text: &str, zone: &Zone) -> Option<i64> {
    parse_timestamp(text).or_else(|| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(|date| zone.midnight(date))
    })
}

/// Which day weeks start on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WeekStart {
    #[default]
    Monday,
    Sunday,
}

impl WeekStart {
    fn weekday(self) -> Weekday {
        match self {
            WeekStart::Monday => Weekday::Mon,
            WeekStart::Sunday => Weekday::Sun,
        }
    }
}

/// Calendar granularity of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Week,
    Month,
}

/// The explicit inputs that make an analysis reproducible: "now", the zone and the week start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    /// Unix seconds.
    pub now: i64,
    pub zone: Zone,
    pub week_start: WeekStart,
}

impl Context {
    pub fn new(now: i64, zone: Zone) -> Context {
        Context {
            now,
            zone,
            week_start: WeekStart::Monday,
        }
    }

    /// The first day of the calendar period containing `date`.
    pub fn period_start(&self, period: Period, date: NaiveDate) -> NaiveDate {
        match period {
            Period::Day => date,
            Period::Week => {
                let back = date.weekday().days_since(self.week_start.weekday());
                date - chrono::Days::new(back as u64)
            }
            Period::Month => date.with_day(1).unwrap_or(date),
        }
    }

    /// A number for the calendar period containing unix time `unix`; consecutive periods differ by 1.
    pub fn period_index(&self, period: Period, unix: i64) -> i64 {
        let date = self.zone.date(unix);
        period_number(period, self.period_start(period, date))
    }

    /// The first local day of the period with number `index` (inverse of [`Context::period_index`]).
    pub fn period_first_day(&self, period: Period, index: i64) -> NaiveDate {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        match period {
            Period::Day => epoch + chrono::Duration::days(index),
            Period::Week => {
                // Week `index` starts on the one week-start day within days 7i-3 ..= 7i+3 (see `period_number`).
                let window_start = epoch + chrono::Duration::days(index * 7 - 3);
                self.period_start(Period::Week, window_start + chrono::Duration::days(6))
            }
            Period::Month => {
                let year = index.div_euclid(12) as i32;
                let month = index.rem_euclid(12) as u32 + 1;
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(epoch)
            }
        }
    }
}

/// Days since 1970-01-01 for days, weeks counted by their first day, months as year × 12 + month.
fn period_number(period: Period, first_day: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let days = (first_day - epoch).num_days();
    match period {
        Period::Day => days,
        // 1970-01-01 is a Thursday; shift so that every week start maps to a distinct integer.
        Period::Week => (days + 3).div_euclid(7),
        Period::Month => first_day.year() as i64 * 12 + first_day.month0() as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seoul(text: &str) -> i64 {
        parse_timestamp(text).expect("valid")
    }

    #[test]
    fn periods_are_calendar_periods_in_the_zone() {
        let ctx = Context::new(0, Zone::default());
        // 23:30 UTC on a Sunday is Monday 08:30 in Seoul: a new week there.
        let sunday_utc = seoul("2026-03-01T23:30:00Z");
        let monday_seoul = seoul("2026-03-02T00:30:00+09:00");
        let saturday = seoul("2026-02-28T12:00:00+09:00");
        assert_eq!(
            ctx.period_index(Period::Week, sunday_utc),
            ctx.period_index(Period::Week, monday_seoul)
        );
        assert_eq!(
            ctx.period_index(Period::Week, saturday) + 1,
            ctx.period_index(Period::Week, monday_seoul)
        );
        let first = ctx.period_first_day(Period::Week, ctx.period_index(Period::Week, saturday));
        assert_eq!(first, NaiveDate::from_ymd_opt(2026, 2, 23).expect("date"));
        let month = ctx.period_index(Period::Month, seoul("2026-02-28T23:59:59+09:00"));
        assert_eq!(
            month + 1,
            ctx.period_index(Period::Month, seoul("2026-03-01T00:00:00+09:00"))
        );
        assert_eq!(
            ctx.period_first_day(Period::Month, month),
            NaiveDate::from_ymd_opt(2026, 2, 1).expect("date")
        );
    }

    #[test]
    fn sunday_week_start_moves_the_boundary() {
        let mut ctx = Context::new(0, Zone::default());
        ctx.week_start = WeekStart::Sunday;
        let saturday = seoul("2026-02-28T12:00:00+09:00");
        let sunday = seoul("2026-03-01T12:00:00+09:00");
        assert_eq!(
            ctx.period_index(Period::Week, saturday) + 1,
            ctx.period_index(Period::Week, sunday)
        );
        let first = ctx.period_first_day(Period::Week, ctx.period_index(Period::Week, sunday));
        assert_eq!(first, NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"));
    }

    #[test]
    fn the_fast_timestamp_path_agrees_with_chrono() {
        let chrono_parse = |t: &str| DateTime::parse_from_rfc3339(t).ok().map(|d| d.timestamp());
        for text in [
            "2026-03-01T23:30:00Z",
            "2026-03-01T23:30:00+09:00",
            "2026-03-01T23:30:00.123456-05:30",
            "1969-12-31T23:59:59Z",
            "2024-02-29T12:00:00+00:00",
            "2026-12-31t00:00:00z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+14:00",
        ] {
            assert_eq!(fast_rfc3339(text.as_bytes()), chrono_parse(text), "{text}");
            assert_eq!(parse_timestamp(text), chrono_parse(text), "{text}");
        }
        // Shapes the fast path leaves to chrono, which then decides.
        for text in [
            "2026-02-30T00:00:00Z",
            "2026-03-01T24:00:00Z",
            "2016-12-31T23:59:60Z",
            "2026-03-01 23:30:00Z",
            "2026-03-01T23:30:00",
            "2026-03-01T23:30:00.Z",
            "2026-03-01T23:30:00+0900",
            "2026-3-1T23:30:00Z",
            "",
        ] {
            assert_eq!(parse_timestamp(text), chrono_parse(text), "{text:?}");
        }
    }

    #[test]
    fn plain_dates_are_local_midnight() {
        let zone = Zone::default();
        assert_eq!(
            parse_date_or_timestamp("2026-12-31", &zone),
            Some(seoul("2026-12-31T00:00:00+09:00"))
        );
        assert_eq!(parse_date_or_timestamp("31/12/2026", &zone), None);
        assert!(Zone::parse("Europe/Berlin").is_ok());
        assert!(Zone::parse("Seoul").is_err());
    }
}
