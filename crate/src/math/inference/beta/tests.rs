//! Reference values computed offline with mpmath 1.3 at 40 significant digits
//! (`loggamma`, `log(beta(a, b))`, `betainc(a, b, 0, x, regularized=True)`, and quantiles by
//! 200 bisection steps on that `betainc`; the Beta(5001, 5001) quantile by `quad` of the
//! density instead, where `betainc` does not converge; the Beta(0.1, 50) lower quantile by
//! bisection on ln x). They keep mpmath's digits, more than an f64 holds.
#![allow(clippy::excessive_precision)]

use super::*;
use crate::math::inference::likelihood::mle;
use crate::math::quadrature::{Tolerance, integrate, integrate_vec};
use proptest::prelude::*;

mod conjugacy;

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs()
}

#[test]
fn ln_gamma_matches_reference_values_to_1e_12_relative() {
    let cases = [
        (0.001, 6.907_178_885_383_853_682_5),
        (0.1, 2.252_712_651_734_205_959_9),
        (0.25, 1.288_022_524_698_077_457_4),
        (0.5, 0.572_364_942_924_700_087_07), // ln √π
        (1.5, -0.120_782_237_635_245_222_35),
        (2.5, 0.284_682_870_472_919_159_63),
        (3.7, 1.428_072_326_665_387_921_9),
        (7.25, 7.052_185_450_738_539_444_9),
        (10.0, 12.801_827_480_081_469_611), // ln 9!
        (12.5, 18.734_347_511_936_445_702),
        (30.0, 71.257_038_967_168_009_01),
        (100.0, 359.134_205_369_575_398_78),
        (1000.5, 5_908.674_175_848_677_488_7),
        (10_050.0, 82_560.356_813_414_914_21),
        (1e6, 12_815_504.569_147_611_66),
    ];
    for (x, want) in cases {
        let got = ln_gamma(x);
        assert!(close(got, want, 1e-12), "lnΓ({x}) = {got}, want {want}");
        // Tighter than asked: a few ulps of the terms cancelled on the way.
        assert!(
            (got - want).abs() <= 2e-15 * want.abs().max(2.0),
            "lnΓ({x}) = {got}"
        );
    }
    assert_eq!(ln_gamma(1.0), 0.0);
    assert_eq!(ln_gamma(2.0), 0.0);
    assert_eq!(ln_gamma(f64::INFINITY), f64::INFINITY);
    assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.5).is_nan() && ln_gamma(f64::NAN).is_nan());
}

#[test]
fn stirling_agrees_with_the_factorials_where_both_apply() {
    // ln (x − 1)! from the product and from Stirling's series: two independent methods.
    for x in 15..=30 {
        let x = f64::from(x);
        let stirling = (x - 0.5) * x.ln() - x + LN_SQRT_2PI + stirling_delta(x);
        assert!(close(stirling, ln_gamma(x), 1e-15), "x = {x}");
    }
    // And the recurrence just below the switch agrees with the series just above it.
    let below = ln_gamma(14.999_999_999);
    let above = ln_gamma(15.000_000_001);
    let slope = 15.0_f64.ln() - 1.0 / 30.0 - 1.0 / 2700.0; // ψ(15) ≈ ln 15 − 1/30 − 1/2700
    assert!((above - below - 2e-9 * slope).abs() < 1e-13);
}

#[test]
fn ln_beta_matches_reference_values() {
    let cases = [
        (8.0, 4.0, -7.185_387_015_580_416_538_3),
        (0.5, 0.5, std::f64::consts::PI.ln()),
        (1.0, 1.0, 0.0),
        (2.0, 1.0, -std::f64::consts::LN_2),
        (20.5, 20.5, -28.657_637_765_695_799_21),
        (0.5, 10.5, -0.591_422_410_747_051_574_99),
        (7.5, 103.5, -27.492_792_497_841_515_577),
        (0.1, 50.0, 1.862_412_745_670_004_544_6),
        (5001.0, 5001.0, -6_935.851_259_427_796_833_08),
    ];
    for (a, b, want) in cases {
        let got = ln_beta(a, b);
        assert!(
            (got - want).abs() <= 1e-12 * want.abs().max(1.0),
            "ln B({a}, {b}) = {got}, want {want}"
        );
        assert_eq!(got, ln_beta(b, a), "symmetric");
    }
}

