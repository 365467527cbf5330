//! Charts as SVG strings, drawn with plotters from plain data: no DOM needed, so they are
//! tested natively and the views only place the markup.

use plotters::prelude::*;

pub mod calibration;
pub mod funnel_bars;
pub mod lifecycle_bars;
pub mod renewal_timeline;
pub mod retention_curves;
pub mod sankey;
pub mod sparkline;
pub mod trend;

/// Makes a fixed-size plotters SVG scale to its container while keeping its aspect ratio.
/// Plotters' own `viewBox` is replaced too: a repeated attribute makes the file invalid XML,
/// which an image (the PNG export) or an SVG viewer refuses to load.
pub(crate) fn responsive(svg: String, width: u32, height: u32) -> String {
    let fixed = format!(r#"<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}""#);
    let scaled = format!(
        r#"<svg viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" width="100%" focusable="false" aria-hidden="true""#
    );
    svg.replacen(&fixed, &scaled, 1)
}

/// Text of labels and axis descriptions.
pub(crate) const INK: RGBColor = RGBColor(90, 96, 110);
/// Chart titles and the emphasised mean line.
pub(crate) const TITLE_INK: RGBColor = RGBColor(25, 28, 36);
/// Horizontal grid lines.
pub(crate) const GRID: RGBColor = RGBColor(220, 224, 230);
/// Axis lines.
pub(crate) const AXIS: RGBColor = RGBColor(190, 194, 204);
/// The legend's frame (also the trend chart's grid).
pub(crate) const FRAME: RGBColor = RGBColor(210, 214, 222);

/// The font of tick labels and axis descriptions.
pub(crate) fn label_font() -> TextStyle<'static> {
    ("sans-serif", 13).into_font().color(&INK)
}

/// A tick label for a count of customers: whole and grouped by thousands (`2,000`).
pub(crate) fn count_tick(value: f64) -> String {
    crate::i18n::format::integer(value.round() as i64)
}

/// A legend in its own area beside the plot, for charts whose bars fill the plot's corners
/// (a legend drawn inside would cover them): one swatch and name per row.
pub(crate) fn draw_side_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    items: &[(&str, RGBColor)],
    top: i32,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| format!("chart: {e:?}");
    for (row, (name, color)) in items.iter().enumerate() {
        let y = top + row as i32 * 22;
        area.draw(&Rectangle::new(
            [(4, y), (18, y + 12)],
            color.mix(0.85).filled(),
        ))
        .map_err(err)?;
        area.draw(&Text::new(name.to_string(), (24, y - 1), label_font()))
            .map_err(err)?;
    }
    Ok(())
}

/// A chart builder on `root` with the house title and margin.
pub(crate) fn titled<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, plotters::coord::Shift>,
    title: &'b str,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder
        .caption(title, ("sans-serif", 16).into_font().color(&TITLE_INK))
        .margin(12);
    builder
}

/// The house mesh: horizontal grid lines only, house fonts for labels and axis descriptions.
pub(crate) fn house_mesh<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut plotters::chart::MeshStyle<'a, 'b, X, Y, DB>
where
    X: plotters::coord::ranged1d::Ranged,
    Y: plotters::coord::ranged1d::Ranged,
    DB: DrawingBackend,
{
    mesh.disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .label_style(label_font())
        .axis_desc_style(label_font())
}

/// Draws the series legend the same way on every chart: a framed, lightly filled box.
pub(crate) fn draw_legend<'a, DB, CT>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    font: TextStyle<'a>,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(FRAME)
        .label_font(font)
        .draw()
        .map_err(|e| format!("chart: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responsive_svg_has_each_attribute_once() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 200)).into_drawing_area();
            root.fill(&WHITE).expect("fills");
            root.present().expect("presents");
        }
        let scaled = responsive(svg, 300, 200);
        let open = &scaled[..scaled.find('>').expect("an opening tag")];
        for attribute in ["viewBox=", "width=", "xmlns="] {
            assert_eq!(open.matches(attribute).count(), 1, "{attribute} in {open}");
        }
        assert!(open.contains(r#"viewBox="0 0 300 200""#), "{open}");
    }
}
