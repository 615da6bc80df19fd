//! Training the VAE of part 4: the settings, the epoch loop (seeded shuffles, dynamic
//! binarisation, one Adam step per minibatch) and its outcome, a typed [`TrainError::Diverged`]
//! when the steps overshoot. Plain Rust, tested and benchmarked natively; the JS `Trainer`
//! (`crate::wasm::trainer`) only converts, checks what only the boundary can, and calls.
//! The settings are in [`config`].

use crate::math::InputError;
use crate::math::networks::data::binarise::binarise_into;
use crate::math::networks::vae::{Losses, Objective, Vae};
use crate::math::random::Random;

mod config;
pub use config::{TrainerConfig, binarise_seed};

/// Mean losses over an epoch, in nats per example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochLosses {
    /// The training objective: recon + β_epoch · the KL term (with free bits, Σ_d max(λ, KL̄_d)).
    pub loss: f64,
    pub recon: f64,
    /// The plain KL, D_KL(q(z | x) ‖ N(0, I)).
    pub kl: f64,
    /// The KL weight this epoch trained with ([`TrainerConfig::beta_at`]).
    pub beta: f32,
}

/// Why an epoch stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainError {
    /// A gradient stopped being a finite number: the steps overshot (the learning rate was too
    /// large). The epoch counter did not advance.
    Diverged,
    /// Any other error of the model, passed on.
    Input(InputError),
}

impl From<InputError> for TrainError {
    fn from(e: InputError) -> Self {
        match e {
            InputError::NotFiniteNumber { name: "grads", .. } => Self::Diverged,
            e => Self::Input(e),
        }
    }
}

/// The model, its data and its settings, trained one epoch at a time.
#[derive(Debug, Clone)]
pub struct Training {
    vae: Vae,
    data: Vec<f32>,
    width: usize,
    config: TrainerConfig,
    seed: u64,
    epoch: u32,
    // Reused by every epoch (no allocation once warmed up): this epoch's binarised copy of
    // `data` (empty unless binarising), the shuffled order and one minibatch.
    binary: Vec<f32>,
    order: Vec<usize>,
    batch: Vec<f32>,
}

impl Training {
    /// Builds the model from `seed` for `data`: n ≥ 1 rows of `width` ≥ 1 finite values, in
    /// [0, 1] for a Bernoulli likelihood. The caller checks the rows (the JS boundary does,
    /// with messages that name its arguments); the model's own errors are passed on.
    pub fn new(
        data: Vec<f32>,
        width: usize,
        config: TrainerConfig,
        seed: u64,
    ) -> Result<Self, InputError> {
        debug_assert!(width > 0 && !data.is_empty() && data.len().is_multiple_of(width));
        let vae = Vae::with_activation(
            width,
            config.hidden,
            config.latent,
            config.mode,
            config.activation,
            seed,
        )?
        .with_likelihood(config.likelihood);
        Ok(Self {
            vae,
            data,
            width,
            config,
            seed,
            epoch: 0,
            binary: Vec::new(),
            order: Vec::new(),
            batch: Vec::new(),
        })
    }

    /// Completed epochs.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The model.
    pub fn vae(&self) -> &Vae {
        &self.vae
    }

    /// Values per example.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The settings.
    pub fn config(&self) -> &TrainerConfig {
        &self.config
    }

    /// Replaces the parameters ([`Vae::set_params`]); on an error nothing changes.
    pub fn set_params(&mut self, params: &[f32]) -> Result<(), InputError> {
        self.vae.set_params(params)
    }

    /// One pass over the data in a shuffled order (from the seed and the epoch number), one
    /// Adam step per minibatch; with `binarise`, over a fresh binarisation of every image
    /// (seeded by [`binarise_seed`] from the seed and the epoch number). Returns the losses
    /// before each step, averaged per example. On an error ([`TrainError::Diverged`]: a
    /// non-finite gradient) the epoch counter does not advance. Allocates nothing once the
    /// first epoch has sized the buffers.
    pub fn train_epoch(&mut self) -> Result<EpochLosses, TrainError> {
        let Self {
            vae,
            data,
            width,
            config,
            seed,
            epoch,
            binary,
            order,
            batch,
        } = self;
        let (width, config) = (*width, *config);
        let n = data.len() / width;
        let mut rng =
            Random::new(*seed ^ u64::from(*epoch + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        order.clear();
        order.extend(0..n);
        rng.shuffle(order);
        let source: &[f32] = if config.binarise {
            binarise_into(data, binarise_seed(*seed, *epoch + 1), binary);
            binary
        } else {
            data
        };
        let (mut loss, mut recon, mut kl) = (0.0, 0.0, 0.0);
        let objective = Objective {
            beta: config.beta_at(*epoch),
            free_bits: config.free_bits,
        };
        for rows in order.chunks(config.batch_size) {
            batch.clear();
            for &r in rows {
                batch.extend_from_slice(&source[r * width..(r + 1) * width]);
            }
            // A gradient that is no longer finite means the steps overshot: training diverged.
            let l: Losses = vae.train_step_with(batch, objective, config.lr, rng.next_u64())?;
            let share = rows.len() as f64 / n as f64;
            loss += f64::from(l.loss) * share;
            recon += f64::from(l.recon) * share;
            kl += f64::from(l.kl) * share;
        }
        *epoch += 1;
        Ok(EpochLosses {
            loss,
            recon,
            kl,
            beta: objective.beta,
        })
    }

    /// Capacities of the epoch's reused buffers, to check that epochs do not reallocate.
    #[cfg(test)]
    fn buffer_capacities(&self) -> [usize; 3] {
        [
            self.binary.capacity(),
            self.order.capacity(),
            self.batch.capacity(),
        ]
    }
}

#[cfg(test)]
pub(crate) mod tests;
