use super::*;
use crate::math::networks::vae::tests::toy_data;
use proptest::prelude::*;
use std::sync::OnceLock;

/// D = 8, H = 16, Z = 2, trained for 300 full-batch Adam steps on the toy images.
fn trained() -> &'static (Vae, Vec<f32>) {
    static MODEL: OnceLock<(Vae, Vec<f32>)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let data = toy_data();
        let mut vae = Vae::new(8, 16, 2, Mode::Variational, 3).unwrap();
        for step in 0..300 {
            vae.train_step(&data, 1.0, 0.02, step).unwrap();
        }
        (vae, data)
    })
}

/// log p(x | z) for one code, in f64 (the bounds' own likelihood).
fn log_lik(vae: &Vae, x: &[f32], z: &[f32]) -> f64 {
    vae.log_likelihoods(&vae.decoder_logits(z), x)[0]
}

#[test]
fn the_z_gradient_matches_finite_differences() {
    let data = toy_data();
    for (activation, likelihood) in [
        (Activation::Tanh, Likelihood::Bernoulli),
        (Activation::Relu, Likelihood::Bernoulli),
        (Activation::Tanh, Likelihood::Gaussian),
    ] {
        let mut vae = Vae::with_activation(8, 6, 3, Mode::Variational, activation, 5)
            .unwrap()
            .with_likelihood(likelihood);
        for step in 0..40 {
            vae.train_step(&data, 1.0, 0.02, step).unwrap();
        }
        let x = &data[8..16];
        let z = [0.3f32, -0.7, 1.1, -1.4, 0.2, 0.5]; // two codes
        let (lp, grad) = vae.log_lik_z_grad(x, &z);
        let both = log_lik(&vae, x, &z[..3]) + log_lik(&vae, x, &z[3..]);
        assert!(
            (f64::from(lp) - both).abs() < 1e-4 * both.abs(),
            "{lp} vs {both}"
        );
        let h = 1e-2f32;
        for i in 0..6 {
            let row = i / 3 * 3..i / 3 * 3 + 3;
            let at = |d: f32| {
                let mut zz = z;
                zz[i] += d;
                log_lik(&vae, x, &zz[row.clone()])
            };
            let fd = (at(h) - at(-h)) / (2.0 * f64::from(h));
            let g = f64::from(grad[i]);
            assert!(
                (g - fd).abs() < 2e-3 + 1e-2 * fd.abs(),
                "{activation:?} {likelihood:?} ∂/∂z[{i}]: backward {g} vs finite difference {fd}"
            );
        }
    }
}

#[test]
fn elbo_of_the_encoders_q_is_the_sampled_evaluate() {
    let (vae, data) = trained();
    for x in data.chunks(8).take(4) {
        let (mu, logvar) = vae.encoder_q(x).unwrap();
        let e = vae.elbo_of(x, &mu, &logvar, 500, 9).unwrap();
        let l = vae.evaluate_sampled(x, 500, 9).unwrap();
        let want = -f64::from(l.loss);
        assert!((e.elbo - want).abs() < 1e-3 * want.abs(), "{e:?} vs {want}");
        assert!(e.standard_error > 0.0 && e.standard_error < 1.0, "{e:?}");
        assert_eq!(e, vae.elbo_of(x, &mu, &logvar, 500, 9).unwrap());
    }
}

#[test]
fn the_fit_closes_the_amortisation_gap_and_stays_below_the_evidence() {
    let (vae, data) = trained();
    let mut gained = 0.0;
    for x in data.chunks(8).take(8) {
        let (mu, logvar) = vae.encoder_q(x).unwrap();
        let fit = vae.fit_posterior(x, 300, 8, 1).unwrap();
        assert_eq!(fit.steps, 300);
        let enc = vae.elbo_of(x, &mu, &logvar, 20_000, 4).unwrap();
        let star = vae.elbo_of(x, &fit.mu, &fit.logvar, 20_000, 4).unwrap();
        let evidence = vae.exact_posterior_grid(x, 300, 5.0).unwrap().log_evidence;
        let se = star.standard_error;
        assert!(
            star.elbo >= enc.elbo - 3.0 * se,
            "q* {star:?} vs q_φ {enc:?}"
        );
        assert!(
            evidence >= star.elbo - 3.0 * se,
            "log p(x) {evidence} vs q* {star:?}"
        );
        gained += star.elbo - enc.elbo;
    }
    // The encoder is not optimal image by image: the fit gains something on average.
    assert!(gained / 8.0 > 0.01, "mean gain {}", gained / 8.0);
}

