//! Drawing the charts onto a page's `<canvas>`; each returns the plotting area's pixel
//! rectangle `[left, top, right, bottom]` so the page can map pointer positions to values.

use super::canvas::Canvas;
use super::convert::{text, texts};
use super::error::{ApiError, BoundaryCode};
use crate::math::information::info;
use crate::render::{
    self, BarChart, Curve, CurveChart, InformationChart, Marker, Palette, Reference, Segment,
    Series, StackedBar,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// The canvas as a plotters drawing area (strokes batched: see [`Canvas`]).
pub(super) fn area(canvas: HtmlCanvasElement) -> Result<DrawingArea<Canvas, Shift>, ApiError> {
    Canvas::new(canvas)
        .map(IntoDrawingArea::into_drawing_area)
        .ok_or_else(|| ApiError::new(BoundaryCode::NoContext))
}

/// Draws one chart on `canvas`: `chart` gets the drawing area and the checked device-pixel
/// `scale`, and returns its plotting area, which is handed back to the page.
pub(super) fn draw(
    canvas: HtmlCanvasElement,
    scale: f64,
    chart: impl FnOnce(&DrawingArea<Canvas, Shift>, f64) -> render::DrawResult<render::PlotRect, Canvas>,
) -> Result<Vec<f64>, ApiError> {
    let root = area(canvas)?;
    let rect = chart(&root, scale_or_one(scale)).map_err(drawing_failed)?;
    root.present().map_err(drawing_failed)?;
    Ok(rect.to_vec())
}

pub(super) fn scale_or_one(scale: f64) -> f64 {
    if scale.is_finite() && scale > 0.0 {
        scale.min(8.0)
    } else {
        1.0
    }
}

pub(super) fn drawing_failed<E: std::fmt::Debug>(e: E) -> ApiError {
    ApiError::new(BoundaryCode::DrawingFailed).with("detail", format!("{e:?}"))
}

/// Draws I(p) = −log_b p with events p₁, p₂ (each in (0, 1]) and their joint event p₁·p₂.
/// `labels`: x-axis title, y-axis title, then marker labels for p₁, p₂, p₁p₂ and (1, 0).
#[wasm_bindgen(js_name = drawInformation)]
pub fn draw_information(
    canvas: HtmlCanvasElement,
    base: f64,
    p1: f64,
    p2: f64,
    #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    let labels = texts(&labels, "labels")?;
    info::information(p1, base)?;
    info::information(p2, base)?;
    let [x_desc, y_desc, l1, l2, l12, l0] = labels.as_slice() else {
        return Err(ApiError::new(BoundaryCode::LabelCount).with("count", 6));
    };
    let chart = InformationChart {
        base,
        p1,
        p2,
        x_desc,
        y_desc,
        labels: [l1, l2, l12, l0],
    };
    draw(canvas, scale, |root, scale| {
        render::information_chart(root, &chart, scale)
    })
}

/// Draws bars: `values` holds one row of `categories.len()` values per entry of `colors`
/// ("blue", "orange", "green", "purple", "muted"); +∞ is drawn to the top and labelled.
/// The y axis spans [`y_min`, `y_max`] (y_min ≤ 0). `highlight` < 0 means none; a NaN
/// `reference_y` means no reference line. With `overlay` true, only the bars, the outline, the
/// reference line and the value labels, over what the canvas already holds (no background,
/// axes or category names), in the plotting area the same chart without it gives: a page keeps
/// the rest (drawn with no `colors`, no `values` and no reference) as an image.
#[wasm_bindgen(js_name = drawBars)]
#[allow(clippy::too_many_arguments)]
pub fn draw_bars(
    canvas: HtmlCanvasElement,
    #[wasm_bindgen(unchecked_param_type = "string[]")] categories: JsValue,
    values: &[f64],
    #[wasm_bindgen(unchecked_param_type = "string[]")] colors: JsValue,
    y_min: f64,
    y_max: f64,
    #[wasm_bindgen(unchecked_param_type = "string")] y_desc: JsValue,
    highlight: i32,
    reference_y: f64,
    #[wasm_bindgen(unchecked_param_type = "string")] reference_label: JsValue,
    value_labels: bool,
    scale: f64,
    overlay: Option<bool>,
) -> Result<Vec<f64>, ApiError> {
    let categories = texts(&categories, "categories")?;
    let colors = texts(&colors, "colors")?;
    let y_desc = &text(&y_desc, "y_desc")?;
    let reference_label = &text(&reference_label, "reference_label")?;
    let n = categories.len();
    // Checked: on wasm32, 65 536 categories × 65 536 colours wraps round to 0.
    if n == 0 || n.checked_mul(colors.len()) != Some(values.len()) {
        return Err(ApiError::new(BoundaryCode::BarValues)
            .with("series", colors.len())
            .with("categories", n)
            .with("len", values.len()));
    }
    let series: Vec<Series> = colors
        .iter()
        .zip(values.chunks(n))
        .map(|(c, v)| Series {
            values: v,
            color: Palette::named(c),
        })
        .collect();
    let chart = BarChart {
        categories: &categories,
        series: &series,
        y_min,
        y_max,
        y_desc,
        highlight: usize::try_from(highlight).ok(),
        reference: reference_y.is_finite().then_some(Reference {
            y: reference_y,
            label: reference_label,
        }),
        value_labels,
    };
    draw(canvas, scale, |root, scale| {
        if overlay.unwrap_or(false) {
            render::bar_overlay(root, &chart, scale)
        } else {
            render::bar_chart(root, &chart, scale)
        }
    })
}

/// Draws horizontal stacked bars, one per title; `values`, `colors` and `labels` hold
/// `parts` entries per bar, left to right. Infinite values run to the edge, labelled ∞.
#[wasm_bindgen(js_name = drawStacked)]
pub fn draw_stacked(
    canvas: HtmlCanvasElement,
    #[wasm_bindgen(unchecked_param_type = "string[]")] titles: JsValue,
    values: &[f64],
    #[wasm_bindgen(unchecked_param_type = "string[]")] colors: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] x_desc: JsValue,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    let titles = texts(&titles, "titles")?;
    let colors = texts(&colors, "colors")?;
    let labels = texts(&labels, "labels")?;
    let x_desc = &text(&x_desc, "x_desc")?;
    let parts = values.len() / titles.len().max(1);
    if titles.is_empty()
        || parts == 0
        || values.len() != titles.len() * parts
        || colors.len() != values.len()
        || labels.len() != values.len()
    {
        return Err(ApiError::new(BoundaryCode::StackedParts));
    }
    let bars: Vec<StackedBar> = titles
        .iter()
        .enumerate()
        .map(|(r, title)| StackedBar {
            title,
            segments: (r * parts..(r + 1) * parts)
                .map(|k| Segment {
                    value: values[k],
                    color: Palette::named(&colors[k]),
                    label: &labels[k],
                })
                .collect(),
        })
        .collect();
    draw(canvas, scale, |root, scale| {
        render::stacked_bars(root, &bars, x_desc, scale)
    })
}

/// Draws curves on one chart. `xs` holds one x grid shared by every curve; `ys` holds
/// `colors.len()` rows of `xs.len()` values (non-finite values are skipped); `filled[i]`
/// shades below curve i. `markers` are vertical lines: `marker_xs[i]`, `marker_colors[i]`,
/// `marker_labels[i]`. A NaN `reference_y` means no horizontal reference line.
/// `ranges` = [x min, x max, y min, y max]; `labels` = [x title, y title, reference label].
/// With `overlay` true, the curves go over what the canvas already holds: no background and no
/// axes, in the plotting area the same chart without it gives. A page draws the fixed part of a
/// chart once (kept as an image) and, each frame, copies it in and draws only the moving curves.
#[wasm_bindgen(js_name = drawCurves)]
#[allow(clippy::too_many_arguments)]
pub fn draw_curves(
    canvas: HtmlCanvasElement,
    xs: &[f64],
    ys: &[f64],
    #[wasm_bindgen(unchecked_param_type = "string[]")] colors: JsValue,
    filled: Vec<u8>,
    marker_xs: &[f64],
    #[wasm_bindgen(unchecked_param_type = "string[]")] marker_colors: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] marker_labels: JsValue,
    reference_y: f64,
    ranges: &[f64],
    #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    scale: f64,
    overlay: Option<bool>,
) -> Result<Vec<f64>, ApiError> {
    let overlay = overlay.unwrap_or(false);
    let colors = texts(&colors, "colors")?;
    let marker_colors = texts(&marker_colors, "marker_colors")?;
    let marker_labels = texts(&marker_labels, "marker_labels")?;
    let labels = texts(&labels, "labels")?;
    let n = xs.len();
    if n.checked_mul(colors.len()) != Some(ys.len()) || filled.len() != colors.len() {
        return Err(ApiError::new(BoundaryCode::CurveValues)
            .with("series", colors.len())
            .with("n", n));
    }
    if marker_colors.len() != marker_xs.len() || marker_labels.len() != marker_xs.len() {
        return Err(ApiError::new(BoundaryCode::MarkerLengths));
    }
    let ([x0, x1, y0, y1], [x_desc, y_desc, ref_label]) = (ranges, labels.as_slice()) else {
        return Err(ApiError::new(BoundaryCode::CurveRanges));
    };
    let rows: Vec<Vec<(f64, f64)>> = (0..colors.len())
        .map(|r| {
            xs.iter()
                .copied()
                .zip(ys[r * n..(r + 1) * n].iter().copied())
                .collect()
        })
        .collect();
    let curves: Vec<Curve> = rows
        .iter()
        .zip(&colors)
        .zip(&filled)
        .map(|((points, c), &f)| Curve {
            points,
            color: Palette::named(c),
            filled: f != 0,
        })
        .collect();
    let markers: Vec<Marker> = (0..marker_xs.len())
        .map(|i| Marker {
            x: marker_xs[i],
            color: Palette::named(&marker_colors[i]),
            label: &marker_labels[i],
        })
        .collect();
    let chart = CurveChart {
        x_range: (*x0, *x1),
        y_range: (*y0, *y1),
        x_desc,
        y_desc,
        curves: &curves,
        markers: &markers,
        reference: reference_y
            .is_finite()
            .then_some((reference_y, ref_label.as_str())),
    };
    draw(canvas, scale, |root, scale| {
        if overlay {
            render::curve_overlay(root, &chart, scale)
        } else {
            render::curve_chart(root, &chart, scale)
        }
    })
}

/// Draws the ELBO gap bar: ELBO (blue) from `x_min` to `elbo`, KL (purple) from `elbo` to
/// `log_evidence` (dashed line). `labels` = [x title, ELBO label, KL label, log p(x) label].
/// With `overlay` true, only the bar's two parts and the dashed line, over what the canvas
/// holds: the same chart drawn before at another ELBO (the bar always spans `x_min` to
/// `log_evidence`, so it covers the old parts), which a page keeps as an image for its axes.
#[wasm_bindgen(js_name = drawGapBar)]
pub fn draw_gap_bar(
    canvas: HtmlCanvasElement,
    log_evidence: f64,
    elbo: f64,
    x_min: f64,
    #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    scale: f64,
    overlay: Option<bool>,
) -> Result<Vec<f64>, ApiError> {
    let labels = texts(&labels, "labels")?;
    if !(log_evidence.is_finite() && elbo.is_finite() && x_min.is_finite()) {
        return Err(ApiError::new(BoundaryCode::GapNotFinite));
    }
    if elbo > log_evidence + 1e-9 {
        return Err(ApiError::new(BoundaryCode::ElboAboveEvidence));
    }
    let [x_desc, elbo_label, kl, evidence] = labels.as_slice() else {
        return Err(ApiError::new(BoundaryCode::LabelCount).with("count", 4));
    };
    let texts = render::GapLabels {
        x_desc,
        elbo: elbo_label,
        kl,
        evidence,
    };
    draw(canvas, scale, |root, scale| {
        render::gap_bar(
            root,
            log_evidence,
            elbo,
            x_min,
            &texts,
            scale,
            overlay.unwrap_or(false),
        )
    })
}

/// Draws the gap split in two: ELBO(q_φ) (blue) from `x_min` to `elbo`, the amortisation gap
/// (orange) on to `elbo_star` = ELBO(q*), the approximation gap (purple) on to `log_evidence`
/// (dashed line). Monte Carlo estimates may cross by their noise; the picture clamps them
/// into order. `labels` = [x title, ELBO, amortisation, approximation, log p(x) label].
#[wasm_bindgen(js_name = drawGapParts)]
#[allow(clippy::too_many_arguments)]
pub fn draw_gap_parts(
    canvas: HtmlCanvasElement,
    log_evidence: f64,
    elbo: f64,
    elbo_star: f64,
    x_min: f64,
    #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    let labels = texts(&labels, "labels")?;
    if ![log_evidence, elbo, elbo_star, x_min]
        .iter()
        .all(|v| v.is_finite())
    {
        return Err(ApiError::new(BoundaryCode::GapNotFinite));
    }
    let [x_desc, elbo_label, amortisation, approximation, evidence] = labels.as_slice() else {
        return Err(ApiError::new(BoundaryCode::LabelCount).with("count", 5));
    };
    let texts = render::GapPartsLabels {
        x_desc,
        elbo: elbo_label,
        amortisation,
        approximation,
        evidence,
    };
    draw(canvas, scale, |root, scale| {
        render::gap_parts_bar(root, log_evidence, elbo, elbo_star, x_min, &texts, scale)
    })
}

/// Sets the scale of the lines and markers of every chart drawn from now on (1 = the page's,
/// larger for a projector; text and margins keep their size). **Clamped** to [1, 4]; NaN or ±∞
/// leaves it unchanged. Returns the scale now in force.
#[wasm_bindgen(js_name = setChartLineScale)]
pub fn set_chart_line_scale(k: f64) -> f64 {
    render::set_line_scale(k)
}
