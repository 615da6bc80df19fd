//! The KL divergence between any two 1-D densities, by adaptive quadrature. (The forward and
//! reverse KL between a Gaussian mixture and a Gaussian are [`GaussianMixture`] methods.)
//!
//! [`GaussianMixture`]: crate::math::divergence::mixture::GaussianMixture

use crate::math::InputError;
use crate::math::divergence::gaussian::Normal;
use crate::math::quadrature::{HALF_WIDTH, Tolerance, gaussian_breakpoints, integrate_vec};

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
