//! Seeded 2-D toy data sets for classifiers and latent-space pictures. Each returns
//! `(points, labels)`: `points` has shape (n, 2), row-major (x, y) in f32; `labels[i]` is the
//! class of point i. Labels cycle 0, 1, …, classes − 1, so class counts differ by at most 1.

use crate::math::random::Random;
use crate::math::{Code, InputError};
use ndarray::Array2;
use std::f64::consts::{PI, TAU};

/// Largest number of points a data set may have.
pub const MAX_POINTS: usize = 100_000;
/// Largest number of classes (blobs or rings).
pub const MAX_CLASSES: usize = 64;

/// Points (n, 2) and one label per point.
pub type Labelled = (Vec<f32>, Vec<usize>);

/// `n` points in `k` Gaussian blobs. Blob j has centre radius·(cos 2πj/k, sin 2πj/k) and
/// isotropic standard deviation `sigma`; point i belongs to blob i mod k.
///
/// Errors: n = 0 or n > [`MAX_POINTS`], k = 0 or k > [`MAX_CLASSES`], `radius` not finite,
/// `sigma` NaN, ±∞ or negative (0 puts every point on its centre).
pub fn gaussian_mixture(
    n: usize,
    k: usize,
    radius: f64,
    sigma: f64,
    seed: u64,
) -> Result<Labelled, InputError> {
    check_n(n)?;
    check_classes(k)?;
    if !radius.is_finite() {
        return Err(InputError::NotFiniteNumber {
            name: "radius",
            index: None,
            value: radius,
        });
    }
    check_noise(sigma, "sigma")?;
    Ok(generate(n, k, seed, sigma, |j, _| {
        let angle = TAU * j as f64 / k as f64;
        (radius * angle.cos(), radius * angle.sin())
    }))
}

/// Two interleaving half circles of radius 1 (as scikit-learn's `make_moons`), then
/// isotropic Gaussian noise of standard deviation `noise`:
///
/// label 0: (cos t, sin t),  label 1: (1 − cos t, 0.5 − sin t),  t ~ U[0, π)
///
/// Errors: n = 0 or n > [`MAX_POINTS`], `noise` NaN, ±∞ or negative.
pub fn two_moons(n: usize, noise: f64, seed: u64) -> Result<Labelled, InputError> {
    check_n(n)?;
    check_noise(noise, "noise")?;
    Ok(generate(n, 2, seed, noise, |label, rng| {
        let t = PI * rng.uniform();
        match label {
            0 => (t.cos(), t.sin()),
            _ => (1.0 - t.cos(), 0.5 - t.sin()),
        }
    }))
}

/// `k` concentric circles around the origin, ring j (label j) of radius j + 1, angle
/// uniform, then isotropic Gaussian noise of standard deviation `noise`.
///
/// Errors: n = 0 or n > [`MAX_POINTS`], k = 0 or k > [`MAX_CLASSES`], `noise` NaN, ±∞ or
/// negative.
pub fn rings(n: usize, k: usize, noise: f64, seed: u64) -> Result<Labelled, InputError> {
    check_n(n)?;
    check_classes(k)?;
    check_noise(noise, "noise")?;
    Ok(generate(n, k, seed, noise, |j, rng| {
        let (r, angle) = ((j + 1) as f64, TAU * rng.uniform());
        (r * angle.cos(), r * angle.sin())
    }))
}

/// Two interleaved spiral arms (labels 0 and 1) winding `turns` times out from the origin:
///
/// s ~ U[0, 1),  θ = 2π·turns·s + π·label,  point = s·(cos θ, sin θ)
///
/// then isotropic Gaussian noise of standard deviation `noise`.
///
/// Errors: n = 0 or n > [`MAX_POINTS`], `turns` not in (0, 10], `noise` NaN, ±∞ or
/// negative.
pub fn spiral(n: usize, turns: f64, noise: f64, seed: u64) -> Result<Labelled, InputError> {
    check_n(n)?;
    if !(turns > 0.0 && turns <= 10.0) {
        return Err(InputError::OutOfRange {
            name: "turns",
            value: turns,
            rule: Code::ToyTurns,
        });
    }
    check_noise(noise, "noise")?;
    Ok(generate(n, 2, seed, noise, |label, rng| {
        let s = rng.uniform();
        let angle = TAU * turns * s + PI * label as f64;
        (s * angle.cos(), s * angle.sin())
    }))
}

/// Point i gets label i mod `classes`, position `place(label, rng)` plus N(0, noise²) in
/// each coordinate.
fn generate(
    n: usize,
    classes: usize,
    seed: u64,
    noise: f64,
    mut place: impl FnMut(usize, &mut Random) -> (f64, f64),
) -> Labelled {
    let mut rng = Random::new(seed);
    let mut points = Vec::with_capacity(2 * n);
    let labels: Vec<usize> = (0..n).map(|i| i % classes).collect();
    for &label in &labels {
        let (x, y) = place(label, &mut rng);
        points.push((x + noise * rng.standard_normal()) as f32);
        points.push((y + noise * rng.standard_normal()) as f32);
    }
    (points, labels)
}

