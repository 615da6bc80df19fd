// The posterior widget's three charts: p(z | x) with q = N(m, s²) over it, the gap bar
// log p(x) = ELBO + KL, and the ELBO trace. What does not move between frames (axes, p(z | x),
// its mean, log p(x)) is kept as an image (canvas.js fixedLayer); a frame that moved nothing
// visibly leaves a chart as it is.
import { lab } from '../lib/lab.js';
import { fmt, setAttr } from '../lib/dom.js';
import { fitCanvas, fixedLayer } from '../lib/canvas.js';

export const Z_MIN = -4; // latent axis range (z units)
export const Z_MAX = 4;
export const GRID_N = 301; // grid points for p(z | x)

/**
 * A chart's top that stays put while `want` is within (0.6, 1] of it, so the chart's axes can
 * be kept as an image: else `want` with 25% headroom (at most `cap`, never below `want`).
 */
function stableTop(top, want, cap) {
  if (want <= top && want > 0.6 * top) return top;
  return Math.max(want, Math.min(1.25 * want, cap));
}

/** The smallest of 20, 25, 30, 40, 50, 60, 80, 100, 120, 150, 200, … that is ≥ n. */
function niceAbove(n) {
  for (let scale = 1; ; scale *= 10) {
    for (const m of [20, 25, 30, 40, 50, 60, 80, 100, 120, 150]) if (m * scale >= n) return m * scale;
  }
}

/**
 * The charts on the canvases `dens`, `gap` and `trace`, with strings from `t`. Returns
 * { draw(v, cur, run, elbo, kl, drawing), densRect(), densYMax() }: draw() updates every chart's
 * aria-label and, when `drawing` (the widget on screen), its pixels; densRect() is the density
 * chart's plotting area [left, top, right, bottom] in canvas pixels (null before the first
 * draw) and densYMax() its y range's top, for the pointer.
 */
