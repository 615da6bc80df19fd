//! Divergences between two discrete distributions over the same outcomes: cross-entropy,
//! Kullback–Leibler, Jensen–Shannon and total variation.
//!
//! KL is summed as Σ qᵢ·φ(rᵢ) with rᵢ = (pᵢ − qᵢ)/qᵢ and φ(r) = (1 + r)·ln(1 + r) − r ≥ 0,
//! which equals Σ pᵢ ln(pᵢ/qᵢ) because Σ(qᵢ − pᵢ) = 0, but has no cancellation: every term
//! is ≥ 0 and accurate to a few ulps even when p and q agree to 9 digits.

use crate::math::InputError;
use crate::math::information::info::{check_distribution, ln_base};
use std::f64::consts::LN_2;

/// A divergence that may be infinite because q rules out an outcome that p allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Divergence {
    /// The value in units of the base asked for; +∞ (for base > 1) exactly when
    /// `infinite_at` is `Some`.
    pub value: f64,
    /// The first outcome i with qᵢ = 0 < pᵢ, the one that makes the value infinite.
    pub infinite_at: Option<usize>,
}

/// |r| below which φ(r) is summed as a Taylor series (one more term would add < 1e-20·φ).
pub(crate) const SERIES_LIMIT: f64 = 0.1;

/// φ(r) = (1 + r)·ln(1 + r) − r = Σ_{n≥2} (−r)ⁿ / (n(n − 1)) for |r| < [`SERIES_LIMIT`].
pub(crate) fn phi_series(r: f64) -> f64 {
    // Horner in −r over the coefficients 1/((k + 1)(k + 2)), k = 0..=18.
    let acc = (0..=18u32)
        .rev()
        .fold(0.0, |acc, k| acc * -r + 1.0 / f64::from((k + 1) * (k + 2)));
    r * r * acc
}

/// qᵢ·φ(rᵢ) = pᵢ ln(pᵢ/qᵢ) − pᵢ + qᵢ ≥ 0, in nats; needs q > 0, p ≥ 0.
fn kl_term_nats(p: f64, q: f64) -> f64 {
    if p == 0.0 {
        return q; // φ(−1) = 1
    }
    let r = (p - q) / q; // p − q is exact when p ≈ q (Sterbenz)
    if r.abs() < SERIES_LIMIT {
        return q * phi_series(r);
    }
    p * ln_ratio(p, q, r) - (p - q)
}

/// ln(p/q) for p, q > 0 given r = (p − q)/q: ln(1 + r) unless r is near −1 (where 1 + r
/// has lost p's digits) or overflows; then ln(p/q), or ln p − ln q if p/q under/overflows.
pub(crate) fn ln_ratio(p: f64, q: f64, r: f64) -> f64 {
    if r.is_finite() && r > -0.5 {
        return r.ln_1p();
    }
    let ratio = p / q;
    if ratio.is_normal() && ratio.is_finite() {
        ratio.ln()
    } else {
        p.ln() - q.ln()
    }
}

/// Checks both distributions and that they have the same number of outcomes.
fn check_pair(p: &[f64], q: &[f64]) -> Result<(), InputError> {
    check_distribution(p, "p")?;
    check_distribution(q, "q")?;
    if p.len() != q.len() {
        return Err(InputError::LengthMismatch {
            name_a: "p",
            len_a: p.len(),
            name_b: "q",
            len_b: q.len(),
        });
    }
    Ok(())
}

/// Sums finite per-outcome terms (in nats) unless some qᵢ = 0 < pᵢ makes the total infinite.
fn divergence(p: &[f64], q: &[f64], ln_b: f64, term: fn(f64, f64) -> f64) -> Divergence {
    if let Some(i) = p.iter().zip(q).position(|(&pi, &qi)| qi == 0.0 && pi > 0.0) {
        return Divergence {
            value: f64::INFINITY / ln_b,
            infinite_at: Some(i),
        };
    }
    let nats: f64 = p
        .iter()
        .zip(q)
        .filter(|&(_, &qi)| qi > 0.0) // here pᵢ = 0 too, contributing 0
        .map(|(&pi, &qi)| term(pi, qi))
        .sum();
    Divergence {
        value: nats / ln_b + 0.0,
        infinite_at: None,
    }
}

