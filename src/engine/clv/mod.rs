//! Predictive customer lifetime value: the BG/NBD purchase model and the Gamma-Gamma spend model,
//! fitted by maximum likelihood on each customer's purchase summary, as Python's `lifetimes`
//! (0.11.3) computes them (`tests/differential/clv.py` checks the two agree).
//!
//! Per customer with at least one purchase up to `now`: the probability of being alive, the
//! expected purchases in the next `horizon_days`, and the discounted CLV of the next
//! `clv_months` (lifetimes' `customer_lifetime_value` with `freq="D"`: months of 30 days,
//! `Σₘ E[value] × (E[purchases by 30m days] − E[purchases by 30(m − 1) days]) / (1 + d)ᵐ`,
//! where d is the monthly discount rate and E[value] the Gamma-Gamma expected mean value).
//!
//! A calibration/holdout check fits the purchase model on the purchases up to a split day and
//! compares its predictions for the days after it with what customers really did.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod nelder_mead;
pub mod special;
pub mod summary;

use serde::{Deserialize, Serialize};

pub use bgnbd::{BgNbd, BgNbdFit};
pub use gamma_gamma::{GammaGamma, GammaGammaFit};
pub use summary::PurchaseSummary;

use super::overview::PURCHASE;
use super::population::{includes, CustomerSet};
use super::query::QueryError;
use super::store::{CustomerIx, Store};
use super::time::Context;

/// What to predict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClvSpec {
    /// The event type whose events are purchases (with their value as revenue).
    pub purchase_event: String,
    /// Days ahead for "expected purchases".
    pub horizon_days: u32,
    /// Months (of 30 days) the CLV covers.
    pub clv_months: u32,
    /// Monthly discount rate of the CLV (0.01 = 1 % a month).
    pub monthly_discount_rate: f64,
    /// Days at the end of the history held out for the calibration check; 0 = no check.
    pub holdout_days: u32,
}

impl Default for ClvSpec {
    fn default() -> Self {
        ClvSpec {
            purchase_event: PURCHASE.to_owned(),
            horizon_days: 90,
            clv_months: 12,
            monthly_discount_rate: 0.01,
            holdout_days: 90,
        }
    }
}

/// The longest horizon or holdout accepted (ten years).
pub const MAX_DAYS: u32 = 3_650;

impl ClvSpec {
    pub fn validate(&self) -> Result<(), QueryError> {
        if self.purchase_event.is_empty() {
            return Err(QueryError::invalid(
                "purchase_event",
                "must name an event type",
            ));
        }
        if self.horizon_days == 0 || self.horizon_days > MAX_DAYS {
            return Err(QueryError::invalid(
                "horizon_days",
                format!("must be between 1 and {MAX_DAYS}"),
            ));
        }
        if self.clv_months == 0 || self.clv_months > 120 {
            return Err(QueryError::invalid(
                "clv_months",
                "must be between 1 and 120",
            ));
        }
        if !(0.0..=1.0).contains(&self.monthly_discount_rate) {
            return Err(QueryError::invalid(
                "monthly_discount_rate",
                "must be between 0 and 1",
            ));
        }
        if self.holdout_days > MAX_DAYS {
            return Err(QueryError::invalid(
                "holdout_days",
                format!("must be at most {MAX_DAYS}"),
            ));
        }
        Ok(())
    }
}

/// Both models fitted on the summaries of one population at one instant.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvModel {
    pub summaries: Vec<PurchaseSummary>,
    pub bgnbd: Option<BgNbdFit>,
    pub gamma_gamma: Option<GammaGammaFit>,
}

