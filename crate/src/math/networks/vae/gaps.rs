//! The two parts of the gap log p(x) − ELBO(q_φ) (Cremer, Li & Duvenaud 2018): for one image
//! x and the current, frozen decoder, the best diagonal Gaussian q*(z) = N(m, diag e^{lv}) is
//! fitted by stochastic gradient ascent on its own ELBO, starting from the encoder's q_φ(z | x).
//! Then
//!
//! log p(x) − ELBO(q_φ) = [log p(x) − ELBO(q*)] + [ELBO(q*) − ELBO(q_φ)]
//!
//! the **approximation gap** (what no diagonal Gaussian can close) plus the **amortisation
//! gap** (what one shared encoder loses against a q fitted to this x alone).

use super::*;
use crate::math::optim::Adam;

/// Largest |m| a q accepted by [`Vae::elbo_of`] may have, and the fit's bound.
pub const MAX_Q_MEAN: f32 = 1000.0;
/// Largest |log σ²| a q may have (σ from about 3e-7 to 3e6), and the fit's bound.
pub const MAX_Q_LOG_VAR: f32 = 30.0;
/// Adam's initial learning rate in [`Vae::fit_posterior`], on (m, log σ²); it decays linearly
/// to 0 over the run, so the last steps average out the Monte Carlo noise of the gradients.
pub const FIT_LR: f64 = 0.05;
/// Most draws decoded at once by the Monte Carlo estimates and the fit…
const CHUNK: usize = 256;
/// …and most decoded values (draws × pixels) at once, so a wide model's buffers stay small
/// (on wasm32 too, where usize has 32 bits).
const CHUNK_VALUES: usize = 1 << 20;

impl Vae {
    /// Draws per decoder call: [`CHUNK`], fewer for wide images, at least 1.
    pub(super) fn chunk(&self) -> usize {
        (CHUNK_VALUES / self.pixels()).clamp(1, CHUNK)
    }
}

/// A Monte Carlo estimate of ELBO(q) = E_q[log p(x | z)] − KL(q ‖ N(0, I)), nats.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ElboEstimate {
    /// The mean over draws of log p(x | zₖ) − KL (the KL in closed form).
    pub elbo: f64,
    /// Its standard error: the sample standard deviation of log p(x | zₖ) over √K.
    pub standard_error: f64,
}

/// The fitted q*(z) = N(mu, diag e^{logvar}) of [`Vae::fit_posterior`].
#[derive(Debug, Clone, PartialEq)]
pub struct FittedQ {
    /// Mean m, (Z).
    pub mu: Vec<f32>,
    /// log σ², (Z).
    pub logvar: Vec<f32>,
    /// Adam steps taken.
    pub steps: usize,
}

impl Vae {
    /// Checks one image `x` (D values, in the likelihood's range).
    fn check_image(&self, x: &[f32]) -> Result<(), InputError> {
        if x.len() != self.pixels() {
            return Err(InputError::LengthMismatch {
                name_a: "x",
                len_a: x.len(),
                name_b: "pixels per example",
                len_b: self.pixels(),
            });
        }
        self.check_data(x, "x").map(|_| ())
    }

    /// Checks a q's parameters: Z values each, |mu| ≤ [`MAX_Q_MEAN`], |logvar| ≤
    /// [`MAX_Q_LOG_VAR`] (NaN fails both).
    fn check_q(&self, mu: &[f32], logvar: &[f32]) -> Result<(), InputError> {
        for (name, v) in [("mu", mu), ("logvar", logvar)] {
            if v.len() != self.latent() {
                return Err(InputError::LengthMismatch {
                    name_a: name,
                    len_a: v.len(),
                    name_b: "the latent dimension",
                    len_b: self.latent(),
                });
            }
        }
        let bad = |v: &[f32], max: f32| v.iter().copied().find(|x| !(-max..=max).contains(x));
        if let Some(m) = bad(mu, MAX_Q_MEAN) {
            return Err(InputError::OutOfRange {
                name: "mu",
                value: f64::from(m),
                rule: Code::QMeanRange,
            });
        }
        if let Some(lv) = bad(logvar, MAX_Q_LOG_VAR) {
            return Err(InputError::OutOfRange {
                name: "logvar",
                value: f64::from(lv),
                rule: Code::QLogVarRange,
            });
        }
        Ok(())
    }

