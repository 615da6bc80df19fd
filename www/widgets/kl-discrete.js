// Widget "kl-discrete": two editable distributions p and q; cross-entropies, both KL
// divergences, JS and TV live; H(p, q) = H(p) + KL(p‖q) as stacked bars; every term
// pᵢ log(pᵢ/qᵢ), negative ones included; ∞ explained when q rules out what p allows.
import { lab } from '../lib/lab.js';
import { h, fmt, uid } from '../lib/dom.js';
import { fitCanvas, onResize } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';
import { createStore } from '../lib/store.js';
import { lens } from '../lib/lens.js';
import { distributionEditor } from '../lib/editor.js';

const numbered = (n) => Array.from({ length: n }, (_, i) => String(i + 1));

/** Pairs (p, q) the reader can start from. */
const PAIRS = {
  close: { p: [0.3, 0.4, 0.2, 0.1], q: [0.25, 0.35, 0.25, 0.15] },
  shifted: { p: [0.6, 0.25, 0.1, 0.05], q: [0.05, 0.1, 0.25, 0.6] },
  zero: { p: [0.4, 0.3, 0.2, 0.1], q: [0.5, 0.3, 0.2, 0] },
  peaked: { p: [0.85, 0.05, 0.05, 0.05], q: [0.25, 0.25, 0.25, 0.25] },
};

/** q's seed for p's `seed`: past the fresh seeds' range (0 to 10⁹ − 1), so no other draw's p. */
const Q_SEED = 1e9;

/**
 * p and q over n outcomes, each uniform on the simplex (Dirichlet(1, …, 1)), drawn in the wasm
 * core from `seed` (p) and seed + Q_SEED (q): the same seed gives the same pair everywhere.
 */
