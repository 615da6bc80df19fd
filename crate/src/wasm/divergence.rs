//! Chapter 2: cross-entropy, KL, Jensen–Shannon, total variation, Gaussian KL.

use super::convert::{base_or_e, numbers, object};
use super::error::{ApiError, BoundaryCode, Code};
use crate::math::divergence::{discrete as div, gaussian};
use crate::math::information::info;
use wasm_bindgen::prelude::*;

/// Cross-entropy H(p, q) = −Σ pᵢ log_b qᵢ; +∞ when some qᵢ = 0 < pᵢ.
#[wasm_bindgen(js_name = crossEntropy)]
pub fn cross_entropy(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
    base: Option<f64>,
) -> Result<f64, ApiError> {
    Ok(div::cross_entropy(&numbers(&p, "p")?, &numbers(&q, "q")?, base_or_e(base))?.value)
}

/// KL(p ‖ q) = Σ pᵢ log_b(pᵢ/qᵢ) ≥ 0; +∞ when some qᵢ = 0 < pᵢ (see `klInfiniteAt`).
#[wasm_bindgen(js_name = klDivergence)]
pub fn kl_divergence(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
    base: Option<f64>,
) -> Result<f64, ApiError> {
    Ok(div::kl_divergence(&numbers(&p, "p")?, &numbers(&q, "q")?, base_or_e(base))?.value)
}

/// The first outcome i with qᵢ = 0 < pᵢ, which makes KL(p ‖ q) infinite; `undefined` if none.
#[wasm_bindgen(js_name = klInfiniteAt)]
pub fn kl_infinite_at(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
) -> Result<Option<u32>, ApiError> {
    let d = div::kl_divergence(&numbers(&p, "p")?, &numbers(&q, "q")?, 2.0)?;
    Ok(d.infinite_at.map(|i| i as u32))
}

/// Each outcome's term pᵢ log_b(pᵢ/qᵢ) (negative where pᵢ < qᵢ, +∞ where qᵢ = 0 < pᵢ).
#[wasm_bindgen(js_name = klTerms)]
pub fn kl_terms(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
    base: Option<f64>,
) -> Result<Vec<f64>, ApiError> {
    Ok(div::kl_terms(
        &numbers(&p, "p")?,
        &numbers(&q, "q")?,
        base_or_e(base),
    )?)
}

/// Jensen–Shannon divergence, symmetric and at most ln 2 nats (1 bit).
#[wasm_bindgen(js_name = jsDivergence)]
pub fn js_divergence(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
    base: Option<f64>,
) -> Result<f64, ApiError> {
    Ok(div::js_divergence(
        &numbers(&p, "p")?,
        &numbers(&q, "q")?,
        base_or_e(base),
    )?)
}

/// Total variation distance ½ Σ |pᵢ − qᵢ|, in [0, 1].
#[wasm_bindgen(js_name = totalVariation)]
pub fn total_variation(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
) -> Result<f64, ApiError> {
    Ok(div::total_variation(
        &numbers(&p, "p")?,
        &numbers(&q, "q")?,
    )?)
}

