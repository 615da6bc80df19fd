use super::*;
use crate::math::divergence::gaussian::kl_diag_to_std_normal;

mod gaussian;

/// 64 binary images of 8 pixels: 16 noisy copies of each of 4 prototypes, each pixel flipped
/// with probability 0.05 (seeded).
pub(super) fn toy_data() -> Vec<f32> {
    let prototypes: [[u8; 8]; 4] = [
        [1, 1, 1, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 1, 1, 1, 1],
        [1, 0, 1, 0, 1, 0, 1, 0],
        [0, 1, 1, 0, 0, 1, 1, 0],
    ];
    let mut rng = Random::new(2024);
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
    let mut rng = Random::new(seed);
    (0..n * z).map(|_| rng.standard_normal() as f32).collect()
}

fn check_gradients(mode: Mode) {
    check_gradients_with(mode, Activation::Tanh);
}

fn check_gradients_with(mode: Mode, activation: Activation) {
    check_gradients_full(mode, activation, Likelihood::Bernoulli);
}

fn check_gradients_full(mode: Mode, activation: Activation, likelihood: Likelihood) {
    // Small model, non-zero biases so every path is exercised.
    let mut vae = Vae::with_activation(6, 5, 2, mode, activation, 11)
        .unwrap()
        .with_likelihood(likelihood);
    let mut rng = Random::new(5);
    let mut p = vae.params();
    for v in &mut p {
        *v += 0.2 * rng.standard_normal() as f32;
    }
    vae.set_params(&p).unwrap();
    let mut x = [
        1.0, 0.0, 1.0, 1.0, 0.0, 0.0, //
        0.0, 1.0, 0.0, 0.3, 1.0, 1.0, //
        1.0, 1.0, 0.0, 0.0, 0.0, 0.7,
    ];
    if likelihood == Likelihood::Gaussian {
        // Real values off the decoder's reach, so the squared errors are not tiny.
        for (i, v) in x.iter_mut().enumerate() {
            *v = 2.5 * *v - 1.0 + 0.1 * i as f32;
        }
    }
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
    // Every third parameter, and all of the Gaussian log σ_x² at the end.
    let tail = p.len() - vae.log_var_x().len();
    for i in (0..tail).step_by(3).chain(tail..p.len()) {
        if activation == Activation::Relu && near_kink(&vae, &x, &eps, &p, i, h) {
            continue;
        }
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
            "{mode:?} {likelihood:?} param {i}: analytic {a} vs numeric {numeric}"
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

/// True if moving parameter `i` by ±`h` flips the sign of some hidden pre-activation, so
/// the central difference would straddle a ReLU kink.
fn near_kink(vae: &Vae, x: &[f32], eps: &[f32], p: &[f32], i: usize, h: f32) -> bool {
    let signs = |q: &[f32]| -> Vec<bool> {
        let mut m = vae.clone();
        m.set_params(q).unwrap();
        let a1 = m.enc.forward(x);
        let mut h1 = a1.clone();
        Activation::Relu.apply(&mut h1);
        let (mu, lv) = (m.enc_mu.forward(&h1), m.enc_logvar.forward(&h1));
        let z: Vec<f32> = (0..mu.len())
            .map(|j| match m.mode {
                Mode::Variational => mu[j] + (0.5 * lv[j]).exp() * eps[j],
                Mode::Autoencoder => mu[j],
            })
            .collect();
        let a2 = m.dec.forward(&z);
        a1.iter().chain(&a2).map(|&a| a > 0.0).collect()
    };
    let mut q = p.to_vec();
    q[i] = p[i] + h;
    let up = signs(&q);
    q[i] = p[i] - h;
    up != signs(&q) || up != signs(p)
}

#[test]
fn relu_vae_gradient_matches_finite_differences_away_from_kinks() {
    check_gradients_with(Mode::Variational, Activation::Relu);
    check_gradients_with(Mode::Autoencoder, Activation::Relu);
}

#[test]
fn relu_training_on_toy_patterns_lowers_the_loss() {
    let data = toy_data();
    let mut vae = Vae::with_activation(8, 16, 2, Mode::Variational, Activation::Relu, 1).unwrap();
    assert_eq!(vae.activation(), Activation::Relu);
    let before = vae.evaluate(&data).unwrap();
    for step in 0..150 {
        assert!(
            vae.train_step(&data, 1.0, 0.02, step)
                .unwrap()
                .loss
                .is_finite()
        );
    }
    let after = vae.evaluate(&data).unwrap();
    assert!(after.loss < 0.6 * before.loss, "{before:?} → {after:?}");
    // Same parameter layout and initialisation as the tanh model from the same seed.
    let tanh = Vae::new(8, 16, 2, Mode::Variational, 1).unwrap();
    assert_eq!(tanh.activation(), Activation::Tanh);
    assert_eq!(tanh.num_params(), vae.num_params());
    let relu0 = Vae::with_activation(8, 16, 2, Mode::Variational, Activation::Relu, 1).unwrap();
    assert_eq!(tanh.params(), relu0.params());
}

#[test]
fn train_steps_reuse_the_workspace_without_reallocating() {
    let data = toy_data();
    for activation in [Activation::Tanh, Activation::Relu] {
        let mut vae = Vae::with_activation(8, 16, 2, Mode::Variational, activation, 1).unwrap();
        vae.train_step(&data, 1.0, 0.01, 0).unwrap();
        let warmed = vae.ws.capacities();
        assert!(warmed.iter().all(|&c| c > 0), "{warmed:?}");
        for step in 1..20 {
            // Full batches and a smaller last batch, as in an epoch.
            let rows = if step % 5 == 0 { 29 } else { 64 };
            vae.train_step(&data[..rows * 8], 1.0, 0.01, step).unwrap();
            assert_eq!(vae.ws.capacities(), warmed, "step {step}");
        }
    }
}

#[test]
fn a_train_step_matches_loss_and_grad_then_adam() {
    // The workspace path and the allocating path give the same losses and gradients.
    let data = toy_data();
    let mut vae = Vae::new(8, 16, 2, Mode::Variational, 5).unwrap();
    vae.train_step(&data, 0.5, 0.01, 1).unwrap();
    let eps = vae.draw_eps(64, 2);
    let (losses, grads) = vae.loss_and_grad(&data, &eps, 0.5);
    let stepped = vae.train_step(&data, 0.5, 0.01, 2).unwrap();
    assert_eq!(losses, stepped);
    assert_eq!(grads, vae.ws.grads);
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

#[test]
fn held_out_losses_are_minus_the_elbo_split_exactly() {
    // −ELBO = reconstruction + KL exactly as returned (β = 1), at the mean code and sampled,
    // so a page may show −ELBO = recon + KL and E_q[log p(x | z)] = −recon.
    let data = toy_data();
    let mut vae = Vae::new(8, 16, 2, Mode::Variational, 1).unwrap();
    for step in 0..30 {
        vae.train_step(&data, 1.0, 0.02, step).unwrap();
    }
    for l in [
        vae.evaluate(&data).unwrap(),
        vae.evaluate_sampled(&data, 4, 2024).unwrap(),
        vae.evaluate_sampled(&data[..8], 1, 3).unwrap(),
    ] {
        assert_eq!(l.loss, l.recon + l.kl, "{l:?}");
        assert!(l.recon > 0.0 && l.kl > 0.0, "{l:?}");
    }
}
