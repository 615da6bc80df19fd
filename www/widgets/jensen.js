// Widget "jensen": Jensen's inequality log E[w] ≥ E[log w] drawn with its chord, then on the
// live model of 3.2 (shared store: model, x, q = N(m, s²)): the log importance weights
// log w = log p(x, z) − log q(z) under q, whose mean is the ELBO and whose log-mean-exp is
// log p(x), and the IWAE bounds L_K for K = 1 … 1,000 (seeded Monte Carlo, with standard errors).
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText, setAttr, setSlider, visibility } from '../lib/dom.js';
import { fitCanvas, onResize } from '../lib/canvas.js';
import { createStore, subscribeOncePerTask } from '../lib/store.js';
import { stringsFor } from '../lib/i18n.js';

export const DEFAULT_STATE = { model: 'gaussian', x: 1, params: { sigmaX: 1 }, m: 0, s: 1 };
/** The K a reader can pick (the slider's stops), 1 to 1,000. */
export const K_STOPS = [1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000];
/** The K drawn on the L_K chart. */
const K_CURVE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/** Draws of z ~ q per estimate: L_1000 from 20 groups of 1,000 (the same draws for every K). */
export const DRAWS = 20000;
/** The histogram's draws: the first 5,000 of the same seeded stream. */
const HIST_DRAWS = 5000;
const [DRAWS_TEXT, HIST_TEXT] = [DRAWS, HIST_DRAWS].map((n) => n.toLocaleString('en')); // "20,000", "5,000"
const BINS = 60; // histogram bins of log w
const W_MAX = 10; // the chord picture's w axis: (0, W_MAX]
const CURVE_N = 200; // points of the log curve

/** The K stop nearest to `k` (a link may carry any whole K from 1 to 1,000). */
export const snapK = (k) => K_STOPS.reduce((a, b) => (Math.abs(Math.log(b / k)) < Math.abs(Math.log(a / k)) ? b : a));
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

/** A labelled range slider; `onInput(value)` on every change. */
function slider(label, { min, max, step, value }, onInput, key) {
  const id = uid('js');
  const input = h('input', { id, type: 'range', min, max, step, value, 'data-input': key });
  const out = h('output', { for: id, 'data-out': `jensen-${key}` });
  input.addEventListener('input', () => onInput(Number(input.value)));
  return { input, out, el: h('div', { class: 'slider' }, h('label', { for: id }, label), input, out) };
}

/** [smallest, largest] of `values`. */
function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Histogram of `values` on [lo, hi] as a step curve { xs, ys }: the density per unit of log w,
 * out of all the values (those below lo, cut off, are not drawn).
 */
function histogram(values, lo, hi) {
  const counts = new Float64Array(BINS);
  const width = (hi - lo) / BINS;
  // Indexed loops over the Float64Array (here and in extent): for…of boxed every value, 5,000 a move.
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v >= lo) counts[Math.min(Math.floor((v - lo) / width), BINS - 1)] += 1;
  }
  const xs = [];
  const ys = [];
  for (let i = 0; i < BINS; i += 1) {
    const d = counts[i] / (values.length * width);
    xs.push(lo + i * width, lo + (i + 1) * width);
    ys.push(d, d);
  }
  return { xs, ys };
}

/**
 * Mounts the widget into `root`; options { store } follow the posterior widget's model and q,
 * or { state } starts from one; { k, seed, w1, w2, lam } as state() returns them.
 */
