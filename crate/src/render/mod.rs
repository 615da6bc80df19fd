//! Charts drawn with plotters on any [`DrawingBackend`]: the browser passes a canvas backend
//! (see `crate::wasm::charts`). Depends on [`crate::math`], never the reverse.
//!
//! Every chart takes `scale`, the device-pixel ratio, so text and lines keep their CSS size on
//! HiDPI canvases, and returns the pixel rectangle of its plotting area so the page can map a
//! pointer position back to data coordinates.

/// `ctx.configure_mesh()` in the house style (fonts scaled by `scale`, light grid, muted
/// axes); the caller adds the labels, titles and `.draw()`.
macro_rules! mesh {
    ($ctx:expr, $scale:expr) => {
        $ctx.configure_mesh()
            .label_style($crate::render::style::text($scale))
            .axis_desc_style($crate::render::style::axis_title($scale))
            .max_light_lines(0)
            .bold_line_style($crate::render::style::Palette::GRID)
            .axis_style($crate::render::style::Palette::MUTED)
    };
}

mod bars;
mod curve;
mod density;
mod gap;
mod information;
mod landscape;
mod latent;
mod stacked;
mod style;
// Section 2.3's information diagram.
mod diagram;
pub use diagram::{InformationDiagram, information_diagram};

pub use bars::{BarChart, Reference, Series, bar_chart, bar_overlay};
pub use curve::{Curve, CurveChart, Marker, curve_chart, curve_overlay};
pub use density::{DensityChart, density_axes, density_chart, density_overlay, density_y_max};
pub use gap::{GapLabels, GapPartsLabels, gap_bar, gap_parts_bar};
pub use information::{InformationChart, information_chart};
pub use landscape::{colormap, heatmap_rgba, landscape_frame, landscape_overlay};
pub use latent::{CLASS_COLOURS, LatentOverlay, density_rgba, latent_frame, latent_overlay};
pub use stacked::{Segment, StackedBar, stacked_bars};
pub use style::{Palette, set_line_scale};

use plotters::coord::Shift;
use plotters::prelude::*;

/// A drawing surface, as plotters calls it.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// A drawing failure from the backend.
pub type DrawResult<T, DB> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Plotting area in backend pixels: `[left, top, right, bottom]`.
pub type PlotRect = [f64; 4];

/// A chart with f64 axes, as the bar charts build it.
pub(crate) type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A filled box over `x0..x1` × `y0..y1` (data coordinates) with `label` centred inside in
/// the background colour, drawn only where it fits: more than `px_per_char` CSS px of width
/// per character. The stacked bars, the gap bars and the information diagram share it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn labelled_box<DB: DrawingBackend>(
    root: &Area<DB>,
    ctx: &mut Chart<'_, DB>,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    color: RGBColor,
    label: &str,
    px_per_char: f64,
    scale: f64,
) -> DrawResult<(), DB> {
    ctx.draw_series(std::iter::once(Rectangle::new(
        [(x0, y0), (x1, y1)],
        color.filled(),
    )))?;
    let (left, top) = ctx.backend_coord(&(x0, y1));
    let (right, bottom) = ctx.backend_coord(&(x1, y0));
    if (right - left) as f64 > px_per_char * scale * label.chars().count() as f64 {
        let inside = style::anchored(
            style::text(scale).color(&Palette::BACKGROUND),
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        );
        root.draw(&Text::new(
            label.to_string(),
            ((left + right) / 2, (top + bottom) / 2),
            inside,
        ))?;
    }
    Ok(())
}

/// The plotting area of a chart in backend pixels, as every draw function returns it.
pub(crate) fn plot_rect<DB: DrawingBackend, CT: plotters::coord::CoordTranslate>(
    ctx: &ChartContext<'_, DB, CT>,
) -> PlotRect {
    let (xr, yr) = ctx.plotting_area().get_pixel_range();
    [
        xr.start as f64,
        yr.start as f64,
        xr.end as f64,
        yr.end as f64,
    ]
}
