use super::*;
use crate::math::random::Random;
use proptest::prelude::*;

fn random(len: usize, rng: &mut Random) -> Vec<f32> {
    (0..len).map(|_| rng.standard_normal() as f32).collect()
}

/// Standard normal a (n, k), b (k, m) and c₀ (n, m).
fn operands(n: usize, k: usize, m: usize, rng: &mut Random) -> [Vec<f32>; 3] {
    [random(n * k, rng), random(k * m, rng), random(n * m, rng)]
}

/// The i-j-p triple loop, in f64: c (n, m) = c₀ + a·b.
fn naive(a: &[f32], b: &[f32], c0: &[f32], n: usize, k: usize, m: usize) -> Vec<f32> {
    let mut c = c0.to_vec();
    for i in 0..n {
        for j in 0..m {
            let s: f64 = (0..k)
                .map(|p| f64::from(a[i * k + p]) * f64::from(b[p * m + j]))
                .sum();
            c[i * m + j] += s as f32;
        }
    }
    c
}

fn assert_close(got: &[f32], want: &[f32], depth: usize, what: &str) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let tol = 1e-5 * (depth as f32).sqrt() * (1.0 + w.abs());
        assert!((g - w).abs() <= tol, "{what} [{i}]: {g} vs {w}");
    }
}

const SHAPES: [(usize, usize, usize); 12] = [
    (64, 128, 2),
    (3, 19, 7),
    (1, 1, 1),
    (1, 3, 1),
    (4, 4, 8),
    (3, 5, 7),
    (5, 1, 9),
    (8, 16, 16),
    (9, 13, 17),
    (64, 64, 128),
    (29, 130, 2),
    (2, 2, 33),
];

#[test]
fn nn_matches_the_naive_product() {
    let mut rng = Random::new(1);
    let mut pack = Vec::new();
    for (n, k, m) in SHAPES {
        let [a, b, c0] = operands(n, k, m, &mut rng);
        let mut c = c0.clone();
        matmul_nn(&a, &b, &mut c, (n, k, m), &mut pack);
        assert_close(
            &c,
            &naive(&a, &b, &c0, n, k, m),
            k,
            &format!("nn {n}×{k}×{m}"),
        );
    }
}

#[test]
fn tn_matches_the_naive_product_of_the_transpose() {
    let mut rng = Random::new(2);
    let (mut at, mut scratch) = (Vec::new(), Vec::new());
    for (n, k, m) in SHAPES {
        let (a, b, c0) = (
            random(n * k, &mut rng),
            random(n * m, &mut rng),
            random(k * m, &mut rng),
        );
        let mut c = c0.clone();
        matmul_tn(&a, &b, &mut c, (n, k, m), &mut scratch);
        transpose(&a, n, k, &mut at);
        assert_close(
            &c,
            &naive(&at, &b, &c0, k, n, m),
            n,
            &format!("tn {n}×{k}×{m}"),
        );
    }
}

#[test]
fn nt_matches_the_naive_product_with_the_transpose() {
    let mut rng = Random::new(3);
    let (mut scratch, mut pack, mut bt) = (Vec::new(), Vec::new(), Vec::new());
    for (n, m, k) in SHAPES {
        let (a, b, c0) = (
            random(n * m, &mut rng),
            random(k * m, &mut rng),
            random(n * k, &mut rng),
        );
        let mut c = c0.clone();
        matmul_nt(&a, &b, &mut c, (n, m, k), &mut scratch, &mut pack);
        transpose(&b, k, m, &mut bt);
        assert_close(
            &c,
            &naive(&a, &bt, &c0, n, m, k),
            m,
            &format!("nt {n}×{m}×{k}"),
        );
    }
}

#[test]
fn transpose_twice_is_the_identity() {
    let x: Vec<f32> = (0..15).map(|v| v as f32).collect();
    let (mut t, mut back) = (Vec::new(), Vec::new());
    transpose(&x, 3, 5, &mut t);
    assert_eq!(t[1], 5.0); // xᵀ[0, 1] = x[1, 0]
    transpose(&t, 5, 3, &mut back);
    assert_eq!(back, x);
}

