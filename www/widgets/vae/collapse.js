// The VAE widget's posterior-collapse part: the two training options against it (KL warm-up,
// free bits), two presets, and the KL of every latent dimension as bars with the active-unit
// count (Burda et al.'s statistic, computed by the worker's wasm: Trainer.latentUsage on the
// held-out set).
import { lab } from '../../lib/lab.js';
import { fmt, h, uid } from '../../lib/dom.js';
import { fitCanvas } from '../../lib/canvas.js';

/** The controls' ranges (the link format, lib/url-state.js, uses the same). */
export const MAX_WARMUP = 200;
export const MAX_FREE_BITS = 2;

/**
 * The presets: the settings each sets (the others are left as they are) and the epochs to
 * train. What each sentence claims is pinned on a short native run of the same settings
 * (crate/src/math/networks/train.rs, the_collapse_preset_… and the_free_bits_preset_…): the
 * seed and the learning rate are part of their condition.
 */
export const PRESETS = Object.freeze({
  collapse: { dataset: 'digits', mode: 'vae', latent: 16, hidden: 128, activation: 'tanh', beta: 4, lr: 3e-3, batchSize: 64, seed: 1, warmup: 0, freeBits: 0, target: 10 },
  prevent: { dataset: 'digits', mode: 'vae', latent: 16, hidden: 128, activation: 'tanh', beta: 4, lr: 3e-3, batchSize: 64, seed: 1, warmup: 0, freeBits: 0.25, target: 10 },
});

const clamp = (v, lo, hi, fallback) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : fallback);

/** A labelled number input. */
function number(label, attrs, key) {
  const id = uid('vc');
  const el = h('input', { id, type: 'number', 'data-input': key, ...attrs });
  return { input: el, el: h('span', { class: 'field' }, h('label', { for: id }, label), el) };
}

/** The part's elements: controls (warm-up, free bits, presets) and the bars with their readouts. */
export function buildCollapse(t, state, onPreset) {
  const control = {
    warmup: number(t('vae.warmup'), { min: 0, max: MAX_WARMUP, step: 1, value: state.config.warmup ?? 0 }, 'warmup'),
    freeBits: number(t('vae.freeBits'), { min: 0, max: MAX_FREE_BITS, step: 0.05, value: state.config.freeBits ?? 0 }, 'free-bits'),
  };
  const presetButton = (name) => h('button', { type: 'button', 'data-action': `preset-${name}`, onclick: () => onPreset(name) }, t(`vae.preset.${name}`));
  const canvas = h('canvas', { class: 'chart chart-short', role: 'img', 'data-chart': 'latent-kl', 'aria-label': t('vae.pendingAlt') });
  const active = h('output', { 'data-out': 'vae-active' }, '—');
  const note = h('p', { class: 'note', role: 'status', 'data-out': 'vae-preset-note' });
  const el = h('div', {},
    h('h3', {}, t('vae.collapseTitle')),
    h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vae.collapseControls')),
      control.warmup.el, control.freeBits.el, presetButton('collapse'), presetButton('prevent')),
    note,
    h('p', { class: 'chart-caption' }, t('vae.klBarsCaption')),
    h('div', { class: 'chart-wrap' }, canvas),
    h('table', { class: 'readout' }, h('tbody', {}, h('tr', {}, h('th', { scope: 'row' }, t('vae.rowActive')), h('td', {}, active)))));
  return { control, canvas, active, note, el };
}

/** Reads the two options from their controls into `config`, clamped, and shows the clamped values. */
export function readCollapse(part, config) {
  const { warmup, freeBits } = part.control;
  config.warmup = Math.round(clamp(Number(warmup.input.value), 0, MAX_WARMUP, 0));
  config.freeBits = clamp(Number(freeBits.input.value), 0, MAX_FREE_BITS, 0);
  warmup.input.value = config.warmup;
  freeBits.input.value = config.freeBits;
}

/** Puts preset `name`'s settings into the controls `control` (the widget's and this part's). */
export function showPreset(name, control, part) {
  const p = PRESETS[name];
  control.dataset.input.value = p.dataset;
  control.mode.input.value = p.mode;
  control.latent.input.value = p.latent;
  control.beta.input.value = p.beta;
  control.lr.input.value = String(p.lr);
  control.hidden.input.value = String(p.hidden);
  control.activation.input.value = p.activation;
  control.batch.input.value = String(p.batchSize);
  control.seed.input.value = p.seed;
  part.control.warmup.input.value = p.warmup;
  part.control.freeBits.input.value = p.freeBits;
  control.target.input.value = p.target;
  return p;
}

/**
 * The bars: KL̄_d of every latent dimension on the held-out set, nats; the active count
 * A_d = Var_x μ_d(x) > 0.01 beside it. A plain autoencoder has no KL: the count alone.
 */
export function drawCollapse({ t, run, ui }, s) {
  // Drawn once per snapshot (and after a resize), not on every frame a click asks for.
  if (run.collapseDrawn === s) return;
  run.collapseDrawn = s;
  const part = ui.collapse;
  const u = s.usage;
  if (!u || !u.kl.length) {
    part.active.textContent = '—';
    return;
  }
  const z = u.kl.length;
  const ae = s.config.mode === 'autoencoder';
  part.active.textContent = t('vae.activeOf', { active: u.active, latent: z, threshold: fmt(u.threshold, 2) });
  const labels = Array.from({ length: z }, (_, d) => `z${d + 1}`);
  const kl = Array.from(u.kl);
  const top = Math.max(0.5, ...kl) * 1.15;
  const lambda = s.config.freeBits > 0 && !ae ? s.config.freeBits : NaN;
  lab.drawBars(part.canvas, labels, kl, ['purple'], 0, Math.max(top, Number.isFinite(lambda) ? lambda * 1.2 : 0), t('vae.axisKlDim'), -1,
    lambda, Number.isFinite(lambda) ? t('vae.freeBitsLine', { lambda: fmt(lambda, 2) }) : '', z <= 8, fitCanvas(part.canvas));
  const sum = kl.reduce((a, b) => a + b, 0);
  part.canvas.setAttribute('aria-label', t('vae.klBarsAlt', { latent: z, active: u.active, kl: kl.map((v) => fmt(v, 2)).join(', '), sum: fmt(sum, 2) }));
}
