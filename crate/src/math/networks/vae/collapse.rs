//! Posterior collapse: how much of the KL each latent dimension carries, and which dimensions
//! the encoder actually uses. A collapsed dimension has q(z_d | x) ≈ N(0, 1) for every x: its
//! KL is ≈ 0 and its posterior mean does not vary with x.
//!
//! The activity of dimension d is Burda, Grosse & Salakhutdinov's (2016) statistic
//! A_d = Cov_x(E_q[z_d | x]), the variance over the data set of the posterior mean μ_d(x); the
//! dimension is **active** when A_d > 0.01. Here the variance is the population one
//! (Σ (μ_d(x) − mean)² / n, over the n examples given), in f64.

use super::*;

/// Burda et al.'s threshold: a dimension is active when its activity exceeds it.
pub const ACTIVE_THRESHOLD: f64 = 0.01;

/// Per latent dimension, on a data set: its KL and its activity.
#[derive(Debug, Clone, PartialEq)]
pub struct LatentUsage {
    /// KL̄_d = mean over examples of ½(μ_d² + σ_d² − 1 − ln σ_d²), nats (Z values, each ≥ 0;
    /// their sum is the mean D_KL(q(z | x) ‖ N(0, I)); all 0 in autoencoder mode).
    pub kl: Vec<f64>,
    /// A_d = Var_x μ_d(x), the population variance of the posterior mean (Z values).
    pub activity: Vec<f64>,
    /// The number of dimensions with A_d > [`ACTIVE_THRESHOLD`].
    pub active: usize,
}

/// The population variance of each column of `mu` (n rows of `z` values), in f64: A_d.
pub fn activity(mu: &[f32], z: usize) -> Vec<f64> {
    let n = (mu.len() / z.max(1)) as f64;
    let mut mean = vec![0.0f64; z];
    for row in mu.chunks_exact(z) {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += f64::from(v) / n;
        }
    }
    let mut var = vec![0.0f64; z];
    for row in mu.chunks_exact(z) {
        for ((s, &m), &v) in var.iter_mut().zip(&mean).zip(row) {
            let d = f64::from(v) - m;
            *s += d * d / n;
        }
    }
    var
}

/// How many of `activity` exceed [`ACTIVE_THRESHOLD`].
pub fn count_active(activity: &[f64]) -> usize {
    activity.iter().filter(|&&a| a > ACTIVE_THRESHOLD).count()
}

