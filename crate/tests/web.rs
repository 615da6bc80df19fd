//! The wasm boundary in headless Chromium: charts draw on a real canvas, and bad input comes
//! back as a JS `Error` instead of a panic.
#![cfg(target_arch = "wasm32")]

use elbo_lab::wasm::{charts, info};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

/// The canvas's 2-D context.
fn context(canvas: &HtmlCanvasElement) -> CanvasRenderingContext2d {
    canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap()
}

/// Number of pixels whose colour is (close to) `rgb`.
fn count_pixels(canvas: &HtmlCanvasElement, rgb: [u8; 3]) -> usize {
    let data = context(canvas)
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data();
    data.chunks(4)
        .filter(|px| px[..3].iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) <= 8))
        .count()
}

const BLUE: [u8; 3] = [0x25, 0x63, 0xeb];

/// A JS array of strings, as the chart functions take their labels.
fn strs(xs: &[&str]) -> JsValue {
    xs.iter()
        .map(|x| JsValue::from_str(x))
        .collect::<js_sys::Array>()
        .into()
}

/// Draws bars with values `p` on `c` (blue, axis 0..1), as the whole chart or as an overlay.
fn bars(c: &HtmlCanvasElement, p: &[f64], overlay: bool) -> Vec<f64> {
    charts::draw_bars(
        c.clone(),
        strs(&["a", "b"]),
        p,
        strs(&["blue"]),
        0.0,
        1.0,
        "p".into(),
        -1,
        f64::NAN,
        "".into(),
        false,
        1.0,
        Some(overlay),
    )
    .unwrap()
}

#[wasm_bindgen_test]
fn bar_overlay_draws_only_the_bars_over_what_the_canvas_holds() {
    // The whole chart, then an overlay in the same plotting area: the overlay keeps what is under
    // it (no background, no axes drawn again) and adds the new bars.
    let whole = canvas(400, 300);
    let rect = bars(&whole, &[0.2, 0.2], false);
    let ctx = context(&whole);
    ctx.set_fill_style_str("rgb(255, 0, 0)");
    ctx.fill_rect(0.0, 0.0, 400.0, 300.0);
    assert_eq!(count_pixels(&whole, BLUE), 0);
    assert_eq!(bars(&whole, &[0.5, 0.25], true), rect, "same plotting area");
    let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
    let blue = count_pixels(&whole, BLUE) as f64;
    let expected = 0.3 * w * h;
    assert!(
        (blue - expected).abs() < 0.05 * expected,
        "blue {blue} vs {expected}"
    );
    let red = count_pixels(&whole, [255, 0, 0]) as f64;
    assert!(
        red > 400.0 * 300.0 - blue - 0.1 * w * h,
        "the overlay painted over the background: red {red}"
    );
}

#[wasm_bindgen_test]
fn bars_cover_the_area_their_probabilities_say() {
    let c = canvas(400, 300);
    assert_eq!(count_pixels(&c, BLUE), 0);
    let rect = bars(&c, &[0.2, 0.8], false);
    let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
    assert!(w > 200.0 && h > 150.0, "plot area {rect:?}");
    // Two bars, each 0.8 of a column wide, heights 0.2 and 0.8 of the plot: area ≈ 0.4 w·h.
    let expected = 0.4 * w * h;
    let blue = count_pixels(&c, BLUE) as f64;
    assert!(
        (blue - expected).abs() < 0.05 * expected,
        "blue {blue} vs {expected}"
    );
    // Redrawing with other values repaints: heights 0.5 and 0.25 cover ≈ 0.3 w·h.
    bars(&c, &[0.5, 0.25], false);
    let blue2 = count_pixels(&c, BLUE) as f64;
    let expected2 = 0.3 * w * h;
    assert!(
        (blue2 - expected2).abs() < 0.05 * expected2,
        "blue {blue2} vs {expected2}"
    );
}

