//! The target on an n × n grid: log p̃ at every node, the normaliser log Z and the posterior
//! mean and covariance by the trapezoid rule. For densities that are smooth on the grid's
//! scale and negligible at its edges, the trapezoid rule converges faster than any power of
//! the spacing (for a Gaussian of standard deviation σ its error is about 2e^(−2π²σ²/h²)).

use super::target::Target;
use crate::math::{Code, InputError};

/// Fewest and most grid nodes per side.
pub const MIN_SIDE: usize = 16;
/// Most grid nodes per side (512² ≈ 262 000 nodes).
pub const MAX_SIDE: usize = 512;
/// The grid's edges must lie this many nats below its highest node: e^(−27) ≈ 2e-12.
const EDGE_DROP: f64 = 27.0;

/// A target evaluated on a grid, with the quantities computed from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Nodes per side.
    pub n: usize,
    /// [z₁ lo, z₁ hi, z₂ lo, z₂ hi]: the grid's corners.
    pub bounds: [f64; 4],
    /// log p̃ at node (i, j) = (z₁ index, z₂ index), stored at j·n + i (rows of constant z₂).
    pub log_p: Vec<f64>,
    /// log Z = log ∫ p̃(z) dz.
    pub log_z: f64,
    /// E_p[z].
    pub mean: [f64; 2],
    /// [Var z₁, Cov(z₁, z₂), Var z₂] under p.
    pub cov: [f64; 3],
}

/// z of node k on [lo, hi] with n nodes.
fn node(lo: f64, hi: f64, n: usize, k: usize) -> f64 {
    lo + (hi - lo) * k as f64 / (n - 1) as f64
}

impl Grid {
    /// Evaluates `target` on an n × n grid over a box that holds its mass (n from
    /// [`MIN_SIDE`] to [`MAX_SIDE`]): the target's own box, widened by half on every side
    /// (up to 6 times) while log p̃ anywhere on an edge is within 27 nats of the maximum.
    pub fn new(target: &Target, n: usize) -> Result<Self, InputError> {
        if !(MIN_SIDE..=MAX_SIDE).contains(&n) {
            return Err(InputError::OutOfRange {
                name: "n",
                value: n as f64,
                rule: Code::Vi2dGridSide,
            });
        }
        let mut bounds = target.initial_box();
        let mut log_p = vec![0.0; n * n];
        for _ in 0..7 {
            fill(target, &bounds, n, &mut log_p);
            let max = log_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let edge = |k: usize| -> bool {
                // side k: 0 = z₁ lo, 1 = z₁ hi, 2 = z₂ lo, 3 = z₂ hi
                (0..n).any(|t| {
                    let (i, j) = match k {
                        0 => (0, t),
                        1 => (n - 1, t),
                        2 => (t, 0),
                        _ => (t, n - 1),
                    };
                    log_p[j * n + i] > max - EDGE_DROP
                })
            };
            let wide = [edge(0), edge(1), edge(2), edge(3)];
            if !wide.contains(&true) {
                break;
            }
            let (w1, w2) = (bounds[1] - bounds[0], bounds[3] - bounds[2]);
            if wide[0] {
                bounds[0] -= 0.5 * w1;
            }
            if wide[1] {
                bounds[1] += 0.5 * w1;
            }
            if wide[2] {
                bounds[2] -= 0.5 * w2;
            }
            if wide[3] {
                bounds[3] += 0.5 * w2;
            }
        }
        Ok(Self::from_values(n, bounds, log_p))
    }

    fn from_values(n: usize, bounds: [f64; 4], log_p: Vec<f64>) -> Self {
        let max = log_p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let h1 = (bounds[1] - bounds[0]) / (n - 1) as f64;
        let h2 = (bounds[3] - bounds[2]) / (n - 1) as f64;
        let weight = |k: usize| if k == 0 || k == n - 1 { 0.5 } else { 1.0 };
        // Two passes: the mass and mean, then the central second moments.
        let (mut mass, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for j in 0..n {
            let z2 = node(bounds[2], bounds[3], n, j);
            for i in 0..n {
                let w = weight(i) * weight(j) * (log_p[j * n + i] - max).exp();
                mass += w;
                s1 += w * node(bounds[0], bounds[1], n, i);
                s2 += w * z2;
            }
        }
        let mean = [s1 / mass, s2 / mass];
        let (mut c11, mut c12, mut c22) = (0.0, 0.0, 0.0);
        for j in 0..n {
            let d2 = node(bounds[2], bounds[3], n, j) - mean[1];
            for i in 0..n {
                let w = weight(i) * weight(j) * (log_p[j * n + i] - max).exp();
                let d1 = node(bounds[0], bounds[1], n, i) - mean[0];
                c11 += w * d1 * d1;
                c12 += w * d1 * d2;
                c22 += w * d2 * d2;
            }
        }
        Self {
            n,
            bounds,
            log_z: max + (mass * h1 * h2).ln(),
            mean,
            cov: [c11 / mass, c12 / mass, c22 / mass],
            log_p,
        }
    }

    /// z of node (i, j).
    pub fn z(&self, i: usize, j: usize) -> [f64; 2] {
        [
            node(self.bounds[0], self.bounds[1], self.n, i),
            node(self.bounds[2], self.bounds[3], self.n, j),
        ]
    }

    /// The normalised density p(z | data) = p̃(z)/Z at every node, in the layout of `log_p`.
    pub fn density(&self) -> Vec<f64> {
        self.log_p.iter().map(|l| (l - self.log_z).exp()).collect()
    }

    /// KL(p ‖ q) = ∫ p (log p − log q) for a Gaussian q with mean `m` and covariance
    /// [c₁₁, c₁₂, c₂₂], by the same trapezoid rule.
    pub fn kl_from(&self, m: [f64; 2], c: [f64; 3]) -> f64 {
        let n = self.n;
        let det = c[0] * c[2] - c[1] * c[1];
        let (p11, p12, p22) = (c[2] / det, -c[1] / det, c[0] / det);
        let log_norm = -(2.0 * std::f64::consts::PI).ln() - 0.5 * det.ln();
        let h1 = (self.bounds[1] - self.bounds[0]) / (n - 1) as f64;
        let h2 = (self.bounds[3] - self.bounds[2]) / (n - 1) as f64;
        let weight = |k: usize| if k == 0 || k == n - 1 { 0.5 } else { 1.0 };
        let mut sum = 0.0;
        for j in 0..n {
            for i in 0..n {
                let lp = self.log_p[j * n + i] - self.log_z;
                let p = lp.exp();
                if p == 0.0 {
                    continue;
                }
                let [z1, z2] = self.z(i, j);
                let (d1, d2) = (z1 - m[0], z2 - m[1]);
                let lq = log_norm - 0.5 * (p11 * d1 * d1 + 2.0 * p12 * d1 * d2 + p22 * d2 * d2);
                sum += weight(i) * weight(j) * p * (lp - lq);
            }
        }
        (sum * h1 * h2).max(0.0)
    }
}

/// log p̃ at every node of the box.
fn fill(target: &Target, bounds: &[f64; 4], n: usize, out: &mut [f64]) {
    for j in 0..n {
        let z2 = node(bounds[2], bounds[3], n, j);
        for i in 0..n {
            out[j * n + i] = target.log_density([node(bounds[0], bounds[1], n, i), z2]);
        }
    }
}
