//! Chapter 3: probability versus likelihood for coin flips, the MLE, and why logs.

use super::convert::{self, numbers, object};
use super::error::ApiError;
use crate::math::likelihood;
use wasm_bindgen::prelude::*;

/// Everything about θ for the data (h heads, t tails):
/// `{ logLikelihood, likelihood, naiveProduct, mle }`. `likelihood` is exp(logLikelihood) and
/// may underflow to 0; `naiveProduct` multiplies one factor per flip; `mle` is h/(h + t), or
/// `null` when there are no flips.
#[wasm_bindgen(
    js_name = coinLikelihood,
    unchecked_return_type = "{ logLikelihood: number, likelihood: number, naiveProduct: number, mle: number | null }"
)]
pub fn coin_likelihood(heads: f64, tails: f64, theta: f64) -> Result<JsValue, ApiError> {
    let log_likelihood = likelihood::bernoulli_log_likelihood(heads, tails, theta)?;
    let mle = if heads + tails == 0.0 {
        JsValue::NULL
    } else {
        likelihood::mle(heads, tails)?.into()
    };
    object(&[
        ("logLikelihood", log_likelihood.into()),
        ("likelihood", log_likelihood.exp().into()),
        (
            "naiveProduct",
            likelihood::naive_product(heads, tails, theta)?.into(),
        ),
        ("mle", mle),
    ])
}

/// P(k heads in n flips | θ) for k = 0..=n (n ≤ 10,000), as a Float64Array summing to 1.
#[wasm_bindgen(js_name = binomialPmf)]
pub fn binomial_pmf(n: f64, theta: f64) -> Result<Vec<f64>, ApiError> {
    Ok(likelihood::binomial_pmf(n, theta)?)
}

/// ln L(θᵢ) = h ln θᵢ + t ln(1 − θᵢ) for each θᵢ in `thetas` (−∞ where the data rule θᵢ out).
#[wasm_bindgen(js_name = coinLogLikelihoodCurve)]
pub fn coin_log_likelihood_curve(
    heads: f64,
    tails: f64,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] thetas: JsValue,
) -> Result<Vec<f64>, ApiError> {
    let thetas = numbers(&thetas, "thetas")?;
    Ok(likelihood::log_likelihood_curve(heads, tails, &thetas)?)
}

/// The number of heads in `n` simulated flips (n ≤ 10,000) of a coin with P(heads) =
/// `thetaTrue`; the same `seed` (a whole number 0 … 2⁵³ − 1) always gives the same count.
#[wasm_bindgen(js_name = simulateFlips)]
pub fn simulate_flips(n: f64, theta_true: f64, seed: f64) -> Result<f64, ApiError> {
    Ok(likelihood::simulate(n, theta_true, convert::seed(seed, "seed")?)? as f64)
}