#[wasm_bindgen_test]
fn information_curve_draws_its_markers() {
    let c = canvas(500, 300);
    let labels = strs(&["p", "I", "p1", "p2", "p12", "I(1)"]);
    charts::draw_information(c.clone(), 2.0, 0.25, 0.5, labels.clone(), 2.0).unwrap();
    assert!(count_pixels(&c, BLUE) > 50, "the blue p₁ marker is drawn");
    let err = charts::draw_information(c.clone(), 2.0, 0.0, 0.5, labels.clone(), 1.0).unwrap_err();
    let message = JsValue::from(err);
    let text = js_sys::Error::from(message).message().as_string().unwrap();
    assert!(text.contains("prob is 0"), "{text}");
    assert!(charts::draw_information(c, 2.0, 0.5, 0.5, strs(&["p", "I", "p1"]), 1.0).is_err());
}

#[wasm_bindgen_test]
fn bad_input_becomes_an_error_not_a_panic() {
    let err = info::entropy(JsValue::from_str("nope"), None).unwrap_err();
    let text = js_sys::Error::from(JsValue::from(err))
        .message()
        .as_string()
        .unwrap();
    assert!(text.contains("must be an array of numbers"), "{text}");
    let p = js_sys::Array::of2(&0.5.into(), &0.5.into());
    assert_eq!(info::entropy(p.into(), Some(2.0)).unwrap(), 1.0);
}

/// Pixel position of (μ, ln σ) on a landscape whose plotting area is `rect`.
fn landscape_px(rect: &[f64], mu: f64, log_sigma: f64) -> (f64, f64) {
    let grid = elbo_lab::wasm::mixture::MixtureFit::landscape_grid();
    let fx = (mu - grid[0]) / (grid[1] - grid[0]);
    let fy = (log_sigma - grid[2]) / (grid[3] - grid[2]);
    (
        rect[0] + fx * (rect[2] - rect[0]),
        rect[3] - fy * (rect[3] - rect[1]),
    )
}

/// Alpha of the pixel at (x, y).
fn alpha_at(canvas: &HtmlCanvasElement, (x, y): (f64, f64)) -> u8 {
    context(canvas)
        .get_image_data(x.round(), y.round(), 1.0, 1.0)
        .unwrap()
        .data()[3]
}

#[wasm_bindgen_test]
fn landscape_overlay_redraws_from_a_clear_canvas() {
    let c = canvas(400, 300);
    let rect = charts_overlay(&c, 2.0, 0.5);
    let ring = |(x, y): (f64, f64)| (x + 7.0, y);
    let first = ring(landscape_px(&rect, 2.0, 0.5));
    assert!(alpha_at(&c, first) > 0, "the current q is drawn");
    charts_overlay(&c, -3.0, -0.5);
    assert_eq!(alpha_at(&c, first), 0, "the previous frame's q is gone");
    assert!(alpha_at(&c, ring(landscape_px(&rect, -3.0, -0.5))) > 0);
}

/// Draws only the current q (a ring of radius 7 px around (μ, ln σ)) on the overlay.
fn charts_overlay(c: &HtmlCanvasElement, mu: f64, log_sigma: f64) -> Vec<f64> {
    elbo_lab::wasm::mixture::draw_landscape_overlay(c.clone(), &[], &[], mu, log_sigma, 1.0)
        .unwrap()
}

