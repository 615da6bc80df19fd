//! Tests of the posterior models: closed forms for the Gaussian model, the identity
//! ln p(x) = ELBO + KL on all three, finite-difference and Monte Carlo gradient checks.

use super::*;
use proptest::prelude::*;

mod estimators;
mod exact;
mod variational;

const GAUSSIAN: Model = Model::Gaussian { sigma_x: 0.5 };
const BIMODAL: Model = Model::Bimodal { sigma_x: 0.5 };
const LOGISTIC: Model = Model::Logistic { a: 3.0, b: -1.0 };

/// A random model with a valid observation for it.
fn any_model() -> impl Strategy<Value = (Model, f64)> {
    prop_oneof![
        (0.2f64..3.0, -3.0f64..3.0).prop_map(|(s, x)| (Model::Gaussian { sigma_x: s }, x)),
        (0.2f64..3.0, -1.0f64..4.0).prop_map(|(s, x)| (Model::Bimodal { sigma_x: s }, x)),
        (-5.0f64..5.0, -3.0f64..3.0, prop::bool::ANY)
            .prop_map(|(a, b, one)| (Model::Logistic { a, b }, if one { 1.0 } else { 0.0 })),
    ]
}
