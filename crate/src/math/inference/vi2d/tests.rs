use super::fit::sampled_gradient;
use super::*;
use crate::math::quadrature::integrate;
use crate::math::random::Random;
use crate::math::{Code, InputError};
use proptest::prelude::*;

const LN_2PI: f64 = 1.837_877_066_409_345_5;

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!(
        (a - b).abs() <= tol,
        "{what}: {a} vs {b} (|diff| = {:e} > {tol:e})",
        (a - b).abs()
    );
}

fn gaussian(rho: f64) -> Target {
    Target::gaussian([0.5, -1.0], [1.5, 0.7], rho).unwrap()
}

fn rule(e: InputError) -> Code {
    match e {
        InputError::OutOfRange { rule, .. } => rule,
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}

#[test]
fn hermite_nodes_integrate_the_normal_moments() {
    let (x, w) = hermite_nodes();
    let moment = |k: i32| x.iter().zip(w).map(|(x, w)| w * x.powi(k)).sum::<f64>();
    close(moment(0), 1.0, 1e-14, "Σw");
    close(moment(1), 0.0, 1e-14, "E ε");
    close(moment(2), 1.0, 1e-13, "E ε²");
    close(moment(4), 3.0, 1e-12, "E ε⁴");
    close(moment(8), 105.0, 1e-9, "E ε⁸");
}

#[test]
fn gaussian_normaliser_and_moments_match_the_closed_form() {
    for rho in [0.0, 0.5, -0.9, 0.99] {
        let t = gaussian(rho);
        let g = Grid::new(&t, 200).unwrap();
        let log_z = LN_2PI + (1.5f64 * 0.7).ln() + 0.5 * (1.0 - rho * rho).ln();
        close(g.log_z, log_z, 1e-8, "log Z");
        close(g.mean[0], 0.5, 1e-8, "mean 1");
        close(g.mean[1], -1.0, 1e-8, "mean 2");
        close(g.cov[0], 2.25, 1e-8, "var 1");
        close(g.cov[1], rho * 1.5 * 0.7, 1e-8, "cov");
        close(g.cov[2], 0.49, 1e-8, "var 2");
    }
}

#[test]
fn banana_normaliser_and_moments_match_the_change_of_variables() {
    for (a, b) in [(1.0, 0.5), (1.5, 0.3), (0.5, 0.5), (1.5, 0.5), (0.5, 0.0)] {
        let t = Target::banana(a, b).unwrap();
        // The widget's grid (128 per side) is as accurate as a fine one.
        close(
            Grid::new(&t, 128).unwrap().log_z,
            LN_2PI + f64::ln(a),
            1e-8,
            "log Z, n = 128",
        );
        let g = Grid::new(&t, 400).unwrap();
        close(g.log_z, LN_2PI + f64::ln(a), 1e-8, "log Z");
        close(g.mean[0], 0.0, 1e-8, "mean 1");
        close(g.mean[1], 0.0, 1e-8, "mean 2");
        close(g.cov[0], a * a, 1e-8, "var 1");
        close(g.cov[1], 0.0, 1e-8, "cov");
        close(
            g.cov[2],
            1.0 + 2.0 * b * b * a.powi(4),
            1e-7 * (1.0 + 2.0 * b * b * a.powi(4)),
            "var 2",
        );
    }
}

#[test]
fn mixture_normaliser_and_moments_match_the_closed_form() {
    for (d, s) in [(0.0, 1.0), (3.0, 0.6), (6.0, 0.2), (4.0, 3.0)] {
        let g = Grid::new(&Target::mixture(d, s).unwrap(), 300).unwrap();
        let c2 = 0.25 * d * d;
        close(g.log_z, 0.0, 1e-8, "log Z");
        close(g.mean[0], 0.0, 1e-8, "mean 1");
        close(g.cov[0], s * s + 0.5 * c2, 1e-8, "var 1");
        close(g.cov[1], 0.5 * c2, 1e-8, "cov");
        close(g.cov[2], s * s + 0.5 * c2, 1e-8, "var 2");
    }
}

#[test]
fn donut_normaliser_matches_the_radial_integral() {
    for (r, w) in [(2.0, 0.4), (0.5, 2.0), (4.0, 0.2)] {
        let g = Grid::new(&Target::donut(r, w).unwrap(), 400).unwrap();
        close(
            Grid::new(&Target::donut(r, w).unwrap(), 128).unwrap().log_z,
            g.log_z,
            1e-10,
            "n = 128",
        );
        let radial = |k: i32| {
            integrate(
                |p| p.powi(k) * (-((p * p - r * r).powi(2)) / (8.0 * r * r * w * w)).exp(),
                0.0,
                r + 40.0 * w,
            )
            .unwrap()
        };
        let z = 2.0 * std::f64::consts::PI * radial(1);
        close(g.log_z, z.ln(), 1e-8, "log Z");
        close(g.mean[0], 0.0, 1e-8, "mean");
        // E[z₁²] = E[ρ²]/2 by symmetry.
        let var = 0.5 * 2.0 * std::f64::consts::PI * radial(3) / z;
        close(g.cov[0], var, 1e-8 * var, "var 1");
        close(g.cov[1], 0.0, 1e-8, "cov");
    }
}

fn some_points() -> (Vec<f64>, Vec<f64>) {
    let mut rng = Random::new(7);
    let (mut points, mut labels) = (Vec::new(), Vec::new());
    for _ in 0..30 {
        let x = [4.0 * rng.uniform() - 2.0, 4.0 * rng.uniform() - 2.0];
        let y = rng.uniform() < 1.0 / (1.0 + (-(1.5 * x[0] - 0.8 * x[1])).exp());
        points.extend(x);
        labels.push(if y { 1.0 } else { 0.0 });
    }
    (points, labels)
}

#[test]
fn logistic_without_data_is_the_prior() {
    let g = Grid::new(&Target::logistic(&[], &[]).unwrap(), 128).unwrap();
    close(g.log_z, 0.0, 1e-10, "log Z");
    close(g.cov[0], 1.0, 1e-10, "var");
    close(g.cov[1], 0.0, 1e-10, "cov");
}

#[test]
fn logistic_normaliser_and_moments_match_monte_carlo() {
    // Z = p(data) = E_prior[Π σ(±wᵀx)]; the moments by the same prior samples, weighted.
    let (points, labels) = some_points();
    let t = Target::logistic(&points, &labels).unwrap();
    let g = Grid::new(&t, 200).unwrap();
    let mut rng = Random::new(11);
    let n = 200_000;
    let (mut s, mut s2) = (0.0, 0.0);
    let (mut m1, mut m2, mut q11) = (0.0, 0.0, 0.0);
    for _ in 0..n {
        let w = [rng.standard_normal(), rng.standard_normal()];
        let lik = (t.log_density(w) + 0.5 * (w[0] * w[0] + w[1] * w[1]) + LN_2PI).exp();
        s += lik;
        s2 += lik * lik;
        m1 += lik * w[0];
        m2 += lik * w[1];
        q11 += lik * w[0] * w[0];
    }
    let mean = s / n as f64;
    let se = ((s2 / n as f64 - mean * mean) / n as f64).sqrt();
    close(g.log_z.exp(), mean, 4.0 * se, "Z");
    close(g.mean[0], m1 / s, 0.02, "mean 1");
    close(g.mean[1], m2 / s, 0.02, "mean 2");
    close(g.cov[0], q11 / s - (m1 / s).powi(2), 0.02, "var 1");
    // The data pull the posterior mean toward the generating weights' direction.
    assert!(g.mean[0] > 0.5 && g.mean[1] < -0.2, "{:?}", g.mean);
}

#[test]
fn logistic_normaliser_is_stable_in_the_grid_size() {
    let (points, labels) = some_points();
    let t = Target::logistic(&points, &labels).unwrap();
    let fine = Grid::new(&t, 400).unwrap();
    for n in [96, 128, 200] {
        close(Grid::new(&t, n).unwrap().log_z, fine.log_z, 1e-8, "log Z");
    }
}

#[test]
fn mean_field_optimum_on_a_gaussian_is_the_closed_form() {
    for rho in [0.0, 0.6, -0.9, 0.99] {
        let t = gaussian(rho);
        let g = Grid::new(&t, 200).unwrap();
        let start = Gauss2::new([2.0, 1.0], [0.5, 0.3, 2.0]).unwrap();
        let f = fit_reverse(&t, &g, Family::MeanField, start);
        let k = 1.0 - rho * rho;
        close(f.q.m[0], 0.5, 1e-8, "m1");
        close(f.q.m[1], -1.0, 1e-8, "m2");
        assert_eq!(f.q.l[1], 0.0);
        close(f.q.cov()[0], k * 2.25, 1e-8, "s1²");
        close(f.q.cov()[2], k * 0.49, 1e-8, "s2²");
        close(f.kl, -0.5 * k.ln(), 1e-8, "KL(q‖p)");
        close(f.elbo + f.kl, g.log_z, 1e-12, "ELBO + KL");
    }
}

#[test]
fn full_covariance_reaches_the_gaussian_target() {
    for rho in [0.0, 0.6, -0.99] {
        let t = gaussian(rho);
        let g = Grid::new(&t, 200).unwrap();
        let f = fit_reverse(
            &t,
            &g,
            Family::Full,
            Gauss2::new([-3.0, 2.0], [0.2, 0.0, 3.0]).unwrap(),
        );
        assert!(f.kl < 1e-8, "KL = {}", f.kl);
        close(f.q.cov()[1], rho * 1.05, 1e-8, "cov");
        assert!(f.kl_forward < 1e-8, "KL(p‖q) = {}", f.kl_forward);
    }
}

#[test]
fn forward_mean_field_matches_the_marginals() {
    let rho = 0.8;
    let t = gaussian(rho);
    let g = Grid::new(&t, 200).unwrap();
    let f = fit_forward(&t, &g, Family::MeanField).unwrap();
    close(f.q.cov()[0], 2.25, 1e-8, "s1²");
    close(f.q.cov()[2], 0.49, 1e-8, "s2²");
    // KL(p ‖ p₁p₂) is the mutual information −½ ln(1 − ρ²).
    close(f.kl_forward, -0.5 * (1.0 - rho * rho).ln(), 1e-8, "KL(p‖q)");
    // Reverse KL of the too-wide q: tr(Σ_q Λ) − 2 + ln(|Σ|/|Σ_q|), halved: ρ²/(1 − ρ²) + ½ ln(1 − ρ²).
    close(
        f.kl,
        rho * rho / (1.0 - rho * rho) + 0.5 * (1.0 - rho * rho).ln(),
        1e-8,
        "KL(q‖p)",
    );
    let full = fit_forward(&t, &g, Family::Full).unwrap();
    assert!(full.kl < 1e-8 && full.kl_forward < 1e-8);
}

#[test]
fn a_coordinate_step_on_a_gaussian_is_cavi() {
    let t = gaussian(0.7);
    let [l11, l12, l22] = t.precision().unwrap();
    let q = Gauss2::new([2.0, 1.0], [0.4, 0.0, 0.9]).unwrap();
    let a = coordinate_step(&t, &q, 0);
    close(a.m[0], 0.5 - l12 / l11 * (1.0 - -1.0), 1e-12, "m1");
    close(a.l[0], 1.0 / l11.sqrt(), 1e-12, "s1");
    assert_eq!((a.m[1], a.l[2]), (q.m[1], q.l[2]));
    let b = coordinate_step(&t, &a, 1);
    close(b.m[1], -1.0 - l12 / l22 * (a.m[0] - 0.5), 1e-12, "m2");
    assert_eq!(b.m[0], a.m[0]);
}

fn theta_to_q(t: [f64; 5]) -> Gauss2 {
    Gauss2::new([t[0], t[1]], [t[2].exp(), t[3], t[4].exp()]).unwrap()
}

fn targets() -> Vec<Target> {
    let (points, labels) = some_points();
    vec![
        gaussian(0.6),
        Target::banana(1.2, 0.5).unwrap(),
        Target::donut(2.0, 0.5).unwrap(),
        Target::mixture(3.0, 0.8).unwrap(),
        Target::logistic(&points, &labels).unwrap(),
    ]
}

#[test]
fn elbo_gradients_match_finite_differences() {
    let theta = [0.3, -0.4, (0.8f64).ln(), 0.3, (0.6f64).ln()];
    for t in targets() {
        let (_, grad) = elbo_gradient(&t, &theta_to_q(theta));
        for k in 0..5 {
            let h = 1e-5;
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let fd = (elbo(&t, &theta_to_q(up)) - elbo(&t, &theta_to_q(down))) / (2.0 * h);
            close(grad[k], fd, 1e-6 * (1.0 + fd.abs()), &format!("{t:?} ∂{k}"));
        }
    }
}

#[test]
fn reparameterised_gradients_match_finite_differences_of_their_estimate() {
    let theta = [0.3, -0.4, (0.8f64).ln(), 0.3, (0.6f64).ln()];
    for t in targets() {
        let estimate =
            |th: [f64; 5]| sampled_gradient(&t, &theta_to_q(th), 16, &mut Random::new(5));
        let (_, grad) = estimate(theta);
        for k in 0..5 {
            let h = 1e-5;
            let (mut up, mut down) = (theta, theta);
            up[k] += h;
            down[k] -= h;
            let fd = (estimate(up).0 - estimate(down).0) / (2.0 * h);
            close(grad[k], fd, 1e-6 * (1.0 + fd.abs()), &format!("{t:?} ∂{k}"));
        }
    }
}

#[test]
fn adam_with_reparameterised_gradients_approaches_the_optimum_reproducibly() {
    let t = gaussian(0.8);
    let g = Grid::new(&t, 128).unwrap();
    let start = Gauss2::new([2.0, 1.0], [1.0, 0.0, 1.0]).unwrap();
    let start_kl = g.log_z - elbo(&t, &start);
    // Mean KL(q ‖ p) over steps 1000–2000: constant-rate Adam on noisy gradients hovers
    // near the optimum instead of landing on it.
    let run = |family| {
        let mut opt = Optimiser::new(start, family, 8, 0.02, 42);
        let mut kl = 0.0;
        for s in 0..2000 {
            opt.step(&t).unwrap();
            if s >= 1000 {
                kl += (g.log_z - elbo(&t, &opt.q().unwrap())) / 1000.0;
            }
        }
        (opt.q().unwrap(), kl)
    };
    let (q, kl) = run(Family::Full);
    assert_eq!(q, run(Family::Full).0, "same seed, same path");
    assert!(start_kl > 2.0 && kl < 0.02, "KL from {start_kl} to {kl}");
    let (q, kl) = run(Family::MeanField);
    assert_eq!(q.l[1], 0.0);
    let optimum = -0.5 * (1.0f64 - 0.64).ln();
    assert!(
        kl > optimum && kl < optimum + 0.02,
        "mean-field KL {kl}, optimum {optimum}"
    );
}

#[test]
fn fits_on_other_targets_are_consistent() {
    for t in targets() {
        let g = Grid::new(&t, 160).unwrap();
        let start = Gauss2::new([0.2, 0.1], [1.0, 0.0, 1.0]).unwrap();
        let mf = fit_reverse(&t, &g, Family::MeanField, start);
        let full = fit_reverse(&t, &g, Family::Full, start);
        // The full family contains the mean-field one: its optimum is at least as good.
        assert!(
            full.elbo >= mf.elbo - 1e-9,
            "{t:?}: {} < {}",
            full.elbo,
            mf.elbo
        );
        assert!(mf.kl >= 0.0 && full.kl >= 0.0);
        assert!(full.elbo <= g.log_z + 1e-9, "ELBO ≤ log Z");
        let fwd = fit_forward(&t, &g, Family::Full).unwrap();
        // Moment matching minimises KL(p ‖ q): below the reverse fit's forward KL.
        assert!(fwd.kl_forward <= full.kl_forward + 1e-9, "{t:?}");
    }
}

#[test]
fn bad_input_gets_coded_errors() {
    assert_eq!(
        rule(Target::gaussian([0.0, 0.0], [1.0, 1.0], 1.0).unwrap_err()),
        Code::Vi2dRho
    );
    assert_eq!(
        rule(Target::gaussian([9.0, 0.0], [1.0, 1.0], 0.0).unwrap_err()),
        Code::Vi2dMean
    );
    assert_eq!(
        rule(Target::gaussian([0.0, 0.0], [0.0, 1.0], 0.0).unwrap_err()),
        Code::Vi2dSd
    );
    assert_eq!(
        rule(Target::banana(1.0, 2.0).unwrap_err()),
        Code::Vi2dBananaB
    );
    assert_eq!(rule(Target::donut(0.1, 1.0).unwrap_err()), Code::Vi2dDonutR);
    assert_eq!(
        rule(Target::mixture(1.0, 0.0).unwrap_err()),
        Code::Vi2dMixtureS
    );
    assert_eq!(
        rule(Target::logistic(&[0.0, 6.0], &[1.0]).unwrap_err()),
        Code::Vi2dPoint
    );
    assert_eq!(
        rule(Target::logistic(&[0.0, 1.0], &[2.0]).unwrap_err()),
        Code::BinaryObservation
    );
    let many = vec![0.5; 2 * (MAX_POINTS + 1)];
    assert_eq!(
        rule(Target::logistic(&many, &vec![1.0; MAX_POINTS + 1]).unwrap_err()),
        Code::Vi2dPointCount
    );
    assert!(matches!(
        Target::logistic(&[0.0, 1.0, 2.0], &[1.0]),
        Err(InputError::LengthMismatch { .. })
    ));
    assert!(matches!(
        Target::gaussian([f64::NAN, 0.0], [1.0, 1.0], 0.0),
        Err(InputError::NotFiniteNumber { .. })
    ));
    assert_eq!(
        rule(Grid::new(&gaussian(0.0), 8).unwrap_err()),
        Code::Vi2dGridSide
    );
    assert_eq!(
        rule(Gauss2::new([0.0, 0.0], [0.0, 0.0, 1.0]).unwrap_err()),
        Code::QScaleRange
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn gaussian_log_z_is_accurate_across_the_ranges(
        m1 in -5.0..5.0f64, m2 in -5.0..5.0f64,
        s1 in 0.1..5.0f64, s2 in 0.1..5.0f64, rho in -0.99..0.99f64,
    ) {
        let t = Target::gaussian([m1, m2], [s1, s2], rho).unwrap();
        let g = Grid::new(&t, 128).unwrap();
        let banana = Target::banana(0.5 + s1 / 5.0, rho.abs() / 1.98).unwrap();
        let b = Grid::new(&banana, 128).unwrap();
        prop_assert!((b.log_z - LN_2PI - (0.5 + s1 / 5.0).ln()).abs() < 1e-8, "banana {}", b.log_z);
        let log_z = LN_2PI + (s1 * s2).ln() + 0.5 * (1.0 - rho * rho).ln();
        prop_assert!((g.log_z - log_z).abs() < 1e-8, "{} vs {}", g.log_z, log_z);
        let f = fit_reverse(&t, &g, Family::MeanField, Gauss2::new([0.0, 0.0], [1.0, 0.0, 1.0]).unwrap());
        prop_assert!((f.kl + 0.5 * (1.0 - rho * rho).ln()).abs() < 1e-8, "KL {}", f.kl);
    }
}

#[test]
fn the_widget_default_gaussian_gives_the_stated_kl() {
    // 3.5's text: at the default ρ = 0.8 (σ₁ = 1.5, σ₂ = 0.8), the mean-field optimum has
    // KL(q ‖ p) = −½ ln(1 − ρ²) ≈ 0.511 nats, and CAVI moves m₁ to μ₁ + ρσ₁/σ₂ (m₂ − μ₂).
    let t = Target::gaussian([0.0, 0.0], [1.5, 0.8], 0.8).unwrap();
    let g = Grid::new(&t, 128).unwrap();
    let f = fit_reverse(
        &t,
        &g,
        Family::MeanField,
        Gauss2::new([-2.0, 2.0], [1.0, 0.0, 1.0]).unwrap(),
    );
    close(f.kl, 0.511, 5e-4, "KL rounded as the text gives it");
    let step = coordinate_step(&t, &Gauss2::new([-2.0, 2.0], [1.0, 0.0, 1.0]).unwrap(), 0);
    close(step.m[0], 0.8 * 1.5 / 0.8 * 2.0, 1e-12, "m₁");
}
