//! The score-function estimator against the exact gradient and the reparameterisation
//! estimator: unbiasedness, the exact variances, and where its variance is the larger.

use super::*;

/// The widget's model settings where the text claims the score-function variance is larger:
/// the default Gaussian model and the bimodal model's two presets.
const CLAIMED: [(Model, f64); 3] = [
    (Model::Gaussian { sigma_x: 1.0 }, 1.0),
    (Model::Bimodal { sigma_x: 0.5 }, 2.5),
    (Model::Bimodal { sigma_x: 1.0 }, 1.5),
];
/// The logistic model at the widget's default, where it is not always larger.
const LOGISTIC_DEFAULT: Model = Model::Logistic { a: 2.0, b: 0.0 };

/// Mean and sample variance of `n` values.
fn mean_var(values: impl Iterator<Item = f64> + Clone) -> (f64, f64, f64) {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var, n)
}

/// The sample variance of `values` and its standard error, √((m₄ − var²)/n).
fn var_and_se(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (mean, var, n) = mean_var(values.clone());
    let m4 = values.map(|v| (v - mean).powi(4)).sum::<f64>() / n;
    (var, ((m4 - var * var).max(0.0) / n).sqrt())
}

type Field = fn(&ElboGradient) -> f64;
const FIELDS: [Field; 3] = [|g| g.value, |g| g.d_m, |g| g.d_log_s];

#[test]
fn score_function_estimator_is_unbiased_over_many_seeds() {
    for (model, x, m, s) in [
        (GAUSSIAN, 1.0, 0.3, 0.8),
        (BIMODAL, 2.0, 0.5, 0.7),
        (LOGISTIC, 1.0, -0.5, 1.2),
        (LOGISTIC_DEFAULT, 0.0, 1.0, 0.3),
        (Model::Bimodal { sigma_x: 0.5 }, 2.5, 0.5, 1.0),
    ] {
        let exact = model.elbo_gradient(x, m, s).unwrap();
        for k in [1, 10] {
            let estimates: Vec<ElboGradient> = (0..2000)
                .map(|seed| model.score_gradient(x, m, s, k, seed).unwrap())
                .collect();
            for (c, field) in FIELDS.iter().enumerate() {
                let (mean, var, n) = mean_var(estimates.iter().map(field));
                let se = (var / n).sqrt();
                assert!(
                    (mean - field(&exact)).abs() < 4.0 * se,
                    "{model:?} K = {k} component {c}: {mean} vs {} (se {se})",
                    field(&exact)
                );
            }
        }
    }
    let a = LOGISTIC.score_gradient(1.0, 0.0, 1.0, 3, 9).unwrap();
    assert_eq!(a, LOGISTIC.score_gradient(1.0, 0.0, 1.0, 3, 9).unwrap());
    assert_ne!(a, LOGISTIC.score_gradient(1.0, 0.0, 1.0, 3, 10).unwrap());
}

#[test]
fn score_function_estimator_is_exact_where_f_is_constant() {
    // At the Gaussian model's exact posterior f = ln p(x, z) − ln q(z) = ln p(x) for every z,
    // so every estimate of the ELBO is ln p(x) and the gradient estimates are ln p(x)·ε̄/s and
    // ln p(x)·(mean of ε² − 1): one sample shows the estimator's form.
    let (pm, ps) = GAUSSIAN.exact_posterior(1.0).unwrap().unwrap();
    let le = GAUSSIAN.log_evidence(1.0).unwrap();
    let g = GAUSSIAN.score_gradient(1.0, pm, ps, 1, 5).unwrap();
    let r = GAUSSIAN.reparam_gradient(1.0, pm, ps, 1, 5).unwrap();
    // The reparameterised estimate with the same seed gives ε: ∂/∂m = g(pm + ps ε) = −ε/ps.
    let e = -r.d_m * ps;
    assert!((g.value - le).abs() < 1e-9, "{} vs {le}", g.value);
    assert!((g.d_m - le * e / ps).abs() < 1e-9 * (1.0 + g.d_m.abs()));
    assert!((g.d_log_s - le * (e * e - 1.0)).abs() < 1e-9 * (1.0 + g.d_log_s.abs()));
}

