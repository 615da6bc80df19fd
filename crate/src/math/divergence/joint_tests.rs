//! Tests of [`super`]: closed forms, identities, nearly independent joints against an exact
//! construction, and the data-processing inequality on random chains.

use super::*;
use crate::math::divergence::discrete::kl_divergence;
use proptest::prelude::*;
use std::f64::consts::{E, LN_2};

fn report(joint: &[f64], nx: usize) -> JointReport {
    joint_report(joint, nx, E).unwrap()
}

/// |a − b| ≤ tol·|b|.
fn rel_close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs()
}

/// The outer product p(x)p(y), row-major.
fn outer(px: &[f64], py: &[f64]) -> Vec<f64> {
    px.iter()
        .flat_map(|&a| py.iter().map(move |&b| a * b))
        .collect()
}

/// h(ε) = −ε ln ε − (1 − ε) ln(1 − ε) in nats, without cancellation for tiny ε.
fn binary_entropy(e: f64) -> f64 {
    -e * e.ln() - (1.0 - e) * (-e).ln_1p()
}

/// The joint of X uniform on {0, 1} and Y = X flipped with probability ε.
fn bsc(e: f64) -> Vec<f64> {
    vec![(1.0 - e) / 2.0, e / 2.0, e / 2.0, (1.0 - e) / 2.0]
}

#[test]
fn independent_joints_carry_no_information() {
    // An exact product (dyadic entries): I is exactly 0.
    let r = report(&outer(&[0.5, 0.25, 0.25], &[0.125, 0.375, 0.5]), 3);
    assert_eq!(r.mutual_information, 0.0);
    assert_eq!(r.h_x_given_y, r.h_x);
    // A rounded product of non-dyadic marginals: I is at rounding level, far below 1e-15.
    let px = [0.1, 0.2, 0.3, 0.4];
    let py = [1.0 / 3.0, 1.0 / 7.0, 1.0 - 1.0 / 3.0 - 1.0 / 7.0];
    let r = report(&outer(&px, &py), 4);
    assert!(
        r.mutual_information.abs() <= 1e-15,
        "{}",
        r.mutual_information
    );
    assert!(r.mutual_information >= 0.0);
    let hx: f64 = px.iter().map(|p| -p * p.ln()).sum();
    assert!(rel_close(r.h_x, hx, 1e-14));
    assert!(rel_close(r.h_xy, r.h_x + r.h_y, 1e-14));
}

#[test]
fn a_copy_shares_all_its_information() {
    // X = Y: the joint is diagonal, I(X; X) = H(X) and nothing is left to learn.
    let p = [0.5, 0.3, 0.15, 0.05];
    let mut joint = vec![0.0; 16];
    for (i, &pi) in p.iter().enumerate() {
        joint[i * 4 + i] = pi;
    }
    let r = report(&joint, 4);
    let h: f64 = p.iter().map(|x| -x * x.ln()).sum();
    assert!(rel_close(r.mutual_information, h, 1e-14));
    assert!(rel_close(r.h_xy, h, 1e-14) && rel_close(r.h_y, h, 1e-14));
    assert_eq!((r.h_x_given_y, r.h_y_given_x), (0.0, 0.0));
}

#[test]
fn binary_symmetric_channel_with_uniform_input() {
    // I = 1 − h(ε) bits; H(X | Y) = H(Y | X) = h(ε).
    for e in [0.0, 0.01, 0.1, 0.25, 0.5, 0.9] {
        let r = joint_report(&bsc(e), 2, 2.0).unwrap();
        let h = if e == 0.0 {
            0.0
        } else {
            binary_entropy(e) / LN_2
        };
        assert!(
            (r.mutual_information - (1.0 - h)).abs() <= 1e-15,
            "ε = {e}: {}",
            r.mutual_information
        );
        assert!((r.h_x_given_y - h).abs() <= 1e-15 && (r.h_y_given_x - h).abs() <= 1e-15);
        assert_eq!((r.h_x, r.h_y), (1.0, 1.0));
    }
    // ε = ½: Y is independent of X.
    assert_eq!(
        joint_report(&bsc(0.5), 2, 2.0).unwrap().mutual_information,
        0.0
    );
}

#[test]
fn conditional_entropy_keeps_its_digits_when_nearly_deterministic() {
    // ε = 2⁻⁴⁰ (the cells are exact): H(X | Y) = h(ε) ≈ 2.6e-11 nats. Summed directly it is
    // exact to rounding; H(X) − I subtracts two numbers near ln 2 and keeps ~5 digits.
    let e = 2f64.powi(-40);
    let r = report(&bsc(e), 2);
    let want = binary_entropy(e);
    assert!(rel_close(r.h_x_given_y, want, 1e-14), "{}", r.h_x_given_y);
    assert!(rel_close(r.h_y_given_x, want, 1e-14));
    assert!(rel_close(r.mutual_information, LN_2 - want, 1e-15));
    let subtracted = r.h_x - r.mutual_information;
    assert!(!rel_close(subtracted, want, 1e-10), "{subtracted}");
}

