// Widget "vae": a variational autoencoder trained on handwritten digits in a Web Worker, with
// its loss curves, latent space, decoded manifold, reconstructions, prior samples, an
// interpolation, the exact posterior of one image beside q(z | x), and PCA / autoencoder
// baselines. The page only draws; every number comes from the worker's own wasm instance.
import { lab, wasmModule } from '../lib/lab.js';
import { h, fmt, setText, uid } from '../lib/dom.js';
import { fitCanvas, onResize, pointerFraction } from '../lib/canvas.js';
import { drawImages, blit } from '../lib/images.js';
import { stringsFor } from '../lib/i18n.js';

const HALF = 4; // the latent plane is drawn over [−4, 4]²
const LRS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3];
const HIDDEN = [16, 32, 64, 128, 256];
const BATCHES = [16, 32, 64, 128, 256];
const MANIFOLD = 12; // must match the worker
const RECON_COUNT = 10;
const SAMPLE_COUNT = 16;
const STEPS = 10; // interpolation images
const IWAE_K = 2000; // importance samples for log p(x) of the inspected image
const BASELINE_EPOCHS = 30;
const DATASETS = ['digits', 'mixture', 'moons', 'rings', 'spiral']; // must match the worker
const INSPECT_EVERY_MS = 2500; // refresh the posterior at most this often while training
const FIT_STEPS = 300; // gradient steps of the per-image fit q* (the worker's Adam)

/**
 * a and b shown to 2 decimals, and the difference a − b (or the sum a + b) taken from the
 * shown values, exactly, in hundredths: so the numbers on screen satisfy a − b = c (or
 * a + b = c) as written, and c is within 0.01 of the exact result. Returns the three strings.
 */
const hundredths = (v) => Math.round(v * 100);
const shown = (n) => fmt(n / 100, 2);
export function shownDifference(a, b) {
  const [x, y] = [hundredths(a), hundredths(b)];
  return [shown(x), shown(y), shown(x - y)];
}
export function shownSum(a, b) {
  const [x, y] = [hundredths(a), hundredths(b)];
  return [shown(x), shown(y), shown(x + y)];
}

export const DEFAULT_CONFIG = { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae', activation: 'tanh' };
const DEFAULTS = { config: DEFAULT_CONFIG, seed: 1, target: 100, index: 0, a: 0, b: 1 };

const clampInt = (v, lo, hi, fallback) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback);

/** A labelled <select> of numbers. */
function select(label, values, value, key, format = String) {
  const id = uid('vs');
  const el = h('select', { id, 'data-input': key }, values.map((v) => h('option', { value: v, selected: v === value }, format(v))));
  return { input: el, el: h('span', { class: 'field' }, h('label', { for: id }, label), el) };
}

/** A labelled number input. */
function number(label, attrs, key) {
  const id = uid('vn');
  const el = h('input', { id, type: 'number', 'data-input': key, ...attrs });
  return { input: el, el: h('span', { class: 'field' }, h('label', { for: id }, label), el) };
}

const lrText = (v) => (v >= 0.1 ? String(v) : v.toExponential(0).replace('e-', 'e−'));

/**
 * The trainer's module worker. Browsers start workers only from the page's own origin, so a
 * page on another origin (the module embed) starts a same-origin blob worker that imports
 * ours; that needs the lab's host to allow CORS, as the module embed itself does.
 */
function startWorker(url) {
  if (url.origin === window.location.origin) return new Worker(url, { type: 'module' });
  const boot = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(boot), { type: 'module' });
}


/**
 * Resolves once the page's load event has fired and the browser is next idle (or 2 s later at
 * most), or when afterLoad.now() is called, whichever comes first: for fetches that must not
 * compete with the first load.
 */
