//! Part 3, inference: the likelihood of coin flips, the Beta posterior, and the posterior of a
//! Gaussian model with its evidence and variational approximation.

pub mod ascent;
pub mod beta;
pub mod likelihood;
pub mod posterior;
pub mod vi2d;