/// Purchase summaries of the population's customers at `end` (unix seconds; days are local to
/// the context's zone).
pub fn summaries(
    store: &Store,
    ctx: &Context,
    spec: &ClvSpec,
    population: Option<&CustomerSet>,
    end: i64,
) -> Vec<PurchaseSummary> {
    let Some(purchase) = store.event_type(&spec.purchase_event) else {
        return Vec::new();
    };
    let end_day = summary::day_number(&ctx.zone, end);
    (0..store.customers.len() as CustomerIx)
        .filter(|&c| includes(population, c) && store.customers.created_at[c as usize] <= ctx.now)
        .filter_map(|c| {
            let days = summary::purchase_days(store, &ctx.zone, purchase, c, end);
            summary::summarise(c, &days, end_day)
        })
        .collect()
}

/// Summarises and fits both models at `ctx.now`.
pub fn model(
    store: &Store,
    ctx: &Context,
    spec: &ClvSpec,
    population: Option<&CustomerSet>,
) -> Result<ClvModel, QueryError> {
    spec.validate()?;
    let summaries = summaries(store, ctx, spec, population, ctx.now);
    let bgnbd = bgnbd::fit(&summaries);
    let gamma_gamma = gamma_gamma::fit(&summaries);
    Ok(ClvModel {
        summaries,
        bgnbd,
        gamma_gamma,
    })
}

/// One customer's summary and predictions. Predictions are `None` when a model could not be
/// fitted (too few customers or no repeat purchases).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClvCustomer {
    pub id: String,
    /// Repeat purchase days.
    pub frequency: u32,
    /// Days from the first to the last purchase day.
    pub recency: f64,
    /// Days from the first purchase day to today.
    #[serde(rename = "T")]
    pub t: f64,
    /// Mean value of the repeat purchase days (0 without one).
    pub monetary_value: f64,
    pub p_alive: Option<f64>,
    /// Expected purchases (purchase days) in the next `horizon_days`.
    pub expected_purchases: Option<f64>,
    /// Gamma-Gamma expected mean purchase value.
    pub expected_value: Option<f64>,
    /// Discounted CLV of the next `clv_months`.
    pub clv: Option<f64>,
}

impl ClvModel {
    /// Discounted CLV of the next `months` months of 30 days for one customer.
    pub fn clv(&self, s: &PurchaseSummary, months: u32, monthly_discount_rate: f64) -> Option<f64> {
        let bg = self.bgnbd?.params;
        let value = self
            .gamma_gamma?
            .params
            .expected_average_value(f64::from(s.frequency), s.monetary_value)?;
        let x = f64::from(s.frequency);
        let mut total = 0.0;
        let mut before = 0.0;
        for m in 1..=months {
            let by = bg.expected_purchases(30.0 * f64::from(m), x, s.recency, s.t)?;
            total += value * (by - before) / (1.0 + monthly_discount_rate).powi(m as i32);
            before = by;
        }
        Some(total)
    }

    /// Every summarised customer's predictions, in store order.
    pub fn customers(&self, store: &Store, spec: &ClvSpec) -> Vec<ClvCustomer> {
        let bg = self.bgnbd.map(|f| f.params);
        let gg = self.gamma_gamma.map(|f| f.params);
        self.summaries
            .iter()
            .map(|s| {
                let x = f64::from(s.frequency);
                ClvCustomer {
                    id: store.customers.ids[s.customer as usize].clone(),
                    frequency: s.frequency,
                    recency: s.recency,
                    t: s.t,
                    monetary_value: s.monetary_value,
                    p_alive: bg.map(|b| b.p_alive(x, s.recency, s.t)),
                    expected_purchases: bg.and_then(|b| {
                        b.expected_purchases(f64::from(spec.horizon_days), x, s.recency, s.t)
                    }),
                    expected_value: gg.and_then(|g| g.expected_average_value(x, s.monetary_value)),
                    clv: self.clv(s, spec.clv_months, spec.monthly_discount_rate),
                }
            })
            .collect()
    }
}