/// The i-j-p triple loop in f32, summed in the kernels' order: c + a₀b₀ + a₁b₁ + … with one
/// rounding per multiply and per add. The wide kernels must match it bit for bit (that order is
/// what makes a seeded training run the same in every engine and before/after a kernel change).
fn sequential(a: &[f32], b: &[f32], c0: &[f32], n: usize, k: usize, m: usize) -> Vec<f32> {
    let mut c = c0.to_vec();
    for i in 0..n {
        for j in 0..m {
            for p in 0..k {
                c[i * m + j] += a[i * k + p] * b[p * m + j];
            }
        }
    }
    c
}

fn assert_same_bits(got: &[f32], want: &[f32], what: &str) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g.to_bits(), w.to_bits(), "{what} [{i}]: {g} vs {w}");
    }
}

/// nn, tn and nt on one shape (n, k, m) with m ≥ [`NR`] (the packed path): each bit-identical
/// to the sequential product of the matrices it is given.
fn wide_products_are_sequential(n: usize, k: usize, m: usize, seed: u64) {
    let mut rng = Random::new(seed);
    let (mut pack, mut scratch, mut t) = (Vec::new(), Vec::new(), Vec::new());
    let [a, b, c0] = operands(n, k, m, &mut rng);
    let mut c = c0.clone();
    matmul_nn(&a, &b, &mut c, (n, k, m), &mut pack);
    assert_same_bits(
        &c,
        &sequential(&a, &b, &c0, n, k, m),
        &format!("nn {n}×{k}×{m}"),
    );
    // tn: c (n, m) += xᵀ·b with x = aᵀ of shape (k, n).
    transpose(&a, n, k, &mut t);
    let mut c = c0.clone();
    matmul_tn(&t, &b, &mut c, (k, n, m), &mut scratch);
    assert_same_bits(
        &c,
        &sequential(&a, &b, &c0, n, k, m),
        &format!("tn {k}×{n}×{m}"),
    );
    // nt: c (n, m) += a·yᵀ with y = bᵀ of shape (m, k).
    transpose(&b, k, m, &mut t);
    let mut c = c0.clone();
    matmul_nt(&a, &t, &mut c, (n, k, m), &mut scratch, &mut pack);
    assert_same_bits(
        &c,
        &sequential(&a, &b, &c0, n, k, m),
        &format!("nt {n}×{k}×{m}"),
    );
}

#[test]
fn wide_products_sum_in_sequential_order_bit_for_bit() {
    // The training step's wide shapes, and edges: n, k, m not multiples of MR / NR, depth 1.
    for (i, &(n, k, m)) in [
        (64, 64, 128),
        (64, 128, 64),
        (64, 2, 128),
        (1, 1, 8),
        (5, 1, 9),
        (3, 7, 8),
        (7, 33, 15),
        (9, 13, 17),
        (2, 2, 33),
        (64, 784, 40),
    ]
    .iter()
    .enumerate()
    {
        wide_products_are_sequential(n, k, m, 10 + i as u64);
    }
}

#[test]
fn empty_shapes_leave_c_unchanged() {
    let (mut pack, mut scratch) = (Vec::new(), Vec::new());
    let mut c = vec![1.5f32; 3 * 9];
    matmul_nn(&[], &[], &mut c, (3, 0, 9), &mut pack);
    matmul_tn(&[], &[], &mut c, (0, 3, 9), &mut scratch);
    matmul_nt(&[], &[], &mut c, (3, 0, 9), &mut scratch, &mut pack);
    assert!(c.iter().all(|&v| v == 1.5));
}

#[test]
fn a_warmed_up_pack_buffer_is_not_reallocated() {
    let mut rng = Random::new(4);
    let (a, b) = (random(64 * 64, &mut rng), random(64 * 128, &mut rng));
    let (mut pack, mut c) = (Vec::new(), vec![0.0f32; 64 * 128]);
    matmul_nn(&a, &b, &mut c, (64, 64, 128), &mut pack);
    let (ptr, cap) = (pack.as_ptr(), pack.capacity());
    for (n, k, m) in [(64, 64, 128), (32, 64, 128), (64, 32, 64)] {
        matmul_nn(&a, &b, &mut c, (n, k, m), &mut pack);
        assert_eq!((pack.as_ptr(), pack.capacity()), (ptr, cap), "{n}×{k}×{m}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_wide_shape_is_sequential(n in 1usize..20, k in 1usize..40, m in NR..40, seed in 0u64..1000) {
        wide_products_are_sequential(n, k, m, seed);
    }
}
