// Widget "posterior": an exact posterior p(z | x), a Gaussian q = N(m, s²), and ELBO ascent
// on q, with the gap log p(x) − ELBO(q) = KL(q ‖ p(z | x)) drawn as one bar.
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText, setAttr, setFlag, setSlider, visibility } from '../lib/dom.js';
import { onResize, pointerFraction } from '../lib/canvas.js';
import { createStore } from '../lib/store.js';
import { stringsFor } from '../lib/i18n.js';
import { estimatorsPanel } from './posterior-estimators.js';
import { GRID_N, Z_MAX, Z_MIN, posteriorCharts } from './posterior-charts.js';

const GAP_SPAN = 6; // nats shown left of log p(x) on the gap bar
const LR_MIN = 0.005; // learning-rate range of the log slider
const LR_MAX = 0.2;
const MAX_HISTORY = 2000; // ELBO values kept for chart 3
const PEAK_GRAB = 18; // CSS px: how close a press must be to q's peak to grab it
const MODELS = ['gaussian', 'bimodal', 'logistic'];
export const DEFAULT_STATE = { model: 'gaussian', x: 1, params: { sigmaX: 1 }, m: 0, s: 1 };
const DEFAULT_PARAMS = { gaussian: { sigmaX: 1 }, bimodal: { sigmaX: 0.5 }, logistic: { a: 2, b: 0 } };
const DEFAULT_X = { gaussian: 1, bimodal: 2.5, logistic: 1 }; // x on switching model
// The bimodal model's two teaching cases (3.2): well-separated modes, where reverse KL picks
// the mode on q's side, and overlapping ones, where the best Gaussian straddles both at m = 0.
// Both start q at m = 0.5, s = 1. The claims in their captions are pinned by native tests
// (crate/src/math/claims.rs).
export const PRESETS = {
  separated: { model: 'bimodal', x: 2.5, params: { sigmaX: 0.5 }, m: 0.5, s: 1 },
  overlap: { model: 'bimodal', x: 1.5, params: { sigmaX: 1 }, m: 0.5, s: 1 },
};

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/** A labelled range slider; `onInput(value)` on every change. Returns { el, input, out }. */
function slider(label, { min, max, step, value }, onInput, key) {
  const id = uid('ps');
  const input = h('input', { id, type: 'range', min, max, step, value, 'data-input': key });
  const out = h('output', { for: id });
  input.addEventListener('input', () => onInput(Number(input.value)));
  return { input, out, el: h('div', { class: 'slider' }, h('label', { for: id }, label), input, out) };
}

/** A group of toggle buttons; `onPick(value)` when one is pressed. */
function toggles(label, values, text, onPick, key) {
  const buttons = values.map((v) => h('button', { type: 'button', [`data-${key}`]: v, onclick: () => onPick(v) }, text(v)));
  return { buttons, el: h('span', { class: 'mode-buttons', role: 'group', 'aria-label': label }, buttons) };
}

/** The learning rate at slider position u ∈ [0, 1] (log scale), and back. */
const lrAt = (u) => LR_MIN * (LR_MAX / LR_MIN) ** u;
const lrPos = (lr) => Math.log(lr / LR_MIN) / Math.log(LR_MAX / LR_MIN);

/**
 * Mounts the widget into `root`; options { store } share { model, x, params, m, s }, or
 * { state } starts from one; { seed, lr, grad, k, speed } set the optimiser, { ek, eseed, epart }
 * the gradient-estimators panel (as state() returns them).
 */
