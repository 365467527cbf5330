//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
//! alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out
//! with probability p ~ Beta(a, b). Fitted by maximum likelihood as lifetimes' `BetaGeoFitter`
//! does (time rescaled so the largest T is 10, log-parameters, no penaliser), with
//! [`super::nelder_mead`] instead of BFGS: the maximum is the same.

use serde::Serialize;

use super::nelder_mead;
use super::special::{ln_gamma, ln_hyp2f1};
use super::summary::PurchaseSummary;

/// Fitted BG/NBD parameters (α in days).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A fit: the parameters, the log-likelihood of the data under them (days as the time unit) and
/// how many customers it used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbdFit {
    #[serde(flatten)]
    pub params: BgNbd,
    pub log_likelihood: f64,
    pub customers: usize,
}

/// Customers with the same (frequency, recency, T), counted once with a weight.
#[derive(Debug, Clone, Copy)]
struct Group {
    x: f64,
    recency: f64,
    t: f64,
    weight: f64,
}

fn groups(data: &[PurchaseSummary], scale: f64) -> Vec<Group> {
    let mut keys: Vec<(u32, u64, u64)> = data
        .iter()
        .map(|s| (s.frequency, s.recency.to_bits(), s.t.to_bits()))
        .collect();
    keys.sort_unstable();
    let mut out: Vec<Group> = Vec::new();
    let mut previous = None;
    for key in keys {
        if previous == Some(key) {
            if let Some(last) = out.last_mut() {
                last.weight += 1.0;
            }
            continue;
        }
        previous = Some(key);
        out.push(Group {
            x: f64::from(key.0),
            recency: f64::from_bits(key.1) * scale,
            t: f64::from_bits(key.2) * scale,
            weight: 1.0,
        });
    }
    out
}

/// The mean negative log-likelihood per customer (lifetimes' objective), groups sorted by x.
fn negative_log_likelihood(p: &BgNbd, groups: &[Group]) -> f64 {
    let BgNbd { r, alpha, a, b } = *p;
    let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
    let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
    let mut total = 0.0;
    let mut weights = 0.0;
    let mut current_x = f64::NAN;
    let (mut a12, mut c4) = (0.0, 0.0);
    for g in groups {
        let x = g.x;
        if x != current_x {
            current_x = x;
            let a1 = ln_gamma(r + x) - lg_r + r * ln_alpha;
            let a2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
            a12 = a1 + a2;
            c4 = ln_a - (b + x.max(1.0) - 1.0).ln();
        }
        let a3 = -(r + x) * (alpha + g.t).ln();
        let ll = if x > 0.0 {
            let a4 = c4 - (r + x) * (g.recency + alpha).ln();
            let m = a3.max(a4);
            a12 + m + ((a3 - m).exp() + (a4 - m).exp()).ln()
        } else {
            a12 + a3
        };
        total += g.weight * ll;
        weights += g.weight;
    }
    -total / weights
}

/// Fits the model; `None` without two customers, without any repeat purchase (the dropout
/// parameters are then not identified) or when every T is 0.
pub fn fit(data: &[PurchaseSummary]) -> Option<BgNbdFit> {
    let max_t = data.iter().map(|s| s.t).fold(0.0, f64::max);
    if data.len() < 2 || max_t <= 0.0 || !data.iter().any(|s| s.frequency > 0) {
        return None;
    }
    let scale = 10.0 / max_t;
    let scaled = groups(data, scale);
    let mut objective = |lp: &[f64]| {
        let p = BgNbd {
            r: lp[0].exp(),
            alpha: lp[1].exp(),
            a: lp[2].exp(),
            b: lp[3].exp(),
        };
        negative_log_likelihood(&p, &scaled)
    };
    let found = nelder_mead::minimize(&mut objective, &[0.1; 4], 0.5, 1e-14, 1e-10, 40_000);
    let [r, alpha, a, b] = [
        found.x[0].exp(),
        found.x[1].exp() / scale,
        found.x[2].exp(),
        found.x[3].exp(),
    ];
    let params = BgNbd { r, alpha, a, b };
    if ![r, alpha, a, b].iter().all(|v| v.is_finite() && *v > 0.0) {
        return None;
    }
    let unscaled = groups(data, 1.0);
    let log_likelihood = -negative_log_likelihood(&params, &unscaled) * data.len() as f64;
    Some(BgNbdFit {
        params,
        log_likelihood,
        customers: data.len(),
    })
}

impl BgNbd {
    /// P(alive | x, t_x, T), lifetimes' `conditional_probability_alive`: 1 without a repeat
    /// purchase, else `1 / (1 + a / (b + x − 1) × ((α + T) / (α + t_x))^(r + x))`.
    pub fn p_alive(&self, x: f64, recency: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let log_div = (self.r + x) * ((self.alpha + t) / (self.alpha + recency)).ln()
            + (self.a / (self.b + x - 1.0)).ln();
        1.0 / (1.0 + log_div.exp())
    }

