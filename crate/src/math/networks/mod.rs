//! Part 4, networks: matrix products, the dense layer, the VAE, PCA and the data sets they learn.

pub mod data;
pub mod matmul;
pub mod mlp;
pub mod pca;
pub mod train;
pub mod vae;
