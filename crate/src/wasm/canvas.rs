//! The drawing backend of every chart on a page's `<canvas>`: plotters-canvas's, except that
//! lines and polylines are stroked in batches. plotters-canvas strokes every line and
//! polyline on its own (style, beginPath, the points, stroke), so a grid or a dashed line
//! costs a stroke per segment; here consecutive strokes of one opaque colour and width are
//! traced as one path, stroked once when something else is drawn (or the chart is presented),
//! and text sets only the canvas properties that change. The pixels are the same: separate
//! strokes and one stroke of their subpaths paint alike where nothing overlaps, and translucent
//! strokes, where overlaps would blend differently, are never batched. (A `Path2D` built from
//! path text was tried: the text costs more than the calls it saves.)

use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A canvas with batched strokes (see the module documentation).
pub struct Canvas {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    /// The points of the strokes not yet drawn (true: a polyline starts there), and their
    /// colour and width.
    path: Vec<(f64, f64, bool)>,
    style: Option<Stroke>,
    /// The text baseline, alignment, fill colour and font last set by `draw_text` (None: not
    /// known, as after another drawing call that sets the fill colour).
    text: [Option<String>; 4],
}

/// The indices of `Canvas::text`: the text properties `draw_text` keeps.
const BASELINE: usize = 0;
const ALIGN: usize = 1;
const FILL: usize = 2;
const FONT: usize = 3;

/// plotters-canvas's error type (which it does not export by name).
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
type Result<T = ()> = std::result::Result<T, DrawingErrorKind<CanvasError>>;

/// A stroke style: colour (RGB, alpha) and width.
type Stroke = ((u8, u8, u8), f64, u32);

impl Canvas {
    /// The canvas's 2-D context as a backend, or None if it has none.
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas {
            inner: CanvasBackend::with_canvas_object(canvas)?,
            context,
            path: Vec::new(),
            style: None,
            text: Default::default(),
        })
    }

    /// Strokes the pending path, if any, as one path.
    fn flush(&mut self) -> Result {
        let Some((rgb, alpha, width)) = self.style.take() else {
            return Ok(());
        };
        self.context
            .set_stroke_style_str(&css(BackendColor { rgb, alpha }));
        self.context.set_line_width(f64::from(width));
        self.context.begin_path();
        for &(x, y, start) in &self.path {
            if start {
                self.context.move_to(x, y);
            } else {
                self.context.line_to(x, y);
            }
        }
        self.context.stroke();
        self.path.clear();
        Ok(())
    }

    /// Adds the polyline `points` to the pending path in `style`, first stroking what is
    /// pending in another style; a translucent polyline is stroked on its own at once.
    fn stroke<S: BackendStyle>(
        &mut self,
        points: impl IntoIterator<Item = (f64, f64)>,
        style: &S,
    ) -> Result {
        let c = style.color();
        let key = (c.rgb, c.alpha, style.stroke_width());
        if self.style.is_some_and(|s| s != key) {
            self.flush()?;
        }
        let mut points = points.into_iter();
        let Some((x, y)) = points.next() else {
            return Ok(());
        };
        self.style = Some(key);
        self.path.push((x, y, true));
        for p in points {
            extend(&mut self.path, p);
        }
        if key.1 < 1.0 {
            self.flush()?;
        }
        Ok(())
    }
}

impl Canvas {
    /// Sets text property `i` (baseline, alignment, fill, font) to `value` unless it holds it.
    fn text_prop(&mut self, i: usize, value: String) {
        if self.text[i].as_deref() == Some(value.as_str()) {
            return;
        }
        match i {
            BASELINE => self.context.set_text_baseline(&value),
            ALIGN => self.context.set_text_align(&value),
            FILL => self.context.set_fill_style_str(&value),
            _ => self.context.set_font(&value),
        }
        self.text[i] = Some(value);
    }

    /// plotters-canvas, for a call it draws itself: the pending strokes go first (paint order
    /// is kept) and the fill colour is no longer known (the call may set it).
    fn hand_over(&mut self) -> Result<&mut CanvasBackend> {
        self.flush()?;
        self.text[FILL] = None;
        Ok(&mut self.inner)
    }
}

/// Continues the polyline at the end of `path` to `p`. A point that only carries the last
/// segment on in the same direction (exactly collinear, as a curve's flat tail lying on one
/// pixel row is) moves that segment's end instead of adding a vertex: the same line, fewer
/// canvas calls.
fn extend(path: &mut Vec<(f64, f64, bool)>, (x, y): (f64, f64)) {
    if let [.., (ax, ay, _), (bx, by, false)] = path.as_slice() {
        let (ux, uy, vx, vy) = (bx - ax, by - ay, x - bx, y - by);
        if ux * vy == uy * vx && ux * vx + uy * vy > 0.0 {
            let n = path.len();
            path[n - 1] = (x, y, false);
            return;
        }
    }
    path.push((x, y, false));
}

