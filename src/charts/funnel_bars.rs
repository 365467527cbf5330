//! Funnel bars: customers at each step, with the conversion from the start written on each bar.

use plotters::prelude::*;

use super::{count_tick, house_mesh, label_font, responsive, titled};

/// What to draw; labels come translated and formatted by the caller.
pub struct FunnelBars<'a> {
    pub title: &'a str,
    pub y_label: &'a str,
    /// One per step.
    pub steps: &'a [String],
    pub customers: &'a [usize],
    /// Written above each bar ("42.1%").
    pub notes: &'a [String],
}

const WIDTH: u32 = 860;
const HEIGHT: u32 = 320;
const BAR: RGBColor = RGBColor(52, 87, 184);

pub fn funnel_bars_svg(chart: &FunnelBars) -> Result<String, String> {
    let n = chart.steps.len();
    if n == 0 || chart.customers.len() != n || chart.notes.len() != n {
        return Err("funnel bars need one count and note per step".into());
    }
    let top = chart.customers.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let font = label_font();
        let mut ctx = titled(&root, chart.title)
            .x_label_area_size(32)
            .y_label_area_size(64)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)
            .map_err(err)?;
        let steps = chart.steps;
        house_mesh(&mut ctx.configure_mesh())
            .x_labels(n)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => steps.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_labels(5)
            .y_label_formatter(&|v| count_tick(*v))
            .y_desc(chart.y_label)
            .draw()
            .map_err(err)?;
        ctx.draw_series(chart.customers.iter().enumerate().map(|(i, &c)| {
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i), 0.0),
                    (SegmentValue::Exact(i + 1), c as f64),
                ],
                BAR.mix(0.8).filled(),
            );
            bar.set_margin(0, 0, 18, 18);
            bar
        }))
        .map_err(err)?;
        ctx.draw_series(chart.customers.iter().zip(chart.notes).enumerate().map(
            |(i, (&c, note))| {
                Text::new(
                    note.clone(),
                    (SegmentValue::CenterOf(i), c as f64 + top * 0.03),
                    font.clone().pos(plotters::style::text_anchor::Pos::new(
                        plotters::style::text_anchor::HPos::Center,
                        plotters::style::text_anchor::VPos::Bottom,
                    )),
                )
            },
        ))
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH, HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_bar_and_a_note_per_step() {
        let steps = vec!["방문".to_owned(), "장바구니".to_owned(), "구매".to_owned()];
        let notes = vec!["100%".to_owned(), "40.0%".to_owned(), "12.5%".to_owned()];
        let svg = funnel_bars_svg(&FunnelBars {
            title: "퍼널",
            y_label: "고객",
            steps: &steps,
            customers: &[800, 320, 100],
            notes: &notes,
        })
        .expect("draws");
        for text in ["퍼널", "방문", "구매", "40.0%", "12.5%"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(funnel_bars_svg(&FunnelBars {
            title: "",
            y_label: "",
            steps: &steps,
            customers: &[1],
            notes: &notes
        })
        .is_err());
    }
}
