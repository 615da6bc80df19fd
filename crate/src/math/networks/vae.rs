//! A variational autoencoder (Kingma & Welling 2014) on binary images or real-valued
//! vectors, in f32 with a hand-written backward pass, trained by Adam on flattened parameters.
//!
//! Encoder x (batch, D) → hidden (batch, H), tanh or ReLU (batch, H) → μ, log σ² each (batch, Z);
//! z = μ + σ·ε, ε ~ N(0, I) (the reparameterisation); decoder z → hidden (batch, H) →
//! outputs (batch, D). With [`Likelihood::Bernoulli`] the outputs are pixel **logits**; with
//! [`Likelihood::Gaussian`] they are the **means** m(z) of N(x; m(z), diag σ_x²), σ_x² learned.
//! The per-example loss is
//!
//! L = −ln p(x | z) + β · D_KL(N(μ, σ²) ‖ N(0, I)),  −ln p(x | z) = Σ_pixels BCE(logit, x)
//! (Bernoulli) or Σ_d ½[ln 2π + log σ_d² + (x_d − m_d)²/σ_d²] (Gaussian)
//!
//! which for β = 1 is a one-sample estimate of −ELBO, in nats. In [`Mode::Autoencoder`]
//! z = μ with no sampling and no KL term: a plain deterministic autoencoder with the same code.

pub use crate::math::networks::mlp::Activation;
use crate::math::networks::mlp::{Dense, sigmoid};
use crate::math::optim::AdamF32;
use crate::math::random::Random;
use crate::math::{Code, InputError};
use pass::Workspace;

mod bounds;
mod gaps;
mod pass;

/// ln 2π, for the Gaussian log densities (prior, q(z | x) and the Gaussian likelihood).
const LN_2PI: f64 = 1.837_877_066_409_345_5;

pub use bounds::{IwaeEstimate, MAX_GRID, PosteriorGrid};
pub use gaps::{ElboEstimate, FIT_LR, FittedQ, MAX_Q_LOG_VAR, MAX_Q_MEAN};

/// Variational (sample z, KL term) or plain autoencoder (z = μ, no KL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// z = μ + σ·ε and the β-weighted KL term.
    Variational,
    /// z = μ; the log σ² head is unused (its gradient is 0) and the KL is reported as 0.
    Autoencoder,
}

/// The decoder's observation model p(x | z).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likelihood {
    /// Independent Bernoulli pixels with probabilities σ(logit): data in [0, 1].
    Bernoulli,
    /// N(x; m(z), diag σ_x²): the decoder outputs the mean m(z) (no squashing) and log σ_x²
    /// is a learned vector of D parameters shared by all examples. Data: any finite values.
    Gaussian,
}

/// The initial log σ_x² of every output in a Gaussian model: ln 0.1, i.e. σ_x ≈ 0.32.
///
/// Why not 0 (σ_x = 1): for data of unit scale (the 2-D toy sets) σ_x = 1 is as wide as the
/// data itself, so reconstructing well is worth little next to the KL cost and the decoder
/// starts by nearly ignoring z (posterior collapse), from which it recovers slowly. σ_x² = 0.1
/// makes reconstruction matter from the first step. Measured on 512 two-moons points (H = 32,
/// Z = 2, batch 64, lr 0.01, two seeds): after 10 epochs −ELBO ≈ 1.87–1.93 nats with KL ≈ 1.0
/// from ln 0.1, against 2.09–2.10 with KL ≈ 0.07–0.1 from 0; after 200 epochs 1.69–1.74
/// against 1.82–1.84.
pub const INIT_LOG_VAR_X: f32 = -std::f32::consts::LN_10; // ln 0.1

/// Mean per-example losses over a batch, in nats per example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Losses {
    /// recon + β·kl (β = 1 in [`Vae::evaluate`], where it is −ELBO).
    pub loss: f32,
    /// −ln p(x | z): Σ_pixels BCE(logit, x) for Bernoulli pixels (≥ 0), or
    /// Σ_d ½[ln 2π + log σ_d² + (x_d − m_d)²/σ_d²] for a Gaussian, a negative log **density**,
    /// which is negative whenever σ_x is small enough (e.g. below 1/√(2π) with a perfect fit).
    pub recon: f32,
    /// D_KL(q(z | x) ‖ N(0, I)) = −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²); 0 in autoencoder mode.
    pub kl: f32,
}

