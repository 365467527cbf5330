//! Charts as SVG strings, drawn with plotters from plain data: no DOM needed, so they are
//! tested natively and the views only place the markup.

pub mod retention_curves;
pub mod sparkline;
pub mod trend;

/// Makes a fixed-size plotters SVG scale to its container while keeping its aspect ratio.
pub(crate) fn responsive(svg: String, width: u32, height: u32) -> String {
    let fixed = format!(r#"<svg width="{width}" height="{height}""#);
    let scaled = format!(
        r#"<svg viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" width="100%" focusable="false" aria-hidden="true""#
    );
    svg.replacen(&fixed, &scaled, 1)
}
