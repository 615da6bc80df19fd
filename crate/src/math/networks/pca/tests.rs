use super::*;

/// n rows in 5-D: mean + 3·a·u + 1·b·w + 0.1·noise, with u ⟂ w unit vectors and a, b,
/// noise standard normal. Population eigenvalues: 9.01, 1.01, then 0.01 (×3).
fn known_directions(n: usize, seed: u64) -> (Vec<f64>, [f64; 5], [f64; 5]) {
    let u = [1.0, 2.0, 0.0, -1.0, 3.0].map(|x: f64| x / 15.0f64.sqrt());
    let w = [2.0, -1.0, 1.0, 0.0, 0.0].map(|x: f64| x / 6.0f64.sqrt());
    let mean = [0.5, -1.0, 2.0, 0.0, 1.0];
    let mut rng = Random::new(seed);
    let mut data = Vec::with_capacity(n * 5);
    for _ in 0..n {
        let (a, b) = (3.0 * rng.standard_normal(), rng.standard_normal());
        for i in 0..5 {
            data.push(mean[i] + a * u[i] + b * w[i] + 0.1 * rng.standard_normal());
        }
    }
    (data, u, w)
}

#[test]
fn recovers_known_directions_and_variances() {
    let (data, u, w) = known_directions(20_000, 3);
    let pca = Pca::fit(&data, 5, 2).unwrap();
    assert_eq!(pca.k(), 2);
    assert_eq!(pca.components.dim(), (2, 5));
    let v = pca.components.as_slice().unwrap();
    assert!(dot(&v[..5], &u).abs() > 0.999, "{}", dot(&v[..5], &u));
    assert!(dot(&v[5..], &w).abs() > 0.999, "{}", dot(&v[5..], &w));
    // Sampling error of a variance: σ²·√(2/n) ≈ 1%; allow 5%.
    let ev = &pca.explained_variance;
    assert!((ev[0] / 9.01 - 1.0).abs() < 0.05, "{ev:?}");
    assert!((ev[1] / 1.01 - 1.0).abs() < 0.05, "{ev:?}");
    assert!((pca.total_variance / 10.05 - 1.0).abs() < 0.05);
    assert!((pca.mean[2] - 2.0).abs() < 0.05);
}

#[test]
fn components_are_orthonormal_and_sorted() {
    let (data, _, _) = known_directions(2_000, 4);
    let pca = Pca::fit(&data, 5, 5).unwrap();
    let v: Vec<&[f64]> = pca.components.as_slice().unwrap().chunks_exact(5).collect();
    for i in 0..5 {
        for j in 0..5 {
            let want = if i == j { 1.0 } else { 0.0 };
            assert!((dot(v[i], v[j]) - want).abs() < 1e-9, "{i} {j}");
        }
    }
    let ev = &pca.explained_variance;
    assert!(ev.windows(2).all(|p| p[0] >= p[1] - 1e-9), "{ev:?}");
    // All components together explain all the variance.
    assert!((ev.iter().sum::<f64>() - pca.total_variance).abs() < 1e-9);
}

#[test]
fn full_rank_reconstruction_is_exact() {
    let (data, _, _) = known_directions(500, 5);
    let pca = Pca::fit(&data, 5, 5).unwrap();
    let back = pca.inverse_transform(pca.transform(&data).view());
    assert_eq!(back.dim(), (500, 5));
    for (a, b) in data.iter().zip(&back) {
        assert!((a - b).abs() < 1e-9, "{a} {b}");
    }
    assert!(
        pca.reconstruction_mse(&data)
            .unwrap()
            .iter()
            .all(|&e| e < 1e-18)
    );

    let mut rng = Random::new(6);
    let pixels: Vec<f32> = (0..300 * 6).map(|_| rng.uniform() as f32).collect();
    let pca = Pca::fit(&pixels, 6, 6).unwrap();
    for (a, b) in pixels.iter().zip(pca.reconstruct_f32(&pixels)) {
        assert!((a - b).abs() < 1e-5, "{a} {b}");
    }
}

#[test]
fn fewer_components_lose_the_discarded_variance() {
    let (data, _, _) = known_directions(5_000, 7);
    let pca = Pca::fit(&data, 5, 1).unwrap();
    let mse = pca.reconstruction_mse(&data).unwrap();
    let mean_mse = mse.iter().sum::<f64>() / mse.len() as f64;
    // Per-value MSE ≈ (discarded variance)/dim·(n − 1)/n.
    let lost = (pca.total_variance - pca.explained_variance[0]) / 5.0;
    assert!((mean_mse / lost - 1.0).abs() < 1e-3, "{mean_mse} {lost}");
}

