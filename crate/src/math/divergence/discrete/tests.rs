use super::*;
use crate::math::information::info::entropy;
use proptest::prelude::*;
use std::f64::consts::E;

/// |a − b| ≤ tol·|b|.
fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs()
}

fn kl(p: &[f64], q: &[f64]) -> f64 {
    kl_divergence(p, q, E).unwrap().value
}

// Reference values: mpmath with mp.dps = 50 on the exact f64 inputs (mpf(float(x))):
//   KL = Σ (pᵢ·log(pᵢ/qᵢ) if pᵢ > 0 else 0) − pᵢ + qᵢ   (the generalised KL, equal to
//        Σ pᵢ log(pᵢ/qᵢ) whenever Σpᵢ = Σqᵢ exactly, as in every case marked "exact sums")
//   JS = Σ ½pᵢ·log(pᵢ/mᵢ) + ½qᵢ·log(qᵢ/mᵢ) with mᵢ = (pᵢ + qᵢ)/2, skipping zero terms
//   H  = Σ −pᵢ·log(qᵢ) over pᵢ > 0
// all in nats, printed with mp.nstr(value, 17).
#[test]
fn reference_values() {
    let p = [0.1, 0.2, 0.7];
    let q = [0.3, 0.3, 0.4];
    assert!(rel_close(kl(&p, &q), 0.200_776_801_066_351_97, 1e-15));
    assert!(rel_close(kl(&q, &p), 0.227_376_903_858_713_1, 1e-15));
    assert!(rel_close(
        js_divergence(&p, &q, E).unwrap(),
        0.051_912_259_238_103_5,
        1e-15
    ));
    let h = cross_entropy(&p, &q, E).unwrap().value;
    assert!(rel_close(h, 1.002_595_353_609_689_3, 1e-15));
    // In bits: divide by ln 2.
    let bits = kl_divergence(&p, &q, 2.0).unwrap().value;
    assert!(rel_close(bits, 0.289_659_695_223_975_93, 1e-15));
}

#[test]
fn distributions_1e9_apart_keep_their_digits() {
    // Exact sums: 1 − a is exact for a ∈ [½, 1] (Sterbenz), and 0.25 ± 2⁻³⁰ are exact.
    let a = 0.5 + 1e-9;
    let (p, q) = ([a, 1.0 - a], [0.5, 0.5]);
    let want = 1.999_999_886_872_275_7e-18;
    assert!(rel_close(kl(&p, &q), want, 1e-13), "{}", kl(&p, &q));
    assert!(rel_close(kl(&q, &p), 1.999_999_886_872_275_8e-18, 1e-13));
    let js = js_divergence(&p, &q, E).unwrap();
    assert!(rel_close(js, 4.999_999_717_180_689e-19, 1e-13), "{js}");
    let d = 2f64.powi(-30);
    let (p, q) = ([0.25, 0.25, 0.5], [0.25 + d, 0.25 - d, 0.5]);
    assert!(rel_close(kl(&p, &q), 3.469_446_951_953_614e-18, 1e-13));
    let js = js_divergence(&p, &q, E).unwrap();
    assert!(rel_close(js, 8.673_617_379_884_035e-19, 1e-13), "{js}");
    // The naive Σ p ln(p/q) is dominated by rounding here: it has no correct digits.
    let naive: f64 = p.iter().zip(&q).map(|(pi, qi)| pi * (pi / qi).ln()).sum();
    assert!(
        !rel_close(naive, 3.469_446_951_953_614e-18, 1e-2),
        "{naive}"
    );
}

