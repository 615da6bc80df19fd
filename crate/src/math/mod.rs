//! Pure maths: no wasm-bindgen, web-sys or js-sys here.

pub mod error;
pub mod huffman;
pub mod info;

pub use error::InputError;
