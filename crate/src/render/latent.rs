//! The 2-D latent plane of chapter 4: a frame with square axes over [−w, w]² (a heat map of
//! p(z | x) may be blitted into it), and an overlay of latent codes coloured by digit, picked
//! points, an interpolation path and the encoder's q(z | x) as a 2σ ellipse.

use super::style::{Palette, line, marker, px};
use super::{Area, DrawResult, PlotRect};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Ten distinguishable colours for the digit classes 0–9 (the page's legend repeats them).
pub const CLASS_COLOURS: [RGBColor; 10] = [
    RGBColor(0x25, 0x63, 0xeb),
    RGBColor(0xea, 0x58, 0x0c),
    RGBColor(0x05, 0x96, 0x69),
    RGBColor(0xdc, 0x26, 0x26),
    RGBColor(0x7c, 0x3a, 0xed),
    RGBColor(0x92, 0x40, 0x0e),
    RGBColor(0xdb, 0x27, 0x77),
    RGBColor(0x4b, 0x55, 0x63),
    RGBColor(0x65, 0xa3, 0x0d),
    RGBColor(0x08, 0x91, 0xb2),
];

/// What the overlay shows; every slice of coordinates is flattened (z₁, z₂) pairs.
pub struct LatentOverlay<'a> {
    /// Latent codes, one dot each.
    pub points: &'a [f64],
    /// The class (0–9) of each dot; an empty slice draws every dot in ink.
    pub classes: &'a [u8],
    /// Chosen points, drawn as rings.
    pub marks: &'a [f64],
    /// A polyline, e.g. an interpolation between two codes.
    pub path: &'a [f64],
    /// q(z | x) = N(μ, diag(σ₁², σ₂²)) as (μ₁, μ₂, σ₁, σ₂): its 1σ and 2σ ellipses.
    pub ellipse: Option<[f64; 4]>,
    /// A second Gaussian in the same form, drawn in green: q*, the best Gaussian fitted to
    /// one image, beside the encoder's q (orange).
    pub fitted: Option<[f64; 4]>,
}

fn layout<'a, DB: DrawingBackend>(
    root: &'a Area<DB>,
    half: f64,
    scale: f64,
) -> DrawResult<Chart<'a, DB>, DB> {
    let w = if half.is_finite() && half > 0.0 {
        half
    } else {
        1.0
    };
    ChartBuilder::on(root)
        .margin_top(px(10.0, scale))
        .margin_right(px(12.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(34.0, scale))
        .y_label_area_size(px(40.0, scale))
        .build_cartesian_2d(-w..w, -w..w)
}

/// The frame: background, axes z₁ and z₂ over [−half, half]²; returns the plotting area.
pub fn latent_frame<DB: DrawingBackend>(
    root: &Area<DB>,
    half: f64,
    x_desc: &str,
    y_desc: &str,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let mut ctx = layout(root, half, scale)?;
    mesh!(ctx, scale)
        .x_labels(5)
        .y_labels(5)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .draw()?;
    Ok(super::plot_rect(&ctx))
}

fn pairs(v: &[f64]) -> impl Iterator<Item = (f64, f64)> + '_ {
    v.chunks_exact(2)
        .map(|c| (c[0], c[1]))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
}

/// The points of an axis-aligned ellipse with centre `c` and semi-axes `r`.
fn ellipse_points(c: (f64, f64), r: (f64, f64)) -> Vec<(f64, f64)> {
    (0..=72)
        .map(|i| {
            let a = f64::from(i) * std::f64::consts::TAU / 72.0;
            (c.0 + r.0 * a.cos(), c.1 + r.1 * a.sin())
        })
        .collect()
}

