//! A Sankey of paths: one column per step, a bar per node whose height is its customers, and a
//! ribbon per move whose thickness is the customers making it.
//!
//! The layout is pure ([`layout`]) so the view can put a button over every node and move, and so
//! it is tested without drawing. Customers are counted uniquely per node and per move, so the
//! moves out of (or into) a node may add up to more or fewer customers than the node itself:
//! within one node the ribbons are scaled down together when they would not fit, and never
//! scaled up.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{responsive, INK, TITLE_INK};

/// The drawing's size in SVG units.
pub const WIDTH: f64 = 960.0;
pub const HEIGHT: f64 = 440.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 16.0;
const SIDE: f64 = 16.0;
const NODE_WIDTH: f64 = 14.0;
/// Vertical space between two nodes of a column.
const GAP: f64 = 10.0;
/// The thinnest node drawn, so that every node stays visible and clickable.
const MIN_NODE: f64 = 3.0;

/// One node: its column (step) and customers.
#[derive(Debug, Clone, PartialEq)]
pub struct SankeyNode {
    pub step: usize,
    pub customers: usize,
}

/// One move between two nodes (indexes into the node list).
#[derive(Debug, Clone, PartialEq)]
pub struct SankeyLink {
    pub source: usize,
    pub target: usize,
    pub customers: usize,
}

/// A rectangle in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// A ribbon: where it leaves its source and where it reaches its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ribbon {
    /// Right edge of the source node.
    pub x0: f64,
    /// Top and bottom at the source.
    pub y0: (f64, f64),
    /// Left edge of the target node.
    pub x1: f64,
    pub y1: (f64, f64),
}

impl Ribbon {
    /// A box around the ribbon's middle, where a button for it can sit.
    pub fn middle(&self) -> Rect {
        let height = ((self.y0.1 - self.y0.0) + (self.y1.1 - self.y1.0)) / 2.0;
        let height = height.max(8.0);
        let centre = (self.y0.0 + self.y0.1 + self.y1.0 + self.y1.1) / 4.0;
        let width = ((self.x1 - self.x0) / 3.0).max(8.0);
        Rect {
            x: (self.x0 + self.x1) / 2.0 - width / 2.0,
            y: centre - height / 2.0,
            width,
            height,
        }
    }
}

/// Where everything goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Rect>,
    pub links: Vec<Ribbon>,
}

