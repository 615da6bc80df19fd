//! The 1-D normal distribution N(μ, σ²): density, entropy and closed-form KL divergences,
//! written to stay accurate when the two distributions nearly coincide.

use super::InputError;

/// ½ ln(2π).
pub const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_7;

/// |u| below which series replace the closed forms (the next term is < 1e-17 of the sum).
const SERIES_LIMIT: f64 = 0.1;

/// Checks that `value` is a finite number.
pub(crate) fn check_finite(
    value: f64,
    name: &'static str,
    index: Option<usize>,
) -> Result<(), InputError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(InputError::NotFiniteNumber { name, index, value })
    }
}

/// Checks that `value` is a usable standard deviation: finite and > 0.
pub(crate) fn check_scale(
    value: f64,
    name: &'static str,
    index: Option<usize>,
) -> Result<(), InputError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(InputError::BadScale { name, index, value })
    }
}

/// ln N(x; μ, σ²) without checks; −∞ if the squared z-score overflows.
pub(crate) fn log_normal(x: f64, mu: f64, sigma: f64) -> f64 {
    let z = (x - mu) / sigma;
    -0.5 * z * z - sigma.ln() - LN_SQRT_2PI
}

/// Natural log of the normal density at `x`, in nats (a log-density, so it can be > 0).
///
/// ln N(x; μ, σ²) = −½ ((x − μ)/σ)² − ln σ − ½ ln(2π)
///
/// `x`, `mu` must be finite; `sigma` finite and > 0. Computed in the log domain, so it is
/// finite far into the tails where the density itself underflows to 0 (about 38σ out);
/// −∞ only if ((x − μ)/σ)² overflows.
pub fn log_density(x: f64, mu: f64, sigma: f64) -> Result<f64, InputError> {
    check_finite(x, "x", None)?;
    check_finite(mu, "mu", None)?;
    check_scale(sigma, "sigma", None)?;
    Ok(log_normal(x, mu, sigma))
}

/// Differential entropy of N(μ, σ²), in nats.
///
/// h = ½ ln(2πeσ²) = ½(1 + ln 2π) + ln σ
///
/// `sigma` finite and > 0. Unlike discrete entropy it can be negative (σ < 1/√(2πe) ≈ 0.242)
/// and does not depend on μ.
pub fn differential_entropy(sigma: f64) -> Result<f64, InputError> {
    check_scale(sigma, "sigma", None)?;
    Ok(0.5 + LN_SQRT_2PI + sigma.ln())
}

/// u − ln(1 + u) ≥ 0 for u > −1, via its series u²/2 − u³/3 + u⁴/4 − … near 0.
fn u_minus_ln1p(u: f64) -> f64 {
    if u.abs() < SERIES_LIMIT {
        // Σ_{k≥0} (−u)ᵏ / (k + 2), Horner, then times u².
        let acc = (0..=18u32)
            .rev()
            .fold(0.0, |acc, k| acc * -u + 1.0 / f64::from(k + 2));
        u * u * acc
    } else {
        u - u.ln_1p()
    }
}

/// KL divergence of N(μ₂, σ₂²) from N(μ₁, σ₁²), in nats.
///
/// D_KL(N₁ ‖ N₂) = ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½
///              = ½(u − ln(1 + u)) + ½((μ₁ − μ₂)/σ₂)²,  u = (σ₁ − σ₂)(σ₁ + σ₂)/σ₂²
///
/// Means finite, standard deviations finite and > 0. ≥ 0, and 0 exactly when the
/// parameters are equal. The second form keeps the relative error near 1e-15 when
/// σ₁/σ₂ = 1 ± 1e-9 and μ₁ ≈ μ₂, where the textbook form cancels to noise. +∞ if the
/// value overflows (e.g. σ₁/σ₂ > 1e154).
pub fn kl_normal(mu1: f64, sigma1: f64, mu2: f64, sigma2: f64) -> Result<f64, InputError> {
    check_finite(mu1, "mu1", None)?;
    check_scale(sigma1, "sigma1", None)?;
    check_finite(mu2, "mu2", None)?;
    check_scale(sigma2, "sigma2", None)?;
    let z = (mu1 - mu2) / sigma2;
    let mean_part = 0.5 * z * z;
    let rho = sigma1 / sigma2;
    // u = ρ² − 1 without forming ρ² − 1 (Sterbenz makes σ₁ − σ₂ exact when close).
    let u = ((sigma1 - sigma2) / sigma2) * ((sigma1 + sigma2) / sigma2);
    let scale_part = if u.abs() < 0.5 {
        0.5 * u_minus_ln1p(u)
    } else {
        // Far from 1 nothing cancels badly; ln ρ from the logs if ρ under/overflows.
        let ln_rho = if rho.is_normal() && rho.is_finite() {
            rho.ln()
        } else {
            sigma1.ln() - sigma2.ln()
        };
        0.5 * rho * rho - 0.5 - ln_rho
    };
    Ok(scale_part + mean_part)
}

