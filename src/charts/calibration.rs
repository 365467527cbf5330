//! The predictive CLV calibration check: mean purchases per customer in the holdout, predicted
//! by the model fitted on the calibration period vs what customers actually did, per number of
//! repeat purchases in the calibration period.

use plotters::prelude::*;

use super::{draw_legend, house_mesh, label_font, responsive, titled};

/// What to draw; labels come translated and formatted by the caller.
pub struct Calibration<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub predicted_label: &'a str,
    pub actual_label: &'a str,
    /// One per bucket ("0" … "7+").
    pub buckets: &'a [String],
    /// `None`: no prediction for that bucket (the point is left out).
    pub predicted: &'a [Option<f64>],
    pub actual: &'a [f64],
}

const WIDTH: u32 = 760;
const HEIGHT: u32 = 300;
const PREDICTED: RGBColor = RGBColor(52, 87, 184);
const ACTUAL: RGBColor = RGBColor(214, 110, 40);

pub fn calibration_svg(chart: &Calibration) -> Result<String, String> {
    let n = chart.buckets.len();
    if n == 0 || chart.predicted.len() != n || chart.actual.len() != n {
        return Err("the calibration chart needs a prediction and an actual per bucket".into());
    }
    let top = chart
        .predicted
        .iter()
        .flatten()
        .chain(chart.actual)
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(0.1)
        * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let font = label_font();
        let mut ctx = titled(&root, chart.title)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..(n as f64 - 1.0).max(1.0), 0.0..top)
            .map_err(err)?;
        let buckets = chart.buckets;
        house_mesh(&mut ctx.configure_mesh())
            .x_labels(n)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    buckets.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_labels(5)
            .y_label_formatter(&|v| format!("{v:.1}"))
            .x_desc(chart.x_label)
            .y_desc(chart.y_label)
            .draw()
            .map_err(err)?;
        let predicted: Vec<(f64, f64)> = chart
            .predicted
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i as f64, v)))
            .collect();
        let actual: Vec<(f64, f64)> = chart
            .actual
            .iter()
            .enumerate()
            .map(|(i, &v)| (i as f64, v))
            .collect();
        ctx.draw_series(LineSeries::new(
            predicted.clone(),
            PREDICTED.stroke_width(3),
        ))
        .map_err(err)?
        .label(chart.predicted_label)
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], PREDICTED.stroke_width(3)));
        ctx.draw_series(
            predicted
                .iter()
                .map(|&p| Circle::new(p, 4, PREDICTED.filled())),
        )
        .map_err(err)?;
        ctx.draw_series(LineSeries::new(actual.clone(), ACTUAL.stroke_width(3)))
            .map_err(err)?
            .label(chart.actual_label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], ACTUAL.stroke_width(3)));
        ctx.draw_series(
            actual
                .iter()
                .map(|&p| TriangleMarker::new(p, 5, ACTUAL.filled())),
        )
        .map_err(err)?;
        draw_legend(&mut ctx, SeriesLabelPosition::UpperLeft, font)?;
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH, HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_both_series_with_their_labels() {
        let buckets: Vec<String> = ["0", "1", "2", "7+"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let svg = calibration_svg(&Calibration {
            title: "보정",
            x_label: "구매 횟수",
            y_label: "평균 구매",
            predicted_label: "예측",
            actual_label: "실제",
            buckets: &buckets,
            predicted: &[Some(0.1), Some(0.5), None, Some(2.0)],
            actual: &[0.2, 0.4, 0.9, 2.2],
        })
        .expect("draws");
        for text in ["보정", "예측", "실제", "7+", "구매 횟수"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(calibration_svg(&Calibration {
            title: "",
            x_label: "",
            y_label: "",
            predicted_label: "",
            actual_label: "",
            buckets: &buckets,
            predicted: &[],
            actual: &[],
        })
        .is_err());
    }
}