/// Lays out the nodes (in the given order within each column, top to bottom) and the links
/// (stacked at each node in the given order).
pub fn layout(nodes: &[SankeyNode], links: &[SankeyLink]) -> Result<Layout, String> {
    if links
        .iter()
        .any(|l| l.source >= nodes.len() || l.target >= nodes.len())
    {
        return Err("a link refers to a node that does not exist".into());
    }
    let columns = nodes.iter().map(|n| n.step + 1).max().unwrap_or(0);
    let mut per_column: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for (i, node) in nodes.iter().enumerate() {
        per_column[node.step].push(i);
    }
    let first = per_column.iter().position(|c| !c.is_empty()).unwrap_or(0);
    let shown_columns = columns.saturating_sub(first).max(1);
    let usable = HEIGHT - TOP - BOTTOM;
    // One scale for the whole chart: the fullest column (customers and gaps) fills the height.
    let scale = per_column
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| {
            let customers: usize = c.iter().map(|&i| nodes[i].customers).sum();
            let room = usable - GAP * (c.len() - 1) as f64 - MIN_NODE * c.len() as f64;
            room.max(1.0) / customers.max(1) as f64
        })
        .fold(f64::INFINITY, f64::min);
    let scale = if scale.is_finite() { scale } else { 1.0 };
    let step_width = if shown_columns > 1 {
        (WIDTH - 2.0 * SIDE - NODE_WIDTH) / (shown_columns - 1) as f64
    } else {
        0.0
    };
    let mut rects = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0
        };
        nodes.len()
    ];
    for column in &per_column {
        let mut y = TOP;
        for &i in column {
            let height = nodes[i].customers as f64 * scale + MIN_NODE;
            rects[i] = Rect {
                x: SIDE + (nodes[i].step - first) as f64 * step_width,
                y,
                width: NODE_WIDTH,
                height,
            };
            y += height + GAP;
        }
    }
    // Ribbon thickness: the link's customers at the chart's scale, shrunk together where the
    // ribbons at a node would overflow it.
    let fit = |node: usize, side: &dyn Fn(&SankeyLink) -> usize| {
        let total: f64 = links
            .iter()
            .filter(|l| side(l) == node)
            .map(|l| l.customers as f64 * scale)
            .sum();
        if total > rects[node].height && total > 0.0 {
            rects[node].height / total
        } else {
            1.0
        }
    };
    let out_fit: Vec<f64> = (0..nodes.len()).map(|n| fit(n, &|l| l.source)).collect();
    let in_fit: Vec<f64> = (0..nodes.len()).map(|n| fit(n, &|l| l.target)).collect();
    let mut out_y: Vec<f64> = rects.iter().map(|r| r.y).collect();
    let mut in_y = out_y.clone();
    let ribbons = links
        .iter()
        .map(|l| {
            let base = l.customers as f64 * scale;
            let thick_out = base * out_fit[l.source];
            let thick_in = base * in_fit[l.target];
            let y0 = (out_y[l.source], out_y[l.source] + thick_out);
            let y1 = (in_y[l.target], in_y[l.target] + thick_in);
            out_y[l.source] += thick_out;
            in_y[l.target] += thick_in;
            Ribbon {
                x0: rects[l.source].x + NODE_WIDTH,
                y0,
                x1: rects[l.target].x,
                y1,
            }
        })
        .collect();
    Ok(Layout {
        nodes: rects,
        links: ribbons,
    })
}

/// What to draw; labels come translated and formatted by the caller.
pub struct Sankey<'a> {
    pub title: &'a str,
    pub nodes: &'a [SankeyNode],
    pub links: &'a [SankeyLink],
    /// One per node ("Purchase 1,204").
    pub labels: &'a [String],
    /// Step headings, one per column from step 0 ("Step 1").
    pub steps: &'a [String],
}

/// Colour-blind-safe node colours, by label slot.
const COLORS: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 94, 240),
    RGBColor(140, 140, 140),
];

/// Colour slots per node: the same label has the same colour in every column; distinct labels
/// take the colours in order of first appearance, and "(other)" is always grey.
pub fn color_slots(labels: &[&str]) -> Vec<usize> {
    let grey = COLORS.len() - 1;
    let mut seen: Vec<&str> = Vec::new();
    labels
        .iter()
        .map(|&label| {
            if label == "(other)" {
                return grey;
            }
            let at = seen.iter().position(|&s| s == label).unwrap_or_else(|| {
                seen.push(label);
                seen.len() - 1
            });
            at % grey
        })
        .collect()
}

/// Points along a ribbon's top edge forward and bottom edge back (cubic curves, as samples).
fn ribbon_polygon(r: &Ribbon) -> Vec<(i32, i32)> {
    const SAMPLES: usize = 16;
    let curve = |from: f64, to: f64, t: f64| {
        // Smoothstep between the two heights: a horizontal tangent at both ends.
        from + (to - from) * t * t * (3.0 - 2.0 * t)
    };
    let mut points = Vec::with_capacity(2 * SAMPLES + 2);
    for i in 0..=SAMPLES {
        let t = i as f64 / SAMPLES as f64;
        let x = r.x0 + (r.x1 - r.x0) * t;
        points.push((x.round() as i32, curve(r.y0.0, r.y1.0, t).round() as i32));
    }
    for i in (0..=SAMPLES).rev() {
        let t = i as f64 / SAMPLES as f64;
        let x = r.x0 + (r.x1 - r.x0) * t;
        points.push((x.round() as i32, curve(r.y0.1, r.y1.1, t).round() as i32));
    }
    points
}

