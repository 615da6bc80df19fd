//! A Gaussian q = N(m, LLᵀ) on R², L = [[ℓ₁₁, 0], [ℓ₂₁, ℓ₂₂]] with ℓ₁₁, ℓ₂₂ > 0, and the
//! expectations under q that the ELBO and its gradients need, by Gauss–Hermite quadrature
//! (deterministic) or by reparameterised samples z = m + Lε, ε ~ N(0, I).

use super::target::Target;
use crate::math::divergence::gaussian::check_finite;
use crate::math::{Code, InputError};
use std::sync::OnceLock;

/// Gauss–Hermite nodes per axis: exact for polynomials of degree ≤ 2·24 − 1 in ε.
pub const HERMITE_NODES: usize = 24;
/// ln(2πe): the entropy of N(0, I₂) is ln(2πe) nats.
const LN_2PI_E: f64 = 2.837_877_066_409_345_5;

/// q = N(m, LLᵀ).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gauss2 {
    /// The mean.
    pub m: [f64; 2],
    /// [ℓ₁₁, ℓ₂₁, ℓ₂₂], the Cholesky factor of the covariance.
    pub l: [f64; 3],
}

impl Gauss2 {
    /// q from its mean and covariance [c₁₁, c₁₂, c₂₂] (which must be positive definite, with
    /// |m| ≤ 1000 and standard deviations in [1e-6, 1000]).
    pub fn from_cov(m: [f64; 2], c: [f64; 3]) -> Result<Self, InputError> {
        for (i, &x) in c.iter().enumerate() {
            check_finite(x, "cov", Some(i))?;
        }
        let l11 = c[0].max(0.0).sqrt();
        let l21 = c[1] / l11;
        let l22 = (c[2] - l21 * l21).max(0.0).sqrt();
        Self::new(m, [l11, l21, l22])
    }

    /// q from its mean and Cholesky factor, checked as in [`Gauss2::from_cov`].
    pub fn new(m: [f64; 2], l: [f64; 3]) -> Result<Self, InputError> {
        for (name, x) in [("m1", m[0]), ("m2", m[1])] {
            check_finite(x, name, None)?;
            if x.abs() > 1e3 {
                return Err(InputError::OutOfRange {
                    name,
                    value: x,
                    rule: Code::QMeanRange,
                });
            }
        }
        check_finite(l[1], "cov", Some(1))?;
        if l[1].abs() > 1e3 {
            return Err(InputError::OutOfRange {
                name: "l21",
                value: l[1],
                rule: Code::QMeanRange,
            });
        }
        for (name, x) in [("sd1", l[0]), ("sd2", l[2])] {
            if !(1e-6..=1e3).contains(&x) {
                return Err(InputError::OutOfRange {
                    name,
                    value: x,
                    rule: Code::QScaleRange,
                });
            }
        }
        Ok(Self { m, l })
    }

    /// The covariance [c₁₁, c₁₂, c₂₂].
    pub fn cov(&self) -> [f64; 3] {
        let [a, b, c] = self.l;
        [a * a, a * b, b * b + c * c]
    }

    /// The entropy H(q) = ln(2πe) + ln ℓ₁₁ + ln ℓ₂₂, in nats.
    pub fn entropy(&self) -> f64 {
        LN_2PI_E + self.l[0].ln() + self.l[2].ln()
    }

    /// z = m + Lε.
    pub fn point(&self, e: [f64; 2]) -> [f64; 2] {
        [
            self.m[0] + self.l[0] * e[0],
            self.m[1] + self.l[1] * e[0] + self.l[2] * e[1],
        ]
    }
}

/// E_q of log p̃(z), ∇log p̃(z) and εᵢ ∂ⱼ log p̃(z).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Expectations {
    /// E[log p̃(z)].
    pub f: f64,
    /// E[∇ log p̃(z)].
    pub g: [f64; 2],
    /// eg[i][j] = E[εᵢ ∂ⱼ log p̃(z)].
    pub eg: [[f64; 2]; 2],
}