/// φ(r) = (1 + r) ln(1 + r) − r by its series, for |r| < 2⁻¹⁴ (the next term is < 1e-17·φ).
fn phi_reference(r: f64) -> f64 {
    r * r / 2.0 - r.powi(3) / 6.0 + r.powi(4) / 12.0 - r.powi(5) / 20.0
}

/// A nearly independent joint built exactly: dyadic marginals (multiples of 1/64, so every
/// product is exact) and ±δ on the corners of a 2×2 block, which leaves both marginals and
/// the sum exactly as they were. Then I = Σ q φ(±δ/q) over the four corners, exactly.
fn perturbed(
    a: &[u32],
    b: &[u32],
    corners: (usize, usize, usize, usize),
    delta: f64,
) -> (Vec<f64>, f64) {
    let px: Vec<f64> = a.iter().map(|&k| f64::from(k) / 64.0).collect();
    let py: Vec<f64> = b.iter().map(|&k| f64::from(k) / 64.0).collect();
    let ny = py.len();
    let mut joint = outer(&px, &py);
    let (i1, i2, j1, j2) = corners;
    let mut want = 0.0;
    for (i, j, sign) in [(i1, j1, 1.0), (i2, j2, 1.0), (i1, j2, -1.0), (i2, j1, -1.0)] {
        let q = joint[i * ny + j];
        joint[i * ny + j] = q + sign * delta; // exact: δ is a multiple of 2⁻⁵³
        want += q * phi_reference(sign * delta / q);
    }
    (joint, want)
}

/// Positive whole numbers summing to 64, `n` of them.
fn composition(n: usize) -> impl Strategy<Value = Vec<u32>> {
    prop::collection::vec(1u32..64, n).prop_map(move |w| {
        // Scale to 64 - n, then add 1 to each: every part ≥ 1, the total exactly 64.
        let total: u32 = w.iter().sum();
        let free = 64 - w.len() as u32;
        let mut parts: Vec<u32> = w.iter().map(|&x| x * free / total).collect();
        let short = free - parts.iter().sum::<u32>();
        parts[0] += short;
        parts.iter().map(|x| x + 1).collect()
    })
}

#[test]
fn nearly_independent_fixed_case_and_the_naive_difference() {
    // px = (½, ½), py = (¼, ¾), δ = 2⁻³⁰: I = (32/3)δ² to 1e-18 relative.
    let (joint, want) = perturbed(&[32, 32], &[16, 48], (0, 1, 0, 1), 2f64.powi(-30));
    let d2 = 2f64.powi(-60);
    assert!(rel_close(want, 32.0 / 3.0 * d2, 1e-15));
    let r = report(&joint, 2);
    assert!(rel_close(r.mutual_information, want, 1e-13), "{r:?}");
    // H(X) + H(Y) − H(X, Y) has no correct digit here.
    let naive = r.h_x + r.h_y - r.h_xy;
    assert!(!rel_close(naive, want, 1e-2), "{naive} vs {want}");
}

fn joint_strategy() -> impl Strategy<Value = (Vec<f64>, usize)> {
    (2usize..=6, 2usize..=6).prop_flat_map(|(nx, ny)| {
        let entry = prop_oneof![Just(0.0), 1e-12f64..1.0, 1e-300f64..1e-200, 0.2f64..1.0];
        (prop::collection::vec(entry, nx * ny), 1e-3f64..1.0).prop_map(move |(mut w, first)| {
            w[0] += first;
            let s: f64 = w.iter().sum();
            (w.iter().map(|x| x / s).collect(), nx)
        })
    })
}

