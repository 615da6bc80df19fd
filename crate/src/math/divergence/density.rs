//! The KL divergence between any two 1-D densities, by adaptive quadrature, and the forward
//! and reverse KL between a Gaussian mixture and a Gaussian.

use crate::math::InputError;
use crate::math::divergence::gaussian::Normal;
use crate::math::divergence::mixture::GaussianMixture;
use crate::math::quadrature::{Tolerance, gaussian_breakpoints, integrate_vec};

/// Half-width, in standard deviations, of the range integrated around each Gaussian.
pub const HALF_WIDTH: f64 = 12.0;

/// A 1-D probability density that can be integrated numerically.
pub trait Density {
    /// ln of the density at `x`, in nats; −∞ where the density is 0.
    fn log_pdf(&self, x: f64) -> f64;

    /// Finite integration breakpoints: the smallest and largest enclose all but a negligible
    /// fraction (< 1e-30) of the mass; those between mark where the density changes quickly.
    fn breakpoints(&self) -> Vec<f64>;
}

impl Density for Normal {
    fn log_pdf(&self, x: f64) -> f64 {
        Normal::log_pdf(self, x)
    }

    fn breakpoints(&self) -> Vec<f64> {
        gaussian_breakpoints(&[(self.mu(), self.sigma())], HALF_WIDTH)
    }
}

/// KL divergence of q from p for two 1-D densities, in nats, by adaptive quadrature.
///
/// D_KL(p ‖ q) = ∫ p(x) (ln p(x) − ln q(x)) dx
///
/// Integrated over p's breakpoint range (where p has its mass), split also at q's
/// breakpoints inside it, in the log domain so neither density underflows. The quadrature
/// targets relative error 1e-12 (against [`crate::math::divergence::gaussian::kl_normal`] the error measures
/// below 1e-15 · max(1, KL)). +∞ if q is 0 somewhere p is not; clamped at 0 (rounding can
/// give −1e-17 for q = p). Empty breakpoints for p give 0.
pub fn kl_density<P, Q>(p: &P, q: &Q) -> Result<f64, InputError>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    let mut points = p.breakpoints();
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        });
    points.extend(q.breakpoints().into_iter().filter(|&x| lo < x && x < hi));
    let mut q_excludes = false;
    let integral = integrate_vec(
        |x| {
            let lp = p.log_pdf(x);
            if lp == f64::NEG_INFINITY {
                return [0.0];
            }
            let lq = q.log_pdf(x);
            q_excludes |= lq == f64::NEG_INFINITY;
            [if lq == f64::NEG_INFINITY {
                0.0
            } else {
                lp.exp() * (lp - lq)
            }]
        },
        &points,
        &Tolerance::default(),
    )?;
    Ok(if q_excludes {
        f64::INFINITY
    } else {
        integral.value[0].max(0.0)
    })
}

/// Forward KL of a Gaussian q from a mixture p, D_KL(p ‖ q) = ∫ p ln(p/q), in nats, by
/// [`kl_density`]. "Mass-covering": large wherever p has mass that q misses.
pub fn forward_kl(p: &GaussianMixture, q: &Normal) -> Result<f64, InputError> {
    kl_density(p, q)
}

