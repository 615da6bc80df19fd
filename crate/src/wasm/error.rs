//! The errors the JS API throws: a JS `Error` whose `message` is the English text, plus a
//! stable `code` (see [`Code::id`]) and language-neutral `params` (an object of strings), so a
//! page can show the message in its own language from a template per code.
//!
//! The codes and English templates are in [`crate::math::error`], shared with
//! [`InputError`]'s `Display`; this module adds only the JS side.

use crate::math::InputError;
pub use crate::math::error::Code;
use crate::math::error::{fill, readable};
use js_sys::{Array, Object, Reflect};
use std::fmt;
use wasm_bindgen::prelude::*;

/// An error for JS: a code and the values for its template's placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: Code,
    params: Vec<(&'static str, String)>,
}

impl ApiError {
    /// An error with no parameters yet; add them with [`ApiError::with`].
    pub fn new(code: Code) -> Self {
        Self {
            code,
            params: Vec::new(),
        }
    }

    /// Adds the parameter `key`, formatted the way the English message shows it (long numbers
    /// in exponent form, see [`readable`]).
    #[must_use]
    pub fn with(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.params.push((key, readable(value.to_string())));
        self
    }

    /// The code.
    pub fn code(&self) -> Code {
        self.code
    }

    /// The parameters, in the order they were added.
    pub fn params(&self) -> &[(&'static str, String)] {
        &self.params
    }

    /// The English message: the code's template filled with the parameters.
    pub fn message(&self) -> String {
        fill(self.code.template(), &self.params)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiError {}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        Self {
            code: e.code(),
            params: e.params(),
        }
    }
}

/// Sets `target[key] = value`. Setting a property on a fresh `Error` or `Object` cannot fail
/// (they are extensible and have no setters), so a failure is ignored rather than reported.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A thrown JS `Error` with `message`, `code` and `params`.
impl From<ApiError> for JsValue {
    fn from(e: ApiError) -> Self {
        let error: JsValue = js_sys::Error::new(&e.message()).into();
        let params = Object::new();
        for (key, value) in &e.params {
            set(&params, key, &JsValue::from_str(value));
        }
        set(&error, "code", &JsValue::from_str(e.code.id()));
        set(&error, "params", &params);
        error
    }
}

/// Every error code the API can throw with its English template: `[{ code, template }]`.
/// A translation supplies one template per code with the same `{placeholders}`.
#[wasm_bindgen(
    js_name = errorCatalogue,
    unchecked_return_type = "{ code: string, template: string }[]"
)]
pub fn error_catalogue() -> JsValue {
    let entries: Array = Code::ALL
        .iter()
        .map(|code| {
            let entry = Object::new();
            set(&entry, "code", &JsValue::from_str(code.id()));
            set(&entry, "template", &JsValue::from_str(code.template()));
            JsValue::from(entry)
        })
        .collect();
    entries.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::error::{one_of_each, placeholders};

    #[test]
    fn message_fills_the_template() {
        let e = ApiError::new(Code::WeightsParamCount)
            .with("got", 3)
            .with("want", 10);
        assert_eq!(
            e.message(),
            "importWeights: params has 3 numbers but this model has 10 parameters"
        );
        let e = ApiError::new(Code::ConfigNotChoice)
            .with("key", "mode")
            .with("a", "vae")
            .with("b", "autoencoder");
        assert_eq!(
            e.message(),
            "config.mode must be the string \"vae\" or \"autoencoder\""
        );
        let e = ApiError::new(Code::WholeNumber)
            .with("name", "seed")
            .with("value", 1.5)
            .with("lo", 0)
            .with("hi", 10);
        assert!(placeholders(&e.message()).is_empty(), "{e}");
        assert_eq!(e.to_string(), e.message());
    }

    /// The JS error and the native `Display` print one text: the same template, same params.
    #[test]
    fn input_errors_keep_their_text_and_code() {
        for input in one_of_each() {
            let api = ApiError::from(input.clone());
            assert_eq!(api.code(), input.code());
            assert_eq!(api.message(), input.to_string());
            assert!(placeholders(&api.message()).is_empty(), "{api}");
        }
    }
}
