//! Reverse-KL fitting: a safeguarded Newton method in (μ, ℓ = ln σ), run from several starts.

use super::{GaussianFit, LOG_SIGMA_LIMIT, Local, reverse_local};
use crate::math::InputError;
use crate::math::divergence::mixture::GaussianMixture;

/// Convergence threshold on the scale-free gradient norm ‖(σ ∂KL/∂μ, ∂KL/∂ℓ)‖.
pub const GRADIENT_TOLERANCE: f64 = 1e-8;
/// Two optima are the same if μ and σ both agree to this, in units of the larger σ.
pub const SAME_OPTIMUM: f64 = 1e-6;
const MAX_ITERATIONS: usize = 100;
const MAX_HALVINGS: usize = 40;
/// Armijo's sufficient-decrease fraction.
const ARMIJO: f64 = 1e-4;

/// Eigenvalues (ascending) and unit eigenvectors of a symmetric 2×2 matrix.
fn eigen(h: &[[f64; 2]; 2]) -> ([f64; 2], [[f64; 2]; 2]) {
    let (a, b, c) = (h[0][0], h[0][1], h[1][1]);
    let (mid, radius) = (0.5 * (a + c), (0.5 * (a - c)).hypot(b));
    let theta = 0.5 * (2.0 * b).atan2(a - c); // direction of the larger eigenvalue
    let (sin, cos) = theta.sin_cos();
    ([mid - radius, mid + radius], [[-sin, cos], [cos, sin]])
}

/// Newton's direction with each eigenvalue replaced by its magnitude (floored), so it always
/// points downhill, even near a saddle: d = −Σᵢ (vᵢ·g / |λᵢ|) vᵢ.
fn newton_direction(local: &Local) -> [f64; 2] {
    let (lambda, v) = eigen(&local.h);
    let floor = (1e-6 * lambda[0].abs().max(lambda[1].abs())).max(1e-12);
    let mut d = [0.0; 2];
    for (l, vi) in lambda.iter().zip(&v) {
        let coef = -(vi[0] * local.g[0] + vi[1] * local.g[1]) / l.abs().max(floor);
        d = [d[0] + coef * vi[0], d[1] + coef * vi[1]];
    }
    d
}

/// Scales `d` down so a step moves μ by at most 3σ and ℓ by at most 1.
fn cap(d: [f64; 2], sigma: f64) -> [f64; 2] {
    let factor = 1.0f64.min(3.0 * sigma / d[0].abs()).min(1.0 / d[1].abs());
    [d[0] * factor, d[1] * factor]
}

/// Backtracking line search: tries x + t·d for each d in `dirs`, t = 1, ½, ¼, …, and takes
/// the first point that satisfies Armijo's condition f(x + td) ≤ f(x) + 10⁻⁴·t·∇f·d, or, for
/// the full step only, whose predicted change is below quadrature noise (≈ 1e-12·|f|) and
/// whose value is within that noise (Newton's last steps near an optimum). When `escaping`
/// a saddle, only a decrease larger than the noise counts. Points where the quadrature
/// fails count as rejected; `None` if every trial is rejected.
fn descend(
    p: &GaussianMixture,
    x: [f64; 2],
    current: &Local,
    dirs: &[[f64; 2]],
    escaping: bool,
) -> Option<([f64; 2], Local)> {
    let noise = 1e-12 * current.value.abs().max(1.0);
    let mut t = 1.0;
    for _ in 0..MAX_HALVINGS {
        for d in dirs {
            let y = [x[0] + t * d[0], x[1] + t * d[1]];
            if y[1].abs() > LOG_SIGMA_LIMIT {
                continue;
            }
            let slope = current.g[0] * d[0] + current.g[1] * d[1]; // < 0 downhill
            let Ok(local) = reverse_local(p, y[0], y[1]) else {
                continue;
            };
            let accept = if escaping {
                local.value < current.value - noise
            } else {
                let armijo = local.value <= current.value + ARMIJO * t * slope;
                armijo || (t == 1.0 && -slope <= noise && local.value <= current.value + noise)
            };
            if accept {
                return Some((y, local));
            }
        }
        t *= 0.5;
    }
    None
}

