//! Normalisers and moments on the grid against closed forms and Monte Carlo.

use super::*;
use crate::math::quadrature::integrate;
use proptest::prelude::*;

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
