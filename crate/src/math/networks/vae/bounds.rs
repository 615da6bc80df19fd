//! Tighter estimates of the evidence log p(x) than the ELBO: the importance-weighted bound
//! (IWAE, Burda, Grosse & Salakhutdinov 2016) and, for a 2-D latent space, a brute-force grid
//! over z that gives the exact posterior p(z | x) up to discretisation.
//!
//! Both use the decoder's likelihood, log p(x | z) = −Σ_pixels BCE(logit, x) (Bernoulli) or
//! −Σ_d ½[ln 2π + log σ_d² + (x_d − m_d)²/σ_d²] (Gaussian), and the prior N(0, I). Log-sum-exps and sums are accumulated in f64.

use super::*;

/// Mean IWAE bound and mean one-sample ELBO from the same draws, in nats per example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IwaeEstimate {
    /// Mean over examples of log (1/K) Σₖ p(x | zₖ) p(zₖ) / q(zₖ | x).
    pub iwae: f64,
    /// Mean over examples and the K draws of log p(x | zₖ) + log p(zₖ) − log q(zₖ | x).
    pub elbo: f64,
}

/// The unnormalised log posterior log p(x | z) + log N(z; 0, I) on an n × n grid of cell
/// centres over [−w, w]², normalised to a density.
#[derive(Debug, Clone, PartialEq)]
pub struct PosteriorGrid {
    /// Points per side.
    pub n: usize,
    /// w: the grid covers [−w, w]².
    pub half_width: f64,
    /// Area of one cell, (2w / n)².
    pub cell_area: f64,
    /// p(z | x) at the cell centres, row-major: row r has z₂ = −w + (r + ½)·2w/n (row 0 the
    /// smallest z₂), column c has z₁ = −w + (c + ½)·2w/n. Σ density · cell_area = 1.
    pub density: Vec<f64>,
    /// log p(x) ≈ log Σ_cells p(x | z) p(z) · cell_area, in nats (the midpoint rule).
    pub log_evidence: f64,
}

/// Largest grid side [`Vae::exact_posterior_grid`] accepts.
pub const MAX_GRID: usize = 400;

/// BCE(l, x) in f64 (the same stable form as [`bce_with_logits`]).
fn bce64(l: f32, x: f32) -> f64 {
    let (l, x) = (f64::from(l), f64::from(x));
    l.max(0.0) - l * x + (-l.abs()).exp().ln_1p()
}

/// ½[ln 2π + lv + (x − m)² e^{−lv}] in f64: −ln N(x; m, e^{lv}).
fn gaussian_nll64(m: f32, x: f32, lv: f32) -> f64 {
    let (r, lv) = (f64::from(x) - f64::from(m), f64::from(lv));
    0.5 * (LN_2PI + lv + r * r * (-lv).exp())
}

/// log N(z; 0, I) for one latent vector.
pub(super) fn log_prior(z: &[f32]) -> f64 {
    z.iter()
        .map(|&v| -0.5 * (LN_2PI + f64::from(v) * f64::from(v)))
        .sum()
}

/// log of Σ exp(values) without overflow; −∞ for an empty or all −∞ input.
pub(super) fn log_sum_exp(values: &[f64]) -> f64 {
    let m = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY || !m.is_finite() {
        return m;
    }
    m + values.iter().map(|v| (v - m).exp()).sum::<f64>().ln()
}

impl Vae {
    /// Decoder logits (n, D) for latent codes `z` (n, Z), no checks.
    fn logits(&self, z: &[f32]) -> Vec<f32> {
        self.decoder_logits(z)
    }

    /// log p(x | z) for each row of decoder outputs `logits` (logits or means) against the
    /// matching row of `x`: −Σ BCE (Bernoulli) or the Gaussian log density, in f64.
    pub(super) fn log_likelihoods(&self, logits: &[f32], x: &[f32]) -> Vec<f64> {
        let d = self.pixels();
        let lv = &self.log_var_x;
        let nll = |out: &[f32], x: &[f32]| -> f64 {
            let pairs = out.iter().zip(x);
            match self.likelihood {
                Likelihood::Bernoulli => pairs.map(|(&l, &x)| bce64(l, x)).sum(),
                Likelihood::Gaussian => pairs
                    .zip(lv)
                    .map(|((&m, &x), &lv)| gaussian_nll64(m, x, lv))
                    .sum(),
            }
        };
        logits
            .chunks(d)
            .zip(x.chunks(d))
            .map(|(out, x)| -nll(out, x))
            .collect()
    }

