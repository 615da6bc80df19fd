//! Part 3's ELBO ascent: q = N(m, s²) fitted to a [`Model`]'s posterior by Adam steps up the
//! ELBO (exact or reparameterised gradients), and every quantity of the ELBO's derivations at
//! one q.

use crate::math::InputError;
use crate::math::divergence::gaussian::{LN_SQRT_2PI, kl_normal};
use crate::math::inference::posterior::Model;
use crate::math::optim::Adam;

/// Which gradient of the ELBO a step follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimate {
    /// The exact gradient, by quadrature.
    Exact,
    /// The reparameterised estimate from `k` samples z = m + sε, ε seeded by `seed`.
    Reparam { k: usize, seed: u64 },
}

/// Adam's state while q is being optimised: parameters (m, ln s).
#[derive(Debug, Clone)]
pub struct Ascent {
    params: [f64; 2],
    adam: Adam,
    lr: f64,
}

/// q after a step: its (m, s), and the exact ELBO and KL(q ‖ p(z | x)) there, in nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscentStep {
    pub m: f64,
    pub s: f64,
    pub elbo: f64,
    pub kl: f64,
}

impl Ascent {
    /// Starts from q = N(m, s²) with learning rate `lr` (checked by the caller: > 0).
    pub fn new(m: f64, s: f64, lr: f64) -> Self {
        Self {
            params: [m, s.ln()],
            adam: Adam::new(2),
            lr,
        }
    }

    /// One Adam step up the ELBO of `model` at observation `x`, following `estimate`. A
    /// rejected step (q where the model cannot be evaluated) leaves q as it was.
    pub fn step(
        &mut self,
        model: &Model,
        x: f64,
        estimate: Estimate,
    ) -> Result<AscentStep, InputError> {
        let [m, log_s] = self.params;
        let g = match estimate {
            Estimate::Exact => model.elbo_gradient(x, m, log_s.exp())?,
            Estimate::Reparam { k, seed } => model.reparam_gradient(x, m, log_s.exp(), k, seed)?,
        };
        let mut next = self.params;
        self.adam.ascend(&mut next, &[g.d_m, g.d_log_s], self.lr)?;
        // Keep q where the model can be evaluated; a rejected step leaves q as it was.
        let s = next[1].exp();
        let elbo = model.elbo(x, next[0], s)?;
        let kl = model.kl_to_posterior(x, next[0], s)?;
        self.params = next;
        Ok(AscentStep {
            m: next[0],
            s,
            elbo,
            kl,
        })
    }
}

/// Every quantity of the ELBO derivations at q = N(m, s²), in nats: log p(x) = ELBO + KL,
/// ELBO = E_q[ln p(x,z)] + h(q) = E_q[ln p(x|z)] − KL(q ‖ p(z)) = E_q[ln w] (Jensen's route,
/// w = p(x, z)/q(z), ln E_q[w] = ln p(x)).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Derivation {
    pub log_evidence: f64,
    pub elbo: f64,
    /// KL(q ‖ p(z | x)).
    pub kl: f64,
    pub expected_log_joint: f64,
    /// h(q) = ½ + ln √(2π) + ln s.
    pub entropy_q: f64,
    pub expected_log_likelihood: f64,
    /// KL(q ‖ N(0, 1)).
    pub kl_to_prior: f64,
    /// E_q[ln w], w = p(x, z)/q(z), by its own quadrature (equals the ELBO).
    pub expected_log_weight: f64,
}

/// The [`Derivation`] of `model` at observation `x` for q = N(m, s²).
pub fn derivation(model: &Model, x: f64, m: f64, s: f64) -> Result<Derivation, InputError> {
    let log_evidence = model.log_evidence(x)?;
    let elbo = model.elbo(x, m, s)?;
    let entropy_q = 0.5 + LN_SQRT_2PI + s.ln();
    let kl_to_prior = kl_normal(m, s, 0.0, 1.0)?;
    Ok(Derivation {
        log_evidence,
        elbo,
        kl: model.kl_to_posterior(x, m, s)?,
        expected_log_joint: elbo - entropy_q,
        entropy_q,
        expected_log_likelihood: elbo + kl_to_prior,
        kl_to_prior,
        expected_log_weight: model.expected_log_weight(x, m, s)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derivation_values_add_up() {
        let model = Model::Gaussian { sigma_x: 0.8 };
        let d = derivation(&model, 1.3, 0.2, 0.7).unwrap();
        assert!((d.log_evidence - (d.elbo + d.kl)).abs() < 1e-12, "{d:?}");
        assert!((d.elbo - (d.expected_log_joint + d.entropy_q)).abs() < 1e-12);
        assert!((d.elbo - (d.expected_log_likelihood - d.kl_to_prior)).abs() < 1e-12);
        assert!(d.kl > 0.0 && d.kl_to_prior > 0.0);
    }

    #[test]
    fn the_jensen_derivation_meets_the_other_two() {
        // ln p(x) = ln E_q[w] ≥ E_q[ln w] = ELBO, with the Jensen gap equal to the KL of the
        // first derivation, on every model and on q near and far from the posterior.
        let cases = [
            (Model::Gaussian { sigma_x: 0.8 }, 1.3, 0.2, 0.7),
            (Model::Bimodal { sigma_x: 0.5 }, 2.5, 0.5, 1.0),
            (Model::Logistic { a: 2.0, b: 0.0 }, 1.0, -1.0, 2.0),
        ];
        for (model, x, m, s) in cases {
            let d = derivation(&model, x, m, s).unwrap();
            assert!((d.expected_log_weight - d.elbo).abs() < 1e-11, "{d:?}");
            assert!((d.expected_log_weight - (d.expected_log_joint + d.entropy_q)).abs() < 1e-11);
            assert!(
                (d.log_evidence - d.expected_log_weight - d.kl).abs() < 1e-11,
                "{d:?}"
            );
            assert!(d.log_evidence > d.expected_log_weight);
        }
    }

    #[test]
    fn ascent_reaches_the_gaussian_posterior() {
        // Prior N(0, 1), x | z ~ N(z, σ²): the posterior is N(x/(1 + σ²), σ²/(1 + σ²)).
        let (sigma, x) = (0.8f64, 1.3);
        let model = Model::Gaussian { sigma_x: sigma };
        let mut ascent = Ascent::new(-1.0, 2.0, 0.05);
        let first = ascent.step(&model, x, Estimate::Exact).unwrap();
        let mut last = first;
        for _ in 0..2000 {
            last = ascent.step(&model, x, Estimate::Exact).unwrap();
        }
        let v = sigma * sigma;
        assert!(last.kl < 1e-6 && last.kl < first.kl, "{last:?}");
        assert!((last.m - x / (1.0 + v)).abs() < 1e-3, "{last:?}");
        assert!((last.s - (v / (1.0 + v)).sqrt()).abs() < 1e-3, "{last:?}");
        let noisy = ascent
            .step(&model, x, Estimate::Reparam { k: 8, seed: 3 })
            .unwrap();
        assert!(noisy.kl.is_finite() && noisy.kl < 1e-2, "{noisy:?}");
    }
}