/// The model: five dense layers, the Adam state for their flattened parameters, and the
/// reusable buffers of a training step (so a step allocates nothing once warmed up).
#[derive(Debug, Clone, PartialEq)]
pub struct Vae {
    mode: Mode,
    activation: Activation,
    likelihood: Likelihood,
    enc: Dense,          // (D, H)
    enc_mu: Dense,       // (H, Z)
    enc_logvar: Dense,   // (H, Z)
    dec: Dense,          // (Z, H)
    dec_out: Dense,      // (H, D)
    log_var_x: Vec<f32>, // (D) Gaussian log σ_x²; empty for Bernoulli
    adam: AdamF32,
    ws: Workspace,
}

impl Vae {
    /// A model for `pixels` = D inputs, `hidden` = H tanh units and `latent` = Z dimensions,
    /// initialised as PyTorch initialises `nn.Linear` ([`Dense::fan_in_uniform`]) from `seed`.
    /// All sizes must be ≥ 1.
    pub fn new(
        pixels: usize,
        hidden: usize,
        latent: usize,
        mode: Mode,
        seed: u64,
    ) -> Result<Self, InputError> {
        Self::with_activation(pixels, hidden, latent, mode, Activation::Tanh, seed)
    }

    /// As [`Vae::new`], with `activation` in both hidden layers. The same seed gives the
    /// same initial parameters whatever the activation.
    pub fn with_activation(
        pixels: usize,
        hidden: usize,
        latent: usize,
        mode: Mode,
        activation: Activation,
        seed: u64,
    ) -> Result<Self, InputError> {
        for (name, n) in [("pixels", pixels), ("hidden", hidden), ("latent", latent)] {
            if n == 0 {
                return Err(InputError::OutOfRange {
                    name,
                    value: 0.0,
                    rule: Code::LayerSize,
                });
            }
        }
        let mut rng = Random::new(seed);
        let enc = Dense::fan_in_uniform(pixels, hidden, &mut rng);
        let enc_mu = Dense::fan_in_uniform(hidden, latent, &mut rng);
        let enc_logvar = Dense::fan_in_uniform(hidden, latent, &mut rng);
        let dec = Dense::fan_in_uniform(latent, hidden, &mut rng);
        let dec_out = Dense::fan_in_uniform(hidden, pixels, &mut rng);
        let n = [&enc, &enc_mu, &enc_logvar, &dec, &dec_out]
            .iter()
            .map(|l| l.num_params())
            .sum();
        Ok(Self {
            mode,
            activation,
            likelihood: Likelihood::Bernoulli,
            enc,
            enc_mu,
            enc_logvar,
            dec,
            dec_out,
            log_var_x: Vec::new(),
            adam: AdamF32::new(n),
            ws: Workspace::default(),
        })
    }

