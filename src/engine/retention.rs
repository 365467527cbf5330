//! Cohort retention with the options analysts expect (DOMAIN.md, "Cohort retention").
//!
//! Row r holds the customers whose *start event* falls in period r; cell (r, k) counts those who
//! did the *return event* in period r + k. Cell (r, 0) is the cohort size.
//!
//! Exact semantics (a backend reproduces them in SQL; see `docs/query-spec.md`):
//! - Only events at or before `now` exist. The start event `$signup` means the signup time.
//! - **Anchors.** `first_time`: the customer's first start event whose period is one of the rows;
//!   `first_ever`: the first start event in all history, kept only if its period is a row;
//!   `recurring`: in every row period with a start event, the first one there. Each anchor at time
//!   `s` in row period `r` is one cohort membership.
//! - **Return offset** of a return event at `t ≥ s`: calendar windows, `k = period(t) − r`;
//!   rolling windows, `k = ⌊(t − s) / L⌋` with L = 1, 7 or 30 days. Events before `s` never count.
//! - A member **qualifies** in column k when it has at least `min_occurrences` return events with
//!   offset k (for a bracket `[a, b]`: with offsets in a..=b). Column 0 is always the cohort size.
//! - `on`: the cell counts members qualifying in that column. `on_or_after`: members qualifying in
//!   that column or any later one observed so far.
//! - A column has **started** when its first period has begun (calendar: `r + a ≤ period(now)`;
//!   rolling: `start(r) + a·L ≤ now`) and is **complete** when its last period has ended
//!   (calendar: `r + b < period(now)`; rolling: `start(r + 1) + (b + 1)·L ≤ now`, i.e. even the
//!   last member's window is over). Columns not started are absent (`None`).
//! - Values: `value` sums the values of the members' return events with that offset (offset 0
//!   counts only events at or after `s`); `cumulative_value` sums offsets 0..=b.
//! - `rate` is customers ÷ cohort size (`percent_of: cohort`) or ÷ the previous column's
//!   customers (`percent_of: previous`); the 95 % Wilson interval is computed for that ratio.
//! - The mean row uses only complete cells: `weighted` = Σ customers ÷ Σ base, `simple` = the
//!   mean of the rows' rates; `value_per_customer` likewise over Σ value ÷ Σ size.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::Calendar;
use super::filter::{EventFilter, EventMatcher, ANY_ACTIVITY};
use super::population::{includes, Breakdown, CustomerSet, Groups};
use super::query::QueryError;
use super::store::{CustomerIx, Store};
use super::time::{parse_date_or_timestamp, Context, Period, DAY};

/// The start event that means "signed up" (the customer's `created_at`).
pub const SIGNUP: &str = "$signup";

/// A retention query. Defaults: signup → any activity, weekly, 12 periods, 12 cohorts, first-time,
/// calendar windows, counted "on", percent of cohort, weighted mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionSpec {
    #[serde(default = "signup_filter")]
    pub start: EventFilter,
    #[serde(default = "activity_filter", rename = "return")]
    pub return_event: EventFilter,
    #[serde(default)]
    pub cohort: CohortType,
    #[serde(default = "default_period")]
    pub period: Period,
    /// Columns after the cohort's own period (ignored when `brackets` are given).
    #[serde(default = "default_count")]
    pub periods: usize,
    /// Number of cohort rows ending with the period containing `now` (ignored with `from`).
    #[serde(default = "default_count")]
    pub cohorts: usize,
    /// First cohort period: the one containing this date (RFC 3339 or `YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last cohort period: the one containing this date (default: the period containing `now`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default)]
    pub windows: Windows,
    #[serde(default)]
    pub counting: Counting,
    /// Custom columns after column 0, as inclusive period offsets, e.g. `[[1,3],[4,7],[8,14]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brackets: Option<Vec<[u32; 2]>>,
    #[serde(default = "one")]
    pub min_occurrences: u32,
    #[serde(default)]
    pub percent_of: PercentOf,
    #[serde(default)]
    pub mean: MeanKind,
    /// Cohorts smaller than this are flagged `small`.
    #[serde(default = "default_small")]
    pub small_cohort: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Breakdown>,
}

fn signup_filter() -> EventFilter {
    EventFilter::of(SIGNUP)
}
fn activity_filter() -> EventFilter {
    EventFilter::of(ANY_ACTIVITY)
}
fn default_period() -> Period {
    Period::Week
}
fn default_count() -> usize {
    12
}
fn one() -> u32 {
    1
}
fn default_small() -> usize {
    30
}

