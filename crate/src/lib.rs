//! elbo-lab: the mathematics of an interactive chapter on information theory,
//! variational inference and variational autoencoders.
//!
//! - [`math`]: pure numerical code (std only), tested natively.
//! - [`render`]: charts drawn with plotters on any backend; depends on `math`.
//! - [`wasm`]: the only `#[wasm_bindgen]` layer; validates input and turns errors into JS `Error`s.

pub mod math;
pub mod render;
pub mod wasm;
