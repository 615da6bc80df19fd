//! Chapter 5's VAE trainer for JS: the `Trainer` handle over a
//! [`Training`](crate::math::networks::train::Training), usable from a Web Worker or Node.
//!
//! The training itself (settings, epoch loop, divergence) is in
//! [`crate::math::networks::train`]; this module only converts JS values, checks what only the
//! boundary can ([`config`], [`data`]) and calls. The weights file is [`weights`].

use crate::math::networks::data::digits::parse_digits;
use crate::math::networks::data::points::parse_points;
use crate::math::networks::train::{TrainError, Training};
use crate::math::random::Random;
use crate::wasm::convert::{self, bytes, floats, object, text, whole};
use crate::wasm::error::{ApiError, BoundaryCode};
use data::RowChecks;
use js_sys::{Float32Array, Uint8Array};
use wasm_bindgen::prelude::*;

pub mod config;
pub mod data;
mod gaps;
mod rate;
pub mod weights;
pub use config::MAX_LATENT;
pub use data::{TOY_NAMES, ToySplit, toy_split};

impl From<TrainError> for ApiError {
    fn from(e: TrainError) -> Self {
        match e {
            TrainError::Diverged => ApiError::new(BoundaryCode::Diverged),
            TrainError::Input(e) => e.into(),
        }
    }
}

/// `values` unchanged if every one is finite, otherwise the divergence error.
fn finite<T: Copy + Into<f64>>(values: &[T]) -> Result<(), ApiError> {
    if values.iter().all(|&v| v.into().is_finite()) {
        Ok(())
    } else {
        // The model's outputs stopped being finite numbers: the learning rate was too large.
        Err(ApiError::new(BoundaryCode::Diverged))
    }
}

/// A VAE (or autoencoder) being trained on one data set.
#[wasm_bindgen]
pub struct Trainer {
    core: Training,
}

