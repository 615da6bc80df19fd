//! The two Monte Carlo estimators of the ELBO's gradient in q = N(m, s²)'s parameters
//! (m, ℓ = ln s), side by side: the reparameterisation (pathwise) estimator of
//! [`Model::reparam_gradient`], which differentiates the integrand through z = m + sε, and the
//! score-function (REINFORCE) estimator, which differentiates the density q instead:
//!
//! ∇ E_q[f(z)] = E_q[f(z) ∇ ln q(z)],  f(z) = ln p(x, z) − ln q(z)
//!
//! (the second term of ∇f, E_q[∇ ln q] = 0, drops out). It needs only values of f, never ∂f/∂z,
//! so it works for a discrete z or a model that cannot be differentiated; the price is its
//! variance. [`Model::gradient_variances`] gives both estimators' variances exactly, by
//! quadrature.

use super::variational::{check_q, check_samples};
use super::{ElboGradient, Model};
use crate::math::InputError;
use crate::math::divergence::gaussian::LN_SQRT_2PI;
use crate::math::random::Random;

/// The variance of one sample (K = 1) of each estimator's two components, [∂/∂m, ∂/∂ln s];
/// an average of K independent samples has 1/K of it. Units: (nats per unit of z)² and nats².
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EstimatorVariances {
    /// The reparameterisation estimator: Var[g(z)] and s²·Var[ε g(z)], g = ∂/∂z ln p(x, z).
    pub reparam: [f64; 2],
    /// The score-function estimator: Var[f ε/s] and Var[f (ε² − 1)].
    pub score: [f64; 2],
}

impl Model {
    /// A score-function (REINFORCE) estimate of the ELBO and its gradient, from K = `samples`
    /// draws εₖ ~ N(0, 1) of a generator seeded with `seed` (the same εₖ as
    /// [`Model::reparam_gradient`] with that seed), zₖ = m + sεₖ, fₖ = ln p(x, zₖ) − ln q(zₖ):
    ///
    /// ELBO ≈ (1/K) Σ fₖ,  ∂/∂m ≈ (1/K) Σ fₖ εₖ/s,  ∂/∂ℓ ≈ (1/K) Σ fₖ (εₖ² − 1)
    ///
    /// since ∂ ln q/∂m = (z − m)/s² = ε/s and ∂ ln q/∂ℓ = ε² − 1. No baseline is subtracted.
    /// Unbiased for [`Model::elbo_gradient`]; the standard error falls as 1/√K. Same domain as
    /// [`Model::reparam_gradient`].
    pub fn score_gradient(
        &self,
        x: f64,
        m: f64,
        s: f64,
        samples: usize,
        seed: u64,
    ) -> Result<ElboGradient, InputError> {
        self.check_x(x)?;
        check_q(m, s)?;
        check_samples(samples)?;
        let mut rng = Random::new(seed);
        // −ln q(z) = ln s + ε²/2 + ln √(2π).
        let offset = s.ln() + LN_SQRT_2PI;
        let (mut sum_f, mut fe, mut fe2) = (0.0, 0.0, 0.0);
        for _ in 0..samples {
            let e = rng.standard_normal();
            let f = self.lj(m + s * e, x) + offset + 0.5 * e * e;
            sum_f += f;
            fe += f * e;
            fe2 += f * (e * e - 1.0);
        }
        let k = samples as f64;
        Ok(ElboGradient {
            value: sum_f / k,
            d_m: fe / (k * s),
            d_log_s: fe2 / k,
        })
    }

    /// The exact variance of one sample of each estimator (see [`EstimatorVariances`]), by
    /// quadrature over ε (relative error ~1e-10): with d = sε,
    ///
    /// reparam: Var[g(m + d)], s²·Var[ε g(m + d)];  score: E[f²ε²]/s² − (∂ELBO/∂m)²,
    /// E[f²(ε² − 1)²] − (∂ELBO/∂ℓ)².
    ///
    /// Same domain as [`Model::elbo`].
    pub fn gradient_variances(
        &self,
        x: f64,
        m: f64,
        s: f64,
    ) -> Result<EstimatorVariances, InputError> {
        self.check_x(x)?;
        check_q(m, s)?;
        let exact = self.elbo_gradient(x, m, s)?;
        // f = c + [ln p(x, m + d) − ln p(x, m)] + ε²/2, the constant c taken out of the
        // integral; g(z) = g(m) + h with h = g(m + d) − g(m), as Var[g] = Var[h].
        let c = self.lj(m, x) + s.ln() + LN_SQRT_2PI;
        let [h, h2, e2h, e2h2, f2e2, f2w2] = self.expect_q(s, |e, d| {
            let h = self.dlj_diff(m, d, x);
            let f = c + self.lj_diff(m, d, x) + 0.5 * e * e;
            let (e2, w) = (e * e, e * e - 1.0);
            [h, h * h, e2 * h, e2 * h * h, f * f * e2, f * f * w * w]
        })?;
        // s·E[ε g] = ∂ELBO/∂ℓ − 1; E[ε² g²] = E[ε² h²] + 2 g(m) E[ε² h] + g(m)² (E[ε²] = 1).
        let g_m = self.dlj(m, x);
        let e_g = (exact.d_log_s - 1.0) / s;
        let e2g2 = e2h2 + 2.0 * g_m * e2h + g_m * g_m;
        let reparam = [(h2 - h * h).max(0.0), (s * s * (e2g2 - e_g * e_g)).max(0.0)];
        let score = [
            (f2e2 / (s * s) - exact.d_m * exact.d_m).max(0.0),
            (f2w2 - exact.d_log_s * exact.d_log_s).max(0.0),
        ];
        Ok(EstimatorVariances { reparam, score })
    }
}
