use super::*;
use crate::math::quadrature::integrate_vec;
use proptest::prelude::*;
use std::f64::consts::LN_2;

use super::fixtures::{bimodal, trimodal};

#[test]
fn construction_is_validated_with_named_parameters() {
    let err = GaussianMixture::new(&[0.5, 0.5], &[0.0], &[1.0, 1.0]).unwrap_err();
    assert!(
        err.to_string()
            .contains("weights has 2 entries but means has 1"),
        "{err}"
    );
    let err = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 0.0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "sigmas[1] is 0: a standard deviation must be a finite number greater than 0"
    );
    let err = GaussianMixture::new(&[1.0], &[f64::NAN], &[1.0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "means[0] is NaN: it must be a finite number"
    );
    assert!(matches!(
        GaussianMixture::new(&[0.5, 0.6], &[0.0, 1.0], &[1.0, 1.0]),
        Err(InputError::NotNormalised {
            name: "weights",
            ..
        })
    ));
    assert!(matches!(
        GaussianMixture::new(&[1.0 / 6.0; 6], &[0.0; 6], &[1.0; 6]),
        Err(InputError::TooMany { max: 5, .. })
    ));
    assert!(GaussianMixture::new(&[], &[], &[]).is_err());
    // Weights within the tolerance are rescaled to sum to 1.
    let m = GaussianMixture::new(&[0.5, 0.5 + 0.9e-9], &[0.0, 1.0], &[1.0, 1.0]).unwrap();
    assert!((m.weights().iter().sum::<f64>() - 1.0).abs() < 1e-15);
}

#[test]
fn moments_and_mass_match_quadrature() {
    for p in [bimodal(), trimodal()] {
        let moments = integrate_vec(
            |x| {
                let d = p.pdf(x);
                [d, x * d, x * x * d]
            },
            &p.breakpoints(),
            &Tolerance::default(),
        )
        .unwrap()
        .value;
        assert!((moments[0] - 1.0).abs() < 1e-13, "{moments:?}");
        assert!((moments[1] - p.mean()).abs() < 1e-12);
        let var = moments[2] - moments[1] * moments[1];
        assert!((var - p.variance()).abs() < 1e-11 * p.variance());
    }
    assert_eq!(bimodal().mean(), 0.0);
    assert_eq!(bimodal().variance(), 9.25); // σ² + 3² for both halves
}

#[test]
fn log_pdf_is_stable_far_in_the_tails() {
    let p = bimodal();
    for x in [1e4, -1e4, 1e100] {
        // Only the nearer component matters; there ln p = ln ½ + ln N(x; ±3, ½²).
        let near = Normal::new(3.0f64.copysign(x), 0.5).unwrap();
        let want = -LN_2 + near.log_pdf(x);
        assert!(want.is_finite() && p.pdf(x) == 0.0);
        assert!((p.log_pdf(x) - want).abs() <= 1e-15 * want.abs(), "{x}");
    }
    assert_eq!(p.log_pdf(f64::INFINITY), f64::NEG_INFINITY);
    assert!(p.log_pdf(f64::NAN).is_nan());
    // Midway both components count equally.
    let mid = -LN_2 + Normal::new(3.0, 0.5).unwrap().log_pdf(0.0) + LN_2;
    assert!((p.log_pdf(0.0) - mid).abs() < 1e-14);
    // Zero-weight components are ignored.
    let q = GaussianMixture::new(&[1.0, 0.0], &[0.0, 5.0], &[1.0, 1e-3]).unwrap();
    assert_eq!(q.log_pdf(5.0), Normal::new(0.0, 1.0).unwrap().log_pdf(5.0));
}

#[test]
fn entropy_reference_values() {
    // mpmath, mp.dps = 30: -quad(lambda x: p(x)*log(p(x)), pts) with p the mixture built
    // from npdf and pts = every μₖ + j·σₖ, j ∈ {0, ±1, ±2, ±4, ±8, ±14}.
    let h = bimodal().entropy().unwrap();
    assert!((h - 1.418_938_530_198_902_1).abs() < 1e-12, "{h}");
    let h = trimodal().entropy().unwrap();
    assert!((h - 2.009_559_639_277_726_6).abs() < 1e-12, "{h}");
    // A single component has the closed form ½ ln(2πeσ²).
    let single = GaussianMixture::single(1.0, 0.3)
        .unwrap()
        .entropy()
        .unwrap();
    assert!((single - Normal::new(1.0, 0.3).unwrap().entropy()).abs() < 1e-13);
}

#[test]
fn offsets_keep_the_score_precise_far_from_zero() {
    // N(1000, 1e-4²) at x = 1000 + 3e-4: the score is −(x − μ)/σ² = −3e4. Forming x first
    // rounds x − μ to ε·1000 ≈ 1e-13, a relative error of ~4e-10 in the score.
    let p = GaussianMixture::single(1000.0, 1e-4).unwrap();
    let (_, score, slope) = p.log_pdf_derivatives_at(1000.0, 3e-4);
    assert!((score + 3e4).abs() < 1e-14 * 3e4, "{score}");
    assert!((slope + 1e8).abs() < 1e-14 * 1e8, "{slope}");
    let (_, rounded, _) = p.log_pdf_derivatives(1000.0 + 3e-4);
    assert!((rounded + 3e4).abs() > 1e-12 * 3e4, "{rounded}");
}

