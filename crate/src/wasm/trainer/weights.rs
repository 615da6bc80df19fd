//! The weights file, `{ version, config, params }`: its one writer ([`export_json`]) and one
//! reader ([`import_json`]); the page's worker hands the text over unparsed.

use super::Trainer;
use super::config::{self, ACTIVATIONS, LIKELIHOODS, MODES, config_bool, get, name};
use crate::math::networks::train::Training;
use crate::wasm::convert::{MAX_SAFE, object, text, whole};
use crate::wasm::error::{ApiError, BoundaryCode};
use js_sys::{Array, JSON};
use wasm_bindgen::prelude::*;

/// Version number written by `exportWeights` and required by `importWeights`.
pub const WEIGHTS_VERSION: u32 = 1;

/// The weights file: `{ version, config, params }`, params in [`Vae::params`] order. f32
/// values print as their shortest round-tripping decimal, so an import restores them exactly.
///
/// [`Vae::params`]: crate::math::networks::vae::Vae::params
pub fn export_json(core: &Training) -> String {
    let c = core.config();
    let params: Vec<String> = core.vae().params().iter().map(f32::to_string).collect();
    format!(
        "{{\"version\":{WEIGHTS_VERSION},\"config\":{{\"width\":{},\"latent\":{},\"hidden\":{},\
         \"beta\":{},\"lr\":{},\"batchSize\":{},\"mode\":\"{}\",\"activation\":\"{}\",\
         \"warmup\":{},\"freeBits\":{},\"binarise\":{},\"likelihood\":\"{}\"}},\"params\":[{}]}}",
        core.width(),
        c.latent,
        c.hidden,
        c.beta,
        c.lr,
        c.batch_size,
        name(&MODES, c.mode),
        name(&ACTIVATIONS, c.activation),
        c.warmup,
        c.free_bits,
        c.binarise,
        name(&LIKELIHOODS, c.likelihood),
        params.join(",")
    )
}

/// Reads `exportWeights`' JSON into `core`. The version, the architecture (width, latent,
/// hidden, mode, activation, likelihood) and the number of parameters must match; on any error
/// the model is kept. Returns the file's `config.binarise` (false when absent).
pub fn import_json(core: &mut Training, json: &str) -> Result<bool, ApiError> {
    import_parsed(core, &parse(json)?)
}

/// A weights file's text, parsed (error weights-not-json if it is not JSON).
pub fn parse(json: &str) -> Result<JsValue, ApiError> {
    JSON::parse(json).map_err(|_| ApiError::new(BoundaryCode::WeightsNotJson))
}

/// The settings a weights file's config states, beside its architecture and recipe. The KL
/// warm-up and the free bits are absent from files written before they existed: then
/// undefined, so the constructor's defaults (0, off).
pub const SETTINGS: [&str; 10] = [
    "latent",
    "hidden",
    "beta",
    "lr",
    "batchSize",
    "mode",
    "activation",
    "likelihood",
    "warmup",
    "freeBits",
];

