//! Importance weights of q = N(m, s²) and the importance-weighted bounds (IWAE, Burda, Grosse
//! & Salakhutdinov 2016) on ln p(x):
//!
//! w(z) = p(x, z)/q(z),  L_K = E[ln (1/K) Σₖ w(zₖ)],  z₁, …, z_K ~ q independently.
//!
//! E_q[w] = p(x) for every q (q > 0 everywhere), so by Jensen's inequality (ln is concave)
//! L_1 = E_q[ln w] = ELBO ≤ L_K ≤ L_{K+1} ≤ ln p(x), and L_K → ln p(x) as K → ∞ when w is
//! bounded (Burda et al. 2016, Theorem 1). Estimates are Monte Carlo, seeded through
//! [`Random`], so a seed reproduces them bit for bit.

use super::Model;
use super::variational::{check_q, check_samples};
use crate::math::divergence::gaussian::LN_SQRT_2PI;
use crate::math::random::Random;
use crate::math::{Code, InputError};

/// A Monte Carlo estimate of L_K, in nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IwaeEstimate {
    /// K, the draws averaged inside the logarithm.
    pub k: usize,
    /// The mean of the R group values ln (1/K) Σₖ wₖ: an unbiased estimate of L_K.
    pub estimate: f64,
    /// Its standard error: the groups' sample standard deviation (divisor R − 1) over √R.
    pub std_error: f64,
    /// R = ⌊n/K⌋, the independent groups of K consecutive draws (leftover draws unused).
    pub groups: usize,
}

impl Model {
    /// `n` log importance weights ln w(zᵢ) = ln p(x, zᵢ) − ln q(zᵢ), in nats, zᵢ = m + sεᵢ
    /// with εᵢ ~ N(0, 1) from a generator seeded by `seed` (the same stream as
    /// [`Model::reparam_gradient`]). ln q(zᵢ) = −εᵢ²/2 − ln s − ln √(2π). Every value is finite.
    /// 1 ≤ `n` ≤ [`MAX_SAMPLES`]; model, `x`, `m`, `s` as in [`Model::elbo`].
    pub fn log_weights(
        &self,
        x: f64,
        m: f64,
        s: f64,
        n: usize,
        seed: u64,
    ) -> Result<Vec<f64>, InputError> {
        self.check_x(x)?;
        check_q(m, s)?;
        check_samples(n)?;
        let mut rng = Random::new(seed);
        let log_norm = s.ln() + LN_SQRT_2PI;
        Ok((0..n)
            .map(|_| {
                let e = rng.standard_normal();
                self.lj(m + s * e, x) + 0.5 * e * e + log_norm
            })
            .collect())
    }

    /// Estimates of L_K for each K in `ks` from the same `n` log weights
    /// ([`Model::log_weights`] with this `seed`): common random numbers, so the differences
    /// L_{K'} − L_K are far less noisy than the values. For each K the draws are cut into
    /// R = ⌊n/K⌋ consecutive groups; each group gives ln (1/K) Σ wₖ (log-sum-exp, no
    /// overflow). Because ln is concave, with K' a multiple of K the estimate of L_{K'} is
    /// never below that of L_K when n is a multiple of K' (each K'-group's value is at least
    /// the mean of its K-groups' values). Each K in 1 ..= n/2; otherwise as
    /// [`Model::log_weights`].
    pub fn iwae_bounds(
        &self,
        x: f64,
        m: f64,
        s: f64,
        ks: &[usize],
        n: usize,
        seed: u64,
    ) -> Result<Vec<IwaeEstimate>, InputError> {
        check_samples(n)?;
        for &k in ks {
            check_k(k, n)?;
        }
        iwae_bounds_of(&self.log_weights(x, m, s, n, seed)?, ks)
    }

    /// E_q[ln w] = E_q[ln p(x, z) − ln q(z)] in nats, by quadrature over z = m + sε (the
    /// −ln q term integrated too, not taken from the entropy's closed form): the ELBO, met
    /// here as the mean log weight, L_1. Same domain as [`Model::elbo`].
    pub fn expected_log_weight(&self, x: f64, m: f64, s: f64) -> Result<f64, InputError> {
        self.check_x(x)?;
        check_q(m, s)?;
        let [v] = self.expect_q(s, |e, d| [self.lj_diff(m, d, x) + 0.5 * e * e])?;
        Ok(self.lj(m, x) + v + s.ln() + LN_SQRT_2PI)
    }

    /// The estimate of L_K from `n` draws: [`Model::iwae_bounds`] for one K.
    pub fn iwae_bound(
        &self,
        x: f64,
        m: f64,
        s: f64,
        k: usize,
        n: usize,
        seed: u64,
    ) -> Result<IwaeEstimate, InputError> {
        Ok(self.iwae_bounds(x, m, s, &[k], n, seed)?[0])
    }
}

/// Estimates of L_K for each K in `ks` from the log weights `lw` (those of
/// [`Model::log_weights`]): [`Model::iwae_bounds`] without drawing them again. Each K in
/// 1 ..= len/2.
pub fn iwae_bounds_of(lw: &[f64], ks: &[usize]) -> Result<Vec<IwaeEstimate>, InputError> {
    for &k in ks {
        check_k(k, lw.len())?;
    }
    // One exponential per draw, shared by every K: wᵢ/w_max, w_max the largest weight.
    let max = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let scaled: Vec<f64> = lw.iter().map(|&v| (v - max).exp()).collect();
    Ok(ks
        .iter()
        .map(|&k| iwae_from_log_weights(lw, &scaled, max, k))
        .collect())
}

fn check_k(k: usize, n: usize) -> Result<(), InputError> {
    if k == 0 || k > n / 2 {
        return Err(InputError::OutOfRange {
            name: "k",
            value: k as f64,
            rule: Code::IwaeGroups,
        });
    }
    Ok(())
}

/// ln (1/K) Σ exp(lwₖ) over one group, shifted by its maximum.
fn log_mean_exp(lw: &[f64]) -> f64 {
    let max = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = lw.iter().map(|&v| (v - max).exp()).sum();
    max + sum.ln() - (lw.len() as f64).ln()
}

/// Smallest sum of scaled weights trusted to carry full precision (far above the subnormals
/// from 2.2e-308); a group below it is summed again with its own maximum.
const SCALED_FLOOR: f64 = 1e-280;

/// L_K's estimate from log weights `lw`, given `scaled` = exp(lw − `max`) (K ≤ len/2, checked
/// by the callers): each group's ln (1/K) Σ w = max + ln Σ scaled − ln K.
fn iwae_from_log_weights(lw: &[f64], scaled: &[f64], max: f64, k: usize) -> IwaeEstimate {
    if k == 1 {
        return summary(lw.to_vec(), k); // each group is one draw: its value is ln w itself
    }
    let ln_k = (k as f64).ln();
    let values: Vec<f64> = lw
        .chunks_exact(k)
        .zip(scaled.chunks_exact(k))
        .map(|(group, e)| {
            let sum: f64 = e.iter().sum();
            if sum > SCALED_FLOOR {
                max + sum.ln() - ln_k
            } else {
                log_mean_exp(group)
            }
        })
        .collect();
    summary(values, k)
}

/// The mean of the group values and its standard error.
fn summary(values: Vec<f64>, k: usize) -> IwaeEstimate {
    let r = values.len() as f64;
    let mean = values.iter().sum::<f64>() / r;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r - 1.0);
    IwaeEstimate {
        k,
        estimate: mean,
        std_error: (var / r).sqrt(),
        groups: values.len(),
    }
}

#[cfg(test)]
mod tests;
