//! Chapter 5's VAE trainer: a [`Vae`] plus its training set, trained one epoch at a time
//! (seeded shuffling, minibatches), usable from a Web Worker or Node.
//!
//! The epoch loop, the shuffle, the config checks and the weights export are plain Rust
//! ([`TrainerConfig`], [`Core`], [`shuffle`], [`export_json`]) so they are unit-tested
//! natively; only the `Trainer` wrapper touches JS values.

use super::convert::{self, MAX_SAFE, bytes, floats, object, text, whole};
use super::error::{ApiError, Code};
use crate::math::InputError;
use crate::math::binarise::binarise_into;
use crate::math::digits::parse_digits;
use crate::math::mlp::Activation;
use crate::math::rng::SplitMix64;
use crate::math::vae::{Likelihood, Losses, Mode, Vae};
use js_sys::{Array, Float32Array, JSON, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

mod gaps;
mod toys;
pub use toys::{TOY_NAMES, ToySplit, toy_split};

/// Largest latent dimension the trainer accepts.
pub const MAX_LATENT: usize = 16;
/// Largest hidden layer the trainer accepts.
pub const MAX_HIDDEN: usize = 4096;
/// Largest KL weight β.
pub const MAX_BETA: f64 = 1e6;
/// Largest learning rate (a million: far past divergence, kept so divergence can be shown).
pub const MAX_LR: f64 = 1e6;
/// Largest width × hidden (about half the weights): 2²⁴, 64 MB of f32 per copy of the weights.
pub const MAX_WEIGHTS: u64 = 1 << 24;
/// Largest rows × max(width, hidden) one call may push through the network at once: 2²⁵
/// f32 values (128 MB) per layer's activations.
pub const MAX_ACTIVATIONS: u64 = 1 << 25;
/// Version number written by `exportWeights` and required by `importWeights`.
pub const WEIGHTS_VERSION: u32 = 1;

/// Checked training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainerConfig {
    /// Latent dimension Z, 1 to [`MAX_LATENT`].
    pub latent: usize,
    /// Hidden units H, 1 to [`MAX_HIDDEN`].
    pub hidden: usize,
    /// Weight of the KL term, finite and ≥ 0.
    pub beta: f32,
    /// Adam learning rate, finite and > 0.
    pub lr: f32,
    /// Examples per minibatch, ≥ 1 (the last batch of an epoch may be smaller).
    pub batch_size: usize,
    /// Variational or plain autoencoder.
    pub mode: Mode,
    /// The hidden layers' non-linearity.
    pub activation: Activation,
    /// The decoder's observation model.
    pub likelihood: Likelihood,
    /// Dynamic binarisation: each epoch every training pixel is drawn afresh, 1 with
    /// probability its grey level ([`binarise_into`], seeded by [`binarise_seed`]). Only with
    /// [`Likelihood::Bernoulli`].
    pub binarise: bool,
}

/// The settings as JS numbers and a mode string, before checking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawConfig<'a> {
    pub latent: f64,
    pub hidden: f64,
    pub beta: f64,
    pub lr: f64,
    pub batch_size: f64,
    pub mode: &'a str,
    pub activation: &'a str,
    pub likelihood: &'a str,
    pub binarise: bool,
}

impl Default for RawConfig<'_> {
    fn default() -> Self {
        Self {
            latent: 2.0,
            hidden: 128.0,
            beta: 1.0,
            lr: 1e-3,
            batch_size: 64.0,
            mode: "vae",
            activation: "tanh",
            likelihood: "bernoulli",
            binarise: false,
        }
    }
}

fn activation_name(activation: Activation) -> &'static str {
    match activation {
        Activation::Tanh => "tanh",
        Activation::Relu => "relu",
    }
}

fn likelihood_name(likelihood: Likelihood) -> &'static str {
    match likelihood {
        Likelihood::Bernoulli => "bernoulli",
        Likelihood::Gaussian => "gaussian",
    }
}

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Variational => "vae",
        Mode::Autoencoder => "autoencoder",
    }
}

