//! Coin flips with bias θ: probability (θ fixed, data varies) versus likelihood (data fixed,
//! θ varies), the maximum-likelihood estimate, and why likelihoods are computed in logs.

use crate::math::random::Random;
use crate::math::{Code, InputError};

/// Largest number of flips for [`binomial_pmf`] and [`simulate`] (n + 1 bars, n draws).
pub const MAX_FLIPS: u64 = 10_000;

/// Largest number of factors [`naive_product`] will multiply (one per flip).
pub const MAX_NAIVE: u64 = 1_000_000;

/// Largest count accepted anywhere: whole numbers up to here are exact in f64.
const MAX_COUNT: f64 = 1e12;

/// Checks that `value` is a count of flips: a whole number ≥ 0 (and ≤ 10¹²). `name` is used
/// in the error message.
pub fn check_count(value: f64, name: &'static str) -> Result<u64, InputError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= MAX_COUNT {
        Ok(value as u64)
    } else {
        Err(InputError::OutOfRange {
            name,
            value,
            rule: Code::FlipCount,
        })
    }
}

/// Checks that `theta` is a probability of heads in [0, 1] (NaN is rejected).
pub fn check_theta(theta: f64, name: &'static str) -> Result<f64, InputError> {
    if (0.0..=1.0).contains(&theta) {
        Ok(theta)
    } else {
        Err(InputError::ProbabilityOutOfRange {
            name,
            value: theta,
            interval: "[0, 1]",
        })
    }
}

/// Checks that `n` is a count of flips no larger than [`MAX_FLIPS`].
fn check_flips(n: f64, name: &'static str) -> Result<u64, InputError> {
    let n = check_count(n, name)?;
    if n > MAX_FLIPS {
        return Err(InputError::OutOfRange {
            name,
            value: n as f64,
            rule: Code::TooManyFlips,
        });
    }
    Ok(n)
}

/// k · ln p with the convention 0 · ln 0 = 0 (the limit as p → 0); −∞ if k > 0 and p = 0.
fn xlogp(k: f64, p: f64) -> f64 {
    if k == 0.0 { 0.0 } else { k * p.ln() }
}

/// Log-likelihood of `heads` heads and `tails` tails under bias `theta`, in nats.
///
/// ln L(θ) = h · ln θ + t · ln(1 − θ)
///
/// θ ∈ [0, 1]; counts are whole numbers ≥ 0. 0 · ln 0 = 0, so ln L(0) = 0 for all-tails data
/// and ln L(1) = 0 for all-heads data; −∞ when θ ∈ {0, 1} rules out an observed outcome.
/// Always ≤ 0, and 0 for no data.
pub fn bernoulli_log_likelihood(heads: f64, tails: f64, theta: f64) -> Result<f64, InputError> {
    let h = check_count(heads, "heads")? as f64;
    let t = check_count(tails, "tails")? as f64;
    let theta = check_theta(theta, "theta")?;
    Ok(xlogp(h, theta) + xlogp(t, 1.0 - theta) + 0.0)
}

/// Log-likelihood ln L(θᵢ) for each θᵢ in `thetas` (see [`bernoulli_log_likelihood`]).
pub fn log_likelihood_curve(
    heads: f64,
    tails: f64,
    thetas: &[f64],
) -> Result<Vec<f64>, InputError> {
    thetas
        .iter()
        .map(|&theta| bernoulli_log_likelihood(heads, tails, theta))
        .collect()
}