/// Cross-entropy of q relative to p, in units of `base`: the average code length when
/// outcomes drawn from p are coded with a code built for q.
///
/// H(p, q) = −Σᵢ pᵢ log_b qᵢ = H(p) + D_KL(p ‖ q)
///
/// **Input: probabilities**, both checked by [`check_distribution`], of equal length.
/// 0·log 0 = 0; the value is +∞ if some qᵢ = 0 < pᵢ, and `infinite_at` names the first
/// such i. H(p, q) ≥ H(p), with equality iff q = p.
pub fn cross_entropy(p: &[f64], q: &[f64], base: f64) -> Result<Divergence, InputError> {
    let ln_b = ln_base(base)?;
    check_pair(p, q)?;
    Ok(divergence(p, q, ln_b, |pi, qi| -pi * qi.ln()))
}

/// Kullback–Leibler divergence of q from p, in units of `base` (2: bits, e: nats).
///
/// D_KL(p ‖ q) = Σᵢ pᵢ log_b(pᵢ / qᵢ)
///
/// **Input: probabilities**, both checked by [`check_distribution`], of equal length.
/// 0·log(0/q) = 0. The value is +∞ if some qᵢ = 0 < pᵢ, and `infinite_at` names the first
/// such i. Never negative (Gibbs), 0 exactly when p = q, not symmetric.
///
/// Computed as Σ pᵢ ln(pᵢ/qᵢ) − pᵢ + qᵢ, each term ≥ 0, so the relative error stays near
/// 1e-15 even for p, q that differ by 1e-9 or hold probabilities like 1e-300. (For inputs
/// that sum to 1 only within the tolerance this is the generalised KL, still ≥ 0.)
pub fn kl_divergence(p: &[f64], q: &[f64], base: f64) -> Result<Divergence, InputError> {
    let ln_b = ln_base(base)?;
    check_pair(p, q)?;
    Ok(divergence(p, q, ln_b, kl_term_nats))
}

/// Each outcome's term of the KL divergence, pᵢ log_b(pᵢ / qᵢ), in units of `base`.
///
/// **Input: probabilities**, as for [`kl_divergence`]. A term is negative where pᵢ < qᵢ,
/// 0 where pᵢ = 0, and +∞ where qᵢ = 0 < pᵢ. The terms add up to D_KL(p ‖ q) up to
/// rounding (their sum can lose digits to cancellation; [`kl_divergence`] does not).
pub fn kl_terms(p: &[f64], q: &[f64], base: f64) -> Result<Vec<f64>, InputError> {
    let ln_b = ln_base(base)?;
    check_pair(p, q)?;
    let term = |pi: f64, qi: f64| match (pi, qi) {
        (0.0, _) => 0.0,
        (_, 0.0) => f64::INFINITY,
        _ => pi * ln_ratio(pi, qi, (pi - qi) / qi),
    };
    Ok(p.iter()
        .zip(q)
        .map(|(&pi, &qi)| term(pi, qi) / ln_b + 0.0)
        .collect())
}

/// ψ(a) = φ(a) + φ(−a) = (1 + a)ln(1 + a) + (1 − a)ln(1 − a) for a = |r| ∈ [0, 1]:
/// an even function, so the JS divergence is exactly symmetric. ψ(1) = 2 ln 2.
fn psi(r: f64) -> f64 {
    let a = r.abs();
    if a < SERIES_LIMIT {
        // Σ_{n even ≥ 2} 2aⁿ / (n(n − 1)) = a² + a⁴/6 + a⁶/15 + …, in powers of a².
        let a2 = a * a;
        let acc = (1..=9u32)
            .rev()
            .fold(0.0, |acc, k| acc * a2 + 1.0 / f64::from(k * (2 * k - 1)));
        a2 * acc
    } else if a >= 1.0 {
        2.0 * LN_2 // one of p, q is 0 here; avoids 0·ln 0
    } else {
        (1.0 + a) * a.ln_1p() + (1.0 - a) * (-a).ln_1p()
    }
}

/// Jensen–Shannon divergence, in units of `base`: the mean KL of p and q from their
/// average m = (p + q)/2.
///
/// JS(p, q) = ½ D_KL(p ‖ m) + ½ D_KL(q ‖ m)
///
/// **Input: probabilities**, both checked by [`check_distribution`], of equal length.
/// Always finite, exactly symmetric, 0 iff p = q, and at most ln 2 nats (1 bit), reached
/// when p and q have disjoint supports (the value is clamped to that bound, which rounding
/// of inputs normalised only within the tolerance could otherwise exceed by ~1e-9).
pub fn js_divergence(p: &[f64], q: &[f64], base: f64) -> Result<f64, InputError> {
    let ln_b = ln_base(base)?;
    check_pair(p, q)?;
    // With rᵢ = (pᵢ − qᵢ)/(pᵢ + qᵢ): KL(p‖m) + KL(q‖m) = Σ mᵢ (φ(rᵢ) + φ(−rᵢ)).
    let nats: f64 = p
        .iter()
        .zip(q)
        .filter(|&(&pi, &qi)| pi + qi > 0.0)
        .map(|(&pi, &qi)| 0.5 * (pi + qi) * psi((pi - qi) / (pi + qi)))
        .sum();
    Ok((0.5 * nats).min(LN_2) / ln_b + 0.0)
}

