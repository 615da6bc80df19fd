//! The Adam optimiser (Kingma & Ba 2015): per-parameter step sizes from running averages
//! of the gradient and of its square, with bias correction for the first steps.

use crate::math::divergence::gaussian::check_finite;
use crate::math::{Code, InputError};

/// Decay rate of the first-moment (mean gradient) average.
pub const BETA1: f64 = 0.9;
/// Decay rate of the second-moment (mean squared gradient) average.
pub const BETA2: f64 = 0.999;
/// Added to √v̂ so a zero gradient history does not divide by zero.
pub const EPSILON: f64 = 1e-8;

/// Adam's state for a fixed number of parameters: the moment averages m, v and the step
/// count t, in f64 (`Adam`, checked steps on whole vectors) or f32 ([`AdamF32`], in-place
/// slice updates for the VAE).
#[derive(Debug, Clone, PartialEq)]
pub struct Adam<T = f64> {
    m: Vec<T>,
    v: Vec<T>,
    t: u64,
}

/// Adam in f32, updating parameters in place slice by slice, with no allocation: call
/// [`AdamF32::begin`] once per step, then [`AdamF32::update`] for each parameter slice at its
/// offset in the flattened parameter vector. The same update as [`Adam::step`].
pub type AdamF32 = Adam<f32>;

impl<T: Copy + Default> Adam<T> {
    /// A fresh optimiser for `n` parameters (m = v = 0, t = 0).
    pub fn new(n: usize) -> Self {
        Self {
            m: vec![T::default(); n],
            v: vec![T::default(); n],
            t: 0,
        }
    }

    /// Number of steps taken (or begun) so far.
    pub fn steps(&self) -> u64 {
        self.t
    }
}

impl Adam<f64> {
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
                rule: Code::LrPositive,
            });
        }
        Ok(())
    }
}

/// The per-step constants of one [`AdamF32`] step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamStep {
    /// lr / (1 − β₁ᵗ).
    lr_c1: f32,
    /// 1 / √(1 − β₂ᵗ).
    inv_sqrt_c2: f32,
}

impl AdamF32 {
    /// Starts a step with learning rate `lr` (the caller checks it is finite and > 0):
    /// t ← t + 1 and the bias corrections, computed in f64.
    pub fn begin(&mut self, lr: f32) -> AdamStep {
        self.t += 1;
        let c1 = 1.0 - BETA1.powf(self.t as f64);
        let c2 = 1.0 - BETA2.powf(self.t as f64);
        AdamStep {
            lr_c1: (f64::from(lr) / c1) as f32,
            inv_sqrt_c2: (1.0 / c2.sqrt()) as f32,
        }
    }

    /// Updates `params` (the parameters at `offset..offset + params.len()`) **downhill** by
    /// their finite `grads`: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
    /// θ ← θ − lr · m̂ / (√v̂ + ε). Panics if the slice runs past the optimiser's size.
    pub fn update(&mut self, step: AdamStep, offset: usize, params: &mut [f32], grads: &[f32]) {
        let len = params.len();
        assert_eq!(grads.len(), len, "AdamF32::update: params and grads differ");
        let (b1, b2) = (BETA1 as f32, BETA2 as f32);
        let m = &mut self.m[offset..offset + len];
        let v = &mut self.v[offset..offset + len];
        for (((p, &g), m), v) in params.iter_mut().zip(grads).zip(m).zip(v) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= step.lr_c1 * *m / (v.sqrt() * step.inv_sqrt_c2 + EPSILON as f32);
        }
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

    #[test]
    fn f32_adam_matches_the_f64_one() {
        let (mut a64, mut a32) = (Adam::new(3), AdamF32::new(3));
        let mut p64 = [1.0, 2.0, 3.0];
        let mut p32 = [1.0f32, 2.0, 3.0];
        for t in 0..50 {
            let g = [t as f64 * 0.1 - 1.0, 0.5, -(t as f64).sin()];
            a64.step(&mut p64, &g, 0.01).unwrap();
            let g32 = g.map(|g| g as f32);
            let step = a32.begin(0.01);
            // Two slices at their offsets, as the VAE updates its layers.
            a32.update(step, 0, &mut p32[..1], &g32[..1]);
            a32.update(step, 1, &mut p32[1..], &g32[1..]);
        }
        assert_eq!(a32.steps(), 50);
        for (a, b) in p64.iter().zip(p32) {
            assert!((a - f64::from(b)).abs() < 1e-5, "{p64:?} vs {p32:?}");
        }
    }
}