/// Reverse KL of a mixture p from a Gaussian q, D_KL(q ‖ p) = ∫ q ln(q/p), in nats, by
/// [`kl_density`]. "Mode-seeking": large wherever q puts mass that p lacks.
pub fn reverse_kl(q: &Normal, p: &GaussianMixture) -> Result<f64, InputError> {
    kl_density(q, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::divergence::gaussian::kl_normal;
    use proptest::prelude::*;
    use std::f64::consts::PI;

    /// The uniform density on [a, b]: a Density that is 0 outside an interval.
    struct Uniform(f64, f64);

    impl Density for Uniform {
        fn log_pdf(&self, x: f64) -> f64 {
            if (self.0..=self.1).contains(&x) {
                -(self.1 - self.0).ln()
            } else {
                f64::NEG_INFINITY
            }
        }

        fn breakpoints(&self) -> Vec<f64> {
            vec![self.0, self.1]
        }
    }

    use crate::math::divergence::mixture::fixtures::bimodal;

    #[test]
    fn mixture_kl_reference_values() {
        // mpmath, mp.dps = 30, p the mixture built from npdf:
        //   reverse: quad(lambda t: npdf(t)*(log(npdf(t)/s) - log(p(m + s*t))), pts) with pts
        //            0, ±1, ±2, ±4, ±8, ±14 and every (μₖ + j·σₖ − m)/s, j ∈ {0, ±1, ±2, ±4}
        //   forward at moment matching: -h(p) + log(2*pi*var)/2 + 1/2, h(p) as in mixture.rs
        let p = bimodal();
        let got = reverse_kl(&Normal::new(1.0, 2.0).unwrap(), &p).unwrap();
        assert!((got - 5.300_557_493_654_231).abs() < 1e-10, "{got}");
        let q = Normal::new(0.0, 9.25f64.sqrt()).unwrap();
        let got = forward_kl(&p, &q).unwrap();
        assert!((got - 1.112_311_778_767_937_5).abs() < 1e-10, "{got}");
        let tri =
            GaussianMixture::new(&[0.2, 0.5, 0.3], &[-2.0, 0.5, 4.0], &[0.4, 1.0, 0.6]).unwrap();
        let got = reverse_kl(&Normal::new(0.5, 1.5).unwrap(), &tri).unwrap();
        assert!((got - 0.360_836_829_553_862_54).abs() < 1e-10, "{got}");
    }

    #[test]
    fn a_density_with_bounded_support() {
        // KL(U[a, b] ‖ N(μ, σ²)) = −ln(b − a) + ½ ln(2πσ²) + E_U[(x − μ)²]/(2σ²).
        let (a, b, mu, s): (f64, f64, f64, f64) = (-1.0, 2.0, 0.3, 0.8);
        let second = ((b - mu).powi(3) - (a - mu).powi(3)) / (3.0 * (b - a));
        let want = -(b - a).ln() + 0.5 * (2.0 * PI * s * s).ln() + second / (2.0 * s * s);
        let got = kl_density(&Uniform(a, b), &Normal::new(mu, s).unwrap()).unwrap();
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        // The other way round q = U is 0 where p = N is not: infinite.
        let inf = kl_density(&Normal::new(mu, s).unwrap(), &Uniform(a, b)).unwrap();
        assert_eq!(inf, f64::INFINITY);
        // Through a trait object too.
        let dynamic: &dyn Density = &Uniform(a, b);
        assert_eq!(kl_density(dynamic, dynamic).unwrap(), 0.0);
    }

    #[test]
    fn single_gaussian_mixture_matches_the_closed_form() {
        let p = GaussianMixture::single(0.4, 1.3).unwrap();
        let q = Normal::new(-1.1, 0.6).unwrap();
        let closed = kl_normal(0.4, 1.3, -1.1, 0.6).unwrap();
        assert!((forward_kl(&p, &q).unwrap() - closed).abs() < 1e-10);
        let closed = kl_normal(-1.1, 0.6, 0.4, 1.3).unwrap();
        assert!((reverse_kl(&q, &p).unwrap() - closed).abs() < 1e-10);
    }

    proptest! {
        #[test]
        fn quadrature_kl_matches_kl_normal(
            m1 in -5.0f64..5.0, ls1 in -3.0f64..2.0, m2 in -5.0f64..5.0, ls2 in -3.0f64..2.0,
        ) {
            let (s1, s2) = (ls1.exp(), ls2.exp());
            let p = Normal::new(m1, s1).unwrap();
            let q = Normal::new(m2, s2).unwrap();
            let closed = kl_normal(m1, s1, m2, s2).unwrap();
            let numeric = kl_density(&p, &q).unwrap();
            prop_assert!((numeric - closed).abs() <= 1e-8 * closed.max(1.0), "{numeric} vs {closed}");
        }
    }
}
