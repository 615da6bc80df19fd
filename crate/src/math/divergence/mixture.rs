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
mod tests {
    use super::*;
    use crate::math::quadrature::integrate_vec;
    use proptest::prelude::*;
    use std::f64::consts::LN_2;

    use super::fixtures::{bimodal, trimodal};

    #[test]
    fn construction_is_validated_with_named_parameters() {
        let err = GaussianMixture::new(&[0.5, 0.5], &[0.0], &[1.0, 1.0]).unwrap_err();
        assert!(
            err.to_string()
                .contains("weights has 2 entries but means has 1"),
            "{err}"
        );
        let err = GaussianMixture::new(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 0.0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "sigmas[1] is 0: a standard deviation must be a finite number greater than 0"
        );
        let err = GaussianMixture::new(&[1.0], &[f64::NAN], &[1.0]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "means[0] is NaN: it must be a finite number"
        );
        assert!(matches!(
            GaussianMixture::new(&[0.5, 0.6], &[0.0, 1.0], &[1.0, 1.0]),
            Err(InputError::NotNormalised {
                name: "weights",
                ..
            })
        ));
        assert!(matches!(
            GaussianMixture::new(&[1.0 / 6.0; 6], &[0.0; 6], &[1.0; 6]),
            Err(InputError::TooMany { max: 5, .. })
        ));
        assert!(GaussianMixture::new(&[], &[], &[]).is_err());
        // Weights within the tolerance are rescaled to sum to 1.
        let m = GaussianMixture::new(&[0.5, 0.5 + 0.9e-9], &[0.0, 1.0], &[1.0, 1.0]).unwrap();
        assert!((m.weights().iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn moments_and_mass_match_quadrature() {
        for p in [bimodal(), trimodal()] {
            let moments = integrate_vec(
                |x| {
                    let d = p.pdf(x);
                    [d, x * d, x * x * d]
                },
                &p.breakpoints(),
                &Tolerance::default(),
            )
            .unwrap()
            .value;
            assert!((moments[0] - 1.0).abs() < 1e-13, "{moments:?}");
            assert!((moments[1] - p.mean()).abs() < 1e-12);
            let var = moments[2] - moments[1] * moments[1];
            assert!((var - p.variance()).abs() < 1e-11 * p.variance());
        }
        assert_eq!(bimodal().mean(), 0.0);
        assert_eq!(bimodal().variance(), 9.25); // σ² + 3² for both halves
    }

    #[test]
    fn log_pdf_is_stable_far_in_the_tails() {
        let p = bimodal();
        for x in [1e4, -1e4, 1e100] {
            // Only the nearer component matters; there ln p = ln ½ + ln N(x; ±3, ½²).
            let near = Normal::new(3.0f64.copysign(x), 0.5).unwrap();
            let want = -LN_2 + near.log_pdf(x);
            assert!(want.is_finite() && p.pdf(x) == 0.0);
            assert!((p.log_pdf(x) - want).abs() <= 1e-15 * want.abs(), "{x}");
        }
        assert_eq!(p.log_pdf(f64::INFINITY), f64::NEG_INFINITY);
        assert!(p.log_pdf(f64::NAN).is_nan());
        // Midway both components count equally.
        let mid = -LN_2 + Normal::new(3.0, 0.5).unwrap().log_pdf(0.0) + LN_2;
        assert!((p.log_pdf(0.0) - mid).abs() < 1e-14);
        // Zero-weight components are ignored.
        let q = GaussianMixture::new(&[1.0, 0.0], &[0.0, 5.0], &[1.0, 1e-3]).unwrap();
        assert_eq!(q.log_pdf(5.0), Normal::new(0.0, 1.0).unwrap().log_pdf(5.0));
    }

    #[test]
    fn entropy_reference_values() {
        // mpmath, mp.dps = 30: -quad(lambda x: p(x)*log(p(x)), pts) with p the mixture built
        // from npdf and pts = every μₖ + j·σₖ, j ∈ {0, ±1, ±2, ±4, ±8, ±14}.
        let h = bimodal().entropy().unwrap();
        assert!((h - 1.418_938_530_198_902_1).abs() < 1e-12, "{h}");
        let h = trimodal().entropy().unwrap();
        assert!((h - 2.009_559_639_277_726_6).abs() < 1e-12, "{h}");
        // A single component has the closed form ½ ln(2πeσ²).
        let single = GaussianMixture::single(1.0, 0.3)
            .unwrap()
            .entropy()
            .unwrap();
        assert!((single - Normal::new(1.0, 0.3).unwrap().entropy()).abs() < 1e-13);
    }

    #[test]
    fn offsets_keep_the_score_precise_far_from_zero() {
        // N(1000, 1e-4²) at x = 1000 + 3e-4: the score is −(x − μ)/σ² = −3e4. Forming x first
        // rounds x − μ to ε·1000 ≈ 1e-13, a relative error of ~4e-10 in the score.
        let p = GaussianMixture::single(1000.0, 1e-4).unwrap();
        let (_, score, slope) = p.log_pdf_derivatives_at(1000.0, 3e-4);
        assert!((score + 3e4).abs() < 1e-14 * 3e4, "{score}");
        assert!((slope + 1e8).abs() < 1e-14 * 1e8, "{slope}");
        let (_, rounded, _) = p.log_pdf_derivatives(1000.0 + 3e-4);
        assert!((rounded + 3e4).abs() > 1e-12 * 3e4, "{rounded}");
    }

    #[test]
    fn crossovers_of_a_symmetric_pair() {
        // Equal weights and widths: the takeover is midway, where the log-ratio
        // −(x + 3)²/(2·¼) + (x − 3)²/(2·¼) has slope −24.
        assert_eq!(bimodal().crossovers(), vec![(0.0, 1.0 / 24.0)]);
        // Identical components never cross over; a single component has no pairs.
        let twins = GaussianMixture::new(&[0.5, 0.5], &[1.0, 1.0], &[2.0, 2.0]).unwrap();
        assert!(twins.crossovers().is_empty());
        assert!(
            GaussianMixture::single(0.0, 1.0)
                .unwrap()
                .crossovers()
                .is_empty()
        );
    }

    fn mixture() -> impl Strategy<Value = GaussianMixture> {
        (1usize..=MAX_COMPONENTS).prop_flat_map(|n| {
            (
                prop::collection::vec(0.05f64..1.0, n),
                prop::collection::vec(-5.0f64..5.0, n),
                prop::collection::vec(0.2f64..3.0, n),
            )
                .prop_map(|(w, m, s)| {
                    let total: f64 = w.iter().sum();
                    let w: Vec<f64> = w.iter().map(|x| x / total).collect();
                    GaussianMixture::new(&w, &m, &s).unwrap()
                })
        })
    }

    proptest! {
        #[test]
        fn derivatives_match_finite_differences(p in mixture(), x in -8.0f64..8.0) {
            let (lp, score, slope) = p.log_pdf_derivatives(x);
            if p.pdf(x) > 1e-300 {
                // (Further out the density underflows; ln p stays finite.)
                prop_assert!((lp - p.pdf(x).ln()).abs() < 1e-12 * lp.abs().max(1.0));
            }
            let h = 1e-5;
            let fd_score = (p.log_pdf(x + h) - p.log_pdf(x - h)) / (2.0 * h);
            let fd_slope = (p.log_pdf_derivatives(x + h).1 - p.log_pdf_derivatives(x - h).1) / (2.0 * h);
            prop_assert!((score - fd_score).abs() < 1e-6 * score.abs().max(1.0), "{score} vs {fd_score}");
            prop_assert!((slope - fd_slope).abs() < 1e-6 * slope.abs().max(1.0), "{slope} vs {fd_slope}");
        }

        #[test]
        fn at_a_crossover_two_weighted_components_are_equal(p in mixture()) {
            let log_terms = |x: f64| -> Vec<f64> {
                (0..p.weights().len())
                    .map(|k| p.weights()[k].ln() + Normal::new(p.means()[k], p.sigmas()[k]).unwrap().log_pdf(x))
                    .collect()
            };
            for (x, width) in p.crossovers() {
                prop_assert!(width > 0.0);
                let l = log_terms(x);
                let equal_pair = (0..l.len()).any(|i| {
                    (i + 1..l.len()).any(|j| (l[i] - l[j]).abs() <= 1e-9 * l[i].abs().max(1.0))
                });
                prop_assert!(equal_pair, "x = {x}: {l:?}");
            }
        }

        #[test]
        fn variance_is_the_law_of_total_variance(p in mixture()) {
            // Var = E[Var | k] + Var[E | k], the second via E[x²] − E[x]² (fine at these sizes).
            let w = p.weights();
            let within: f64 = (0..w.len()).map(|k| w[k] * p.sigmas()[k].powi(2)).sum();
            let second: f64 = (0..w.len()).map(|k| w[k] * p.means()[k].powi(2)).sum();
            let between = second - p.mean().powi(2);
            prop_assert!((p.variance() - within - between).abs() < 1e-12 * p.variance().max(1.0));
        }
    }

    #[test]
    fn mixture_kl_reference_values() {
        // mpmath, mp.dps = 30, p the mixture built from npdf:
        //   reverse: quad(lambda t: npdf(t)*(log(npdf(t)/s) - log(p(m + s*t))), pts) with pts
        //            0, ±1, ±2, ±4, ±8, ±14 and every (μₖ + j·σₖ − m)/s, j ∈ {0, ±1, ±2, ±4}
        //   forward at moment matching: -h(p) + log(2*pi*var)/2 + 1/2, h(p) as in mixture.rs
        let p = fixtures::bimodal();
        let got = p.reverse_kl(&Normal::new(1.0, 2.0).unwrap()).unwrap();
        assert!((got - 5.300_557_493_654_231).abs() < 1e-10, "{got}");
        let q = Normal::new(0.0, 9.25f64.sqrt()).unwrap();
        let got = p.forward_kl(&q).unwrap();
        assert!((got - 1.112_311_778_767_937_5).abs() < 1e-10, "{got}");
        let tri =
            GaussianMixture::new(&[0.2, 0.5, 0.3], &[-2.0, 0.5, 4.0], &[0.4, 1.0, 0.6]).unwrap();
        let got = tri.reverse_kl(&Normal::new(0.5, 1.5).unwrap()).unwrap();
        assert!((got - 0.360_836_829_553_862_54).abs() < 1e-10, "{got}");
    }

    #[test]
    fn single_gaussian_mixture_matches_the_closed_form() {
        let p = GaussianMixture::single(0.4, 1.3).unwrap();
        let q = Normal::new(-1.1, 0.6).unwrap();
        let closed = crate::math::divergence::gaussian::kl_normal(0.4, 1.3, -1.1, 0.6).unwrap();
        assert!((p.forward_kl(&q).unwrap() - closed).abs() < 1e-10);
        let closed = crate::math::divergence::gaussian::kl_normal(-1.1, 0.6, 0.4, 1.3).unwrap();
        assert!((p.reverse_kl(&q).unwrap() - closed).abs() < 1e-10);
    }
}
