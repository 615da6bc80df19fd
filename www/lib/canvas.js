// HiDPI canvases for charts drawn by the Rust rendering layer.
import { lab } from './lab.js';

/**
 * Charts shown by the projector (lib/projector.js, whose root has class "projector") are drawn
 * for the back of a lecture room: at PROJECTOR_CHART_SCALE × the size of everything (text, margins,
 * lines: the `scale` handed to the Rust renderer, the backing store staying at devicePixelRatio),
 * and with lines and markers PROJECTOR_LINE_SCALE × thicker on top of that (setChartLineScale,
 * render/style.rs). Text 12 → 18 CSS px, lines 2.5 → 5.6 CSS px.
 */
export const PROJECTOR_CHART_SCALE = 1.5;
export const PROJECTOR_LINE_SCALE = 1.5;
let lineScale = 1; // the scale last set in the wasm renderer

/** Sets the renderer's line scale for a chart about to be drawn on `canvas`; whether it is the projector's. */
function projected(canvas) {
  const inProjector = canvas.closest('.projector') !== null;
  const k = inProjector ? PROJECTOR_LINE_SCALE : 1;
  if (k !== lineScale) lineScale = lab.setChartLineScale(k);
  return inProjector;
}

// CSS sizes of the canvases in use, kept by one ResizeObserver so that drawing never has to
// read layout (a read after DOM writes forces a synchronous layout on every edit).
const sizes = new WeakMap();
const watcher = new ResizeObserver((entries) => {
  for (const e of entries) {
    const box = e.contentBoxSize?.[0];
    sizes.set(e.target, box ? { w: box.inlineSize, h: box.blockSize } : { w: e.contentRect.width, h: e.contentRect.height });
  }
});

/** The CSS size of `canvas`: measured once, then kept up to date by the observer. */
function cssSize(canvas) {
  let size = sizes.get(canvas);
  if (!size) {
    size = { w: canvas.clientWidth, h: canvas.clientHeight };
    sizes.set(canvas, size);
    watcher.observe(canvas);
  }
  return size;
}

/**
 * Sizes `canvas`'s backing store to its CSS box × devicePixelRatio and returns the `scale` every
 * Rust draw function takes: that ratio (× PROJECTOR_CHART_SCALE in the projector). Every chart
 * calls it just before its draw call, so it also sets the line and marker scale of that chart.
 */
export function fitCanvas(canvas) {
  const big = projected(canvas);
  const dpr = Math.min(window.devicePixelRatio || 1, 4);
  const { w: cw, h: ch } = cssSize(canvas);
  const w = Math.max(1, Math.round(cw * dpr));
  const hgt = Math.max(1, Math.round(ch * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hgt) canvas.height = hgt;
  return big ? dpr * PROJECTOR_CHART_SCALE : dpr;
}

/** Calls `redraw` whenever `el` changes size (after the first layout). Returns a disposer. */
export function onResize(el, redraw) {
  let first = true;
  const observer = new ResizeObserver(() => {
    if (first) { first = false; return; }
    redraw();
  });
  observer.observe(el);
  return () => observer.disconnect();
}

/**
 * Maps a pointer event to the chart's data coordinates. `rect` is the plotting area returned
 * by a Rust draw call, [left, top, right, bottom] in canvas pixels; `x` and `y` give the
 * data ranges. Returns { fx, fy } as fractions of the plotting area (0..1, y upwards).
 */
export function pointerFraction(canvas, rect, event) {
  const box = canvas.getBoundingClientRect();
  const px = (event.clientX - box.left) * (canvas.width / box.width);
  const py = (event.clientY - box.top) * (canvas.height / box.height);
  const [left, top, right, bottom] = rect;
  return {
    fx: (px - left) / (right - left),
    fy: (bottom - py) / (bottom - top),
  };
}

/** The plotting area in CSS pixels relative to the canvas: { left, top, width, height }. */
export function plotBox(canvas, rect) {
  const k = cssSize(canvas).w / canvas.width;
  const [left, top, right, bottom] = rect;
  return { left: left * k, top: top * k, width: (right - left) * k, height: (bottom - top) * k };
}

/**
 * A chart's fixed layer: `drawFixed(offscreen)` draws it (axes, labels, fixed curves) into an
 * off-screen canvas of `canvas`'s size only when `key` or that size changes; each call copies it
 * onto `canvas`, over which the caller then draws what moves. Returns that function.
 */
export function fixedLayer() {
  const off = document.createElement('canvas');
  let drawn = null;
  return (canvas, key, drawFixed) => {
    const k = `${canvas.width}×${canvas.height} ${key}`;
    if (k !== drawn) {
      off.width = canvas.width;
      off.height = canvas.height;
      drawFixed(off);
      drawn = k;
    }
    canvas.getContext('2d').drawImage(off, 0, 0);
  };
}