/// Total variation distance: the largest difference in probability that p and q can give
/// one event.
///
/// TV(p, q) = ½ Σᵢ |pᵢ − qᵢ|
///
/// **Input: probabilities**, both checked by [`check_distribution`], of equal length.
/// Unitless, symmetric, in [0, 1] (clamped there): 0 iff p = q, 1 iff the supports are
/// disjoint.
pub fn total_variation(p: &[f64], q: &[f64]) -> Result<f64, InputError> {
    check_pair(p, q)?;
    let sum: f64 = p.iter().zip(q).map(|(&pi, &qi)| (pi - qi).abs()).sum();
    Ok((0.5 * sum).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::information::info::entropy;
    use proptest::prelude::*;
    use std::f64::consts::E;

    /// |a − b| ≤ tol·|b|.
    fn rel_close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs()
    }

    fn kl(p: &[f64], q: &[f64]) -> f64 {
        kl_divergence(p, q, E).unwrap().value
    }

    // Reference values: mpmath with mp.dps = 50 on the exact f64 inputs (mpf(float(x))):
    //   KL = Σ (pᵢ·log(pᵢ/qᵢ) if pᵢ > 0 else 0) − pᵢ + qᵢ   (the generalised KL, equal to
    //        Σ pᵢ log(pᵢ/qᵢ) whenever Σpᵢ = Σqᵢ exactly, as in every case marked "exact sums")
    //   JS = Σ ½pᵢ·log(pᵢ/mᵢ) + ½qᵢ·log(qᵢ/mᵢ) with mᵢ = (pᵢ + qᵢ)/2, skipping zero terms
    //   H  = Σ −pᵢ·log(qᵢ) over pᵢ > 0
    // all in nats, printed with mp.nstr(value, 17).
    #[test]
    fn reference_values() {
        let p = [0.1, 0.2, 0.7];
        let q = [0.3, 0.3, 0.4];
        assert!(rel_close(kl(&p, &q), 0.200_776_801_066_351_97, 1e-15));
        assert!(rel_close(kl(&q, &p), 0.227_376_903_858_713_1, 1e-15));
        assert!(rel_close(
            js_divergence(&p, &q, E).unwrap(),
            0.051_912_259_238_103_5,
            1e-15
        ));
        let h = cross_entropy(&p, &q, E).unwrap().value;
        assert!(rel_close(h, 1.002_595_353_609_689_3, 1e-15));
        // In bits: divide by ln 2.
        let bits = kl_divergence(&p, &q, 2.0).unwrap().value;
        assert!(rel_close(bits, 0.289_659_695_223_975_93, 1e-15));
    }

    #[test]
    fn distributions_1e9_apart_keep_their_digits() {
        // Exact sums: 1 − a is exact for a ∈ [½, 1] (Sterbenz), and 0.25 ± 2⁻³⁰ are exact.
        let a = 0.5 + 1e-9;
        let (p, q) = ([a, 1.0 - a], [0.5, 0.5]);
        let want = 1.999_999_886_872_275_7e-18;
        assert!(rel_close(kl(&p, &q), want, 1e-13), "{}", kl(&p, &q));
        assert!(rel_close(kl(&q, &p), 1.999_999_886_872_275_8e-18, 1e-13));
        let js = js_divergence(&p, &q, E).unwrap();
        assert!(rel_close(js, 4.999_999_717_180_689e-19, 1e-13), "{js}");
        let d = 2f64.powi(-30);
        let (p, q) = ([0.25, 0.25, 0.5], [0.25 + d, 0.25 - d, 0.5]);
        assert!(rel_close(kl(&p, &q), 3.469_446_951_953_614e-18, 1e-13));
        let js = js_divergence(&p, &q, E).unwrap();
        assert!(rel_close(js, 8.673_617_379_884_035e-19, 1e-13), "{js}");
        // The naive Σ p ln(p/q) is dominated by rounding here: it has no correct digits.
        let naive: f64 = p.iter().zip(&q).map(|(pi, qi)| pi * (pi / qi).ln()).sum();
        assert!(
            !rel_close(naive, 3.469_446_951_953_614e-18, 1e-2),
            "{naive}"
        );
    }

    #[test]
    fn probabilities_down_to_1e_300_and_subnormals() {
        let cases: [([f64; 2], [f64; 2], f64, f64); 4] = [
            // (p, q, KL(p‖q), H(p, q))
            (
                [0.5, 0.5],
                [1e-300, 1.0],
                344.694_616_768_546_9,
                345.387_763_949_106_85,
            ),
            (
                [1e-300, 1.0],
                [3e-300, 1.0],
                9.013_877_113_318_905e-301,
                6.896_769_156_095_456e-298,
            ),
            // q₀ = 5e-324, the smallest subnormal: (p − q)/q overflows, ln p − ln q is used.
            (
                [0.5, 0.5],
                [5e-324, 1.0],
                371.526_888_780_130_69,
                372.220_035_960_690_6,
            ),
            (
                [1e-300, 1.0],
                [1e-310, 1.0],
                2.202_585_093_004_046e-299,
                7.138_013_788_281_542e-298,
            ),
        ];
        for (p, q, want_kl, want_h) in cases {
            let (got, h) = (kl(&p, &q), cross_entropy(&p, &q, E).unwrap().value);
            assert!(rel_close(got, want_kl, 1e-13), "{p:?} {q:?}: {got}");
            assert!(rel_close(h, want_h, 1e-13), "{p:?} {q:?}: {h}");
        }
        // KL([1e-300, 1] ‖ [½, ½]) = ln 2 + 1e-300·ln(2e-300) to 50 digits: ln 2 in f64.
        let d = kl(&[1e-300, 1.0], &[0.5, 0.5]);
        assert!(rel_close(d, std::f64::consts::LN_2, 1e-15), "{d}");
        let js = js_divergence(&[1e-300, 1.0], &[3e-300, 1.0], E).unwrap();
        assert!(rel_close(js, 2.616_240_718_822_739_6e-301, 1e-13), "{js}");
    }

    #[test]
    fn kl_is_infinite_where_q_rules_out_an_outcome_of_p() {
        let d = kl_divergence(&[0.2, 0.3, 0.5], &[0.5, 0.0, 0.5], 2.0).unwrap();
        assert_eq!(d.value, f64::INFINITY);
        assert_eq!(d.infinite_at, Some(1));
        let h = cross_entropy(&[0.2, 0.0, 0.3, 0.5], &[0.5, 0.5, 0.0, 0.0], 2.0).unwrap();
        assert_eq!((h.value, h.infinite_at), (f64::INFINITY, Some(2)));
        // 0·log(0/q) = 0: an outcome p never produces is free, even if q gives it 0.
        let d = kl_divergence(&[0.5, 0.0, 0.5], &[0.5, 0.0, 0.5], 2.0).unwrap();
        assert_eq!((d.value, d.infinite_at), (0.0, None));
        let terms = kl_terms(&[0.5, 0.0, 0.5], &[0.25, 0.75, 0.0], 2.0).unwrap();
        assert_eq!(terms, vec![0.5, 0.0, f64::INFINITY]);
        // The JS divergence is always finite: at most 1 bit, reached for disjoint supports.
        assert_eq!(js_divergence(&[1.0, 0.0], &[0.0, 1.0], 2.0).unwrap(), 1.0);
        assert_eq!(total_variation(&[1.0, 0.0], &[0.0, 1.0]).unwrap(), 1.0);
    }

    #[test]
    fn kl_terms_add_up_and_can_be_negative() {
        let (p, q) = ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]);
        let terms = kl_terms(&p, &q, E).unwrap();
        assert!(terms[0] < 0.0 && terms[1] < 0.0 && terms[2] > 0.0);
        assert!(rel_close(terms.iter().sum(), kl(&p, &q), 1e-14));
        assert!(rel_close(terms[0], 0.1 * (1.0f64 / 3.0).ln(), 1e-15));
    }

    #[test]
    fn bad_input_is_rejected_with_a_named_parameter() {
        let err = kl_divergence(&[0.5, 0.5], &[0.2, 0.3, 0.5], 2.0).unwrap_err();
        assert_eq!(
            err,
            InputError::LengthMismatch {
                name_a: "p",
                len_a: 2,
                name_b: "q",
                len_b: 3
            }
        );
        assert!(
            err.to_string().contains("p has 2 entries but q has 3"),
            "{err}"
        );
        assert!(matches!(
            js_divergence(&[0.5, 0.5], &[0.5, 0.6], 2.0),
            Err(InputError::NotNormalised { name: "q", .. })
        ));
        assert!(matches!(
            cross_entropy(&[0.5, f64::NAN], &[0.5, 0.5], 2.0),
            Err(InputError::NotFinite {
                name: "p",
                index: 1,
                ..
            })
        ));
        assert!(matches!(
            kl_terms(&[0.5, 0.5], &[0.5, 0.5], 1.0),
            Err(InputError::BadBase { .. })
        ));
        assert!(total_variation(&[], &[]).is_err());
    }

    fn normalise(w: Vec<f64>) -> Vec<f64> {
        let s: f64 = w.iter().sum();
        w.iter().map(|x| x / s).collect()
    }

    /// Some entries exactly 0, the rest spread over many orders of magnitude.
    fn distribution(len: usize) -> impl Strategy<Value = Vec<f64>> {
        let entry = prop_oneof![Just(0.0), 1e-12f64..1.0, 1e-300f64..1e-200];
        (prop::collection::vec(entry, len), 1e-6f64..1.0).prop_map(|(mut w, first)| {
            w[0] += first; // so the sum is not tiny
            normalise(w)
        })
    }

    /// Entries in [0.01, 1] before normalising.
    fn positive(len: usize) -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(0.01f64..1.0, len).prop_map(normalise)
    }

    fn pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
        (1usize..12).prop_flat_map(|n| (distribution(n), distribution(n)))
    }

    proptest! {
        #[test]
        fn kl_is_non_negative_and_zero_on_the_diagonal((p, q) in pair()) {
            let d = kl_divergence(&p, &q, 2.0).unwrap();
            prop_assert!(d.value >= 0.0);
            prop_assert_eq!(d.value.is_infinite(), d.infinite_at.is_some());
            if let Some(i) = d.infinite_at {
                prop_assert!(q[i] == 0.0 && p[i] > 0.0);
                prop_assert!(p[..i].iter().zip(&q[..i]).all(|(&a, &b)| b > 0.0 || a == 0.0));
            }
            let same = kl_divergence(&p, &p, 2.0).unwrap();
            prop_assert_eq!(same.value, 0.0);
            prop_assert!(same.value.is_sign_positive());
        }

        #[test]
        fn cross_entropy_is_entropy_plus_kl((p, q) in pair()) {
            let h = cross_entropy(&p, &q, 2.0).unwrap();
            let d = kl_divergence(&p, &q, 2.0).unwrap();
            prop_assert_eq!(h.infinite_at, d.infinite_at);
            if d.infinite_at.is_none() {
                let sum = entropy(&p, 2.0).unwrap() + d.value;
                prop_assert!((h.value - sum).abs() <= 1e-12 * sum.max(1.0), "{} vs {sum}", h.value);
            }
        }

        #[test]
        fn js_is_symmetric_and_bounded((p, q) in pair()) {
            let js = js_divergence(&p, &q, 2.0).unwrap();
            prop_assert!((0.0..=1.0).contains(&js));
            prop_assert_eq!(js, js_divergence(&q, &p, 2.0).unwrap());
            prop_assert_eq!(js_divergence(&p, &p, 2.0).unwrap(), 0.0);
            let nats = js_divergence(&p, &q, E).unwrap();
            prop_assert!(nats <= std::f64::consts::LN_2);
        }

        #[test]
        fn total_variation_is_a_bounded_metric((p, q) in pair()) {
            let tv = total_variation(&p, &q).unwrap();
            prop_assert!((0.0..=1.0).contains(&tv));
            prop_assert_eq!(tv, total_variation(&q, &p).unwrap());
            prop_assert_eq!(total_variation(&p, &p).unwrap(), 0.0);
            // Pinsker: TV ≤ √(KL/2), KL in nats.
            let d = kl(&p, &q);
            prop_assert!(tv <= (d / 2.0).sqrt() + 1e-12);
        }

        #[test]
        fn kl_agrees_with_the_naive_sum_when_that_is_accurate(
            (p, q) in (2usize..8).prop_flat_map(|n| (positive(n), positive(n)))
        ) {
            // Away from p ≈ q and from zeros, Σ p ln(p/q) has no bad cancellation.
            let naive: f64 = p.iter().zip(&q).map(|(a, b)| a * (a / b).ln()).sum();
            let d = kl(&p, &q);
            prop_assume!(d > 1e-3);
            prop_assert!(rel_close(d, naive, 1e-11), "{d} vs {naive}");
        }
    }
}
