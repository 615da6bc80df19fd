//! The density chart of the mixture fit (1.5): p shaded with numbered handles and q = N(μ, σ²),
//! drawn whole, or as a kept image (axes and p) with q and the handles drawn over it each frame.

use super::{MixtureFit, X_RANGE, q_normal};
use crate::render::{self, DensityChart};
use crate::wasm::charts::{area, drawing_failed, scale_or_one};
use crate::wasm::convert::texts;
use crate::wasm::error::{ApiError, BoundaryCode};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen]
impl MixtureFit {
    /// The top of the density chart's y axis for q = N(μ, σ²): `current` (a top from this
    /// call, for the same p) while it still holds q's peak, else the tallest density with
    /// headroom, grown by at least a quarter when q outgrew `current`. Without `current`, the
    /// top a fresh chart has.
    #[wasm_bindgen(js_name = densityYMax)]
    pub fn density_y_max(
        &self,
        mu: f64,
        sigma: f64,
        current: Option<f64>,
    ) -> Result<f64, ApiError> {
        let q = q_normal(mu, sigma)?;
        let current = current.map(y_max).transpose()?;
        Ok(render::density_y_max(&self.p, &q, X_RANGE, current))
    }

    /// Draws p (shaded, numbered handles on the component centres) and q = N(μ, σ²).
    /// `labels`: x title, y title. `selected` < 0: no component ringed. `y_max`: the top of
    /// the y axis (default: densityYMax's without `current`). With `overlay` true, only q's
    /// curve and the handles, over what the canvas holds (drawDensityAxes' image for the same
    /// p, labels, y max and size). Returns [left, top, right, bottom, x min, x max, y max].
    #[wasm_bindgen(js_name = drawDensities)]
    #[allow(clippy::too_many_arguments)]
    pub fn draw_densities(
        &self,
        canvas: HtmlCanvasElement,
        mu: f64,
        sigma: f64,
        selected: i32,
        #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
        scale: f64,
        y_max: Option<f64>,
        overlay: Option<bool>,
    ) -> Result<Vec<f64>, ApiError> {
        let part = if overlay.unwrap_or(false) {
            Part::Overlay
        } else {
            Part::Whole
        };
        self.draw(canvas, (mu, sigma), selected, &labels, scale, y_max, part)
    }

    /// Draws what stays while q moves: the background, the axes and p's shaded curve (no
    /// handles, no q), for drawDensities' overlay. Arguments and result as drawDensities'.
    #[wasm_bindgen(js_name = drawDensityAxes)]
    pub fn draw_density_axes(
        &self,
        canvas: HtmlCanvasElement,
        #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
        scale: f64,
        y_max: f64,
    ) -> Result<Vec<f64>, ApiError> {
        self.draw(
            canvas,
            (0.0, 1.0),
            -1,
            &labels,
            scale,
            Some(y_max),
            Part::Axes,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn draw(
        &self,
        canvas: HtmlCanvasElement,
        (mu, sigma): (f64, f64),
        selected: i32,
        labels: &JsValue,
        scale: f64,
        y_max_in: Option<f64>,
        part: Part,
    ) -> Result<Vec<f64>, ApiError> {
        let labels = texts(labels, "labels")?;
        let q = q_normal(mu, sigma)?;
        let [x_desc, y_desc] = labels.as_slice() else {
            return Err(ApiError::new(BoundaryCode::LabelCount).with("count", 2));
        };
        let top = match y_max_in {
            Some(v) => y_max(v)?,
            None => render::density_y_max(&self.p, &q, X_RANGE, None),
        };
        let chart = DensityChart {
            p: &self.p,
            q: &q,
            x_range: X_RANGE,
            y_max: top,
            selected: usize::try_from(selected).ok(),
            x_desc,
            y_desc,
        };
        let root = area(canvas)?;
        let scale = scale_or_one(scale);
        let rect = match part {
            Part::Whole => render::density_chart(&root, &chart, scale),
            Part::Axes => render::density_axes(&root, &chart, scale),
            Part::Overlay => render::density_overlay(&root, &chart, scale),
        }
        .map_err(drawing_failed)?;
        root.present().map_err(drawing_failed)?;
        Ok([rect.as_slice(), &[X_RANGE.0, X_RANGE.1, top]].concat())
    }
}

/// Which part of the density chart to draw.
enum Part {
    Whole,
    Axes,
    Overlay,
}

/// A y-axis top: positive and finite.
fn y_max(v: f64) -> Result<f64, ApiError> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(ApiError::new(BoundaryCode::DensityYMax).with("value", v))
    }
}
