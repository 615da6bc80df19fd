//! One-dimensional Gaussian mixtures, p(x) = Σₖ wₖ N(x; μₖ, σₖ²): density, log-density
//! and its derivatives, moments and entropy.

use crate::math::InputError;
use crate::math::divergence::density::{Density, kl_density};
use crate::math::divergence::gaussian::{LN_SQRT_2PI, Normal, check_finite, check_scale};
use crate::math::information::info::check_distribution;
use crate::math::quadrature::{HALF_WIDTH, Tolerance, gaussian_breakpoints, integrate_vec};

/// Most components a [`GaussianMixture`] may have.
pub const MAX_COMPONENTS: usize = 5;

/// A validated 1-D Gaussian mixture with 1..=[`MAX_COMPONENTS`] components.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture {
    weights: Vec<f64>,
    means: Vec<f64>,
    sigmas: Vec<f64>,
}

/// A component's log weight, mean and standard deviation.
type Component = (f64, f64, f64);

impl GaussianMixture {
    /// The mixture Σₖ wₖ N(μₖ, σₖ²) with `weights` wₖ, `means` μₖ and standard deviations
    /// `sigmas` σₖ (not variances).
    ///
    /// `weights` must be a distribution (checked by [`check_distribution`], so within
    /// [`crate::math::information::info::SUM_TOLERANCE`] of summing to 1) and are then divided by their sum, so
    /// the stored weights sum to 1 up to rounding. Zero weights are allowed (the component
    /// is ignored). All three lists have the same length, at most [`MAX_COMPONENTS`]; means
    /// finite; sigmas finite and > 0.
    pub fn new(weights: &[f64], means: &[f64], sigmas: &[f64]) -> Result<Self, InputError> {
        check_distribution(weights, "weights")?;
        if weights.len() > MAX_COMPONENTS {
            return Err(InputError::TooMany {
                name: "weights",
                len: weights.len(),
                max: MAX_COMPONENTS,
            });
        }
        for (name_b, other) in [("means", means), ("sigmas", sigmas)] {
            if other.len() != weights.len() {
                return Err(InputError::LengthMismatch {
                    name_a: "weights",
                    len_a: weights.len(),
                    name_b,
                    len_b: other.len(),
                });
            }
        }
        for (i, (&mu, &sigma)) in means.iter().zip(sigmas).enumerate() {
            check_finite(mu, "means", Some(i))?;
            check_scale(sigma, "sigmas", Some(i))?;
        }
        let sum: f64 = weights.iter().sum();
        Ok(Self {
            weights: weights.iter().map(|w| w / sum).collect(),
            means: means.to_vec(),
            sigmas: sigmas.to_vec(),
        })
    }

    /// A one-component "mixture" N(`mu`, `sigma`²).
    pub fn single(mu: f64, sigma: f64) -> Result<Self, InputError> {
        Self::new(&[1.0], &[mu], &[sigma])
    }

    /// The normalised weights wₖ.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The component means μₖ.
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// The component standard deviations σₖ.
    pub fn sigmas(&self) -> &[f64] {
        &self.sigmas
    }