#[test]
fn crossovers_of_a_symmetric_pair() {
    // Equal weights and widths: the takeover is midway, where the log-ratio
    // −(x + 3)²/(2·¼) + (x − 3)²/(2·¼) has slope −24.
    assert_eq!(bimodal().crossovers(), vec![(0.0, 1.0 / 24.0)]);
    // Identical components never cross over; a single component has no pairs.
    let twins = GaussianMixture::new(&[0.5, 0.5], &[1.0, 1.0], &[2.0, 2.0]).unwrap();
    assert!(twins.crossovers().is_empty());
    assert!(
        GaussianMixture::single(0.0, 1.0)
            .unwrap()
            .crossovers()
            .is_empty()
    );
}

fn mixture() -> impl Strategy<Value = GaussianMixture> {
    (1usize..=MAX_COMPONENTS).prop_flat_map(|n| {
        (
            prop::collection::vec(0.05f64..1.0, n),
            prop::collection::vec(-5.0f64..5.0, n),
            prop::collection::vec(0.2f64..3.0, n),
        )
            .prop_map(|(w, m, s)| {
                let total: f64 = w.iter().sum();
                let w: Vec<f64> = w.iter().map(|x| x / total).collect();
                GaussianMixture::new(&w, &m, &s).unwrap()
            })
    })
}

proptest! {
    #[test]
    fn derivatives_match_finite_differences(p in mixture(), x in -8.0f64..8.0) {
        let (lp, score, slope) = p.log_pdf_derivatives(x);
        if p.pdf(x) > 1e-300 {
            // (Further out the density underflows; ln p stays finite.)
            prop_assert!((lp - p.pdf(x).ln()).abs() < 1e-12 * lp.abs().max(1.0));
        }
        let h = 1e-5;
        let fd_score = (p.log_pdf(x + h) - p.log_pdf(x - h)) / (2.0 * h);
        let fd_slope = (p.log_pdf_derivatives(x + h).1 - p.log_pdf_derivatives(x - h).1) / (2.0 * h);
        prop_assert!((score - fd_score).abs() < 1e-6 * score.abs().max(1.0), "{score} vs {fd_score}");
        prop_assert!((slope - fd_slope).abs() < 1e-6 * slope.abs().max(1.0), "{slope} vs {fd_slope}");
    }

    #[test]
    fn at_a_crossover_two_weighted_components_are_equal(p in mixture()) {
        let log_terms = |x: f64| -> Vec<f64> {
            (0..p.weights().len())
                .map(|k| p.weights()[k].ln() + Normal::new(p.means()[k], p.sigmas()[k]).unwrap().log_pdf(x))
                .collect()
        };
        for (x, width) in p.crossovers() {
            prop_assert!(width > 0.0);
            let l = log_terms(x);
            let equal_pair = (0..l.len()).any(|i| {
                (i + 1..l.len()).any(|j| (l[i] - l[j]).abs() <= 1e-9 * l[i].abs().max(1.0))
            });
            prop_assert!(equal_pair, "x = {x}: {l:?}");
        }
    }

    #[test]
    fn variance_is_the_law_of_total_variance(p in mixture()) {
        // Var = E[Var | k] + Var[E | k], the second via E[x²] − E[x]² (fine at these sizes).
        let w = p.weights();
        let within: f64 = (0..w.len()).map(|k| w[k] * p.sigmas()[k].powi(2)).sum();
        let second: f64 = (0..w.len()).map(|k| w[k] * p.means()[k].powi(2)).sum();
        let between = second - p.mean().powi(2);
        prop_assert!((p.variance() - within - between).abs() < 1e-12 * p.variance().max(1.0));
    }
}

#[test]
fn mixture_kl_reference_values() {
    // mpmath, mp.dps = 30, p the mixture built from npdf:
    //   reverse: quad(lambda t: npdf(t)*(log(npdf(t)/s) - log(p(m + s*t))), pts) with pts
    //            0, ±1, ±2, ±4, ±8, ±14 and every (μₖ + j·σₖ − m)/s, j ∈ {0, ±1, ±2, ±4}
    //   forward at moment matching: -h(p) + log(2*pi*var)/2 + 1/2, h(p) as in mixture.rs
    let p = fixtures::bimodal();
    let got = p.reverse_kl(&Normal::new(1.0, 2.0).unwrap()).unwrap();
    assert!((got - 5.300_557_493_654_231).abs() < 1e-10, "{got}");
    let q = Normal::new(0.0, 9.25f64.sqrt()).unwrap();
    let got = p.forward_kl(&q).unwrap();
    assert!((got - 1.112_311_778_767_937_5).abs() < 1e-10, "{got}");
    let tri = GaussianMixture::new(&[0.2, 0.5, 0.3], &[-2.0, 0.5, 4.0], &[0.4, 1.0, 0.6]).unwrap();
    let got = tri.reverse_kl(&Normal::new(0.5, 1.5).unwrap()).unwrap();
    assert!((got - 0.360_836_829_553_862_54).abs() < 1e-10, "{got}");
}

#[test]
fn single_gaussian_mixture_matches_the_closed_form() {
    let p = GaussianMixture::single(0.4, 1.3).unwrap();
    let q = Normal::new(-1.1, 0.6).unwrap();
    let closed = crate::math::divergence::gaussian::kl_normal(0.4, 1.3, -1.1, 0.6).unwrap();
    assert!((p.forward_kl(&q).unwrap() - closed).abs() < 1e-10);
    let closed = crate::math::divergence::gaussian::kl_normal(-1.1, 0.6, 0.4, 1.3).unwrap();
    assert!((p.reverse_kl(&q).unwrap() - closed).abs() < 1e-10);
}
