//! Pure maths: no wasm-bindgen, web-sys or js-sys here.

pub mod adam;
pub mod binarise;
#[cfg(test)]
mod claims;
pub mod density;
pub mod descent;
pub mod digits;
pub mod divergence;
pub mod error;
pub mod fit;
pub mod gaussian;
pub mod huffman;
pub mod info;
pub mod landscape;
pub mod likelihood;
pub mod matmul;
pub mod mixture;
pub mod mlp;
pub mod pca;
pub mod posterior;
pub mod quadrature;
pub mod rng;
pub mod toy;
pub mod vae;

// Section 3.1's posterior (kept apart from the list above so parallel branches merge cleanly).
pub mod beta;

pub use error::{Code, InputError};
