//! The exact posterior: evidence, moments, densities, log-joint derivatives, input checks.

use super::*;
use crate::math::divergence::gaussian::log_normal;

#[test]
fn gaussian_model_evidence_and_moments_match_closed_forms() {
    for sigma_x in [1e-3, 0.05, 0.5, 1.0, 7.0, 1e3] {
        let model = Model::Gaussian { sigma_x };
        for x in [-30.0, -2.0, 0.0, 0.3, 5.0] {
            let want = model.exact_log_evidence(x).unwrap().unwrap();
            let got = model.log_evidence(x).unwrap();
            assert!(
                (got - want).abs() < 1e-10 * want.abs().max(1.0),
                "{sigma_x} {x}: {got} vs {want}"
            );
            let (mean, sd) = model.exact_posterior(x).unwrap().unwrap();
            let (m, v) = model.posterior_moments(x).unwrap();
            assert!(
                (m - mean).abs() < 1e-9 * mean.abs().max(sd),
                "{sigma_x} {x}: {m} vs {mean}"
            );
            assert!(
                (v - sd * sd).abs() < 1e-9 * sd * sd,
                "{sigma_x} {x}: {v} vs {}",
                sd * sd
            );
        }
    }
}

#[test]
fn logistic_evidence_sums_to_one_and_moments_are_sane() {
    for (a, b) in [
        (3.0, -1.0),
        (0.0, 2.0),
        (-40.0, 5.0),
        (1.0, -900.0),
        (1000.0, 0.0),
    ] {
        let model = Model::Logistic { a, b };
        let (p1, p0) = (
            model.log_evidence(1.0).unwrap(),
            model.log_evidence(0.0).unwrap(),
        );
        assert!(
            (p1.exp() + p0.exp() - 1.0).abs() < 1e-10,
            "{a} {b}: {p1} {p0}"
        );
        let (mean, var) = model.posterior_moments(1.0).unwrap();
        // Seeing x = 1 pulls z towards where az + b is large; the prior's variance shrinks.
        assert!(
            mean * a >= 0.0 && var > 0.0 && var <= 1.0 + 1e-12,
            "{a} {b}: {mean} {var}"
        );
    }
    // a = 0: x says nothing about z, so the posterior is the prior and p(1) = sigmoid(b).
    let flat = Model::Logistic { a: 0.0, b: 2.0 };
    let (mean, var) = flat.posterior_moments(1.0).unwrap();
    assert!(mean.abs() < 1e-12 && (var - 1.0).abs() < 1e-12);
    assert!((flat.log_evidence(1.0).unwrap() - log_sigmoid(2.0)).abs() < 1e-13);
}

#[test]
fn bimodal_posterior_is_symmetric_with_mass_near_both_roots() {
    let model = Model::Bimodal { sigma_x: 0.1 };
    let (mean, var) = model.posterior_moments(4.0).unwrap();
    // Modes near ±2 with equal weight: mean 0, variance ≈ 4.
    assert!(
        mean.abs() < 1e-10 && (var - 4.0).abs() < 0.05,
        "{mean} {var}"
    );
    // z = −3 + 0.01 i: low at z = 0 (i = 300) and z = ±3, high at the modes z ≈ ±2.
    let density = model.posterior_on_grid(4.0, -3.0, 3.0, 601).unwrap();
    assert!(density[300] < 1e-30 && density[0] < 1e-30 && density[600] < 1e-30);
    assert!(density[100] > 1.0 && (density[100] - density[500]).abs() < 1e-12);
}

