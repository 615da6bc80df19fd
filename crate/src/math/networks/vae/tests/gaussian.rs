//! The VAE with a Gaussian likelihood on 2-D points: its gradient (including log σ_x²), its
//! reconstruction term against the closed-form log density, training, bounds, parameters,
//! inputs and workspace.

use super::*;

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
