//! Principal component analysis: the linear baseline a VAE is compared against. Data are
//! `n` rows of `dim` values, row-major (`f32` or `f64`); every sum is accumulated in f64.
//! The fitted model and its results are ndarray arrays (mean, components, codes,
//! reconstructions); the sums run over their rows' contiguous slices in a fixed order.
//!
//! Components come from power iteration on the sample covariance, each new vector kept
//! orthogonal to the ones already found (deflation). Cost: O(n·dim²) for the covariance,
//! then O(k·iterations·dim²); for 784-pixel images keep k to a few dozen.

use crate::math::random::Random;
use crate::math::{Code, InputError};
use ndarray::{Array1, Array2, ArrayView2};

/// Most power-iteration steps per component.
const MAX_ITERATIONS: usize = 1000;
/// Stop when a component moves less than this (Euclidean norm) in one step.
const TOLERANCE: f64 = 1e-12;
/// Clip reconstructions to [ε, 1 − ε] before taking logs in [`bce_term`].
pub const BCE_CLIP: f64 = 1e-6;

/// A fitted PCA: x ≈ mean + Σⱼ zⱼ·vⱼ with zⱼ = (x − mean)·vⱼ.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Width of each data row.
    pub dim: usize,
    /// Per-column mean of the training data, shape (dim).
    pub mean: Array1<f64>,
    /// Orthonormal principal directions, largest variance first, shape (k, dim), one per row.
    /// Each is signed so that its largest-magnitude entry is positive.
    pub components: Array2<f64>,
    /// Sample variance (divisor n − 1, or 1 when n = 1) along each component, shape (k).
    pub explained_variance: Vec<f64>,
    /// Total sample variance, the trace of the covariance: the ratio of each explained
    /// variance to this is the fraction of variance it explains.
    pub total_variance: f64,
}

impl Pca {
    /// Fits the mean and the top `k` principal components of `data` (n × dim, row-major).
    ///
    /// Errors: `dim` = 0, a length that is not a whole number of rows, no rows, `k` = 0 or
    /// `k` > `dim`, or a NaN/±∞ entry.
    pub fn fit<T: Copy + Into<f64>>(data: &[T], dim: usize, k: usize) -> Result<Self, InputError> {
        let n = check_rows(data, dim, "data")?;
        if k == 0 || k > dim {
            return Err(InputError::OutOfRange {
                name: "k",
                value: k as f64,
                rule: Code::PcaComponents,
            });
        }
        let mean = column_means(data, dim, n);
        let cov = covariance(data, &mean, n); // (dim, dim)
        let total_variance = cov.diag().iter().sum();
        let mut rng = Random::new(0);
        // Rows found so far, row-major (k, dim), the basis each new vector is kept orthogonal to.
        let mut components: Vec<f64> = Vec::with_capacity(k * dim);
        let mut explained_variance = Vec::with_capacity(k);
        for _ in 0..k {
            let mut v: Vec<f64> = (0..dim).map(|_| rng.standard_normal()).collect();
            orthonormalise(&mut v, &components);
            for _ in 0..MAX_ITERATIONS {
                let mut w = mat_vec(&cov, &v);
                orthonormalise(&mut w, &components);
                if w.iter().all(|x| x.is_nan()) {
                    break; // no variance left: keep v, any orthonormal completion will do
                }
                let step = w.iter().zip(&v).map(|(a, b)| (a - b).powi(2)).sum::<f64>();
                v = w;
                if step.sqrt() < TOLERANCE {
                    break;
                }
            }
            let biggest = v
                .iter()
                .fold(0.0f64, |m, &x| if x.abs() > m.abs() { x } else { m });
            if biggest < 0.0 {
                v.iter_mut().for_each(|x| *x = -*x);
            }
            let cv = mat_vec(&cov, &v);
            explained_variance.push(dot(&v, &cv).max(0.0));
            components.extend_from_slice(&v);
        }
        let components = Array2::from_shape_vec((k, dim), components).expect("k rows of dim");
        Ok(Self {
            dim,
            mean,
            components,
            explained_variance,
            total_variance,
        })
    }

    /// Number of components.
    pub fn k(&self) -> usize {
        self.explained_variance.len()
    }

    /// Projects rows `x` (n × dim, row-major) to codes zⱼ = (x − mean)·vⱼ, shape (n, k).
    /// Panics if `x.len()` is not a multiple of `dim`.
    pub fn transform<T: Copy + Into<f64>>(&self, x: &[T]) -> Array2<f64> {
        assert!(
            x.len().is_multiple_of(self.dim),
            "rows must have dim values"
        );
        let mut z = Array2::zeros((x.len() / self.dim, self.k()));
        let mut centred = vec![0.0; self.dim];
        let mean = self.mean.as_slice().expect("standard layout");
        for (row, mut code) in x.chunks_exact(self.dim).zip(z.rows_mut()) {
            for ((c, &xi), m) in centred.iter_mut().zip(row).zip(mean) {
                *c = xi.into() - m;
            }
            for (zj, v) in code.iter_mut().zip(self.components.rows()) {
                *zj = dot(v.as_slice().expect("standard layout"), &centred);
            }
        }
        z
    }

