use super::*;
use crate::math::networks::vae::tests::toy_data;

/// D = 8, H = 8, Z = 2, trained for 150 full-batch Adam steps.
fn trained() -> (Vae, Vec<f32>) {
    let data = toy_data();
    let mut vae = Vae::new(8, 8, 2, Mode::Variational, 3).unwrap();
    for step in 0..150 {
        vae.train_step(&data, 1.0, 0.02, step).unwrap();
    }
    (vae, data)
}

#[test]
fn iwae_with_one_sample_is_the_one_sample_elbo() {
    let (vae, data) = trained();
    let est = vae.iwae(&data, 1, 42).unwrap();
    assert_eq!(est.iwae, est.elbo);
    // By hand, from the forward pass with the same ε: −recon + log p(z) − log q(z | x).
    let n = data.len() / 8;
    let eps = vae.draw_eps(n, 42);
    let f = vae.forward(&data, &eps, 1.0);
    let (mu, logvar) = vae.encode(&data).unwrap();
    let mut log_ratio = 0.0;
    for i in 0..2 * n {
        let z = f64::from(mu[i] + (0.5 * logvar[i]).exp() * eps[i]);
        let (e, lv) = (f64::from(eps[i]), f64::from(logvar[i]));
        log_ratio += -0.5 * z * z + 0.5 * (lv + e * e);
    }
    let by_hand = -f64::from(f.losses.recon) + log_ratio / n as f64;
    assert!(
        (est.iwae - by_hand).abs() < 1e-4 * by_hand.abs(),
        "{est:?} vs {by_hand}"
    );
    assert!(vae.iwae(&data, 0, 1).is_err());
}

#[test]
fn iwae_grows_with_k_and_stays_below_the_grid_evidence() {
    let (vae, data) = trained();
    let seeds = 0..10u64;
    let mean = |k: usize| {
        seeds
            .clone()
            .map(|s| vae.iwae(&data, k, s).unwrap())
            .fold((0.0, 0.0), |(a, b), e| {
                (a + e.iwae / 10.0, b + e.elbo / 10.0)
            })
    };
    let (iwae1, elbo1) = mean(1);
    let (iwae50, elbo50) = mean(50);
    assert!((iwae1 - elbo1).abs() < 1e-12);
    assert!(iwae50 > iwae1, "{iwae50} vs {iwae1}");
    assert!(iwae50 >= elbo50);
    let grid_mean = data
        .chunks(8)
        .map(|x| vae.exact_posterior_grid(x, 200, 5.0).unwrap().log_evidence)
        .sum::<f64>()
        / 64.0;
    assert!(iwae1 <= grid_mean + 1e-3, "{iwae1} vs {grid_mean}");
    assert!(iwae50 <= grid_mean + 1e-3, "{iwae50} vs {grid_mean}");
}

/// Mean and standard error of the mean of `values`.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

#[test]
fn l1_is_the_single_sample_elbo_to_float_precision() {
    // L₁ = log p(x | z) + log p(z) − log q(z | x) for the one draw z = μ + σε, ε the first
    // n × Z normals of Random::new(seed): recomputed here in f64 from the same f32 codes.
    let (vae, data) = trained();
    let n = data.len() / 8;
    let (mu, logvar) = vae.encode(&data).unwrap();
    for seed in [0u64, 1, 17, 2024] {
        let est = vae.iwae(&data, 1, seed).unwrap();
        assert_eq!(est.iwae, est.elbo);
        let eps = vae.draw_eps(n, seed);
        let z: Vec<f32> = (0..2 * n)
            .map(|i| mu[i] + (0.5 * logvar[i]).exp() * eps[i])
            .collect();
        let log_px = vae.log_likelihoods(&vae.logits(&z), &data);
        let mut total = 0.0;
        for (i, lp) in log_px.iter().enumerate() {
            let rows = 2 * i..2 * i + 2;
            let log_q: f64 = rows
                .clone()
                .map(|r| {
                    let (e, lv) = (f64::from(eps[r]), f64::from(logvar[r]));
                    -0.5 * (LN_2PI + lv + e * e)
                })
                .sum();
            total += lp + log_prior(&z[rows]) - log_q;
        }
        let by_hand = total / n as f64;
        assert!(
            (est.iwae - by_hand).abs() <= 1e-12 * by_hand.abs(),
            "seed {seed}: L₁ {} vs {by_hand}",
            est.iwae
        );
    }
}

