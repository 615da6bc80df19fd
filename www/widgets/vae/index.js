// Widget "vae": a variational autoencoder trained on handwritten digits in a Web Worker, with
// its loss curves, latent space, decoded manifold, reconstructions, prior samples, an
// interpolation, the exact posterior of one image beside q(z | x), and PCA / autoencoder
// baselines. The page only draws; every number comes from the worker's own wasm instance.
//
// This file wires the parts, which share one context `w` ({ t, error, state, run, linked, ui,
// send, request, schedule, showError }): view.js (the DOM and the settings), client.js (the
// worker), paint.js (the charts and readouts), latent.js (the latent plane), inspector.js (one
// image's posterior and gap), baselines.js, weights.js (save and load), replay.js (links), and
// protocol.js (the messages, shared with www/workers/vae.js).
import { h } from '../../lib/dom.js';
import { lab } from '../../lib/lab.js';
import { onResize } from '../../lib/canvas.js';
import { stringsFor } from '../../lib/i18n.js';
import { datasets, MSG, OWN } from './protocol.js';
import { buildView, readConfig, clampInt, lrText, LRS, DEFAULT_CONFIG, DEFAULTS } from './view.js';
import { createClient } from './client.js';
import { paint, syncTrainButton } from './paint.js';
import { decodeAt, interpolate, listenLatent } from './latent.js';
import { INSPECT_EVERY_MS, fitq, inspect, pick } from './inspector.js';
import { runBaselines } from './baselines.js';
import { save, listenLoad } from './weights.js';
import { finishReplay, linkState, linkedFrom, replayLink, train } from './replay.js';
import { showPreset } from './collapse.js';
import { ownDigitControls, ownPointsControls, storedPoints } from './own.js';
import { readerModel } from './rate.js';

export { DEFAULT_CONFIG };
export { shownDifference, shownSum } from './view.js';

/**
 * Mounts the widget into `root`. Options: { config, seed, dataset, target, unit } override the
 * defaults; `readerModel`, a store (lib/store.js) shared with 4.3's widget, receives the
 * current model's place on the rate–distortion plane (rate.js readerModel) or null.
 */