#[test]
fn probabilities_down_to_1e_300_and_subnormals() {
    let cases: [([f64; 2], [f64; 2], f64, f64); 4] = [
        // (p, q, KL(p‖q), H(p, q))
        (
            [0.5, 0.5],
            [1e-300, 1.0],
            344.694_616_768_546_9,
            345.387_763_949_106_85,
        ),
        (
            [1e-300, 1.0],
            [3e-300, 1.0],
            9.013_877_113_318_905e-301,
            6.896_769_156_095_456e-298,
        ),
        // q₀ = 5e-324, the smallest subnormal: (p − q)/q overflows, ln p − ln q is used.
        (
            [0.5, 0.5],
            [5e-324, 1.0],
            371.526_888_780_130_69,
            372.220_035_960_690_6,
        ),
        (
            [1e-300, 1.0],
            [1e-310, 1.0],
            2.202_585_093_004_046e-299,
            7.138_013_788_281_542e-298,
        ),
    ];
    for (p, q, want_kl, want_h) in cases {
        let (got, h) = (kl(&p, &q), cross_entropy(&p, &q, E).unwrap().value);
        assert!(rel_close(got, want_kl, 1e-13), "{p:?} {q:?}: {got}");
        assert!(rel_close(h, want_h, 1e-13), "{p:?} {q:?}: {h}");
    }
    // KL([1e-300, 1] ‖ [½, ½]) = ln 2 + 1e-300·ln(2e-300) to 50 digits: ln 2 in f64.
    let d = kl(&[1e-300, 1.0], &[0.5, 0.5]);
    assert!(rel_close(d, std::f64::consts::LN_2, 1e-15), "{d}");
    let js = js_divergence(&[1e-300, 1.0], &[3e-300, 1.0], E).unwrap();
    assert!(rel_close(js, 2.616_240_718_822_739_6e-301, 1e-13), "{js}");
}

#[test]
fn kl_is_infinite_where_q_rules_out_an_outcome_of_p() {
    let d = kl_divergence(&[0.2, 0.3, 0.5], &[0.5, 0.0, 0.5], 2.0).unwrap();
    assert_eq!(d.value, f64::INFINITY);
    assert_eq!(d.infinite_at, Some(1));
    let h = cross_entropy(&[0.2, 0.0, 0.3, 0.5], &[0.5, 0.5, 0.0, 0.0], 2.0).unwrap();
    assert_eq!((h.value, h.infinite_at), (f64::INFINITY, Some(2)));
    // 0·log(0/q) = 0: an outcome p never produces is free, even if q gives it 0.
    let d = kl_divergence(&[0.5, 0.0, 0.5], &[0.5, 0.0, 0.5], 2.0).unwrap();
    assert_eq!((d.value, d.infinite_at), (0.0, None));
    let terms = kl_terms(&[0.5, 0.0, 0.5], &[0.25, 0.75, 0.0], 2.0).unwrap();
    assert_eq!(terms, vec![0.5, 0.0, f64::INFINITY]);
    // The JS divergence is always finite: at most 1 bit, reached for disjoint supports.
    assert_eq!(js_divergence(&[1.0, 0.0], &[0.0, 1.0], 2.0).unwrap(), 1.0);
    assert_eq!(total_variation(&[1.0, 0.0], &[0.0, 1.0]).unwrap(), 1.0);
}

#[test]
fn kl_terms_add_up_and_can_be_negative() {
    let (p, q) = ([0.1, 0.2, 0.7], [0.3, 0.3, 0.4]);
    let terms = kl_terms(&p, &q, E).unwrap();
    assert!(terms[0] < 0.0 && terms[1] < 0.0 && terms[2] > 0.0);
    assert!(rel_close(terms.iter().sum(), kl(&p, &q), 1e-14));
    assert!(rel_close(terms[0], 0.1 * (1.0f64 / 3.0).ln(), 1e-15));
}

#[test]
fn bad_input_is_rejected_with_a_named_parameter() {
    let err = kl_divergence(&[0.5, 0.5], &[0.2, 0.3, 0.5], 2.0).unwrap_err();
    assert_eq!(
        err,
        InputError::LengthMismatch {
            name_a: "p",
            len_a: 2,
            name_b: "q",
            len_b: 3
        }
    );
    assert!(
        err.to_string().contains("p has 2 entries but q has 3"),
        "{err}"
    );
    assert!(matches!(
        js_divergence(&[0.5, 0.5], &[0.5, 0.6], 2.0),
        Err(InputError::NotNormalised { name: "q", .. })
    ));
    assert!(matches!(
        cross_entropy(&[0.5, f64::NAN], &[0.5, 0.5], 2.0),
        Err(InputError::NotFinite {
            name: "p",
            index: 1,
            ..
        })
    ));
    assert!(matches!(
        kl_terms(&[0.5, 0.5], &[0.5, 0.5], 1.0),
        Err(InputError::BadBase { .. })
    ));
    assert!(total_variation(&[], &[]).is_err());
}

