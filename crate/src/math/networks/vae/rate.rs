//! The VAE as a code (Alemi et al. 2018; Hoffman & Johnson 2016). For each image x:
//!
//! distortion D = −E_q(z | x)[log p(x | z)],  rate R = KL(q(z | x) ‖ p(z)),  −ELBO = D + R,
//!
//! all in nats. R is what sending z costs net of the bits got back (bits-back coding), so
//! −ELBO is a code length for x when x is discrete (binarised digits); for real-valued data
//! log p(x | z) is a density and D is not a code length.
//!
//! ELBO surgery: averaged over the N images, R = I_q(x; z) + KL(q(z) ‖ p(z)), with
//! q(z) = (1/N) Σₙ q(z | xₙ) the aggregate posterior and I_q the mutual information between
//! the image index and z under q. Both parts are estimated by Monte Carlo against the mixture
//! q(z), from the same draws as D.

use super::*;

/// The rate and distortion of a set of images, in nats per image, and the ELBO surgery.
#[derive(Debug, Clone, PartialEq)]
pub struct RateDistortion {
    /// Dₙ = −(1/S) Σₖ log p(xₙ | zₙₖ), zₙₖ ~ q(z | xₙ), per image.
    pub distortion: Vec<f64>,
    /// Rₙ = KL(q(z | xₙ) ‖ N(0, I)) in closed form, per image.
    pub rate: Vec<f64>,
    /// Mean of `distortion`.
    pub mean_distortion: f64,
    /// Mean of `rate`.
    pub mean_rate: f64,
    /// Î_q(x; z) = mean over images and draws of log q(zₙₖ | xₙ) − log q(zₙₖ); in [0, ln N].
    pub mutual_information: f64,
    /// KL̂(q(z) ‖ p(z)) = mean over draws of log q(zₙₖ) − log p(zₙₖ); may fall below 0 by
    /// Monte Carlo noise.
    pub marginal_kl: f64,
    /// Standard error of Î_q + KL̂ = mean of log q(zₙₖ | xₙ) − log p(zₙₖ), the Monte Carlo
    /// estimate of `mean_rate`: the sample standard deviation of those N·S terms over √(N·S).
    pub surgery_standard_error: f64,
}

/// Most images [`Vae::rate_distortion`] takes: every draw is scored under all N components of
/// q(z), so the work grows as N²·S·Z.
pub const MAX_RATE_IMAGES: usize = 5000;