export function mount(root, options = {}) {
  const { t, error } = stringsFor(root);
  const state = {
    config: { ...DEFAULT_CONFIG, ...options.config },
    seed: options.seed ?? DEFAULTS.seed,
    dataset: datasets().includes(options.dataset) ? options.dataset : 'digits',
    target: Math.max(options.target ?? DEFAULTS.target, options.epoch ?? 0),
    index: options.index ?? DEFAULTS.index, a: options.a ?? DEFAULTS.a, b: options.b ?? DEFAULTS.b,
    points: storedPoints(), // the reader's own CSV (localStorage POINTS_KEY), for the data set OWN
    unit: options.unit === 'bits' ? 'bits' : 'nats', // of the rate and distortion (rate.js)
  };
  const run = { running: false, until: 0, imported: false, ready: false, snapshot: null, frame: 0, data: null, probe: null, path: [], interp: null,
    inspected: null, inspecting: false, lastInspect: 0, baselines: null, model: 0 };
  const w = { t, error, state, run, linked: linkedFrom(options) };
  const { linked } = w;
  const client = createClient({
    [MSG.data]: onData,
    [MSG.snapshot]: onSnapshot,
    [MSG.diverged]: (m) => { run.running = false; run.diverged = true; showDiverged(m); },
    [MSG.progress]: (m) => { w.ui.base.status.textContent = t('vae.base.progress', { done: m.done, total: m.total }); },
    [MSG.error]: (m) => showError(error(m.error)),
    [MSG.rate]: onRate,
  }, (message) => showError(message || t('vae.workerFailed')));
  Object.assign(w, {
    send: client.send,
    request: client.request,
    showError,
    /** Drawing, at most once per frame, from the latest snapshot. */
    schedule() {
      if (run.frame) return;
      run.frame = requestAnimationFrame(() => { run.frame = 0; paint(w); });
    },
  });
  const ui = buildView(root, t, state, {
    train: toggleTraining,
    step: () => { run.running = false; linked.replaying = false; w.send(MSG.step); w.schedule(); },
    reset,
    save: () => save(w),
    fitq: () => fitq(w),
    interpolate: () => interpolate(w),
    baselines: () => runBaselines(w),
    prev: () => pick(w, state.index - 1),
    next: () => pick(w, state.index + 1),
    preset: applyPreset,
    unit: (u) => { state.unit = u; w.schedule(); },
    // As if the reader had typed the fresh seed: the field's change re-initialises the model.
    newSeed: () => {
      control.seed.input.value = lab.freshSeed();
      control.seed.input.dispatchEvent(new Event('change', { bubbles: true }));
    },
  });
  w.ui = ui;
  const { control } = ui;

  function onData(m) {
    run.data = m;
    run.inspected = null;
    run.fitted = null;
    ui.recipeNote.textContent = m.recipe ? t(`vae.recipe.${m.recipe}`) : '';
    const toy = m.dataset !== 'digits';
    for (const part of Object.values(ui.images)) part.hidden = toy;
    for (const part of Object.values(ui.toyParts)) part.hidden = !toy;
    ui.chosenPoint.hidden = !toy;
    ui.fillLegend(m.testY, m.labelNames?.length ? m.labelNames : null);
    const last = m.testX.length / m.pixels - 1; // a link's image numbers may be past this set's end
    for (const key of ['index', 'a', 'b']) {
      const { input } = control[key];
      input.max = last;
      state[key] = Math.min(state[key], last);
      input.value = state[key];
    }
  }

  function onSnapshot(m) {
    const first = !run.ready;
    run.ready = true;
    run.snapshot = m;
    // run.running is the reader's intent; the worker's own state may lag one message behind.
    run.workerRunning = m.running;
    if (run.running && !m.running && m.epoch >= run.until) { // reached the target
      run.running = false;
      if (linked.replaying) finishReplay(w);
    }
    w.schedule();
    publish(m);
    if (first) decodeAt(w, ...linked.probe);
    if (first) replayLink(w);
    // A model that has stopped changing is inspected for sure (after the reply that is out, if
    // one is); while it trains, at most every INSPECT_EVERY_MS.
    if (first || !m.running) inspect(w, true);
    else if (performance.now() - run.lastInspect > INSPECT_EVERY_MS) inspect(w);
  }

  /** The model's place on 4.3's plane, to the shared store when it changes (a new model: null). */
  let published = null;
  function publish(m) {
    const next = readerModel(m, run.data);
    const same = (a, b) => a === b || (a && b && Object.keys(a).every((k) => a[k] === b[k]));
    if (same(next, published)) return;
    published = next;
    options.readerModel?.set(next);
  }

  /** 4.3's score of the model (worker scoreLater): into the snapshot shown, and to 4.3's plane. */
  function onRate(m) {
    if (!run.snapshot) return;
    run.snapshot = { ...run.snapshot, rate: m.rate };
    w.schedule();
    publish(run.snapshot);
  }

  function showError(message) {
    ui.alert.hidden = false;
    ui.alert.replaceChildren(h('p', {}, t('vae.error', { message })));
  }

  /** Why training stopped, in the widget's language (the worker sends a kind, not text). */
  function divergedReason(reason) {
    if (reason.kind === 'jump') return t('vae.reason.jump', { from: reason.from, to: reason.to });
    return reason.kind === 'overflow' ? t('vae.reason.overflow') : error(reason.error);
  }

  function showDiverged(m) {
    const smaller = [...LRS].reverse().find((v) => v <= m.lr / 10 + 1e-12) ?? LRS[0];
    ui.alert.hidden = false;
    ui.alert.replaceChildren(
      h('p', {}, t('vae.diverged', { epoch: m.epoch, lr: lrText(m.lr), reason: divergedReason(m.reason) })),
      h('button', { type: 'button', 'data-action': 'recover', onclick: () => { control.lr.input.value = String(smaller); readConfig(ui, state); reset(); } },
        t('vae.recover', { lr: lrText(smaller) })));
    w.schedule();
  }

  /** A fresh model with the settings in `state`; replies to requests about the old one are dropped. */
  function reset() {
    run.model += 1;
    ui.alert.hidden = true;
    run.diverged = false;
    run.probe = null;
    run.path = [];
    run.interp = null;
    run.baselines = null;
    run.fitted = null;
    ui.fitNote.textContent = '';
    ui.collapse.note.textContent = '';
    ui.base.wrap.hidden = true;
    ui.base.status.textContent = '';
    w.send(MSG.reset, { config: state.config, seed: state.seed, dataset: state.dataset, points: state.dataset === OWN ? state.points : undefined });
    run.note = '';
    run.imported = false;
    linked.replaying = false;
  }

  /** A preset of the collapse part: its settings into the controls, a fresh model, its epochs as the target. */
  function applyPreset(name) {
    const p = showPreset(name, control, ui.collapse);
    state.dataset = p.dataset;
    state.target = p.target;
    readConfig(ui, state);
    reset();
    ui.collapse.note.textContent = t(`vae.preset.${name}Note`, { epochs: p.target });
    w.schedule();
  }

  function toggleTraining() {
    linked.replaying = false; // the reader takes over
    if (run.running) {
      run.running = false;
      w.send(MSG.pause);
    } else {
      const epoch = run.snapshot?.epoch ?? 0;
      if (epoch >= state.target) {
        state.target = Math.min(2000, epoch + DEFAULTS.target);
        control.target.input.value = state.target;
      }
      ui.alert.hidden = true;
      run.diverged = false;
      run.note = '';
      run.running = true;
      train(w, state.target);
    }
    syncTrainButton(w);
    w.schedule();
  }

  control.dataset.input.addEventListener('change', () => {
    const chosen = control.dataset.input.value;
    state.dataset = datasets().includes(chosen) || (chosen === OWN && state.points) ? chosen : 'digits';
    readConfig(ui, state);
    reset();
  });
  for (const key of ['latent', 'hidden', 'activation', 'beta', 'lr', 'batch', 'seed', 'mode']) {
    control[key].input.addEventListener('change', () => { readConfig(ui, state); reset(); });
  }
  for (const { input } of Object.values(ui.collapse.control)) input.addEventListener('change', () => { readConfig(ui, state); reset(); });
  control.target.input.addEventListener('change', () => {
    state.target = clampInt(Number(control.target.input.value), 1, 2000, DEFAULTS.target);
    control.target.input.value = state.target;
    w.schedule();
  });
  control.index.input.addEventListener('change', () => pick(w, Number(control.index.input.value)));
  listenLatent(w);
  listenLoad(w);
  onResize(root, () => { run.inspectorDrawn = null; run.baselinesDrawn = null; run.collapseDrawn = null; w.schedule(); });
  // The worker gets the page's compiled wasm module and the settings as they are by then.
  // The reader's own points and drawn digit (own.js; their code is fetched when first used).
  ownPointsControls(w, (text) => {
    state.points = text;
    state.dataset = text ? OWN : (state.dataset === OWN ? 'digits' : state.dataset);
    control.dataset.input.value = state.dataset;
    readConfig(ui, state);
    reset();
  });
  ownDigitControls(w);
  client.startWhenNear(root, () => ({ config: state.config, seed: state.seed, dataset: state.dataset, points: state.dataset === OWN ? state.points : undefined }),
    (err) => showError(t('vae.loadDataFailed', { message: error(err) })));
  return {
    worker: client.worker,
    /** What a link carries, as mount's options take them (replay.js). */
    state: () => linkState(w),
    /** The latest snapshot's numbers, for tests and benchmarks. */
    stats: () => ({ epoch: run.snapshot?.epoch ?? 0, running: run.running, workerMemoryBytes: run.snapshot?.memoryBytes ?? 0,
      examplesPerSecond: run.snapshot?.examplesPerSecond ?? 0 }),
    destroy() { client.destroy(); options.readerModel?.set(null); },
  };
}
