//! RFM: scores customers 1–5 on recency, frequency and monetary value of their purchases in a
//! window, lays them out on the recency × frequency grid and names the familiar segments
//! (champions, at risk, hibernating …).
//!
//! Measures, per customer with at least one purchase in the window `(now − window_days × 24 h,
//! now]` (customers created after `now` are ignored everywhere):
//! - **recency** = whole days since the last purchase, `floor((now − last purchase) / 86,400)`;
//! - **frequency** = number of purchase events in the window;
//! - **monetary** = sum of the values of those purchases (a purchase without a value counts 0;
//!   refunds are not deducted, so monetary matches the purchases frequency counts).
//!
//! Scores follow [`RfmCuts`]: quintiles among the scored customers, or explicit thresholds.
//! Segments are [`RfmSegmentDef`]s matched on the R and F scores, first match wins.

use serde::{Deserialize, Serialize};

use super::overview::PURCHASE;
use super::population::{includes, CustomerSet};
use super::query::QueryError;
use super::store::{CustomerIx, Store};
use super::time::{Context, DAY};

/// The segment of scored customers no [`RfmSegmentDef`] matches.
pub const OTHER_SEGMENT: &str = "other";
/// The label of customers without a purchase in the window (in transitions and member lists).
pub const NO_PURCHASE: &str = "no purchase";
/// The longest window accepted (ten years).
pub const MAX_WINDOW_DAYS: u32 = 3_650;

/// What RFM analysis to run.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(default, rename_all = "snake_case")]
pub struct RfmSpec {
    /// Days before `now` whose purchases count.
    pub window_days: u32,
    /// How values become scores.
    pub cuts: RfmCuts,
    /// Named R × F ranges, first match wins; scored customers matching none are [`OTHER_SEGMENT`].
    pub segments: Vec<RfmSegmentDef>,
}

impl Default for RfmSpec {
    fn default() -> Self {
        RfmSpec {
            window_days: 365,
            cuts: RfmCuts::Quintiles,
            segments: default_segments(),
        }
    }
}

/// How measures become 1–5 scores.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum RfmCuts {
    /// Quintiles among the scored customers. Per dimension, customers are ordered from worst to
    /// best (recency: most days first; frequency and monetary: smallest first) and
    /// `score = 1 + floor(5 × worse / n)`, where `worse` is the number of customers with a
    /// strictly worse value and `n` the number scored. Equal values therefore share a score
    /// (the lower one), a score may be skipped, and with fewer than five customers the scores
    /// spread as far as `n` allows (n = 2 → 1 and 3; n = 4 → 1 to 4).
    #[default]
    Quintiles,
    /// Four ascending cut values per dimension:
    /// recency R = 5 if days ≤ `recency_days[0]`, 4 if ≤ `[1]`, 3 if ≤ `[2]`, 2 if ≤ `[3]`, else 1;
    /// frequency and monetary = 1 + the number of cut values ≤ the customer's value.
    Thresholds {
        recency_days: Vec<f64>,
        frequency: Vec<f64>,
        monetary: Vec<f64>,
    },
}

/// A named range of recency and frequency scores (both inclusive, 1–5).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct RfmSegmentDef {
    pub name: String,
    /// `[min, max]` recency score.
    pub r: [u8; 2],
    /// `[min, max]` frequency score.
    pub f: [u8; 2],
}

impl RfmSegmentDef {
    fn new(name: &str, r: [u8; 2], f: [u8; 2]) -> RfmSegmentDef {
        RfmSegmentDef {
            name: name.to_owned(),
            r,
            f,
        }
    }

    fn matches(&self, recency: u8, frequency: u8) -> bool {
        (self.r[0]..=self.r[1]).contains(&recency) && (self.f[0]..=self.f[1]).contains(&frequency)
    }
}

/// DOMAIN.md's conventional R × F names; together they cover the whole grid.
pub fn default_segments() -> Vec<RfmSegmentDef> {
    vec![
        RfmSegmentDef::new("champions", [5, 5], [4, 5]),
        RfmSegmentDef::new("loyal", [3, 4], [4, 5]),
        RfmSegmentDef::new("potential loyalists", [4, 5], [2, 3]),
        RfmSegmentDef::new("new", [5, 5], [1, 1]),
        RfmSegmentDef::new("promising", [4, 4], [1, 1]),
        RfmSegmentDef::new("need attention", [3, 3], [3, 3]),
        RfmSegmentDef::new("about to sleep", [3, 3], [1, 2]),
        RfmSegmentDef::new("at risk", [1, 2], [3, 4]),
        RfmSegmentDef::new("can't lose", [1, 2], [5, 5]),
        RfmSegmentDef::new("hibernating", [1, 2], [1, 2]),
    ]
}

