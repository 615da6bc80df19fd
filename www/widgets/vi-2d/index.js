// Widget "vi-2d": variational inference in two dimensions. A target p(z | data) on a grid
// (correlated Gaussian, banana, donut, mixture, or a logistic regression's posterior over its
// weights for points the reader places), a Gaussian q (mean-field or full covariance) fitted
// by reverse KL (Adam on reparameterised ELBO gradients, CAVI steps, or the exact optimum) on
// the left, and the forward-KL (moment-matched) q on the right, both drawn as 1σ/2σ ellipses.
// The DOM is built in controls.js, the panels drawn in draw.js, the data points in points.js.
import { lab } from '../../lib/lab.js';
import { fmt, setText } from '../../lib/dom.js';
import { onResize } from '../../lib/canvas.js';
import { createStore } from '../../lib/store.js';
import { stringsFor } from '../../lib/i18n.js';
import { buildControls, buildSliders, FAMILIES, SLIDERS, TARGETS } from './controls.js';
import { at, drawData, drawPanel, heatImage, VIEW } from './draw.js';
import { EXAMPLE_LABELS, EXAMPLE_POINTS, listenForPoints, pointEdit } from './points.js';

export { TARGETS, FAMILIES, SLIDERS, EXAMPLE_POINTS, EXAMPLE_LABELS };
export { axes } from './draw.js';
const STEPS_PER_FRAME = 2;
const REDUCED_STEPS = 300; // what one press of Play runs at once under reduced motion
const defaults = (target) => Object.fromEntries(Object.entries(SLIDERS[target]).map(([k, v]) => [k, v[3]]));
export const DEFAULT_STATE = {
  target: 'gaussian', params: defaults('gaussian'), points: [], labels: [], family: 'mean-field',
  q: { mean: [-2, 2], cov: [1, 1, 0] }, seed: 1,
};
const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

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
  // The posterior for the state's target (`key`), its numbers, and `version`, counting its changes.
  const cur = { key: '', family: '', post: null, points: [], labels: [], version: 0, image: null, forward: null, moments: null, logZ: NaN, evaluated: null };

  const el = buildControls(root, t, {
    target: (v) => setTarget(v),
    family: (v) => { pause(); update({ family: v }); resetQ(); },
    cls: (v) => { run.cls = v; render(); },
    play: togglePlay,
    step: () => { pause(); advance(1); },
    reset: () => { pause(); resetQ(); },
    cavi: () => { pause(); cavi(); },
    optimum: () => { pause(); optimum(); },
    example: () => { pause(); update({ points: [...EXAMPLE_POINTS], labels: [...EXAMPLE_LABELS] }); },
    clear: () => { pause(); update({ points: [], labels: [] }); },
  });
  const { outs, left, right, data } = el;
  const backgrounds = new Map(); // the panels' painted heat map + frame: see draw.js
  let sliders = {};
  const makeSliders = () => {
    const s = store.get();
    sliders = buildSliders(el.sliderGrid, t, s.target, s.params, (key, value) => {
      pause();
      update({ params: { ...store.get().params, [key]: value } });
    });
  };

  function setTarget(target) {
    pause();
    update({ target, params: defaults(target), ...(target === 'logistic' && !store.get().points.length ? { points: [...EXAMPLE_POINTS], labels: [...EXAMPLE_LABELS] } : {}) });
    makeSliders();
    resetQ();
  }

  function showError(e) {
    el.alert.hidden = false;
    el.alert.textContent = e?.message ?? String(e);
  }

  /**
   * Brings the posterior up to the state's target: one point added or removed is applied in
   * place, another change builds a new Posterior2d; a change of family alone refits the
   * forward q. Returns false on an error (shown).
   */
  function ensure() {
    const s = store.get();
    const key = JSON.stringify([s.target, s.params, s.points, s.labels]);
    if (key === cur.key && s.family === cur.family) return true;
    try {
      if (key !== cur.key) {
        const edit = cur.post && cur.key.startsWith('["logistic"') && s.target === 'logistic'
          ? pointEdit(cur.points, cur.labels, s.points, s.labels) : null;
        if (edit?.add) cur.post.addPoint(...edit.add);
        else if (edit) cur.post.removePoint(edit.remove);
        else {
          const post = new lab.Posterior2d(s.target, s.target === 'logistic' ? { points: s.points, labels: s.labels } : s.params);
          cur.post?.free();
          cur.post = post;
        }
        Object.assign(cur, { key, points: s.points, labels: s.labels, logZ: cur.post.logNormaliser(), moments: cur.post.moments() });
        cur.image = heatImage(cur.post, cur.image);
        run.started = false;
      }
      cur.forward = cur.post.fit(s.family, 'forward');
      cur.family = s.family;
      cur.version += 1;
      el.alert.hidden = true;
      return true;
    } catch (e) {
      showError(e);
      return false;
    }
  }

  function resetQ() {
    run.path = [];
    run.started = false;
    const s = store.get();
    const mean = s.target === 'gaussian' ? [s.params.mean1 - 2, s.params.mean2 + 2] : [-2, 2];
    update({ q: { mean, cov: [1, 1, 0] } });
  }

  /** ELBO, KLs and moments of the state's q under the current posterior (kept until either changes). */
  function evaluate() {
    const s = store.get();
    const e = cur.evaluated;
    if (e && e.q === s.q && e.version === cur.version) return e.r;
    const cov = s.family === 'mean-field' ? [s.q.cov[0], s.q.cov[1], 0] : s.q.cov;
    const r = cur.post.evaluate(s.q.mean, cov);
    cur.evaluated = { q: s.q, version: cur.version, r };
    return r;
  }

  /** Sets q to a result of the API (step, CAVI, optimum), which already holds q's numbers. */
  function setQ(r) {
    const q = { mean: [...r.mean], cov: [...r.cov] };
    cur.evaluated = { q, version: cur.version, r };
    update({ q });
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
    if (reducedMotion()) { advance(REDUCED_STEPS); setText(el.status, t('vi2d.reduced', { steps: REDUCED_STEPS })); return; }
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

  listenForPoints(data, store, { cls: () => run.cls, before: pause, full: (max) => setText(el.status, t('vi2d.full', { max })) });

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
    for (const b of el.targets.buttons) b.setAttribute('aria-pressed', String(b.dataset.target === s.target));
    for (const b of el.families.buttons) b.setAttribute('aria-pressed', String(b.dataset.family === s.family));
    for (const b of el.classes.buttons) b.setAttribute('aria-pressed', String(Number(b.dataset.class) === run.cls));
    const logistic = s.target === 'logistic';
    el.dataRow.hidden = !logistic;
    el.dataWrap.hidden = !logistic;
    // The data canvas is in the page only for the logistic target (no blank canvas otherwise).
    if (logistic && !data.isConnected) el.dataWrap.append(data);
    else if (!logistic && data.isConnected) data.remove();
    el.cavi.disabled = s.family !== 'mean-field';
    setText(el.play, run.playing ? t('vi2d.pause') : t('vi2d.play'));
    for (const [key, { input, out: o }] of Object.entries(sliders)) {
      if (document.activeElement !== input) input.value = s.params[key];
      setText(o, fmt(s.params[key], 2));
    }
    if (!ensure()) return;
    let r;
    try { r = evaluate(); } catch (e) { showError(e); return; }
    const fw = cur.forward;
    // Draw before writing any text: drawing reads no layout, so nothing forces one mid-edit.
    const panel = { cache: backgrounds, image: cur.image, version: cur.version, names: logistic ? ['w₁', 'w₂'] : ['z₁', 'z₂'] };
    drawPanel(left, { ...panel, q: r, path: run.path });
    drawPanel(right, { ...panel, q: fw });
    if (logistic) drawData(data, { points: s.points, labels: s.labels, w: cur.moments });
    const [, , v1, v2, c] = cur.moments;
    setText(outs.elbo, `${fmt(r.elbo, 4)} nats`);
    setText(outs.kl, `${fmt(r.kl, 4)} nats`);
    setText(outs.logz, `${fmt(cur.logZ, 4)} nats`);
    setText(outs.identity, `${fmt(cur.logZ, 4)} = ${fmt(r.elbo, 4)} + ${fmt(r.kl, 4)}`);
    setText(outs.klf, `${fmt(fw.klForward, 4)} nats`);
    setText(outs.p1, fmt(v1)); setText(outs.p2, fmt(v2)); setText(outs.pc, fmt(c));
    setText(outs.q1, fmt(r.cov[0])); setText(outs.q2, fmt(r.cov[1])); setText(outs.qc, fmt(r.cov[2]));
    setText(outs.f1, fmt(fw.cov[0])); setText(outs.f2, fmt(fw.cov[1])); setText(outs.fc, fmt(fw.cov[2]));
    left.setAttribute('aria-label', t('vi2d.reverseAlt', { m1: fmt(r.mean[0], 2), m2: fmt(r.mean[1], 2), elbo: fmt(r.elbo), kl: fmt(r.kl) }));
    right.setAttribute('aria-label', t('vi2d.forwardAlt', { m1: fmt(fw.mean[0], 2), m2: fmt(fw.mean[1], 2), kl: fmt(fw.klForward) }));
    if (logistic) data.setAttribute('aria-label', t('vi2d.dataAlt', { n: s.labels.length, ones: s.labels.filter((y) => y).length }));
  }

  makeSliders();
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
