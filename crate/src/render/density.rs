//! 1-D densities: a Gaussian mixture p (shaded, with a handle on each component's centre)
//! and a Gaussian q (a curve), for the mode-covering vs mode-seeking widget. The legend is
//! the page's (plotters sizes legend boxes by measuring text in a styled DOM span, which the
//! page's Content-Security-Policy forbids).

use super::style::{self, Palette, anchored, marker, px, text};
use super::{Area, DrawResult, PlotRect};
use crate::math::divergence::gaussian::Normal;
use crate::math::divergence::mixture::GaussianMixture;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What to draw: p, q, the x range, which component is selected, and the labels.
pub struct DensityChart<'a> {
    pub p: &'a GaussianMixture,
    pub q: &'a Normal,
    pub x_range: (f64, f64),
    /// Component drawn with a ring around its handle.
    pub selected: Option<usize>,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
}

const SAMPLES: usize = 300;

/// Draws the chart filling `root`; returns the plotting area's pixel rectangle followed by
/// its data ranges: `[left, top, right, bottom]` and the y maximum is in `y_max`.
pub fn density_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<(PlotRect, f64), DB> {
    root.fill(&Palette::BACKGROUND)?;
    let (x0, x1) = c.x_range;
    let xs: Vec<f64> = (0..=SAMPLES)
        .map(|k| x0 + (x1 - x0) * k as f64 / SAMPLES as f64)
        .collect();
    let p: Vec<f64> = xs.iter().map(|&x| c.p.pdf(x)).collect();
    let q: Vec<f64> = xs.iter().map(|&x| c.q.pdf(x)).collect();
    let peak = p.iter().chain(&q).fold(0.0f64, |a, &b| a.max(b));
    let y_max = (peak * 1.15).clamp(0.05, 5.0);
    let mut ctx = ChartBuilder::on(root)
        .margin_top(px(14.0, scale))
        .margin_right(px(16.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(52.0, scale))
        .build_cartesian_2d(x0..x1, 0.0..y_max)?;
    mesh!(ctx, scale)
        .x_labels(7)
        .y_labels(5)
        .x_desc(c.x_desc)
        .y_desc(c.y_desc)
        .draw()?;

    let line = |v: &[f64]| {
        xs.iter()
            .copied()
            .zip(v.iter().map(|&y| y.min(y_max)))
            .collect::<Vec<_>>()
    };
    ctx.draw_series(
        AreaSeries::new(line(&p), 0.0, Palette::BLUE.mix(0.25))
            .border_style(Palette::BLUE.stroke_width(style::line(2.0, scale))),
    )?;
    ctx.draw_series(LineSeries::new(
        line(&q),
        Palette::ORANGE.stroke_width(style::line(3.0, scale)),
    ))?;
    for (k, &mu) in c.p.means().iter().enumerate() {
        let at = (mu, c.p.pdf(mu).min(y_max));
        let r = marker(7.0, scale);
        ctx.draw_series(std::iter::once(Circle::new(at, r, Palette::BLUE.filled())))?;
        if c.selected == Some(k) {
            ctx.draw_series(std::iter::once(Circle::new(
                at,
                r + marker(4.0, scale),
                Palette::INK.stroke_width(style::line(2.0, scale)),
            )))?;
        }
        let (hx, hy) = ctx.backend_coord(&at);
        let style = anchored(
            text(scale).color(&Palette::BACKGROUND),
            HPos::Center,
            VPos::Center,
        );
        root.draw(&Text::new(format!("{}", k + 1), (hx, hy), style))?;
    }
    Ok((super::plot_rect(&ctx), y_max))
}
