//! The curve I(p) = −log_b p, with two draggable events p₁, p₂ and their joint event p₁·p₂.

use super::style::{Palette, anchored, line, marker, px, text};
use super::{Area, DrawResult, PlotRect};
use crate::math::information::info::information;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What to draw: the unit's base, two independent events and the axis titles.
pub struct InformationChart<'a> {
    pub base: f64,
    pub p1: f64,
    pub p2: f64,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    /// Marker labels for p₁, p₂, p₁·p₂ and the point (1, 0).
    pub labels: [&'a str; 4],
}

/// Number of points sampled along the curve.
const SAMPLES: usize = 400;

/// Draws the chart filling `root` and returns the plotting area's pixel rectangle.
/// `p1` and `p2` must lie in (0, 1] (the caller validates).
pub fn information_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &InformationChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let info = |p: f64| information(p, c.base).unwrap_or(f64::NAN);
    let joint = c.p1 * c.p2;
    // Tall enough for the joint event, and never flatter than I(0.02).
    let y_max = (info(joint).max(info(0.02)) * 1.12).ceil();
    let mut ctx = ChartBuilder::on(root)
        .margin_top(px(14.0, scale))
        .margin_right(px(20.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(40.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d(0.0..1.0, 0.0..y_max)?;
    mesh!(ctx, scale)
        .x_labels(6)
        .y_labels(7)
        .x_desc(c.x_desc)
        .y_desc(c.y_desc)
        .draw()?;

    // Sample in log space from where the curve leaves the top of the chart up to p = 1.
    let p_min = c.base.powf(-y_max);
    let curve = (0..=SAMPLES).map(|k| {
        let p = p_min.powf(1.0 - k as f64 / SAMPLES as f64);
        (p, info(p))
    });
    ctx.draw_series(LineSeries::new(
        curve,
        Palette::INK.stroke_width(line(2.0, scale)),
    ))?;

    let markers = [
        (c.p1, &Palette::BLUE, c.labels[0]),
        (c.p2, &Palette::ORANGE, c.labels[1]),
        (joint, &Palette::GREEN, c.labels[2]),
        (1.0, &Palette::MUTED, c.labels[3]),
    ];
    for &(p, color, label) in &markers {
        let i = info(p);
        ctx.draw_series(DashedLineSeries::new(
            [(p, 0.0), (p, i)],
            px(5.0, scale),
            px(3.0, scale),
            color.stroke_width(line(1.5, scale)),
        ))?;
        ctx.draw_series(DashedLineSeries::new(
            [(0.0, i), (p, i)],
            px(5.0, scale),
            px(3.0, scale),
            color.mix(0.5).stroke_width(line(1.0, scale)),
        ))?;
        ctx.draw_series(std::iter::once(Circle::new(
            (p, i),
            marker(5.0, scale),
            color.filled(),
        )))?;
        let (x, y) = ctx.backend_coord(&(p, i));
        let (h, dx) = if p > 0.8 {
            (HPos::Right, -8)
        } else {
            (HPos::Left, 8)
        };
        let style = anchored(text(scale).color(color), h, VPos::Bottom);
        let at = (x + dx * px(1.0, scale) as i32, y - px(6.0, scale) as i32);
        root.draw(&Text::new(label.to_string(), at, style))?;
    }
    Ok(super::plot_rect(&ctx))
}
