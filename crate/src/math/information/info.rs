//! Information content, entropy, and editing a distribution while keeping it normalised.

use crate::math::InputError;

/// How far Σpᵢ may be from 1 before a distribution is rejected (absolute).
pub const SUM_TOLERANCE: f64 = 1e-9;

/// ln(base), the divisor that turns nats into the unit of `base`.
///
/// `base` must be finite, > 0 and ≠ 1: 2 gives bits, e gives nats, 10 gives hartleys.
pub fn ln_base(base: f64) -> Result<f64, InputError> {
    if base.is_finite() && base > 0.0 && base != 1.0 {
        Ok(base.ln())
    } else {
        Err(InputError::BadBase { value: base })
    }
}

/// Information content (surprisal) of an event of probability `prob`, in units of `base`.
///
/// I(p) = −log_b p
///
/// Domain: p ∈ (0, 1]. I(1) = 0 exactly (never −0). Decreasing in p, and additive over
/// independent events: I(p₁·p₂) = I(p₁) + I(p₂).
pub fn information(prob: f64, base: f64) -> Result<f64, InputError> {
    let ln_b = ln_base(base)?;
    if !(prob > 0.0 && prob <= 1.0) {
        return Err(InputError::ProbabilityOutOfRange {
            name: "prob",
            value: prob,
            interval: "(0, 1]",
        });
    }
    Ok(-prob.ln() / ln_b + 0.0)
}

/// Checks that `p` is a probability distribution: non-empty, every entry finite and ≥ 0,
/// and |Σpᵢ − 1| ≤ [`SUM_TOLERANCE`]. `name` is used in the error message.
pub fn check_distribution(p: &[f64], name: &'static str) -> Result<(), InputError> {
    if p.is_empty() {
        return Err(InputError::Empty { name });
    }
    for (index, &value) in p.iter().enumerate() {
        if !value.is_finite() {
            return Err(InputError::NotFinite { name, index, value });
        }
        if value < 0.0 {
            return Err(InputError::Negative { name, index, value });
        }
    }
    let sum: f64 = p.iter().sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        return Err(InputError::NotNormalised { name, sum });
    }
    Ok(())
}

/// One outcome's share of the entropy, −p·ln p, in nats; 0·ln 0 = 0 (the limit as p → 0).
fn plogp_nats(p: f64) -> f64 {
    if p > 0.0 { -p * p.ln() } else { 0.0 }
}

/// Each outcome's contribution to the entropy, −pᵢ log_b pᵢ, in units of `base`.
///
/// **Input: probabilities** (checked by [`check_distribution`]). 0·log 0 = 0.
/// Each term lies in [0, 1/(e·ln b)], the maximum reached at pᵢ = 1/e.
pub fn entropy_terms(p: &[f64], base: f64) -> Result<Vec<f64>, InputError> {
    let ln_b = ln_base(base)?;
    check_distribution(p, "p")?;
    Ok(p.iter().map(|&pi| plogp_nats(pi) / ln_b + 0.0).collect())
}

/// Shannon entropy of a discrete distribution, in units of `base` (2: bits, e: nats).
///
/// H(p) = −Σᵢ pᵢ log_b pᵢ
///
/// **Input: probabilities** summing to 1 within [`SUM_TOLERANCE`]. 0·log 0 = 0, so zero
/// entries are allowed. 0 ≤ H(p) ≤ log_b n, with H = 0 exactly for a one-hot p and
/// H = log_b n for the uniform distribution.
pub fn entropy(p: &[f64], base: f64) -> Result<f64, InputError> {
    let ln_b = ln_base(base)?;
    check_distribution(p, "p")?;
    let nats: f64 = p.iter().map(|&pi| plogp_nats(pi)).sum();
    Ok(nats / ln_b + 0.0)
}

