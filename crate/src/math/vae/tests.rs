use super::*;
use crate::math::gaussian::kl_diag_to_std_normal;

/// 64 binary images of 8 pixels: 16 noisy copies of each of 4 prototypes, each pixel flipped
/// with probability 0.05 (seeded).
pub(super) fn toy_data() -> Vec<f32> {
    let prototypes: [[u8; 8]; 4] = [
        [1, 1, 1, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 1, 1, 1],
        [1, 0, 1, 0, 1, 0, 1, 0],
        [0, 1, 1, 0, 0, 1, 1, 0],
    ];
    let mut rng = SplitMix64::new(2024);
    let mut data = Vec::with_capacity(64 * 8);
    for i in 0..64 {
        for &p in &prototypes[i % 4] {
            let flip = rng.uniform() < 0.05;
            data.push(if (p == 1) != flip { 1.0 } else { 0.0 });
        }
    }
    data
}

fn eps_for(n: usize, z: usize, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed);
    (0..n * z).map(|_| rng.standard_normal() as f32).collect()
}

fn check_gradients(mode: Mode) {
    // Small model, non-zero biases so every path is exercised.
    let mut vae = Vae::new(6, 5, 2, mode, 11).unwrap();
    let mut rng = SplitMix64::new(5);
    let mut p = vae.params();
    for v in &mut p {
        *v += 0.2 * rng.standard_normal() as f32;
    }
    vae.set_params(&p).unwrap();
    let x = [
        1.0, 0.0, 1.0, 1.0, 0.0, 0.0, //
        0.0, 1.0, 0.0, 0.3, 1.0, 1.0, //
        1.0, 1.0, 0.0, 0.0, 0.0, 0.7,
    ];
    let eps = eps_for(3, 2, 9);
    let beta = 0.7;
    let (losses, grads) = vae.loss_and_grad(&x, &eps, beta);
    assert_eq!(grads.len(), vae.num_params());
    let loss_at = |q: &[f32]| -> f64 {
        let mut m = vae.clone();
        m.set_params(q).unwrap();
        f64::from(m.forward(&x, &eps, beta).losses.loss)
    };
    assert_eq!(f64::from(losses.loss), loss_at(&p));
    let h = 1e-2f32;
    let mut checked = 0;
    for i in (0..p.len()).step_by(3) {
        let mut q = p.clone();
        q[i] = p[i] + h;
        let up = loss_at(&q);
        q[i] = p[i] - h;
        let down = loss_at(&q);
        let numeric = ((up - down) / (2.0 * f64::from(h))) as f32;
        let a = grads[i];
        let tol = 1e-2 * a.abs().max(numeric.abs()) + 1e-3;
        assert!(
            (a - numeric).abs() < tol,
            "{mode:?} param {i}: analytic {a} vs numeric {numeric}"
        );
        checked += 1;
    }
    assert!(checked > 30);
}

#[test]
fn vae_gradient_matches_finite_differences_with_fixed_eps() {
    check_gradients(Mode::Variational);
}

#[test]
fn autoencoder_gradient_matches_finite_differences() {
    check_gradients(Mode::Autoencoder);
}

#[test]
fn kl_term_matches_the_closed_form_in_gaussian() {
    let vae = Vae::new(8, 6, 3, Mode::Variational, 4).unwrap();
    let data = &toy_data()[..4 * 8];
    let (mu, logvar) = vae.encode(data).unwrap();
    let to64 = |v: &[f32]| v.iter().map(|&x| f64::from(x)).collect::<Vec<_>>();
    // Mean over the 4 examples of the f64 reference.
    let reference: f64 = mu
        .chunks(3)
        .zip(logvar.chunks(3))
        .map(|(m, lv)| kl_diag_to_std_normal(&to64(m), &to64(lv)).unwrap())
        .sum::<f64>()
        / 4.0;
    let kl = f64::from(vae.evaluate(data).unwrap().kl);
    assert!(reference > 0.0);
    assert!(
        (kl - reference).abs() < 1e-5 * reference.max(1.0),
        "{kl} vs {reference}"
    );
}

#[test]
fn training_on_toy_patterns_lowers_the_loss() {
    let data = toy_data();
    for mode in [Mode::Variational, Mode::Autoencoder] {
        let mut vae = Vae::new(8, 16, 2, mode, 1).unwrap();
        let before = vae.evaluate(&data).unwrap();
        for step in 0..150 {
            let l = vae.train_step(&data, 1.0, 0.02, step).unwrap();
            assert!(l.loss.is_finite());
        }
        let after = vae.evaluate(&data).unwrap();
        // Before: recon ≈ 8 ln 2 ≈ 5.5 nats. The data's noise floor is ≈ 8·H(0.05) ≈ 1.6 nats.
        assert!(
            after.loss < 0.6 * before.loss,
            "{mode:?}: {before:?} → {after:?}"
        );
        let sampled = vae.evaluate_sampled(&data, 4, 7).unwrap();
        assert!(sampled.loss.is_finite() && sampled.recon >= after.recon * 0.9);
        if mode == Mode::Autoencoder {
            assert_eq!(after.kl, 0.0);
        }
    }
}

#[test]
fn same_seed_gives_the_same_run() {
    let data = toy_data();
    let run = |seed: u64| {
        let mut vae = Vae::new(8, 8, 2, Mode::Variational, seed).unwrap();
        let losses: Vec<Losses> = (0..5)
            .map(|s| vae.train_step(&data, 0.5, 0.01, 100 + s).unwrap())
            .collect();
        (losses, vae.params())
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3).0, run(4).0);
}

#[test]
fn decode_gives_probabilities() {
    let vae = Vae::new(8, 4, 2, Mode::Variational, 0).unwrap();
    let p = vae.decode(&[0.0, 0.0, 100.0, -100.0]).unwrap();
    assert_eq!(p.len(), 16);
    assert!(p.iter().all(|p| (0.0..=1.0).contains(p)));
    assert!(vae.decode(&[0.0]).is_err());
    assert!(vae.decode(&[f32::NAN, 0.0]).is_err());
}

#[test]
fn bad_inputs_are_rejected_without_changing_the_model() {
    let mut vae = Vae::new(4, 3, 2, Mode::Variational, 0).unwrap();
    let original = vae.clone();
    let ok = [0.0, 1.0, 1.0, 0.0];
    assert!(matches!(
        vae.train_step(&[], 1.0, 0.1, 0),
        Err(InputError::Empty { name: "batch" })
    ));
    assert!(matches!(
        vae.train_step(&ok[..3], 1.0, 0.1, 0),
        Err(InputError::LengthMismatch {
            len_a: 3,
            len_b: 0,
            ..
        })
    ));
    for bad in [2.0, -0.1, f32::NAN] {
        let err = vae
            .train_step(&[0.0, bad, 1.0, 0.0], 1.0, 0.1, 0)
            .unwrap_err();
        assert!(matches!(err, InputError::OutOfRange { name: "batch", .. }));
    }
    for beta in [-1.0, f32::NAN, f32::INFINITY] {
        let err = vae.train_step(&ok, beta, 0.1, 0).unwrap_err();
        assert!(matches!(err, InputError::OutOfRange { name: "beta", .. }));
    }
    let err = vae.train_step(&ok, 1.0, 0.0, 0).unwrap_err();
    assert!(matches!(err, InputError::OutOfRange { name: "lr", .. }));
    assert!(vae.set_params(&[0.0; 3]).is_err());
    assert!(vae.evaluate_sampled(&ok, 0, 0).is_err());
    assert!(Vae::new(4, 0, 2, Mode::Variational, 0).is_err());
    assert_eq!(vae, original);
}
