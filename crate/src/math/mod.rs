//! Pure maths: no wasm-bindgen, web-sys or js-sys here.
//!
//! The folders follow the chapter's four parts; the few pieces they share sit at this level.

pub mod divergence;
pub mod inference;
pub mod information;
pub mod networks;

pub mod error;
pub mod optim;
pub mod quadrature;
pub mod random;

#[cfg(test)]
mod claims;

pub use error::{Code, InputError};
