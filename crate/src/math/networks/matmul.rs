//! Register-tiled f32 matrix products for the three layouts a dense layer's forward and
//! backward passes need, written so LLVM auto-vectorises them (SSE/AVX natively, SIMD128 on
//! wasm when enabled): each inner loop runs over a contiguous run of [`NR`] output columns
//! with [`MR`] × [`NR`] independent accumulators held in registers.
//!
//! All matrices are row-major slices; every product **adds** into `c` (fill `c` with zeros or
//! a broadcast bias first). Panics if a slice is shorter than its shape says.
//!
//! **Why these and not ndarray's product.** `make bench` times each kernel beside ndarray 0.17's
//! `general_mat_mul` (matrixmultiply's packed GEMM, also c += a·b into an existing c) on the
//! training step's shapes at batch 64 (`matmul_<kind>_<n>x<k>x<m>_tiled` /
//! `…_ndarray`, ns per product). One native run (x86-64, 2 shared cores, 2026-12-07):
//!
//! | product | tiled | ndarray | |
//! |---|---|---|---|
//! | nn 64×64×128 (encoder) | 41,967 | 14,211 | ndarray 3.0× faster |
//! | nn 64×128×64 (decoder out) | 47,062 | 15,116 | ndarray 3.1× faster |
//! | nn 64×128×2 (latent heads) | 2,437 | 4,285 | tiled 1.8× faster |
//! | nn 64×784×256 | 2,541,005 | 397,690 | ndarray 6.4× faster |
//! | tn 64×64×128 (weight gradient) | 40,540 | 14,557 | ndarray 2.8× faster |
//! | tn 64×128×2 | 1,759 | 2,686 | tiled 1.5× faster |
//! | nt 64×64×128 (input gradient) | 48,429 | 16,741 | ndarray 2.9× faster |
//! | nt 64×256×784 | 3,422,369 | 1,158,606 | ndarray 3.0× faster |
//!
//! Natively ndarray wins every wide product (matrixmultiply picks AVX/FMA kernels at run time);
//! the narrow ones (m < [`NR`], the latent heads) stay tiled on the numbers.
//!
//! **In wasm**, where the step runs, `make bench` also times both in Node 20 (release profile,
//! SIMD128: `tests/wasm_matmul.rs`, `wasm_matmul_<kind>_<n>x<k>x<m>_tiled` / `…_ndarray`, the
//! two timed in alternating batches). matrixmultiply 0.3.11 does have a SIMD128 kernel (8 × 8,
//! chosen at compile time with `target-feature=+simd128`). One run (2 cores shared by other
//! jobs, load ≈ 23, 2026-12-07), ns per product:
//!
//! | product | tiled | ndarray | |
//! |---|---|---|---|
//! | nn 64×64×128 | 94,307 | 73,822 | ndarray 1.3× faster |
//! | nn 64×128×64 | 91,195 | 70,055 | ndarray 1.3× faster |
//! | nn 64×128×2 | 4,237 | 22,919 | tiled 5.4× faster |
//! | nn 64×784×256 | 7,269,981 | 5,218,096 | ndarray 1.4× faster |
//! | tn 64×64×128 | 55,594 | 46,601 | ndarray 1.2× faster |
//! | tn 64×128×2 | 2,842 | 7,625 | tiled 2.7× faster |
//! | nt 64×64×128 | 135,892 | 90,673 | ndarray 1.5× faster |
//! | nt 64×256×784 | 11,816,079 | 8,737,364 | ndarray 1.4× faster |
//!
//! So in wasm ndarray is 1.2–1.5× faster on the wide products (the gap natively is 3–6×) and
//! the tiled kernels 2.7–5.4× faster on the narrow ones. The wide products nevertheless stay
//! tiled in the training step, because the step must allocate nothing once warmed up (the
//! workspace tests in `vae/tests.rs` and `train.rs`) and ndarray's product cannot: without
//! BLAS, `general_mat_mul` calls `matrixmultiply::sgemm` for every f32 shape, whose
//! `gemm_loop` (src/gemm.rs, 0.3.11) allocates a fresh packing buffer
//! (`make_packing_buffer` → `Alloc::new` → `std::alloc::alloc`) on every call and frees it on
//! return; the crate offers no way to pass a reused buffer in.

