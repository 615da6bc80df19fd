//! Section 3.5's lab: a target on R² with its grid, normaliser and moments, and Gaussian q
//! fitted by reverse KL (the ELBO) or forward KL, mean-field or full covariance.

use super::convert::{self, numbers, object, param, text, whole};
use super::error::{ApiError, BoundaryCode};
use crate::math::inference::vi2d::{
    Family, Fit, Gauss2, Grid, MAX_POINTS, Optimiser, Target, coordinate_step, elbo, fit_forward,
    fit_reverse,
};
use crate::math::{Code, InputError};
use js_sys::{Float64Array, Reflect};
use wasm_bindgen::prelude::*;

/// Grid nodes per side when `params.n` is absent.
const DEFAULT_SIDE: f64 = 128.0;

/// `params[key]` as an array of numbers (empty when absent).
fn param_numbers(params: &JsValue, key: &str) -> Result<Vec<f64>, ApiError> {
    let value = Reflect::get(params, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        return Ok(Vec::new());
    }
    numbers(&value, &format!("params.{key}"))
}

fn family(value: &JsValue) -> Result<Family, ApiError> {
    match text(value, "family")?.as_str() {
        "mean-field" => Ok(Family::MeanField),
        "full" => Ok(Family::Full),
        other => Err(ApiError::new(BoundaryCode::Vi2dFamily).with("family", other)),
    }
}

/// q from [m₁, m₂] and [var₁, var₂, cov].
fn gauss(mean: &JsValue, cov: &JsValue) -> Result<Gauss2, ApiError> {
    let m = numbers(mean, "mean")?;
    let c = numbers(cov, "cov")?;
    if m.len() != 2 || c.len() != 3 || !m.iter().chain(&c).all(|v| v.is_finite()) {
        return Err(ApiError::new(BoundaryCode::Vi2dGaussShape));
    }
    if !(c[0] > 0.0 && c[1] > 0.0 && c[0] * c[1] - c[2] * c[2] > 0.0) {
        return Err(ApiError::new(BoundaryCode::Vi2dNotPositive)
            .with("var1", c[0])
            .with("var2", c[1])
            .with("cov", c[2]));
    }
    Ok(Gauss2::from_cov([m[0], m[1]], [c[0], c[2], c[1]])?)
}

/// { mean: [m₁, m₂], cov: [var₁, var₂, cov] }, plus extra fields.
fn q_object(q: &Gauss2, extra: &[(&str, JsValue)]) -> Result<JsValue, ApiError> {
    let c = q.cov();
    let mut fields = vec![
        ("mean", Float64Array::from(&q.m[..]).into()),
        ("cov", Float64Array::from(&[c[0], c[2], c[1]][..]).into()),
    ];
    fields.extend(extra.iter().cloned());
    object(&fields)
}

fn fit_object(f: &Fit) -> Result<JsValue, ApiError> {
    q_object(
        &f.q,
        &[
            ("kl", f.kl.into()),
            ("klForward", f.kl_forward.into()),
            ("elbo", f.elbo.into()),
            ("steps", (f.steps as f64).into()),
        ],
    )
}

/// A target on R², its grid and an optional running optimiser.
#[wasm_bindgen]
pub struct Posterior2d {
    target: Target,
    name: String,
    grid: Grid,
    optimiser: Option<Optimiser>,
}

impl Posterior2d {
    fn report(&self, q: &Gauss2) -> Result<JsValue, ApiError> {
        let value = elbo(&self.target, q);
        q_object(
            q,
            &[
                ("elbo", value.into()),
                ("kl", (self.grid.log_z - value).max(0.0).into()),
                ("klForward", self.grid.kl_from(q.m, q.cov()).into()),
            ],
        )
    }
}

