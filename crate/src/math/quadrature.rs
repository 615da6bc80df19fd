//! Adaptive Gauss–Kronrod (7-15) integration on finite intervals, for scalar and
//! vector-valued integrands, plus breakpoints for integrands concentrated near Gaussians.

use crate::math::InputError;

/// Kronrod nodes on [−1, 1] (the positive half, descending; the 0 node last). Odd
/// indices 1, 3, 5 are also the 7-point Gauss nodes, as is 0. QUADPACK's values.
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights for [`XGK`].
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
/// Gauss weights for the nodes XGK[1], XGK[3], XGK[5], XGK[7].
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// When to stop subdividing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Absolute error target.
    pub abs: f64,
    /// Relative error target, as a fraction of |∫f|.
    pub rel: f64,
    /// Most subintervals to use before giving up (the result then has `converged: false`).
    pub max_intervals: usize,
}

impl Default for Tolerance {
    /// abs 1e-13, rel 1e-12, at most 2000 subintervals.
    fn default() -> Self {
        Self {
            abs: 1e-13,
            rel: 1e-12,
            max_intervals: 2000,
        }
    }
}

/// The result of integrating N functions at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Integral<const N: usize> {
    /// Estimates of ∫f_k.
    pub value: [f64; N],
    /// Estimated absolute errors, Σ |Kronrod − Gauss| over subintervals (conservative).
    pub error: [f64; N],
    /// Whether every component met the tolerance (or its rounding floor).
    pub converged: bool,
    /// Number of integrand evaluations.
    pub evaluations: usize,
}

/// One subinterval with its Kronrod estimate, error estimate and ∫|f|.
struct Piece<const N: usize> {
    lo: f64,
    hi: f64,
    value: [f64; N],
    error: [f64; N],
    abs: [f64; N],
}

/// Applies the 15-point Kronrod and 7-point Gauss rules to `f` on [lo, hi].
fn gk15<const N: usize>(
    f: &mut impl FnMut(f64) -> [f64; N],
    lo: f64,
    hi: f64,
) -> Result<Piece<N>, InputError> {
    let (centre, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
    let (mut kronrod, mut gauss, mut abs) = ([0.0; N], [0.0; N], [0.0; N]);
    for (j, (&x, &wk)) in XGK.iter().zip(&WGK).enumerate() {
        let points: &[f64] = if j == 7 {
            &[centre]
        } else {
            &[centre - half * x, centre + half * x]
        };
        for &t in points {
            let y = f(t);
            for k in 0..N {
                if !y[k].is_finite() {
                    return Err(InputError::IntegrandNotFinite { x: t, value: y[k] });
                }
                kronrod[k] += wk * y[k];
                abs[k] += wk * y[k].abs();
                if j % 2 == 1 {
                    gauss[k] += WG[j / 2] * y[k];
                }
            }
        }
    }
    let error = std::array::from_fn(|k| (half * (kronrod[k] - gauss[k])).abs());
    Ok(Piece {
        lo,
        hi,
        value: kronrod.map(|v| v * half),
        error,
        abs: abs.map(|v| v * half.abs()),
    })
}

/// Component-wise sum of a field over all pieces.
fn total<const N: usize>(pieces: &[Piece<N>], field: fn(&Piece<N>) -> &[f64; N]) -> [f64; N] {
    let mut sum = [0.0; N];
    for piece in pieces {
        for (s, v) in sum.iter_mut().zip(field(piece)) {
            *s += v;
        }
    }
    sum
}

/// Whether every component's total error is within max(abs, rel·|∫f|, 50ε·∫|f|).
fn meets<const N: usize>(pieces: &[Piece<N>], tol: &Tolerance) -> bool {
    let value = total(pieces, |p| &p.value);
    let error = total(pieces, |p| &p.error);
    let abs = total(pieces, |p| &p.abs);
    (0..N).all(|k| {
        let rounding_floor = 50.0 * f64::EPSILON * abs[k];
        error[k] <= tol.abs.max(tol.rel * value[k].abs()).max(rounding_floor)
    })
}

/// Integrates the vector-valued `f` from the smallest to the largest of `points`, starting
/// with one subinterval between each pair of neighbouring points and then repeatedly
/// halving the one with the largest error (relative to that component's ∫|f|).
///
/// ∫_{min points}^{max points} f(x) dx, each component separately
///
/// Stops when, for every component, Σ error ≤ max(tol.abs, tol.rel·|∫f|, 50ε·∫|f|) (the
/// last term is the rounding floor) or after `tol.max_intervals` subintervals
/// (`converged: false`). Fewer than two distinct points give 0. Points must be finite
/// (else [`InputError::BadInterval`]); `f` must return finite values there (else
/// [`InputError::IntegrandNotFinite`]). Exact for polynomials of degree ≤ 22 on each piece.
pub fn integrate_vec<const N: usize>(
    mut f: impl FnMut(f64) -> [f64; N],
    points: &[f64],
    tol: &Tolerance,
) -> Result<Integral<N>, InputError> {
    if points.iter().any(|x| !x.is_finite()) {
        // Report the range with any NaN kept (f64::min would drop it).
        let nan_min = |a: f64, b: f64| {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.min(b)
            }
        };
        let nan_max = |a: f64, b: f64| {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else {
                a.max(b)
            }
        };
        let lo = points.iter().copied().fold(f64::INFINITY, nan_min);
        let hi = points.iter().copied().fold(f64::NEG_INFINITY, nan_max);
        return Err(InputError::BadInterval { lo, hi });
    }
    let mut cuts = points.to_vec();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut pieces = Vec::new();
    for w in cuts.windows(2) {
        pieces.push(gk15(&mut f, w[0], w[1])?);
    }
    let mut rules = pieces.len(); // applications of the 15-point rule
    // Errors are compared across components relative to each one's initial ∫|f|.
    let norm = total(&pieces, |p| &p.abs).map(|a| if a > 0.0 { a } else { 1.0 });
    let score = |p: &Piece<N>| (0..N).map(|k| p.error[k] / norm[k]).fold(0.0, f64::max);
    let mut converged = meets(&pieces, tol);
    while !converged && pieces.len() < tol.max_intervals {
        let Some(worst) =
            (0..pieces.len()).max_by(|&i, &j| score(&pieces[i]).total_cmp(&score(&pieces[j])))
        else {
            break;
        };
        let (a, b) = (pieces[worst].lo, pieces[worst].hi);
        let mid = 0.5 * (a + b);
        if !(a < mid && mid < b) {
            break; // the interval cannot be split further in f64
        }
        pieces[worst] = gk15(&mut f, a, mid)?;
        pieces.push(gk15(&mut f, mid, b)?);
        rules += 2;
        converged = meets(&pieces, tol);
    }
    Ok(Integral {
        value: total(&pieces, |p| &p.value),
        error: total(&pieces, |p| &p.error),
        converged,
        evaluations: 15 * rules,
    })
}

