use super::*;
use crate::math::networks::vae::tests::toy_data;
use proptest::prelude::*;
use std::sync::OnceLock;

/// D = 8, H = 16, Z = 2, trained for 200 full-batch Adam steps on the toy images.
fn trained() -> &'static (Vae, Vec<f32>) {
    static MODEL: OnceLock<(Vae, Vec<f32>)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let data = toy_data();
        let mut vae = Vae::new(8, 16, 2, Mode::Variational, 3).unwrap();
        for step in 0..200 {
            vae.train_step(&data, 1.0, 0.02, step).unwrap();
        }
        (vae, data)
    })
}

/// A Gaussian-likelihood model on real-valued rows (a density, not a code length).
fn gaussian() -> (Vae, Vec<f32>) {
    let data: Vec<f32> = toy_data()
        .iter()
        .enumerate()
        .map(|(i, &v)| v * 1.5 - 0.3 * (i % 3) as f32)
        .collect();
    let mut vae = Vae::new(8, 16, 3, Mode::Variational, 5)
        .unwrap()
        .with_likelihood(Likelihood::Gaussian);
    for step in 0..50 {
        vae.train_step(&data, 1.0, 0.01, step).unwrap();
    }
    (vae, data)
}

#[test]
fn distortion_plus_rate_is_minus_the_elbo_of_each_image() {
    let (g, gdata) = gaussian();
    let (t, tdata) = trained();
    for (vae, data) in [(t, tdata), (&g, &gdata)] {
        let d = vae.pixels();
        let rd = vae.rate_distortion(data, 7, 11).unwrap();
        let (mu, logvar) = vae.encode(data).unwrap();
        let z = vae.latent();
        for (i, x) in data.chunks(d).enumerate() {
            let rows = i * z..(i + 1) * z;
            let e = vae
                .elbo_of(x, &mu[rows.clone()], &logvar[rows], 7, image_seed(11, i))
                .unwrap();
            let sum = rd.distortion[i] + rd.rate[i];
            assert!(
                (sum + e.elbo).abs() < 1e-9,
                "image {i}: D + R = {sum}, ELBO {}",
                e.elbo
            );
        }
        let n = (data.len() / d) as f64;
        let mean_d = rd.distortion.iter().sum::<f64>() / n;
        assert!((rd.mean_distortion - mean_d).abs() < 1e-12);
        assert!(rd.rate.iter().all(|&r| r >= 0.0));
    }
}

#[test]
fn the_rate_is_the_closed_form_kl_and_the_mean_agrees_with_the_trainers_estimate() {
    let (vae, data) = trained();
    let rd = vae.rate_distortion(data, 400, 2).unwrap();
    let (mu, logvar) = vae.encode(data).unwrap();
    let kl = crate::math::divergence::gaussian::kl_diag_to_std_normal;
    for (i, r) in rd.rate.iter().enumerate() {
        let m: Vec<f64> = mu[2 * i..2 * i + 2].iter().map(|&v| f64::from(v)).collect();
        let lv: Vec<f64> = logvar[2 * i..2 * i + 2]
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        assert!((r - kl(&m, &lv).unwrap()).abs() < 1e-9, "image {i}");
    }
    // The f32 training loss with many draws estimates the same D (Monte Carlo and f32 error).
    let l = vae.evaluate_sampled(data, 400, 9).unwrap();
    assert!(
        (f64::from(l.kl) - rd.mean_rate).abs() < 1e-4,
        "{l:?} vs {}",
        rd.mean_rate
    );
    assert!(
        (f64::from(l.recon) - rd.mean_distortion).abs() < 0.02,
        "{l:?} vs {}",
        rd.mean_distortion
    );
}

#[test]
fn surgery_splits_the_rate_into_information_and_marginal_kl() {
    let (vae, data) = trained();
    let n = data.len() / vae.pixels();
    for seed in 0..4 {
        let rd = vae.rate_distortion(data, 50, seed).unwrap();
        let sum = rd.mutual_information + rd.marginal_kl;
        let se = rd.surgery_standard_error;
        assert!(se > 0.0 && se < 0.05 * rd.mean_rate, "{rd:?}");
        assert!(
            (sum - rd.mean_rate).abs() < 4.0 * se,
            "I + KL = {sum}, R = {}, se {se}",
            rd.mean_rate
        );
        // I_q(x; z) ≤ ln N: q(z) ≥ q(z | xₙ)/N for every draw.
        assert!(rd.mutual_information <= (n as f64).ln() + 1e-12);
        // The trained codes separate the four prototypes: well above 0 nats.
        assert!(rd.mutual_information > 0.5, "{rd:?}");
    }
}

