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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::f64::consts::PI;

    #[test]
    fn one_kronrod_rule_is_exact_up_to_degree_22() {
        let single = Tolerance {
            max_intervals: 1,
            ..Tolerance::default()
        };
        for k in 0..=22 {
            let r = integrate_vec(|x| [x.powi(k)], &[0.0, 1.0], &single).unwrap();
            let want = 1.0 / f64::from(k + 1);
            assert!((r.value[0] - want).abs() < 4e-16, "x^{k}: {}", r.value[0]);
            assert_eq!(r.evaluations, 15);
        }
        // The embedded 7-point Gauss rule is exact to degree 13, so the error estimate is 0.
        let r = integrate_vec(|x| [x.powi(13)], &[-1.0, 2.0], &single).unwrap();
        let want = (2f64.powi(14) - 1.0) / 14.0;
        assert!(r.error[0] < 1e-15 * want && r.converged, "{}", r.error[0]);
        assert!((r.value[0] - want).abs() < 1e-15 * want);
        // Degree 24 is beyond the rule: one piece is not exact.
        // (On [−1, 1] the error is 5.7e-9, from the rule's weights in mpmath.)
        let r = integrate_vec(|x| [x.powi(24)], &[-1.0, 1.0], &single).unwrap();
        assert!((r.value[0] - 2.0 / 25.0).abs() > 1e-9);
    }

    #[test]
    fn known_integrals_to_1e_12() {
        type Case<'a> = (&'a dyn Fn(f64) -> f64, f64, f64, f64); // (f, a, b, ∫ₐᵇ f)
        let cases: [Case; 6] = [
            (&f64::sin, 0.0, PI, 2.0),
            (&|x: f64| 1.0 / (1.0 + x * x), 0.0, 1.0, PI / 4.0),
            (&|x: f64| (-x * x).exp(), -12.0, 12.0, PI.sqrt()),
            (&f64::sqrt, 0.0, 1.0, 2.0 / 3.0), // infinite slope at 0
            (&|x: f64| (20.0 * x).cos(), 0.0, 10.0, 200f64.sin() / 20.0),
            (&|x: f64| x.ln(), 1.0, 2.0, 2.0 * 2f64.ln() - 1.0),
        ];
        for (f, a, b, want) in cases {
            let got = integrate(f, a, b).unwrap();
            assert!(
                (got - want).abs() <= 1e-12 * want.abs(),
                "[{a}, {b}]: {got} vs {want}"
            );
        }
        assert_eq!(integrate(|x| x, 1.0, 1.0).unwrap(), 0.0);
        assert!((integrate(|x| x, 2.0, 0.0).unwrap() + 2.0).abs() < 1e-15);
    }

    #[test]
    fn vector_integrands_share_evaluations() {
        // Moments of N(0, 1): ∫φ = 1, ∫xφ = 0, ∫x²φ = 1, ∫x⁴φ = 3.
        let phi = |x: f64| (-0.5 * x * x).exp() / (2.0 * PI).sqrt();
        let points = gaussian_breakpoints(&[(0.0, 1.0)], 12.0);
        let r = integrate_vec(
            |x| [phi(x), x * phi(x), x * x * phi(x), x.powi(4) * phi(x)],
            &points,
            &Tolerance::default(),
        )
        .unwrap();
        let want = [1.0, 0.0, 1.0, 3.0];
        for (got, want) in r.value.iter().zip(want) {
            assert!((got - want).abs() < 1e-13, "{got} vs {want}");
        }
        assert!(r.converged);
    }

    #[test]
    fn narrow_peak_in_a_wide_range_is_found_through_breakpoints() {
        // N(7.3, 0.001²) on [−50, 50]: without a breakpoint near 7.3 the first rule would
        // sample only zeros there.
        let (mu, s) = (7.3, 1e-3);
        let f = |x: f64| (-0.5 * ((x - mu) / s).powi(2)).exp() / (s * (2.0 * PI).sqrt());
        let mut points = gaussian_breakpoints(&[(mu, s), (0.0, 50.0 / 12.0)], 12.0);
        points.sort_by(f64::total_cmp);
        assert_eq!((points[0], points[points.len() - 1]), (-50.0, 50.0));
        let r = integrate_vec(|x| [f(x)], &points, &Tolerance::default()).unwrap();
        assert!((r.value[0] - 1.0).abs() < 1e-12, "{}", r.value[0]);
    }

    #[test]
    fn bad_input_and_budget_exhaustion() {
        let tol = Tolerance::default();
        assert_eq!(
            integrate_vec(|x| [x], &[0.0, f64::INFINITY], &tol).unwrap_err(),
            InputError::BadInterval {
                lo: 0.0,
                hi: f64::INFINITY
            }
        );
        assert!(integrate(|x| x, f64::NAN, 1.0).is_err());
        let err = integrate(|x| 1.0 / x, -1.0, 1.0).unwrap_err();
        assert!(
            matches!(err, InputError::IntegrandNotFinite { x: 0.0, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("x = 0"), "{err}");
        // 1/√x has an integrable singularity: 2 subintervals cannot meet 1e-12.
        let small = Tolerance {
            max_intervals: 2,
            ..tol
        };
        let r = integrate_vec(|x| [1.0 / x.sqrt()], &[0.0, 1.0], &small).unwrap();
        assert!(!r.converged && r.error[0] > 1e-6);
        // Fewer than two distinct points: an empty range.
        let r = integrate_vec(|_| [1.0], &[3.0, 3.0], &tol).unwrap();
        assert_eq!((r.value[0], r.evaluations), (0.0, 0));
        assert_eq!(integrate_vec(|_| [1.0], &[], &tol).unwrap().value[0], 0.0);
        // NaN centres give NaN breakpoints, which are rejected rather than panicking.
        let points = gaussian_breakpoints(&[(f64::NAN, 1.0)], 12.0);
        assert!(integrate_vec(|_| [1.0], &points, &tol).is_err());
    }

    proptest! {
        #[test]
        fn gaussians_of_any_scale_integrate_to_one(
            mu in -1e3f64..1e3, log_s in -7.0f64..7.0, extra in -1e3f64..1e3,
        ) {
            let s = log_s.exp();
            let f = |x: f64| (-0.5 * ((x - mu) / s).powi(2)).exp() / (s * (2.0 * PI).sqrt());
            // A second, unrelated centre widens the range.
            let points = gaussian_breakpoints(&[(mu, s), (extra, 1.0)], 12.0);
            let r = integrate_vec(|x| [f(x)], &points, &Tolerance::default()).unwrap();
            prop_assert!(r.converged);
            // Far from 0, x − μ itself is only known to ε|μ|, i.e. to ε|μ|/σ in z-score:
            // that conditioning of the integrand, not the rule, sets the floor.
            let floor = 1e-12 + 10.0 * f64::EPSILON * mu.abs() / s;
            prop_assert!((r.value[0] - 1.0).abs() < floor, "{}", r.value[0]);
        }

        #[test]
        fn integral_is_additive_over_a_split(a in -3.0f64..3.0, w in 0.1f64..5.0, t in 0.0f64..1.0) {
            let f = |x: f64| (x.sin() + 2.0) * (-0.1 * x * x).exp();
            let (b, c) = (a + t * w, a + w);
            let whole = integrate(f, a, c).unwrap();
            let parts = integrate(f, a, b).unwrap() + integrate(f, b, c).unwrap();
            prop_assert!((whole - parts).abs() < 1e-12 * whole.abs().max(1.0));
        }
    }
}
