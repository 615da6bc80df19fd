// The posterior widget's "gradient estimators" panel (3.2): at the widget's q, 1,000 seeded
// estimates of one ELBO gradient component from the score-function (REINFORCE) and the
// reparameterisation estimators, each from K samples: histograms with the exact gradient
// marked, their means and variances, and the variance against K on a log–log chart.
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText, setAttr, setFlag, setSlider, isFocused } from '../lib/dom.js';
import { fitCanvas } from '../lib/canvas.js';

export const RUNS = 1000; // seeded estimates per estimator (estimate i uses seed + i)
export const K_MAX = 1000;
export const SEED_MAX = 1e9;
const SWEEP = [1, 3, 10, 30, 100]; // K of the variance chart's points
const BINS = 40;
const QUIET = 150; // ms the inputs must hold still before the estimates are recomputed
const SLICE_MS = 4; // ms of estimating per task
const SLICE_SAMPLES = 20000; // samples (estimates × K) per call into wasm
const PARTS = ['m', 'logs']; // ∂/∂m, ∂/∂ln s: index 1 and 2 of a gradient array

const clampInt = (v, lo, hi) => Math.min(hi, Math.max(lo, Math.round(Number(v) || 0)));

/** Mean, sample variance and standard error of the mean of `xs`. */
export function summary(xs) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, variance, se: Math.sqrt(variance / n) };
}

/**
 * RUNS estimates (or those numbered `from` to `to` − 1) of component `part` (1 or 2) by `method`
 * ('score' | 'reparam') at K samples, estimate i seeded `seed + i`: one call into wasm.
 */
export function estimates(post, method, m, s, k, seed, part, from = 0, to = RUNS) {
  return post.gradientEstimates(method === 'score', m, s, k, seed + from, to - from, part);
}

/**
 * Builds the panel. `t` translates; `options` { ek, eseed, epart } from the link. Returns
 * { el, refresh(model, v, key, moving), state(), onChange } — refresh recomputes when q, the
 * model, K, the seed or the component changed, once they have held still for QUIET ms (a drag
 * or a held key moves q every frame), in slices of at most SLICE_MS each so that no frame waits
 * on the estimates; it waits while `moving` (Adam playing). Meanwhile the numbers say which q
 * they belong to. onChange is called when the reader changes K, the seed or the component.
 */