/// [`import_json`] for a file already parsed: the file is read once.
pub fn import_parsed(core: &mut Training, root: &JsValue) -> Result<bool, ApiError> {
    if !root.is_object() {
        return Err(ApiError::new(BoundaryCode::WeightsNotObject));
    }
    let version = get(root, "version");
    if version.as_f64() != Some(f64::from(WEIGHTS_VERSION)) {
        return Err(ApiError::new(BoundaryCode::WeightsVersion)
            .with("version", version_text(&version))
            .with("supported", WEIGHTS_VERSION));
    }
    let config = get(root, "config");
    if !config.is_object() {
        return Err(ApiError::new(BoundaryCode::WeightsNoConfig));
    }
    let mode = get(&config, "mode")
        .as_string()
        .ok_or_else(|| ApiError::new(BoundaryCode::WeightsNotString).with("key", "mode"))?;
    let activation = get(&config, "activation");
    let activation = if activation.is_undefined() {
        "tanh".to_string() // files written before the option existed
    } else {
        activation.as_string().ok_or_else(|| {
            ApiError::new(BoundaryCode::WeightsNotString).with("key", "activation")
        })?
    };
    let likelihood = get(&config, "likelihood");
    let likelihood = if likelihood.is_undefined() {
        "bernoulli".to_string() // files written before the option existed
    } else {
        likelihood.as_string().ok_or_else(|| {
            ApiError::new(BoundaryCode::WeightsNotString).with("key", "likelihood")
        })?
    };
    let params = get(root, "params");
    if !Array::is_array(&params) {
        return Err(ApiError::new(BoundaryCode::WeightsParamsNotArray));
    }
    let params: Vec<f32> = Array::from(&params)
        .iter()
        .enumerate()
        .map(|(i, v)| match v.as_f64() {
            Some(x) if x.is_finite() => Ok(x as f32),
            _ => Err(ApiError::new(BoundaryCode::WeightsParamNotFinite).with("index", i)),
        })
        .collect::<Result<_, _>>()?;
    // The recipe the file was trained with; files written before the field existed
    // were trained on grey levels. Not required to match: it is not the architecture.
    let binarise = config_bool(&config, "binarise", BoundaryCode::WeightsNotBoolean)?;
    import(
        core,
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

/// Replaces the parameters after checking the architecture; on an error nothing changes.
#[allow(clippy::too_many_arguments)] // one per field of the weights file's config
pub fn import(
    core: &mut Training,
    width: usize,
    latent: usize,
    hidden: usize,
    mode: &str,
    activation: &str,
    likelihood: &str,
    params: &[f32],
) -> Result<(), ApiError> {
    let c = *core.config();
    let expected = [
        ("width", width, core.width()),
        ("latent", latent, c.latent),
        ("hidden", hidden, c.hidden),
    ];
    for (name, got, want) in expected {
        if got != want {
            return Err(ApiError::new(BoundaryCode::WeightsShape)
                .with("key", name)
                .with("got", got)
                .with("want", want));
        }
    }
    let options = [
        ("mode", mode, name(&MODES, c.mode)),
        ("activation", activation, name(&ACTIVATIONS, c.activation)),
        ("likelihood", likelihood, name(&LIKELIHOODS, c.likelihood)),
    ];
    for (key, got, want) in options {
        if got != want {
            return Err(ApiError::new(BoundaryCode::WeightsOption)
                .with("key", key)
                .with("got", got)
                .with("want", want));
        }
    }
    let count = core.vae().num_params();
    if params.len() != count {
        return Err(ApiError::new(BoundaryCode::WeightsParamCount)
            .with("got", params.len())
            .with("want", count));
    }
    // The checks above leave set_params nothing to reject; its own error is passed on.
    Ok(core.set_params(params)?)
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

/// A whole number field of the imported config.
fn imported_whole(config: &JsValue, key: &str) -> Result<usize, ApiError> {
    let v = get(config, key).as_f64().unwrap_or(f64::NAN);
    let v = whole(v, &format!("importWeights: config.{key}"), 0.0, MAX_SAFE)?;
    // Saturating: a huge value must not wrap round to a size this trainer happens to have.
    Ok(usize::try_from(v).unwrap_or(usize::MAX))
}

#[wasm_bindgen]
impl Trainer {
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
        let json = &text(&json, "json")?;
        let binarise = import_json(&mut self.core, json)?;
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
        let root = parse(&text(&json, "json")?)?;
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
        let settings: Vec<(&str, JsValue)> = SETTINGS
            .iter()
            .map(|&key| (key, config::get(&config, key)))
            .collect();
        let likelihood = config::get(&config, "likelihood");
        let bernoulli =
            likelihood.is_undefined() || likelihood.as_string().as_deref() == Some("bernoulli");
        let mut build = settings.clone();
        build.push(("binarise", (binarise && bernoulli).into()));
        let mut trainer = Trainer::new(data, width, object(&build)?, seed)?;
        let stated = import_parsed(&mut trainer.core, &root)?;
        object(&[
            ("trainer", trainer.into()),
            ("config", object(&settings)?),
            ("binarise", stated.into()),
        ])
    }
}

#[cfg(test)]
mod tests;