/// The `clv` result: the fitted models, totals and the calibration check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClvResult {
    pub horizon_days: u32,
    pub clv_months: u32,
    pub monthly_discount_rate: f64,
    /// Customers with at least one purchase (those the models describe).
    pub customers: usize,
    /// Of them, customers with a repeat purchase day.
    pub repeat_customers: usize,
    pub bgnbd: Option<BgNbdFit>,
    pub gamma_gamma: Option<GammaGammaFit>,
    /// Sums over the customers (`None` without a fitted model).
    pub expected_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    pub clv: Option<f64>,
    /// Mean CLV per summarised customer.
    pub average_clv: Option<f64>,
    pub holdout: Option<Holdout>,
}

/// Predicted vs actual purchase days in the holdout, for customers who bought before it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdout {
    /// The last calibration day (`YYYY-MM-DD`); the holdout is the `days` after it up to today.
    pub calibration_end: String,
    pub days: u32,
    /// The model fitted on the calibration purchases (`None`: could not be fitted).
    pub bgnbd: Option<BgNbd>,
    pub customers: usize,
    pub predicted: Option<f64>,
    pub actual: u64,
    /// Mean absolute error per customer.
    pub mae: Option<f64>,
    /// By calibration frequency 0 … 6 and "7+".
    pub buckets: Vec<HoldoutBucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldoutBucket {
    /// "0" … "6", "7+".
    pub frequency: String,
    pub customers: usize,
    /// Mean predicted and actual purchase days per customer.
    pub predicted: Option<f64>,
    pub actual: f64,
}

/// The number of calibration-frequency buckets ("7+" is the last).
const BUCKETS: usize = 8;

fn holdout(
    store: &Store,
    ctx: &Context,
    spec: &ClvSpec,
    population: Option<&CustomerSet>,
) -> Option<Holdout> {
    if spec.holdout_days == 0 {
        return None;
    }
    let purchase = store.event_type(&spec.purchase_event)?;
    let today = ctx.zone.date(ctx.now);
    let calibration_end_date = today - chrono::Days::new(u64::from(spec.holdout_days));
    // The last instant of the calibration end day, local.
    let next = calibration_end_date + chrono::Days::new(1);
    let calibration_end = ctx.zone.midnight(next) - 1;
    let calibration = summaries(store, ctx, spec, population, calibration_end);
    let fit = bgnbd::fit(&calibration).map(|f| f.params);
    let end_day = summary::day_number(&ctx.zone, ctx.now);
    let cal_day = summary::day_number(&ctx.zone, calibration_end);
    let days = f64::from(spec.holdout_days);
    let mut total_predicted = Some(0.0);
    let mut actual_total = 0u64;
    let mut abs_error = 0.0;
    let mut sums = [(0usize, 0.0f64, 0.0f64); BUCKETS];
    for s in &calibration {
        let actual = summary::purchase_days(store, &ctx.zone, purchase, s.customer, ctx.now)
            .iter()
            .filter(|(d, _)| *d > cal_day && *d <= end_day)
            .count();
        let predicted =
            fit.and_then(|b| b.expected_purchases(days, f64::from(s.frequency), s.recency, s.t));
        total_predicted = total_predicted.zip(predicted).map(|(t, p)| t + p);
        actual_total += actual as u64;
        abs_error += (predicted.unwrap_or(f64::NAN) - actual as f64).abs();
        let bucket = &mut sums[(s.frequency as usize).min(BUCKETS - 1)];
        bucket.0 += 1;
        bucket.1 += predicted.unwrap_or(f64::NAN);
        bucket.2 += actual as f64;
    }
    let n = calibration.len();
    let fitted = fit.is_some() && total_predicted.is_some() && n > 0;
    let buckets = sums
        .iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(i, &(count, predicted, actual))| HoldoutBucket {
            frequency: if i == BUCKETS - 1 {
                format!("{i}+")
            } else {
                i.to_string()
            },
            customers: count,
            predicted: (fitted && predicted.is_finite()).then(|| predicted / count as f64),
            actual: actual / count as f64,
        })
        .collect();
    Some(Holdout {
        calibration_end: calibration_end_date.format("%Y-%m-%d").to_string(),
        days: spec.holdout_days,
        bgnbd: fit,
        customers: n,
        predicted: total_predicted.filter(|_| fitted),
        actual: actual_total,
        mae: (fitted && abs_error.is_finite()).then(|| abs_error / n as f64),
        buckets,
    })
}

