//! Variational inference with q = N(m, s²): the evidence lower bound (ELBO), the gap
//! KL(q ‖ p(z | x)), and ELBO gradients in (m, ln s), exact (quadrature) or stochastic
//! (reparameterisation z = m + sε with seeded ε ~ N(0, 1)).

use super::Model;
use crate::math::divergence::gaussian::{LN_SQRT_2PI, check_finite, check_scale};
use crate::math::quadrature::{Tolerance, integrate_vec};
use crate::math::random::Random;
use crate::math::{Code, InputError};

/// Largest |m| accepted.
pub const M_LIMIT: f64 = 1e3;
/// Smallest and largest s accepted.
pub const S_RANGE: (f64, f64) = (1e-6, 1e3);
/// Most Monte Carlo samples per stochastic gradient.
pub const MAX_SAMPLES: usize = 1_000_000;

/// An ELBO value (nats) and its gradient in q's parameters (m, ℓ = ln s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElboGradient {
    /// The ELBO, in nats (an estimate, for the stochastic version).
    pub value: f64,
    /// ∂ELBO/∂m, per unit of z.
    pub d_m: f64,
    /// ∂ELBO/∂ln s (dimensionless).
    pub d_log_s: f64,
}

/// A Monte Carlo sample count must lie in 1..=MAX_SAMPLES.
pub(super) fn check_samples(samples: usize) -> Result<(), InputError> {
    if !(1..=MAX_SAMPLES).contains(&samples) {
        return Err(InputError::OutOfRange {
            name: "samples",
            value: samples as f64,
            rule: Code::MonteCarloSamples,
        });
    }
    Ok(())
}

pub(super) fn check_q(m: f64, s: f64) -> Result<(), InputError> {
    check_finite(m, "m", None)?;
    check_scale(s, "s", None)?;
    if m.abs() > M_LIMIT {
        return Err(InputError::OutOfRange {
            name: "m",
            value: m,
            rule: Code::QMeanRange,
        });
    }
    if !(S_RANGE.0..=S_RANGE.1).contains(&s) {
        return Err(InputError::OutOfRange {
            name: "s",
            value: s,
            rule: Code::QScaleRange,
        });
    }
    Ok(())
}

/// h(q) = ½ ln(2πe s²), in nats.
fn entropy(s: f64) -> f64 {
    0.5 + LN_SQRT_2PI + s.ln()
}

impl Model {
    /// E_q[f(ε, d)] with d = sε = z − m, ε ~ N(0, 1), by quadrature over ε ∈ [−12, 12]
    /// (the tail beyond holds < 1e-30 of any polynomial-times-Gaussian integrand). d is
    /// passed rather than z because m + sε would round away sε when s ≪ |m|.
    pub(super) fn expect_q<const N: usize>(
        &self,
        s: f64,
        f: impl Fn(f64, f64) -> [f64; N],
    ) -> Result<[f64; N], InputError> {
        let points = [-12.0, -8.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 8.0, 12.0];
        let integrand = |e: f64| {
            let weight = (-0.5 * e * e - LN_SQRT_2PI).exp();
            f(e, s * e).map(|v| weight * v)
        };
        Ok(integrate_vec(integrand, &points, &Tolerance::default())?.value)
    }

    /// Evidence lower bound of q = N(m, s²), in nats:
    ///
    /// ELBO(m, s) = E_q[ln p(x, z)] + h(q),  h(q) = ½ ln(2πe s²)
    ///
    /// ELBO ≤ ln p(x), with equality iff q is the posterior (so only for the Gaussian
    /// model). The expectation is by adaptive quadrature over z = m + sε (relative error
    /// ~1e-12). `m` finite, |m| ≤ 1000; `s` in [`S_RANGE`]; model and `x` as in
    /// [`Model::log_joint`].
    pub fn elbo(&self, x: f64, m: f64, s: f64) -> Result<f64, InputError> {
        self.check_x(x)?;
        check_q(m, s)?;
        let [lj] = self.expect_q(s, |_, d| [self.lj_diff(m, d, x)])?;
        Ok(self.lj(m, x) + lj + entropy(s))
    }

    /// The gap KL(q ‖ p(z | x)) = ln p(x) − ELBO(m, s) ≥ 0, in nats.
    ///
    /// Both terms by quadrature, so the result carries their ~1e-12 errors; it is clamped
    /// at 0. Same domain as [`Model::elbo`].
    pub fn kl_to_posterior(&self, x: f64, m: f64, s: f64) -> Result<f64, InputError> {
        let elbo = self.elbo(x, m, s)?;
        Ok((self.log_evidence(x)? - elbo).max(0.0))
    }

    /// The ELBO and its exact gradient in (m, ℓ = ln s), by quadrature:
    ///
    /// ∂ELBO/∂m = E_q[g(z)],  ∂ELBO/∂ℓ = s·E_q[ε g(z)] + 1,  g = ∂/∂z ln p(x, z)
    ///
    /// (differentiating E[ln p(x, m + sε)] under the integral; the 1 is ∂h/∂ℓ). Relative
    /// error ~1e-12. Same domain as [`Model::elbo`].
    pub fn elbo_gradient(&self, x: f64, m: f64, s: f64) -> Result<ElboGradient, InputError> {
        self.check_x(x)?;
        check_q(m, s)?;
        // Centred at z = m: E[f(z) − f(m)] has no large constant to cancel, and
        // E[ε g(z)] = E[ε (g(z) − g(m))] since E[ε] = 0.
        let [lj, g, eg] = self.expect_q(s, |e, d| {
            let g = self.dlj_diff(m, d, x);
            [self.lj_diff(m, d, x), g, e * g]
        })?;
        Ok(ElboGradient {
            value: self.lj(m, x) + lj + entropy(s),
            d_m: self.dlj(m, x) + g,
            d_log_s: s * eg + 1.0,
        })
    }

    /// A stochastic (reparameterisation) estimate of the ELBO and its gradient, from K =
    /// `samples` draws εₖ ~ N(0, 1) of a generator seeded with `seed`, zₖ = m + sεₖ:
    ///
    /// ELBO ≈ (1/K) Σ ln p(x, zₖ) + h(q),  ∂/∂m ≈ (1/K) Σ g(zₖ),
    /// ∂/∂ℓ ≈ (s/K) Σ εₖ g(zₖ) + 1
    ///
    /// Unbiased for [`Model::elbo_gradient`]; the standard error falls as 1/√K. The same
    /// seed gives the same estimate. 1 ≤ `samples` ≤ [`MAX_SAMPLES`]; otherwise as
    /// [`Model::elbo`].
    pub fn reparam_gradient(
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
        let (mut lj, mut g, mut eg) = (0.0, 0.0, 0.0);
        for _ in 0..samples {
            let e = rng.standard_normal();
            let z = m + s * e;
            let gz = self.dlj(z, x);
            lj += self.lj(z, x);
            g += gz;
            eg += e * gz;
        }
        let k = samples as f64;
        Ok(ElboGradient {
            value: lj / k + entropy(s),
            d_m: g / k,
            d_log_s: s * eg / k + 1.0,
        })
    }
}