export function mount(root, options = {}) {
  const { t, error } = stringsFor(root);
  const store = options.store ?? createStore(structuredClone(options.state ?? DEFAULT_STATE));
  const run = {
    playing: false, started: false, steps: 0, history: [], frame: 0,
    mode: options.grad ?? 'exact', k: options.k ?? 10, seed: options.seed ?? 1, lr: options.lr ?? 0.05, speed: options.speed ?? 2,
  };
  const cur = { key: '', post: null, grid: [], logEv: NaN, mean: NaN, xMin: NaN };
  let dragging = false;
  let internal = false; // true while the optimiser writes the store
  let drawing = true; // paint() draws the charts (the widget is on screen)

  const modelButtons = toggles(t('post.model'), MODELS, (v) => t(`post.model.${v}`), (v) => setModel(v), 'model');
  const presetButtons = toggles(t('post.presets'), Object.keys(PRESETS), (v) => t(`post.preset.${v}`), (v) => { pause(); update(structuredClone(PRESETS[v])); }, 'preset');
  const modesNote = h('p', { class: 'note', 'data-out': 'post-modes' });
  const xSlider = slider(t('post.x'), { min: -3, max: 3, step: 0.05, value: 1 }, (v) => update({ x: v }), 'x');
  const xBits = toggles(t('post.xBinary'), [0, 1], (v) => `x = ${v}`, (v) => update({ x: v }), 'xbit');
  const sigmaSlider = slider(t('post.sigmaX'), { min: 0.2, max: 2, step: 0.05, value: 1 }, (v) => update({ params: { sigmaX: v } }), 'sigmaX');
  const aSlider = slider('a', { min: -4, max: 4, step: 0.1, value: 2 }, (v) => update({ params: { ...store.get().params, a: v } }), 'a');
  const bSlider = slider('b', { min: -4, max: 4, step: 0.1, value: 0 }, (v) => update({ params: { ...store.get().params, b: v } }), 'b');
  const mSlider = slider('m', { min: -4, max: 4, step: 0.01, value: 0 }, (v) => update({ m: v }), 'm');
  const sSlider = slider('s', { min: 0.05, max: 3, step: 0.01, value: 1 }, (v) => update({ s: v }), 's');
  const playButton = h('button', { type: 'button', 'data-action': 'play', onclick: togglePlay }, t('post.play'));
  const stepButton = h('button', { type: 'button', 'data-action': 'step', onclick: () => { pause(); step(); paint(); } }, t('post.step'));
  const resetButton = h('button', { type: 'button', 'data-action': 'reset', onclick: reset }, t('post.reset'));
  const speedSlider = slider(t('post.speed'), { min: 1, max: 10, step: 1, value: run.speed }, (v) => { run.speed = v; paint(); }, 'speed');
  const lrSlider = slider(t('post.lr'), { min: 0, max: 1, step: 0.01, value: lrPos(run.lr) }, (v) => { run.lr = lrAt(v); run.started = false; paint(); }, 'lr');
  const modeButtons = toggles(t('post.gradMode'), ['exact', 'reparam'], (v) => t(`post.grad.${v}`), (v) => { run.mode = v; run.started = false; paint(); }, 'grad');
  const kSlider = slider(t('post.k'), { min: 1, max: 100, step: 1, value: run.k }, (v) => { run.k = v; paint(); }, 'k');
  const seedId = uid('seed');
  const seedInput = h('input', { id: seedId, type: 'number', min: 0, max: 1e9, step: 1, value: run.seed, 'data-input': 'seed', class: 'seed' });
  seedInput.addEventListener('change', () => { run.seed = Math.max(0, Math.round(Number(seedInput.value) || 0)); paint(); });
  const status = h('p', { class: 'note', role: 'status', 'aria-live': 'polite', 'data-out': 'post-status' });
  const alert = h('p', { class: 'error', role: 'alert', 'data-out': 'post-error', hidden: true });
  const dens = h('canvas', { class: 'chart chart-tall', role: 'img' });
  const gap = h('canvas', { class: 'chart chart-stack', role: 'img' });
  const trace = h('canvas', { class: 'chart chart-short', role: 'img' });
  const charts = posteriorCharts(t, { dens, gap, trace });
  const outs = Object.fromEntries(['elbo', 'kl', 'evidence', 'm', 's'].map((k) => [k, h('output', { 'data-out': `post-${k}` })]));
  const paramGrid = h('div', { class: 'slider-grid' });
  const optGrid = h('div', { class: 'slider-grid' });
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));
  // The gradient estimators at the current q (settings ek, eseed, epart in the link).
  const estimators = estimatorsPanel(t, options);
  estimators.onChange = () => paint();

  root.replaceChildren(
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('post.modelTitle')), modelButtons.el, xBits.el),
    paramGrid,
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('post.presets')), presetButtons.el),
    modesNote,
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('post.qTitle'))),
    h('div', { class: 'slider-grid' }, mSlider.el, sSlider.el),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('post.optTitle')), playButton, stepButton, resetButton, modeButtons.el,
      h('label', { for: seedId }, t('post.seed')), seedInput),
    optGrid,
    status, alert,
    h('div', { class: 'chart-wrap' }, dens),
    h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), t('post.pName'), ' ', h('span', { class: 'swatch swatch-orange' }), t('post.qName')),
    h('table', { class: 'readout' }, h('tbody', {}, row(t('post.rowElbo'), outs.elbo), row(t('post.rowKl'), outs.kl),
      row(t('post.rowEvidence'), outs.evidence), row('m', outs.m), row('s', outs.s))),
    h('p', { class: 'chart-caption' }, t('post.gapCaption')),
    h('div', { class: 'chart-wrap' }, gap),
    h('p', { class: 'chart-caption' }, t('post.traceCaption')),
    h('div', { class: 'chart-wrap' }, trace),
    estimators.el);

  /** Rebuilds the model when model, x or its parameters changed. */
  function ensureModel(v) {
    const key = JSON.stringify([v.model, v.x, v.params]);
    if (key === cur.key) return;
    cur.post?.free();
    cur.post = null;
    cur.key = '';
    cur.post = new lab.PosteriorLab(v.model, v.x, v.params);
    cur.key = key;
    const n = cur.post.posteriorGrid(Z_MIN, Z_MAX, GRID_N);
    cur.grid = cur.post.gridValues().slice(0, n);
    cur.logEv = cur.post.logEvidence();
    cur.mean = cur.post.posteriorMoments()[0];
    cur.xMin = cur.logEv - GAP_SPAN;
    run.history = [];
    run.started = false;
    run.steps = 0;
  }

  /** A change from the reader: the optimiser restarts from the new q. */
  function update(change) {
    const v = { ...store.get(), ...change };
    v.m = clamp(v.m, -4, 4);
    v.s = clamp(v.s, 0.05, 3);
    run.started = false;
    run.history = [];
    run.steps = 0;
    store.set(v);
  }

  function setModel(model) {
    if (model === store.get().model) return;
    pause();
    update({ model, x: DEFAULT_X[model], params: { ...DEFAULT_PARAMS[model] } });
  }

  /** One optimiser step (exact, or reparameterised with seed + step index). */
  function step() {
    const v = store.get();
    if (!cur.post) return;
    try {
      if (!run.started) {
        cur.post.startOptimiser(v.m, v.s, run.lr);
        run.started = true;
        if (!run.history.length) run.history.push(cur.post.elbo(v.m, v.s));
      }
      const [m, s, elbo] = cur.post.step(run.mode, run.k, run.seed + run.steps);
      run.steps += 1;
      run.history.push(elbo);
      if (run.history.length > MAX_HISTORY) run.history.shift();
      internal = true;
      store.set({ ...v, m: clamp(m, -4, 4), s: clamp(s, 0.05, 3) });
    } catch (err) {
      pause();
      showError(err);
    } finally {
      internal = false;
    }
  }

  function play() {
    if (run.playing) return;
    run.playing = true;
    if (reducedMotion()) { run.playing = false; paint(); return; }
    const tick = () => {
      if (!run.playing) return;
      for (let i = 0; i < run.speed && run.playing; i += 1) step();
      if (run.playing) run.frame = requestAnimationFrame(tick);
      paint();
    };
    run.frame = requestAnimationFrame(tick);
    paint();
  }

  function pause() {
    const was = run.playing;
    run.playing = false;
    cancelAnimationFrame(run.frame);
    if (was && behind) paint();
  }

  function togglePlay() {
    if (run.playing) pause(); else play();
    paint();
  }

  function reset() {
    pause();
    update({ m: DEFAULT_STATE.m, s: DEFAULT_STATE.s });
  }

  function showError(err) {
    alert.hidden = false;
    alert.textContent = t('post.error', { message: error(err) });
  }

  // Off screen (the reader scrolled on to the derivation while Adam climbs) the widget waits
  // while Adam plays: its charts, readouts and controls show the q of the moment when it is back
  // on screen, or when Adam stops (pause() paints).
  let behind = false; // charts not drawn since the last change
  const view = visibility(root, () => { if (behind) paint(); });

  /** Draws everything for the store's current value (the charts too when `force`, or on screen). */
  function paint(force = false) {
    const v = store.get();
    try {
      ensureModel(v);
      drawing = force === true || view.visible();
      behind = !drawing;
      if (!drawing && run.playing) return;
      setFlag(alert, true, 'hidden');
      const elbo = cur.post.elbo(v.m, v.s);
      const kl = cur.post.klToPosterior(v.m, v.s);
      cur.xMin = Math.min(cur.xMin, Math.floor(elbo - 0.5));
      charts.draw(v, cur, run, elbo, kl, drawing);
      setText(outs.elbo, `${fmt(elbo)} ${t('unit.nats')}`);
      setText(outs.kl, `${fmt(kl)} ${t('unit.nats')}`);
      setText(outs.evidence, `${fmt(cur.logEv)} ${t('unit.nats')}`);
      setText(outs.m, fmt(v.m));
      setText(outs.s, fmt(v.s));
      if (drawing) estimators.refresh(cur, v, cur.key, run.playing);
    } catch (err) {
      showError(err);
    }
    syncControls(v);
  }

  /** Which preset the state is (its model, x and σx), if any. */
  const presetOf = (v) => Object.keys(PRESETS).find((k) => PRESETS[k].x === v.x && PRESETS[k].params.sigmaX === v.params.sigmaX && v.model === 'bimodal');

  /**
   * The bimodal posterior's shape: log p(z | x) has slope z·(2(x − z²)/σx² − 1), so z = 0 is
   * always stationary and there are two modes, at ±√(x − σx²/2), exactly when x > σx²/2.
   */
  function describeModes(v) {
    if (v.model !== 'bimodal') return '';
    const half = v.params.sigmaX ** 2 / 2;
    const shape = v.x > half ? t('post.modes.two', { x: fmt(v.x, 2), half: fmt(half, 3), z: fmt(Math.sqrt(v.x - half), 2) })
      : t('post.modes.one', { x: fmt(v.x, 2), half: fmt(half, 3) });
    const preset = presetOf(v);
    return preset ? `${shape} ${t(`post.preset.${preset}Note`)}` : shape;
  }

  function syncControls(v) {
    const logistic = v.model === 'logistic';
    const preset = presetOf(v);
    for (const b of presetButtons.buttons) setAttr(b, 'aria-pressed', String(b.dataset.preset === preset));
    setText(modesNote, describeModes(v));
    if (modesNote.hidden !== (v.model !== 'bimodal')) modesNote.hidden = v.model !== 'bimodal';
    for (const b of modelButtons.buttons) setAttr(b, 'aria-pressed', String(b.dataset.model === v.model));
    for (const b of xBits.buttons) setAttr(b, 'aria-pressed', String(Number(b.dataset.xbit) === v.x));
    for (const b of modeButtons.buttons) setAttr(b, 'aria-pressed', String(b.dataset.grad === run.mode));
    // Shown controls are swapped in and out (CSS may override the hidden attribute).
    const params = logistic ? [aSlider.el, bSlider.el] : [xSlider.el, sigmaSlider.el];
    if (paramGrid.firstChild !== params[0]) paramGrid.replaceChildren(...params);
    if (xBits.el.hidden !== !logistic) xBits.el.hidden = !logistic;
    const opts = run.mode === 'reparam' ? [speedSlider.el, lrSlider.el, kSlider.el] : [speedSlider.el, lrSlider.el];
    if (optGrid.childElementCount !== opts.length) optGrid.replaceChildren(...opts);
    const set = (s, value, shown, d = 2) => {
      setSlider(s.input, value); // most stay put while Adam runs
      setText(s.out, shown ?? fmt(value, d));
    };
    set(xSlider, v.x);
    set(sigmaSlider, v.params.sigmaX ?? 1);
    set(aSlider, v.params.a ?? 2, null, 1);
    set(bSlider, v.params.b ?? 0, null, 1);
    set(mSlider, v.m);
    set(sSlider, v.s);
    set(speedSlider, run.speed, String(run.speed));
    set(lrSlider, lrPos(run.lr), fmt(run.lr, 3));
    set(kSlider, run.k, String(run.k));
    const reduced = reducedMotion();
    setText(playButton, run.playing ? t('post.pause') : t('post.play'));
    setAttr(playButton, 'aria-pressed', String(run.playing));
    setText(status, reduced ? t('post.reduced', { steps: run.steps })
      : t(run.playing ? 'post.running' : 'post.idle', { steps: run.steps }));
  }

  // Drag on the density chart: anywhere, horizontally, to move m; grab q's peak (within
  // PEAK_GRAB CSS px) to move it freely — its height sets s, as a Gaussian's peak is 1/(s√2π).
  let grabPeak = false;
  dens.addEventListener('pointerdown', (e) => {
    const rect = charts.densRect();
    if (!rect) return;
    const v = store.get();
    const { fx, fy } = pointerFraction(dens, rect, e);
    const box = dens.getBoundingClientRect();
    const peakFx = (v.m - Z_MIN) / (Z_MAX - Z_MIN);
    const peakFy = 1 / (v.s * Math.sqrt(2 * Math.PI) * charts.densYMax());
    grabPeak = Math.hypot((fx - peakFx) * box.width, (fy - peakFy) * box.height) <= PEAK_GRAB;
    dragging = true;
    dens.setPointerCapture(e.pointerId);
    onDrag(e);
  });
  dens.addEventListener('pointermove', (e) => { if (dragging) onDrag(e); });
  dens.addEventListener('pointerup', () => { dragging = false; });
  dens.addEventListener('pointercancel', () => { dragging = false; });

  function onDrag(e) {
    const rect = charts.densRect();
    if (!rect) return;
    const { fx, fy } = pointerFraction(dens, rect, e);
    pause();
    const change = { m: Math.round((Z_MIN + clamp(fx, 0, 1) * (Z_MAX - Z_MIN)) * 100) / 100 };
    if (grabPeak) {
      const height = clamp(fy, 0.02, 1) * charts.densYMax();
      change.s = Math.round(clamp(1 / (height * Math.sqrt(2 * Math.PI)), 0.05, 3) * 100) / 100;
    }
    update(change);
  }

  const unsubscribe = store.subscribe(() => { if (!internal) paint(); });
  paint();
  const unobserve = onResize(dens, () => paint(true));
  return {
    store, run, step, play, pause, reset,
    state: () => ({ state: structuredClone(store.get()), seed: run.seed, lr: run.lr, grad: run.mode, k: run.k, speed: run.speed, ...estimators.state() }),
    destroy() { pause(); unsubscribe(); unobserve(); view.disconnect(); estimators.destroy(); cur.post?.free(); root.replaceChildren(); },
  };
}
