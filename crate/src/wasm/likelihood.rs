//! Chapter 3: probability versus likelihood for coin flips, the MLE, why logs, and the coin's
//! first posterior (a Beta prior, conjugate to the flips).

use super::convert::{self, numbers, object};
use super::error::ApiError;
use crate::math::inference::{beta, likelihood};
use js_sys::Float64Array;
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

/// The coin's posterior under a Beta(a, b) prior (a, b in [0.001, 10⁶]) after `heads` heads
/// and `tails` tails (h + t ≤ 10,000): `{ a, b }` of the Beta(a + h, b + t) posterior, its
/// `mean`, `mode` (`null` where undefined: Beta(1, 1), or a shape below 1), `variance`, the
/// central 95% credible interval [`lower`, `upper`], and `logEvidence` = ln B(a + h, b + t) −
/// ln B(a, b), the log probability of the observed sequence in nats. With `thetas` (numbers
/// in [0, 1]) also `density`: the posterior density at each θ (+∞ at an end where a shape is
/// below 1).
#[wasm_bindgen(
    js_name = betaPosterior,
    unchecked_return_type = "{ a: number, b: number, mean: number, mode: number | null, variance: number, lower: number, upper: number, logEvidence: number, density?: Float64Array }"
)]
pub fn beta_posterior(
    heads: f64,
    tails: f64,
    a: f64,
    b: f64,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array | undefined")] thetas: JsValue,
) -> Result<JsValue, ApiError> {
    let c = beta::CoinPosterior::new(heads, tails, a, b)?;
    let post = c.posterior;
    let (lower, upper) = post.central_interval(0.95)?;
    let mut fields = vec![
        ("a", post.a().into()),
        ("b", post.b().into()),
        ("mean", post.mean().into()),
        ("mode", post.mode().map_or(JsValue::NULL, JsValue::from)),
        ("variance", post.variance().into()),
        ("lower", lower.into()),
        ("upper", upper.into()),
        ("logEvidence", c.log_evidence().into()),
    ];
    if !(thetas.is_undefined() || thetas.is_null()) {
        let density = numbers(&thetas, "thetas")?
            .into_iter()
            .map(|theta| post.pdf(theta, "thetas"))
            .collect::<Result<Vec<f64>, _>>()?;
        fields.push(("density", Float64Array::from(density.as_slice()).into()));
    }
    object(&fields)
}
