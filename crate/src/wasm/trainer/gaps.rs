//! The JS side of dynamic binarisation (`binarise`) and of the two parts of the gap
//! (`Trainer.fitPosterior`, `Trainer.elboOf`; the maths is in `crate::math::networks::vae`).

use super::data::RowChecks;
use super::{Trainer, finite};
use crate::math::networks::data::binarise::binarise as binarise_pixels;
use crate::wasm::convert::{self, floats, object, whole};
use crate::wasm::error::{ApiError, BoundaryCode};
use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

/// Most Adam steps `fitPosterior` takes.
pub const MAX_FIT_STEPS: f64 = 10_000.0;
/// Most draws per step in `fitPosterior`.
pub const MAX_FIT_SAMPLES: f64 = 1_000.0;
/// Most draws in `elboOf`.
pub const MAX_ELBO_SAMPLES: f64 = 100_000.0;

/// Dynamic binarisation of grey levels `x` (a Float32Array or array of numbers, each from 0 to
/// 1): a Float32Array of the same length, each pixel 1 with probability its grey level, else 0,
/// drawn from `Random::new(seed)` (a whole number from 0 to 2⁵³ − 1), one uniform per pixel in
/// order: the same `x` and `seed` give the same pixels everywhere.
#[wasm_bindgen]
pub fn binarise(
    #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
    seed: f64,
) -> Result<Vec<f32>, ApiError> {
    let x = floats(&x, "x")?;
    if let Some(i) = x.iter().position(|g| !(0.0..=1.0).contains(g)) {
        return Err(ApiError::new(BoundaryCode::GreyLevel)
            .with("name", "x")
            .with("index", i)
            .with("value", x[i]));
    }
    Ok(binarise_pixels(&x, convert::seed(seed, "seed")?))
}

impl Trainer {
    /// One image `x` of this trainer's width, checked like the training data.
    pub(super) fn one_image(&self, x: &JsValue) -> Result<Vec<f32>, ApiError> {
        let x = floats(x, "x")?;
        if x.len() != self.core.width() {
            return Err(ApiError::new(BoundaryCode::ImageWidth)
                .with("len", x.len())
                .with("width", self.core.width()));
        }
        self.core.check_rows(&x, "x")?;
        Ok(x)
    }
}

#[wasm_bindgen]
impl Trainer {
    /// q*(z) = N(mu, diag e^logvar) fitted to one image `x` (width pixels) under the current,
    /// frozen decoder: `steps` (0 to 10 000) Adam steps up ELBO(q) = E_q[log p(x | z)] −
    /// KL(q ‖ N(0, I)) on (mu, logvar), each from `samples` (1 to 1 000) reparameterised draws
    /// seeded by `seed`, starting from the encoder's q(z | x) (σ = 1 in autoencoder mode); the
    /// learning rate falls linearly from 0.05 to 0. The model is unchanged. Returns
    /// { mu: Float32Array, logvar: Float32Array (latent values each), steps }.
    #[wasm_bindgen(
        js_name = fitPosterior,
        unchecked_return_type = "{ mu: Float32Array, logvar: Float32Array, steps: number }"
    )]
    pub fn fit_posterior(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
        steps: f64,
        samples: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let x = self.one_image(&x)?;
        let steps = whole(steps, "steps", 0.0, MAX_FIT_STEPS)? as usize;
        let samples = whole(samples, "samples", 1.0, MAX_FIT_SAMPLES)? as usize;
        let seed = convert::seed(seed, "seed")?;
        let q = self.core.vae().fit_posterior(&x, steps, samples, seed)?;
        finite(&q.mu)?;
        finite(&q.logvar)?;
        object(&[
            ("mu", Float32Array::from(&q.mu[..]).into()),
            ("logvar", Float32Array::from(&q.logvar[..]).into()),
            ("steps", (q.steps as f64).into()),
        ])
    }

    /// A Monte Carlo estimate of ELBO(q) = E_q[log p(x | z)] − KL(q ‖ N(0, I)) for one image
    /// `x` and a **given** q = N(`mu`, diag e^`logvar`) (latent values each; |mu| ≤ 1000,
    /// |logvar| ≤ 30), in nats: the mean of log p(x | zₖ) over `samples` (2 to 100 000) draws
    /// zₖ = mu + σ·εₖ seeded by `seed`, minus the closed-form KL. { elbo, standardError }.
    /// Calls with the same seed share their ε (common random numbers), so two q's compare
    /// with far less noise than either estimate carries.
    #[wasm_bindgen(
        js_name = elboOf,
        unchecked_return_type = "{ elbo: number, standardError: number }"
    )]
    pub fn elbo_of(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] mu: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] logvar: JsValue,
        samples: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let x = self.one_image(&x)?;
        let (mu, logvar) = (floats(&mu, "mu")?, floats(&logvar, "logvar")?);
        let samples = whole(samples, "samples", 2.0, MAX_ELBO_SAMPLES)? as usize;
        let seed = convert::seed(seed, "seed")?;
        let e = self.core.vae().elbo_of(&x, &mu, &logvar, samples, seed)?;
        finite(&[e.elbo, e.standard_error])?;
        object(&[
            ("elbo", e.elbo.into()),
            ("standardError", e.standard_error.into()),
        ])
    }
}
