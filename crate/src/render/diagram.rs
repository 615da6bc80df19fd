//! The information diagram of two variables as aligned horizontal bars: H(X, Y) split into
//! H(X | Y), I(X; Y) and H(Y | X), with H(X), H(Y) and KL(p(x, y) ‖ p(x)p(y)) under it.

use super::style::{Palette, anchored, px, text};
use super::{Area, DrawResult, PlotRect};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// The three parts, in one unit, and the texts of the chart.
pub struct InformationDiagram<'a> {
    pub h_x_given_y: f64,
    pub mutual_information: f64,
    pub h_y_given_x: f64,
    /// Row titles: H(X, Y), H(X), H(Y), the KL row.
    pub titles: [&'a str; 4],
    /// Part labels: H(X | Y), I(X; Y), H(Y | X).
    pub labels: [&'a str; 3],
    pub x_desc: &'a str,
}

/// Draws the diagram; returns the plotting area's pixel rectangle.
pub fn information_diagram<DB: DrawingBackend>(
    root: &Area<DB>,
    d: &InformationDiagram,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let (a, i, b) = (
        d.h_x_given_y.max(0.0),
        d.mutual_information.max(0.0),
        d.h_y_given_x.max(0.0),
    );
    let total = a + i + b;
    let x_max = if total > 0.0 { total * 1.2 } else { 1.0 };
    let mut ctx = ChartBuilder::on(root)
        .margin_top(px(8.0, scale))
        .margin_right(px(16.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(36.0, scale))
        .y_label_area_size(px(110.0, scale))
        .build_cartesian_2d(0.0..x_max, 0.0..4.0)?;
    mesh!(ctx, scale)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(6)
        .x_desc(d.x_desc)
        .draw()?;
    let parts = [
        (0.0, a, Palette::BLUE, d.labels[0]),
        (a, a + i, Palette::PURPLE, d.labels[1]),
        (a + i, total, Palette::ORANGE, d.labels[2]),
    ];
    // Each row: which parts it holds.
    let rows: [&[usize]; 4] = [&[0, 1, 2], &[0, 1], &[1, 2], &[1]];
    for (r, held) in rows.iter().enumerate() {
        let (y0, y1) = (4.0 - r as f64 - 0.85, 4.0 - r as f64 - 0.15);
        for &k in held.iter() {
            let (x0, x1, color, label) = parts[k];
            super::labelled_box(root, &mut ctx, (x0, x1), (y0, y1), color, label, 8.0, scale)?;
        }
        let end = held.iter().map(|&k| parts[k].1).fold(0.0, f64::max);
        let value: f64 = held.iter().map(|&k| parts[k].1 - parts[k].0).sum();
        let (right, mid) = ctx.backend_coord(&(end, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            format!("{value:.3}"),
            (right + px(6.0, scale) as i32, mid),
            anchored(text(scale), HPos::Left, VPos::Center),
        ))?;
        let (left, _) = ctx.backend_coord(&(0.0, y0));
        root.draw(&Text::new(
            d.titles[r].to_string(),
            (left - px(6.0, scale) as i32, mid),
            anchored(text(scale), HPos::Right, VPos::Center),
        ))?;
    }
    Ok(super::plot_rect(&ctx))
}
