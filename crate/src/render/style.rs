//! Colours and sizes shared by every chart (CSS pixels; multiplied by the device-pixel ratio).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
