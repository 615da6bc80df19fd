//! A general 1-D chart: curves (optionally filled down to 0), vertical markers and a
//! horizontal reference line, for likelihoods, posteriors and training curves.

use super::style::{Palette, anchored, line, px, text};
use super::{Area, DrawResult, PlotRect};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One curve: points (x, y), a colour, and whether the area below it is shaded.
pub struct Curve<'a> {
    pub points: &'a [(f64, f64)],
    pub color: RGBColor,
    pub filled: bool,
}

/// A labelled vertical line at `x` (dashed), e.g. a maximum-likelihood estimate.
pub struct Marker<'a> {
    pub x: f64,
    pub color: RGBColor,
    pub label: &'a str,
}

/// What to draw. Non-finite points are skipped; y values are clipped to the range.
pub struct CurveChart<'a> {
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub curves: &'a [Curve<'a>],
    pub markers: &'a [Marker<'a>],
    /// A dashed horizontal line with its label, e.g. log p(x) above an ELBO curve.
    pub reference: Option<(f64, &'a str)>,
}

fn ordered(r: (f64, f64), fallback: (f64, f64)) -> (f64, f64) {
    if r.0.is_finite() && r.1.is_finite() && r.1 > r.0 {
        r
    } else {
        fallback
    }
}

/// Draws the chart filling `root`; returns the plotting area's pixel rectangle.
pub fn curve_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &CurveChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let mut ctx = layout(root, c, scale)?;
    mesh!(ctx, scale)
        .x_labels(7)
        .y_labels(5)
        .x_desc(c.x_desc)
        .y_desc(c.y_desc)
        .draw()?;
    series(root, &mut ctx, c, scale)
}

/// Draws the curves, reference and markers of `c` over what `root` already holds (no
/// background, no axes), in the plotting area [`curve_chart`] gives the same chart: the
/// moving part of a chart whose axes and fixed curves the page keeps as an image.
pub fn curve_overlay<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &CurveChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, c, scale)?;
    series(root, &mut ctx, c, scale)
}