/// e^v − 1 − v ≥ 0, via its series v²/2 + v³/6 + … near 0 (there exp_m1(v) − v cancels).
fn expm1_minus_x(v: f64) -> f64 {
    if v.abs() < SERIES_LIMIT {
        // Σ_{k≥0} vᵏ / (k + 2)!, Horner, then times v².
        let mut acc = 0.0;
        for k in (0..=14u32).rev() {
            acc = acc * v / f64::from(k + 3) + 1.0;
        }
        v * v * acc / 2.0
    } else {
        v.exp_m1() - v
    }
}

/// KL divergence of the standard normal N(0, I) from a diagonal Gaussian
/// N(μ, diag(e^logvar)), in nats: the VAE's regulariser.
///
/// D_KL = −½ Σⱼ (1 + logvarⱼ − μⱼ² − e^logvarⱼ) = ½ Σⱼ (μⱼ² + (e^logvarⱼ − 1 − logvarⱼ))
///
/// **Input: log-variances** (not σ), one per dimension, matching `mu` in length; all entries
/// finite. Each term is ≥ 0 and summed without cancellation, so the result is accurate to
/// ~1e-15 relative for logvar anywhere in [−30, 30] and for logvar ≈ 0. An empty `mu` is an
/// error (a latent vector has at least one dimension); the result is +∞ if e^logvar
/// overflows (logvar > 709).
pub fn kl_diag_to_std_normal(mu: &[f64], logvar: &[f64]) -> Result<f64, InputError> {
    if mu.len() != logvar.len() {
        return Err(InputError::LengthMismatch {
            name_a: "mu",
            len_a: mu.len(),
            name_b: "logvar",
            len_b: logvar.len(),
        });
    }
    if mu.is_empty() {
        return Err(InputError::Empty { name: "mu" });
    }
    for (i, (&m, &lv)) in mu.iter().zip(logvar).enumerate() {
        check_finite(m, "mu", Some(i))?;
        check_finite(lv, "logvar", Some(i))?;
    }
    let sum: f64 = mu
        .iter()
        .zip(logvar)
        .map(|(&m, &lv)| m * m + expm1_minus_x(lv))
        .sum();
    Ok(0.5 * sum)
}

/// A validated normal distribution N(μ, σ²).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normal {
    mu: f64,
    sigma: f64,
}

impl Normal {
    /// N(`mu`, `sigma`²); `mu` finite, `sigma` finite and > 0.
    pub fn new(mu: f64, sigma: f64) -> Result<Self, InputError> {
        check_finite(mu, "mu", None)?;
        check_scale(sigma, "sigma", None)?;
        Ok(Self { mu, sigma })
    }

    /// The mean μ.
    pub fn mu(&self) -> f64 {
        self.mu
    }

    /// The standard deviation σ.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// ln N(x; μ, σ²) in nats, as [`log_density`]; any `x` (NaN gives NaN, ±∞ gives −∞).
    pub fn log_pdf(&self, x: f64) -> f64 {
        log_normal(x, self.mu, self.sigma)
    }

    /// N(x; μ, σ²), per unit of x; underflows to 0 beyond about 38σ.
    pub fn pdf(&self, x: f64) -> f64 {
        self.log_pdf(x).exp()
    }

    /// Differential entropy ½ ln(2πeσ²) in nats, as [`differential_entropy`].
    pub fn entropy(&self) -> f64 {
        0.5 + LN_SQRT_2PI + self.sigma.ln()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_empty_latent_vector_is_rejected() {
        assert_eq!(
            kl_diag_to_std_normal(&[], &[]),
            Err(InputError::Empty { name: "mu" })
        );
    }

    use super::*;
    use crate::math::quadrature::integrate;
    use proptest::prelude::*;
    use std::f64::consts::{E, PI};

    fn rel_close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs()
    }

