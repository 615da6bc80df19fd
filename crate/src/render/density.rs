//! 1-D densities: a Gaussian mixture p (shaded, with a handle on each component's centre)
//! and a Gaussian q (a curve), for the mode-covering vs mode-seeking widget. The legend is
//! the page's (plotters sizes legend boxes by measuring text in a styled DOM span, which the
//! page's Content-Security-Policy forbids).

use super::style::{self, Palette, anchored, marker, px, text};
use super::{Area, DrawResult, PlotRect};
use crate::math::divergence::gaussian::Normal;
use crate::math::divergence::mixture::GaussianMixture;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// What to draw: p, q, the x range, the y maximum, which component is selected, and the labels.
pub struct DensityChart<'a> {
    pub p: &'a GaussianMixture,
    pub q: &'a Normal,
    pub x_range: (f64, f64),
    /// Top of the y axis (see [`density_y_max`]).
    pub y_max: f64,
    /// Component drawn with a ring around its handle.
    pub selected: Option<usize>,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
}

const SAMPLES: usize = 300;
/// Room above the tallest density when the y range is set.
const HEADROOM: f64 = 1.15;
const Y_MAX_RANGE: (f64, f64) = (0.05, 5.0);

fn samples(x_range: (f64, f64)) -> Vec<f64> {
    let (x0, x1) = x_range;
    (0..=SAMPLES)
        .map(|k| x0 + (x1 - x0) * k as f64 / SAMPLES as f64)
        .collect()
}

/// The top of the y axis for p and q. With a `current` top that still holds q's peak
/// (1 / (σ √(2π)), so q is never clipped) it is kept: a fit's frames share one axis. Else, it
/// is the tallest sampled density with headroom, as a fresh chart has it, or, when q outgrows a
/// current top, at least a quarter more than it (so a narrowing q redraws the axis rarely).
pub fn density_y_max(
    p: &GaussianMixture,
    q: &Normal,
    x_range: (f64, f64),
    current: Option<f64>,
) -> f64 {
    let q_peak = 1.0 / (q.sigma() * (2.0 * std::f64::consts::PI).sqrt());
    let current = current.filter(|c| c.is_finite() && *c > 0.0);
    if let Some(c) = current.filter(|&c| q_peak <= c || c >= Y_MAX_RANGE.1) {
        return c;
    }
    let peak = samples(x_range)
        .iter()
        .map(|&x| p.pdf(x).max(q.pdf(x)))
        .fold(0.0f64, f64::max);
    let fresh = peak * HEADROOM;
    let grown = current.map_or(fresh, |c| fresh.max(c * 1.25));
    grown.clamp(Y_MAX_RANGE.0, Y_MAX_RANGE.1)
}

type DensityContext<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart's coordinates (the same for the whole chart, its axes and its overlay).
fn layout<'a, DB: DrawingBackend>(
    root: &Area<DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<DensityContext<'a, DB>, DB> {
    let (x0, x1) = c.x_range;
    ChartBuilder::on(root)
        .margin_top(px(14.0, scale))
        .margin_right(px(16.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(52.0, scale))
        .build_cartesian_2d(x0..x1, 0.0..c.y_max)
}

/// Draws the whole chart filling `root`; returns the plotting area's pixel rectangle
/// `[left, top, right, bottom]`.
pub fn density_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, c, scale)?;
    fixed_part(root, &mut ctx, c, scale)?;
    moving_part(root, &mut ctx, c, scale)
}

/// Draws what stays while q moves: the background, the axes and p's shaded curve (no handles:
/// they go over q). q is not drawn.
pub fn density_axes<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, c, scale)?;
    fixed_part(root, &mut ctx, c, scale)?;
    Ok(super::plot_rect(&ctx))
}

/// Draws q's curve and p's handles over what the canvas holds (the chart's [`density_axes`]
/// for the same p, ranges and size): with them, the whole chart.
pub fn density_overlay<DB: DrawingBackend>(
    root: &Area<DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, c, scale)?;
    moving_part(root, &mut ctx, c, scale)
}

fn curve(xs: &[f64], f: impl Fn(f64) -> f64, y_max: f64) -> Vec<(f64, f64)> {
    xs.iter().map(|&x| (x, f(x).min(y_max))).collect()
}

fn fixed_part<DB: DrawingBackend>(
    root: &Area<DB>,
    ctx: &mut DensityContext<'_, DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<(), DB> {
    root.fill(&Palette::BACKGROUND)?;
    mesh!(ctx, scale)
        .x_labels(7)
        .y_labels(5)
        .x_desc(c.x_desc)
        .y_desc(c.y_desc)
        .draw()?;
    let xs = samples(c.x_range);
    ctx.draw_series(
        AreaSeries::new(
            curve(&xs, |x| c.p.pdf(x), c.y_max),
            0.0,
            Palette::BLUE.mix(0.25),
        )
        .border_style(Palette::BLUE.stroke_width(style::line(2.0, scale))),
    )?;
    Ok(())
}

fn moving_part<DB: DrawingBackend>(
    root: &Area<DB>,
    ctx: &mut DensityContext<'_, DB>,
    c: &DensityChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let y_max = c.y_max;
    ctx.draw_series(LineSeries::new(
        curve(&samples(c.x_range), |x| c.q.pdf(x), y_max),
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
    Ok(super::plot_rect(ctx))
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: (f64, f64) = (-7.0, 7.0);

    fn bimodal() -> GaussianMixture {
        GaussianMixture::new(&[0.5, 0.5], &[-3.0, 3.0], &[0.5, 0.5]).unwrap()
    }

    fn peak(q: &Normal) -> f64 {
        1.0 / (q.sigma() * (2.0 * std::f64::consts::PI).sqrt())
    }

    #[test]
    fn fresh_top_is_the_tallest_sampled_density_with_headroom() {
        let (p, q) = (bimodal(), Normal::new(0.0, 2.0).unwrap());
        let tallest = samples(X)
            .iter()
            .map(|&x| p.pdf(x).max(q.pdf(x)))
            .fold(0.0, f64::max);
        assert_eq!(density_y_max(&p, &q, X, None), tallest * HEADROOM);
        assert!(density_y_max(&p, &q, X, None) >= peak(&q));
    }

    #[test]
    fn a_top_holding_q_is_kept_and_one_q_outgrows_is_raised() {
        let p = bimodal();
        let wide = Normal::new(3.0, 1.0).unwrap();
        let top = density_y_max(&p, &wide, X, None);
        let narrower = Normal::new(3.0, 0.9).unwrap();
        assert!(peak(&narrower) <= top);
        assert_eq!(density_y_max(&p, &narrower, X, Some(top)), top);
        let narrow = Normal::new(3.0, 0.3).unwrap();
        assert!(peak(&narrow) > top);
        let grown = density_y_max(&p, &narrow, X, Some(top));
        assert!(
            grown >= peak(&narrow) && grown >= top * 1.25,
            "{top} → {grown}"
        );
        // Never past the cap, and a bad current top is ignored.
        let spike = Normal::new(0.0, 0.05).unwrap();
        assert_eq!(density_y_max(&p, &spike, X, Some(4.5)), Y_MAX_RANGE.1);
        assert_eq!(density_y_max(&p, &wide, X, Some(f64::NAN)), top);
    }
}
