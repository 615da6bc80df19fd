//! Register-tiled f32 matrix products for the three layouts a dense layer's forward and
//! backward passes need. A wide product (at least [`NR`] output columns) packs both operands
//! into the caller's reused buffer — A into [`MR`]-row strips, B into [`NR`]-column panels,
//! each laid out so the tile reads step s's values contiguously — and runs one [`MR`] × [`NR`]
//! tile kernel over them (explicit SIMD128 in wasm, a loop LLVM auto-vectorises natively). A
//! narrow one (a latent head, fewer than [`NR`] outputs) takes dot products with [`NR`]
//! partial sums instead.
//!
//! **Summation order.** Every element of a wide product is summed as c + a₀b₀ + a₁b₁ + … (one
//! rounding per multiply and per add; wasm has no fused multiply-add and Rust never contracts
//! one), the naive triple loop's order, whichever tile it falls in: the same bits in every
//! engine, and the same as the unpacked kernels this replaced (the tests compare bit for bit).
//!
//! All matrices are row-major slices; every product **adds** into `c` (fill `c` with zeros or
//! a broadcast bias first). Panics if a slice is shorter than its shape says.
//!
//! **Why these and not ndarray's product.** `make bench` times each kernel beside ndarray 0.17's
//! `general_mat_mul` (matrixmultiply 0.3.11's packed GEMM, also c += a·b into an existing c)
//! on the training step's shapes at batch 64, in wasm (Node 20, release, SIMD128:
//! `tests/wasm_matmul.rs`, the two timed in alternating batches, medians;
//! `wasm_matmul_<kind>_<n>x<k>x<m>_tiled` / `…_ndarray`) and natively (`benches/native.rs`,
//! `matmul_…`). The step runs in wasm. Two runs of the wasm bench on one loaded machine
//! (2 shared cores, 2026-12-07), time tiled ÷ time ndarray (below 1: tiled faster); "before"
//! is the previous, unpacked 4 × 8 kernels, "after" these:
//!
//! | product | before | after (tiled ns / ndarray ns) |
//! |---|---|---|
//! | nn 64×64×128 (encoder) | 1.36 | 0.96 (41,982 / 43,829) |
//! | nn 64×128×64 (decoder out) | 1.43 | 0.91 (39,931 / 43,718) |
//! | nn 64×128×2 (latent heads) | 0.17 | 0.34 (3,075 / 8,926) |
//! | nn 64×784×256 | 1.24 | 0.89 (973,869 / 1,095,047) |
//! | tn 64×64×128 (weight gradient) | 1.40 | 0.97 (63,739 / 65,713) |
//! | tn 64×128×2 | 0.24 | 0.42 (4,740 / 11,160) |
//! | nt 64×64×128 (input gradient) | 1.39 | 0.93 (59,859 / 64,377) |
//! | nt 64×256×784 | 1.38 | 0.91 (1,453,261 / 1,591,581) |
//!
//! So in wasm every product of the step is now at least as fast tiled (3–12 % on the wide
//! ones, 2.4–2.9× on the narrow ones; the narrow kernels did not change, the ratios move with
//! the load), and the step uses these kernels for all of them.
//!
//! Natively ndarray stays far ahead on the wide products — matrixmultiply picks AVX/FMA
//! kernels at run time, while this crate builds for baseline x86-64 (SSE2) and must not fuse
//! multiply-adds. One native run (same machine, same day, `BENCH_SPEED_ONLY=1`; these kernels
//! except the faster packing of a transposed operand), ns per product:
//!
//! | product | tiled | ndarray | |
//! |---|---|---|---|
//! | nn 64×64×128 | 62,357 | 16,842 | ndarray 3.7× faster |
//! | nn 64×128×64 | 63,988 | 18,357 | ndarray 3.5× faster |
//! | nn 64×128×2 | 3,856 | 6,058 | tiled 1.6× faster |
//! | nn 64×784×256 | 3,223,362 | 1,290,223 | ndarray 2.5× faster |
//! | tn 64×64×128 | 105,269 | 26,740 | ndarray 3.9× faster |
//! | tn 64×128×2 | 4,594 | 4,912 | tiled 1.1× faster |
//! | nt 64×64×128 | 77,050 | 23,734 | ndarray 3.2× faster |
//! | nt 64×256×784 | 3,873,632 | 590,880 | ndarray 6.6× faster |
//!
//! (An earlier native run of the unpacked kernels gave ndarray 2.8–6.4× on the same wide
//! shapes: natively the packing buys nothing measurable; it is there for wasm.)
//!
//! The wide products nevertheless could not simply be ndarray's even where it is faster: the
//! step must allocate nothing once warmed up (the workspace tests in `vae/tests.rs` and
//! `train.rs`), and without BLAS `general_mat_mul` calls `matrixmultiply::sgemm` for every f32
//! shape, whose `gemm_loop` (src/gemm.rs, 0.3.11) allocates a fresh packing buffer
//! (`make_packing_buffer` → `Alloc::new` → `std::alloc::alloc`) on every call and frees it on
//! return; the crate offers no way to pass a reused buffer in. These kernels take the buffer
//! from the caller (`pack` / `scratch`, grown once).

