//! Horizontal stacked bars that show a sum as its parts, e.g. H(p, q) = H(p) + KL(p ‖ q).

use super::style::{Palette, anchored, px, text};
use super::{Area, DrawResult, PlotRect};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One part of a stacked bar. An infinite value runs to the right edge and is labelled ∞.
pub struct Segment<'a> {
    pub value: f64,
    pub color: RGBColor,
    pub label: &'a str,
}

/// One bar: its title (left of the bar) and its parts, left to right.
pub struct StackedBar<'a> {
    pub title: &'a str,
    pub segments: Vec<Segment<'a>>,
}

/// Draws `bars` one under another on a shared x axis from 0 to the largest finite total
/// (× 1.15), titled `x_desc`. Returns the plotting area's pixel rectangle.
pub fn stacked_bars<DB: DrawingBackend>(
    root: &Area<DB>,
    bars: &[StackedBar],
    x_desc: &str,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let total = |b: &StackedBar| b.segments.iter().map(|s| s.value.max(0.0)).sum::<f64>();
    let finite_max = bars
        .iter()
        .map(total)
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    let x_max = if finite_max > 0.0 {
        finite_max * 1.15
    } else {
        1.0
    };
    let rows = bars.len().max(1) as f64;
    let mut ctx = ChartBuilder::on(root)
        .margin_top(px(8.0, scale))
        .margin_right(px(16.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(72.0, scale))
        .build_cartesian_2d(0.0..x_max, 0.0..rows)?;
    mesh!(ctx, scale)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(x_desc)
        .draw()?;

    let title = anchored(text(scale), HPos::Right, VPos::Center);
    for (r, bar) in bars.iter().enumerate() {
        // Row 0 at the top.
        let (y0, y1) = (rows - r as f64 - 0.85, rows - r as f64 - 0.15);
        let mut x = 0.0;
        for seg in &bar.segments {
            let end = if seg.value.is_finite() {
                x + seg.value.max(0.0)
            } else {
                x_max
            };
            let label = if seg.value.is_finite() {
                seg.label.to_string()
            } else {
                format!("{} = ∞", seg.label)
            };
            let x_range = (x, end.min(x_max));
            super::labelled_box(
                root,
                &mut ctx,
                x_range,
                (y0, y1),
                seg.color,
                &label,
                8.0,
                scale,
            )?;
            x = end;
        }
        let (left, mid) = ctx.backend_coord(&(0.0, (y0 + y1) / 2.0));
        if x.is_finite() && x < x_max {
            let (right, _) = ctx.backend_coord(&(x, y0));
            let at = (right + px(6.0, scale) as i32, mid);
            root.draw(&Text::new(
                format!("{x:.3}"),
                at,
                anchored(text(scale), HPos::Left, VPos::Center),
            ))?;
        }
        root.draw(&Text::new(
            bar.title.to_string(),
            (left - px(6.0, scale) as i32, mid),
            title.clone(),
        ))?;
    }
    Ok(super::plot_rect(&ctx))
}
