//! KL landscapes over q's parameters (μ, ln σ): a frame with axes (drawn once per p), a heat
//! map image the page blits into the plotting area, and an overlay (q's path, the optima, the
//! current q) redrawn on a transparent canvas on every step.

use super::style::{Palette, line, marker, px};
use super::{Area, DrawResult, PlotRect};
use crate::math::divergence::landscape::Grid;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The chart layout shared by the frame and the overlay, so both map (μ, ln σ) to the same
/// pixels.
fn layout<'a, DB: DrawingBackend>(
    root: &'a Area<DB>,
    r: &Grid,
    scale: f64,
) -> DrawResult<Chart<'a, DB>, DB> {
    ChartBuilder::on(root)
        .margin_top(px(10.0, scale))
        .margin_right(px(12.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(48.0, scale))
        .build_cartesian_2d(r.mu.0..r.mu.1, r.log_sigma.0..r.log_sigma.1)
}

/// The frame: background, axes and titles (the heat map goes inside the returned rectangle).
pub fn landscape_frame<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &Grid,
    x_desc: &str,
    y_desc: &str,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let mut ctx = layout(root, r, scale)?;
    mesh!(ctx, scale)
        .disable_mesh()
        .x_labels(7)
        .y_labels(5)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(super::plot_rect(&ctx))
}

/// The overlay on a transparent canvas: q's path (flattened μ, ln σ pairs), the optima
/// (flattened pairs, drawn as white crosses) and the current q (a ring).
pub fn landscape_overlay<DB: DrawingBackend>(
    root: &Area<DB>,
    r: &Grid,
    path: &[f64],
    optima: &[f64],
    current: (f64, f64),
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, r, scale)?;
    let pairs = |v: &[f64]| v.chunks_exact(2).map(|c| (c[0], c[1])).collect::<Vec<_>>();
    let halo = Palette::BACKGROUND.stroke_width(line(4.0, scale));
    ctx.draw_series(LineSeries::new(pairs(path), halo))?;
    ctx.draw_series(LineSeries::new(
        pairs(path),
        Palette::INK.stroke_width(line(2.0, scale)),
    ))?;
    let arm = px(7.0, scale) as i32;
    for (x, y) in pairs(optima) {
        for style in [
            Palette::INK.stroke_width(line(5.0, scale)),
            Palette::BACKGROUND.stroke_width(line(2.5, scale)),
        ] {
            ctx.draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + PathElement::new([(-arm, -arm), (arm, arm)], style)
                    + PathElement::new([(-arm, arm), (arm, -arm)], style),
            ))?;
        }
    }
    let ring = marker(7.0, scale);
    ctx.draw_series(std::iter::once(Circle::new(
        current,
        ring,
        Palette::BACKGROUND.stroke_width(line(5.0, scale)),
    )))?;
    ctx.draw_series(std::iter::once(Circle::new(
        current,
        ring,
        Palette::ORANGE.stroke_width(line(3.0, scale)),
    )))?;
    Ok(super::plot_rect(&ctx))
}

/// Colour of a landscape cell: `t` ∈ [0, 1] (low KL dark blue → high KL pale yellow), a
/// perceptually ordered ramp through purple and orange.
pub fn colormap(t: f64) -> [u8; 3] {
    const STOPS: [[f64; 3]; 5] = [
        [13.0, 8.0, 135.0],
        [126.0, 3.0, 168.0],
        [204.0, 71.0, 120.0],
        [248.0, 149.0, 64.0],
        [240.0, 249.0, 33.0],
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let f = t * (STOPS.len() - 1) as f64;
    let i = (f.floor() as usize).min(STOPS.len() - 2);
    let w = f - i as f64;
    let mix = |k: usize| (STOPS[i][k] * (1.0 - w) + STOPS[i + 1][k] * w).round() as u8;
    [mix(0), mix(1), mix(2)]
}

/// RGBA pixels (row 0 at the top = largest ln σ) for a grid of KL values laid out
/// `values[row * n_mu + col]` with row 0 the smallest ln σ. Colours follow ln(1 + KL)
/// scaled to the grid's range, so the valleys stay visible next to huge values.
pub fn heatmap_rgba(values: &[f64], n_mu: usize, n_ls: usize) -> Vec<u8> {
    let shade: Vec<f64> = values
        .iter()
        .map(|v| {
            if v.is_finite() {
                v.max(0.0).ln_1p()
            } else {
                f64::INFINITY
            }
        })
        .collect();
    let finite = shade.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
        (l.min(v), h.max(v))
    });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let mut out = Vec::with_capacity(n_mu * n_ls * 4);
    for row in (0..n_ls).rev() {
        for col in 0..n_mu {
            let [r, g, b] = colormap((shade[row * n_mu + col] - lo) / span);
            out.extend_from_slice(&[r, g, b, 255]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colormap_runs_from_dark_to_light() {
        let luminance =
            |[r, g, b]: [u8; 3]| 0.2126 * r as f64 + 0.7152 * g as f64 + 0.0722 * b as f64;
        let ramp: Vec<f64> = (0..=20)
            .map(|k| luminance(colormap(k as f64 / 20.0)))
            .collect();
        assert!(ramp.windows(2).all(|w| w[1] > w[0]), "{ramp:?}");
        assert_eq!(colormap(f64::NAN), colormap(1.0));
    }

    #[test]
    fn heatmap_flips_rows_and_marks_the_minimum_darkest() {
        // 2 × 2 grid, smallest value in row 0 (lowest ln σ), column 1.
        let img = heatmap_rgba(&[5.0, 0.0, 9.0, 3.0], 2, 2);
        assert_eq!(img.len(), 16);
        // Row 0 of the grid is the bottom row of the image: pixel (col 1, image row 1).
        assert_eq!(&img[12..15], &colormap(0.0));
        assert_eq!(&img[0..3], &colormap(1.0)); // 9.0 is the largest: image row 0, col 0
        assert!(img.chunks(4).all(|px| px[3] == 255));
    }
}
