// Widget "rate-distortion": the VAE as a code. The reader trains the same VAE on the digits for
// eight values of β ∈ {0.1, …, 8} in parallel Web Workers (lib/beta-sweep.js), sees each model on the
// rate–distortion plane with the lines D + R = constant, picks one as the current model, and
// reads its held-out distortion D, rate R, −ELBO = D + R (mean and per image) and the ELBO
// surgery R = I_q(x; z) + KL(q(z) ‖ p(z)) as a stacked bar. The model the reader trained in
// 4.2 (options.readerModel, a store the VAE widget fills) is marked on the plane when it is
// comparable: the digits, the same held-out images and estimator. Nothing trains on the main thread.
import { wasmModule } from '../lib/lab.js';
import { h, fmt, uid } from '../lib/dom.js';
import { onResize } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';
import { coreCount, runSweep } from '../lib/beta-sweep.js';
import { BETAS, EPOCH_CHOICES } from '../lib/sweep-choices.js';
import { comparable, drawPlane, drawStack } from './rate-distortion/charts.js';

const DEFAULT_EPOCHS = 20;
const DEFAULT_BETA = 1;
const DEFAULT_SEED = 1;
const TEST_IMAGES = 360; // held-out digits (www/data/digits.bin)

/**
 * Mounts the widget; options { epochs, beta, image, unit, seed, run } (as lib/url-state.js
 * decodes them) and `readerModel`, the store of the VAE widget's model (lib/store.js), if any.
 */
