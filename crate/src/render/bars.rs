//! A bar chart with one or more series per category: the entropy widget's draggable
//! distribution, its per-outcome contributions, and Huffman code lengths.

use super::style::{Palette, anchored, axis_title, px, text};
use super::{Area, DrawResult, PlotRect};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One series of bars: a value per category.
pub struct Series<'a> {
    pub values: &'a [f64],
    pub color: RGBColor,
}

/// A dashed horizontal line across the chart, with a label at its right end.
pub struct Reference<'a> {
    pub y: f64,
    pub label: &'a str,
}

/// What to draw. Category i occupies x ∈ [i, i + 1); its bars share the middle 80 %.
pub struct BarChart<'a> {
    pub categories: &'a [String],
    pub series: &'a [Series<'a>],
    /// Top of the y axis; values above it are drawn clipped at the top.
    pub y_max: f64,
    pub y_desc: &'a str,
    /// Category drawn with a thick outline (the focused or dragged bar).
    pub highlight: Option<usize>,
    pub reference: Option<Reference<'a>>,
    /// Print each bar's value above it (skipped when bars are too narrow).
    pub value_labels: bool,
}

/// Draws `chart` filling `root` and returns the plotting area's pixel rectangle.
pub fn bar_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    chart: &BarChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let n = chart.categories.len().max(1);
    let y_max = if chart.y_max.is_finite() && chart.y_max > 0.0 {
        chart.y_max
    } else {
        1.0
    };
    let mut ctx = ChartBuilder::on(root)
        .margin_top(px(18.0, scale))
        .margin_right(px(12.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(24.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d(0.0..n as f64, 0.0..y_max)?;
    ctx.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_desc(chart.y_desc)
        .label_style(text(scale))
        .axis_desc_style(axis_title(scale))
        .max_light_lines(0)
        .bold_line_style(Palette::GRID)
        .axis_style(Palette::MUTED)
        .draw()?;

    let k = chart.series.len().max(1) as f64;
    let width = 0.8 / k;
    for (s, series) in chart.series.iter().enumerate() {
        let bars = series.values.iter().take(n).enumerate().map(|(i, &v)| {
            let x0 = i as f64 + 0.1 + s as f64 * width;
            Rectangle::new(
                [(x0, 0.0), (x0 + width, v.clamp(0.0, y_max))],
                series.color.filled(),
            )
        });
        ctx.draw_series(bars)?;
    }
    if let Some(i) = chart.highlight.filter(|&i| i < n) {
        let top = chart
            .series
            .iter()
            .filter_map(|s| s.values.get(i))
            .fold(0.0f64, |a, &b| a.max(b));
        let outline = Rectangle::new(
            [
                (i as f64 + 0.05, 0.0),
                (i as f64 + 0.95, top.clamp(0.0, y_max)),
            ],
            Palette::INK.stroke_width(px(2.5, scale)),
        );
        ctx.draw_series(std::iter::once(outline))?;
    }
    if let Some(r) = &chart.reference {
        let line = DashedLineSeries::new(
            [(0.0, r.y), (n as f64, r.y)],
            px(6.0, scale),
            px(4.0, scale),
            Palette::MUTED.stroke_width(px(1.0, scale)),
        );
        ctx.draw_series(line)?;
        let (x, y) = ctx.backend_coord(&(n as f64, r.y));
        let style = anchored(axis_title(scale), HPos::Right, VPos::Bottom);
        root.draw(&Text::new(
            r.label.to_string(),
            (x - px(4.0, scale) as i32, y - 2),
            style,
        ))?;
    }

    // Category names under the axis, and values above the bars, in pixels on the root
    // area so they are not clipped by the plotting area.
    let label = anchored(text(scale), HPos::Center, VPos::Top);
    for (i, name) in chart.categories.iter().enumerate() {
        let (x, y) = ctx.backend_coord(&(i as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            name.clone(),
            (x, y + px(5.0, scale) as i32),
            label.clone(),
        ))?;
    }
    let (xr, yr) = ctx.plotting_area().get_pixel_range();
    let bar_px = (xr.end - xr.start) as f64 / n as f64 * width;
    if chart.value_labels && bar_px >= 30.0 * scale {
        // Inside the top of the bar when it is tall enough (clear of the reference label),
        // otherwise just above it.
        let inside = anchored(
            text(scale).color(&Palette::BACKGROUND),
            HPos::Center,
            VPos::Top,
        );
        let above = anchored(text(scale), HPos::Center, VPos::Bottom);
        let room = px(20.0, scale) as i32;
        for (s, series) in chart.series.iter().enumerate() {
            for (i, &v) in series.values.iter().take(n).enumerate() {
                let x = i as f64 + 0.1 + (s as f64 + 0.5) * width;
                let (bx, by) = ctx.backend_coord(&(x, v.clamp(0.0, y_max)));
                let (_, base) = ctx.backend_coord(&(x, 0.0));
                let label = format!("{v:.3}");
                if base - by >= room {
                    root.draw(&Text::new(label, (bx, by + 3), inside.clone()))?;
                } else {
                    root.draw(&Text::new(label, (bx, by - 3), above.clone()))?;
                }
            }
        }
    }
    Ok([
        xr.start as f64,
        yr.start as f64,
        xr.end as f64,
        yr.end as f64,
    ])
}
