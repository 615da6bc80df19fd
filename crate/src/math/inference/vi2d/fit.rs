//! Fitting q: reverse KL (maximising the ELBO) by natural-gradient fixed-point steps or by
//! Adam on reparameterised gradients; forward KL by moment matching; and the coordinate
//! (CAVI) steps of the mean-field family.

use super::gauss::{Gauss2, elbo, expectations, expectations_hermite, gradient_from};
use super::grid::Grid;
use super::target::Target;
use crate::math::InputError;
use crate::math::optim::Adam;
use crate::math::random::Random;

/// Most sweeps of [`fit_reverse`]: enough for 1e-13 on a Gaussian with |ρ| ≤ 0.99, where
/// coordinate ascent contracts the error by ρ² per sweep.
pub const MAX_SWEEPS: usize = 3000;

/// Which Gaussians q may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// N(m, diag(s₁², s₂²)): independent coordinates.
    MeanField,
    /// N(m, LLᵀ): any covariance.
    Full,
}

/// A fitted q with the numbers the widget shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// The fitted q.
    pub q: Gauss2,
    /// ELBO(q), nats.
    pub elbo: f64,
    /// KL(q ‖ p) = log Z − ELBO, nats.
    pub kl: f64,
    /// KL(p ‖ q), nats (the trapezoid rule on the grid).
    pub kl_forward: f64,
    /// Steps taken.
    pub steps: usize,
}

fn report(target: &Target, grid: &Grid, q: Gauss2, steps: usize) -> Fit {
    let elbo = elbo(target, &q);
    Fit {
        q,
        elbo,
        kl: (grid.log_z - elbo).max(0.0),
        kl_forward: grid.kl_from(q.m, q.cov()),
        steps,
    }
}

/// Accepts `proposal` if it is a valid q whose ELBO is not below `old` (up to rounding).
fn accept(
    target: &Target,
    proposal: Result<Gauss2, InputError>,
    old: f64,
) -> Option<(Gauss2, f64)> {
    let q = proposal.ok()?;
    let value = elbo(target, &q);
    (value.is_finite() && value >= old - 1e-12 * (1.0 + old.abs())).then_some((q, value))
}

/// One mean-field coordinate step on z_`i` (0 or 1), holding the other coordinate's factor:
/// the natural-gradient step 1/sᵢ² ← −E_q[∂ᵢ² log p̃], mᵢ ← mᵢ + sᵢ² E_q[∂ᵢ log p̃], with
/// E[∂ᵢ² log p̃] = E[εᵢ ∂ᵢ log p̃]/sᵢ (Stein's identity), halved until the ELBO does not
/// fall. On the Gaussian target this is exactly CAVI (Bishop, PRML §10.1.2):
/// mᵢ = μᵢ − Λᵢⱼ/Λᵢᵢ (mⱼ − μⱼ), sᵢ² = 1/Λᵢᵢ. `q` must be mean-field (ℓ₂₁ = 0).
pub fn coordinate_step(target: &Target, q: &Gauss2, i: usize) -> Gauss2 {
    let i = i.min(1);
    let e = expectations_hermite(target, q);
    let old = e.f + q.entropy();
    let s = [q.l[0], q.l[2]];
    let precision = 1.0 / (s[i] * s[i]);
    let wanted = -e.eg[i][i] / s[i];
    let mut beta = 1.0;
    while beta > 1e-6 {
        let lambda = if wanted > 0.0 {
            (1.0 - beta) * precision + beta * wanted
        } else {
            precision
        };
        let mut m = q.m;
        m[i] += beta * e.g[i] / lambda;
        let mut l = q.l;
        l[2 * i] = 1.0 / lambda.sqrt();
        if let Some((next, _)) = accept(target, Gauss2::new(m, l), old) {
            return next;
        }
        beta *= 0.5;
    }
    *q
}

/// One full-covariance natural-gradient step: Σ⁻¹ ← (1 − β)Σ⁻¹ + β(−E_q[∇² log p̃]),
/// m ← m + βΣ E_q[∇ log p̃], with E[∇² log p̃] = L⁻ᵀ E[ε ∇log p̃ᵀ] (Stein's identity,
/// symmetrised), β halved from 1 until the ELBO does not fall. On a Gaussian target the
/// first step lands on the target exactly.
fn full_step(target: &Target, q: &Gauss2) -> Gauss2 {
    let e = expectations_hermite(target, q);
    let old = e.f + q.entropy();
    let [a, b, c] = q.l;
    // H = L⁻ᵀ A, L⁻ᵀ = [[1/a, −b/(ac)], [0, 1/c]], A = eg.
    let inv = [[1.0 / a, -b / (a * c)], [0.0, 1.0 / c]];
    let h = |i: usize, j: usize| inv[i][0] * e.eg[0][j] + inv[i][1] * e.eg[1][j];
    let wanted = [-h(0, 0), -0.5 * (h(0, 1) + h(1, 0)), -h(1, 1)];
    let pd = wanted[0] > 0.0 && wanted[0] * wanted[2] - wanted[1] * wanted[1] > 0.0;
    let cov = q.cov();
    let det = cov[0] * cov[2] - cov[1] * cov[1];
    let precision = [cov[2] / det, -cov[1] / det, cov[0] / det];
    let mut beta = 1.0;
    while beta > 1e-6 {
        let p = if pd {
            [0, 1, 2].map(|k| (1.0 - beta) * precision[k] + beta * wanted[k])
        } else {
            precision
        };
        let d = p[0] * p[2] - p[1] * p[1];
        let s = [p[2] / d, -p[1] / d, p[0] / d];
        let m = [
            q.m[0] + beta * (s[0] * e.g[0] + s[1] * e.g[1]),
            q.m[1] + beta * (s[1] * e.g[0] + s[2] * e.g[1]),
        ];
        if let Some((next, _)) = accept(target, Gauss2::from_cov(m, s), old) {
            return next;
        }
        beta *= 0.5;
    }
    *q
}

