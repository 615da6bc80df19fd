use super::*;
use proptest::prelude::*;
use std::f64::consts::PI;

#[test]
fn one_kronrod_rule_is_exact_up_to_degree_22() {
    let single = Tolerance {
        max_intervals: 1,
        ..Tolerance::default()
    };
    for k in 0..=22 {
        let r = integrate_vec(|x| [x.powi(k)], &[0.0, 1.0], &single).unwrap();
        let want = 1.0 / f64::from(k + 1);
        assert!((r.value[0] - want).abs() < 4e-16, "x^{k}: {}", r.value[0]);
        assert_eq!(r.evaluations, 15);
    }
    // The embedded 7-point Gauss rule is exact to degree 13, so the error estimate is 0.
    let r = integrate_vec(|x| [x.powi(13)], &[-1.0, 2.0], &single).unwrap();
    let want = (2f64.powi(14) - 1.0) / 14.0;
    assert!(r.error[0] < 1e-15 * want && r.converged, "{}", r.error[0]);
    assert!((r.value[0] - want).abs() < 1e-15 * want);
    // Degree 24 is beyond the rule: one piece is not exact.
    // (On [−1, 1] the error is 5.7e-9, from the rule's weights in mpmath.)
    let r = integrate_vec(|x| [x.powi(24)], &[-1.0, 1.0], &single).unwrap();
    assert!((r.value[0] - 2.0 / 25.0).abs() > 1e-9);
}

#[test]
fn known_integrals_to_1e_12() {
    type Case<'a> = (&'a dyn Fn(f64) -> f64, f64, f64, f64); // (f, a, b, ∫ₐᵇ f)
    let cases: [Case; 6] = [
        (&f64::sin, 0.0, PI, 2.0),
        (&|x: f64| 1.0 / (1.0 + x * x), 0.0, 1.0, PI / 4.0),
        (&|x: f64| (-x * x).exp(), -12.0, 12.0, PI.sqrt()),
        (&f64::sqrt, 0.0, 1.0, 2.0 / 3.0), // infinite slope at 0
        (&|x: f64| (20.0 * x).cos(), 0.0, 10.0, 200f64.sin() / 20.0),
        (&|x: f64| x.ln(), 1.0, 2.0, 2.0 * 2f64.ln() - 1.0),
    ];
    for (f, a, b, want) in cases {
        let got = integrate(f, a, b).unwrap();
        assert!(
            (got - want).abs() <= 1e-12 * want.abs(),
            "[{a}, {b}]: {got} vs {want}"
        );
    }
    assert_eq!(integrate(|x| x, 1.0, 1.0).unwrap(), 0.0);
    assert!((integrate(|x| x, 2.0, 0.0).unwrap() + 2.0).abs() < 1e-15);
}

#[test]
fn vector_integrands_share_evaluations() {
    // Moments of N(0, 1): ∫φ = 1, ∫xφ = 0, ∫x²φ = 1, ∫x⁴φ = 3.
    let phi = |x: f64| (-0.5 * x * x).exp() / (2.0 * PI).sqrt();
    let points = gaussian_breakpoints(&[(0.0, 1.0)], 12.0);
    let r = integrate_vec(
        |x| [phi(x), x * phi(x), x * x * phi(x), x.powi(4) * phi(x)],
        &points,
        &Tolerance::default(),
    )
    .unwrap();
    let want = [1.0, 0.0, 1.0, 3.0];
    for (got, want) in r.value.iter().zip(want) {
        assert!((got - want).abs() < 1e-13, "{got} vs {want}");
    }
    assert!(r.converged);
}

#[test]
fn narrow_peak_in_a_wide_range_is_found_through_breakpoints() {
    // N(7.3, 0.001²) on [−50, 50]: without a breakpoint near 7.3 the first rule would
    // sample only zeros there.
    let (mu, s) = (7.3, 1e-3);
    let f = |x: f64| (-0.5 * ((x - mu) / s).powi(2)).exp() / (s * (2.0 * PI).sqrt());
    let mut points = gaussian_breakpoints(&[(mu, s), (0.0, 50.0 / 12.0)], 12.0);
    points.sort_by(f64::total_cmp);
    assert_eq!((points[0], points[points.len() - 1]), (-50.0, 50.0));
    let r = integrate_vec(|x| [f(x)], &points, &Tolerance::default()).unwrap();
    assert!((r.value[0] - 1.0).abs() < 1e-12, "{}", r.value[0]);
}

#[test]
fn bad_input_and_budget_exhaustion() {
    let tol = Tolerance::default();
    assert_eq!(
        integrate_vec(|x| [x], &[0.0, f64::INFINITY], &tol).unwrap_err(),
        InputError::BadInterval {
            lo: 0.0,
            hi: f64::INFINITY
        }
    );
    assert!(integrate(|x| x, f64::NAN, 1.0).is_err());
    let err = integrate(|x| 1.0 / x, -1.0, 1.0).unwrap_err();
    assert!(
        matches!(err, InputError::IntegrandNotFinite { x: 0.0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("x = 0"), "{err}");
    // 1/√x has an integrable singularity: 2 subintervals cannot meet 1e-12.
    let small = Tolerance {
        max_intervals: 2,
        ..tol
    };
    let r = integrate_vec(|x| [1.0 / x.sqrt()], &[0.0, 1.0], &small).unwrap();
    assert!(!r.converged && r.error[0] > 1e-6);
    // Fewer than two distinct points: an empty range.
    let r = integrate_vec(|_| [1.0], &[3.0, 3.0], &tol).unwrap();
    assert_eq!((r.value[0], r.evaluations), (0.0, 0));
    assert_eq!(integrate_vec(|_| [1.0], &[], &tol).unwrap().value[0], 0.0);
    // NaN centres give NaN breakpoints, which are rejected rather than panicking.
    let points = gaussian_breakpoints(&[(f64::NAN, 1.0)], 12.0);
    assert!(integrate_vec(|_| [1.0], &points, &tol).is_err());
}

proptest! {
    #[test]
    fn gaussians_of_any_scale_integrate_to_one(
        mu in -1e3f64..1e3, log_s in -7.0f64..7.0, extra in -1e3f64..1e3,
    ) {
        let s = log_s.exp();
        let f = |x: f64| (-0.5 * ((x - mu) / s).powi(2)).exp() / (s * (2.0 * PI).sqrt());
        // A second, unrelated centre widens the range.
        let points = gaussian_breakpoints(&[(mu, s), (extra, 1.0)], 12.0);
        let r = integrate_vec(|x| [f(x)], &points, &Tolerance::default()).unwrap();
        prop_assert!(r.converged);
        // Far from 0, x − μ itself is only known to ε|μ|, i.e. to ε|μ|/σ in z-score:
        // that conditioning of the integrand, not the rule, sets the floor.
        let floor = 1e-12 + 10.0 * f64::EPSILON * mu.abs() / s;
        prop_assert!((r.value[0] - 1.0).abs() < floor, "{}", r.value[0]);
    }

    #[test]
    fn integral_is_additive_over_a_split(a in -3.0f64..3.0, w in 0.1f64..5.0, t in 0.0f64..1.0) {
        let f = |x: f64| (x.sin() + 2.0) * (-0.1 * x * x).exp();
        let (b, c) = (a + t * w, a + w);
        let whole = integrate(f, a, c).unwrap();
        let parts = integrate(f, a, b).unwrap() + integrate(f, b, c).unwrap();
        prop_assert!((whole - parts).abs() < 1e-12 * whole.abs().max(1.0));
    }
}