impl TrainerConfig {
    /// Checks every setting; the error names the first bad one.
    pub fn check(raw: &RawConfig) -> Result<Self, ApiError> {
        let latent = whole(raw.latent, "config.latent", 1.0, MAX_LATENT as f64)? as usize;
        let hidden = whole(raw.hidden, "config.hidden", 1.0, MAX_HIDDEN as f64)? as usize;
        // Bounded so that the f32 the model uses stays finite.
        if !(0.0..=MAX_BETA).contains(&raw.beta) {
            return Err(ApiError::new(Code::ConfigBeta).with("value", raw.beta));
        }
        if !(raw.lr > 0.0 && raw.lr <= MAX_LR) {
            return Err(ApiError::new(Code::ConfigLr).with("value", raw.lr));
        }
        let batch_size = whole(raw.batch_size, "config.batchSize", 1.0, 1e6)? as usize;
        let mode = match raw.mode {
            "vae" => Mode::Variational,
            "autoencoder" => Mode::Autoencoder,
            other => {
                return Err(ApiError::new(Code::ConfigMode).with("value", other));
            }
        };
        let activation = match raw.activation {
            "tanh" => Activation::Tanh,
            "relu" => Activation::Relu,
            other => {
                return Err(ApiError::new(Code::ConfigActivation).with("value", other));
            }
        };
        let likelihood = match raw.likelihood {
            "bernoulli" => Likelihood::Bernoulli,
            "gaussian" => Likelihood::Gaussian,
            other => {
                return Err(ApiError::new(Code::ConfigLikelihood).with("value", other));
            }
        };
        if raw.binarise && likelihood != Likelihood::Bernoulli {
            return Err(ApiError::new(Code::ConfigBinariseLikelihood)
                .with("likelihood", likelihood_name(likelihood)));
        }
        Ok(Self {
            latent,
            hidden,
            beta: raw.beta as f32,
            lr: raw.lr as f32,
            batch_size,
            mode,
            activation,
            likelihood,
            binarise: raw.binarise,
        })
    }
}

/// Fisher–Yates: shuffles `items` in place, uniformly, drawing from `rng`.
pub fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        // Multiply-shift maps 64 random bits onto 0..=i (bias ≤ 2⁻⁴⁰ for any realistic i).
        let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
        items.swap(i, j);
    }
}

/// The seed of the binarisation of epoch `epoch` (1 for the first) of a trainer seeded by
/// `seed`: the pair hashed through SplitMix64, so every epoch draws its own pixels, from a
/// stream unrelated to the shuffle's.
pub fn binarise_seed(seed: u64, epoch: u32) -> u64 {
    let base = SplitMix64::new(seed ^ 0xB1AA_815E_D1A7_A5E5).next_u64();
    SplitMix64::new(base ^ u64::from(epoch).wrapping_mul(0x94D0_49BB_1331_11EB)).next_u64()
}

/// Mean losses over an epoch, in nats per example.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochLosses {
    pub loss: f64,
    pub recon: f64,
    pub kl: f64,
}

/// The model, its data and its settings: everything but the JS glue.
#[derive(Debug, Clone)]
pub struct Core {
    vae: Vae,
    data: Vec<f32>,
    width: usize,
    config: TrainerConfig,
    seed: u64,
    epoch: u32,
    // Reused by every epoch (no allocation once warmed up): this epoch's binarised copy of
    // `data` (empty unless binarising), the shuffled order and one minibatch.
    binary: Vec<f32>,
    order: Vec<usize>,
    batch: Vec<f32>,
}

impl Core {
    /// Checks `data` ((n, width), n ≥ 1, finite; in [0, 1] for a Bernoulli likelihood) and
    /// builds the model from `seed`.
    pub fn new(
        data: Vec<f32>,
        width: usize,
        config: TrainerConfig,
        seed: u64,
    ) -> Result<Self, ApiError> {
        let rows = check_rows(&data, width, config.likelihood, "data")?;
        // u64: on wasm32 width × hidden wraps round in a usize.
        let weights = width as u64 * config.hidden as u64;
        if weights > MAX_WEIGHTS {
            return Err(ApiError::new(Code::TooLarge)
                .with("name", "width × config.hidden")
                .with("value", weights)
                .with("max", MAX_WEIGHTS));
        }
        check_activations(rows, width, config.hidden, "data")?;
        let vae = Vae::with_activation(
            width,
            config.hidden,
            config.latent,
            config.mode,
            config.activation,
            seed,
        )?
        .with_likelihood(config.likelihood);
        Ok(Self {
            vae,
            data,
            width,
            config,
            seed,
            epoch: 0,
            binary: Vec::new(),
            order: Vec::new(),
            batch: Vec::new(),
        })
    }

    /// Completed epochs.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// [`check_rows`] for this trainer's width and likelihood.
    pub fn check_rows(&self, data: &[f32], name: &str) -> Result<usize, ApiError> {
        let rows = check_rows(data, self.width, self.config.likelihood, name)?;
        check_activations(rows, self.width, self.config.hidden, name)?;
        Ok(rows)
    }

    /// Checks that `rows` rows fit through the network at once (see [`MAX_ACTIVATIONS`]).
    pub fn check_batch(&self, rows: usize, name: &str) -> Result<(), ApiError> {
        check_activations(rows, self.width, self.config.hidden, name)
    }

    /// The model.
    pub fn vae(&self) -> &Vae {
        &self.vae
    }

    /// Values per example.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The settings.
    pub fn config(&self) -> &TrainerConfig {
        &self.config
    }

