//! Chapter 4's latent-plane charts and the PCA baseline.

use super::charts::draw;
use super::convert::text;
use super::convert::{floats, numbers, object, whole};
use super::error::{ApiError, BoundaryCode};
use crate::math::networks::pca::{Pca, reconstruction_errors};
use crate::render::{self, LatentOverlay};
use js_sys::{Float32Array, Float64Array};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Draws the latent plane's frame (background, axes over [−half, half]²) and returns the
/// plotting area, into which the page may blit `densityImage`.
#[wasm_bindgen(js_name = drawLatentFrame)]
pub fn draw_latent_frame(
    canvas: HtmlCanvasElement,
    half: f64,
    #[wasm_bindgen(unchecked_param_type = "string")] x_desc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] y_desc: JsValue,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    let x_desc = &text(&x_desc, "x_desc")?;
    let y_desc = &text(&y_desc, "y_desc")?;
    draw(canvas, scale, |root, scale| {
        render::latent_frame(root, half, x_desc, y_desc, scale)
    })
}

/// Draws, over what the canvas already holds, latent codes `points` (flattened z₁, z₂ pairs)
/// coloured by `classes` (0–9, or empty), ringed `marks`, a `path` and, when `ellipse` holds
/// [μ₁, μ₂, σ₁, σ₂], q(z | x)'s 1σ and 2σ ellipses (orange); with 8 numbers, the second four
/// are a fitted q* drawn the same way in green. Returns the plotting area.
#[wasm_bindgen(js_name = drawLatentOverlay)]
#[allow(clippy::too_many_arguments)]
pub fn draw_latent_overlay(
    canvas: HtmlCanvasElement,
    half: f64,
    points: &[f64],
    classes: &[u8],
    marks: &[f64],
    path: &[f64],
    ellipse: &[f64],
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    if !classes.is_empty() && classes.len().checked_mul(2) != Some(points.len()) {
        return Err(ApiError::new(BoundaryCode::ClassCount)
            .with("classes", classes.len())
            .with("pairs", points.len() / 2));
    }
    let gaussian = |g: &[f64]| -> Result<[f64; 4], ApiError> {
        match *g {
            [m1, m2, s1, s2] if g.iter().all(|v| v.is_finite()) => Ok([m1, m2, s1, s2]),
            _ => Err(ApiError::new(BoundaryCode::EllipseShape)),
        }
    };
    let (ellipse, fitted) = match ellipse.len() {
        0 => (None, None),
        4 => (Some(gaussian(ellipse)?), None),
        8 => (
            Some(gaussian(&ellipse[..4])?),
            Some(gaussian(&ellipse[4..])?),
        ),
        _ => return Err(ApiError::new(BoundaryCode::EllipseShape)),
    };
    let overlay = LatentOverlay {
        points,
        classes,
        marks,
        path,
        ellipse,
        fitted,
    };
    draw(canvas, scale, |root, scale| {
        render::latent_overlay(root, half, &overlay, scale)
    })
}

/// Largest side of a density image: 4096 (16 M pixels, 64 MB of RGBA).
pub const MAX_DENSITY_SIDE: usize = 4096;

/// RGBA pixels of an n × n density (row 0 = smallest z₂), white → blue, top row first.
#[wasm_bindgen(js_name = densityImage)]
pub fn density_image(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] values: JsValue,
    n: f64,
) -> Result<Vec<u8>, ApiError> {
    let values = &numbers(&values, "values")?;
    // A whole number checked as an f64: a usize parameter would take n modulo 2³², and on
    // wasm32 n × n (and the 4 × n × n bytes) would wrap round too.
    let n = whole(n, "n", 1.0, MAX_DENSITY_SIDE as f64)? as usize;
    if values.len() != n * n {
        return Err(ApiError::new(BoundaryCode::DensityValues)
            .with("len", values.len())
            .with("expected", n * n)
            .with("n", n));
    }
    Ok(render::density_rgba(values, n))
}

/// Most components `pcaBaseline` fits: the trainer's largest latent dimension.
pub const MAX_PCA_COMPONENTS: usize = super::trainer::MAX_LATENT;

