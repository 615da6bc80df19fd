//! The fits: reverse KL's fixed points against closed forms, forward KL, CAVI, the gradients
//! against finite differences, Adam.

use super::super::fit::sampled_gradient;
use super::*;

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
