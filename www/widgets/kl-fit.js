// Widget "kl-fit": fit one Gaussian q to a mixture p by forward KL(p‖q) (mass-covering) or
// reverse KL(q‖p) (mode-seeking), watching gradient steps on both KL landscapes.
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText, setAttr, setFlag, setSlider } from '../lib/dom.js';
import { fitCanvas, fixedLayer, onResize, pointerFraction } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';

const MAX_MODES = 5;
const MAX_STEPS = 600;
const CONVERGED = 1e-6; // stop when a step moves (μ, ln σ) less than this
const HANDLE_RADIUS = 16; // CSS px: how close a press must be to grab a component's centre
// While a mode is dragged, the optima and both heat maps (a landscape is 48 × 32 quadratures)
// wait until the pointer rests this long, or lets go: each move only moves p, its KLs and q.
const SETTLE_MS = 150;

const DEFAULT_P = { weights: [0.45, 0.55], means: [-2.5, 2], sigmas: [0.6, 0.9] };
const DEFAULT_Q = { mu: 0, sigma: 1.5 };

const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

/** A labelled range slider; `onInput(value)` on every change. Returns { el, input, out }. */
function slider(label, { min, max, step, value }, onInput) {
  const id = uid('s');
  const input = h('input', { id, type: 'range', min, max, step, value });
  const out = h('output', { for: id });
  input.addEventListener('input', () => onInput(Number(input.value)));
  return { input, out, el: h('div', { class: 'slider slider-wide' }, h('label', { for: id }, label), input, out) };
}