#[test]
fn zero_steps_return_the_encoders_q_and_bad_inputs_are_errors() {
    let (vae, data) = trained();
    let x = &data[..8];
    let (mu, logvar) = vae.encoder_q(x).unwrap();
    let fit = vae.fit_posterior(x, 0, 4, 1).unwrap();
    assert_eq!(
        (fit.mu.clone(), fit.logvar.clone(), fit.steps),
        (mu, logvar, 0)
    );
    assert_eq!(
        vae.fit_posterior(x, 50, 4, 2),
        vae.fit_posterior(x, 50, 4, 2)
    );
    let code = |e: InputError| e.code();
    assert_eq!(
        code(vae.fit_posterior(&data[..7], 5, 4, 1).unwrap_err()),
        Code::LengthMismatch
    );
    assert_eq!(
        code(vae.fit_posterior(x, 5, 0, 1).unwrap_err()),
        Code::AverageSamples
    );
    let grey_out = [2.0f32; 8];
    assert_eq!(
        code(vae.fit_posterior(&grey_out, 5, 4, 1).unwrap_err()),
        Code::BernoulliTarget
    );
    let ok = [0.0f32; 2];
    assert_eq!(
        code(vae.elbo_of(x, &ok, &ok, 1, 1).unwrap_err()),
        Code::ElboSamples
    );
    assert_eq!(
        code(vae.elbo_of(x, &[0.0], &ok, 10, 1).unwrap_err()),
        Code::LengthMismatch
    );
    let nan = [f32::NAN, 0.0];
    assert_eq!(
        code(vae.elbo_of(x, &nan, &ok, 10, 1).unwrap_err()),
        Code::QMeanRange
    );
    assert_eq!(
        code(vae.elbo_of(x, &ok, &[31.0, 0.0], 10, 1).unwrap_err()),
        Code::QLogVarRange
    );
    assert_eq!(
        code(vae.elbo_of(x, &ok, &nan, 10, 1).unwrap_err()),
        Code::QLogVarRange
    );
    // More draws than one decoder call takes (256): the gradient is gathered chunk by chunk.
    let many = vae.fit_posterior(x, 20, 600, 3).unwrap();
    let (enc, star) = (
        vae.elbo_of(x, &fit.mu, &fit.logvar, 5000, 8).unwrap(),
        vae.elbo_of(x, &many.mu, &many.logvar, 5000, 8).unwrap(),
    );
    assert!(star.elbo >= enc.elbo - 3.0 * (enc.standard_error + star.standard_error));
    // The extremes allowed still give finite numbers.
    let far = vae
        .elbo_of(x, &[1000.0, -1000.0], &[30.0, -30.0], 10, 1)
        .unwrap();
    assert!(
        far.elbo.is_finite() && far.standard_error.is_finite(),
        "{far:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// With common random numbers (one seed for both), ELBO(q*) never falls below ELBO(q_φ) by
    /// more than the Monte Carlo error: 3 × (SE₁ + SE₂), a bound on 3 × the SE of the
    /// difference whatever the correlation.
    #[test]
    fn the_fit_never_lowers_the_elbo(image in 0usize..64, fit_seed in 0u64..1000, seed in 0u64..1000) {
        let (vae, data) = trained();
        let x = &data[image * 8..(image + 1) * 8];
        let (mu, logvar) = vae.encoder_q(x).unwrap();
        let fit = vae.fit_posterior(x, 150, 4, fit_seed).unwrap();
        let enc = vae.elbo_of(x, &mu, &logvar, 2000, seed).unwrap();
        let star = vae.elbo_of(x, &fit.mu, &fit.logvar, 2000, seed).unwrap();
        let err = 3.0 * (enc.standard_error + star.standard_error);
        prop_assert!(star.elbo >= enc.elbo - err, "q* {:?} vs q_φ {:?}", star, enc);
    }
}
