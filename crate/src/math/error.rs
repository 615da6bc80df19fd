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
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Empty { name } => {
                write!(
                    f,
                    "{name} is empty: a distribution needs at least one outcome"
                )
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
        }
    }
}

impl std::error::Error for InputError {}
