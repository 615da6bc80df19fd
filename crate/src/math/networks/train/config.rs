//! The training settings ([`TrainerConfig`]) and the schedules they set: the KL weight of each
//! epoch during a warm-up ([`TrainerConfig::beta_at`]) and each epoch's binarisation seed
//! ([`binarise_seed`]).

use crate::math::networks::mlp::Activation;
use crate::math::networks::vae::{Likelihood, Mode};
use crate::math::random::Random;

/// Checked training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainerConfig {
    /// Latent dimension Z ≥ 1.
    pub latent: usize,
    /// Hidden units H ≥ 1.
    pub hidden: usize,
    /// Weight of the KL term, finite and ≥ 0.
    pub beta: f32,
    /// Adam learning rate, finite and > 0.
    pub lr: f32,
    /// Examples per minibatch, ≥ 1 (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Variational or plain autoencoder.
    pub mode: Mode,
    /// The hidden layers' non-linearity.
    pub activation: Activation,
    /// The decoder's observation model.
    pub likelihood: Likelihood,
    /// Dynamic binarisation: each epoch every training pixel is drawn afresh, 1 with
    /// probability its grey level ([`binarise_into`], seeded by [`binarise_seed`]). Only with
    /// [`Likelihood::Bernoulli`].
    ///
    /// [`binarise_into`]: crate::math::networks::data::binarise::binarise_into
    pub binarise: bool,
    /// KL warm-up: β rises linearly from 0 over this many epochs ([`TrainerConfig::beta_at`]);
    /// 0 trains with β from the first epoch.
    pub warmup: u32,
    /// Free bits λ in nats per latent dimension, finite and ≥ 0 ([`Objective`]: the KL term is
    /// Σ_d max(λ, KL̄_d), per dimension, averaged over the minibatch); 0 turns them off.
    ///
    /// [`Objective`]: crate::math::networks::vae::Objective
    pub free_bits: f32,
}

impl Default for TrainerConfig {
    /// The chapter's model: Z = 2, H = 128 tanh, β = 1, Adam lr 1e-3, batch 64, a VAE with
    /// Bernoulli pixels on grey levels.
    fn default() -> Self {
        Self {
            latent: 2,
            hidden: 128,
            beta: 1.0,
            lr: 1e-3,
            batch_size: 64,
            mode: Mode::Variational,
            activation: Activation::Tanh,
            likelihood: Likelihood::Bernoulli,
            binarise: false,
            warmup: 0,
            free_bits: 0.0,
        }
    }
}

impl TrainerConfig {
    /// The KL weight of the epoch that follows `completed` epochs: β · completed / warmup while
    /// completed < warmup (0 for the first epoch), then β itself, from epoch warmup + 1 on. The
    /// ratio is taken in f64 and rounded once to f32, so the schedule is linear in the epoch
    /// number up to that rounding and equals β exactly once the warm-up is over.
    pub fn beta_at(&self, completed: u32) -> f32 {
        if completed >= self.warmup {
            return self.beta;
        }
        (f64::from(self.beta) * f64::from(completed) / f64::from(self.warmup)) as f32
    }
}

/// The seed of the binarisation of epoch `epoch` (1 for the first) of a trainer seeded by
/// `seed`: the pair hashed through the generator, so every epoch draws its own pixels, from a
/// stream unrelated to the shuffle's.
pub fn binarise_seed(seed: u64, epoch: u32) -> u64 {
    let base = Random::new(seed ^ 0xB1AA_815E_D1A7_A5E5).next_u64();
    Random::new(base ^ u64::from(epoch).wrapping_mul(0x94D0_49BB_1331_11EB)).next_u64()
}
