//! Chapter 2's continuous lab: fitting one Gaussian q = N(μ, σ²) to a mixture p by forward
//! KL(p ‖ q) (mass-covering) or reverse KL(q ‖ p) (mode-seeking), with cached landscapes.

mod density;

use super::charts::draw;
use super::convert::numbers;
use super::convert::text;
use super::error::{ApiError, BoundaryCode};
use crate::math::divergence::descent::{self, Descent, Direction};
use crate::math::divergence::fit::{self, KlGradient};
use crate::math::divergence::gaussian::Normal;
use crate::math::divergence::landscape::{Grid, forward_landscape, reverse_landscape};
use crate::math::divergence::mixture::GaussianMixture;
use crate::render;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// The landscapes' grid: μ ∈ [−6, 6] across, ln σ ∈ [ln 0.15, ln 5] up.
const GRID: Grid = Grid {
    mu: (-6.0, 6.0),
    log_sigma: (-1.897_119_984_885_881, 1.609_437_912_434_100_3),
    n_mu: 48,
    n_ls: 32,
};
/// The range of a mode's centre, and of q's mean (the widget's modes stay in [−5, 5]; the
/// fits are tested at these corners in crate/tests/mixture_ranges.rs).
pub const MEANS: (f64, f64) = (-10.0, 10.0);
/// The range of a mode's standard deviation, and of q's (the widget's: [0.2, 3] and [0.15, 5]).
pub const SIGMAS: (f64, f64) = (0.05, 10.0);
/// The x range of the density chart.
const X_RANGE: (f64, f64) = (-7.0, 7.0);

/// Which divergence a landscape or a fit refers to.
fn direction(kind: &str) -> Result<Direction, ApiError> {
    match kind {
        "forward" => Ok(Direction::Forward),
        "reverse" => Ok(Direction::Reverse),
        _ => Err(ApiError::new(BoundaryCode::KlKind).with("kind", kind)),
    }
}

fn is_forward(kind: &str) -> Result<bool, ApiError> {
    Ok(direction(kind)? == Direction::Forward)
}

fn descent_array(d: Descent) -> Vec<f64> {
    vec![d.mu, d.log_sigma, d.value, d.rate]
}

fn gradient_array(g: KlGradient) -> Vec<f64> {
    vec![g.value, g.d_mu, g.d_log_sigma]
}

/// A mixture p (1 to 5 components) and everything the widget asks about it. Landscapes are
/// computed on first use and kept until the mixture changes.
#[wasm_bindgen]
pub struct MixtureFit {
    p: GaussianMixture,
    forward: Option<Vec<f64>>,
    reverse: Option<Vec<f64>>,
}

