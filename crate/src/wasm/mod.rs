//! The JavaScript API: the only module with `#[wasm_bindgen]`.
//!
//! Every function validates its input and returns `Result<_, ApiError>`, so bad input becomes a
//! thrown JS `Error` with a specific message, a `code` and `params` (see [`error`]) and never a
//! panic (a panic would poison the wasm instance for the rest of the page's life).

mod canvas;
pub mod charts;
mod convert;
pub mod divergence;
pub mod error;
pub mod heap;
pub mod info;
pub mod joint;
pub mod latent;
pub mod likelihood;
pub mod mixture;
pub mod posterior;
pub mod posterior2d;
pub mod random;
pub mod trainer;

use wasm_bindgen::prelude::*;

/// Runs once when the module is initialised: route any panic (a bug) to the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