    /// The encoder's q_φ(z | x) for one image: (μ, log σ²), each (Z); log σ² = 0 (σ = 1) in
    /// autoencoder mode, whose log-variance head is untrained (as [`Vae::iwae`] does).
    pub fn encoder_q(&self, x: &[f32]) -> Result<(Vec<f32>, Vec<f32>), InputError> {
        self.check_image(x)?;
        let (mu, logvar) = self.encode(x)?;
        Ok(match self.mode {
            Mode::Variational => (mu, logvar),
            Mode::Autoencoder => (mu, vec![0.0; self.latent()]),
        })
    }

    /// ELBO(q) = E_q[log p(x | z)] − KL(q ‖ N(0, I)) for one image `x` and a **given** Gaussian
    /// q = N(`mu`, diag e^`logvar`), nats: the mean of log p(x | zₖ) over `samples` ≥ 2 draws
    /// zₖ = m + σ·εₖ (ε from `Random::new(seed)`, Z normals per draw in turn, so one image's
    /// draws are those of [`Vae::evaluate_sampled`]), minus the closed-form KL, with its
    /// standard error. Two q's estimated with one seed share their ε (common random numbers):
    /// their difference is far less noisy than either estimate.
    pub fn elbo_of(
        &self,
        x: &[f32],
        mu: &[f32],
        logvar: &[f32],
        samples: usize,
        seed: u64,
    ) -> Result<ElboEstimate, InputError> {
        self.check_image(x)?;
        self.check_q(mu, logvar)?;
        if samples < 2 {
            return Err(InputError::OutOfRange {
                name: "samples",
                value: samples as f64,
                rule: Code::ElboSamples,
            });
        }
        let zd = self.latent();
        let sigma: Vec<f32> = logvar.iter().map(|lv| (0.5 * lv).exp()).collect();
        let kl: f64 = mu
            .iter()
            .zip(logvar)
            .map(|(&m, &lv)| {
                let (m, lv) = (f64::from(m), f64::from(lv));
                0.5 * (m * m + lv.exp_m1() - lv)
            })
            .sum();
        let chunk = self.chunk();
        let xs = x.repeat(chunk.min(samples));
        let mut rng = Random::new(seed);
        let (mut sum, mut sum_sq, mut shift) = (0.0f64, 0.0f64, None);
        let mut z = Vec::with_capacity(chunk * zd);
        let mut left = samples;
        while left > 0 {
            let k = left.min(chunk);
            z.clear();
            for _ in 0..k {
                for j in 0..zd {
                    z.push(mu[j] + sigma[j] * rng.standard_normal() as f32);
                }
            }
            for lp in self.log_likelihoods(&self.decoder_logits(&z), &xs) {
                // Shifted by the first value, so the variance does not cancel catastrophically.
                let d = lp - *shift.get_or_insert(lp);
                sum += d;
                sum_sq += d * d;
            }
            left -= k;
        }
        let n = samples as f64;
        let mean = sum / n;
        let var = ((sum_sq - n * mean * mean) / (n - 1.0)).max(0.0);
        Ok(ElboEstimate {
            elbo: shift.unwrap_or(0.0) + mean - kl,
            standard_error: (var / n).sqrt(),
        })
    }

