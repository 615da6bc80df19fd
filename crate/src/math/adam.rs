//! The Adam optimiser (Kingma & Ba 2015): per-parameter step sizes from running averages
//! of the gradient and of its square, with bias correction for the first steps.

use super::InputError;
use super::gaussian::check_finite;

/// Decay rate of the first-moment (mean gradient) average.
pub const BETA1: f64 = 0.9;
/// Decay rate of the second-moment (mean squared gradient) average.
pub const BETA2: f64 = 0.999;
/// Added to √v̂ so a zero gradient history does not divide by zero.
pub const EPSILON: f64 = 1e-8;

/// Adam's state for a fixed number of parameters: the moment averages m, v and the step
/// count t.
#[derive(Debug, Clone, PartialEq)]
pub struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
    t: u64,
}

impl Adam {
    /// A fresh optimiser for `n` parameters (m = v = 0, t = 0).
    pub fn new(n: usize) -> Self {
        Self {
            m: vec![0.0; n],
            v: vec![0.0; n],
            t: 0,
        }
    }

    /// Number of steps taken so far.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// One Adam step **downhill** (minimising a loss whose gradient is `grads`):
    ///
    /// m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  t ← t + 1
    /// θ ← θ − lr · m̂ / (√v̂ + ε),  m̂ = m/(1 − β₁ᵗ),  v̂ = v/(1 − β₂ᵗ)
    ///
    /// Each parameter moves by at most about `lr` per step, whatever the gradient's scale.
    /// `params` and `grads` must have one entry per parameter, `grads` finite, `lr` finite
    /// and > 0; on an error nothing is changed.
    pub fn step(&mut self, params: &mut [f64], grads: &[f64], lr: f64) -> Result<(), InputError> {
        self.check(params, grads, lr)?;
        self.t += 1;
        // powf: t may exceed i32; β^t → 0 smoothly, so the corrections → 1.
        let c1 = 1.0 - BETA1.powf(self.t as f64);
        let c2 = 1.0 - BETA2.powf(self.t as f64);
        for (((p, &g), m), v) in params
            .iter_mut()
            .zip(grads)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            *m = BETA1 * *m + (1.0 - BETA1) * g;
            *v = BETA2 * *v + (1.0 - BETA2) * g * g;
            *p -= lr * (*m / c1) / ((*v / c2).sqrt() + EPSILON);
        }
        Ok(())
    }

    /// One Adam step **uphill** (maximising an objective such as the ELBO whose gradient is
    /// `grads`): [`Adam::step`] applied to −`grads`. Same domain and errors.
    pub fn ascend(&mut self, params: &mut [f64], grads: &[f64], lr: f64) -> Result<(), InputError> {
        let negated: Vec<f64> = grads.iter().map(|g| -g).collect();
        self.step(params, &negated, lr)
    }

    fn check(&self, params: &[f64], grads: &[f64], lr: f64) -> Result<(), InputError> {
        for (name, len) in [("params", params.len()), ("grads", grads.len())] {
            if len != self.m.len() {
                return Err(InputError::LengthMismatch {
                    name_a: name,
                    len_a: len,
                    name_b: "the optimiser's parameters",
                    len_b: self.m.len(),
                });
            }
        }
        for (i, &g) in grads.iter().enumerate() {
            check_finite(g, "grads", Some(i))?;
        }
        if !(lr.is_finite() && lr > 0.0) {
            return Err(InputError::OutOfRange {
                name: "lr",
                value: lr,
                range: "(0, ∞)",
                why: "the learning rate is a positive step size",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_step_moves_each_parameter_by_lr_against_the_gradient_sign() {
        // With m = v = 0, m̂ = g and v̂ = g², so the step is lr · g/(|g| + ε).
        let mut adam = Adam::new(3);
        let mut p = [1.0, 2.0, 3.0];
        adam.step(&mut p, &[4.0, -1e-3, 0.0], 0.1).unwrap();
        assert!((p[0] - 0.9).abs() < 1e-9);
        assert!((p[1] - (2.0 + 0.1 * 1e-3 / (1e-3 + EPSILON))).abs() < 1e-15);
        assert_eq!(p[2], 3.0);
        assert_eq!(adam.steps(), 1);
    }

    #[test]
    fn minimises_an_ill_scaled_quadratic_and_ascend_maximises() {
        // f(θ) = 100 (θ₀ − 1)² + 0.01 (θ₁ + 2)²: scales differing by 10⁴.
        let grad = |p: &[f64]| [200.0 * (p[0] - 1.0), 0.02 * (p[1] + 2.0)];
        let mut adam = Adam::new(2);
        let mut p = [0.0, 0.0];
        for _ in 0..3000 {
            let g = grad(&p);
            adam.step(&mut p, &g, 0.01).unwrap();
        }
        assert!(
            (p[0] - 1.0).abs() < 1e-3 && (p[1] + 2.0).abs() < 1e-3,
            "{p:?}"
        );
        let mut adam = Adam::new(2);
        let mut p = [0.0, 0.0];
        for _ in 0..3000 {
            let g = grad(&p).map(|g| -g); // gradient of −f
            adam.ascend(&mut p, &g, 0.01).unwrap();
        }
        assert!(
            (p[0] - 1.0).abs() < 1e-3 && (p[1] + 2.0).abs() < 1e-3,
            "{p:?}"
        );
    }

    #[test]
    fn bad_inputs_are_rejected_without_changing_anything() {
        let mut adam = Adam::new(2);
        let mut p = [1.0, 2.0];
        let err = adam.step(&mut p, &[1.0], 0.1).unwrap_err();
        assert!(matches!(
            err,
            InputError::LengthMismatch {
                name_a: "grads",
                ..
            }
        ));
        let err = adam.step(&mut p, &[1.0, f64::NAN], 0.1).unwrap_err();
        assert!(matches!(
            err,
            InputError::NotFiniteNumber {
                name: "grads",
                index: Some(1),
                ..
            }
        ));
        for lr in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let err = adam.step(&mut p, &[1.0, 1.0], lr).unwrap_err();
            assert!(matches!(err, InputError::OutOfRange { name: "lr", .. }));
            assert!(err.to_string().contains("lr"));
        }
        assert_eq!(p, [1.0, 2.0]);
        assert_eq!(adam, Adam::new(2));
    }
}