#[test]
fn exact_variances_match_the_gaussian_closed_form_and_monte_carlo() {
    // Gaussian model: g(z) = x/σx² − a z with a = 1 + 1/σx², so Var[g] = a²s² and, as
    // ε g = (x/σx² − a m) ε − a s ε² with Cov(ε, ε²) = 0, Var[ε²] = 2:
    // s²·Var[ε g] = s²((x/σx² − a m)² + 2a²s²).
    let (sx, x, m, s): (f64, f64, f64, f64) = (0.5, 1.0, 0.3, 0.8);
    let v = Model::Gaussian { sigma_x: sx }
        .gradient_variances(x, m, s)
        .unwrap();
    let a = 1.0 + 1.0 / (sx * sx);
    assert!((v.reparam[0] - s * s * a * a).abs() < 1e-9 * v.reparam[0]);
    let b = x / (sx * sx) - a * m;
    let want = s * s * (b * b + 2.0 * a * a * s * s);
    assert!(
        (v.reparam[1] - want).abs() < 1e-9 * want,
        "{} vs {want}",
        v.reparam[1]
    );
    for (model, x, m, s) in [
        (GAUSSIAN, 1.0, 0.3, 0.8),
        (BIMODAL, 2.0, 1.2, 0.3),
        (LOGISTIC, 1.0, -0.5, 1.2),
    ] {
        let v = model.gradient_variances(x, m, s).unwrap();
        let n = 4000;
        let reparam: Vec<_> = (0..n)
            .map(|seed| model.reparam_gradient(x, m, s, 1, seed).unwrap())
            .collect();
        let score: Vec<_> = (0..n)
            .map(|seed| model.score_gradient(x, m, s, 1, seed).unwrap())
            .collect();
        for c in 0..2 {
            let field = FIELDS[c + 1];
            for (estimates, want) in [(&reparam, v.reparam[c]), (&score, v.score[c])] {
                let (got, se) = var_and_se(estimates.iter().map(field));
                assert!(
                    (got - want).abs() < 4.0 * se && se < 0.25 * want,
                    "{model:?} component {c}: {got} (se {se}) vs {want}"
                );
            }
        }
    }
}

#[test]
fn score_variance_is_larger_on_the_claimed_models_for_every_q_of_the_sliders() {
    // The text's claim: the default Gaussian model and the two bimodal presets, q on a grid
    // over the sliders' ranges (m in [−4, 4], s in [0.05, 3]). Per-sample variances, so the
    // claim holds for every K (both fall as 1/K).
    for (model, x) in CLAIMED {
        for i in 0..=32 {
            let m = -4.0 + 0.25 * i as f64;
            for s in [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0] {
                let v = model.gradient_variances(x, m, s).unwrap();
                for c in 0..2 {
                    assert!(
                        v.score[c] > 1.4 * v.reparam[c],
                        "{model:?} x = {x} m = {m} s = {s} component {c}: {v:?}"
                    );
                }
            }
        }
    }
    // And so do 1,000 seeded estimates, the panel's sample, at q's default for K = 1, 10, 100.
    for (model, x) in CLAIMED {
        for k in [1, 10, 100] {
            let r: Vec<_> = (0..1000)
                .map(|seed| model.reparam_gradient(x, 0.0, 1.0, k, seed).unwrap())
                .collect();
            let sc: Vec<_> = (0..1000)
                .map(|seed| model.score_gradient(x, 0.0, 1.0, k, seed).unwrap())
                .collect();
            for field in &FIELDS[1..] {
                let (_, vr, _) = mean_var(r.iter().map(field));
                let (_, vs, _) = mean_var(sc.iter().map(field));
                assert!(vs > vr, "{model:?} K = {k}: {vs} vs {vr}");
            }
        }
    }
}

#[test]
fn score_variance_is_smaller_near_the_logistic_posterior() {
    // The text's caveat: near the posterior f ≈ ln p(x) = ln ½ is nearly constant and small,
    // so the score-function estimator beats the reparameterisation one there...
    for x in [0.0, 1.0] {
        let m = if x == 1.0 { 0.5 } else { -0.5 };
        let v = LOGISTIC_DEFAULT.gradient_variances(x, m, 0.7).unwrap();
        assert!(
            v.score[0] < 0.8 * v.reparam[0] && v.score[1] < 0.8 * v.reparam[1],
            "{v:?}"
        );
    }
    assert!((LOGISTIC_DEFAULT.log_evidence(1.0).unwrap() + std::f64::consts::LN_2).abs() < 1e-9);
    // ...and far from it, where f varies, it loses.
    let v = LOGISTIC_DEFAULT.gradient_variances(1.0, -3.0, 2.0).unwrap();
    assert!(
        v.score[0] > v.reparam[0] && v.score[1] > v.reparam[1],
        "{v:?}"
    );
}

#[test]
fn score_gradient_rejects_bad_input() {
    assert!(GAUSSIAN.score_gradient(1.0, 0.0, 1.0, 0, 1).is_err());
    assert!(GAUSSIAN.score_gradient(1.0, 0.0, 0.0, 1, 1).is_err());
    assert!(GAUSSIAN.score_gradient(f64::NAN, 0.0, 1.0, 1, 1).is_err());
    assert!(LOGISTIC.score_gradient(0.5, 0.0, 1.0, 1, 1).is_err());
    assert!(GAUSSIAN.gradient_variances(1.0, 2e3, 1.0).is_err());
}
