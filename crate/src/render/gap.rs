//! The ELBO gap as one bar on a number line: log p(x) = ELBO(q) + KL(q ‖ p(z | x)).

use super::style::{Palette, anchored, line, px, text};
use super::{Area, DrawResult, PlotRect};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The texts of the gap bar: axis title and the three labels.
pub struct GapLabels<'a> {
    pub x_desc: &'a str,
    pub elbo: &'a str,
    pub kl: &'a str,
    pub evidence: &'a str,
}

/// Right margin beyond log p(x), as a fraction of the span from `x_min` to log p(x).
const RIGHT_PAD: f64 = 0.12;

/// Draws a bar from `x_min` to `elbo` (blue, ELBO) and on from `elbo` to `log_evidence`
/// (purple, KL), with log p(x) as a fixed dashed line. `x_min` should stay fixed while q
/// moves, so the whole bar keeps its length while its parts trade. Returns the plot rect.
/// With `overlay`, only the bar's parts and the dashed line, over what `root` holds: the bar
/// always spans `x_min` to log p(x), so it covers the parts of the same chart drawn before
/// (at another ELBO), whose axes, title and log p(x) label a page keeps as an image.
pub fn gap_bar<DB: DrawingBackend>(
    root: &Area<DB>,
    log_evidence: f64,
    elbo: f64,
    x_min: f64,
    labels: &GapLabels,
    scale: f64,
    overlay: bool,
) -> DrawResult<PlotRect, DB> {
    let elbo = elbo.min(log_evidence);
    segmented_bar(
        root,
        log_evidence,
        x_min.min(elbo),
        &[
            (elbo, Palette::BLUE, labels.elbo),
            (log_evidence, Palette::PURPLE, labels.kl),
        ],
        (labels.x_desc, labels.evidence),
        scale,
        overlay,
    )
}

/// The texts of the two-part gap bar: axis title, ELBO(q_φ), the amortisation gap, the
/// approximation gap and log p(x).
pub struct GapPartsLabels<'a> {
    pub x_desc: &'a str,
    pub elbo: &'a str,
    pub amortisation: &'a str,
    pub approximation: &'a str,
    pub evidence: &'a str,
}

/// The gap split in two (Cremer, Li & Duvenaud 2018): ELBO(q_φ) (blue) up to `elbo`, the
/// amortisation gap (orange) on to `elbo_star` = ELBO(q*), the approximation gap (purple) on
/// to log p(x). Monte Carlo estimates may cross by their noise: the boundaries are clamped
/// into order for the picture (the readouts show the numbers as estimated).
pub fn gap_parts_bar<DB: DrawingBackend>(
    root: &Area<DB>,
    log_evidence: f64,
    elbo: f64,
    elbo_star: f64,
    x_min: f64,
    labels: &GapPartsLabels,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let elbo = elbo.min(log_evidence);
    let elbo_star = elbo_star.max(elbo).min(log_evidence);
    segmented_bar(
        root,
        log_evidence,
        x_min.min(elbo),
        &[
            (elbo, Palette::BLUE, labels.elbo),
            (elbo_star, Palette::ORANGE, labels.amortisation),
            (log_evidence, Palette::PURPLE, labels.approximation),
        ],
        (labels.x_desc, labels.evidence),
        scale,
        false,
    )
}

/// One bar from `x_min` through consecutive segments, each ending at its first number
/// (non-decreasing, the last = `log_evidence`), labelled inside where the label fits, and
/// log p(x) as a dashed line labelled `texts.1`; `texts.0` is the axis title. With `overlay`,
/// only the segments and the dashed line (see [`gap_bar`]).
fn segmented_bar<DB: DrawingBackend>(
    root: &Area<DB>,
    log_evidence: f64,
    x_min: f64,
    segments: &[(f64, RGBColor, &str)],
    (x_desc, evidence): (&str, &str),
    scale: f64,
    overlay: bool,
) -> DrawResult<PlotRect, DB> {
    if !overlay {
        root.fill(&Palette::BACKGROUND)?;
    }
    let x_min = x_min.min(log_evidence - 1e-6);
    let span = log_evidence - x_min;
    let x_max = log_evidence + RIGHT_PAD * span;
    let mut ctx = ChartBuilder::on(root)
        .margin_top(px(22.0, scale))
        .margin_right(px(16.0, scale))
        .margin_left(px(16.0, scale))
        .x_label_area_size(px(36.0, scale))
        .build_cartesian_2d(x_min..x_max, 0.0..1.0)?;
    if !overlay {
        mesh!(ctx, scale)
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(7)
            .x_desc(x_desc)
            .draw()?;
    }
    let (y0, y1) = (0.2, 0.8);
    let mut a = x_min;
    for &(b, color, label) in segments {
        let b = b.max(a).min(log_evidence);
        super::labelled_box(root, &mut ctx, (a, b), (y0, y1), color, label, 7.5, scale)?;
        a = b;
    }
    ctx.draw_series(DashedLineSeries::new(
        [(log_evidence, 0.0), (log_evidence, 1.0)],
        px(5.0, scale),
        px(3.0, scale),
        Palette::INK.stroke_width(line(2.0, scale)),
    ))?;
    if !overlay {
        let (ex, top) = ctx.backend_coord(&(log_evidence, 1.0));
        root.draw(&Text::new(
            evidence.to_string(),
            (ex, top - px(4.0, scale) as i32),
            anchored(text(scale), HPos::Right, VPos::Bottom),
        ))?;
    }
    Ok(super::plot_rect(&ctx))
}
