// Widget "entropy": edit a discrete distribution (drag bars, arrow keys, typed values,
// presets) and watch H(p) and each outcome's share −pᵢ log pᵢ.
import { lab } from '../lib/lab.js';
import { h, fmt } from '../lib/dom.js';
import { fitCanvas, onResize, plotBox, pointerFraction } from '../lib/canvas.js';
import { t } from '../lib/i18n.js';
import { createStore } from '../lib/store.js';
import { DEFAULT_DISTRIBUTION, presetPicker } from '../lib/presets.js';

const STEP = 0.01; // arrow-key step
const BIG_STEP = 0.1; // with Shift, or PageUp/PageDown
const DRAG_GRID = 0.001; // dragged values are rounded to this
const PEAK_BITS = 1 / (Math.E * Math.LN2); // max of −p log₂ p, at p = 1/e

/** Mounts the widget into `root`; options { store } to share the distribution. */
export function mount(root, options = {}) {
  const store = options.store ?? createStore(DEFAULT_DISTRIBUTION);
  let focus = -1; // index of the focused bar, or −1
  let rect = null;
  let dragIndex = -1;

  const bars = h('canvas', { class: 'chart', role: 'img' });
  const handles = h('div', { class: 'handles' });
  const terms = h('canvas', { class: 'chart chart-short', role: 'img' });
  const out = {
    bits: h('output', { 'data-out': 'entropy-bits' }),
    nats: h('output', { 'data-out': 'entropy-nats' }),
    max: h('output', { 'data-out': 'entropy-max' }),
  };
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const table = h('table', { class: 'values' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('entropy.colOutcome')),
      h('th', { scope: 'col' }, 'pᵢ'), h('th', { scope: 'col' }, '−pᵢ log₂ pᵢ'))),
    tbody);

  root.replaceChildren(
    presetPicker(store),
    h('div', { class: 'widget-body' },
      h('div', { class: 'charts' },
        h('div', { class: 'chart-wrap' }, bars, handles),
        h('p', { class: 'chart-caption' }, t('entropy.termsCaption')),
        h('div', { class: 'chart-wrap' }, terms)),
      h('div', { class: 'panel' },
        h('table', { class: 'readout' }, h('tbody', {},
          h('tr', {}, h('th', { scope: 'row' }, 'H(p)'), h('td', {}, out.bits)),
          h('tr', {}, h('th', { scope: 'row' }, ''), h('td', {}, out.nats)),
          h('tr', {}, h('th', { scope: 'row' }, t('entropy.maxRow')), h('td', {}, out.max)))),
        table,
        h('p', { class: 'note' }, t('entropy.normaliseNote')),
        status)));

  /** Sets pᵢ = v, rescaling the others (the Rust core keeps Σp = 1). */
  function setValue(i, v) {
    const { p, labels } = store.get();
    store.set({ p: Array.from(lab.setProbability(p, i, v)), labels });
  }

  function rebuildRows(labels) {
    handles.replaceChildren(...labels.map((name, i) => {
      const handle = h('div', {
        class: 'handle', role: 'slider', tabindex: 0, 'data-index': i,
        'aria-label': t('entropy.barLabel', { name }), 'aria-valuemin': 0, 'aria-valuemax': 1,
      });
      handle.addEventListener('focus', () => { focus = i; render(); });
      handle.addEventListener('blur', () => { if (focus === i) { focus = -1; render(); } });
      handle.addEventListener('keydown', (e) => onKey(e, i));
      return handle;
    }));
    tbody.replaceChildren(...labels.map((name, i) => {
      const input = h('input', {
        type: 'number', min: 0, max: 1, step: STEP, inputmode: 'decimal',
        'aria-label': t('entropy.inputLabel', { name }), 'data-index': i,
      });
      input.addEventListener('change', () => onTyped(input, i));
      return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, input), h('td', { class: 'num' }));
    }));
  }

  function onTyped(input, i) {
    const v = input.value.trim() === '' ? NaN : Number(input.value);
    if (!(v >= 0 && v <= 1)) {
      status.textContent = t('entropy.badValue', { value: input.value });
      render();
      return;
    }
    status.textContent = '';
    setValue(i, v);
  }

  function onKey(e, i) {
    const p = store.get().p[i];
    const step = e.shiftKey ? BIG_STEP : STEP;
    const next = {
      ArrowUp: p + step, ArrowRight: p + step, ArrowDown: p - step, ArrowLeft: p - step,
      PageUp: p + BIG_STEP, PageDown: p - BIG_STEP, Home: 0, End: 1,
    }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setValue(i, Math.min(1, Math.max(0, next)));
  }

  let shownLabels = null;
  function render() {
    const { p, labels } = store.get();
    if (labels !== shownLabels) { rebuildRows(labels); shownLabels = labels; }
    const n = p.length;
    const scale = fitCanvas(bars);
    rect = lab.drawBars(bars, labels, p, ['blue'], 1, t('entropy.axisP'), focus, NaN, '', n <= 8, scale);
    const shares = lab.entropyTerms(p, 2);
    lab.drawBars(terms, labels, shares, ['purple'], PEAK_BITS * 1.2, t('entropy.axisTerm'), focus,
      PEAK_BITS, t('entropy.peak'), n <= 8, fitCanvas(terms));
    const hBits = lab.entropy(p, 2);
    const hNats = lab.entropy(p);
    out.bits.textContent = `${fmt(hBits)} ${t('unit.bits')}`;
    out.nats.textContent = `${fmt(hNats)} ${t('unit.nats')}`;
    out.max.textContent = t('entropy.maxValue', { n, bits: fmt(Math.log2(n)), nats: fmt(Math.log(n)) });

    const box = plotBox(bars, rect);
    [...handles.children].forEach((el, i) => {
      el.style.left = `${box.left + (i * box.width) / n}px`;
      el.style.top = `${box.top}px`;
      el.style.width = `${box.width / n}px`;
      el.style.height = `${box.height}px`;
      el.setAttribute('aria-valuenow', p[i]);
      el.setAttribute('aria-valuetext', fmt(p[i]));
    });
    [...tbody.children].forEach((tr, i) => {
      const input = tr.querySelector('input');
      if (document.activeElement !== input) input.value = fmt(p[i], 3);
      tr.lastChild.textContent = fmt(shares[i]);
    });
    bars.setAttribute('aria-label', t('entropy.alt', {
      values: labels.map((name, i) => `${name}: ${fmt(p[i])}`).join(', '), bits: fmt(hBits),
    }));
    terms.setAttribute('aria-label', t('entropy.termsAlt', {
      values: labels.map((name, i) => `${name}: ${fmt(shares[i])}`).join(', '),
    }));
  }

  // Drag: the column under the pointer picks the bar, the height sets its probability.
  handles.addEventListener('pointerdown', (e) => {
    if (!rect) return;
    const { fx, fy } = pointerFraction(bars, rect, e);
    const n = store.get().p.length;
    dragIndex = Math.min(n - 1, Math.max(0, Math.floor(fx * n)));
    handles.setPointerCapture(e.pointerId);
    handles.children[dragIndex].focus({ preventScroll: true });
    e.preventDefault();
    setValue(dragIndex, Math.round(fy / DRAG_GRID) * DRAG_GRID);
  });
  handles.addEventListener('pointermove', (e) => {
    if (dragIndex < 0) return;
    const { fy } = pointerFraction(bars, rect, e);
    setValue(dragIndex, Math.min(1, Math.max(0, Math.round(fy / DRAG_GRID) * DRAG_GRID)));
  });
  const stop = () => { dragIndex = -1; };
  handles.addEventListener('pointerup', stop);
  handles.addEventListener('pointercancel', stop);

  const unsubscribe = store.subscribe(render);
  render();
  const unobserve = onResize(bars, render);
  return { store, destroy() { unsubscribe(); unobserve(); root.replaceChildren(); } };
}