impl Default for RetentionSpec {
    fn default() -> Self {
        RetentionSpec {
            start: signup_filter(),
            return_event: activity_filter(),
            cohort: CohortType::default(),
            period: default_period(),
            periods: default_count(),
            cohorts: default_count(),
            from: None,
            to: None,
            windows: Windows::default(),
            counting: Counting::default(),
            brackets: None,
            min_occurrences: 1,
            percent_of: PercentOf::default(),
            mean: MeanKind::default(),
            small_cohort: default_small(),
            breakdown: None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CohortType {
    #[default]
    FirstTime,
    Recurring,
    FirstEver,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Windows {
    /// Calendar periods in the report's time zone.
    #[default]
    Calendar,
    /// 24-hour multiples from each customer's start time.
    Rolling,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// Returned in exactly that period (bounded).
    #[default]
    On,
    /// Returned in that period or any later one (unbounded).
    OnOrAfter,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentOf {
    #[default]
    Cohort,
    Previous,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeanKind {
    #[default]
    Weighted,
    Simple,
    None,
}

/// One column: period offsets `from..=to` after the cohort's own period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub from: u32,
    pub to: u32,
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub customers: usize,
    /// `customers` ÷ the base chosen by `percent_of`; `None` when the base is 0.
    pub rate: Option<f64>,
    /// 95 % Wilson interval of `rate`.
    pub interval: Option<[f64; 2]>,
    /// Sum of return-event values.
    pub value: f64,
    /// Sum of values from column 0 through this one.
    pub cumulative_value: f64,
    /// `value` ÷ cohort size.
    pub value_per_customer: Option<f64>,
    /// Whether the column's periods have all ended (an incomplete cell may still grow).
    pub complete: bool,
}

/// One cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRow {
    /// First local day of the cohort's period, `YYYY-MM-DD`.
    pub start: NaiveDate,
    pub size: usize,
    /// Smaller than the spec's `small_cohort`.
    pub small: bool,
    /// One per column; `None` for columns that have not started.
    pub cells: Vec<Option<Cell>>,
}

impl CohortRow {
    /// Customers counted in column `k`, if it has started.
    pub fn customers(&self, k: usize) -> Option<usize> {
        self.cells.get(k)?.as_ref().map(|c| c.customers)
    }
}

/// The mean of one column over the complete cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanCell {
    pub rate: Option<f64>,
    pub value_per_customer: Option<f64>,
    /// How many cohorts had this column complete.
    pub cohorts: usize,
}

/// The matrix of one breakdown group (or of everyone).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionTable {
    pub label: String,
    pub rows: Vec<CohortRow>,
    /// Empty when `mean` is `none`.
    pub mean: Vec<MeanCell>,
}

/// The answer to a [`RetentionSpec`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionResult {
    pub period: Period,
    pub columns: Vec<Column>,
    /// One table, or one per breakdown group.
    pub tables: Vec<RetentionTable>,
}

/// Label of the single table when there is no breakdown.
pub const ALL_LABEL: &str = "all";

/// What a spec means against one store: compiled filters, the rows and the columns.
struct Plan<'a> {
    store: &'a Store,
    ctx: Context,
    calendar: Calendar,
    spec: &'a RetentionSpec,
    start: Option<EventMatcher>,
    returns: EventMatcher,
    first_row: i64,
    rows: usize,
    now_period: i64,
    columns: Vec<Column>,
    /// Offsets 0..=max_offset are tracked per member.
    max_offset: usize,
    /// Rolling window length in seconds (0 for calendar windows).
    window: i64,
}

/// One cohort membership of a customer, with what it did per offset.
struct Membership {
    row: usize,
    qualified: Vec<bool>,
    values: Vec<f64>,
}

impl<'a> Plan<'a> {
    fn new(store: &'a Store, ctx: &Context, spec: &'a RetentionSpec) -> Result<Self, QueryError> {
        let calendar = Calendar::for_store(store, ctx);
        let now_period = calendar.period(spec.period, ctx.now);
        let parse = |field: &str, text: &Option<String>| -> Result<Option<i64>, QueryError> {
            text.as_ref()
                .map(|t| {
                    parse_date_or_timestamp(t, &ctx.zone).ok_or_else(|| {
                        QueryError::invalid(field, format!("{t:?} is not a date or timestamp"))
                    })
                })
                .transpose()
        };
        let last_row = match parse("to", &spec.to)? {
            Some(t) => calendar.period(spec.period, t),
            None => now_period,
        };
        let first_row = match parse("from", &spec.from)? {
            Some(t) => calendar.period(spec.period, t),
            None => {
                if spec.cohorts == 0 {
                    return Err(QueryError::invalid(
                        "cohorts",
                        "at least one cohort is needed",
                    ));
                }
                last_row - spec.cohorts as i64 + 1
            }
        };
        if first_row > last_row {
            return Err(QueryError::invalid(
                "from",
                "the first cohort is after the last",
            ));
        }
        let rows = (last_row - first_row + 1) as usize;
        if rows > 5_000 {
            return Err(QueryError::invalid(
                "from",
                "more than 5,000 cohorts; choose a longer period",
            ));
        }
        if spec.brackets.is_none() && spec.periods > 5_000 {
            return Err(QueryError::invalid("periods", "more than 5,000 periods"));
        }
        let columns = match &spec.brackets {
            Some(brackets) => {
                let mut previous_end = 0;
                let mut columns = vec![Column { from: 0, to: 0 }];
                for (i, &[from, to]) in brackets.iter().enumerate() {
                    if from == 0 || to < from || from <= previous_end {
                        return Err(QueryError::invalid(
                            format!("brackets[{i}]"),
                            "brackets must be ascending, start at 1 or later and not overlap",
                        ));
                    }
                    previous_end = to;
                    columns.push(Column { from, to });
                }
                columns
            }
            None => (0..=spec.periods as u32)
                .map(|k| Column { from: k, to: k })
                .collect(),
        };
        let max_offset = columns.last().map_or(0, |c| c.to as usize);
        if max_offset > 5_000 {
            return Err(QueryError::invalid("periods", "more than 5,000 periods"));
        }
        if spec.min_occurrences == 0 {
            return Err(QueryError::invalid("min_occurrences", "must be at least 1"));
        }
        let start = (spec.start.event != SIGNUP).then(|| EventMatcher::new(store, &spec.start));
        let window = match spec.windows {
            Windows::Calendar => 0,
            Windows::Rolling => match spec.period {
                Period::Day => DAY,
                Period::Week => 7 * DAY,
                Period::Month => 30 * DAY,
            },
        };
        Ok(Plan {
            store,
            ctx: *ctx,
            spec,
            start,
            returns: EventMatcher::new(store, &spec.return_event),
            first_row,
            rows,
            now_period,
            columns,
            max_offset,
            window,
            calendar,
        })
    }

    fn row_of(&self, t: i64) -> Option<usize> {
        let r = self.calendar.period(self.spec.period, t) - self.first_row;
        (0..self.rows as i64).contains(&r).then_some(r as usize)
    }

