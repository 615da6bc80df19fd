//! The 2-D toy sets of [`crate::math::toy`] as train/test splits for `Trainer.loadToy`, in
//! plain Rust so the parameters and the split are tested natively.

use crate::math::rng::Random;
use crate::math::toy::{Labelled, gaussian_mixture, rings, spiral, two_moons};
use crate::wasm::error::{ApiError, Code};

/// The names `loadToy` accepts.
pub const TOY_NAMES: [&str; 4] = ["mixture", "moons", "rings", "spiral"];

/// A toy set split 80/20: points (n, 2) row-major and their class labels.
#[derive(Debug, Clone, PartialEq)]
pub struct ToySplit {
    pub train_x: Vec<f32>,
    pub train_y: Vec<u8>,
    pub test_x: Vec<f32>,
    pub test_y: Vec<u8>,
}

/// `n` ≥ 2 points of toy set `name` drawn from `seed`, shuffled (from `seed` too) and split
/// into the first ⌊0.8 n⌋ for training and the rest for testing. Every set has unit-scale
/// coordinates, so a Gaussian likelihood's σ_x starts near the data's scale:
///
/// - "mixture": 6 Gaussian blobs on a circle of radius 2, σ = 0.25 (labels 0–5);
/// - "moons": two interleaved half circles of radius 1, noise σ = 0.1 (labels 0–1);
/// - "rings": 3 concentric circles of radii 1, 2, 3, noise σ = 0.1 (labels 0–2);
/// - "spiral": two arms of 1.5 turns out to radius 1, noise σ = 0.03 (labels 0–1).
///
/// Errors: an unknown `name` (the message lists [`TOY_NAMES`]), or `n` out of the
/// generators' range.
pub fn toy_split(name: &str, n: usize, seed: u64) -> Result<ToySplit, ApiError> {
    let made = match name {
        "mixture" => gaussian_mixture(n, 6, 2.0, 0.25, seed),
        "moons" => two_moons(n, 0.1, seed),
        "rings" => rings(n, 3, 0.1, seed),
        "spiral" => spiral(n, 1.5, 0.03, seed),
        other => {
            return Err(ApiError::new(Code::ToyName).with("name", other));
        }
    };
    let (points, labels): Labelled = made?;
    // The generators cycle through the classes; shuffle so both parts hold every class.
    let mut order: Vec<usize> = (0..n).collect();
    Random::new(seed ^ 0x7A11_5EED_0F70_1E75).shuffle(&mut order);
    let n_train = n * 4 / 5;
    let part = |rows: &[usize]| -> (Vec<f32>, Vec<u8>) {
        let x = rows
            .iter()
            .flat_map(|&r| [points[2 * r], points[2 * r + 1]])
            .collect();
        (x, rows.iter().map(|&r| labels[r] as u8).collect())
    };
    let (train_x, train_y) = part(&order[..n_train]);
    let (test_x, test_y) = part(&order[n_train..]);
    Ok(ToySplit {
        train_x,
        train_y,
        test_x,
        test_y,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_are_80_20_labelled_and_reproducible() {
        let classes = [6u8, 2, 3, 2];
        for (name, k) in TOY_NAMES.iter().zip(classes) {
            for n in [16, 101, 1000] {
                let t = toy_split(name, n, 7).unwrap();
                let n_train = n * 4 / 5;
                assert_eq!(t.train_x.len(), 2 * n_train, "{name} {n}");
                assert_eq!(t.train_y.len(), n_train);
                assert_eq!(t.test_x.len(), 2 * (n - n_train));
                assert_eq!(t.test_y.len(), n - n_train);
                assert!(t.train_y.iter().chain(&t.test_y).all(|&y| y < k));
                assert!(t.train_x.iter().chain(&t.test_x).all(|v| v.is_finite()));
                assert!(
                    t.train_x.iter().all(|v| v.abs() < 5.0),
                    "{name}: unit scale"
                );
                assert_eq!(t, toy_split(name, n, 7).unwrap());
                assert_ne!(t, toy_split(name, n, 8).unwrap());
            }
            // Both parts hold every class once there are enough points.
            let t = toy_split(name, 1000, 1).unwrap();
            for c in 0..k {
                assert!(
                    t.train_y.contains(&c) && t.test_y.contains(&c),
                    "{name} {c}"
                );
            }
        }
    }

    #[test]
    fn the_split_is_a_shuffle_of_the_generated_points() {
        let t = toy_split("moons", 200, 3).unwrap();
        let (points, _) = two_moons(200, 0.1, 3).unwrap();
        let key = |v: &[f32]| {
            let mut rows: Vec<[u32; 2]> = v
                .chunks(2)
                .map(|p| [p[0].to_bits(), p[1].to_bits()])
                .collect();
            rows.sort_unstable();
            rows
        };
        let all: Vec<f32> = t.train_x.iter().chain(&t.test_x).copied().collect();
        assert_eq!(key(&all), key(&points));
        assert_ne!(all, points, "shuffled, not the generator's cyclic order");
    }

    #[test]
    fn unknown_names_list_the_choices() {
        let e = toy_split("circles", 100, 0).unwrap_err();
        for name in TOY_NAMES {
            assert!(e.to_string().contains(name), "{e}");
        }
        assert!(toy_split("moons", 0, 0).is_err());
    }
}
