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
    /// The normalised density p(z | data) = p̃(z)/Z at every node, in the layout of `log_p`.
    pub density: Vec<f64>,
    /// log Z = log ∫ p̃(z) dz.
    pub log_z: f64,
    /// E_p[z].
    pub mean: [f64; 2],
    /// [Var z₁, Cov(z₁, z₂), Var z₂] under p.
    pub cov: [f64; 3],
    /// The widths of the target's own box (before any widening) when the grid was built.
    start: [f64; 2],
}

/// z of node k on [lo, hi] with n nodes.
fn node(lo: f64, hi: f64, n: usize, k: usize) -> f64 {
    lo + (hi - lo) * k as f64 / (n - 1) as f64
}

/// The largest value of `values`.
fn max_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
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
        let start = [bounds[1] - bounds[0], bounds[3] - bounds[2]];
        let mut log_p = vec![0.0; n * n];
        for _ in 0..7 {
            fill(target, &bounds, n, &mut log_p);
            let wide = wide_edges(&log_p, n);
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
        let mut grid = Self {
            n,
            bounds,
            log_p,
            density: vec![0.0; n * n],
            log_z: 0.0,
            mean: [0.0; 2],
            cov: [0.0; 3],
            start,
        };
        grid.summarise();
        Ok(grid)
    }

    /// Adds `term(z)` to log p̃ at every node, where `target` is the target after the change
    /// (log p̃_new = log p̃_old + term, e.g. one data point's log-likelihood, or minus it to
    /// remove the point), and computes log Z, the density and the moments again. The box is
    /// kept while its edges stay 27 nats below the maximum (as [`Grid::new`] requires) and the
    /// box a fresh grid of `target` would start from (its Laplace approximation's ±8 standard
    /// deviations) has not shrunk, per axis, below half its width when this grid was built (so
    /// the posterior keeps at least about half the nodes per standard deviation); otherwise the
    /// grid is built afresh. Returns whether it was. Either way log Z and the moments equal a
    /// fresh grid's to the quadrature's accuracy (`log_p` equals the target's at these nodes up
    /// to rounding).
    pub fn add_term(&mut self, target: &Target, term: impl Fn([f64; 2]) -> f64) -> bool {
        let n = self.n;
        let b = self.bounds;
        for j in 0..n {
            let z2 = node(b[2], b[3], n, j);
            let row = &mut self.log_p[j * n..(j + 1) * n];
            for (i, v) in row.iter_mut().enumerate() {
                *v += term([node(b[0], b[1], n, i), z2]);
            }
        }
        let fresh = target.initial_box();
        let loose =
            fresh[1] - fresh[0] < 0.5 * self.start[0] || fresh[3] - fresh[2] < 0.5 * self.start[1];
        if loose || wide_edges(&self.log_p, n).contains(&true) {
            // n was checked when this grid was made.
            if let Ok(grid) = Self::new(target, n) {
                *self = grid;
            }
            return true;
        }
        self.summarise();
        false
    }

    /// log Z, the density and the moments from `log_p`, by the trapezoid rule: the weights
    /// e^(log p̃ − max) once, then the mass and mean, then the central second moments.
    fn summarise(&mut self) {
        let n = self.n;
        let bounds = self.bounds;
        let max = max_of(&self.log_p);
        let h1 = (bounds[1] - bounds[0]) / (n - 1) as f64;
        let h2 = (bounds[3] - bounds[2]) / (n - 1) as f64;
        let weight = |k: usize| if k == 0 || k == n - 1 { 0.5 } else { 1.0 };
        let w = &mut self.density; // e^(log p̃ − max) for now
        for (d, &l) in w.iter_mut().zip(&self.log_p) {
            *d = (l - max).exp();
        }
        let (mut mass, mut s1, mut s2) = (0.0, 0.0, 0.0);
        for j in 0..n {
            let z2 = node(bounds[2], bounds[3], n, j);
            for i in 0..n {
                let v = weight(i) * weight(j) * w[j * n + i];
                mass += v;
                s1 += v * node(bounds[0], bounds[1], n, i);
                s2 += v * z2;
            }
        }
        let mean = [s1 / mass, s2 / mass];
        let (mut c11, mut c12, mut c22) = (0.0, 0.0, 0.0);
        for j in 0..n {
            let d2 = node(bounds[2], bounds[3], n, j) - mean[1];
            for i in 0..n {
                let v = weight(i) * weight(j) * w[j * n + i];
                let d1 = node(bounds[0], bounds[1], n, i) - mean[0];
                c11 += v * d1 * d1;
                c12 += v * d1 * d2;
                c22 += v * d2 * d2;
            }
        }
        // p̃/Z = e^(log p̃ − max) / (mass·h₁h₂).
        let scale = 1.0 / (mass * h1 * h2);
        for d in w.iter_mut() {
            *d *= scale;
        }
        self.log_z = max + (mass * h1 * h2).ln();
        self.mean = mean;
        self.cov = [c11 / mass, c12 / mass, c22 / mass];
    }

    /// z of node (i, j).
    pub fn z(&self, i: usize, j: usize) -> [f64; 2] {
        [
            node(self.bounds[0], self.bounds[1], self.n, i),
            node(self.bounds[2], self.bounds[3], self.n, j),
        ]
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
                let p = self.density[j * n + i];
                if p == 0.0 {
                    continue;
                }
                let lp = self.log_p[j * n + i] - self.log_z;
                let [z1, z2] = self.z(i, j);
                let (d1, d2) = (z1 - m[0], z2 - m[1]);
                let lq = log_norm - 0.5 * (p11 * d1 * d1 + 2.0 * p12 * d1 * d2 + p22 * d2 * d2);
                sum += weight(i) * weight(j) * p * (lp - lq);
            }
        }
        (sum * h1 * h2).max(0.0)
    }
}

/// Which edges of the n × n values (z₁ lo, z₁ hi, z₂ lo, z₂ hi) come within 27 nats of the
/// maximum anywhere.
fn wide_edges(log_p: &[f64], n: usize) -> [bool; 4] {
    let floor = max_of(log_p) - EDGE_DROP;
    let row = |j: usize| log_p[j * n..(j + 1) * n].iter().any(|&v| v > floor);
    let column = |i: usize| (0..n).any(|j| log_p[j * n + i] > floor);
    [column(0), column(n - 1), row(0), row(n - 1)]
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
