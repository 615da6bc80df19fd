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
    let d = parse_digits(include_bytes!("../../../../../www/data/digits.bin")).unwrap();
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
