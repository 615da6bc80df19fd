//! Chapter 3's posterior lab: a 1-D model (prior N(0, 1), one observation x), its exact
//! posterior and evidence, and a Gaussian q = N(m, s²) fitted by ascending the ELBO with Adam.

use super::convert::{self, object, param, text, whole};
use super::error::{ApiError, BoundaryCode};
use crate::math::inference::ascent::{Ascent, Estimate, derivation};
use crate::math::inference::posterior::{ElboGradient, IwaeEstimate, Model, iwae_bounds_of};
use wasm_bindgen::prelude::*;

fn gradient_array(g: ElboGradient) -> Vec<f64> {
    vec![g.value, g.d_m, g.d_log_s]
}

/// The posterior lab for one model and one observation.
#[wasm_bindgen]
pub struct PosteriorLab {
    model: Model,
    x: f64,
    grid: Vec<f64>,
    optimiser: Option<Ascent>,
    /// The log weights drawn last (`logWeights`, `iwaeBound`, `iwaeBounds`).
    draws: Option<Draws>,
}

/// Log weights of q = N(m, s²) drawn with `seed`.
struct Draws {
    m: f64,
    s: f64,
    seed: u64,
    lw: Vec<f64>,
}

impl PosteriorLab {
    /// The first `n` log weights of q = N(m, s²) under `seed`: those drawn last when they were
    /// drawn for this q and seed, at least `n` of them (the first n of a seeded stream do not
    /// depend on how many follow), else drawn now and kept. The Jensen panel asks for 20,000
    /// for the bounds, then for the first 5,000 for its histogram, then again as K moves.
    fn draws(&mut self, m: f64, s: f64, n: usize, seed: u64) -> Result<&[f64], ApiError> {
        let kept = self
            .draws
            .as_ref()
            .is_some_and(|d| d.m == m && d.s == s && d.seed == seed && d.lw.len() >= n);
        if !kept {
            let lw = self.model.log_weights(self.x, m, s, n, seed)?;
            self.draws = Some(Draws { m, s, seed, lw });
        }
        // Some, with at least n, by now; `get` so that no path can panic.
        Ok(self
            .draws
            .as_ref()
            .and_then(|d| d.lw.get(..n))
            .unwrap_or_default())
    }

    /// The IWAE estimates for `ks` from the first `n` draws of q under `seed` (as `draws`).
    fn bounds(
        &mut self,
        m: f64,
        s: f64,
        ks: &[usize],
        n: usize,
        seed: u64,
    ) -> Result<Vec<IwaeEstimate>, ApiError> {
        Ok(iwae_bounds_of(self.draws(m, s, n, seed)?, ks)?)
    }
}

