//! Dynamic binarisation: grey levels in [0, 1] read as Bernoulli probabilities and drawn as
//! binary pixels, so a Bernoulli likelihood p(x | z) scores data it can actually generate and
//! −log p(x) is a true code length in nats (Salakhutdinov & Murray 2008 binarised MNIST the
//! same way; a VAE then sees a fresh draw of every training image each epoch).

use crate::math::random::Random;

/// Each pixel drawn afresh: xᵢ = 1 with probability gᵢ (its grey level), else 0.
///
/// xᵢ = 1[uᵢ < gᵢ] with uᵢ ~ U[0, 1) the i-th uniform of `Random::new(seed)`, one per pixel in
/// order, so the same `grey` and `seed` give the same pixels on every platform (native and
/// wasm32 alike: integer arithmetic and one f64 comparison per pixel). g = 0 is never ink and
/// g = 1 always. **Input: grey levels in [0, 1]**; below 0 (and NaN) reads as 0, above 1 as 1
/// (callers that take user data check the range first).
pub fn binarise(grey: &[f32], seed: u64) -> Vec<f32> {
    let mut out = Vec::with_capacity(grey.len());
    binarise_into(grey, seed, &mut out);
    out
}

/// [`binarise`] into `out` (cleared first), reusing its allocation: no allocation once `out`
/// has held `grey.len()` values.
pub fn binarise_into(grey: &[f32], seed: u64, out: &mut Vec<f32>) {
    let mut rng = Random::new(seed);
    out.clear();
    out.extend(grey.iter().map(|&g| {
        if rng.uniform() < f64::from(g) {
            1.0
        } else {
            0.0
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_are_binary_deterministic_and_exact_at_the_ends() {
        let grey: Vec<f32> = (0..1000).map(|i| (i % 17) as f32 / 16.0).collect();
        let a = binarise(&grey, 5);
        assert_eq!(a, binarise(&grey, 5));
        assert_ne!(a, binarise(&grey, 6));
        assert!(a.iter().all(|&x| x == 0.0 || x == 1.0));
        for (&g, &x) in grey.iter().zip(&a) {
            if g == 0.0 {
                assert_eq!(x, 0.0);
            }
            if g == 1.0 {
                assert_eq!(x, 1.0);
            }
        }
        assert_eq!(binarise(&[-1.0, f32::NAN, 2.0], 1), [0.0, 0.0, 1.0]);
        assert!(binarise(&[], 1).is_empty());
    }

    #[test]
    fn the_first_draws_match_the_generator_by_hand() {
        // Random::new(0)'s first uniforms (xoshiro256++ outputs, see math/random.rs):
        // 0x53175D61490B23DF >> 11 · 2⁻⁵³ ≈ 0.3246, 0x61DA6F3DC380D507 → ≈ 0.3822,
        // 0x5C0FDF91EC9A7BFC → ≈ 0.3596.
        assert_eq!(binarise(&[0.32, 0.39, 0.35], 0), [0.0, 1.0, 0.0]);
        assert_eq!(binarise(&[0.33, 0.38, 0.36], 0), [1.0, 0.0, 1.0]);
    }

    #[test]
    fn each_pixel_is_ink_with_probability_its_grey_level() {
        // 20 000 seeds per level: the frequency's standard error is ≤ √(¼/20 000) ≈ 0.0035.
        let levels = [0.0f32, 0.0625, 0.25, 0.5, 0.8125, 1.0];
        let mut counts = [0u32; 6];
        for seed in 0..20_000 {
            for (c, x) in counts.iter_mut().zip(binarise(&levels, seed)) {
                *c += x as u32;
            }
        }
        for (&g, &c) in levels.iter().zip(&counts) {
            let f = f64::from(c) / 20_000.0;
            assert!((f - f64::from(g)).abs() < 0.015, "grey {g}: ink {f}");
        }
        let mut buf = Vec::new();
        binarise_into(&levels, 3, &mut buf);
        let cap = buf.capacity();
        binarise_into(&levels, 4, &mut buf);
        assert_eq!(buf.capacity(), cap);
        assert_eq!(buf, binarise(&levels, 4));
    }
}
