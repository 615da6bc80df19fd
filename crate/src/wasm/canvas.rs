//! The plotters backend on a page's `<canvas>` (the drawing of plotters-canvas 0.3, MIT), with
//! fewer calls into the 2-D context per chart: a style (stroke colour and width, fill colour,
//! font, text alignment) is set only when it differs from the one the context holds, and runs
//! of opaque lines and polylines of one stroke style are stroked as one path. A dashed marker
//! of 40 dashes is then one stroke, not 40 strokes each setting its colour and width, and a
//! chart's labels set their font once. Every change of style, and every other drawing call,
//! first strokes the open path, so the order of what is painted is kept.

use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A failed call on the context, with what the browser threw.
#[derive(Debug)]
pub struct CanvasError(String);

impl std::fmt::Display for CanvasError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "canvas error: {}", self.0)
    }
}

impl std::error::Error for CanvasError {}

fn failed(e: JsValue) -> DrawingErrorKind<CanvasError> {
    DrawingErrorKind::DrawingError(CanvasError(format!("{e:?}")))
}

/// The styles last set on the context by this backend (None: not set by it yet).
#[derive(Default)]
struct Styles {
    stroke: Option<(String, u32)>,
    fill: Option<String>,
    font: Option<String>,
    align: Option<&'static str>,
    baseline: Option<&'static str>,
}

/// A plotters backend drawing on a canvas's 2-D context; see the module docs.
pub struct Canvas2d {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    set: Styles,
    /// Whether a path of the current stroke style is begun and not yet stroked.
    open: bool,
}

/// `rgba(r,g,b,a)`, as the context parses colours.
fn css(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", color.alpha)
}

impl Canvas2d {
    /// The backend on `canvas`, or None if it has no 2-D context.
    pub fn new(canvas: HtmlCanvasElement) -> Option<Self> {
        let ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Self {
            canvas,
            ctx,
            set: Styles::default(),
            open: false,
        })
    }

    /// Whether a shape of `color` shows (not fully transparent); if so, strokes the open path
    /// first, so that the shape is painted over it.
    fn shows(&mut self, color: BackendColor) -> bool {
        if color.alpha == 0.0 {
            return false;
        }
        self.flush();
        true
    }

    /// Strokes the open path, if any.
    fn flush(&mut self) {
        if self.open {
            self.ctx.stroke();
            self.open = false;
        }
    }

    /// Sets the stroke colour and width (after stroking the open path if they change).
    fn stroke_style(&mut self, style: &impl BackendStyle) {
        let want = (css(style.color()), style.stroke_width());
        if self.set.stroke.as_ref() != Some(&want) {
            self.flush();
            self.ctx.set_stroke_style_str(&want.0);
            self.ctx.set_line_width(f64::from(want.1));
            self.set.stroke = Some(want);
        }
    }

    /// Sets the fill colour (the open path is stroked first by every caller).
    fn fill_style(&mut self, color: BackendColor) {
        let want = css(color);
        if self.set.fill.as_ref() != Some(&want) {
            self.ctx.set_fill_style_str(&want);
            self.set.fill = Some(want);
        }
    }

    /// Adds the polyline `points` to the open path of `style`'s stroke (a new subpath), or
    /// strokes it alone if `style` is translucent (one stroke would not blend its overlaps).
    fn polyline(
        &mut self,
        points: impl IntoIterator<Item = (f64, f64)>,
        style: &impl BackendStyle,
    ) {
        self.stroke_style(style);
        if !self.open {
            self.ctx.begin_path();
        }
        let mut points = points.into_iter();
        if let Some((x, y)) = points.next() {
            self.ctx.move_to(x, y);
            for (x, y) in points {
                self.ctx.line_to(x, y);
            }
        }
        self.open = true;
        if style.color().alpha < 1.0 {
            self.flush();
        }
    }
}

impl Drop for Canvas2d {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Horizontal and vertical lines moved by half a pixel onto pixel centres (as plotters-canvas).
fn crisp(from: BackendCoord, to: BackendCoord) -> [(f64, f64); 2] {
    let (mut a, mut b) = (
        (f64::from(from.0), f64::from(from.1)),
        (f64::from(to.0), f64::from(to.1)),
    );
    if from.0 == to.0 {
        a.0 -= 0.5;
        b.0 -= 0.5;
    }
    if from.1 == to.1 {
        a.1 -= 0.5;
        b.1 -= 0.5;
    }
    [a, b]
}

type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

impl DrawingBackend for Canvas2d {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        (self.canvas.width(), self.canvas.height())
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        self.flush();
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        if !self.shows(color) {
            return Ok(());
        }
        self.fill_style(color);
        self.ctx
            .fill_rect(f64::from(point.0), f64::from(point.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.polyline(crisp(from, to), style);
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if !self.shows(style.color()) {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        if fill {
            self.fill_style(style.color());
            self.ctx.fill_rect(x, y, w, h);
        } else {
            self.stroke_style(style);
            self.ctx.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.polyline(
            path.into_iter().map(|(x, y)| (f64::from(x), f64::from(y))),
            style,
        );
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        if !self.shows(style.color()) {
            return Ok(());
        }
        self.fill_style(style.color());
        self.ctx.begin_path();
        let mut path = path.into_iter();
        if let Some((x, y)) = path.next() {
            self.ctx.move_to(f64::from(x), f64::from(y));
            for (x, y) in path {
                self.ctx.line_to(f64::from(x), f64::from(y));
            }
            self.ctx.close_path();
        }
        self.ctx.fill();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        if !self.shows(style.color()) {
            return Ok(());
        }
        if fill {
            self.fill_style(style.color());
        } else {
            self.stroke_style(style);
        }
        self.ctx.begin_path();
        self.ctx
            .arc(
                f64::from(center.0),
                f64::from(center.1),
                f64::from(radius),
                0.0,
                std::f64::consts::TAU,
            )
            .map_err(failed)?;
        if fill {
            self.ctx.fill();
        } else {
            self.ctx.stroke();
        }
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        let color = style.color();
        if !self.shows(color) {
            return Ok(());
        }
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        if self.set.baseline != Some(baseline) {
            self.ctx.set_text_baseline(baseline);
            self.set.baseline = Some(baseline);
        }
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        if self.set.align != Some(align) {
            self.ctx.set_text_align(align);
            self.set.align = Some(align);
        }
        self.fill_style(color);
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        if self.set.font.as_ref() != Some(&font) {
            self.ctx.set_font(&font);
            self.set.font = Some(font);
        }
        let turn = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 0.25,
            FontTransform::Rotate180 => 0.5,
            FontTransform::Rotate270 => 0.75,
        } * std::f64::consts::TAU;
        let (x, y) = (f64::from(pos.0), f64::from(pos.1));
        if turn == 0.0 {
            return self.ctx.fill_text(text, x, y).map_err(failed);
        }
        // Styles are set before save(), so restore() leaves them as recorded in `set`.
        self.ctx.save();
        let drawn = self
            .ctx
            .translate(x, y)
            .and_then(|()| self.ctx.rotate(turn))
            .and_then(|()| self.ctx.fill_text(text, 0.0, 0.0));
        self.ctx.restore();
        drawn.map_err(failed)
    }
}
