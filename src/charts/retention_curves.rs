//! Retention curves: one line per cohort (or breakdown group), the mean drawn bold on top.

use plotters::prelude::*;

use super::{draw_legend, label_font, responsive, titled, AXIS, GRID, TITLE_INK};

/// One line: a value per column (`None` where the column has not started).
pub struct CurveSeries {
    pub label: String,
    pub values: Vec<Option<f64>>,
    /// Drawn bold and dark (the mean).
    pub emphasis: bool,
}

/// What to draw; texts come translated and numbers formatted by the caller.
pub struct RetentionCurves<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// One label per column.
    pub columns: &'a [String],
    pub series: &'a [CurveSeries],
    /// The legend entry of the earlier cohorts drawn in grey when there are more than
    /// [`MAX_LABELLED`] ("Earlier cohorts").
    pub earlier_label: &'a str,
    /// Formats y-axis ticks (`40%`, `₩12,000`).
    pub format_y: &'a dyn Fn(f64) -> String,
}

/// Cohort lines named in the legend (the most recent ones); earlier cohorts are drawn in grey
/// under one legend entry, so 24 cohorts never overflow the chart.
pub const MAX_LABELLED: usize = 8;
/// The earlier cohorts' lines.
const EARLIER: RGBColor = RGBColor(176, 182, 194);

const WIDTH: u32 = 860;
const HEIGHT: u32 = 360;
/// A colour-blind-friendly cycle (Okabe–Ito, without black and yellow, which read poorly).
const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(230, 159, 0),
];

/// Draws the curves as an SVG string.
pub fn retention_curves_svg(chart: &RetentionCurves) -> Result<String, String> {
    let n = chart.columns.len();
    if n < 2 {
        return Err("retention curves need at least two columns".into());
    }
    if chart.series.iter().any(|s| s.values.len() != n) {
        return Err("every series needs one value per column".into());
    }
    let top = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let top = if top > 0.0 { top * 1.08 } else { 1.0 };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let font = label_font();
        let mut ctx = titled(&root, chart.title)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..(n - 1) as f64, 0.0..top)
            .map_err(err)?;
        let columns = chart.columns;
        ctx.configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID)
            .axis_style(AXIS)
            .label_style(font.clone())
            .x_labels(n.min(16))
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 1e-6 && i >= 0.0 {
                    columns.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_labels(6)
            .y_label_formatter(&|v| (chart.format_y)(*v))
            .x_desc(chart.x_label)
            .y_desc(chart.y_label)
            .axis_desc_style(font.clone())
            .draw()
            .map_err(err)?;
        // Earlier cohorts in grey first, then the labelled recent ones, the emphasised mean last
        // so it stays on top.
        let cohorts: Vec<&CurveSeries> = chart.series.iter().filter(|s| !s.emphasis).collect();
        let earlier = cohorts.len().saturating_sub(MAX_LABELLED);
        let points = |series: &CurveSeries| -> Vec<(f64, f64)> {
            series
                .values
                .iter()
                .enumerate()
                .map_while(|(k, v)| v.filter(|v| v.is_finite()).map(|v| (k as f64, v)))
                .collect()
        };
        for (i, series) in cohorts.iter().take(earlier).enumerate() {
            let style = EARLIER.mix(0.9).stroke_width(1);
            let drawn = ctx
                .draw_series(LineSeries::new(points(series), style))
                .map_err(err)?;
            if i == 0 {
                drawn
                    .label(chart.earlier_label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style));
            }
        }
        let recent = cohorts
            .iter()
            .skip(earlier)
            .enumerate()
            .map(|(i, s)| (*s, PALETTE[i % PALETTE.len()].mix(0.85).stroke_width(2)));
        let means = chart
            .series
            .iter()
            .filter(|s| s.emphasis)
            .map(|s| (s, TITLE_INK.stroke_width(4)));
        for (series, style) in recent.chain(means) {
            ctx.draw_series(LineSeries::new(points(series), style))
                .map_err(err)?
                .label(series.label.as_str())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], style));
        }
        if !chart.series.is_empty() {
            draw_legend(&mut ctx, SeriesLabelPosition::UpperRight, font)?;
        }
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH, HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_line_per_series_with_labels_and_title() {
        let columns: Vec<String> = (0..4).map(|k| format!("{k}주")).collect();
        let series = vec![
            CurveSeries {
                label: "3월 2일".into(),
                values: vec![Some(1.0), Some(0.4), Some(0.3), None],
                emphasis: false,
            },
            CurveSeries {
                label: "평균".into(),
                values: vec![Some(1.0), Some(0.35), Some(0.3), Some(0.25)],
                emphasis: true,
            },
        ];
        let svg = retention_curves_svg(&RetentionCurves {
            title: "리텐션 곡선",
            x_label: "가입 후 주",
            y_label: "재방문율",
            columns: &columns,
            series: &series,
            earlier_label: "이전 코호트",
            format_y: &|v| format!("{:.0}%", v * 100.0),
        })
        .expect("draws");
        for text in [
            "리텐션 곡선",
            "가입 후 주",
            "재방문율",
            "3월 2일",
            "평균",
            "2주",
        ] {
            assert!(svg.contains(text), "missing {text}");
        }
        // The cohort in the first palette colour, the mean in near-black.
        assert!(svg.contains("#0072B2"), "cohort line drawn");
        assert!(svg.contains("#191C24"), "mean line drawn");
        assert!(svg.contains("viewBox"), "scales with its container");
    }

    #[test]
    fn bad_input_is_an_error() {
        let one = vec!["0".to_owned()];
        let chart = |columns: &[String], series: &[CurveSeries]| {
            retention_curves_svg(&RetentionCurves {
                title: "",
                x_label: "",
                y_label: "",
                columns,
                series,
                earlier_label: "",
                format_y: &|v| v.to_string(),
            })
        };
        assert!(chart(&one, &[]).is_err());
        let two = vec!["0".to_owned(), "1".to_owned()];
        let short = [CurveSeries {
            label: "x".into(),
            values: vec![Some(1.0)],
            emphasis: false,
        }];
        assert!(chart(&two, &short).is_err());
        assert!(
            chart(&two, &[]).is_ok(),
            "no cohorts yet still draws the axes"
        );
    }

    #[test]
    fn many_cohorts_name_only_the_recent_ones() {
        let columns: Vec<String> = (0..3).map(|k| k.to_string()).collect();
        let series: Vec<CurveSeries> = (0..24)
            .map(|i| CurveSeries {
                label: format!("cohort-{i:02}"),
                values: vec![Some(1.0), Some(0.5), Some(0.2)],
                emphasis: false,
            })
            .collect();
        let svg = retention_curves_svg(&RetentionCurves {
            title: "",
            x_label: "",
            y_label: "",
            columns: &columns,
            series: &series,
            earlier_label: "Earlier cohorts",
            format_y: &|v| v.to_string(),
        })
        .expect("draws");
        assert!(svg.contains("Earlier cohorts"));
        assert!(!svg.contains("cohort-15"), "an earlier cohort is not named");
        assert!(svg.contains("cohort-16") && svg.contains("cohort-23"));
        assert_eq!(
            svg.matches("cohort-").count(),
            MAX_LABELLED,
            "the recent cohorts are named once"
        );
    }
}
