//! Fitting one Gaussian q = N(μ, σ²) to a mixture p, by forward KL (mass-covering, closed
//! form: moment matching) or reverse KL (mode-seeking, numerical: one fit per local optimum),
//! plus single gradient evaluations for animating gradient descent.
//!
//! Both are parameterised by (μ, ℓ) with ℓ = ln σ, so every (μ, ℓ) ∈ ℝ² is a valid Gaussian.

use crate::math::divergence::density::Density;
use crate::math::divergence::gaussian::{LN_SQRT_2PI, check_finite};
use crate::math::divergence::mixture::GaussianMixture;
use crate::math::quadrature::{Tolerance, integrate_vec};
use crate::math::{Code, InputError};

/// Largest |ln σ| accepted by the gradient functions (σ from e^−300 to e^300).
pub const LOG_SIGMA_LIMIT: f64 = 300.0;

/// A KL divergence between q = N(μ, e^{2ℓ}) and p, and its gradient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KlGradient {
    /// The divergence, in nats.
    pub value: f64,
    /// ∂KL/∂μ, per unit of x.
    pub d_mu: f64,
    /// ∂KL/∂ℓ with ℓ = ln σ (dimensionless).
    pub d_log_sigma: f64,
}

/// A Gaussian fitted to a mixture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GaussianFit {
    /// The fitted mean μ.
    pub mu: f64,
    /// The fitted standard deviation σ.
    pub sigma: f64,
    /// The divergence minimised, in nats, at (μ, σ).
    pub kl: f64,
}

/// Checks the parameters of q given to a public function.
fn check_params(mu: f64, log_sigma: f64) -> Result<(), InputError> {
    check_finite(mu, "mu", None)?;
    if log_sigma.is_nan() || log_sigma.abs() > LOG_SIGMA_LIMIT {
        return Err(InputError::OutOfRange {
            name: "log_sigma",
            value: log_sigma,
            rule: Code::LogSigmaRange,
        });
    }
    Ok(())
}

/// Forward KL, D_KL(p ‖ q) = ∫ p ln(p/q), and its gradient in (μ, ℓ = ln σ), in nats.
///
/// D_KL(p ‖ q) = −h(p) + ½ ln 2π + ℓ + S/(2σ²),  S = Var_p + (E_p\[x\] − μ)²
/// ∂/∂μ = −(E_p\[x\] − μ)/σ²,  ∂/∂ℓ = 1 − S/σ²
///
/// Only the entropy h(p) needs quadrature (it does not depend on q); the gradient is exact.
/// It vanishes exactly at moment matching, μ = E_p\[x\], σ² = Var_p. The value is clamped at
/// 0 (rounding can give −1e-16 when q = p). `mu` finite, |`log_sigma`| ≤ [`LOG_SIGMA_LIMIT`].
/// Cost: one quadrature of h(p), about 0.05 ms natively, so one call per animation frame
/// is fine.
pub fn forward_kl_gradient(
    p: &GaussianMixture,
    mu: f64,
    log_sigma: f64,
) -> Result<KlGradient, InputError> {
    check_params(mu, log_sigma)?;
    forward(p, mu, log_sigma)
}

/// [`forward_kl_gradient`] without the parameter checks.
fn forward(p: &GaussianMixture, mu: f64, log_sigma: f64) -> Result<KlGradient, InputError> {
    let inv_var = (-2.0 * log_sigma).exp(); // 1/σ²
    let offset = p.mean() - mu;
    let s = p.variance() + offset * offset;
    Ok(KlGradient {
        value: (-p.entropy()? + LN_SQRT_2PI + log_sigma + 0.5 * s * inv_var).max(0.0),
        d_mu: -offset * inv_var + 0.0, // + 0.0: never −0
        d_log_sigma: 1.0 - s * inv_var,
    })
}

/// The forward-KL optimum: the Gaussian with the mixture's mean and variance
/// (moment matching), which minimises D_KL(p ‖ q) over all Gaussians q.
pub fn fit_forward(p: &GaussianMixture) -> Result<GaussianFit, InputError> {
    let (mu, sigma) = (p.mean(), p.variance().sqrt());
    Ok(GaussianFit {
        mu,
        sigma,
        kl: forward(p, mu, sigma.ln())?.value,
    })
}

