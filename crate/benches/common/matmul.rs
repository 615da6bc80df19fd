//! The training step's matrix products, measured natively (`benches/native.rs`) and in wasm
//! (`tests/wasm_matmul.rs`): one table of shapes, and one pairing of each tiled kernel with
//! ndarray's `general_mat_mul` (matrixmultiply's packed GEMM, c += a·b into an existing c, so
//! neither allocates) on the same inputs. Each caller brings its own clock.

use elbo_lab::math::networks::matmul::{matmul_nn, matmul_nt, matmul_tn};
use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayView2};
use std::hint::black_box;

/// The products of one training step at batch 64 (n), for the digits model (D = 64, H = 128,
/// Z = 2) and the 784-pixel one (D = 784, H = 256): forward y = x·W (nn, (n, inputs, outputs)),
/// weight gradient xᵀ·∂y (tn, same shape), input gradient ∂y·Wᵀ (nt, (n, outputs, inputs)).
pub const SHAPES: [(&str, usize, usize, usize); 8] = [
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
fn values(len: usize, salt: u32) -> Vec<f32> {
    (0..len as u32)
        .map(|i| ((i.wrapping_mul(2_654_435_761) ^ salt) % 2001) as f32 / 1000.0 - 1.0)
        .collect()
}

fn view(x: &[f32], rows: usize, cols: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((rows, cols), x).unwrap()
}

/// (tiled, ndarray) for one shape of `SHAPES`, as `time(tiled, ndarray)` measures the two calls
/// (e.g. nanoseconds per call).
pub fn pair(
    (kind, n, k, m): (&str, usize, usize, usize),
    time: impl FnOnce(&mut dyn FnMut(), &mut dyn FnMut()) -> (f64, f64),
) -> (f64, f64) {
    let (mut pack, mut scratch) = (Vec::new(), Vec::new());
    match kind {
        "nn" => {
            let (a, b) = (values(n * k, 1), values(k * m, 2));
            let (av, bv) = (view(&a, n, k), view(&b, k, m));
            let (mut c, mut cn) = (vec![0.0f32; n * m], Array2::<f32>::zeros((n, m)));
            time(
                &mut || matmul_nn(black_box(&a), black_box(&b), &mut c, (n, k, m), &mut pack),
                &mut || general_mat_mul(1.0, black_box(&av), black_box(&bv), 1.0, &mut cn),
            )
        }
        "tn" => {
            // c (k, m) += aᵀ·b, a (n, k), b (n, m).
            let (a, b) = (values(n * k, 1), values(n * m, 2));
            let (av, bv) = (view(&a, n, k), view(&b, n, m));
            let (mut c, mut cn) = (vec![0.0f32; k * m], Array2::<f32>::zeros((k, m)));
            time(
                &mut || {
                    matmul_tn(
                        black_box(&a),
                        black_box(&b),
                        &mut c,
                        (n, k, m),
                        &mut scratch,
                    )
                },
                &mut || general_mat_mul(1.0, &black_box(&av).t(), black_box(&bv), 1.0, &mut cn),
            )
        }
        _ => {
            // c (n, m) += a·bᵀ, a (n, k), b (m, k): k is the layer's outputs, m its inputs.
            let (a, b) = (values(n * k, 1), values(m * k, 2));
            let (av, bv) = (view(&a, n, k), view(&b, m, k));
            let (mut c, mut cn) = (vec![0.0f32; n * m], Array2::<f32>::zeros((n, m)));
            time(
                &mut || {
                    let (a, b) = (black_box(&a), black_box(&b));
                    matmul_nt(a, b, &mut c, (n, k, m), &mut scratch, &mut pack);
                },
                &mut || general_mat_mul(1.0, black_box(&av), &black_box(&bv).t(), 1.0, &mut cn),
            )
        }
    }
}