function afterLoad() {
  afterLoad.promise ??= new Promise((resolve) => {
    afterLoad.now = resolve;
    const idle = () => (window.requestIdleCallback ?? setTimeout)(resolve, { timeout: 2000 });
    if (document.readyState === 'complete') idle(); else window.addEventListener('load', idle, { once: true });
  });
  return afterLoad.promise;
}
/** Mounts the widget into `root`. Options: { config, seed, dataset, target } override the defaults. */
export function mount(root, options = {}) {
  const { t, error } = stringsFor(root);
  const state = {
    config: { ...DEFAULT_CONFIG, ...options.config },
    seed: options.seed ?? DEFAULTS.seed,
    dataset: DATASETS.includes(options.dataset) ? options.dataset : 'digits',
    target: Math.max(options.target ?? DEFAULTS.target, options.epoch ?? 0),
    index: options.index ?? DEFAULTS.index, a: options.a ?? DEFAULTS.a, b: options.b ?? DEFAULTS.b,
  };
  // A link's model: training is deterministic (same wasm, settings and seed → the same weights
  // bit for bit), so the linked epoch is reached by training again, and the interpolation the
  // sender made is made again on that model.
  const linked = {
    epoch: options.epoch ?? 0, interpolate: options.interpolate === true, baselines: options.baselines === true,
    probe: Array.isArray(options.probe) && options.probe.length === 2 ? options.probe : [0, 0],
    oldRecipe: options.oldRecipe === true,
  };
  const run = { running: false, until: 0, imported: false, ready: false, snapshot: null, frame: 0, data: null, probe: null, path: [], interp: null,
    inspected: null, inspecting: false, lastInspect: 0, baselines: null, model: 0 };
  const worker = startWorker(new URL('../workers/vae.js', import.meta.url));
  const pending = new Map();
  let nextId = 0;

  // Controls
  const latent = number(t('vae.latent'), { min: 1, max: 16, step: 1, value: state.config.latent }, 'latent');
  const hidden = select(t('vae.hidden'), HIDDEN, state.config.hidden, 'hidden');
  const beta = number(t('vae.beta'), { min: 0, max: 10, step: 0.1, value: state.config.beta }, 'beta');
  const lr = select(t('vae.lr'), LRS, state.config.lr, 'lr', lrText);
  const batch = select(t('vae.batch'), BATCHES, state.config.batchSize, 'batch');
  const seed = number(t('vae.seed'), { min: 0, max: 1e9, step: 1, value: state.seed, class: 'seed' }, 'seed');
  const mode = select(t('vae.mode'), ['vae', 'autoencoder'], state.config.mode, 'mode', (v) => t(`vae.mode.${v}`));
  const activation = select(t('vae.activation'), ['tanh', 'relu'], state.config.activation, 'activation', (v) => t(`vae.activation.${v}`));
  const datasetSel = select(t('vae.dataset'), DATASETS, state.dataset, 'dataset', (v) => t(`vae.dataset.${v}`));
  const target = number(t('vae.target'), { min: 1, max: 2000, step: 1, value: state.target }, 'target');
  const trainButton = h('button', { type: 'button', 'data-action': 'train', onclick: toggleTraining, disabled: true }, t('vae.start'));
  const stepButton = h('button', { type: 'button', 'data-action': 'step', onclick: () => { run.running = false; linked.replaying = false; send('step'); schedule(); }, disabled: true }, t('vae.step'));
  const resetButton = h('button', { type: 'button', 'data-action': 'reset', onclick: reset, disabled: true }, t('vae.reset'));
  const saveButton = h('button', { type: 'button', 'data-action': 'save', onclick: save, disabled: true }, t('vae.save'));
  const fileId = uid('vf');
  const fileInput = h('input', { id: fileId, type: 'file', accept: '.json,application/json', class: 'visually-hidden', 'data-input': 'weights' });
  const loadButton = h('button', { type: 'button', 'data-action': 'load', onclick: () => fileInput.click(), disabled: true }, t('vae.load'));
  const progress = h('progress', { max: state.target, value: 0, 'aria-label': t('vae.progressLabel') });
  const status = h('p', { class: 'note', role: 'status', 'aria-live': 'polite', 'data-out': 'vae-status' }, t('vae.loading'));
  const alert = h('div', { class: 'infinity', role: 'alert', 'data-out': 'vae-error', hidden: true });
  const outs = Object.fromEntries(['epoch', 'speed', 'elbo', 'recon', 'kl', 'train', 'trainElbo'].map((k) => [k, h('output', { 'data-out': `vae-${k}` }, '—')]));
  // The rows whose quantity depends on the settings (β, VAE or autoencoder): labels set in paint().
  const rowLabels = Object.fromEntries(['train', 'trainElbo', 'elbo', 'recon', 'kl'].map((k) => [k, h('th', { scope: 'row', 'data-label': `vae-${k}` })]));
  const rows = Object.fromEntries(Object.keys(rowLabels).map((k) => [k, h('tr', {}, rowLabels[k], h('td', {}, outs[k]))]));
  const sumNote = h('p', { class: 'note', 'data-out': 'vae-sum' });
  const recipeNote = h('p', { class: 'note', 'data-out': 'vae-recipe' });

  // Charts
  const curves = h('canvas', { class: 'chart chart-short', role: 'img' });
  const scatter = h('canvas', { class: 'chart chart-square', role: 'img', tabindex: 0, 'data-chart': 'latent' });
  const probe = h('canvas', { class: 'digits digits-one', role: 'img', 'data-chart': 'probe' });
  const manifold = h('canvas', { class: 'digits', role: 'img', 'data-chart': 'manifold' });
  const recon = h('canvas', { class: 'digits', role: 'img', 'data-chart': 'reconstructions' });
  const samples = h('canvas', { class: 'digits digits-samples', role: 'img', 'data-chart': 'samples' });
  const interp = h('canvas', { class: 'digits', role: 'img', 'data-chart': 'interpolation', hidden: true });
  const postFrame = h('canvas', { class: 'chart chart-square', role: 'img', 'data-chart': 'posterior' });
  const postOverlay = h('canvas', { class: 'chart chart-square overlay', 'aria-hidden': 'true' });
  const chosen = h('canvas', { class: 'digits digits-one', role: 'img', 'data-chart': 'chosen' });
  const dataChart = h('canvas', { class: 'chart chart-square', role: 'img', 'data-chart': 'data' });
  const chosenPoint = h('p', { 'data-out': 'vae-post-point', hidden: true });
  const gap = h('canvas', { class: 'chart chart-stack', role: 'img', 'data-chart': 'gap' });
  const postOuts = Object.fromEntries(['logpx', 'iwae', 'elbo', 'gap', 'label', 'elboStar', 'amort', 'approx'].map((k) => [k, h('output', { 'data-out': `vae-post-${k}` }, '—')]));
  const postLabels = Object.fromEntries(Object.keys(postOuts).map((k) => [k, h('th', { scope: 'row', 'data-label': `vae-post-${k}` })]));
  const postRows = Object.fromEntries(Object.keys(postOuts).map((k) => [k, h('tr', {}, postLabels[k], h('td', {}, postOuts[k]))]));
  const postNote = h('p', { class: 'note', 'data-out': 'vae-post-note' });
  const fitNote = h('p', { class: 'note', role: 'status', 'data-out': 'vae-fit-status' });
  const fitButton = h('button', { type: 'button', 'data-action': 'fitq', onclick: fitq, disabled: true }, t('vae.fitq'));
  const indexIn = number(t('vae.image'), { min: 0, max: 359, step: 1, value: state.index }, 'index');
  const aIn = number(t('vae.from'), { min: 0, max: 359, step: 1, value: state.a }, 'a');
  const bIn = number(t('vae.to'), { min: 0, max: 359, step: 1, value: state.b }, 'b');
  const interpButton = h('button', { type: 'button', 'data-action': 'interpolate', onclick: interpolate, disabled: true }, t('vae.interpolate'));
  const baseButton = h('button', { type: 'button', 'data-action': 'baselines', onclick: baselines, disabled: true }, t('vae.baselines', { epochs: BASELINE_EPOCHS }));
  const baseStatus = h('p', { class: 'note', role: 'status', 'data-out': 'vae-base-status' });
  const baseCanvases = ['pca', 'autoencoder', 'vae'].map((k) => h('canvas', { class: 'chart chart-square', role: 'img', 'data-chart': `base-${k}` }));
  const baseBody = h('p', { 'data-out': 'vae-base-body' }, t('vae.baseBody', { k: state.config.latent }));
  const baseCaptions = ['pca', 'autoencoder', 'vae'].map((k) => h('figcaption', {}, t(`vae.base.${k}`, { k: state.config.latent })));
  const baseTable = h('tbody', { 'data-out': 'vae-base-table' });
  const baseWrap = h('div', { hidden: true },
    h('div', { class: 'maps maps-3' }, baseCanvases.map((c, i) => h('figure', { class: 'map' }, h('div', { class: 'chart-wrap' }, c), baseCaptions[i]))),
    h('table', { class: 'readout' }, h('thead', {}, h('tr', {}, h('th', {}, t('vae.base.model')), h('th', {}, t('vae.base.sq')), h('th', {}, t('vae.base.bce')))), baseTable));
  for (const c of [curves, scatter, probe, manifold, recon, samples, interp, postFrame, chosen, gap, dataChart]) {
    c.setAttribute('aria-label', t('vae.pendingAlt'));
  }
  const legend = h('p', { class: 'legend', 'aria-hidden': 'true' });
  /** One swatch per label present in the data (10 digits, or a toy set's classes). */
  const fillLegend = (labels) => legend.replaceChildren(...Array.from({ length: Math.max(...labels) + 1 }, (_, d) => [h('span', { class: `swatch swatch-digit-${d % 10}` }), String(d)]).flat());
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));
  const caption = (key) => h('p', { class: 'chart-caption' }, t(key));

  // Parts shown only for the digits (pictures) or only for the 2-D toy sets (a data-space plot).
  const images = {
    side: h('div', {}, caption('vae.probeCaption'), h('div', { class: 'digit-box' }, probe), caption('vae.manifoldCaption'), manifold),
    pictures: h('div', { class: 'panel-columns' },
      h('div', {}, caption('vae.reconCaption'), recon),
      h('div', {}, caption('vae.samplesCaption'), samples)),
    interpolation: h('div', {}, h('h3', {}, t('vae.interpTitle')), h('div', { class: 'controls' }, aIn.el, bIn.el, interpButton), interp),
    chosen: h('div', { class: 'digit-box' }, chosen),
    baselines: h('div', {}, h('h3', {}, t('vae.baseTitle')), baseBody, h('div', { class: 'controls' }, baseButton), baseStatus, baseWrap),
  };
  const toyParts = {
    side: h('div', { hidden: true }, caption('vae.dataCaption'), h('div', { class: 'chart-wrap' }, dataChart)),
  };

  root.replaceChildren(
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vae.modelTitle')), datasetSel.el, mode.el, latent.el, hidden.el, activation.el, beta.el, lr.el, batch.el, seed.el),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vae.trainTitle')), trainButton, stepButton, resetButton, target.el, progress),
    h('div', { class: 'controls' }, saveButton, loadButton, h('label', { for: fileId, class: 'visually-hidden' }, t('vae.load')), fileInput),
    recipeNote, status, alert,
    h('div', { class: 'panel-columns' },
      h('div', {},
        caption('vae.latentCaption'),
        h('div', { class: 'chart-wrap' }, scatter), legend),
      images.side,
      toyParts.side),
    h('table', { class: 'readout' }, h('tbody', {}, row(t('vae.rowEpoch'), outs.epoch), row(t('vae.rowSpeed'), outs.speed),
      rows.train, rows.trainElbo, rows.elbo, rows.recon, rows.kl)),
    sumNote,
    caption('vae.curvesCaption'), h('div', { class: 'chart-wrap' }, curves),
    h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), t('vae.curve.train'), ' ', h('span', { class: 'swatch swatch-orange' }), t('vae.curve.test'),
      ' ', h('span', { class: 'swatch swatch-green' }), t('vae.curve.recon'), ' ', h('span', { class: 'swatch swatch-purple' }), t('vae.curve.kl')),
    images.pictures,
    images.interpolation,
    h('h3', {}, t('vae.postTitle')),
    h('p', {}, t('vae.postBody')),
    h('div', { class: 'controls' }, indexIn.el,
      h('button', { type: 'button', 'data-action': 'prev', onclick: () => pick(state.index - 1) }, t('vae.prev')),
      h('button', { type: 'button', 'data-action': 'next', onclick: () => pick(state.index + 1) }, t('vae.next')), fitButton),
    fitNote,
    h('div', { class: 'panel-columns' },
      h('div', { class: 'chart-wrap' }, postFrame, postOverlay),
      h('div', {},
        images.chosen, chosenPoint,
        h('table', { class: 'readout' }, h('tbody', {}, ...['label', 'logpx', 'iwae', 'elbo', 'elboStar', 'gap', 'amort', 'approx'].map((k) => postRows[k]))),
        postNote)),
    h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), t('vae.post.legendP'), ' ', h('span', { class: 'swatch swatch-orange' }), t('vae.post.legendQ'),
      ' ', h('span', { class: 'swatch swatch-green' }), t('vae.post.legendStar')),
    caption('vae.gapCaption'), h('div', { class: 'chart-wrap' }, gap),
    images.baselines);

  // Worker protocol. Until 'init' is posted (when the widget comes near the screen) the worker
  // has no wasm: a settings change then needs no message, since 'init' carries the settings as
  // they are when it is posted; anything else waits in `early` and follows 'init'.
  let early = [];
  function post(message) {
    if (early) {
      if (message.type !== 'reset') early.push(message);
    } else {
      worker.postMessage(message);
    }
  }

  function send(type, payload = {}) {
    post({ type, ...payload });
  }

  function request(type, payload = {}) {
    nextId += 1;
    const id = nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post({ type, id, ...payload });
    });
  }

  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'reply') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(Object.assign(new Error(m.error.message), m.error));
      else p?.resolve(m.result);
    } else if (m.type === 'data') {
      run.data = m;
      run.inspected = null;
      run.fitted = null;
      recipeNote.textContent = m.recipe ? t(`vae.recipe.${m.recipe}`) : '';
      const toy = m.dataset !== 'digits';
      for (const part of Object.values(images)) part.hidden = toy;
      for (const part of Object.values(toyParts)) part.hidden = !toy;
      chosenPoint.hidden = !toy;
      fillLegend(m.testY);
      const last = m.testX.length / m.pixels - 1; // a link's image numbers may be past this set's end
      for (const [key, input] of [['index', indexIn.input], ['a', aIn.input], ['b', bIn.input]]) {
        input.max = last;
        state[key] = Math.min(state[key], last);
        input.value = state[key];
      }
    } else if (m.type === 'snapshot') {
      const first = !run.ready;
      run.ready = true;
      run.snapshot = m;
      // run.running is the reader's intent; the worker's own state may lag one message behind.
      run.workerRunning = m.running;
      if (run.running && !m.running && m.epoch >= run.until) { // reached the target
        run.running = false;
        if (linked.replaying) finishReplay();
      }
      schedule();
      if (first) decodeAt(...linked.probe);
      if (first) replayLink();
      if (first || !m.running || performance.now() - run.lastInspect > INSPECT_EVERY_MS) inspect();
    } else if (m.type === 'diverged') {
      run.running = false;
      run.diverged = true;
      showDiverged(m);
    } else if (m.type === 'progress') {
      baseStatus.textContent = t('vae.base.progress', { done: m.done, total: m.total });
    } else if (m.type === 'error') {
      showError(error(m.error));
    }
  };
  worker.onerror = (e) => showError(e.message || t('vae.workerFailed'));

  function showError(message) {
    alert.hidden = false;
    alert.replaceChildren(h('p', {}, t('vae.error', { message })));
  }

  /** Why training stopped, in the widget's language (the worker sends a kind, not text). */
  function divergedReason(reason) {
    if (reason.kind === 'jump') return t('vae.reason.jump', { from: reason.from, to: reason.to });
    return reason.kind === 'overflow' ? t('vae.reason.overflow') : error(reason.error);
  }

  function showDiverged(m) {
    const smaller = [...LRS].reverse().find((v) => v <= m.lr / 10 + 1e-12) ?? LRS[0];
    alert.hidden = false;
    alert.replaceChildren(
      h('p', {}, t('vae.diverged', { epoch: m.epoch, lr: lrText(m.lr), reason: divergedReason(m.reason) })),
      h('button', { type: 'button', 'data-action': 'recover', onclick: () => { lr.input.value = String(smaller); readConfig(); reset(); } },
        t('vae.recover', { lr: lrText(smaller) })));
    schedule();
  }

  function readConfig() {
    state.config = {
      latent: clampInt(Number(latent.input.value), 1, 16, DEFAULT_CONFIG.latent),
      hidden: Number(hidden.input.value),
      beta: Math.min(10, Math.max(0, Number.isFinite(Number(beta.input.value)) ? Number(beta.input.value) : 1)),
      lr: Number(lr.input.value),
      batchSize: Number(batch.input.value),
      mode: mode.input.value,
      activation: activation.input.value,
    };
    state.seed = clampInt(Number(seed.input.value), 0, 1e9, 1);
    latent.input.value = state.config.latent;
    beta.input.value = state.config.beta;
    seed.input.value = state.seed;
  }

  function reset() {
    run.model += 1; // replies to requests about the old model are dropped
    alert.hidden = true;
    run.diverged = false;
    run.probe = null;
    run.path = [];
    run.interp = null;
    run.baselines = null;
    run.fitted = null;
    fitNote.textContent = '';
    baseWrap.hidden = true;
    baseStatus.textContent = '';
    send('reset', { config: state.config, seed: state.seed, dataset: state.dataset });
    run.note = '';
    run.imported = false;
    linked.replaying = false;
  }

  datasetSel.input.addEventListener('change', () => {
    state.dataset = DATASETS.includes(datasetSel.input.value) ? datasetSel.input.value : 'digits';
    readConfig();
    reset();
  });
  for (const c of [latent, hidden, activation, beta, lr, batch, seed, mode]) {
    c.input.addEventListener('change', () => { readConfig(); reset(); });
  }
  target.input.addEventListener('change', () => {
    state.target = clampInt(Number(target.input.value), 1, 2000, DEFAULTS.target);
    target.input.value = state.target;
    schedule();
  });

  /** The Start/Pause button follows the reader's intent at once, not at the next frame. */
  function syncTrainButton() {
    trainButton.textContent = run.running ? t('vae.pause') : t('vae.start');
    trainButton.setAttribute('aria-pressed', String(run.running));
  }

  function toggleTraining() {
    linked.replaying = false; // the reader takes over
    if (run.running) {
      run.running = false;
      send('pause');
    } else {
      const epoch = run.snapshot?.epoch ?? 0;
      if (epoch >= state.target) {
        state.target = Math.min(2000, epoch + DEFAULTS.target);
        target.input.value = state.target;
      }
      alert.hidden = true;
      run.diverged = false;
      run.note = '';
      run.running = true;
      train(state.target);
    }
    syncTrainButton();
    schedule();
  }

  function train(until) {
    run.running = true;
    run.until = until;
    send('start', { until });
  }

  /** Opened from a link with an epoch: train the linked settings to that epoch, then pause. */
  function replayLink() {
    if (linked.epoch > 0) {
      linked.replaying = true;
      run.note = [linked.oldRecipe && t('vae.oldLink'), t('vae.replaying', { epoch: linked.epoch })].filter(Boolean).join(' ');
      train(linked.epoch);
      syncTrainButton();
    } else finishReplay();
  }

  /** The linked model is there: redo what the sender had done with it. */
  function finishReplay() {
    linked.replaying = false;
    run.note = linked.epoch > 0 ? [linked.oldRecipe && t('vae.oldLink'), t('vae.replayed', { epoch: linked.epoch })].filter(Boolean).join(' ') : '';
    if (linked.epoch > 0) decodeAt(...linked.probe);
    if (linked.interpolate && run.data?.dataset === 'digits') interpolate();
    if (linked.baselines) baselines();
  }

  // Drawing, at most once per frame, from the latest snapshot.
  function schedule() {
    if (run.frame) return;
    run.frame = requestAnimationFrame(() => { run.frame = 0; paint(); });
  }

  function paint() {
    const s = run.snapshot;
    const disabled = !run.ready;
    for (const b of [trainButton, stepButton, resetButton, saveButton, loadButton, interpButton, baseButton]) b.disabled = disabled;
    syncTrainButton();
    if (!s || !run.data) return;
    const last = s.history.test[s.history.test.length - 1];
    const lastTrain = s.history.train[s.history.train.length - 1];
    progress.max = state.target;
    progress.value = Math.min(s.epoch, state.target);
    outs.epoch.textContent = t('vae.epochOf', { epoch: s.epoch, target: state.target });
    outs.speed.textContent = s.examplesPerSecond > 0 ? t('vae.speed', { v: Math.round(s.examplesPerSecond).toLocaleString('en-US') }) : '—';
    paintReadouts(s.config, last, lastTrain);
    fitButton.disabled = disabled || s.config.mode === 'autoencoder' || run.fitting;
    const now = run.diverged ? t('vae.stopped') : run.running ? t('vae.training', { epoch: s.epoch, target: state.target })
      : run.workerRunning ? t('vae.pausing') : s.epoch === 0 ? t('vae.idle') : t('vae.paused', { epoch: s.epoch });
    status.textContent = run.note ? `${run.note} ${now}` : now;
    drawCurves(s);
    drawScatter(s);
    const d = run.data;
    if (d.dataset !== 'digits') {
      drawDataSpace(s);
      drawInspector();
      return;
    }
    const img = { width: d.width, height: d.height };
    if (!s.manifold.length) return; // no pictures from a diverged model
    drawImages(manifold, s.manifold, { ...img, count: MANIFOLD * MANIFOLD, cols: MANIFOLD });
    manifold.setAttribute('aria-label', t('vae.manifoldAlt', { n: MANIFOLD }));
    const both = new Float32Array(2 * RECON_COUNT * d.pixels);
    both.set(d.testX.subarray(0, RECON_COUNT * d.pixels));
    both.set(s.reconstructions, RECON_COUNT * d.pixels);
    drawImages(recon, both, { ...img, count: 2 * RECON_COUNT, cols: RECON_COUNT });
    recon.setAttribute('aria-label', t('vae.reconAlt', { n: RECON_COUNT }));
    drawImages(samples, s.samples, { ...img, count: SAMPLE_COUNT, cols: 8 });
    samples.setAttribute('aria-label', t('vae.samplesAlt', { n: SAMPLE_COUNT }));
    if (run.probe?.pixels) drawImages(probe, run.probe.pixels, { ...img, count: 1, cols: 1 });
    interp.hidden = !run.interp;
    if (run.interp) drawImages(interp, run.interp.pixels, { ...img, count: STEPS, cols: STEPS });
    drawInspector();
    if (run.baselines && run.baselines !== run.baselinesDrawn) drawBaselines();
  }

  /**
   * The numbers of the last epoch, each named with its sign: the training objective (with β),
   * the true ELBO of the training batches when β ≠ 1, and the held-out ELBO as expected
   * log-likelihood − KL, with the sum written out so that the shown numbers add up. A plain
   * autoencoder has no q and no prior term, so it has no ELBO: its log-likelihood at z = μ(x).
   */
  function paintReadouts(c, last, lastTrain) {
    const ae = c.mode === 'autoencoder';
    setText(rowLabels.train, t(ae ? 'vae.rowTrainAe' : 'vae.rowTrain', { beta: fmt(c.beta, 2) }));
    setText(rowLabels.trainElbo, t('vae.rowTrainElbo'));
    setText(rowLabels.elbo, t('vae.rowElbo'));
    setText(rowLabels.recon, t(ae ? 'vae.rowReconAe' : 'vae.rowRecon'));
    setText(rowLabels.kl, t('vae.rowKl'));
    rows.trainElbo.hidden = ae || c.beta === 1;
    rows.elbo.hidden = ae;
    rows.kl.hidden = ae;
    setText(outs.train, lastTrain ? fmt(-lastTrain.loss, 2) : '—');
    setText(outs.trainElbo, lastTrain ? fmt(-(lastTrain.recon + lastTrain.kl), 2) : '—');
    if (!last) {
      for (const k of ['elbo', 'recon', 'kl']) setText(outs[k], '—');
      setText(sumNote, ae ? t('vae.aeNote') : '');
      return;
    }
    if (ae) {
      setText(outs.recon, fmt(-last.recon, 2));
      setText(sumNote, t('vae.aeNote'));
      return;
    }
    // The ELBO and the KL as estimated (rounded), the expected log-likelihood as their sum.
    const [elbo, kl, recon] = shownSum(-last.loss, last.kl);
    setText(outs.recon, recon);
    setText(outs.kl, kl);
    setText(outs.elbo, elbo);
    setText(sumNote, t('vae.sumNote', { recon, kl, elbo }));
  }

  function drawCurves(s) {
    const n = s.history.train.length;
    const xs = Array.from({ length: n }, (_, i) => i + 1);
    const rows = [s.history.train.map((r) => r.loss), s.history.test.map((r) => r.loss), s.history.test.map((r) => r.recon), s.history.test.map((r) => r.kl)];
    const yMax = Math.max(1, ...rows.flat().filter(Number.isFinite)) * 1.05;
    lab.drawCurves(curves, xs, rows.flat(), ['blue', 'orange', 'green', 'purple'], [0, 0, 0, 0], [], [], [], NaN,
      [1, Math.max(2, n), 0, yMax], [t('vae.axisEpoch'), t('vae.axisNats'), ''], fitCanvas(curves));
    const last = s.history.test[n - 1];
    curves.setAttribute('aria-label', last
      ? t('vae.curvesAlt', { n, loss: fmt(last.loss, 2), recon: fmt(last.recon, 2), kl: fmt(last.kl, 2) })
      : t('vae.curvesEmpty'));
  }

  let scatterRect = null;
  function drawScatter(s) {
    const scale = fitCanvas(scatter);
    lab.drawLatentFrame(scatter, HALF, 'z₁', 'z₂', scale);
    const marks = run.probe ? run.probe.z.slice(0, 2) : [];
    const classes = s.codes.length === 2 * run.data.testY.length ? run.data.testY : new Uint8Array(0); // none after a divergence
    scatterRect = lab.drawLatentOverlay(scatter, HALF, s.codes, classes, marks, run.path, [], scale);
    scatter.setAttribute('aria-label', t('vae.latentAlt', { n: s.codes.length / 2, dims: s.config.latent }));
  }

  /** The toy sets: held-out points coloured by class, and the decoder's means m(z), z ~ p(z). */
  function drawDataSpace(s) {
    const x = run.data.testX;
    let half = 1;
    for (const v of x) if (Number.isFinite(v)) half = Math.max(half, Math.abs(v) * 1.1);
    const scale = fitCanvas(dataChart);
    lab.drawLatentFrame(dataChart, half, 'x₁', 'x₂', scale);
    lab.drawLatentOverlay(dataChart, half, Float64Array.from(x), run.data.testY, [], [], [], scale);
    const model = Float64Array.from(s.samples);
    const marks = run.probe?.pixels?.length === 2 ? Array.from(run.probe.pixels) : [];
    lab.drawLatentOverlay(dataChart, half, model, new Uint8Array(0), marks, [], [], scale);
    dataChart.setAttribute('aria-label', t('vae.dataAlt', { n: x.length / 2, m: model.length / 2, dataset: t(`vae.dataset.${run.data.dataset}`) }));
  }

  // Click (or arrow keys) in the latent plane: decode that point.
  async function decodeAt(z1, z2) {
    const z = new Array(run.snapshot.config.latent).fill(0);
    z[0] = z1;
    if (z.length > 1) z[1] = z2;
    run.probe = { z: [z1, z2], pixels: null };
    try {
      run.probe.pixels = await request('decode', { z });
      probe.setAttribute('aria-label', t('vae.probeAlt', { z1: fmt(z1, 2), z2: fmt(z2, 2) }));
    } catch (err) {
      showError(error(err));
    }
    schedule();
  }

  scatter.addEventListener('pointerdown', (e) => {
    if (!scatterRect || !run.snapshot) return;
    const { fx, fy } = pointerFraction(scatter, scatterRect, e);
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    decodeAt(-HALF + 2 * HALF * fx, -HALF + 2 * HALF * fy);
  });
  scatter.addEventListener('keydown', (e) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (!moves[e.key] || !run.snapshot) return;
    e.preventDefault();
    const [z1, z2] = run.probe?.z ?? [0, 0];
    const step = e.shiftKey ? 1 : 0.25;
    const c = (v) => Math.min(HALF, Math.max(-HALF, v));
    decodeAt(c(z1 + moves[e.key][0] * step), c(z2 + moves[e.key][1] * step));
  });

  async function interpolate() {
    const n = run.data.testX.length / run.data.pixels;
    state.a = clampInt(Number(aIn.input.value), 0, n - 1, 0);
    state.b = clampInt(Number(bIn.input.value), 0, n - 1, 1);
    aIn.input.value = state.a;
    bIn.input.value = state.b;
    try {
      const r = await request('interpolate', { a: state.a, b: state.b, steps: STEPS });
      run.interp = r;
      run.path = r.path;
      interp.setAttribute('aria-label', t('vae.interpAlt', { a: state.a, b: state.b, da: run.data.testY[state.a], db: run.data.testY[state.b], n: STEPS }));
    } catch (err) {
      showError(error(err));
    }
    schedule();
  }

  // The exact posterior of one held-out image beside the encoder's q(z | x).
  function pick(i) {
    const n = run.data ? run.data.testX.length / run.data.pixels : 360;
    state.index = clampInt(i, 0, n - 1, 0);
    indexIn.input.value = state.index;
    inspect(true);
  }
  indexIn.input.addEventListener('change', () => pick(Number(indexIn.input.value)));

  async function inspect(force = false) {
    if (!run.ready || (run.inspecting && !force)) return;
    run.inspecting = true;
    run.lastInspect = performance.now();
    try {
      run.inspected = await request('inspect', { index: state.index, k: IWAE_K });
      run.inspected.epoch = run.snapshot?.epoch;
      // q* was fitted to one image on one decoder: it is stale once either changes.
      if (run.fitted && (run.fitted.index !== state.index || run.fitted.epoch !== run.inspected.epoch)) {
        run.fitted = null;
        fitNote.textContent = '';
      }
    } catch (err) {
      // Not an alert: the alert may be explaining a divergence, which is the likelier cause.
      run.inspected = null;
      postNote.textContent = t('vae.error', { message: error(err) });
    } finally {
      run.inspecting = false;
    }
    schedule();
  }

  function drawInspector() {
    const r = run.inspected;
    const d = run.data;
    if (!r || !d || r === run.inspectorDrawn) return; // unchanged since the last paint
    run.inspectorDrawn = r;
    if (d.dataset === 'digits') {
      drawImages(chosen, d.testX.subarray(r.index * d.pixels, (r.index + 1) * d.pixels), { width: d.width, height: d.height, count: 1, cols: 1 });
      chosen.setAttribute('aria-label', t('vae.chosenAlt', { index: r.index, digit: d.testY[r.index] }));
    } else {
      chosenPoint.textContent = t('vae.post.point', { x1: fmt(d.testX[2 * r.index], 2), x2: fmt(d.testX[2 * r.index + 1], 2) });
    }
    postOuts.label.textContent = String(d.testY[r.index]);
    postLabels.label.textContent = t('vae.post.label');
    const scale = fitCanvas(postFrame);
    fitCanvas(postOverlay);
    const rect = lab.drawLatentFrame(postFrame, HALF, 'z₁', 'z₂', scale);
    const sigma = r.logvar.map((lv) => Math.exp(0.5 * lv));
    const f = run.fitted?.index === r.index ? run.fitted : null;
    const grid = Boolean(r.density);
    // log p(x): the grid sum in 2-D; otherwise only the IWAE estimate stands in for it.
    const logpx = grid ? r.logEvidence : r.iwae;
    // With a fit, both ELBOs come from the fit's estimator (same samples for q_φ and q*).
    const elbo = f ? f.elboEncoder : r.elbo;
    const numbers = [logpx, elbo, ...r.mu, ...sigma, ...(f ? [f.elboStar, ...f.mu, ...f.logvar] : [])];
    if (!numbers.every(Number.isFinite)) {
      // A diverged model: say so instead of drawing numbers that are not numbers.
      for (const o of Object.values(postOuts)) o.textContent = '—';
      postNote.textContent = t('vae.post.broken');
      postOverlay.getContext('2d').clearRect(0, 0, postOverlay.width, postOverlay.height);
      postFrame.setAttribute('aria-label', t('vae.post.broken'));
      fitCanvas(gap);
      gap.getContext('2d').clearRect(0, 0, gap.width, gap.height);
      return;
    }
    if (grid) blit(postFrame, lab.densityImage(r.density, r.n), r.n, rect);
    postOverlay.getContext('2d').clearRect(0, 0, postOverlay.width, postOverlay.height);
    const ellipses = r.mu.length === 2 ? [r.mu[0], r.mu[1], sigma[0], sigma[1]] : [];
    if (f && ellipses.length) ellipses.push(f.mu[0], f.mu[1], Math.exp(0.5 * f.logvar[0]), Math.exp(0.5 * f.logvar[1]));
    lab.drawLatentOverlay(postOverlay, HALF, [], new Uint8Array(0), [], [], ellipses, scale);

    const se = (v, e) => (Number.isFinite(e) ? `${v} ${t('vae.post.se', { se: fmt(e, 2) })}` : v);
    postLabels.logpx.textContent = grid ? t('vae.post.logpx') : t('vae.post.logpxNd', { latent: r.mu.length });
    postLabels.iwae.textContent = t('vae.post.iwae', { k: r.k ?? IWAE_K });
    postLabels.elbo.textContent = t('vae.post.elbo');
    postLabels.elboStar.textContent = t('vae.post.elboStar');
    postLabels.gap.textContent = t(grid ? 'vae.post.gap' : 'vae.post.gapNd');
    postLabels.amort.textContent = t('vae.post.amort');
    postLabels.approx.textContent = t(grid ? 'vae.post.approx' : 'vae.post.approxNd');
    postOuts.logpx.textContent = grid ? fmt(logpx, 2) : '—';
    postOuts.iwae.textContent = fmt(r.iwae, 2);
    const [logpxShown, elboShown, gapShown] = shownDifference(logpx, elbo);
    postOuts.elbo.textContent = se(elboShown, f?.elboEncoderSe);
    postOuts.gap.textContent = gapShown;
    for (const k of ['elboStar', 'amort', 'approx']) postRows[k].hidden = !f;
    let negative = logpx < elbo;
    if (f) {
      const [starShown, , amort] = shownDifference(f.elboStar, elbo);
      const [, , approx] = shownDifference(logpx, f.elboStar);
      postOuts.elboStar.textContent = se(starShown, f.elboStarSe);
      postOuts.amort.textContent = amort;
      postOuts.approx.textContent = approx;
      negative ||= f.elboStar < elbo || logpx < f.elboStar;
    }
    const notes = [grid ? t('vae.post.note2d', { k: r.k ?? IWAE_K }) : t('vae.post.noteNd', { latent: r.mu.length, k: r.k ?? IWAE_K })];
    if (negative) notes.push(t('vae.post.noise'));
    postNote.textContent = notes.join(' ');
    postFrame.setAttribute('aria-label', grid
      ? t('vae.postAlt', { m1: fmt(r.mu[0], 2), m2: fmt(r.mu[1], 2), s1: fmt(sigma[0], 2), s2: fmt(sigma[1], 2) })
      : t('vae.postAltNd'));
    const evidenceLabel = grid ? t('vae.bar.logpx', { v: logpxShown }) : t('vae.bar.iwae', { v: logpxShown });
    const shown = Math.min(elbo, logpx); // the picture cannot show a negative gap; the readouts do
    const xMin = shown - Math.max(4, 1.5 * (logpx - shown));
    if (f) {
      lab.drawGapParts(gap, logpx, shown, f.elboStar, xMin,
        [t('vae.axisNats'), t('vae.bar.elbo'), t('vae.bar.amort'), t('vae.bar.approx'), evidenceLabel], fitCanvas(gap));
      const [, , amort] = shownDifference(f.elboStar, elbo);
      const [, starShown, approx] = shownDifference(logpx, f.elboStar);
      gap.setAttribute('aria-label', t('vae.gapPartsAlt', { logpx: logpxShown, elbo: elboShown, star: starShown, amort, approx }));
    } else {
      lab.drawGapBar(gap, logpx, shown, xMin, [t('vae.axisNats'), t('vae.bar.elbo'), t('vae.bar.gap'), evidenceLabel], fitCanvas(gap));
      gap.setAttribute('aria-label', t('vae.gapAlt', { logpx: logpxShown, elbo: elboShown, gap: gapShown }));
    }
  }

  /**
   * The two parts of the gap: fit q* = N(m, diag s²) to the chosen image on the current decoder,
   * by gradient ascent on its ELBO from the encoder's q (in the worker), and compare.
   */
  async function fitq() {
    if (!run.ready || run.fitting) return;
    run.fitting = true;
    fitNote.textContent = t('vae.fitting');
    schedule();
    try {
      const epoch = run.snapshot?.epoch;
      const r = await request('fitq', { index: state.index, steps: FIT_STEPS });
      run.fitted = { ...r, epoch };
      run.inspectorDrawn = null;
      fitNote.textContent = t('vae.fitted', { steps: r.steps, index: r.index });
    } catch (err) {
      run.fitted = null;
      fitNote.textContent = t('vae.error', { message: error(err) });
    } finally {
      run.fitting = false;
    }
    schedule();
  }

  async function baselines() {
    // The baselines are for the digits; the reader may have picked a toy set a moment ago,
    // before the worker's reply hid this part. A reply for a model since reset is dropped.
    if (state.dataset !== 'digits') return;
    const model = run.model;
    baseButton.disabled = true;
    baseStatus.textContent = t('vae.base.progress', { done: 0, total: BASELINE_EPOCHS });
    try {
      const result = await request('baselines', { epochs: BASELINE_EPOCHS });
      if (model !== run.model) return;
      run.baselines = result;
      baseWrap.hidden = false;
      baseStatus.textContent = t('vae.base.done', { epochs: BASELINE_EPOCHS, vaeEpochs: run.baselines.vaeEpochs });
      const k = run.baselines.pca?.components ?? run.snapshot.config.latent;
      baseBody.textContent = t('vae.baseBody', { k });
      ['pca', 'autoencoder', 'vae'].forEach((name, i) => { baseCaptions[i].textContent = t(`vae.base.${name}`, { k }); });
    } catch (err) {
      baseStatus.textContent = '';
      if (model === run.model) showError(error(err));
    } finally {
      baseButton.disabled = false;
    }
    schedule();
  }

  function drawBaselines() {
    const b = run.baselines;
    run.baselinesDrawn = b;
    const names = ['pca', 'autoencoder', 'vae'];
    names.forEach((k, i) => {
      const canvas = baseCanvases[i];
      const scale = fitCanvas(canvas);
      // PCA codes live on the data's own scale; show them over a range that fits them.
      const half = k === 'pca' ? Math.max(1, ...Array.from(b[k].codes, Math.abs)) * 1.05 : HALF;
      lab.drawLatentFrame(canvas, half, 'z₁', 'z₂', scale);
      lab.drawLatentOverlay(canvas, half, b[k].codes, run.data.testY, [], [], [], scale);
      canvas.setAttribute('aria-label', t('vae.baseAlt', { model: t(`vae.base.${k}`, { k: b.pca?.components ?? run.snapshot.config.latent }), sq: fmt(b[k].squaredError, 2) }));
    });
    const components = b.pca?.components ?? run.snapshot.config.latent;
    baseTable.replaceChildren(...names.map((k) => h('tr', {}, h('th', { scope: 'row' }, t(`vae.base.${k}`, { k: components })),
      h('td', { 'data-out': `vae-base-${k}-sq` }, fmt(b[k].squaredError, 2)), h('td', {}, fmt(b[k].bce, 1)))));
  }

  // Save and load the weights.
  async function save() {
    try {
      const json = await request('export');
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const a = h('a', { href: url, download: `elbo-lab-vae-epoch${run.snapshot.epoch}.json` });
      a.click(); // a detached link: nothing is added to the (possibly host) page
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      run.note = t('vae.saved');
      schedule();
    } catch (err) {
      showError(error(err));
    }
  }

  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    if (file.size > 50e6) { showError(t('vae.tooBig')); return; }
    try {
      const r = await request('import', { json: await file.text() });
      const c = r.config;
      mode.input.value = c.mode ?? 'vae';
      activation.input.value = c.activation ?? 'tanh';
      latent.input.value = c.latent;
      for (const [control, value, text] of [[hidden, c.hidden, String], [lr, c.lr, lrText], [batch, c.batchSize, String]]) {
        if (![...control.input.options].some((o) => Number(o.value) === value)) control.input.append(h('option', { value }, text(value)));
        control.input.value = String(value);
      }
      beta.input.value = c.beta;
      alert.hidden = true;
      state.config = { ...state.config, ...c };
      run.note = r.recipe === 'grey' ? `${t('vae.loaded', { name: file.name })} ${t('vae.greyWeights')}` : t('vae.loaded', { name: file.name });
      run.imported = true;
      run.probe = null;
      run.path = [];
      run.interp = null;
    } catch (err) {
      showError(t('vae.loadFailed', { name: file.name, message: error(err) }));
    }
    schedule();
  });

  onResize(root, () => { run.inspectorDrawn = null; run.baselinesDrawn = null; schedule(); });
  // Start the worker (data, wasm, first model) only when the widget comes near the screen.
  // The digits (117 kB, 45 kB gzipped) are fetched once the page has loaded and the browser is
  // idle — not during the first load — or at once if the reader gets near first, so the trainer
  // can start even if the reader has gone offline by the time they scroll here; the worker gets
  // the page's compiled wasm module.
  const digits = afterLoad().then(() => fetch(new URL('../data/digits.bin', import.meta.url))).then((r) => {
    if (!r.ok) throw new Error(`data/digits.bin: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  digits.catch(() => {}); // reported when the worker starts
  const near = new IntersectionObserver(async (entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    near.disconnect();
    afterLoad.now();
    try {
      const [module, bytes] = await Promise.all([wasmModule(), digits]);
      worker.postMessage({ type: 'init', module, digits: bytes, config: state.config, seed: state.seed, dataset: state.dataset }, [bytes]);
      const waiting = early;
      early = null;
      for (const message of waiting) worker.postMessage(message);
    } catch (err) {
      showError(t('vae.loadDataFailed', { message: error(err) }));
    }
  }, { rootMargin: '100% 0px' });
  near.observe(root);
  return {
    worker,
    /**
     * What a link carries, as mount's options take them: the settings, the seed, the epoch
     * reached (the weights follow from these: training is deterministic), the stop-at epoch, the
     * inspected image and the interpolation. Weights loaded from a file cannot be linked: then
     * the epoch is left out and a link gives a fresh model with the file's settings.
     */
    state: () => ({
      dataset: state.dataset, seed: state.seed, config: { ...state.config }, target: state.target,
      ...(!run.imported && { epoch: run.snapshot?.epoch ?? linked.epoch }),
      index: state.index, a: state.a, b: state.b, ...(run.interp && { interpolate: true }),
      probe: run.probe ? [...run.probe.z] : [...linked.probe], ...(run.baselines && { baselines: true }),
    }),
    /** The latest snapshot's numbers, for tests and benchmarks. */
    stats: () => ({ epoch: run.snapshot?.epoch ?? 0, running: run.running, workerMemoryBytes: run.snapshot?.memoryBytes ?? 0,
      examplesPerSecond: run.snapshot?.examplesPerSecond ?? 0 }),
    destroy() { near.disconnect(); worker.terminate(); },
  };
}