#[test]
fn posterior_on_grid_matches_the_gaussian_density_and_integrates_to_one() {
    let density = GAUSSIAN.posterior_on_grid(1.0, -6.0, 6.0, 2401).unwrap();
    let (mean, sd) = GAUSSIAN.exact_posterior(1.0).unwrap().unwrap();
    let h = 12.0 / 2400.0;
    for (i, &d) in density.iter().enumerate() {
        let want = log_normal(-6.0 + h * i as f64, mean, sd).exp();
        assert!(
            (d - want).abs() < 1e-10 * want.max(1e-3),
            "{i}: {d} vs {want}"
        );
    }
    let trapezoid = h * (density.iter().sum::<f64>() - 0.5 * (density[0] + density[2400]));
    assert!((trapezoid - 1.0).abs() < 1e-10);
}

#[test]
fn log_sigmoid_is_stable_and_agrees_with_the_sigmoid() {
    assert_eq!(log_sigmoid(-800.0), -800.0);
    assert!(log_sigmoid(800.0) == 0.0 && sigmoid(-800.0) == 0.0 && sigmoid(800.0) == 1.0);
    for t in [-30.0, -2.0, 0.0, 0.5] {
        let want = sigmoid(t).ln();
        assert!((log_sigmoid(t) - want).abs() < 1e-15 * want.abs(), "{t}");
    }
    // ln σ(20) = −ln(1 + e^−20) ≈ −e^−20 (1 − e^−20/2): relative precision kept.
    let tiny = (-20f64).exp();
    assert!((log_sigmoid(20.0) + tiny * (1.0 - 0.5 * tiny)).abs() < 1e-15 * tiny);
    assert!((log_sigmoid(0.0) + std::f64::consts::LN_2).abs() < 1e-16);
    // Differences: exact in the linear regime, tiny in the flat one, and a match elsewhere.
    assert_eq!(log_sigmoid_diff(-1e6, 1e-9), 1e-9);
    assert_eq!(log_sigmoid_diff(1e6, -1e-9), 0.0);
    for (v, d) in [(-3.0, 0.7), (0.2, -1.5), (5.0, -10.0)] {
        let want = log_sigmoid(v + d) - log_sigmoid(v);
        assert!((log_sigmoid_diff(v, d) - want).abs() < 1e-15, "{v} {d}");
    }
}

#[test]
fn bad_parameters_are_named_in_the_error() {
    let cases: [(Result<f64, InputError>, &str); 10] = [
        (
            Model::Gaussian { sigma_x: 0.0 }.log_evidence(1.0),
            "sigma_x",
        ),
        (
            Model::Bimodal { sigma_x: f64::NAN }.log_evidence(1.0),
            "sigma_x",
        ),
        (
            Model::Bimodal { sigma_x: 1e-9 }.log_evidence(1.0),
            "sigma_x",
        ),
        (
            Model::Logistic {
                a: f64::INFINITY,
                b: 0.0,
            }
            .log_evidence(1.0),
            "a",
        ),
        (LOGISTIC.log_evidence(0.5), "x"),
        (GAUSSIAN.log_evidence(f64::NAN), "x"),
        (GAUSSIAN.elbo(1.0, 0.0, 0.0), "s"),
        (GAUSSIAN.elbo(1.0, f64::NAN, 1.0), "m"),
        (GAUSSIAN.log_joint(f64::INFINITY, 1.0), "z"),
        (
            GAUSSIAN
                .reparam_gradient(1.0, 0.0, 1.0, 0, 1)
                .map(|g| g.value),
            "samples",
        ),
    ];
    for (result, name) in cases {
        let message = result.unwrap_err().to_string();
        assert!(message.starts_with(name), "{message}");
    }
    let err = GAUSSIAN.posterior_on_grid(1.0, 1.0, 1.0, 10).unwrap_err();
    assert!(err.to_string().starts_with("z_max"));
    let err = GAUSSIAN.posterior_on_grid(1.0, 0.0, 1.0, 1).unwrap_err();
    assert!(err.to_string().starts_with("n "));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn score_matches_finite_differences_of_the_log_joint((model, x) in any_model(), z in -4.0f64..4.0, c in -4.0f64..4.0) {
        let (direct, factored) = (model.lj(z, x) - model.lj(c, x), model.lj_diff(c, z - c, x));
        prop_assert!((direct - factored).abs() < 1e-12 * direct.abs().max(1.0), "{direct} vs {factored}");
        let (direct, factored) = (model.dlj(z, x) - model.dlj(c, x), model.dlj_diff(c, z - c, x));
        prop_assert!((direct - factored).abs() < 1e-12 * direct.abs().max(1.0), "{direct} vs {factored}");
        let h = 1e-5;
        let fd = (model.log_joint(z + h, x).unwrap() - model.log_joint(z - h, x).unwrap()) / (2.0 * h);
        let d = model.d_log_joint(z, x).unwrap();
        prop_assert!((d - fd).abs() < 1e-6 * d.abs().max(1.0), "{d} vs {fd}");
        let fd2 = (model.dlj(z + h, x) - model.dlj(z - h, x)) / (2.0 * h);
        let d2 = model.d2lj(z, x);
        prop_assert!((d2 - fd2).abs() < 1e-6 * d2.abs().max(1.0), "{d2} vs {fd2}");
    }
}

