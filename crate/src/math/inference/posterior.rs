//! One-dimensional latent-variable models: prior z ~ N(0, 1), one observation x ~ p(x | z).
//! The exact posterior p(z | x) and evidence p(x) by quadrature ([`evidence`]), and the ELBO
//! of a Gaussian q = N(m, s²) with exact and reparameterisation gradients ([`variational`]).
//!
//! Log-densities are in nats, per unit of z (and of x for the continuous models).

use crate::math::divergence::gaussian::{LN_SQRT_2PI, check_finite, check_scale, log_normal};
use crate::math::{Code, InputError};

pub mod estimators;
pub mod evidence;
pub mod iwae;
pub mod variational;
pub use estimators::EstimatorVariances;
pub use evidence::MAX_GRID_POINTS;
pub use iwae::{IwaeEstimate, iwae_bounds_of};
pub use variational::{ElboGradient, M_LIMIT, MAX_SAMPLES, S_RANGE};

#[cfg(test)]
mod tests;

/// Smallest and largest observation-noise σx accepted (narrower makes the posterior too
/// extreme to integrate reliably; wider makes x uninformative).
pub const SIGMA_X_RANGE: (f64, f64) = (1e-3, 1e3);
/// Largest |x| accepted by the continuous models, and largest |a|, |b| of the logistic one.
pub const PARAM_LIMIT: f64 = 1e3;

/// A likelihood p(x | z); the prior is always N(0, 1). Fields are checked by every method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// x | z ~ N(z, σx²): conjugate, so the posterior is N(x/(1+σx²), σx²/(1+σx²)).
    Gaussian { sigma_x: f64 },
    /// x | z ~ N(z², σx²): the sign of z is not identified, so for x > 0 the posterior has
    /// two modes near ±√x.
    Bimodal { sigma_x: f64 },
    /// p(x = 1 | z) = sigmoid(a z + b), x ∈ {0, 1}: a one-feature logistic regression.
    Logistic { a: f64, b: f64 },
}

/// ln sigmoid(t) = −softplus(−t) = −ln(1 + e^{−t}), without overflow for any finite t.
pub(crate) fn log_sigmoid(t: f64) -> f64 {
    -((-t).max(0.0) + (-t.abs()).exp().ln_1p())
}

/// ln sigmoid(v + δ) − ln sigmoid(v) = softplus(−v) − softplus(−v − δ), with the linear
/// parts max(−·, 0) subtracted exactly, so it is accurate for tiny δ and huge |v|.
pub(crate) fn log_sigmoid_diff(v: f64, delta: f64) -> f64 {
    let u = v + delta;
    let linear = if v <= 0.0 && u <= 0.0 {
        delta
    } else {
        (-v).max(0.0) - (-u).max(0.0)
    };
    linear + (-v.abs()).exp().ln_1p() - (-u.abs()).exp().ln_1p()
}

/// sigmoid(t) = 1/(1 + e^{−t}), without overflow for any finite t.
pub(crate) fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}

/// |value| ≤ 1000; `rule` is the code whose message says why this parameter is limited.
fn check_limit(value: f64, name: &'static str, rule: Code) -> Result<(), InputError> {
    check_finite(value, name, None)?;
    if value.abs() > PARAM_LIMIT {
        return Err(InputError::OutOfRange { name, value, rule });
    }
    Ok(())
}

fn check_sigma_x(sigma_x: f64) -> Result<(), InputError> {
    check_scale(sigma_x, "sigma_x", None)?;
    if !(SIGMA_X_RANGE.0..=SIGMA_X_RANGE.1).contains(&sigma_x) {
        return Err(InputError::OutOfRange {
            name: "sigma_x",
            value: sigma_x,
            rule: Code::SigmaXRange,
        });
    }
    Ok(())
}

