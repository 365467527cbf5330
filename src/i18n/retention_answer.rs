//! The sentence that answers "do these customers come back more often than the others?" for a
//! breakdown: the engine's group comparison (`engine::retention_groups`) put into words.

use crate::engine::retention::{Column, RetentionResult};
use crate::engine::retention_groups::compare_groups;
use crate::engine::Period;
use crate::i18n::cohorts_texts::CohortsTexts;
use crate::i18n::labels::column_label;
use crate::i18n::{fill, format, Locale, Texts};

/// Groups whose averages differ by less than this share of the larger count as "about the same".
const SAME: f64 = 0.05;

/// The answer in words, or `None` without a breakdown.
#[allow(clippy::too_many_arguments)]
pub fn answer_sentence(
    t: &Texts,
    ct: &CohortsTexts,
    result: &RetentionResult,
    value: bool,
    return_event: &str,
    currency: &str,
    locale: Locale,
) -> Option<String> {
    if result.tables.len() < 2 {
        return None;
    }
    let Some(cmp) = compare_groups(result, value) else {
        return Some(ct.answer_none.to_owned());
    };
    let show = |v: f64| {
        if value {
            format::money_compact(v, currency, locale)
        } else {
            format::percent(v)
        }
    };
    let noun = match result.period {
        Period::Day => ct.period_noun_day,
        Period::Week => ct.period_noun_week,
        Period::Month => ct.period_noun_month,
    };
    let span = Column {
        from: result.columns.get(cmp.first)?.from,
        to: result.columns.get(cmp.last)?.to,
    };
    let columns = column_label(t, result.period, &span);
    if cmp.groups.len() == 2 {
        let (a, b) = (&cmp.groups[0], &cmp.groups[1]);
        let (x, y) = (a.average?, b.average?);
        let ratio = if y > 0.0 {
            format::decimal(x / y, 1)
        } else {
            "—".to_owned()
        };
        let template = if (x - y).abs() <= SAME * x.max(y) {
            ct.answer_same
        } else if x > y {
            if value {
                ct.answer_value_more
            } else {
                ct.answer_more
            }
        } else if value {
            ct.answer_value_less
        } else {
            ct.answer_less
        };
        return Some(fill(
            template,
            &[
                &a.label,
                &show(x),
                return_event,
                noun,
                &columns,
                &show(y),
                &b.label,
                &ratio,
            ],
        ));
    }
    let ranked = cmp.ranked();
    let (top, bottom) = (ranked.first()?, ranked.last()?);
    Some(fill(
        ct.answer_many,
        &[
            &top.label,
            &show(top.average?),
            &bottom.label,
            &show(bottom.average?),
            noun,
            &columns,
        ],
    ))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::engine::retention::{Cell, CohortRow, RetentionTable};
    use crate::i18n::cohorts_texts::cohorts_texts;

    fn table(label: &str, size: usize, back: usize) -> RetentionTable {
        let cell = |customers: usize| {
            Some(Cell {
                customers,
                rate: None,
                interval: None,
                value: customers as f64 * 1000.0,
                cumulative_value: 0.0,
                value_per_customer: None,
                complete: true,
            })
        };
        RetentionTable {
            label: label.into(),
            rows: vec![CohortRow {
                start: NaiveDate::from_ymd_opt(2026, 2, 1).expect("date"),
                size,
                small: false,
                cells: vec![cell(size), cell(back), cell(back)],
            }],
            mean: Vec::new(),
        }
    }

    fn result(tables: Vec<RetentionTable>) -> RetentionResult {
        RetentionResult {
            period: Period::Month,
            columns: (0..3).map(|k| Column { from: k, to: k }).collect(),
            tables,
        }
    }

    #[test]
    fn two_groups_get_a_yes_or_no_with_both_numbers() {
        let (t, ct) = (Locale::En.texts(), cohorts_texts(Locale::En));
        let say = |r: &RetentionResult, value: bool| {
            answer_sentence(t, ct, r, value, "Purchase", "KRW", Locale::En).expect("sentence")
        };
        let less = result(vec![
            table("Bought with FLASH50", 100, 5),
            table("Everyone else", 100, 20),
        ]);
        assert_eq!(
            say(&less, false),
            "No: “Bought with FLASH50” come back less often. On average 5.0% of them returned \
             (Purchase) in each month after their first (Months 1–2), against 20.0% of “Everyone \
             else”: 0.3 times as often."
        );
        let more = result(vec![table("A", 10, 5), table("B", 10, 1)]);
        assert!(say(&more, false).starts_with("Yes: “A” come back more often."));
        assert!(say(&more, true).starts_with("Yes: “A” bring more back."));
        let same = result(vec![table("A", 100, 50), table("B", 100, 49)]);
        assert!(say(&same, false).starts_with("About the same"));
        let many = result(vec![
            table("A", 10, 1),
            table("B", 10, 5),
            table("C", 10, 3),
        ]);
        assert!(say(&many, false).starts_with("Most often back: “B”, 50.0%"));
        assert!(say(&many, false).contains("Least often: “A”, 10.0%"));
        let ko = answer_sentence(
            Locale::Ko.texts(),
            cohorts_texts(Locale::Ko),
            &less,
            false,
            "구매",
            "KRW",
            Locale::Ko,
        );
        assert!(ko.expect("ko").starts_with("아니요"));
    }

    #[test]
    fn one_table_has_no_answer_and_no_complete_period_says_so() {
        let (t, ct) = (Locale::En.texts(), cohorts_texts(Locale::En));
        assert_eq!(
            answer_sentence(
                t,
                ct,
                &result(vec![table("A", 1, 1)]),
                false,
                "x",
                "KRW",
                Locale::En
            ),
            None
        );
        let mut open = table("A", 5, 1);
        open.rows[0].cells[1] = None;
        open.rows[0].cells[2] = None;
        let r = result(vec![open.clone(), open]);
        assert_eq!(
            answer_sentence(t, ct, &r, false, "x", "KRW", Locale::En).as_deref(),
            Some(ct.answer_none)
        );
    }
}