export function posteriorCharts(t, { dens, gap, trace }) {
  const zs = Array.from({ length: GRID_N }, (_, i) => Z_MIN + ((Z_MAX - Z_MIN) * i) / (GRID_N - 1));
  const densFixed = fixedLayer();
  const traceFixed = fixedLayer();
  const gapFixed = fixedLayer();
  const shown = { dens: '', m: NaN, s: NaN, gap: '', e: NaN, trace: '' }; // what each chart shows
  const traceRange = { n: 20, yMin: NaN, yMax: NaN, key: '' };
  const traceDrawn = { ys: null, n: 0, steps: 0, key: '' }; // the trace as on the canvas
  let rect = null;
  let densYMax = 1;

  function drawDensities(v, cur, drawing) {
    const q = zs.map((z) => Math.exp(-0.5 * ((z - v.m) / v.s) ** 2) / (v.s * Math.sqrt(2 * Math.PI)));
    const pMax = Math.max(...cur.grid);
    const qMax = Math.max(...q);
    const yMax = stableTop(densYMax, 1.1 * Math.max(pMax, Math.min(qMax, 3 * pMax)), 3.3 * pMax);
    densYMax = yMax;
    if (drawing) {
      // p(z | x), its mean and the axes change with the model (or the y range): drawn once and
      // kept; each frame copies them in and draws q over them.
      const scale = fitCanvas(dens);
      // A frame that moves q by less than a quarter of a device pixel anywhere (Adam's late
      // steps) leaves the chart as it is: m shifts the curve by |Δm| px per unit, s changes its
      // width by as much and its peak, 1/(s√2π), by as much as the peak's height × |Δs|/s.
      const drawn = `${cur.key} ${yMax} ${scale} ${dens.width}×${dens.height}`;
      const pxX = dens.width / (Z_MAX - Z_MIN); // ≥ the plotting area's pixels per unit
      const peakPx = (dens.height / yMax) / (v.s * Math.sqrt(2 * Math.PI));
      const still = drawn === shown.dens && rect && Math.abs(v.m - shown.m) * pxX < 0.25
        && Math.abs(v.s - shown.s) * Math.max(pxX, peakPx / v.s) < 0.25;
      if (!still) {
        const ranges = [Z_MIN, Z_MAX, 0, yMax];
        const labels = [t('post.axisZ'), t('post.axisDensity'), ''];
        densFixed(dens, `${cur.key} ${yMax} ${scale}`, (off) => lab.drawCurves(off, zs, cur.grid, ['blue'], [1], [cur.mean], ['blue'],
          [t('post.meanMarker', { v: fmt(cur.mean, 2) })], NaN, ranges, labels, scale));
        rect = lab.drawCurves(dens, zs, q, ['orange'], [0], [], [], [], NaN, ranges, labels, scale, true);
        Object.assign(shown, { dens: drawn, m: v.m, s: v.s });
      }
    }
    setAttr(dens, 'aria-label', t('post.densAlt', { mean: fmt(cur.mean, 2), m: fmt(v.m, 2), s: fmt(v.s, 2) }));
  }

  function drawGap(cur, elbo, kl, drawing) {
    const e = Math.min(elbo, cur.logEv);
    const scale = drawing ? fitCanvas(gap) : 0;
    // Likewise the bar, when the ELBO's end of it moved less than a quarter of a device pixel.
    const drawn = `${cur.logEv} ${cur.xMin} ${scale} ${gap.width}×${gap.height}`;
    const still = drawn === shown.gap && Math.abs(e - shown.e) * (gap.width / (cur.logEv - cur.xMin)) < 0.25;
    if (drawing && !still) {
      // The axis and the log p(x) label stay while q moves: the chart as first drawn for them
      // is kept as an image, and each frame draws the bar's two parts over it (they cover the
      // old ones: the bar always spans x min to log p(x)).
      const labels = [t('post.axisNats'), t('post.barElbo'), t('post.barKl'), t('post.barEvidence', { v: fmt(cur.logEv) })];
      gapFixed(gap, `${cur.logEv} ${cur.xMin} ${scale}`, (off) => lab.drawGapBar(off, cur.logEv, e, cur.xMin, labels, scale));
      lab.drawGapBar(gap, cur.logEv, e, cur.xMin, labels, scale, true);
      Object.assign(shown, { gap: drawn, e });
    }
    setAttr(gap, 'aria-label', t('post.gapAlt', { evidence: fmt(cur.logEv), elbo: fmt(elbo), kl: fmt(kl) }));
  }

  function drawTrace(cur, run, drawing) {
    const ys = run.history;
    const xs = ys.map((_, i) => i);
    const lo = ys.length ? Math.min(...ys) : cur.logEv - 1;
    // The ranges move only when the curve leaves them (or fills a small part of them), so the
    // axes are drawn once and kept as an image while the curve grows (canvas.js fixedLayer).
    const n = ys.length > 1 && traceRange.n >= ys.length - 1 ? traceRange.n : niceAbove(ys.length - 1); // 20 afresh
    const yMin = Math.min(lo, cur.logEv - 0.1) - 0.1 * Math.max(0.5, cur.logEv - lo);
    const yMax = cur.logEv + 0.15 * Math.max(0.5, cur.logEv - lo);
    const span = yMax - yMin;
    const kept = traceRange.key === cur.key && traceRange.yMin <= yMin && traceRange.yMax >= yMax
      && traceRange.yMax - traceRange.yMin <= 2 * span;
    Object.assign(traceRange, { n, key: cur.key }, kept ? {} : { yMin: yMin - 0.25 * span, yMax });
    if (drawing) {
      const ranges = [0, traceRange.n, traceRange.yMin, traceRange.yMax];
      const labels = [t('post.axisIter'), t('post.axisElbo'), t('post.refEvidence')];
      const scale = fitCanvas(trace);
      // The same steps, ranges and size as last drawn (a drag restarts the trace on every
      // move): the chart stays as it is.
      const axesKey = `${ranges} ${cur.logEv} ${scale} ${trace.width}×${trace.height}`;
      const drawn = `${axesKey} ${run.steps} ${ys.length} ${ys[ys.length - 1]}`;
      if (drawn !== shown.trace) {
        const from = traceDrawn.ys === ys && traceDrawn.key === axesKey
          && ys.length - traceDrawn.n === run.steps - traceDrawn.steps ? traceDrawn.n - 1 : 0;
        if (from > 0) {
          // Only new steps since the last frame, on the same axes (and the trace not cut at its
          // start since): the curve so far stays on the canvas, and its new segment goes on.
          lab.drawCurves(trace, xs.slice(from), ys.slice(from), ['orange'], [0], [], [], [], NaN, ranges, labels, scale, true);
        } else {
          // The log p(x) line is fixed too: it goes in the kept image, under the curve.
          traceFixed(trace, `${ranges} ${cur.logEv} ${scale}`, (off) => lab.drawCurves(off, [], [], [], [], [], [], [], cur.logEv, ranges, labels, scale));
          lab.drawCurves(trace, xs, ys, ['orange'], [0], [], [], [], NaN, ranges, labels, scale, true);
        }
        Object.assign(traceDrawn, { ys, n: ys.length, steps: run.steps, key: axesKey });
        shown.trace = drawn;
      }
    }
    const last = ys.length ? fmt(ys[ys.length - 1]) : '—';
    setAttr(trace, 'aria-label', t('post.traceAlt', { steps: run.steps, elbo: last, evidence: fmt(cur.logEv) }));
  }

  return {
    draw(v, cur, run, elbo, kl, drawing) {
      drawDensities(v, cur, drawing);
      drawGap(cur, elbo, kl, drawing);
      drawTrace(cur, run, drawing);
    },
    densRect: () => rect,
    densYMax: () => densYMax,
  };
}