#[wasm_bindgen]
impl Trainer {
    /// `data`: n images back to back, `width` pixels each, in [0, 1] (any finite values with
    /// likelihood "gaussian"). `config` (all optional): latent 2 (1–16), hidden 128, beta 1,
    /// lr 1e-3, batchSize 64, mode "vae" or "autoencoder", activation "tanh" or "relu",
    /// likelihood "bernoulli" (pixel logits) or "gaussian" (means, learned σ_x), binarise
    /// false (true: every epoch trains on a fresh binarisation of the images, each pixel 1 with
    /// probability its grey level; Bernoulli only), warmup 0 (KL warm-up: β rises linearly
    /// from 0, in epoch e + 1 β·e/warmup, reaching beta after `warmup` epochs; 0 to 10 000),
    /// freeBits 0 (λ in nats per latent dimension, 0 to 100: the KL term becomes
    /// Σ_d max(λ, KL̄_d) with KL̄_d dimension d's KL averaged over the minibatch, so a dimension
    /// under λ is not pushed further towards the prior). `seed` (a whole number) fixes the initial
    /// weights, the shuffles, the binarisations and the ε draws.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        width: f64,
        #[wasm_bindgen(
            unchecked_param_type = "{ latent?: number, hidden?: number, beta?: number, lr?: number, batchSize?: number, mode?: \"vae\" | \"autoencoder\", activation?: \"tanh\" | \"relu\", likelihood?: \"bernoulli\" | \"gaussian\", binarise?: boolean, warmup?: number, freeBits?: number }"
        )]
        config: JsValue,
        seed: f64,
    ) -> Result<Trainer, ApiError> {
        let data = floats(&data, "data")?;
        let width = whole(width, "width", 1.0, 1e6)? as usize;
        let config = config::from_js(&config)?;
        let seed = convert::seed(seed, "seed")?;
        let core = data::training(data, width, config, seed)?;
        Ok(Trainer { core })
    }

    /// Completed epochs.
    #[wasm_bindgen(getter)]
    pub fn epoch(&self) -> u32 {
        self.core.epoch()
    }

    /// Pixels per image.
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> usize {
        self.core.width()
    }

    /// Latent dimension.
    #[wasm_bindgen(getter)]
    pub fn latent(&self) -> usize {
        self.core.config().latent
    }

    /// "bernoulli" or "gaussian".
    #[wasm_bindgen(getter)]
    pub fn likelihood(&self) -> String {
        config::name(&config::LIKELIHOODS, self.core.config().likelihood).to_string()
    }

    /// Whether each epoch trains on a fresh binarisation of the images (config.binarise).
    #[wasm_bindgen(getter)]
    pub fn binarise(&self) -> bool {
        self.core.config().binarise
    }

    /// Number of parameters.
    #[wasm_bindgen(getter, js_name = numParams)]
    pub fn num_params(&self) -> usize {
        self.core.vae().num_params()
    }

    /// One epoch: { loss, recon, kl, beta }, the per-image losses (nats) before each step,
    /// averaged over the epoch's minibatches weighted by their size: loss is the training
    /// objective recon + beta · (the KL term: kl itself, or with free bits Σ_d max(λ, KL̄_d)),
    /// kl the plain KL, beta the KL weight of this epoch (below config.beta during a warm-up).
    #[wasm_bindgen(js_name = trainEpoch)]
    pub fn train_epoch(&mut self) -> Result<JsValue, ApiError> {
        let l = self.core.train_epoch()?;
        finite(&[l.loss, l.recon, l.kl])?;
        object(&[
            ("loss", l.loss.into()),
            ("recon", l.recon.into()),
            ("kl", l.kl.into()),
            ("beta", f64::from(l.beta).into()),
        ])
    }

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

    /// The KL warm-up in epochs (config.warmup).
    #[wasm_bindgen(getter)]
    pub fn warmup(&self) -> u32 {
        self.core.config().warmup
    }

    /// The free bits λ in nats per latent dimension (config.freeBits).
    #[wasm_bindgen(getter, js_name = freeBits)]
    pub fn free_bits(&self) -> f64 {
        f64::from(self.core.config().free_bits)
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

    /// The weights as a JSON string { version: 1, config, params: [...] }.
    #[wasm_bindgen(js_name = exportWeights)]
    pub fn export_weights(&self) -> String {
        weights::export_json(&self.core)
    }

    /// Loads weights from `exportWeights`' JSON. The version, the architecture (width, latent,
    /// hidden, mode, activation, likelihood) and the number of parameters must match; on any
    /// error the model is kept. Returns { binarise }: the training recipe the file states
    /// (config.binarise; false, grey levels, for files written before the field existed),
    /// which need not match this trainer's.
    #[wasm_bindgen(js_name = importWeights, unchecked_return_type = "{ binarise: boolean }")]
    pub fn import_weights(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
    ) -> Result<JsValue, ApiError> {
        let json = &text(&json, "json")?;
        let binarise = weights::import_json(&mut self.core, json)?;
        object(&[("binarise", binarise.into())])
    }

    /// A new Trainer on `data` (n × `width`) with a weights file's settings and parameters, the
    /// file read once: { trainer, config, binarise }. `config` holds the ten settings the
    /// file states (latent, hidden, beta, lr, batchSize, mode, activation, likelihood, warmup,
    /// freeBits; absent
    /// ones undefined, so the constructor's defaults), with which the trainer is built, plus
    /// `binarise` and `seed` for further training (binarise only with a Bernoulli likelihood);
    /// `binarise` is the recipe the file states, as importWeights returns it. Errors, in this
    /// order: not JSON; config.width a number other than `width` (weights-shape); the settings,
    /// as the constructor checks them; the rest of the file, as importWeights checks it.
    #[wasm_bindgen(
        js_name = fromWeights,
        unchecked_return_type = "{ trainer: Trainer, config: { latent?: number, hidden?: number, beta?: number, lr?: number, batchSize?: number, mode?: string, activation?: string, likelihood?: string, warmup?: number, freeBits?: number }, binarise: boolean }"
    )]
    pub fn from_weights(
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        width: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
        seed: f64,
        binarise: bool,
    ) -> Result<JsValue, ApiError> {
        let root = weights::parse(&text(&json, "json")?)?;
        let config = config::get(&root, "config");
        if let Some(stated) = config::get(&config, "width").as_f64()
            && stated.is_finite()
            && stated != width
        {
            return Err(ApiError::new(BoundaryCode::WeightsShape)
                .with("key", "width")
                .with("got", stated)
                .with("want", width));
        }
        let settings: Vec<(&str, JsValue)> = weights::SETTINGS
            .iter()
            .map(|&key| (key, config::get(&config, key)))
            .collect();
        let likelihood = config::get(&config, "likelihood");
        let bernoulli =
            likelihood.is_undefined() || likelihood.as_string().as_deref() == Some("bernoulli");
        let mut build = settings.clone();
        build.push(("binarise", (binarise && bernoulli).into()));
        let mut trainer = Trainer::new(data, width, object(&build)?, seed)?;
        let stated = weights::import_parsed(&mut trainer.core, &root)?;
        object(&[
            ("trainer", trainer.into()),
            ("config", object(&settings)?),
            ("binarise", stated.into()),
        ])
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
        let x = &floats(&x, "x")?;
        if x.len() != self.core.width() {
            return Err(ApiError::new(BoundaryCode::ImageWidth)
                .with("len", x.len())
                .with("width", self.core.width()));
        }
        self.core.check_rows(x, "x")?;
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

    /// Parses `digits.bin`: { trainX, trainY, testX, testY, width, height, pixels }, with
    /// images as Float32Array rows of `pixels` = width × height values in [0, 1] (pass
    /// `pixels` as the Trainer's width) and labels as Uint8Array.
    #[wasm_bindgen(js_name = loadDigits)]
    pub fn load_digits(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<JsValue, ApiError> {
        let d = parse_digits(&self::bytes(&bytes, "bytes")?)?;
        object(&[
            ("trainX", Float32Array::from(d.train.flat()).into()),
            ("trainY", Uint8Array::from(&d.train.labels[..]).into()),
            ("testX", Float32Array::from(d.test.flat()).into()),
            ("testY", Uint8Array::from(&d.test.labels[..]).into()),
            ("width", (d.width as f64).into()),
            ("height", (d.height as f64).into()),
            ("pixels", (d.pixels_per_image() as f64).into()),
        ])
    }

    /// A seeded 2-D toy set in loadDigits' shape: `name` "mixture", "moons", "rings" or
    /// "spiral" (see [`toy_split`] for each one's parameters), `n` points (16 to 20 000,
    /// 80% train / 20% test), `seed` a whole number. Rows are (x, y) points, pixels = 2
    /// (train with likelihood "gaussian"); labels are the generator's classes.
    #[wasm_bindgen(js_name = loadToy)]
    pub fn load_toy(
        #[wasm_bindgen(unchecked_param_type = "\"mixture\" | \"moons\" | \"rings\" | \"spiral\"")]
        name: JsValue,
        n: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let name = text(&name, "name")?;
        let n = whole(n, "n", 16.0, 20_000.0)? as usize;
        let t = toy_split(&name, n, convert::seed(seed, "seed")?)?;
        object(&split_fields(&t))
    }

    /// The reader's own 2-D points from CSV `text` (x, y and an optional label per line, a
    /// header optional; see [`parse_points`]) in loadToy's shape, centred and divided by one
    /// scale (unit spread), shuffled from `seed` and split 80/20; plus `labelNames` (labels
    /// by class number, empty without a label column), `mean` [x, y], `scale` and `header`.
    /// Bad files throw coded errors (csv-…) naming the line.
    #[wasm_bindgen(js_name = loadPoints)]
    pub fn load_points(
        #[wasm_bindgen(unchecked_param_type = "string")] csv: JsValue,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let csv = text(&csv, "text")?;
        let seed = convert::seed(seed, "seed")?;
        let p = parse_points(&csv)?;
        let t = p.split(seed);
        let names: js_sys::Array = p.label_names.iter().map(|s| JsValue::from_str(s)).collect();
        let mut fields = split_fields(&t);
        fields.extend([
            ("labelNames", names.into()),
            ("mean", js_sys::Float64Array::from(&p.mean[..]).into()),
            ("scale", p.scale.into()),
            ("header", p.header.into()),
        ]);
        object(&fields)
    }
}

/// A 2-D split in loadDigits' shape: trainX, trainY, testX, testY, width 2, height 1, pixels 2.
fn split_fields(t: &ToySplit) -> Vec<(&'static str, JsValue)> {
    vec![
        (
            "trainX",
            Float32Array::from(t.train_x.as_slice().unwrap_or_default()).into(),
        ),
        ("trainY", Uint8Array::from(&t.train_y[..]).into()),
        (
            "testX",
            Float32Array::from(t.test_x.as_slice().unwrap_or_default()).into(),
        ),
        ("testY", Uint8Array::from(&t.test_y[..]).into()),
        ("width", 2.0.into()),
        ("height", 1.0.into()),
        ("pixels", 2.0.into()),
    ]
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
