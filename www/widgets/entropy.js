// Widget "entropy": edit a discrete distribution (drag bars, arrow keys, typed values,
// presets) and watch H(p) and each outcome's share −pᵢ log pᵢ.
import { lab } from '../lib/lab.js';
import { h, fmt, setText } from '../lib/dom.js';
import { fitCanvas, fixedLayer, onResize } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';
import { createStore } from '../lib/store.js';
import { DEFAULT_DISTRIBUTION, distribution, presetPicker } from '../lib/presets.js';
import { distributionEditor } from '../lib/editor.js';

const PEAK_BITS = 1 / (Math.E * Math.LN2); // max of −p log₂ p, at p = 1/e

/** Mounts the widget into `root`; options { store } to share the distribution, or { p }. */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const store = options.store ?? createStore(options.p ? distribution(options.p) : DEFAULT_DISTRIBUTION);
  let shares = [];
  const termsFixed = fixedLayer();
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const editor = distributionEditor(store, { t,
    axis: t('entropy.axisP'), status, columns: [{ header: '−pᵢ log₂ pᵢ', cell: (i) => fmt(shares[i]) }],
  });
  const terms = h('canvas', { class: 'chart chart-short', role: 'img' });
  const out = {
    bits: h('output', { 'data-out': 'entropy-bits' }),
    nats: h('output', { 'data-out': 'entropy-nats' }),
    max: h('output', { 'data-out': 'entropy-max' }),
  };

  root.replaceChildren(
    presetPicker(store, t),
    h('div', { class: 'widget-body' },
      h('div', { class: 'charts' },
        editor.chart,
        h('p', { class: 'chart-caption' }, t('entropy.termsCaption')),
        h('div', { class: 'chart-wrap' }, terms)),
      h('div', { class: 'panel' },
        h('table', { class: 'readout' }, h('tbody', {},
          h('tr', {}, h('th', { scope: 'row' }, 'H(p)'), h('td', {}, out.bits)),
          h('tr', {}, h('th', { scope: 'row' }, ''), h('td', {}, out.nats)),
          h('tr', {}, h('th', { scope: 'row' }, t('entropy.maxRow')), h('td', {}, out.max)))),
        editor.table,
        h('p', { class: 'note' }, t('entropy.normaliseNote')),
        status)));

  function render() {
    const { p, labels } = store.get();
    const n = p.length;
    shares = lab.entropyTerms(p, 2);
    editor.render();
    // The axes and names are kept as an image (they change with the outcomes); the bars and
    // the peak line are drawn over it.
    const scale = fitCanvas(terms);
    termsFixed(terms, `${scale} ${labels.join('\u0000')}`, (off) => lab.drawBars(off, labels, [], [], 0, PEAK_BITS * 1.2,
      t('entropy.axisTerm'), -1, NaN, '', false, scale));
    lab.drawBars(terms, labels, shares, ['purple'], 0, PEAK_BITS * 1.2, t('entropy.axisTerm'), -1,
      PEAK_BITS, t('entropy.peak'), n <= 8, scale, true);
    const hBits = lab.entropy(p, 2);
    setText(out.bits, `${fmt(hBits)} ${t('unit.bits')}`);
    setText(out.nats, `${fmt(lab.entropy(p))} ${t('unit.nats')}`);
    setText(out.max, t('entropy.maxValue', { n, bits: fmt(Math.log2(n)), nats: fmt(Math.log(n)) }));
    terms.setAttribute('aria-label', t('entropy.termsAlt', {
      values: labels.map((name, i) => `${name}: ${fmt(shares[i])}`).join(', '),
    }));
  }

  const unsubscribe = store.subscribe(render);
  render();
  const unobserve = onResize(editor.canvas, render);
  return { store, state: () => ({ p: [...store.get().p] }), destroy() { unsubscribe(); unobserve(); root.replaceChildren(); } };
}
