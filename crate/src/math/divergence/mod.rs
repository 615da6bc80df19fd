//! Part 2, divergence: the discrete KL divergence, Gaussians, densities on a line, mixtures and
//! the Gaussian fits that minimise either direction of KL, and (2.3) mutual information.

pub mod density;
pub mod descent;
pub mod discrete;
pub mod fit;
pub mod gaussian;
pub mod joint;
pub mod landscape;
pub mod mixture;
