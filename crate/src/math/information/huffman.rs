//! Huffman's optimal binary prefix code, the constructive side of "entropy is the limit
//! of lossless compression": H(p) ≤ L < H(p) + 1 bits per symbol.

use crate::math::InputError;
use crate::math::information::info::check_distribution;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Most outcomes [`huffman_code`] accepts (a code word can be n − 1 bits long).
pub const MAX_OUTCOMES: usize = 1024;

/// An optimal binary prefix code for a distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct HuffmanCode {
    /// Code word of each outcome as '0'/'1' characters; `None` for outcomes with pᵢ = 0,
    /// which never occur and need no code word. A certain outcome (pᵢ = 1) gets "".
    pub codewords: Vec<Option<String>>,
    /// Average code length L = Σ pᵢ ℓᵢ, in bits per symbol.
    pub average_length: f64,
}

impl HuffmanCode {
    /// Length ℓᵢ of each code word in bits (0 for outcomes without one).
    pub fn lengths(&self) -> Vec<usize> {
        self.codewords
            .iter()
            .map(|c| c.as_ref().map_or(0, String::len))
            .collect()
    }

    /// Kraft sum Σ 2^(−ℓᵢ) over outcomes that have a code word. It equals 1 for a Huffman
    /// code (a complete prefix code); any prefix code has Kraft sum ≤ 1.
    pub fn kraft_sum(&self) -> f64 {
        self.codewords
            .iter()
            .flatten()
            .map(|c| 0.5f64.powi(c.len() as i32))
            .sum()
    }
}

/// A node waiting in the priority queue, ordered so the heap pops the least probable first
/// and, among equal probabilities, the one created first (so codes are deterministic).
struct Queued {
    prob: f64,
    node: usize,
}

