//! Numbers, money, percentages and dates as a Korean or English reader expects them.

use chrono::{Datelike, NaiveDate};

use super::Locale;
use crate::engine::Zone;

/// `1234567` → `1,234,567` (both languages group by thousands with commas).
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count, e.g. of customers.
pub fn count(n: usize) -> String {
    integer(n as i64)
}

/// Digits after the decimal point of a currency (ISO 4217 minor unit).
fn minor_digits(currency: &str) -> usize {
    match currency {
        "KRW" | "JPY" | "VND" | "CLP" | "ISK" | "TWD" | "HUF" => 0,
        _ => 2,
    }
}

/// A number with `decimals` fractional digits and thousands separators. Not finite → `—`.
pub fn decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "—".into();
    }
    let scale = 10f64.powi(decimals as i32);
    let scaled = (value.abs() * scale).round();
    let whole = (scaled / scale).trunc() as i64;
    let frac = (scaled - whole as f64 * scale).round() as i64;
    let sign = if value < 0.0 && scaled != 0.0 {
        "-"
    } else {
        ""
    };
    if decimals == 0 {
        format!("{sign}{}", integer(whole))
    } else {
        format!("{sign}{}.{frac:0decimals$}", integer(whole))
    }
}

/// Money in `currency`: KRW has no minor unit (`₩1,234,567` / `1,234,567원`).
pub fn money(amount: f64, currency: &str, locale: Locale) -> String {
    if !amount.is_finite() {
        return "—".into();
    }
    let number = decimal(amount, minor_digits(currency));
    match (currency, locale) {
        ("KRW", Locale::Ko) => format!("{number}원"),
        ("KRW", Locale::En) => prefix_symbol("₩", &number),
        ("USD", _) => prefix_symbol("$", &number),
        ("EUR", _) => prefix_symbol("€", &number),
        ("JPY", Locale::Ko) => format!("{number}엔"),
        ("JPY", Locale::En) => prefix_symbol("¥", &number),
        _ => format!("{number} {currency}"),
    }
}

fn prefix_symbol(symbol: &str, number: &str) -> String {
    match number.strip_prefix('-') {
        Some(positive) => format!("-{symbol}{positive}"),
        None => format!("{symbol}{number}"),
    }
}

/// A ratio as a percentage with one decimal: `0.123` → `12.3%`. No ratio (0 / 0) → `—`.
pub fn percent(ratio: f64) -> String {
    if ratio.is_finite() {
        format!("{}%", decimal(ratio * 100.0, 1))
    } else {
        "—".into()
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar date: `Mar 1, 2026` / `2026. 3. 1.`
pub fn date(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::En => format!(
            "{} {}, {}",
            MONTHS_EN[d.month0() as usize],
            d.day(),
            d.year()
        ),
        Locale::Ko => format!("{}. {}. {}.", d.year(), d.month(), d.day()),
    }
}

/// A month: `Mar 2026` / `2026년 3월`.
pub fn month(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{} {}", MONTHS_EN[d.month0() as usize], d.year()),
        Locale::Ko => format!("{}년 {}월", d.year(), d.month()),
    }
}

/// A short month label for chart axes: `Mar` / `3월`.
pub fn month_short(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::En => MONTHS_EN[d.month0() as usize].to_owned(),
        Locale::Ko => format!("{}월", d.month()),
    }
}

/// A day without its year, for chart axes: `Mar 1` / `3. 1.`.
pub fn day_short(d: NaiveDate, locale: Locale) -> String {
    match locale {
        Locale::En => format!("{} {}", MONTHS_EN[d.month0() as usize], d.day()),
        Locale::Ko => format!("{}. {}.", d.month(), d.day()),
    }
}