    /// Calls `found(row, s)` for each cohort membership of `customer`.
    fn anchors(&self, customer: CustomerIx, mut found: impl FnMut(usize, i64)) {
        let events = &self.store.events;
        let range = events.of_customer(customer);
        let Some(start) = &self.start else {
            let created = self.store.customers.created_at[customer as usize];
            if created <= self.ctx.now {
                if let Some(row) = self.row_of(created) {
                    found(row, created);
                }
            }
            return;
        };
        let mut last_row = usize::MAX;
        for e in range {
            let at = events.at[e];
            if at > self.ctx.now {
                break;
            }
            if !start.matches(self.store, e) {
                continue;
            }
            let row = self.row_of(at);
            match self.spec.cohort {
                CohortType::FirstEver => {
                    if let Some(row) = row {
                        found(row, at);
                    }
                    return;
                }
                CohortType::FirstTime => {
                    if let Some(row) = row {
                        found(row, at);
                        return;
                    }
                }
                CohortType::Recurring => {
                    if let Some(row) = row.filter(|&r| r != last_row) {
                        last_row = row;
                        found(row, at);
                    }
                }
            }
        }
    }

    /// The member's return events (index, offset) from `s` on, up to the last tracked offset.
    fn return_offsets(
        &self,
        customer: CustomerIx,
        row: usize,
        s: i64,
    ) -> impl Iterator<Item = (usize, i64)> + '_ {
        let events = &self.store.events;
        let range = events.of_customer(customer);
        let from = range.start + events.at[range.clone()].partition_point(|&t| t < s);
        let row_period = self.first_row + row as i64;
        (from..range.end)
            .take_while(move |&e| events.at[e] <= self.ctx.now)
            .filter(move |&e| self.returns.matches(self.store, e))
            .map(move |e| {
                let at = events.at[e];
                let offset = if self.window > 0 {
                    (at - s) / self.window
                } else {
                    self.calendar.period(self.spec.period, at) - row_period
                };
                (e, offset)
            })
            .take_while(move |&(_, offset)| offset <= self.max_offset as i64)
    }

    /// What the member anchored at `s` in `row` did per column.
    fn membership(
        &self,
        customer: CustomerIx,
        (row, s): (usize, i64),
        occurrences: &mut Vec<u32>,
        values: &mut Vec<f64>,
    ) -> Membership {
        occurrences.clear();
        occurrences.resize(self.max_offset + 1, 0);
        values.clear();
        values.resize(self.max_offset + 1, 0.0);
        for (e, offset) in self.return_offsets(customer, row, s) {
            occurrences[offset as usize] += 1;
            if let Some(v) = self.store.events.value_of(e) {
                values[offset as usize] += v;
            }
        }
        let min = self.spec.min_occurrences;
        let qualified = self
            .columns
            .iter()
            .map(|c| {
                (c.from..=c.to)
                    .map(|k| occurrences[k as usize])
                    .sum::<u32>()
                    >= min
            })
            .collect();
        let column_values = self
            .columns
            .iter()
            .map(|c| (c.from..=c.to).map(|k| values[k as usize]).sum())
            .collect();
        Membership {
            row,
            qualified,
            values: column_values,
        }
    }

    /// Whether each column of `row` has started and ended.
    fn column_state(&self, row: usize, column: &Column) -> (bool, bool) {
        let r = self.first_row + row as i64;
        if self.window > 0 {
            let row_start = self.calendar.period_start(self.spec.period, r);
            let next_row_start = self.calendar.period_start(self.spec.period, r + 1);
            let started = row_start + column.from as i64 * self.window <= self.ctx.now;
            let complete = next_row_start + (column.to as i64 + 1) * self.window <= self.ctx.now;
            (started, complete)
        } else {
            (
                r + column.from as i64 <= self.now_period,
                r + (column.to as i64) < self.now_period,
            )
        }
    }

    /// Whether a membership is counted in `column` under the spec's counting.
    fn counts(&self, m: &Membership, column: usize, started: &[bool]) -> bool {
        if column == 0 {
            return true;
        }
        match self.spec.counting {
            Counting::On => m.qualified[column],
            Counting::OnOrAfter => {
                (column..self.columns.len()).any(|j| started[j] && m.qualified[j])
            }
        }
    }
}

/// Runs a retention query. `population` restricts the customers; `groups` is the resolved
/// breakdown (one table per group).
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &RetentionSpec,
    population: Option<&CustomerSet>,
    groups: Option<&Groups>,
) -> Result<RetentionResult, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    let columns = plan.columns.len();
    let table_count = groups.map_or(1, Groups::len);
    // Per table, row, column: customers and value; per table and row: size.
    let mut counts = vec![vec![vec![0usize; columns]; plan.rows]; table_count];
    let mut values = vec![vec![vec![0.0f64; columns]; plan.rows]; table_count];
    let mut sizes = vec![vec![0usize; plan.rows]; table_count];
    let started: Vec<Vec<bool>> = (0..plan.rows)
        .map(|row| {
            plan.columns
                .iter()
                .map(|c| plan.column_state(row, c).0)
                .collect()
        })
        .collect();
    let mut occurrences = Vec::new();
    let mut offset_values = Vec::new();
    let mut tables_of = Vec::new();
    let mut memberships = Vec::new();
    for customer in 0..store.customers.len() as CustomerIx {
        if !includes(population, customer) {
            continue;
        }
        tables_of.clear();
        match groups {
            Some(groups) => tables_of.extend(groups.of(customer)),
            None => tables_of.push(0),
        }
        if tables_of.is_empty() {
            continue;
        }
        memberships.clear();
        plan.anchors(customer, |row, s| memberships.push((row, s)));
        for &anchor in &memberships {
            let m = plan.membership(customer, anchor, &mut occurrences, &mut offset_values);
            for &t in &tables_of {
                sizes[t][m.row] += 1;
                for k in 0..columns {
                    if started[m.row][k] {
                        values[t][m.row][k] += m.values[k];
                        if plan.counts(&m, k, &started[m.row]) {
                            counts[t][m.row][k] += 1;
                        }
                    }
                }
            }
        }
    }

    let labels: Vec<String> = match groups {
        Some(groups) => groups.labels.clone(),
        None => vec![ALL_LABEL.to_owned()],
    };
    let tables = labels
        .into_iter()
        .enumerate()
        .map(|(t, label)| {
            let rows: Vec<CohortRow> = (0..plan.rows)
                .map(|row| {
                    let size = sizes[t][row];
                    let mut cumulative = 0.0;
                    let cells = (0..columns)
                        .map(|k| {
                            let (started, complete) = plan.column_state(row, &plan.columns[k]);
                            if !started {
                                return None;
                            }
                            let customers = counts[t][row][k];
                            let base = match (spec.percent_of, k) {
                                (PercentOf::Previous, k) if k > 0 => counts[t][row][k - 1],
                                _ => size,
                            };
                            cumulative += values[t][row][k];
                            Some(Cell {
                                customers,
                                rate: ratio(customers as f64, base as f64),
                                interval: wilson_interval(customers, base),
                                value: values[t][row][k],
                                cumulative_value: cumulative,
                                value_per_customer: ratio(values[t][row][k], size as f64),
                                complete,
                            })
                        })
                        .collect();
                    CohortRow {
                        start: plan
                            .ctx
                            .period_first_day(spec.period, plan.first_row + row as i64),
                        size,
                        small: size < spec.small_cohort,
                        cells,
                    }
                })
                .collect();
            let mean = mean_row(&rows, columns, spec);
            RetentionTable { label, rows, mean }
        })
        .collect();
    Ok(RetentionResult {
        period: spec.period,
        columns: plan.columns.clone(),
        tables,
    })
}