fn check_n(n: usize) -> Result<(), InputError> {
    if n == 0 || n > MAX_POINTS {
        return Err(InputError::OutOfRange {
            name: "n",
            value: n as f64,
            rule: Code::ToyPoints,
        });
    }
    Ok(())
}

fn check_classes(k: usize) -> Result<(), InputError> {
    if k == 0 || k > MAX_CLASSES {
        return Err(InputError::OutOfRange {
            name: "k",
            value: k as f64,
            rule: Code::ToyClasses,
        });
    }
    Ok(())
}

fn check_noise(noise: f64, name: &'static str) -> Result<(), InputError> {
    if !noise.is_finite() {
        return Err(InputError::NotFiniteNumber {
            name,
            index: None,
            value: noise,
        });
    }
    if noise < 0.0 {
        return Err(InputError::OutOfRange {
            name,
            value: noise,
            rule: Code::ToyNoise,
        });
    }
    Ok(())
}

/// The toy sets' names, in [`ToySet`]'s order: the one table both to read and to print a name.
pub const TOY_NAMES: [&str; 4] = ["mixture", "moons", "rings", "spiral"];

/// One of the 2-D toy sets [`toy_split`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToySet {
    Mixture,
    Moons,
    Rings,
    Spiral,
}

impl ToySet {
    /// Every set, in [`TOY_NAMES`]'s order.
    pub const ALL: [ToySet; 4] = [
        ToySet::Mixture,
        ToySet::Moons,
        ToySet::Rings,
        ToySet::Spiral,
    ];

    /// The set's name, as `loadToy` takes it.
    pub fn name(self) -> &'static str {
        TOY_NAMES[self as usize]
    }

    /// The set called `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|set| set.name() == name)
    }
}

/// A toy set split 80/20: points, one (x, y) per row, and their class labels.
#[derive(Debug, Clone, PartialEq)]
pub struct ToySplit {
    /// Training points, shape (⌊0.8 n⌋, 2).
    pub train_x: Array2<f32>,
    pub train_y: Vec<u8>,
    /// Test points, shape (n − ⌊0.8 n⌋, 2).
    pub test_x: Array2<f32>,
    pub test_y: Vec<u8>,
}

/// `n` ≥ 2 points of toy set `set` drawn from `seed`, shuffled (from `seed` too) and split
/// into the first ⌊0.8 n⌋ for training and the rest for testing. Every set has unit-scale
/// coordinates, so a Gaussian likelihood's σ_x starts near the data's scale:
///
/// - "mixture": 6 Gaussian blobs on a circle of radius 2, σ = 0.25 (labels 0–5);
/// - "moons": two interleaved half circles of radius 1, noise σ = 0.1 (labels 0–1);
/// - "rings": 3 concentric circles of radii 1, 2, 3, noise σ = 0.1 (labels 0–2);
/// - "spiral": two arms of 1.5 turns out to radius 1, noise σ = 0.03 (labels 0–1).
///
/// Errors: `n` out of the generators' range.
pub fn toy_split(set: ToySet, n: usize, seed: u64) -> Result<ToySplit, InputError> {
    let made = match set {
        ToySet::Mixture => gaussian_mixture(n, 6, 2.0, 0.25, seed),
        ToySet::Moons => two_moons(n, 0.1, seed),
        ToySet::Rings => rings(n, 3, 0.1, seed),
        ToySet::Spiral => spiral(n, 1.5, 0.03, seed),
    };
    let (points, labels): Labelled = made?;
    // The generators cycle through the classes; shuffle so both parts hold every class.
    Ok(split(&points, &labels, seed))
}

