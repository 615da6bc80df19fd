//! Section 2.3: joint and conditional entropies, mutual information, data processing.

use super::charts::draw;
use super::convert::{base_or_e, numbers, object, text, texts};
use super::error::{ApiError, BoundaryCode, Code};
use crate::math::divergence::joint;
use crate::render::{self, InformationDiagram};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// H(X), H(Y), H(X, Y), H(X | Y), H(Y | X) and I(X; Y) of a joint p(x, y) given row-major
/// (`nx` rows, 2–6 each way), in units of `base` (default e: nats), with the marginals.
#[wasm_bindgen(
    js_name = jointReport,
    unchecked_return_type = "{ hX: number, hY: number, hXY: number, hXGivenY: number, hYGivenX: number, mutualInformation: number, px: Float64Array, py: Float64Array }"
)]
pub fn joint_report(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] joint: JsValue,
    nx: f64,
    base: Option<f64>,
) -> Result<JsValue, ApiError> {
    let p = numbers(&joint, "joint")?;
    let nx = joint::axis_size(nx, "nx")?;
    let r = joint::joint_report(&p, nx, base_or_e(base))?;
    object(&[
        ("hX", r.h_x.into()),
        ("hY", r.h_y.into()),
        ("hXY", r.h_xy.into()),
        ("hXGivenY", r.h_x_given_y.into()),
        ("hYGivenX", r.h_y_given_x.into()),
        ("mutualInformation", r.mutual_information.into()),
        ("px", js_sys::Float64Array::from(r.px.as_slice()).into()),
        ("py", js_sys::Float64Array::from(r.py.as_slice()).into()),
    ])
}

/// `{ iXY, iXZ }` for the chain X → Y → Z: X ~ `px`, `channelA` row-major p(y | x) with `ny`
/// columns, `channelB` row-major p(z | y) with `nz` columns; I(X; Z) ≤ I(X; Y).
#[wasm_bindgen(
    js_name = dataProcessing,
    unchecked_return_type = "{ iXY: number, iXZ: number }"
)]
pub fn data_processing(
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] px: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] channel_a: JsValue,
    ny: f64,
    #[wasm_bindgen(unchecked_param_type = "number[] | Float64Array")] channel_b: JsValue,
    nz: f64,
    base: Option<f64>,
) -> Result<JsValue, ApiError> {
    let px = numbers(&px, "px")?;
    let a = numbers(&channel_a, "channelA")?;
    let b = numbers(&channel_b, "channelB")?;
    let (ny, nz) = (joint::axis_size(ny, "ny")?, joint::axis_size(nz, "nz")?);
    let (i_xy, i_xz) = joint::data_processing(&px, &a, ny, &b, nz, base_or_e(base))?;
    object(&[("iXY", i_xy.into()), ("iXZ", i_xz.into())])
}

/// Draws the information diagram: rows H(X, Y) = H(X | Y) + I + H(Y | X), H(X), H(Y) and
/// KL(p(x, y) ‖ p(x)p(y)) = I, aligned. `titles`: the 4 row titles; `labels`: the 3 part
/// labels; values in one unit, named by `x_desc`.
#[wasm_bindgen(js_name = drawInformationDiagram)]
#[allow(clippy::too_many_arguments)]
pub fn draw_information_diagram(
    canvas: HtmlCanvasElement,
    h_x_given_y: f64,
    mutual_information: f64,
    h_y_given_x: f64,
    #[wasm_bindgen(unchecked_param_type = "string[]")] titles: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] x_desc: JsValue,
    scale: f64,
) -> Result<Vec<f64>, ApiError> {
    let titles = texts(&titles, "titles")?;
    let labels = texts(&labels, "labels")?;
    let x_desc = text(&x_desc, "x_desc")?;
    if titles.len() != 4 {
        return Err(ApiError::new(BoundaryCode::LabelCount).with("count", 4));
    }
    if labels.len() != 3 {
        return Err(ApiError::new(BoundaryCode::LabelCount).with("count", 3));
    }
    let finite = |x: f64, name: &'static str| {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(ApiError::new(Code::NotFiniteNumber)
                .with("name", name)
                .with("value", x))
        }
    };
    let d = InformationDiagram {
        h_x_given_y: finite(h_x_given_y, "h_x_given_y")?,
        mutual_information: finite(mutual_information, "mutual_information")?,
        h_y_given_x: finite(h_y_given_x, "h_y_given_x")?,
        titles: [&titles[0], &titles[1], &titles[2], &titles[3]],
        labels: [&labels[0], &labels[1], &labels[2]],
        x_desc: &x_desc,
    };
    draw(canvas, scale, |root, scale| {
        render::information_diagram(root, &d, scale)
    })
}
