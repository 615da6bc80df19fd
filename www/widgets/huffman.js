// Widget "huffman": the optimal prefix code for the current distribution, its code words,
// and the average length L beside the entropy H, showing H ≤ L < H + 1 bits.
import { lab } from '../lib/lab.js';
import { disclosure, h, fmt, setText, uid } from '../lib/dom.js';
import { fitCanvas, fixedLayer, onResize } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';
import { createStore } from '../lib/store.js';
import { DEFAULT_DISTRIBUTION, distribution, presetPicker } from '../lib/presets.js';

const Y_CAP = 16; // bits: ideal lengths of very rare outcomes are clipped here

/**
 * Mounts the widget into `root`; options { store } to follow another widget's distribution
 * (without a store it gets its own preset buttons, starting from options.p if given).
 */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const shared = Boolean(options.store);
  const store = options.store ?? createStore(options.p ? distribution(options.p) : DEFAULT_DISTRIBUTION);
  const canvas = h('canvas', { class: 'chart', role: 'img' });
  const tbody = h('tbody');
  const out = {
    average: h('output', { 'data-out': 'huffman-average' }),
    entropy: h('output', { 'data-out': 'huffman-entropy' }),
    bound: h('output', { 'data-out': 'huffman-bound' }),
    kraft: h('output', { 'data-out': 'huffman-kraft' }),
  };
  const legend = h('p', { class: 'legend' },
    h('span', { class: 'swatch swatch-blue' }), t('huffman.legendLength'), ' ',
    h('span', { class: 'swatch swatch-orange' }), t('huffman.legendIdeal'));
  const table = h('table', { class: 'values code-table' },
    h('thead', {}, h('tr', {},
      ...[t('entropy.colOutcome'), 'pᵢ', t('huffman.colCode'), 'ℓᵢ', '−log₂ pᵢ'].map((c) => h('th', { scope: 'col' }, c)))),
    tbody);
  // The reader's own text (own-text.js), fetched when first asked for.
  const ownBox = h('div', { class: 'own-data', id: uid('own-text'), hidden: true });
  const ownButton = h('button', { type: 'button', 'data-action': 'own-text', 'aria-expanded': 'false', 'aria-controls': ownBox.id }, t('huffman.ownText'));
  const own = disclosure(ownButton, ownBox, () => import('./own-text.js').then((m) => m.mountOwnText(ownBox, { store, strings: stringsFor(root) })));
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));

  root.replaceChildren(
    shared ? h('p', { class: 'note' }, t('huffman.sharedNote')) : presetPicker(store, t),
    h('div', { class: 'widget-body' },
      h('div', { class: 'charts' }, h('div', { class: 'chart-wrap' }, canvas), legend),
      h('div', { class: 'panel' },
        h('table', { class: 'readout' }, h('tbody', {},
          row(t('huffman.averageRow'), out.average), row('H(p)', out.entropy),
          row(t('huffman.boundRow'), out.bound), row(t('huffman.kraftRow'), out.kraft))),
        table)),
    h('div', { class: 'controls' }, ownButton), ownBox);

  let rowsFor = null; // the labels the table's rows were built for
  const barsFixed = fixedLayer();
  function render() {
    const { p, labels } = store.get();
    const code = lab.huffmanCode(p);
    const ideal = p.map((pi) => (pi > 0 ? -Math.log2(pi) : 0));
    const top = Math.min(Y_CAP, Math.max(1, ...code.lengths, ...ideal));
    // The axes and outcome names are kept as an image (per outcome set, y range and size); an
    // edit draws the bars over it.
    const scale = fitCanvas(canvas);
    const yTop = Math.ceil(top + 0.5);
    barsFixed(canvas, `${scale} ${yTop} ${labels.join('\u0000')}`, (off) => lab.drawBars(off, labels, [], [], 0, yTop,
      t('huffman.axis'), -1, NaN, '', false, scale));
    lab.drawBars(canvas, labels, [...code.lengths, ...ideal], ['blue', 'orange'], 0, yTop,
      t('huffman.axis'), -1, NaN, '', false, scale, true);

    const { averageLength: L, entropy: H } = code;
    setText(out.average, `${fmt(L)} ${t('unit.bitsPerSymbol')}`);
    setText(out.entropy, `${fmt(H)} ${t('unit.bitsPerSymbol')}`);
    const holds = H <= L + 1e-12 && L < H + 1;
    setText(out.bound, `${fmt(H)} ≤ ${fmt(L)} < ${fmt(H + 1)} ${holds ? '✓' : '✗'}`);
    setText(out.kraft, `Σ 2^−ℓᵢ = ${fmt(code.kraftSum, 6)}`);

    // One row per outcome, built when the outcomes change; an edit rewrites only changed cells.
    if (labels !== rowsFor) {
      rowsFor = labels;
      tbody.replaceChildren(...labels.map((name) => h('tr', {}, h('th', { scope: 'row' }, name), h('td', { class: 'num' }),
        h('td', { class: 'code' }), h('td', { class: 'num' }), h('td', { class: 'num' }))));
    }
    [...tbody.children].forEach((tr, i) => {
      const word = code.codewords[i];
      const wordText = word === null ? t('huffman.never') : word === '' ? t('huffman.empty') : word;
      const cells = tr.children;
      setText(cells[1], fmt(p[i]));
      setText(cells[2], wordText);
      setText(cells[3], String(code.lengths[i]));
      setText(cells[4], p[i] > 0 ? fmt(ideal[i]) : '∞');
    });
    canvas.setAttribute('aria-label', t('huffman.alt', {
      values: labels.map((name, i) => `${name}: ${code.lengths[i]} / ${p[i] > 0 ? fmt(ideal[i], 2) : '∞'}`).join(', '),
      L: fmt(L), H: fmt(H),
    }));
  }

  const unsubscribe = store.subscribe(render);
  render();
  const unobserve = onResize(canvas, render);
  return { store, state: () => ({ p: [...store.get().p] }), ownText: own, destroy() { unsubscribe(); unobserve(); own()?.then((o) => o.destroy()); root.replaceChildren(); } };
}