/// Stirling's error δ(n) = ln n! − ln(√(2πn) · (n/e)ⁿ), for whole n ≥ 1 (Loader 2000).
///
/// Direct sums for n ≤ 15 (all terms small, so no cancellation); the asymptotic series
/// 1/(12n) − 1/(360n³) + 1/(1260n⁵) − … above that, accurate to f64 precision.
fn stirling_error(n: f64) -> f64 {
    const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8; // ln √(2π)
    if n <= 15.0 {
        let ln_fact: f64 = (2..=n as u64).map(|i| (i as f64).ln()).sum();
        return ln_fact - (n + 0.5) * n.ln() + n - LN_SQRT_2PI;
    }
    let (s0, s1, s2, s3, s4) = (
        1.0 / 12.0,
        1.0 / 360.0,
        1.0 / 1260.0,
        1.0 / 1680.0,
        1.0 / 1188.0,
    );
    let nn = n * n;
    if n > 500.0 {
        (s0 - s1 / nn) / n
    } else if n > 80.0 {
        (s0 - (s1 - s2 / nn) / nn) / n
    } else if n > 35.0 {
        (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n
    } else {
        (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
    }
}

/// The deviance term x · ln(x/m) + m − x ≥ 0, without cancellation when x ≈ m (Loader 2000).
fn deviance(x: f64, m: f64) -> f64 {
    if (x - m).abs() < 0.1 * (x + m) {
        // Series in v = (x − m)/(x + m): (x − m)·v + 2x·Σⱼ v²ʲ⁺¹/(2j + 1).
        let v = (x - m) / (x + m);
        let mut sum = (x - m) * v;
        let mut term = 2.0 * x * v;
        for j in 1..1000 {
            term *= v * v;
            let next = sum + term / f64::from(2 * j + 1);
            if next == sum {
                break;
            }
            sum = next;
        }
        sum
    } else {
        x * (x / m).ln() + m - x
    }
}

/// The binomial distribution: P(k heads in n flips | θ) for k = 0..=n.
///
/// P(k | n, θ) = C(n, k) · θᵏ · (1 − θ)ⁿ⁻ᵏ
///
/// Computed in logs by Loader's saddle-point form (as in R's `dbinom`): Stirling errors and
/// deviance terms replace ln n! − ln k! − ln (n−k)!, whose ~82,000-sized terms would cancel
/// and lose ~11 digits at n = 10,000. Relative error ~1e-15 per entry.
///
/// n ≤ [`MAX_FLIPS`]; θ ∈ [0, 1] (θ = 0 puts all the mass on k = 0, θ = 1 on k = n).
/// Sums to 1 over k (to within 1e-12); entries far in the tails may underflow to 0.
pub fn binomial_pmf(n: f64, theta: f64) -> Result<Vec<f64>, InputError> {
    let n = check_flips(n, "n")? as f64;
    let p = check_theta(theta, "theta")?;
    let q = 1.0 - p;
    const LN_2PI: f64 = 1.837_877_066_409_345_5; // ln 2π
    Ok((0..=n as u64)
        .map(|k| {
            let k = k as f64;
            if p == 0.0 || q == 0.0 {
                // A certain outcome: all heads (θ = 1) or all tails (θ = 0).
                return if (p == 0.0 && k == 0.0) || (q == 0.0 && k == n) {
                    1.0
                } else {
                    0.0
                };
            }
            if k == 0.0 {
                return (n * (-p).ln_1p()).exp();
            }
            if k == n {
                return (n * p.ln()).exp();
            }
            let lc = stirling_error(n)
                - stirling_error(k)
                - stirling_error(n - k)
                - deviance(k, n * p)
                - deviance(n - k, n * q);
            let lf = LN_2PI + k.ln() + (-k / n).ln_1p();
            (lc - 0.5 * lf).exp()
        })
        .collect())
}

/// The maximum-likelihood estimate of θ: θ̂ = h / (h + t), the observed fraction of heads.
///
/// It maximises ln L(θ) = h ln θ + t ln(1 − θ) over [0, 1] (the derivative h/θ − t/(1 − θ)
/// vanishes there). Undefined, and an error, when there are no flips.
pub fn mle(heads: f64, tails: f64) -> Result<f64, InputError> {
    let h = check_count(heads, "heads")? as f64;
    let t = check_count(tails, "tails")? as f64;
    if h + t == 0.0 {
        return Err(InputError::OutOfRange {
            name: "heads + tails",
            value: 0.0,
            rule: Code::MleNoFlips,
        });
    }
    Ok(h / (h + t))
}

/// The likelihood computed the naive way: ∏ᵢ P(xᵢ | θ), multiplying the h + t per-flip
/// probabilities (θ for heads, 1 − θ for tails) one at a time in f64.
///
/// Mathematically equal to exp(ln L(θ)), but every factor < 1 shrinks the running product,
/// which **underflows to exactly 0** once it drops below the smallest f64 (≈ 4.9·10⁻³²⁴):
/// 10,000 fair flips give 0.0, though ln L = −6931.47… nats is perfectly representable.
/// h + t ≤ [`MAX_NAIVE`].
pub fn naive_product(heads: f64, tails: f64, theta: f64) -> Result<f64, InputError> {
    let h = check_count(heads, "heads")?;
    let t = check_count(tails, "tails")?;
    let theta = check_theta(theta, "theta")?;
    if h + t > MAX_NAIVE {
        return Err(InputError::OutOfRange {
            name: "heads + tails",
            value: (h + t) as f64,
            rule: Code::NaiveProductFlips,
        });
    }
    let mut product = 1.0_f64;
    for _ in 0..h {
        product *= theta;
    }
    for _ in 0..t {
        product *= 1.0 - theta;
    }
    Ok(product)
}

/// Simulates `n` flips of a coin with P(heads) = `theta_true`; returns the number of heads.
///
/// Flip i is heads when the i-th uniform draw u ∈ [0, 1) of [`Random::new`]`(seed)` has
/// u < θ, so the same seed always gives the same count. n ≤ [`MAX_FLIPS`].
pub fn simulate(n: f64, theta_true: f64, seed: u64) -> Result<u64, InputError> {
    let n = check_flips(n, "n")?;
    let theta = check_theta(theta_true, "thetaTrue")?;
    let mut rng = Random::new(seed);
    Ok((0..n).filter(|_| rng.uniform() < theta).count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_likelihood_matches_the_formula() {
        let ll = bernoulli_log_likelihood(7.0, 3.0, 0.6).unwrap();
        assert!((ll - (7.0 * 0.6_f64.ln() + 3.0 * 0.4_f64.ln())).abs() < 1e-12);
        assert_eq!(bernoulli_log_likelihood(0.0, 0.0, 0.3).unwrap(), 0.0);
    }

    #[test]
    fn zero_log_zero_is_zero_and_contradictions_are_minus_infinity() {
        assert_eq!(bernoulli_log_likelihood(0.0, 5.0, 0.0).unwrap(), 0.0);
        assert_eq!(bernoulli_log_likelihood(5.0, 0.0, 1.0).unwrap(), 0.0);
        assert_eq!(
            bernoulli_log_likelihood(1.0, 5.0, 0.0).unwrap(),
            f64::NEG_INFINITY
        );
        assert_eq!(
            bernoulli_log_likelihood(5.0, 1.0, 1.0).unwrap(),
            f64::NEG_INFINITY
        );
    }

    #[test]
    fn ten_thousand_fair_flips_underflow_naively_but_not_in_logs() {
        assert_eq!(naive_product(5000.0, 5000.0, 0.5).unwrap(), 0.0);
        let ll = bernoulli_log_likelihood(5000.0, 5000.0, 0.5).unwrap();
        // −10000 ln 2 = −6931.471805599453 (ln 2 to 16 digits, times 10⁴).
        assert!((ll + 6931.471805599453).abs() < 1e-9, "{ll}");
        // Small data sets agree with exp(ln L).
        let naive = naive_product(3.0, 2.0, 0.7).unwrap();
        let exact = bernoulli_log_likelihood(3.0, 2.0, 0.7).unwrap().exp();
        assert!((naive - exact).abs() < 1e-15);
    }

    #[test]
    fn binomial_pmf_sums_to_one_and_matches_small_cases() {
        for &(n, theta) in &[
            (0.0, 0.3),
            (1.0, 0.5),
            (10.0, 0.3),
            (1000.0, 0.01),
            (10_000.0, 0.5),
            (10_000.0, 0.999),
        ] {
            let p = binomial_pmf(n, theta).unwrap();
            assert_eq!(p.len(), n as usize + 1);
            let sum: f64 = p.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "n = {n}, θ = {theta}: sum {sum}");
        }
        // C(4, 2) · 0.3² · 0.7² = 6 · 0.09 · 0.49 = 0.2646.
        assert!((binomial_pmf(4.0, 0.3).unwrap()[2] - 0.2646).abs() < 1e-14);
        assert_eq!(binomial_pmf(3.0, 0.0).unwrap(), vec![1.0, 0.0, 0.0, 0.0]);
        assert_eq!(binomial_pmf(3.0, 1.0).unwrap(), vec![0.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn mle_is_the_fraction_of_heads_and_maximises_the_log_likelihood() {
        assert_eq!(mle(7.0, 3.0).unwrap(), 0.7);
        let best = bernoulli_log_likelihood(7.0, 3.0, 0.7).unwrap();
        for i in 0..=100 {
            assert!(bernoulli_log_likelihood(7.0, 3.0, i as f64 / 100.0).unwrap() <= best);
        }
        assert!(mle(0.0, 0.0).is_err());
    }

    #[test]
    fn simulation_is_deterministic_per_seed_and_plausible() {
        let a = simulate(10_000.0, 0.3, 42).unwrap();
        assert_eq!(a, simulate(10_000.0, 0.3, 42).unwrap());
        // Mean 3000, standard deviation √(10000 · 0.21) ≈ 45.8: 5σ ≈ 230.
        assert!((a as f64 - 3000.0).abs() < 230.0, "{a}");
        assert_eq!(simulate(50.0, 0.0, 1).unwrap(), 0);
        assert_eq!(simulate(50.0, 1.0, 1).unwrap(), 50);
    }

    #[test]
    fn bad_inputs_name_the_parameter() {
        let msg = |e: InputError| e.to_string();
        assert!(msg(bernoulli_log_likelihood(1.0, 1.0, 1.5).unwrap_err()).starts_with("theta"));
        assert!(
            msg(bernoulli_log_likelihood(1.0, 1.0, f64::NAN).unwrap_err()).starts_with("theta")
        );
        assert!(msg(bernoulli_log_likelihood(-1.0, 1.0, 0.5).unwrap_err()).starts_with("heads"));
        assert!(msg(bernoulli_log_likelihood(1.0, 2.5, 0.5).unwrap_err()).starts_with("tails"));
        assert!(msg(binomial_pmf(10_001.0, 0.5).unwrap_err()).starts_with("n "));
        assert!(msg(simulate(5.0, -0.1, 0).unwrap_err()).starts_with("thetaTrue"));
    }
}