/// A row-stochastic matrix, `rows` × `cols`, zeros allowed.
fn channel(rows: usize, cols: usize) -> impl Strategy<Value = Vec<f64>> {
    let entry = prop_oneof![Just(0.0), 1e-9f64..1.0, 0.1f64..1.0];
    prop::collection::vec((prop::collection::vec(entry, cols), 0.01f64..1.0), rows).prop_map(
        |rows| {
            rows.into_iter()
                .flat_map(|(mut w, first)| {
                    w[0] += first;
                    let s: f64 = w.iter().sum();
                    w.into_iter().map(move |x| x / s)
                })
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn identities_hold((joint, nx) in joint_strategy()) {
        let r = report(&joint, nx);
        let ny = joint.len() / nx;
        // I's floor: double-double leaves r ~ 1e-32, so I carries ~1e-64 nats of noise.
        let tol = 1e-13 * r.h_xy + 1e-60;
        // Chain rule, both ways.
        prop_assert!((r.h_xy - (r.h_x + r.h_y_given_x)).abs() <= tol, "{r:?}");
        prop_assert!((r.h_xy - (r.h_y + r.h_x_given_y)).abs() <= tol, "{r:?}");
        // I = H(X) − H(X | Y) = H(Y) − H(Y | X) = H(X) + H(Y) − H(X, Y), and 0 ≤ I ≤ min H.
        prop_assert!((r.mutual_information - (r.h_x - r.h_x_given_y)).abs() <= tol);
        prop_assert!((r.mutual_information - (r.h_y - r.h_y_given_x)).abs() <= tol);
        prop_assert!((r.mutual_information - (r.h_x + r.h_y - r.h_xy)).abs() <= tol);
        prop_assert!(r.mutual_information >= 0.0);
        prop_assert!(r.mutual_information <= r.h_x.min(r.h_y) * (1.0 + 1e-14) + 1e-60);
        // Conditioning reduces entropy on average.
        prop_assert!(r.h_x_given_y <= r.h_x * (1.0 + 1e-14) + 1e-60);
        // I is 2.1's KL of the joint from the product of its marginals.
        let product = outer(&r.px, &r.py);
        let kl = kl_divergence(&joint, &product, E).unwrap().value;
        prop_assert!((r.mutual_information - kl).abs() <= 1e-12 * kl.max(1e-3), "{} {kl}", r.mutual_information);
        // Symmetry: transposing swaps X and Y.
        let t: Vec<f64> = (0..joint.len()).map(|k| joint[(k % nx) * ny + k / nx]).collect();
        let s = report(&t, ny);
        prop_assert!((s.mutual_information - r.mutual_information).abs() <= tol);
        prop_assert!((s.h_x_given_y - r.h_y_given_x).abs() <= tol);
        // Units: bits are nats / ln 2.
        let bits = joint_report(&joint, nx, 2.0).unwrap();
        prop_assert!(rel_close(bits.mutual_information, r.mutual_information / LN_2, 1e-15)
            || bits.mutual_information == 0.0);
    }

    #[test]
    fn nearly_independent_joints_are_accurate(
        (a, b, corners) in (2usize..=6, 2usize..=6).prop_flat_map(|(nx, ny)| (
            composition(nx), composition(ny),
            (0..nx, 0..nx, 0..ny, 0..ny).prop_filter("a 2×2 block", |(i1, i2, j1, j2)| i1 != i2 && j1 != j2),
        )),
        m in 1u32..16, e in 30i32..=53,
    ) {
        let delta = f64::from(m) * 2f64.powi(-e); // < 2⁻²⁶, and every q ≥ 2⁻¹²: |r| < 2⁻¹⁴
        let (joint, want) = perturbed(&a, &b, corners, delta);
        let r = report(&joint, a.len());
        prop_assert!((r.mutual_information - want).abs() <= 1e-10 * want, "{} vs {want}", r.mutual_information);
        prop_assert!(want < 1e-10 && want > 0.0);
    }

    #[test]
    fn data_processing_inequality(
        (px, a, b, ny, nz) in (2usize..=6, 2usize..=6, 2usize..=6).prop_flat_map(|(nx, ny, nz)| (
            prop::collection::vec(0.01f64..1.0, nx).prop_map(|w| { let s: f64 = w.iter().sum(); w.iter().map(|x| x / s).collect::<Vec<_>>() }),
            channel(nx, ny), channel(ny, nz), Just(ny), Just(nz),
        )),
    ) {
        let (ixy, ixz) = data_processing(&px, &a, ny, &b, nz, 2.0).unwrap();
        prop_assert!(ixz <= ixy + 1e-12, "I(X;Z) = {ixz} > I(X;Y) = {ixy}");
        prop_assert!(ixz >= 0.0);
        // I(X; Y) agrees with the report of the joint p(x) p(y | x).
        let joint: Vec<f64> = (0..px.len() * ny).map(|k| px[k / ny] * a[k]).collect();
        let r = joint_report(&joint, px.len(), 2.0).unwrap();
        prop_assert!((r.mutual_information - ixy).abs() <= 1e-13);
    }
}

#[test]
fn two_binary_symmetric_channels_compose() {
    // X uniform; flips ε₁ then ε₂ make one BSC with ε = ε₁(1 − ε₂) + ε₂(1 − ε₁).
    let (e1, e2) = (0.1, 0.2);
    let c = |e: f64| vec![1.0 - e, e, e, 1.0 - e];
    let (ixy, ixz) = data_processing(&[0.5, 0.5], &c(e1), 2, &c(e2), 2, 2.0).unwrap();
    let e = e1 * (1.0 - e2) + e2 * (1.0 - e1);
    assert!((ixy - (1.0 - binary_entropy(e1) / LN_2)).abs() <= 1e-15);
    assert!((ixz - (1.0 - binary_entropy(e) / LN_2)).abs() <= 1e-15);
    // A noiseless second channel (a permutation) loses nothing.
    let (ixy, ixz) = data_processing(&[0.3, 0.7], &c(e1), 2, &[0.0, 1.0, 1.0, 0.0], 2, E).unwrap();
    assert!(rel_close(ixz, ixy, 1e-14));
}

#[test]
fn bad_input_is_rejected_with_a_code() {
    let rule = |r: Result<JointReport, InputError>| r.unwrap_err().code();
    assert_eq!(rule(joint_report(&[0.5, 0.5], 1, 2.0)), Code::JointSize);
    assert_eq!(rule(joint_report(&[0.1; 10], 7, 2.0)), Code::JointSize);
    assert_eq!(rule(joint_report(&[0.2; 5], 2, 2.0)), Code::JointShape);
    assert!(joint_report(&[0.125; 8], 4, 2.0).is_ok()); // 4 rows of 2
    assert_eq!(rule(joint_report(&[0.5, 0.5], 2, 2.0)), Code::JointShape); // one column
    assert_eq!(rule(joint_report(&[0.25; 4], 2, 1.0)), Code::BadBase);
    assert_eq!(
        rule(joint_report(&[0.3, 0.3, 0.3, 0.3], 2, 2.0)),
        Code::NotNormalised
    );
    assert_eq!(
        rule(joint_report(&[0.5, 0.6, -0.1, 0.0], 2, 2.0)),
        Code::Negative
    );
    assert_eq!(
        rule(joint_report(&[0.5, f64::NAN, 0.5, 0.0], 2, 2.0)),
        Code::NotFinite
    );
    let err = joint_report(&[0.2; 5], 2, 2.0).unwrap_err();
    assert!(err.to_string().starts_with("joint has 5 entries"), "{err}");
    let c = [0.5, 0.5, 0.5, 0.5];
    let dp = |px: &[f64], a: &[f64], ny, b: &[f64], nz| {
        data_processing(px, a, ny, b, nz, 2.0).unwrap_err()
    };
    let err = dp(&[0.5, 0.5], &[0.5, 0.5, 0.4, 0.5], 2, &c, 2);
    assert_eq!(err.code(), Code::ChannelRow);
    assert_eq!(
        err.to_string().split(':').next(),
        Some("row 1 of channelA does not sum to 1")
    );
    assert_eq!(dp(&[0.5, 0.5], &c, 3, &c, 2).code(), Code::JointShape);
    assert_eq!(
        dp(&[0.5, 0.5], &c, 2, &[0.25; 8], 2).code(),
        Code::JointShape
    );
    assert_eq!(dp(&[1.0], &[0.5, 0.5], 2, &c, 2).code(), Code::JointSize);
    assert_eq!(
        dp(&[0.5, 0.5], &[0.5, -0.5, 0.5, 0.5], 2, &c, 2).code(),
        Code::Negative
    );
    assert_eq!(axis_size(2.5, "nx").unwrap_err().code(), Code::JointSize);
    assert_eq!(axis_size(6.0, "nx").unwrap(), 6);
}

/// The numbers mi.body4 states (both languages) for the joint the widget opens with, Cover
/// and Thomas's Example 2.2.1 (rows x, columns y).
#[test]
fn the_example_in_the_text() {
    let (a, b, c, d) = (1.0 / 4.0, 1.0 / 8.0, 1.0 / 16.0, 1.0 / 32.0);
    let joint = [b, c, c, a, c, b, c, 0.0, d, d, c, 0.0, d, d, c, 0.0];
    let r = joint_report(&joint, 4, 2.0).unwrap();
    assert_eq!((r.h_x, r.h_y), (1.75, 2.0));
    assert!((r.h_x_given_y - 1.375).abs() < 1e-15 && (r.h_y_given_x - 1.625).abs() < 1e-15);
    assert!((r.h_xy - 3.375).abs() < 1e-15 && (r.mutual_information - 0.375).abs() < 1e-15);
    // H(X | Y = 3) = 2 bits > H(X); H(X | Y = 4) = 0.
    let column = |j: usize| -> Vec<f64> { (0..4).map(|i| joint[i * 4 + j] * 4.0).collect() };
    assert_eq!(
        crate::math::information::info::entropy(&column(2), 2.0).unwrap(),
        2.0
    );
    assert_eq!(
        crate::math::information::info::entropy(&column(3), 2.0).unwrap(),
        0.0
    );
}
