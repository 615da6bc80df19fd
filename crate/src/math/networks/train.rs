//! Training the VAE of part 4: the settings, the epoch loop (seeded shuffles, dynamic
//! binarisation, one Adam step per minibatch) and its outcome, a typed [`TrainError::Diverged`]
//! when the steps overshoot. Plain Rust, tested and benchmarked natively; the JS `Trainer`
//! (`crate::wasm::trainer`) only converts, checks what only the boundary can, and calls.

use crate::math::InputError;
use crate::math::networks::data::binarise::binarise_into;
use crate::math::networks::mlp::Activation;
use crate::math::networks::vae::{Likelihood, Losses, Mode, Objective, Vae};
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
    pub binarise: bool,
    /// KL warm-up: β rises linearly from 0 over this many epochs ([`TrainerConfig::beta_at`]);
    /// 0 trains with β from the first epoch.
    pub warmup: u32,
    /// Free bits λ in nats per latent dimension, finite and ≥ 0 ([`Objective`]: the KL term is
    /// Σ_d max(λ, KL̄_d), per dimension, averaged over the minibatch); 0 turns them off.
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
pub(crate) mod tests {
    use super::*;

    /// The settings the boundary's tests check from { hidden: 8, lr: 1e-2, batchSize: 4 }.
    fn config() -> TrainerConfig {
        TrainerConfig {
            hidden: 8,
            lr: 1e-2,
            batch_size: 4,
            ..TrainerConfig::default()
        }
    }

    /// Ten 6-pixel images of two kinds.
    pub(crate) fn data() -> Vec<f32> {
        (0..10)
            .flat_map(|i| {
                if i % 2 == 0 {
                    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
                } else {
                    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
                }
            })
            .collect()
    }

    #[test]
    fn epochs_are_deterministic_and_reduce_the_loss() {
        let mut a = Training::new(data(), 6, config(), 3).unwrap();
        let mut b = Training::new(data(), 6, config(), 3).unwrap();
        let first = a.train_epoch().unwrap();
        assert_eq!(first, b.train_epoch().unwrap());
        let mut last = first;
        for _ in 0..40 {
            last = a.train_epoch().unwrap();
        }
        assert_eq!(a.epoch(), 41);
        assert!(last.loss < first.loss, "{last:?} vs {first:?}");
        assert!((last.loss - (last.recon + last.kl)).abs() < 1e-4);
    }

    #[test]
    fn a_huge_learning_rate_diverges() {
        let mut t = Training::new(
            data(),
            6,
            TrainerConfig {
                lr: 1e6,
                ..config()
            },
            3,
        )
        .unwrap();
        let outcome = (0..20).find_map(|_| t.train_epoch().err());
        assert_eq!(outcome, Some(TrainError::Diverged));
    }

    fn binarising(binarise: bool) -> TrainerConfig {
        TrainerConfig {
            binarise,
            ..config()
        }
    }

    /// Ten 6-pixel grey images.
    fn grey() -> Vec<f32> {
        (0..60).map(|i| ((i * 7) % 17) as f32 / 16.0).collect()
    }

    #[test]
    fn binarised_epochs_are_deterministic_fresh_and_allocation_free() {
        let mut a = Training::new(grey(), 6, binarising(true), 3).unwrap();
        let mut b = Training::new(grey(), 6, binarising(true), 3).unwrap();
        let mut plain = Training::new(grey(), 6, binarising(false), 3).unwrap();
        let first = a.train_epoch().unwrap();
        assert_eq!(first, b.train_epoch().unwrap());
        assert_ne!(first, plain.train_epoch().unwrap());
        // This epoch's pixels: binary, the binarisation of the grey data with epoch 1's seed.
        assert_eq!(
            a.binary,
            crate::math::networks::data::binarise::binarise(&grey(), binarise_seed(3, 1))
        );
        let epoch1 = a.binary.clone();
        let warmed = a.buffer_capacities();
        assert!(warmed.iter().all(|&c| c > 0), "{warmed:?}");
        for _ in 0..5 {
            assert_eq!(a.train_epoch().unwrap(), b.train_epoch().unwrap());
            assert_eq!(a.buffer_capacities(), warmed);
        }
        assert_ne!(a.binary, epoch1, "every epoch draws the pixels afresh");
        assert_eq!(a.vae().params(), b.vae().params());
        assert_ne!(binarise_seed(3, 1), binarise_seed(3, 2));
        assert_ne!(binarise_seed(3, 1), binarise_seed(4, 1));
        // Already binary images binarise to themselves: the same training bit for bit.
        let mut on = Training::new(data(), 6, binarising(true), 5).unwrap();
        let mut off = Training::new(data(), 6, binarising(false), 5).unwrap();
        for _ in 0..3 {
            assert_eq!(on.train_epoch().unwrap(), off.train_epoch().unwrap());
        }
        assert_eq!(on.vae().params(), off.vae().params());
    }