impl Model {
    /// Checks the model's parameters: σx in [`SIGMA_X_RANGE`]; a, b finite, |a|, |b| ≤ 1000.
    pub fn validate(&self) -> Result<(), InputError> {
        match *self {
            Self::Gaussian { sigma_x } | Self::Bimodal { sigma_x } => check_sigma_x(sigma_x),
            Self::Logistic { a, b } => {
                check_limit(a, "a", Code::SlopeLimit)?;
                check_limit(b, "b", Code::OffsetLimit)
            }
        }
    }

    /// Checks the model and an observation: |x| ≤ 1000, or x ∈ {0, 1} for the logistic model.
    pub(crate) fn check_x(&self, x: f64) -> Result<(), InputError> {
        self.validate()?;
        match self {
            Self::Logistic { .. } if x != 0.0 && x != 1.0 => Err(InputError::OutOfRange {
                name: "x",
                value: x,
                rule: Code::BinaryObservation,
            }),
            _ => check_limit(x, "x", Code::ObservationLimit),
        }
    }

    /// ln p(x | z), unchecked. Logistic: ln sigmoid(±(az + b)), + for x = 1.
    pub(crate) fn ll(&self, z: f64, x: f64) -> f64 {
        match *self {
            Self::Gaussian { sigma_x } => log_normal(x, z, sigma_x),
            Self::Bimodal { sigma_x } => log_normal(x, z * z, sigma_x),
            Self::Logistic { a, b } => log_sigmoid(sign(x) * (a * z + b)),
        }
    }

    /// ln p(x, z) = ln p(x | z) + ln N(z; 0, 1), unchecked.
    pub(crate) fn lj(&self, z: f64, x: f64) -> f64 {
        self.ll(z, x) - 0.5 * z * z - LN_SQRT_2PI
    }

    /// ∂/∂z ln p(x, z), unchecked.
    pub(crate) fn dlj(&self, z: f64, x: f64) -> f64 {
        let prior = -z;
        match *self {
            Self::Gaussian { sigma_x } => (x - z) / (sigma_x * sigma_x) + prior,
            Self::Bimodal { sigma_x } => 2.0 * z * (x - z * z) / (sigma_x * sigma_x) + prior,
            Self::Logistic { a, b } => {
                let sg = sign(x);
                sg * a * sigmoid(-sg * (a * z + b)) + prior
            }
        }
    }

    /// ∂²/∂z² ln p(x, z), unchecked.
    pub(crate) fn d2lj(&self, z: f64, x: f64) -> f64 {
        match *self {
            Self::Gaussian { sigma_x } => -1.0 / (sigma_x * sigma_x) - 1.0,
            Self::Bimodal { sigma_x } => (2.0 * x - 6.0 * z * z) / (sigma_x * sigma_x) - 1.0,
            Self::Logistic { a, b } => {
                let t = a * z + b;
                -a * a * sigmoid(t) * sigmoid(-t) - 1.0
            }
        }
    }

    /// ln p(x, c + d) − ln p(x, c), unchecked, factored so it stays accurate when both
    /// terms are huge (−5e11 for a far-off x with tiny σx) or d is tiny next to c.
    pub(crate) fn lj_diff(&self, c: f64, d: f64, x: f64) -> f64 {
        let prior = -0.5 * d * (2.0 * c + d);
        let like = match *self {
            Self::Gaussian { sigma_x } => 0.5 * d * (2.0 * (x - c) - d) / (sigma_x * sigma_x),
            Self::Bimodal { sigma_x } => {
                let sum_sq = 2.0 * c * c + d * (2.0 * c + d); // z² + c²
                0.5 * d * (2.0 * c + d) * (2.0 * x - sum_sq) / (sigma_x * sigma_x)
            }
            Self::Logistic { a, b } => {
                let sg = sign(x);
                log_sigmoid_diff(sg * (a * c + b), sg * a * d)
            }
        };
        like + prior
    }