/// ∫ₐᵇ f(x) dx for a scalar `f`, with the default [`Tolerance`] (relative 1e-12).
///
/// `a`, `b` finite; b < a gives −∫_b^a; a = b gives 0. See [`integrate_vec`] for the
/// method, stopping rule and errors.
pub fn integrate(mut f: impl FnMut(f64) -> f64, a: f64, b: f64) -> Result<f64, InputError> {
    let result = integrate_vec(|x| [f(x)], &[a, b], &Tolerance::default())?;
    Ok(if b < a {
        -result.value[0]
    } else {
        result.value[0]
    })
}

/// Half-width, in standard deviations, of the range integrated around each Gaussian.
pub const HALF_WIDTH: f64 = 12.0;

/// Breakpoints for integrating over the whole real line a function concentrated near
/// Gaussians N(μᵢ, σᵢ²): μᵢ + σᵢ·{0, ±1, ±2, ±4, ±8, ±`half_width`} for every (μᵢ, σᵢ) in
/// `centres`, clipped to [min(μᵢ − wσᵢ), max(μᵢ + wσᵢ)] with w = `half_width`.
///
/// With `half_width` = 12 the range drops tails where a Gaussian is below e^(−72) ≈ 5e-32
/// of its peak, negligible at 1e-12 relative for an integrand bounded by a Gaussian times
/// a polynomial. The interior points make sure every narrow peak is seen by the rule.
pub fn gaussian_breakpoints(centres: &[(f64, f64)], half_width: f64) -> Vec<f64> {
    let offsets = [0.0, 1.0, 2.0, 4.0, 8.0, half_width];
    let lo = centres
        .iter()
        .map(|&(mu, s)| mu - half_width * s)
        .fold(f64::INFINITY, f64::min);
    let hi = centres
        .iter()
        .map(|&(mu, s)| mu + half_width * s)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut points = Vec::with_capacity(centres.len() * 2 * offsets.len());
    for &(mu, s) in centres {
        for &o in &offsets {
            // Not clamp, which panics on NaN bounds; a NaN point stays NaN and is rejected.
            let clip = |x: f64| {
                if x < lo {
                    lo
                } else if x > hi {
                    hi
                } else {
                    x
                }
            };
            points.extend([clip(mu - o * s), clip(mu + o * s)]);
        }
    }
    points
}

#[cfg(test)]
mod tests;