/// One customer behind a cell, with the evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct CellMember {
    pub customer: CustomerIx,
    /// When the customer started (their anchor in this cohort).
    pub start: i64,
    /// The return events (store indices) that counted for this cell: those in the column for
    /// `on`, in that or any later started column for `on_or_after`; none for column 0.
    pub events: Vec<usize>,
}

/// The customers counted in one cell: table `table` (0 without a breakdown), cohort `row`,
/// column `column`. Column 0 lists the whole cohort.
pub fn cell_customers(
    store: &Store,
    ctx: &Context,
    spec: &RetentionSpec,
    population: Option<&CustomerSet>,
    groups: Option<&Groups>,
    cell: (usize, usize, usize),
) -> Result<Vec<CustomerIx>, QueryError> {
    Ok(cell_members(store, ctx, spec, population, groups, cell)?
        .into_iter()
        .map(|m| m.customer)
        .collect())
}

/// The customers counted in one cell with the events that qualified them (see
/// [`cell_customers`]).
pub fn cell_members(
    store: &Store,
    ctx: &Context,
    spec: &RetentionSpec,
    population: Option<&CustomerSet>,
    groups: Option<&Groups>,
    (table, row, column): (usize, usize, usize),
) -> Result<Vec<CellMember>, QueryError> {
    let plan = Plan::new(store, ctx, spec)?;
    if row >= plan.rows || column >= plan.columns.len() {
        return Err(QueryError::invalid("cell", "no such cell"));
    }
    let started: Vec<bool> = plan
        .columns
        .iter()
        .map(|c| plan.column_state(row, c).0)
        .collect();
    if !started[column] {
        return Ok(Vec::new());
    }
    // Offsets whose events are evidence for this cell.
    let evidence_columns: Vec<&Column> = match (column, spec.counting) {
        (0, _) => Vec::new(),
        (k, Counting::On) => vec![&plan.columns[k]],
        (k, Counting::OnOrAfter) => (k..plan.columns.len())
            .filter(|&j| started[j])
            .map(|j| &plan.columns[j])
            .collect(),
    };
    let mut occurrences = Vec::new();
    let mut offset_values = Vec::new();
    let mut found = Vec::new();
    let mut anchors = Vec::new();
    for customer in 0..store.customers.len() as CustomerIx {
        let in_table = match groups {
            Some(groups) => groups
                .members
                .get(table)
                .is_some_and(|set| set.contains(customer as usize)),
            None => table == 0,
        };
        if !in_table || !includes(population, customer) {
            continue;
        }
        anchors.clear();
        plan.anchors(customer, |r, s| anchors.push((r, s)));
        let counted = anchors.iter().copied().find(|&(r, s)| {
            r == row && {
                let m = plan.membership(customer, (r, s), &mut occurrences, &mut offset_values);
                plan.counts(&m, column, &started)
            }
        });
        if let Some((_, s)) = counted {
            let events = plan
                .return_offsets(customer, row, s)
                .filter(|&(_, offset)| {
                    evidence_columns
                        .iter()
                        .any(|c| (c.from as i64..=c.to as i64).contains(&offset))
                })
                .map(|(e, _)| e)
                .collect();
            found.push(CellMember {
                customer,
                start: s,
                events,
            });
        }
    }
    Ok(found)
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0).then(|| numerator / denominator)
}