    // Reference values: mpmath, mp.dps = 50, on the exact f64 arguments (mpf(float(x))):
    //   kl_normal:  log(s2/s1) + (s1**2 + (m1 - m2)**2)/(2*s2**2) - mpf(1)/2
    //   log_density: -((x - m)/s)**2/2 - log(s) - log(2*pi)/2
    //   entropy:    log(2*pi*e*s**2)/2
    //   kl_diag:    sum(m**2 + exp(l) - 1 - l for m, l in zip(mu, logvar))/2
    // printed with mp.nstr(value, 20), then rounded to the nearest f64.
    #[test]
    fn kl_normal_reference_values() {
        let cases = [
            // (μ₁, σ₁, μ₂, σ₂, KL)
            (0.0, 1.0 + 1e-9, 0.0, 1.0, 1.000_000_165_147_415_4e-18),
            (0.0, 1.0 - 1e-9, 0.0, 1.0, 9.999_999_437_694_71e-19),
            (
                0.3,
                1.0 - 1e-9,
                0.3 + 1e-9,
                1.0,
                1.499_999_970_998_691_2e-18,
            ),
            (
                2.0,
                3.0,
                2.0,
                3.0 * (1.0 + 1e-12),
                1.000_177_809_066_328_4e-24,
            ),
            (1.5, 0.7, -0.4, 2.3, 1.077_107_696_363_439_4),
            (0.0, 1e-10, 0.0, 1.0, 22.525_850_929_940_457),
            (0.0, 1.0, 0.0, 1e-10, 5.0e19),
        ];
        for (m1, s1, m2, s2, want) in cases {
            let got = kl_normal(m1, s1, m2, s2).unwrap();
            assert!(
                rel_close(got, want, 1e-14),
                "{m1} {s1} {m2} {s2}: {got} vs {want}"
            );
        }
        assert_eq!(kl_normal(0.7, 1.3, 0.7, 1.3).unwrap(), 0.0);
    }

    #[test]
    fn textbook_formula_loses_the_nearly_equal_case() {
        // What kl_normal avoids: ln(σ₂/σ₁) + σ₁²/(2σ₂²) − ½ cancels to rounding noise.
        let s1: f64 = 1.0 + 1e-9;
        let textbook = (1.0 / s1).ln() + s1 * s1 / 2.0 - 0.5;
        assert!(
            !rel_close(textbook, 1.000_000_165_147_415_4e-18, 1e-2),
            "{textbook}"
        );
    }

    #[test]
    fn log_density_and_entropy_reference_values() {
        let cases = [
            (0.3, -1.2, 0.7, -2.858_181_956_612_879),
            (1e3, 0.0, 1.0, -500_000.918_938_533_2),
            (-50.0, 2.5, 1e-3, -1_378_124_994.011_183_3),
        ];
        for (x, mu, sigma, want) in cases {
            assert!(rel_close(log_density(x, mu, sigma).unwrap(), want, 1e-15));
        }
        assert!(rel_close(
            differential_entropy(2.0).unwrap(),
            2.112_085_713_764_618,
            1e-15
        ));
        let h = differential_entropy(0.1).unwrap();
        assert!(rel_close(h, -0.883_646_559_789_372_9, 1e-15), "{h}");
        // Entropy is ½ ln(2πeσ²) by definition.
        assert!(rel_close(
            Normal::new(3.0, 0.4).unwrap().entropy(),
            0.5 * (2.0 * PI * E * 0.16).ln(),
            1e-15
        ));
    }

    #[test]
    fn kl_diag_reference_values_including_extreme_logvar() {
        let cases: [(&[f64], &[f64], f64); 6] = [
            (&[0.0], &[30.0], 5_343_237_290_746.731),
            (&[0.0], &[-30.0], 14.500_000_000_000_046),
            (&[0.0], &[1e-9], 2.500_000_000_833_333_7e-19),
            (&[0.0], &[-1e-6], 2.499_999_166_666_874_6e-13),
            (&[1e-9], &[0.0], 5.0e-19),
            (
                &[0.5, -1.0, 0.0, 2.0],
                &[0.3, -2.0, 1e-7, -0.05],
                3.218_211_757_656_667_3,
            ),
        ];
        for (mu, lv, want) in cases {
            let got = kl_diag_to_std_normal(mu, lv).unwrap();
            assert!(
                rel_close(got, want, 1e-14),
                "{mu:?} {lv:?}: {got} vs {want}"
            );
        }
        assert_eq!(
            kl_diag_to_std_normal(&[0.0, 0.0], &[0.0, 0.0]).unwrap(),
            0.0
        );
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = kl_normal(0.0, 1.0, 0.0, -2.0).unwrap_err();
        assert_eq!(
            err,
            InputError::BadScale {
                name: "sigma2",
                index: None,
                value: -2.0
            }
        );
        assert!(
            err.to_string()
                .starts_with("sigma2 is -2: a standard deviation"),
            "{err}"
        );
        assert!(matches!(
            kl_normal(f64::NAN, 1.0, 0.0, 1.0),
            Err(InputError::NotFiniteNumber { name: "mu1", .. })
        ));
        assert!(matches!(
            log_density(0.0, 0.0, 0.0),
            Err(InputError::BadScale { name: "sigma", .. })
        ));
        assert!(matches!(
            log_density(f64::INFINITY, 0.0, 1.0),
            Err(InputError::NotFiniteNumber { name: "x", .. })
        ));
        assert!(differential_entropy(f64::INFINITY).is_err());
        assert!(Normal::new(0.0, f64::NAN).is_err());
        let err = kl_diag_to_std_normal(&[0.0, 1.0], &[0.0]).unwrap_err();
        assert!(
            err.to_string()
                .contains("mu has 2 entries but logvar has 1"),
            "{err}"
        );
        let err = kl_diag_to_std_normal(&[0.0, 1.0], &[0.0, f64::NAN]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "logvar[1] is NaN: it must be a finite number"
        );
    }

