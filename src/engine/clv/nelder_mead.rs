//! Nelder–Mead minimisation (the downhill simplex), enough for the few-parameter likelihoods of
//! the value models. Written here rather than taken from `argmin`: its wasm build needs
//! `getrandom`'s JavaScript backend and brings `rand`, `anyhow` and `num-complex` along.

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    pub x: Vec<f64>,
    pub value: f64,
    /// Function evaluations used, over every restart.
    pub evaluations: usize,
}

/// Minimises `f` from `start` with the standard coefficients (reflection 1, expansion 2,
/// contraction ½, shrink ½) and an initial simplex of `start` plus `step` along each axis.
///
/// A run stops when the simplex's values differ by at most `f_tol` (absolute) and its points by
/// at most `x_tol` in every coordinate, or after `max_evaluations`. The search then restarts from
/// the best point with a fresh simplex (Nelder–Mead can stall on a collapsed simplex) until a
/// restart improves the value by no more than `f_tol`. Non-finite values count as +∞, so `f` can
/// reject points by returning NaN.
pub fn minimize(
    f: &mut dyn FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    f_tol: f64,
    x_tol: f64,
    max_evaluations: usize,
) -> Minimum {
    let mut eval = |x: &[f64]| {
        let v = f(x);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut best = start.to_vec();
    let mut best_value = eval(&best);
    let mut evaluations = 1;
    for restart in 0..20 {
        let step = if restart == 0 { step } else { step / 4.0 };
        let (x, value, used) = run(&mut eval, &best, step, f_tol, x_tol, max_evaluations);
        evaluations += used;
        let improved = value < best_value - f_tol;
        if value <= best_value {
            best = x;
            best_value = value;
        }
        if !improved || evaluations >= max_evaluations {
            break;
        }
    }
    Minimum {
        x: best,
        value: best_value,
        evaluations,
    }
}

fn run(
    f: &mut dyn FnMut(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    f_tol: f64,
    x_tol: f64,
    max_evaluations: usize,
) -> (Vec<f64>, f64, usize) {
    let n = start.len();
    let mut points: Vec<Vec<f64>> = Vec::with_capacity(n + 1);
    points.push(start.to_vec());
    for i in 0..n {
        let mut p = start.to_vec();
        p[i] += step;
        points.push(p);
    }
    let mut values: Vec<f64> = points.iter().map(|p| f(p)).collect();
    let mut used = n + 1;
    let mut order: Vec<usize> = (0..=n).collect();
    loop {
        order.sort_by(|&i, &j| values[i].total_cmp(&values[j]));
        let (lo, hi, second) = (order[0], order[n], order[n - 1]);
        let spread = values[hi] - values[lo];
        let width = (0..n)
            .map(|d| {
                points
                    .iter()
                    .map(|p| (p[d] - points[lo][d]).abs())
                    .fold(0.0, f64::max)
            })
            .fold(0.0, f64::max);
        if (spread <= f_tol && width <= x_tol) || used >= max_evaluations {
            return (points[lo].clone(), values[lo], used);
        }
        let centroid: Vec<f64> = (0..n)
            .map(|d| order[..n].iter().map(|&i| points[i][d]).sum::<f64>() / n as f64)
            .collect();
        let towards = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|d| centroid[d] + t * (points[hi][d] - centroid[d]))
                .collect()
        };
        let reflected = towards(-1.0);
        let fr = f(&reflected);
        used += 1;
        if fr < values[lo] {
            let expanded = towards(-2.0);
            let fe = f(&expanded);
            used += 1;
            if fe < fr {
                points[hi] = expanded;
                values[hi] = fe;
            } else {
                points[hi] = reflected;
                values[hi] = fr;
            }
            continue;
        }
        if fr < values[second] {
            points[hi] = reflected;
            values[hi] = fr;
            continue;
        }
        // Contract: outside if the reflection beat the worst point, else inside.
        let (contracted, fc) = if fr < values[hi] {
            let c = towards(-0.5);
            let fc = f(&c);
            (c, fc)
        } else {
            let c = towards(0.5);
            let fc = f(&c);
            (c, fc)
        };
        used += 1;
        if fc < values[hi].min(fr) {
            points[hi] = contracted;
            values[hi] = fc;
            continue;
        }
        // Shrink towards the best point.
        let best = points[lo].clone();
        for i in 0..=n {
            if i == lo {
                continue;
            }
            for d in 0..n {
                points[i][d] = best[d] + 0.5 * (points[i][d] - best[d]);
            }
            values[i] = f(&points[i]);
            used += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let mut rosenbrock =
            |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = minimize(&mut rosenbrock, &[-1.2, 1.0], 0.5, 1e-15, 1e-10, 20_000);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
        assert!(m.value < 1e-12);
    }

    #[test]
    fn finds_a_four_dimensional_quadratic_minimum() {
        let target = [0.3, -2.0, 5.0, 1.5];
        let mut f = |x: &[f64]| {
            x.iter()
                .zip(target)
                .enumerate()
                .map(|(i, (a, b))| (i as f64 + 1.0) * (a - b).powi(2))
                .sum::<f64>()
                + 0.5 * (x[0] - target[0]) * (x[1] - target[1])
        };
        let m = minimize(&mut f, &[0.0; 4], 1.0, 1e-16, 1e-10, 50_000);
        for (got, want) in m.x.iter().zip(target) {
            assert!((got - want).abs() < 1e-6, "{m:?}");
        }
    }

    #[test]
    fn non_finite_values_are_avoided() {
        // ln is NaN left of 0: the search must stay on the valid side.
        let mut f = |x: &[f64]| x[0] - 3.0 * x[0].ln();
        let m = minimize(&mut f, &[1.0], 0.5, 1e-15, 1e-10, 10_000);
        assert!((m.x[0] - 3.0).abs() < 1e-6, "{m:?}");
    }
}