/// Draws the Sankey as a responsive SVG.
pub fn sankey_svg(chart: &Sankey, node_labels: &[&str]) -> Result<String, String> {
    if chart.labels.len() != chart.nodes.len() || node_labels.len() != chart.nodes.len() {
        return Err("the sankey needs one label per node".into());
    }
    let placed = layout(chart.nodes, chart.links)?;
    let slots = color_slots(node_labels);
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH as u32, HEIGHT as u32)).into_drawing_area();
        let err = |e: DrawingAreaErrorKind<_>| format!("chart: {e:?}");
        let font = ("sans-serif", 12).into_font().color(&TITLE_INK);
        let heading = ("sans-serif", 12).into_font().color(&INK);
        root.draw(&Text::new(
            chart.title.to_owned(),
            (SIDE as i32, 4),
            ("sans-serif", 16).into_font().color(&TITLE_INK),
        ))
        .map_err(err)?;
        for (link, ribbon) in chart.links.iter().zip(&placed.links) {
            let color = COLORS[slots[link.source]];
            root.draw(&Polygon::new(
                ribbon_polygon(ribbon),
                color.mix(0.28).filled(),
            ))
            .map_err(err)?;
        }
        let columns = chart.nodes.iter().map(|n| n.step + 1).max().unwrap_or(0);
        let last_step = columns.saturating_sub(1);
        let mut headed = vec![false; columns];
        for (i, (node, rect)) in chart.nodes.iter().zip(&placed.nodes).enumerate() {
            let color = COLORS[slots[i]];
            root.draw(&Rectangle::new(
                [
                    (rect.x.round() as i32, rect.y.round() as i32),
                    (
                        (rect.x + rect.width).round() as i32,
                        (rect.y + rect.height).round() as i32,
                    ),
                ],
                color.filled(),
            ))
            .map_err(err)?;
            // Labels sit right of a node, except in the last column (left of it).
            let (x, anchor) = if node.step == last_step && columns > 1 {
                (rect.x - 4.0, HPos::Right)
            } else {
                (rect.x + rect.width + 4.0, HPos::Left)
            };
            root.draw(&Text::new(
                chart.labels[i].clone(),
                (
                    x.round() as i32,
                    (rect.y + rect.height / 2.0).round() as i32,
                ),
                font.clone().pos(Pos::new(anchor, VPos::Center)),
            ))
            .map_err(err)?;
            if !headed[node.step] {
                headed[node.step] = true;
                if let Some(step) = chart.steps.get(node.step) {
                    let (hx, hanchor) = if node.step == last_step && columns > 1 {
                        (rect.x + rect.width, HPos::Right)
                    } else {
                        (rect.x, HPos::Left)
                    };
                    root.draw(&Text::new(
                        step.clone(),
                        (hx.round() as i32, (TOP - 6.0) as i32),
                        heading.clone().pos(Pos::new(hanchor, VPos::Bottom)),
                    ))
                    .map_err(err)?;
                }
            }
        }
        root.present().map_err(err)?;
    }
    Ok(responsive(svg, WIDTH as u32, HEIGHT as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(step: usize, customers: usize) -> SankeyNode {
        SankeyNode { step, customers }
    }

    fn link(source: usize, target: usize, customers: usize) -> SankeyLink {
        SankeyLink {
            source,
            target,
            customers,
        }
    }

    #[test]
    fn nodes_stack_in_columns_with_heights_in_proportion() {
        let nodes = [node(0, 100), node(1, 60), node(1, 30), node(2, 20)];
        let links = [link(0, 1, 60), link(0, 2, 30), link(1, 3, 20)];
        let placed = layout(&nodes, &links).expect("lays out");
        let r = &placed.nodes;
        // Columns left to right, the last one at the right edge.
        assert!(r[0].x < r[1].x && r[1].x == r[2].x && r[2].x < r[3].x);
        assert!((r[3].x + r[3].width - (WIDTH - SIDE)).abs() < 1e-9);
        // Within a column top to bottom with a gap, inside the drawing.
        assert!((r[2].y - (r[1].y + r[1].height + GAP)).abs() < 1e-9);
        for rect in r {
            assert!(rect.y >= TOP && rect.y + rect.height <= HEIGHT - BOTTOM + 1e-9);
        }
        // Heights in proportion to customers (beyond the minimum height).
        let unit = (r[0].height - MIN_NODE) / 100.0;
        assert!((r[1].height - MIN_NODE - 60.0 * unit).abs() < 1e-9);
        assert!((r[3].height - MIN_NODE - 20.0 * unit).abs() < 1e-9);
        // Ribbons leave the source's right edge, stacked, and reach the target's left edge.
        let l = &placed.links;
        assert_eq!(l[0].x0, r[0].x + NODE_WIDTH);
        assert_eq!(l[0].x1, r[1].x);
        assert_eq!(l[0].y0.0, r[0].y);
        assert!((l[1].y0.0 - l[0].y0.1).abs() < 1e-9);
        assert!((l[0].y0.1 - l[0].y0.0 - 60.0 * unit).abs() < 1e-9);
        assert_eq!(l[1].y1.0, r[2].y);
    }

    #[test]
    fn overlapping_unique_counts_are_squeezed_into_the_node() {
        // 10 customers, each of whom made both moves: ribbons add up to 20.
        let nodes = [node(0, 10), node(1, 10), node(1, 10)];
        let links = [link(0, 1, 10), link(0, 2, 10)];
        let placed = layout(&nodes, &links).expect("lays out");
        let source = placed.nodes[0];
        let bottom = placed.links[1].y0.1;
        assert!(bottom <= source.y + source.height + 1e-9);
        let thick = |r: &Ribbon| r.y0.1 - r.y0.0;
        assert!((thick(&placed.links[0]) - thick(&placed.links[1])).abs() < 1e-9);
    }

    #[test]
    fn a_path_anchored_at_its_end_starts_at_a_later_step() {
        let nodes = [node(3, 5), node(4, 5)];
        let placed = layout(&nodes, &[link(0, 1, 5)]).expect("lays out");
        assert_eq!(placed.nodes[0].x, SIDE);
        assert!(layout(&nodes, &[link(0, 7, 1)]).is_err());
        assert_eq!(layout(&[], &[]).expect("empty").nodes, vec![]);
    }

    #[test]
    fn a_ribbon_button_sits_between_its_nodes() {
        let placed = layout(&[node(0, 4), node(1, 4)], &[link(0, 1, 4)]).expect("lays out");
        let box_ = placed.links[0].middle();
        assert!(box_.x > placed.nodes[0].x && box_.x + box_.width < placed.nodes[1].x);
    }

    #[test]
    fn draws_every_label_and_step() {
        let nodes = [node(0, 100), node(1, 60), node(1, 30)];
        let links = [link(0, 1, 60), link(0, 2, 30)];
        let labels = vec![
            "방문 100".to_owned(),
            "구매 60".to_owned(),
            "(기타) 30".to_owned(),
        ];
        let steps = vec!["1단계".to_owned(), "2단계".to_owned()];
        let svg = sankey_svg(
            &Sankey {
                title: "경로",
                nodes: &nodes,
                links: &links,
                labels: &labels,
                steps: &steps,
            },
            &["visit", "purchase", "(other)"],
        )
        .expect("draws");
        for text in ["경로", "방문 100", "구매 60", "(기타) 30", "1단계", "2단계"] {
            assert!(svg.contains(text), "missing {text}");
        }
        assert_eq!(svg.matches("<polygon").count(), 2);
        assert!(svg.contains("viewBox"));
        assert_eq!(
            color_slots(&["visit", "purchase", "(other)", "visit"]),
            vec![0, 1, COLORS.len() - 1, 0]
        );
    }
}
