//! Which breakdown group comes back more often: for each group of a retention result, the share of
//! its cohorts' members who returned in each period after the first, averaged over the periods
//! every group has complete data for. This is the one sentence that answers "do customers from the
//! promotion come back more often than others?".

use super::retention::RetentionResult;

/// One group's average.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAverage {
    pub label: String,
    /// Members of the group's cohorts (summed over rows).
    pub members: usize,
    /// Mean over the compared columns of (returned ÷ members of the complete cohorts), or, for
    /// value, of (return value ÷ members). `None` when the group has no complete cell there.
    pub average: Option<f64>,
}

/// The groups side by side over the columns `first..=last` (indices into `result.columns`).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupComparison {
    pub groups: Vec<GroupAverage>,
    pub first: usize,
    pub last: usize,
}

impl GroupComparison {
    /// The groups with an average, highest first.
    pub fn ranked(&self) -> Vec<&GroupAverage> {
        let mut out: Vec<&GroupAverage> =
            self.groups.iter().filter(|g| g.average.is_some()).collect();
        out.sort_by(|a, b| {
            b.average
                .partial_cmp(&a.average)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        out
    }
}

/// Compares the groups of a result with a breakdown (two or more tables); `value` compares return
/// value per member instead of the share who returned. Columns after the cohort's own period
/// (`from ≥ 1`) that every group has at least one complete cell in are compared.
pub fn compare_groups(result: &RetentionResult, value: bool) -> Option<GroupComparison> {
    if result.tables.len() < 2 {
        return None;
    }
    // Pooled per column and group: (returned or value, members), complete cells only.
    let pooled = |t: usize, k: usize| -> Option<f64> {
        let (mut num, mut den) = (0.0, 0usize);
        for row in &result.tables[t].rows {
            if let Some(Some(cell)) = row.cells.get(k) {
                if cell.complete && row.size > 0 {
                    num += if value {
                        cell.value
                    } else {
                        cell.customers as f64
                    };
                    den += row.size;
                }
            }
        }
        (den > 0).then(|| num / den as f64)
    };
    let columns: Vec<usize> = (0..result.columns.len())
        .filter(|&k| result.columns[k].from >= 1)
        .filter(|&k| (0..result.tables.len()).all(|t| pooled(t, k).is_some()))
        .collect();
    let (&first, &last) = (columns.first()?, columns.last()?);
    let groups = result
        .tables
        .iter()
        .enumerate()
        .map(|(t, table)| {
            let values: Vec<f64> = columns.iter().filter_map(|&k| pooled(t, k)).collect();
            GroupAverage {
                label: table.label.clone(),
                members: table.rows.iter().map(|r| r.size).sum(),
                average: (!values.is_empty())
                    .then(|| values.iter().sum::<f64>() / values.len() as f64),
            }
        })
        .collect();
    Some(GroupComparison {
        groups,
        first,
        last,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::engine::retention::{Cell, CohortRow, Column, RetentionTable};
    use crate::engine::Period;

    fn cell(customers: usize, value: f64, complete: bool) -> Option<Cell> {
        Some(Cell {
            customers,
            rate: None,
            interval: None,
            value,
            cumulative_value: value,
            value_per_customer: None,
            complete,
        })
    }

    fn table(label: &str, rows: Vec<(usize, Vec<Option<Cell>>)>) -> RetentionTable {
        RetentionTable {
            label: label.into(),
            rows: rows
                .into_iter()
                .map(|(size, cells)| CohortRow {
                    start: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
                    size,
                    small: false,
                    cells,
                })
                .collect(),
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
    fn groups_are_pooled_per_column_then_averaged_over_shared_complete_columns() {
        let a = table(
            "promo",
            vec![
                (
                    10,
                    vec![
                        cell(10, 0.0, true),
                        cell(1, 100.0, true),
                        cell(1, 0.0, true),
                    ],
                ),
                (
                    30,
                    vec![
                        cell(30, 0.0, true),
                        cell(3, 50.0, true),
                        cell(9, 0.0, false),
                    ],
                ),
            ],
        );
        let b = table(
            "rest",
            vec![(
                20,
                vec![cell(20, 0.0, true), cell(8, 0.0, true), cell(2, 0.0, true)],
            )],
        );
        let cmp = compare_groups(&result(vec![a, b]), false).expect("comparison");
        // Column 1: promo 4/40, rest 8/20; column 2: promo 1/10 (one complete row), rest 2/20.
        assert_eq!((cmp.first, cmp.last), (1, 2));
        assert_eq!(cmp.groups[0].members, 40);
        assert!((cmp.groups[0].average.expect("a") - 0.1).abs() < 1e-12);
        assert!((cmp.groups[1].average.expect("b") - 0.25).abs() < 1e-12);
        assert_eq!(cmp.ranked()[0].label, "rest");
        let value = compare_groups(&result(vec![cmp_table(), cmp_table()]), true).expect("value");
        assert!((value.groups[0].average.expect("v") - 15.0).abs() < 1e-12);
    }

    fn cmp_table() -> RetentionTable {
        table(
            "x",
            vec![(2, vec![cell(2, 0.0, true), cell(1, 30.0, true), None])],
        )
    }

    #[test]
    fn one_table_or_no_complete_columns_compare_nothing() {
        assert_eq!(compare_groups(&result(vec![cmp_table()]), false), None);
        let empty = table("y", vec![(2, vec![cell(2, 0.0, true), None, None])]);
        assert_eq!(
            compare_groups(&result(vec![empty.clone(), empty]), false),
            None
        );
    }
}