export function mount(root, options = {}) {
  const { t, error } = stringsFor(root);
  const s = {
    epochs: EPOCH_CHOICES.includes(options.epochs) ? options.epochs : DEFAULT_EPOCHS,
    beta: BETAS.includes(options.beta) ? options.beta : DEFAULT_BETA,
    image: Number.isInteger(options.image) ? Math.min(TEST_IMAGES - 1, Math.max(0, options.image)) : 0,
    unit: options.unit === 'bits' ? 'bits' : 'nats',
    seed: Number.isInteger(options.seed) && options.seed >= 0 ? options.seed : DEFAULT_SEED,
  };
  let results = []; // by β index; filled as models finish
  let sweep = null; // { cancel } while running
  let ran = false; // a sweep was started (the link asks the page to run it again)
  let destroyed = false;
  const workers = coreCount();

  // Controls.
  const epochsId = uid('rd-epochs');
  const epochsSelect = h('select', { id: epochsId, 'data-control': 'epochs' },
    EPOCH_CHOICES.map((e) => h('option', { value: e, selected: e === s.epochs }, String(e))));
  epochsSelect.addEventListener('change', () => { s.epochs = Number(epochsSelect.value); });
  const seedId = uid('rd-seed');
  const seedInput = h('input', { id: seedId, type: 'number', min: 0, max: 1e9, step: 1, value: s.seed, 'data-control': 'seed' });
  seedInput.addEventListener('change', () => {
    const v = Number(seedInput.value);
    if (Number.isInteger(v) && v >= 0 && v <= 1e9) s.seed = v;
    seedInput.value = s.seed;
  });
  const runButton = h('button', { type: 'button', 'data-action': 'run', onclick: () => start() }, t('rd.run'));
  const stopButton = h('button', { type: 'button', 'data-action': 'stop', disabled: true, onclick: () => stop() }, t('rd.stop'));
  const betaId = uid('rd-beta');
  const betaSelect = h('select', { id: betaId, 'data-control': 'beta' },
    BETAS.map((b) => h('option', { value: b, selected: b === s.beta }, `β = ${b}`)));
  betaSelect.addEventListener('change', () => { s.beta = Number(betaSelect.value); render(); });
  const imageId = uid('rd-image');
  const imageInput = h('input', { id: imageId, type: 'number', min: 0, max: TEST_IMAGES - 1, step: 1, value: s.image, 'data-control': 'image' });
  imageInput.addEventListener('change', () => {
    const v = Number(imageInput.value);
    if (Number.isInteger(v) && v >= 0 && v < TEST_IMAGES) s.image = v;
    imageInput.value = s.image;
    render();
  });
  const unitName = uid('rd-unit');
  const unitField = h('fieldset', { class: 'unit' }, h('legend', {}, t('unit.label')),
    ['nats', 'bits'].map((u) => h('label', {},
      h('input', { type: 'radio', name: unitName, value: u, checked: u === s.unit, onchange: () => { s.unit = u; render(); } }),
      ` ${t(`unit.${u}`)}`)));
  const field = (id, label, control) => h('span', { class: 'field' }, h('label', { for: id }, label), control);
  const controls = h('div', { class: 'controls' },
    field(epochsId, t('rd.epochs'), epochsSelect), field(seedId, t('rd.seed'), seedInput), runButton, stopButton);
  const pick = h('div', { class: 'controls' },
    field(betaId, t('rd.current'), betaSelect), field(imageId, t('rd.image'), imageInput), unitField);

  // Progress: one bar per model, and one status line.
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-out': 'rd-status' }, t('rd.idle', { n: workers }));
  const bars = BETAS.map((b) => h('progress', { max: 1, value: 0, 'data-beta': b, 'aria-label': `β = ${b}` }));
  const progress = h('div', { class: 'rd-progress' }, BETAS.map((b, i) => h('span', { class: 'field' }, `β = ${b} `, bars[i])));

  // Charts and readouts.
  const plane = h('canvas', { class: 'chart', role: 'img', 'data-chart': 'plane' });
  const stack = h('canvas', { class: 'chart chart-stack', role: 'img', 'data-chart': 'surgery' });
  const cell = (key) => h('td', { 'data-out': key });
  const out = {
    distortion: cell('rd-distortion'), rate: cell('rd-rate'), negElbo: cell('rd-neg-elbo'),
    imageDistortion: cell('rd-image-distortion'), imageRate: cell('rd-image-rate'), imageNegElbo: cell('rd-image-neg-elbo'),
    info: cell('rd-info'), marginal: cell('rd-marginal'), sum: cell('rd-surgery-sum'),
  };
  const readout = h('table', { class: 'readout' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('rd.quantity')), h('th', { scope: 'col' }, t('rd.mean')),
      h('th', { scope: 'col', 'data-out': 'rd-image-header' }, t('rd.thisImage', { i: s.image })))),
    h('tbody', {},
      h('tr', {}, h('th', { scope: 'row' }, t('rd.distortion')), out.distortion, out.imageDistortion),
      h('tr', {}, h('th', { scope: 'row' }, t('rd.rate')), out.rate, out.imageRate),
      h('tr', { class: 'key' }, h('th', { scope: 'row' }, t('rd.negElbo')), out.negElbo, out.imageNegElbo),
      h('tr', {}, h('th', { scope: 'row' }, t('rd.info')), out.info, h('td', {}, '')),
      h('tr', {}, h('th', { scope: 'row' }, t('rd.marginal')), out.marginal, h('td', {}, '')),
      h('tr', {}, h('th', { scope: 'row' }, t('rd.surgerySum')), out.sum, h('td', {}, ''))));
  const sweepBody = h('tbody');
  const sweepTable = h('table', { class: 'values', 'data-table': 'sweep' },
    h('caption', {}, t('rd.sweepCaption')),
    h('thead', {}, h('tr', {}, ['β', t('rd.rateShort'), t('rd.distortionShort'), t('rd.negElboShort')].map((x) => h('th', { scope: 'col' }, x)))),
    sweepBody);
  const holes = h('p', { class: 'note', 'data-out': 'rd-holes' });
  const readerNote = h('p', { class: 'note', role: 'status', 'aria-live': 'polite', 'data-out': 'rd-reader' });
  let reader = options.readerModel?.get() ?? null;
  const unsubscribe = options.readerModel?.subscribe((m) => { reader = m; render(); }) ?? (() => {});

  root.replaceChildren(controls, status, progress, plane, readerNote, pick, readout, stack, holes, sweepTable);

  const perUnit = () => (s.unit === 'bits' ? Math.LN2 : 1);
  const show = (x) => `${fmt(x / perUnit())} ${t(`unit.${s.unit}`)}`;
  const current = () => results[BETAS.indexOf(s.beta)];

  function render() {
    const u = t(`unit.${s.unit}`);
    const r = current();
    const none = '—';
    root.querySelector('[data-out="rd-image-header"]').textContent = t('rd.thisImage', { i: s.image });
    if (r) {
      const d = r.perImage.distortion[s.image];
      const rate = r.perImage.rate[s.image];
      out.distortion.textContent = show(r.distortion);
      out.rate.textContent = show(r.rate);
      out.negElbo.textContent = show(r.negElbo);
      out.imageDistortion.textContent = show(d);
      out.imageRate.textContent = show(rate);
      out.imageNegElbo.textContent = show(d + rate);
      out.info.textContent = show(r.mutualInformation);
      out.marginal.textContent = show(r.marginalKl);
      out.sum.textContent = `${show(r.mutualInformation + r.marginalKl)} ± ${fmt(r.surgeryStandardError / perUnit())}`;
      const share = r.rate > 0 ? Math.max(0, r.marginalKl) / r.rate : 0;
      holes.textContent = t('rd.holes', { share: fmt(100 * share, 0), beta: s.beta });
    } else {
      for (const el of Object.values(out)) el.textContent = none;
      holes.textContent = t('rd.empty');
    }
    sweepBody.replaceChildren(...BETAS.map((b, i) => {
      const x = results[i];
      return h('tr', { class: b === s.beta ? 'key' : null, 'data-beta': b },
        h('th', { scope: 'row' }, String(b)),
        h('td', {}, x ? show(x.rate) : none), h('td', {}, x ? show(x.distortion) : none), h('td', {}, x ? show(x.negElbo) : none));
    }), ...(comparable(reader) ? [h('tr', { 'data-reader': '' },
      h('th', { scope: 'row' }, t('rd.readerRow', { beta: fmt(reader.beta, 2) })),
      h('td', {}, show(reader.rate)), h('td', {}, show(reader.distortion)), h('td', {}, show(reader.negElbo)))] : []));
    readerNote.textContent = readerText(u);
    const k = perUnit();
    drawPlane(plane, { t, results, reader, beta: s.beta, k, u });
    drawStack(stack, r, { t, beta: s.beta, k, u });
  }

  /** What the note beside the plane says about the reader's model from 4.2. */
  function readerText(u) {
    if (!reader) return t('rd.readerNone');
    const vars = {
      beta: fmt(reader.beta, 2), latent: reader.latent, hidden: reader.hidden, epoch: reader.epoch,
      dataset: t(`vae.dataset.${reader.dataset}`), r: fmt(reader.rate / perUnit()), d: fmt(reader.distortion / perUnit()), unit: u,
    };
    if (!comparable(reader)) return t('rd.readerOther', vars);
    const options = [reader.warmup > 0 && t('rd.readerWarmup', { n: reader.warmup }), reader.freeBits > 0 && t('rd.readerFreeBits', { lambda: fmt(reader.freeBits, 2) })].filter(Boolean);
    return `${t('rd.reader', vars)}${options.length ? ` ${t('rd.readerOptions', { options: options.join(t('rd.readerAnd')) })}` : ''}`;
  }

  let digits = null;
  let runId = 0; // the current run; a stopped or superseded run ignores what it hears
  async function start() {
    stop();
    runId += 1;
    const id = runId;
    results = [];
    ran = true;
    delete root.dataset.sweep;
    bars.forEach((b) => { b.value = 0; });
    render();
    runButton.disabled = true;
    stopButton.disabled = false;
    status.textContent = t('rd.loading');
    const t0 = performance.now();
    try {
      digits ??= await fetchDigits();
      const module = await wasmModule();
      if (destroyed || id !== runId) return;
      status.textContent = t('rd.running', { n: workers, models: BETAS.length, epochs: s.epochs });
      sweep = runSweep({
        module, digits, epochs: s.epochs, seed: s.seed, workers,
        onProgress: (m) => { bars[BETAS.indexOf(m.beta)].value = m.epoch / m.epochs; },
        onResult: (r) => { results[BETAS.indexOf(r.beta)] = r; render(); },
      });
      await sweep.done;
      if (id !== runId) return;
      status.textContent = t('rd.finished', { models: BETAS.length, s: fmt((performance.now() - t0) / 1000, 1), n: workers });
      root.dataset.sweep = 'done';
    } catch (err) {
      // A coded error from the wasm (in a worker or here) in the page's language, never the
      // worker's English message (lib/i18n.js error()).
      if (id === runId && !destroyed) status.textContent = t('rd.failed', { message: error(err) });
    } finally {
      if (id === runId) {
        sweep = null;
        runButton.disabled = false;
        stopButton.disabled = true;
      }
    }
  }

  /** Stops a sweep in progress (its workers are terminated); what finished stays shown. */
  function stop() {
    const active = !stopButton.disabled;
    runId += 1;
    sweep?.cancel();
    sweep = null;
    runButton.disabled = false;
    stopButton.disabled = true;
    if (active && !destroyed) status.textContent = t('rd.stopped');
  }

  render();
  const unobserve = onResize(plane, render);
  if (options.run === 1) start();
  const state = () => ({ epochs: s.epochs, beta: s.beta, image: s.image, unit: s.unit, seed: s.seed, run: ran ? 1 : 0 });
  return {
    state,
    results: () => results.slice(),
    running: () => sweep !== null,
    destroy() { destroyed = true; stop(); unobserve(); unsubscribe(); root.replaceChildren(); },
  };
}

/** The digits' bytes; a failed fetch is a reader's error (rd.loadFailed) rather than the browser's English. */
async function fetchDigits() {
  let response;
  try {
    response = await fetch(new URL('../data/digits.bin', import.meta.url));
  } catch {
    response = null;
  }
  if (!response?.ok) {
    throw Object.assign(new Error('the digits (data/digits.bin) could not be fetched'), { key: 'rd.loadFailed', vars: {} });
  }
  return response.arrayBuffer();
}
