//! Turning loosely typed JS values into checked Rust values.

use js_sys::{Array, Float32Array, Float64Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};

/// Reads an array of numbers: a plain `Array` of numbers, a `Float64Array` or a `Float32Array`.
/// Values are not range-checked here; the maths layer does that with its own messages.
pub fn numbers(value: &JsValue, name: &str) -> Result<Vec<f64>, JsError> {
    if let Some(a) = value.dyn_ref::<Float64Array>() {
        return Ok(a.to_vec());
    }
    if let Some(a) = value.dyn_ref::<Float32Array>() {
        return Ok(a.to_vec().into_iter().map(f64::from).collect());
    }
    if !Array::is_array(value) {
        return Err(JsError::new(&format!(
            "{name} must be an array of numbers or a Float64Array (got {})",
            type_name(value)
        )));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_f64().ok_or_else(|| {
                JsError::new(&format!(
                    "{name}[{i}] must be a number (got {})",
                    type_name(&v)
                ))
            })
        })
        .collect()
}

/// A string argument. The API takes strings as `JsValue` and checks them here: wasm-bindgen's
/// glue for a `&str` parameter assumes a JS string, and given a number or `undefined` it writes
/// outside the memory it allocated, which traps the instance.
pub fn text(value: &JsValue, name: &str) -> Result<String, JsError> {
    value.as_string().ok_or_else(|| {
        JsError::new(&format!(
            "{name} must be a string (got {})",
            type_name(value)
        ))
    })
}

/// An array of strings (chart labels, colour names), checked like [`text`].
pub fn texts(value: &JsValue, name: &str) -> Result<Vec<String>, JsError> {
    if !Array::is_array(value) {
        return Err(JsError::new(&format!(
            "{name} must be an array of strings (got {})",
            type_name(value)
        )));
    }
    let array: &Array = value.unchecked_ref();
    array
        .iter()
        .enumerate()
        .map(|(i, v)| text(&v, &format!("{name}[{i}]")))
        .collect()
}

/// `typeof value`, with `null` and arrays named as such.
fn type_name(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// The logarithm base, defaulting to e (nats) when the caller passes nothing.
pub fn base_or_e(base: Option<f64>) -> f64 {
    base.unwrap_or(std::f64::consts::E)
}

/// A plain JS object from key/value pairs.
pub fn object(fields: &[(&str, JsValue)]) -> Result<JsValue, JsError> {
    let out = Object::new();
    for (key, value) in fields {
        Reflect::set(&out, &JsValue::from_str(key), value)
            .map_err(|_| JsError::new("could not build the result object"))?;
    }
    Ok(out.into())
}
