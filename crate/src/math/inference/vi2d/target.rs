//! The five targets: an unnormalised log-density log p̃(z) = log p(z, data) and its gradient.

use crate::math::divergence::gaussian::check_finite;
use crate::math::{Code, InputError};

/// Most data points of the logistic target.
pub const MAX_POINTS: usize = 200;
/// ln 2π.
const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// A target density on R², known up to its normaliser Z.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// p̃(z) = exp(−½ (z − μ)ᵀ Σ⁻¹ (z − μ)), Σ = [[σ₁², ρσ₁σ₂], [ρσ₁σ₂, σ₂²]]; Z = 2πσ₁σ₂√(1 − ρ²).
    Gaussian {
        mean: [f64; 2],
        sd: [f64; 2],
        rho: f64,
    },
    /// z₁ ~ N(0, a²), z₂ | z₁ ~ N(b(z₁² − a²), 1), unnormalised: Z = 2πa, mean 0,
    /// Var z₁ = a², Var z₂ = 1 + 2b²a⁴, Cov = 0.
    Banana { a: f64, b: f64 },
    /// p̃(z) = exp(−(|z|² − r²)² / 8r²w²): a ring of radius r and, near the ring (where
    /// |z|² − r² ≈ 2r(|z| − r)), width w; smooth at the origin. With u = |z|²,
    /// Z = π ∫₀^∞ exp(−(u − r²)²/8r²w²) du = 2π√(2π) r w Φ(r/2w).
    Donut { r: f64, w: f64 },
    /// ½ N(c u, s²I) + ½ N(−c u, s²I), u = (1, 1)/√2, c = d/2 (normalised: Z = 1).
    Mixture { d: f64, s: f64 },
    /// Bayesian logistic regression without intercept: prior w ~ N(0, I), and for each point
    /// xₙ ∈ R² with label yₙ ∈ {0, 1}, P(yₙ = 1 | w) = σ(wᵀxₙ). p̃(w) = p(w, data): Z = p(data).
    Logistic {
        points: Vec<[f64; 2]>,
        labels: Vec<bool>,
    },
}

fn check_range(
    value: f64,
    name: &'static str,
    lo: f64,
    hi: f64,
    rule: Code,
) -> Result<(), InputError> {
    check_finite(value, name, None)?;
    if !(lo..=hi).contains(&value) {
        return Err(InputError::OutOfRange { name, value, rule });
    }
    Ok(())
}

/// ln σ(t) = −ln(1 + e^(−t)), without overflow for large |t|.
pub(super) fn log_sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        -(-t).exp().ln_1p()
    } else {
        t - t.exp().ln_1p()
    }
}

/// σ(t) = 1 / (1 + e^(−t)), without overflow.
fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// ln P(y | w, x) = ln σ(±wᵀx) (+ for y = 1), as a function of w.
fn point_term(x: [f64; 2], y: bool) -> impl Fn([f64; 2]) -> f64 + use<> {
    move |w| {
        let t = w[0] * x[0] + w[1] * x[1];
        log_sigmoid(if y { t } else { -t })
    }
}

impl Target {
    /// A correlated Gaussian: means in [−5, 5], standard deviations in [0.1, 5], |ρ| ≤ 0.99.
    pub fn gaussian(mean: [f64; 2], sd: [f64; 2], rho: f64) -> Result<Self, InputError> {
        check_range(mean[0], "mean1", -5.0, 5.0, Code::Vi2dMean)?;
        check_range(mean[1], "mean2", -5.0, 5.0, Code::Vi2dMean)?;
        check_range(sd[0], "sd1", 0.1, 5.0, Code::Vi2dSd)?;
        check_range(sd[1], "sd2", 0.1, 5.0, Code::Vi2dSd)?;
        check_range(rho, "rho", -0.99, 0.99, Code::Vi2dRho)?;
        Ok(Self::Gaussian { mean, sd, rho })
    }