type CurveContext<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart's coordinates: margins, label areas and ranges (the same for a chart and its overlay).
fn layout<'a, DB: DrawingBackend>(
    root: &Area<DB>,
    c: &CurveChart,
    scale: f64,
) -> DrawResult<CurveContext<'a, DB>, DB> {
    let (x0, x1) = ordered(c.x_range, (0.0, 1.0));
    let (y0, y1) = ordered(c.y_range, (0.0, 1.0));
    ChartBuilder::on(root)
        .margin_top(px(14.0, scale))
        .margin_right(px(16.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d(x0..x1, y0..y1)
}

fn series<DB: DrawingBackend>(
    root: &Area<DB>,
    ctx: &mut CurveContext<'_, DB>,
    c: &CurveChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let (x0, x1) = ordered(c.x_range, (0.0, 1.0));
    let (y0, y1) = ordered(c.y_range, (0.0, 1.0));
    let clip =
        |&(x, y): &(f64, f64)| (x.is_finite() && y.is_finite()).then_some((x, y.clamp(y0, y1)));
    for curve in c.curves {
        let points: Vec<(f64, f64)> = curve.points.iter().filter_map(clip).collect();
        let stroke = curve.color.stroke_width(line(2.5, scale));
        if curve.filled {
            ctx.draw_series(
                AreaSeries::new(points, y0.max(0.0).min(y1), curve.color.mix(0.25))
                    .border_style(stroke),
            )?;
        } else {
            ctx.draw_series(LineSeries::new(points, stroke))?;
        }
    }
    if let Some((y, label)) = c.reference.filter(|r| r.0.is_finite()) {
        let style = Palette::MUTED.stroke_width(line(1.5, scale));
        ctx.draw_series(DashedLineSeries::new(
            [(x0, y), (x1, y)],
            px(6.0, scale),
            px(4.0, scale),
            style,
        ))?;
        let (px_x, px_y) = ctx.backend_coord(&(x1, y.clamp(y0, y1)));
        let anchor = anchored(
            text(scale).color(&Palette::MUTED),
            HPos::Right,
            VPos::Bottom,
        );
        root.draw(&Text::new(label.to_string(), (px_x - 4, px_y - 3), anchor))?;
    }
    let markers: Vec<&Marker> = c.markers.iter().filter(|m| m.x.is_finite()).collect();
    let mut placed = Vec::with_capacity(markers.len()); // (x, y, anchor, height)
    let mut extents = Vec::with_capacity(markers.len()); // (left, right) of each label
    for m in &markers {
        let style = m.color.stroke_width(line(2.0, scale));
        ctx.draw_series(DashedLineSeries::new(
            [(m.x, y0), (m.x, y1)],
            px(5.0, scale),
            px(3.0, scale),
            style,
        ))?;
        let (px_x, px_y) = ctx.backend_coord(&(m.x, y1));
        let right = m.x > x0 + 0.7 * (x1 - x0);
        let (h, x) = if right {
            (HPos::Right, px_x - 5)
        } else {
            (HPos::Left, px_x + 5)
        };
        // The label's size as the backend measures it; else an estimate (0.6 em a character).
        let size = 12.0 * scale;
        let (w, ht) = root
            .estimate_text_size(m.label, &text(scale))
            .map(|(w, ht)| (w as i32, ht as i32))
            .unwrap_or((
                (0.6 * size * m.label.chars().count() as f64) as i32,
                size as i32,
            ));
        extents.push(if right { (x - w, x) } else { (x, x + w) });
        placed.push((x, px_y + 2, h, ht));
    }
    // Labels that would overlap (markers close together, e.g. the ELBO beside log p(x)) go
    // one under the other.
    let rows = label_rows(&extents, px(4.0, scale) as i32);
    for ((m, &(x, y, h, ht)), row) in markers.iter().zip(&placed).zip(rows) {
        let y = y + row as i32 * (ht + px(2.0, scale) as i32);
        root.draw(&Text::new(
            m.label.to_string(),
            (x, y),
            anchored(text(scale).color(&m.color), h, VPos::Top),
        ))?;
    }
    Ok(super::plot_rect(ctx))
}

/// The row (0 = the top one) of each label, in drawing order: the first row none of whose
/// labels it would overlap, given each label's horizontal extent (left, right) in pixels and
/// `gap` pixels to keep between two labels in a row.
pub(crate) fn label_rows(extents: &[(i32, i32)], gap: i32) -> Vec<usize> {
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    extents
        .iter()
        .map(|&(l, r)| {
            let free =
                |row: &Vec<(i32, i32)>| row.iter().all(|&(a, b)| r + gap <= a || b + gap <= l);
            let k = rows.iter().position(free).unwrap_or(rows.len());
            if k == rows.len() {
                rows.push(Vec::new());
            }
            rows[k].push((l, r));
            k
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::label_rows;
    use proptest::prelude::*;

    #[test]
    fn labels_apart_share_the_top_row_and_close_ones_stack() {
        // "ELBO" at 100–130 and "log p(x)" at 120–170 overlap; a third far right does not.
        assert_eq!(
            label_rows(&[(100, 130), (120, 170), (300, 340)], 4),
            vec![0, 1, 0]
        );
        // Touching within the gap counts as overlapping.
        assert_eq!(label_rows(&[(0, 50), (52, 80)], 4), vec![0, 1]);
        assert_eq!(label_rows(&[(0, 50), (54, 80)], 4), vec![0, 0]);
        // A third over both goes to a third row; a later one fills the first free row.
        assert_eq!(
            label_rows(&[(0, 50), (10, 60), (20, 70), (200, 220)], 4),
            vec![0, 1, 2, 0]
        );
        assert!(label_rows(&[], 4).is_empty());
    }

    proptest! {
        #[test]
        fn no_two_labels_in_a_row_overlap(spans in prop::collection::vec((0i32..1000, 1i32..200), 0..12), gap in 0i32..10) {
            let extents: Vec<(i32, i32)> = spans.iter().map(|&(l, w)| (l, l + w)).collect();
            let rows = label_rows(&extents, gap);
            prop_assert_eq!(rows.len(), extents.len());
            for i in 0..extents.len() {
                // Each label sits in the first row it fits: every row above holds a label it overlaps.
                for row in 0..rows[i] {
                    prop_assert!((0..i).any(|j| rows[j] == row
                        && !(extents[i].1 + gap <= extents[j].0 || extents[j].1 + gap <= extents[i].0)));
                }
                for j in 0..i {
                    if rows[i] == rows[j] {
                        prop_assert!(extents[i].1 + gap <= extents[j].0 || extents[j].1 + gap <= extents[i].0);
                    }
                }
            }
        }
    }
}
