//! The mixture lab's stated ranges (crate::wasm::mixture::MEANS and SIGMAS): at every corner
//! the fits, the KLs, their gradients and the descents succeed, so the boundary's range check
//! is the only error a caller within them can meet.

use elbo_lab::math::divergence::descent::{self, Direction};
use elbo_lab::math::divergence::gaussian::Normal;
use elbo_lab::math::divergence::{fit, mixture::GaussianMixture};
use elbo_lab::wasm::mixture::{MEANS, SIGMAS};

#[test]
fn every_corner_of_the_ranges_is_computed() {
    let corners = [
        (MEANS.0, SIGMAS.0),
        (MEANS.0, SIGMAS.1),
        (MEANS.1, SIGMAS.0),
        (MEANS.1, SIGMAS.1),
        (0.0, SIGMAS.0),
        (0.0, SIGMAS.1),
    ];
    for (m, s) in corners {
        let mixtures = [
            GaussianMixture::new(&[1.0], &[m], &[s]),
            GaussianMixture::new(&[0.5, 0.5], &[m, -m], &[s, SIGMAS.0]),
            GaussianMixture::new(&[0.9, 0.1], &[m, MEANS.1], &[s, SIGMAS.1]),
        ];
        for p in mixtures.map(Result::unwrap) {
            assert!(fit::fit_reverse(&p).is_ok(), "reverse fit at {m}, {s}");
            assert!(fit::fit_forward(&p).is_ok(), "forward fit at {m}, {s}");
            for (qm, qs) in corners {
                let q = Normal::new(qm, qs).unwrap();
                let ls = qs.ln();
                assert!(p.forward_kl(&q).is_ok_and(f64::is_finite));
                assert!(p.reverse_kl(&q).is_ok_and(f64::is_finite));
                assert!(fit::forward_kl_gradient(&p, qm, ls).is_ok());
                assert!(fit::reverse_kl_gradient(&p, qm, ls).is_ok());
                for d in [Direction::Forward, Direction::Reverse] {
                    assert!(descent::start(&p, d, qm, ls).is_ok(), "{d:?} at {qm}, {qs}");
                }
            }
        }
    }
}
