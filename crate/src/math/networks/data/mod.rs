//! The data sets of part 4: the handwritten digits, the 2-D toy sets, binarisation, and the
//! shuffle of their rows.

use crate::math::random::SplitMix64;

pub mod binarise;
pub mod digits;
pub mod toy;

/// Fisher–Yates: shuffles `items` in place, uniformly, drawing from `rng`.
pub fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for i in (1..items.len()).rev() {
        // Multiply-shift maps 64 random bits onto 0..=i (bias ≤ 2⁻⁴⁰ for any realistic i).
        let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
        items.swap(i, j);
    }
}
