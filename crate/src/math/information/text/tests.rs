use super::*;
use crate::math::information::huffman::huffman_code;
use proptest::prelude::*;

fn report(text: &str, unit: Unit) -> TextReport {
    text_report(text, unit).unwrap()
}

#[test]
fn abracadabra_takes_23_bits() {
    // a ×5, b ×2, r ×2, c ×1, d ×1: the textbook example; its Huffman code has lengths
    // 1, 3, 3, 3, 3 (or an equally good shape), 23 bits in all.
    let r = report("abracadabra", Unit::Letter);
    assert_eq!(r.symbols, ["a", "b", "r", "c", "d"]);
    assert_eq!(r.counts, [5, 2, 2, 1, 1]);
    assert_eq!(r.total, 11);
    assert_eq!(r.coded_bits(), 23);
    assert_eq!(r.kraft_sum(), 1.0);
    // n·H = 5 log₂(11/5) + 4 log₂(11/2) + 2 log₂ 11, evaluated term by term.
    let nh = 5.0 * (11.0f64 / 5.0).log2() + 4.0 * (11.0f64 / 2.0).log2() + 2.0 * 11.0f64.log2();
    assert!((r.total_surprisal_bits() - nh).abs() < 1e-12);
    assert!((r.entropy_bits() - nh / 11.0).abs() < 1e-12);
    assert_eq!(r.utf8_bytes, 11);
}

#[test]
fn dyadic_text_meets_the_entropy_exactly() {
    // p̂ = (1/2, 1/4, 1/8, 1/8): lengths 1, 2, 3, 3 and coded length n·H = 8 · 1.75 = 14 bits.
    let r = report("aaaabbcd", Unit::Letter);
    assert_eq!(r.lengths, [1, 2, 3, 3]);
    assert_eq!(r.coded_bits(), 14);
    assert_eq!(r.total_surprisal_bits(), 14.0);
    assert_eq!(r.surprisals(), [1.0, 2.0, 3.0, 3.0]);
}

#[test]
fn one_symbol_needs_no_bits() {
    let r = report("zzzz", Unit::Letter);
    assert_eq!(r.lengths, [0]);
    assert_eq!(r.coded_bits(), 0);
    assert_eq!(r.entropy_bits(), 0.0);
}

#[test]
fn words_are_lower_cased_runs_of_letters_and_ideographs_stand_alone() {
    let r = report("The cat. the CAT, a dog!", Unit::Word);
    assert_eq!(r.symbols, ["the", "cat", "a", "dog"]);
    assert_eq!(r.counts, [2, 2, 1, 1]);
    let r = report("我爱你，你爱我。", Unit::Word);
    assert_eq!(r.symbols, ["我", "爱", "你"]);
    assert_eq!(r.counts, [2, 2, 2]);
    assert_eq!(r.total, 6);
}

#[test]
fn bytes_and_characters_of_non_ascii_text() {
    // é is 2 bytes in UTF-8, 中 is 3: the "8 bits per character" original counts bytes.
    let r = report("é中a", Unit::Letter);
    assert_eq!((r.chars, r.utf8_bytes, r.total), (3, 6, 3));
}

#[test]
fn grouping_keeps_the_top_symbols_and_merges_the_rest() {
    let r = report("aaaabbbccd e", Unit::Letter); // a4 b3 c2 d1 ' '1 e1
    assert_eq!(r.grouped(16), (r.counts.clone(), 0));
    let (g, other) = r.grouped(3);
    assert_eq!(g, [4, 3, 5]);
    assert_eq!(other, 4);
    assert_eq!(g.iter().sum::<u64>(), r.total);
}

#[test]
fn bad_texts_get_coded_errors() {
    let code = |t: &str, u| text_report(t, u).unwrap_err().code();
    assert_eq!(code("", Unit::Letter), Code::TextEmpty);
    assert_eq!(code(" ,.;! ", Unit::Word), Code::TextNoWords);
    let long = "a".repeat(MAX_TEXT_CHARS + 1);
    assert_eq!(code(&long, Unit::Letter), Code::TextTooLong);
    assert!(text_report(&"a".repeat(MAX_TEXT_CHARS), Unit::Letter).is_ok());
    let msg = text_report(&long, Unit::Word).unwrap_err().to_string();
    assert!(msg.contains("100001") && msg.contains("100000"), "{msg}");
}

proptest! {
    #[test]
    fn coded_length_is_optimal_and_within_one_bit_per_symbol(text in "[a-f ]{1,300}") {
        let r = report(&text, Unit::Letter);
        prop_assert_eq!(r.counts.iter().sum::<u64>(), r.total);
        let coded = r.coded_bits();
        let by_terms: u64 = r.counts.iter().zip(&r.lengths).map(|(&c, &l)| c * u64::from(l)).sum();
        prop_assert_eq!(coded, by_terms);
        // Σ count·surprisal = n·H, the identity the page shows.
        let sum: f64 = r.counts.iter().zip(r.surprisals()).map(|(&c, s)| c as f64 * s).sum();
        prop_assert!((sum - r.total_surprisal_bits()).abs() < 1e-9);
        // n·H ≤ coded < n·(H + 1), H the empirical entropy in bits.
        let nh = r.total_surprisal_bits();
        prop_assert!(nh <= coded as f64 + 1e-9, "nH = {}, coded = {}", nh, coded);
        prop_assert!((coded as f64) < nh + r.total as f64);
        if r.counts.len() >= 2 {
            prop_assert_eq!(r.kraft_sum(), 1.0);
        }
        // Every Huffman code has the same (optimal) cost: the float-probability builder of
        // section 1.3 gives n·L for the same distribution.
        let n = r.total as f64;
        let p: Vec<f64> = r.counts.iter().map(|&c| c as f64 / n).collect();
        let l = huffman_code(&p).unwrap().average_length;
        prop_assert!((coded as f64 - n * l).abs() < 1e-6, "coded {} vs n·L {}", coded, n * l);
    }
}