impl Vae {
    /// The mean KL of each latent dimension over `data` (n, D), in f64 (see
    /// [`LatentUsage::kl`]), and the activity of each (see [`LatentUsage::activity`]).
    pub fn latent_usage(&self, data: &[f32]) -> Result<LatentUsage, InputError> {
        let n = self.check_data(data, "data")?;
        let z = self.latent();
        let (mu, logvar) = self.encode(data)?;
        let mut kl = vec![0.0f64; z];
        if self.mode == Mode::Variational {
            for (m, lv) in mu.chunks_exact(z).zip(logvar.chunks_exact(z)) {
                for ((k, &m), &lv) in kl.iter_mut().zip(m).zip(lv) {
                    let (m, lv) = (f64::from(m), f64::from(lv));
                    *k += 0.5 * (m * m + (lv.exp_m1() - lv)) / n as f64;
                }
            }
        }
        let activity = activity(&mu, z);
        let active = count_active(&activity);
        Ok(LatentUsage {
            kl,
            activity,
            active,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::toy_data;
    use super::*;
    use crate::math::divergence::gaussian::kl_diag_to_std_normal;

    #[test]
    fn activity_is_the_population_variance_by_hand() {
        // Three examples, two dimensions: μ₁ = 1, 2, 6 (mean 3; deviations −2, −1, 3;
        // squares 4, 1, 9; /3 = 14/3); μ₂ = 0.05, 0.05, −0.1 (mean 0; squares 0.0025,
        // 0.0025, 0.01; /3 = 0.005, under 0.01).
        let mu = [1.0, 0.05, 2.0, 0.05, 6.0, -0.1];
        let a = activity(&mu, 2);
        assert!((a[0] - 14.0 / 3.0).abs() < 1e-12, "{a:?}");
        assert!((a[1] - 0.005).abs() < 1e-9, "{a:?}");
        assert_eq!(count_active(&a), 1);
        // Strictly above the threshold: exactly 0.01 is not active.
        assert_eq!(count_active(&[0.01, 0.010_000_001, 0.0]), 1);
        // A constant column has activity 0.
        assert_eq!(activity(&[0.7, 0.7, 0.7], 1), vec![0.0]);
    }

    #[test]
    fn per_dimension_kl_sums_to_the_total_kl() {
        let data = toy_data();
        for latent in [1, 3] {
            let mut vae = Vae::new(8, 6, latent, Mode::Variational, 4).unwrap();
            for step in 0..30 {
                vae.train_step(&data, 1.0, 1e-2, step).unwrap();
            }
            let usage = vae.latent_usage(&data).unwrap();
            assert_eq!(usage.kl.len(), latent);
            assert!(usage.kl.iter().all(|&k| k >= 0.0), "{usage:?}");
            let total: f64 = usage.kl.iter().sum();
            // The bounds' KL: evaluate's f32 closed form, and the f64 closed form per image.
            let evaluated = f64::from(vae.evaluate(&data).unwrap().kl);
            assert!(
                (total - evaluated).abs() < 1e-5 * evaluated.max(1.0),
                "{total} vs {evaluated}"
            );
            let (mu, lv) = vae.encode(&data).unwrap();
            let n = data.len() / 8;
            let closed: f64 = mu
                .chunks(latent)
                .zip(lv.chunks(latent))
                .map(|(m, l)| {
                    let m: Vec<f64> = m.iter().map(|&v| f64::from(v)).collect();
                    let l: Vec<f64> = l.iter().map(|&v| f64::from(v)).collect();
                    kl_diag_to_std_normal(&m, &l).unwrap()
                })
                .sum::<f64>()
                / n as f64;
            assert!(
                (total - closed).abs() < 1e-9 * closed.max(1.0),
                "{total} vs {closed}"
            );
            assert_eq!(usage.activity, activity(&mu, latent));
            assert_eq!(usage.active, count_active(&usage.activity));
        }
        let ae = Vae::new(8, 6, 2, Mode::Autoencoder, 4).unwrap();
        assert_eq!(ae.latent_usage(&data).unwrap().kl, vec![0.0, 0.0]);
        assert!(ae.latent_usage(&data[..7]).is_err());
    }

    /// A 4-dimensional model on 3 images, moved off its initialisation so the dimensions'
    /// batch KLs differ; the noise, and the KL̄_d of each dimension on that batch.
    fn free_bits_case() -> (Vae, Vec<f32>, Vec<f32>, Vec<f64>) {
        let mut vae = Vae::new(6, 5, 4, Mode::Variational, 11).unwrap();
        let mut rng = Random::new(5);
        let mut p = vae.params();
        for v in &mut p {
            *v += 0.4 * rng.standard_normal() as f32;
        }
        vae.set_params(&p).unwrap();
        let x = vec![
            1.0, 0.0, 1.0, 1.0, 0.0, 0.0, //
            0.0, 1.0, 0.0, 0.3, 1.0, 1.0, //
            1.0, 1.0, 0.0, 0.0, 0.0, 0.7,
        ];
        let eps = vae.draw_eps(3, 9);
        let kl = vae.latent_usage(&x).unwrap().kl;
        (vae, x, eps, kl)
    }

    /// λ halfway across the widest gap between the sorted KL̄_d (so ±h moves cross no kink),
    /// and which dimensions it holds.
    fn lambda_between(kl: &[f64]) -> (f32, Vec<bool>) {
        let mut sorted = kl.to_vec();
        sorted.sort_by(f64::total_cmp);
        let (lo, hi) = sorted
            .windows(2)
            .map(|w| (w[0], w[1]))
            .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)))
            .unwrap();
        let lambda = (0.5 * (lo + hi)) as f32;
        (lambda, kl.iter().map(|&k| k <= f64::from(lambda)).collect())
    }