function randomPair(n, seed) {
  return { p: Array.from(lab.randomDistribution(n, seed)), q: Array.from(lab.randomDistribution(n, seed + Q_SEED)) };
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Mounts the widget into `root`; options { p, q, unit: 'bits' | 'nats', seed } (seed: the
 * Randomise draw p and q came from, shown; without p, the pair is drawn from it).
 */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const start = options.seed !== undefined && !options.p ? randomPair(4, options.seed) : PAIRS.close;
  const store = createStore({ p: options.p ?? start.p, q: options.q ?? start.q, labels: numbered((options.p ?? start.p).length) });
  let unit = options.unit === 'nats' ? 'nats' : 'bits';
  let report = null;
  // The last Randomise draw ({ seed, p, q }), while p and q are still what it drew.
  let drawn = options.seed === undefined ? null : { seed: options.seed, p: store.get().p, q: store.get().q };
  const seedNote = h('p', { class: 'note', 'data-out': 'kl-seed', hidden: true });

  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const editorP = distributionEditor(lens(store, 'p'), { t,
    color: 'blue', symbol: 'p', axis: t('kl.axisP'), status, outcomeHeader: 'i', highlight: () => report?.infiniteQP ?? -1,
  });
  const editorQ = distributionEditor(lens(store, 'q'), { t,
    color: 'orange', symbol: 'q', axis: t('kl.axisQ'), status, outcomeHeader: 'i', highlight: () => report?.infinitePQ ?? -1,
  });
  const termsCanvas = h('canvas', { class: 'chart', role: 'img' });
  const stackCanvas = h('canvas', { class: 'chart chart-stack', role: 'img' });
  const rows = ['hp', 'hq', 'crossPQ', 'crossQP', 'klPQ', 'klQP', 'js', 'tv'];
  const cells = Object.fromEntries(rows.map((k) => [k, h('output', { 'data-out': k })]));
  const names = { hp: 'H(p)', hq: 'H(q)', crossPQ: 'H(p, q)', crossQP: 'H(q, p)', klPQ: 'KL(p ‖ q)', klQP: 'KL(q ‖ p)', js: 'JS(p, q)', tv: 'TV(p, q)' };
  const readout = h('table', { class: 'readout' }, h('tbody', {},
    rows.map((k) => h('tr', { class: k.startsWith('kl') ? 'key' : null }, h('th', { scope: 'row' }, names[k]), h('td', {}, cells[k])))));
  const infinity = h('div', { class: 'infinity', role: 'alert', hidden: true });

  const unitName = uid('unit');
  const controls = h('div', { class: 'controls' },
    h('span', { class: 'controls-title' }, t('preset.label')),
    Object.keys(PAIRS).map((key) => h('button', {
      type: 'button', 'data-pair': key,
      onclick: () => store.set({ ...PAIRS[key], labels: numbered(PAIRS[key].p.length) }),
    }, t(`kl.pair.${key}`))),
    h('button', {
      type: 'button', 'data-action': 'randomise',
      onclick: () => {
        const seed = lab.freshSeed();
        const pair = randomPair(store.get().p.length, seed);
        drawn = { seed, ...pair };
        store.set({ ...store.get(), ...pair });
      },
    }, t('kl.randomise')),
    h('button', {
      type: 'button', 'data-action': 'swap', onclick: () => { const s = store.get(); store.set({ ...s, p: s.q, q: s.p }); },
    }, t('kl.swap')),
    h('fieldset', { class: 'unit' }, h('legend', {}, t('unit.label')),
      ['bits', 'nats'].map((u) => h('label', {},
        h('input', { type: 'radio', name: unitName, value: u, checked: u === unit, onchange: () => { unit = u; render(); } }),
        ` ${t(`unit.${u}`)}`))));

  root.replaceChildren(controls, h('div', { class: 'widget-body' },
    h('div', { class: 'charts' },
      editorP.chart,
      h('div', { class: 'spacer' }),
      editorQ.chart,
      h('p', { class: 'chart-caption' }, t('kl.termsCaption')),
      h('div', { class: 'chart-wrap' }, termsCanvas),
      h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), 'pᵢ log(pᵢ/qᵢ) ',
        h('span', { class: 'swatch swatch-orange' }), 'qᵢ log(qᵢ/pᵢ)'),
      h('p', { class: 'chart-caption' }, t('kl.stackCaption')),
      h('div', { class: 'chart-wrap' }, stackCanvas)),
    h('div', { class: 'panel' }, readout, infinity,
      h('div', { class: 'pair-tables' }, editorP.table, editorQ.table),
      seedNote, h('p', { class: 'note' }, t('entropy.normaliseNote')), status)));

  /** The sentence explaining an infinite divergence, or '' when both are finite. */
  function infinityText(r, labels, s) {
    const parts = [];
    if (r.infinitePQ !== null) {
      const i = r.infinitePQ;
      parts.push(t('kl.infinite', { a: 'p', b: 'q', name: labels[i], pa: fmt(s.p[i]) }));
    }
    if (r.infiniteQP !== null) {
      const i = r.infiniteQP;
      parts.push(t('kl.infinite', { a: 'q', b: 'p', name: labels[i], pa: fmt(s.q[i]) }));
    }
    return parts.join(' ');
  }

  function render() {
    const s = store.get();
    const base = unit === 'bits' ? 2 : Math.E;
    const u = t(`unit.${unit}`);
    report = lab.klReport(s.p, s.q, base);
    editorP.render();
    editorQ.render();
    for (const k of rows) cells[k].textContent = k === 'tv' ? fmt(report[k]) : `${fmt(report[k])} ${u}`;

    const terms = [...report.termsPQ, ...report.termsQP];
    const finite = terms.filter(Number.isFinite);
    const lo = Math.min(-0.05, ...finite) * 1.2;
    const hi = Math.max(0.05, ...finite) * 1.2;
    lab.drawBars(termsCanvas, s.labels, terms, ['blue', 'orange'], lo, hi, t('kl.axisTerms', { unit: u }), -1,
      NaN, '', s.p.length <= 6, fitCanvas(termsCanvas));
    lab.drawStacked(stackCanvas, ['H(p, q)', 'H(q, p)'], [report.hp, report.klPQ, report.hq, report.klQP],
      ['blue', 'purple', 'orange', 'purple'], ['H(p)', 'KL(p‖q)', 'H(q)', 'KL(q‖p)'], u, fitCanvas(stackCanvas));

    if (drawn && !(same(drawn.p, s.p) && same(drawn.q, s.q))) drawn = null; // edited since
    seedNote.hidden = !drawn;
    seedNote.textContent = drawn ? t('kl.seed', { seed: drawn.seed }) : '';

    const text = infinityText(report, s.labels, s);
    infinity.hidden = text === '';
    infinity.textContent = text;
    termsCanvas.setAttribute('aria-label', t('kl.termsAlt', {
      values: s.labels.map((n, i) => `${n}: ${fmt(report.termsPQ[i])} / ${fmt(report.termsQP[i])}`).join(', '),
    }));
    stackCanvas.setAttribute('aria-label', t('kl.stackAlt', {
      hp: fmt(report.hp), klpq: fmt(report.klPQ), hpq: fmt(report.crossPQ),
      hq: fmt(report.hq), klqp: fmt(report.klQP), hqp: fmt(report.crossQP), unit: u,
    }));
  }

  const unsubscribe = store.subscribe(render);
  render();
  const unobserve = onResize(termsCanvas, render);
  const state = () => ({ p: [...store.get().p], q: [...store.get().q], unit, ...(drawn && { seed: drawn.seed }) });
  return { store, state, destroy() { unsubscribe(); unobserve(); root.replaceChildren(); } };
}