/// Minimises D_KL(q ‖ p) from (μ, ℓ); `None` if the search stalls before converging.
fn minimise(p: &GaussianMixture, mu: f64, ls: f64) -> Result<Option<GaussianFit>, InputError> {
    let mut x = [mu, ls];
    let mut local = reverse_local(p, mu, ls)?;
    for _ in 0..MAX_ITERATIONS {
        let sigma = x[1].exp();
        let (lambda, v) = eigen(&local.h);
        let stationary = (sigma * local.g[0]).hypot(local.g[1]) < GRADIENT_TOLERANCE;
        let step = if stationary && lambda[0] > 0.0 {
            return Ok(Some(GaussianFit {
                mu: x[0],
                sigma,
                kl: local.value,
            }));
        } else if stationary {
            // A saddle (or flat) point: leave it along the most negative curvature.
            let d = cap(v[0], sigma);
            descend(p, x, &local, &[d, [-d[0], -d[1]]], true)
        } else {
            descend(p, x, &local, &[cap(newton_direction(&local), sigma)], false)
        };
        // No acceptable step, or one too small to move x: stalled (quadrature noise).
        let Some((y, next)) = step.filter(|(y, _)| *y != x) else {
            return Ok(None);
        };
        (x, local) = (y, next);
    }
    Ok(None)
}

/// Whether two fits are the same optimum: μ and σ within [`SAME_OPTIMUM`] × the larger σ.
fn same(a: &GaussianFit, b: &GaussianFit) -> bool {
    let tol = SAME_OPTIMUM * a.sigma.max(b.sigma);
    (a.mu - b.mu).abs() <= tol && (a.sigma - b.sigma).abs() <= tol
}

/// Every distinct local minimum of the reverse KL, D_KL(q ‖ p) over Gaussians q = N(μ, σ²),
/// sorted by KL (best first).
///
/// Newton's method in (μ, ℓ = ln σ), with the gradient and Hessian of
/// E_q[ln q − ln p] by reparameterisation and quadrature (see
/// [`super::reverse_kl_gradient`]), eigenvalues replaced by their magnitudes so each step
/// goes downhill, steps capped at 3σ in μ and 1 in ℓ, and an Armijo backtracking line
/// search. Started from each component (μₖ, σₖ) with wₖ > 0 and from the moment-matched
/// Gaussian. A start converges when the scale-free gradient ‖(σ ∂/∂μ, ∂/∂ℓ)‖ is below
/// [`GRADIENT_TOLERANCE`] (1e-8; invariant under rescaling x) at a point where the Hessian
/// is positive definite (saddles are left along the negative curvature); starts that stall
/// are dropped, so the list could in principle be empty. Optima whose μ and σ agree within
/// [`SAME_OPTIMUM`] × σ are merged.
///
/// Reverse KL is mode-seeking: for well-separated modes expect one optimum per mode, and
/// possibly a broad one covering several modes (a worse local minimum, not a saddle).
/// Cost natively: about 1 ms for two modes; under 0.1 s in stress tests with |μₖ| ≤ 10,
/// σₖ ∈ [0.01, 100], and under 1 s even with components 10⁶ σ apart. Errors only if the
/// quadrature meets a non-finite value, which takes extreme parameters (σₖ near 1e-300).
pub fn fit_reverse(p: &GaussianMixture) -> Result<Vec<GaussianFit>, InputError> {
    let mut starts: Vec<(f64, f64)> = (0..p.weights().len())
        .filter(|&k| p.weights()[k] > 0.0)
        .map(|k| (p.means()[k], p.sigmas()[k].ln()))
        .collect();
    starts.push((p.mean(), 0.5 * p.variance().ln()));
    let mut fits: Vec<GaussianFit> = Vec::with_capacity(starts.len());
    for (mu, ls) in starts {
        if let Some(fit) = minimise(p, mu, ls)?
            && !fits.iter().any(|f| same(f, &fit))
        {
            fits.push(fit);
        }
    }
    fits.sort_by(|a, b| a.kl.total_cmp(&b.kl));
    Ok(fits)
}
