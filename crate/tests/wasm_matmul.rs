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

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[path = "../benches/common/matmul.rs"]
mod matmul;

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

#[wasm_bindgen_test]
#[ignore = "a benchmark: make bench runs it with --include-ignored, in release"]
fn wasm_matmul_tiled_beside_ndarray() {
    for shape in matmul::SHAPES {
        let (kind, n, k, m) = shape;
        let calls = (2_000_000 / (n * k * m)).clamp(3, 1000);
        let (tiled, nd) = matmul::pair(shape, |f, g| median_ns_pair(calls, f, g));
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
