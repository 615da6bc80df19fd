//! Gradient descent on q = N(μ, e^{2ℓ}) for the animated fits: one step per frame, so the
//! page can draw the path. Natural-gradient direction (the Fisher metric of (μ, ℓ) is
//! diag(1/σ², 2)) with a backtracking step size, so every step lowers the divergence.

use crate::math::InputError;
use crate::math::divergence::fit::{KlGradient, forward_kl_gradient, reverse_kl_gradient};
use crate::math::divergence::mixture::GaussianMixture;

/// Which divergence the descent minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// D_KL(p ‖ q), mass-covering.
    Forward,
    /// D_KL(q ‖ p), mode-seeking.
    Reverse,
}

/// Where the descent is: q's parameters, the divergence there (nats) and the step size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Descent {
    pub mu: f64,
    pub log_sigma: f64,
    pub value: f64,
    pub rate: f64,
}

/// Step sizes: the first try, the largest, and the smallest before giving up on a step.
const RATE_START: f64 = 0.25;
pub const RATE_MAX: f64 = 0.6;
const RATE_MIN: f64 = 1e-6;

fn gradient(
    p: &GaussianMixture,
    dir: Direction,
    mu: f64,
    ls: f64,
) -> Result<KlGradient, InputError> {
    match dir {
        Direction::Forward => forward_kl_gradient(p, mu, ls),
        Direction::Reverse => reverse_kl_gradient(p, mu, ls),
    }
}

/// The starting point of a descent at q = N(μ, e^{2ℓ}).
pub fn start(
    p: &GaussianMixture,
    dir: Direction,
    mu: f64,
    log_sigma: f64,
) -> Result<Descent, InputError> {
    let g = gradient(p, dir, mu, log_sigma)?;
    Ok(Descent {
        mu,
        log_sigma,
        value: g.value,
        rate: RATE_START,
    })
}

/// One step from `at`: move along −(σ² ∂/∂μ, ½ ∂/∂ℓ) by the current rate, halving it until
/// the divergence does not increase, then let it grow by 1.25 for the next step. `ls_range`
/// bounds ℓ (the widget's axis). Returns `at` unchanged when no step helps (converged).
pub fn step(
    p: &GaussianMixture,
    dir: Direction,
    at: Descent,
    ls_range: (f64, f64),
) -> Result<Descent, InputError> {
    let g = gradient(p, dir, at.mu, at.log_sigma)?;
    let var = (2.0 * at.log_sigma).exp();
    let mut rate = at.rate;
    while rate >= RATE_MIN {
        let mu = at.mu - rate * var * g.d_mu;
        let ls = (at.log_sigma - 0.5 * rate * g.d_log_sigma).clamp(ls_range.0, ls_range.1);
        let value = gradient(p, dir, mu, ls)?.value;
        if value <= at.value {
            return Ok(Descent {
                mu,
                log_sigma: ls,
                value,
                rate: (rate * 1.25).min(RATE_MAX),
            });
        }
        rate *= 0.5;
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LS: (f64, f64) = (-3.0, 3.0);

    fn run(p: &GaussianMixture, dir: Direction, mu: f64, sigma: f64) -> (Descent, usize) {
        let mut at = start(p, dir, mu, sigma.ln()).unwrap();
        for n in 1..=300 {
            let next = step(p, dir, at, LS).unwrap();
            assert!(next.value <= at.value, "the divergence never increases");
            let moved = (next.mu - at.mu).hypot(next.log_sigma - at.log_sigma);
            at = next;
            if moved < 1e-7 {
                return (at, n);
            }
        }
        panic!("no convergence in 300 steps: {at:?}");
    }

    #[test]
    fn forward_descent_ends_at_moment_matching() {
        let p = GaussianMixture::new(&[0.5, 0.5], &[-3.0, 3.0], &[0.5, 0.5]).unwrap();
        let (at, steps) = run(&p, Direction::Forward, 1.0, 0.5);
        assert!(
            at.mu.abs() < 1e-5 && (at.log_sigma.exp() - 9.25f64.sqrt()).abs() < 1e-5,
            "{at:?}"
        );
        assert!(steps < 100, "{steps} steps");
    }

    #[test]
    fn reverse_descent_ends_on_a_mode() {
        // From between the modes either mode may win; from inside a basin, that mode does.
        let p = GaussianMixture::new(&[0.5, 0.5], &[-3.0, 3.0], &[0.5, 0.5]).unwrap();
        for (start_mu, mode) in [
            (0.3, None),
            (-0.3, None),
            (2.0, Some(3.0)),
            (-4.0, Some(-3.0)),
        ] {
            let (at, steps) = run(&p, Direction::Reverse, start_mu, 1.5);
            let on_mode =
                (at.mu.abs() - 3.0).abs() < 1e-3 && (at.log_sigma.exp() - 0.5).abs() < 1e-3;
            assert!(
                on_mode && mode.is_none_or(|m: f64| (at.mu - m).abs() < 1e-3),
                "from {start_mu}: {at:?}"
            );
            assert!(steps < 200, "{steps} steps from {start_mu}");
        }
    }

    #[test]
    fn a_converged_descent_stays_put() {
        let p = GaussianMixture::new(&[1.0], &[0.0], &[1.0]).unwrap();
        let at = start(&p, Direction::Reverse, 0.0, 0.0).unwrap();
        assert!(at.value.abs() < 1e-10);
        assert!(step(&p, Direction::Reverse, at, LS).unwrap().mu.abs() < 1e-12);
    }
}