/// Widest images `pcaBaseline` takes: 4096 pixels (a 128 MB covariance matrix).
pub const MAX_PCA_WIDTH: usize = 4096;

/// The linear baseline: PCA with `components` (default 2; 1 to min(width, 16), so it can
/// match a VAE's code size) fitted on `train_x`, applied to `test_x` (both rows of `width`
/// pixels in [0, 1]; the two may differ, e.g. fitted on grey levels and scored on binarised
/// images). Returns { codes (n × 2: the first two components' codes, for plotting; the second
/// column is 0 when components = 1), reconstructions (n × width, from every component, clipped
/// to [0, 1]), squaredError (mean over images of Σ pixels (x − x̂)²), bce (mean over images of
/// the clipped Σ pixels BCE, nats), explained (fraction of variance kept), components }.
#[wasm_bindgen(js_name = pcaBaseline)]
pub fn pca_baseline(
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] train_x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] test_x: JsValue,
    width: f64,
    components: Option<f64>,
) -> Result<JsValue, ApiError> {
    let (train_x, test_x) = (&floats(&train_x, "trainX")?, &floats(&test_x, "testX")?);
    let width = image_width(width)?;
    // PCA holds the width × width covariance: bound it before that product can wrap on wasm32.
    if width > MAX_PCA_WIDTH {
        return Err(ApiError::new(BoundaryCode::TooLarge)
            .with("name", "width")
            .with("value", width)
            .with("max", MAX_PCA_WIDTH));
    }
    let most = width.min(MAX_PCA_COMPONENTS);
    let k = whole(components.unwrap_or(2.0), "components", 1.0, most as f64)? as usize;
    let pca = Pca::fit(train_x, width, k)?;
    let xhat = pca.reconstruct(test_x)?; // (n, width), standard layout
    let errors = reconstruction_errors(test_x, xhat.as_slice().unwrap_or_default(), width)?;
    let all = pca.transform(test_x); // (n, k)
    let recon: Vec<f32> = pca
        .inverse_transform(all.view())
        .iter()
        .map(|&v| v.clamp(0.0, 1.0) as f32)
        .collect();
    let codes: Vec<f64> = all
        .rows()
        .into_iter()
        .flat_map(|row| [row[0], row.get(1).copied().unwrap_or(0.0)])
        .collect(); // (n, 2)
    let explained: f64 = pca.explained_variance.iter().sum::<f64>() / pca.total_variance;
    object(&[
        ("codes", Float64Array::from(&codes[..]).into()),
        ("reconstructions", Float32Array::from(&recon[..]).into()),
        ("squaredError", errors.squared.into()),
        ("bce", errors.bce.into()),
        ("explained", explained.into()),
        ("components", (k as f64).into()),
    ])
}

/// Pixels per image: a whole number ≥ 2.
fn image_width(width: f64) -> Result<usize, ApiError> {
    if width.fract() == 0.0 && (2.0..=1e6).contains(&width) {
        Ok(width as usize)
    } else {
        Err(ApiError::new(BoundaryCode::PcaWidth).with("value", width))
    }
}

/// How well the images `x` (rows of `width` pixels in [0, 1]) are reconstructed by `xHat`
/// (same shape): { squaredError (mean over images of Σ pixels (x − x̂)²), bce (mean over
/// images of Σ pixels BCE in nats, x̂ clipped to [1e−6, 1 − 1e−6]) }. pcaBaseline reports the
/// same two numbers, so a model's reconstructions compare with PCA's like for like.
#[wasm_bindgen(js_name = reconstructionErrors)]
pub fn reconstruction_errors_js(
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x_hat: JsValue,
    width: f64,
) -> Result<JsValue, ApiError> {
    let (x, x_hat) = (floats(&x, "x")?, floats(&x_hat, "xHat")?);
    let errors = reconstruction_errors(&x, &x_hat, image_width(width)?)?;
    object(&[
        ("squaredError", errors.squared.into()),
        ("bce", errors.bce.into()),
    ])
}