/// Rows of `c` per register tile.
pub const MR: usize = 4;
/// Columns of `c` per register tile (two SIMD128 vectors), and the number of partial sums of
/// the narrow products.
pub const NR: usize = 8;

/// A matrix read through strides: element (i, s) is `x[i · row + s · col]`. It lets one
/// packing routine read a matrix or its transpose in place.
#[derive(Clone, Copy)]
struct Strided<'a> {
    x: &'a [f32],
    row: usize,
    col: usize,
}

impl<'a> Strided<'a> {
    /// `x` as a row-major matrix with `cols` columns.
    fn rows(x: &'a [f32], cols: usize) -> Self {
        Strided {
            x,
            row: cols,
            col: 1,
        }
    }

    /// The transpose of `x`, a row-major matrix with `cols` columns, read in place.
    fn transposed(x: &'a [f32], cols: usize) -> Self {
        Strided {
            x,
            row: 1,
            col: cols,
        }
    }
}

/// Copies the `(rows, depth)` matrix `x` into `out` as blocks of `W` rows: block t holds
/// rows t·W.. with element (t·W + w, s) at `out[t · depth · W + s · W + w]`, so a tile reads
/// its W values for step s contiguously. Rows past `rows` are zeros.
fn pack<const W: usize>(x: Strided, rows: usize, depth: usize, out: &mut [f32]) {
    for (t, block) in out.chunks_exact_mut(depth * W).enumerate() {
        let width = W.min(rows - t * W);
        if x.row == 1 {
            // A step's W values lie side by side in x.
            for (s, step) in block.chunks_exact_mut(W).enumerate() {
                let from = &x.x[t * W + s * x.col..];
                if width == W {
                    step.copy_from_slice(&from[..W]);
                } else {
                    step[..width].copy_from_slice(&from[..width]);
                    step[width..].fill(0.0);
                }
            }
        } else {
            // Walk each of the W rows along its steps (zeros past the last row).
            for w in width..W {
                block.chunks_exact_mut(W).for_each(|step| step[w] = 0.0);
            }
            if width == W && x.col == 1 {
                // W whole rows, each sliced to `depth` once so the loop needs no checks.
                let from: [&[f32]; W] =
                    std::array::from_fn(|w| &x.x[(t * W + w) * x.row..][..depth]);
                for (s, step) in block.chunks_exact_mut(W).enumerate() {
                    for (v, row) in step.iter_mut().zip(&from) {
                        *v = row[s];
                    }
                }
                continue;
            }
            for w in 0..width {
                let from = &x.x[(t * W + w) * x.row..];
                for (s, step) in block.chunks_exact_mut(W).enumerate() {
                    step[w] = from[s * x.col];
                }
            }
        }
    }
}

/// acc[r][q] += Σₛ a[s · MR + r] · b[s · NR + q], s in order 0, 1, …: a packed MR-row strip
/// of A and a packed NR-column panel of B (portable; LLVM vectorises the q loop).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn kernel(a: &[f32], b: &[f32], acc: &mut [[f32; NR]; MR]) {
    for (av, bv) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        for r in 0..MR {
            for q in 0..NR {
                acc[r][q] += av[r] * bv[q];
            }
        }
    }
}

/// The same sums with explicit SIMD128 (a separate multiply and add, no fused multiply-add:
/// the same bits as the portable kernel in every engine), [`MR`] × 2 accumulator vectors.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn kernel(a: &[f32], b: &[f32], acc: &mut [[f32; NR]; MR]) {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_splat, v128, v128_load, v128_store};
    let mut v = [[f32x4_splat(0.0); 2]; MR];
    for (vr, row) in v.iter_mut().zip(acc.iter()) {
        // SAFETY: a row holds NR = 8 f32, two v128 (wasm allows unaligned loads).
        let p = row.as_ptr().cast::<v128>();
        *vr = unsafe { [v128_load(p), v128_load(p.add(1))] };
    }
    for (av, bv) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
        // SAFETY: bv holds NR = 8 f32, two unaligned v128 loads (wasm allows unaligned loads).
        let (b0, b1) = unsafe {
            let p = bv.as_ptr().cast::<v128>();
            (v128_load(p), v128_load(p.add(1)))
        };
        for (vr, &ar) in v.iter_mut().zip(av) {
            let s = f32x4_splat(ar);
            vr[0] = f32x4_add(vr[0], f32x4_mul(s, b0));
            vr[1] = f32x4_add(vr[1], f32x4_mul(s, b1));
        }
    }
    for (row, vr) in acc.iter_mut().zip(v) {
        let p = row.as_mut_ptr().cast::<v128>();
        // SAFETY: as for the loads.
        unsafe {
            v128_store(p, vr[0]);
            v128_store(p.add(1), vr[1]);
        }
    }
}

