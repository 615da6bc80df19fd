//! Input errors, worded for a student reading them in the browser console.

use std::fmt;

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
    /// Entries that do not add up to 1 (within [`super::info::SUM_TOLERANCE`]).
    NotNormalised { name: &'static str, sum: f64 },
    /// A single probability outside its allowed interval.
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
    /// A number outside the interval a function supports.
    OutOfRange {
        name: &'static str,
        value: f64,
        range: &'static str,
        why: &'static str,
    },
    /// Integration limits that are NaN or ±∞.
    BadInterval { lo: f64, hi: f64 },
    /// An integrand that returned NaN or ±∞ inside the integration interval.
    IntegrandNotFinite { x: f64, value: f64 },
    /// A binary data file whose bytes do not follow its documented layout.
    CorruptFile { name: &'static str, problem: String },
}

/// `name` or `name[index]`.
struct Indexed(&'static str, Option<usize>);

impl fmt::Display for Indexed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(i) => write!(f, "{}[{i}]", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty { name } => {
                write!(f, "{name} is empty: it needs at least one entry")
            }
            Self::NotFinite { name, index, value } => write!(
                f,
                "{name}[{index}] is {value}: every probability must be a finite number"
            ),
            Self::Negative { name, index, value } => write!(
                f,
                "{name}[{index}] is {value}: probabilities cannot be negative"
            ),
            Self::NotNormalised { name, sum } => write!(
                f,
                "{name} sums to {sum}, not 1: divide every entry by the sum to normalise it"
            ),
            Self::ProbabilityOutOfRange {
                name,
                value,
                interval,
            } => {
                write!(
                    f,
                    "{name} is {value}: it must be a probability in {interval}"
                )?;
                if value == 0.0 {
                    write!(
                        f,
                        " (an impossible event, p = 0, would carry infinite information)"
                    )?;
                }
                Ok(())
            }
            Self::BadBase { value } => write!(
                f,
                "base is {value}: a logarithm base must be a finite number > 0 and ≠ 1 \
                 (2 gives bits, e ≈ 2.718 gives nats)"
            ),
            Self::IndexOutOfRange { name, index, len } => write!(
                f,
                "{name} is {index}: it must be a whole number from 0 to {}",
                len.saturating_sub(1)
            ),
            Self::TooMany { name, len, max } => write!(
                f,
                "{name} has {len} outcomes: at most {max} are supported here"
            ),
            Self::LengthMismatch {
                name_a,
                len_a,
                name_b,
                len_b,
            } => write!(
                f,
                "{name_a} has {len_a} entries but {name_b} has {len_b}: they must be the same \
                 length, one entry per outcome (or dimension) in the same order"
            ),
            Self::NotFiniteNumber { name, index, value } => write!(
                f,
                "{} is {value}: it must be a finite number",
                Indexed(name, index)
            ),
            Self::BadScale { name, index, value } => write!(
                f,
                "{} is {value}: a standard deviation must be a finite number greater than 0",
                Indexed(name, index)
            ),
            Self::OutOfRange {
                name,
                value,
                range,
                why,
            } => write!(f, "{name} is {value}: it must lie in {range} ({why})"),
            Self::BadInterval { lo, hi } => write!(
                f,
                "the integration interval [{lo}, {hi}] must have finite ends: integrate over a \
                 finite range wide enough to hold the mass, e.g. ±12σ around every mode"
            ),
            Self::IntegrandNotFinite { x, value } => write!(
                f,
                "the integrand is {value} at x = {x}: it must be finite everywhere on the \
                 integration interval (work with log-densities to avoid overflow)"
            ),
            Self::CorruptFile { name, ref problem } => write!(
                f,
                "{name} is not a valid data file: {problem}. It may be damaged or cut short: \
                 regenerate it with the script named in the README next to it"
            ),
        }
    }
}

impl std::error::Error for InputError {}