    /// ∂/∂z ln p(x, z) at z = c + d minus the same at c, unchecked, factored like
    /// [`Self::lj_diff`].
    pub(crate) fn dlj_diff(&self, c: f64, d: f64, x: f64) -> f64 {
        match *self {
            Self::Gaussian { sigma_x } => -d * (1.0 / (sigma_x * sigma_x) + 1.0),
            Self::Bimodal { sigma_x } => {
                let z2_zc_c2 = 3.0 * c * c + d * (3.0 * c + d); // z² + zc + c²
                d * (2.0 * (x - z2_zc_c2) / (sigma_x * sigma_x) - 1.0)
            }
            Self::Logistic { a, b } => {
                let sg = sign(x);
                let t = sg * (a * c + b);
                sg * a * (sigmoid(-(t + sg * a * d)) - sigmoid(-t)) - d
            }
        }
    }

    /// Log-likelihood ln p(x | z) in nats.
    ///
    /// Gaussian: ln N(x; z, σx²); Bimodal: ln N(x; z², σx²);
    /// Logistic: ln sigmoid(az + b) for x = 1, ln sigmoid(−(az + b)) for x = 0, computed as
    /// −softplus(∓(az + b)) so it stays finite (≈ −|az + b|) when the sigmoid underflows.
    /// `z` finite; model and `x` as in [`Model::validate`] and the module's limits.
    pub fn log_likelihood(&self, z: f64, x: f64) -> Result<f64, InputError> {
        self.check_x(x)?;
        check_finite(z, "z", None)?;
        Ok(self.ll(z, x))
    }

    /// Log joint density ln p(x, z) = ln p(x | z) + ln N(z; 0, 1), in nats.
    ///
    /// Same domain as [`Model::log_likelihood`]. Finite for every finite z (it can be very
    /// negative: −z²/2 from the prior, −z⁴/(2σx²) for the bimodal model).
    pub fn log_joint(&self, z: f64, x: f64) -> Result<f64, InputError> {
        self.check_x(x)?;
        check_finite(z, "z", None)?;
        Ok(self.lj(z, x))
    }

    /// ∂/∂z ln p(x, z), per unit of z: the score the reparameterisation gradient averages.
    ///
    /// Gaussian: (x − z)/σx² − z;  Bimodal: 2z(x − z²)/σx² − z;
    /// Logistic: ±a·sigmoid(∓(az + b)) − z (upper signs for x = 1).
    /// Same domain as [`Model::log_likelihood`].
    pub fn d_log_joint(&self, z: f64, x: f64) -> Result<f64, InputError> {
        self.check_x(x)?;
        check_finite(z, "z", None)?;
        Ok(self.dlj(z, x))
    }

    /// The exact posterior (mean, standard deviation) where it has a closed form: for the
    /// Gaussian model, p(z | x) = N(x/(1+σx²), σx²/(1+σx²)); `None` for the others.
    pub fn exact_posterior(&self, x: f64) -> Result<Option<(f64, f64)>, InputError> {
        self.check_x(x)?;
        Ok(match *self {
            Self::Gaussian { sigma_x } => {
                let v = sigma_x * sigma_x;
                Some((x / (1.0 + v), (v / (1.0 + v)).sqrt()))
            }
            _ => None,
        })
    }

    /// The exact log evidence in nats where it has a closed form: for the Gaussian model,
    /// ln p(x) = ln N(x; 0, 1 + σx²); `None` for the others.
    pub fn exact_log_evidence(&self, x: f64) -> Result<Option<f64>, InputError> {
        self.check_x(x)?;
        Ok(match *self {
            Self::Gaussian { sigma_x } => {
                Some(log_normal(x, 0.0, (1.0 + sigma_x * sigma_x).sqrt()))
            }
            _ => None,
        })
    }
}

/// +1 for x = 1, −1 for x = 0 (the logistic model's observation as a sign).
fn sign(x: f64) -> f64 {
    if x == 1.0 { 1.0 } else { -1.0 }
}
