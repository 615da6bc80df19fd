//! The IWAE bounds against the ELBO and ln p(x) (both by quadrature), Jensen's ordering of
//! the estimates, and E_q[w] = p(x).

use super::*;
use crate::math::divergence::gaussian::log_normal;
use crate::math::inference::posterior::MAX_SAMPLES;
use crate::math::quadrature::{Tolerance, integrate_vec};
use proptest::prelude::*;

const GAUSSIAN: Model = Model::Gaussian { sigma_x: 0.8 };
const BIMODAL: Model = Model::Bimodal { sigma_x: 0.5 };
const LOGISTIC: Model = Model::Logistic { a: 3.0, b: -1.0 };
/// (model, x, m, s): a q near and a q far from each model's posterior.
const CASES: [(Model, f64, f64, f64); 6] = [
    (GAUSSIAN, 1.3, 0.5, 0.7),
    (GAUSSIAN, 1.3, -0.5, 1.5),
    (BIMODAL, 2.5, 0.5, 1.0),
    (BIMODAL, 2.5, 1.5, 0.3),
    (LOGISTIC, 1.0, 0.3, 0.8),
    (LOGISTIC, 0.0, 1.0, 0.5),
];

#[test]
fn log_weights_are_log_joint_minus_log_q_on_the_seeded_stream() {
    let (m, s) = (0.4, 0.9);
    let lw = BIMODAL.log_weights(2.5, m, s, 50, 11).unwrap();
    let mut rng = Random::new(11);
    for &v in &lw {
        let z = m + s * rng.standard_normal();
        let want = BIMODAL.log_joint(z, 2.5).unwrap() - log_normal(z, m, s);
        assert!(
            (v - want).abs() <= 1e-12 * want.abs().max(1.0),
            "{v} vs {want}"
        );
    }
    assert_eq!(lw, BIMODAL.log_weights(2.5, m, s, 50, 11).unwrap());
}

#[test]
fn fewer_draws_are_the_first_of_more_and_give_the_same_bounds() {
    // The page keeps one set of draws and reads the histogram's as its first ones.
    let (m, s, ks) = (0.4, 0.9, [1, 2, 5, 10]);
    let lw = BIMODAL.log_weights(2.5, m, s, 400, 11).unwrap();
    assert_eq!(BIMODAL.log_weights(2.5, m, s, 100, 11).unwrap(), lw[..100]);
    let from = iwae_bounds_of(&lw[..100], &ks).unwrap();
    assert_eq!(from, BIMODAL.iwae_bounds(2.5, m, s, &ks, 100, 11).unwrap());
    let refused = iwae_bounds_of(&lw[..100], &[51]).unwrap_err();
    assert_eq!(refused.code(), Code::IwaeGroups, "K above half the draws");
}

#[test]
fn mean_log_weight_is_the_elbo() {
    for (model, x, m, s) in CASES {
        let elbo = model.elbo(x, m, s).unwrap();
        let mlw = model.expected_log_weight(x, m, s).unwrap();
        assert!(
            (mlw - elbo).abs() < 1e-11 * elbo.abs().max(1.0),
            "{model:?}: {mlw} vs {elbo}"
        );
    }
}

#[test]
fn l1_estimates_the_elbo() {
    // L_1 = E_q[ln w] = ELBO: the estimate is within 4 standard errors of the quadrature ELBO.
    for (model, x, m, s) in CASES {
        let elbo = model.elbo(x, m, s).unwrap();
        for seed in [1, 2, 3] {
            let e = model.iwae_bound(x, m, s, 1, 20_000, seed).unwrap();
            assert_eq!(e.groups, 20_000);
            assert!(e.std_error > 0.0);
            assert!(
                (e.estimate - elbo).abs() < 4.0 * e.std_error,
                "{model:?} {e:?} vs {elbo}"
            );
        }
    }
}

#[test]
fn mean_weight_is_the_evidence() {
    // E_q[w] = ∫ q(z) · p(x, z)/q(z) dz = p(x), by quadrature over z ∈ m ± 12s for q wide
    // enough to cover the joint's mass, and by Monte Carlo within 4 s.e.
    for (model, x, m, s) in [
        (GAUSSIAN, 1.3, 0.0, 1.5),
        (BIMODAL, 2.5, 0.0, 2.5),
        (LOGISTIC, 1.0, 0.5, 1.5),
    ] {
        let le = model.log_evidence(x).unwrap();
        let f = |z: f64| {
            let lq = log_normal(z, m, s);
            [(lq + (model.lj(z, x) - lq) - le).exp()]
        };
        let points: Vec<f64> = (-12..=12).map(|i| m + s * i as f64).collect();
        let ratio = integrate_vec(f, &points, &Tolerance::default())
            .unwrap()
            .value[0];
        assert!(
            (ratio - 1.0).abs() < 1e-9,
            "{model:?}: E_q[w]/p(x) = {ratio}"
        );
        let w: Vec<f64> = model
            .log_weights(x, m, s, 200_000, 5)
            .unwrap()
            .iter()
            .map(|v| (v - le).exp())
            .collect();
        let n = w.len() as f64;
        let mean = w.iter().sum::<f64>() / n;
        let se = (w.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt();
        assert!((mean - 1.0).abs() < 4.0 * se, "{model:?}: {mean} ± {se}");
    }
}

#[test]
fn bounds_rise_in_k_on_average_and_stay_below_the_evidence() {
    // Averaged over 100 seeds (common random numbers within a seed), L̂_K rises with K
    // for K = 1, 2, 3, 5, 10, 30, 100: each step's mean rise exceeds 3 standard errors of
    // the mean rise; and L̂_100 stays below ln p(x) (within 4 standard errors).
    let ks = [1, 2, 3, 5, 10, 30, 100];
    for (model, x, m, s) in [CASES[1], CASES[2], CASES[5]] {
        let le = model.log_evidence(x).unwrap();
        let runs: Vec<Vec<f64>> = (0..100)
            .map(|seed| {
                let b = model.iwae_bounds(x, m, s, &ks, 3000, seed).unwrap();
                b.iter().map(|e| e.estimate).collect()
            })
            .collect();
        let mean_se = |f: &dyn Fn(&Vec<f64>) -> f64| {
            let v: Vec<f64> = runs.iter().map(f).collect();
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            (
                mean,
                (v.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0) / n).sqrt(),
            )
        };
        for i in 1..ks.len() {
            let (rise, se) = mean_se(&|r| r[i] - r[i - 1]);
            assert!(
                rise > 3.0 * se,
                "{model:?}: L_{} − L_{} = {rise} ± {se}",
                ks[i],
                ks[i - 1]
            );
        }
        let (top, se) = mean_se(&|r| r[ks.len() - 1]);
        assert!(
            top < le + 4.0 * se,
            "{model:?}: L_100 = {top} ± {se} vs ln p(x) = {le}"
        );
    }
}