    /// q*(z) = N(m, diag e^{lv}) for one image `x` under the current decoder (unchanged):
    /// `steps` Adam steps **up** ELBO(q) = E_q[log p(x | z)] − KL(q ‖ N(0, I)) on (m, log σ²),
    /// starting from the encoder's q_φ(z | x) ([`Vae::encoder_q`]), each from `samples` ≥ 1
    /// reparameterised draws zₖ = m + σ·εₖ (ε from `Random::new(seed)`):
    ///
    /// ∂ELBO/∂m = (1/K) Σₖ gₖ − m,  ∂ELBO/∂lv = (1/K) Σₖ gₖ·εₖ·½σ − ½(e^{lv} − 1),
    /// gₖ = ∂ log p(x | zₖ)/∂z (the decoder's reverse pass)
    ///
    /// The learning rate falls linearly from [`FIT_LR`] to 0; m and lv are kept within
    /// ±[`MAX_Q_MEAN`] and ±[`MAX_Q_LOG_VAR`]. `steps` = 0 returns q_φ itself.
    pub fn fit_posterior(
        &self,
        x: &[f32],
        steps: usize,
        samples: usize,
        seed: u64,
    ) -> Result<FittedQ, InputError> {
        let (mu0, lv0) = self.encoder_q(x)?;
        if samples == 0 {
            return Err(InputError::OutOfRange {
                name: "samples",
                value: 0.0,
                rule: Code::AverageSamples,
            });
        }
        let zd = self.latent();
        // θ = (m, lv), (2Z), in f64 for Adam; the draws and the decoder in f32.
        let mut theta: Vec<f64> = mu0.iter().chain(&lv0).map(|&v| f64::from(v)).collect();
        let mut adam = Adam::new(2 * zd);
        let mut rng = Random::new(seed);
        let mut ws = Workspace::default();
        let chunk = self.chunk();
        let xs = x.repeat(chunk.min(samples));
        let (mut eps, mut z, mut dz, mut dz_part) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut grad = vec![0.0f64; 2 * zd];
        for t in 0..steps {
            let (m, lv) = theta.split_at(zd);
            let sigma: Vec<f64> = lv.iter().map(|lv| (0.5 * lv).exp()).collect();
            eps.clear();
            eps.extend((0..samples * zd).map(|_| rng.standard_normal()));
            z.clear();
            z.extend(eps.iter().enumerate().map(|(i, e)| {
                let j = i % zd;
                (m[j] + sigma[j] * e) as f32
            }));
            // dz ← ∂(−log p(x | zₖ))/∂zₖ, (K, Z), `chunk` draws per decoder call.
            dz.clear();
            for zs in z.chunks(chunk * zd) {
                let rows = zs.len() / zd * self.pixels();
                self.neg_log_lik_and_z_grad(&mut ws, &xs[..rows], zs, &mut dz_part);
                dz.extend_from_slice(&dz_part);
            }
            let inv_k = 1.0 / samples as f64;
            let (gm, glv) = grad.split_at_mut(zd);
            for j in 0..zd {
                gm[j] = -m[j];
                glv[j] = -0.5 * lv[j].exp_m1();
            }
            for (row, er) in dz.chunks_exact(zd).zip(eps.chunks_exact(zd)) {
                for j in 0..zd {
                    let g = -f64::from(row[j]) * inv_k; // ∂ log p/∂z
                    gm[j] += g;
                    glv[j] += g * er[j] * 0.5 * sigma[j];
                }
            }
            if grad.iter().any(|g| !g.is_finite()) {
                return Err(InputError::NotFiniteNumber {
                    name: "grads",
                    index: grad.iter().position(|g| !g.is_finite()),
                    value: f64::NAN,
                });
            }
            let lr = FIT_LR * (1.0 - t as f64 / steps as f64);
            adam.ascend(&mut theta, &grad, lr)?;
            let (m, lv) = theta.split_at_mut(zd);
            let (mm, ml) = (f64::from(MAX_Q_MEAN), f64::from(MAX_Q_LOG_VAR));
            m.iter_mut().for_each(|v| *v = v.clamp(-mm, mm));
            lv.iter_mut().for_each(|v| *v = v.clamp(-ml, ml));
        }
        let (m, lv) = theta.split_at(zd);
        Ok(FittedQ {
            mu: m.iter().map(|&v| v as f32).collect(),
            logvar: lv.iter().map(|&v| v as f32).collect(),
            steps,
        })
    }

    /// log p(x | z) for one image `x` and codes `z` (K, Z), and ∂ log p(x | zₖ)/∂zₖ, (K, Z):
    /// the z-gradient [`Vae::fit_posterior`] follows, exposed for its finite-difference test.
    #[cfg(test)]
    pub(super) fn log_lik_z_grad(&self, x: &[f32], z: &[f32]) -> (f32, Vec<f32>) {
        let mut dz = Vec::new();
        let xs = x.repeat(z.len() / self.latent());
        let nll = self.neg_log_lik_and_z_grad(&mut Workspace::default(), &xs, z, &mut dz);
        (-nll, dz.iter().map(|g| -g).collect())
    }
}

#[cfg(test)]
mod tests;
