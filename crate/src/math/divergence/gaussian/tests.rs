#[test]
fn an_empty_latent_vector_is_rejected() {
    assert_eq!(
        kl_diag_to_std_normal(&[], &[]),
        Err(InputError::Empty { name: "mu" })
    );
}

use super::*;
use crate::math::quadrature::integrate;
use proptest::prelude::*;
use std::f64::consts::{E, PI};

fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs()
}

// Reference values: mpmath, mp.dps = 50, on the exact f64 arguments (mpf(float(x))):
//   kl_normal:  log(s2/s1) + (s1**2 + (m1 - m2)**2)/(2*s2**2) - mpf(1)/2
//   log_density: -((x - m)/s)**2/2 - log(s) - log(2*pi)/2
//   entropy:    log(2*pi*e*s**2)/2
//   kl_diag:    sum(m**2 + exp(l) - 1 - l for m, l in zip(mu, logvar))/2
// printed with mp.nstr(value, 20), then rounded to the nearest f64.
#[test]
fn kl_normal_reference_values() {
    let cases = [
        // (μ₁, σ₁, μ₂, σ₂, KL)
        (0.0, 1.0 + 1e-9, 0.0, 1.0, 1.000_000_165_147_415_4e-18),
        (0.0, 1.0 - 1e-9, 0.0, 1.0, 9.999_999_437_694_71e-19),
        (
            0.3,
            1.0 - 1e-9,
            0.3 + 1e-9,
            1.0,
            1.499_999_970_998_691_2e-18,
        ),
        (
            2.0,
            3.0,
            2.0,
            3.0 * (1.0 + 1e-12),
            1.000_177_809_066_328_4e-24,
        ),
        (1.5, 0.7, -0.4, 2.3, 1.077_107_696_363_439_4),
        (0.0, 1e-10, 0.0, 1.0, 22.525_850_929_940_457),
        (0.0, 1.0, 0.0, 1e-10, 5.0e19),
    ];
    for (m1, s1, m2, s2, want) in cases {
        let got = kl_normal(m1, s1, m2, s2).unwrap();
        assert!(
            rel_close(got, want, 1e-14),
            "{m1} {s1} {m2} {s2}: {got} vs {want}"
        );
    }
    assert_eq!(kl_normal(0.7, 1.3, 0.7, 1.3).unwrap(), 0.0);
}

#[test]
fn textbook_formula_loses_the_nearly_equal_case() {
    // What kl_normal avoids: ln(σ₂/σ₁) + σ₁²/(2σ₂²) − ½ cancels to rounding noise.
    let s1: f64 = 1.0 + 1e-9;
    let textbook = (1.0 / s1).ln() + s1 * s1 / 2.0 - 0.5;
    assert!(
        !rel_close(textbook, 1.000_000_165_147_415_4e-18, 1e-2),
        "{textbook}"
    );
}

#[test]
fn log_density_and_entropy_reference_values() {
    let cases = [
        (0.3, -1.2, 0.7, -2.858_181_956_612_879),
        (1e3, 0.0, 1.0, -500_000.918_938_533_2),
        (-50.0, 2.5, 1e-3, -1_378_124_994.011_183_3),
    ];
    for (x, mu, sigma, want) in cases {
        assert!(rel_close(log_density(x, mu, sigma).unwrap(), want, 1e-15));
    }
    assert!(rel_close(
        differential_entropy(2.0).unwrap(),
        2.112_085_713_764_618,
        1e-15
    ));
    let h = differential_entropy(0.1).unwrap();
    assert!(rel_close(h, -0.883_646_559_789_372_9, 1e-15), "{h}");
    // Entropy is ½ ln(2πeσ²) by definition.
    assert!(rel_close(
        Normal::new(3.0, 0.4).unwrap().entropy(),
        0.5 * (2.0 * PI * E * 0.16).ln(),
        1e-15
    ));
}

#[test]
fn kl_diag_reference_values_including_extreme_logvar() {
    let cases: [(&[f64], &[f64], f64); 6] = [
        (&[0.0], &[30.0], 5_343_237_290_746.731),
        (&[0.0], &[-30.0], 14.500_000_000_000_046),
        (&[0.0], &[1e-9], 2.500_000_000_833_333_7e-19),
        (&[0.0], &[-1e-6], 2.499_999_166_666_874_6e-13),
        (&[1e-9], &[0.0], 5.0e-19),
        (
            &[0.5, -1.0, 0.0, 2.0],
            &[0.3, -2.0, 1e-7, -0.05],
            3.218_211_757_656_667_3,
        ),
    ];
    for (mu, lv, want) in cases {
        let got = kl_diag_to_std_normal(mu, lv).unwrap();
        assert!(
            rel_close(got, want, 1e-14),
            "{mu:?} {lv:?}: {got} vs {want}"
        );
    }
    assert_eq!(
        kl_diag_to_std_normal(&[0.0, 0.0], &[0.0, 0.0]).unwrap(),
        0.0
    );
}