    #[test]
    fn density_integrates_to_one_and_kl_matches_quadrature() {
        let n = Normal::new(0.4, 0.3).unwrap();
        let mass = integrate(|x| n.pdf(x), 0.4 - 12.0 * 0.3, 0.4 + 12.0 * 0.3).unwrap();
        assert!((mass - 1.0).abs() < 1e-14, "{mass}");
        let q = Normal::new(-0.5, 0.8).unwrap();
        let by_quadrature =
            integrate(|x| n.pdf(x) * (n.log_pdf(x) - q.log_pdf(x)), -3.2, 4.0).unwrap();
        let closed = kl_normal(0.4, 0.3, -0.5, 0.8).unwrap();
        assert!(
            (by_quadrature - closed).abs() < 1e-12,
            "{by_quadrature} vs {closed}"
        );
    }

    #[test]
    fn kl_normal_matches_a_seeded_monte_carlo_estimate() {
        let (m1, s1, m2, s2) = (0.5, 1.2, -0.3, 0.9);
        let (p, q) = (Normal::new(m1, s1).unwrap(), Normal::new(m2, s2).unwrap());
        let mut rng = crate::math::rng::Random::new(20_240_917);
        let n = 200_000;
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for _ in 0..n {
            let x = m1 + s1 * rng.standard_normal();
            let d = p.log_pdf(x) - q.log_pdf(x);
            sum += d;
            sum_sq += d * d;
        }
        let mean = sum / n as f64;
        let std_error = ((sum_sq / n as f64 - mean * mean) / n as f64).sqrt();
        let closed = kl_normal(m1, s1, m2, s2).unwrap();
        assert!(
            (mean - closed).abs() < 4.0 * std_error,
            "{mean} ± {std_error} vs {closed}"
        );
    }

    proptest! {
        #[test]
        fn kl_normal_is_non_negative_and_matches_the_textbook_form(
            m1 in -5.0f64..5.0, s1 in 0.05f64..5.0, m2 in -5.0f64..5.0, s2 in 0.05f64..5.0,
        ) {
            let kl = kl_normal(m1, s1, m2, s2).unwrap();
            prop_assert!(kl >= 0.0);
            let textbook = (s2 / s1).ln() + (s1 * s1 + (m1 - m2).powi(2)) / (2.0 * s2 * s2) - 0.5;
            prop_assert!((kl - textbook).abs() <= 1e-13 * textbook.abs().max(1.0));
            prop_assert_eq!(kl_normal(m1, s1, m1, s1).unwrap(), 0.0);
        }

        #[test]
        fn kl_normal_is_invariant_to_shift_and_scale(
            m1 in -5.0f64..5.0, s1 in 0.1f64..5.0, m2 in -5.0f64..5.0, s2 in 0.1f64..5.0,
            shift in -100.0f64..100.0, scale in 0.01f64..100.0,
        ) {
            let kl = kl_normal(m1, s1, m2, s2).unwrap();
            let moved = kl_normal(scale * m1 + shift, scale * s1, scale * m2 + shift, scale * s2).unwrap();
            prop_assert!((kl - moved).abs() <= 1e-9 * kl.max(1e-3), "{kl} vs {moved}");
        }

        #[test]
        fn kl_diag_is_a_sum_of_one_dimensional_kls(
            mu in prop::collection::vec(-3.0f64..3.0, 1..6),
            lv in prop::collection::vec(-30.0f64..30.0, 6),
        ) {
            // KL(N(μ, σ²) ‖ N(0, 1)) per dimension, σ = e^(logvar/2).
            let lv = &lv[..mu.len()];
            let each: f64 = mu.iter().zip(lv).map(|(&m, &l)| kl_normal(m, (0.5 * l).exp(), 0.0, 1.0).unwrap()).sum();
            let all = kl_diag_to_std_normal(&mu, lv).unwrap();
            prop_assert!(all >= 0.0);
            prop_assert!((all - each).abs() <= 1e-12 * each.max(1.0), "{all} vs {each}");
        }
    }
}