    /// Reconstructs rows x̂ = mean + Σⱼ zⱼ·vⱼ from codes `z` (n × k), shape (n, dim).
    /// Panics if `z` does not have k columns.
    pub fn inverse_transform(&self, z: ArrayView2<'_, f64>) -> Array2<f64> {
        assert_eq!(z.ncols(), self.k(), "codes must have k values");
        let mut x = Array2::zeros((z.nrows(), self.dim));
        for (code, mut row) in z.rows().into_iter().zip(x.rows_mut()) {
            row.assign(&self.mean);
            for (&zj, v) in code.iter().zip(self.components.rows()) {
                for (r, &vi) in row.iter_mut().zip(v) {
                    *r += zj * vi;
                }
            }
        }
        x
    }

    /// Round trip of f32 rows through the k-dimensional code: inverse_transform(transform(x)),
    /// row-major (n × dim).
    pub fn reconstruct_f32(&self, x: &[f32]) -> Vec<f32> {
        let z = self.transform(x);
        self.inverse_transform(z.view())
            .iter()
            .map(|&v| v as f32)
            .collect()
    }

    /// x̂ = inverse_transform(transform(x)), shape (n, dim), after checking that `x` is whole
    /// finite rows.
    pub fn reconstruct<T: Copy + Into<f64>>(&self, x: &[T]) -> Result<Array2<f64>, InputError> {
        check_rows(x, self.dim, "x")?;
        Ok(self.inverse_transform(self.transform(x).view()))
    }

    /// Mean squared reconstruction error of each row: (1/dim)·Σᵢ (xᵢ − x̂ᵢ)².
    ///
    /// Errors as for [`Pca::fit`] if `x` is not whole finite rows of width `dim`.
    pub fn reconstruction_mse<T: Copy + Into<f64>>(&self, x: &[T]) -> Result<Vec<f64>, InputError> {
        let xhat = self.reconstruct(x)?;
        let xhat = xhat.as_slice().expect("standard layout");
        Ok(per_row(x, xhat, self.dim, |a, b| {
            squared_error(a, b) / self.dim as f64
        }))
    }

    /// Binary cross-entropy of each row in nats, summed over pixels (the VAE's reconstruction
    /// term), for **data in [0, 1]**: see [`bce_term`]. Errors as for [`Pca::fit`], or a value
    /// of `x` outside [0, 1].
    pub fn reconstruction_bce<T: Copy + Into<f64>>(&self, x: &[T]) -> Result<Vec<f64>, InputError> {
        check_unit(x, "x")?;
        let xhat = self.reconstruct(x)?;
        Ok(per_row(
            x,
            xhat.as_slice().expect("standard layout"),
            self.dim,
            bce_term,
        ))
    }
}

/// How well images are reconstructed, averaged over the images.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReconstructionErrors {
    /// Mean over images of Σ pixels (x − x̂)².
    pub squared: f64,
    /// Mean over images of Σ pixels of [`bce_term`], in nats.
    pub bce: f64,
}

/// The errors of reconstructions `xhat` of the images `x` (rows of `dim` values, x in [0, 1]).
/// One measure for PCA, the autoencoder and the VAE, so the baselines compare like for like.
/// Errors: rows that are not whole or not finite, lengths that differ, x outside [0, 1].
pub fn reconstruction_errors<T: Copy + Into<f64>, U: Copy + Into<f64>>(
    x: &[T],
    xhat: &[U],
    dim: usize,
) -> Result<ReconstructionErrors, InputError> {
    let n = check_rows(x, dim, "x")?;
    check_rows(xhat, dim, "xHat")?;
    if xhat.len() != x.len() {
        return Err(InputError::LengthMismatch {
            name_a: "x",
            len_a: x.len(),
            name_b: "xHat",
            len_b: xhat.len(),
        });
    }
    check_unit(x, "x")?;
    let mean = |f: fn(f64, f64) -> f64| per_row(x, xhat, dim, f).iter().sum::<f64>() / n as f64;
    Ok(ReconstructionErrors {
        squared: mean(squared_error),
        bce: mean(bce_term),
    })
}

fn squared_error(x: f64, xhat: f64) -> f64 {
    (x - xhat).powi(2)
}