export function estimatorsPanel(t, options = {}) {
  const cfg = {
    k: clampInt(options.ek ?? 10, 1, K_MAX),
    seed: clampInt(options.eseed ?? 1, 0, SEED_MAX),
    part: PARTS.includes(options.epart) ? options.epart : 'm',
  };
  let pending = null; // the latest { model, v, key } not yet computed
  let timer = 0;
  let job = null; // the computation under way: { id, sweepKey, pieces, … }
  let last = ''; // the inputs the panel shows
  let sweepDone = ''; // the inputs the variance chart shows
  let shown = null; // what the charts show, to redraw them when their canvas is resized
  let onChange = () => {};

  const kId = uid('ek');
  const kInput = h('input', { id: kId, type: 'range', min: 0, max: 3, step: 0.01, value: Math.log10(cfg.k), 'data-input': 'ek' });
  const kOut = h('output', { for: kId, 'data-out': 'est-k' });
  kInput.addEventListener('input', () => { cfg.k = clampInt(10 ** Number(kInput.value), 1, K_MAX); again(); });
  const seedId = uid('eseed');
  const seedInput = h('input', { id: seedId, type: 'number', min: 0, max: SEED_MAX, step: 1, value: cfg.seed, 'data-input': 'eseed', class: 'seed' });
  seedInput.addEventListener('change', () => { cfg.seed = clampInt(seedInput.value, 0, SEED_MAX); seedInput.value = cfg.seed; again(); });
  const partButtons = PARTS.map((p) => h('button', { type: 'button', 'data-epart': p, onclick: () => { cfg.part = p; again(); } }, t(`est.part.${p}`)));
  const hist = h('canvas', { class: 'chart', role: 'img', 'data-chart': 'est-hist' });
  const sweep = h('canvas', { class: 'chart chart-short', role: 'img', 'data-chart': 'est-sweep' });
  const exactOut = h('p', { class: 'note', 'data-out': 'est-exact' });
  const ratioOut = h('p', { class: 'note', 'data-out': 'est-ratio' });
  const waitOut = h('p', { class: 'note', 'data-out': 'est-wait', hidden: true }, t('est.moving'));
  const cells = Object.fromEntries(['score', 'reparam'].flatMap((e) => ['mean', 'se', 'var'].map((c) => [`${e}-${c}`, h('td', { 'data-out': `est-${e}-${c}` })])));
  const row = (e) => h('tr', {}, h('th', { scope: 'row' }, h('span', { class: `swatch swatch-${e === 'score' ? 'orange' : 'blue'}` }), t(e === 'score' ? 'est.rowScore' : 'est.rowReparam')),
    cells[`${e}-mean`], cells[`${e}-se`], cells[`${e}-var`]);
  const table = h('table', { class: 'readout' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('est.colEstimator')), h('th', { scope: 'col' }, t('est.colMean')),
      h('th', { scope: 'col' }, t('est.colSe')), h('th', { scope: 'col' }, t('est.colVar')))),
    h('tbody', {}, row('score'), row('reparam')));

  const titleId = uid('est-title');
  const el = h('div', { class: 'panel', 'data-part': 'estimators', role: 'group', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, t('est.title')),
    h('p', { class: 'note' }, t('est.howto')),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('est.part')),
      h('span', { class: 'mode-buttons', role: 'group', 'aria-label': t('est.part') }, partButtons),
      h('label', { for: seedId }, t('est.seed')), seedInput),
    h('div', { class: 'slider-grid' }, h('div', { class: 'slider' }, h('label', { for: kId }, t('est.k')), kInput, kOut)),
    exactOut, waitOut,
    h('p', { class: 'chart-caption' }, t('est.histCaption')),
    h('div', { class: 'chart-wrap' }, hist),
    h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-orange' }), t('est.score'), ' ', h('span', { class: 'swatch swatch-blue' }), t('est.reparam')),
    h('p', { class: 'chart-caption' }, t('est.tableCaption')), table, ratioOut,
    h('p', { class: 'chart-caption' }, t('est.sweepCaption')),
    h('div', { class: 'chart-wrap' }, sweep));

  function again() {
    last = '';
    onChange();
  }

  /**
   * Recomputes at the store value `v` once the inputs hold still, for `model.post` if
   * `model.key` is still `key` then: `model` is the widget's holder, read when the work runs,
   * since the widget frees a model's wasm object when the reader picks another (a stale one
   * would be a freed pointer).
   */
  function refresh(model, v, key, moving = false) {
    pending = { model, v, key };
    setFlag(waitOut, !moving, 'hidden');
    clearTimeout(timer);
    timer = 0;
    if (moving) return;
    syncControls();
    const id = inputsOf(v, key);
    if (job?.id === id) return;
    job = null;
    if (id === last) redrawIfResized();
    else timer = setTimeout(start, QUIET);
  }

  const inputsOf = (v, key) => JSON.stringify([key, v.m, v.s, cfg.k, cfg.seed, cfg.part]);

  /** Starts computing at the pending inputs: the histograms' 2 × RUNS estimates, and the sweep's when q moved. */
  function start() {
    timer = 0;
    if (!pending) return;
    const { model, v, key } = pending;
    const post = model.key === key ? model.post : null;
    if (!post) return;
    const part = PARTS.indexOf(cfg.part) + 1;
    const sweepKey = JSON.stringify([key, v.m, v.s, cfg.seed, cfg.part]);
    const piece = (method, k) => ({ method, k, out: new Float64Array(RUNS), done: 0 });
    const pieces = [piece('score', cfg.k), piece('reparam', cfg.k)];
    if (sweepKey !== sweepDone) for (const method of ['score', 'reparam']) for (const k of SWEEP) pieces.push(piece(method, k));
    job = { id: inputsOf(v, key), sweepKey, model, key, v, part, seed: cfg.seed, pieces, next: 0 };
    slice(job);
  }

  /** One task's share of `j` (SLICE_MS), then the next share in a later task; draws when done. */
  function slice(j) {
    if (j !== job) return;
    const post = j.model.key === j.key ? j.model.post : null;
    if (!post) { job = null; return; }
    const t0 = performance.now();
    try {
      while (j.next < j.pieces.length && performance.now() - t0 < SLICE_MS) {
        const p = j.pieces[j.next];
        const to = Math.min(RUNS, p.done + Math.max(1, Math.floor(SLICE_SAMPLES / p.k)));
        p.out.set(estimates(post, p.method, j.v.m, j.v.s, p.k, j.seed, j.part, p.done, to), p.done);
        p.done = to;
        if (p.done === RUNS) j.next += 1;
      }
    } catch (err) {
      job = null;
      throw err;
    }
    if (j.next < j.pieces.length) { setTimeout(() => slice(j), 0); return; }
    job = null;
    last = j.id;
    draw(post, j);
  }

  function syncControls() {
    setText(kOut, String(cfg.k));
    setSlider(kInput, Math.log10(cfg.k));
    if (!isFocused(seedInput) && seedInput.value !== String(cfg.seed)) seedInput.value = String(cfg.seed);
    for (const b of partButtons) setAttr(b, 'aria-pressed', String(b.dataset.epart === cfg.part));
  }

  function draw(post, j) {
    const { v, part } = j;
    const name = t(`est.part.${PARTS[part - 1]}`);
    const exact = post.elboGradient(v.m, v.s)[part];
    const [score, reparam] = [j.pieces[0].out, j.pieces[1].out];
    const sum = { score: summary(score), reparam: summary(reparam) };
    for (const e of ['score', 'reparam']) {
      setText(cells[`${e}-mean`], fmt(sum[e].mean, 4));
      setText(cells[`${e}-se`], fmt(sum[e].se, 4));
      setText(cells[`${e}-var`], fmt(sum[e].variance, 4));
    }
    setText(exactOut, t('est.exact', { name, v: fmt(exact, 4), m: fmt(v.m, 2), s: fmt(v.s, 2), k: j.pieces[0].k }));
    const ratio = sum.score.variance / sum.reparam.variance;
    setText(ratioOut, t(ratio > 1 ? 'est.ratioMore' : 'est.ratioLess', { r: fmt(ratio, 2), k: j.pieces[0].k }));
    shown = { ...shown, hist: { score, reparam, exact, name } };
    drawHistogram(shown.hist);
    // The sweep does not depend on K: moving the K slider recomputes only the histograms.
    if (j.pieces.length > 2) {
      const [vr1, vr2, vs1, vs2] = post.gradientVariances(v.m, v.s);
      const variances = (method) => j.pieces.filter((p) => p.method === method && p !== j.pieces[0] && p !== j.pieces[1])
        .map((p) => Math.log10(summary(p.out).variance));
      shown.sweep = { name, exact: { reparam: part === 1 ? vr1 : vr2, score: part === 1 ? vs1 : vs2 }, score: variances('score'), reparam: variances('reparam') };
      drawSweep(shown.sweep);
      sweepDone = j.sweepKey;
    }
  }

  /** Redraws the charts from the numbers they show when a canvas changed size (which clears it). */
  function redrawIfResized() {
    if (!shown) return;
    const size = (c) => `${c.width}×${c.height}`;
    const before = [size(hist), size(sweep)];
    fitCanvas(hist);
    fitCanvas(sweep);
    if (shown.hist && size(hist) !== before[0]) drawHistogram(shown.hist);
    if (shown.sweep && size(sweep) !== before[1]) drawSweep(shown.sweep);
  }

  function drawHistogram({ score, reparam, exact, name }) {
    // The range holds the middle 99% of either sample and the exact value; bins are densities.
    const q = (xs, p) => { const s = Float64Array.from(xs).sort(); return s[Math.floor(p * (s.length - 1))]; };
    let lo = Math.min(q(score, 0.005), q(reparam, 0.005), exact);
    let hi = Math.max(q(score, 0.995), q(reparam, 0.995), exact);
    if (!(hi > lo)) { lo -= 1; hi += 1; }
    const width = (hi - lo) / BINS;
    const density = (xs) => {
      const c = new Array(BINS).fill(0);
      for (const x of xs) { const i = Math.floor((x - lo) / width); if (i >= 0 && i < BINS) c[i] += 1; else if (x === hi) c[BINS - 1] += 1; }
      return c.map((n) => n / (xs.length * width));
    };
    // Step curves: each bin contributes its two edges at its height.
    const xs = [];
    for (let i = 0; i < BINS; i += 1) xs.push(lo + i * width, lo + (i + 1) * width);
    const step = (d) => d.flatMap((y) => [y, y]);
    const ds = density(score);
    const dr = density(reparam);
    const yMax = 1.1 * Math.max(...ds, ...dr);
    lab.drawCurves(hist, xs, [...step(ds), ...step(dr)], ['orange', 'blue'], [1, 1], [exact], ['green'], [t('est.exactMarker')], NaN,
      [lo, hi, 0, yMax], [name, t('est.axisDensity'), ''], fitCanvas(hist));
    hist.setAttribute('aria-label', t('est.histAlt', { name, exact: fmt(exact, 3), lo: fmt(lo, 2), hi: fmt(hi, 2) }));
  }

  function drawSweep({ name, exact, score, reparam }) {
    // Points: the variance of RUNS estimates at each K of SWEEP; grey: the exact variance of
    // one sample over K (quadrature), a line of slope −1 on log–log axes.
    const xs = SWEEP.map((k) => Math.log10(k));
    const line = (e) => SWEEP.map((k) => Math.log10(exact[e] / k));
    const ys = [...score, ...reparam, ...line('score'), ...line('reparam')];
    const finite = ys.filter(Number.isFinite);
    const yMin = Math.floor(Math.min(...finite) - 0.2);
    const yMax = Math.ceil(Math.max(...finite) + 0.2);
    lab.drawCurves(sweep, xs, ys, ['orange', 'blue', 'muted', 'muted'], [0, 0, 0, 0], [], [], [], NaN,
      [0, 2, yMin, yMax], [t('est.axisK'), t('est.axisVar', { name }), ''], fitCanvas(sweep));
    sweep.setAttribute('aria-label', t('est.sweepAlt', { name, score: fmt(exact.score, 3), reparam: fmt(exact.reparam, 3) }));
  }

  return {
    el,
    refresh,
    set onChange(fn) { onChange = fn; },
    state: () => ({ ek: cfg.k, eseed: cfg.seed, epart: cfg.part }),
    destroy() { clearTimeout(timer); job = null; },
  };
}