/// Points (n, 2) and their labels shuffled from `seed` and split into the first ⌊0.8 n⌋ for
/// training and the rest for testing (the toy sets' and the reader's own points' split).
pub fn split(points: &[f32], labels: &[usize], seed: u64) -> ToySplit {
    let n = labels.len();
    let mut order: Vec<usize> = (0..n).collect();
    Random::new(seed ^ 0x7A11_5EED_0F70_1E75).shuffle(&mut order);
    let n_train = n * 4 / 5;
    let part = |rows: &[usize]| -> (Array2<f32>, Vec<u8>) {
        let x = Array2::from_shape_fn((rows.len(), 2), |(i, j)| points[2 * rows[i] + j]);
        (x, rows.iter().map(|&r| labels[r] as u8).collect())
    };
    let (train_x, train_y) = part(&order[..n_train]);
    let (test_x, test_y) = part(&order[n_train..]);
    ToySplit {
        train_x,
        train_y,
        test_x,
        test_y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toy_set_names_read_back_to_their_set() {
        for (set, name) in ToySet::ALL.into_iter().zip(TOY_NAMES) {
            assert_eq!(set.name(), name);
            assert_eq!(ToySet::from_name(name), Some(set));
        }
        assert_eq!(ToySet::from_name("circles"), None);
    }

    type Maker = fn(usize, u64) -> Result<Labelled, InputError>;

    const MAKERS: [Maker; 4] = [
        |n, s| gaussian_mixture(n, 5, 3.0, 0.3, s),
        |n, s| two_moons(n, 0.1, s),
        |n, s| rings(n, 3, 0.05, s),
        |n, s| spiral(n, 2.0, 0.02, s),
    ];

    fn distance(p: &[f32], cx: f64, cy: f64) -> f64 {
        (f64::from(p[0]) - cx).hypot(f64::from(p[1]) - cy)
    }

    #[test]
    fn deterministic_per_seed_finite_and_balanced() {
        for (m, make) in MAKERS.iter().enumerate() {
            let (points, labels) = make(1_001, 9).unwrap();
            assert_eq!((points.len(), labels.len()), (2_002, 1_001));
            assert!(points.iter().all(|p| p.is_finite()));
            assert_eq!(make(1_001, 9).unwrap(), (points.clone(), labels.clone()));
            assert_ne!(make(1_001, 10).unwrap().0, points, "maker {m}");
            let classes = labels.iter().max().unwrap() + 1;
            let counts: Vec<usize> = (0..classes)
                .map(|c| labels.iter().filter(|&&l| l == c).count())
                .collect();
            let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            assert!(hi - lo <= 1, "maker {m}: {counts:?}");
        }
    }

    #[test]
    fn ring_radii_match_their_nominal_values() {
        let (points, labels) = rings(3_000, 3, 0.05, 1).unwrap();
        for ring in 0..3 {
            let d: Vec<f64> = points
                .chunks_exact(2)
                .zip(&labels)
                .filter(|&(_, &l)| l == ring)
                .map(|(p, _)| distance(p, 0.0, 0.0))
                .collect();
            let mean = d.iter().sum::<f64>() / d.len() as f64;
            let want = (ring + 1) as f64;
            assert!((mean / want - 1.0).abs() < 0.05, "ring {ring}: {mean}");
        }
    }

    #[test]
    fn moons_lie_on_their_half_circles() {
        let (points, labels) = two_moons(2_000, 0.05, 2).unwrap();
        let (mut d0, mut d1, mut y0, mut y1) = (0.0, 0.0, 0.0, 0.0);
        for (p, &l) in points.chunks_exact(2).zip(&labels) {
            if l == 0 {
                d0 += distance(p, 0.0, 0.0);
                y0 += f64::from(p[1]);
            } else {
                d1 += distance(p, 1.0, 0.5);
                y1 += f64::from(p[1]);
            }
        }
        let half = 1_000.0;
        assert!((d0 / half - 1.0).abs() < 0.05, "{}", d0 / half);
        assert!((d1 / half - 1.0).abs() < 0.05, "{}", d1 / half);
        // Mean height of sin t on [0, π) is 2/π: the upper moon sits above the lower one.
        assert!((y0 / half - 2.0 / PI).abs() < 0.05, "{}", y0 / half);
        assert!((y1 / half - (0.5 - 2.0 / PI)).abs() < 0.05, "{}", y1 / half);
    }

    #[test]
    fn blobs_and_spiral_have_the_documented_shape() {
        let (points, labels) = gaussian_mixture(4_000, 4, 3.0, 0.1, 3).unwrap();
        for (p, &l) in points.chunks_exact(2).zip(&labels) {
            let angle = TAU * l as f64 / 4.0;
            assert!(distance(p, 3.0 * angle.cos(), 3.0 * angle.sin()) < 0.1 * 9.0);
        }
        let (points, _) = spiral(1_000, 1.5, 0.0, 4).unwrap();
        assert!(points.chunks_exact(2).all(|p| distance(p, 0.0, 0.0) < 1.0));
        let (points, _) = gaussian_mixture(10, 1, 0.0, 0.0, 5).unwrap();
        assert!(points.iter().all(|&p| p == 0.0));
    }

    #[test]
    fn rejects_bad_inputs() {
        for make in MAKERS {
            for n in [0, MAX_POINTS + 1] {
                let err = make(n, 0).unwrap_err();
                assert!(
                    matches!(err, InputError::OutOfRange { name: "n", .. }),
                    "{err}"
                );
            }
            assert!(make(MAX_POINTS, 0).is_ok());
        }
        let nan = f64::NAN;
        assert!(matches!(
            two_moons(10, nan, 0),
            Err(InputError::NotFiniteNumber { name: "noise", .. })
        ));
        assert!(rings(10, 2, nan, 0).is_err());
        assert!(spiral(10, 1.0, nan, 0).is_err());
        assert!(spiral(10, nan, 0.1, 0).is_err());
        assert!(spiral(10, 0.0, 0.1, 0).is_err());
        assert!(gaussian_mixture(10, 3, 1.0, nan, 0).is_err());
        assert!(gaussian_mixture(10, 3, nan, 0.1, 0).is_err());
        assert!(gaussian_mixture(10, 0, 1.0, 0.1, 0).is_err());
        assert!(rings(10, MAX_CLASSES + 1, 0.1, 0).is_err());
        let err = two_moons(10, -0.1, 0).unwrap_err();
        assert!(err.to_string().contains("noise"), "{err}");
    }
}
