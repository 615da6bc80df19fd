//! What a trained model answers, for JS: `Trainer.latentUsage`, `evaluate`, `encode`,
//! `encodeDistribution`, `decode`, `sample`, `iwae` and `posteriorGrid` (the maths is in
//! [`crate::math::networks::vae`]).

use super::data::RowChecks;
use super::{Trainer, finite};
use crate::math::random::Random;
use crate::wasm::convert::{self, floats, object, whole};
use crate::wasm::error::{ApiError, BoundaryCode};
use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl Trainer {
    /// How the latent dimensions are used on `data` (n × width): { kl, activity, active,
    /// threshold }. kl: Float64Array of the latent dimension's mean KL
    /// ½(μ_d² + σ_d² − 1 − ln σ_d²) over the images, nats (they sum to evaluate's kl);
    /// activity: Float64Array of Var_x μ_d(x), the population variance of the posterior mean
    /// (Burda et al. 2016); active: how many exceed threshold = 0.01.
    #[wasm_bindgen(js_name = latentUsage)]
    pub fn latent_usage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
    ) -> Result<JsValue, ApiError> {
        let data = &floats(&data, "data")?;
        self.core.check_rows(data, "data")?;
        let u = self.core.vae().latent_usage(data)?;
        finite(&u.kl)?;
        finite(&u.activity)?;
        object(&[
            ("kl", js_sys::Float64Array::from(&u.kl[..]).into()),
            (
                "activity",
                js_sys::Float64Array::from(&u.activity[..]).into(),
            ),
            ("active", (u.active as f64).into()),
            (
                "threshold",
                crate::math::networks::vae::ACTIVE_THRESHOLD.into(),
            ),
        ])
    }

    /// { elbo, reconstruction, kl } in nats per image on `data` (n × width), decoding the
    /// posterior mean (deterministic); elbo = −(reconstruction + kl).
    /// Losses on `data`: with `samples` = 0 (the default) at the mean code z = μ (smooth,
    /// deterministic); with `samples` ≥ 1 averaged over that many draws z ~ q(z | x) from
    /// `seed`, an unbiased estimate of the ELBO. The KL term is the closed form either way.
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        samples: Option<f64>,
        seed: Option<f64>,
    ) -> Result<JsValue, ApiError> {
        let data = &floats(&data, "data")?;
        self.core.check_rows(data, "data")?;
        let samples = whole(samples.unwrap_or(0.0), "samples", 0.0, 1e4)? as usize;
        let seed = convert::seed(seed.unwrap_or(0.0), "seed")?;
        let l = if samples == 0 {
            self.core.vae().evaluate(data)?
        } else {
            self.core.vae().evaluate_sampled(data, samples, seed)?
        };
        let (recon, kl) = (f64::from(l.recon), f64::from(l.kl));
        finite(&[recon, kl])?;
        object(&[
            ("elbo", (-(recon + kl)).into()),
            ("reconstruction", recon.into()),
            ("kl", kl.into()),
        ])
    }

    /// The posterior means μ for `data` (n × width), as n × latent values.
    pub fn encode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
    ) -> Result<Vec<f32>, ApiError> {
        let data = &floats(&data, "data")?;
        self.core.check_rows(data, "data")?;
        let mu = self.core.vae().encode(data)?.0;
        finite(&mu)?;
        Ok(mu)
    }

    /// q(z | x) for each row of `data`: { mu, logvar }, each n × latent (row-major).
    #[wasm_bindgen(js_name = encodeDistribution)]
    pub fn encode_distribution(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
    ) -> Result<JsValue, ApiError> {
        let data = &floats(&data, "data")?;
        self.core.check_rows(data, "data")?;
        let (mu, logvar) = self.core.vae().encode(data)?;
        finite(&mu)?;
        finite(&logvar)?;
        object(&[
            ("mu", Float32Array::from(&mu[..]).into()),
            ("logvar", Float32Array::from(&logvar[..]).into()),
        ])
    }

    /// Decoded from latent codes `z` (n × latent): n × width pixel probabilities (Bernoulli)
    /// or means m(z) (Gaussian).
    pub fn decode(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] z: JsValue,
    ) -> Result<Vec<f32>, ApiError> {
        self.decode_codes(&floats(&z, "z")?)
    }

    /// Decodes `n` draws z ~ N(0, I) from a generator seeded by `seed`: n × width values.
    pub fn sample(&self, n: f64, seed: f64) -> Result<Vec<f32>, ApiError> {
        let n = whole(n, "n", 1.0, 1e5)? as usize;
        let mut rng = Random::new(convert::seed(seed, "seed")?);
        let z: Vec<f32> = (0..n * self.core.config().latent)
            .map(|_| rng.standard_normal() as f32)
            .collect();
        self.decode_codes(&z)
    }

    /// { iwae, elbo } in nats per image on `data` (n × width): the importance-weighted bound
    /// log (1/k) Σ p(x | zᵢ) p(zᵢ) / q(zᵢ | x) with `k` (1 to 100 000) draws zᵢ ~ q(z | x)
    /// seeded by `seed`, averaged over images, and the mean one-sample ELBO from the same draws.
    pub fn iwae(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        k: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let data = &floats(&data, "data")?;
        self.core.check_rows(data, "data")?;
        let k = whole(k, "k", 1.0, 1e5)? as usize;
        let est = self
            .core
            .vae()
            .iwae(data, k, convert::seed(seed, "seed")?)?;
        finite(&[est.iwae, est.elbo])?;
        object(&[("iwae", est.iwae.into()), ("elbo", est.elbo.into())])
    }

    /// The posterior p(z | x) of one image `x` (width pixels) on an `n` × `n` grid (2 to 400)
    /// of cell centres over [−halfWidth, halfWidth]², latent 2 only: { density: Float64Array
    /// (row-major, row 0 at the smallest z₂; Σ density · cellArea = 1), cellArea, logEvidence
    /// (the grid estimate of log p(x), nats) }.
    #[wasm_bindgen(js_name = posteriorGrid)]
    pub fn posterior_grid(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] x: JsValue,
        n: f64,
        half_width: f64,
    ) -> Result<JsValue, ApiError> {
        let x = &self.one_image(&x)?;
        let n = whole(n, "n", 2.0, crate::math::networks::vae::MAX_GRID as f64)? as usize;
        // Bounded: a grid of width 10³⁰⁰ or 10⁻³⁰⁰ gives a cell area that overflows or underflows.
        if !(0.01..=1000.0).contains(&half_width) {
            return Err(ApiError::new(BoundaryCode::HalfWidth).with("value", half_width));
        }
        let g = self.core.vae().exact_posterior_grid(x, n, half_width)?;
        finite(&g.density)?;
        finite(&[g.log_evidence])?;
        object(&[
            ("density", js_sys::Float64Array::from(&g.density[..]).into()),
            ("cellArea", g.cell_area.into()),
            ("logEvidence", g.log_evidence.into()),
        ])
    }
}

/// Helpers that are not part of the JS API.
impl Trainer {
    /// [`Trainer::decode`] for codes already read from JS.
    fn decode_codes(&self, z: &[f32]) -> Result<Vec<f32>, ApiError> {
        self.core
            .check_batch(z.len() / self.core.config().latent.max(1), "z")?;
        let x = self.core.vae().decode(z)?;
        finite(&x)?;
        Ok(x)
    }
}
