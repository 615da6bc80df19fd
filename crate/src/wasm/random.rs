//! Fresh seeds for "something new" (Randomise, a new seed), and the seeded draws they feed.
//! The page never calls `Math.random`: it draws a seed here, shows it and puts it in the link,
//! then generates from that seed, so whatever the reader saw can be drawn again.

use super::convert::{self, whole};
use super::error::{ApiError, BoundaryCode};
use crate::math::random::Random;
use wasm_bindgen::prelude::*;

/// Largest seed [`fresh_seed`] returns, plus one: 10⁹, so a fresh seed fits every seed input of
/// the page (the VAE's and the posterior's go to 10⁹, the likelihood's to 2³² − 1).
pub const FRESH_SEEDS: u64 = 1_000_000_000;

/// Most outcomes [`random_distribution`] draws.
pub const MAX_OUTCOMES: f64 = 1000.0;

/// A fresh seed, a whole number from 0 to 10⁹ − 1, from the system's entropy (`getrandom`: in
/// the browser and in Node, `crypto.getRandomValues`). Not reproducible: seed a generator with it
/// and keep the seed.
#[wasm_bindgen(js_name = freshSeed)]
pub fn fresh_seed() -> Result<f64, ApiError> {
    let bits = getrandom::u64()
        .map_err(|e| ApiError::new(BoundaryCode::NoEntropy).with("reason", e.to_string()))?;
    // Multiply-shift onto 0..FRESH_SEEDS (bias below 10⁹/2⁶⁴ ≈ 5·10⁻¹¹).
    Ok(((u128::from(bits) * u128::from(FRESH_SEEDS)) >> 64) as f64)
}

/// A distribution over `n` outcomes (1 to 1000) drawn uniformly from the probability simplex
/// (Dirichlet(1, …, 1)) by the generator seeded with `seed` (a whole number from 0 to 2⁵³ − 1):
/// a Float64Array summing to 1, the same for the same `n` and `seed` everywhere.
#[wasm_bindgen(js_name = randomDistribution)]
pub fn random_distribution(n: f64, seed: f64) -> Result<Vec<f64>, ApiError> {
    let n = whole(n, "n", 1.0, MAX_OUTCOMES)? as usize;
    Ok(Random::new(convert::seed(seed, "seed")?).simplex(n))
}
