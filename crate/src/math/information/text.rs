//! The reader's own text as a source: its symbols' frequencies as a distribution, the
//! entropy of that distribution, and the text coded with the Huffman code built from it.
//!
//! Everything here is about the **empirical** distribution p̂(s) = count(s)/n of the n
//! symbols of one text: H is the entropy of p̂ (not of the language the text was written in),
//! and the code is fitted to this very text, so the decoder would also need the code table,
//! which the lengths here do not count.

use crate::math::InputError;
use crate::math::error::Code;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// Most characters (Unicode scalar values) a text may have.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// What counts as one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Every character (Unicode scalar value) as written: letters, digits, spaces, line
    /// breaks and punctuation, upper and lower case apart.
    Letter,
    /// Words, lower-cased: maximal runs of letters and digits; each CJK ideograph (Chinese
    /// writes no spaces between words) is a word of its own. Spaces and punctuation are not
    /// symbols, so they are not coded.
    Word,
}

/// The text's symbols, their counts and their Huffman code.
#[derive(Debug, Clone, PartialEq)]
pub struct TextReport {
    /// The distinct symbols, most frequent first (ties: first appearance first).
    pub symbols: Vec<String>,
    /// count(s) for each symbol; Σ = `total`.
    pub counts: Vec<u64>,
    /// Huffman code length ℓ(s) in bits for each symbol (0 when there is one symbol only).
    pub lengths: Vec<u32>,
    /// n, the number of symbols in the text.
    pub total: u64,
    /// Characters (Unicode scalar values) in the whole text.
    pub chars: u64,
    /// Bytes of the whole text in UTF-8 (1 per ASCII character, 2–4 for others).
    pub utf8_bytes: u64,
}

impl TextReport {
    /// Entropy H(p̂) = Σ p̂(s) log₂(1/p̂(s)) of the empirical distribution, in bits per symbol.
    /// Summed as non-negative terms; 0 for a text of one distinct symbol.
    pub fn entropy_bits(&self) -> f64 {
        self.total_surprisal_bits() / self.total as f64
    }

    /// n·H(p̂) = Σₛ count(s)·log₂(n/count(s)): the surprisals −log₂ p̂ of all n symbols of the
    /// text added up, in bits.
    pub fn total_surprisal_bits(&self) -> f64 {
        let n = self.total as f64;
        self.counts
            .iter()
            .map(|&c| c as f64 * (n / c as f64).log2())
            .sum()
    }

    /// Surprisal −log₂ p̂(s) = log₂(n/count(s)) of each symbol, in bits.
    pub fn surprisals(&self) -> Vec<f64> {
        let n = self.total as f64;
        self.counts.iter().map(|&c| (n / c as f64).log2()).collect()
    }

    /// Length of the text coded with its Huffman code, Σₛ count(s)·ℓ(s) bits (code table not
    /// counted). n·H ≤ this < n·(H + 1).
    pub fn coded_bits(&self) -> u64 {
        self.counts
            .iter()
            .zip(&self.lengths)
            .map(|(&c, &l)| c * u64::from(l))
            .sum()
    }

    /// Kraft sum Σₛ 2^(−ℓ(s)): exactly 1 for a Huffman code of two or more symbols.
    pub fn kraft_sum(&self) -> f64 {
        self.lengths.iter().map(|&l| 0.5f64.powi(l as i32)).sum()
    }

    /// The counts as a distribution of at most `k` outcomes (k ≥ 2): all symbols if there
    /// are at most `k`, else the k − 1 most frequent and one "other" outcome holding the rest.
    /// Returns (counts, how many symbols "other" holds; 0 when there is none).
    pub fn grouped(&self, k: usize) -> (Vec<u64>, usize) {
        let k = k.max(2);
        if self.counts.len() <= k {
            return (self.counts.clone(), 0);
        }
        let mut out = self.counts[..k - 1].to_vec();
        out.push(self.counts[k - 1..].iter().sum());
        (out, self.counts.len() - (k - 1))
    }
}