/// E_q[f] for q = N(μ, σ²): ∫ φ(ε) f(ε, ln p(z), s(z)) dε with z = μ + σε, φ the standard
/// normal density and s = d/dx ln p, over ε ∈ [−12, 12], split also at p's breakpoints
/// (its components, and where it switches component and s jumps).
fn expect_q<const N: usize>(
    p: &GaussianMixture,
    mu: f64,
    sigma: f64,
    f: impl Fn(f64, f64, f64) -> [f64; N],
) -> Result<[f64; N], InputError> {
    let mut points = vec![-12.0, -8.0, -4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0, 8.0, 12.0];
    for x in p.breakpoints() {
        let e = (x - mu) / sigma;
        if e.abs() < 12.0 {
            points.push(e);
        }
    }
    let integral = integrate_vec(
        |e| {
            let weight = (-0.5 * e * e - LN_SQRT_2PI).exp();
            let (lp, s, _) = p.log_pdf_derivatives_at(mu, sigma * e); // z − μₖ kept exact-ish
            f(e, lp, s).map(|v| weight * v)
        },
        &points,
        &Tolerance::default(),
    )?;
    Ok(integral.value)
}

/// Reverse KL, D_KL(q ‖ p) = E_q[ln q − ln p], and its gradient in (μ, ℓ = ln σ), in nats.
///
/// With z = μ + σε, ε ~ N(0, 1) (reparameterisation) and s = d/dx ln p (the score):
/// D_KL(q ‖ p) = −h(q) − E[ln p(z)],  h(q) = ½ ln(2πe) + ℓ
/// ∂/∂μ = −E[s(z)],  ∂/∂ℓ = −1 − σ E[ε s(z)]
///
/// The expectations are computed by adaptive quadrature over ε ∈ [−12, 12] (relative
/// error ~1e-12; about 0.1–0.3 ms natively, fine once per animation frame). The value is
/// clamped at 0. `mu` finite, |`log_sigma`| ≤ [`LOG_SIGMA_LIMIT`].
pub fn reverse_kl_gradient(
    p: &GaussianMixture,
    mu: f64,
    log_sigma: f64,
) -> Result<KlGradient, InputError> {
    check_params(mu, log_sigma)?;
    let sigma = log_sigma.exp();
    let [lp, s, es] = expect_q(p, mu, sigma, |e, lp, s| [lp, s, e * s])?;
    Ok(KlGradient {
        value: (-(0.5 + LN_SQRT_2PI + log_sigma) - lp).max(0.0),
        d_mu: -s,
        d_log_sigma: -1.0 - sigma * es,
    })
}

/// Reverse KL with its gradient g and Hessian H in (μ, ℓ), for Newton's method.
struct Local {
    value: f64,
    g: [f64; 2],
    h: [[f64; 2]; 2],
}

/// Differentiating g once more gives E[s′(z)·…]; Stein's identity E[h′(ε)·εᵏ] =
/// E[h(ε)·(εᵏ⁺¹ − kεᵏ⁻¹)] with h(ε) = s(μ + σε), h′ = σs′, moves the derivative off s:
/// H_μμ = −E[ε s]/σ,  H_μℓ = −E[(ε² − 1) s],  H_ℓℓ = −σE[(ε³ − ε) s].
/// (s′ has a spike wherever p switches component; s only jumps, which quadrature handles.)
fn reverse_local(p: &GaussianMixture, mu: f64, ls: f64) -> Result<Local, InputError> {
    let sigma = ls.exp();
    let [lp, s, es, e2s, e3s] = expect_q(p, mu, sigma, |e, lp, s| {
        [lp, s, e * s, e * e * s, e * e * e * s]
    })?;
    let h_ml = -(e2s - s);
    Ok(Local {
        value: -(0.5 + LN_SQRT_2PI + ls) - lp,
        g: [-s, -1.0 - sigma * es],
        h: [[-es / sigma, h_ml], [h_ml, -sigma * (e3s - es)]],
    })
}