#[test]
fn bad_parameters_are_named() {
    let err = kl_normal(0.0, 1.0, 0.0, -2.0).unwrap_err();
    assert_eq!(
        err,
        InputError::BadScale {
            name: "sigma2",
            index: None,
            value: -2.0
        }
    );
    assert!(
        err.to_string()
            .starts_with("sigma2 is -2: a standard deviation"),
        "{err}"
    );
    assert!(matches!(
        kl_normal(f64::NAN, 1.0, 0.0, 1.0),
        Err(InputError::NotFiniteNumber { name: "mu1", .. })
    ));
    assert!(matches!(
        log_density(0.0, 0.0, 0.0),
        Err(InputError::BadScale { name: "sigma", .. })
    ));
    assert!(matches!(
        log_density(f64::INFINITY, 0.0, 1.0),
        Err(InputError::NotFiniteNumber { name: "x", .. })
    ));
    assert!(differential_entropy(f64::INFINITY).is_err());
    assert!(Normal::new(0.0, f64::NAN).is_err());
    let err = kl_diag_to_std_normal(&[0.0, 1.0], &[0.0]).unwrap_err();
    assert!(
        err.to_string()
            .contains("mu has 2 entries but logvar has 1"),
        "{err}"
    );
    let err = kl_diag_to_std_normal(&[0.0, 1.0], &[0.0, f64::NAN]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "logvar[1] is NaN: it must be a finite number"
    );
}

#[test]
fn density_integrates_to_one_and_kl_matches_quadrature() {
    let n = Normal::new(0.4, 0.3).unwrap();
    let mass = integrate(|x| n.pdf(x), 0.4 - 12.0 * 0.3, 0.4 + 12.0 * 0.3).unwrap();
    assert!((mass - 1.0).abs() < 1e-14, "{mass}");
    let q = Normal::new(-0.5, 0.8).unwrap();
    let by_quadrature = integrate(|x| n.pdf(x) * (n.log_pdf(x) - q.log_pdf(x)), -3.2, 4.0).unwrap();
    let closed = kl_normal(0.4, 0.3, -0.5, 0.8).unwrap();
    assert!(
        (by_quadrature - closed).abs() < 1e-12,
        "{by_quadrature} vs {closed}"
    );
}

#[test]
fn kl_normal_matches_a_seeded_monte_carlo_estimate() {
    let (m1, s1, m2, s2) = (0.5, 1.2, -0.3, 0.9);
    let (p, q) = (Normal::new(m1, s1).unwrap(), Normal::new(m2, s2).unwrap());
    let mut rng = crate::math::random::Random::new(20_240_917);
    let n = 200_000;
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for _ in 0..n {
        let x = m1 + s1 * rng.standard_normal();
        let d = p.log_pdf(x) - q.log_pdf(x);
        sum += d;
        sum_sq += d * d;
    }
    let mean = sum / n as f64;
    let std_error = ((sum_sq / n as f64 - mean * mean) / n as f64).sqrt();
    let closed = kl_normal(m1, s1, m2, s2).unwrap();
    assert!(
        (mean - closed).abs() < 4.0 * std_error,
        "{mean} ± {std_error} vs {closed}"
    );
}

proptest! {
    #[test]
    fn kl_normal_is_non_negative_and_matches_the_textbook_form(
        m1 in -5.0f64..5.0, s1 in 0.05f64..5.0, m2 in -5.0f64..5.0, s2 in 0.05f64..5.0,
    ) {
        let kl = kl_normal(m1, s1, m2, s2).unwrap();
        prop_assert!(kl >= 0.0);
        let textbook = (s2 / s1).ln() + (s1 * s1 + (m1 - m2).powi(2)) / (2.0 * s2 * s2) - 0.5;
        prop_assert!((kl - textbook).abs() <= 1e-13 * textbook.abs().max(1.0));
        prop_assert_eq!(kl_normal(m1, s1, m1, s1).unwrap(), 0.0);
    }

    #[test]
    fn kl_normal_is_invariant_to_shift_and_scale(
        m1 in -5.0f64..5.0, s1 in 0.1f64..5.0, m2 in -5.0f64..5.0, s2 in 0.1f64..5.0,
        shift in -100.0f64..100.0, scale in 0.01f64..100.0,
    ) {
        let kl = kl_normal(m1, s1, m2, s2).unwrap();
        let moved = kl_normal(scale * m1 + shift, scale * s1, scale * m2 + shift, scale * s2).unwrap();
        prop_assert!((kl - moved).abs() <= 1e-9 * kl.max(1e-3), "{kl} vs {moved}");
    }

    #[test]
    fn kl_diag_is_a_sum_of_one_dimensional_kls(
        mu in prop::collection::vec(-3.0f64..3.0, 1..6),
        lv in prop::collection::vec(-30.0f64..30.0, 6),
    ) {
        // KL(N(μ, σ²) ‖ N(0, 1)) per dimension, σ = e^(logvar/2).
        let lv = &lv[..mu.len()];
        let each: f64 = mu.iter().zip(lv).map(|(&m, &l)| kl_normal(m, (0.5 * l).exp(), 0.0, 1.0).unwrap()).sum();
        let all = kl_diag_to_std_normal(&mu, lv).unwrap();
        prop_assert!(all >= 0.0);
        prop_assert!((all - each).abs() <= 1e-12 * each.max(1.0), "{all} vs {each}");
    }
}