/// The 95 % Wilson score interval of `successes / trials`.
pub fn wilson_interval(successes: usize, trials: usize) -> Option<[f64; 2]> {
    if trials == 0 {
        return None;
    }
    const Z: f64 = 1.959_963_984_540_054;
    let n = trials as f64;
    let p = (successes as f64 / n).min(1.0);
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

fn mean_row(rows: &[CohortRow], columns: usize, spec: &RetentionSpec) -> Vec<MeanCell> {
    if spec.mean == MeanKind::None {
        return Vec::new();
    }
    (0..columns)
        .map(|k| {
            let complete: Vec<(&CohortRow, &Cell)> = rows
                .iter()
                .filter_map(|row| {
                    let cell = row.cells.get(k)?.as_ref()?;
                    (cell.complete && row.size > 0).then_some((row, cell))
                })
                .collect();
            let base = |row: &CohortRow| match (spec.percent_of, k) {
                (PercentOf::Previous, k) if k > 0 => row.customers(k - 1).unwrap_or(0),
                _ => row.size,
            };
            let (rate, value_per_customer) = match spec.mean {
                MeanKind::Weighted => {
                    let customers: usize = complete.iter().map(|(_, c)| c.customers).sum();
                    let bases: usize = complete.iter().map(|(r, _)| base(r)).sum();
                    let value: f64 = complete.iter().map(|(_, c)| c.value).sum();
                    let sizes: usize = complete.iter().map(|(r, _)| r.size).sum();
                    (
                        ratio(customers as f64, bases as f64),
                        ratio(value, sizes as f64),
                    )
                }
                _ => {
                    let rates: Vec<f64> = complete.iter().filter_map(|(_, c)| c.rate).collect();
                    let per_customer: Vec<f64> = complete
                        .iter()
                        .filter_map(|(_, c)| c.value_per_customer)
                        .collect();
                    (
                        ratio(rates.iter().sum(), rates.len() as f64),
                        ratio(per_customer.iter().sum(), per_customer.len() as f64),
                    )
                }
            };
            MeanCell {
                rate,
                value_per_customer,
                cohorts: complete.len(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::population::groups_by_attribute;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str = r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],
        "attributes":[{"name":"plan","type":"text"}]}"#;

    /// A store from `(id, signup, plan)` customers and `(customer, type, at, value)` events.
    fn store(customers: &[(&str, &str, &str)], events: &[(&str, &str, &str, f64)]) -> Store {
        let customers: Vec<String> = customers
            .iter()
            .map(|(id, at, plan)| {
                format!(r#"{{"id":"{id}","name":"{id}","created_at":"{at}","attributes":{{"plan":"{plan}"}}}}"#)
            })
            .collect();
        let events: Vec<String> = events
            .iter()
            .map(|(c, t, at, v)| {
                let value = if v.is_nan() {
                    String::new()
                } else {
                    format!(r#","value":{v}"#)
                };
                format!(r#"{{"customer_id":"{c}","type":"{t}","at":"{at}"{value}}}"#)
            })
            .collect();
        let customers = format!("[{}]", customers.join(","));
        let events = format!("[{}]", events.join(","));
        Store::from_json(META.as_bytes(), customers.as_bytes(), events.as_bytes())
            .expect("valid fixture")
            .0
    }

    fn ctx(now: &str) -> Context {
        Context::new(parse_timestamp(now).expect("now"), Zone::default())
    }

    fn customers_row(result: &RetentionResult, row: usize) -> Vec<Option<usize>> {
        let row = &result.tables[0].rows[row];
        (0..row.cells.len()).map(|k| row.customers(k)).collect()
    }

    const N: f64 = f64::NAN;

    #[test]
    fn signup_cohorts_count_activity_in_each_calendar_month_of_the_zone() {
        let s = store(
            &[
                ("a", "2026-01-10T00:00:00+09:00", "pro"),
                ("b", "2026-01-31T23:59:59+09:00", "free"),
                ("c", "2026-02-01T00:00:00+09:00", "free"),
            ],
            // b's visit at 00:00 on Feb 1 in Seoul is still Jan 31 in UTC: periods follow the zone.
            &[
                ("a", "visit", "2026-02-03T10:00:00+09:00", N),
                ("a", "visit", "2026-02-04T10:00:00+09:00", N),
                ("a", "message_sent", "2026-03-04T10:00:00+09:00", N),
                ("b", "visit", "2026-02-01T00:00:00+09:00", N),
                ("b", "purchase", "2026-03-15T10:00:00+09:00", 1000.0),
                ("c", "visit", "2026-03-01T00:00:00+09:00", N),
            ],
        );
        let spec = RetentionSpec {
            period: Period::Month,
            cohorts: 3,
            periods: 4,
            ..RetentionSpec::default()
        };
        let r = run(&s, &ctx("2026-03-20T00:00:00+09:00"), &spec, None, None).expect("runs");
        let jan = &r.tables[0].rows[0];
        assert_eq!(
            jan.start,
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")
        );
        // Month 0 is the cohort size; Feb: a, b; March: b (a only received a message).
        assert_eq!(
            customers_row(&r, 0),
            [Some(2), Some(2), Some(1), None, None]
        );
        let complete: Vec<bool> = jan.cells.iter().flatten().map(|c| c.complete).collect();
        assert_eq!(complete, [true, true, false]);
        assert_eq!(jan.cells[1].as_ref().and_then(|c| c.rate), Some(1.0));
        assert!(jan.small);
        assert_eq!(customers_row(&r, 1), [Some(1), Some(1), None, None, None]);
        assert_eq!(r.tables[0].rows[2].size, 0);
        assert_eq!(
            r.tables[0].rows[2].cells[0].as_ref().and_then(|c| c.rate),
            None
        );
        // Value: b's March purchase is in Jan's column 2; cumulative adds up.
        let cell = jan.cells[2].as_ref().expect("started");
        assert_eq!(
            (cell.value, cell.cumulative_value, cell.value_per_customer),
            (1000.0, 1000.0, Some(500.0))
        );
    }

    #[test]
    fn on_or_after_counts_every_period_up_to_the_last_return() {
        let s = store(
            &[
                ("a", "2026-01-05T09:00:00+09:00", "pro"),
                ("b", "2026-01-06T09:00:00+09:00", "pro"),
            ],
            &[
                ("a", "visit", "2026-01-13T09:00:00+09:00", N),
                ("a", "visit", "2026-01-27T09:00:00+09:00", N),
                ("b", "visit", "2026-01-14T09:00:00+09:00", N),
            ],
        );
        let now = ctx("2026-03-01T00:00:00+09:00");
        let on = RetentionSpec {
            cohorts: 1,
            periods: 4,
            to: Some("2026-01-05".into()),
            ..RetentionSpec::default()
        };
        let r = run(&s, &now, &on, None, None).expect("runs");
        assert_eq!(
            customers_row(&r, 0),
            [Some(2), Some(2), Some(0), Some(1), Some(0)]
        );
        let after = RetentionSpec {
            counting: Counting::OnOrAfter,
            ..on
        };
        let r = run(&s, &now, &after, None, None).expect("runs");
        assert_eq!(
            customers_row(&r, 0),
            [Some(2), Some(2), Some(1), Some(1), Some(0)]
        );
    }

    #[test]
    fn cohort_types_choose_different_anchors() {
        let s = store(
            &[("a", "2025-12-01T00:00:00+09:00", "pro")],
            &[
                ("a", "purchase", "2026-01-05T10:00:00+09:00", 10.0),
                ("a", "purchase", "2026-02-10T10:00:00+09:00", 20.0),
                ("a", "purchase", "2026-02-20T10:00:00+09:00", 30.0),
                ("a", "purchase", "2026-03-03T10:00:00+09:00", 40.0),
            ],
        );
        let now = ctx("2026-04-15T00:00:00+09:00");
        let spec = |cohort| RetentionSpec {
            start: EventFilter::of("purchase"),
            return_event: EventFilter::of("purchase"),
            cohort,
            period: Period::Month,
            periods: 2,
            from: Some("2026-02-01".into()),
            to: Some("2026-03-01".into()),
            ..RetentionSpec::default()
        };
        let sizes = |cohort| {
            let r = run(&s, &now, &spec(cohort), None, None).expect("runs");
            r.tables[0]
                .rows
                .iter()
                .map(|row| row.size)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            sizes(CohortType::FirstEver),
            [0, 0],
            "the first purchase was in January"
        );
        assert_eq!(sizes(CohortType::FirstTime), [1, 0]);
        assert_eq!(sizes(CohortType::Recurring), [1, 1]);
        let r = run(&s, &now, &spec(CohortType::FirstTime), None, None).expect("runs");
        let feb = &r.tables[0].rows[0];
        // Column 0 value counts from the anchor (Feb 10) on: 20 + 30; March adds 40.
        let values: Vec<f64> = feb.cells.iter().flatten().map(|c| c.value).collect();
        assert_eq!(values, [50.0, 40.0, 0.0]);
    }

    #[test]
    fn rolling_windows_count_24_hours_from_the_start() {
        let s = store(
            &[
                ("a", "2026-03-02T23:00:00+09:00", "pro"),
                ("b", "2026-03-02T08:00:00+09:00", "pro"),
            ],
            &[
                // Two hours later: the next calendar day, but the same rolling day.
                ("a", "visit", "2026-03-03T01:00:00+09:00", N),
                // Exactly 24 hours later: rolling day 1.
                ("b", "visit", "2026-03-03T08:00:00+09:00", N),
            ],
        );
        let now = ctx("2026-03-10T00:00:00+09:00");
        let calendar = RetentionSpec {
            period: Period::Day,
            cohorts: 1,
            periods: 2,
            to: Some("2026-03-02".into()),
            ..RetentionSpec::default()
        };
        let r = run(&s, &now, &calendar, None, None).expect("runs");
        assert_eq!(customers_row(&r, 0), [Some(2), Some(2), Some(0)]);
        let rolling = RetentionSpec {
            windows: Windows::Rolling,
            ..calendar
        };
        let r = run(&s, &now, &rolling, None, None).expect("runs");
        assert_eq!(customers_row(&r, 0), [Some(2), Some(1), Some(0)]);
    }

    #[test]
    fn brackets_and_minimum_occurrences() {
        let s = store(
            &[
                ("a", "2026-03-01T10:00:00+09:00", "pro"),
                ("b", "2026-03-01T11:00:00+09:00", "pro"),
            ],
            &[
                ("a", "visit", "2026-03-03T10:00:00+09:00", N),
                ("a", "visit", "2026-03-06T10:00:00+09:00", N),
                ("a", "visit", "2026-03-07T10:00:00+09:00", N),
                ("b", "visit", "2026-03-02T10:00:00+09:00", N),
                ("b", "visit", "2026-03-04T10:00:00+09:00", N),
            ],
        );
        let now = ctx("2026-03-06T12:00:00+09:00");
        let spec = RetentionSpec {
            period: Period::Day,
            cohorts: 1,
            to: Some("2026-03-01".into()),
            brackets: Some(vec![[1, 3], [4, 7], [8, 14]]),
            min_occurrences: 2,
            ..RetentionSpec::default()
        };
        let r = run(&s, &now, &spec, None, None).expect("runs");
        assert_eq!(
            r.columns.iter().map(|c| (c.from, c.to)).collect::<Vec<_>>(),
            [(0, 0), (1, 3), (4, 7), (8, 14)]
        );
        // a: one visit in D1–3 (not enough), and by now one in D4–7 (the 7th is still ahead).
        // b: two visits in D1–3.
        assert_eq!(customers_row(&r, 0), [Some(2), Some(1), Some(0), None]);
        let row = &r.tables[0].rows[0];
        let complete: Vec<bool> = row.cells.iter().flatten().map(|c| c.complete).collect();
        assert_eq!(complete, [true, true, false]);
        let bad = RetentionSpec {
            brackets: Some(vec![[1, 3], [3, 7]]),
            ..spec.clone()
        };
        let err = run(&s, &now, &bad, None, None).expect_err("overlap");
        assert_eq!(err.path, "brackets[1]");
        let zero = RetentionSpec {
            min_occurrences: 0,
            ..spec
        };
        assert_eq!(
            run(&s, &now, &zero, None, None).expect_err("zero").path,
            "min_occurrences"
        );
    }

    #[test]
    fn percent_of_previous_means_and_intervals() {
        let s = store(
            &[
                ("a", "2026-01-05T09:00:00+09:00", "pro"),
                ("b", "2026-01-05T09:00:00+09:00", "pro"),
                ("c", "2026-01-12T09:00:00+09:00", "pro"),
                ("d", "2026-01-12T09:00:00+09:00", "pro"),
                ("e", "2026-01-12T09:00:00+09:00", "pro"),
                ("f", "2026-01-12T09:00:00+09:00", "pro"),
            ],
            &[
                ("a", "visit", "2026-01-13T09:00:00+09:00", N),
                ("a", "visit", "2026-01-20T09:00:00+09:00", N),
                ("b", "visit", "2026-01-14T09:00:00+09:00", N),
                ("c", "visit", "2026-01-20T09:00:00+09:00", N),
            ],
        );
        // Now is in week 3 of the first cohort: columns 0–2 complete for row 0, 0–1 for row 1.
        let now = ctx("2026-01-28T00:00:00+09:00");
        let spec = RetentionSpec {
            cohorts: 2,
            periods: 2,
            to: Some("2026-01-12".into()),
            ..RetentionSpec::default()
        };
        let r = run(&s, &now, &spec, None, None).expect("runs");
        assert_eq!(customers_row(&r, 0), [Some(2), Some(2), Some(1)]);
        assert_eq!(customers_row(&r, 1), [Some(4), Some(1), Some(0)]);
        let mean = &r.tables[0].mean;
        // Weighted week 1: (2 + 1) / (2 + 4); week 2: only row 0 is complete.
        assert_eq!(mean[1].rate, Some(0.5));
        assert_eq!((mean[2].rate, mean[2].cohorts), (Some(0.5), 1));
        let simple = RetentionSpec {
            mean: MeanKind::Simple,
            ..spec.clone()
        };
        let r = run(&s, &now, &simple, None, None).expect("runs");
        assert_eq!(r.tables[0].mean[1].rate, Some((1.0 + 0.25) / 2.0));
        let previous = RetentionSpec {
            percent_of: PercentOf::Previous,
            ..spec.clone()
        };
        let r = run(&s, &now, &previous, None, None).expect("runs");
        let rates: Vec<Option<f64>> = r.tables[0].rows[0]
            .cells
            .iter()
            .flatten()
            .map(|c| c.rate)
            .collect();
        assert_eq!(rates, [Some(1.0), Some(1.0), Some(0.5)]);
        let none = RetentionSpec {
            mean: MeanKind::None,
            ..spec
        };
        assert!(run(&s, &now, &none, None, None).expect("runs").tables[0]
            .mean
            .is_empty());
        let [lo, hi] = wilson_interval(5, 10).expect("interval");
        assert!(
            (lo - 0.2366).abs() < 1e-4 && (hi - 0.7634).abs() < 1e-4,
            "{lo} {hi}"
        );
        assert_eq!(wilson_interval(0, 0), None);
        assert_eq!(wilson_interval(0, 4).map(|[lo, _]| lo), Some(0.0));
    }

    #[test]
    fn breakdowns_population_and_cell_customers_agree() {
        let s = store(
            &[
                ("a", "2026-01-05T09:00:00+09:00", "pro"),
                ("b", "2026-01-05T09:00:00+09:00", "free"),
                ("c", "2026-01-06T09:00:00+09:00", "free"),
            ],
            &[
                ("a", "visit", "2026-01-13T09:00:00+09:00", N),
                ("c", "visit", "2026-01-14T09:00:00+09:00", N),
            ],
        );
        let now = ctx("2026-02-01T00:00:00+09:00");
        let spec = RetentionSpec {
            cohorts: 1,
            periods: 1,
            to: Some("2026-01-05".into()),
            ..RetentionSpec::default()
        };
        let groups = groups_by_attribute(&s, "plan", 5).expect("plan");
        let r = run(&s, &now, &spec, None, Some(&groups)).expect("runs");
        let labels: Vec<&str> = r.tables.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["free", "pro"]);
        assert_eq!(r.tables[0].rows[0].customers(1), Some(1));
        assert_eq!(r.tables[1].rows[0].customers(1), Some(1));
        let free = cell_customers(&s, &now, &spec, None, Some(&groups), (0, 0, 1)).expect("cell");
        assert_eq!(free, [2]);
        let mut only_b = CustomerSet::with_capacity(3);
        only_b.insert(1);
        let r = run(&s, &now, &spec, Some(&only_b), None).expect("runs");
        assert_eq!(customers_row(&r, 0), [Some(1), Some(0)]);
        let all = cell_customers(&s, &now, &spec, None, None, (0, 0, 0)).expect("cell");
        assert_eq!(all, [0, 1, 2]);
        assert!(cell_customers(&s, &now, &spec, None, None, (0, 3, 0)).is_err());
        // The evidence is the visit that put each customer in week 1.
        let members = cell_members(&s, &now, &spec, None, None, (0, 0, 1)).expect("cell");
        let evidence: Vec<(CustomerIx, Vec<i64>)> = members
            .iter()
            .map(|m| {
                (
                    m.customer,
                    m.events.iter().map(|&e| s.events.at[e]).collect(),
                )
            })
            .collect();
        let at = |t: &str| parse_timestamp(t).expect("time");
        assert_eq!(
            evidence,
            [
                (0, vec![at("2026-01-13T09:00:00+09:00")]),
                (2, vec![at("2026-01-14T09:00:00+09:00")])
            ]
        );
    }

    #[test]
    fn impossible_ranges_are_errors_with_paths() {
        let s = store(&[], &[]);
        let now = ctx("2026-02-01T00:00:00+09:00");
        let spec = RetentionSpec {
            from: Some("2026-03-01".into()),
            to: Some("2026-01-01".into()),
            ..RetentionSpec::default()
        };
        assert_eq!(
            run(&s, &now, &spec, None, None).expect_err("order").path,
            "from"
        );
        let spec = RetentionSpec {
            from: Some("yesterday".into()),
            ..RetentionSpec::default()
        };
        assert_eq!(
            run(&s, &now, &spec, None, None).expect_err("date").path,
            "from"
        );
        let spec = RetentionSpec {
            cohorts: 0,
            ..RetentionSpec::default()
        };
        assert_eq!(
            run(&s, &now, &spec, None, None).expect_err("none").path,
            "cohorts"
        );
        let r = run(&s, &now, &RetentionSpec::default(), None, None).expect("empty data is fine");
        assert_eq!(r.tables[0].rows.len(), 12);
    }
}

#[cfg(test)]
mod invariants {
    use proptest::prelude::*;

    use super::*;
    use crate::engine::time::Zone;

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
    const TYPES: [&str; 4] = ["visit", "purchase", "cart_add", "message_sent"];
    /// 2026-01-01T00:00:00+09:00.
    const BASE: i64 = 1_767_193_200;

    /// Random small datasets: signups and events spread over ~120 days, some on period edges.
    fn dataset() -> impl Strategy<Value = Store> {
        let customers = prop::collection::vec(0i64..100 * DAY, 1..8);
        let events = prop::collection::vec(
            (0usize..8, 0usize..4, 0i64..120 * DAY, any::<bool>()),
            0..60,
        );
        (customers, events).prop_map(|(signups, events)| {
            let customers: Vec<String> = signups
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    format!(
                        r#"{{"id":"c{i}","name":"c{i}","created_at":"{}"}}"#,
                        iso(BASE + t)
                    )
                })
                .collect();
            let events: Vec<String> = events
                .iter()
                .map(|&(c, t, at, midnight)| {
                    let at = if midnight {
                        BASE + at - at % DAY
                    } else {
                        BASE + at
                    };
                    format!(
                        r#"{{"customer_id":"c{}","type":"{}","at":"{}","value":{}}}"#,
                        c % signups.len(),
                        TYPES[t],
                        iso(at),
                        at % 1000
                    )
                })
                .collect();
            Store::from_json(
                META.as_bytes(),
                format!("[{}]", customers.join(",")).as_bytes(),
                format!("[{}]", events.join(",")).as_bytes(),
            )
            .expect("generated data is valid")
            .0
        })
    }

    fn iso(unix: i64) -> String {
        chrono::DateTime::from_timestamp(unix, 0)
            .expect("in range")
            .to_rfc3339()
    }

    fn spec() -> impl Strategy<Value = RetentionSpec> {
        (
            prop_oneof![
                Just(CohortType::FirstTime),
                Just(CohortType::Recurring),
                Just(CohortType::FirstEver)
            ],
            prop_oneof![Just(Period::Day), Just(Period::Week), Just(Period::Month)],
            prop_oneof![Just(Windows::Calendar), Just(Windows::Rolling)],
            prop_oneof![Just(Counting::On), Just(Counting::OnOrAfter)],
            1u32..3,
            prop_oneof![Just(SIGNUP), Just("visit"), Just("purchase")],
            prop_oneof![Just("$activity"), Just("purchase"), Just("$any")],
            any::<bool>(),
        )
            .prop_map(
                |(cohort, period, windows, counting, min, start, ret, brackets)| RetentionSpec {
                    start: EventFilter::of(start),
                    return_event: EventFilter::of(ret),
                    cohort,
                    period,
                    windows,
                    counting,
                    min_occurrences: min,
                    periods: 6,
                    cohorts: 8,
                    brackets: brackets.then(|| vec![[1, 2], [3, 5]]),
                    ..RetentionSpec::default()
                },
            )
    }

    proptest! {
        #[test]
        fn retention_invariants_hold(store in dataset(), spec in spec(), now in 30i64..130) {
            let ctx = Context::new(BASE + now * DAY, Zone::default());
            let result = run(&store, &ctx, &spec, None, None).expect("valid spec");
            let table = &result.tables[0];
            // A first-time or first-ever cohort holds each customer at most once.
            if spec.cohort != CohortType::Recurring {
                let total: usize = table.rows.iter().map(|r| r.size).sum();
                prop_assert!(total <= store.customers.len());
            }
            for row in &table.rows {
                let cells: Vec<&Cell> = row.cells.iter().flatten().collect();
                prop_assert_eq!(cells.first().map(|c| c.customers), Some(row.size));
                for cell in &cells {
                    prop_assert!(cell.customers <= row.size);
                    if let Some(rate) = cell.rate { prop_assert!(rate.is_finite()); }
                }
                if spec.counting == Counting::OnOrAfter {
                    for pair in cells.windows(2) {
                        prop_assert!(pair[1].customers <= pair[0].customers, "on-or-after never increases along a row");
                    }
                }
            }
            // Cells list exactly the customers they count (first-time: one membership each).
            if spec.cohort != CohortType::Recurring {
                for (r, row) in table.rows.iter().enumerate() {
                    for (k, cell) in row.cells.iter().enumerate() {
                        if let Some(cell) = cell {
                            let listed = cell_customers(&store, &ctx, &spec, None, None, (0, r, k)).expect("cell");
                            prop_assert_eq!(listed.len(), cell.customers);
                        }
                    }
                }
            }
        }

        #[test]
        fn first_time_signup_cohorts_place_every_customer_in_exactly_one_row(store in dataset()) {
            // Rows from the first signup to now cover every signup.
            let ctx = Context::new(BASE + 130 * DAY, Zone::default());
            let spec = RetentionSpec { period: Period::Week, from: Some("2025-12-29".into()), ..RetentionSpec::default() };
            let result = run(&store, &ctx, &spec, None, None).expect("valid spec");
            let total: usize = result.tables[0].rows.iter().map(|r| r.size).sum();
            prop_assert_eq!(total, store.customers.len());
        }
    }
}
