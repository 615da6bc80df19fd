use super::*;
use crate::math::divergence::gaussian::kl_diag_to_std_normal;

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

// ---- Gaussian likelihood ----

/// A Gaussian model on 2-D points.
fn gaussian(hidden: usize, seed: u64) -> Vae {
    Vae::new(2, hidden, 2, Mode::Variational, seed)
        .unwrap()
        .with_likelihood(Likelihood::Gaussian)
}

/// 512 two-moons points (noise 0.1, seed 3), (512, 2).
fn moons() -> Vec<f32> {
    crate::math::networks::data::toy::two_moons(512, 0.1, 3)
        .unwrap()
        .0
}

#[test]
fn gaussian_gradient_matches_finite_differences_including_log_var_x() {
    check_gradients_full(Mode::Variational, Activation::Tanh, Likelihood::Gaussian);
    check_gradients_full(Mode::Autoencoder, Activation::Tanh, Likelihood::Gaussian);
}

#[test]
fn gaussian_recon_is_the_closed_form_log_density() {
    let mut vae = Vae::new(3, 6, 2, Mode::Variational, 8)
        .unwrap()
        .with_likelihood(Likelihood::Gaussian);
    let mut p = vae.params();
    let k = p.len();
    p[k - 3..].copy_from_slice(&[-1.0, 0.5, 0.0]);
    vae.set_params(&p).unwrap();
    assert_eq!(vae.log_var_x(), [-1.0, 0.5, 0.0]);
    let data = [0.3, -1.2, 2.0, 1.5, 0.0, -0.7];
    // evaluate decodes z = μ; so does decode(μ).
    let (mu, _) = vae.encode(&data).unwrap();
    let means = vae.decode(&mu).unwrap();
    let reference: f64 = data
        .iter()
        .zip(&means)
        .zip(vae.log_var_x().iter().cycle())
        .map(|((&x, &m), &lv)| {
            let (x, m, var) = (f64::from(x), f64::from(m), f64::from(lv).exp());
            // ln N(x; m, var), written out independently of the model code.
            -0.5 * (2.0 * std::f64::consts::PI * var).ln() - (x - m).powi(2) / (2.0 * var)
        })
        .sum::<f64>()
        / -2.0;
    let recon = f64::from(vae.evaluate(&data).unwrap().recon);
    assert!((recon - reference).abs() < 1e-5, "{recon} vs {reference}");
}

/// `epochs` passes over `data` (2-D points) in minibatches of 64 at learning rate 0.01.
fn train_epochs(vae: &mut Vae, data: &[f32], epochs: u64) {
    for epoch in 0..epochs {
        for (i, batch) in data.chunks(64 * 2).enumerate() {
            vae.train_step(batch, 1.0, 0.01, epoch * 1000 + i as u64)
                .unwrap();
        }
    }
}

fn sigma_x(vae: &Vae) -> Vec<f32> {
    vae.log_var_x().iter().map(|lv| (0.5 * lv).exp()).collect()
}

#[test]
fn gaussian_training_on_two_moons_lowers_the_loss_and_shrinks_sigma_x() {
    let data = moons();
    let mut vae = gaussian(32, 1);
    assert_eq!(vae.likelihood(), Likelihood::Gaussian);
    assert_eq!(vae.log_var_x(), [INIT_LOG_VAR_X; 2]);
    let before = vae.evaluate(&data).unwrap();
    train_epochs(&mut vae, &data, 100);
    let after = vae.evaluate_sampled(&data, 4, 9).unwrap();
    // Seen when written: 3.3 → 1.75 nats.
    assert!(after.loss < before.loss - 1.0, "{before:?} → {after:?}");
    // σ_x over model seeds: one seed's σ_x is one draw, so the claim is about several. Seen
    // with seeds 1–16 after 100 epochs: σ_x/σ₀ ≈ 0.94–1.10 along the moons' long axis and
    // 0.67–1.03 across it (only seed 2 above 0.85). Here: no σ_x grows past 1.15·σ₀, and at
    // least 5 of seeds 1–6 shrink one σ_x below 0.85·σ₀.
    let sigma0 = (0.5 * INIT_LOG_VAR_X).exp();
    let mut shrunk = 0;
    for seed in 1..=6 {
        let sigma = if seed == 1 {
            sigma_x(&vae)
        } else {
            let mut other = gaussian(32, seed);
            train_epochs(&mut other, &data, 100);
            sigma_x(&other)
        };
        assert!(
            sigma.iter().all(|&s| s < 1.15 * sigma0),
            "seed {seed}: σ_x {sigma:?}"
        );
        shrunk += usize::from(sigma.iter().any(|&s| s < 0.85 * sigma0));
    }
    assert!(
        shrunk >= 5,
        "{shrunk} of 6 seeds shrank a σ_x below 0.85·σ₀"
    );
    // From σ_x = 1, as wide as the data, σ_x shrinks below 1 within a few epochs.
    let mut wide = gaussian(32, 1);
    let mut p = wide.params();
    let k = p.len();
    p[k - 2..].fill(0.0);
    wide.set_params(&p).unwrap();
    train_epochs(&mut wide, &data, 10);
    assert!(
        sigma_x(&wide).iter().all(|&s| s < 0.9),
        "{:?}",
        sigma_x(&wide)
    );
    // Decoded means are real-valued points, not probabilities.
    let m = vae.decode(&[0.0, 0.0, 1.0, -1.0]).unwrap();
    assert_eq!(m, vae.decoder_logits(&[0.0, 0.0, 1.0, -1.0]));
}

