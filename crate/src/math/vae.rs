//! A variational autoencoder (Kingma & Welling 2014) on binary images, in f32 with a
//! hand-written backward pass, trained by Adam on flattened parameters.
//!
//! Encoder x (batch, D) → tanh hidden (batch, H) → μ, log σ² each (batch, Z);
//! z = μ + σ·ε, ε ~ N(0, I) (the reparameterisation); decoder z → tanh hidden (batch, H) →
//! pixel **logits** (batch, D), each pixel Bernoulli. The per-example loss is
//!
//! L = Σ_pixels BCE(logit, x) + β · D_KL(N(μ, σ²) ‖ N(0, I))
//!
//! which for β = 1 is a one-sample estimate of −ELBO, in nats. In [`Mode::Autoencoder`]
//! z = μ with no sampling and no KL term: a plain deterministic autoencoder with the same code.

use super::InputError;
use super::adam::Adam;
use super::mlp::{Dense, bce_with_logits, bce_with_logits_grad, sigmoid, tanh, tanh_backward};
use super::rng::SplitMix64;

mod bounds;
mod pass;

pub use bounds::{IwaeEstimate, MAX_GRID, PosteriorGrid};

/// Variational (sample z, KL term) or plain autoencoder (z = μ, no KL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// z = μ + σ·ε and the β-weighted KL term.
    Variational,
    /// z = μ; the log σ² head is unused (its gradient is 0) and the KL is reported as 0.
    Autoencoder,
}

/// Mean per-example losses over a batch, in nats per example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Losses {
    /// recon + β·kl (β = 1 in [`Vae::evaluate`], where it is −ELBO).
    pub loss: f32,
    /// Σ_pixels BCE(logit, x): −ln p(x | z) under independent Bernoulli pixels.
    pub recon: f32,
    /// D_KL(q(z | x) ‖ N(0, I)) = −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²); 0 in autoencoder mode.
    pub kl: f32,
}

/// The model: five dense layers and the Adam state for their flattened parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Vae {
    mode: Mode,
    enc: Dense,        // (D, H)
    enc_mu: Dense,     // (H, Z)
    enc_logvar: Dense, // (H, Z)
    dec: Dense,        // (Z, H)
    dec_out: Dense,    // (H, D)
    adam: Adam,
}

impl Vae {
    /// A model for `pixels` = D inputs, `hidden` = H tanh units and `latent` = Z dimensions,
    /// Glorot-initialised from `seed`. All sizes must be ≥ 1.
    pub fn new(
        pixels: usize,
        hidden: usize,
        latent: usize,
        mode: Mode,
        seed: u64,
    ) -> Result<Self, InputError> {
        for (name, n) in [("pixels", pixels), ("hidden", hidden), ("latent", latent)] {
            if n == 0 {
                return Err(InputError::OutOfRange {
                    name,
                    value: 0.0,
                    range: "[1, ∞)",
                    why: "every layer needs at least one unit",
                });
            }
        }
        let mut rng = SplitMix64::new(seed);
        let enc = Dense::glorot(pixels, hidden, &mut rng);
        let enc_mu = Dense::glorot(hidden, latent, &mut rng);
        let enc_logvar = Dense::glorot(hidden, latent, &mut rng);
        let dec = Dense::glorot(latent, hidden, &mut rng);
        let dec_out = Dense::glorot(hidden, pixels, &mut rng);
        let n = [&enc, &enc_mu, &enc_logvar, &dec, &dec_out]
            .iter()
            .map(|l| l.num_params())
            .sum();
        Ok(Self {
            mode,
            enc,
            enc_mu,
            enc_logvar,
            dec,
            dec_out,
            adam: Adam::new(n),
        })
    }

    /// Number of pixels D per example.
    pub fn pixels(&self) -> usize {
        self.enc.inputs
    }

    /// Latent dimension Z.
    pub fn latent(&self) -> usize {
        self.enc_mu.outputs
    }