#[wasm_bindgen_test]
fn mixture_fit_reports_errors_and_results() {
    use elbo_lab::wasm::mixture::MixtureFit;
    let arr = |v: &[f64]| {
        JsValue::from(
            v.iter()
                .map(|&x| JsValue::from(x))
                .collect::<js_sys::Array>(),
        )
    };
    let err = MixtureFit::new(arr(&[0.5, 0.5]), arr(&[-3.0, 3.0]), arr(&[0.5, 0.0]))
        .err()
        .unwrap();
    let text = js_sys::Error::from(JsValue::from(err))
        .message()
        .as_string()
        .unwrap();
    assert!(text.contains("sigmas"), "{text}");
    let fit = MixtureFit::new(arr(&[0.5, 0.5]), arr(&[-3.0, 3.0]), arr(&[0.5, 0.5])).unwrap();
    assert!((fit.variance() - 9.25).abs() < 1e-12);
    // One optimum per mode, and (for this symmetric p) a wide q straddling both, with a
    // much larger KL: reverse KL has several local minima.
    let optima = fit.fit_reverse().unwrap();
    assert_eq!(optima.len(), 9, "{optima:?}");
    assert!((optima[0].abs() - 3.0).abs() < 1e-6 && (optima[3].abs() - 3.0).abs() < 1e-6);
    assert!(
        optima[6].abs() < 1e-6 && optima[8] > optima[2],
        "{optima:?}"
    );
}

/// The error's `code`, read as JS sees it.
fn code_of(err: elbo_lab::wasm::error::ApiError) -> (String, String) {
    let js = JsValue::from(err);
    let code = js_sys::Reflect::get(&js, &"code".into()).unwrap();
    let message = js_sys::Error::from(js).message();
    (code.as_string().unwrap(), message.as_string().unwrap())
}

/// True wasm32: a usize has 32 bits, so 65 536² = 2³² would wrap round to 0 and let an empty
/// input pass as an n × n image or a categories × colours table.
#[wasm_bindgen_test]
fn sizes_at_the_32_bit_edges_are_refused() {
    use elbo_lab::wasm::latent::density_image;
    assert_eq!(usize::BITS, 32, "these checks are about wasm32");
    let empty = || JsValue::from(js_sys::Float64Array::new_with_length(0));
    for n in [65_536.0, 4_294_967_296.0, 4_294_967_297.0, 1e300] {
        let (code, message) = code_of(density_image(empty(), n).unwrap_err());
        assert_eq!(code, "whole-number", "{message}");
    }
    let (code, _) = code_of(density_image(empty(), 4096.0).unwrap_err());
    assert_eq!(code, "density-values");
    let many: Vec<&str> = vec!["blue"; 65_536];
    let err = charts::draw_bars(
        canvas(10, 10),
        strs(&many),
        &[],
        strs(&many),
        0.0,
        1.0,
        "".into(),
        -1,
        f64::NAN,
        "".into(),
        false,
        1.0,
        None,
    )
    .unwrap_err();
    assert_eq!(code_of(err).0, "bar-values");
}

#[wasm_bindgen_test]
fn huge_numbers_read_as_exponents_and_ranges_are_named() {
    use elbo_lab::wasm::mixture::MixtureFit;
    let one = |x: f64| JsValue::from(js_sys::Array::of1(&x.into()));
    let (code, message) = code_of(
        MixtureFit::new(one(1.0), one(0.0), one(1e300))
            .err()
            .unwrap(),
    );
    assert_eq!(code, "mixture-sigma");
    assert!(
        message.starts_with("sigmas[0] is 1e+300: it must lie in [0.05, 10]"),
        "{message}"
    );
}