    /// Expected purchases in the next `horizon` days, lifetimes'
    /// `conditional_expected_number_of_purchases_up_to_time`:
    ///
    /// `(a + b + x − 1) / (a − 1) × [1 − ((α + T) / (α + T + t))^(r + x) ₂F₁(r + x, b + x; a + b + x − 1; t / (α + T + t))]
    ///  / (1 + [x > 0] a / (b + x − 1) × ((α + T) / (α + t_x))^(r + x))`.
    ///
    /// ₂F₁ is summed directly, or through Euler's transformation
    /// `₂F₁(A, B; C; z) = (1 − z)^(C − A − B) ₂F₁(C − A, C − B; C; z)` when `C − A − B < 0`
    /// (its series then converges fast). `None` if ₂F₁ cannot be summed.
    pub fn expected_purchases(&self, horizon: f64, x: f64, recency: f64, t: f64) -> Option<f64> {
        if horizon <= 0.0 {
            return Some(0.0);
        }
        let BgNbd { r, alpha, a, b } = *self;
        let (ha, hb, hc) = (r + x, b + x, a + b + x - 1.0);
        let z = horizon / (alpha + t + horizon);
        let direct = || ln_hyp2f1(ha, hb, hc, z);
        let euler =
            || ln_hyp2f1(hc - ha, hc - hb, hc, z).map(|ln| ln + (hc - ha - hb) * (1.0 - z).ln());
        let ln_hyp = if hc - ha - hb < 0.0 {
            euler().or_else(direct)
        } else {
            direct().or_else(euler)
        }?;
        let first = hc / (a - 1.0);
        let second = -(ln_hyp + (r + x) * ((alpha + t) / (alpha + t + horizon)).ln()).exp_m1();
        let denominator = if x > 0.0 {
            1.0 + a / (b + x - 1.0) * ((alpha + t) / (alpha + recency)).powf(r + x)
        } else {
            1.0
        };
        let value = first * second / denominator;
        value.is_finite().then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(frequency: u32, recency: f64, t: f64) -> PurchaseSummary {
        PurchaseSummary {
            customer: 0,
            frequency,
            recency,
            t,
            monetary_value: 0.0,
        }
    }

    // The CDNOW sample's published estimates (Fader, Hardie & Lee 2005, weeks):
    // r = 0.243, α = 4.414, a = 0.793, b = 2.426.
    const CDNOW: BgNbd = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    #[test]
    fn log_likelihood_matches_the_paper_formula_for_one_customer() {
        // Hand-computed from eq. (6) of the paper for x = 2, t_x = 30.43, T = 38.86.
        let (x, tx, t) = (2.0, 30.43, 38.86);
        let BgNbd { r, alpha, a, b } = CDNOW;
        let beta = |p: f64, q: f64| ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q);
        let common = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let l1 = beta(a, b + x) - beta(a, b) - (r + x) * (alpha + t).ln();
        let l2 = beta(a + 1.0, b + x - 1.0) - beta(a, b) - (r + x) * (alpha + tx).ln();
        let expected = common + (l1.exp() + l2.exp()).ln();
        let got = -negative_log_likelihood(
            &CDNOW,
            &[Group {
                x,
                recency: tx,
                t,
                weight: 1.0,
            }],
        );
        assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
    }

    #[test]
    fn p_alive_and_expectations_match_the_paper() {
        // Fader, Hardie & Lee: for x = 2, t_x = 30.43, T = 38.86 the expected purchases in the
        // next 39 weeks are 1.226 (paper, section 5).
        let e = CDNOW
            .expected_purchases(39.0, 2.0, 30.43, 38.86)
            .expect("sums");
        assert!((e - 1.226).abs() < 0.002, "{e}");
        assert_eq!(CDNOW.p_alive(0.0, 0.0, 10.0), 1.0);
        let p = CDNOW.p_alive(2.0, 30.43, 38.86);
        let hand = 1.0 / (1.0 + 0.793 / 3.426 * ((4.414f64 + 38.86) / (4.414 + 30.43)).powf(2.243));
        assert!((p - hand).abs() < 1e-12);
        assert_eq!(CDNOW.expected_purchases(0.0, 2.0, 30.43, 38.86), Some(0.0));
        // A customer who never came back: fewer expected purchases the longer it has been.
        let soon = CDNOW.expected_purchases(39.0, 0.0, 0.0, 5.0).expect("sums");
        let late = CDNOW
            .expected_purchases(39.0, 0.0, 0.0, 50.0)
            .expect("sums");
        assert!(soon > late && late > 0.0);
    }

    #[test]
    fn fit_recovers_parameters_of_a_known_likelihood_maximum() {
        // A small sample whose fit must be a stationary point: moving any log-parameter by
        // ±1e-4 does not lower the objective.
        let data: Vec<PurchaseSummary> = [
            (0, 0.0, 30.0),
            (0, 0.0, 60.0),
            (1, 10.0, 40.0),
            (2, 50.0, 55.0),
            (3, 20.0, 90.0),
            (0, 0.0, 90.0),
            (5, 80.0, 85.0),
            (1, 5.0, 70.0),
        ]
        .iter()
        .map(|&(f, r, t)| summary(f, r, t))
        .collect();
        let fit = fit(&data).expect("fits");
        let scale = 10.0 / 90.0;
        let g = groups(&data, scale);
        let at = |d: [f64; 4]| {
            let p = fit.params;
            negative_log_likelihood(
                &BgNbd {
                    r: p.r * d[0].exp(),
                    alpha: p.alpha * scale * d[1].exp(),
                    a: p.a * d[2].exp(),
                    b: p.b * d[3].exp(),
                },
                &g,
            )
        };
        let best = at([0.0; 4]);
        for i in 0..4 {
            for s in [-1e-4, 1e-4] {
                let mut d = [0.0; 4];
                d[i] = s;
                assert!(at(d) >= best - 1e-12, "param {i} step {s}");
            }
        }
        assert_eq!(fit.customers, 8);
        assert!(fit.log_likelihood < 0.0);
    }

    #[test]
    fn no_fit_without_repeat_purchases_or_customers() {
        assert_eq!(fit(&[]), None);
        assert_eq!(fit(&[summary(0, 0.0, 5.0), summary(0, 0.0, 9.0)]), None);
        assert_eq!(fit(&[summary(1, 0.0, 0.0), summary(0, 0.0, 0.0)]), None);
    }
}
