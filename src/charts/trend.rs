//! The dashboard's monthly trend: revenue as bars, active customers as a line on a second axis.

use plotters::prelude::*;

use super::{count_tick, draw_legend, responsive, AXIS, FRAME, INK};

/// What to draw; texts come already translated and numbers already formatted by the caller.
pub struct TrendChart<'a> {
    pub months: &'a [String],
    pub revenue: &'a [f64],
    pub active: &'a [f64],
    pub revenue_label: &'a str,
    pub active_label: &'a str,
    /// Formats revenue axis ticks (e.g. `₩12M`).
    pub format_money: &'a dyn Fn(f64) -> String,
}

const WIDTH: u32 = 860;
const HEIGHT: u32 = 320;
const BAR: RGBColor = RGBColor(79, 123, 209);
const LINE: RGBColor = RGBColor(214, 104, 46);

/// Draws the chart as an SVG string.
pub fn trend_svg(chart: &TrendChart) -> Result<String, String> {
    let n = chart.months.len();
    if n == 0 || chart.revenue.len() != n || chart.active.len() != n {
        return Err("trend chart needs one revenue and one active value per month".into());
    }
    let max_revenue = chart.revenue.iter().cloned().fold(0.0, f64::max).max(1.0) * 1.1;
    let max_active = chart.active.iter().cloned().fold(0.0, f64::max).max(1.0) * 1.1;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let font = ("sans-serif", 13).into_font().color(&INK);
        let mut ctx = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .right_y_label_area_size(52)
            // A segmented range over 0..m has m + 1 slots: 0..n - 1 gives one slot per month.
            .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..max_revenue)
            .map_err(err)?
            .set_secondary_coord(0.0..n as f64, 0.0..max_active);
        let months = chart.months;
        ctx.configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(FRAME)
            .axis_style(AXIS)
            .label_style(font.clone())
            .x_labels(n)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => months.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(5)
            .y_label_formatter(&|v| (chart.format_money)(*v))
            .y_desc(chart.revenue_label)
            .axis_desc_style(font.clone())
            .draw()
            .map_err(err)?;
        ctx.configure_secondary_axes()
            .label_style(font.clone())
            .y_labels(5)
            .y_label_formatter(&|v| count_tick(*v))
            .y_desc(chart.active_label)
            .axis_desc_style(font.clone())
            .draw()
            .map_err(err)?;
        ctx.draw_series(chart.revenue.iter().enumerate().map(|(i, &v)| {
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), v),
                ],
                BAR.mix(0.75).filled(),
            );
            bar.set_margin(0, 0, 6, 6);
            bar
        }))
        .map_err(err)?
        .label(chart.revenue_label)
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAR.mix(0.75).filled()));
        ctx.draw_secondary_series(LineSeries::new(
            chart
                .active
                .iter()
                .enumerate()
                .map(|(i, &v)| (i as f64 + 0.5, v)),
            LINE.stroke_width(3),
        ))
        .map_err(err)?
        .label(chart.active_label)
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], LINE.stroke_width(3)));
        ctx.draw_secondary_series(
            chart
                .active
                .iter()
                .enumerate()
                .map(|(i, &v)| Circle::new((i as f64 + 0.5, v), 4, LINE.filled())),
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
    fn draws_labels_bars_and_line() {
        let months = vec!["1월".to_owned(), "2월".to_owned(), "3월".to_owned()];
        let svg = trend_svg(&TrendChart {
            months: &months,
            revenue: &[1_000_000.0, 2_500_000.0, 1_800_000.0],
            active: &[1_200.0, 1_800.0, 1_500.0],
            revenue_label: "매출",
            active_label: "활성 고객",
            format_money: &|v| format!("{:.0}만", v / 10_000.0),
        })
        .expect("draws");
        assert!(
            svg.starts_with("<svg viewBox=\"0 0 860 320\""),
            "{}",
            &svg[..80]
        );
        for text in ["1월", "3월", "매출", "활성 고객", "1,000"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(svg.contains("<polyline"), "line series drawn");
        assert!(svg.matches("<rect").count() >= 3, "one bar per month");
    }

    #[test]
    fn mismatched_series_are_an_error_not_a_panic() {
        let months = vec!["a".to_owned()];
        let result = trend_svg(&TrendChart {
            months: &months,
            revenue: &[],
            active: &[1.0],
            revenue_label: "",
            active_label: "",
            format_money: &|v| v.to_string(),
        });
        assert!(result.is_err());
        let empty: Vec<String> = Vec::new();
        assert!(trend_svg(&TrendChart {
            months: &empty,
            revenue: &[],
            active: &[],
            revenue_label: "",
            active_label: "",
            format_money: &|v| v.to_string(),
        })
        .is_err());
    }
}
