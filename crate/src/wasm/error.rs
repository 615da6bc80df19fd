//! The errors the JS API throws: a JS `Error` whose `message` is the English text, plus a
//! stable `code` (see [`Code::id`]) and language-neutral `params` (an object of strings), so a
//! page can show the message in its own language from a template per code.
//!
//! Each layer owns the codes it raises: the core's [`Code`] (in [`crate::math::error`], shared
//! with [`InputError`]'s `Display`) and, here, the [`BoundaryCode`]s only this layer raises
//! (argument types, sizes the page cannot hold, the charts, the trainer's config and weights
//! file). [`ApiCode`] is either; [`error_catalogue`] lists both.

use crate::math::InputError;
pub use crate::math::error::Code;
use crate::math::error::{codes, fill, readable};
use js_sys::{Array, Object, Reflect};
use std::fmt;
use wasm_bindgen::prelude::*;

codes! {
    /// The kind of an error only the JS boundary raises: one variant per message shape.
    pub enum BoundaryCode {
        // sizes
        TooLarge => "too-large", "{name} is {value}: it must be at most {max} (larger sizes do not fit in the page's memory)";
        // fresh seeds (wasm/random.rs)
        NoEntropy => "no-entropy", "no fresh seed could be drawn: the system's random source failed ({reason}). Pick a preset or edit p and q by hand instead, or open the page with a seed in its link (?kl-discrete=seed:42) to draw p and q from that seed";
        // wasm layer: argument conversion
        NotNumberArray => "not-number-array", "{name} must be an array of numbers or a Float64Array (got {type})";
        NotNumber => "not-number", "{name} must be a number (got {type})";
        NotFloatArray => "not-float-array", "{name} must be a Float32Array or an array of numbers (got {type})";
        NotByteArray => "not-byte-array", "{name} must be a Uint8Array of the file's bytes (got {type})";
        NotString => "not-string", "{name} must be a string (got {type})";
        NotStringArray => "not-string-array", "{name} must be an array of strings (got {type})";
        ResultObject => "result-object", "could not build the result object";
        WholeNumber => "whole-number", "{name} is {value}: it must be a whole number from {lo} to {hi}";
        // the reader's own text (wasm/info.rs textReport)
        TextMode => "text-mode", "mode is \"{mode}\": use \"letter\" (every character is a symbol) or \"word\" (every word is a symbol)";
        // charts
        NoContext => "no-context", "the canvas has no 2D drawing context";
        DrawingFailed => "drawing-failed", "drawing the chart failed: {detail}";
        LabelCount => "label-count", "labels must hold {count} strings";
        BarValues => "bar-values", "values must hold {series} × {categories} numbers (got {len})";
        StackedParts => "stacked-parts", "values, colors and labels must hold the same number of parts for every title";
        CurveValues => "curve-values", "ys must hold {series} × {n} values and filled {series} flags";
        MarkerLengths => "marker-lengths", "marker_xs, marker_colors and marker_labels must have the same length";
        CurveRanges => "curve-ranges", "ranges must hold 4 numbers and labels 3 strings";
        DensityYMax => "density-y-max", "y_max is {value}: it must be a positive finite number (the top of the density chart's y axis)";
        GapNotFinite => "gap-not-finite", "log p(x), the ELBO and x_min must be finite";
        ElboAboveEvidence => "elbo-above-evidence", "the ELBO cannot exceed log p(x)";
        // mixture, latent
        KlKind => "kl-kind", "kind is \"{kind}\": use \"forward\" (KL(p‖q)) or \"reverse\" (KL(q‖p))";
        DescentState => "descent-state", "state must be the 4 numbers returned by descentStart or descentStep";
        ClassCount => "class-count", "classes has {classes} entries but points holds {pairs} pairs";
        EllipseShape => "ellipse-shape", "ellipse must be empty or hold 4 finite numbers [μ₁, μ₂, σ₁, σ₂], or 8 for a second Gaussian";
        DensityValues => "density-values", "values has {len} numbers: it must hold n × n = {expected} (n = {n})";
        PcaWidth => "pca-width", "width is {value}: it must be the number of pixels per image (a whole number ≥ 2)";
        MixtureMean => "mixture-mean", "{name} is {value}: it must lie in [-10, 10] (a mode's centre: the fits and landscapes are computed for mixtures on that range)";
        MixtureSigma => "mixture-sigma", "{name} is {value}: it must lie in [0.05, 10] (a mode's width: narrower modes are spikes the quadrature cannot resolve)";
        FitMean => "fit-mean", "{name} is {value}: it must lie in [-10, 10] (q's mean, on the same range as the mixture's modes)";
        FitSigma => "fit-sigma", "{name} is {value}: it must lie in [0.05, 10] (q's standard deviation, on the same range as the modes' widths)";
        FitLogSigma => "fit-log-sigma", "{name} is {value}: it must lie in [ln 0.05, ln 10] ≈ [-2.996, 2.303] (the log of q's standard deviation)";
        GaussianMean => "gaussian-mean", "{name} is {value}: it must lie in [-10⁶, 10⁶] (further apart, the squared distance between the means overflows)";
        GaussianSigma => "gaussian-sigma", "{name} is {value}: it must lie in [10⁻⁶, 10⁶] (a standard deviation; outside this range the ratio of the variances overflows)";
        // posterior lab
        ParamsNotObject => "params-not-object", "params must be an object such as { sigmaX: 1 } or { a: 2, b: 0 }";
        ParamNotNumber => "param-not-number", "params.{key} must be a number";
        PosteriorModel => "posterior-model", "model is \"{model}\": use \"gaussian\", \"bimodal\" or \"logistic\"";
        PosteriorLr => "posterior-lr", "lr is {value}: the learning rate must be in (0, 10]";
        OptimiserNotStarted => "optimiser-not-started", "call startOptimiser(m, s, lr) before step()";
        OptimiserMode => "optimiser-mode", "mode is \"{mode}\": use \"exact\" or \"reparam\"";
        // section 3.4's Posterior2d (wasm/posterior2d.rs)
        Vi2dTarget => "vi2d-target", "target is \"{target}\": use \"gaussian\", \"banana\", \"donut\", \"mixture\" or \"logistic\"";
        Vi2dFamily => "vi2d-family", "family is \"{family}\": use \"mean-field\" (independent coordinates) or \"full\" (any covariance)";
        Vi2dGaussShape => "vi2d-gauss-shape", "q needs mean = [m₁, m₂] and cov = [var₁, var₂, cov], all finite numbers";
        Vi2dNotPositive => "vi2d-not-positive", "cov = [{var1}, {var2}, {cov}] is not a covariance: the variances must be > 0 and cov² < var₁·var₂";
        Vi2dNotMeanField => "vi2d-not-mean-field", "a coordinate-ascent step needs a mean-field q: set cov (the third entry) to 0";
        Vi2dNotStarted => "vi2d-not-started", "call startOptimiser(family, mean, cov, lr, k, seed) before step()";
        // trainer
        ConfigNotObject => "config-not-object", "config must be an object such as { latent: 2, hidden: 128 }";
        ConfigNotNumber => "config-not-number", "config.{key} must be a number";
        ConfigNotChoice => "config-not-choice", "config.{key} must be the string \"{a}\" or \"{b}\"";
        ConfigBeta => "config-beta", "config.beta is {value}: it must lie in [0, 10⁶] (1 gives the ELBO)";
        ConfigFreeBits => "config-free-bits", "config.freeBits is {value}: the free bits must lie in [0, 100] nats per latent dimension (0 turns them off)";
        ConfigLr => "config-lr", "config.lr is {value}: the learning rate must lie in (0, 10⁶], such as 0.001";
        ConfigMode => "config-mode", "config.mode is \"{value}\": use \"vae\" or \"autoencoder\"";
        ConfigActivation => "config-activation", "config.activation is \"{value}\": use \"tanh\" or \"relu\"";
        ConfigLikelihood => "config-likelihood", "config.likelihood is \"{value}\": use \"bernoulli\" (pixels in [0, 1]) or \"gaussian\" (real-valued data)";
        ConfigNotBoolean => "config-not-boolean", "config.{key} must be true or false";
        ConfigBinariseLikelihood => "config-binarise-likelihood", "config.binarise is true but config.likelihood is \"{likelihood}\": binarised pixels (0 or 1) need likelihood \"bernoulli\"";
        GreyLevel => "grey-level", "{name}[{index}] is {value}: a grey level must be a number from 0 to 1 (the probability that the pixel is drawn as ink)";
        WidthZero => "width-zero", "width is 0: it must be the number of pixels per image (≥ 1)";
        ImagesNotWhole => "images-not-whole", "{name} has {len} values, not a multiple of width {width} (pixels per image)";
        BernoulliPixel => "bernoulli-pixel", "{name}[{index}] is {value}: a Bernoulli likelihood needs pixel values in [0, 1]; use likelihood \"gaussian\" for real-valued data";
        Diverged => "diverged", "the model's outputs are no longer finite numbers: training diverged (the learning rate is too large for this model). Build a new Trainer with a smaller lr";
        ImageWidth => "image-width", "x has {len} values: it must be one image of width {width} pixels";
        HalfWidth => "half-width", "halfWidth is {value}: it must lie in [0.01, 1000], such as 4";
        ToyName => "toy-name", "name is \"{name}\": use \"mixture\", \"moons\", \"rings\" or \"spiral\"";
        // importWeights
        WeightsNotJson => "weights-not-json", "importWeights: the text is not valid JSON";
        WeightsNotObject => "weights-not-object", "importWeights: expected an object { version, config, params }";
        WeightsVersion => "weights-version", "importWeights: version is {version}; only version {supported} is supported";
        WeightsNoConfig => "weights-no-config", "importWeights: config is missing";
        WeightsNotString => "weights-not-string", "importWeights: config.{key} must be a string";
        WeightsNotBoolean => "weights-not-boolean", "importWeights: config.{key} must be true or false";
        WeightsParamsNotArray => "weights-params-not-array", "importWeights: params must be an array";
        WeightsParamNotFinite => "weights-param-not-finite", "importWeights: params[{index}] must be a finite number";
        WeightsShape => "weights-shape", "importWeights: config.{key} is {got} but this trainer has {key} {want}; build a Trainer with the same config first";
        WeightsOption => "weights-option", "importWeights: config.{key} is \"{got}\" but this trainer uses \"{want}\"";
        WeightsParamCount => "weights-param-count", "importWeights: params has {got} numbers but this model has {want} parameters";
    }
}