impl RfmSpec {
    /// Checks the values serde cannot, naming the field at fault.
    pub fn validate(&self) -> Result<(), QueryError> {
        if self.window_days == 0 || self.window_days > MAX_WINDOW_DAYS {
            return Err(QueryError::invalid(
                "window_days",
                format!("must be between 1 and {MAX_WINDOW_DAYS}"),
            ));
        }
        if let RfmCuts::Thresholds {
            recency_days,
            frequency,
            monetary,
        } = &self.cuts
        {
            for (name, cuts) in [
                ("recency_days", recency_days),
                ("frequency", frequency),
                ("monetary", monetary),
            ] {
                let ok = cuts.len() == 4
                    && cuts.iter().all(|c| c.is_finite())
                    && cuts.windows(2).all(|w| w[0] <= w[1]);
                if !ok {
                    return Err(QueryError::invalid(
                        format!("cuts.{name}"),
                        "must be four ascending numbers",
                    ));
                }
            }
        }
        for (i, segment) in self.segments.iter().enumerate() {
            let path = |field: &str| format!("segments[{i}].{field}");
            let name = segment.name.trim();
            if name.is_empty() {
                return Err(QueryError::invalid(path("name"), "must not be empty"));
            }
            if name == OTHER_SEGMENT || name == NO_PURCHASE {
                return Err(QueryError::invalid(
                    path("name"),
                    format!("{name:?} is reserved"),
                ));
            }
            if self.segments[..i].iter().any(|s| s.name == segment.name) {
                return Err(QueryError::invalid(
                    path("name"),
                    format!("{name:?} is used twice"),
                ));
            }
            for (field, [min, max]) in [("r", segment.r), ("f", segment.f)] {
                if !(1 <= min && min <= max && max <= 5) {
                    return Err(QueryError::invalid(
                        path(field),
                        "must be [min, max] with 1 ≤ min ≤ max ≤ 5",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One customer's measures and scores.
#[derive(Serialize, Debug, Clone, Copy, PartialEq)]
pub struct RfmScore {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
    /// Whole days since the last purchase.
    pub recency_days: u32,
    /// Purchases in the window.
    pub purchases: u32,
    /// Sum of purchase values in the window.
    pub monetary_value: f64,
    /// Index into the spec's segments; `None` is [`OTHER_SEGMENT`].
    pub segment: Option<usize>,
}

/// The cut values in effect, in the form of [`RfmCuts::Thresholds`]: applying them as explicit
/// thresholds gives the same scores. For quintiles, a `None` is a score no customer reached.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RfmCutPoints {
    pub recency_days: [Option<f64>; 4],
    pub frequency: [Option<f64>; 4],
    pub monetary: [Option<f64>; 4],
}

/// Customers and their monetary sum in one grid cell or segment.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Default)]
pub struct RfmCell {
    pub customers: usize,
    pub monetary: f64,
}

/// One named segment's size and revenue.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RfmSegmentSummary {
    pub name: String,
    pub customers: usize,
    /// Sum of the members' monetary values.
    pub revenue: f64,
    /// Revenue / revenue of all scored customers × 100; `None` if that total is 0.
    pub revenue_share: Option<f64>,
}

/// The RFM analysis of one date.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RfmResult {
    pub window_days: u32,
    pub cut_points: RfmCutPoints,
    /// Customers with at least one purchase in the window.
    pub scored_customers: usize,
    /// Customers (created by `now`) without a purchase in the window.
    pub without_purchase: usize,
    /// Monetary sum of all scored customers.
    pub total_revenue: f64,
    /// `grid[r − 1][f − 1]`: recency score rows, frequency score columns.
    pub grid: [[RfmCell; 5]; 5],
    /// The spec's segments in order, then [`OTHER_SEGMENT`].
    pub segments: Vec<RfmSegmentSummary>,
}

/// Scores (1–5) of the grid's dimensions that no customer has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmptyScores {
    pub recency: Vec<u8>,
    pub frequency: Vec<u8>,
}

impl EmptyScores {
    pub fn is_empty(&self) -> bool {
        self.recency.is_empty() && self.frequency.is_empty()
    }
}

impl RfmResult {
    /// The recency and frequency scores nobody has, so a view can explain empty rows and
    /// columns: with quintiles, customers with equal values share the lower score, so when most
    /// bought once, F2 and F3 stay empty. Nothing when no one was scored.
    pub fn empty_scores(&self) -> EmptyScores {
        if self.scored_customers == 0 {
            return EmptyScores::default();
        }
        let empty = |customers: &dyn Fn(usize) -> usize| -> Vec<u8> {
            (0..5)
                .filter(|&i| customers(i) == 0)
                .map(|i| i as u8 + 1)
                .collect()
        };
        EmptyScores {
            recency: empty(&|r| self.grid[r].iter().map(|c| c.customers).sum()),
            frequency: empty(&|f| self.grid.iter().map(|row| row[f].customers).sum()),
        }
    }
}

/// Named-segment counts between two dates: `counts[from][to]`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RfmTransitions {
    /// The spec's segment names, then [`OTHER_SEGMENT`], then [`NO_PURCHASE`].
    pub labels: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

impl RfmTransitions {
    /// Customers in segment `from` then and in any of `to` now, with the size of `from` then;
    /// `None` when a label is not in the table (e.g. a renamed segment).
    pub fn moved(&self, from: &str, to: &[&str]) -> Option<(usize, usize)> {
        let row = self.labels.iter().position(|l| l == from)?;
        let mut moved = 0;
        for name in to {
            let column = self.labels.iter().position(|l| l == name)?;
            moved += self.counts[row][column];
        }
        Some((moved, self.counts[row].iter().sum()))
    }
}

/// Raw measures of a customer with purchases in the window.
#[derive(Debug, Clone, Copy)]
struct Measure {
    days: u32,
    purchases: u32,
    monetary: f64,
}

/// Runs the RFM analysis at `ctx.now`.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &RfmSpec,
    population: Option<&CustomerSet>,
) -> Result<RfmResult, QueryError> {
    let (scores, cut_points) = score_all(store, ctx, spec, population)?;
    let mut grid = [[RfmCell::default(); 5]; 5];
    let mut segments = vec![RfmCell::default(); spec.segments.len() + 1];
    let mut scored_customers = 0;
    let mut without_purchase = 0;
    let mut total_revenue = 0.0;
    for (customer, score) in scores.iter().enumerate() {
        let Some(score) = score else {
            if exists(store, ctx, population, customer as CustomerIx) {
                without_purchase += 1;
            }
            continue;
        };
        scored_customers += 1;
        total_revenue += score.monetary_value;
        let cell = &mut grid[usize::from(score.recency - 1)][usize::from(score.frequency - 1)];
        cell.customers += 1;
        cell.monetary += score.monetary_value;
        let segment = &mut segments[score.segment.unwrap_or(spec.segments.len())];
        segment.customers += 1;
        segment.monetary += score.monetary_value;
    }
    let names = spec
        .segments
        .iter()
        .map(|s| s.name.as_str())
        .chain([OTHER_SEGMENT]);
    let segments = names
        .zip(segments)
        .map(|(name, cell)| RfmSegmentSummary {
            name: name.to_owned(),
            customers: cell.customers,
            revenue: cell.monetary,
            revenue_share: (total_revenue != 0.0)
                .then(|| cell.monetary / total_revenue * 100.0)
                .filter(|share| share.is_finite()),
        })
        .collect();
    Ok(RfmResult {
        window_days: spec.window_days,
        cut_points,
        scored_customers,
        without_purchase,
        total_revenue,
        grid,
        segments,
    })
}

/// Every customer's score at `ctx.now` (index = [`CustomerIx`]); `None` for customers outside
/// the population, created after `now`, or without a purchase in the window.
pub fn scores(
    store: &Store,
    ctx: &Context,
    spec: &RfmSpec,
    population: Option<&CustomerSet>,
) -> Result<Vec<Option<RfmScore>>, QueryError> {
    score_all(store, ctx, spec, population).map(|(scores, _)| scores)
}

/// The customers of the segment called `name` at `ctx.now`: a spec segment, [`OTHER_SEGMENT`],
/// or [`NO_PURCHASE`] (customers created by `now` without a purchase in the window).
pub fn segment_customers(
    store: &Store,
    ctx: &Context,
    spec: &RfmSpec,
    population: Option<&CustomerSet>,
    name: &str,
) -> Result<Vec<CustomerIx>, QueryError> {
    let wanted = match spec.segments.iter().position(|s| s.name == name) {
        Some(i) => Label::Segment(Some(i)),
        None if name == OTHER_SEGMENT => Label::Segment(None),
        None if name == NO_PURCHASE => Label::NoPurchase,
        None => {
            return Err(QueryError::invalid(
                "segment",
                format!("no RFM segment is called {name:?}"),
            ))
        }
    };
    let scores = scores(store, ctx, spec, population)?;
    Ok(scores
        .iter()
        .enumerate()
        .map(|(customer, score)| (customer as CustomerIx, score))
        .filter(|&(customer, score)| match (wanted, score) {
            (Label::Segment(segment), Some(score)) => score.segment == segment,
            (Label::NoPurchase, None) => exists(store, ctx, population, customer),
            _ => false,
        })
        .map(|(customer, _)| customer)
        .collect())
}

/// How named segments changed between two dates (e.g. how many champions became at risk).
/// Each date is scored on its own (quintiles are recomputed). Customers created after
/// `to_ctx.now` are left out; those created between the dates start in [`NO_PURCHASE`].
pub fn transitions(
    store: &Store,
    spec: &RfmSpec,
    population: Option<&CustomerSet>,
    from_ctx: &Context,
    to_ctx: &Context,
) -> Result<RfmTransitions, QueryError> {
    let before = scores(store, from_ctx, spec, population)?;
    let after = scores(store, to_ctx, spec, population)?;
    let other = spec.segments.len();
    let no_purchase = other + 1;
    let label = |score: &Option<RfmScore>| match score {
        Some(score) => score.segment.unwrap_or(other),
        None => no_purchase,
    };
    let mut counts = vec![vec![0; no_purchase + 1]; no_purchase + 1];
    for (customer, (from, to)) in before.iter().zip(&after).enumerate() {
        if exists(store, to_ctx, population, customer as CustomerIx) {
            counts[label(from)][label(to)] += 1;
        }
    }
    let labels = spec
        .segments
        .iter()
        .map(|s| s.name.clone())
        .chain([OTHER_SEGMENT.to_owned(), NO_PURCHASE.to_owned()])
        .collect();
    Ok(RfmTransitions { labels, counts })
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Label {
    Segment(Option<usize>),
    NoPurchase,
}

/// Whether `customer` is in the population and had signed up by `ctx.now`.
fn exists(
    store: &Store,
    ctx: &Context,
    population: Option<&CustomerSet>,
    customer: CustomerIx,
) -> bool {
    includes(population, customer) && store.customers.created_at[customer as usize] <= ctx.now
}

/// Measures every customer in one pass, then scores the dimensions.
fn score_all(
    store: &Store,
    ctx: &Context,
    spec: &RfmSpec,
    population: Option<&CustomerSet>,
) -> Result<(Vec<Option<RfmScore>>, RfmCutPoints), QueryError> {
    spec.validate()?;
    let measures = measure(store, ctx, spec, population);
    let scored: Vec<(usize, Measure)> = measures
        .iter()
        .enumerate()
        .filter_map(|(customer, m)| m.map(|m| (customer, m)))
        .collect();
    // Scores are computed on "goodness" keys, higher = better, so recency is negated.
    let recency_keys: Vec<f64> = scored.iter().map(|(_, m)| -f64::from(m.days)).collect();
    let frequency_keys: Vec<f64> = scored.iter().map(|(_, m)| f64::from(m.purchases)).collect();
    let monetary_keys: Vec<f64> = scored.iter().map(|(_, m)| m.monetary).collect();
    let (r, f, m, cut_points) = match &spec.cuts {
        RfmCuts::Quintiles => {
            let (r, r_cuts) = quintiles(&recency_keys);
            let (f, f_cuts) = quintiles(&frequency_keys);
            let (m, m_cuts) = quintiles(&monetary_keys);
            // Back from "lowest key reaching score 2, 3, 4, 5" to ascending day limits.
            let days = |i: usize| r_cuts[3 - i].map(|key| -key);
            let cut_points = RfmCutPoints {
                recency_days: [days(0), days(1), days(2), days(3)],
                frequency: f_cuts,
                monetary: m_cuts,
            };
            (r, f, m, cut_points)
        }
        RfmCuts::Thresholds {
            recency_days,
            frequency,
            monetary,
        } => {
            let at_least = |keys: &[f64], cuts: &[f64]| -> Vec<u8> {
                keys.iter()
                    .map(|&v| 1 + cuts.iter().filter(|&&c| c <= v).count() as u8)
                    .collect()
            };
            let r = recency_keys
                .iter()
                .map(|&key| 5 - recency_days.iter().filter(|&&c| c < -key).count() as u8)
                .collect();
            let as_cut_points = |cuts: &[f64]| -> [Option<f64>; 4] {
                std::array::from_fn(|i| cuts.get(i).copied())
            };
            let cut_points = RfmCutPoints {
                recency_days: as_cut_points(recency_days),
                frequency: as_cut_points(frequency),
                monetary: as_cut_points(monetary),
            };
            (
                r,
                at_least(&frequency_keys, frequency),
                at_least(&monetary_keys, monetary),
                cut_points,
            )
        }
    };
    let mut scores = vec![None; measures.len()];
    for (i, &(customer, measure)) in scored.iter().enumerate() {
        scores[customer] = Some(RfmScore {
            recency: r[i],
            frequency: f[i],
            monetary: m[i],
            recency_days: measure.days,
            purchases: measure.purchases,
            monetary_value: measure.monetary,
            segment: spec.segments.iter().position(|s| s.matches(r[i], f[i])),
        });
    }
    Ok((scores, cut_points))
}

/// Recency, frequency and monetary value of each customer's purchases in the window.
fn measure(
    store: &Store,
    ctx: &Context,
    spec: &RfmSpec,
    population: Option<&CustomerSet>,
) -> Vec<Option<Measure>> {
    let mut measures = vec![None; store.customers.len()];
    let Some(purchase) = store.event_type(PURCHASE) else {
        return measures;
    };
    let window_start = ctx.now - i64::from(spec.window_days) * DAY;
    for (customer, slot) in measures.iter_mut().enumerate() {
        if !exists(store, ctx, population, customer as CustomerIx) {
            continue;
        }
        let events = store.events.of_customer(customer as CustomerIx);
        let times = &store.events.at[events.clone()];
        // Events are in time order: skip straight to the window.
        let first = events.start + times.partition_point(|&t| t <= window_start);
        let mut found: Option<Measure> = None;
        let mut last_purchase = 0;
        for e in first..events.end {
            let at = store.events.at[e];
            if at > ctx.now {
                break;
            }
            if store.events.event_type[e] != purchase {
                continue;
            }
            let m = found.get_or_insert(Measure {
                days: 0,
                purchases: 0,
                monetary: 0.0,
            });
            m.purchases += 1;
            m.monetary += store.events.value_of(e).unwrap_or(0.0);
            last_purchase = at;
        }
        if let Some(mut m) = found {
            m.days = ((ctx.now - last_purchase) / DAY) as u32;
            *slot = Some(m);
        }
    }
    measures
}

/// Quintile scores of `keys` (higher = better) and, for scores 2 to 5, the lowest key reaching
/// at least that score (`None` when no customer does).
fn quintiles(keys: &[f64]) -> (Vec<u8>, [Option<f64>; 4]) {
    let n = keys.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    let mut scores = vec![0u8; n];
    let mut cuts = [None; 4];
    let mut run_start = 0;
    for (position, &i) in order.iter().enumerate() {
        if position > 0 && keys[i].total_cmp(&keys[order[position - 1]]).is_ne() {
            run_start = position;
        }
        // `run_start` customers are strictly worse; < n, so the score is at most 5.
        let score = (1 + 5 * run_start / n) as u8;
        scores[i] = score;
        for s in 2..=score {
            cuts[usize::from(s) - 2].get_or_insert(keys[i]);
        }
    }
    (scores, cuts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;

    fn now() -> i64 {
        parse_timestamp("2026-03-31T12:00:00+09:00").expect("now")
    }

    fn iso(unix: i64) -> String {
        chrono::DateTime::from_timestamp(unix, 0)
            .expect("time")
            .to_rfc3339()
    }

    /// Customers a–h with purchases (days before `now`, value); see the tests for the numbers.
    fn fixture() -> (Store, Context) {
        let purchases: [(&str, &[(i64, i64)]); 6] = [
            ("a", &[(1, 10_000)]),
            ("b", &[(50, 30_000), (30, 30_000), (10, 30_000)]),
            (
                "c",
                &[
                    (200, 40_000),
                    (100, 40_000),
                    (50, 40_000),
                    (20, 40_000),
                    (1, 40_000),
                ],
            ),
            ("d", &[(300, 15_000), (100, 15_000)]),
            ("e", &[(200, 10_000)]),
            ("f", &[(400, 5_000)]),
        ];
        let mut events: Vec<String> = purchases
            .iter()
            .flat_map(|(id, list)| {
                list.iter().map(move |&(days, value)| {
                    format!(
                        r#"{{"customer_id":"{id}","type":"purchase","at":"{}","value":{value}}}"#,
                        iso(now() - days * DAY)
                    )
                })
            })
            .collect();
        events.push(format!(
            r#"{{"customer_id":"f","type":"visit","at":"{}"}}"#,
            iso(now() - 5 * DAY)
        ));
        // A purchase after `now` is ignored.
        events.push(format!(
            r#"{{"customer_id":"e","type":"purchase","at":"{}","value":999}}"#,
            iso(now() + DAY)
        ));
        let customers: Vec<String> = ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|id| {
                let created = if *id == "h" {
                    now() + DAY
                } else {
                    now() - 500 * DAY
                };
                format!(
                    r#"{{"id":"{id}","name":"{id}","created_at":"{}"}}"#,
                    iso(created)
                )
            })
            .collect();
        let (store, _) = Store::from_json(
            META.as_bytes(),
            format!("[{}]", customers.join(",")).as_bytes(),
            format!("[{}]", events.join(",")).as_bytes(),
        )
        .expect("valid");
        (store, Context::new(now(), Zone::default()))
    }

    fn score_of(store: &Store, scores: &[Option<RfmScore>], id: &str) -> Option<(u8, u8, u8)> {
        let customer = store.customers.find(id).expect("customer") as usize;
        scores[customer].map(|s| (s.recency, s.frequency, s.monetary))
    }

    fn segment_of<'a>(result: &'a RfmResult, name: &str) -> &'a RfmSegmentSummary {
        result
            .segments
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no segment {name}"))
    }

    fn ids(store: &Store, customers: &[CustomerIx]) -> Vec<String> {
        customers
            .iter()
            .map(|&c| store.customers.ids[c as usize].clone())
            .collect()
    }

    #[test]
    fn nobody_scored_means_no_empty_scores_to_explain() {
        let (store, ctx) = fixture();
        let mut non_buyers = CustomerSet::with_capacity(store.customers.len());
        for id in ["f", "g", "h"] {
            non_buyers.insert(store.customers.find(id).expect("customer") as usize);
        }
        let result = run(&store, &ctx, &RfmSpec::default(), Some(&non_buyers)).expect("runs");
        assert_eq!(result.scored_customers, 0);
        assert!(result.empty_scores().is_empty());
    }

    #[test]
    fn quintiles_give_ties_the_lower_score() {
        let (store, ctx) = fixture();
        let spec = RfmSpec::default();
        let scores = scores(&store, &ctx, &spec, None).expect("scores");
        // Recency (days) e 200, d 100, b 10, a 1, c 1: a and c tie at position 3 of 5 → 4, no 5.
        // Frequency a 1, e 1, d 2, b 3, c 5; monetary a 10k, e 10k, d 30k, b 90k, c 200k.
        assert_eq!(score_of(&store, &scores, "a"), Some((4, 1, 1)));
        assert_eq!(score_of(&store, &scores, "b"), Some((3, 4, 4)));
        assert_eq!(score_of(&store, &scores, "c"), Some((4, 5, 5)));
        assert_eq!(score_of(&store, &scores, "d"), Some((2, 3, 3)));
        assert_eq!(score_of(&store, &scores, "e"), Some((1, 1, 1)));
        for id in ["f", "g", "h"] {
            assert_eq!(score_of(&store, &scores, id), None, "{id}");
        }
        let c = scores[store.customers.find("c").expect("c") as usize].expect("c");
        assert_eq!(
            (c.recency_days, c.purchases, c.monetary_value),
            (1, 5, 200_000.0)
        );

        let result = run(&store, &ctx, &spec, None).expect("runs");
        assert_eq!(
            result.empty_scores(),
            EmptyScores {
                recency: vec![5],
                frequency: vec![2]
            }
        );
        // Applying these as explicit thresholds gives the same scores; no one reached R5.
        assert_eq!(
            result.cut_points.recency_days,
            [None, Some(1.0), Some(10.0), Some(100.0)]
        );
        assert_eq!(
            result.cut_points.frequency,
            [Some(2.0), Some(2.0), Some(3.0), Some(5.0)]
        );
        assert_eq!(
            result.cut_points.monetary,
            [
                Some(30_000.0),
                Some(30_000.0),
                Some(90_000.0),
                Some(200_000.0)
            ]
        );
        let explicit = RfmSpec {
            cuts: RfmCuts::Thresholds {
                recency_days: vec![0.0, 1.0, 10.0, 100.0],
                frequency: vec![2.0, 2.0, 3.0, 5.0],
                monetary: vec![30_000.0, 30_000.0, 90_000.0, 200_000.0],
            },
            ..RfmSpec::default()
        };
        assert_eq!(
            super::scores(&store, &ctx, &explicit, None).expect("scores"),
            scores,
            "the reported cut points reproduce the quintile scores"
        );
    }

    #[test]
    fn grid_and_named_segments_add_up() {
        let (store, ctx) = fixture();
        let result = run(&store, &ctx, &RfmSpec::default(), None).expect("runs");
        assert_eq!(result.scored_customers, 5);
        assert_eq!(
            result.without_purchase, 2,
            "f (purchase too old) and g; h is not yet a customer"
        );
        assert_eq!(result.total_revenue, 340_000.0);
        assert_eq!(
            result.grid[3][0],
            RfmCell {
                customers: 1,
                monetary: 10_000.0
            }
        );
        assert_eq!(
            result.grid[3][4],
            RfmCell {
                customers: 1,
                monetary: 200_000.0
            }
        );
        assert_eq!(result.grid[0][0].customers, 1);
        let cells: usize = result.grid.iter().flatten().map(|c| c.customers).sum();
        assert_eq!(cells, 5);
        // a R4 F1 promising; b R3 F4 and c R4 F5 loyal; d R2 F3 at risk; e R1 F1 hibernating.
        let loyal = segment_of(&result, "loyal");
        assert_eq!((loyal.customers, loyal.revenue), (2, 290_000.0));
        let share = loyal.revenue_share.expect("share");
        assert!((share - 290.0 / 340.0 * 100.0).abs() < 1e-9);
        for (name, customers) in [
            ("promising", 1),
            ("at risk", 1),
            ("hibernating", 1),
            ("champions", 0),
            (OTHER_SEGMENT, 0),
        ] {
            assert_eq!(segment_of(&result, name).customers, customers, "{name}");
        }
        assert_eq!(result.segments.len(), 11);
        assert_eq!(
            result.segments.last().map(|s| s.name.as_str()),
            Some(OTHER_SEGMENT)
        );
        let json = serde_json::to_string(&result).expect("json");
        assert!(!json.contains("NaN"));
    }

    #[test]
    fn explicit_thresholds_are_inclusive_limits() {
        let (store, ctx) = fixture();
        let spec = RfmSpec {
            cuts: RfmCuts::Thresholds {
                recency_days: vec![7.0, 30.0, 90.0, 180.0],
                frequency: vec![2.0, 3.0, 4.0, 5.0],
                monetary: vec![20_000.0, 50_000.0, 100_000.0, 150_000.0],
            },
            ..RfmSpec::default()
        };
        let scores = scores(&store, &ctx, &spec, None).expect("scores");
        assert_eq!(score_of(&store, &scores, "a"), Some((5, 1, 1)));
        assert_eq!(score_of(&store, &scores, "b"), Some((4, 3, 3)));
        assert_eq!(score_of(&store, &scores, "c"), Some((5, 5, 5)));
        assert_eq!(score_of(&store, &scores, "d"), Some((2, 2, 2)));
        assert_eq!(score_of(&store, &scores, "e"), Some((1, 1, 1)));
        let result = run(&store, &ctx, &spec, None).expect("runs");
        assert_eq!(
            result.cut_points.frequency,
            [Some(2.0), Some(3.0), Some(4.0), Some(5.0)]
        );
        assert_eq!(segment_of(&result, "new").customers, 1);
        assert_eq!(segment_of(&result, "champions").customers, 1);
        assert_eq!(segment_of(&result, "potential loyalists").customers, 1);
        assert_eq!(segment_of(&result, "hibernating").customers, 2);
    }

    #[test]
    fn few_customers_spread_scores_as_far_as_they_can() {
        let (store, ctx) = fixture();
        let set = |members: &[&str]| {
            let mut set = CustomerSet::with_capacity(store.customers.len());
            for id in members {
                set.insert(store.customers.find(id).expect("customer") as usize);
            }
            set
        };
        let two = set(&["a", "b"]);
        let scores2 = scores(&store, &ctx, &RfmSpec::default(), Some(&two)).expect("scores");
        assert_eq!(score_of(&store, &scores2, "b"), Some((1, 3, 3)));
        assert_eq!(score_of(&store, &scores2, "a"), Some((3, 1, 1)));
        assert_eq!(
            score_of(&store, &scores2, "c"),
            None,
            "outside the population"
        );
        // a and e tie on frequency and monetary: both get the lowest score.
        let tied = set(&["a", "e"]);
        let scores2 = scores(&store, &ctx, &RfmSpec::default(), Some(&tied)).expect("scores");
        assert_eq!(score_of(&store, &scores2, "a"), Some((3, 1, 1)));
        assert_eq!(score_of(&store, &scores2, "e"), Some((1, 1, 1)));
        let one = set(&["c"]);
        let result = run(&store, &ctx, &RfmSpec::default(), Some(&one)).expect("runs");
        assert_eq!(result.scored_customers, 1);
        assert_eq!(
            result.grid[0][0].customers, 1,
            "a lone customer scores 1, 1"
        );
        assert_eq!(result.cut_points.frequency, [None; 4]);
        let nobody = set(&[]);
        let result = run(&store, &ctx, &RfmSpec::default(), Some(&nobody)).expect("runs");
        assert_eq!((result.scored_customers, result.without_purchase), (0, 0));
        assert!(result.segments.iter().all(|s| s.revenue_share.is_none()));
    }

    #[test]
    fn the_first_matching_segment_wins() {
        let (store, ctx) = fixture();
        let spec: RfmSpec = serde_json::from_str(
            r#"{"segments":[
                {"name":"vip","r":[4,5],"f":[1,5]},
                {"name":"frequent","r":[1,5],"f":[4,5]}
            ]}"#,
        )
        .expect("spec");
        let result = run(&store, &ctx, &spec, None).expect("runs");
        // c (R4 F5) matches both and is a vip; b (R3 F4) is frequent; a (R4 F1) vip; d, e other.
        let counts: Vec<(&str, usize)> = result
            .segments
            .iter()
            .map(|s| (s.name.as_str(), s.customers))
            .collect();
        assert_eq!(counts, [("vip", 2), ("frequent", 1), (OTHER_SEGMENT, 2)]);
        let vip = segment_customers(&store, &ctx, &spec, None, "vip").expect("members");
        assert_eq!(ids(&store, &vip), ["a", "c"]);
        let other = segment_customers(&store, &ctx, &spec, None, OTHER_SEGMENT).expect("members");
        assert_eq!(ids(&store, &other), ["d", "e"]);
    }

    #[test]
    fn segment_members_are_listed_by_name() {
        let (store, ctx) = fixture();
        let spec = RfmSpec::default();
        let loyal = segment_customers(&store, &ctx, &spec, None, "loyal").expect("members");
        assert_eq!(ids(&store, &loyal), ["b", "c"]);
        let none = segment_customers(&store, &ctx, &spec, None, NO_PURCHASE).expect("members");
        assert_eq!(ids(&store, &none), ["f", "g"]);
        let err = segment_customers(&store, &ctx, &spec, None, "vips").expect_err("unknown");
        assert_eq!(err.path, "segment");
    }

    #[test]
    fn transitions_count_moves_between_named_segments() {
        let (store, ctx) = fixture();
        let spec = RfmSpec::default();
        let before = Context::new(now() - 150 * DAY, Zone::default());
        let moves = transitions(&store, &spec, None, &before, &ctx).expect("runs");
        assert_eq!(moves.labels.len(), 12);
        let at = |name: &str| moves.labels.iter().position(|l| l == name).expect("label");
        let count = |from: &str, to: &str| moves.counts[at(from)][at(to)];
        // 150 days ago: c and e (50 days, R3 F1) about to sleep; d (150 days, R2) and f (250, R1)
        // hibernating; a, b and g had no purchase yet.
        assert_eq!(count(NO_PURCHASE, "promising"), 1, "a");
        assert_eq!(count(NO_PURCHASE, "loyal"), 1, "b");
        assert_eq!(count("about to sleep", "loyal"), 1, "c");
        assert_eq!(count("hibernating", "at risk"), 1, "d");
        assert_eq!(count("about to sleep", "hibernating"), 1, "e");
        assert_eq!(count("hibernating", NO_PURCHASE), 1, "f");
        assert_eq!(
            count(NO_PURCHASE, NO_PURCHASE),
            1,
            "g; h is not a customer yet"
        );
        assert_eq!(moves.counts.iter().flatten().sum::<usize>(), 7);
    }

    #[test]
    fn invalid_specs_name_the_field() {
        let (store, ctx) = fixture();
        let thresholds = |recency_days: Vec<f64>, frequency: Vec<f64>| RfmSpec {
            cuts: RfmCuts::Thresholds {
                recency_days,
                frequency,
                monetary: vec![1.0, 2.0, 3.0, 4.0],
            },
            ..RfmSpec::default()
        };
        let named = |name: &str, r: [u8; 2]| RfmSpec {
            segments: vec![
                RfmSegmentDef::new("x", [1, 5], [1, 5]),
                RfmSegmentDef::new(name, r, [1, 5]),
            ],
            ..RfmSpec::default()
        };
        let cases = [
            (
                RfmSpec {
                    window_days: 0,
                    ..RfmSpec::default()
                },
                "window_days",
            ),
            (
                thresholds(vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0, 4.0]),
                "cuts.recency_days",
            ),
            (
                thresholds(vec![1.0, 2.0, 3.0, 4.0], vec![4.0, 3.0, 2.0, 1.0]),
                "cuts.frequency",
            ),
            (
                thresholds(vec![1.0, 2.0, f64::NAN, 4.0], vec![1.0, 2.0, 3.0, 4.0]),
                "cuts.recency_days",
            ),
            (named("", [1, 5]), "segments[1].name"),
            (named(OTHER_SEGMENT, [1, 5]), "segments[1].name"),
            (named("x", [1, 5]), "segments[1].name"),
            (named("y", [0, 5]), "segments[1].r"),
            (named("y", [4, 2]), "segments[1].r"),
            (named("y", [1, 6]), "segments[1].r"),
        ];
        for (spec, path) in cases {
            let err = run(&store, &ctx, &spec, None).expect_err("invalid");
            assert_eq!(err.path, path, "{err}");
        }
        let later = Context::new(now() + DAY, Zone::default());
        let bad = RfmSpec {
            window_days: 0,
            ..RfmSpec::default()
        };
        assert!(transitions(&store, &bad, None, &ctx, &later).is_err());
    }

    #[test]
    fn spec_defaults_and_cut_methods_deserialise() {
        let spec: RfmSpec = serde_json::from_str("{}").expect("defaults");
        assert_eq!(spec, RfmSpec::default());
        assert_eq!(spec.window_days, 365);
        assert_eq!(spec.segments.len(), 10);
        let spec: RfmSpec = serde_json::from_str(
            r#"{"window_days":180,"cuts":{"method":"thresholds","recency_days":[7,30,90,180],
                "frequency":[2,3,5,10],"monetary":[1e4,5e4,1e5,5e5]}}"#,
        )
        .expect("spec");
        assert!(matches!(spec.cuts, RfmCuts::Thresholds { .. }));
        let back: RfmSpec =
            serde_json::from_str(&serde_json::to_string(&spec).expect("json")).expect("spec");
        assert_eq!(back, spec);
        let quintiles: RfmSpec =
            serde_json::from_str(r#"{"cuts":{"method":"quintiles"}}"#).expect("spec");
        assert_eq!(quintiles.cuts, RfmCuts::Quintiles);
    }

    #[test]
    fn default_segments_cover_the_grid_once_each() {
        let segments = default_segments();
        for r in 1..=5 {
            for f in 1..=5 {
                let matching = segments.iter().filter(|s| s.matches(r, f)).count();
                assert_eq!(matching, 1, "R{r} F{f}");
            }
        }
    }

    #[test]
    fn demo_rfm_is_consistent() {
        let (store, ctx) = crate::engine::kpi::tests::demo();
        let result = run(store, ctx, &RfmSpec::default(), None).expect("runs");
        assert_eq!(
            result.scored_customers + result.without_purchase,
            store.customers.len()
        );
        assert!(
            result.scored_customers > 1_000,
            "{}",
            result.scored_customers
        );
        let cells: usize = result.grid.iter().flatten().map(|c| c.customers).sum();
        let named: usize = result.segments.iter().map(|s| s.customers).sum();
        assert_eq!(
            (cells, named),
            (result.scored_customers, result.scored_customers)
        );
        assert_eq!(segment_of(&result, OTHER_SEGMENT).customers, 0);
        let shares: f64 = result.segments.iter().filter_map(|s| s.revenue_share).sum();
        assert!((shares - 100.0).abs() < 1e-6, "{shares}");
        for name in ["champions", "at risk", "hibernating", "new"] {
            assert!(segment_of(&result, name).customers > 0, "{name}");
        }
        // Champions buy more per head than hibernating customers.
        let per_head = |name: &str| {
            let s = segment_of(&result, name);
            s.revenue / s.customers as f64
        };
        assert!(per_head("champions") > 2.0 * per_head("hibernating"));
        let json = serde_json::to_string(&result).expect("json");
        assert!(!json.contains("NaN"));
        let before = Context::new(ctx.now - 90 * DAY, ctx.zone);
        let moves = transitions(store, &RfmSpec::default(), None, &before, ctx).expect("runs");
        assert_eq!(
            moves.counts.iter().flatten().sum::<usize>(),
            store.customers.len()
        );
    }

    /// Property tests, native only: `proptest` is not a dependency of the wasm test build.
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use proptest::prelude::*;

        use super::*;

        fn dataset() -> impl Strategy<Value = Store> {
            let purchase = (0usize..6, 0i64..800, -20_000i64..200_000, any::<bool>());
            (1usize..7, prop::collection::vec(purchase, 0..40)).prop_map(|(customers, list)| {
                let customer_json: Vec<String> = (0..customers)
                    .map(|c| {
                        format!(
                            r#"{{"id":"c{c}","name":"n","created_at":"{}"}}"#,
                            iso(now() - (c as i64 * 200) * DAY)
                        )
                    })
                    .collect();
                let events: Vec<String> = list
                    .iter()
                    .map(|&(c, days, value, with_value)| {
                        let value = if with_value {
                            format!(r#","value":{value}"#)
                        } else {
                            String::new()
                        };
                        format!(
                            r#"{{"customer_id":"c{}","type":"purchase","at":"{}"{value}}}"#,
                            c % customers,
                            iso(now() - (days - 30) * DAY / 2)
                        )
                    })
                    .collect();
                Store::from_json(
                    META.as_bytes(),
                    format!("[{}]", customer_json.join(",")).as_bytes(),
                    format!("[{}]", events.join(",")).as_bytes(),
                )
                .expect("valid")
                .0
            })
        }

        fn spec() -> impl Strategy<Value = RfmSpec> {
            let cuts = prop::collection::vec(-10.0f64..500.0, 3..6);
            (
                0u32..800,
                prop::option::of((cuts.clone(), cuts.clone(), cuts)),
            )
                .prop_map(|(window_days, thresholds)| RfmSpec {
                    window_days,
                    cuts: match thresholds {
                        None => RfmCuts::Quintiles,
                        Some((mut r, mut f, m)) => {
                            // Mostly valid, sometimes (monetary unsorted) not.
                            r.sort_by(f64::total_cmp);
                            f.sort_by(f64::total_cmp);
                            RfmCuts::Thresholds {
                                recency_days: r,
                                frequency: f,
                                monetary: m,
                            }
                        }
                    },
                    ..RfmSpec::default()
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn no_input_panics_and_counts_add_up(store in dataset(), spec in spec()) {
                let ctx = Context::new(now(), Zone::default());
                if let Ok(result) = run(&store, &ctx, &spec, None) {
                    let cells: usize = result.grid.iter().flatten().map(|c| c.customers).sum();
                    prop_assert_eq!(cells, result.scored_customers);
                    let json = serde_json::to_string(&result).expect("json");
                    prop_assert!(!json.contains("NaN") && !json.contains("inf"));
                    prop_assert!(result.segments.iter().all(|s| s.revenue_share.is_none_or(f64::is_finite)));
                    let scores = scores(&store, &ctx, &spec, None).expect("same spec");
                    for score in scores.iter().flatten() {
                        for s in [score.recency, score.frequency, score.monetary] {
                            prop_assert!((1..=5).contains(&s));
                        }
                    }
                }
            }
        }
    }
    #[test]
    fn moved_sums_the_chosen_columns_of_a_row() {
        let moves = RfmTransitions {
            labels: vec!["champions".into(), "at risk".into(), "hibernating".into()],
            counts: vec![vec![5, 2, 3], vec![0, 1, 0], vec![0, 0, 4]],
        };
        assert_eq!(
            moves.moved("champions", &["at risk", "hibernating"]),
            Some((5, 10))
        );
        assert_eq!(moves.moved("at risk", &["at risk"]), Some((1, 1)));
        assert_eq!(moves.moved("VIP", &["at risk"]), None);
        assert_eq!(moves.moved("champions", &["gone"]), None);
    }
}
