//! The exact posterior p(z | x) = p(x, z)/p(x) by adaptive quadrature in the log domain:
//! find where the joint's mass is, integrate exp(ln p(x, z) − max) there, add the max back.

use super::Model;
use crate::math::divergence::gaussian::check_finite;
use crate::math::quadrature::{Tolerance, gaussian_breakpoints, integrate_vec};
use crate::math::{Code, InputError};

/// Intervals of the coarse grid used to find the mass.
const GRID: usize = 1200;
/// How far below its maximum the log joint is still integrated (e^−80 ≈ 2e-35).
const DROP: f64 = 80.0;
/// Most local maxima given their own breakpoints.
const MAX_MODES: usize = 8;
/// Most points [`Model::posterior_on_grid`] returns.
pub const MAX_GRID_POINTS: usize = 1_000_000;

/// Where p(x, z) lives: its largest log value, the z there (the centre), and breakpoints.
struct Mass {
    max: f64,
    centre: f64,
    points: Vec<f64>,
}

impl Model {
    /// A half-width around 0 sure to hold every mode with 12 posterior sds to spare: the
    /// Gaussian mode is x/(1+σx²), the bimodal ones within √|x|, and the logistic one
    /// solves z = ±a·sigmoid(…) so |z| ≤ |a|.
    fn search_radius(&self, x: f64) -> f64 {
        12.0 + match *self {
            Self::Gaussian { .. } => x.abs(),
            Self::Bimodal { .. } => x.abs().sqrt(),
            Self::Logistic { a, .. } => a.abs(),
        }
    }

    /// Scans ln p(x, z) on a grid, refines each local maximum by bisection on the sign of
    /// ∂/∂z, and returns breakpoints covering {z : ln p(x, z) > max − DROP} plus
    /// mode ± {0, 1, 2, 4, 8, 12}·w for each mode, w = 1/√(−∂² ln p) (at most 1).
    fn locate(&self, x: f64) -> Mass {
        let r = self.search_radius(x);
        let at = |i: usize| -r + 2.0 * r * i as f64 / GRID as f64;
        let values: Vec<f64> = (0..=GRID).map(|i| self.lj(at(i), x)).collect();
        let mut modes = Vec::new();
        for i in 0..GRID {
            let (lo, hi) = (at(i), at(i + 1));
            if self.dlj(lo, x) > 0.0 && self.dlj(hi, x) <= 0.0 && modes.len() < MAX_MODES {
                modes.push(self.bisect_slope(lo, hi, x));
            }
        }
        let mut max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut centre = at(values.iter().position(|&v| v == max).unwrap_or(0));
        for &z in &modes {
            if self.lj(z, x) > max {
                (max, centre) = (self.lj(z, x), z);
            }
        }
        // The grid cells where the log joint is within DROP of the max, one cell wider.
        let inside = |&(_, v): &(usize, &f64)| *v > max - DROP;
        let first = values.iter().enumerate().find(inside).map_or(0, |(i, _)| i);
        let last = values
            .iter()
            .enumerate()
            .rfind(inside)
            .map_or(GRID, |(i, _)| i);
        let mut points = vec![at(first.saturating_sub(1)), at((last + 1).min(GRID))];
        let centres: Vec<(f64, f64)> = modes
            .iter()
            .map(|&z| {
                let curvature = -self.d2lj(z, x);
                let w = if curvature > 1.0 {
                    curvature.sqrt().recip()
                } else {
                    1.0
                };
                (z, w)
            })
            .collect();
        points.extend(gaussian_breakpoints(&centres, 12.0));
        Mass {
            max,
            centre,
            points,
        }
    }