/// Weighted sum over (weight, ε) pairs; the weights sum to 1.
pub(super) fn expectations(
    target: &Target,
    q: &Gauss2,
    nodes: impl Iterator<Item = (f64, [f64; 2])>,
) -> Expectations {
    let mut out = Expectations::default();
    for (w, e) in nodes {
        let z = q.point(e);
        let g = target.gradient(z);
        out.f += w * target.log_density(z);
        for (j, &gj) in g.iter().enumerate() {
            out.g[j] += w * gj;
            out.eg[0][j] += w * e[0] * gj;
            out.eg[1][j] += w * e[1] * gj;
        }
    }
    out
}

/// Gauss–Hermite nodes and weights for N(0, 1) (weights sum to 1), by Newton's method on
/// the Hermite polynomials (Numerical Recipes' gauher), computed once.
pub fn hermite_nodes() -> &'static (Vec<f64>, Vec<f64>) {
    static NODES: OnceLock<(Vec<f64>, Vec<f64>)> = OnceLock::new();
    NODES.get_or_init(|| {
        let n = HERMITE_NODES;
        let pim4 = std::f64::consts::PI.powf(-0.25);
        let (mut x, mut w) = (vec![0.0; n], vec![0.0; n]);
        let mut z: f64 = 0.0;
        let nf = n as f64;
        for i in 0..n.div_ceil(2) {
            z = match i {
                0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * (2.0 * nf + 1.0).powf(-0.16667),
                1 => z - 1.14 * nf.powf(0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            let mut pp = 1.0;
            for _ in 0..100 {
                let (mut p1, mut p2) = (pim4, 0.0);
                for j in 1..=n {
                    let p3 = p2;
                    p2 = p1;
                    let jf = j as f64;
                    p1 = z * (2.0 / jf).sqrt() * p2 - ((jf - 1.0) / jf).sqrt() * p3;
                }
                pp = (2.0 * nf).sqrt() * p2;
                let z1 = z;
                z = z1 - p1 / pp;
                if (z - z1).abs() <= 1e-15 {
                    break;
                }
            }
            x[i] = z;
            x[n - 1 - i] = -z;
            w[i] = 2.0 / (pp * pp);
            w[n - 1 - i] = w[i];
        }
        // Physicists' (weight e^(−x²)) to probabilists' (N(0, 1)).
        let s = std::f64::consts::PI.sqrt();
        let x = x.iter().map(|v| v * std::f64::consts::SQRT_2).collect();
        let w = w.iter().map(|v| v / s).collect();
        (x, w)
    })
}

/// The expectations under q by a 24 × 24 Gauss–Hermite product rule in ε.
pub fn expectations_hermite(target: &Target, q: &Gauss2) -> Expectations {
    let (x, w) = hermite_nodes();
    let nodes = x
        .iter()
        .zip(w)
        .flat_map(|(&e1, &w1)| x.iter().zip(w).map(move |(&e2, &w2)| (w1 * w2, [e1, e2])));
    expectations(target, q, nodes)
}

/// ELBO(q) = E_q[log p̃(z)] + H(q) (Gauss–Hermite), in nats.
pub fn elbo(target: &Target, q: &Gauss2) -> f64 {
    expectations_hermite(target, q).f + q.entropy()
}

/// The ELBO and its gradient in θ = (m₁, m₂, ln ℓ₁₁, ℓ₂₁, ln ℓ₂₂), from expectations.
pub(super) fn gradient_from(q: &Gauss2, e: &Expectations) -> (f64, [f64; 5]) {
    (
        e.f + q.entropy(),
        [
            e.g[0],
            e.g[1],
            q.l[0] * e.eg[0][0] + 1.0,
            e.eg[0][1],
            q.l[2] * e.eg[1][1] + 1.0,
        ],
    )
}

/// The ELBO and its exact (Gauss–Hermite) gradient in θ = (m₁, m₂, ln ℓ₁₁, ℓ₂₁, ln ℓ₂₂).
pub fn elbo_gradient(target: &Target, q: &Gauss2) -> (f64, [f64; 5]) {
    gradient_from(q, &expectations_hermite(target, q))
}