/// Rows of `c` per register tile.
pub const MR: usize = 4;
/// Columns of `c` per register tile.
pub const NR: usize = 8;

/// The MR × NR tile of `c` at (`i0`, `j0`) += Σₛ a(i0 + r, s) · b[s, j0..j0 + NR], where
/// a(i0 + r, s) = `a[s · lda + r]` (a packed or naturally transposed MR-wide strip).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn tile(
    a: &[f32],
    lda: usize,
    b: &[f32],
    ldb: usize,
    depth: usize,
    c: &mut [f32],
    ldc: usize,
    j0: usize,
) {
    let mut acc = [[0.0f32; NR]; MR];
    for (r, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[r * ldc + j0..r * ldc + j0 + NR]);
    }
    for s in 0..depth {
        let av: &[f32; MR] = a[s * lda..s * lda + MR].try_into().unwrap();
        let bv: &[f32; NR] = b[s * ldb + j0..s * ldb + j0 + NR].try_into().unwrap();
        for r in 0..MR {
            for q in 0..NR {
                acc[r][q] += av[r] * bv[q];
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        c[r * ldc + j0..r * ldc + j0 + NR].copy_from_slice(row);
    }
}

/// The edge of `c` not covered by whole tiles: rows `i0..i0 + rows` (rows ≤ MR), columns
/// `j0..m`, with a(i0 + r, s) = `a[s · lda + r]`.
#[allow(clippy::too_many_arguments)]
fn edge(
    a: &[f32],
    lda: usize,
    rows: usize,
    b: &[f32],
    depth: usize,
    c: &mut [f32],
    m: usize,
    j0: usize,
) {
    for r in 0..rows {
        let crow = &mut c[r * m + j0..r * m + m];
        for s in 0..depth {
            let av = a[s * lda + r];
            for (cv, &bv) in crow.iter_mut().zip(&b[s * m + j0..s * m + m]) {
                *cv += av * bv;
            }
        }
    }
}

/// One MR-row strip of `c` (rows × m, rows ≤ MR) += A·B with the strip of A given as
/// a(r, s) = `a[s · lda + r]`, B of shape (depth, m).
fn strip(a: &[f32], lda: usize, rows: usize, b: &[f32], depth: usize, c: &mut [f32], m: usize) {
    let whole = if rows == MR { m / NR * NR } else { 0 };
    for j0 in (0..whole).step_by(NR) {
        tile(a, lda, b, m, depth, c, m, j0);
    }
    edge(a, lda, rows, b, depth, c, m, whole);
}

/// c (n, m) += a (n, k) · b (k, m). `pack` is scratch space (resized to k·MR, so reusing it
/// avoids allocation).
pub fn matmul_nn(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    (n, k, m): (usize, usize, usize),
    pack: &mut Vec<f32>,
) {
    assert!(a.len() >= n * k && b.len() >= k * m && c.len() >= n * m);
    if m < NR {
        return narrow_nn(a, b, c, (n, k, m), pack);
    }
    pack.clear();
    pack.resize(k * MR, 0.0);
    for i0 in (0..n).step_by(MR) {
        let rows = MR.min(n - i0);
        // Pack rows i0.. of a as (k, MR): the tile reads MR values per step contiguously.
        for r in 0..rows {
            for (s, &v) in a[(i0 + r) * k..(i0 + r + 1) * k].iter().enumerate() {
                pack[s * MR + r] = v;
            }
        }
        strip(pack, MR, rows, b, k, &mut c[i0 * m..(i0 + rows) * m], m);
    }
}

/// c (n, m) += a (n, k) · b (k, m) for m < [`NR`] (a layer with few outputs, such as a
/// latent head): one dot product per output over bᵀ's rows, with [`NR`] lane-wise partial sums.
fn narrow_nn(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    (n, k, m): (usize, usize, usize),
    bt: &mut Vec<f32>,
) {
    transpose(&b[..k * m], k, m, bt); // (m, k)
    for (arow, crow) in a.chunks_exact(k).zip(c.chunks_exact_mut(m)).take(n) {
        for (cv, brow) in crow.iter_mut().zip(bt.chunks_exact(k)) {
            *cv += dot(arow, brow);
        }
    }
}

/// Σᵢ xᵢ yᵢ over the common length, with [`NR`] partial sums so it vectorises.
fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut acc = [0.0f32; NR];
    let (xc, yc) = (x.chunks_exact(NR), y.chunks_exact(NR));
    let tail: f32 = xc
        .remainder()
        .iter()
        .zip(yc.remainder())
        .map(|(a, b)| a * b)
        .sum();
    for (xs, ys) in xc.zip(yc) {
        for q in 0..NR {
            acc[q] += xs[q] * ys[q];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// c (k, m) += aᵀ · b for a (n, k), b (n, m): the weight gradient xᵀ·∂L/∂y. The rows of a
/// already hold MR consecutive output rows side by side, so no packing; `scratch` is only
/// used when m < [`NR`] (resized to m·k).
pub fn matmul_tn(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    (n, k, m): (usize, usize, usize),
    scratch: &mut Vec<f32>,
) {
    assert!(a.len() >= n * k && b.len() >= n * m && c.len() >= k * m);
    if m < NR {
        // cᵀ (m, k) += b[i, j] · a[i, :] for each row i: runs along k, then add it transposed.
        scratch.clear();
        scratch.resize(m * k, 0.0);
        for (arow, brow) in a.chunks_exact(k).zip(b.chunks_exact(m)).take(n) {
            for (ct, &bv) in scratch.chunks_exact_mut(k).zip(brow) {
                for (cv, &av) in ct.iter_mut().zip(arow) {
                    *cv += bv * av;
                }
            }
        }
        for (j, ct) in scratch.chunks_exact(k).enumerate() {
            for (p, &v) in ct.iter().enumerate() {
                c[p * m + j] += v;
            }
        }
        return;
    }
    for p0 in (0..k).step_by(MR) {
        let rows = MR.min(k - p0);
        if rows == MR {
            strip(&a[p0..], k, rows, b, n, &mut c[p0 * m..(p0 + rows) * m], m);
        } else {
            // Last strip: a[p0..] is too short for whole MR-wide reads at the last step.
            edge(
                &a[p0..],
                k,
                rows,
                b,
                n,
                &mut c[p0 * m..(p0 + rows) * m],
                m,
                0,
            );
        }
    }
}

/// c (n, k) += a (n, m) · bᵀ for b (k, m): the input gradient ∂L/∂y · Wᵀ. Transposes b into
/// `scratch` (resized to m·k) and packs into `pack`, then runs [`matmul_nn`].
pub fn matmul_nt(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    (n, m, k): (usize, usize, usize),
    scratch: &mut Vec<f32>,
    pack: &mut Vec<f32>,
) {
    assert!(b.len() >= k * m);
    transpose(&b[..k * m], k, m, scratch);
    matmul_nn(a, scratch, c, (n, m, k), pack);
}

/// `out` (cols, rows) = `x`ᵀ for x (rows, cols); `out` is resized to rows·cols.
pub fn transpose(x: &[f32], rows: usize, cols: usize, out: &mut Vec<f32>) {
    out.clear();
    out.resize(rows * cols, 0.0);
    for (i, row) in x.chunks_exact(cols).take(rows).enumerate() {
        for (j, &v) in row.iter().enumerate() {
            out[j * rows + i] = v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::random::Random;

    fn random(len: usize, rng: &mut Random) -> Vec<f32> {
        (0..len).map(|_| rng.standard_normal() as f32).collect()
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
            let (a, b, c0) = (
                random(n * k, &mut rng),
                random(k * m, &mut rng),
                random(n * m, &mut rng),
            );
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
}
