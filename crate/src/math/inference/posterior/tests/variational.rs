//! The variational side: ELBO, KL gap, exact and reparameterisation gradients, Adam fits.

use super::*;
use crate::math::divergence::gaussian::log_normal;
use crate::math::optim::Adam;
use crate::math::quadrature::{Tolerance, gaussian_breakpoints, integrate_vec};

/// KL(q ‖ p(z | x)) = ∫ q ln(q / p(z | x)) dz computed directly, p(z | x) = p(x, z)/p(x).
fn direct_kl(model: &Model, x: f64, m: f64, s: f64) -> f64 {
    let le = model.log_evidence(x).unwrap();
    let f = |z: f64| {
        let lq = log_normal(z, m, s);
        [lq.exp() * (lq - (model.lj(z, x) - le))]
    };
    let points = gaussian_breakpoints(&[(m, s)], 12.0);
    integrate_vec(f, &points, &Tolerance::default())
        .unwrap()
        .value[0]
}

/// ELBO of q = N(m, s²) for the Gaussian model in closed form:
/// −((x−m)² + s²)/(2σx²) − ln σx − (m² + s²)/2 − 2·½ln 2π + ½ ln(2πe s²).
fn gaussian_elbo(sigma_x: f64, x: f64, m: f64, s: f64) -> f64 {
    let v = sigma_x * sigma_x;
    let like = -0.5 * ((x - m).powi(2) + s * s) / v - sigma_x.ln() - LN_SQRT_2PI;
    let prior = -0.5 * (m * m + s * s) - LN_SQRT_2PI;
    like + prior + 0.5 + LN_SQRT_2PI + s.ln()
}

/// Runs Adam uphill on the exact ELBO gradient in (m, ln s) and returns (m, s).
fn adam_fit(model: &Model, x: f64, m0: f64, s0: f64, steps: usize) -> (f64, f64) {
    let mut adam = Adam::new(2);
    let mut p = [m0, s0.ln()];
    for i in 0..steps {
        let g = model.elbo_gradient(x, p[0], p[1].exp()).unwrap();
        let lr = if i < steps / 2 { 0.05 } else { 0.005 };
        adam.ascend(&mut p, &[g.d_m, g.d_log_s], lr).unwrap();
    }
    (p[0], p[1].exp())
}

#[test]
fn gaussian_elbo_matches_closed_form_and_is_tight_at_the_posterior() {
    for (sigma_x, x, m, s) in [
        (0.5, 1.0, 0.0, 1.0),
        (0.1, -3.0, 2.0, 0.01),
        (4.0, 8.0, -1.0, 3.0),
    ] {
        let model = Model::Gaussian { sigma_x };
        let want = gaussian_elbo(sigma_x, x, m, s);
        let got = model.elbo(x, m, s).unwrap();
        assert!(
            (got - want).abs() < 1e-10 * want.abs().max(1.0),
            "{got} vs {want}"
        );
        let (pm, ps) = model.exact_posterior(x).unwrap().unwrap();
        assert!(model.kl_to_posterior(x, pm, ps).unwrap() < 1e-11);
        assert!(model.kl_to_posterior(x, m, s).unwrap() > 1e-3);
    }
}

#[test]
fn adam_with_exact_gradients_finds_the_gaussian_posterior() {
    let (want_m, want_s) = GAUSSIAN.exact_posterior(1.5).unwrap().unwrap();
    let (m, s) = adam_fit(&GAUSSIAN, 1.5, -2.0, 2.0, 2000);
    assert!(
        (m - want_m).abs() < 1e-6 && (s - want_s).abs() < 1e-6,
        "{m} {s}"
    );
}

#[test]
fn adam_on_the_bimodal_model_finds_the_mode_it_starts_near() {
    let (right, s_right) = adam_fit(&BIMODAL, 2.0, 1.0, 0.5, 600);
    let (left, s_left) = adam_fit(&BIMODAL, 2.0, -1.0, 0.5, 600);
    assert!(right > 1.0 && left < -1.0, "{right} {left}");
    // The model is symmetric in z, so the two fits mirror each other.
    assert!((right + left).abs() < 1e-6 && (s_right - s_left).abs() < 1e-6);
    // Each fit covers one mode only: the gap is about ln 2 (the other mode's half).
    let kl = BIMODAL.kl_to_posterior(2.0, right, s_right).unwrap();
    assert!((kl - std::f64::consts::LN_2).abs() < 0.05, "{kl}");
}

#[test]
fn reparameterisation_gradient_is_unbiased() {
    for (model, x, m, s) in [
        (GAUSSIAN, 1.0, 0.3, 0.8),
        (BIMODAL, 2.0, 0.5, 0.7),
        (LOGISTIC, 1.0, -0.5, 1.2),
    ] {
        let exact = model.elbo_gradient(x, m, s).unwrap();
        let n = 400;
        let estimates: Vec<ElboGradient> = (0..n)
            .map(|seed| model.reparam_gradient(x, m, s, 5, seed).unwrap())
            .collect();
        type Field = fn(&ElboGradient) -> f64;
        let fields: [Field; 3] = [|g| g.value, |g| g.d_m, |g| g.d_log_s];
        for (k, field) in fields.iter().enumerate() {
            let mean = estimates.iter().map(field).sum::<f64>() / n as f64;
            let var = estimates
                .iter()
                .map(|g| (field(g) - mean).powi(2))
                .sum::<f64>()
                / (n - 1) as f64;
            let se = (var / n as f64).sqrt();
            assert!(
                (mean - field(&exact)).abs() < 4.0 * se,
                "{model:?} component {k}: {mean} vs {} (se {se})",
                field(&exact)
            );
        }
    }
    let a = LOGISTIC.reparam_gradient(1.0, 0.0, 1.0, 3, 9).unwrap();
    assert_eq!(a, LOGISTIC.reparam_gradient(1.0, 0.0, 1.0, 3, 9).unwrap());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn evidence_is_elbo_plus_direct_kl((model, x) in any_model(), m in -3.0f64..3.0, s in 0.1f64..3.0) {
        let le = model.log_evidence(x).unwrap();
        let elbo = model.elbo(x, m, s).unwrap();
        let kl = direct_kl(&model, x, m, s);
        prop_assert!(kl >= 0.0);
        prop_assert!((le - (elbo + kl)).abs() < 1e-9, "{le} vs {elbo} + {kl}");
        let gap = model.kl_to_posterior(x, m, s).unwrap();
        prop_assert!((gap - kl).abs() < 1e-9, "{gap} vs {kl}");
    }

    #[test]
    fn elbo_gradient_matches_finite_differences((model, x) in any_model(), m in -3.0f64..3.0, ls in -2.0f64..1.0) {
        let g = model.elbo_gradient(x, m, ls.exp()).unwrap();
        let f = |m: f64, ls: f64| model.elbo(x, m, ls.exp()).unwrap();
        let h = 1e-5;
        let dm = (f(m + h, ls) - f(m - h, ls)) / (2.0 * h);
        let dl = (f(m, ls + h) - f(m, ls - h)) / (2.0 * h);
        let scale = g.value.abs().max(1.0);
        prop_assert!((g.d_m - dm).abs() < 1e-6 * scale, "{} vs {dm}", g.d_m);
        prop_assert!((g.d_log_s - dl).abs() < 1e-6 * scale, "{} vs {dl}", g.d_log_s);
        prop_assert!((g.value - f(m, ls)).abs() < 1e-12 * scale);
    }
}
