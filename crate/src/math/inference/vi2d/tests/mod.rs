//! Native tests of section 3.5's core: the grids' normalisers and moments against closed forms
//! and Monte Carlo (grid.rs), the incremental grid against a fresh one (points.rs), the fits
//! and gradients (fit.rs), and bad input (errors.rs).

use super::*;
use crate::math::random::Random;
use crate::math::{Code, InputError};

mod errors;
mod fit;
mod grid;
mod points;

const LN_2PI: f64 = 1.837_877_066_409_345_5;

pub(super) fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol,
        "{what}: {a} vs {b} (|diff| = {:e} > {tol:e})",
        (a - b).abs()
    );
}

pub(super) fn gaussian(rho: f64) -> Target {
    Target::gaussian([0.5, -1.0], [1.5, 0.7], rho).unwrap()
}

pub(super) fn rule(e: InputError) -> Code {
    match e {
        InputError::OutOfRange { rule, .. } => rule,
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

pub(super) fn some_points() -> (Vec<f64>, Vec<f64>) {
    let mut rng = Random::new(7);
    let (mut points, mut labels) = (Vec::new(), Vec::new());
    for _ in 0..30 {
        let x = [4.0 * rng.uniform() - 2.0, 4.0 * rng.uniform() - 2.0];
        let y = rng.uniform() < 1.0 / (1.0 + (-(1.5 * x[0] - 0.8 * x[1])).exp());
        points.extend(x);
        labels.push(if y { 1.0 } else { 0.0 });
    }
    (points, labels)
}
