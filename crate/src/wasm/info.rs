//! Chapter 1: information, entropy, Huffman codes.

use super::convert::{base_or_e, numbers, object};
use super::error::ApiError;
use crate::math::information::{huffman, info};
use js_sys::Array;
use wasm_bindgen::prelude::*;

/// Information content −log_b(prob) of an event; `base` defaults to e (nats), 2 gives bits.
#[wasm_bindgen]
pub fn information(prob: f64, base: Option<f64>) -> Result<f64, ApiError> {
    Ok(info::information(prob, base_or_e(base))?)
}

/// Entropy −Σ pᵢ log_b pᵢ of a distribution (array or Float64Array summing to 1).
#[wasm_bindgen]
pub fn entropy(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    base: Option<f64>,
) -> Result<f64, ApiError> {
    Ok(info::entropy(&numbers(&p, "p")?, base_or_e(base))?)
}

/// Each outcome's contribution −pᵢ log_b pᵢ to the entropy.
#[wasm_bindgen(js_name = entropyTerms)]
pub fn entropy_terms(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    base: Option<f64>,
) -> Result<Vec<f64>, ApiError> {
    Ok(info::entropy_terms(&numbers(&p, "p")?, base_or_e(base))?)
}

/// Sets p[index] to `value` (clamped to [0, 1]) and rescales the others so the sum stays 1.
#[wasm_bindgen(js_name = setProbability)]
pub fn set_probability(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
    index: f64,
    value: f64,
) -> Result<Vec<f64>, ApiError> {
    Ok(info::set_probability(&numbers(&p, "p")?, index, value)?)
}

/// An optimal binary prefix code for `p`:
/// `{ codewords: (string | null)[], lengths: number[], averageLength, entropy, kraftSum }`,
/// lengths and entropy in bits; outcomes with pᵢ = 0 get `null`.
#[wasm_bindgen(
    js_name = huffmanCode,
    unchecked_return_type = "{ codewords: (string | null)[], lengths: number[], averageLength: number, entropy: number, kraftSum: number }"
)]
pub fn huffman_code(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] p: JsValue,
) -> Result<JsValue, ApiError> {
    let p = numbers(&p, "p")?;
    let code = huffman::huffman_code(&p)?;
    let codewords: Array = code
        .codewords
        .iter()
        .map(|c| c.as_deref().map_or(JsValue::NULL, JsValue::from_str))
        .collect();
    let lengths: Array = code
        .lengths()
        .into_iter()
        .map(|l| JsValue::from(l as f64))
        .collect();
    object(&[
        ("codewords", codewords.into()),
        ("lengths", lengths.into()),
        ("averageLength", code.average_length.into()),
        ("entropy", info::entropy(&p, 2.0)?.into()),
        ("kraftSum", code.kraft_sum().into()),
    ])
}