export function mount(root, options = {}) {
  const { t, error } = stringsFor(root);
  const store = options.store ?? createStore(structuredClone(options.state ?? DEFAULT_STATE));
  const own = {
    k: snapK(clamp(Math.round(options.k ?? 100), 1, 1000)), seed: options.seed ?? 1,
    w1: clamp(options.w1 ?? 0.5, 0.1, W_MAX), w2: clamp(options.w2 ?? 8, 0.1, W_MAX), lam: clamp(options.lam ?? 0.5, 0, 1),
  };
  const cur = { key: '', post: null, logEv: NaN, values: null, lw: null, curve: null, pick: null, draws: '', histDrawn: null };

  // The chord picture.
  const w1 = slider('w₁', { min: 0.1, max: W_MAX, step: 0.1, value: own.w1 }, (v) => set({ w1: v }), 'w1');
  const w2 = slider('w₂', { min: 0.1, max: W_MAX, step: 0.1, value: own.w2 }, (v) => set({ w2: v }), 'w2');
  const lam = slider(t('jensen.lam'), { min: 0, max: 1, step: 0.01, value: own.lam }, (v) => set({ lam: v }), 'lam');
  const chord = h('canvas', { class: 'chart', role: 'img' });
  // The model's log weights and the IWAE bounds.
  const kSlider = slider(t('jensen.k'), { min: 0, max: K_STOPS.length - 1, step: 1, value: K_STOPS.indexOf(own.k) },
    (i) => set({ k: K_STOPS[i] }), 'k');
  for (const long of [lam, kSlider]) long.el.classList.add('slider-long'); // labels longer than a column
  const seedId = uid('seed');
  const seedInput = h('input', { id: seedId, type: 'number', min: 0, max: 1e9, step: 1, value: own.seed, 'data-input': 'seed', class: 'seed' });
  seedInput.addEventListener('change', () => set({ seed: clamp(Math.round(Number(seedInput.value) || 0), 0, 1e9) }));
  const hist = h('canvas', { class: 'chart', role: 'img' });
  const bounds = h('canvas', { class: 'chart', role: 'img' });
  const example = h('p', { class: 'note', 'data-out': 'jensen-example' });
  const alert = h('p', { class: 'error', role: 'alert', hidden: true });
  const out = (k) => h('output', { 'data-out': `jensen-${k}` });
  const outs = Object.fromEntries(['mean', 'logMean', 'meanLog', 'gap', 'elbo', 'sampleMean', 'evidence', 'kl', 'lk', 'closed'].map((k) => [k, out(k)]));
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));

  root.replaceChildren(
    h('h3', {}, t('jensen.chordTitle')),
    h('div', { class: 'slider-grid' }, w1.el, w2.el, lam.el),
    h('div', { class: 'chart-wrap' }, chord),
    h('table', { class: 'readout' }, h('tbody', {},
      row(t('jensen.rowMean'), outs.mean), row(t('jensen.rowLogMean'), outs.logMean),
      row(t('jensen.rowMeanLog'), outs.meanLog), row(t('jensen.rowGap'), outs.gap))),
    h('h3', {}, t('jensen.modelTitle')),
    example,
    h('div', { class: 'controls' }, h('label', { for: seedId }, t('post.seed')), seedInput),
    alert,
    h('div', { class: 'chart-wrap' }, hist),
    h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), t('jensen.legendElbo'), ' ',
      h('span', { class: 'swatch swatch-purple' }), t('jensen.legendEvidence')),
    h('table', { class: 'readout' }, h('tbody', {},
      row(t('jensen.rowElbo'), outs.elbo), row(t('jensen.rowSampleMean'), outs.sampleMean),
      row(t('jensen.rowEvidence'), outs.evidence), row(t('jensen.rowKl'), outs.kl))),
    h('h3', {}, t('jensen.iwaeTitle')),
    h('div', { class: 'slider-grid' }, kSlider.el),
    h('div', { class: 'chart-wrap' }, bounds),
    h('table', { class: 'readout' }, h('tbody', {}, row(t('jensen.rowLk'), outs.lk), row(t('jensen.rowClosed'), outs.closed))));

  function set(change) {
    Object.assign(own, change);
    paint(change.w1 !== undefined || change.w2 !== undefined || change.lam !== undefined ? 'chord' : 'model');
  }

  /** A readout: its text, and its number in data-value for tests. */
  function show(el, text, value) {
    setText(el, text);
    if (Number.isFinite(value)) el.dataset.value = String(value); else delete el.dataset.value;
  }

  function paintChord() {
    const { w1: a, w2: b, lam: p } = own;
    const mean = p * a + (1 - p) * b;
    const meanLog = p * Math.log(a) + (1 - p) * Math.log(b);
    const xs = Array.from({ length: CURVE_N }, (_, i) => 0.05 + ((W_MAX - 0.05) * i) / (CURVE_N - 1));
    const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
    const line = (w) => (hi === lo ? Math.log(lo) : Math.log(lo) + ((w - lo) * (Math.log(hi) - Math.log(lo))) / (hi - lo));
    const ys = [...xs.map(Math.log), ...xs.map((w) => (w >= lo && w <= hi ? line(w) : NaN))];
    lab.drawCurves(chord, xs, ys, ['blue', 'orange'], [0, 0], [a, b, mean], ['muted', 'muted', 'purple'],
      ['w₁', 'w₂', 'E[w]'], NaN, [0, W_MAX, -3, Math.log(W_MAX) + 0.3], [t('jensen.axisW'), t('jensen.axisLogW'), ''], fitCanvas(chord));
    chord.setAttribute('aria-label', t('jensen.chordAlt', { mean: fmt(mean), logMean: fmt(Math.log(mean)), meanLog: fmt(meanLog) }));
    for (const [s, v, d] of [[w1, a, 1], [w2, b, 1], [lam, p, 2]]) { s.input.value = v; setText(s.out, fmt(v, d)); }
    show(outs.mean, `${fmt(p, 2)} · ${fmt(a, 1)} + ${fmt(1 - p, 2)} · ${fmt(b, 1)} = ${fmt(mean)}`, mean);
    show(outs.logMean, fmt(Math.log(mean)), Math.log(mean));
    show(outs.meanLog, fmt(meanLog), meanLog);
    show(outs.gap, fmt(Math.log(mean) - meanLog), Math.log(mean) - meanLog);
  }

  /**
   * Recomputes the model's numbers when the store or the seed changed; when only K moved, only
   * L_K (the draws depend on the seed alone, not on which K are asked for, so L_K is the same
   * number either way; for a K on the chart it is the chart's). Returns whether the histogram's
   * numbers changed.
   */
  function compute(v) {
    const key = JSON.stringify([v.model, v.x, v.params]);
    if (key !== cur.key) {
      cur.post?.free(); cur.post = null; cur.key = '';
      cur.post = new lab.PosteriorLab(v.model, v.x, v.params);
      cur.logEv = cur.post.logEvidence();
      cur.key = key;
    }
    const draws = JSON.stringify([key, v.m, v.s, own.seed]);
    const fresh = draws !== cur.draws;
    if (fresh) {
      cur.draws = '';
      // The ELBO and KL(q ‖ p(z | x)) by quadrature (the API's elbo and klToPosterior).
      cur.values = { elbo: cur.post.elbo(v.m, v.s), kl: cur.post.klToPosterior(v.m, v.s) };
      // The bounds first: the lab keeps their 20,000 draws, and the histogram's are the first of them.
      const est = cur.post.iwaeBounds(v.m, v.s, K_CURVE, DRAWS, own.seed);
      cur.lw = cur.post.logWeights(v.m, v.s, HIST_DRAWS, own.seed);
      cur.curve = K_CURVE.map((_, i) => [est[2 * i], est[2 * i + 1]]);
      cur.draws = draws;
    }
    const onCurve = K_CURVE.indexOf(own.k);
    cur.pick = onCurve >= 0 ? cur.curve[onCurve] : Array.from(cur.post.iwaeBounds(v.m, v.s, [own.k], DRAWS, own.seed));
    return fresh;
  }

  /** The model's charts and readouts; the histogram only when its numbers or the size changed. */
  function paintModel(resized = false) {
    const v = store.get();
    const fresh = compute(v);
    const { elbo, kl } = cur.values;
    const logEv = cur.logEv;
    const [l1, l1se] = cur.curve[0];
    const [lk, lkse] = cur.pick;
    if (fresh || resized || cur.histDrawn !== cur.draws) {
      const [min, max] = extent(cur.lw);
      // Far-out tails (a narrow q under a wide posterior) would squeeze the bulk: cut at 12 sd.
      const sd = l1se * Math.sqrt(DRAWS); // the spread of log w
      const lo = Math.max(min, elbo - 12 * sd - 0.5);
      const hi = Math.max(max, logEv) + 0.25;
      const { xs, ys } = histogram(cur.lw, lo, hi);
      const yMax = Math.max(...ys) * 1.1 || 1;
      lab.drawCurves(hist, xs, ys, ['orange'], [1], [elbo, logEv], ['blue', 'purple'], ['ELBO', 'log p(x)'], NaN,
        [lo, hi, 0, yMax], [t('jensen.axisLogWeight'), t('jensen.axisDensity'), ''], fitCanvas(hist));
      setAttr(hist, 'aria-label', t('jensen.histAlt', { n: HIST_TEXT, elbo: fmt(elbo), evidence: fmt(logEv) }));
      cur.histDrawn = cur.draws;
    }
    const gx = K_CURVE.map((k) => Math.log10(k));
    const rows = [cur.curve.map(([e]) => e), cur.curve.map(([e, s]) => e + 2 * s), cur.curve.map(([e, s]) => e - 2 * s), gx.map(() => elbo)];
    const bottom = Math.min(elbo, ...rows[2]);
    const pad = Math.max(0.05 * (logEv - bottom), 1e-3);
    lab.drawCurves(bounds, gx, rows.flat(), ['orange', 'muted', 'muted', 'blue'], [0, 0, 0, 0], [Math.log10(own.k)], ['ink'], [`K = ${own.k}`],
      logEv, [0, 3, bottom - pad, logEv + pad], [t('jensen.axisK'), t('jensen.axisBound'), 'log p(x)'], fitCanvas(bounds));
    setAttr(bounds, 'aria-label', t('jensen.boundsAlt', { l1: fmt(cur.curve[0][0]), l1000: fmt(cur.curve[K_CURVE.length - 1][0]), elbo: fmt(elbo), evidence: fmt(logEv) }));
    setSlider(kSlider.input, K_STOPS.indexOf(own.k));
    setText(kSlider.out, String(own.k));
    if (seedInput.value !== String(own.seed)) seedInput.value = own.seed;
    setText(example, t('jensen.example', { model: t(`post.model.${v.model}`), x: fmt(v.x, 2), m: fmt(v.m, 3), s: fmt(v.s, 3), n: DRAWS_TEXT, h: HIST_TEXT, seed: own.seed }));
    show(outs.elbo, fmt(elbo), elbo);
    show(outs.sampleMean, `${fmt(l1)} ± ${fmt(l1se)}`, l1);
    show(outs.evidence, fmt(logEv), logEv);
    show(outs.kl, fmt(kl), kl);
    show(outs.lk, t('jensen.lk', { k: own.k, groups: Math.floor(DRAWS / own.k), v: fmt(lk), se: fmt(lkse) }), lk);
    // An estimate, with its standard error: the sample L_K can land above log p(x) (a share
    // over 100 %) though L_K itself never does.
    const closed = logEv - elbo > 1e-9 ? (lk - elbo) / (logEv - elbo) : NaN;
    const closedSe = lkse / (logEv - elbo);
    show(outs.closed, Number.isFinite(closed) ? `${fmt(100 * closed, 1)} % ± ${fmt(100 * closedSe, 1)} %` : t('jensen.noGap'), closed);
  }

  // The posterior's optimiser writes the store every frame: charts wait while off screen.
  let behind = false;
  const view = visibility(root, () => { if (behind) paint('model'); });

  /** Redraws `part` ('chord', 'model' or 'all': also after a resize, so every chart is drawn again). */
  function paint(part = 'all') {
    if (part !== 'model') paintChord();
    if (part === 'chord') return;
    if (!view.visible()) {
      // Drawn when back on screen; meanwhile their backing stores follow the layout (a turned
      // phone), as every chart's does.
      behind = true;
      cur.histDrawn = null; // fitCanvas may clear it
      fitCanvas(hist);
      fitCanvas(bounds);
      return;
    }
    behind = false;
    try {
      paintModel(part === 'all');
      alert.hidden = true;
    } catch (err) {
      alert.hidden = false;
      alert.textContent = t('post.error', { message: error(err) });
    }
  }

  const unsubscribe = subscribeOncePerTask(store, () => paint('model'));
  paint();
  const unobserve = onResize(root, () => paint());
  return {
    store,
    state: () => ({ state: structuredClone(store.get()), k: own.k, seed: own.seed, w1: own.w1, w2: own.w2, lam: own.lam }),
    /** The numbers on screen (for tests): ELBO, log p(x), KL, L_K's estimate and s.e. per K. */
    numbers: () => ({ elbo: cur.values?.elbo, logEvidence: cur.logEv, kl: cur.values?.kl, k: own.k, lk: cur.pick, curve: K_CURVE.map((k, i) => [k, ...cur.curve[i]]) }),
    destroy() { unsubscribe(); unobserve(); view.disconnect?.(); cur.post?.free(); root.replaceChildren(); },
  };
}
