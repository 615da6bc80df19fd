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
mod collapse;
mod gaps;
mod pass;
mod rate;
mod run;

/// ln 2π, for the Gaussian log densities (prior, q(z | x) and the Gaussian likelihood).
const LN_2PI: f64 = 1.837_877_066_409_345_5;

pub use bounds::{IwaeEstimate, MAX_GRID, PosteriorGrid};
pub use collapse::{ACTIVE_THRESHOLD, LatentUsage, activity, count_active};
pub use gaps::{ElboEstimate, FIT_LR, FittedQ, MAX_Q_LOG_VAR, MAX_Q_MEAN};
pub use pass::Objective;
pub use rate::{MAX_RATE_IMAGES, RateDistortion, image_seed};

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
}

impl Vae {
    /// Capacities of the training step's reused buffers, to check that steps do not reallocate.
    #[cfg(test)]
    pub(crate) fn workspace_capacities(&self) -> Vec<usize> {
        let mut c = self.ws.capacities();
        c.push(self.ws.free_bits_capacity());
        c
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