#[test]
fn closed_forms_of_beta_8_4() {
    let d = Beta::new(8.0, 4.0).unwrap();
    assert!(close(d.mean(), 2.0 / 3.0, 1e-15));
    assert!(close(d.variance(), 32.0 / (144.0 * 13.0), 1e-15));
    assert!(close(d.mode().unwrap(), 0.7, 1e-15));
    // p(θ) = θ⁷(1 − θ)³ / B(8, 4), B(8, 4) = 7! 3! / 11! = 1/1320.
    let theta: f64 = 0.3;
    let want = 1320.0 * theta.powi(7) * (1.0 - theta).powi(3);
    assert!(close(d.pdf(theta, "theta").unwrap(), want, 1e-13));
    assert_eq!(Beta::new(1.0, 1.0).unwrap().mode(), None, "flat");
    assert_eq!(Beta::new(0.5, 3.0).unwrap().mode(), None, "unbounded at 0");
    assert_eq!(Beta::new(1.0, 3.0).unwrap().mode(), Some(0.0));
    assert_eq!(Beta::new(3.0, 1.0).unwrap().mode(), Some(1.0));
}

#[test]
fn density_edges_follow_the_shapes() {
    let jeffreys = Beta::new(0.5, 0.5).unwrap();
    assert_eq!(jeffreys.pdf(0.0, "theta").unwrap(), f64::INFINITY);
    assert_eq!(jeffreys.pdf(1.0, "theta").unwrap(), f64::INFINITY);
    // Beta(1, 3): p(0) = 1/B(1, 3) = 3; p(1) = 0.
    let d = Beta::new(1.0, 3.0).unwrap();
    assert!(close(d.pdf(0.0, "theta").unwrap(), 3.0, 1e-15));
    assert_eq!(d.pdf(1.0, "theta").unwrap(), 0.0);
    assert_eq!(Beta::new(1.0, 1.0).unwrap().pdf(0.0, "t").unwrap(), 1.0);
}

#[test]
fn densities_integrate_to_one() {
    for (a, b) in [
        (1.0, 1.0),
        (8.0, 4.0),
        (2.5, 30.0),
        (20.0, 20.0),
        (1.0, 7.0),
    ] {
        let d = Beta::new(a, b).unwrap();
        let total = integrate(|t| d.pdf(t, "theta").unwrap(), 0.0, 1.0).unwrap();
        assert!((total - 1.0).abs() < 1e-12, "Beta({a}, {b}): {total}");
    }
}

#[test]
fn cdf_matches_reference_values() {
    let cases = [
        (8.0, 4.0, 0.3, 0.004_290_894),
        (8.0, 4.0, 0.9, 0.981_465_238_8),
        (0.5, 0.5, 0.01, 0.063_768_560_858_519_847_917),
        (20.5, 20.5, 0.45, 0.261_729_234_225_767_240_55),
        (7.5, 103.5, 0.1, 0.904_270_926_585_303_730_65),
    ];
    for (a, b, x, want) in cases {
        let got = Beta::new(a, b).unwrap().cdf(x, "x").unwrap();
        assert!(
            (got - want).abs() < 1e-14,
            "I_{x}({a}, {b}) = {got}, want {want}"
        );
    }
    // Symmetry I_x(a, b) = 1 − I_{1−x}(b, a), across the switch of continued fractions.
    let (d, e) = (Beta::new(3.5, 9.0).unwrap(), Beta::new(9.0, 3.5).unwrap());
    for i in 1..100 {
        let x = f64::from(i) / 100.0;
        let sum = d.cdf(x, "x").unwrap() + e.cdf(1.0 - x, "x").unwrap();
        assert!((sum - 1.0).abs() < 1e-14, "x = {x}: {sum}");
    }
}

#[test]
fn cdf_agrees_with_quadrature_of_the_density() {
    for (a, b) in [(8.0, 4.0), (1.5, 2.5), (40.0, 70.0)] {
        let d = Beta::new(a, b).unwrap();
        for x in [0.1, 0.35, 0.5, 0.8] {
            let by_quadrature = integrate(|t| d.pdf(t, "t").unwrap(), 0.0, x).unwrap();
            let cdf = d.cdf(x, "x").unwrap();
            assert!((cdf - by_quadrature).abs() < 1e-13, "Beta({a}, {b}) at {x}");
        }
    }
}