/// The code of a JS error: one the core raises or one only the boundary raises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ApiCode {
    /// Raised by the maths ([`InputError`]).
    Core(Code),
    /// Raised only here, in the boundary.
    Boundary(BoundaryCode),
}

impl ApiCode {
    /// Every code, the core's first, each in declaration order.
    pub fn all() -> impl Iterator<Item = ApiCode> {
        let core = Code::ALL.iter().map(|&c| ApiCode::Core(c));
        core.chain(BoundaryCode::ALL.iter().map(|&c| ApiCode::Boundary(c)))
    }

    /// The stable, kebab-case identifier that JS sees as `err.code`.
    pub fn id(self) -> &'static str {
        match self {
            ApiCode::Core(c) => c.id(),
            ApiCode::Boundary(c) => c.id(),
        }
    }

    /// The English message with `{param}` placeholders.
    pub fn template(self) -> &'static str {
        match self {
            ApiCode::Core(c) => c.template(),
            ApiCode::Boundary(c) => c.template(),
        }
    }
}

impl From<Code> for ApiCode {
    fn from(c: Code) -> Self {
        ApiCode::Core(c)
    }
}

impl From<BoundaryCode> for ApiCode {
    fn from(c: BoundaryCode) -> Self {
        ApiCode::Boundary(c)
    }
}

