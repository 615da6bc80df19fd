//! Input errors, worded for a student reading them in the browser console.
//!
//! Every message has a stable [`Code`] and an English template with `{name}` placeholders;
//! the parameters filled in are language-neutral (names, numbers, quoted values), so a page
//! can show the same error in another language from its own template for the code. The
//! core's templates live here, in plain Rust, so [`InputError`]'s `Display` (the native API)
//! and the JS errors built in `crate::wasm::error` print exactly the same text from one
//! source; the codes only the JS boundary raises are declared there, with the same macro.

use std::fmt;

mod template;
pub use template::{fill, placeholders, readable};

/// Declares a code enum with each code's id and English template, one line per message shape.
/// The core's [`Code`] is declared below; the JS boundary declares its own codes with it in
/// `crate::wasm::error`.
macro_rules! codes {
    ($(#[$enum_doc:meta])* $vis:vis enum $name:ident {
        $($(#[$doc:meta])* $variant:ident => $id:literal, $template:literal;)*
    }) => {
        $(#[$enum_doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$doc])* #[doc = $template] $variant,)*
        }

        impl $name {
            /// Every code, in declaration order.
            pub const ALL: &[$name] = &[$($name::$variant),*];

            /// The stable, kebab-case identifier that JS sees as `err.code`.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id,)*
                }
            }

            /// The English message with `{param}` placeholders.
            pub fn template(self) -> &'static str {
                match self {
                    $($name::$variant => $template,)*
                }
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// The kind of an error the maths raises ([`InputError`]): one variant per distinct
    /// message shape.
    pub enum Code {
        // Rejected by the maths ([`InputError`]).
        Empty => "empty", "{name} is empty: it needs at least one entry";
        NotFinite => "not-finite", "{name}[{index}] is {value}: every probability must be a finite number";
        Negative => "negative", "{name}[{index}] is {value}: probabilities cannot be negative";
        NotNormalised => "not-normalised", "{name} sums to {sum}, not 1: divide every entry by the sum to normalise it";
        ProbabilityOutOfRange => "probability-out-of-range", "{name} is {value}: it must be a probability in {interval}";
        ProbabilityZero => "probability-zero", "{name} is {value}: it must be a probability in {interval} (an impossible event, p = 0, would carry infinite information)";
        BadBase => "bad-base", "base is {value}: a logarithm base must be a finite number > 0 and ≠ 1 (2 gives bits, e ≈ 2.718 gives nats)";
        IndexOutOfRange => "index-out-of-range", "{name} is {index}: it must be a whole number from 0 to {max}";
        TooMany => "too-many", "{name} has {len} outcomes: at most {max} are supported here";
        LengthMismatch => "length-mismatch", "{name_a} has {len_a} entries but {name_b} has {len_b}: they must be the same length, one entry per outcome (or dimension) in the same order";
        NotFiniteNumber => "not-finite-number", "{name} is {value}: it must be a finite number";
        BadScale => "bad-scale", "{name} is {value}: a standard deviation must be a finite number greater than 0";
        BadInterval => "bad-interval", "the integration interval [{lo}, {hi}] must have finite ends: integrate over a finite range wide enough to hold the mass, e.g. ±12σ around every mode";
        IntegrandNotFinite => "integrand-not-finite", "the integrand is {value} at x = {x}: it must be finite everywhere on the integration interval (work with log-densities to avoid overflow)";
        FileTooShort => "file-too-short", "{name} is not a valid data file: it has {len} bytes, fewer than the {header}-byte header. It may be damaged or cut short: regenerate it with the script named in the README next to it";
        FileBadMarker => "file-bad-marker", "{name} is not a valid data file: it starts with {found} instead of the marker \"DIGITS01\". It may be damaged or cut short: regenerate it with the script named in the README next to it";
        FileBadSize => "file-bad-size", "{name} is not a valid data file: its header gives images of {width}×{height} pixels; both sides must be at least 1. It may be damaged or cut short: regenerate it with the script named in the README next to it";
        FileTooLarge => "file-too-large", "{name} is not a valid data file: its header counts ({train} train + {test} test images of {width}×{height} pixels) are too large to be real. It may be damaged or cut short: regenerate it with the script named in the README next to it";
        FileWrongLength => "file-wrong-length", "{name} is not a valid data file: it has {len} bytes but its header ({train} train + {test} test images of {width}×{height} pixels) needs exactly {expected}. It may be damaged or cut short: regenerate it with the script named in the README next to it";
        // OutOfRange rules: {name} is {value}: it must lie in <range> / be <values> (<why>)
        LrPositive => "lr-positive", "{name} is {value}: it must lie in (0, ∞) (the learning rate is a positive step size)";
        DigitsPixel => "digits-pixel", "a pixel of {name} in digits.bin is {value}: it must be from 0 to 16 (each pixel counts the ink dots in a 4×4 block, so it is at most 16)";
        DigitsLabel => "digits-label", "a label of {name} in digits.bin is {value}: it must be from 0 to 9 (a label is the digit the image shows)";
        LogSigmaRange => "log-sigma-range", "{name} is {value}: it must lie in [-300, 300] (σ = e^log_sigma must stay a usable positive number)";
        FlipCount => "flip-count", "{name} is {value}: it must be a whole number 0, 1, 2, … (it counts coin flips)";
        TooManyFlips => "too-many-flips", "{name} is {value}: it must be from 0 to 10,000 (larger data sets are not supported here)";
        MleNoFlips => "mle-no-flips", "{name} is {value}: it must be a whole number 1, 2, 3, … (the estimate h/(h + t) needs at least one flip)";
        NaiveProductFlips => "naive-product-flips", "{name} is {value}: it must be from 0 to 1,000,000 (the naive product multiplies one factor per flip)";
        BetaShape => "beta-shape", "{name} is {value}: it must lie in [0.001, 10⁶] (the a and b of a Beta distribution are positive pseudo-counts: a, b ≤ 0 give no distribution)";
        // Section 2.3's joint distributions and channels (OutOfRange rules).
        JointSize => "joint-size", "{name} is {value}: it must be a whole number from 2 to 6 (each variable here takes 2 to 6 values)";
        JointShape => "joint-shape", "{name} has {value} entries: it must hold a table row by row, one row per value of the first variable (nx for the joint, the length of px for channelA, ny for channelB), each row with 2 to 6 entries";
        ChannelRow => "channel-row", "row {value} of {name} does not sum to 1: each row of a channel is the distribution p(output | input) and must sum to 1 (within 1e-9)";
        PcaComponents => "pca-components", "{name} is {value}: it must be from 1 to dim (there are at most dim directions to project onto)";
        PcaDim => "pca-dim", "{name} is {value}: it must be at least 1 (each row needs at least one value)";
        PcaRows => "pca-rows", "{name} is {value}: it must be a multiple of dim (the data are whole rows of dim values each)";
        PcaPixel => "pca-pixel", "{name} is {value}: it must lie in [0, 1] (binary cross-entropy needs pixel intensities)";
        SlopeLimit => "slope-limit", "{name} is {value}: it must lie in [-1000, 1000] (larger slopes make the likelihood a step)";
        OffsetLimit => "offset-limit", "{name} is {value}: it must lie in [-1000, 1000] (larger offsets make one outcome all but impossible)";
        ObservationLimit => "observation-limit", "{name} is {value}: it must lie in [-1000, 1000] (the posterior would sit far out in the prior's tail)";
        SigmaXRange => "sigma-x-range", "{name} is {value}: it must lie in [0.001, 1000] (narrower noise makes the posterior too spiky to integrate reliably)";
        BinaryObservation => "binary-observation", "{name} is {value}: it must be 0 or 1 (the logistic model observes a binary outcome)";
        GridEnd => "grid-end", "{name} is {value}: it must lie in (z_min, ∞) (the grid runs from z_min up to z_max)";
        GridPoints => "grid-points", "{name} is {value}: it must be from 2 to 1,000,000 (a grid needs both ends and must fit in memory)";
        QMeanRange => "q-mean-range", "{name} is {value}: it must lie in [-1000, 1000] (q's mean must stay where the model can be evaluated)";
        QScaleRange => "q-scale-range", "{name} is {value}: it must lie in [1e-6, 1000] (q's standard deviation must be neither a spike nor flat)";
        MonteCarloSamples => "monte-carlo-samples", "{name} is {value}: it must be from 1 to 1,000,000 (a Monte Carlo estimate needs at least one sample)";
        IwaeGroups => "iwae-groups", "{name} is {value}: it must be a whole number from 1 to half the number of draws (L_K is estimated from at least two independent groups of K draws, so that it has a standard error)";
        ToyTurns => "toy-turns", "{name} is {value}: it must lie in (0, 10] (the number of times each arm winds around the origin)";
        ToyPoints => "toy-points", "{name} is {value}: it must be from 1 to 100,000 (the number of points to draw)";
        ToyClasses => "toy-classes", "{name} is {value}: it must be from 1 to 64 (the number of classes)";
        ToyNoise => "toy-noise", "{name} is {value}: it must lie in [0, ∞) (a standard deviation cannot be negative)";
        LayerSize => "layer-size", "{name} is {value}: it must lie in [1, ∞) (every layer needs at least one unit)";
        BernoulliTarget => "bernoulli-target", "{name} is {value}: it must lie in [0, 1] (each pixel is a Bernoulli target: 0 (off), 1 (on) or a grey level)";
        AverageSamples => "average-samples", "{name} is {value}: it must lie in [1, ∞) (an average needs at least one sample)";
        BetaRange => "beta-range", "{name} is {value}: it must lie in [0, ∞) (β weights the KL term; 1 gives the ELBO, 0 ignores the prior)";
        FreeBits => "free-bits", "{name} is {value}: it must lie in [0, ∞) (the free bits are the KL in nats below which a latent dimension is not penalised; 0 turns them off)";
        ImportanceSamples => "importance-samples", "{name} is {value}: it must lie in [1, ∞) (the bound averages at least one importance sample)";
        GridLatent => "grid-latent", "{name} is {value}: it must be 2 (the posterior grid covers a 2-D latent space)";
        GridSide => "grid-side", "{name} is {value}: it must lie in [2, 400] (the grid needs at least 2 points per side and at most 400 (160 000 decodes))";
        GridHalfWidth => "grid-half-width", "{name} is {value}: it must lie in (0, ∞) (the grid covers [−half_width, half_width]² and must have a positive size)";
        QLogVarRange => "q-log-var-range", "{name} is {value}: it must lie in [-30, 30] (log σ² of q; σ = e^(logvar/2) must stay a usable positive number)";
        ElboSamples => "elbo-samples", "{name} is {value}: it must be at least 2 (a standard error needs at least two samples)";
        // Part 4's rate and distortion (OutOfRange rules).
        RateMode => "rate-mode", "{name} is {value} (a plain autoencoder): the rate needs a VAE (a plain autoencoder sends one point z = μ, with no q(z | x) to compare with the prior p(z), so it has no rate KL(q(z | x) ‖ p(z)))";
        RateImages => "rate-images", "{name} is {value}: it must be from 1 to 5,000 (the aggregate posterior q(z) mixes one Gaussian per image, and every draw is scored under all of them)";
        // Section 3.4's two-dimensional targets (OutOfRange rules).
        Vi2dMean => "vi2d-mean", "{name} is {value}: it must lie in [-5, 5] (the Gaussian's centre must sit inside the plotted square)";
        Vi2dSd => "vi2d-sd", "{name} is {value}: it must lie in [0.1, 5] (a standard deviation the grid can resolve)";
        Vi2dRho => "vi2d-rho", "{name} is {value}: it must lie in [-0.99, 0.99] (a correlation; at ±1 the Gaussian collapses onto a line and has no density)";
        Vi2dBananaA => "vi2d-banana-a", "{name} is {value}: it must lie in [0.5, 1.5] (the banana's width along z₁)";
        Vi2dBananaB => "vi2d-banana-b", "{name} is {value}: it must lie in [0, 0.5] (how strongly the banana bends; 0 gives a Gaussian)";
        Vi2dDonutR => "vi2d-donut-r", "{name} is {value}: it must lie in [0.5, 4] (the ring's radius)";
        Vi2dDonutW => "vi2d-donut-w", "{name} is {value}: it must lie in [0.2, 2] (the ring's width)";
        Vi2dMixtureD => "vi2d-mixture-d", "{name} is {value}: it must lie in [0, 6] (the distance between the two components' centres)";
        Vi2dMixtureS => "vi2d-mixture-s", "{name} is {value}: it must lie in [0.2, 3] (each component's standard deviation)";
        Vi2dPoint => "vi2d-point", "{name} holds {value}: every coordinate of a data point must lie in [-5, 5] (the plotted square)";
        Vi2dPointCount => "vi2d-point-count", "{name} has {value} points: at most 200 are supported (the posterior is recomputed on its grid after every click)";
        Vi2dNotLogistic => "vi2d-not-logistic", "this {name} has no data points: points can be added to or removed from the logistic target only";
        // The reader's own text (information/text.rs) and points (networks/data/points.rs).
        TextEmpty => "text-empty", "the text is empty: paste or type at least one character";
        TextNoWords => "text-no-words", "the text has no words (runs of letters or digits) to count: count characters instead, or paste text with words";
        TextTooLong => "text-too-long", "the text has {len} characters: at most {max} are counted here (paste a shorter passage)";
        CsvEmpty => "csv-empty", "the file has no points: each line needs two numbers x, y (and optionally a label), separated by commas";
        CsvTooLarge => "csv-too-large", "the file has {bytes} bytes: at most {max} are read here (keep a sample of your points)";
        CsvFields => "csv-fields", "line {line} has {count} fields: every line needs 2 (x, y) or 3 (x, y, label), separated by commas, and the same number as the first line of points ({first})";
        CsvNumber => "csv-number", "line {line}: “{value}” is not a number (x and y must be plain numbers such as 1.5 or -2e3)";
        CsvRange => "csv-range", "line {line}: {value} must be a finite number from -1000000 to 1000000";
        CsvTooFew => "csv-too-few", "the file has {count} points: at least {min} are needed (80% train the model, 20% are held out)";
        CsvTooMany => "csv-too-many", "the file has more than {max} points: at most {max} are used here (keep a sample of your points)";
        CsvLabels => "csv-labels", "line {line}: the label “{value}” would be the {count}th different one: at most {max} are supported (one colour each)";
        CsvNoSpread => "csv-no-spread", "all points are the same: they need some spread to be scaled to unit size";
        Vi2dGridSide => "vi2d-grid-side", "{name} is {value}: it must be a whole number from 16 to 512 (nodes per side of the grid)";
    }
}

/// Why an input was rejected. Each message names the parameter and says how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub enum InputError {
    /// A distribution with no outcomes.
    Empty { name: &'static str },
    /// An entry that is NaN or ±∞.
    NotFinite {
        name: &'static str,
        index: usize,
        value: f64,
    },
    /// A probability below zero.
    Negative {
        name: &'static str,
        index: usize,
        value: f64,
    },
    /// Entries that do not add up to 1 (within [`crate::math::information::info::SUM_TOLERANCE`]).
    NotNormalised { name: &'static str, sum: f64 },
    /// A single probability outside its allowed interval (written in maths notation).
    ProbabilityOutOfRange {
        name: &'static str,
        value: f64,
        interval: &'static str,
    },
    /// A logarithm base that is not a finite number > 0 and ≠ 1.
    BadBase { value: f64 },
    /// An index past the end of the distribution.
    IndexOutOfRange {
        name: &'static str,
        index: f64,
        len: usize,
    },
    /// More outcomes than the function supports.
    TooMany {
        name: &'static str,
        len: usize,
        max: usize,
    },
    /// Two inputs that must have one entry per outcome (or dimension) differ in length.
    LengthMismatch {
        name_a: &'static str,
        len_a: usize,
        name_b: &'static str,
        len_b: usize,
    },
    /// A parameter (not a probability) that is NaN or ±∞; `index` for entries of a list.
    NotFiniteNumber {
        name: &'static str,
        index: Option<usize>,
        value: f64,
    },
    /// A standard deviation that is not a finite number > 0; `index` for entries of a list.
    BadScale {
        name: &'static str,
        index: Option<usize>,
        value: f64,
    },
    /// A number outside the interval a function supports. `rule` is the code whose template
    /// states the interval and the reason (so both can be translated), with `{name}` and
    /// `{value}` placeholders.
    OutOfRange {
        name: &'static str,
        value: f64,
        rule: Code,
    },
    /// Integration limits that are NaN or ±∞.
    BadInterval { lo: f64, hi: f64 },
    /// An integrand that returned NaN or ±∞ inside the integration interval.
    IntegrandNotFinite { x: f64, value: f64 },
    /// A binary data file whose bytes do not follow its documented layout: `problem` is the
    /// code saying what is wrong, `details` the numbers its template needs besides `{name}`.
    CorruptFile {
        name: &'static str,
        problem: Code,
        details: Vec<(&'static str, String)>,
    },
    /// A pasted text or data file the reader supplied that cannot be used: `problem` says
    /// why, `details` are its template's values.
    BadText {
        problem: Code,
        details: Vec<(&'static str, String)>,
    },
}

/// `name` or `name[index]`.
fn indexed(name: &str, index: Option<usize>) -> String {
    match index {
        Some(i) => format!("{name}[{i}]"),
        None => name.to_string(),
    }
}

impl InputError {
    /// The code of this error's message.
    pub fn code(&self) -> Code {
        match self {
            Self::Empty { .. } => Code::Empty,
            Self::NotFinite { .. } => Code::NotFinite,
            Self::Negative { .. } => Code::Negative,
            Self::NotNormalised { .. } => Code::NotNormalised,
            // p = 0 gets its own message: the student needs to hear why 0 is not allowed.
            Self::ProbabilityOutOfRange { value, .. } if *value == 0.0 => Code::ProbabilityZero,
            Self::ProbabilityOutOfRange { .. } => Code::ProbabilityOutOfRange,
            Self::BadBase { .. } => Code::BadBase,
            Self::IndexOutOfRange { .. } => Code::IndexOutOfRange,
            Self::TooMany { .. } => Code::TooMany,
            Self::LengthMismatch { .. } => Code::LengthMismatch,
            Self::NotFiniteNumber { .. } => Code::NotFiniteNumber,
            Self::BadScale { .. } => Code::BadScale,
            Self::OutOfRange { rule, .. } => *rule,
            Self::BadInterval { .. } => Code::BadInterval,
            Self::IntegrandNotFinite { .. } => Code::IntegrandNotFinite,
            Self::CorruptFile { problem, .. } | Self::BadText { problem, .. } => *problem,
        }
    }

    /// The values for the code's placeholders, formatted as the English message shows them.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let s = |v: &dyn fmt::Display| readable(v.to_string());
        match self {
            Self::Empty { name } => vec![("name", s(name))],
            Self::NotFinite { name, index, value } | Self::Negative { name, index, value } => {
                vec![("name", s(name)), ("index", s(index)), ("value", s(value))]
            }
            Self::NotNormalised { name, sum } => vec![("name", s(name)), ("sum", s(sum))],
            Self::ProbabilityOutOfRange {
                name,
                value,
                interval,
            } => vec![
                ("name", s(name)),
                ("value", s(value)),
                ("interval", s(interval)),
            ],
            Self::BadBase { value } => vec![("value", s(value))],
            Self::IndexOutOfRange { name, index, len } => vec![
                ("name", s(name)),
                ("index", s(index)),
                ("max", s(&len.saturating_sub(1))),
            ],
            Self::TooMany { name, len, max } => {
                vec![("name", s(name)), ("len", s(len)), ("max", s(max))]
            }
            Self::LengthMismatch {
                name_a,
                len_a,
                name_b,
                len_b,
            } => vec![
                ("name_a", s(name_a)),
                ("len_a", s(len_a)),
                ("name_b", s(name_b)),
                ("len_b", s(len_b)),
            ],
            Self::NotFiniteNumber { name, index, value }
            | Self::BadScale { name, index, value } => {
                vec![("name", indexed(name, *index)), ("value", s(value))]
            }
            Self::OutOfRange { name, value, .. } => vec![("name", s(name)), ("value", s(value))],
            Self::BadInterval { lo, hi } => vec![("lo", s(lo)), ("hi", s(hi))],
            Self::IntegrandNotFinite { x, value } => vec![("x", s(x)), ("value", s(value))],
            Self::CorruptFile { name, details, .. } => {
                let mut params = vec![("name", s(name))];
                params.extend(details.iter().cloned());
                params
            }
            Self::BadText { details, .. } => details
                .iter()
                .map(|(k, v)| (*k, readable(v.clone())))
                .collect(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&fill(self.code().template(), &self.params()))
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) use tests::{is_kebab_case, one_of_each};