#[test]
fn gaussian_iwae_bounds_the_elbo_and_the_grid_integrates_to_one() {
    let data = moons();
    let mut vae = gaussian(16, 2);
    for step in 0..150 {
        vae.train_step(&data[..256], 1.0, 0.02, step).unwrap();
    }
    let some = &data[..64];
    let est = vae.iwae(some, 20, 5).unwrap();
    assert!(est.iwae >= est.elbo && est.iwae.is_finite(), "{est:?}");
    let one = vae.iwae(some, 1, 5).unwrap();
    let sampled = vae.evaluate_sampled(some, 1, 5).unwrap();
    // k = 1 uses the same ε as one sampled evaluation; its KL is the closed form, the
    // bound's the Monte Carlo one, so only the recon parts agree exactly (checked above).
    assert!(one.iwae.is_finite() && sampled.loss.is_finite());
    for x in some.chunks(2).take(3) {
        let g = vae.exact_posterior_grid(x, 200, 5.0).unwrap();
        let total: f64 = g.density.iter().sum::<f64>() * g.cell_area;
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let iw = vae.iwae(x, 2000, 7).unwrap().iwae;
        assert!(
            iw <= g.log_evidence + 0.05,
            "IWAE {iw} vs grid {}",
            g.log_evidence
        );
        assert!(
            iw > g.log_evidence - 0.5,
            "IWAE {iw} vs grid {}",
            g.log_evidence
        );
    }
}

#[test]
fn gaussian_params_round_trip_and_bernoulli_layout_is_unchanged() {
    let bern = Vae::new(8, 16, 2, Mode::Variational, 1).unwrap();
    // (D·H + H) + 2(H·Z + Z) + (Z·H + H) + (H·D + D)
    assert_eq!(
        bern.num_params(),
        8 * 16 + 16 + 2 * (16 * 2 + 2) + 2 * 16 + 16 + 16 * 8 + 8
    );
    assert_eq!(bern.likelihood(), Likelihood::Bernoulli);
    assert!(bern.log_var_x().is_empty());
    let mut g = bern.clone().with_likelihood(Likelihood::Gaussian);
    assert_eq!(g.num_params(), bern.num_params() + 8);
    let p = g.params();
    assert_eq!(p[..bern.num_params()], bern.params()[..]);
    assert_eq!(p[bern.num_params()..], [INIT_LOG_VAR_X; 8]);
    let moved: Vec<f32> = p
        .iter()
        .enumerate()
        .map(|(i, v)| v + i as f32 * 1e-3)
        .collect();
    g.set_params(&moved).unwrap();
    assert_eq!(g.params(), moved);
    assert!(g.set_params(&moved[1..]).is_err());
    // Back to Bernoulli drops the extra parameters.
    let b2 = g.with_likelihood(Likelihood::Bernoulli);
    assert_eq!(b2.num_params(), bern.num_params());
}

#[test]
fn gaussian_accepts_real_values_but_not_non_finite_ones() {
    let mut vae = gaussian(4, 0);
    vae.train_step(&[1.7, -3.0, 0.5, 20.0], 1.0, 0.01, 0)
        .unwrap();
    for bad in [f32::NAN, f32::INFINITY] {
        let err = vae.train_step(&[0.0, bad], 1.0, 0.01, 0).unwrap_err();
        assert!(matches!(
            err,
            InputError::NotFiniteNumber { name: "batch", .. }
        ));
    }
    let bern = Vae::new(2, 4, 2, Mode::Variational, 0).unwrap();
    assert!(bern.evaluate(&[1.7, 0.0]).is_err());
}

#[test]
fn gaussian_train_steps_reuse_the_workspace() {
    let data = moons();
    let mut vae = gaussian(16, 1);
    vae.train_step(&data[..128], 1.0, 0.01, 0).unwrap();
    let caps = |ws: &Workspace| (ws.capacities(), ws.gaussian_capacities());
    let warmed = caps(&vae.ws);
    assert!(
        warmed.0.iter().chain(&warmed.1).all(|&c| c > 0),
        "{warmed:?}"
    );
    for step in 1..10 {
        let rows = if step % 3 == 0 { 37 } else { 64 };
        vae.train_step(&data[..rows * 2], 1.0, 0.01, step).unwrap();
        assert_eq!(caps(&vae.ws), warmed, "step {step}");
    }
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