    /// The banana: a ∈ [0.5, 1.5], b ∈ [0, 0.5].
    pub fn banana(a: f64, b: f64) -> Result<Self, InputError> {
        check_range(a, "a", 0.5, 1.5, Code::Vi2dBananaA)?;
        check_range(b, "b", 0.0, 0.5, Code::Vi2dBananaB)?;
        Ok(Self::Banana { a, b })
    }

    /// The donut: r ∈ [0.5, 4], w ∈ [0.2, 2].
    pub fn donut(r: f64, w: f64) -> Result<Self, InputError> {
        check_range(r, "r", 0.5, 4.0, Code::Vi2dDonutR)?;
        check_range(w, "w", 0.2, 2.0, Code::Vi2dDonutW)?;
        Ok(Self::Donut { r, w })
    }

    /// The mixture: d ∈ [0, 6], s ∈ [0.2, 3].
    pub fn mixture(d: f64, s: f64) -> Result<Self, InputError> {
        check_range(d, "d", 0.0, 6.0, Code::Vi2dMixtureD)?;
        check_range(s, "s", 0.2, 3.0, Code::Vi2dMixtureS)?;
        Ok(Self::Mixture { d, s })
    }

    /// Logistic regression on `points` (flat pairs x₁, x₂, each coordinate in [−5, 5]) with
    /// `labels` 0 or 1, one per pair; at most [`MAX_POINTS`] points.
    pub fn logistic(points: &[f64], labels: &[f64]) -> Result<Self, InputError> {
        if !points.len().is_multiple_of(2) || points.len() / 2 != labels.len() {
            return Err(InputError::LengthMismatch {
                name_a: "points (pairs)",
                len_a: points.len() / 2,
                name_b: "labels",
                len_b: labels.len(),
            });
        }
        if labels.len() > MAX_POINTS {
            return Err(InputError::OutOfRange {
                name: "labels",
                value: labels.len() as f64,
                rule: Code::Vi2dPointCount,
            });
        }
        for (i, &x) in points.iter().enumerate() {
            check_finite(x, "points", Some(i))?;
            check_range(x, "points", -5.0, 5.0, Code::Vi2dPoint)?;
        }
        let mut ys = Vec::with_capacity(labels.len());
        for &y in labels {
            if y != 0.0 && y != 1.0 {
                return Err(InputError::OutOfRange {
                    name: "labels",
                    value: y,
                    rule: Code::BinaryObservation,
                });
            }
            ys.push(y == 1.0);
        }
        Ok(Self::Logistic {
            points: points.chunks_exact(2).map(|p| [p[0], p[1]]).collect(),
            labels: ys,
        })
    }

    /// Adds the point `x` (each coordinate in [−5, 5]) with `label` to the logistic target;
    /// returns its log-likelihood term as a function of w, ln P(y | w, x) = ln σ(±wᵀx), which
    /// log p̃ gained. An error (not the logistic target, a bad point, already [`MAX_POINTS`])
    /// leaves the target unchanged.
    pub fn add_point(
        &mut self,
        x: [f64; 2],
        label: bool,
    ) -> Result<impl Fn([f64; 2]) -> f64 + use<>, InputError> {
        let (points, labels) = self.data_mut()?;
        if labels.len() >= MAX_POINTS {
            return Err(InputError::OutOfRange {
                name: "labels",
                value: (labels.len() + 1) as f64,
                rule: Code::Vi2dPointCount,
            });
        }
        for (i, &v) in x.iter().enumerate() {
            check_finite(v, "points", Some(i))?;
            check_range(v, "points", -5.0, 5.0, Code::Vi2dPoint)?;
        }
        points.push(x);
        labels.push(label);
        Ok(point_term(x, label))
    }