/// Everything the discrete KL playground shows, in one call (units of `base`):
/// `{ hp, hq, crossPQ, crossQP, klPQ, klQP, js, tv, infinitePQ, infiniteQP, termsPQ, termsQP }`;
/// `infinitePQ` is the first i with qᵢ = 0 < pᵢ, or null.
#[wasm_bindgen(
    js_name = klReport,
    unchecked_return_type = "{ hp: number, hq: number, crossPQ: number, crossQP: number, klPQ: number, klQP: number, js: number, tv: number, infinitePQ: number | null, infiniteQP: number | null, termsPQ: Float64Array, termsQP: Float64Array }"
)]
pub fn kl_report(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] q: JsValue,
    base: Option<f64>,
) -> Result<JsValue, ApiError> {
    let (p, q, b) = (numbers(&p, "p")?, numbers(&q, "q")?, base_or_e(base));
    let (kl_pq, kl_qp) = (
        div::kl_divergence(&p, &q, b)?,
        div::kl_divergence(&q, &p, b)?,
    );
    let index = |i: Option<usize>| i.map_or(JsValue::NULL, |i| JsValue::from(i as f64));
    let fields: [(&str, JsValue); 12] = [
        ("hp", info::entropy(&p, b)?.into()),
        ("hq", info::entropy(&q, b)?.into()),
        ("crossPQ", div::cross_entropy(&p, &q, b)?.value.into()),
        ("crossQP", div::cross_entropy(&q, &p, b)?.value.into()),
        ("klPQ", kl_pq.value.into()),
        ("klQP", kl_qp.value.into()),
        ("js", div::js_divergence(&p, &q, b)?.into()),
        ("tv", div::total_variation(&p, &q)?.into()),
        ("infinitePQ", index(kl_pq.infinite_at)),
        ("infiniteQP", index(kl_qp.infinite_at)),
        (
            "termsPQ",
            js_sys::Float64Array::from(div::kl_terms(&p, &q, b)?.as_slice()).into(),
        ),
        (
            "termsQP",
            js_sys::Float64Array::from(div::kl_terms(&q, &p, b)?.as_slice()).into(),
        ),
    ];
    object(&fields)
}

/// Largest |μ| the Gaussian KLs take: 10⁶ (so (μ₁ − μ₂)² / σ₂² stays finite).
pub const MAX_GAUSSIAN_MEAN: f64 = 1e6;
/// The range of σ in `gaussianKl`: [10⁻⁶, 10⁶] (so σ₁² / σ₂² stays finite).
pub const GAUSSIAN_SIGMA: (f64, f64) = (1e-6, 1e6);
/// The range of log σ² in `gaussianKlToStdNormal`: [−30, 30], the VAE's q's own range.
const LOG_VAR: f64 = crate::math::networks::vae::MAX_Q_LOG_VAR as f64;

fn check_mean(value: f64, name: &str) -> Result<(), ApiError> {
    if value.abs() <= MAX_GAUSSIAN_MEAN {
        Ok(())
    } else {
        Err(ApiError::new(BoundaryCode::GaussianMean)
            .with("name", name)
            .with("value", value))
    }
}

/// KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) in nats, closed form, accurate even for nearly equal Gaussians.
/// μ in [−10⁶, 10⁶], σ in [10⁻⁶, 10⁶].
#[wasm_bindgen(js_name = gaussianKl)]
pub fn gaussian_kl(mu1: f64, sigma1: f64, mu2: f64, sigma2: f64) -> Result<f64, ApiError> {
    // The maths' own checks first (finite, σ > 0), then the ranges that keep the result finite.
    let kl = gaussian::kl_normal(mu1, sigma1, mu2, sigma2)?;
    check_mean(mu1, "mu1")?;
    check_mean(mu2, "mu2")?;
    for (sigma, name) in [(sigma1, "sigma1"), (sigma2, "sigma2")] {
        if !(GAUSSIAN_SIGMA.0..=GAUSSIAN_SIGMA.1).contains(&sigma) {
            return Err(ApiError::new(BoundaryCode::GaussianSigma)
                .with("name", name)
                .with("value", sigma));
        }
    }
    Ok(kl)
}

/// KL(N(μ, diag σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²) in nats; `logvar` = log σ².
#[wasm_bindgen(js_name = gaussianKlToStdNormal)]
pub fn gaussian_kl_to_std_normal(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] mu: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] logvar: JsValue,
) -> Result<f64, ApiError> {
    let (mu, logvar) = (numbers(&mu, "mu")?, numbers(&logvar, "logvar")?);
    let kl = gaussian::kl_diag_to_std_normal(&mu, &logvar)?;
    for (i, &m) in mu.iter().enumerate() {
        check_mean(m, &format!("mu[{i}]"))?;
    }
    for (i, &lv) in logvar.iter().enumerate() {
        if lv.abs() > LOG_VAR {
            return Err(ApiError::new(Code::QLogVarRange)
                .with("name", format!("logvar[{i}]"))
                .with("value", lv));
        }
    }
    Ok(kl)
}
