// Widget "vi-2d": variational inference in two dimensions. A target p(z | data) on a grid
// (correlated Gaussian, banana, donut, mixture, or a logistic regression's posterior over its
// weights for points the reader places), a Gaussian q (mean-field or full covariance) fitted
// by reverse KL (Adam on reparameterised ELBO gradients, CAVI steps, or the exact optimum) on
// the left, and the forward-KL (moment-matched) q on the right, both drawn as 1σ/2σ ellipses.
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText } from '../lib/dom.js';
import { fitCanvas, onResize } from '../lib/canvas.js';
import { createStore } from '../lib/store.js';
import { stringsFor } from '../lib/i18n.js';

export const TARGETS = ['gaussian', 'banana', 'donut', 'mixture', 'logistic'];
export const FAMILIES = ['mean-field', 'full'];
/** Each target's sliders: key → [min, max, step, default]. */
export const SLIDERS = {
  gaussian: { mean1: [-3, 3, 0.1, 0], mean2: [-3, 3, 0.1, 0], sd1: [0.3, 3, 0.05, 1.5], sd2: [0.3, 3, 0.05, 0.8], rho: [-0.95, 0.95, 0.01, 0.8] },
  banana: { a: [0.5, 1.5, 0.05, 1], b: [0, 0.5, 0.01, 0.3] },
  donut: { r: [0.5, 4, 0.05, 2], w: [0.2, 2, 0.05, 0.4] },
  mixture: { d: [0, 6, 0.1, 3], s: [0.2, 3, 0.05, 0.7] },
  logistic: {},
};
/** A small data set for the logistic target: label 1 where 1.5 x₁ − x₂ > 0, roughly. */
export const EXAMPLE_POINTS = [1, 0.5, 2, 1, 0.5, -1, 1.5, -0.5, -1, -0.5, -2, -1, -0.5, 1, -1.5, 0.5, 0.3, 1.2, -0.4, -1.1];
export const EXAMPLE_LABELS = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
const VIEW = 5; // the posterior panels show [−5, 5]²
const DATA = 5; // the data panel shows x ∈ [−5, 5]²
const MAX_POINTS = 200;
const STEPS_PER_FRAME = 2;
const REDUCED_STEPS = 300; // what one press of Play runs at once under reduced motion
const defaults = (target) => Object.fromEntries(Object.entries(SLIDERS[target]).map(([k, v]) => [k, v[3]]));
export const DEFAULT_STATE = {
  target: 'gaussian', params: defaults('gaussian'), points: [], labels: [], family: 'mean-field',
  q: { mean: [-2, 2], cov: [1, 1, 0] }, seed: 1,
};
const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/** The principal axes of a 2-D covariance [var₁, var₂, cov]: { a, b, angle } (1σ radii). */
export function axes([v1, v2, c]) {
  const mid = (v1 + v2) / 2;
  const half = Math.hypot((v1 - v2) / 2, c);
  return { a: Math.sqrt(mid + half), b: Math.sqrt(Math.max(mid - half, 0)), angle: 0.5 * Math.atan2(2 * c, v1 - v2) };
}