/// Maximises the ELBO over `family` from `start` (mean-field: ℓ₂₁ is set to 0): repeated
/// [`coordinate_step`]s (both coordinates per sweep) or full natural-gradient steps, until a
/// sweep moves no parameter by more than 1e-13 (at most [`MAX_SWEEPS`]).
pub fn fit_reverse(target: &Target, grid: &Grid, family: Family, start: Gauss2) -> Fit {
    let mut q = start;
    if family == Family::MeanField {
        q.l[1] = 0.0;
    }
    let mut steps = 0;
    while steps < MAX_SWEEPS {
        let next = match family {
            Family::MeanField => coordinate_step(target, &coordinate_step(target, &q, 0), 1),
            Family::Full => full_step(target, &q),
        };
        steps += 1;
        let moved = (0..2)
            .map(|k| (next.m[k] - q.m[k]).abs())
            .chain((0..3).map(|k| (next.l[k] - q.l[k]).abs()))
            .fold(0.0, f64::max);
        q = next;
        if moved <= 1e-13 {
            break;
        }
    }
    report(target, grid, q, steps)
}

/// Minimises KL(p ‖ q) over `family`: q takes p's mean and covariance (full) or p's mean and
/// marginal variances (mean-field), from the grid.
pub fn fit_forward(target: &Target, grid: &Grid, family: Family) -> Result<Fit, InputError> {
    let mut c = grid.cov;
    if family == Family::MeanField {
        c[1] = 0.0;
    }
    Ok(report(target, grid, Gauss2::from_cov(grid.mean, c)?, 0))
}

/// Adam ascending the ELBO with reparameterised gradients: each step draws K seeded
/// ε ~ N(0, I), z = m + Lε, and averages ∇_θ[log p̃(z)] + ∇_θ H(q), θ = (m₁, m₂, ln ℓ₁₁, ℓ₂₁,
/// ln ℓ₂₂) (ℓ₂₁ stays 0 for the mean-field family).
#[derive(Debug, Clone)]
pub struct Optimiser {
    theta: [f64; 5],
    family: Family,
    adam: Adam,
    rng: Random,
    k: usize,
    lr: f64,
}

impl Optimiser {
    /// Starts at `q` with `k` samples per step (1 to 10 000), learning rate `lr` and `seed`.
    pub fn new(q: Gauss2, family: Family, k: usize, lr: f64, seed: u64) -> Self {
        let l21 = if family == Family::MeanField {
            0.0
        } else {
            q.l[1]
        };
        Self {
            theta: [q.m[0], q.m[1], q.l[0].ln(), l21, q.l[2].ln()],
            family,
            adam: Adam::new(5),
            rng: Random::new(seed),
            k: k.max(1),
            lr,
        }
    }

    /// The current q.
    pub fn q(&self) -> Result<Gauss2, InputError> {
        let t = self.theta;
        Gauss2::new([t[0], t[1]], [t[2].exp(), t[3], t[4].exp()])
    }

    /// One step; returns the sampled ELBO estimate before it. An error (q left its range)
    /// leaves the state unchanged.
    pub fn step(&mut self, target: &Target) -> Result<f64, InputError> {
        let q = self.q()?;
        let (value, mut grad) = sampled_gradient(target, &q, self.k, &mut self.rng);
        if self.family == Family::MeanField {
            grad[3] = 0.0;
        }
        let mut next = self.theta;
        self.adam.ascend(&mut next, &grad, self.lr)?;
        Gauss2::new([next[0], next[1]], [next[2].exp(), next[3], next[4].exp()])?;
        self.theta = next;
        Ok(value)
    }
}

/// The reparameterised estimate of the ELBO and its gradient in θ from `k` draws of ε.
pub fn sampled_gradient(
    target: &Target,
    q: &Gauss2,
    k: usize,
    rng: &mut Random,
) -> (f64, [f64; 5]) {
    let draws: Vec<[f64; 2]> = (0..k)
        .map(|_| [rng.standard_normal(), rng.standard_normal()])
        .collect();
    let w = 1.0 / k as f64;
    gradient_from(
        q,
        &expectations(target, q, draws.into_iter().map(|e| (w, e))),
    )
}
