//! Section 3.5: variational inference in two dimensions. Targets p(z, data) on z ∈ R² (a
//! correlated Gaussian, a banana, a donut, a two-component mixture, the posterior of a
//! Bayesian logistic regression), their normaliser and moments by quadrature on a grid, and
//! Gaussian q fitted by reverse KL (the ELBO) or forward KL (moment matching), mean-field or
//! full covariance.

mod fit;
mod gauss;
mod grid;
mod target;

pub use fit::{Family, Fit, Optimiser, coordinate_step, fit_forward, fit_reverse};
pub use gauss::{Expectations, Gauss2, elbo, elbo_gradient, expectations_hermite, hermite_nodes};
pub use grid::{Grid, MAX_SIDE, MIN_SIDE};
pub use target::{MAX_POINTS, Target};

#[cfg(test)]
mod tests;
