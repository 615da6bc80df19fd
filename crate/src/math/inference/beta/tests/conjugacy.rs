//! Conjugate updating: the Beta posterior against likelihood × prior / evidence by
//! quadrature, the uniform prior's mode at the MLE, and the posterior's concentration as
//! data grow.

use super::*;
use crate::math::inference::likelihood::bernoulli_log_likelihood;

/// ln of ∫₀¹ L(θ) p(θ) dθ by quadrature, shifted by the integrand's largest log on a grid so
/// that large data sets do not underflow.
fn log_evidence_by_quadrature(h: f64, t: f64, prior: &Beta) -> f64 {
    let log_joint =
        |x: f64| bernoulli_log_likelihood(h, t, x).unwrap() + prior.ln_pdf(x, "x").unwrap();
    let mut points: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
    let shift = points[1..100]
        .iter()
        .map(|&x| log_joint(x))
        .fold(f64::NEG_INFINITY, f64::max);
    let post = Beta {
        a: prior.a + h,
        b: prior.b + t,
    };
    let (m, sd) = (post.mean(), post.variance().sqrt());
    points.extend(
        [-8.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 8.0].map(|k| (m + k * sd).clamp(0.0, 1.0)),
    );
    let tol = Tolerance {
        abs: 0.0,
        rel: 1e-13,
        max_intervals: 4000,
    };
    let r = integrate_vec(|x| [(log_joint(x) - shift).exp()], &points, &tol).unwrap();
    assert!(r.converged);
    shift + r.value[0].ln()
}

#[test]
fn conjugacy_posterior_is_likelihood_times_prior_over_evidence() {
    for (h, t, a, b) in [
        (7.0, 3.0, 1.0, 1.0),
        (7.0, 3.0, 2.0, 5.0),
        (3.0, 2.0, 0.5, 0.5),
        (1.0, 0.0, 1.0, 1.0),
        (120.0, 80.0, 20.0, 20.0),
        (600.0, 400.0, 0.5, 3.0),
        (5000.0, 4000.0, 1.0, 1.0),
    ] {
        let c = CoinPosterior::new(h, t, a, b).unwrap();
        let closed = c.log_evidence();
        let by_quadrature = log_evidence_by_quadrature(h, t, &c.prior);
        // 1e-10 relative on p(data) is 1e-10 absolute on its logarithm.
        assert!(
            (closed - by_quadrature).abs() < 1e-10,
            "h={h} t={t} a={a} b={b}: closed {closed}, quadrature {by_quadrature}"
        );
        for i in 1..100 {
            let x = f64::from(i) / 100.0;
            let ll = bernoulli_log_likelihood(h, t, x).unwrap();
            let bayes = ll + c.prior.ln_pdf(x, "x").unwrap() - closed;
            let posterior = c.posterior.ln_pdf(x, "x").unwrap();
            // Equal logs mean equal densities to this relative precision.
            assert!(
                (posterior - bayes).abs() <= 1e-12 * (1.0 + ll.abs()),
                "θ = {x}: {posterior} vs {bayes}"
            );
        }
    }
    // The evidence of one head under a uniform prior: ∫ θ dθ = ½.
    let one = CoinPosterior::new(1.0, 0.0, 1.0, 1.0).unwrap();
    assert!((one.log_evidence() + std::f64::consts::LN_2).abs() < 1e-15);
    assert_eq!(
        CoinPosterior::new(0.0, 0.0, 3.0, 4.0)
            .unwrap()
            .log_evidence(),
        0.0
    );
}

#[test]
fn a_uniform_prior_puts_the_mode_at_the_mle() {
    for (h, t) in [
        (7.0, 3.0),
        (1.0, 0.0),
        (0.0, 1.0),
        (0.0, 25.0),
        (5000.0, 5000.0),
        (1.0, 9999.0),
    ] {
        let c = CoinPosterior::new(h, t, 1.0, 1.0).unwrap();
        let mode = c.posterior.mode().unwrap();
        assert!(
            (mode - mle(h, t).unwrap()).abs() < 1e-15,
            "h={h} t={t}: {mode}"
        );
    }
    assert_eq!(
        CoinPosterior::new(0.0, 0.0, 1.0, 1.0)
            .unwrap()
            .posterior
            .mode(),
        None
    );
}

#[test]
fn the_posterior_concentrates_as_data_grow() {
    // The same fraction of heads, ten times the data: the spread falls (by ~√10 once n
    // dwarfs a + b) and the mean approaches the MLE 0.7, whatever the prior.
    let mut last = f64::INFINITY;
    for n in [10.0, 100.0, 1000.0, 10_000.0] {
        let c = CoinPosterior::new(0.7 * n, 0.3 * n, 20.0, 20.0).unwrap();
        let sd = c.posterior.variance().sqrt();
        assert!(sd < last, "n = {n}: {sd}");
        if n == 10_000.0 {
            assert!(sd < last / 3.0, "~√10 smaller: {sd} vs {last}");
        }
        // |mean − MLE| = (a + b)/(a + b + n) · |prior mean − MLE|.
        let gap = (c.posterior.mean() - 0.7).abs();
        assert!(
            (gap - 40.0 / (40.0 + n) * 0.2).abs() < 1e-14,
            "n = {n}: {gap}"
        );
        last = sd;
    }
}