fn normalise(w: Vec<f64>) -> Vec<f64> {
    let s: f64 = w.iter().sum();
    w.iter().map(|x| x / s).collect()
}

/// Some entries exactly 0, the rest spread over many orders of magnitude.
fn distribution(len: usize) -> impl Strategy<Value = Vec<f64>> {
    let entry = prop_oneof![Just(0.0), 1e-12f64..1.0, 1e-300f64..1e-200];
    (prop::collection::vec(entry, len), 1e-6f64..1.0).prop_map(|(mut w, first)| {
        w[0] += first; // so the sum is not tiny
        normalise(w)
    })
}

/// Entries in [0.01, 1] before normalising.
fn positive(len: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.01f64..1.0, len).prop_map(normalise)
}

fn pair() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (1usize..12).prop_flat_map(|n| (distribution(n), distribution(n)))
}

proptest! {
    #[test]
    fn kl_is_non_negative_and_zero_on_the_diagonal((p, q) in pair()) {
        let d = kl_divergence(&p, &q, 2.0).unwrap();
        prop_assert!(d.value >= 0.0);
        prop_assert_eq!(d.value.is_infinite(), d.infinite_at.is_some());
        if let Some(i) = d.infinite_at {
            prop_assert!(q[i] == 0.0 && p[i] > 0.0);
            prop_assert!(p[..i].iter().zip(&q[..i]).all(|(&a, &b)| b > 0.0 || a == 0.0));
        }
        let same = kl_divergence(&p, &p, 2.0).unwrap();
        prop_assert_eq!(same.value, 0.0);
        prop_assert!(same.value.is_sign_positive());
    }

    #[test]
    fn cross_entropy_is_entropy_plus_kl((p, q) in pair()) {
        let h = cross_entropy(&p, &q, 2.0).unwrap();
        let d = kl_divergence(&p, &q, 2.0).unwrap();
        prop_assert_eq!(h.infinite_at, d.infinite_at);
        if d.infinite_at.is_none() {
            let sum = entropy(&p, 2.0).unwrap() + d.value;
            prop_assert!((h.value - sum).abs() <= 1e-12 * sum.max(1.0), "{} vs {sum}", h.value);
        }
    }

    #[test]
    fn js_is_symmetric_and_bounded((p, q) in pair()) {
        let js = js_divergence(&p, &q, 2.0).unwrap();
        prop_assert!((0.0..=1.0).contains(&js));
        prop_assert_eq!(js, js_divergence(&q, &p, 2.0).unwrap());
        prop_assert_eq!(js_divergence(&p, &p, 2.0).unwrap(), 0.0);
        let nats = js_divergence(&p, &q, E).unwrap();
        prop_assert!(nats <= std::f64::consts::LN_2);
    }

    #[test]
    fn total_variation_is_a_bounded_metric((p, q) in pair()) {
        let tv = total_variation(&p, &q).unwrap();
        prop_assert!((0.0..=1.0).contains(&tv));
        prop_assert_eq!(tv, total_variation(&q, &p).unwrap());
        prop_assert_eq!(total_variation(&p, &p).unwrap(), 0.0);
        // Pinsker: TV ≤ √(KL/2), KL in nats.
        let d = kl(&p, &q);
        prop_assert!(tv <= (d / 2.0).sqrt() + 1e-12);
    }

    #[test]
    fn kl_agrees_with_the_naive_sum_when_that_is_accurate(
        (p, q) in (2usize..8).prop_flat_map(|n| (positive(n), positive(n)))
    ) {
        // Away from p ≈ q and from zeros, Σ p ln(p/q) has no bad cancellation.
        let naive: f64 = p.iter().zip(&q).map(|(a, b)| a * (a / b).ln()).sum();
        let d = kl(&p, &q);
        prop_assume!(d > 1e-3);
        prop_assert!(rel_close(d, naive, 1e-11), "{d} vs {naive}");
    }
}
