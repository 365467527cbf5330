//! Special functions the value models need: log-gamma (from `libm`) and the Gauss
//! hypergeometric function ₂F₁ on `0 ≤ z < 1`, as a logarithm so large values do not overflow.

/// `ln Γ(x)` for `x > 0`.
#[inline]
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `ln ₂F₁(a, b; c; z)` for `0 ≤ z < 1` by its power series
/// `Σₖ (a)ₖ (b)ₖ / ((c)ₖ k!) zᵏ`, summed until the tail is below 1e-17 of the sum.
///
/// The partial sum is rescaled whenever it grows past 1e250, so values far beyond `f64` range are
/// still returned as logarithms. `None` when `z` is outside `[0, 1)`, `c` is zero or a negative
/// integer, the series does not settle within 2,000,000 terms, or the sum is not positive.
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !((0.0..1.0).contains(&z) && a.is_finite() && b.is_finite() && c.is_finite()) {
        return None;
    }
    if c <= 0.0 && c.fract() == 0.0 {
        return None;
    }
    if z == 0.0 {
        return Some(0.0);
    }
    let mut sum = 1.0f64;
    let mut term = 1.0f64;
    let mut ln_scale = 0.0f64;
    for k in 0..2_000_000u32 {
        let k = f64::from(k);
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if term == 0.0 {
            break;
        }
        if sum.abs() > 1e250 {
            sum *= 1e-250;
            term *= 1e-250;
            ln_scale += 250.0 * std::f64::consts::LN_10;
        }
        // The next ratios tend to z; bound the tail by a geometric series with the larger of the
        // current ratio and z, once the ratios are below 1 for good.
        let next = (a + k + 1.0) * (b + k + 1.0) / ((c + k + 1.0) * (k + 2.0)) * z;
        let bound = next.abs().max(z);
        if bound < 1.0 {
            let tail = term.abs() * bound / (1.0 - bound);
            if tail <= 1e-17 * sum.abs() && k > 1.0 {
                return (sum > 0.0).then(|| sum.ln() + ln_scale);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64, rel: f64) -> bool {
        (x - y).abs() <= rel * y.abs().max(1e-300)
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        assert!(close(ln_gamma(1.0), 0.0, 1e-15) || ln_gamma(1.0).abs() < 1e-15);
        assert!(close(ln_gamma(5.0), 24f64.ln(), 1e-14));
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-14
        ));
        assert!(close(
            ln_gamma(101.0),
            (1..=100).map(|k| (k as f64).ln()).sum(),
            1e-13
        ));
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        for &z in &[0.0f64, 0.1, 0.5, 0.9, 0.99, 0.999] {
            // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
            let expected = if z == 0.0 { 1.0 } else { -(1.0 - z).ln() / z };
            let got = ln_hyp2f1(1.0, 1.0, 2.0, z).expect("converges").exp();
            assert!(close(got, expected, 1e-12), "z={z}: {got} vs {expected}");
            // ₂F₁(a, b; b; z) = (1 − z)^(−a).
            let got = ln_hyp2f1(2.5, 3.25, 3.25, z).expect("converges");
            assert!(close(got, -2.5 * (1.0f64 - z).ln(), 1e-12) || got.abs() < 1e-14);
            // ₂F₁(½, ½; 3/2; z²) = arcsin(z) / z.
            let w = z.sqrt();
            let expected = if z == 0.0 { 1.0 } else { w.asin() / w };
            let got = ln_hyp2f1(0.5, 0.5, 1.5, z).expect("converges").exp();
            assert!(close(got, expected, 1e-12), "z={z}: {got} vs {expected}");
        }
    }

    #[test]
    fn hyp2f1_large_values_stay_finite_as_logarithms() {
        // ₂F₁(a, b; b; z) = (1 − z)^(−a) with a huge: ln = −a ln(1 − z) ≈ 6,907.
        let got = ln_hyp2f1(1000.0, 2.0, 2.0, 0.999).expect("converges");
        assert!(close(got, -1000.0 * 0.001f64.ln(), 1e-10), "{got}");
    }

    #[test]
    fn hyp2f1_agrees_with_the_euler_transform() {
        // ₂F₁(a, b; c; z) = (1 − z)^(c − a − b) ₂F₁(c − a, c − b; c; z).
        for &(a, b, c, z) in &[
            (0.25, 2.5, 3.1, 0.7),
            (12.3, 14.1, 15.6, 0.95),
            (1.7, 0.4, 0.9, 0.3),
            (31.2, 33.0, 34.5, 0.5),
        ] {
            let direct = ln_hyp2f1(a, b, c, z).expect("direct");
            let euler =
                (c - a - b) * (1.0f64 - z).ln() + ln_hyp2f1(c - a, c - b, c, z).expect("euler");
            assert!(
                close(direct, euler, 1e-11),
                "{a} {b} {c} {z}: {direct} vs {euler}"
            );
        }
    }

    #[test]
    fn hyp2f1_rejects_what_it_cannot_sum() {
        assert_eq!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(ln_hyp2f1(1.0, 1.0, 2.0, -0.5), None);
        assert_eq!(ln_hyp2f1(1.0, 1.0, -2.0, 0.5), None);
        assert_eq!(ln_hyp2f1(f64::NAN, 1.0, 2.0, 0.5), None);
    }
}
