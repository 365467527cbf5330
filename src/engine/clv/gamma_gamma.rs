//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): a customer's purchase
//! values are Gamma(p, ν) with ν ~ Gamma(q, v). Fitted by maximum likelihood on the customers
//! with repeat purchases and a positive mean repeat value, as lifetimes' `GammaGammaFitter`
//! (log-parameters, no penaliser), with [`super::nelder_mead`].

use serde::Serialize;

use super::nelder_mead;
use super::special::ln_gamma;
use super::summary::PurchaseSummary;

/// Fitted Gamma-Gamma parameters (v in the dataset's currency).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGammaFit {
    #[serde(flatten)]
    pub params: GammaGamma,
    pub log_likelihood: f64,
    pub customers: usize,
}

/// Mean negative log-likelihood per customer over `(x, m, ln x, ln m)` rows sorted by x
/// (lifetimes' objective). The log-gamma terms depend on x only, so they are computed once per
/// distinct x.
fn negative_log_likelihood(g: &GammaGamma, data: &[(f64, f64, f64, f64)]) -> f64 {
    let GammaGamma { p, q, v } = *g;
    let (lg_q, q_ln_v) = (ln_gamma(q), q * v.ln());
    let mut total = 0.0;
    let mut current_x = f64::NAN;
    let mut per_x = 0.0;
    for &(x, m, ln_x, ln_m) in data {
        let px = p * x;
        if x != current_x {
            current_x = x;
            per_x = ln_gamma(px + q) - ln_gamma(px) - lg_q + q_ln_v + px * ln_x;
        }
        total += per_x + (px - 1.0) * ln_m - (px + q) * (x * m + v).ln();
    }
    -total / data.len() as f64
}

/// The customers the model is fitted on: a repeat purchase and a positive mean repeat value.
pub fn fittable(s: &PurchaseSummary) -> bool {
    s.frequency > 0 && s.monetary_value > 0.0 && s.monetary_value.is_finite()
}

/// Fits the model on the [`fittable`] customers; `None` with fewer than two of them.
pub fn fit(data: &[PurchaseSummary]) -> Option<GammaGammaFit> {
    let mut rows: Vec<(f64, f64, f64, f64)> = data
        .iter()
        .filter(|s| fittable(s))
        .map(|s| {
            let (x, m) = (f64::from(s.frequency), s.monetary_value);
            (x, m, x.ln(), m.ln())
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    if rows.len() < 2 {
        return None;
    }
    let mean_m = rows.iter().map(|r| r.1).sum::<f64>() / rows.len() as f64;
    let mut objective = |lp: &[f64]| {
        negative_log_likelihood(
            &GammaGamma {
                p: lp[0].exp(),
                q: lp[1].exp(),
                v: lp[2].exp(),
            },
            &rows,
        )
    };
    // Start at lifetimes' 0.1 for p and q, and v on the scale of the spend.
    let start = [0.1, 0.1, mean_m.ln()];
    let found = nelder_mead::minimize(&mut objective, &start, 0.5, 1e-14, 1e-10, 40_000);
    let params = GammaGamma {
        p: found.x[0].exp(),
        q: found.x[1].exp(),
        v: found.x[2].exp(),
    };
    if ![params.p, params.q, params.v]
        .iter()
        .all(|v| v.is_finite() && *v > 0.0)
    {
        return None;
    }
    Some(GammaGammaFit {
        params,
        log_likelihood: -found.value * rows.len() as f64,
        customers: rows.len(),
    })
}

impl GammaGamma {
    /// Expected mean purchase value given x repeat purchases with mean value m, lifetimes'
    /// `conditional_expected_average_profit`: `(1 − w) v p / (q − 1) + w m` with
    /// `w = p x / (p x + q − 1)`. `None` when q ≤ 1 (the population mean is then infinite).
    pub fn expected_average_value(&self, x: f64, m: f64) -> Option<f64> {
        if self.q <= 1.0 {
            return None;
        }
        let w = self.p * x / (self.p * x + self.q - 1.0);
        let population = self.v * self.p / (self.q - 1.0);
        let value = (1.0 - w) * population + w * m;
        value.is_finite().then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(frequency: u32, monetary_value: f64) -> PurchaseSummary {
        PurchaseSummary {
            customer: 0,
            frequency,
            recency: 0.0,
            t: 0.0,
            monetary_value,
        }
    }

    #[test]
    fn expected_value_blends_the_customer_and_the_population() {
        // The paper's CDNOW estimates: p = 6.25, q = 3.74, v = 15.44.
        let g = GammaGamma {
            p: 6.25,
            q: 3.74,
            v: 15.44,
        };
        // x = 0: the population mean v p / (q − 1) = 96.5 / 2.74 = 35.219 …
        let population = 15.44 * 6.25 / 2.74;
        assert!((g.expected_average_value(0.0, 0.0).expect("q > 1") - population).abs() < 1e-12);
        // x = 2, m = 20: w = 12.5 / 15.24.
        let w = 12.5 / 15.24;
        let hand = (1.0 - w) * population + w * 20.0;
        assert!((g.expected_average_value(2.0, 20.0).expect("q > 1") - hand).abs() < 1e-12);
        let heavy = GammaGamma { q: 0.9, ..g };
        assert_eq!(heavy.expected_average_value(2.0, 20.0), None);
    }

    #[test]
    fn likelihood_matches_the_density_by_hand() {
        // One customer, x = 1, m = 10, p = 2, q = 3, v = 4:
        // ln[Γ(5) / (Γ(2) Γ(3)) × 4³ × 10¹ × 1² / (10 + 4)⁵].
        let hand = (24.0f64 / 2.0).ln() + 3.0 * 4f64.ln() + 10f64.ln() - 5.0 * 14f64.ln();
        let got = -negative_log_likelihood(
            &GammaGamma {
                p: 2.0,
                q: 3.0,
                v: 4.0,
            },
            &[(1.0, 10.0, 0.0, 10f64.ln())],
        );
        assert!((got - hand).abs() < 1e-12, "{got} vs {hand}");
    }

    #[test]
    fn fit_is_a_stationary_point_and_skips_unfittable_customers() {
        let data: Vec<PurchaseSummary> = [
            (1, 5.0),
            (2, 200.0),
            (5, 28.0),
            (3, 600.0),
            (1, 12.0),
            (4, 35.0),
            (6, 90.0),
            (2, 15.0),
            (0, 0.0),
            (2, 0.0),
        ]
        .iter()
        .map(|&(x, m)| summary(x, m))
        .collect();
        let found = fit(&data).expect("fits");
        assert_eq!(found.customers, 8);
        let rows: Vec<_> = data
            .iter()
            .filter(|s| fittable(s))
            .map(|s| {
                let x = f64::from(s.frequency);
                (x, s.monetary_value, x.ln(), s.monetary_value.ln())
            })
            .collect();
        let at = |d: [f64; 3]| {
            negative_log_likelihood(
                &GammaGamma {
                    p: found.params.p * d[0].exp(),
                    q: found.params.q * d[1].exp(),
                    v: found.params.v * d[2].exp(),
                },
                &rows,
            )
        };
        let best = at([0.0; 3]);
        for i in 0..3 {
            for s in [-1e-4, 1e-4] {
                let mut d = [0.0; 3];
                d[i] = s;
                assert!(
                    at(d) >= best - 1e-12,
                    "param {i} step {s}: {found:?} {} {best}",
                    at(d)
                );
            }
        }
        assert_eq!(fit(&[summary(1, 5.0), summary(0, 0.0)]), None);
    }
}
