//! Fast calendar periods: the local day and period of a unix time without a time-zone lookup per event.
//!
//! [`Context::period_index`] converts through the IANA zone rules, which is exact but slow for a
//! million events. A [`Calendar`] precomputes the local midnights of every day in the data's range
//! once, so each lookup is an arithmetic guess corrected by at most a step or two. Times outside
//! the range fall back to the exact conversion, so results never depend on the range.

use super::store::Store;
use super::time::{Context, Period, DAY};

/// Local days and periods of unix times in one context, fast for times within the covered range.
#[derive(Debug, Clone)]
pub struct Calendar {
    ctx: Context,
    /// Day number (days since 1970-01-01, local) of `midnights[0]`.
    first_day: i64,
    /// Unix time of local midnight for each day from `first_day`, plus one past the last.
    midnights: Vec<i64>,
}

impl Calendar {
    /// Covers `from..=to` (unix seconds) in `ctx`'s zone.
    pub fn covering(ctx: &Context, from: i64, to: i64) -> Calendar {
        let (from, to) = (from.min(to), from.max(to));
        let first = ctx.zone.date(from);
        let last = ctx.zone.date(to);
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let days = (last - first).num_days().max(0) + 2;
        let midnights = (0..days)
            .map(|d| ctx.zone.midnight(first + chrono::Duration::days(d)))
            .collect();
        Calendar {
            ctx: *ctx,
            first_day: (first - epoch).num_days(),
            midnights,
        }
    }

    /// Covers every event and signup in `store`, and `ctx.now`.
    pub fn for_store(store: &Store, ctx: &Context) -> Calendar {
        let times = store
            .events
            .at
            .iter()
            .chain(store.customers.created_at.iter())
            .copied();
        let (lo, hi) = times.fold((ctx.now, ctx.now), |(lo, hi), t| (lo.min(t), hi.max(t)));
        Calendar::covering(ctx, lo, hi)
    }

    pub fn context(&self) -> &Context {
        &self.ctx
    }

    /// Local day number (days since 1970-01-01 in the zone) of `unix`.
    #[inline]
    pub fn day(&self, unix: i64) -> i64 {
        let m = &self.midnights;
        let last = m.len() - 1;
        if unix < m[0] || unix >= m[last] {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            return (self.ctx.zone.date(unix) - epoch).num_days();
        }
        // Days are 23–25 hours long, so the guess is off by at most one or two.
        let mut d = ((unix - m[0]) / DAY).clamp(0, last as i64 - 1) as usize;
        while m[d] > unix {
            d -= 1;
        }
        while m[d + 1] <= unix {
            d += 1;
        }
        self.first_day + d as i64
    }

    /// The period number of `unix`, equal to [`Context::period_index`].
    #[inline]
    pub fn period(&self, period: Period, unix: i64) -> i64 {
        let day = self.day(unix);
        period_of_day(&self.ctx, period, day)
    }

    /// Unix time of local midnight starting day number `day`.
    pub fn midnight(&self, day: i64) -> i64 {
        let offset = day - self.first_day;
        if (0..self.midnights.len() as i64).contains(&offset) {
            self.midnights[offset as usize]
        } else {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            self.ctx.zone.midnight(epoch + chrono::Duration::days(day))
        }
    }

    /// Unix time at which period number `index` starts.
    pub fn period_start(&self, period: Period, index: i64) -> i64 {
        let first = self.ctx.period_first_day(period, index);
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        self.midnight((first - epoch).num_days())
    }
}

/// The period number of a local day number, matching [`Context::period_index`].
fn period_of_day(ctx: &Context, period: Period, day: i64) -> i64 {
    match period {
        Period::Day => day,
        Period::Week => {
            // 1970-01-01 was a Thursday (weekday 3 counting from Monday = 0).
            let weekday_from_monday = (day + 3).rem_euclid(7);
            let back = match ctx.week_start {
                super::time::WeekStart::Monday => weekday_from_monday,
                super::time::WeekStart::Sunday => (weekday_from_monday + 1) % 7,
            };
            (day - back + 3).div_euclid(7)
        }
        Period::Month => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            let date = epoch + chrono::Duration::days(day);
            use chrono::Datelike;
            date.year() as i64 * 12 + date.month0() as i64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, WeekStart, Zone};

    #[test]
    fn agrees_with_the_exact_conversion_across_dst_and_zones() {
        for zone in ["Asia/Seoul", "Europe/Berlin", "America/New_York", "UTC"] {
            for week_start in [WeekStart::Monday, WeekStart::Sunday] {
                let mut ctx = Context::new(0, Zone::parse(zone).expect("zone"));
                ctx.week_start = week_start;
                let from = parse_timestamp("2025-12-20T00:00:00Z").expect("t");
                let to = parse_timestamp("2026-11-10T00:00:00Z").expect("t");
                let calendar = Calendar::covering(&ctx, from, to);
                // Every 20 minutes over the range and a little beyond it (the fallback path).
                let mut t = from - 5 * DAY;
                while t < to + 5 * DAY {
                    for period in [Period::Day, Period::Week, Period::Month] {
                        assert_eq!(
                            calendar.period(period, t),
                            ctx.period_index(period, t),
                            "{zone} {week_start:?} {period:?} at {t}"
                        );
                    }
                    t += 1200;
                }
                let week = ctx.period_index(Period::Week, to);
                let start = calendar.period_start(Period::Week, week);
                assert_eq!(ctx.period_index(Period::Week, start), week);
                assert_eq!(ctx.period_index(Period::Week, start - 1), week - 1);
            }
        }
    }
}