#[test]
fn identical_posteriors_carry_no_information() {
    // Every q(z | x) = N(b, e^{lv}) whatever x: q(z) is that same Gaussian, I_q = 0 exactly and
    // the whole rate is KL(q(z) ‖ p(z)) = ½ Σ (b² + e^{lv} − 1 − lv).
    let (mut vae, data) = trained().clone();
    vae.enc_mu.w.fill(0.0);
    vae.enc_logvar.w.fill(0.0);
    vae.enc_mu.b.copy_from_slice(&[0.5, -1.0]);
    vae.enc_logvar.b.copy_from_slice(&[-0.4, 0.3]);
    let rd = vae.rate_distortion(&data, 200, 3).unwrap();
    let closed: f64 = [(0.5f64, -0.4f64), (-1.0, 0.3)]
        .iter()
        .map(|&(b, lv)| 0.5 * (b * b + lv.exp() - 1.0 - lv))
        .sum();
    assert!(rd.rate.iter().all(|r| (r - closed).abs() < 1e-6));
    assert!(
        rd.mutual_information.abs() < 1e-12,
        "{}",
        rd.mutual_information
    );
    let se = rd.surgery_standard_error;
    assert!(
        (rd.marginal_kl - closed).abs() < 4.0 * se,
        "{} vs {closed}, se {se}",
        rd.marginal_kl
    );
}

#[test]
fn deterministic_for_a_seed() {
    let (vae, data) = trained();
    let a = vae.rate_distortion(data, 5, 42).unwrap();
    assert_eq!(a, vae.rate_distortion(data, 5, 42).unwrap());
    let b = vae.rate_distortion(data, 5, 43).unwrap();
    assert_ne!(a.distortion, b.distortion);
    assert_eq!(a.rate, b.rate, "the rate is a closed form: no noise");
}

#[test]
fn bad_inputs_are_coded_errors() {
    let (vae, data) = trained();
    let rule = |e: InputError| match e {
        InputError::OutOfRange { rule, .. } => rule,
        e => panic!("{e:?}"),
    };
    assert_eq!(
        rule(vae.rate_distortion(data, 1, 0).unwrap_err()),
        Code::ElboSamples
    );
    let ae = Vae::new(8, 4, 2, Mode::Autoencoder, 1).unwrap();
    assert_eq!(
        rule(ae.rate_distortion(data, 4, 0).unwrap_err()),
        Code::RateMode
    );
    let many = vec![0.0f32; (MAX_RATE_IMAGES + 1) * 8];
    assert_eq!(
        rule(vae.rate_distortion(&many, 4, 0).unwrap_err()),
        Code::RateImages
    );
    assert_eq!(
        rule(vae.rate_distortion(&[2.0; 8], 4, 0).unwrap_err()),
        Code::BernoulliTarget
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]
    #[test]
    fn the_identity_holds_for_any_seed_and_sample_count(seed in 0u64..1_000_000, samples in 2usize..12) {
        let (vae, data) = trained();
        let rd = vae.rate_distortion(&data[..16 * 8], samples, seed).unwrap();
        let (mu, logvar) = vae.encode(&data[..16 * 8]).unwrap();
        for i in [0, 7, 15] {
            let e = vae.elbo_of(&data[i * 8..(i + 1) * 8], &mu[2 * i..2 * i + 2], &logvar[2 * i..2 * i + 2], samples, image_seed(seed, i)).unwrap();
            prop_assert!((rd.distortion[i] + rd.rate[i] + e.elbo).abs() < 1e-9);
        }
        prop_assert!(rd.mutual_information <= 16f64.ln() + 1e-12);
    }
}

#[test]
fn a_larger_beta_buys_less_rate_with_more_distortion() {
    // The trade-off 4.3's text states (Alemi et al. 2018): the same model and seed trained on
    // D + β R for β = 0.1 and β = 8 (the sweep's ends) sends more nats at the small β and
    // distorts less.
    let data = toy_data();
    let trained_with = |beta: f32| {
        let mut vae = Vae::new(8, 16, 2, Mode::Variational, 3).unwrap();
        for step in 0..200 {
            vae.train_step(&data, beta, 0.02, step).unwrap();
        }
        vae.rate_distortion(&data, 50, 1).unwrap()
    };
    let (low, high) = (trained_with(0.1), trained_with(8.0));
    assert!(
        low.mean_rate > high.mean_rate + 1.0,
        "R {} vs {}",
        low.mean_rate,
        high.mean_rate
    );
    assert!(
        low.mean_distortion < high.mean_distortion,
        "D {} vs {}",
        low.mean_distortion,
        high.mean_distortion
    );
    // I_q(x; z) ≤ ln N, the bound the text gives for the 360 held-out digits (ln 360 ≈ 5.89).
    assert!(low.mutual_information <= (64f64).ln() + 1e-12);
    assert!(((360f64).ln() - 5.89).abs() < 0.005);
}