    /// Components with wₖ > 0, as (ln wₖ, μₖ, σₖ).
    fn live(&self) -> impl Iterator<Item = Component> + '_ {
        (0..self.weights.len())
            .filter(|&k| self.weights[k] > 0.0)
            .map(|k| (self.weights[k].ln(), self.means[k], self.sigmas[k]))
    }

    /// ln p(x) in nats, by log-sum-exp: m + ln Σₖ exp(ln wₖ + ln N(x; μₖ, σₖ²) − m) with m
    /// the largest term, so it stays finite (≈ a quadratic in x) far into the tails where
    /// p(x) underflows. ±∞ gives −∞, NaN gives NaN.
    pub fn log_pdf(&self, x: f64) -> f64 {
        self.log_pdf_derivatives(x).0
    }

    /// p(x), per unit of x; 0 where it underflows.
    pub fn pdf(&self, x: f64) -> f64 {
        self.log_pdf(x).exp()
    }

    /// (ln p(x), d/dx ln p(x), d²/dx² ln p(x)): the log-density, the score and its slope.
    ///
    /// With responsibilities rₖ(x) ∝ wₖ N(x; μₖ, σₖ²) and aₖ = −(x − μₖ)/σₖ²:
    /// score s = Σ rₖ aₖ, and s′ = Σ rₖ (aₖ − s)² − Σ rₖ/σₖ² (a variance minus a mean
    /// precision, written without cancellation). The derivatives are NaN when x is not finite
    /// or so far out that every term underflows (ln p = −∞).
    pub fn log_pdf_derivatives(&self, x: f64) -> (f64, f64, f64) {
        self.log_pdf_derivatives_at(x, 0.0)
    }

    /// [`GaussianMixture::log_pdf_derivatives`] at x = `centre` + `offset`, with each x − μₖ
    /// formed as (`centre` − μₖ) + `offset`. When |x| ≫ σₖ, rounding x itself would cost
    /// ε|x|/σₖ in every z-score (the score s ≈ −z/σₖ would be noisy to ε|x|/σₖ²); here a
    /// small `offset` keeps its own relative precision.
    pub fn log_pdf_derivatives_at(&self, centre: f64, offset: f64) -> (f64, f64, f64) {
        if centre.is_nan() || offset.is_nan() {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let mut terms = [(f64::NEG_INFINITY, 0.0, 0.0); MAX_COMPONENTS]; // (log term, aₖ, 1/σₖ²)
        for (t, (ln_w, mu, sigma)) in terms.iter_mut().zip(self.live()) {
            let z = ((centre - mu) + offset) / sigma;
            *t = (
                ln_w - 0.5 * z * z - sigma.ln() - LN_SQRT_2PI,
                -z / sigma,
                1.0 / (sigma * sigma),
            );
        }
        let m = terms.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
        if m == f64::NEG_INFINITY {
            return (m, f64::NAN, f64::NAN);
        }
        let total: f64 = terms.iter().map(|t| (t.0 - m).exp()).sum();
        let r = |t: &(f64, f64, f64)| (t.0 - m).exp() / total;
        let score: f64 = terms.iter().map(|t| r(t) * t.1).sum();
        let slope: f64 = terms
            .iter()
            .map(|t| r(t) * ((t.1 - score) * (t.1 - score) - t.2))
            .sum();
        (m + total.ln(), score, slope)
    }

    /// Where one component takes over from another: each x with wᵢ N(x; μᵢ, σᵢ²) =
    /// wⱼ N(x; μⱼ, σⱼ²), for every pair with positive weights (0, 1 or 2 per pair), as
    /// (x, width) with width = 1/|d/dx ln(wᵢNᵢ/wⱼNⱼ)| at x, the distance over which the
    /// takeover happens (+∞ if the ratio is flat there).
    ///
    /// There ln p bends (a softened kink of that width) and the score d/dx ln p jumps, so
    /// these make good quadrature breakpoints. With x = μᵢ + t the condition is the quadratic
    /// A t² + B t + C = 0, A = 1/(2σⱼ²) − 1/(2σᵢ²), B = δ/σⱼ², C = ln(wᵢσⱼ/(wⱼσᵢ)) + δ²/(2σⱼ²),
    /// δ = μᵢ − μⱼ, solved without cancellation; the slope of the log-ratio is 2At + B.
    pub fn crossovers(&self) -> Vec<(f64, f64)> {
        let live: Vec<Component> = self.live().collect();
        let mut points = Vec::new();
        for (i, &(lwi, mi, si)) in live.iter().enumerate() {
            for &(lwj, mj, sj) in &live[i + 1..] {
                let delta = mi - mj;
                let a = 0.5 / (sj * sj) - 0.5 / (si * si);
                let b = delta / (sj * sj);
                let c = (lwi - si.ln()) - (lwj - sj.ln()) + 0.5 * (delta / sj).powi(2);
                let roots = if a == 0.0 {
                    [-c / b, f64::NAN]
                } else {
                    // q = −½(B + sign(B)√disc); roots q/A and C/q.
                    let disc = b * b - 4.0 * a * c;
                    let q = -0.5 * (b + b.signum() * disc.sqrt());
                    [q / a, c / q]
                };
                let found = roots.into_iter().filter(|t| t.is_finite());
                points.extend(found.map(|t| (mi + t, 1.0 / (2.0 * a * t + b).abs())));
            }
        }
        points
    }

    /// The mixture mean E[x] = Σₖ wₖ μₖ.
    pub fn mean(&self) -> f64 {
        self.weights
            .iter()
            .zip(&self.means)
            .map(|(w, m)| w * m)
            .sum()
    }

    /// The mixture variance Var[x] = Σₖ wₖ (σₖ² + (μₖ − E[x])²), a sum of non-negative terms
    /// (not E[x²] − E[x]², which cancels when the spread is small next to the mean).
    pub fn variance(&self) -> f64 {
        let mean = self.mean();
        (0..self.weights.len())
            .map(|k| self.weights[k] * (self.sigmas[k].powi(2) + (self.means[k] - mean).powi(2)))
            .sum()
    }

    /// Differential entropy h(p) = −∫ p(x) ln p(x) dx in nats, by quadrature (relative
    /// error ~1e-12; no closed form exists for a mixture). Can be negative.
    pub fn entropy(&self) -> Result<f64, InputError> {
        let integral = integrate_vec(
            |x| {
                let lp = self.log_pdf(x);
                [if lp == f64::NEG_INFINITY {
                    0.0
                } else {
                    -lp.exp() * lp
                }]
            },
            &self.breakpoints(),
            &Tolerance::default(),
        )?;
        Ok(integral.value[0])
    }

    /// Forward KL of a Gaussian q from this mixture p, D_KL(p ‖ q) = ∫ p ln(p/q), in nats, by
    /// [`kl_density`]. "Mass-covering": large wherever p has mass that q misses.
    pub fn forward_kl(&self, q: &Normal) -> Result<f64, InputError> {
        kl_density(self, q)
    }

    /// Reverse KL of this mixture p from a Gaussian q, D_KL(q ‖ p) = ∫ q ln(q/p), in nats, by
    /// [`kl_density`]. "Mode-seeking": large wherever q puts mass that p lacks.
    pub fn reverse_kl(&self, q: &Normal) -> Result<f64, InputError> {
        kl_density(q, self)
    }
}

