//! The trainer's settings as JS gives them: the numbers and names of `new Trainer(…, config)`,
//! checked into a [`TrainerConfig`]. One name table per enum, used both to parse a name and to
//! print it (getters, the weights file).

use crate::math::networks::mlp::Activation;
use crate::math::networks::train::TrainerConfig;
use crate::math::networks::vae::{Likelihood, Mode};
use crate::wasm::convert::whole;
use crate::wasm::error::{ApiError, BoundaryCode};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// Largest latent dimension the trainer accepts.
pub const MAX_LATENT: usize = 16;
/// Largest hidden layer the trainer accepts.
pub const MAX_HIDDEN: usize = 4096;
/// Largest KL weight β.
pub const MAX_BETA: f64 = 1e6;
/// Longest KL warm-up, in epochs.
pub const MAX_WARMUP: f64 = 10_000.0;
/// Largest free bits λ, in nats per latent dimension.
pub const MAX_FREE_BITS: f64 = 100.0;
/// Largest learning rate (a million: far past divergence, kept so divergence can be shown).
pub const MAX_LR: f64 = 1e6;

/// `config.mode`'s names.
pub const MODES: [(&str, Mode); 2] = [
    ("vae", Mode::Variational),
    ("autoencoder", Mode::Autoencoder),
];
/// `config.activation`'s names.
pub const ACTIVATIONS: [(&str, Activation); 2] =
    [("tanh", Activation::Tanh), ("relu", Activation::Relu)];
/// `config.likelihood`'s names.
pub const LIKELIHOODS: [(&str, Likelihood); 2] = [
    ("bernoulli", Likelihood::Bernoulli),
    ("gaussian", Likelihood::Gaussian),
];

/// The value named `name` in `table`, if any.
pub fn parse<T: Copy>(table: &[(&str, T)], name: &str) -> Option<T> {
    table.iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
}

