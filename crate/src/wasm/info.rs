//! Chapter 1: information, entropy, Huffman codes.

use super::convert::{base_or_e, numbers, object, text, whole};
use super::error::{ApiError, BoundaryCode};
use crate::math::information::text::{Unit, text_report as report_of};
use crate::math::information::{huffman, info};
use js_sys::{Array, Float64Array};
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

/// The reader's own text as a source (section 1.3): `mode` "letter" (every character is a
/// symbol) or "word"; `maxShown` (2–1024, default 16) outcomes for the charts. Returns
/// `{ symbols, counts, lengths, surprisals, total, chars, bytes, entropy, entropyBits,
/// codedBits, originalBits, kraftSum, shownCounts, otherSymbols }`: symbols most frequent
/// first; entropy H of the empirical distribution in bits per symbol; entropyBits = n·H;
/// codedBits = Σ count·ℓ for the text's Huffman code (code table not counted), n·H ≤ codedBits
/// < n·(H + 1); originalBits = 8 × the text's UTF-8 bytes; shownCounts the counts of the
/// maxShown − 1 most frequent symbols plus one "other" holding the otherSymbols rest (all
/// counts, otherSymbols 0, when there are at most maxShown symbols).
#[wasm_bindgen(
    js_name = textReport,
    unchecked_return_type = "{ symbols: string[], counts: Float64Array, lengths: Float64Array, surprisals: Float64Array, total: number, chars: number, bytes: number, entropy: number, entropyBits: number, codedBits: number, originalBits: number, kraftSum: number, shownCounts: Float64Array, otherSymbols: number }"
)]
pub fn text_report(
    #[wasm_bindgen(unchecked_param_type = "string")] text_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "'letter' | 'word'")] mode: JsValue,
    #[wasm_bindgen(js_name = maxShown)] max_shown: Option<f64>,
) -> Result<JsValue, ApiError> {
    let source = text(&text_value, "text")?;
    let mode = text(&mode, "mode")?;
    let unit = match mode.as_str() {
        "letter" => Unit::Letter,
        "word" => Unit::Word,
        _ => return Err(ApiError::new(BoundaryCode::TextMode).with("mode", mode)),
    };
    let k = whole(max_shown.unwrap_or(16.0), "maxShown", 2.0, 1024.0)? as usize;
    let r = report_of(&source, unit)?;
    let floats = |v: Vec<f64>| JsValue::from(Float64Array::from(v.as_slice()));
    let symbols: Array = r.symbols.iter().map(|s| JsValue::from_str(s)).collect();
    let (shown, other) = r.grouped(k);
    object(&[
        ("symbols", symbols.into()),
        (
            "counts",
            floats(r.counts.iter().map(|&c| c as f64).collect()),
        ),
        (
            "lengths",
            floats(r.lengths.iter().map(|&l| f64::from(l)).collect()),
        ),
        ("surprisals", floats(r.surprisals())),
        ("total", (r.total as f64).into()),
        ("chars", (r.chars as f64).into()),
        ("bytes", (r.utf8_bytes as f64).into()),
        ("entropy", r.entropy_bits().into()),
        ("entropyBits", r.total_surprisal_bits().into()),
        ("codedBits", (r.coded_bits() as f64).into()),
        ("originalBits", ((8 * r.utf8_bytes) as f64).into()),
        ("kraftSum", r.kraft_sum().into()),
        (
            "shownCounts",
            floats(shown.iter().map(|&c| c as f64).collect()),
        ),
        ("otherSymbols", (other as f64).into()),
    ])
}