/// The `clv` query: fits, sums and checks.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &ClvSpec,
    population: Option<&CustomerSet>,
) -> Result<ClvResult, QueryError> {
    let model = model(store, ctx, spec, population)?;
    let customers = model.customers(store, spec);
    let sum = |f: fn(&ClvCustomer) -> Option<f64>| -> Option<f64> {
        customers.iter().map(f).sum::<Option<f64>>()
    };
    let clv = sum(|c| c.clv);
    let n = customers.len();
    Ok(ClvResult {
        horizon_days: spec.horizon_days,
        clv_months: spec.clv_months,
        monthly_discount_rate: spec.monthly_discount_rate,
        customers: n,
        repeat_customers: model.summaries.iter().filter(|s| s.frequency > 0).count(),
        bgnbd: model.bgnbd,
        gamma_gamma: model.gamma_gamma,
        expected_alive: model.bgnbd.and(sum(|c| c.p_alive)),
        expected_purchases: model.bgnbd.and(sum(|c| c.expected_purchases)),
        clv: clv.filter(|_| model.gamma_gamma.is_some() && model.bgnbd.is_some()),
        average_clv: clv
            .filter(|_| n > 0 && model.gamma_gamma.is_some() && model.bgnbd.is_some())
            .map(|c| c / n as f64),
        holdout: holdout(store, ctx, spec, population),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone};

    fn summary(frequency: u32, recency: f64, t: f64, monetary_value: f64) -> PurchaseSummary {
        PurchaseSummary {
            customer: 0,
            frequency,
            recency,
            t,
            monetary_value,
        }
    }

    #[test]
    fn clv_discounts_each_months_expected_purchases() {
        let bg = BgNbd {
            r: 0.5,
            alpha: 20.0,
            a: 0.8,
            b: 3.0,
        };
        let gg = GammaGamma {
            p: 4.0,
            q: 3.0,
            v: 20_000.0,
        };
        let model = ClvModel {
            summaries: Vec::new(),
            bgnbd: Some(BgNbdFit {
                params: bg,
                log_likelihood: 0.0,
                customers: 0,
            }),
            gamma_gamma: Some(GammaGammaFit {
                params: gg,
                log_likelihood: 0.0,
                customers: 0,
            }),
        };
        let s = summary(3, 100.0, 150.0, 50_000.0);
        let value = gg.expected_average_value(3.0, 50_000.0).expect("q > 1");
        let by = |d: f64| bg.expected_purchases(d, 3.0, 100.0, 150.0).expect("sums");
        // Three months by hand, 2 % a month.
        let hand = value * by(30.0) / 1.02
            + value * (by(60.0) - by(30.0)) / 1.02f64.powi(2)
            + value * (by(90.0) - by(60.0)) / 1.02f64.powi(3);
        let got = model.clv(&s, 3, 0.02).expect("both models");
        assert!((got - hand).abs() < 1e-9 * hand, "{got} vs {hand}");
        // Without discounting, the CLV is the expected value × purchases in 90 days.
        let flat = model.clv(&s, 3, 0.0).expect("both models");
        assert!((flat - value * by(90.0)).abs() < 1e-9 * flat);
        let no_spend = ClvModel {
            gamma_gamma: None,
            ..model
        };
        assert_eq!(no_spend.clv(&s, 3, 0.02), None);
    }

    fn tiny_store() -> (Store, Context) {
        let meta = br#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;
        let customers = br#"[{"id":"a","name":"a","created_at":"2026-01-01T00:00:00+09:00"},
            {"id":"b","name":"b","created_at":"2026-01-01T00:00:00+09:00"}]"#;
        let events = br#"[
            {"id":"1","customer_id":"a","type":"purchase","at":"2026-01-02T10:00:00+09:00","value":1000}
        ]"#;
        let (store, _) = Store::from_json(meta, customers, events).expect("valid");
        let now = parse_timestamp("2026-03-01T00:00:00+09:00").expect("ts");
        (store, Context::new(now, Zone::default()))
    }

    #[test]
    fn too_little_data_gives_no_model_and_no_numbers_not_nan() {
        let (store, ctx) = tiny_store();
        let result = run(&store, &ctx, &ClvSpec::default(), None).expect("runs");
        assert_eq!((result.customers, result.repeat_customers), (1, 0));
        assert_eq!(result.bgnbd, None);
        assert_eq!(
            (result.clv, result.expected_purchases, result.average_clv),
            (None, None, None)
        );
        let holdout = result.holdout.clone().expect("asked for");
        assert_eq!(holdout.calibration_end, "2025-12-01");
        assert_eq!(
            (holdout.customers, holdout.predicted, holdout.mae),
            (0, None, None)
        );
        let json = serde_json::to_string(&result).expect("json");
        assert!(!json.contains("NaN"));
        let none = ClvSpec {
            holdout_days: 0,
            purchase_event: "order".into(),
            ..ClvSpec::default()
        };
        let result = run(&store, &ctx, &none, None).expect("runs");
        assert_eq!((result.customers, result.holdout), (0, None));
    }

    #[test]
    fn invalid_specs_name_the_field() {
        let (store, ctx) = tiny_store();
        for (spec, path) in [
            (
                ClvSpec {
                    horizon_days: 0,
                    ..ClvSpec::default()
                },
                "horizon_days",
            ),
            (
                ClvSpec {
                    clv_months: 500,
                    ..ClvSpec::default()
                },
                "clv_months",
            ),
            (
                ClvSpec {
                    monthly_discount_rate: -0.1,
                    ..ClvSpec::default()
                },
                "monthly_discount_rate",
            ),
            (
                ClvSpec {
                    monthly_discount_rate: f64::NAN,
                    ..ClvSpec::default()
                },
                "monthly_discount_rate",
            ),
            (
                ClvSpec {
                    holdout_days: 9_999,
                    ..ClvSpec::default()
                },
                "holdout_days",
            ),
            (
                ClvSpec {
                    purchase_event: String::new(),
                    ..ClvSpec::default()
                },
                "purchase_event",
            ),
        ] {
            assert_eq!(
                run(&store, &ctx, &spec, None).expect_err("invalid").path,
                path
            );
        }
    }

    #[test]
    fn demo_fit_is_plausible_and_fast() {
        let (store, ctx) = crate::engine::kpi::tests::demo();
        let started = std::time::Instant::now();
        let result = run(store, ctx, &ClvSpec::default(), None).expect("runs");
        let elapsed = started.elapsed();
        eprintln!("clv on the demo: {elapsed:?} (debug build of this crate)");
        let bg = result.bgnbd.expect("fits").params;
        let gg = result.gamma_gamma.expect("fits").params;
        eprintln!("{bg:?} {gg:?}");
        assert!(result.customers > 1_000 && result.repeat_customers > 100);
        assert!(gg.q > 1.0);
        let customers = model(store, ctx, &ClvSpec::default(), None)
            .expect("fits")
            .customers(store, &ClvSpec::default());
        for c in &customers {
            let p = c.p_alive.expect("model");
            assert!((0.0..=1.0).contains(&p), "{c:?}");
            let e = c.expected_purchases.expect("sums");
            assert!(e >= 0.0 && e.is_finite(), "{c:?}");
            assert!(c.clv.expect("clv") >= 0.0, "{c:?}");
        }
        let holdout = result.holdout.expect("holdout");
        assert!(holdout.predicted.expect("fitted") > 0.0 && holdout.actual > 0);
        assert_eq!(
            holdout.buckets.iter().map(|b| b.customers).sum::<usize>(),
            holdout.customers
        );
    }
}