/// The name of `value` in `table` (every value has one).
pub fn name<T: Copy + PartialEq>(table: &[(&'static str, T)], value: T) -> &'static str {
    table
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("", |&(n, _)| n)
}

/// The two names of `table`, for the messages that list them.
pub fn both<T>(table: &[(&'static str, T); 2]) -> [&'static str; 2] {
    [table[0].0, table[1].0]
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
    pub warmup: f64,
    pub free_bits: f64,
}

impl Default for RawConfig<'_> {
    fn default() -> Self {
        let d = TrainerConfig::default();
        Self {
            latent: 2.0,
            hidden: 128.0,
            beta: 1.0,
            lr: 1e-3,
            batch_size: 64.0,
            mode: name(&MODES, d.mode),
            activation: name(&ACTIVATIONS, d.activation),
            likelihood: name(&LIKELIHOODS, d.likelihood),
            binarise: d.binarise,
            warmup: f64::from(d.warmup),
            free_bits: f64::from(d.free_bits),
        }
    }
}

/// Checks every setting; the error names the first bad one.
pub fn check(raw: &RawConfig) -> Result<TrainerConfig, ApiError> {
    let latent = whole(raw.latent, "config.latent", 1.0, MAX_LATENT as f64)? as usize;
    let hidden = whole(raw.hidden, "config.hidden", 1.0, MAX_HIDDEN as f64)? as usize;
    // Bounded so that the f32 the model uses stays finite.
    if !(0.0..=MAX_BETA).contains(&raw.beta) {
        return Err(ApiError::new(BoundaryCode::ConfigBeta).with("value", raw.beta));
    }
    if !(raw.lr > 0.0 && raw.lr <= MAX_LR) {
        return Err(ApiError::new(BoundaryCode::ConfigLr).with("value", raw.lr));
    }
    let batch_size = whole(raw.batch_size, "config.batchSize", 1.0, 1e6)? as usize;
    let mode = parse(&MODES, raw.mode)
        .ok_or_else(|| ApiError::new(BoundaryCode::ConfigMode).with("value", raw.mode))?;
    let activation = parse(&ACTIVATIONS, raw.activation).ok_or_else(|| {
        ApiError::new(BoundaryCode::ConfigActivation).with("value", raw.activation)
    })?;
    let likelihood = parse(&LIKELIHOODS, raw.likelihood).ok_or_else(|| {
        ApiError::new(BoundaryCode::ConfigLikelihood).with("value", raw.likelihood)
    })?;
    if raw.binarise && likelihood != Likelihood::Bernoulli {
        return Err(ApiError::new(BoundaryCode::ConfigBinariseLikelihood)
            .with("likelihood", name(&LIKELIHOODS, likelihood)));
    }
    let warmup = whole(raw.warmup, "config.warmup", 0.0, MAX_WARMUP)? as u32;
    if !(0.0..=MAX_FREE_BITS).contains(&raw.free_bits) {
        return Err(ApiError::new(BoundaryCode::ConfigFreeBits).with("value", raw.free_bits));
    }
    Ok(TrainerConfig {
        latent,
        hidden,
        beta: raw.beta as f32,
        lr: raw.lr as f32,
        batch_size,
        mode,
        activation,
        likelihood,
        binarise: raw.binarise,
        warmup,
        free_bits: raw.free_bits as f32,
    })
}

/// `target[key]`, undefined when it cannot be read.
pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `config[key]`: `default` when absent, otherwise a number.
pub fn config_number(config: &JsValue, key: &str, default: f64) -> Result<f64, ApiError> {
    let v = get(config, key);
    if v.is_undefined() {
        return Ok(default);
    }
    v.as_f64()
        .ok_or_else(|| ApiError::new(BoundaryCode::ConfigNotNumber).with("key", key))
}

/// `config[key]` as a boolean: `false` when absent, otherwise it must be `true` or `false`
/// (`error` is the code to throw, for the constructor's config or a weights file's).
pub fn config_bool(
    config: &JsValue,
    key: &'static str,
    error: BoundaryCode,
) -> Result<bool, ApiError> {
    let v = get(config, key);
    if v.is_undefined() {
        return Ok(false);
    }
    v.as_bool()
        .ok_or_else(|| ApiError::new(error).with("key", key))
}

/// The constructor's `config` object (undefined or null: every default) checked.
pub fn from_js(config: &JsValue) -> Result<TrainerConfig, ApiError> {
    let d = RawConfig::default();
    let given = !(config.is_undefined() || config.is_null());
    if given && !config.is_object() {
        return Err(ApiError::new(BoundaryCode::ConfigNotObject));
    }
    // A string option: `default` when absent; the error names the two allowed values.
    let text_field = |key: &str, default: &str, allowed: [&str; 2]| -> Result<String, ApiError> {
        let v = if given {
            get(config, key)
        } else {
            JsValue::UNDEFINED
        };
        if v.is_undefined() {
            return Ok(default.to_string());
        }
        v.as_string().ok_or_else(|| {
            ApiError::new(BoundaryCode::ConfigNotChoice)
                .with("key", key)
                .with("a", allowed[0])
                .with("b", allowed[1])
        })
    };
    let mode = text_field("mode", d.mode, both(&MODES))?;
    let activation = text_field("activation", d.activation, both(&ACTIVATIONS))?;
    let likelihood = text_field("likelihood", d.likelihood, both(&LIKELIHOODS))?;
    let number = |key: &str, default: f64| {
        if given {
            config_number(config, key, default)
        } else {
            Ok(default)
        }
    };
    check(&RawConfig {
        latent: number("latent", d.latent)?,
        hidden: number("hidden", d.hidden)?,
        beta: number("beta", d.beta)?,
        lr: number("lr", d.lr)?,
        batch_size: number("batchSize", d.batch_size)?,
        mode: &mode,
        activation: &activation,
        likelihood: &likelihood,
        binarise: given && config_bool(config, "binarise", BoundaryCode::ConfigNotBoolean)?,
        warmup: number("warmup", d.warmup)?,
        free_bits: number("freeBits", d.free_bits)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wasm::trainer::data::check_rows;

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
            (RawConfig { warmup: -1.0, ..d }, "config.warmup"),
            (RawConfig { warmup: 2.5, ..d }, "config.warmup"),
            (
                RawConfig {
                    warmup: 10_001.0,
                    ..d
                },
                "config.warmup",
            ),
            (
                RawConfig {
                    free_bits: -0.1,
                    ..d
                },
                "config.freeBits",
            ),
            (
                RawConfig {
                    free_bits: f64::NAN,
                    ..d
                },
                "config.freeBits",
            ),
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
            let e = check(&raw).unwrap_err().to_string();
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
        assert_eq!(check(&d).unwrap().likelihood, Likelihood::Bernoulli);
        let g = RawConfig {
            likelihood: "gaussian",
            ..d
        };
        assert_eq!(check(&g).unwrap().likelihood, Likelihood::Gaussian);
        let e = check(&RawConfig {
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
    fn binarise_needs_a_bernoulli_likelihood() {
        let d = RawConfig::default();
        assert!(!check(&d).unwrap().binarise);
        let on = RawConfig {
            binarise: true,
            ..d
        };
        assert!(check(&on).unwrap().binarise);
        let e = check(&RawConfig {
            likelihood: "gaussian",
            ..on
        })
        .unwrap_err();
        assert_eq!(e.code(), BoundaryCode::ConfigBinariseLikelihood);
        assert!(e.to_string().contains("\"gaussian\""), "{e}");
    }

    #[test]
    fn warmup_and_free_bits_default_to_off_and_are_checked() {
        let d = RawConfig::default();
        let c = check(&d).unwrap();
        assert_eq!((c.warmup, c.free_bits), (0, 0.0));
        let c = check(&RawConfig {
            warmup: 20.0,
            free_bits: 0.25,
            ..d
        })
        .unwrap();
        assert_eq!((c.warmup, c.free_bits), (20, 0.25));
        let e = check(&RawConfig {
            free_bits: 101.0,
            ..d
        })
        .unwrap_err();
        assert_eq!(e.code(), BoundaryCode::ConfigFreeBits);
    }

    #[test]
    fn every_name_prints_as_it_parses() {
        for (n, v) in MODES {
            assert_eq!((parse(&MODES, n), name(&MODES, v)), (Some(v), n));
        }
        for (n, v) in ACTIVATIONS {
            assert_eq!(
                (parse(&ACTIVATIONS, n), name(&ACTIVATIONS, v)),
                (Some(v), n)
            );
        }
        for (n, v) in LIKELIHOODS {
            assert_eq!(
                (parse(&LIKELIHOODS, n), name(&LIKELIHOODS, v)),
                (Some(v), n)
            );
        }
        assert_eq!(parse(&MODES, "gan"), None);
    }
}