    /// Removes point `index` (0-based) of the logistic target; returns the log-likelihood term
    /// log p̃ lost, as in [`Target::add_point`]. An error (not the logistic target, no such
    /// point) leaves the target unchanged.
    pub fn remove_point(
        &mut self,
        index: usize,
    ) -> Result<impl Fn([f64; 2]) -> f64 + use<>, InputError> {
        let (points, labels) = self.data_mut()?;
        if index >= labels.len() {
            return Err(InputError::IndexOutOfRange {
                name: "index",
                index: index as f64,
                len: labels.len(),
            });
        }
        Ok(point_term(points.remove(index), labels.remove(index)))
    }

    /// The logistic target's points and labels, to edit; an error for the other targets.
    fn data_mut(&mut self) -> Result<(&mut Vec<[f64; 2]>, &mut Vec<bool>), InputError> {
        match self {
            Self::Logistic { points, labels } => Ok((points, labels)),
            _ => Err(InputError::OutOfRange {
                name: "target",
                value: f64::NAN,
                rule: Code::Vi2dNotLogistic,
            }),
        }
    }

    /// The number of data points (0 for the targets without data).
    pub fn point_count(&self) -> usize {
        match self {
            Self::Logistic { labels, .. } => labels.len(),
            _ => 0,
        }
    }

    /// For the Gaussian: the precision matrix Σ⁻¹ as [Λ₁₁, Λ₁₂, Λ₂₂].
    pub fn precision(&self) -> Option<[f64; 3]> {
        match *self {
            Self::Gaussian { sd, rho, .. } => {
                let k = 1.0 - rho * rho;
                Some([
                    1.0 / (sd[0] * sd[0] * k),
                    -rho / (sd[0] * sd[1] * k),
                    1.0 / (sd[1] * sd[1] * k),
                ])
            }
            _ => None,
        }
    }

    /// log p̃(z) = log p(z, data), in nats.
    pub fn log_density(&self, z: [f64; 2]) -> f64 {
        match self {
            Self::Gaussian { mean, .. } => {
                let [l11, l12, l22] = self.precision().unwrap_or([1.0, 0.0, 1.0]);
                let (d1, d2) = (z[0] - mean[0], z[1] - mean[1]);
                -0.5 * (l11 * d1 * d1 + 2.0 * l12 * d1 * d2 + l22 * d2 * d2)
            }
            Self::Banana { a, b } => {
                let u = z[1] - b * (z[0] * z[0] - a * a);
                -0.5 * (z[0] * z[0] / (a * a) + u * u)
            }
            Self::Donut { r, w } => {
                let t = z[0] * z[0] + z[1] * z[1] - r * r;
                -t * t / (8.0 * r * r * w * w)
            }
            Self::Mixture { d, s } => {
                let c = 0.5 * d * std::f64::consts::FRAC_1_SQRT_2;
                let la = -0.5 * ((z[0] - c).powi(2) + (z[1] - c).powi(2)) / (s * s);
                let lb = -0.5 * ((z[0] + c).powi(2) + (z[1] + c).powi(2)) / (s * s);
                let m = la.max(lb);
                m + ((la - m).exp() + (lb - m).exp()).ln() + 0.5f64.ln() - LN_2PI - 2.0 * s.ln()
            }
            Self::Logistic { points, labels } => {
                let mut sum = -0.5 * (z[0] * z[0] + z[1] * z[1]) - LN_2PI;
                for (&x, &y) in points.iter().zip(labels) {
                    sum += point_term(x, y)(z);
                }
                sum
            }
        }
    }