/// The seed of image `index`'s draws in [`Vae::rate_distortion`] run with `seed`: pass it to
/// [`Vae::elbo_of`] with the encoder's q(z | x) to get the same draws.
pub fn image_seed(seed: u64, index: usize) -> u64 {
    Random::new(seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

/// log N(z; μ, diag e^{lv}), in f64.
fn log_normal(z: &[f32], mu: &[f32], lv: &[f32]) -> f64 {
    z.iter()
        .zip(mu)
        .zip(lv)
        .map(|((&z, &m), &lv)| {
            let (r, lv) = (f64::from(z) - f64::from(m), f64::from(lv));
            -0.5 * (LN_2PI + lv + r * r * (-lv).exp())
        })
        .sum()
}

impl Vae {
    /// Rate, distortion and the ELBO surgery of `data` (n rows, 1 ≤ n ≤ [`MAX_RATE_IMAGES`]),
    /// from `samples` ≥ 2 draws zₙₖ = μₙ + σₙ·ε per image, image n's ε from
    /// `Random::new(image_seed(seed, n))` in draw-major order (as [`Vae::elbo_of`] draws them).
    /// Only for a VAE: a plain autoencoder has no q(z | x) and so no rate.
    pub fn rate_distortion(
        &self,
        data: &[f32],
        samples: usize,
        seed: u64,
    ) -> Result<RateDistortion, InputError> {
        let n = self.check_data(data, "data")?;
        if self.mode == Mode::Autoencoder {
            return Err(InputError::OutOfRange {
                name: "mode",
                value: 0.0,
                rule: Code::RateMode,
            });
        }
        if n > MAX_RATE_IMAGES {
            return Err(InputError::OutOfRange {
                name: "images",
                value: n as f64,
                rule: Code::RateImages,
            });
        }
        if samples < 2 {
            return Err(InputError::OutOfRange {
                name: "samples",
                value: samples as f64,
                rule: Code::ElboSamples,
            });
        }
        let (zd, d) = (self.latent(), self.pixels());
        let (mu, logvar) = self.encode(data)?;
        let rate: Vec<f64> = mu
            .chunks(zd)
            .zip(logvar.chunks(zd))
            .map(|(m, lv)| {
                m.iter()
                    .zip(lv)
                    .map(|(&m, &lv)| {
                        let (m, lv) = (f64::from(m), f64::from(lv));
                        0.5 * (m * m + lv.exp_m1() - lv)
                    })
                    .sum()
            })
            .collect();
        // Draws: row n·S + k is image n's k-th code.
        let mut z = Vec::with_capacity(n * samples * zd);
        for i in 0..n {
            let mut rng = Random::new(image_seed(seed, i));
            let rows = i * zd..(i + 1) * zd;
            let (m, lv) = (&mu[rows.clone()], &logvar[rows]);
            for _ in 0..samples {
                for j in 0..zd {
                    z.push(m[j] + (0.5 * lv[j]).exp() * rng.standard_normal() as f32);
                }
            }
        }
        let distortion = self.distortions(data, &z, samples);
        let (mut info, mut marginal, mut sum, mut sum_sq) = (0.0, 0.0, 0.0, 0.0);
        let mut comps = vec![0.0f64; n];
        let ln_n = (n as f64).ln();
        for (row, zc) in z.chunks(zd).enumerate() {
            let own = row / samples;
            for (c, (m, lv)) in comps.iter_mut().zip(mu.chunks(zd).zip(logvar.chunks(zd))) {
                *c = log_normal(zc, m, lv);
            }
            let log_q_x = comps[own];
            let log_q = bounds::log_sum_exp(&comps) - ln_n;
            let log_p = bounds::log_prior(zc);
            info += log_q_x - log_q;
            marginal += log_q - log_p;
            let r = log_q_x - log_p;
            sum += r;
            sum_sq += r * r;
        }
        let draws = (n * samples) as f64;
        let mean = sum / draws;
        let var = ((sum_sq - draws * mean * mean) / (draws - 1.0)).max(0.0);
        let mean_of = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
        debug_assert_eq!(distortion.len() * d, data.len());
        Ok(RateDistortion {
            mean_distortion: mean_of(&distortion),
            mean_rate: mean_of(&rate),
            distortion,
            rate,
            mutual_information: info / draws,
            marginal_kl: marginal / draws,
            surgery_standard_error: (var / draws).sqrt(),
        })
    }

    /// −(1/S) Σₖ log p(xₙ | zₙₖ) per image, decoding the codes `z` ((n·S), Z) in chunks.
    fn distortions(&self, data: &[f32], z: &[f32], samples: usize) -> Vec<f64> {
        let (zd, d) = (self.latent(), self.pixels());
        let rows = z.len() / zd;
        let chunk = self.chunk();
        let mut sums = vec![0.0f64; rows / samples];
        let mut xs = Vec::with_capacity(chunk.min(rows) * d);
        for start in (0..rows).step_by(chunk) {
            let end = (start + chunk).min(rows);
            xs.clear();
            for r in start..end {
                let i = r / samples;
                xs.extend_from_slice(&data[i * d..(i + 1) * d]);
            }
            let lps = self.log_likelihoods(&self.decoder_logits(&z[start * zd..end * zd]), &xs);
            for (r, lp) in (start..end).zip(lps) {
                sums[r / samples] -= lp;
            }
        }
        sums.iter().map(|s| s / samples as f64).collect()
    }
}

#[cfg(test)]
mod tests;
