//! Lifecycle: stacked bars per period, new / returning / resurrecting above the axis and dormant
//! below it, as PostHog draws them.

use plotters::prelude::*;

use super::{count_tick, draw_side_legend, house_mesh, responsive, titled};

pub struct LifecycleBars<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    pub periods: &'a [String],
    pub new: &'a [usize],
    pub returning: &'a [usize],
    pub resurrecting: &'a [usize],
    pub dormant: &'a [usize],
    /// Legend names: new, returning, resurrecting, dormant.
    pub names: [&'a str; 4],
}

const WIDTH: u32 = 860;
/// The legend's column at the right: bars fill every corner of the plot.
const LEGEND_WIDTH: u32 = 120;
const HEIGHT: u32 = 340;
const COLORS: [RGBColor; 4] = [
    RGBColor(0, 158, 115),
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(213, 94, 0),
];

pub fn lifecycle_bars_svg(chart: &LifecycleBars) -> Result<String, String> {
    let n = chart.periods.len();
    let series = [
        chart.new,
        chart.returning,
        chart.resurrecting,
        chart.dormant,
    ];
    if n == 0 || series.iter().any(|s| s.len() != n) {
        return Err("lifecycle bars need one count per period and stage".into());
    }
    let up = (0..n)
        .map(|i| chart.new[i] + chart.returning[i] + chart.resurrecting[i])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let down = chart.dormant.iter().copied().max().unwrap_or(0) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let (plot, legend) = root.split_horizontally(WIDTH - LEGEND_WIDTH);
        let mut ctx = titled(&plot, chart.title)
            .x_label_area_size(32)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n - 1).into_segmented(), -down * 1.1..up * 1.1)
            .map_err(err)?;
        let periods = chart.periods;
        house_mesh(&mut ctx.configure_mesh())
            .x_labels(n.min(16))
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => periods.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(6)
            .y_label_formatter(&|v| count_tick(v.abs()))
            .y_desc(chart.y_label)
            .draw()
            .map_err(err)?;
        // Stack upwards new, returning, resurrecting; dormant hangs below zero.
        let mut base = vec![0.0f64; n];
        for (s, values) in series.iter().enumerate() {
            let color = COLORS[s];
            let below = s == 3;
            let bars: Vec<Rectangle<(SegmentValue<usize>, f64)>> = values
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let (lo, hi) = if below {
                        (-(v as f64), 0.0)
                    } else {
                        (base[i], base[i] + v as f64)
                    };
                    if !below {
                        base[i] = hi;
                    }
                    let mut bar = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), lo),
                            (SegmentValue::Exact(i + 1), hi),
                        ],
                        color.mix(0.85).filled(),
                    );
                    bar.set_margin(0, 0, 6, 6);
                    bar
                })
                .collect();
            ctx.draw_series(bars).map_err(err)?;
        }
        let items: Vec<(&str, RGBColor)> = chart.names.iter().copied().zip(COLORS).collect();
        draw_side_legend(&legend, &items, 48)?;
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH, HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacks_stages_and_hangs_dormant_below() {
        let periods = vec!["3월".to_owned(), "4월".to_owned()];
        let svg = lifecycle_bars_svg(&LifecycleBars {
            title: "라이프사이클",
            y_label: "고객",
            periods: &periods,
            new: &[10, 12],
            returning: &[30, 28],
            resurrecting: &[5, 7],
            dormant: &[8, 9],
            names: ["신규", "유지", "복귀", "휴면"],
        })
        .expect("draws");
        for text in ["라이프사이클", "신규", "휴면", "4월"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(
            svg.matches("<rect").count() >= 8,
            "a bar per stage and period"
        );
        // The legend stands beside the plot, not over its bars.
        for name in ["신규", "유지", "복귀", "휴면"] {
            let end = svg.find(name).expect("legend entry");
            let tag = &svg[svg[..end].rfind("<text").expect("a text element")..end];
            let x: f64 = tag
                .split("x=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|x| x.parse().ok())
                .expect("an x attribute");
            assert!(x >= f64::from(WIDTH - LEGEND_WIDTH), "{name} at x = {x}");
        }
    }
}