impl Ord for Queued {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .prob
            .total_cmp(&self.prob)
            .then(other.node.cmp(&self.node))
    }
}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Queued {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Queued {}

/// Builds a Huffman code for `p`: repeatedly merge the two least probable nodes; the first
/// popped takes bit '0', the second '1'.
///
/// **Input: probabilities** summing to 1 (see [`check_distribution`]), at most
/// [`MAX_OUTCOMES`] of them. The average length L = Σ pᵢ ℓᵢ is the smallest of any binary
/// prefix code, and H(p) ≤ L < H(p) + 1 in bits.
pub fn huffman_code(p: &[f64]) -> Result<HuffmanCode, InputError> {
    check_distribution(p, "p")?;
    if p.len() > MAX_OUTCOMES {
        return Err(InputError::TooMany {
            name: "p",
            len: p.len(),
            max: MAX_OUTCOMES,
        });
    }
    // Nodes 0..n are the outcomes; merged nodes are appended with their two children.
    let n = p.len();
    let mut children: Vec<Option<(usize, usize)>> = vec![None; n];
    let mut heap: BinaryHeap<Queued> = p
        .iter()
        .enumerate()
        .filter(|&(_, &prob)| prob > 0.0)
        .map(|(node, &prob)| Queued { prob, node })
        .collect();
    while heap.len() > 1 {
        let (a, b) = (heap.pop().unwrap(), heap.pop().unwrap());
        children.push(Some((a.node, b.node)));
        heap.push(Queued {
            prob: a.prob + b.prob,
            node: children.len() - 1,
        });
    }
    let mut codewords = vec![None; n];
    // Walk down from the root, appending a bit at each branch (an explicit stack, since a
    // skewed tree can be n − 1 levels deep).
    let mut stack: Vec<(usize, String)> = heap
        .pop()
        .map(|root| (root.node, String::new()))
        .into_iter()
        .collect();
    while let Some((node, word)) = stack.pop() {
        match children[node] {
            Some((zero, one)) => {
                stack.push((one, format!("{word}1")));
                stack.push((zero, word + "0"));
            }
            None => codewords[node] = Some(word),
        }
    }
    let average_length = codewords
        .iter()
        .zip(p)
        .map(|(c, &pi)| c.as_ref().map_or(0.0, |w| pi * w.len() as f64))
        .sum();
    Ok(HuffmanCode {
        codewords,
        average_length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::information::info::entropy;
    use proptest::prelude::*;

    #[test]
    fn dyadic_distribution_meets_the_entropy_exactly() {
        let p = [0.5, 0.25, 0.125, 0.125];
        let code = huffman_code(&p).unwrap();
        assert_eq!(code.lengths(), vec![1, 2, 3, 3]);
        assert_eq!(code.average_length, 1.75);
        assert_eq!(entropy(&p, 2.0).unwrap(), 1.75);
        assert_eq!(code.kraft_sum(), 1.0);
    }

    #[test]
    fn fair_die_needs_two_and_two_thirds_bits() {
        // Lengths 2,2,3,3,3,3: L = 8/3 bits, against H = log₂ 6 ≈ 2.585.
        let code = huffman_code(&[1.0 / 6.0; 6]).unwrap();
        let mut lengths = code.lengths();
        lengths.sort();
        assert_eq!(lengths, vec![2, 2, 3, 3, 3, 3]);
        assert!((code.average_length - 8.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn certain_and_impossible_outcomes() {
        let code = huffman_code(&[0.0, 1.0, 0.0]).unwrap();
        assert_eq!(code.codewords, vec![None, Some(String::new()), None]);
        assert_eq!(code.average_length, 0.0);
        let code = huffman_code(&[0.0, 0.5, 0.5]).unwrap();
        assert_eq!(code.codewords[0], None);
        assert_eq!(code.lengths(), vec![0, 1, 1]);
    }

    #[test]
    fn bad_input_is_rejected() {
        assert!(huffman_code(&[]).is_err());
        assert!(huffman_code(&[0.5, 0.6]).is_err());
        let too_many = vec![1.0 / 2000.0; 2000];
        assert!(matches!(
            huffman_code(&too_many),
            Err(InputError::TooMany { .. })
        ));
    }

    #[test]
    fn very_skewed_distribution_has_deep_code() {
        // pᵢ ∝ 2^(−i): the tree is a chain, n − 1 levels deep.
        let n = 60;
        let mut p: Vec<f64> = (1..=n).map(|i| 0.5f64.powi(i)).collect();
        p[n as usize - 1] *= 2.0; // last two equal, so Σ = 1 exactly
        let code = huffman_code(&p).unwrap();
        assert_eq!(*code.lengths().iter().max().unwrap(), n as usize - 1);
    }

    /// Smallest Σ pᵢ ℓᵢ over all length vectors with ℓᵢ ∈ 1..n and Σ 2^(−ℓᵢ) ≤ 1 (Kraft), which
    /// by the Kraft–McMillan theorem is the best any prefix code can do. Brute force, small n.
    fn brute_force_optimum(p: &[f64]) -> f64 {
        let n = p.len();
        let mut best = f64::INFINITY;
        let mut lengths = vec![1usize; n];
        loop {
            let kraft: f64 = lengths.iter().map(|&l| 0.5f64.powi(l as i32)).sum();
            if kraft <= 1.0 {
                let avg: f64 = lengths.iter().zip(p).map(|(&l, &pi)| l as f64 * pi).sum();
                best = best.min(avg);
            }
            let Some(k) = lengths.iter().position(|&l| l < n - 1) else {
                return best;
            };
            lengths[k] += 1;
            lengths[..k].fill(1);
        }
    }

    fn distribution(max_len: usize) -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(1e-6f64..1.0, 2..=max_len).prop_map(|w| {
            let s: f64 = w.iter().sum();
            w.iter().map(|x| x / s).collect()
        })
    }

    proptest! {
        #[test]
        fn average_length_is_within_one_bit_of_entropy(p in distribution(64)) {
            let code = huffman_code(&p).unwrap();
            let h = entropy(&p, 2.0).unwrap();
            prop_assert!(h <= code.average_length + 1e-12, "H = {h}, L = {}", code.average_length);
            prop_assert!(code.average_length < h + 1.0);
            // Kraft equality: every lengths ≤ 63, so the sum of powers of two is exact.
            prop_assert_eq!(code.kraft_sum(), 1.0);
        }

        #[test]
        fn code_is_prefix_free(p in distribution(40)) {
            let code = huffman_code(&p).unwrap();
            let words: Vec<&String> = code.codewords.iter().flatten().collect();
            prop_assert_eq!(words.len(), p.len());
            for (i, a) in words.iter().enumerate() {
                for (j, b) in words.iter().enumerate() {
                    prop_assert!(i == j || !b.starts_with(a.as_str()), "{} prefixes {}", a, b);
                }
            }
        }

        #[test]
        fn huffman_is_optimal(p in distribution(6)) {
            let best = brute_force_optimum(&p);
            let code = huffman_code(&p).unwrap();
            prop_assert!((code.average_length - best).abs() < 1e-12, "L = {}, best = {best}", code.average_length);
        }
    }
}