/// Whether `c` is a CJK ideograph (a Chinese character), which counts as a word by itself.
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The text's symbols in order (see [`Unit`]).
pub fn tokens(text: &str, unit: Unit) -> Vec<String> {
    match unit {
        Unit::Letter => text.chars().map(String::from).collect(),
        Unit::Word => {
            let mut out = Vec::new();
            let mut word = String::new();
            for c in text.chars() {
                if is_ideograph(c) || !c.is_alphanumeric() {
                    if !word.is_empty() {
                        out.push(std::mem::take(&mut word));
                    }
                    if is_ideograph(c) {
                        out.push(c.to_string());
                    }
                } else {
                    word.extend(c.to_lowercase());
                }
            }
            if !word.is_empty() {
                out.push(word);
            }
            out
        }
    }
}

/// Huffman code lengths for symbols with these counts (all > 0): repeatedly merge the two
/// lightest nodes (ties: the node made first), a leaf's length is its depth. One symbol gets
/// length 0 (nothing needs sending). Works on integer counts, so no rounding enters.
pub fn huffman_lengths(counts: &[u64]) -> Vec<u32> {
    let n = counts.len();
    let mut parent: Vec<usize> = vec![usize::MAX; n];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| Reverse((c, i)))
        .collect();
    while heap.len() > 1 {
        let (Some(Reverse((wa, a))), Some(Reverse((wb, b)))) = (heap.pop(), heap.pop()) else {
            break;
        };
        let node = parent.len();
        parent.push(usize::MAX);
        parent[a] = node;
        parent[b] = node;
        heap.push(Reverse((wa + wb, node)));
    }
    // Parents are created after their children, so depths fill in from the root downwards.
    let mut depth = vec![0u32; parent.len()];
    for node in (0..parent.len()).rev() {
        if parent[node] != usize::MAX {
            depth[node] = depth[parent[node]] + 1;
        }
    }
    depth.truncate(n);
    depth
}

/// Counts the symbols of `text` and codes it with its own Huffman code.
///
/// Errors (coded, for the reader): [`Code::TextEmpty`] for a text without a character,
/// [`Code::TextTooLong`] beyond [`MAX_TEXT_CHARS`] characters, [`Code::TextNoWords`] for
/// words in a text with no letter or digit.
pub fn text_report(text: &str, unit: Unit) -> Result<TextReport, InputError> {
    let chars = text.chars().count();
    if chars == 0 {
        return Err(InputError::BadText {
            problem: Code::TextEmpty,
            details: vec![],
        });
    }
    if chars > MAX_TEXT_CHARS {
        return Err(InputError::BadText {
            problem: Code::TextTooLong,
            details: vec![
                ("len", chars.to_string()),
                ("max", MAX_TEXT_CHARS.to_string()),
            ],
        });
    }
    let tokens = tokens(text, unit);
    if tokens.is_empty() {
        return Err(InputError::BadText {
            problem: Code::TextNoWords,
            details: vec![],
        });
    }
    // (count, first position) per symbol.
    let mut seen: BTreeMap<&str, (u64, usize)> = BTreeMap::new();
    for (i, t) in tokens.iter().enumerate() {
        seen.entry(t.as_str()).or_insert((0, i)).0 += 1;
    }
    let mut order: Vec<(&str, u64, usize)> =
        seen.into_iter().map(|(s, (c, i))| (s, c, i)).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let counts: Vec<u64> = order.iter().map(|o| o.1).collect();
    Ok(TextReport {
        symbols: order.iter().map(|o| o.0.to_string()).collect(),
        lengths: huffman_lengths(&counts),
        counts,
        total: tokens.len() as u64,
        chars: chars as u64,
        utf8_bytes: text.len() as u64,
    })
}

#[cfg(test)]
mod tests;