/// Sets pᵢ to `value` and rescales every other entry by the same factor so the total stays 1.
///
/// pⱼ ← pⱼ · (1 − v) / Σ_{k≠i} pₖ   for j ≠ i
///
/// If all the other entries are 0 they share 1 − v equally. `value` is clamped to [0, 1]
/// (and a single outcome always keeps probability 1);
/// `index` must be a whole number below `p.len()`. `p` must already be a distribution.
/// The result sums to 1 to within a few ulps.
pub fn set_probability(p: &[f64], index: f64, value: f64) -> Result<Vec<f64>, InputError> {
    check_distribution(p, "p")?;
    if !(index >= 0.0 && index.fract() == 0.0 && index < p.len() as f64) {
        return Err(InputError::IndexOutOfRange {
            name: "index",
            index,
            len: p.len(),
        });
    }
    if value.is_nan() {
        return Err(InputError::ProbabilityOutOfRange {
            name: "value",
            value,
            interval: "[0, 1]",
        });
    }
    let i = index as usize;
    // A single outcome can only hold probability 1.
    let v = if p.len() == 1 {
        1.0
    } else {
        value.clamp(0.0, 1.0)
    };
    let rest: f64 = p
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .map(|(_, &x)| x)
        .sum();
    let others = (p.len() - 1) as f64;
    let out = p
        .iter()
        .enumerate()
        .map(|(j, &x)| match j {
            _ if j == i => v,
            _ if rest > 0.0 => x * (1.0 - v) / rest,
            _ => (1.0 - v) / others,
        })
        .collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{E, LN_2};

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn information_closed_forms() {
        assert_eq!(information(0.5, 2.0).unwrap(), 1.0);
        assert_eq!(information(0.125, 2.0).unwrap(), 3.0);
        assert!(close(information(1.0 / E, E).unwrap(), 1.0, 1e-15));
        // I(1) = 0, and not −0 (which would print as "-0").
        let one = information(1.0, 2.0).unwrap();
        assert_eq!(one, 0.0);
        assert!(one.is_sign_positive());
    }

    #[test]
    fn information_is_decreasing_and_additive() {
        let ps = [1e-300, 1e-9, 0.01, 0.2, 0.5, 0.9, 1.0];
        for w in ps.windows(2) {
            assert!(information(w[0], 2.0).unwrap() > information(w[1], 2.0).unwrap());
        }
        for &(a, b) in &[(0.5, 0.25), (0.3, 0.7), (1e-5, 0.9), (1.0, 0.4)] {
            let sum = information(a, E).unwrap() + information(b, E).unwrap();
            assert!(close(information(a * b, E).unwrap(), sum, 1e-14));
        }
    }

    #[test]
    fn information_rejects_bad_input() {
        for bad in [0.0, -0.1, 1.0 + 1e-12, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                information(bad, 2.0),
                Err(InputError::ProbabilityOutOfRange { .. })
            ));
        }
        for bad in [1.0, 0.0, -2.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                information(0.5, bad),
                Err(InputError::BadBase { .. })
            ));
        }
        let msg = information(0.0, 2.0).unwrap_err().to_string();
        assert!(msg.contains("infinite information"), "{msg}");
    }

    #[test]
    fn entropy_of_uniform_is_log_n() {
        for n in 1..=64usize {
            let p = vec![1.0 / n as f64; n];
            assert!(
                close(entropy(&p, E).unwrap(), (n as f64).ln(), 1e-13),
                "n = {n}"
            );
            assert!(
                close(entropy(&p, 2.0).unwrap(), (n as f64).log2(), 1e-13),
                "n = {n}"
            );
        }
        let die = [1.0 / 6.0; 6];
        assert!(close(entropy(&die, 2.0).unwrap(), 6f64.log2(), 1e-15));
    }

    #[test]
    fn entropy_of_one_hot_is_exactly_zero() {
        for n in 1..10 {
            for hot in 0..n {
                let mut p = vec![0.0; n];
                p[hot] = 1.0;
                let h = entropy(&p, 2.0).unwrap();
                assert_eq!(h, 0.0);
                assert!(h.is_sign_positive());
            }
        }
    }

    #[test]
    fn zero_entries_contribute_nothing() {
        // 0·log 0 = 0: padding with zeros leaves H unchanged.
        let h = entropy(&[0.25, 0.75], 2.0).unwrap();
        assert_eq!(entropy(&[0.0, 0.25, 0.0, 0.75, 0.0], 2.0).unwrap(), h);
        assert_eq!(entropy_terms(&[0.0, 1.0], 2.0).unwrap(), vec![0.0, 0.0]);
    }

    #[test]
    fn binary_entropy_reference_values() {
        // H(0.1, 0.9) = −0.1 log₂ 0.1 − 0.9 log₂ 0.9, evaluated with mpmath at 50 digits.
        let h = entropy(&[0.1, 0.9], 2.0).unwrap();
        assert!(close(h, 0.468_995_593_589_281_2, 1e-15), "{h}");
        assert!(close(entropy(&[0.1, 0.9], E).unwrap(), h * LN_2, 1e-15));
    }

    #[test]
    fn terms_sum_to_entropy_and_peak_at_one_over_e() {
        let p = [0.1, 0.2, 0.3, 0.4];
        let terms = entropy_terms(&p, 2.0).unwrap();
        let sum: f64 = terms.iter().sum();
        assert!(close(sum, entropy(&p, 2.0).unwrap(), 1e-15));
        let max = 1.0 / (E * LN_2);
        assert!(terms.iter().all(|&t| (0.0..=max).contains(&t)));
        let at_peak = entropy_terms(&[1.0 / E, 1.0 - 1.0 / E], 2.0).unwrap()[0];
        assert!(close(at_peak, max, 1e-15));
    }

    #[test]
    fn distributions_are_checked() {
        assert_eq!(
            check_distribution(&[], "p"),
            Err(InputError::Empty { name: "p" })
        );
        assert!(matches!(
            check_distribution(&[0.5, f64::NAN, 0.5], "p"),
            Err(InputError::NotFinite { index: 1, .. })
        ));
        assert!(matches!(
            check_distribution(&[1.5, -0.5], "p"),
            Err(InputError::Negative { index: 1, .. })
        ));
        assert!(matches!(
            check_distribution(&[0.5, 0.4], "p"),
            Err(InputError::NotNormalised { .. })
        ));
        assert!(check_distribution(&[0.5, 0.5 + 0.9e-9], "p").is_ok());
        assert!(check_distribution(&[0.5, 0.5 + 1.1e-9], "p").is_err());
        let msg = entropy(&[0.5, 0.4], 2.0).unwrap_err().to_string();
        assert!(msg.contains("sums to 0.9"), "{msg}");
    }

    #[test]
    fn set_probability_rescales_the_others() {
        let p = set_probability(&[0.25, 0.25, 0.5], 0.0, 0.5).unwrap();
        assert_eq!(p[0], 0.5);
        assert!(close(p[1], 1.0 / 6.0, 1e-15) && close(p[2], 1.0 / 3.0, 1e-15));
        // The others keep their ratio 1 : 2.
        assert!(close(p[2] / p[1], 2.0, 1e-15));
        // From one-hot, the zeros share what is left equally.
        let p = set_probability(&[0.0, 1.0, 0.0], 1.0, 0.4).unwrap();
        assert_eq!(p, vec![0.3, 0.4, 0.3]);
        // Out-of-range values are clamped.
        assert_eq!(
            set_probability(&[0.5, 0.5], 1.0, 7.0).unwrap(),
            vec![0.0, 1.0]
        );
        assert!(set_probability(&[0.5, 0.5], 2.0, 0.1).is_err());
        assert!(set_probability(&[0.5, 0.5], 0.5, 0.1).is_err());
        assert!(set_probability(&[0.5, 0.5], 0.0, f64::NAN).is_err());
        // A single outcome can only hold probability 1.
        assert_eq!(set_probability(&[1.0], 0.0, 0.3).unwrap(), vec![1.0]);
    }
}