/**
 * Mounts the widget into `root`; options { state } start from a state as state() returns it
 * (missing fields take their defaults).
 */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const given = structuredClone(options.state ?? {});
  const init = { ...structuredClone(DEFAULT_STATE), ...given };
  if (!TARGETS.includes(init.target)) init.target = 'gaussian';
  // Only the current target's parameters are kept; missing ones take their defaults.
  init.params = { ...defaults(init.target), ...Object.fromEntries(Object.entries(given.params ?? {}).filter(([k]) => k in SLIDERS[init.target])) };
  const store = createStore(init);
  const update = (patch) => store.set({ ...store.get(), ...patch });
  const run = { playing: false, started: false, raf: 0, path: [], cls: 1 };
  const cur = { key: '', post: null, image: null, forward: null, moments: null, logZ: NaN, fit: null };

  const toggles = (label, values, text, onPick, key) => {
    const buttons = values.map((v) => h('button', { type: 'button', [`data-${key}`]: v, onclick: () => onPick(v) }, text(v)));
    return { buttons, el: h('span', { class: 'mode-buttons', role: 'group', 'aria-label': label }, buttons) };
  };
  const targetButtons = toggles(t('vi2d.target'), TARGETS, (v) => t(`vi2d.target.${v}`), (v) => setTarget(v), 'target');
  const familyButtons = toggles(t('vi2d.family'), FAMILIES, (v) => t(`vi2d.family.${v}`), (v) => { pause(); update({ family: v }); resetQ(); }, 'family');
  const sliderGrid = h('div', { class: 'slider-grid' });
  const sliders = {};
  const playButton = h('button', { type: 'button', 'data-action': 'play', onclick: togglePlay }, t('vi2d.play'));
  const stepButton = h('button', { type: 'button', 'data-action': 'step', onclick: () => { pause(); advance(1); } }, t('vi2d.step'));
  const resetButton = h('button', { type: 'button', 'data-action': 'reset', onclick: () => { pause(); resetQ(); } }, t('vi2d.reset'));
  const caviButton = h('button', { type: 'button', 'data-action': 'cavi', onclick: () => { pause(); cavi(); } }, t('vi2d.cavi'));
  const optimumButton = h('button', { type: 'button', 'data-action': 'optimum', onclick: () => { pause(); optimum(); } }, t('vi2d.optimum'));
  const classButtons = toggles(t('vi2d.class'), [1, 0], (v) => t(`vi2d.class.${v}`), (v) => { run.cls = v; render(); }, 'class');
  const exampleButton = h('button', { type: 'button', 'data-action': 'example', onclick: () => { pause(); update({ points: [...EXAMPLE_POINTS], labels: [...EXAMPLE_LABELS] }); } }, t('vi2d.example'));
  const clearButton = h('button', { type: 'button', 'data-action': 'clear', onclick: () => { pause(); update({ points: [], labels: [] }); } }, t('vi2d.clear'));
  const dataRow = h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vi2d.dataTitle')), classButtons.el, exampleButton, clearButton);
  const status = h('p', { class: 'note', role: 'status', 'aria-live': 'polite', 'data-out': 'vi2d-status' });
  const alert = h('p', { class: 'error', role: 'alert', 'data-out': 'vi2d-error', hidden: true });
  const left = h('canvas', { class: 'chart chart-square', role: 'img', tabindex: 0, 'data-panel': 'reverse' });
  const right = h('canvas', { class: 'chart chart-square', role: 'img', 'data-panel': 'forward' });
  const data = h('canvas', { class: 'chart chart-square', role: 'img', tabindex: 0, 'data-panel': 'data' });
  const dataWrap = h('div', { class: 'chart-wrap' }, h('p', { class: 'chart-caption' }, t('vi2d.dataCaption')), data);
  const out = (k) => h('output', { 'data-out': `vi2d-${k}` });
  const outs = Object.fromEntries(['elbo', 'kl', 'logz', 'identity', 'klf', 'q1', 'q2', 'f1', 'f2', 'p1', 'p2', 'pc', 'qc', 'fc'].map((k) => [k, out(k)]));
  const row = (label, ...cells) => h('tr', {}, h('th', { scope: 'row' }, label), ...cells.map((c) => h('td', {}, c)));

  root.replaceChildren(
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vi2d.targetTitle')), targetButtons.el),
    sliderGrid,
    dataRow,
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vi2d.family')), familyButtons.el),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vi2d.optTitle')), playButton, stepButton, resetButton, caviButton, optimumButton),
    status, alert,
    h('div', { class: 'vi2d-panels' },
      h('div', { class: 'chart-wrap' }, h('p', { class: 'chart-caption' }, t('vi2d.reverseCaption')), left),
      h('div', { class: 'chart-wrap' }, h('p', { class: 'chart-caption' }, t('vi2d.forwardCaption')), right),
      dataWrap),
    h('p', { class: 'legend' }, t('vi2d.legend')),
    h('table', { class: 'readout' }, h('tbody', {},
      row(t('vi2d.rowElbo'), outs.elbo), row(t('vi2d.rowKl'), outs.kl), row(t('vi2d.rowLogZ'), outs.logz),
      row(t('vi2d.rowIdentity'), outs.identity), row(t('vi2d.rowKlForward'), outs.klf))),
    h('table', { class: 'readout', 'data-table': 'variances' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Var z₁'), h('th', { scope: 'col' }, 'Var z₂'), h('th', { scope: 'col' }, 'Cov(z₁, z₂)'))),
      h('tbody', {}, row(t('vi2d.rowP'), outs.p1, outs.p2, outs.pc), row(t('vi2d.rowQ'), outs.q1, outs.q2, outs.qc), row(t('vi2d.rowF'), outs.f1, outs.f2, outs.fc))));

  function buildSliders() {
    const s = store.get();
    sliderGrid.replaceChildren();
    for (const k of Object.keys(sliders)) delete sliders[k];
    for (const [key, [min, max, step]] of Object.entries(SLIDERS[s.target])) {
      const id = uid('v2');
      const input = h('input', { id, type: 'range', min, max, step, value: s.params[key], 'data-input': key });
      const o = h('output', { for: id });
      input.addEventListener('input', () => { pause(); update({ params: { ...store.get().params, [key]: Number(input.value) } }); });
      sliders[key] = { input, out: o };
      sliderGrid.append(h('div', { class: 'slider' }, h('label', { for: id }, t(`vi2d.param.${key}`)), input, o));
    }
  }

  function setTarget(target) {
    pause();
    update({ target, params: defaults(target), ...(target === 'logistic' && !store.get().points.length ? { points: [...EXAMPLE_POINTS], labels: [...EXAMPLE_LABELS] } : {}) });
    buildSliders();
    resetQ();
  }

  function showError(e) {
    alert.hidden = false;
    alert.textContent = e?.message ?? String(e);
  }

  /** Rebuilds the target when its definition changed; returns false on an error. */
  function ensure() {
    const s = store.get();
    const key = JSON.stringify([s.target, s.params, s.points, s.labels, s.family]);
    if (key === cur.key) return true;
    try {
      const params = s.target === 'logistic' ? { points: s.points, labels: s.labels } : s.params;
      const post = new lab.Posterior2d(s.target, params);
      cur.post?.free();
      cur.post = post;
      cur.key = key;
      cur.logZ = post.logNormaliser();
      cur.moments = post.moments();
      cur.forward = post.fit(s.family, 'forward');
      cur.image = heat(post);
      run.started = false;
      alert.hidden = true;
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  }

  function heat(post) {
    const n = post.side;
    const bytes = lab.densityImage(post.density(), n);
    const off = document.createElement('canvas');
    off.width = n;
    off.height = n;
    off.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length), n, n), 0, 0);
    return { canvas: off, bounds: post.bounds() };
  }

  function resetQ() {
    run.path = [];
    run.started = false;
    const s = store.get();
    const mean = s.target === 'gaussian' ? [s.params.mean1 - 2, s.params.mean2 + 2] : [-2, 2];
    update({ q: { mean, cov: [1, 1, 0] } });
  }

  function evaluate() {
    const s = store.get();
    const cov = s.family === 'mean-field' ? [s.q.cov[0], s.q.cov[1], 0] : s.q.cov;
    return cur.post.evaluate(s.q.mean, cov);
  }

  function advance(count) {
    if (!ensure()) return;
    const s = store.get();
    try {
      if (!run.started) {
        cur.post.startOptimiser(s.family, s.q.mean, s.q.cov, 0.05, 8, s.seed);
        run.started = true;
      }
      const r = cur.post.step(count);
      run.path = [];
      setQ(r);
    } catch (e) { pause(); showError(e); }
  }

  function setQ(r) {
    update({ q: { mean: [...r.mean], cov: [...r.cov] } });
  }

  function cavi() {
    if (!ensure()) return;
    const s = store.get();
    if (s.family !== 'mean-field') return;
    try {
      if (!run.path.length) run.path.push([...s.q.mean]);
      const i = (run.path.length - 1) % 2;
      const r = cur.post.caviStep(s.q.mean, [s.q.cov[0], s.q.cov[1], 0], i);
      run.path.push([...r.mean]);
      run.started = false;
      setQ(r);
    } catch (e) { showError(e); }
  }

  function optimum() {
    if (!ensure()) return;
    const r = cur.post.fit(store.get().family, 'reverse');
    run.started = false;
    run.path = [];
    setQ(r);
  }

  function togglePlay() {
    if (run.playing) { pause(); return; }
    if (reducedMotion()) { advance(REDUCED_STEPS); setText(status, t('vi2d.reduced', { steps: REDUCED_STEPS })); return; }
    run.playing = true;
    const frame = () => {
      if (!run.playing) return;
      advance(STEPS_PER_FRAME);
      run.raf = requestAnimationFrame(frame);
    };
    run.raf = requestAnimationFrame(frame);
    render();
  }

  function pause() {
    if (!run.playing) return;
    run.playing = false;
    cancelAnimationFrame(run.raf);
    render();
  }

  // Coordinates: a square plot inside the canvas, [−VIEW, VIEW]² with z₂ upwards.
  const frame = (canvas) => {
    const pad = 28 * (canvas.width / Math.max(canvas.clientWidth, 1));
    const size = Math.min(canvas.width, canvas.height) - 2 * pad;
    return { pad, size, x: (z) => pad + ((z + VIEW) / (2 * VIEW)) * size, y: (z) => pad + ((VIEW - z) / (2 * VIEW)) * size };
  };

  function drawPanel(canvas, q, label) {
    const scale = fitCanvas(canvas);
    const ctx = canvas.getContext('2d');
    const f = frame(canvas);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.pad, f.pad, f.size, f.size);
    ctx.clip();
    if (cur.image) {
      const [x0, x1, y0, y1] = cur.image.bounds;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(cur.image.canvas, f.x(x0), f.y(y1), f.x(x1) - f.x(x0), f.y(y0) - f.y(y1));
    }
    if (label === 'reverse' && run.path.length > 1) {
      ctx.strokeStyle = '#111827';
      ctx.lineWidth = 1.5 * scale;
      ctx.beginPath();
      run.path.forEach(([a, b], i) => (i ? ctx.lineTo(f.x(a), f.y(b)) : ctx.moveTo(f.x(a), f.y(b))));
      ctx.stroke();
    }
    if (q) {
      const { a, b, angle } = axes(q.cov);
      ctx.strokeStyle = '#ea580c';
      ctx.fillStyle = '#ea580c';
      ctx.lineWidth = 2 * scale;
      const k = f.size / (2 * VIEW);
      for (const [m, text] of [[1, '39%'], [2, '86%']]) {
        ctx.beginPath();
        ctx.ellipse(f.x(q.mean[0]), f.y(q.mean[1]), Math.max(m * a * k, 0.5), Math.max(m * b * k, 0.5), -angle, 0, 2 * Math.PI);
        ctx.stroke();
        ctx.font = `${11 * scale}px sans-serif`;
        ctx.fillText(text, f.x(q.mean[0]) + m * a * k * Math.cos(angle) + 3 * scale, f.y(q.mean[1]) - m * a * k * Math.sin(angle));
      }
      ctx.beginPath();
      ctx.arc(f.x(q.mean[0]), f.y(q.mean[1]), 3 * scale, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.restore();
    axesFrame(ctx, f, scale, store.get().target === 'logistic' ? ['w₁', 'w₂'] : ['z₁', 'z₂']);
  }

  function axesFrame(ctx, f, scale, names) {
    ctx.strokeStyle = '#6b7280';
    ctx.lineWidth = scale;
    ctx.strokeRect(f.pad, f.pad, f.size, f.size);
    ctx.fillStyle = '#374151';
    ctx.font = `${11 * scale}px sans-serif`;
    for (const v of [-VIEW, 0, VIEW]) {
      ctx.fillText(String(v).replace('-', '−'), f.x(v) - 6 * scale, f.pad + f.size + 14 * scale);
      ctx.fillText(String(v).replace('-', '−'), 2 * scale, f.y(v) + 4 * scale);
    }
    ctx.fillText(names[0], f.pad + f.size - 14 * scale, f.pad + f.size + 24 * scale);
    ctx.fillText(names[1], 2 * scale, f.pad - 8 * scale);
  }

  function drawData() {
    const s = store.get();
    const scale = fitCanvas(data);
    const ctx = data.getContext('2d');
    const f = frame(data);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, data.width, data.height);
    // The posterior-mean decision boundary E[w]ᵀx = 0.
    const [w1, w2] = cur.moments ?? [0, 0];
    if (Math.hypot(w1, w2) > 1e-9) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(f.pad, f.pad, f.size, f.size);
      ctx.clip();
      ctx.strokeStyle = '#6b7280';
      ctx.setLineDash([4 * scale, 4 * scale]);
      const d = [-w2, w1].map((v) => (v / Math.hypot(w1, w2)) * 2 * DATA);
      ctx.beginPath();
      ctx.moveTo(f.x(-d[0]), f.y(-d[1]));
      ctx.lineTo(f.x(d[0]), f.y(d[1]));
      ctx.stroke();
      ctx.restore();
    }
    for (let i = 0; i < s.labels.length; i++) {
      const [a, b] = [s.points[2 * i], s.points[2 * i + 1]];
      ctx.beginPath();
      ctx.arc(f.x(a), f.y(b), 5 * scale, 0, 2 * Math.PI);
      ctx.lineWidth = 2 * scale;
      ctx.strokeStyle = s.labels[i] ? '#ea580c' : '#2563eb';
      ctx.fillStyle = '#ea580c';
      if (s.labels[i]) ctx.fill();
      ctx.stroke();
    }
    axesFrame(ctx, f, scale, ['x₁', 'x₂']);
    data.setAttribute('aria-label', t('vi2d.dataAlt', { n: s.labels.length, ones: s.labels.filter((y) => y).length }));
  }

  /** Data coordinates of a pointer event on `canvas`. */
  function at(canvas, event) {
    const box = canvas.getBoundingClientRect();
    const f = frame(canvas);
    const px = (event.clientX - box.left) * (canvas.width / box.width);
    const py = (event.clientY - box.top) * (canvas.height / box.height);
    return [((px - f.pad) / f.size) * 2 * VIEW - VIEW, VIEW - ((py - f.pad) / f.size) * 2 * VIEW];
  }

  data.addEventListener('pointerdown', (event) => {
    const s = store.get();
    const [a, b] = at(data, event);
    if (Math.abs(a) > DATA || Math.abs(b) > DATA) return;
    pause();
    // A click near a point removes it; elsewhere it adds one of the chosen class (Shift: the other).
    const near = s.labels.findIndex((_, i) => Math.hypot(s.points[2 * i] - a, s.points[2 * i + 1] - b) < 0.25);
    if (near >= 0) {
      const points = s.points.filter((_, k) => Math.floor(k / 2) !== near);
      update({ points, labels: s.labels.filter((_, k) => k !== near) });
      return;
    }
    if (s.labels.length >= MAX_POINTS) { setText(status, t('vi2d.full', { max: MAX_POINTS })); return; }
    const label = event.shiftKey ? 1 - run.cls : run.cls;
    const round = (v) => Math.round(v * 10) / 10;
    update({ points: [...s.points, round(a), round(b)], labels: [...s.labels, label] });
  });

  let dragging = false;
  left.addEventListener('pointerdown', (event) => {
    dragging = true;
    left.setPointerCapture?.(event.pointerId);
    moveQ(at(left, event));
  });
  left.addEventListener('pointermove', (event) => { if (dragging) moveQ(at(left, event)); });
  left.addEventListener('pointerup', () => { dragging = false; });
  left.addEventListener('keydown', (event) => {
    const d = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.1], ArrowDown: [0, -0.1] }[event.key];
    if (!d) return;
    event.preventDefault();
    const m = store.get().q.mean;
    moveQ([m[0] + d[0], m[1] + d[1]]);
  });

  function moveQ([a, b]) {
    pause();
    run.path = [];
    run.started = false;
    const clamp = (v) => Math.round(Math.min(VIEW, Math.max(-VIEW, v)) * 100) / 100;
    update({ q: { ...store.get().q, mean: [clamp(a), clamp(b)] } });
  }

  function render() {
    const s = store.get();
    for (const b of targetButtons.buttons) b.setAttribute('aria-pressed', String(b.dataset.target === s.target));
    for (const b of familyButtons.buttons) b.setAttribute('aria-pressed', String(b.dataset.family === s.family));
    for (const b of classButtons.buttons) b.setAttribute('aria-pressed', String(Number(b.dataset.class) === run.cls));
    dataRow.hidden = s.target !== 'logistic';
    dataWrap.hidden = s.target !== 'logistic';
    // The data canvas is in the page only for the logistic target (no blank canvas otherwise).
    if (s.target === 'logistic' && !data.isConnected) dataWrap.append(data);
    else if (s.target !== 'logistic' && data.isConnected) data.remove();
    caviButton.disabled = s.family !== 'mean-field';
    setText(playButton, run.playing ? t('vi2d.pause') : t('vi2d.play'));
    for (const [key, { input, out: o }] of Object.entries(sliders)) {
      if (document.activeElement !== input) input.value = s.params[key];
      setText(o, fmt(s.params[key], 2));
    }
    if (!ensure()) return;
    let r;
    try { r = evaluate(); } catch (e) { showError(e); return; }
    const [, , v1, v2, c] = cur.moments;
    const fw = cur.forward;
    setText(outs.elbo, `${fmt(r.elbo, 4)} nats`);
    setText(outs.kl, `${fmt(r.kl, 4)} nats`);
    setText(outs.logz, `${fmt(cur.logZ, 4)} nats`);
    setText(outs.identity, `${fmt(cur.logZ, 4)} = ${fmt(r.elbo, 4)} + ${fmt(r.kl, 4)}`);
    setText(outs.klf, `${fmt(fw.klForward, 4)} nats`);
    setText(outs.p1, fmt(v1)); setText(outs.p2, fmt(v2)); setText(outs.pc, fmt(c));
    setText(outs.q1, fmt(r.cov[0])); setText(outs.q2, fmt(r.cov[1])); setText(outs.qc, fmt(r.cov[2]));
    setText(outs.f1, fmt(fw.cov[0])); setText(outs.f2, fmt(fw.cov[1])); setText(outs.fc, fmt(fw.cov[2]));
    drawPanel(left, r, 'reverse');
    drawPanel(right, fw, 'forward');
    left.setAttribute('aria-label', t('vi2d.reverseAlt', { m1: fmt(r.mean[0], 2), m2: fmt(r.mean[1], 2), elbo: fmt(r.elbo), kl: fmt(r.kl) }));
    right.setAttribute('aria-label', t('vi2d.forwardAlt', { m1: fmt(fw.mean[0], 2), m2: fmt(fw.mean[1], 2), kl: fmt(fw.klForward) }));
    if (s.target === 'logistic') drawData();
  }

  buildSliders();
  const unsubscribe = store.subscribe(render);
  render();
  const unobserve = onResize(left, render);
  const state = () => {
    const s = store.get();
    return { state: structuredClone({ target: s.target, params: s.params, points: s.points, labels: s.labels, family: s.family, q: s.q, seed: s.seed }) };
  };
  return {
    store, state,
    /** Test hooks: the numbers on screen and the API object behind them. */
    readout: () => { ensure(); return { ...evaluate(), logZ: cur.logZ, moments: [...cur.moments], forward: cur.forward }; },
    destroy() { pause(); unsubscribe(); unobserve(); cur.post?.free(); root.replaceChildren(); },
  };
}
