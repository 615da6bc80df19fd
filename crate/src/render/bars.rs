//! A bar chart with one or more series per category: the entropy widget's draggable
//! distribution, its per-outcome contributions, Huffman code lengths, and the KL terms
//! pᵢ log(pᵢ/qᵢ), which can be negative or infinite.

use super::style::{Palette, anchored, axis_title, line, px, text};
use super::{Area, Chart, DrawResult, PlotRect};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// One series of bars: a value per category. +∞ is drawn to the top edge and labelled "∞".
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
    /// The y axis range; bars start at 0 and are clipped to the range. `y_min` ≤ 0.
    pub y_min: f64,
    pub y_max: f64,
    pub y_desc: &'a str,
    /// Category drawn with a thick outline (the focused or dragged bar).
    pub highlight: Option<usize>,
    pub reference: Option<Reference<'a>>,
    /// Print each bar's value at its end (skipped when bars are too narrow).
    pub value_labels: bool,
}

/// A usable y range from the caller's: finite, y_min ≤ 0 < y_max.
fn y_range(chart: &BarChart) -> (f64, f64) {
    let y_min = if chart.y_min.is_finite() {
        chart.y_min.min(0.0)
    } else {
        0.0
    };
    let y_max = if chart.y_max.is_finite() && chart.y_max > 0.0 {
        chart.y_max
    } else {
        1.0
    };
    (y_min, y_max)
}

/// Draws `chart` filling `root` and returns the plotting area's pixel rectangle.
pub fn bar_chart<DB: DrawingBackend>(
    root: &Area<DB>,
    chart: &BarChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    root.fill(&Palette::BACKGROUND)?;
    let mut ctx = layout(root, chart, scale)?;
    let (y_min, _) = y_range(chart);
    mesh!(ctx, scale)
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_desc(chart.y_desc)
        .draw()?;
    let n = chart.categories.len().max(1);
    if y_min < 0.0 {
        let zero = [(0.0, 0.0), (n as f64, 0.0)];
        ctx.draw_series(LineSeries::new(
            zero,
            Palette::MUTED.stroke_width(line(1.0, scale)),
        ))?;
    }
    // Category names under the plot, drawn in pixels on the root area so the plotting area
    // does not clip them.
    let label = anchored(text(scale), HPos::Center, VPos::Top);
    for (i, name) in chart.categories.iter().enumerate() {
        let (x, y) = ctx.backend_coord(&(i as f64 + 0.5, y_min));
        root.draw(&Text::new(
            name.clone(),
            (x, y + px(5.0, scale) as i32),
            label.clone(),
        ))?;
    }
    bars(root, &mut ctx, chart, scale)
}

/// Draws the bars of `chart`, its outline, reference line and value labels over what `root`
/// already holds (no background, axes or category names), in the plotting area
/// [`bar_chart`] gives the same chart: the moving part of a bar chart whose axes the page
/// keeps as an image (drawn by [`bar_chart`] with no series and no reference).
pub fn bar_overlay<DB: DrawingBackend>(
    root: &Area<DB>,
    chart: &BarChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let mut ctx = layout(root, chart, scale)?;
    bars(root, &mut ctx, chart, scale)
}

/// The chart's coordinates: margins, label areas and ranges (the same for a chart and its overlay).
fn layout<'a, DB: DrawingBackend>(
    root: &Area<DB>,
    chart: &BarChart,
    scale: f64,
) -> DrawResult<Chart<'a, DB>, DB> {
    let n = chart.categories.len().max(1);
    let (y_min, y_max) = y_range(chart);
    ChartBuilder::on(root)
        .margin_top(px(18.0, scale))
        .margin_right(px(12.0, scale))
        .margin_left(px(4.0, scale))
        .x_label_area_size(px(24.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d(0.0..n as f64, y_min..y_max)
}

/// The bars, the outline, the reference line and the value labels.
fn bars<DB: DrawingBackend>(
    root: &Area<DB>,
    ctx: &mut Chart<'_, DB>,
    chart: &BarChart,
    scale: f64,
) -> DrawResult<PlotRect, DB> {
    let n = chart.categories.len().max(1);
    let (y_min, y_max) = y_range(chart);
    let clip = |v: f64| {
        if v.is_nan() {
            0.0
        } else {
            v.clamp(y_min, y_max)
        }
    };
    let k = chart.series.len().max(1) as f64;
    let width = 0.8 / k;
    let bar_x = |s: usize, i: usize| i as f64 + 0.1 + s as f64 * width;
    for (s, series) in chart.series.iter().enumerate() {
        let bars = series.values.iter().take(n).enumerate().map(|(i, &v)| {
            let x0 = bar_x(s, i);
            Rectangle::new([(x0, 0.0), (x0 + width, clip(v))], series.color.filled())
        });
        ctx.draw_series(bars)?;
    }
    if let Some(i) = chart.highlight.filter(|&i| i < n) {
        let values = chart
            .series
            .iter()
            .filter_map(|s| s.values.get(i).copied().map(clip));
        let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let outline = Rectangle::new(
            [(i as f64 + 0.05, lo), (i as f64 + 0.95, hi)],
            Palette::INK.stroke_width(line(2.5, scale)),
        );
        ctx.draw_series(std::iter::once(outline))?;
    }
    if let Some(r) = &chart.reference {
        let line = DashedLineSeries::new(
            [(0.0, r.y), (n as f64, r.y)],
            px(6.0, scale),
            px(4.0, scale),
            Palette::MUTED.stroke_width(line(1.0, scale)),
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

    // Values at the bar ends, drawn in pixels on the root area so the plotting area does not
    // clip them.
    let rect = super::plot_rect(ctx);
    let bar_px = (rect[2] - rect[0]) / n as f64 * width;
    for (s, series) in chart.series.iter().enumerate() {
        for (i, &v) in series.values.iter().take(n).enumerate() {
            let infinite = v == f64::INFINITY;
            if !(infinite || chart.value_labels && bar_px >= 30.0 * scale) {
                continue;
            }
            let x = bar_x(s, i) + 0.5 * width;
            let (bx, end) = ctx.backend_coord(&(x, clip(v)));
            let (_, base) = ctx.backend_coord(&(x, 0.0));
            let text_of = if infinite {
                "∞".to_string()
            } else {
                format!("{v:.3}")
            };
            root.draw(&value_label(text_of, bx, end, base, infinite, scale))?;
        }
    }
    Ok(rect)
}

/// A bar's value label: inside the bar's end when the bar is long enough (white), otherwise
/// just past its end; ∞ always sits inside the top, in bold.
fn value_label(
    s: String,
    x: i32,
    end: i32,
    base: i32,
    infinite: bool,
    scale: f64,
) -> Text<'static, (i32, i32), String> {
    let room = px(20.0, scale) as i32;
    let long = (base - end).abs() >= room;
    let up = end <= base; // a positive bar grows upwards (smaller pixel y)
    let (v, dy) = match (long || infinite, up) {
        (true, true) => (VPos::Top, 3),
        (true, false) => (VPos::Bottom, -3),
        (false, true) => (VPos::Bottom, -3),
        (false, false) => (VPos::Top, 3),
    };
    let color: &'static RGBColor = if long || infinite {
        &Palette::BACKGROUND
    } else {
        &Palette::INK
    };
    let mut style = anchored(text(scale).color(color), HPos::Center, v);
    if infinite {
        style = anchored(
            (super::style::FONT, 16.0 * scale)
                .into_font()
                .style(FontStyle::Bold)
                .color(color),
            HPos::Center,
            v,
        );
    }
    Text::new(s, (x, end + dy), style)
}
