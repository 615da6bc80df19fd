// A draggable, keyboard- and type-editable discrete distribution: a bar chart drawn by the
// Rust core, a focusable handle over each bar, and a table of number inputs. Used by the
// entropy widget and (twice) by the KL playground.
import { lab } from './lab.js';
import { h, fmt, isFocused, setText } from './dom.js';
import { fitCanvas, fixedLayer, plotBox, pointerFraction } from './canvas.js';

const STEP = 0.01; // arrow-key step
const BIG_STEP = 0.1; // with Shift, or PageUp/PageDown
const DRAG_GRID = 0.001; // dragged values are rounded to this

/**
 * Creates an editor for `store` ({ p, labels }). Options:
 * - color: bar colour name for the Rust palette ("blue", "orange", …)
 * - axis: y-axis title; symbol: the distribution's name in labels ("p" or "q")
 * - columns: extra table columns [{ header, cell(i) → string }]
 * - status: an element where messages about typed values go
 * - highlight(): index of a bar to outline when none has focus (−1: none)
 * - t: the strings of the widget's language (lib/i18n.js strings().t)
 * - outcomeHeader: the first column's header (default: the word for "Outcome")
 * Returns { chart, table, render() }; the caller renders when the store changes.
 */
export function distributionEditor(store, {
  t, color = 'blue', axis, symbol = 'p', columns = [], status, highlight = () => -1, outcomeHeader = t('entropy.colOutcome'),
}) {
  let focus = -1;
  let rect = null;
  let dragIndex = -1;
  let shownLabels = null;

  const canvas = h('canvas', { class: 'chart', role: 'img' });
  const handles = h('div', { class: 'handles' });
  const tbody = h('tbody');
  const chart = h('div', { class: 'chart-wrap' }, canvas, handles);
  const table = h('table', { class: 'values' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, outcomeHeader),
      h('th', { scope: 'col' }, `${symbol}ᵢ`), ...columns.map((c) => h('th', { scope: 'col' }, c.header)))),
    tbody);

  /** Sets entry i to v, rescaling the others (the Rust core keeps the sum 1). */
  function setValue(i, v) {
    const { p, labels } = store.get();
    store.set({ p: Array.from(lab.setProbability(p, i, v)), labels });
  }

  function onKey(e, i) {
    const v = store.get().p[i];
    const step = e.shiftKey ? BIG_STEP : STEP;
    const next = {
      ArrowUp: v + step, ArrowRight: v + step, ArrowDown: v - step, ArrowLeft: v - step,
      PageUp: v + BIG_STEP, PageDown: v - BIG_STEP, Home: 0, End: 1,
    }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setValue(i, Math.min(1, Math.max(0, next)));
  }

  function onTyped(input, i) {
    const text = input.value.trim();
    const v = text === '' ? NaN : Number(text);
    if (!(v >= 0 && v <= 1)) {
      if (status) status.textContent = t('entropy.badValue', { value: text.slice(0, 40) });
      input.value = fmt(store.get().p[i], 3);
      return;
    }
    if (status) status.textContent = '';
    setValue(i, v);
    input.value = fmt(store.get().p[i], 3);
  }

  function rebuild(labels) {
    handles.replaceChildren(...labels.map((name, i) => {
      const handle = h('div', {
        class: 'handle', role: 'slider', tabindex: 0, 'data-index': i,
        'aria-label': t('editor.barLabel', { name, symbol }), 'aria-valuemin': 0, 'aria-valuemax': 1,
      });
      handle.addEventListener('focus', () => { focus = i; render(); });
      handle.addEventListener('blur', () => { if (focus === i) { focus = -1; render(); } });
      handle.addEventListener('keydown', (e) => onKey(e, i));
      return handle;
    }));
    tbody.replaceChildren(...labels.map((name, i) => {
      // type="text" (not "number") so a mistyped value reaches us and can be named in the message.
      const input = h('input', {
        type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', class: 'prob',
        'aria-label': t('editor.barLabel', { name, symbol }), 'data-index': i,
      });
      input.addEventListener('change', () => onTyped(input, i));
      input.addEventListener('blur', () => { input.value = fmt(store.get().p[i], 3); });
      return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, input),
        ...columns.map(() => h('td', { class: 'num' })));
    }));
  }

  let drawn = null; // what the canvas shows: skip redrawing when nothing changed
  const fixed = fixedLayer();
  let placed = ''; // where the handles were put: bars and plotting area
  function render() {
    const { p, labels } = store.get();
    if (labels !== shownLabels) { rebuild(labels); shownLabels = labels; placed = ''; }
    const n = p.length;
    const outline = focus >= 0 ? focus : highlight();
    const scale = fitCanvas(canvas);
    const key = { p, outline, width: canvas.width, height: canvas.height };
    if (drawn && Object.keys(key).every((k) => key[k] === drawn[k])) return;
    drawn = key;
    // The axes and the outcomes' names are kept as an image; each edit draws the bars over it.
    fixed(canvas, `${scale} ${labels.join('\u0000')}`, (off) => lab.drawBars(off, labels, [], [], 0, 1, axis, -1, NaN, '', false, scale));
    rect = lab.drawBars(canvas, labels, p, [color], 0, 1, axis, outline, NaN, '', n <= 8, scale, true);
    // The handles move only when the plotting area or the number of bars changes.
    const box = plotBox(canvas, rect);
    const place = `${n} ${box.left} ${box.top} ${box.width} ${box.height}`;
    const moved = place !== placed;
    placed = place;
    [...handles.children].forEach((el, i) => {
      if (moved) {
        el.style.left = `${box.left + (i * box.width) / n}px`;
        el.style.top = `${box.top}px`;
        el.style.width = `${box.width / n}px`;
        el.style.height = `${box.height}px`;
      }
      el.setAttribute('aria-valuenow', p[i]);
      el.setAttribute('aria-valuetext', fmt(p[i]));
    });
    [...tbody.children].forEach((tr, i) => {
      const input = tr.querySelector('input');
      const text = fmt(p[i], 3);
      if (!isFocused(input) && input.value !== text) input.value = text;
      columns.forEach((c, k) => { setText(tr.children[2 + k], c.cell(i)); });
    });
    canvas.setAttribute('aria-label', t('editor.alt', {
      symbol, values: labels.map((name, i) => `${name}: ${fmt(p[i])}`).join(', '),
    }));
  }

  // Drag: the column under the pointer picks the bar, the height sets its probability.
  const valueAt = (e) => {
    const { fx, fy } = pointerFraction(canvas, rect, e);
    return { fx, v: Math.min(1, Math.max(0, Math.round(fy / DRAG_GRID) * DRAG_GRID)) };
  };
  handles.addEventListener('pointerdown', (e) => {
    if (!rect) return;
    const { fx, v } = valueAt(e);
    const n = store.get().p.length;
    dragIndex = Math.min(n - 1, Math.max(0, Math.floor(fx * n)));
    handles.setPointerCapture(e.pointerId);
    handles.children[dragIndex].focus({ preventScroll: true });
    e.preventDefault();
    setValue(dragIndex, v);
  });
  handles.addEventListener('pointermove', (e) => {
    if (dragIndex >= 0) setValue(dragIndex, valueAt(e).v);
  });
  const stop = () => { dragIndex = -1; };
  handles.addEventListener('pointerup', stop);
  handles.addEventListener('pointercancel', stop);

  return { chart, table, canvas, render };
}