#[test]
fn the_mean_iwae_bound_never_falls_as_k_grows() {
    // E[L_K] is non-decreasing in K (Burda et al. 2016, Theorem 1). Over 100 seeds, each
    // step K → K′ must not lower the mean by more than 3 standard errors of the paired
    // differences (one seed serves both K: the first K draws are shared), and from K = 1
    // to 200 the bound must rise clearly.
    let (vae, data) = trained();
    let ks = [1usize, 2, 5, 10, 50, 200];
    let per_seed: Vec<Vec<f64>> = (0..100u64)
        .map(|s| {
            ks.iter()
                .map(|&k| vae.iwae(&data, k, s).unwrap().iwae)
                .collect()
        })
        .collect();
    for w in 0..ks.len() - 1 {
        let diffs: Vec<f64> = per_seed.iter().map(|l| l[w + 1] - l[w]).collect();
        let (mean, se) = mean_se(&diffs);
        assert!(
            mean >= -3.0 * se,
            "E[L_{}] − E[L_{}] = {mean} ± {se}",
            ks[w + 1],
            ks[w]
        );
    }
    let rise: Vec<f64> = per_seed.iter().map(|l| l[5] - l[0]).collect();
    let (mean, se) = mean_se(&rise);
    assert!(
        mean > 10.0 * se && mean > 0.01,
        "L_200 − L_1 = {mean} ± {se}"
    );
}

#[test]
fn a_large_k_bound_stays_below_the_grid_evidence() {
    // L_K ≤ log p(x) for every K; with K = 1000 it is within Monte Carlo error of it.
    let (vae, data) = trained();
    for x in data.chunks(8).take(6) {
        let grid = vae.exact_posterior_grid(x, 300, 5.0).unwrap().log_evidence;
        let bounds: Vec<f64> = (0..10u64)
            .map(|s| vae.iwae(x, 1000, s).unwrap().iwae)
            .collect();
        let (mean, se) = mean_se(&bounds);
        assert!(
            mean <= grid + 3.0 * se + 1e-3,
            "L_1000 {mean} ± {se} vs grid {grid}"
        );
        assert!(
            mean > grid - 0.05,
            "L_1000 {mean} is close to log p(x) {grid}"
        );
    }
}

#[test]
fn grid_density_integrates_to_one_and_matches_iwae() {
    let (vae, data) = trained();
    for x in data.chunks(8).take(4) {
        let g = vae.exact_posterior_grid(x, 300, 5.0).unwrap();
        assert_eq!(g.density.len(), 300 * 300);
        let total: f64 = g.density.iter().sum::<f64>() * g.cell_area;
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        let iw = vae.iwae(x, 2000, 7).unwrap().iwae;
        assert!(
            (iw - g.log_evidence).abs() < 0.05,
            "IWAE(2000) {iw} vs grid {}",
            g.log_evidence
        );
    }
}