/** Mounts the widget into `root`; options { p: { weights, means, sigmas }, q: { mu, sigma } }. */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const p = structuredClone(options.p ?? DEFAULT_P);
  // A fit from a link starts at its origin and is replayed step by step (it is deterministic).
  const q = { ...(options.fit?.from ?? options.q ?? DEFAULT_Q) };
  const model = new lab.MixtureFit(normalised(p.weights), p.means, p.sigmas);
  const [muMin, muMax, lsMin, lsMax] = lab.MixtureFit.landscapeGrid();
  let selected = Number.isInteger(options.selected) ? Math.min(Math.max(options.selected, 0), p.means.length - 1) : 0;
  let densityRect = null;
  // The density chart's axes and p are kept as an image (drawn again when p, the labels, the
  // size or the y range change); each frame draws q and the handles over it. The y range is
  // kept while a fit runs (it grows only if q's peak would leave it) and set afresh otherwise.
  // A frame whose axes and p differ from the last frame's (a mode dragged: p moves every
  // frame) draws the whole chart at once instead: an image made for one frame only costs a
  // second canvas and a copy for nothing.
  const densityFixed = fixedLayer();
  let pVersion = 0;
  let yMax;
  let lastFixed = ''; // the axes-and-p key of the last frame drawn
  let dragging = null; // { kind: 'mode', k } or { kind: 'q' }
  const run = { kind: null, playing: false, steps: 0, path: [], pathVersion: 0, start: null, state: null, frame: 0, done: false };
  let optima = { forward: [], reverse: [] };
  let stale = false; // the optima and heat maps lag p (a mode drag in progress)
  let settleTimer = 0;
  let shownModes = -1; // how many mode buttons syncControls last built

  // Controls.
  const modeButtons = h('span', { class: 'mode-buttons', role: 'group', 'aria-label': t('fit.modes') });
  const addButton = h('button', { type: 'button', 'data-action': 'add-mode', onclick: addMode }, t('fit.addMode'));
  const removeButton = h('button', { type: 'button', 'data-action': 'remove-mode', onclick: removeMode }, t('fit.removeMode'));
  const sCentre = slider(t('fit.centre'), { min: -5, max: 5, step: 0.05, value: 0 }, (v) => editMode({ means: v }));
  const sWidth = slider(t('fit.width'), { min: 0.2, max: 3, step: 0.05, value: 1 }, (v) => editMode({ sigmas: v }));
  const sWeight = slider(t('fit.weight'), { min: 0.05, max: 1, step: 0.05, value: 0.5 }, (v) => editMode({ weights: v }));
  const sMu = slider('μ', { min: -6, max: 6, step: 0.05, value: q.mu }, (v) => setQ({ mu: v }));
  const sSigma = slider('σ', { min: 0.15, max: 5, step: 0.05, value: q.sigma }, (v) => setQ({ sigma: v }));
  const fitButtons = ['forward', 'reverse'].map((kind) => h('button', {
    type: 'button', class: `fit-${kind}`, 'data-fit': kind, onclick: () => startFit(kind),
  }, t(`fit.run.${kind}`)));
  const playButton = h('button', { type: 'button', 'data-action': 'play', onclick: togglePlay, disabled: true }, t('fit.pause'));
  const stepButton = h('button', { type: 'button', 'data-action': 'step', onclick: () => { pause(); step(); render(); }, disabled: true }, t('fit.step'));
  const resetButton = h('button', { type: 'button', 'data-action': 'reset', onclick: reset, disabled: true }, t('fit.reset'));
  const progress = h('p', { class: 'note', role: 'status', 'aria-live': 'polite', 'data-out': 'fit-status' });

  // Charts.
  const densities = h('canvas', { class: 'chart chart-tall', role: 'img' });
  const maps = ['forward', 'reverse'].map((kind) => {
    const frame = h('canvas', { class: 'chart chart-map', role: 'img' });
    const overlay = h('canvas', { class: 'chart chart-map overlay', 'aria-hidden': 'true', 'data-map': kind });
    overlay.addEventListener('click', (e) => onMapClick(e, overlay, kind));
    return { kind, frame, overlay, rect: null, image: null, off: null, el: h('figure', { class: 'map' },
      h('div', { class: 'chart-wrap' }, frame, overlay), h('figcaption', {}, t(`fit.map.${kind}`))) };
  });
  const cells = Object.fromEntries(['forward', 'reverse', 'forwardOpt', 'reverseOpt', 'moments']
    .map((k) => [k, h('output', { 'data-out': `fit-${k}` })]));
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));

  root.replaceChildren(
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('fit.pTitle')), modeButtons, addButton, removeButton),
    h('div', { class: 'slider-grid' }, sCentre.el, sWidth.el, sWeight.el),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('fit.qTitle'))),
    h('div', { class: 'slider-grid' }, sMu.el, sSigma.el),
    h('div', { class: 'controls' }, fitButtons, playButton, stepButton, resetButton),
    progress,
    h('div', { class: 'chart-wrap' }, densities),
    h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), t('fit.pName'), ' ',
      h('span', { class: 'swatch swatch-orange' }), t('fit.qName')),
    h('div', { class: 'maps' }, maps.map((m) => m.el)),
    h('table', { class: 'readout' }, h('tbody', {},
      row('KL(p ‖ q)', cells.forward), row('KL(q ‖ p)', cells.reverse),
      row(t('fit.momentsRow'), cells.moments),
      row(t('fit.forwardOptRow'), cells.forwardOpt), row(t('fit.reverseOptRow'), cells.reverseOpt))));

  function normalised(w) {
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  }

  /**
   * Pushes p into the Rust model and recomputes what depends on p alone. With `defer` (a mode
   * being dragged) the optima and heat maps are left for settle(), which runs once the pointer
   * rests or lets go: the state it leaves is the one an undeferred change leaves.
   */
  function mixtureChanged({ defer = false } = {}) {
    model.setMixture(normalised(p.weights), p.means, p.sigmas);
    pVersion += 1;
    yMax = undefined;
    window.clearTimeout(settleTimer);
    if (defer) {
      stale = true;
      settleTimer = window.setTimeout(() => { if (stale) { settle(); render(); } }, SETTLE_MS);
    } else settle();
    restartFit();
  }

  /** The optima and heat maps of the current p. */
  function settle() {
    window.clearTimeout(settleTimer);
    stale = false;
    const f = model.fitForward();
    const r = model.fitReverse();
    optima = {
      forward: [f[0], Math.log(f[1])],
      reverse: Array.from({ length: r.length / 3 }, (_, i) => [r[3 * i], Math.log(r[3 * i + 1])]).flat(),
      forwardFit: f,
      reverseFits: r,
    };
    for (const m of maps) m.image = null;
    drawFrames();
  }

  function drawFrames() {
    for (const m of maps) {
      const scale = fitCanvas(m.frame);
      fitCanvas(m.overlay);
      m.rect = lab.drawLandscapeFrame(m.frame, 'μ', 'ln σ', scale);
      m.image ??= heatImage(m);
      const [left, top, right, bottom] = m.rect;
      const ctx = m.frame.getContext('2d');
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(m.image, left, top, right - left, bottom - top);
    }
  }

  /** The landscape as a small canvas (one per map, reused), one pixel per grid cell. */
  function heatImage(m) {
    const [, , , , cols, rows] = lab.MixtureFit.landscapeGrid();
    const bytes = model.landscapeImage(m.kind);
    if (!m.off) {
      m.off = document.createElement('canvas');
      m.off.width = cols;
      m.off.height = rows;
    }
    m.off.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length), cols, rows), 0, 0);
    return m.off;
  }

  function render() {
    const ls = Math.log(q.sigma);
    const labels = [t('fit.axisX'), t('fit.axisDensity')];
    const scale = fitCanvas(densities);
    yMax = model.densityYMax(q.mu, q.sigma, yMax);
    const fixedKey = `${densities.width}×${densities.height} ${scale} ${pVersion} ${yMax} ${labels.join('\u0000')}`;
    const reused = fixedKey === lastFixed;
    lastFixed = fixedKey;
    if (reused) densityFixed(densities, fixedKey, (off) => model.drawDensityAxes(off, labels, scale, yMax));
    densityRect = model.drawDensities(densities, q.mu, q.sigma, selected, labels, scale, yMax, reused);
    // A map's overlay (q, the fit's path, the optima) is drawn again only when one of them or
    // its size changes: a mode dragged moves none of them until the optima settle.
    for (const m of maps) {
      const opt = m.kind === 'forward' ? optima.forward : optima.reverse;
      const s = fitCanvas(m.overlay);
      // A path only grows (step) until it is replaced (run.pathVersion): its version and length fix it.
      const key = `${m.overlay.width}×${m.overlay.height} ${s} ${q.mu} ${ls} ${opt.join()} ${run.pathVersion} ${run.kind ? run.path.length : 0}`;
      if (key !== m.drawn) lab.drawLandscapeOverlay(m.overlay, run.kind ? run.path.flat() : [], opt, q.mu, ls, s);
      m.drawn = key;
    }
    const fwd = model.forwardKl(q.mu, q.sigma);
    const rev = model.reverseKl(q.mu, q.sigma);
    const nats = t('unit.nats');
    setText(cells.forward, `${fmt(fwd)} ${nats}`);
    setText(cells.reverse, `${fmt(rev)} ${nats}`);
    setText(cells.moments, t('fit.moments', { mean: fmt(model.mean()), sd: fmt(Math.sqrt(model.variance())) }));
    const f = optima.forwardFit;
    setText(cells.forwardOpt, t('fit.optimum', { mu: fmt(f[0], 2), sigma: fmt(f[1], 2), kl: fmt(f[2]) }));
    const r = optima.reverseFits;
    setText(cells.reverseOpt, Array.from({ length: r.length / 3 }, (_, i) =>
      t('fit.optimum', { mu: fmt(r[3 * i], 2), sigma: fmt(r[3 * i + 1], 2), kl: fmt(r[3 * i + 2]) })).join('; '));
    for (const m of maps) m.el.classList.toggle('stale', stale);
    syncControls();
    setAttr(densities, 'aria-label', t('fit.densityAlt', {
      modes: p.means.map((m, k) => t('fit.modeAlt', { k: k + 1, mu: fmt(m, 2), sigma: fmt(p.sigmas[k], 2), w: fmt(normalised(p.weights)[k], 2) })).join('; '),
      mu: fmt(q.mu, 2), sigma: fmt(q.sigma, 2),
    }));
    maps.forEach((m) => setAttr(m.frame, 'aria-label', t(`fit.mapAlt.${m.kind}`, { value: fmt(m.kind === 'forward' ? fwd : rev) })));
  }

  function syncControls() {
    // The mode buttons are rebuilt only when their number changes (not on every frame).
    if (shownModes !== p.means.length) {
      shownModes = p.means.length;
      modeButtons.replaceChildren(...p.means.map((_, k) => h('button', {
        type: 'button', 'data-mode': k, onclick: () => { selected = k; render(); },
      }, t('fit.mode', { k: k + 1 }))));
    }
    // Only what changed is written: a fit's frame changes q and the status, little else.
    for (const b of modeButtons.children) setAttr(b, 'aria-pressed', String(Number(b.dataset.mode) === selected));
    setFlag(addButton, p.means.length >= MAX_MODES);
    setFlag(removeButton, p.means.length <= 1);
    for (const [s, v, d] of [[sCentre, p.means[selected], 2], [sWidth, p.sigmas[selected], 2],
      [sWeight, p.weights[selected], 2], [sMu, q.mu, 2], [sSigma, q.sigma, 2]]) {
      setSlider(s.input, v);
      setText(s.out, fmt(v, d));
    }
    const active = run.kind !== null;
    setFlag(playButton, !active || run.done);
    setFlag(stepButton, !active || run.done);
    setFlag(resetButton, !active);
    setText(playButton, run.playing ? t('fit.pause') : t('fit.play'));
    if (!active) setText(progress, t('fit.idle'));
    else {
      const which = t(`fit.kind.${run.kind}`);
      // While it plays, the live status does not change with every step (a polite live region
      // rewritten 60 times a second); paused or stepped, it gives the step.
      setText(progress, run.done ? t('fit.converged', { which, steps: run.steps })
        : t(run.playing ? 'fit.playing' : 'fit.running', { which, steps: run.steps }));
    }
  }

  function editMode(change, options) {
    for (const [key, v] of Object.entries(change)) p[key][selected] = v;
    mixtureChanged(options);
    render();
  }

  function addMode() {
    if (p.means.length >= MAX_MODES) return;
    const free = [-4, 4, 0, -1.5, 1.5].find((m) => p.means.every((x) => Math.abs(x - m) > 0.8)) ?? 0;
    p.means.push(free); p.sigmas.push(0.6); p.weights.push(0.4);
    selected = p.means.length - 1;
    mixtureChanged();
    render();
  }

  function removeMode() {
    if (p.means.length <= 1) return;
    for (const key of ['means', 'sigmas', 'weights']) p[key].splice(selected, 1);
    selected = Math.min(selected, p.means.length - 1);
    mixtureChanged();
    render();
  }

  /** The reader moves q: a fit in progress carries on from the new q, with a fresh path. */
  function setQ(change) {
    Object.assign(q, change);
    q.mu = clamp(q.mu, muMin, muMax);
    q.sigma = clamp(q.sigma, Math.exp(lsMin), Math.exp(lsMax));
    yMax = undefined;
    restartFit();
    render();
  }

  /**
   * A fit in progress starts again from the current q (after q or p changed), so its path is
   * always "from path[0], run.steps steps on this p": what a link replays.
   */
  function restartFit() {
    if (!run.kind) return;
    run.state = model.descentStart(run.kind, q.mu, Math.log(q.sigma));
    run.path = [[q.mu, Math.log(q.sigma)]];
    run.pathVersion += 1;
    run.steps = 0;
    run.done = false;
  }

  // Fitting: natural-gradient descent on (μ, ln σ) in the Rust core, one step per frame.
  function startFit(kind) {
    pause();
    yMax = undefined;
    run.kind = kind;
    run.steps = 0;
    run.done = false;
    run.start = { ...q };
    run.state = model.descentStart(kind, q.mu, Math.log(q.sigma));
    run.path = [[q.mu, Math.log(q.sigma)]];
    run.pathVersion += 1;
    play();
  }

  /** One step; returns false once converged or out of steps. */
  function step() {
    if (!run.kind || run.done) return false;
    const next = model.descentStep(run.kind, run.state);
    const moved = Math.hypot(next[0] - run.state[0], next[1] - run.state[1]);
    run.state = next;
    q.mu = clamp(next[0], muMin, muMax);
    q.sigma = Math.exp(next[1]);
    run.steps += 1;
    run.path.push([q.mu, next[1]]);
    if (moved < CONVERGED || run.steps >= MAX_STEPS) { run.done = true; pause(); }
    return !run.done;
  }

  function play() {
    if (!run.kind || run.done || run.playing) return;
    run.playing = true;
    const tick = () => {
      if (!run.playing) return;
      // With reduced motion, jump to the end instead of animating.
      const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
      for (let i = 0; i < (reduced ? MAX_STEPS : 1) && step(); i += 1);
      render();
      if (run.playing) run.frame = requestAnimationFrame(tick);
    };
    run.frame = requestAnimationFrame(tick);
    render();
  }

  function pause() {
    run.playing = false;
    cancelAnimationFrame(run.frame);
  }

  function togglePlay() {
    if (run.playing) pause(); else play();
    render();
  }

  function reset() {
    pause();
    if (run.start) Object.assign(q, run.start);
    yMax = undefined;
    run.kind = null;
    run.path = [];
    run.pathVersion += 1;
    run.done = false;
    render();
  }

  // Pointer: grab a component's numbered handle to move its centre; elsewhere, move q.
  densities.addEventListener('pointerdown', (e) => {
    if (!densityRect) return;
    const [left, top, right, bottom, x0, x1, yMax] = densityRect;
    const { fx, fy } = pointerFraction(densities, [left, top, right, bottom], e);
    const toPx = densities.clientWidth / densities.width;
    const w = (right - left) * toPx;
    const hgt = (bottom - top) * toPx;
    // Each handle sits at (μₖ, p(μₖ)), as the Rust chart draws it.
    const probs = normalised(p.weights);
    const pdf = (x) => p.means.reduce((s, m, j) =>
      s + probs[j] * Math.exp(-0.5 * ((x - m) / p.sigmas[j]) ** 2) / (p.sigmas[j] * Math.sqrt(2 * Math.PI)), 0);
    const dist = p.means.map((m) => {
      const hx = ((m - x0) / (x1 - x0)) * w;
      const hy = (Math.min(pdf(m), yMax) / yMax) * hgt;
      return Math.hypot(fx * w - hx, fy * hgt - hy);
    });
    const k = dist.indexOf(Math.min(...dist));
    dragging = dist[k] <= HANDLE_RADIUS ? { kind: 'mode', k } : { kind: 'q' };
    if (dragging.kind === 'mode') selected = k;
    densities.setPointerCapture(e.pointerId);
    onDrag(e);
  });
  densities.addEventListener('pointermove', (e) => { if (dragging) onDrag(e); });
  // Letting go brings the optima and heat maps up to date at once.
  const stopDrag = () => { dragging = null; if (stale) { settle(); render(); } };
  densities.addEventListener('pointerup', stopDrag);
  densities.addEventListener('pointercancel', stopDrag);

  function onDrag(e) {
    const [left, top, right, bottom, x0, x1] = densityRect;
    const { fx } = pointerFraction(densities, [left, top, right, bottom], e);
    const x = x0 + clamp(fx, 0, 1) * (x1 - x0);
    if (dragging.kind === 'mode') editMode({ means: clamp(Math.round(x * 20) / 20, -5, 5) }, { defer: true });
    else setQ({ mu: Math.round(x * 20) / 20 });
  }

  function onMapClick(e, overlay, kind) {
    const m = maps.find((x) => x.kind === kind);
    const { fx, fy } = pointerFraction(overlay, m.rect, e);
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    setQ({ mu: muMin + fx * (muMax - muMin), sigma: Math.exp(lsMin + fy * (lsMax - lsMin)) });
  }

  mixtureChanged();
  if (options.fit && ['forward', 'reverse'].includes(options.fit.kind)) {
    startFit(options.fit.kind);
    for (let i = 0; i < Math.min(options.fit.steps ?? 0, MAX_STEPS) && step(); i += 1);
    if (!options.fit.playing) pause();
  }
  render();
  const unobserve = onResize(densities, () => { drawFrames(); render(); });
  return {
    model, p, q, run, step, play, pause, reset, startFit,
    /** p, q, the selected component and a fit in progress (its start, kind, steps, playing). */
    state: () => structuredClone({
      p, q, selected,
      ...(run.kind && {
        fit: { kind: run.kind, steps: run.steps, playing: run.playing, from: { mu: run.path[0][0], sigma: Math.exp(run.path[0][1]) } },
      }),
    }),
    destroy() { pause(); window.clearTimeout(settleTimer); unobserve(); model.free(); root.replaceChildren(); },
  };
}
