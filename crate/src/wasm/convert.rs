//! Turning loosely typed JS values into checked Rust values.

use super::error::{ApiError, BoundaryCode};
use js_sys::{Array, Float32Array, Float64Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// Reads an array of numbers: a plain `Array` of numbers, a `Float64Array` or a `Float32Array`.
/// Values are not range-checked here; the maths layer does that with its own messages.
pub fn numbers(value: &JsValue, name: &str) -> Result<Vec<f64>, ApiError> {
    if let Some(a) = value.dyn_ref::<Float64Array>() {
        return Ok(a.to_vec());
    }
    if let Some(a) = value.dyn_ref::<Float32Array>() {
        return Ok(a.to_vec().into_iter().map(f64::from).collect());
    }
    if !Array::is_array(value) {
        return Err(ApiError::new(BoundaryCode::NotNumberArray)
            .with("name", name)
            .with("type", type_name(value)));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_f64().ok_or_else(|| {
                ApiError::new(BoundaryCode::NotNumber)
                    .with("name", format!("{name}[{i}]"))
                    .with("type", type_name(&v))
            })
        })
        .collect()
}

/// Reads an array of f32 values: a `Float32Array` (copied as it is) or any array [`numbers`]
/// accepts, rounded to f32. Taking a `JsValue` rather than `&[f32]` lets a wrong argument
/// become a coded error: wasm-bindgen's glue for a slice throws its own `TypeError`.
pub fn floats(value: &JsValue, name: &str) -> Result<Vec<f32>, ApiError> {
    if let Some(a) = value.dyn_ref::<Float32Array>() {
        return Ok(a.to_vec());
    }
    if value.is_instance_of::<Float64Array>() || Array::is_array(value) {
        return Ok(numbers(value, name)?
            .into_iter()
            .map(|x| x as f32)
            .collect());
    }
    Err(ApiError::new(BoundaryCode::NotFloatArray)
        .with("name", name)
        .with("type", type_name(value)))
}

/// Reads bytes: a `Uint8Array`, or an array of numbers converted the way a `Uint8Array`
/// converts them (as wasm-bindgen's glue for `&[u8]` did).
pub fn bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, ApiError> {
    if let Some(a) = value.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    if Array::is_array(value) {
        return Ok(Uint8Array::new(value).to_vec());
    }
    Err(ApiError::new(BoundaryCode::NotByteArray)
        .with("name", name)
        .with("type", type_name(value)))
}

/// A whole number in [lo, hi], named `name` in the error. A `u64`, not a `usize`: on wasm32 a
/// `usize` has 32 bits, and seeds go up to 2⁵³ − 1.
pub fn whole(value: f64, name: &str, lo: f64, hi: f64) -> Result<u64, ApiError> {
    if value.fract() == 0.0 && (lo..=hi).contains(&value) {
        Ok(value as u64)
    } else {
        Err(ApiError::new(BoundaryCode::WholeNumber)
            .with("name", name)
            .with("value", value)
            .with("lo", lo)
            .with("hi", hi))
    }
}

/// Largest whole number a JS number holds exactly, 2⁵³ − 1: the largest seed.
pub const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A seed: a whole number from 0 to 2⁵³ − 1 (the error says so in those words).
pub fn seed(value: f64, name: &str) -> Result<u64, ApiError> {
    whole(value, name, 0.0, MAX_SAFE).map_err(|_| {
        ApiError::new(BoundaryCode::WholeNumber)
            .with("name", name)
            .with("value", value)
            .with("lo", 0)
            .with("hi", "2⁵³ − 1")
    })
}

/// A string argument. The API takes strings as `JsValue` and checks them here: wasm-bindgen's
/// glue for a `&str` parameter assumes a JS string, and given a number or `undefined` it writes
/// outside the memory it allocated, which traps the instance.
pub fn text(value: &JsValue, name: &str) -> Result<String, ApiError> {
    value.as_string().ok_or_else(|| {
        ApiError::new(BoundaryCode::NotString)
            .with("name", name)
            .with("type", type_name(value))
    })
}

/// An array of strings (chart labels, colour names), checked like [`text`].
pub fn texts(value: &JsValue, name: &str) -> Result<Vec<String>, ApiError> {
    if !Array::is_array(value) {
        return Err(ApiError::new(BoundaryCode::NotStringArray)
            .with("name", name)
            .with("type", type_name(value)));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .enumerate()
        .map(|(i, v)| text(&v, &format!("{name}[{i}]")))
        .collect()
}

/// `typeof value`, with `null` and arrays named as such: a JS word, so it needs no translation.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// The logarithm base, defaulting to e (nats) when the caller passes nothing.
pub fn base_or_e(base: Option<f64>) -> f64 {
    base.unwrap_or(std::f64::consts::E)
}

/// A plain JS object from key/value pairs.
pub fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, ApiError> {
    let out = Object::new();
    for (key, value) in fields {
        Reflect::set(&out, &JsValue::from_str(key), value)
            .map_err(|_| ApiError::new(BoundaryCode::ResultObject))?;
    }
    Ok(out.into())
}

/// Reads `params[key]`: `default` when `params` is undefined or null or has no such key; a coded
/// error when `params` is not an object or the value is not a number.
pub fn param(params: &JsValue, key: &str, default: f64) -> Result<f64, ApiError> {
    if params.is_undefined() || params.is_null() {
        return Ok(default);
    }
    if !params.is_object() {
        return Err(ApiError::new(BoundaryCode::ParamsNotObject));
    }
    let value = Reflect::get(params, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        return Ok(default);
    }
    value
        .as_f64()
        .ok_or_else(|| ApiError::new(BoundaryCode::ParamNotNumber).with("key", key))
}
