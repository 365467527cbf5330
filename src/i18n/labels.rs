//! Labels built from engine values: retention columns and cohort periods.

use chrono::NaiveDate;

use super::{fill, format, Locale, Texts};
use crate::engine::retention::Column;
use crate::engine::Period;

/// "Week 3", "Days 1–3", "2주".
pub fn column_label(t: &Texts, period: Period, column: &Column) -> String {
    let (single, range) = match period {
        Period::Day => (t.col_day, t.col_bracket_day),
        Period::Week => (t.col_week, t.col_bracket_week),
        Period::Month => (t.col_month, t.col_bracket_month),
    };
    if column.from == column.to {
        fill(single, &[&column.from.to_string()])
    } else {
        fill(range, &[&column.from.to_string(), &column.to.to_string()])
    }
}

/// The short name of a cohort row: a date, or a month.
pub fn cohort_short(period: Period, start: NaiveDate, locale: Locale) -> String {
    match period {
        Period::Month => format::month(start, locale),
        _ => format::date(start, locale),
    }
}

/// A period's tick on a chart axis, without the year: `Mar 2` (week or day) / `Mar` (month).
pub fn period_tick(period: Period, start: NaiveDate, locale: Locale) -> String {
    match period {
        Period::Month => format::month_short(start, locale),
        _ => format::day_short(start, locale),
    }
}

/// The cohort's period in a sentence: "the week of Mar 2, 2026" / "2026. 3. 2. 주".
pub fn cohort_in_words(t: &Texts, period: Period, start: NaiveDate, locale: Locale) -> String {
    let template = match period {
        Period::Day => t.cohort_of_day,
        Period::Week => t.cohort_of_week,
        Period::Month => t.cohort_of_month,
    };
    fill(template, &[&cohort_short(period, start, locale)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_cohorts_read_naturally() {
        let en = Locale::En.texts();
        let ko = Locale::Ko.texts();
        let one = Column { from: 1, to: 1 };
        let range = Column { from: 4, to: 7 };
        assert_eq!(column_label(en, Period::Week, &one), "Week 1");
        assert_eq!(column_label(en, Period::Day, &range), "Days 4–7");
        assert_eq!(column_label(ko, Period::Month, &one), "1개월");
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        assert_eq!(
            cohort_in_words(en, Period::Week, d, Locale::En),
            "the week of Mar 2, 2026"
        );
        assert_eq!(
            cohort_in_words(ko, Period::Week, d, Locale::Ko),
            "2026. 3. 2. 주"
        );
        assert_eq!(cohort_short(Period::Month, d, Locale::Ko), "2026년 3월");
    }
}
