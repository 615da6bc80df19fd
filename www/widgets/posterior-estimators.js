// The posterior widget's "gradient estimators" panel (3.2): at the widget's q, 1,000 seeded
// estimates of one ELBO gradient component from the score-function (REINFORCE) and the
// reparameterisation estimators, each from K samples: histograms with the exact gradient
// marked, their means and variances, and the variance against K on a log–log chart.
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText, setAttr } from '../lib/dom.js';
import { fitCanvas } from '../lib/canvas.js';

export const RUNS = 1000; // seeded estimates per estimator (estimate i uses seed + i)
export const K_MAX = 1000;
export const SEED_MAX = 1e9;
const SWEEP = [1, 3, 10, 30, 100]; // K of the variance chart's points
const BINS = 40;
const THROTTLE = 300; // ms between recomputations
const PARTS = ['m', 'logs']; // ∂/∂m, ∂/∂ln s: index 1 and 2 of a gradient array

const clampInt = (v, lo, hi) => Math.min(hi, Math.max(lo, Math.round(Number(v) || 0)));

/** Mean, sample variance and standard error of the mean of `xs`. */
export function summary(xs) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, variance, se: Math.sqrt(variance / n) };
}

/** RUNS estimates of component `part` (1 or 2) by `method` ('score' | 'reparam') at K samples. */
export function estimates(post, method, m, s, k, seed, part) {
  const fn = method === 'score' ? 'scoreGradient' : 'reparamGradient';
  const out = new Float64Array(RUNS);
  for (let i = 0; i < RUNS; i += 1) out[i] = post[fn](m, s, k, seed + i)[part];
  return out;
}

/**
 * Builds the panel. `t` translates; `options` { ek, eseed, epart } from the link. Returns
 * { el, refresh(model, v, key, moving), state(), onChange } — refresh recomputes when q, the
 * model, K, the seed or the component changed (at most once every THROTTLE ms), and waits while
 * `moving` (Adam playing: 2,000 estimates per recomputation would cost the animation its frames;
 * the numbers say which q they belong to); onChange is called when the reader changes K, the
 * seed or the component.
 */
export function estimatorsPanel(t, options = {}) {
  const cfg = {
    k: clampInt(options.ek ?? 10, 1, K_MAX),
    seed: clampInt(options.eseed ?? 1, 0, SEED_MAX),
    part: PARTS.includes(options.epart) ? options.epart : 'm',
  };
  let pending = null; // the latest { post, v, key } waiting for the next frame
  let frame = 0;
  let timer = 0;
  let ranAt = -Infinity;
  let last = '';
  let sweepDrawn = ''; // what the variance chart was last drawn for
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
   * Recomputes at the store value `v` next frame, for `model.post` if `model.key` is still `key`
   * then: `model` is the widget's holder, read when the work runs, since the widget frees a
   * model's wasm object when the reader picks another (a stale one would be a freed pointer).
   */
  function refresh(model, v, key, moving = false) {
    pending = { model, v, key };
    waitOut.hidden = !moving;
    if (moving || frame || timer) return;
    // At most one recomputation per THROTTLE ms (Adam moves q every frame while it plays).
    const wait = THROTTLE - (performance.now() - ranAt);
    if (wait > 0) timer = setTimeout(() => { timer = 0; frame = requestAnimationFrame(run); }, wait);
    else frame = requestAnimationFrame(run);
  }

  function run() {
    frame = 0;
    if (!pending) return;
    ranAt = performance.now();
    const { model, v, key } = pending;
    pending = null;
    const post = model.key === key ? model.post : null;
    const id = JSON.stringify([key, v.m, v.s, cfg.k, cfg.seed, cfg.part, hist.clientWidth]);
    const sweepKey = JSON.stringify([key, v.m, v.s, cfg.seed, cfg.part, sweep.clientWidth]);
    syncControls();
    if (id === last || !post) return;
    last = id;
    draw(post, v, sweepKey);
  }

  function syncControls() {
    setText(kOut, String(cfg.k));
    if (document.activeElement !== kInput) kInput.value = String(Math.log10(cfg.k));
    if (document.activeElement !== seedInput) seedInput.value = String(cfg.seed);
    for (const b of partButtons) setAttr(b, 'aria-pressed', String(b.dataset.epart === cfg.part));
  }

  function draw(post, v, sweepKey) {
    const part = PARTS.indexOf(cfg.part) + 1;
    const name = t(`est.part.${cfg.part}`);
    const exact = post.elboGradient(v.m, v.s)[part];
    const score = estimates(post, 'score', v.m, v.s, cfg.k, cfg.seed, part);
    const reparam = estimates(post, 'reparam', v.m, v.s, cfg.k, cfg.seed, part);
    const sum = { score: summary(score), reparam: summary(reparam) };
    for (const e of ['score', 'reparam']) {
      setText(cells[`${e}-mean`], fmt(sum[e].mean, 4));
      setText(cells[`${e}-se`], fmt(sum[e].se, 4));
      setText(cells[`${e}-var`], fmt(sum[e].variance, 4));
    }
    setText(exactOut, t('est.exact', { name, v: fmt(exact, 4), m: fmt(v.m, 2), s: fmt(v.s, 2), k: cfg.k }));
    const ratio = sum.score.variance / sum.reparam.variance;
    setText(ratioOut, t(ratio > 1 ? 'est.ratioMore' : 'est.ratioLess', { r: fmt(ratio, 2), k: cfg.k }));
    drawHistogram(score, reparam, exact, name);
    // The sweep does not depend on K: moving the K slider recomputes only the histograms.
    if (sweepKey !== sweepDrawn) drawSweep(post, v, part, name);
    sweepDrawn = sweepKey;
  }

  function drawHistogram(score, reparam, exact, name) {
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

  function drawSweep(post, v, part, name) {
    // Points: the variance of RUNS estimates at each K of SWEEP; grey: the exact variance of
    // one sample over K (quadrature), a line of slope −1 on log–log axes.
    const [vr1, vr2, vs1, vs2] = post.gradientVariances(v.m, v.s);
    const exact = { reparam: part === 1 ? vr1 : vr2, score: part === 1 ? vs1 : vs2 };
    const xs = SWEEP.map((k) => Math.log10(k));
    const emp = (method) => SWEEP.map((k) => Math.log10(summary(estimates(post, method, v.m, v.s, k, cfg.seed, part)).variance));
    const line = (e) => SWEEP.map((k) => Math.log10(exact[e] / k));
    const ys = [...emp('score'), ...emp('reparam'), ...line('score'), ...line('reparam')];
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
    destroy() { cancelAnimationFrame(frame); clearTimeout(timer); },
  };
}
