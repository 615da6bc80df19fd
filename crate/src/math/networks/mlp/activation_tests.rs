use super::*;

#[test]
fn fast_tanh_is_within_1e_6_of_tanh() {
    let mut worst = 0.0f64;
    for i in -240_000..=240_000 {
        let x = i as f32 * 5e-5; // [−12, 12]
        let err = (f64::from(fast_tanh(x)) - f64::from(x).tanh()).abs();
        worst = worst.max(err);
    }
    assert!(worst < 1e-6, "max error {worst}");
    assert_eq!(fast_tanh(0.0), 0.0);
    assert_eq!(fast_tanh(-3.0), -fast_tanh(3.0));
    assert!((fast_tanh(f32::INFINITY) - 1.0).abs() < 1e-6);
    assert!(fast_tanh(f32::NAN).is_nan());
}

#[test]
fn activations_and_their_backward_from_the_output() {
    let a = [-2.0f32, -0.5, 0.0, 0.5, 2.0];
    let mut h = a;
    Activation::Relu.apply(&mut h);
    assert_eq!(h, [0.0, 0.0, 0.0, 0.5, 2.0]);
    let mut dh = [1.0f32; 5];
    Activation::Relu.backward(&h, &mut dh);
    assert_eq!(dh, [0.0, 0.0, 0.0, 1.0, 1.0]);
    let mut h = a;
    Activation::Tanh.apply(&mut h);
    let mut dh = [2.0f32; 5];
    Activation::Tanh.backward(&h, &mut dh);
    for ((&a, &h), &g) in a.iter().zip(&h).zip(&dh) {
        assert!((h - a.tanh()).abs() < 1e-6);
        assert!((g - 2.0 / a.cosh().powi(2)).abs() < 1e-5);
    }
    assert_eq!(Activation::default(), Activation::Tanh);
}

#[test]
fn branch_free_exp_log_and_bce_match_std() {
    let mut x = -100.0f32;
    while x <= 0.0 {
        let (fast, exact) = (exp_nonpositive(x), f64::from(x).exp());
        let want = exact.max(f64::from(-87.0f32).exp());
        assert!(
            (f64::from(fast) - want).abs() <= 2e-7 * want,
            "exp({x}) = {fast}"
        );
        x += 1e-3;
    }
    assert!(exp_nonpositive(f32::NAN).is_nan());
    for i in 0..=10_000 {
        let e = i as f32 * 1e-4;
        let (fast, exact) = (ln_1p_unit(e), f64::from(e).ln_1p());
        assert!(
            (f64::from(fast) - exact).abs() <= 2e-7 * exact.max(1e-30),
            "ln1p({e})"
        );
    }
    for l in [
        -100.0f32, -20.0, -3.3, -0.5, 0.0, 1e-3, 0.7, 4.0, 30.0, 100.0,
    ] {
        for x in [0.0, 0.3, 1.0] {
            let (b, g) = bce_with_logits_and_grad(l, x);
            let (b0, g0) = (bce_with_logits(l, x), bce_with_logits_grad(l, x));
            assert!((b - b0).abs() <= 1e-6 * (1.0 + b0.abs()), "bce({l}, {x})");
            assert!((g - g0).abs() <= 1e-6, "grad({l}, {x})");
        }
    }
}