impl Density for GaussianMixture {
    fn log_pdf(&self, x: f64) -> f64 {
        GaussianMixture::log_pdf(self, x)
    }

    /// Each live component's μₖ + σₖ·{0, ±1, ±2, ±4, ±8, ±12}, plus each of the
    /// [`GaussianMixture::crossovers`] x and x ± {1, 4, 16}·width, inside that range (so a
    /// takeover much narrower than the pieces around it is still sampled).
    fn breakpoints(&self) -> Vec<f64> {
        let centres: Vec<(f64, f64)> = self.live().map(|(_, mu, s)| (mu, s)).collect();
        let mut points = gaussian_breakpoints(&centres, HALF_WIDTH);
        let (lo, hi) = points
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        for (x, width) in self.crossovers() {
            let around = [0.0, 1.0, -1.0, 4.0, -4.0, 16.0, -16.0].map(|k| x + k * width);
            points.extend(around.into_iter().filter(|&y| lo < y && y < hi));
        }
        points
    }
}

/// Mixtures shared by the tests of this module, `fit` and `density`.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::GaussianMixture;

    /// 0.5·N(−3, 0.5²) + 0.5·N(3, 0.5²): two well-separated, equal modes.
    pub(crate) fn bimodal() -> GaussianMixture {
        GaussianMixture::new(&[0.5, 0.5], &[-3.0, 3.0], &[0.5, 0.5]).unwrap()
    }

    /// Three unequal modes.
    pub(crate) fn trimodal() -> GaussianMixture {
        GaussianMixture::new(&[0.2, 0.5, 0.3], &[-2.0, 0.5, 4.0], &[0.4, 1.0, 0.6]).unwrap()
    }
}

#[cfg(test)]
mod tests;
