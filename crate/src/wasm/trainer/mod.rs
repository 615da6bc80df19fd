//! Chapter 5's VAE trainer for JS: the `Trainer` handle over a
//! [`Training`](crate::math::networks::train::Training), usable from a Web Worker or Node.
//!
//! The training itself (settings, epoch loop, divergence) is in
//! [`crate::math::networks::train`]; this module only converts JS values, checks what only the
//! boundary can ([`config`], [`data`]) and calls. Here: the handle, its settings and
//! `trainEpoch`; what a trained model answers is in [`queries`], the weights file (and
//! `exportWeights`, `importWeights`, `fromWeights`) in [`weights`], the data loaders
//! (`loadDigits`, `loadToy`, `loadPoints`) in [`data`].

use crate::math::networks::train::{TrainError, Training};
use crate::wasm::convert::{self, floats, object, whole};
use crate::wasm::error::{ApiError, BoundaryCode};
use wasm_bindgen::prelude::*;

pub mod config;
pub mod data;
mod gaps;
mod queries;
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
}