    /// One pass over the data in a shuffled order (from the seed and the epoch number), one
    /// Adam step per minibatch; with `binarise`, over a fresh binarisation of every image
    /// (seeded by [`binarise_seed`] from the seed and the epoch number). Returns the losses
    /// before each step, averaged per example. On an error (a non-finite gradient) the epoch
    /// counter does not advance. Allocates nothing once the first epoch has sized the buffers.
    pub fn train_epoch(&mut self) -> Result<EpochLosses, ApiError> {
        let Self {
            vae,
            data,
            width,
            config,
            seed,
            epoch,
            binary,
            order,
            batch,
        } = self;
        let (width, config) = (*width, *config);
        let n = data.len() / width;
        let mut rng =
            SplitMix64::new(*seed ^ u64::from(*epoch + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
        order.clear();
        order.extend(0..n);
        shuffle(order, &mut rng);
        let source: &[f32] = if config.binarise {
            binarise_into(data, binarise_seed(*seed, *epoch + 1), binary);
            binary
        } else {
            data
        };
        let (mut loss, mut recon, mut kl) = (0.0, 0.0, 0.0);
        for rows in order.chunks(config.batch_size) {
            batch.clear();
            for &r in rows {
                batch.extend_from_slice(&source[r * width..(r + 1) * width]);
            }
            // A gradient that is no longer finite means the steps overshot: training diverged.
            let l: Losses = vae
                .train_step(batch, config.beta, config.lr, rng.next_u64())
                .map_err(|e| match e {
                    InputError::NotFiniteNumber { name: "grads", .. } => {
                        ApiError::new(Code::Diverged)
                    }
                    e => e.into(),
                })?;
            let share = rows.len() as f64 / n as f64;
            loss += f64::from(l.loss) * share;
            recon += f64::from(l.recon) * share;
            kl += f64::from(l.kl) * share;
        }
        *epoch += 1;
        Ok(EpochLosses { loss, recon, kl })
    }

    /// Capacities of the epoch's reused buffers, to check that epochs do not reallocate.
    #[cfg(test)]
    fn buffer_capacities(&self) -> [usize; 3] {
        [
            self.binary.capacity(),
            self.order.capacity(),
            self.batch.capacity(),
        ]
    }

    /// Replaces the parameters after checking the architecture; on an error nothing changes.
    #[allow(clippy::too_many_arguments)] // one per field of the weights file's config
    pub fn import(
        &mut self,
        width: usize,
        latent: usize,
        hidden: usize,
        mode: &str,
        activation: &str,
        likelihood: &str,
        params: &[f32],
    ) -> Result<(), ApiError> {
        let c = &self.config;
        let expected = [
            ("width", width, self.width),
            ("latent", latent, c.latent),
            ("hidden", hidden, c.hidden),
        ];
        for (name, got, want) in expected {
            if got != want {
                return Err(ApiError::new(Code::WeightsShape)
                    .with("key", name)
                    .with("got", got)
                    .with("want", want));
            }
        }
        let options = [
            ("mode", mode, mode_name(c.mode)),
            ("activation", activation, activation_name(c.activation)),
            ("likelihood", likelihood, likelihood_name(c.likelihood)),
        ];
        for (name, got, want) in options {
            if got != want {
                return Err(ApiError::new(Code::WeightsOption)
                    .with("key", name)
                    .with("got", got)
                    .with("want", want));
            }
        }
        if params.len() != self.vae.num_params() {
            return Err(ApiError::new(Code::WeightsParamCount)
                .with("got", params.len())
                .with("want", self.vae.num_params()));
        }
        // The checks above leave set_params nothing to reject; its own error is passed on.
        Ok(self.vae.set_params(params)?)
    }
}

/// The rows of `data`: a non-empty whole number of rows of `width` finite values, in [0, 1]
/// for a Bernoulli `likelihood`.
fn check_rows(
    data: &[f32],
    width: usize,
    likelihood: Likelihood,
    name: &str,
) -> Result<usize, ApiError> {
    if width == 0 {
        return Err(ApiError::new(Code::WidthZero));
    }
    if data.is_empty() {
        return Err(ApiError::new(Code::ImagesEmpty).with("name", name));
    }
    if !data.len().is_multiple_of(width) {
        return Err(ApiError::new(Code::ImagesNotWhole)
            .with("name", name)
            .with("len", data.len())
            .with("width", width));
    }
    if let Some(i) = data.iter().position(|x| !x.is_finite()) {
        return Err(ApiError::new(Code::ValueNotFinite)
            .with("name", name)
            .with("index", i)
            .with("value", data[i]));
    }
    if likelihood == Likelihood::Bernoulli
        && let Some(i) = data.iter().position(|x| !(0.0..=1.0).contains(x))
    {
        return Err(ApiError::new(Code::BernoulliPixel)
            .with("name", name)
            .with("index", i)
            .with("value", data[i]));
    }
    Ok(data.len() / width)
}

/// `rows` × max(`width`, `hidden`) ≤ [`MAX_ACTIVATIONS`], in u64 (no wasm32 wrap-round).
fn check_activations(rows: usize, width: usize, hidden: usize, name: &str) -> Result<(), ApiError> {
    let values = rows as u64 * width.max(hidden) as u64;
    if values > MAX_ACTIVATIONS {
        return Err(ApiError::new(Code::TooLarge)
            .with("name", format!("{name} rows × max(width, hidden)"))
            .with("value", values)
            .with("max", MAX_ACTIVATIONS));
    }
    Ok(())
}

/// The weights file: `{ version, config, params }`, params in [`Vae::params`] order. f32
/// values print as their shortest round-tripping decimal, so an import restores them exactly.
pub fn export_json(core: &Core) -> String {
    let c = core.config();
    let params: Vec<String> = core.vae().params().iter().map(f32::to_string).collect();
    format!(
        "{{\"version\":{WEIGHTS_VERSION},\"config\":{{\"width\":{},\"latent\":{},\"hidden\":{},\
         \"beta\":{},\"lr\":{},\"batchSize\":{},\"mode\":\"{}\",\"activation\":\"{}\",\
         \"binarise\":{},\"likelihood\":\"{}\"}},\"params\":[{}]}}",
        core.width(),
        c.latent,
        c.hidden,
        c.beta,
        c.lr,
        c.batch_size,
        mode_name(c.mode),
        activation_name(c.activation),
        c.binarise,
        likelihood_name(c.likelihood),
        params.join(",")
    )
}

/// `values` unchanged if every one is finite, otherwise the divergence error.
fn finite<T: Copy + Into<f64>>(values: &[T]) -> Result<(), ApiError> {
    if values.iter().all(|&v| v.into().is_finite()) {
        Ok(())
    } else {
        // The model's outputs stopped being finite numbers: the learning rate was too large.
        Err(ApiError::new(Code::Diverged))
    }
}

/// The settings a weights file's config states, beside its architecture and recipe.
const WEIGHTS_SETTINGS: [&str; 8] = [
    "latent",
    "hidden",
    "beta",
    "lr",
    "batchSize",
    "mode",
    "activation",
    "likelihood",
];

/// A weights file's text, parsed (error weights-not-json if it is not JSON).
fn parse_weights(json: &JsValue) -> Result<JsValue, ApiError> {
    JSON::parse(&text(json, "json")?).map_err(|_| ApiError::new(Code::WeightsNotJson))
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A weights file's `version` as written: a number or string as is, else its JS type ("undefined").
fn version_text(version: &JsValue) -> String {
    if let Some(v) = version.as_f64() {
        v.to_string()
    } else if let Some(s) = version.as_string() {
        format!("{s:?}")
    } else {
        version.js_typeof().as_string().unwrap_or_default()
    }
}

/// `config[key]`: `default` when absent, otherwise a number.
fn config_number(config: &JsValue, key: &str, default: f64) -> Result<f64, ApiError> {
    let v = get(config, key);
    if v.is_undefined() {
        return Ok(default);
    }
    v.as_f64()
        .ok_or_else(|| ApiError::new(Code::ConfigNotNumber).with("key", key))
}

/// `config[key]` as a boolean: `false` when absent, otherwise it must be `true` or `false`
/// (`error` is the code to throw, for the constructor's config or a weights file's).
fn config_bool(config: &JsValue, key: &'static str, error: Code) -> Result<bool, ApiError> {
    let v = get(config, key);
    if v.is_undefined() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| ApiError::new(error).with("key", key))
}

/// A whole number field of the imported config.
fn imported_whole(config: &JsValue, key: &str) -> Result<usize, ApiError> {
    let v = get(config, key).as_f64().unwrap_or(f64::NAN);
    let v = whole(v, &format!("importWeights: config.{key}"), 0.0, MAX_SAFE)?;
    // Saturating: a huge value must not wrap round to a size this trainer happens to have.
    Ok(usize::try_from(v).unwrap_or(usize::MAX))
}

/// A VAE (or autoencoder) being trained on one data set.
#[wasm_bindgen]
pub struct Trainer {
    core: Core,
}

#[wasm_bindgen]
impl Trainer {
    /// `data`: n images back to back, `width` pixels each, in [0, 1] (any finite values with
    /// likelihood "gaussian"). `config` (all optional): latent 2 (1–16), hidden 128, beta 1,
    /// lr 1e-3, batchSize 64, mode "vae" or "autoencoder", activation "tanh" or "relu",
    /// likelihood "bernoulli" (pixel logits) or "gaussian" (means, learned σ_x), binarise
    /// false (true: every epoch trains on a fresh binarisation of the images, each pixel 1 with
    /// probability its grey level; Bernoulli only). `seed` (a whole number) fixes the initial
    /// weights, the shuffles, the binarisations and the ε draws.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        width: f64,
        #[wasm_bindgen(
            unchecked_param_type = "{ latent?: number, hidden?: number, beta?: number, lr?: number, batchSize?: number, mode?: \"vae\" | \"autoencoder\", activation?: \"tanh\" | \"relu\", likelihood?: \"bernoulli\" | \"gaussian\", binarise?: boolean }"
        )]
        config: JsValue,
        seed: f64,
    ) -> Result<Trainer, ApiError> {
        let data = floats(&data, "data")?;
        let width = whole(width, "width", 1.0, 1e6)? as usize;
        let d = RawConfig::default();
        let given = !(config.is_undefined() || config.is_null());
        if given && !config.is_object() {
            return Err(ApiError::new(Code::ConfigNotObject));
        }
        // A string option: `default` when absent; the error names the two allowed values.
        let text_field =
            |key: &str, default: &str, allowed: [&str; 2]| -> Result<String, ApiError> {
                let v = if given {
                    get(&config, key)
                } else {
                    JsValue::UNDEFINED
                };
                if v.is_undefined() {
                    return Ok(default.to_string());
                }
                v.as_string().ok_or_else(|| {
                    ApiError::new(Code::ConfigNotChoice)
                        .with("key", key)
                        .with("a", allowed[0])
                        .with("b", allowed[1])
                })
            };
        let mode = text_field("mode", d.mode, ["vae", "autoencoder"])?;
        let activation = text_field("activation", d.activation, ["tanh", "relu"])?;
        let likelihood = text_field("likelihood", d.likelihood, ["bernoulli", "gaussian"])?;
        let number = |key: &str, default: f64| {
            if given {
                config_number(&config, key, default)
            } else {
                Ok(default)
            }
        };
        let raw = RawConfig {
            latent: number("latent", d.latent)?,
            hidden: number("hidden", d.hidden)?,
            beta: number("beta", d.beta)?,
            lr: number("lr", d.lr)?,
            batch_size: number("batchSize", d.batch_size)?,
            mode: &mode,
            activation: &activation,
            likelihood: &likelihood,
            binarise: given && config_bool(&config, "binarise", Code::ConfigNotBoolean)?,
        };
        let config = TrainerConfig::check(&raw)?;
        let seed = convert::seed(seed, "seed")?;
        let core = Core::new(data, width, config, seed)?;
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
        likelihood_name(self.core.config().likelihood).to_string()
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

    /// One epoch: { loss, recon, kl }, the per-image losses (nats) before each step,
    /// averaged over the epoch's minibatches weighted by their size.
    #[wasm_bindgen(js_name = trainEpoch)]
    pub fn train_epoch(&mut self) -> Result<JsValue, ApiError> {
        let l = self.core.train_epoch()?;
        finite(&[l.loss, l.recon, l.kl])?;
        object(&[
            ("loss", l.loss.into()),
            ("recon", l.recon.into()),
            ("kl", l.kl.into()),
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
        let mut rng = SplitMix64::new(convert::seed(seed, "seed")?);
        let z: Vec<f32> = (0..n * self.core.config().latent)
            .map(|_| rng.standard_normal() as f32)
            .collect();
        self.decode_codes(&z)
    }

    /// The weights as a JSON string { version: 1, config, params: [...] }.
    #[wasm_bindgen(js_name = exportWeights)]
    pub fn export_weights(&self) -> String {
        export_json(&self.core)
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
        let binarise = self.import_file(&parse_weights(&json)?)?;
        object(&[("binarise", binarise.into())])
    }

    /// A new Trainer on `data` (n × `width`) with a weights file's settings and parameters, the
    /// file read once: { trainer, config, binarise }. `config` holds the eight settings the
    /// file states (latent, hidden, beta, lr, batchSize, mode, activation, likelihood; absent
    /// ones undefined, so the constructor's defaults), with which the trainer is built, plus
    /// `binarise` and `seed` for further training (binarise only with a Bernoulli likelihood);
    /// `binarise` is the recipe the file states, as importWeights returns it. Errors, in this
    /// order: not JSON; config.width a number other than `width` (weights-shape); the settings,
    /// as the constructor checks them; the rest of the file, as importWeights checks it.
    #[wasm_bindgen(
        js_name = fromWeights,
        unchecked_return_type = "{ trainer: Trainer, config: { latent?: number, hidden?: number, beta?: number, lr?: number, batchSize?: number, mode?: string, activation?: string, likelihood?: string }, binarise: boolean }"
    )]
    pub fn from_weights(
        #[wasm_bindgen(unchecked_param_type = "Float32Array | number[]")] data: JsValue,
        width: f64,
        #[wasm_bindgen(unchecked_param_type = "string")] json: JsValue,
        seed: f64,
        binarise: bool,
    ) -> Result<JsValue, ApiError> {
        let root = parse_weights(&json)?;
        let config = get(&root, "config");
        if let Some(stated) = get(&config, "width").as_f64()
            && stated.is_finite()
            && stated != width
        {
            return Err(ApiError::new(Code::WeightsShape)
                .with("key", "width")
                .with("got", stated)
                .with("want", width));
        }
        let settings: Vec<(&str, JsValue)> = WEIGHTS_SETTINGS
            .iter()
            .map(|&key| (key, get(&config, key)))
            .collect();
        let likelihood = get(&config, "likelihood");
        let bernoulli =
            likelihood.is_undefined() || likelihood.as_string().as_deref() == Some("bernoulli");
        let mut build = settings.clone();
        build.push(("binarise", (binarise && bernoulli).into()));
        let mut trainer = Trainer::new(data, width, object(&build)?, seed)?;
        let stated = trainer.import_file(&root)?;
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
        let latent = self.core.config().latent;
        if latent != 2 {
            return Err(ApiError::new(Code::GridNeedsLatent2).with("latent", latent));
        }
        if x.len() != self.core.width() {
            return Err(ApiError::new(Code::ImageWidth)
                .with("len", x.len())
                .with("width", self.core.width()));
        }
        self.core.check_rows(x, "x")?;
        let n = whole(n, "n", 2.0, crate::math::vae::MAX_GRID as f64)? as usize;
        // Bounded: a grid of width 10³⁰⁰ or 10⁻³⁰⁰ gives a cell area that overflows or underflows.
        if !(0.01..=1000.0).contains(&half_width) {
            return Err(ApiError::new(Code::HalfWidth).with("value", half_width));
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
            ("trainX", Float32Array::from(&d.train.pixels[..]).into()),
            ("trainY", Uint8Array::from(&d.train.labels[..]).into()),
            ("testX", Float32Array::from(&d.test.pixels[..]).into()),
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
        object(&[
            ("trainX", Float32Array::from(&t.train_x[..]).into()),
            ("trainY", Uint8Array::from(&t.train_y[..]).into()),
            ("testX", Float32Array::from(&t.test_x[..]).into()),
            ("testY", Uint8Array::from(&t.test_y[..]).into()),
            ("width", 2.0.into()),
            ("height", 1.0.into()),
            ("pixels", 2.0.into()),
        ])
    }
}

/// Helpers that are not part of the JS API.
impl Trainer {
    /// Reads a parsed weights file into this trainer (see importWeights); returns the recipe
    /// the file states (config.binarise). On any error the model is kept.
    fn import_file(&mut self, root: &JsValue) -> Result<bool, ApiError> {
        if !root.is_object() {
            return Err(ApiError::new(Code::WeightsNotObject));
        }
        let version = get(root, "version");
        if version.as_f64() != Some(f64::from(WEIGHTS_VERSION)) {
            return Err(ApiError::new(Code::WeightsVersion)
                .with("version", version_text(&version))
                .with("supported", WEIGHTS_VERSION));
        }
        let config = get(root, "config");
        if !config.is_object() {
            return Err(ApiError::new(Code::WeightsNoConfig));
        }
        let mode = get(&config, "mode")
            .as_string()
            .ok_or_else(|| ApiError::new(Code::WeightsNotString).with("key", "mode"))?;
        let activation = get(&config, "activation");
        let activation = if activation.is_undefined() {
            "tanh".to_string() // files written before the option existed
        } else {
            activation
                .as_string()
                .ok_or_else(|| ApiError::new(Code::WeightsNotString).with("key", "activation"))?
        };
        let likelihood = get(&config, "likelihood");
        let likelihood = if likelihood.is_undefined() {
            "bernoulli".to_string() // files written before the option existed
        } else {
            likelihood
                .as_string()
                .ok_or_else(|| ApiError::new(Code::WeightsNotString).with("key", "likelihood"))?
        };
        let params = get(root, "params");
        if !Array::is_array(&params) {
            return Err(ApiError::new(Code::WeightsParamsNotArray));
        }
        let params: Vec<f32> = Array::from(&params)
            .iter()
            .enumerate()
            .map(|(i, v)| match v.as_f64() {
                Some(x) if x.is_finite() => Ok(x as f32),
                _ => Err(ApiError::new(Code::WeightsParamNotFinite).with("index", i)),
            })
            .collect::<Result<_, _>>()?;
        // The recipe the file was trained with; files written before the field existed
        // were trained on grey levels. Not required to match: it is not the architecture.
        let binarise = config_bool(&config, "binarise", Code::WeightsNotBoolean)?;
        self.core.import(
            imported_whole(&config, "width")?,
            imported_whole(&config, "latent")?,
            imported_whole(&config, "hidden")?,
            &mode,
            &activation,
            &likelihood,
            &params,
        )?;
        Ok(binarise)
    }

    /// [`Trainer::decode`] for codes already read from JS.
    fn decode_codes(&self, z: &[f32]) -> Result<Vec<f32>, ApiError> {
        self.core
            .check_batch(z.len() / self.core.config().latent.max(1), "z")?;
        let x = self.core.vae().decode(z)?;
        finite(&x)?;
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TrainerConfig {
        TrainerConfig::check(&RawConfig {
            hidden: 8.0,
            lr: 1e-2,
            batch_size: 4.0,
            ..RawConfig::default()
        })
        .unwrap()
    }

    /// Ten 6-pixel images of two kinds.
    fn data() -> Vec<f32> {
        (0..10)
            .flat_map(|i| {
                if i % 2 == 0 {
                    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
                } else {
                    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0]
                }
            })
            .collect()
    }

    #[test]
    fn shuffle_is_a_seeded_permutation() {
        let mut a: Vec<usize> = (0..50).collect();
        let mut b = a.clone();
        shuffle(&mut a, &mut SplitMix64::new(7));
        shuffle(&mut b, &mut SplitMix64::new(7));
        assert_eq!(a, b);
        assert_ne!(a, (0..50).collect::<Vec<_>>());
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        let mut empty: [u8; 0] = [];
        shuffle(&mut empty, &mut SplitMix64::new(1));
    }

    #[test]
    fn bad_configs_name_the_parameter() {
        let d = RawConfig::default();
        let cases = [
            (RawConfig { latent: 0.0, ..d }, "config.latent"),
            (RawConfig { latent: 17.0, ..d }, "config.latent"),
            (RawConfig { lr: f64::NAN, ..d }, "config.lr"),
            (RawConfig { lr: -1.0, ..d }, "config.lr"),
            (RawConfig { beta: -1.0, ..d }, "config.beta"),
            (
                RawConfig {
                    batch_size: 0.0,
                    ..d
                },
                "config.batchSize",
            ),
            (RawConfig { mode: "gan", ..d }, "config.mode"),
            (
                RawConfig {
                    activation: "sigmoid",
                    ..d
                },
                "config.activation",
            ),
            (
                RawConfig {
                    likelihood: "poisson",
                    ..d
                },
                "config.likelihood",
            ),
        ];
        for (raw, name) in cases {
            let e = TrainerConfig::check(&raw).unwrap_err().to_string();
            assert!(e.contains(name), "{e}");
        }
        assert!(
            check_rows(&[0.5; 7], 3, Likelihood::Bernoulli, "data")
                .unwrap_err()
                .to_string()
                .contains("width 3")
        );
        assert!(
            check_rows(&[0.5; 6], 0, Likelihood::Bernoulli, "data")
                .unwrap_err()
                .to_string()
                .contains("width")
        );
        assert!(
            check_rows(&[1.5; 3], 3, Likelihood::Bernoulli, "data")
                .unwrap_err()
                .to_string()
                .contains("data[0]")
        );
    }

    #[test]
    fn likelihood_is_checked_and_sets_the_data_range() {
        let d = RawConfig::default();
        assert_eq!(
            TrainerConfig::check(&d).unwrap().likelihood,
            Likelihood::Bernoulli
        );
        let g = RawConfig {
            likelihood: "gaussian",
            ..d
        };
        assert_eq!(
            TrainerConfig::check(&g).unwrap().likelihood,
            Likelihood::Gaussian
        );
        let e = TrainerConfig::check(&RawConfig {
            likelihood: "Gaussian",
            ..d
        })
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("\"bernoulli\"") && e.contains("\"gaussian\""),
            "{e}"
        );
        let real = [0.0, 0.5, 1.0, 1.7, -2.0, 0.25];
        let e = check_rows(&real, 2, Likelihood::Bernoulli, "data")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("data[3] is 1.7: a Bernoulli likelihood needs pixel values in [0, 1]")
                && e.contains("likelihood \"gaussian\""),
            "{e}"
        );
        assert_eq!(check_rows(&real, 2, Likelihood::Gaussian, "data"), Ok(3));
        let e = check_rows(&[0.0, f32::NAN], 2, Likelihood::Gaussian, "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("x[1]") && e.contains("finite"), "{e}");
    }

    #[test]
    fn a_gaussian_trainer_learns_a_toy_set_and_round_trips_its_weights() {
        let config = TrainerConfig::check(&RawConfig {
            hidden: 16.0,
            lr: 1e-2,
            batch_size: 32.0,
            likelihood: "gaussian",
            ..RawConfig::default()
        })
        .unwrap();
        let toy = toy_split("moons", 320, 4).unwrap();
        let mut core = Core::new(toy.train_x.clone(), 2, config, 1).unwrap();
        let first = core.train_epoch().unwrap();
        let mut last = first;
        for _ in 0..20 {
            last = core.train_epoch().unwrap();
        }
        assert!(last.loss < first.loss, "{last:?} vs {first:?}");
        assert!(core.check_rows(&toy.test_x, "data").is_ok());
        let bern = Core::new(data(), 6, config_with("bernoulli"), 3).unwrap();
        // Gaussian adds log σ_x² (width values) after the Bernoulli layout.
        let gauss = Core::new(data(), 6, config_with("gaussian"), 3).unwrap();
        assert_eq!(gauss.vae().num_params(), bern.vae().num_params() + 6);
        let json = export_json(&core);
        assert!(json.contains("\"likelihood\":\"gaussian\""), "{json}");
        let params = core.vae().params();
        let e = core
            .import(2, 2, 16, "vae", "tanh", "bernoulli", &params)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("config.likelihood") && e.contains("gaussian"),
            "{e}"
        );
        core.import(2, 2, 16, "vae", "tanh", "gaussian", &params)
            .unwrap();
    }

    fn config_with(likelihood: &str) -> TrainerConfig {
        TrainerConfig::check(&RawConfig {
            hidden: 8.0,
            likelihood,
            ..RawConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn epochs_are_deterministic_and_reduce_the_loss() {
        let mut a = Core::new(data(), 6, config(), 3).unwrap();
        let mut b = Core::new(data(), 6, config(), 3).unwrap();
        let first = a.train_epoch().unwrap();
        assert_eq!(first, b.train_epoch().unwrap());
        let mut last = first;
        for _ in 0..40 {
            last = a.train_epoch().unwrap();
        }
        assert_eq!(a.epoch(), 41);
        assert!(last.loss < first.loss, "{last:?} vs {first:?}");
        assert!((last.loss - (last.recon + last.kl)).abs() < 1e-4);
    }

    fn binarising(binarise: bool) -> TrainerConfig {
        TrainerConfig {
            binarise,
            ..config()
        }
    }

    /// Ten 6-pixel grey images.
    fn grey() -> Vec<f32> {
        (0..60).map(|i| ((i * 7) % 17) as f32 / 16.0).collect()
    }

    #[test]
    fn binarise_needs_a_bernoulli_likelihood() {
        let d = RawConfig::default();
        assert!(!TrainerConfig::check(&d).unwrap().binarise);
        let on = RawConfig {
            binarise: true,
            ..d
        };
        assert!(TrainerConfig::check(&on).unwrap().binarise);
        let e = TrainerConfig::check(&RawConfig {
            likelihood: "gaussian",
            ..on
        })
        .unwrap_err();
        assert_eq!(e.code(), Code::ConfigBinariseLikelihood);
        assert!(e.to_string().contains("\"gaussian\""), "{e}");
    }

    #[test]
    fn binarised_epochs_are_deterministic_fresh_and_allocation_free() {
        let mut a = Core::new(grey(), 6, binarising(true), 3).unwrap();
        let mut b = Core::new(grey(), 6, binarising(true), 3).unwrap();
        let mut plain = Core::new(grey(), 6, binarising(false), 3).unwrap();
        let first = a.train_epoch().unwrap();
        assert_eq!(first, b.train_epoch().unwrap());
        assert_ne!(first, plain.train_epoch().unwrap());
        // This epoch's pixels: binary, the binarisation of the grey data with epoch 1's seed.
        assert_eq!(
            a.binary,
            crate::math::binarise::binarise(&grey(), binarise_seed(3, 1))
        );
        let epoch1 = a.binary.clone();
        let warmed = a.buffer_capacities();
        assert!(warmed.iter().all(|&c| c > 0), "{warmed:?}");
        for _ in 0..5 {
            assert_eq!(a.train_epoch().unwrap(), b.train_epoch().unwrap());
            assert_eq!(a.buffer_capacities(), warmed);
        }
        assert_ne!(a.binary, epoch1, "every epoch draws the pixels afresh");
        assert_eq!(a.vae().params(), b.vae().params());
        assert_ne!(binarise_seed(3, 1), binarise_seed(3, 2));
        assert_ne!(binarise_seed(3, 1), binarise_seed(4, 1));
        // Already binary images binarise to themselves: the same training bit for bit.
        let mut on = Core::new(data(), 6, binarising(true), 5).unwrap();
        let mut off = Core::new(data(), 6, binarising(false), 5).unwrap();
        for _ in 0..3 {
            assert_eq!(on.train_epoch().unwrap(), off.train_epoch().unwrap());
        }
        assert_eq!(on.vae().params(), off.vae().params());
        let json = export_json(&on);
        assert!(json.contains("\"binarise\":true,\"likelihood\""), "{json}");
        assert!(export_json(&off).contains("\"binarise\":false,"));
    }

    #[test]
    fn import_checks_the_shape_and_keeps_the_model_on_error() {
        let mut core = Core::new(data(), 6, config(), 3).unwrap();
        let before = core.vae().params();
        let e = core
            .import(6, 2, 8, "vae", "tanh", "bernoulli", &before[1..])
            .unwrap_err()
            .to_string();
        assert!(e.contains("params"), "{e}");
        assert!(
            core.import(6, 3, 8, "vae", "tanh", "bernoulli", &before)
                .unwrap_err()
                .to_string()
                .contains("latent")
        );
        assert!(
            core.import(6, 2, 8, "autoencoder", "tanh", "bernoulli", &before)
                .is_err()
        );
        assert_eq!(core.vae().params(), before);
        let moved: Vec<f32> = before.iter().map(|p| p + 0.5).collect();
        assert!(
            core.import(6, 2, 8, "vae", "relu", "bernoulli", &before)
                .is_err()
        );
        core.import(6, 2, 8, "vae", "tanh", "bernoulli", &moved)
            .unwrap();
        assert_eq!(core.vae().params(), moved);
        let json = export_json(&core);
        assert!(json.starts_with("{\"version\":1,\"config\":{\"width\":6,\"latent\":2"));
        assert!(json.contains("\"likelihood\":\"bernoulli\"}"), "{json}");
        let printed = json
            .split("\"params\":[")
            .nth(1)
            .unwrap()
            .trim_end_matches("]}");
        let parsed: Vec<f32> = printed.split(',').map(|s| s.parse().unwrap()).collect();
        assert_eq!(parsed, moved);
    }
}
