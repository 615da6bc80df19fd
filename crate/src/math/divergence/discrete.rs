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
mod tests;