#[wasm_bindgen]
impl PosteriorLab {
    /// `model`: "gaussian" or "bimodal" (params { sigmaX }, default 1) with x a real number,
    /// or "logistic" (params { a, b }, defaults 2 and 0) with x ∈ {0, 1}.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] model: JsValue,
        x: f64,
        #[wasm_bindgen(unchecked_param_type = "{ sigmaX?: number, a?: number, b?: number }")]
        params: JsValue,
    ) -> Result<PosteriorLab, ApiError> {
        let model = text(&model, "model")?;
        let model = match model.as_str() {
            "gaussian" => Model::Gaussian {
                sigma_x: param(&params, "sigmaX", 1.0)?,
            },
            "bimodal" => Model::Bimodal {
                sigma_x: param(&params, "sigmaX", 1.0)?,
            },
            "logistic" => Model::Logistic {
                a: param(&params, "a", 2.0)?,
                b: param(&params, "b", 0.0)?,
            },
            _ => {
                return Err(ApiError::new(BoundaryCode::PosteriorModel).with("model", model));
            }
        };
        // Checks the model's parameters and x together.
        model.log_evidence(x)?;
        Ok(PosteriorLab {
            model,
            x,
            grid: Vec::new(),
            optimiser: None,
            draws: None,
        })
    }

    /// The observation x.
    #[wasm_bindgen(getter)]
    pub fn x(&self) -> f64 {
        self.x
    }

    /// log p(x) = ln ∫ p(x | z) N(z; 0, 1) dz in nats, by adaptive quadrature (~1e-12).
    #[wasm_bindgen(js_name = logEvidence)]
    pub fn log_evidence(&self) -> Result<f64, ApiError> {
        Ok(self.model.log_evidence(self.x)?)
    }

    /// [mean, variance] of the exact posterior p(z | x).
    #[wasm_bindgen(js_name = posteriorMoments)]
    pub fn posterior_moments(&self) -> Result<Vec<f64>, ApiError> {
        let (mean, var) = self.model.posterior_moments(self.x)?;
        Ok(vec![mean, var])
    }

    /// ELBO(q) = E_q[ln p(x, z)] + h(q) for q = N(m, s²), in nats.
    pub fn elbo(&self, m: f64, s: f64) -> Result<f64, ApiError> {
        Ok(self.model.elbo(self.x, m, s)?)
    }

    /// KL(q ‖ p(z | x)) = log p(x) − ELBO(q) ≥ 0, in nats.
    #[wasm_bindgen(js_name = klToPosterior)]
    pub fn kl_to_posterior(&self, m: f64, s: f64) -> Result<f64, ApiError> {
        Ok(self.model.kl_to_posterior(self.x, m, s)?)
    }

    /// [ELBO, ∂/∂m, ∂/∂ln s], exact (quadrature).
    #[wasm_bindgen(js_name = elboGradient)]
    pub fn elbo_gradient(&self, m: f64, s: f64) -> Result<Vec<f64>, ApiError> {
        Ok(gradient_array(self.model.elbo_gradient(self.x, m, s)?))
    }

    /// [ELBO, ∂/∂m, ∂/∂ln s] estimated from `k` reparameterised samples z = m + sε, with ε
    /// from a generator seeded by `seed` (a whole number): unbiased, and noisy for small k.
    #[wasm_bindgen(js_name = reparamGradient)]
    pub fn reparam_gradient(
        &self,
        m: f64,
        s: f64,
        k: f64,
        seed: f64,
    ) -> Result<Vec<f64>, ApiError> {
        let k = whole(k, "k", 1.0, 1e6)? as usize;
        let seed = convert::seed(seed, "seed")?;
        Ok(gradient_array(
            self.model.reparam_gradient(self.x, m, s, k, seed)?,
        ))
    }

    /// Computes p(z | x) at `n` evenly spaced z from `z_min` to `z_max` (n ≥ 2) and keeps it
    /// in wasm memory; returns n. Read it without copying as
    /// `new Float64Array(memory.buffer, lab.gridPtr(), n)` (rebuild the view after any call).
    #[wasm_bindgen(js_name = posteriorGrid)]
    pub fn posterior_grid(&mut self, z_min: f64, z_max: f64, n: f64) -> Result<usize, ApiError> {
        let n = whole(n, "n", 2.0, 1e6)? as usize;
        self.grid = self.model.posterior_on_grid(self.x, z_min, z_max, n)?;
        Ok(self.grid.len())
    }

    /// Address of the grid computed by `posteriorGrid` in wasm memory.
    #[wasm_bindgen(js_name = gridPtr)]
    pub fn grid_ptr(&self) -> usize {
        self.grid.as_ptr() as usize
    }

    /// A copy of the grid computed by `posteriorGrid`.
    #[wasm_bindgen(js_name = gridValues)]
    pub fn grid_values(&self) -> Vec<f64> {
        self.grid.clone()
    }

    /// Starts (or restarts) ELBO ascent with Adam from q = N(m, s²) with learning rate `lr`.
    #[wasm_bindgen(js_name = startOptimiser)]
    pub fn start_optimiser(&mut self, m: f64, s: f64, lr: f64) -> Result<(), ApiError> {
        self.model.elbo(self.x, m, s)?;
        if !(lr > 0.0 && lr <= 10.0) {
            return Err(ApiError::new(BoundaryCode::PosteriorLr).with("value", lr));
        }
        self.optimiser = Some(Ascent::new(m, s, lr));
        Ok(())
    }

    /// One Adam step up the ELBO, with the exact gradient (`mode` "exact") or a
    /// reparameterised estimate from `k` samples seeded by `seed` ("reparam"). Returns
    /// [m, s, ELBO, KL(q ‖ p(z|x))] after the step (ELBO and KL exact, for display).
    pub fn step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] mode: JsValue,
        k: f64,
        seed: f64,
    ) -> Result<Vec<f64>, ApiError> {
        let mode = text(&mode, "mode")?;
        let Some(opt) = self.optimiser.as_mut() else {
            return Err(ApiError::new(BoundaryCode::OptimiserNotStarted));
        };
        let estimate = match mode.as_str() {
            "exact" => Estimate::Exact,
            "reparam" => Estimate::Reparam {
                k: whole(k, "k", 1.0, 1e6)? as usize,
                seed: convert::seed(seed, "seed")?,
            },
            _ => {
                return Err(ApiError::new(BoundaryCode::OptimiserMode).with("mode", mode));
            }
        };
        let q = opt.step(&self.model, self.x, estimate)?;
        Ok(vec![q.m, q.s, q.elbo, q.kl])
    }

    /// Every quantity of the ELBO derivations at q = N(m, s²), in nats:
    /// `{ logEvidence, elbo, kl, expectedLogJoint, entropyQ, expectedLogLikelihood, klToPrior,
    /// expectedLogWeight }` with log p(x) = ELBO + KL, ELBO = E_q[ln p(x,z)] + h(q) =
    /// E_q[ln p(x|z)] − KL(q ‖ p(z)) = E_q[ln w], w = p(x, z)/q(z) (its own quadrature).
    #[wasm_bindgen(
        js_name = derivationValues,
        unchecked_return_type = "{ logEvidence: number, elbo: number, kl: number, expectedLogJoint: number, entropyQ: number, expectedLogLikelihood: number, klToPrior: number, expectedLogWeight: number }"
    )]
    pub fn derivation_values(&self, m: f64, s: f64) -> Result<JsValue, ApiError> {
        let d = derivation(&self.model, self.x, m, s)?;
        object(&[
            ("logEvidence", d.log_evidence.into()),
            ("elbo", d.elbo.into()),
            ("kl", d.kl.into()),
            ("expectedLogJoint", d.expected_log_joint.into()),
            ("entropyQ", d.entropy_q.into()),
            ("expectedLogLikelihood", d.expected_log_likelihood.into()),
            ("klToPrior", d.kl_to_prior.into()),
            ("expectedLogWeight", d.expected_log_weight.into()),
        ])
    }

    /// `n` log importance weights ln w = ln p(x, z) − ln q(z) (nats) at z = m + sε, ε from a
    /// generator seeded by `seed` (1 ≤ n ≤ 10⁶). Their mean estimates the ELBO.
    #[wasm_bindgen(js_name = logWeights)]
    pub fn log_weights(&mut self, m: f64, s: f64, n: f64, seed: f64) -> Result<Vec<f64>, ApiError> {
        let n = whole(n, "n", 1.0, 1e6)? as usize;
        let seed = convert::seed(seed, "seed")?;
        Ok(self.draws(m, s, n, seed)?.to_vec())
    }

    /// The IWAE bound L_K = E[ln (1/K) Σₖ wₖ] estimated from `samples` draws (those of
    /// `logWeights` with the same seed) cut into ⌊samples/K⌋ groups of K:
    /// `{ estimate, stdError, groups }` in nats. 1 ≤ K ≤ samples/2, samples ≤ 10⁶.
    #[wasm_bindgen(
        js_name = iwaeBound,
        unchecked_return_type = "{ estimate: number, stdError: number, groups: number }"
    )]
    pub fn iwae_bound(
        &mut self,
        m: f64,
        s: f64,
        k: f64,
        samples: f64,
        seed: f64,
    ) -> Result<JsValue, ApiError> {
        let k = whole(k, "k", 1.0, 1e6)? as usize;
        let n = whole(samples, "samples", 1.0, 1e6)? as usize;
        let seed = convert::seed(seed, "seed")?;
        let e = self.bounds(m, s, &[k], n, seed)?[0];
        object(&[
            ("estimate", e.estimate.into()),
            ("stdError", e.std_error.into()),
            ("groups", (e.groups as f64).into()),
        ])
    }

    /// `iwaeBound` for every K in `ks` from the same draws (common random numbers):
    /// a Float64Array [estimate₀, stdError₀, estimate₁, stdError₁, …].
    #[wasm_bindgen(js_name = iwaeBounds)]
    pub fn iwae_bounds(
        &mut self,
        m: f64,
        s: f64,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] ks: JsValue,
        samples: f64,
        seed: f64,
    ) -> Result<Vec<f64>, ApiError> {
        let ks = convert::numbers(&ks, "ks")?
            .into_iter()
            .map(|k| whole(k, "k", 1.0, 1e6).map(|k| k as usize))
            .collect::<Result<Vec<_>, _>>()?;
        let n = whole(samples, "samples", 1.0, 1e6)? as usize;
        let seed = convert::seed(seed, "seed")?;
        Ok(self
            .bounds(m, s, &ks, n, seed)?
            .iter()
            .flat_map(|e: &IwaeEstimate| [e.estimate, e.std_error])
            .collect())
    }
}