/// A chart drawn in two layers (the whole chart with the fixed curve, then the moving curve
/// as an overlay over a copy of it) has the plotting area of the one-call chart, and the
/// overlay draws its curve without wiping what the canvas held.
#[wasm_bindgen_test]
fn a_curve_overlay_keeps_the_frame_under_it() {
    const ORANGE: [u8; 3] = [0xea, 0x58, 0x0c];
    let xs: Vec<f64> = (0..=100).map(|i| -4.0 + 0.08 * i as f64).collect();
    let p: Vec<f64> = xs.iter().map(|x| (-0.5 * x * x).exp()).collect();
    let q: Vec<f64> = xs
        .iter()
        .map(|x| (-2.0 * (x - 1.0).powi(2)).exp())
        .collect();
    let ranges = [-4.0, 4.0, 0.0, 1.2];
    let labels = || strs(&["z", "density", ""]);
    let whole = canvas(400, 300);
    let both = [p.as_slice(), q.as_slice()].concat();
    let rect = charts::draw_curves(
        whole.clone(),
        &xs,
        &both,
        strs(&["blue", "orange"]),
        vec![1, 0],
        &[],
        strs(&[]),
        strs(&[]),
        f64::NAN,
        &ranges,
        labels(),
        1.0,
        None,
    )
    .unwrap();
    let layered = canvas(400, 300);
    charts::draw_curves(
        layered.clone(),
        &xs,
        &p,
        strs(&["blue"]),
        vec![1],
        &[],
        strs(&[]),
        strs(&[]),
        f64::NAN,
        &ranges,
        labels(),
        1.0,
        None,
    )
    .unwrap();
    let blue = count_pixels(&layered, BLUE);
    assert!(blue > 100, "the fixed curve is drawn: {blue} px");
    assert_eq!(count_pixels(&layered, ORANGE), 0);
    let top = charts::draw_curves(
        layered.clone(),
        &xs,
        &q,
        strs(&["orange"]),
        vec![0],
        &[],
        strs(&[]),
        strs(&[]),
        f64::NAN,
        &ranges,
        labels(),
        1.0,
        Some(true),
    )
    .unwrap();
    assert_eq!(top, rect, "the overlay's plotting area is the chart's");
    let orange = count_pixels(&layered, ORANGE);
    assert!(orange > 100, "the overlay draws its curve: {orange} px");
    assert!(
        count_pixels(&layered, BLUE) > blue / 2,
        "the frame under the overlay stays"
    );
    let expected = count_pixels(&whole, ORANGE);
    assert!(
        orange.abs_diff(expected) <= expected / 10,
        "as much orange as the one-call chart: {orange} vs {expected}"
    );
}

#[wasm_bindgen_test]
fn a_dashed_marker_keeps_its_gaps_and_colour() {
    // The backend strokes the dashes of one style as one path: still dashes, in the marker's colour.
    const PURPLE: [u8; 3] = [0x7c, 0x3a, 0xed];
    let c = canvas(400, 300);
    let xs = [-1.0, 0.0, 1.0];
    let rect = charts::draw_curves(
        c.clone(),
        &xs,
        &[0.2, 0.9, 0.2],
        strs(&["blue"]),
        vec![0],
        &[0.0],
        strs(&["purple"]),
        strs(&[""]),
        0.5,
        &[-1.0, 1.0, 0.0, 1.0],
        strs(&["x", "y", ""]),
        1.0,
        None,
    )
    .unwrap();
    let ctx = context(&c);
    let x = ((rect[0] + rect[2]) / 2.0).round();
    let (top, bottom) = (rect[1] + 4.0, rect[3] - 4.0);
    let strip = ctx
        .get_image_data(x - 3.0, top, 6.0, bottom - top)
        .unwrap()
        .data();
    // A row is inked if any of its 6 pixels is purple; count the inked rows and the dashes.
    let inked: Vec<bool> = strip
        .chunks(6 * 4)
        .map(|row| {
            row.chunks(4)
                .any(|px| px[..3].iter().zip(PURPLE).all(|(&a, b)| a.abs_diff(b) <= 8))
        })
        .collect();
    let dashes = inked.windows(2).filter(|w| w[1] && !w[0]).count();
    let share = inked.iter().filter(|&&i| i).count() as f64 / inked.len() as f64;
    // Dashes of 5 px with gaps of 3 px: about 5/8 of the rows, one dash per 8 px.
    assert!(
        dashes as f64 > 0.8 * inked.len() as f64 / 8.0,
        "{dashes} dashes over {} px",
        inked.len()
    );
    assert!((0.45..0.8).contains(&share), "{share} of the rows inked");
    assert!(count_pixels(&c, BLUE) > 100, "the curve is drawn too");
}