    #[test]
    fn free_bits_objective_is_the_sum_of_max_lambda_kl() {
        let (vae, x, eps, kl) = free_bits_case();
        let (lambda, held) = lambda_between(&kl);
        assert!(
            held.iter().any(|&h| h) && held.iter().any(|&h| !h),
            "{kl:?}"
        );
        let beta = 0.7;
        let free = Objective {
            beta,
            free_bits: lambda,
        };
        let (plain, _) = vae.objective_and_grad(&x, &eps, Objective::beta(beta));
        let (with, _) = vae.objective_and_grad(&x, &eps, free);
        assert_eq!((with.recon, with.kl), (plain.recon, plain.kl));
        let term: f64 = kl.iter().map(|&k| k.max(f64::from(lambda))).sum();
        let want = f64::from(with.recon) + f64::from(beta) * term;
        assert!(
            (f64::from(with.loss) - want).abs() < 1e-4,
            "{with:?} vs {want}"
        );
        // λ = 0 is the plain objective, bit for bit.
        let zero = Objective {
            beta,
            free_bits: 0.0,
        };
        assert_eq!(
            vae.objective_and_grad(&x, &eps, zero),
            vae.loss_and_grad(&x, &eps, beta)
        );
    }

    #[test]
    fn free_bits_gradient_matches_finite_differences_and_is_zero_under_lambda() {
        let (vae, x, eps, kl) = free_bits_case();
        let (lambda, held) = lambda_between(&kl);
        let objective = Objective {
            beta: 0.7,
            free_bits: lambda,
        };
        let (_, grads) = vae.objective_and_grad(&x, &eps, objective);
        let p = vae.params();
        let loss_at = |q: &[f32]| -> f64 {
            let mut m = vae.clone();
            m.set_params(q).unwrap();
            f64::from(m.objective_and_grad(&x, &eps, objective).0.loss)
        };
        let h = 1e-2f32;
        for (i, &a) in grads.iter().enumerate() {
            let mut q = p.clone();
            q[i] = p[i] + h;
            let up = loss_at(&q);
            q[i] = p[i] - h;
            let numeric = ((up - loss_at(&q)) / (2.0 * f64::from(h))) as f32;
            let tol = 1e-2 * a.abs().max(numeric.abs()) + 1e-3;
            assert!((a - numeric).abs() < tol, "param {i}: {a} vs {numeric}");
        }
        // The KL term's own gradient (free bits' minus β = 0's) vanishes for a held dimension's
        // encoder outputs and not for the others: the heads' biases μ_d and log σ²_d.
        let (_, recon_only) = vae.objective_and_grad(&x, &eps, Objective::beta(0.0));
        let z = vae.latent();
        let mu_bias = vae.enc.num_params() + vae.enc_mu.w.len();
        let lv_bias = mu_bias + z + vae.enc_logvar.w.len();
        for (d, &h) in held.iter().enumerate() {
            for i in [mu_bias + d, lv_bias + d] {
                let kl_part = grads[i] - recon_only[i];
                if h {
                    assert_eq!(kl_part, 0.0, "dimension {d} (held), param {i}");
                } else {
                    assert!(kl_part.abs() > 1e-4, "dimension {d}, param {i}: {kl_part}");
                }
            }
        }
        // A λ above every dimension's KL: the gradient is the reconstruction's alone.
        let all = Objective {
            beta: 0.7,
            free_bits: 100.0,
        };
        assert_eq!(vae.objective_and_grad(&x, &eps, all).1, recon_only);
    }

    #[test]
    fn a_bad_free_bits_is_a_coded_error_and_changes_nothing() {
        let (mut vae, x, _, _) = free_bits_case();
        let before = vae.params();
        for bad in [-0.1, f32::NAN, f32::INFINITY] {
            let objective = Objective {
                beta: 1.0,
                free_bits: bad,
            };
            let e = vae.train_step_with(&x, objective, 1e-2, 1).unwrap_err();
            assert!(
                matches!(
                    e,
                    InputError::OutOfRange {
                        rule: Code::FreeBits,
                        ..
                    }
                ),
                "{e:?}"
            );
        }
        assert_eq!(vae.params(), before);
    }
}
