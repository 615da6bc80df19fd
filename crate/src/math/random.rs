//! A tiny seeded random number generator (SplitMix64) with Box–Muller normals, so a
//! stochastic run can be reproduced from one u64 seed (e.g. shared in a URL).
//! Not cryptographic.

use std::f64::consts::TAU;

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter scrambled by a mixing function.
/// Passes BigCrush; period 2⁶⁴. Every seed, including 0, is fine.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitMix64 {
    state: u64,
    /// The second normal of the last Box–Muller pair, not yet returned.
    spare: Option<f64>,
}

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed,
            spare: None,
        }
    }

    /// The next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1) on the grid k·2⁻⁵³ (the top 53 bits).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A standard normal sample ε ~ N(0, 1), by the Box–Muller transform:
    ///
    /// ε₁ = √(−2 ln u₁) cos 2πu₂,  ε₂ = √(−2 ln u₁) sin 2πu₂
    ///
    /// with u₁ ∈ (0, 1] (so ln u₁ is finite: |ε| ≤ √(2·53 ln 2) ≈ 8.6) and u₂ ∈ [0, 1).
    /// Pairs are used in turn, so every other call costs no generator output.
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(e) = self.spare.take() {
            return e;
        }
        let u1 = 1.0 - self.uniform();
        let angle = TAU * self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        self.spare = Some(r * angle.sin());
        r * angle.cos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_splitmix64_sequence() {
        // Seed 0, from the reference C implementation (Vigna, splitmix64.c).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(rng.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn same_seed_same_stream_different_seed_different_stream() {
        let draw = |seed| {
            let mut r = SplitMix64::new(seed);
            (0..5).map(|_| r.standard_normal()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn uniforms_lie_in_the_unit_interval_with_mean_one_half() {
        let mut rng = SplitMix64::new(42);
        let n = 100_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = rng.uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
        }
        // Standard error of the mean: √(1/12 / n) ≈ 9.1e-4.
        assert!((sum / n as f64 - 0.5).abs() < 4e-3);
    }

    #[test]
    fn normals_have_the_standard_moments() {
        let mut rng = SplitMix64::new(1);
        let n = 100_000;
        let (mut m1, mut m2, mut m4) = (0.0, 0.0, 0.0);
        for _ in 0..n {
            let e = rng.standard_normal();
            assert!(e.is_finite());
            m1 += e;
            m2 += e * e;
            m4 += e.powi(4);
        }
        let n = n as f64;
        // Standard errors: √(1/n) ≈ 3.2e-3, √(2/n) ≈ 4.5e-3, √(96/n) ≈ 3.1e-2; allow ~4.
        assert!((m1 / n).abs() < 0.013, "{}", m1 / n);
        assert!((m2 / n - 1.0).abs() < 0.018, "{}", m2 / n);
        assert!((m4 / n - 3.0).abs() < 0.13, "{}", m4 / n);
    }
}