/// c (n, m) += A (n, depth) · B (depth, m), both read through strides and packed into `buf`
/// (resized to (⌈n/MR⌉·MR + ⌈m/NR⌉·NR)·depth; reusing it avoids allocation). Every element is
/// summed in the order c + a₀b₀ + a₁b₁ + … (one rounding per multiply and per add), whatever
/// the tile it falls in.
fn packed(
    a: Strided,
    b: Strided,
    c: &mut [f32],
    (n, depth, m): (usize, usize, usize),
    buf: &mut Vec<f32>,
) {
    if n == 0 || depth == 0 || m == 0 {
        return;
    }
    let a_len = n.div_ceil(MR) * MR * depth;
    buf.resize(a_len + m.div_ceil(NR) * NR * depth, 0.0);
    let (ap, bp) = buf.split_at_mut(a_len);
    pack::<MR>(a, n, depth, ap);
    // B's columns are the rows packed: column j, step s is b[s · b.row + j · b.col].
    pack::<NR>(
        Strided {
            x: b.x,
            row: b.col,
            col: b.row,
        },
        m,
        depth,
        bp,
    );
    // Panels outer: one panel of B (depth · NR values) stays in the nearest cache while every
    // strip of A streams past it.
    for (t, panel) in bp.chunks_exact(depth * NR).enumerate() {
        let (j0, cols) = (t * NR, NR.min(m - t * NR));
        for (u, strip) in ap.chunks_exact(depth * MR).enumerate() {
            let (i0, rows) = (u * MR, MR.min(n - u * MR));
            let mut acc = [[0.0f32; NR]; MR];
            let at = |r: usize| (i0 + r) * m + j0;
            if cols == NR {
                // Whole rows of the tile: fixed-size copies the compiler keeps inline.
                for (r, row) in acc.iter_mut().enumerate().take(rows) {
                    row.copy_from_slice(&c[at(r)..at(r) + NR]);
                }
                kernel(strip, panel, &mut acc);
                for (r, row) in acc.iter().enumerate().take(rows) {
                    c[at(r)..at(r) + NR].copy_from_slice(row);
                }
            } else {
                for (r, row) in acc.iter_mut().enumerate().take(rows) {
                    row[..cols].copy_from_slice(&c[at(r)..at(r) + cols]);
                }
                kernel(strip, panel, &mut acc);
                for (r, row) in acc.iter().enumerate().take(rows) {
                    c[at(r)..at(r) + cols].copy_from_slice(&row[..cols]);
                }
            }
        }
    }
}

/// c (n, m) += a (n, k) · b (k, m). `pack` is scratch space (resized to about (n + m)·k, so
/// reusing it avoids allocation).
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
    packed(Strided::rows(a, k), Strided::rows(b, m), c, (n, k, m), pack);
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

/// c (k, m) += aᵀ · b for a (n, k), b (n, m): the weight gradient xᵀ·∂L/∂y. `scratch` is the
/// packing space (resized to about (k + m)·n; m·k when m < [`NR`]).
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
    packed(
        Strided::transposed(a, k),
        Strided::rows(b, m),
        c,
        (k, n, m),
        scratch,
    );
}

/// c (n, k) += a (n, m) · bᵀ for b (k, m): the input gradient ∂L/∂y · Wᵀ. Packs bᵀ straight
/// from b into `pack` (resized to about (n + k)·m); `scratch` holds bᵀ only when k < [`NR`].
pub fn matmul_nt(
    a: &[f32],
    b: &[f32],
    c: &mut [f32],
    (n, m, k): (usize, usize, usize),
    scratch: &mut Vec<f32>,
    pack: &mut Vec<f32>,
) {
    assert!(a.len() >= n * m && b.len() >= k * m && c.len() >= n * k);
    if k < NR {
        transpose(&b[..k * m], k, m, scratch);
        return narrow_nn(a, scratch, c, (n, m, k), pack);
    }
    packed(
        Strided::rows(a, m),
        Strided::transposed(b, m),
        c,
        (n, m, k),
        pack,
    );
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
mod tests;