#[test]
fn bounds_approach_the_evidence_when_q_is_close() {
    // Gaussian model, q with the posterior's mean and 1.2× its sd: w is bounded, and
    // L_1000 closes all but a sliver of the gap ln p(x) − ELBO.
    let (sigma, x) = (0.8f64, 1.3);
    let v = sigma * sigma;
    let (pm, ps) = (x / (1.0 + v), (v / (1.0 + v)).sqrt());
    let (m, s) = (pm, 1.2 * ps);
    let le = GAUSSIAN.log_evidence(x).unwrap();
    let elbo = GAUSSIAN.elbo(x, m, s).unwrap();
    let e = GAUSSIAN.iwae_bound(x, m, s, 1000, 100_000, 9).unwrap();
    assert!(
        (e.estimate - le).abs() < (4.0 * e.std_error).max(1e-3),
        "{e:?} vs {le}"
    );
    assert!(
        e.estimate - elbo > 0.95 * (le - elbo),
        "{e:?}: ELBO {elbo}, ln p(x) {le}"
    );
    // q = the posterior: w = p(x) for every z, so every estimate is ln p(x) with no spread.
    let e = GAUSSIAN.iwae_bound(x, pm, ps, 7, 1000, 3).unwrap();
    assert!(
        (e.estimate - le).abs() < 1e-12 && e.std_error < 1e-12,
        "{e:?} vs {le}"
    );
}

#[test]
fn groups_far_below_the_largest_weight_keep_their_value() {
    // A narrow q far from the mass of a wide q's draws: log weights spread over hundreds of
    // nats, so exp(lw − max) underflows for whole groups; each group's value must still be
    // its own log-mean-exp, computed directly here.
    let (model, x, m, s) = (Model::Gaussian { sigma_x: 0.05 }, 2.0, 0.0, 3.0);
    let lw = model.log_weights(x, m, s, 4000, 2).unwrap();
    let max = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = lw.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(max - min > 1000.0, "spread {}", max - min);
    for k in [1, 4, 50] {
        let e = model.iwae_bound(x, m, s, k, 4000, 2).unwrap();
        let direct: Vec<f64> = lw.chunks_exact(k).map(log_mean_exp).collect();
        let mean = direct.iter().sum::<f64>() / direct.len() as f64;
        assert!(
            (e.estimate - mean).abs() < 1e-9 * mean.abs(),
            "K = {k}: {} vs {mean}",
            e.estimate
        );
        assert!(e.estimate.is_finite() && e.std_error.is_finite());
    }
}

#[test]
fn out_of_range_counts_are_coded_errors() {
    let (model, x, m, s) = CASES[0];
    let code = |r: Result<IwaeEstimate, InputError>| r.unwrap_err().code();
    assert_eq!(code(model.iwae_bound(x, m, s, 0, 100, 1)), Code::IwaeGroups);
    assert_eq!(
        code(model.iwae_bound(x, m, s, 51, 100, 1)),
        Code::IwaeGroups
    );
    assert_eq!(code(model.iwae_bound(x, m, s, 1, 1, 1)), Code::IwaeGroups);
    assert_eq!(
        code(model.iwae_bound(x, m, s, 1, MAX_SAMPLES + 1, 1)),
        Code::MonteCarloSamples
    );
    assert_eq!(
        model.log_weights(x, m, s, 0, 1).unwrap_err().code(),
        Code::MonteCarloSamples
    );
    assert_eq!(
        model.iwae_bound(x, m, 0.0, 1, 10, 1).unwrap_err().code(),
        Code::BadScale
    );
    assert!(model.iwae_bound(x, m, s, 50, 100, 1).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Jensen within one draw: a 2K-group's value ln ½(a + b) is at least the mean of its two
    /// K-groups' values ½(ln a + ln b), so on the same draws L̂_{2K} ≥ L̂_K, exactly.
    #[test]
    fn nested_groups_never_lower_the_estimate(case in 0usize..6, seed in any::<u64>(), p in 0u32..5) {
        let (model, x, m, s) = CASES[case];
        let ks: Vec<usize> = (0..=p + 3).map(|i| 1 << i).collect();
        let b = model.iwae_bounds(x, m, s, &ks, 512, seed).unwrap();
        for w in b.windows(2) {
            prop_assert!(w[1].estimate >= w[0].estimate - 1e-12 * w[0].estimate.abs(), "{:?}", w);
        }
        prop_assert!(b.iter().all(|e| e.estimate.is_finite() && e.std_error.is_finite()));
    }
}