impl PartialEq<Code> for ApiCode {
    fn eq(&self, other: &Code) -> bool {
        *self == ApiCode::Core(*other)
    }
}

impl PartialEq<BoundaryCode> for ApiCode {
    fn eq(&self, other: &BoundaryCode) -> bool {
        *self == ApiCode::Boundary(*other)
    }
}

/// An error for JS: a code and the values for its template's placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    code: ApiCode,
    params: Vec<(&'static str, String)>,
}

impl ApiError {
    /// An error with no parameters yet; add them with [`ApiError::with`].
    pub fn new(code: impl Into<ApiCode>) -> Self {
        Self {
            code: code.into(),
            params: Vec::new(),
        }
    }

    /// Adds the parameter `key`, formatted the way the English message shows it (long numbers
    /// in exponent form, see [`readable`]).
    #[must_use]
    pub fn with(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.params.push((key, readable(value.to_string())));
        self
    }

    /// The code.
    pub fn code(&self) -> ApiCode {
        self.code
    }

    /// The parameters, in the order they were added.
    pub fn params(&self) -> &[(&'static str, String)] {
        &self.params
    }

    /// The English message: the code's template filled with the parameters.
    pub fn message(&self) -> String {
        fill(self.code.template(), &self.params)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiError {}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> Self {
        Self {
            code: ApiCode::Core(e.code()),
            params: e.params(),
        }
    }
}

/// Sets `target[key] = value`. Setting a property on a fresh `Error` or `Object` cannot fail
/// (they are extensible and have no setters), so a failure is ignored rather than reported.
fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A thrown JS `Error` with `message`, `code` and `params`.
impl From<ApiError> for JsValue {
    fn from(e: ApiError) -> Self {
        let error: JsValue = js_sys::Error::new(&e.message()).into();
        let params = Object::new();
        for (key, value) in &e.params {
            set(&params, key, &JsValue::from_str(value));
        }
        set(&error, "code", &JsValue::from_str(e.code.id()));
        set(&error, "params", &params);
        error
    }
}

/// Every error code the API can throw with its English template: `[{ code, template }]`.
/// A translation supplies one template per code with the same `{placeholders}`.
#[wasm_bindgen(
    js_name = errorCatalogue,
    unchecked_return_type = "{ code: string, template: string }[]"
)]
pub fn error_catalogue() -> JsValue {
    let entries: Array = ApiCode::all()
        .map(|code| {
            let entry = Object::new();
            set(&entry, "code", &JsValue::from_str(code.id()));
            set(&entry, "template", &JsValue::from_str(code.template()));
            JsValue::from(entry)
        })
        .collect();
    entries.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::error::{is_kebab_case, one_of_each, placeholders};
    use std::collections::HashSet;

    /// The core's codes and the boundary's share one id space (JS sees only the id), and the
    /// boundary's templates are as well formed as the core's (math/error/tests.rs).
    #[test]
    fn every_code_has_its_own_kebab_id_and_a_well_formed_template() {
        let mut seen = HashSet::new();
        for code in ApiCode::all() {
            let id = code.id();
            assert!(seen.insert(id), "duplicate id {id}");
            assert!(is_kebab_case(id), "{id} is not kebab-case");
            let t = code.template();
            let params: Vec<(&str, String)> =
                placeholders(t).iter().map(|n| (*n, "X".into())).collect();
            assert!(placeholders(&fill(t, &params)).is_empty(), "{id}");
            assert_eq!(t.matches('{').count(), t.matches('}').count(), "{id}");
        }
        assert_eq!(seen.len(), Code::ALL.len() + BoundaryCode::ALL.len());
    }

    #[test]
    fn message_fills_the_template() {
        let e = ApiError::new(BoundaryCode::WeightsParamCount)
            .with("got", 3)
            .with("want", 10);
        assert_eq!(
            e.message(),
            "importWeights: params has 3 numbers but this model has 10 parameters"
        );
        let e = ApiError::new(BoundaryCode::ConfigNotChoice)
            .with("key", "mode")
            .with("a", "vae")
            .with("b", "autoencoder");
        assert_eq!(
            e.message(),
            "config.mode must be the string \"vae\" or \"autoencoder\""
        );
        let e = ApiError::new(BoundaryCode::WholeNumber)
            .with("name", "seed")
            .with("value", 1.5)
            .with("lo", 0)
            .with("hi", 10);
        assert!(placeholders(&e.message()).is_empty(), "{e}");
        assert_eq!(e.to_string(), e.message());
    }

    /// The JS error and the native `Display` print one text: the same template, same params.
    #[test]
    fn input_errors_keep_their_text_and_code() {
        for input in one_of_each() {
            let api = ApiError::from(input.clone());
            assert_eq!(api.code(), input.code());
            assert_eq!(api.message(), input.to_string());
            assert!(placeholders(&api.message()).is_empty(), "{api}");
        }
    }
}