#[test]
fn reconstruction_errors_are_per_image_means_of_the_two_formulas() {
    // Two images of three pixels, hand-computed.
    let x = [0.0f32, 1.0, 0.5, 1.0, 1.0, 0.0];
    let xhat = [0.25f32, 0.5, 0.5, 1.0, 0.0, 0.0];
    let e = reconstruction_errors(&x, &xhat, 3).unwrap();
    let squared = ((0.25f64.powi(2) + 0.5f64.powi(2)) + 1.0) / 2.0;
    assert!((e.squared - squared).abs() < 1e-12, "{e:?}");
    // Image 1: −ln 0.75 − ln 0.5 − (0.5 ln 0.5 + 0.5 ln 0.5); image 2: x̂ clipped at 1 − ε
    // and ε, so −ln(1 − ε) − ln ε − ln(1 − ε).
    let one = -(0.75f64.ln()) - 0.5f64.ln() - 0.5f64.ln();
    let two = -2.0 * (1.0 - BCE_CLIP).ln() - BCE_CLIP.ln();
    assert!((e.bce - (one + two) / 2.0).abs() < 1e-9, "{e:?}");
    // The PCA methods are the same measure.
    let data = [0.0f32, 1.0, 1.0, 0.0, 0.5, 0.5];
    let pca = Pca::fit(&data, 2, 1).unwrap();
    let xhat = pca.reconstruct(&data).unwrap();
    let via = reconstruction_errors(&data, xhat.as_slice().unwrap(), 2).unwrap();
    let mse: f64 = pca.reconstruction_mse(&data).unwrap().iter().sum::<f64>() * 2.0 / 3.0;
    let bce: f64 = pca.reconstruction_bce(&data).unwrap().iter().sum::<f64>() / 3.0;
    assert!((via.squared - mse).abs() < 1e-12 && (via.bce - bce).abs() < 1e-12);
}

#[test]
fn reconstruction_errors_reject_bad_shapes_and_targets() {
    let x = [0.0f32, 1.0];
    assert!(matches!(
        reconstruction_errors(&x, &[0.5f32], 2),
        Err(InputError::OutOfRange { name: "xHat", .. })
    ));
    assert!(matches!(
        reconstruction_errors(&x, &[0.5f32, 0.5, 0.5, 0.5], 2),
        Err(InputError::LengthMismatch { .. })
    ));
    assert!(matches!(
        reconstruction_errors(&x, &[f32::NAN, 0.5], 2),
        Err(InputError::NotFiniteNumber { name: "xHat", .. })
    ));
    assert!(matches!(
        reconstruction_errors(&[0.0f32, 2.0], &[0.5f32, 0.5], 2),
        Err(InputError::OutOfRange {
            rule: Code::PcaPixel,
            ..
        })
    ));
}

#[test]
fn bce_matches_the_formula_with_clipping() {
    // Two pixels, two images; k = 1 keeps only the direction they differ along.
    let data = [0.0f32, 1.0, 1.0, 0.0];
    let pca = Pca::fit(&data, 2, 1).unwrap();
    let bce = pca.reconstruction_bce(&data).unwrap();
    // Exact reconstruction, clipped to 1e-6 from 0 and 1: −2·ln(1 − 1e-6) per image.
    let want = -2.0 * (1.0 - BCE_CLIP).ln();
    for b in bce {
        assert!((b - want).abs() < 1e-9, "{b} {want}");
    }
    let err = pca.reconstruction_bce(&[0.5f32, 1.5]).unwrap_err();
    assert!(
        matches!(
            err,
            InputError::OutOfRange {
                rule: Code::PcaPixel,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn rejects_bad_inputs() {
    let data = [1.0f32, 2.0, 3.0, 4.0];
    let k_err = |k| {
        matches!(
            Pca::fit(&data, 2, k),
            Err(InputError::OutOfRange { name: "k", .. })
        )
    };
    assert!(k_err(0) && k_err(3));
    assert!(matches!(
        Pca::fit::<f32>(&[], 2, 1),
        Err(InputError::Empty { .. })
    ));
    assert!(matches!(
        Pca::fit(&data, 0, 1),
        Err(InputError::OutOfRange { name: "dim", .. })
    ));
    assert!(matches!(
        Pca::fit(&data, 3, 1),
        Err(InputError::OutOfRange { name: "data", .. })
    ));
    let err = Pca::fit(&[1.0, f64::NAN], 1, 1).unwrap_err();
    assert!(
        matches!(err, InputError::NotFiniteNumber { index: Some(1), .. }),
        "{err}"
    );
    assert!(err.to_string().contains("data[1]"));
    let pca = Pca::fit(&data, 2, 1).unwrap();
    assert!(pca.reconstruction_mse(&[f32::INFINITY, 0.0]).is_err());
}

#[test]
fn constant_data_gives_zero_variance_and_orthonormal_components() {
    let data = [2.0f32; 12];
    let pca = Pca::fit(&data, 3, 3).unwrap();
    assert!(pca.explained_variance.iter().all(|&e| e == 0.0));
    let v: Vec<&[f64]> = pca.components.as_slice().unwrap().chunks_exact(3).collect();
    for i in 0..3 {
        for j in 0..3 {
            let want = if i == j { 1.0 } else { 0.0 };
            assert!((dot(v[i], v[j]) - want).abs() < 1e-9);
        }
    }
    assert_eq!(pca.reconstruct_f32(&data), data);
}