#[wasm_bindgen]
impl MixtureFit {
    /// p = Σₖ wₖ N(μₖ, σₖ²): `weights` sum to 1, `sigmas` are standard deviations > 0.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] weights: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] means: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] sigmas: JsValue,
    ) -> Result<MixtureFit, ApiError> {
        let p = mixture(&weights, &means, &sigmas)?;
        Ok(MixtureFit {
            p,
            forward: None,
            reverse: None,
        })
    }

    /// Replaces the mixture (same rules as the constructor); on error the old one stays.
    #[wasm_bindgen(js_name = setMixture)]
    pub fn set_mixture(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] weights: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] means: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] sigmas: JsValue,
    ) -> Result<(), ApiError> {
        let p = mixture(&weights, &means, &sigmas)?;
        if p != self.p {
            *self = MixtureFit {
                p,
                forward: None,
                reverse: None,
            };
        }
        Ok(())
    }

    /// E_p[x].
    pub fn mean(&self) -> f64 {
        self.p.mean()
    }

    /// Var_p[x].
    pub fn variance(&self) -> f64 {
        self.p.variance()
    }

    /// KL(p ‖ N(μ, σ²)) in nats, by quadrature (accurate to ~1e-10).
    #[wasm_bindgen(js_name = forwardKl)]
    pub fn forward_kl(&self, mu: f64, sigma: f64) -> Result<f64, ApiError> {
        Ok(self.p.forward_kl(&q_normal(mu, sigma)?)?)
    }

    /// KL(N(μ, σ²) ‖ p) in nats, by quadrature (accurate to ~1e-10).
    #[wasm_bindgen(js_name = reverseKl)]
    pub fn reverse_kl(&self, mu: f64, sigma: f64) -> Result<f64, ApiError> {
        Ok(self.p.reverse_kl(&q_normal(mu, sigma)?)?)
    }

    /// [KL(p ‖ q), ∂/∂μ, ∂/∂ln σ] at q = N(μ, e^{2 logSigma}).
    #[wasm_bindgen(js_name = forwardGradient)]
    pub fn forward_gradient(&self, mu: f64, log_sigma: f64) -> Result<Vec<f64>, ApiError> {
        q_log(mu, log_sigma, ["mu", "logSigma"])?;
        Ok(gradient_array(fit::forward_kl_gradient(
            &self.p, mu, log_sigma,
        )?))
    }

    /// [KL(q ‖ p), ∂/∂μ, ∂/∂ln σ] at q = N(μ, e^{2 logSigma}).
    #[wasm_bindgen(js_name = reverseGradient)]
    pub fn reverse_gradient(&self, mu: f64, log_sigma: f64) -> Result<Vec<f64>, ApiError> {
        q_log(mu, log_sigma, ["mu", "logSigma"])?;
        Ok(gradient_array(fit::reverse_kl_gradient(
            &self.p, mu, log_sigma,
        )?))
    }

    /// The forward-KL optimum [μ, σ, KL]: moment matching.
    #[wasm_bindgen(js_name = fitForward)]
    pub fn fit_forward(&self) -> Result<Vec<f64>, ApiError> {
        let f = fit::fit_forward(&self.p)?;
        Ok(vec![f.mu, f.sigma, f.kl])
    }

    /// Every distinct local optimum of the reverse KL, best first, flattened [μ, σ, KL, …].
    #[wasm_bindgen(js_name = fitReverse)]
    pub fn fit_reverse(&self) -> Result<Vec<f64>, ApiError> {
        Ok(fit::fit_reverse(&self.p)?
            .iter()
            .flat_map(|f| [f.mu, f.sigma, f.kl])
            .collect())
    }

    /// Starts an animated fit at q = N(μ, e^{2 logSigma}): returns the state
    /// [μ, ln σ, KL, step size] to pass to `descentStep`.
    #[wasm_bindgen(js_name = descentStart)]
    pub fn descent_start(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
        mu: f64,
        log_sigma: f64,
    ) -> Result<Vec<f64>, ApiError> {
        let kind = &text(&kind, "kind")?;
        q_log(mu, log_sigma, ["mu", "logSigma"])?;
        Ok(descent_array(descent::start(
            &self.p,
            direction(kind)?,
            mu,
            log_sigma,
        )?))
    }

    /// One natural-gradient step with backtracking from `state` (as returned by
    /// `descentStart` or an earlier step); the KL never increases. A state that comes back
    /// unchanged has converged.
    #[wasm_bindgen(js_name = descentStep)]
    pub fn descent_step(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] state: JsValue,
    ) -> Result<Vec<f64>, ApiError> {
        let kind = &text(&kind, "kind")?;
        let state = numbers(&state, "state")?;
        let [mu, log_sigma, value, rate] = state.as_slice() else {
            return Err(ApiError::new(BoundaryCode::DescentState));
        };
        // The KL and the step size as a descent leaves them: finite, and a rate in (0, 0.6].
        if !(value.is_finite() && *rate > 0.0 && *rate <= descent::RATE_MAX) {
            return Err(ApiError::new(BoundaryCode::DescentState));
        }
        q_log(*mu, *log_sigma, ["state[0]", "state[1]"])?;
        let at = Descent {
            mu: *mu,
            log_sigma: *log_sigma,
            value: *value,
            rate: *rate,
        };
        Ok(descent_array(descent::step(
            &self.p,
            direction(kind)?,
            at,
            GRID.log_sigma,
        )?))
    }

    /// The grid of a landscape: [μ min, μ max, ln σ min, ln σ max, columns, rows].
    #[wasm_bindgen(js_name = landscapeGrid)]
    pub fn landscape_grid() -> Vec<f64> {
        vec![
            GRID.mu.0,
            GRID.mu.1,
            GRID.log_sigma.0,
            GRID.log_sigma.1,
            GRID.n_mu as f64,
            GRID.n_ls as f64,
        ]
    }

    /// KL values on the grid (row-major, row 0 at the smallest ln σ), in nats; cached.
    pub fn landscape(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
    ) -> Result<Vec<f64>, ApiError> {
        let kind = &text(&kind, "kind")?;
        Ok(self.cached(is_forward(kind)?)?.to_vec())
    }

    /// The landscape as RGBA pixels, one per grid cell (row 0 at the top), ready for ImageData.
    #[wasm_bindgen(js_name = landscapeImage)]
    pub fn landscape_image(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] kind: JsValue,
    ) -> Result<Vec<u8>, ApiError> {
        let kind = &text(&kind, "kind")?;
        let values = self.cached(is_forward(kind)?)?;
        Ok(render::heatmap_rgba(values, GRID.n_mu, GRID.n_ls))
    }

    fn cached(&mut self, forward: bool) -> Result<&[f64], ApiError> {
        let slot = if forward {
            &mut self.forward
        } else {
            &mut self.reverse
        };
        if slot.is_none() {
            *slot = Some(if forward {
                forward_landscape(&self.p, &GRID)?
            } else {
                reverse_landscape(&self.p, &GRID)
            });
        }
        Ok(slot.as_deref().unwrap_or_default())
    }
}