#[wasm_bindgen]
impl Posterior2d {
    /// `target`: "gaussian" (params { mean1, mean2, sd1, sd2, rho }, defaults 0, 0, 1, 1, 0),
    /// "banana" ({ a, b }: 1, 0.3), "donut" ({ r, w }: 2, 0.4), "mixture" ({ d, s }: 3, 0.7),
    /// "logistic" ({ points: [x₁, y₁, x₂, y₂, …], labels: [0 or 1, …] }, no data by default).
    /// `params.n`: grid nodes per side, 16 to 512 (default 128).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] target: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object")] params: JsValue,
    ) -> Result<Posterior2d, ApiError> {
        let name = text(&target, "target")?;
        let params = if params.is_undefined() || params.is_null() {
            js_sys::Object::new().into()
        } else if params.is_object() {
            params
        } else {
            return Err(ApiError::new(BoundaryCode::ParamsNotObject));
        };
        let p = |key, default| param(&params, key, default);
        let target = match name.as_str() {
            "gaussian" => Target::gaussian(
                [p("mean1", 0.0)?, p("mean2", 0.0)?],
                [p("sd1", 1.0)?, p("sd2", 1.0)?],
                p("rho", 0.0)?,
            )?,
            "banana" => Target::banana(p("a", 1.0)?, p("b", 0.3)?)?,
            "donut" => Target::donut(p("r", 2.0)?, p("w", 0.4)?)?,
            "mixture" => Target::mixture(p("d", 3.0)?, p("s", 0.7)?)?,
            "logistic" => Target::logistic(
                &param_numbers(&params, "points")?,
                &param_numbers(&params, "labels")?,
            )?,
            _ => return Err(ApiError::new(BoundaryCode::Vi2dTarget).with("target", name)),
        };
        let n = whole(p("n", DEFAULT_SIDE)?, "params.n", 16.0, 512.0)? as usize;
        let grid = Grid::new(&target, n)?;
        Ok(Posterior2d {
            target,
            name,
            grid,
            optimiser: None,
        })
    }

    /// The target's name.
    #[wasm_bindgen(getter)]
    pub fn target(&self) -> String {
        self.name.clone()
    }

    /// Grid nodes per side.
    #[wasm_bindgen(getter)]
    pub fn side(&self) -> usize {
        self.grid.n
    }

    /// log Z = log ∫ p(z, data) dz in nats (for the logistic target, the log evidence
    /// log p(data)), by the trapezoid rule on the grid.
    #[wasm_bindgen(js_name = logNormaliser)]
    pub fn log_normaliser(&self) -> f64 {
        self.grid.log_z
    }

    /// [mean₁, mean₂, var₁, var₂, cov] of the target p(z | data), from the grid.
    pub fn moments(&self) -> Vec<f64> {
        let g = &self.grid;
        vec![g.mean[0], g.mean[1], g.cov[0], g.cov[2], g.cov[1]]
    }

    /// [z₁ min, z₁ max, z₂ min, z₂ max]: the grid's corners.
    pub fn bounds(&self) -> Vec<f64> {
        self.grid.bounds.to_vec()
    }

    /// log p(z, data) at one point.
    #[wasm_bindgen(js_name = logDensity)]
    pub fn log_density(&self, z1: f64, z2: f64) -> Result<f64, ApiError> {
        for (name, v) in [("z1", z1), ("z2", z2)] {
            if !v.is_finite() {
                return Err(ApiError::new(BoundaryCode::NotNumber)
                    .with("name", name)
                    .with("type", "non-finite number"));
            }
        }
        Ok(self.target.log_density([z1, z2]))
    }

    /// Address of the side × side grid of p(z | data) (row j holds z₂ = bounds[2] + j·step,
    /// column i z₁ = bounds[0] + i·step) in wasm memory: read it without copying as
    /// `new Float64Array(memory.buffer, post.gridPtr(), post.side ** 2)`; the view stays valid
    /// until this object is freed or wasm memory grows (rebuild it after any call).
    #[wasm_bindgen(js_name = gridPtr)]
    pub fn grid_ptr(&self) -> usize {
        self.grid.density.as_ptr() as usize
    }

    /// A copy of that grid.
    pub fn density(&self) -> Vec<f64> {
        self.grid.density.clone()
    }

    /// RGBA pixels of that grid as an image (side × side, top row = largest z₂), white at 0
    /// through blue at the maximum: `densityImage(post.density(), post.side)` without copying
    /// the grid out and back.
    #[wasm_bindgen(js_name = densityImage)]
    pub fn density_image(&self) -> Vec<u8> {
        crate::render::density_rgba(&self.grid.density, self.grid.n)
    }

    /// Adds the point (x1, x2) (each in [−5, 5]) with `label` 0 or 1 to the logistic target
    /// (at most 200 points) and updates the posterior: its grid gains the point's
    /// log-likelihood ln σ(±wᵀx) at every node, keeping its box while the posterior's mass
    /// stays well inside and resolved (else the grid is rebuilt). log Z, moments and the grid
    /// then equal a new `Posterior2d` with the same points to the quadrature's accuracy.
    /// A running optimiser keeps its q. Returns the number of points.
    #[wasm_bindgen(js_name = addPoint)]
    pub fn add_point(&mut self, x1: f64, x2: f64, label: f64) -> Result<usize, ApiError> {
        if label != 0.0 && label != 1.0 {
            return Err(InputError::OutOfRange {
                name: "label",
                value: label,
                rule: Code::BinaryObservation,
            }
            .into());
        }
        let term = self.target.add_point([x1, x2], label == 1.0)?;
        self.grid.add_term(&self.target, term);
        Ok(self.target.point_count())
    }

    /// Removes point `index` (0-based, in the order given and added) from the logistic target
    /// and updates the posterior as `addPoint` does. Returns the number of points left.
    #[wasm_bindgen(js_name = removePoint)]
    pub fn remove_point(&mut self, index: f64) -> Result<usize, ApiError> {
        // The core names the range (0 to the points there are).
        let index = whole(index, "index", 0.0, MAX_POINTS as f64)? as usize;
        let term = self.target.remove_point(index)?;
        self.grid.add_term(&self.target, |w| -term(w));
        Ok(self.target.point_count())
    }

    /// Fits q: `family` "mean-field" or "full", `divergence` "reverse" (maximises the ELBO by
    /// natural-gradient fixed-point steps, from the moment-matched q) or "forward" (minimises
    /// KL(p ‖ q): matches p's mean and covariance, or its marginal variances).
    #[wasm_bindgen(
        unchecked_return_type = "{ mean: Float64Array, cov: Float64Array, kl: number, klForward: number, elbo: number, steps: number }"
    )]
    pub fn fit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "\"mean-field\" | \"full\"")] family: JsValue,
        #[wasm_bindgen(unchecked_param_type = "\"reverse\" | \"forward\"")] divergence: JsValue,
    ) -> Result<JsValue, ApiError> {
        let family = self::family(&family)?;
        let forward = fit_forward(&self.target, &self.grid, family)?;
        match text(&divergence, "divergence")?.as_str() {
            "forward" => fit_object(&forward),
            "reverse" => fit_object(&fit_reverse(&self.target, &self.grid, family, forward.q)),
            other => Err(ApiError::new(BoundaryCode::KlKind).with("kind", other)),
        }
    }

    /// ELBO, KL(q ‖ p) and KL(p ‖ q) of q = N(mean, cov), mean [m₁, m₂], cov [var₁, var₂, cov].
    #[wasm_bindgen(
        unchecked_return_type = "{ mean: Float64Array, cov: Float64Array, elbo: number, kl: number, klForward: number }"
    )]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] mean: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] cov: JsValue,
    ) -> Result<JsValue, ApiError> {
        self.report(&gauss(&mean, &cov)?)
    }

    /// One coordinate-ascent step of a mean-field q (cov = 0 required) on coordinate
    /// `coordinate` (0: z₁, 1: z₂), holding the other: exactly CAVI on the Gaussian target.
    #[wasm_bindgen(
        js_name = caviStep,
        unchecked_return_type = "{ mean: Float64Array, cov: Float64Array, elbo: number, kl: number, klForward: number }"
    )]
    pub fn cavi_step(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] mean: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] cov: JsValue,
        coordinate: f64,
    ) -> Result<JsValue, ApiError> {
        let q = gauss(&mean, &cov)?;
        if q.l[1] != 0.0 {
            return Err(ApiError::new(BoundaryCode::Vi2dNotMeanField));
        }
        let i = whole(coordinate, "coordinate", 0.0, 1.0)? as usize;
        self.report(&coordinate_step(&self.target, &q, i))
    }

    /// Starts (or restarts) Adam on the ELBO from q = N(mean, cov) (for "mean-field" the
    /// covariance's off-diagonal is dropped), `k` reparameterised samples per step (1 to
    /// 10 000), learning rate `lr` in (0, 10], seeded by `seed` (a whole number).
    #[wasm_bindgen(js_name = startOptimiser)]
    pub fn start_optimiser(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "\"mean-field\" | \"full\"")] family: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] mean: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] cov: JsValue,
        lr: f64,
        k: f64,
        seed: f64,
    ) -> Result<(), ApiError> {
        let family = self::family(&family)?;
        let q = gauss(&mean, &cov)?;
        if !(lr > 0.0 && lr <= 10.0) {
            return Err(ApiError::new(BoundaryCode::PosteriorLr).with("value", lr));
        }
        let k = whole(k, "k", 1.0, 1e4)? as usize;
        let seed = convert::seed(seed, "seed")?;
        self.optimiser = Some(Optimiser::new(q, family, k, lr, seed));
        Ok(())
    }

    /// `count` Adam steps (1 to 10 000; default 1); returns q after them with its exact ELBO
    /// and KLs. On an error (q left its range) the optimiser keeps its last valid q.
    #[wasm_bindgen(
        unchecked_return_type = "{ mean: Float64Array, cov: Float64Array, elbo: number, kl: number, klForward: number }"
    )]
    pub fn step(&mut self, count: Option<f64>) -> Result<JsValue, ApiError> {
        let count = whole(count.unwrap_or(1.0), "count", 1.0, 1e4)?;
        let Some(opt) = self.optimiser.as_mut() else {
            return Err(ApiError::new(BoundaryCode::Vi2dNotStarted));
        };
        for _ in 0..count {
            opt.step(&self.target)?;
        }
        let q = opt.q()?;
        self.report(&q)
    }
}