#[test]
fn quantiles_match_reference_values() {
    let cases = [
        (
            8.0,
            4.0,
            0.390_257_440_427_578_761_78,
            0.890_736_556_180_901_898_21,
        ),
        (
            0.5,
            0.5,
            0.001_541_333_133_436_011_901_1,
            0.998_458_666_866_563_988_1,
        ),
        (1.0, 1.0, 0.025, 0.975),
        (
            20.5,
            20.5,
            0.349_603_501_920_862_262_63,
            0.650_396_498_079_137_737_37,
        ),
        (
            0.5,
            10.5,
            4.789_043_315_758_188_991_3e-5,
            0.217_196_267_509_210_574_25,
        ),
        (
            2.0,
            1.0,
            0.158_113_883_008_418_966_6,
            0.987_420_882_906_574_950_87,
        ),
        (
            7.5,
            103.5,
            0.028_912_759_336_273_600_93,
            0.120_867_258_176_824_744_2,
        ),
        (
            0.1,
            50.0,
            1.168_842_168_795_685_925_9e-18,
            0.019_541_628_998_237_068_253,
        ),
        (
            5001.0,
            5001.0,
            0.490_201_855_848_189_764_01,
            0.509_798_144_151_810_235_99,
        ),
    ];
    for (a, b, lo, hi) in cases {
        let (l, u) = Beta::new(a, b).unwrap().central_interval(0.95).unwrap();
        assert!(close(l, lo, 1e-12), "Beta({a}, {b}) lower {l}, want {lo}");
        assert!(close(u, hi, 1e-12), "Beta({a}, {b}) upper {u}, want {hi}");
    }
}

#[test]
fn the_interval_holds_95_percent_by_quadrature() {
    for (h, t, a, b) in [
        (7.0, 3.0, 1.0, 1.0),
        (7.0, 3.0, 0.5, 0.5),
        (0.0, 10.0, 0.5, 0.5),
        (2.0, 1.0, 20.0, 20.0),
        (600.0, 400.0, 2.0, 5.0),
    ] {
        let post = CoinPosterior::new(h, t, a, b).unwrap().posterior;
        let (lo, hi) = post.central_interval(0.95).unwrap();
        let sd = post.variance().sqrt();
        let m = post.mean();
        let mut points = vec![lo, hi];
        points.extend([-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0].map(|k| (m + k * sd).clamp(lo, hi)));
        let mass = integrate_vec(
            |x| [post.pdf(x, "x").unwrap()],
            &points,
            &Tolerance::default(),
        )
        .unwrap();
        assert!(mass.converged);
        assert!(
            (mass.value[0] - 0.95).abs() < 1e-10,
            "h={h} t={t} a={a} b={b}: {}",
            mass.value[0]
        );
        assert!(lo < m && m < hi, "the mean lies inside");
    }
}

#[test]
fn bad_inputs_are_coded_errors() {
    let code = |r: Result<CoinPosterior, InputError>| r.unwrap_err().code();
    for bad in [
        0.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e-4,
        2e6,
    ] {
        assert_eq!(
            code(CoinPosterior::new(1.0, 1.0, bad, 1.0)),
            Code::BetaShape,
            "a = {bad}"
        );
        assert_eq!(
            code(CoinPosterior::new(1.0, 1.0, 1.0, bad)),
            Code::BetaShape,
            "b = {bad}"
        );
    }
    let e = CoinPosterior::new(1.0, 1.0, -2.0, 1.0).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("a is -2: it must lie in [0.001, 10⁶]"),
        "{e}"
    );
    assert_eq!(
        code(CoinPosterior::new(1.5, 1.0, 1.0, 1.0)),
        Code::FlipCount
    );
    assert_eq!(
        code(CoinPosterior::new(1.0, -1.0, 1.0, 1.0)),
        Code::FlipCount
    );
    assert_eq!(
        code(CoinPosterior::new(10_001.0, 0.0, 1.0, 1.0)),
        Code::TooManyFlips
    );
    assert_eq!(
        code(CoinPosterior::new(6000.0, 4001.0, 1.0, 1.0)),
        Code::TooManyFlips
    );
    assert_eq!(
        code(CoinPosterior::new(1e12, 1e12, 1.0, 1.0)),
        Code::TooManyFlips
    );
    assert!(CoinPosterior::new(6000.0, 4000.0, 1e6, 1e-3).is_ok());
    let d = Beta::new(2.0, 3.0).unwrap();
    assert_eq!(
        d.pdf(1.5, "theta").unwrap_err().code(),
        Code::ProbabilityOutOfRange
    );
    assert!(d.pdf(f64::NAN, "theta").is_err());
    for level in [0.0, 1.0, f64::NAN, -0.5] {
        assert!(d.central_interval(level).is_err(), "level {level}");
    }
}