/// Money rounded for axis ticks: `₩12.5M` / `1,250만원`, using the units each language counts in.
pub fn money_compact(amount: f64, currency: &str, locale: Locale) -> String {
    if !amount.is_finite() {
        return "—".into();
    }
    let abs = amount.abs();
    let (number, unit) = match locale {
        Locale::Ko if abs >= 1e8 => (decimal(amount / 1e8, 1), "억"),
        Locale::Ko if abs >= 1e4 => (decimal(amount / 1e4, 0), "만"),
        Locale::En if abs >= 1e9 => (decimal(amount / 1e9, 1), "B"),
        Locale::En if abs >= 1e6 => (decimal(amount / 1e6, 1), "M"),
        Locale::En if abs >= 1e3 => (decimal(amount / 1e3, 0), "K"),
        _ => return money(amount, currency, locale),
    };
    match (currency, locale) {
        ("KRW", Locale::Ko) => format!("{number}{unit}원"),
        ("KRW", Locale::En) => prefix_symbol("₩", &format!("{number}{unit}")),
        _ => format!("{number}{unit} {currency}"),
    }
}

/// The local date of a unix time in `zone`.
pub fn unix_date(unix: i64, zone: &Zone, locale: Locale) -> String {
    date(zone.date(unix), locale)
}

/// A duration in the largest unit that keeps it readable: `2.5 days`, `3.0 hours`, `12 minutes`.
pub fn duration(seconds: f64, t: &super::Texts) -> String {
    if !seconds.is_finite() {
        return "—".into();
    }
    if seconds >= 86_400.0 {
        super::fill(t.dur_days, &[&decimal(seconds / 86_400.0, 1)])
    } else if seconds >= 3_600.0 {
        super::fill(t.dur_hours, &[&decimal(seconds / 3_600.0, 1)])
    } else {
        super::fill(t.dur_minutes, &[&decimal(seconds / 60.0, 0)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_pick_a_readable_unit() {
        let en = super::super::Locale::En.texts();
        assert_eq!(duration(2.5 * 86_400.0, en), "2.5 days");
        assert_eq!(duration(5_400.0, en), "1.5 hours");
        assert_eq!(duration(720.0, super::super::Locale::Ko.texts()), "12분");
        assert_eq!(duration(f64::NAN, en), "—");
    }

    #[test]
    fn integers_group_by_thousands() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1,000");
        assert_eq!(integer(-1234567), "-1,234,567");
        assert_eq!(integer(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn krw_has_no_minor_unit() {
        assert_eq!(money(360000.0, "KRW", Locale::Ko), "360,000원");
        assert_eq!(money(360000.4, "KRW", Locale::En), "₩360,000");
        assert_eq!(money(-10000.0, "KRW", Locale::En), "-₩10,000");
        assert_eq!(money(1234.5, "USD", Locale::En), "$1,234.50");
        assert_eq!(money(1234.5, "GBP", Locale::Ko), "1,234.50 GBP");
        assert_eq!(money(f64::NAN, "KRW", Locale::Ko), "—");
    }

    #[test]
    fn percentages_and_missing_ratios() {
        assert_eq!(percent(0.886), "88.6%");
        assert_eq!(percent(f64::NAN), "—");
        assert_eq!(decimal(-0.04, 1), "0.0");
        assert_eq!(decimal(2.96, 1), "3.0");
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).expect("date");
        assert_eq!(date(d, Locale::En), "Mar 1, 2026");
        assert_eq!(date(d, Locale::Ko), "2026. 3. 1.");
        assert_eq!(month(d, Locale::Ko), "2026년 3월");
        assert_eq!(month(d, Locale::En), "Mar 2026");
        assert_eq!(month_short(d, Locale::Ko), "3월");
        assert_eq!(day_short(d, Locale::En), "Mar 1");
        assert_eq!(day_short(d, Locale::Ko), "3. 1.");
    }

    #[test]
    fn compact_money_uses_each_languages_units() {
        assert_eq!(money_compact(12_500_000.0, "KRW", Locale::Ko), "1,250만원");
        assert_eq!(money_compact(350_000_000.0, "KRW", Locale::Ko), "3.5억원");
        assert_eq!(money_compact(12_500_000.0, "KRW", Locale::En), "₩12.5M");
        assert_eq!(money_compact(900.0, "KRW", Locale::En), "₩900");
    }
}