/// Draws the overlay on top of whatever the canvas holds (it never clears); points outside
/// the frame are clipped by the chart.
pub fn latent_overlay<DB: DrawingBackend>(
    root: &Area<DB>,
    half: f64,
    o: &LatentOverlay,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, half, scale)?;
    let dot = marker(2.5, scale);
    for (i, p) in pairs(o.points).enumerate() {
        let colour = o
            .classes
            .get(i)
            .map_or(Palette::INK, |&c| CLASS_COLOURS[usize::from(c) % 10]);
        ctx.plotting_area()
            .draw(&Circle::new(p, dot, colour.mix(0.75).filled()))?;
    }
    let path: Vec<(f64, f64)> = pairs(o.path).collect();
    if path.len() > 1 {
        let halo = Palette::BACKGROUND.stroke_width(line(5.0, scale));
        ctx.draw_series(LineSeries::new(path.clone(), halo))?;
        ctx.draw_series(LineSeries::new(
            path,
            Palette::INK.stroke_width(line(2.0, scale)),
        ))?;
    }
    for (gaussian, colour) in [(o.ellipse, Palette::ORANGE), (o.fitted, Palette::GREEN)] {
        let Some([m1, m2, s1, s2]) = gaussian else {
            continue;
        };
        for (k, width) in [(1.0, 3.0), (2.0, 2.0)] {
            let outline = ellipse_points((m1, m2), (k * s1, k * s2));
            ctx.draw_series(LineSeries::new(
                outline.clone(),
                Palette::BACKGROUND.stroke_width(line(width + 3.0, scale)),
            ))?;
            ctx.draw_series(LineSeries::new(
                outline,
                colour.stroke_width(line(width, scale)),
            ))?;
        }
        ctx.plotting_area()
            .draw(&Circle::new((m1, m2), marker(3.5, scale), colour.filled()))?;
    }
    let ring = marker(7.0, scale);
    for p in pairs(o.marks) {
        for (colour, width) in [(Palette::BACKGROUND, 5.0), (Palette::INK, 2.5)] {
            ctx.plotting_area().draw(&Circle::new(
                p,
                ring,
                colour.stroke_width(line(width, scale)),
            ))?;
        }
    }
    Ok(super::plot_rect(&ctx))
}

/// RGBA pixels (row 0 at the top = largest z₂) for an n × n density laid out with row 0 the
/// smallest z₂: white at 0 through to the chapter's blue at the maximum.
pub fn density_rgba(values: &[f64], n: usize) -> Vec<u8> {
    let max = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let top = Palette::BLUE;
    let mut out = Vec::with_capacity(values.len() * 4);
    for row in values.chunks_exact(n.max(1)).rev() {
        for &v in row {
            let t = if max > 0.0 && v.is_finite() {
                (v / max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * t).round() as u8;
            out.extend_from_slice(&[mix(top.0), mix(top.1), mix(top.2), 255]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_image_is_flipped_and_scaled_to_the_maximum() {
        // Row 0 (smallest z₂) holds the maximum: it must come out as the image's last row.
        let img = density_rgba(&[2.0, 0.0, 0.0, 1.0], 2);
        assert_eq!(img.len(), 16);
        assert_eq!(
            &img[8..12],
            &[Palette::BLUE.0, Palette::BLUE.1, Palette::BLUE.2, 255]
        );
        assert_eq!(&img[12..16], &[255, 255, 255, 255]);
        // 1.0 is half the maximum: halfway between white and blue.
        let half = |c: u8| (255.0 + (f64::from(c) - 255.0) * 0.5).round() as u8;
        assert_eq!(
            &img[4..8],
            &[
                half(Palette::BLUE.0),
                half(Palette::BLUE.1),
                half(Palette::BLUE.2),
                255
            ]
        );
    }

    #[test]
    fn non_finite_and_all_zero_densities_are_white() {
        let img = density_rgba(&[f64::NAN, 0.0, f64::INFINITY, 0.0], 2);
        assert!(img.iter().all(|&b| b == 255));
    }

    #[test]
    fn ellipse_outline_has_the_semi_axes() {
        let pts = ellipse_points((1.0, -1.0), (2.0, 0.5));
        let max_x = pts.iter().map(|p| p.0).fold(f64::MIN, f64::max);
        let min_y = pts.iter().map(|p| p.1).fold(f64::MAX, f64::min);
        assert!((max_x - 3.0).abs() < 1e-12);
        assert!((min_y + 1.5).abs() < 1e-3);
    }
}
