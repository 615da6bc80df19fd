//! Colours and sizes shared by every chart (CSS pixels; multiplied by the device-pixel ratio).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::atomic::{AtomicU32, Ordering};

/// The chapter's colours, matched in `www/style.css` (`--c-*` variables).
pub struct Palette;

impl Palette {
    pub const INK: RGBColor = RGBColor(0x1f, 0x29, 0x37);
    pub const MUTED: RGBColor = RGBColor(0x6b, 0x72, 0x80);
    pub const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
    pub const BLUE: RGBColor = RGBColor(0x25, 0x63, 0xeb);
    pub const ORANGE: RGBColor = RGBColor(0xea, 0x58, 0x0c);
    pub const GREEN: RGBColor = RGBColor(0x05, 0x96, 0x69);
    pub const PURPLE: RGBColor = RGBColor(0x7c, 0x3a, 0xed);
    pub const BACKGROUND: RGBColor = RGBColor(0xff, 0xff, 0xff);

    /// A named series colour: "blue", "orange", "green", "purple", otherwise ink.
    pub fn named(name: &str) -> RGBColor {
        match name {
            "blue" => Self::BLUE,
            "orange" => Self::ORANGE,
            "green" => Self::GREEN,
            "purple" => Self::PURPLE,
            "muted" => Self::MUTED,
            _ => Self::INK,
        }
    }
}

/// The font family of every chart.
pub const FONT: &str = "sans-serif";

/// Body text of a chart (tick labels, annotations): 12 CSS px.
pub fn text<'a>(scale: f64) -> TextStyle<'a> {
    (FONT, 12.0 * scale).into_font().color(&Palette::INK)
}

/// Axis titles: 13 CSS px, muted.
pub fn axis_title<'a>(scale: f64) -> TextStyle<'a> {
    (FONT, 13.0 * scale).into_font().color(&Palette::MUTED)
}

/// `style` anchored at the given horizontal and vertical positions.
pub fn anchored(style: TextStyle<'_>, h: HPos, v: VPos) -> TextStyle<'_> {
    style.pos(Pos::new(h, v))
}

/// `px` CSS pixels in backend pixels, at least 1.
pub fn px(css: f64, scale: f64) -> u32 {
    (css * scale).round().max(1.0) as u32
}

/// The line and marker scale, in hundredths (100 = 1×): 1 on the page, larger on a projector.
/// One value for every chart, set by the page before a chart of the projector is drawn.
static EMPHASIS: AtomicU32 = AtomicU32::new(100);

/// Smallest and largest line and marker scale accepted by [`set_line_scale`].
pub const LINE_SCALE_RANGE: (f64, f64) = (1.0, 4.0);

/// Sets the scale of every chart's lines and markers (not its text or margins) for the charts
/// drawn from now on. **Clamped** to [`LINE_SCALE_RANGE`]; a non-finite value leaves it as it is.
/// Returns the scale now in force.
pub fn set_line_scale(k: f64) -> f64 {
    if k.is_finite() {
        let (lo, hi) = LINE_SCALE_RANGE;
        EMPHASIS.store((k.clamp(lo, hi) * 100.0).round() as u32, Ordering::Relaxed);
    }
    line_scale()
}

/// The line and marker scale in force (1 unless [`set_line_scale`] changed it).
pub fn line_scale() -> f64 {
    f64::from(EMPHASIS.load(Ordering::Relaxed)) / 100.0
}

/// A line width of `css` CSS pixels in backend pixels, times the line scale; at least 1.
pub fn line(css: f64, scale: f64) -> u32 {
    px(css * line_scale(), scale)
}

/// A marker size (radius, ring) of `css` CSS pixels in backend pixels, times the line scale.
pub fn marker(css: f64, scale: f64) -> u32 {
    line(css, scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_scale_multiplies_lines_and_markers_and_is_clamped() {
        // One test touches the global, so no other test sees it change.
        assert_eq!(line_scale(), 1.0);
        assert_eq!(line(2.5, 2.0), 5);
        assert_eq!(set_line_scale(2.0), 2.0);
        assert_eq!(line(2.5, 2.0), 10);
        assert_eq!(marker(7.0, 1.0), 14);
        assert_eq!(px(12.0, 1.0), 12, "text and margins keep their size");
        assert_eq!(set_line_scale(f64::NAN), 2.0, "NaN leaves it unchanged");
        assert_eq!(set_line_scale(100.0), 4.0);
        assert_eq!(set_line_scale(0.0), 1.0);
        assert_eq!(line(2.5, 2.0), 5);
    }
}
