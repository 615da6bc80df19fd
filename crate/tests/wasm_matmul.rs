//! A benchmark, not a test (ignored unless asked for): the training step's matrix products in
//! wasm (SIMD128, release profile, Node), each tiled kernel beside ndarray 0.17's
//! `general_mat_mul` on the same inputs in the same run — the native comparison of
//! `benches/native.rs`, where the step really runs. `make bench` runs it as
//!
//! ```text
//! cargo test --release --target wasm32-unknown-unknown -p elbo-lab --test wasm_matmul \
//!     -- --include-ignored --nocapture
//! ```
//!
//! and keeps the lines starting with `BENCH ` (one JSON object each:
//! `wasm_matmul_<kind>_<n>x<k>x<m>_tiled`, baseline `…_ndarray`, ns per product).
#![cfg(target_arch = "wasm32")]

use elbo_lab::math::networks::matmul::{matmul_nn, matmul_nt, matmul_tn};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2};
use std::hint::black_box;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, sub-millisecond resolution in Node.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

const BATCHES: usize = 31;

/// Medians over `BATCHES` batches of the time of one call of `f` and of `g`, in nanoseconds.
/// The batches alternate (f, g, f, g, …) so that both see the same load on a shared machine.
fn median_ns_pair(calls: usize, mut f: impl FnMut(), mut g: impl FnMut()) -> (f64, f64) {
    let time = |h: &mut dyn FnMut()| {
        let start = now_ms();
        for _ in 0..calls {
            h();
        }
        (now_ms() - start) * 1e6 / calls as f64
    };
    // Warm-up, ≥ 200 ms each: V8 tiers hot wasm functions up from its baseline compiler.
    for h in [&mut f as &mut dyn FnMut(), &mut g] {
        let start = now_ms();
        while now_ms() - start < 200.0 {
            time(h);
        }
    }
    let (mut tf, mut tg) = (Vec::new(), Vec::new());
    for _ in 0..BATCHES {
        tf.push(time(&mut f));
        tg.push(time(&mut g));
    }
    for t in [&mut tf, &mut tg] {
        t.sort_by(f64::total_cmp);
    }
    (tf[BATCHES / 2], tg[BATCHES / 2])
}

/// The shapes of `benches/native.rs` (batch 64; digits model D = 64, H = 128, Z = 2, and the
/// 784-pixel one D = 784, H = 256): forward x·W (nn, (n, inputs, outputs)), weight gradient
/// xᵀ·∂y (tn, same shape), input gradient ∂y·Wᵀ (nt, (n, outputs, inputs)).
const SHAPES: [(&str, usize, usize, usize); 8] = [
    ("nn", 64, 64, 128),
    ("nn", 64, 128, 64),
    ("nn", 64, 128, 2),
    ("nn", 64, 784, 256),
    ("tn", 64, 64, 128),
    ("tn", 64, 128, 2),
    ("nt", 64, 64, 128),
    ("nt", 64, 256, 784),
];

/// Deterministic values in [-1, 1).
fn synthetic(len: usize, salt: u32) -> Vec<f32> {
    (0..len as u32)
        .map(|i| ((i.wrapping_mul(2_654_435_761) ^ salt) % 2001) as f32 / 1000.0 - 1.0)
        .collect()
}

fn view(x: &[f32], rows: usize, cols: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((rows, cols), x).unwrap()
}

/// ns per product of the tiled kernel and of `general_mat_mul` (c += a·b into an existing c).
fn pair(kind: &str, n: usize, k: usize, m: usize) -> (f64, f64) {
    let calls = (2_000_000 / (n * k * m)).clamp(3, 1000);
    let (mut pack, mut scratch) = (Vec::new(), Vec::new());
    match kind {
        "nn" => {
            let (a, b) = (synthetic(n * k, 1), synthetic(k * m, 2));
            let (av, bv) = (view(&a, n, k), view(&b, k, m));
            let (mut c, mut cn) = (vec![0.0f32; n * m], Array2::<f32>::zeros((n, m)));
            median_ns_pair(
                calls,
                || matmul_nn(black_box(&a), black_box(&b), &mut c, (n, k, m), &mut pack),
                || general_mat_mul(1.0, black_box(&av), black_box(&bv), 1.0, &mut cn),
            )
        }
        "tn" => {
            // c (k, m) += aᵀ·b, a (n, k), b (n, m).
            let (a, b) = (synthetic(n * k, 1), synthetic(n * m, 2));
            let (av, bv) = (view(&a, n, k), view(&b, n, m));
            let (mut c, mut cn) = (vec![0.0f32; k * m], Array2::<f32>::zeros((k, m)));
            median_ns_pair(
                calls,
                || {
                    matmul_tn(
                        black_box(&a),
                        black_box(&b),
                        &mut c,
                        (n, k, m),
                        &mut scratch,
                    )
                },
                || general_mat_mul(1.0, &black_box(&av).t(), black_box(&bv), 1.0, &mut cn),
            )
        }
        _ => {
            // c (n, m) += a·bᵀ, a (n, k), b (m, k): k is the layer's outputs, m its inputs.
            let (a, b) = (synthetic(n * k, 1), synthetic(m * k, 2));
            let (av, bv) = (view(&a, n, k), view(&b, m, k));
            let (mut c, mut cn) = (vec![0.0f32; n * m], Array2::<f32>::zeros((n, m)));
            median_ns_pair(
                calls,
                || {
                    let (a, b) = (black_box(&a), black_box(&b));
                    matmul_nt(a, b, &mut c, (n, k, m), &mut scratch, &mut pack);
                },
                || general_mat_mul(1.0, black_box(&av), &black_box(&bv).t(), 1.0, &mut cn),
            )
        }
    }
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: make bench runs it with --include-ignored, in release"]
fn wasm_matmul_tiled_beside_ndarray() {
    for (kind, n, k, m) in SHAPES {
        let (tiled, nd) = pair(kind, n, k, m);
        assert!(
            tiled > 0.0 && nd > 0.0,
            "{kind} {n}×{k}×{m}: {tiled} ns, {nd} ns"
        );
        let name = format!("wasm_matmul_{kind}_{n}x{k}x{m}");
        console_log!(
            r#"BENCH {{"name":"{name}_tiled","value":{tiled:.2},"unit":"ns","baseline":{{"name":"{name}_ndarray","value":{nd:.2}}}}}"#
        );
    }
}