/// The gradient estimators (3.2's panel): the score-function estimator beside
/// `reparamGradient`, and both estimators' exact variances.
#[wasm_bindgen]
impl PosteriorLab {
    /// [ELBO, ∂/∂m, ∂/∂ln s] estimated by the score function (REINFORCE) from `k` samples
    /// z = m + sε, ε from a generator seeded by `seed` (the same ε as `reparamGradient` with
    /// that seed): the averages of f, f·ε/s and f·(ε² − 1), f = ln p(x, z) − ln q(z). Unbiased,
    /// no baseline.
    #[wasm_bindgen(js_name = scoreGradient)]
    pub fn score_gradient(&self, m: f64, s: f64, k: f64, seed: f64) -> Result<Vec<f64>, ApiError> {
        let k = whole(k, "k", 1.0, 1e6)? as usize;
        let seed = convert::seed(seed, "seed")?;
        Ok(gradient_array(
            self.model.score_gradient(self.x, m, s, k, seed)?,
        ))
    }

    /// `runs` estimates (1 to 10⁴) of one gradient component, estimate i exactly what
    /// `scoreGradient` (`score` true) or `reparamGradient` (false) gives with seed
    /// `seed + i`: component `part` (0 ELBO, 1 ∂/∂m, 2 ∂/∂ln s) of each. One call for a panel's
    /// thousand estimates, so the page does not cross into wasm once per estimate.
    #[wasm_bindgen(js_name = gradientEstimates)]
    #[allow(clippy::too_many_arguments)]
    pub fn gradient_estimates(
        &self,
        score: bool,
        m: f64,
        s: f64,
        k: f64,
        seed: f64,
        runs: f64,
        part: f64,
    ) -> Result<Vec<f64>, ApiError> {
        let k = whole(k, "k", 1.0, 1e6)? as usize;
        let runs = whole(runs, "runs", 1.0, 1e4)?;
        let part = whole(part, "part", 0.0, 2.0)? as usize;
        let first = convert::seed(seed, "seed")?;
        convert::seed(seed + (runs - 1) as f64, "seed")?;
        (0..runs)
            .map(|i| {
                let g = if score {
                    self.model.score_gradient(self.x, m, s, k, first + i)?
                } else {
                    self.model.reparam_gradient(self.x, m, s, k, first + i)?
                };
                Ok(gradient_array(g)[part])
            })
            .collect()
    }

    /// The exact variance of one sample (K = 1; K samples have 1/K of it) of each estimator at
    /// q = N(m, s²), by quadrature: [reparam ∂/∂m, reparam ∂/∂ln s, score ∂/∂m, score ∂/∂ln s].
    #[wasm_bindgen(js_name = gradientVariances)]
    pub fn gradient_variances(&self, m: f64, s: f64) -> Result<Vec<f64>, ApiError> {
        let v = self.model.gradient_variances(self.x, m, s)?;
        Ok(vec![v.reparam[0], v.reparam[1], v.score[0], v.score[1]])
    }
}