    /// This model with the observation model `likelihood` (builder style, right after
    /// [`Vae::new`] or [`Vae::with_activation`]). Gaussian adds D parameters log σ_x², all
    /// [`INIT_LOG_VAR_X`], at the **end** of [`Vae::params`], so the network weights are the
    /// same as the Bernoulli model's from the same seed. Resets the Adam state.
    pub fn with_likelihood(mut self, likelihood: Likelihood) -> Self {
        self.likelihood = likelihood;
        self.log_var_x = match likelihood {
            Likelihood::Bernoulli => Vec::new(),
            Likelihood::Gaussian => vec![INIT_LOG_VAR_X; self.pixels()],
        };
        self.adam = AdamF32::new(self.num_params());
        self
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

    /// The hidden layers' nonlinearity.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// The observation model p(x | z).
    pub fn likelihood(&self) -> Likelihood {
        self.likelihood
    }

    /// The Gaussian log σ_x² per output (D values); empty for a Bernoulli model.
    pub fn log_var_x(&self) -> &[f32] {
        &self.log_var_x
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
    /// decoder output) its W row-major then its b; then, for a Gaussian likelihood, the D
    /// values log σ_x². The same order as the gradients.
    pub fn params(&self) -> Vec<f32> {
        let mut p = Vec::with_capacity(self.num_params());
        for l in self.layers() {
            p.extend_from_slice(&l.w);
            p.extend_from_slice(&l.b);
        }
        p.extend_from_slice(&self.log_var_x);
        p
    }

    /// Number of parameters.
    pub fn num_params(&self) -> usize {
        self.layers().iter().map(|l| l.num_params()).sum::<usize>() + self.log_var_x.len()
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
        self.log_var_x.copy_from_slice(rest);
        Ok(())
    }

    /// Number of examples in `data` after checking it: a whole, non-zero number of rows of
    /// D values, each finite and, for a Bernoulli likelihood, in [0, 1] (a binary pixel or a
    /// grey level).
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
        if self.likelihood == Likelihood::Gaussian {
            check_finite_all(data, name)?;
            return Ok(data.len() / d);
        }
        // NaN fails the range test too.
        if let Some(&x) = data.iter().find(|x| !(0.0..=1.0).contains(*x)) {
            return Err(InputError::OutOfRange {
                name,
                value: f64::from(x),
                rule: Code::BernoulliTarget,
            });
        }
        Ok(data.len() / d)
    }

    /// One Adam step on the mean per-example loss recon + β·KL over `batch`
    /// (shape (n, D), row-major), with ε drawn from `Random::new(seed)` (pass a new seed each
    /// step). Returns the batch's losses **before** the step, in nats per example.
    ///
    /// `beta` finite and ≥ 0 (ignored in autoencoder mode), `lr` finite and > 0, data as in
    /// [`Vae::likelihood`] (Bernoulli: [0, 1]; Gaussian: finite). On an error (including a non-finite gradient) the model is unchanged.
    pub fn train_step(
        &mut self,
        batch: &[f32],
        beta: f32,
        lr: f32,
        seed: u64,
    ) -> Result<Losses, InputError> {
        let n = self.check_data(batch, "batch")?;
        check_beta(beta)?;
        if !(lr.is_finite() && lr > 0.0) {
            return Err(InputError::OutOfRange {
                name: "lr",
                value: f64::from(lr),
                rule: Code::LrPositive,
            });
        }
        let mut ws = std::mem::take(&mut self.ws);
        fill_eps(&mut ws.eps, n * self.latent(), seed);
        let losses = self.pass(&mut ws, batch, beta, true);
        let result = match check_finite_all(&ws.grads, "grads") {
            Ok(()) => {
                self.adam_step(&ws.grads, lr);
                Ok(losses)
            }
            Err(e) => Err(e),
        };
        self.ws = ws;
        result
    }

    /// One Adam step on every layer from the flattened gradient `grads`.
    fn adam_step(&mut self, grads: &[f32], lr: f32) {
        let step = self.adam.begin(lr);
        let Self {
            adam,
            enc,
            enc_mu,
            enc_logvar,
            dec,
            dec_out,
            log_var_x,
            ..
        } = self;
        let mut offset = 0;
        for l in [enc, enc_mu, enc_logvar, dec, dec_out] {
            for p in [&mut l.w, &mut l.b] {
                let len = p.len();
                adam.update(step, offset, p, &grads[offset..offset + len]);
                offset += len;
            }
        }
        adam.update(step, offset, log_var_x, &grads[offset..]);
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

    /// Losses on `data` averaged over `samples` ≥ 1 draws of ε from `Random::new(seed)`: with
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
                rule: Code::AverageSamples,
            });
        }
        let mut rng = Random::new(seed);
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
        let mut h = self.enc.forward(data); // (n, H)
        self.activation.apply(&mut h);
        Ok((self.enc_mu.forward(&h), self.enc_logvar.forward(&h)))
    }

    /// Decoded from latent codes `z` (n, Z), all finite: (n, D) pixel probabilities σ(logit)
    /// for a Bernoulli likelihood, or the means m(z) for a Gaussian one.
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
        let out = self.decoder_logits(z);
        Ok(match self.likelihood {
            Likelihood::Bernoulli => out.into_iter().map(sigmoid).collect(),
            Likelihood::Gaussian => out,
        })
    }

    /// Decoder outputs (n, D) for latent codes `z` (n, Z), no checks: logits (Bernoulli) or
    /// means (Gaussian).
    pub(super) fn decoder_logits(&self, z: &[f32]) -> Vec<f32> {
        let mut h = self.dec.forward(z); // (n, H)
        self.activation.apply(&mut h);
        self.dec_out.forward(&h)
    }

    #[cfg(test)]
    fn draw_eps(&self, n: usize, seed: u64) -> Vec<f32> {
        let mut eps = Vec::new();
        fill_eps(&mut eps, n * self.latent(), seed);
        eps
    }
}

/// `eps` ← `len` standard normals from `Random::new(seed)`, reusing its allocation.
fn fill_eps(eps: &mut Vec<f32>, len: usize, seed: u64) {
    let mut rng = Random::new(seed);
    eps.clear();
    eps.extend((0..len).map(|_| rng.standard_normal() as f32));
}

fn check_beta(beta: f32) -> Result<(), InputError> {
    if beta.is_finite() && beta >= 0.0 {
        Ok(())
    } else {
        Err(InputError::OutOfRange {
            name: "beta",
            value: f64::from(beta),
            rule: Code::BetaRange,
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