/// A CSS colour, as plotters-canvas writes it.
fn css(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    format!("rgba({r},{g},{b},{})", c.alpha)
}

fn failed(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::FontError(Box::new(std::io::Error::other(format!("{e:?}"))))
}

/// A horizontal or vertical line moved half a pixel, so that it covers whole pixels (as
/// plotters-canvas does).
fn crisp(from: BackendCoord, to: BackendCoord) -> [(f64, f64); 2] {
    let (mut a, mut b) = (
        (f64::from(from.0), f64::from(from.1)),
        (f64::from(to.0), f64::from(to.1)),
    );
    if a.0 == b.0 {
        a.0 -= 0.5;
        b.0 -= 0.5;
    }
    if a.1 == b.1 {
        a.1 -= 0.5;
        b.1 -= 0.5;
    }
    [a, b]
}

impl Drop for Canvas {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

impl DrawingBackend for Canvas {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result {
        self.flush()?;
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        self.hand_over()?.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.stroke(crisp(from, to), style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        self.hand_over()?
            .draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.stroke(
            path.into_iter().map(|(x, y)| (f64::from(x), f64::from(y))),
            style,
        )
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result {
        self.hand_over()?.fill_polygon(vert, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        self.hand_over()?.draw_circle(center, radius, style, fill)
    }

    /// As plotters-canvas draws text, setting only the properties that change.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result {
        self.flush()?;
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let quarter_turns = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 1.0,
            FontTransform::Rotate180 => 2.0,
            FontTransform::Rotate270 => 3.0,
        };
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        if quarter_turns != 0.0 {
            self.context.save();
            self.context.translate(x, y).map_err(failed)?;
            self.context
                .rotate(quarter_turns * std::f64::consts::FRAC_PI_2)
                .map_err(failed)?;
            (x, y) = (0.0, 0.0);
        }
        let anchor = style.anchor();
        let baseline = match anchor.v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        let align = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        self.text_prop(BASELINE, baseline.to_string());
        self.text_prop(ALIGN, align.to_string());
        self.text_prop(FILL, css(color));
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        self.text_prop(FONT, font);
        self.context.fill_text(text, x, y).map_err(failed)?;
        if quarter_turns != 0.0 {
            // restore() brings back the properties from before save().
            self.context.restore();
            self.text = Default::default();
        }
        Ok(())
    }

    fn estimate_text_size<TStyle: BackendTextStyle>(
        &self,
        text: &str,
        style: &TStyle,
    ) -> Result<(u32, u32)> {
        self.inner.estimate_text_size(text, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, (w, h): (u32, u32), src: &[u8]) -> Result {
        self.hand_over()?.blit_bitmap(pos, (w, h), src)
    }
}

#[cfg(test)]
mod tests {
    use super::extend;

    fn polyline(points: &[(f64, f64)]) -> Vec<(f64, f64, bool)> {
        let mut path = vec![(points[0].0, points[0].1, true)];
        for &p in &points[1..] {
            extend(&mut path, p);
        }
        path
    }

    #[test]
    fn a_straight_run_is_one_segment_and_every_turn_stays() {
        // A flat tail, a rise, a flat top: three segments.
        let path = polyline(&[
            (0.0, 9.0),
            (1.0, 9.0),
            (2.0, 9.0),
            (3.0, 9.0),
            (4.0, 5.0),
            (5.0, 1.0),
            (6.0, 1.0),
            (7.0, 1.0),
        ]);
        assert_eq!(
            path,
            vec![
                (0.0, 9.0, true),
                (3.0, 9.0, false),
                (5.0, 1.0, false),
                (7.0, 1.0, false)
            ]
        );
        // Back along the same line (a spike): the turn stays.
        let spike = polyline(&[(0.0, 0.0), (0.0, 5.0), (0.0, 2.0)]);
        assert_eq!(spike.len(), 3);
        // A new polyline never continues the last one.
        let mut two = polyline(&[(0.0, 0.0), (1.0, 0.0)]);
        two.push((2.0, 0.0, true));
        extend(&mut two, (3.0, 0.0));
        assert_eq!(
            two,
            vec![
                (0.0, 0.0, true),
                (1.0, 0.0, false),
                (2.0, 0.0, true),
                (3.0, 0.0, false)
            ]
        );
        // A repeated point is kept (no direction to continue).
        assert_eq!(
            polyline(&[(0.0, 0.0), (1.0, 1.0), (1.0, 1.0), (2.0, 2.0)]).len(),
            4
        );
    }
}