mod newton;
pub use newton::{GRADIENT_TOLERANCE, SAME_OPTIMUM, fit_reverse};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::divergence::gaussian::Normal;
    use proptest::prelude::*;

    use crate::math::divergence::mixture::fixtures::{bimodal, trimodal};

    #[test]
    fn forward_fit_is_moment_matching_with_zero_gradient() {
        let p = bimodal();
        let fit = fit_forward(&p).unwrap();
        assert_eq!((fit.mu, fit.sigma), (0.0, 9.25f64.sqrt()));
        // mpmath, mp.dps = 30: -h(p) + log(2*pi*9.25)/2 + 1/2 (h(p) as in mixture.rs).
        assert!(
            (fit.kl - 1.112_311_778_767_937_5).abs() < 1e-11,
            "{}",
            fit.kl
        );
        for p in [bimodal(), trimodal()] {
            let fit = fit_forward(&p).unwrap();
            let g = forward_kl_gradient(&p, fit.mu, fit.sigma.ln()).unwrap();
            assert!(g.d_mu.abs() < 1e-15 && g.d_log_sigma.abs() < 1e-14, "{g:?}");
            assert_eq!(g.value, fit.kl);
        }
    }

    #[test]
    fn reverse_fit_finds_one_optimum_per_mode_and_the_broad_one() {
        // mpmath, mp.dps = 30: findroot of the reparameterised gradient (quad as in
        // density.rs) from (3, ln 0.5) and (0, ln 2.5); KL by quad at the root.
        let fits = fit_reverse(&bimodal()).unwrap();
        assert_eq!(fits.len(), 3, "{fits:?}");
        let (mode_mu, mode_sigma) = (2.999_999_990_758_344_6, 0.500_000_027_724_965_3);
        let mode_kl = 0.693_147_177_554_171_4;
        let mut mus = [fits[0].mu, fits[1].mu];
        mus.sort_by(f64::total_cmp);
        assert!(
            (mus[0] + mode_mu).abs() < 1e-8 && (mus[1] - mode_mu).abs() < 1e-8,
            "{mus:?}"
        );
        for fit in &fits[..2] {
            assert!((fit.sigma - mode_sigma).abs() < 1e-8, "{fit:?}");
            assert!((fit.kl - mode_kl).abs() < 1e-11, "{fit:?}");
        }
        // A third, much worse local minimum covers both modes (Hessian positive definite
        // there: it is not a saddle).
        let broad = fits[2];
        assert!(broad.mu.abs() < 1e-8 && (broad.sigma - 2.492_841_876_448_088).abs() < 1e-8);
        assert!(
            (broad.kl - 5.136_132_207_879_573).abs() < 1e-10,
            "{broad:?}"
        );
        for fit in &fits {
            let g = reverse_kl_gradient(&bimodal(), fit.mu, fit.sigma.ln()).unwrap();
            assert!(g.d_mu.hypot(g.d_log_sigma) < 1e-8, "{g:?}");
        }
    }

    #[test]
    fn reverse_fit_of_a_single_gaussian_is_itself() {
        let p = GaussianMixture::single(1.7, 0.3).unwrap();
        let fits = fit_reverse(&p).unwrap();
        assert_eq!(fits.len(), 1);
        assert!((fits[0].mu - 1.7).abs() < 1e-10 && (fits[0].sigma - 0.3).abs() < 1e-10);
        assert!(fits[0].kl.abs() < 1e-12);
    }

    #[test]
    fn reverse_fits_are_distinct_sorted_minima() {
        let p = trimodal();
        let fits = fit_reverse(&p).unwrap();
        assert!(!fits.is_empty());
        for pair in fits.windows(2) {
            assert!(pair[0].kl <= pair[1].kl);
            assert!(
                (pair[0].mu - pair[1].mu).abs() > 1e-6
                    || (pair[0].sigma - pair[1].sigma).abs() > 1e-6
            );
        }
        for fit in &fits {
            let at = |mu: f64, ls: f64| reverse_kl_gradient(&p, mu, ls).unwrap().value;
            let (mu, ls) = (fit.mu, fit.sigma.ln());
            // A minimum: every nearby point is higher.
            for (dm, dl) in [
                (1e-3, 0.0),
                (-1e-3, 0.0),
                (0.0, 1e-3),
                (0.0, -1e-3),
                (7e-4, 7e-4),
                (7e-4, -7e-4),
            ] {
                assert!(at(mu + dm, ls + dl) > fit.kl, "{fit:?}");
            }
            assert!(
                (p.reverse_kl(&Normal::new(mu, fit.sigma).unwrap()).unwrap() - fit.kl).abs()
                    < 1e-10
            );
        }
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = reverse_kl_gradient(&bimodal(), 0.0, 400.0).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("log_sigma is 400: it must lie in [-300, 300]"),
            "{err}"
        );
        assert!(forward_kl_gradient(&bimodal(), f64::NAN, 0.0).is_err());
        assert!(reverse_kl_gradient(&bimodal(), 0.0, f64::NEG_INFINITY).is_err());
    }

    fn mixture() -> impl Strategy<Value = GaussianMixture> {
        (1usize..=3).prop_flat_map(|n| {
            (
                prop::collection::vec(0.1f64..1.0, n),
                prop::collection::vec(-4.0f64..4.0, n),
                prop::collection::vec(0.3f64..2.0, n),
            )
                .prop_map(|(w, m, s)| {
                    let total: f64 = w.iter().sum();
                    let w: Vec<f64> = w.iter().map(|x| x / total).collect();
                    GaussianMixture::new(&w, &m, &s).unwrap()
                })
        })
    }

    /// Central differences of `f` in μ and ℓ, step `h`.
    fn finite_difference(f: impl Fn(f64, f64) -> f64, mu: f64, ls: f64, h: f64) -> (f64, f64) {
        (
            (f(mu + h, ls) - f(mu - h, ls)) / (2.0 * h),
            (f(mu, ls + h) - f(mu, ls - h)) / (2.0 * h),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(16))]

        #[test]
        fn reverse_fits_are_stationary_and_beat_every_start(p in mixture()) {
            let fits = fit_reverse(&p).unwrap();
            prop_assert!(!fits.is_empty());
            for fit in &fits {
                let g = reverse_kl_gradient(&p, fit.mu, fit.sigma.ln()).unwrap();
                prop_assert!((fit.sigma * g.d_mu).hypot(g.d_log_sigma) < 1e-8, "{fit:?} {g:?}");
            }
            // Newton only goes downhill, so the best fit is at least as good as every start.
            let moment = fit_forward(&p).unwrap();
            let starts = p.means().iter().zip(p.sigmas()).map(|(&m, &s)| (m, s));
            for (mu, sigma) in starts.chain([(moment.mu, moment.sigma)]) {
                let start = reverse_kl_gradient(&p, mu, sigma.ln()).unwrap().value;
                prop_assert!(fits[0].kl <= start + 1e-12, "{} > {start}", fits[0].kl);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn forward_gradient_matches_finite_differences(p in mixture(), mu in -4.0f64..4.0, ls in -1.0f64..1.5) {
            let g = forward_kl_gradient(&p, mu, ls).unwrap();
            let value = |m: f64, l: f64| forward_kl_gradient(&p, m, l).unwrap().value;
            let (dm, dl) = finite_difference(value, mu, ls, 1e-5);
            prop_assert!((g.d_mu - dm).abs() < 1e-6 * g.d_mu.abs().max(1.0), "{} vs {dm}", g.d_mu);
            prop_assert!((g.d_log_sigma - dl).abs() < 1e-6 * g.d_log_sigma.abs().max(1.0), "{} vs {dl}", g.d_log_sigma);
            let q = Normal::new(mu, ls.exp()).unwrap();
            prop_assert!((g.value - p.forward_kl(&q).unwrap()).abs() < 1e-10 * g.value.max(1.0));
        }

        #[test]
        fn reverse_gradient_matches_finite_differences(p in mixture(), mu in -4.0f64..4.0, ls in -1.0f64..1.5) {
            let g = reverse_kl_gradient(&p, mu, ls).unwrap();
            let value = |m: f64, l: f64| reverse_kl_gradient(&p, m, l).unwrap().value;
            let (dm, dl) = finite_difference(value, mu, ls, 1e-5);
            prop_assert!((g.d_mu - dm).abs() < 1e-6 * g.d_mu.abs().max(1.0), "{} vs {dm}", g.d_mu);
            prop_assert!((g.d_log_sigma - dl).abs() < 1e-6 * g.d_log_sigma.abs().max(1.0), "{} vs {dl}", g.d_log_sigma);
            let q = Normal::new(mu, ls.exp()).unwrap();
            prop_assert!((g.value - p.reverse_kl(&q).unwrap()).abs() < 1e-10 * g.value.max(1.0));
        }

        #[test]
        fn hessian_matches_finite_differences_of_the_gradient(p in mixture(), mu in -4.0f64..4.0, ls in -1.0f64..1.5) {
            let local = reverse_local(&p, mu, ls).unwrap();
            let h = 1e-5;
            let grad = |m: f64, l: f64| reverse_local(&p, m, l).unwrap().g;
            let (gp, gm) = (grad(mu + h, ls), grad(mu - h, ls));
            let (lp, lm) = (grad(mu, ls + h), grad(mu, ls - h));
            let fd = [
                [(gp[0] - gm[0]) / (2.0 * h), (gp[1] - gm[1]) / (2.0 * h)],
                [(lp[0] - lm[0]) / (2.0 * h), (lp[1] - lm[1]) / (2.0 * h)],
            ];
            for (exact_row, fd_row) in local.h.iter().zip(&fd) {
                for (&exact, &approx) in exact_row.iter().zip(fd_row) {
                    prop_assert!((exact - approx).abs() < 1e-5 * exact.abs().max(1.0), "{exact} vs {approx}");
                }
            }
        }
    }
}