#[test]
fn extreme_but_allowed_inputs_give_finite_answers() {
    let models = [
        Model::Gaussian { sigma_x: 1e-3 },
        Model::Gaussian { sigma_x: 1e3 },
        Model::Bimodal { sigma_x: 1e-3 },
        Model::Bimodal { sigma_x: 1e3 },
    ];
    for model in models {
        for x in [-1e3, -1e-6, 0.0, 1e-6, 1.0, 1e3] {
            let le = model.log_evidence(x).unwrap();
            let (mean, var) = model.posterior_moments(x).unwrap();
            assert!(
                le.is_finite() && mean.is_finite() && var.is_finite(),
                "{model:?} {x}"
            );
            if let Some(want) = model.exact_log_evidence(x).unwrap() {
                assert!(
                    (le - want).abs() < 1e-10 * want.abs().max(1.0),
                    "{model:?} {x}"
                );
            }
            for (m, s) in [(-1e3, 1e-6), (1e3, 1e3), (0.0, 1.0)] {
                let g = model.elbo_gradient(x, m, s).unwrap();
                assert!(g.value.is_finite() && g.d_m.is_finite() && g.d_log_s.is_finite());
                assert!(model.kl_to_posterior(x, m, s).unwrap() >= 0.0);
            }
        }
    }
    for (a, b) in [(1e3, -1e3), (-1e3, 1e3), (1e-9, 0.0)] {
        let model = Model::Logistic { a, b };
        for x in [0.0, 1.0] {
            assert!(model.log_evidence(x).unwrap().is_finite());
            for (m, s) in [(-1e3, 1e-6), (1e3, 1e3), (0.0, 1.0)] {
                let g = model.reparam_gradient(x, m, s, 10, 3).unwrap();
                assert!(g.value.is_finite() && g.d_m.is_finite() && g.d_log_s.is_finite());
                let g = model.elbo_gradient(x, m, s).unwrap();
                assert!(g.value.is_finite() && g.d_m.is_finite() && g.d_log_s.is_finite());
            }
        }
    }
}

#[test]
fn bimodal_evidence_matches_a_brute_force_sum() {
    // Two narrow modes at z ≈ ±√3 (width ≈ 0.003): a midpoint sum with step 1e-5 over
    // [−3, 3], in the log domain, is accurate far beyond the tolerance used here.
    let model = Model::Bimodal { sigma_x: 0.01 };
    let (x, h) = (3.0, 1e-5);
    let peak = model.lj(3f64.sqrt(), x);
    let sum: f64 = (0..600_000)
        .map(|i| (model.lj(-3.0 + h * (i as f64 + 0.5), x) - peak).exp())
        .sum();
    let want = peak + (h * sum).ln();
    assert!((model.log_evidence(x).unwrap() - want).abs() < 1e-9);
}
