// The VAE widget's DOM: its controls, readouts and canvases, built once in mount(); the parts
// that own each readout set its text later. Also the settings (their defaults, the values the
// controls offer, reading them back) and how a pair of numbers is shown so its sum or difference
// adds up on screen.
import { fmt, h, uid } from '../../lib/dom.js';
import { datasets } from './protocol.js';
import { buildCollapse, readCollapse } from './collapse.js';
import { buildRate } from './rate.js';

export const LRS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3];
const HIDDEN = [16, 32, 64, 128, 256];
const BATCHES = [16, 32, 64, 128, 256];
/** Epochs the baselines' autoencoder is trained. */
export const BASELINE_EPOCHS = 30;

export const DEFAULT_CONFIG = { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae', activation: 'tanh', warmup: 0, freeBits: 0 };
export const DEFAULTS = { config: DEFAULT_CONFIG, seed: 1, target: 100, index: 0, a: 0, b: 1 };

export const clampInt = (v, lo, hi, fallback) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : fallback);

/** A learning rate as the menu shows it: 3e−4, 0.3. */
export const lrText = (v) => (v >= 0.1 ? String(v) : v.toExponential(0).replace('e-', 'e−'));

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

/** Builds the widget's elements into `root` and returns them; `on` holds the buttons' actions. */
export function buildView(root, t, state, on) {
  const control = {
    latent: number(t('vae.latent'), { min: 1, max: 16, step: 1, value: state.config.latent }, 'latent'),
    hidden: select(t('vae.hidden'), HIDDEN, state.config.hidden, 'hidden'),
    beta: number(t('vae.beta'), { min: 0, max: 10, step: 0.1, value: state.config.beta }, 'beta'),
    lr: select(t('vae.lr'), LRS, state.config.lr, 'lr', lrText),
    batch: select(t('vae.batch'), BATCHES, state.config.batchSize, 'batch'),
    seed: number(t('vae.seed'), { min: 0, max: 1e9, step: 1, value: state.seed, class: 'seed' }, 'seed'),
    mode: select(t('vae.mode'), ['vae', 'autoencoder'], state.config.mode, 'mode', (v) => t(`vae.mode.${v}`)),
    activation: select(t('vae.activation'), ['tanh', 'relu'], state.config.activation, 'activation', (v) => t(`vae.activation.${v}`)),
    dataset: select(t('vae.dataset'), datasets(), state.dataset, 'dataset', (v) => t(`vae.dataset.${v}`)),
    target: number(t('vae.target'), { min: 1, max: 2000, step: 1, value: state.target }, 'target'),
  };
  const button = (action, label, onclick, disabled = true) => h('button', { type: 'button', 'data-action': action, onclick, disabled }, label);
  const buttons = {
    train: button('train', t('vae.start'), on.train),
    step: button('step', t('vae.step'), on.step),
    reset: button('reset', t('vae.reset'), on.reset),
    // A fresh seed from the system's entropy (lab.freshSeed), typed into the seed field.
    newSeed: h('button', { type: 'button', 'data-action': 'new-seed', 'aria-label': t('vae.newSeedAria'), onclick: on.newSeed }, t('vae.newSeed')),
    save: button('save', t('vae.save'), on.save),
  };
  const fileId = uid('vf');
  const fileInput = h('input', { id: fileId, type: 'file', accept: '.json,application/json', class: 'visually-hidden', 'data-input': 'weights' });
  buttons.load = button('load', t('vae.load'), () => fileInput.click());
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
  const canvas = (cls, chart, extra = {}) => h('canvas', { class: cls, role: 'img', ...(chart && { 'data-chart': chart }), ...extra });
  const charts = {
    curves: canvas('chart chart-short', 'curves'),
    scatter: canvas('chart chart-square', 'latent', { tabindex: 0 }),
    probe: canvas('digits digits-one', 'probe'),
    manifold: canvas('digits', 'manifold'),
    recon: canvas('digits', 'reconstructions'),
    samples: canvas('digits digits-samples', 'samples'),
    interp: canvas('digits', 'interpolation', { hidden: true }),
    postFrame: canvas('chart chart-square', 'posterior'),
    chosen: canvas('digits digits-one', 'chosen'),
    dataChart: canvas('chart chart-square', 'data'),
    gap: canvas('chart chart-stack', 'gap'),
  };
  for (const c of Object.values(charts)) c.setAttribute('aria-label', t('vae.pendingAlt'));
  const postOverlay = h('canvas', { class: 'chart chart-square overlay', 'aria-hidden': 'true' });
  const chosenPoint = h('p', { 'data-out': 'vae-post-point', hidden: true });
  const postOuts = Object.fromEntries(['logpx', 'iwae', 'elbo', 'gap', 'label', 'elboStar', 'amort', 'approx'].map((k) => [k, h('output', { 'data-out': `vae-post-${k}` }, '—')]));
  const postLabels = Object.fromEntries(Object.keys(postOuts).map((k) => [k, h('th', { scope: 'row', 'data-label': `vae-post-${k}` })]));
  const postRows = Object.fromEntries(Object.keys(postOuts).map((k) => [k, h('tr', {}, postLabels[k], h('td', {}, postOuts[k]))]));
  const postNote = h('p', { class: 'note', 'data-out': 'vae-post-note' });
  const fitNote = h('p', { class: 'note', role: 'status', 'data-out': 'vae-fit-status' });
  buttons.fit = button('fitq', t('vae.fitq'), on.fitq);
  control.index = number(t('vae.image'), { min: 0, max: 359, step: 1, value: state.index }, 'index');
  control.a = number(t('vae.from'), { min: 0, max: 359, step: 1, value: state.a }, 'a');
  control.b = number(t('vae.to'), { min: 0, max: 359, step: 1, value: state.b }, 'b');
  buttons.interp = button('interpolate', t('vae.interpolate'), on.interpolate);
  buttons.base = button('baselines', t('vae.baselines', { epochs: BASELINE_EPOCHS }), on.baselines);
  const base = {
    status: h('p', { class: 'note', role: 'status', 'data-out': 'vae-base-status' }),
    canvases: ['pca', 'autoencoder', 'vae'].map((k) => h('canvas', { class: 'chart chart-square', role: 'img', 'data-chart': `base-${k}` })),
    body: h('p', { 'data-out': 'vae-base-body' }, t('vae.baseBody', { k: state.config.latent })),
    captions: ['pca', 'autoencoder', 'vae'].map((k) => h('figcaption', {}, t(`vae.base.${k}`, { k: state.config.latent }))),
    table: h('tbody', { 'data-out': 'vae-base-table' }),
  };
  base.wrap = h('div', { hidden: true },
    h('div', { class: 'maps maps-3' }, base.canvases.map((c, i) => h('figure', { class: 'map' }, h('div', { class: 'chart-wrap' }, c), base.captions[i]))),
    h('table', { class: 'readout' }, h('thead', {}, h('tr', {}, h('th', {}, t('vae.base.model')), h('th', {}, t('vae.base.sq')), h('th', {}, t('vae.base.bce')))), base.table));
  const legend = h('p', { class: 'legend', 'aria-hidden': 'true' });
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));
  const caption = (key) => h('p', { class: 'chart-caption' }, t(key));
  const swatches = (...pairs) => pairs.flatMap(([colour, key], i) => [...(i ? [' '] : []), h('span', { class: `swatch swatch-${colour}` }), t(key)]);

  // Parts shown only for the digits (pictures) or only for the 2-D toy sets (a data-space plot).
  const images = {
    side: h('div', {}, caption('vae.probeCaption'), h('div', { class: 'digit-box' }, charts.probe), caption('vae.manifoldCaption'), charts.manifold),
    pictures: h('div', { class: 'panel-columns' },
      h('div', {}, caption('vae.reconCaption'), charts.recon),
      h('div', {}, caption('vae.samplesCaption'), charts.samples)),
    interpolation: h('div', {}, h('h3', {}, t('vae.interpTitle')), h('div', { class: 'controls' }, control.a.el, control.b.el, buttons.interp), charts.interp),
    chosen: h('div', { class: 'digit-box' }, charts.chosen),
    baselines: h('div', {}, h('h3', {}, t('vae.baseTitle')), base.body, h('div', { class: 'controls' }, buttons.base), base.status, base.wrap),
  };
  const toyParts = {
    side: h('div', { hidden: true }, caption('vae.dataCaption'), h('div', { class: 'chart-wrap' }, charts.dataChart)),
  };
  const c = control;
  const collapse = buildCollapse(t, state, on.preset);
  const rate = buildRate(t, state.unit, on.unit);
  root.replaceChildren(
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vae.modelTitle')),
      c.dataset.el, c.mode.el, c.latent.el, c.hidden.el, c.activation.el, c.beta.el, c.lr.el, c.batch.el, c.seed.el, buttons.newSeed),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vae.trainTitle')), buttons.train, buttons.step, buttons.reset, c.target.el, progress),
    h('div', { class: 'controls' }, buttons.save, buttons.load, h('label', { for: fileId, class: 'visually-hidden' }, t('vae.load')), fileInput),
    recipeNote, status, alert,
    h('div', { class: 'panel-columns' },
      h('div', {}, caption('vae.latentCaption'), h('div', { class: 'chart-wrap' }, charts.scatter), legend),
      images.side,
      toyParts.side),
    h('table', { class: 'readout' }, h('tbody', {}, row(t('vae.rowEpoch'), outs.epoch), row(t('vae.rowSpeed'), outs.speed),
      rows.train, rows.trainElbo, rows.elbo, rows.recon, rows.kl)),
    sumNote,
    rate.el,
    caption('vae.curvesCaption'), h('div', { class: 'chart-wrap' }, charts.curves),
    h('p', { class: 'legend' }, swatches(['blue', 'vae.curve.train'], ['orange', 'vae.curve.test'], ['green', 'vae.curve.recon'], ['purple', 'vae.curve.kl'])),
    collapse.el,
    images.pictures,
    images.interpolation,
    h('h3', {}, t('vae.postTitle')),
    h('p', {}, t('vae.postBody')),
    h('div', { class: 'controls' }, c.index.el, button('prev', t('vae.prev'), on.prev, false), button('next', t('vae.next'), on.next, false), buttons.fit),
    fitNote,
    h('div', { class: 'panel-columns' },
      h('div', { class: 'chart-wrap' }, charts.postFrame, postOverlay),
      h('div', {},
        images.chosen, chosenPoint,
        h('table', { class: 'readout' }, h('tbody', {}, ...['label', 'logpx', 'iwae', 'elbo', 'elboStar', 'gap', 'amort', 'approx'].map((k) => postRows[k]))),
        postNote)),
    h('p', { class: 'legend' }, swatches(['blue', 'vae.post.legendP'], ['orange', 'vae.post.legendQ'], ['green', 'vae.post.legendStar'])),
    caption('vae.gapCaption'), h('div', { class: 'chart-wrap' }, charts.gap),
    images.baselines);
  return {
    control, buttons, fileInput, progress, status, alert, outs, rowLabels, rows, sumNote, recipeNote, charts, postOverlay, chosenPoint,
    postOuts, postLabels, postRows, postNote, fitNote, base, legend, images, toyParts, collapse, rate,
    /** One swatch per label present in the data (10 digits, or a set's classes, named by `names` if given). */
    fillLegend: (labels, names = null) => legend.replaceChildren(...Array.from({ length: Math.max(...labels) + 1 }, (_, d) => [h('span', { class: `swatch swatch-digit-${d % 10}` }), names?.[d] ?? String(d)]).flat()),
  };
}

/** Reads the settings from the controls into `state`, clamped, and shows the clamped values. */
export function readConfig(ui, state) {
  const c = ui.control;
  state.config = {
    latent: clampInt(Number(c.latent.input.value), 1, 16, DEFAULT_CONFIG.latent),
    hidden: Number(c.hidden.input.value),
    beta: Math.min(10, Math.max(0, Number.isFinite(Number(c.beta.input.value)) ? Number(c.beta.input.value) : 1)),
    lr: Number(c.lr.input.value),
    batchSize: Number(c.batch.input.value),
    mode: c.mode.input.value,
    activation: c.activation.input.value,
  };
  readCollapse(ui.collapse, state.config);
  state.seed = clampInt(Number(c.seed.input.value), 0, 1e9, 1);
  c.latent.input.value = state.config.latent;
  c.beta.input.value = state.config.beta;
  c.seed.input.value = state.seed;
}