/// Validates and builds a mixture from three JS arrays.
fn mixture(
    weights: &JsValue,
    means: &JsValue,
    sigmas: &JsValue,
) -> Result<GaussianMixture, ApiError> {
    let (weights, means, sigmas) = (
        numbers(weights, "weights")?,
        numbers(means, "means")?,
        numbers(sigmas, "sigmas")?,
    );
    // The mixture's own checks first (lengths, weights summing to 1), then the ranges.
    let p = GaussianMixture::new(&weights, &means, &sigmas)?;
    for (i, &m) in means.iter().enumerate() {
        within(m, MEANS, &format!("means[{i}]"), BoundaryCode::MixtureMean)?;
    }
    for (i, &s) in sigmas.iter().enumerate() {
        within(
            s,
            SIGMAS,
            &format!("sigmas[{i}]"),
            BoundaryCode::MixtureSigma,
        )?;
    }
    Ok(p)
}

/// `value` in the closed interval `range`, else the error `code` naming `name`.
fn within(
    value: f64,
    (lo, hi): (f64, f64),
    name: &str,
    code: BoundaryCode,
) -> Result<f64, ApiError> {
    if (lo..=hi).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::new(code).with("name", name).with("value", value))
    }
}

/// q = N(μ, σ²) with μ and σ in the ranges p's modes may take.
fn q_normal(mu: f64, sigma: f64) -> Result<Normal, ApiError> {
    within(mu, MEANS, "mu", BoundaryCode::FitMean)?;
    within(sigma, SIGMAS, "sigma", BoundaryCode::FitSigma)?;
    Ok(Normal::new(mu, sigma)?)
}

/// μ and ln σ of q, in the ranges p's modes may take.
fn q_log(mu: f64, log_sigma: f64, names: [&str; 2]) -> Result<(), ApiError> {
    within(mu, MEANS, names[0], BoundaryCode::FitMean)?;
    within(
        log_sigma,
        (SIGMAS.0.ln(), SIGMAS.1.ln()),
        names[1],
        BoundaryCode::FitLogSigma,
    )?;
    Ok(())
}

/// Draws a landscape's frame (background, axes) and returns the plotting area, into which
/// the page blits `landscapeImage`.
#[wasm_bindgen(js_name = drawLandscapeFrame)]
pub fn draw_landscape_frame(
    canvas: HtmlCanvasElement,
    #[wasm_bindgen(unchecked_param_type = "string")] x_desc: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] y_desc: JsValue,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    let x_desc = &text(&x_desc, "x_desc")?;
    let y_desc = &text(&y_desc, "y_desc")?;
    draw(canvas, scale, |root, scale| {
        render::landscape_frame(root, &GRID, x_desc, y_desc, scale)
    })
}

/// Draws, on a transparent canvas laid over the frame, q's path and the optima (flattened
/// [μ, ln σ, …] pairs) and the current q at (μ, ln σ).
#[wasm_bindgen(js_name = drawLandscapeOverlay)]
pub fn draw_landscape_overlay(
    canvas: HtmlCanvasElement,
    path: &[f64],
    optima: &[f64],
    mu: f64,
    log_sigma: f64,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    // A transparent canvas: clear what the last frame drew (a transparent fill draws nothing).
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or_else(|| ApiError::new(BoundaryCode::NoContext))?;
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    draw(canvas, scale, |root, scale| {
        render::landscape_overlay(root, &GRID, path, optima, (mu, log_sigma), scale)
    })
}