#[test]
fn extreme_shapes_give_numbers_not_nan() {
    for (h, t, a, b) in [
        (0.0, 0.0, 1e-3, 1e-3),
        (10_000.0, 0.0, 1e-3, 1e6),
        (0.0, 10_000.0, 1e6, 1e6),
        (0.0, 0.0, 1e-3, 1e6),
    ] {
        let c = CoinPosterior::new(h, t, a, b).unwrap();
        let (lo, hi) = c.posterior.central_interval(0.95).unwrap();
        let values = [
            c.posterior.mean(),
            c.posterior.variance(),
            lo,
            hi,
            c.log_evidence(),
        ];
        assert!(
            values.iter().all(|v| v.is_finite()),
            "{h} {t} {a} {b}: {values:?}"
        );
        assert!((0.0..=1.0).contains(&lo) && lo <= hi && hi <= 1.0);
    }
}

proptest! {
    #[test]
    fn the_posterior_mean_lies_between_the_prior_mean_and_the_mle(
        h in 0u32..5000, t in 0u32..5000, a in 1e-3f64..1e3, b in 1e-3f64..1e3,
    ) {
        prop_assume!(h + t > 0);
        let (h, t) = (f64::from(h), f64::from(t));
        let c = CoinPosterior::new(h, t, a, b).unwrap();
        let (prior, data, post) = (c.prior.mean(), mle(h, t).unwrap(), c.posterior.mean());
        let slack = 1e-15;
        prop_assert!(post >= prior.min(data) - slack && post <= prior.max(data) + slack,
            "prior {prior}, MLE {data}, posterior {post}");
    }

    #[test]
    fn quantiles_invert_the_cdf(a in 0.05f64..300.0, b in 0.05f64..300.0, p in 1e-3f64..0.999) {
        let d = Beta::new(a, b).unwrap();
        let x = d.quantile(p, "p").unwrap();
        let f = d.cdf(x, "x").unwrap();
        // The contract: the smallest float x with F(x) ≥ p.
        let below = d.cdf(x.next_down(), "x").unwrap();
        prop_assert!(f >= p && below < p, "Beta({a}, {b}): F({x}) = {f}, F(x⁻) = {below}, p = {p}");
        // F(x) is p to 1e-12, unless F jumps by more than that within one float of x: with
        // a, b ≪ 1 the quantiles crowd to within 10⁻¹¹ of 0 or 1, where one step of x moves F
        // by up to 10⁻⁴ (Beta(0.05, 0.05), p = 0.9: 1 − x ≈ 10⁻¹⁴). Then no float does better.
        prop_assert!(f - p < 1e-12 || f - below > 1e-12, "Beta({a}, {b}): {x}, F(x) − p = {}", f - p);
    }

    #[test]
    fn ln_beta_obeys_its_recurrence(a in 1e-3f64..2e4, b in 1e-3f64..2e4) {
        // B(a + 1, b) = B(a, b) · a / (a + b).
        let step = ln_beta(a + 1.0, b) - ln_beta(a, b);
        let want = (a / (a + b)).ln();
        prop_assert!((step - want).abs() <= 1e-14 * ln_beta(a, b).abs().max(1.0) + 1e-14,
            "a={a} b={b}: {step} vs {want}");
    }

    #[test]
    fn ln_gamma_obeys_its_recurrence(x in 1e-3f64..1e5) {
        let step = ln_gamma(x + 1.0) - ln_gamma(x);
        prop_assert!((step - x.ln()).abs() <= 4.0 * f64::EPSILON * ln_gamma(x + 1.0).abs() + 1e-14,
            "x={x}: {step}");
    }
}