/// One pixel's binary cross-entropy in nats, −[x ln x̂ + (1 − x) ln(1 − x̂)], with x̂ clipped
/// to [[`BCE_CLIP`], 1 − [`BCE_CLIP`]] so that the logs are finite (a linear reconstruction
/// can leave [0, 1]).
pub fn bce_term(x: f64, xhat: f64) -> f64 {
    let p = xhat.clamp(BCE_CLIP, 1.0 - BCE_CLIP);
    -(x * p.ln() + (1.0 - x) * (1.0 - p).ln())
}

/// Binary cross-entropy needs targets in [0, 1].
fn check_unit<T: Copy + Into<f64>>(x: &[T], name: &'static str) -> Result<(), InputError> {
    match x
        .iter()
        .map(|&v| v.into())
        .find(|v| !(0.0..=1.0).contains(v))
    {
        Some(value) => Err(InputError::OutOfRange {
            name,
            value,
            rule: Code::PcaPixel,
        }),
        None => Ok(()),
    }
}

/// Number of rows of `data`, after checking `dim`, the length and finiteness.
fn check_rows<T: Copy + Into<f64>>(
    data: &[T],
    dim: usize,
    name: &'static str,
) -> Result<usize, InputError> {
    if dim == 0 {
        return Err(InputError::OutOfRange {
            name: "dim",
            value: 0.0,
            rule: Code::PcaDim,
        });
    }
    if data.is_empty() {
        return Err(InputError::Empty { name });
    }
    if !data.len().is_multiple_of(dim) {
        return Err(InputError::OutOfRange {
            name,
            value: data.len() as f64,
            rule: Code::PcaRows,
        });
    }
    if let Some((i, v)) = data
        .iter()
        .map(|&v| v.into())
        .enumerate()
        .find(|(_, v)| !v.is_finite())
    {
        return Err(InputError::NotFiniteNumber {
            name,
            index: Some(i),
            value: v,
        });
    }
    Ok(data.len() / dim)
}

fn column_means<T: Copy + Into<f64>>(data: &[T], dim: usize, n: usize) -> Array1<f64> {
    let mut mean = Array1::zeros(dim);
    for row in data.chunks_exact(dim) {
        for (m, &x) in mean.iter_mut().zip(row) {
            *m += x.into();
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    mean
}

/// Sample covariance (divisor max(n − 1, 1)), shape (dim, dim).
fn covariance<T: Copy + Into<f64>>(data: &[T], mean: &Array1<f64>, n: usize) -> Array2<f64> {
    let dim = mean.len();
    let mut cov = Array2::<f64>::zeros((dim, dim));
    let mut c = vec![0.0; dim];
    for row in data.chunks_exact(dim) {
        for ((ci, &x), m) in c.iter_mut().zip(row).zip(mean) {
            *ci = x.into() - m;
        }
        // upper triangle only; mirrored below. Row i from the diagonal on: a contiguous run.
        let flat = cov.as_slice_mut().expect("standard layout");
        for i in 0..dim {
            let ci = c[i];
            for (s, &cj) in flat[i * dim + i..(i + 1) * dim].iter_mut().zip(&c[i..]) {
                *s += ci * cj;
            }
        }
    }
    let scale = 1.0 / (n.max(2) - 1) as f64;
    for i in 0..dim {
        for j in i..dim {
            cov[[i, j]] *= scale;
            cov[[j, i]] = cov[[i, j]];
        }
    }
    cov
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// m·v, each entry the [`dot`] of a row of m with v (the same order of sums as a slice loop).
fn mat_vec(m: &Array2<f64>, v: &[f64]) -> Vec<f64> {
    m.rows()
        .into_iter()
        .map(|row| dot(row.as_slice().expect("standard layout"), v))
        .collect()
}

/// Removes from `v` its projections on the orthonormal rows of `basis` (twice, for
/// accuracy: classical Gram–Schmidt loses orthogonality once), then scales it to unit
/// length. Leaves NaNs if nothing is left.
fn orthonormalise(v: &mut [f64], basis: &[f64]) {
    let scale = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _ in 0..2 {
        for b in basis.chunks_exact(v.len()) {
            let p = dot(v, b);
            v.iter_mut().zip(b).for_each(|(x, bi)| *x -= p * bi);
        }
    }
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let inv = if norm > 1e-13 * scale {
        1.0 / norm
    } else {
        f64::NAN
    };
    v.iter_mut().for_each(|x| *x *= inv);
}

/// Σ over each row of f(xᵢ, x̂ᵢ).
fn per_row<T: Copy + Into<f64>, U: Copy + Into<f64>>(
    x: &[T],
    xhat: &[U],
    dim: usize,
    f: impl Fn(f64, f64) -> f64,
) -> Vec<f64> {
    x.chunks_exact(dim)
        .zip(xhat.chunks_exact(dim))
        .map(|(a, b)| {
            a.iter()
                .zip(b)
                .map(|(&ai, &bi)| f(ai.into(), bi.into()))
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests;
