//! The renewal radar's timeline: each contract ending soon as a dot at its end date (days from
//! today) and its risk score, at-risk contracts in the warning colour, the riskiest labelled.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{house_mesh, label_font, responsive, titled};

/// One contract on the timeline.
pub struct TimelinePoint {
    pub days_to_end: i64,
    pub risk: u32,
    pub at_risk: bool,
    /// Written beside the dot when non-empty.
    pub label: String,
}

/// What to draw; labels come translated by the caller.
pub struct RenewalTimeline<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The window's length in days (the x axis runs from 0 to it).
    pub days: i64,
    pub points: &'a [TimelinePoint],
}

const WIDTH: u32 = 860;
const HEIGHT: u32 = 300;
const CALM: RGBColor = RGBColor(52, 87, 184);
const RISK: RGBColor = RGBColor(196, 50, 40);

/// Labels of dots in the right part of the chart grow leftwards, so they are never cut at the
/// chart's right edge.
fn label_side(days_to_end: i64, days: i64) -> HPos {
    if days_to_end * 10 > days * 6 {
        HPos::Right
    } else {
        HPos::Left
    }
}

pub fn renewal_timeline_svg(chart: &RenewalTimeline) -> Result<String, String> {
    if chart.days <= 0 {
        return Err("the timeline needs a window of at least one day".into());
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let font = label_font();
        let mut ctx = titled(&root, chart.title)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0i64..chart.days, 0u32..105u32)
            .map_err(err)?;
        house_mesh(&mut ctx.configure_mesh())
            .x_labels(8)
            .y_labels(5)
            .x_desc(chart.x_label)
            .y_desc(chart.y_label)
            .draw()
            .map_err(err)?;
        ctx.draw_series(chart.points.iter().map(|p| {
            let colour = if p.at_risk { RISK } else { CALM };
            Circle::new(
                (p.days_to_end.clamp(0, chart.days), p.risk.min(100)),
                5,
                colour.mix(0.8).filled(),
            )
        }))
        .map_err(err)?;
        ctx.draw_series(
            chart
                .points
                .iter()
                .filter(|p| !p.label.is_empty())
                .map(|p| {
                    Text::new(
                        p.label.clone(),
                        (p.days_to_end.clamp(0, chart.days), p.risk.min(100)),
                        font.clone().pos(Pos::new(
                            label_side(p.days_to_end, chart.days),
                            VPos::Bottom,
                        )),
                    )
                }),
        )
        .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH, HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_dot_per_contract_and_the_labels() {
        let points = [
            TimelinePoint {
                days_to_end: 12,
                risk: 80,
                at_risk: true,
                label: "한빛상사".into(),
            },
            TimelinePoint {
                days_to_end: 70,
                risk: 10,
                at_risk: false,
                label: String::new(),
            },
        ];
        let svg = renewal_timeline_svg(&RenewalTimeline {
            title: "갱신 레이더",
            x_label: "종료까지 일수",
            y_label: "위험",
            days: 92,
            points: &points,
        })
        .expect("draws");
        assert_eq!(svg.matches("<circle").count(), 2);
        for text in ["갱신 레이더", "한빛상사", "종료까지 일수"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert!(renewal_timeline_svg(&RenewalTimeline {
            title: "",
            x_label: "",
            y_label: "",
            days: 0,
            points: &[],
        })
        .is_err());
    }

    #[test]
    fn labels_near_the_right_edge_grow_leftwards() {
        let right = |d| matches!(label_side(d, 90), HPos::Right);
        assert!(!right(10));
        assert!(!right(54));
        assert!(right(80));
        assert!(right(90));
    }
}
