//! Part 1, information: surprise, entropy and the codes that reach it.

pub mod huffman;
pub mod info;
pub mod text;
