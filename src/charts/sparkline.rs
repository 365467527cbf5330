//! A sparkline: the shape of a KPI over recent periods, no axes. Gaps (undefined values) break
//! the line rather than drawing a fake zero.

use plotters::prelude::*;

use super::responsive;

const WIDTH: u32 = 160;
const HEIGHT: u32 = 40;
const LINE: RGBColor = RGBColor(52, 87, 184);

/// Draws `values` (oldest first) as an SVG string; the last point is marked.
pub fn sparkline_svg(values: &[Option<f64>]) -> Result<String, String> {
    let points: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
        .collect();
    if values.len() < 2 {
        return Err("a sparkline needs at least two periods".into());
    }
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, v)| {
            (lo.min(v), hi.max(v))
        });
    let (lo, hi) = if points.is_empty() {
        (0.0, 1.0)
    } else if (hi - lo).abs() < f64::EPSILON {
        (lo - 1.0, hi + 1.0)
    } else {
        let pad = (hi - lo) * 0.1;
        (lo - pad, hi + pad)
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("sparkline: {e:?}");
        let mut chart = ChartBuilder::on(&root)
            .margin(4)
            .build_cartesian_2d(0.0..(values.len() - 1) as f64, lo..hi)
            .map_err(err)?;
        // Consecutive defined values form one segment each.
        let mut segment: Vec<(f64, f64)> = Vec::new();
        let mut segments = Vec::new();
        for (i, v) in values.iter().enumerate() {
            match v.filter(|v| v.is_finite()) {
                Some(v) => segment.push((i as f64, v)),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for segment in segments.into_iter().filter(|s| !s.is_empty()) {
            chart
                .draw_series(LineSeries::new(segment, LINE.stroke_width(2)))
                .map_err(err)?;
        }
        if let Some(&(i, v)) = points.last() {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (i as f64, v),
                    3,
                    LINE.filled(),
                )))
                .map_err(err)?;
        }
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH, HEIGHT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_lines_with_gaps_and_marks_the_last_point() {
        let svg =
            sparkline_svg(&[Some(1.0), Some(3.0), None, Some(2.0), Some(4.0)]).expect("draws");
        assert_eq!(svg.matches("<polyline").count(), 2, "a gap splits the line");
        assert!(svg.contains("<circle"), "last point marked");
        assert!(sparkline_svg(&[Some(1.0)]).is_err());
        let flat = sparkline_svg(&[None, None]).expect("all undefined still draws");
        assert!(!flat.contains("<polyline"));
    }
}