#[test]
fn grid_posterior_mean_matches_self_normalised_importance_sampling() {
    // E[z | x] two ways: Σ z·p(z | x)·ΔA over the grid, and the self-normalised
    // importance-sampling estimate Σₖ wₖ zₖ / Σₖ wₖ with zₖ drawn from the prior and
    // wₖ = p(x | zₖ) (K = 50 000; the encoder's q is too narrow a proposal for this small,
    // briefly trained model). They must agree within 4 standard errors of the estimate.
    let (vae, data) = trained();
    for x in data.chunks(8).take(3) {
        let g = vae.exact_posterior_grid(x, 300, 5.0).unwrap();
        let step = 2.0 * g.half_width / g.n as f64;
        let centre = |i: usize| -g.half_width + (i as f64 + 0.5) * step;
        let mut grid_mean = [0.0; 2];
        for (k, d) in g.density.iter().enumerate() {
            grid_mean[0] += centre(k % g.n) * d * g.cell_area;
            grid_mean[1] += centre(k / g.n) * d * g.cell_area;
        }
        let k = 50_000;
        let mut rng = Random::new(5);
        let zs: Vec<f32> = (0..2 * k).map(|_| rng.standard_normal() as f32).collect();
        let log_w = vae.log_likelihoods(&vae.logits(&zs), &x.repeat(k));
        let top = log_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let w: Vec<f64> = log_w.iter().map(|l| (l - top).exp()).collect();
        let total: f64 = w.iter().sum();
        let ess = total * total / w.iter().map(|w| w * w).sum::<f64>();
        assert!(ess > 1000.0, "effective sample size {ess}");
        for j in 0..2 {
            let z = |i: usize| f64::from(zs[2 * i + j]);
            let mean = (0..k).map(|i| w[i] * z(i)).sum::<f64>() / total;
            let se = (0..k)
                .map(|i| (w[i] * (z(i) - mean)).powi(2))
                .sum::<f64>()
                .sqrt()
                / total;
            assert!(
                (mean - grid_mean[j]).abs() < 4.0 * se + 1e-3,
                "E[z{j} | x]: importance sampling {mean} ± {se} vs grid {}",
                grid_mean[j]
            );
        }
    }
}

#[test]
fn closed_form_kl_matches_monte_carlo() {
    // KL(q ‖ N(0, I)) = E_q[log q(z) − log p(z)], estimated from 200 000 draws per example
    // with its standard error; the closed form (evaluate().kl) must lie within 4 of them.
    let (vae, data) = trained();
    let (mu, logvar) = vae.encode(&data).unwrap();
    let n = data.len() / 8;
    let mut rng = Random::new(11);
    let draws = 200_000;
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    for _ in 0..draws {
        let i = (rng.uniform() * n as f64) as usize % n;
        let mut diff = 0.0;
        for j in 0..2 {
            let (m, lv) = (f64::from(mu[2 * i + j]), f64::from(logvar[2 * i + j]));
            let e = rng.standard_normal();
            let z = m + (0.5 * lv).exp() * e;
            diff += -0.5 * (lv + e * e) + 0.5 * z * z; // log q − log p, the ln 2π cancel
        }
        sum += diff;
        sum_sq += diff * diff;
    }
    let mc = sum / draws as f64;
    let se = ((sum_sq / draws as f64 - mc * mc) / draws as f64).sqrt();
    let closed = f64::from(vae.evaluate(&data).unwrap().kl);
    assert!(
        closed > 0.1,
        "a trained model has a non-trivial KL ({closed})"
    );
    assert!(
        (mc - closed).abs() < 4.0 * se,
        "Monte Carlo {mc} ± {se} vs closed form {closed}"
    );
}

#[test]
fn grid_rejects_bad_inputs_by_name() {
    let (vae, data) = trained();
    let x = &data[..8];
    let name = |e: InputError| e.to_string();
    assert!(name(vae.exact_posterior_grid(x, 1, 3.0).unwrap_err()).contains('n'));
    assert!(vae.exact_posterior_grid(x, 401, 3.0).is_err());
    assert!(name(vae.exact_posterior_grid(x, 10, 0.0).unwrap_err()).contains("half_width"));
    assert!(name(vae.exact_posterior_grid(&data[..9], 10, 3.0).unwrap_err()).contains('x'));
    let v3 = Vae::new(8, 8, 3, Mode::Variational, 1).unwrap();
    assert!(name(v3.exact_posterior_grid(x, 10, 3.0).unwrap_err()).contains("latent"));
}