    /// ∇ log p̃(z).
    pub fn gradient(&self, z: [f64; 2]) -> [f64; 2] {
        match self {
            Self::Gaussian { mean, .. } => {
                let [l11, l12, l22] = self.precision().unwrap_or([1.0, 0.0, 1.0]);
                let (d1, d2) = (z[0] - mean[0], z[1] - mean[1]);
                [-(l11 * d1 + l12 * d2), -(l12 * d1 + l22 * d2)]
            }
            Self::Banana { a, b } => {
                let u = z[1] - b * (z[0] * z[0] - a * a);
                [-z[0] / (a * a) + 2.0 * b * z[0] * u, -u]
            }
            Self::Donut { r, w } => {
                let k = -(z[0] * z[0] + z[1] * z[1] - r * r) / (2.0 * r * r * w * w);
                [k * z[0], k * z[1]]
            }
            Self::Mixture { d, s } => {
                let c = 0.5 * d * std::f64::consts::FRAC_1_SQRT_2;
                let la = -0.5 * ((z[0] - c).powi(2) + (z[1] - c).powi(2)) / (s * s);
                let lb = -0.5 * ((z[0] + c).powi(2) + (z[1] + c).powi(2)) / (s * s);
                let ra = sigmoid(la - lb);
                let rb = 1.0 - ra;
                let s2 = s * s;
                [
                    -(ra * (z[0] - c) + rb * (z[0] + c)) / s2,
                    -(ra * (z[1] - c) + rb * (z[1] + c)) / s2,
                ]
            }
            Self::Logistic { points, labels } => {
                let mut g = [-z[0], -z[1]];
                for (x, &y) in points.iter().zip(labels) {
                    let t = z[0] * x[0] + z[1] * x[1];
                    // d/dt ln σ(±t) = ±σ(∓t)
                    let k = if y { sigmoid(-t) } else { -sigmoid(t) };
                    g[0] += k * x[0];
                    g[1] += k * x[1];
                }
                g
            }
        }
    }

    /// A box [z₁ lo, z₁ hi, z₂ lo, z₂ hi] holding all but a negligible part of the mass
    /// (the grid widens it further while its edges are not negligible).
    pub(super) fn initial_box(&self) -> [f64; 4] {
        match *self {
            Self::Gaussian { mean, sd, .. } => {
                let k = 9.0;
                [
                    mean[0] - k * sd[0],
                    mean[0] + k * sd[0],
                    mean[1] - k * sd[1],
                    mean[1] + k * sd[1],
                ]
            }
            Self::Banana { a, b } => [-7.5 * a, 7.5 * a, -b * a * a - 8.0, 56.0 * b * a * a + 8.0],
            Self::Donut { r, w } => {
                let h = r + 8.0 * w;
                [-h, h, -h, h]
            }
            Self::Mixture { d, s } => {
                let h = 0.5 * d * std::f64::consts::FRAC_1_SQRT_2 + 8.0 * s;
                [-h, h, -h, h]
            }
            Self::Logistic { .. } => {
                let (m, c) = self.laplace();
                let (h1, h2) = (8.0 * c[0].sqrt(), 8.0 * c[2].sqrt());
                [m[0] - h1, m[0] + h1, m[1] - h2, m[1] + h2]
            }
        }
    }

    /// The mode of a log-concave target by Newton's method and the inverse Hessian there,
    /// [C₁₁, C₁₂, C₂₂] (Laplace's approximation); used to place the grid.
    fn laplace(&self) -> ([f64; 2], [f64; 3]) {
        let mut m = [0.0, 0.0];
        let mut cov = [1.0, 0.0, 1.0];
        let Self::Logistic { points, .. } = self else {
            return (m, cov);
        };
        for _ in 0..50 {
            let g = self.gradient(m);
            let mut h = [1.0, 0.0, 1.0];
            for x in points {
                let t = m[0] * x[0] + m[1] * x[1];
                let k = sigmoid(t) * sigmoid(-t);
                h[0] += k * x[0] * x[0];
                h[1] += k * x[0] * x[1];
                h[2] += k * x[1] * x[1];
            }
            let det = h[0] * h[2] - h[1] * h[1];
            cov = [h[2] / det, -h[1] / det, h[0] / det];
            let step = [cov[0] * g[0] + cov[1] * g[1], cov[1] * g[0] + cov[2] * g[1]];
            m = [m[0] + step[0], m[1] + step[1]];
            if step[0].abs().max(step[1].abs()) < 1e-12 {
                break;
            }
        }
        (m, cov)
    }
}