    #[test]
    fn warmup_raises_beta_exactly_linearly_then_holds_it() {
        for (beta, warmup) in [(1.0f32, 10u32), (0.3, 7), (4.0, 1), (1.0, 3000)] {
            let c = TrainerConfig {
                beta,
                warmup,
                ..config()
            };
            assert_eq!(c.beta_at(0), 0.0, "the first epoch has β = 0");
            for e in 0..warmup {
                // β·e/N, rounded once from f64: the same line through (0, 0) and (N, β).
                let line = (f64::from(beta) * f64::from(e) / f64::from(warmup)) as f32;
                assert_eq!(c.beta_at(e), line, "epoch {e} of {warmup}");
                let step = f64::from(c.beta_at(e + 1)) - f64::from(c.beta_at(e));
                let want = f64::from(beta) / f64::from(warmup);
                // Equal steps, up to the two roundings to f32 (each ≤ ½ ulp of β).
                let ulp = f64::from(f32::EPSILON) * f64::from(beta);
                assert!((step - want).abs() <= ulp, "{step} vs {want}");
            }
            for e in [warmup, warmup + 1, warmup + 1000] {
                assert_eq!(c.beta_at(e), beta, "after {warmup} epochs β is the target");
            }
        }
        let off = TrainerConfig {
            beta: 0.5,
            ..config()
        };
        assert_eq!(off.beta_at(0), 0.5, "no warm-up: β from the first epoch");
        // The epoch loop trains with the schedule's β and reports it.
        let warm = TrainerConfig {
            warmup: 4,
            ..config()
        };
        let mut t = Training::new(data(), 6, warm, 3).unwrap();
        let used: Vec<f32> = (0..6).map(|_| t.train_epoch().unwrap().beta).collect();
        assert_eq!(used, [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]);
    }

    /// The collapse part's presets (www/widgets/vae/collapse.js PRESETS): the digits, binarised
    /// afresh every epoch, latent 16, H 128 tanh, β 4, lr 3e-3, batch 64, seed 1; with
    /// `free_bits` λ. Trained two epochs; the latent usage on the held-out images binarised
    /// once with the worker's HELD_OUT_SEED (31337), as the page computes it.
    fn preset_after_two_epochs(free_bits: f32) -> crate::math::networks::vae::LatentUsage {
        use crate::math::networks::data::binarise::binarise;
        use crate::math::networks::data::digits::parse_digits;
        let d = parse_digits(include_bytes!("../../../../www/data/digits.bin")).unwrap();
        let c = TrainerConfig {
            latent: 16,
            beta: 4.0,
            lr: 3e-3,
            binarise: true,
            free_bits,
            ..TrainerConfig::default()
        };
        let mut t = Training::new(d.train.flat().to_vec(), d.pixels_per_image(), c, 1).unwrap();
        t.train_epoch().unwrap();
        t.train_epoch().unwrap();
        t.vae()
            .latent_usage(&binarise(d.test.flat(), 31337))
            .unwrap()
    }

    /// vae.preset.collapseNote (en and zh): "after 2 epochs no dimension is active, and every
    /// bar is below 0.1 nats".
    #[test]
    fn the_collapse_preset_leaves_no_active_unit_after_two_epochs() {
        let u = preset_after_two_epochs(0.0);
        assert_eq!(u.active, 0, "{u:?}");
        assert!(u.kl.iter().all(|&k| k < 0.1), "{u:?}");
    }

    /// vae.preset.preventNote (en and zh): "after 2 epochs all 16 dimensions are active, each
    /// carrying between 0.1 and 0.3 nats, about λ = 0.25".
    #[test]
    fn the_free_bits_preset_keeps_all_16_units_active_after_two_epochs() {
        let u = preset_after_two_epochs(0.25);
        assert_eq!(u.active, 16, "{u:?}");
        assert!(u.kl.iter().all(|&k| (0.1..0.3).contains(&k)), "{u:?}");
    }

    #[test]
    fn warmup_and_free_bits_epochs_are_allocation_free() {
        let c = TrainerConfig {
            warmup: 3,
            free_bits: 0.2,
            latent: 3,
            ..config()
        };
        let mut t = Training::new(grey(), 6, c, 3).unwrap();
        let first = t.train_epoch().unwrap();
        assert_eq!(first.beta, 0.0);
        // With β = 0 the objective is the reconstruction alone.
        assert_eq!(first.loss, first.recon);
        let warmed = (t.buffer_capacities(), t.vae().workspace_capacities());
        assert!(warmed.1.iter().all(|&c| c > 0), "{warmed:?}");
        for _ in 0..6 {
            let l = t.train_epoch().unwrap();
            assert_eq!(
                (t.buffer_capacities(), t.vae().workspace_capacities()),
                warmed
            );
            assert!(l.loss.is_finite() && l.kl >= 0.0);
        }
    }
}