    /// A zero of ∂/∂z ln p(x, z) in [lo, hi], given a slope > 0 at lo and ≤ 0 at hi.
    fn bisect_slope(&self, mut lo: f64, mut hi: f64, x: f64) -> f64 {
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if !(lo < mid && mid < hi) {
                break;
            }
            if self.dlj(mid, x) > 0.0 {
                lo = mid
            } else {
                hi = mid
            }
        }
        0.5 * (lo + hi)
    }

    /// ∫ exp(ln p(x, z) − mass.max) · f(z) dz for N functions f at once (the exponent taken
    /// as [`Model::lj_diff`] from the centre, so it is accurate even when both are huge).
    fn integrate_mass<const N: usize>(
        &self,
        x: f64,
        mass: &Mass,
        f: impl Fn(f64) -> [f64; N],
    ) -> Result<[f64; N], InputError> {
        let integrand = |z: f64| {
            let w = self.lj_diff(mass.centre, z - mass.centre, x).exp();
            f(z).map(|v| w * v)
        };
        Ok(integrate_vec(integrand, &mass.points, &Tolerance::default())?.value)
    }

    /// Log evidence (log marginal likelihood) ln p(x) = ln ∫ p(x | z) N(z; 0, 1) dz, in nats.
    ///
    /// Computed as M + ln ∫ exp(ln p(x, z) − M) dz with M the joint's maximum, by adaptive
    /// Gauss–Kronrod quadrature (relative error ~1e-12, so ln p(x) to ~1e-12 absolute) over
    /// the region where the joint is within e^−80 of M. Never underflows: x far in the tail
    /// gives a large negative number, not −∞. For the Gaussian model it matches
    /// [`Model::exact_log_evidence`]; for the logistic model p(0) + p(1) = 1.
    /// Model and `x` as in [`Model::log_joint`].
    pub fn log_evidence(&self, x: f64) -> Result<f64, InputError> {
        self.check_x(x)?;
        let mass = self.locate(x);
        let [z0] = self.integrate_mass(x, &mass, |_| [1.0])?;
        Ok(mass.max + z0.ln())
    }

    /// Posterior mean E[z | x] and variance Var[z | x] (units of z and z²), by quadrature:
    /// E[z] = c + ∫(z − c)p / ∫p,  Var = ∫(z − c)²p / ∫p − (E[z] − c)², with c the highest
    /// mode (centring avoids cancellation). Relative error ~1e-12. Model and `x` as in
    /// [`Model::log_joint`].
    pub fn posterior_moments(&self, x: f64) -> Result<(f64, f64), InputError> {
        self.check_x(x)?;
        let mass = self.locate(x);
        let c = mass.centre;
        let [z0, z1, z2] = self.integrate_mass(x, &mass, |z| {
            let d = z - c;
            [1.0, d, d * d]
        })?;
        let shift = z1 / z0;
        Ok((c + shift, (z2 / z0 - shift * shift).max(0.0)))
    }

    /// The posterior density p(z | x) = exp(ln p(x, z) − ln p(x)), per unit of z, at `n`
    /// evenly spaced points z_min, …, z_max (both included).
    ///
    /// `z_min` < `z_max`, both finite; 2 ≤ `n` ≤ [`MAX_GRID_POINTS`]. Far-out points give
    /// 0 (underflow), never NaN. Model and `x` as in [`Model::log_joint`].
    pub fn posterior_on_grid(
        &self,
        x: f64,
        z_min: f64,
        z_max: f64,
        n: usize,
    ) -> Result<Vec<f64>, InputError> {
        self.check_x(x)?;
        check_finite(z_min, "z_min", None)?;
        check_finite(z_max, "z_max", None)?;
        if z_max <= z_min {
            return Err(InputError::OutOfRange {
                name: "z_max",
                value: z_max,
                rule: Code::GridEnd,
            });
        }
        if !(2..=MAX_GRID_POINTS).contains(&n) {
            return Err(InputError::OutOfRange {
                name: "n",
                value: n as f64,
                rule: Code::GridPoints,
            });
        }
        let log_evidence = self.log_evidence(x)?;
        let step = (z_max - z_min) / (n - 1) as f64;
        Ok((0..n)
            .map(|i| (self.lj(z_min + step * i as f64, x) - log_evidence).exp())
            .collect())
    }
}