    /// The IWAE bound with `k` ≥ 1 importance samples per example of `data` (n, D), drawn
    /// zₖ = μ + σ·εₖ with ε from `Random::new(seed)` (k-major: all of draw 1's (n, Z) noise,
    /// then draw 2's, …, so k = 1 uses the same ε as [`Vae::evaluate_sampled`] with one
    /// sample). Returns the mean bound and the mean one-sample ELBO (Monte Carlo KL) from
    /// the same draws; iwae ≥ elbo always (Jensen per example) and iwae = elbo for k = 1.
    /// In autoencoder mode the proposal is q(z | x) = N(μ, I), which still gives a valid bound.
    pub fn iwae(&self, data: &[f32], k: usize, seed: u64) -> Result<IwaeEstimate, InputError> {
        let n = self.check_data(data, "data")?;
        if k == 0 {
            return Err(InputError::OutOfRange {
                name: "k",
                value: 0.0,
                rule: Code::ImportanceSamples,
            });
        }
        let zdim = self.latent();
        let (mu, logvar) = self.encode(data)?;
        let logvar = match self.mode {
            Mode::Variational => logvar,
            Mode::Autoencoder => vec![0.0; mu.len()],
        };
        let sigma: Vec<f32> = logvar.iter().map(|lv| (0.5 * lv).exp()).collect();
        let mut rng = Random::new(seed);
        // Running log-sum-exp per example: (max, Σ exp(w − max)).
        let mut acc = vec![(f64::NEG_INFINITY, 0.0f64); n];
        let mut elbo_sum = 0.0;
        let mut eps = vec![0.0f32; n * zdim];
        let mut z = vec![0.0f32; n * zdim];
        for _ in 0..k {
            for e in &mut eps {
                *e = rng.standard_normal() as f32;
            }
            for i in 0..n * zdim {
                z[i] = mu[i] + sigma[i] * eps[i];
            }
            let log_px = self.log_likelihoods(&self.logits(&z), data);
            for (i, (lp, a)) in log_px.iter().zip(&mut acc).enumerate() {
                let rows = i * zdim..(i + 1) * zdim;
                let log_q: f64 = eps[rows.clone()]
                    .iter()
                    .zip(&logvar[rows.clone()])
                    .map(|(&e, &lv)| -0.5 * (LN_2PI + f64::from(lv) + f64::from(e) * f64::from(e)))
                    .sum();
                let w = lp + log_prior(&z[rows]) - log_q;
                elbo_sum += w;
                if w > a.0 {
                    a.1 = a.1 * (a.0 - w).exp() + 1.0;
                    a.0 = w;
                } else {
                    a.1 += (w - a.0).exp();
                }
            }
        }
        let ln_k = (k as f64).ln();
        let iwae = acc.iter().map(|&(m, s)| m + s.ln() - ln_k).sum::<f64>() / n as f64;
        Ok(IwaeEstimate {
            iwae,
            elbo: elbo_sum / (n as f64 * k as f64), // n · k may exceed a 32-bit usize
        })
    }

    /// The posterior p(z | x) of one example `x` (D pixels) on an `n` × `n` grid
    /// (2 ≤ n ≤ [`MAX_GRID`]) of cell centres over [−`half_width`, `half_width`]², and the
    /// grid estimate of log p(x). Needs latent dimension 2 and a finite `half_width` > 0.
    pub fn exact_posterior_grid(
        &self,
        x: &[f32],
        n: usize,
        half_width: f64,
    ) -> Result<PosteriorGrid, InputError> {
        if self.latent() != 2 {
            return Err(InputError::OutOfRange {
                name: "latent",
                value: self.latent() as f64,
                rule: Code::GridLatent,
            });
        }
        let d = self.pixels();
        if x.len() != d {
            return Err(InputError::LengthMismatch {
                name_a: "x",
                len_a: x.len(),
                name_b: "pixels per example",
                len_b: d,
            });
        }
        self.check_data(x, "x")?;
        if !(2..=MAX_GRID).contains(&n) {
            return Err(InputError::OutOfRange {
                name: "n",
                value: n as f64,
                rule: Code::GridSide,
            });
        }
        if !(half_width.is_finite() && half_width > 0.0) {
            return Err(InputError::OutOfRange {
                name: "half_width",
                value: half_width,
                rule: Code::GridHalfWidth,
            });
        }
        let step = 2.0 * half_width / n as f64;
        let coord = |i: usize| -half_width + (i as f64 + 0.5) * step;
        let xs: Vec<f32> = x.repeat(n);
        let mut log_joint = Vec::with_capacity(n * n);
        let mut z = vec![0.0f32; 2 * n];
        for r in 0..n {
            for c in 0..n {
                z[2 * c] = coord(c) as f32;
                z[2 * c + 1] = coord(r) as f32;
            }
            let log_px = self.log_likelihoods(&self.logits(&z), &xs);
            log_joint.extend(
                log_px
                    .iter()
                    .zip(z.chunks(2))
                    .map(|(lp, zc)| lp + log_prior(zc)),
            );
        }
        let cell_area = step * step;
        let lse = log_sum_exp(&log_joint);
        let log_evidence = lse + cell_area.ln();
        let density = log_joint
            .iter()
            .map(|lj| (lj - log_evidence).exp())
            .collect();
        Ok(PosteriorGrid {
            n,
            half_width,
            cell_area,
            density,
            log_evidence,
        })
    }
}

#[cfg(test)]
mod tests;