    /// Variational or plain autoencoder.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn layers(&self) -> [&Dense; 5] {
        [
            &self.enc,
            &self.enc_mu,
            &self.enc_logvar,
            &self.dec,
            &self.dec_out,
        ]
    }

    fn layers_mut(&mut self) -> [&mut Dense; 5] {
        [
            &mut self.enc,
            &mut self.enc_mu,
            &mut self.enc_logvar,
            &mut self.dec,
            &mut self.dec_out,
        ]
    }

    /// All parameters flattened: for each layer (encoder, μ head, log σ² head, decoder hidden,
    /// decoder output) its W row-major then its b. The same order as the gradients.
    pub fn params(&self) -> Vec<f32> {
        let mut p = Vec::with_capacity(self.num_params());
        for l in self.layers() {
            p.extend_from_slice(&l.w);
            p.extend_from_slice(&l.b);
        }
        p
    }

    /// Number of parameters.
    pub fn num_params(&self) -> usize {
        self.layers().iter().map(|l| l.num_params()).sum()
    }

    /// Replaces all parameters (in the order of [`Vae::params`]); the Adam state is kept.
    /// `params` must have [`Vae::num_params`] finite entries; on an error nothing changes.
    pub fn set_params(&mut self, params: &[f32]) -> Result<(), InputError> {
        if params.len() != self.num_params() {
            return Err(InputError::LengthMismatch {
                name_a: "params",
                len_a: params.len(),
                name_b: "the model's parameters",
                len_b: self.num_params(),
            });
        }
        check_finite_all(params, "params")?;
        let mut rest = params;
        for l in self.layers_mut() {
            let (w, r) = rest.split_at(l.w.len());
            let (b, r) = r.split_at(l.b.len());
            l.w.copy_from_slice(w);
            l.b.copy_from_slice(b);
            rest = r;
        }
        Ok(())
    }

    /// Number of examples in `data` after checking it: a whole, non-zero number of rows of
    /// D pixels, each a finite value in [0, 1] (a binary pixel or a grey level).
    fn check_data(&self, data: &[f32], name: &'static str) -> Result<usize, InputError> {
        let d = self.pixels();
        if data.is_empty() {
            return Err(InputError::Empty { name });
        }
        if !data.len().is_multiple_of(d) {
            return Err(InputError::LengthMismatch {
                name_a: name,
                len_a: data.len(),
                name_b: "a whole number of examples × pixels per example",
                len_b: data.len() / d * d,
            });
        }
        // NaN fails the range test too.
        if let Some(&x) = data.iter().find(|x| !(0.0..=1.0).contains(*x)) {
            return Err(InputError::OutOfRange {
                name,
                value: f64::from(x),
                range: "[0, 1]",
                why: "each pixel is a Bernoulli target: 0 (off), 1 (on) or a grey level",
            });
        }
        Ok(data.len() / d)
    }

    /// One Adam step on the mean per-example loss recon + β·KL over `batch`
    /// (shape (n, D), row-major), with ε drawn from SplitMix64(`seed`) (pass a new seed each
    /// step). Returns the batch's losses **before** the step, in nats per example.
    ///
    /// `beta` finite and ≥ 0 (ignored in autoencoder mode), `lr` finite and > 0, pixels in
    /// [0, 1]. On an error (including a non-finite gradient) the model is unchanged.
    pub fn train_step(
        &mut self,
        batch: &[f32],
        beta: f32,
        lr: f32,
        seed: u64,
    ) -> Result<Losses, InputError> {
        let n = self.check_data(batch, "batch")?;
        check_beta(beta)?;
        let eps = self.draw_eps(n, seed);
        let (losses, grads) = self.loss_and_grad(batch, &eps, beta);
        let mut params: Vec<f64> = self.params().into_iter().map(f64::from).collect();
        let grads: Vec<f64> = grads.into_iter().map(f64::from).collect();
        self.adam.step(&mut params, &grads, f64::from(lr))?;
        let params: Vec<f32> = params.into_iter().map(|p| p as f32).collect();
        self.set_params(&params)?;
        Ok(losses)
    }

    /// Losses on `data` (shape (n, D)) with **ε = 0**, i.e. decoding the posterior mean
    /// z = μ: deterministic, so curves are smooth, but recon is then the reconstruction error
    /// at the mean, a slight underestimate of the expected one inside the ELBO. `loss` is
    /// recon + KL (β = 1). For the unbiased Monte Carlo −ELBO use [`Vae::evaluate_sampled`].
    pub fn evaluate(&self, data: &[f32]) -> Result<Losses, InputError> {
        let n = self.check_data(data, "data")?;
        let eps = vec![0.0; n * self.latent()];
        Ok(self.forward(data, &eps, 1.0).losses)
    }

    /// Losses on `data` averaged over `samples` ≥ 1 draws of ε from SplitMix64(`seed`): with
    /// β = 1 an unbiased estimate of −ELBO in nats per example (autoencoder mode: ε unused).
    pub fn evaluate_sampled(
        &self,
        data: &[f32],
        samples: usize,
        seed: u64,
    ) -> Result<Losses, InputError> {
        let n = self.check_data(data, "data")?;
        if samples == 0 {
            return Err(InputError::OutOfRange {
                name: "samples",
                value: 0.0,
                range: "[1, ∞)",
                why: "an average needs at least one sample",
            });
        }
        let mut rng = SplitMix64::new(seed);
        let (mut recon, mut kl) = (0.0, 0.0);
        for _ in 0..samples {
            let eps: Vec<f32> = (0..n * self.latent())
                .map(|_| rng.standard_normal() as f32)
                .collect();
            let l = self.forward(data, &eps, 1.0).losses;
            recon += l.recon / samples as f32;
            kl += l.kl / samples as f32;
        }
        Ok(Losses {
            loss: recon + kl,
            recon,
            kl,
        })
    }

    /// The encoder's posterior parameters for `data` (shape (n, D)): (μ, log σ²), each
    /// (n, Z). In autoencoder mode log σ² is computed but meaningless.
    pub fn encode(&self, data: &[f32]) -> Result<(Vec<f32>, Vec<f32>), InputError> {
        self.check_data(data, "data")?;
        let h = tanh(&self.enc.forward(data)); // (n, H)
        Ok((self.enc_mu.forward(&h), self.enc_logvar.forward(&h)))
    }

    /// Pixel probabilities σ(logit) (n, D) decoded from latent codes `z` (n, Z), all finite.
    pub fn decode(&self, z: &[f32]) -> Result<Vec<f32>, InputError> {
        if z.is_empty() || !z.len().is_multiple_of(self.latent()) {
            return Err(InputError::LengthMismatch {
                name_a: "z",
                len_a: z.len(),
                name_b: "a non-zero whole number of latent vectors × latent dimension",
                len_b: (z.len() / self.latent()).max(1) * self.latent(),
            });
        }
        check_finite_all(z, "z")?;
        let h = tanh(&self.dec.forward(z)); // (n, H)
        Ok(self.dec_out.forward(&h).into_iter().map(sigmoid).collect())
    }

    fn draw_eps(&self, n: usize, seed: u64) -> Vec<f32> {
        let mut rng = SplitMix64::new(seed);
        (0..n * self.latent())
            .map(|_| rng.standard_normal() as f32)
            .collect()
    }
}

fn check_beta(beta: f32) -> Result<(), InputError> {
    if beta.is_finite() && beta >= 0.0 {
        Ok(())
    } else {
        Err(InputError::OutOfRange {
            name: "beta",
            value: f64::from(beta),
            range: "[0, ∞)",
            why: "β weights the KL term; 1 gives the ELBO, 0 ignores the prior",
        })
    }
}

fn check_finite_all(values: &[f32], name: &'static str) -> Result<(), InputError> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(InputError::NotFiniteNumber {
            name,
            index: Some(i),
            value: f64::from(values[i]),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
