// Widget "mutual-information": the reader edits a joint p(x, y) (2–6 values each way) and
// sees H(X), H(Y), H(X, Y), H(X | Y), H(Y | X) and I(X; Y) as an information diagram, with
// I = KL(p(x, y) ‖ p(x)p(y)) computed by 2.1's klDivergence; a panel shows the
// data-processing inequality on X → Y → Z through two binary symmetric channels.
import { lab } from '../lib/lab.js';
import { h, fmt, uid, isFocused, setText, setAttr, setFlag, setSlider } from '../lib/dom.js';
import { fitCanvas, onResize } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';
import { createStore } from '../lib/store.js';
import { distributionEditor } from '../lib/editor.js';

const MIN = 2; // values per variable: jointReport's range (crate/src/math/divergence/joint.rs)
const MAX = 6;
const EPS_MAX = 0.5; // the flip probability sliders run over [0, ½]

const range = (n) => Array.from({ length: n }, (_, i) => i);
const cellLabels = (nx, ny) => range(nx * ny).map((k) => `${Math.floor(k / ny) + 1},${(k % ny) + 1}`);
const normalise = (w) => { const s = w.reduce((a, b) => a + b, 0); return w.map((x) => x / s); };
/** The joint of X uniform on {1, 2} and Y = X flipped with probability ε. */
const bsc = (e) => [(1 - e) / 2, e / 2, e / 2, (1 - e) / 2];
/** Cover & Thomas, Example 2.2.1 (rows x, columns y): H(X | Y = 3) = 2 bits > H(X) = 1.75. */
const EXAMPLE = [1 / 8, 1 / 16, 1 / 16, 1 / 4, 1 / 16, 1 / 8, 1 / 16, 0, 1 / 32, 1 / 32, 1 / 16, 0, 1 / 32, 1 / 32, 1 / 16, 0];
/** X uniform on 1…4, Y = ⌈X/2⌉, correct with probability 1 − `noise`. */
const halves = (noise) => range(8).map((k) => {
  const x = Math.floor(k / 2), y = k % 2;
  return (y === Math.floor(x / 2) ? 1 - noise : noise) / 4;
});

/** Presets: name → (state) → { joint, nx }. */
const PRESETS = {
  example: () => ({ joint: EXAMPLE, nx: 4 }),
  independent: (s) => {
    const r = lab.jointReport(s.joint, s.nx);
    return { joint: [...r.px].flatMap((a) => [...r.py].map((b) => a * b)), nx: s.nx };
  },
  copy: (s) => ({ joint: range(s.nx * s.nx).map((k) => (Math.floor(k / s.nx) === k % s.nx ? 1 / s.nx : 0)), nx: s.nx }),
  bsc: (s) => ({ joint: bsc(s.eps), nx: 2 }),
  function: () => ({ joint: halves(0), nx: 4 }),
  noisy: () => ({ joint: halves(0.15), nx: 4 }),
};

/** { joint, nx } normalised if `joint` is a table jointReport accepts (nx rows of 2–6), else null. */
function usable(joint, nx) {
  if (!Array.isArray(joint) || !joint.every((x) => Number.isFinite(x) && x >= 0)) return null;
  const sum = joint.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return null;
  try {
    const p = joint.map((x) => x / sum);
    lab.jointReport(p, nx);
    return { joint: p, nx };
  } catch {
    return null;
  }
}

/** Mounts the widget; options { joint, nx, unit, eps, e1, e2 } (as lib/url-state.js decodes them). */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const start = usable(options.joint, options.nx) ?? PRESETS.example();
  const clampEps = (e, fallback) => (Number.isFinite(e) ? Math.min(EPS_MAX, Math.max(0, e)) : fallback);
  const store = createStore({
    ...start, eps: clampEps(options.eps, 0.1), e1: clampEps(options.e1, 0.1), e2: clampEps(options.e2, 0.2),
  });
  let unit = options.unit === 'nats' ? 'nats' : 'bits';
  let labels = null; // the editor's labels, rebuilt when the shape changes
  const ny = () => store.get().joint.length / store.get().nx;

  // The joint as a bar chart: drag, arrow keys (the rest rescaled, as in 1.2's editor).
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const editorStore = {
    get: () => {
      const s = store.get();
      const want = cellLabels(s.nx, s.joint.length / s.nx);
      if (!labels || labels.join() !== want.join()) labels = want;
      return { p: s.joint, labels };
    },
    set: ({ p }) => store.set({ ...store.get(), joint: p }),
    subscribe: (fn) => store.subscribe(fn),
  };
  const editor = distributionEditor(editorStore, { t, color: 'blue', symbol: 'p', axis: t('mi.axisJoint'), status, outcomeHeader: 'x,y' });

  // The grid: typed values, marginals, and H(X | Y = y) per column.
  const grid = h('table', { class: 'values joint-grid' });
  const gridWrap = h('div', { class: 'grid-wrap' }, grid);
  const resize = (dx, dy) => () => {
    const s = store.get();
    const [nx, n] = [s.nx + dx, ny() + dy];
    if (nx < MIN || nx > MAX || n < MIN || n > MAX) return;
    // Kept cells keep their values; a new row or column gets an equal share 1/(its count).
    let joint = range(nx * n).map((k) => {
      const i = Math.floor(k / n), j = k % n;
      return i < s.nx && j < ny() ? s.joint[i * ny() + j] : 0;
    });
    if (dx > 0 || dy > 0) {
      const share = dx > 0 ? 1 / nx : 1 / n;
      const fresh = range(nx * n).filter((k) => (dx > 0 ? Math.floor(k / n) === nx - 1 : k % n === n - 1));
      joint = joint.map((x, k) => (fresh.includes(k) ? share / fresh.length : x * (1 - share)));
    }
    const sum = joint.reduce((a, b) => a + b, 0);
    store.set({ ...s, joint: sum > 0 ? joint.map((x) => x / sum) : Array(nx * n).fill(1 / (nx * n)), nx });
  };
  const shapeButtons = {
    addRow: h('button', { type: 'button', 'data-action': 'add-row', onclick: resize(1, 0) }, t('mi.addRow')),
    removeRow: h('button', { type: 'button', 'data-action': 'remove-row', onclick: resize(-1, 0) }, t('mi.removeRow')),
    addColumn: h('button', { type: 'button', 'data-action': 'add-column', onclick: resize(0, 1) }, t('mi.addColumn')),
    removeColumn: h('button', { type: 'button', 'data-action': 'remove-column', onclick: resize(0, -1) }, t('mi.removeColumn')),
  };

  const slider = (key, label) => {
    const id = uid(key);
    const input = h('input', { id, type: 'range', min: 0, max: EPS_MAX, step: 0.01, value: store.get()[key], 'data-slider': key });
    const out = h('output', { for: id, 'data-out': `mi-${key}` });
    input.addEventListener('input', () => {
      const v = Number(input.value);
      store.set(key === 'eps' ? { ...store.get(), eps: v, ...PRESETS.bsc({ eps: v }) } : { ...store.get(), [key]: v });
    });
    return { input, out, el: h('span', { class: 'field' }, h('label', { for: id }, label), input, out) };
  };
  const epsSlider = slider('eps', t('mi.eps'));
  const e1Slider = slider('e1', t('mi.e1'));
  const e2Slider = slider('e2', t('mi.e2'));

  const unitName = uid('unit');
  const controls = h('div', { class: 'controls' },
    h('span', { class: 'controls-title' }, t('preset.label')),
    Object.keys(PRESETS).map((key) => h('button', {
      type: 'button', 'data-preset': key, onclick: () => store.set({ ...store.get(), ...PRESETS[key](store.get()) }),
    }, t(`mi.preset.${key}`))),
    epsSlider.el,
    h('fieldset', { class: 'unit' }, h('legend', {}, t('unit.label')),
      ['bits', 'nats'].map((u) => h('label', {},
        h('input', { type: 'radio', name: unitName, value: u, checked: u === unit, onchange: () => { unit = u; render(); } }),
        ` ${t(`unit.${u}`)}`))));
  const shape = h('div', { class: 'controls', role: 'group', 'aria-label': t('mi.shape') },
    h('span', { class: 'controls-title' }, t('mi.shape')), Object.values(shapeButtons));

  const diagram = h('canvas', { class: 'chart chart-diagram', role: 'img', 'data-chart': 'diagram' });
  const dpiCanvas = h('canvas', { class: 'chart chart-stack', role: 'img', 'data-chart': 'dpi' });
  const rows = ['hX', 'hY', 'hXY', 'hXGivenY', 'hYGivenX', 'mutualInformation', 'kl'];
  const names = {
    hX: 'H(X)', hY: 'H(Y)', hXY: 'H(X, Y)', hXGivenY: 'H(X | Y)', hYGivenX: 'H(Y | X)', mutualInformation: 'I(X; Y)', kl: 'KL(p(x, y) ‖ p(x)p(y))',
  };
  const cells = Object.fromEntries(rows.map((k) => [k, h('output', { 'data-out': `mi-${k}` })]));
  const readout = h('table', { class: 'readout' }, h('tbody', {},
    rows.map((k) => h('tr', { class: k === 'mutualInformation' || k === 'kl' ? 'key' : null }, h('th', { scope: 'row' }, names[k]), h('td', {}, cells[k])))));
  const chain = h('output', { 'data-out': 'mi-chain' });
  const difference = h('output', { 'data-out': 'mi-difference' });
  const dpiOut = { iXY: h('output', { 'data-out': 'mi-ixy' }), iXZ: h('output', { 'data-out': 'mi-ixz' }), flip: h('output', { 'data-out': 'mi-flip' }) };
  const dpiReadout = h('table', { class: 'readout' }, h('tbody', {},
    h('tr', {}, h('th', { scope: 'row' }, 'I(X; Y)'), h('td', {}, dpiOut.iXY)),
    h('tr', { class: 'key' }, h('th', { scope: 'row' }, 'I(X; Z)'), h('td', {}, dpiOut.iXZ)),
    h('tr', {}, h('th', { scope: 'row' }, t('mi.flipXZ')), h('td', {}, dpiOut.flip))));

  root.replaceChildren(controls, shape, h('div', { class: 'widget-body' },
    h('div', { class: 'charts' },
      editor.chart,
      h('p', { class: 'chart-caption' }, t('mi.diagramCaption')),
      h('div', { class: 'chart-wrap' }, diagram),
      h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-blue' }), 'H(X | Y) ',
        h('span', { class: 'swatch swatch-purple' }), 'I(X; Y) ', h('span', { class: 'swatch swatch-orange' }), 'H(Y | X)')),
    h('div', { class: 'panel' }, readout,
      h('p', { class: 'identity' }, chain), h('p', { class: 'identity' }, difference), status)),
  h('div', { class: 'joint-table' }, gridWrap, h('p', { class: 'note' }, t('mi.gridNote'))),
  h('div', { class: 'dpi', role: 'group', 'aria-label': t('mi.dpiTitle') },
    h('h3', { class: 'controls-title' }, t('mi.dpiTitle')),
    h('p', { class: 'note' }, t('mi.dpiNote')),
    h('div', { class: 'controls' }, e1Slider.el, e2Slider.el),
    h('div', { class: 'widget-body' }, h('div', { class: 'chart-wrap' }, dpiCanvas), h('div', { class: 'panel' }, dpiReadout))));

  /** Rebuilds the grid's inputs when the shape changes; fills values, marginals, H(X | Y = y). */
  let gridShape = '';
  let gridCells = null; // the grid's inputs and number cells, in data-cell / data-px / data-py / data-hy order
  function renderGrid(s, r, base, u) {
    const n = s.joint.length / s.nx;
    if (gridShape !== `${s.nx}x${n}`) {
      gridShape = `${s.nx}x${n}`;
      const head = h('tr', {}, h('th', { scope: 'col' }, 'x \\ y'), range(n).map((j) => h('th', { scope: 'col' }, String(j + 1))), h('th', { scope: 'col' }, 'p(x)'));
      const body = range(s.nx).map((i) => h('tr', {}, h('th', { scope: 'row' }, String(i + 1)), range(n).map((j) => {
        const k = i * n + j;
        const input = h('input', {
          type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', class: 'prob cell', 'data-cell': k,
          'aria-label': t('mi.cellLabel', { x: i + 1, y: j + 1 }),
        });
        input.addEventListener('change', () => onTyped(input, k));
        input.addEventListener('blur', () => { input.value = fmt(store.get().joint[k], 3); });
        input.addEventListener('keydown', (e) => onCellKey(e, k));
        return h('td', {}, input);
      }), h('td', { class: 'num', 'data-px': i })));
      const foot = [
        h('tr', {}, h('th', { scope: 'row' }, 'p(y)'), range(n).map((j) => h('td', { class: 'num', 'data-py': j })), h('td')),
        h('tr', {}, h('th', { scope: 'row' }, t('mi.colEntropy')), range(n).map((j) => h('td', { class: 'num', 'data-hy': j })), h('td')),
      ];
      grid.replaceChildren(h('thead', {}, head), h('tbody', {}, body, foot));
      const all = (sel) => [...grid.querySelectorAll(sel)];
      gridCells = { inputs: all('input[data-cell]'), px: all('[data-px]'), py: all('[data-py]'), hy: all('[data-hy]') };
    }
    // Only what changed is written: a rewritten value or text re-lays its cell out.
    gridCells.inputs.forEach((input, k) => {
      const text = fmt(s.joint[k], 3);
      if (!isFocused(input) && input.value !== text) input.value = text;
    });
    gridCells.px.forEach((td, i) => setText(td, fmt(r.px[i])));
    gridCells.py.forEach((td, j) => setText(td, fmt(r.py[j])));
    gridCells.hy.forEach((td, j) => {
      const col = range(s.nx).map((i) => s.joint[i * n + j]);
      const py = col.reduce((a, b) => a + b, 0);
      setText(td, py > 0 ? `${fmt(lab.entropy(normalise(col), base))} ${u}` : '—');
    });
  }

  /** Sets cell k to v, rescaling the others (setProbability of 1.2). */
  const setCell = (k, v) => store.set({ ...store.get(), joint: Array.from(lab.setProbability(store.get().joint, k, v)) });
  function onTyped(input, k) {
    const text = input.value.trim();
    const v = text === '' ? NaN : Number(text);
    if (!(v >= 0 && v <= 1)) {
      status.textContent = t('entropy.badValue', { value: text.slice(0, 40) });
      input.value = fmt(store.get().joint[k], 3);
      return;
    }
    status.textContent = '';
    setCell(k, v);
    input.value = fmt(store.get().joint[k], 3);
  }
  /** In the grid, PageUp/PageDown change the cell (as the bars' arrow keys do). */
  function onCellKey(e, k) {
    const step = { PageUp: 0.01, PageDown: -0.01 }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    setCell(k, Math.min(1, Math.max(0, store.get().joint[k] + (e.shiftKey ? 10 * step : step))));
  }

  let report = null;
  function render() {
    const s = store.get();
    const base = unit === 'bits' ? 2 : Math.E;
    const u = t(`unit.${unit}`);
    // Canvas sizes come from lib/canvas.js's ResizeObserver: no layout is read here.
    const diagramScale = fitCanvas(diagram);
    editor.render();
    report = lab.jointReport(s.joint, s.nx, base);
    const product = [...report.px].flatMap((a) => [...report.py].map((b) => a * b));
    const values = { ...report, kl: lab.klDivergence(s.joint, product, base) };
    renderGrid(s, report, base, u);
    for (const k of rows) setText(cells[k], `${fmt(values[k])} ${u}`);
    const f = (k) => fmt(report[k]);
    setText(chain, t('mi.chain', { hx: f('hX'), hyx: f('hYGivenX'), hxy: f('hXY'), unit: u }));
    setText(difference, t('mi.difference', { hx: f('hX'), hxgy: f('hXGivenY'), i: f('mutualInformation'), unit: u }));
    setFlag(shapeButtons.addRow, s.nx >= MAX);
    setFlag(shapeButtons.removeRow, s.nx <= MIN);
    setFlag(shapeButtons.addColumn, ny() >= MAX);
    setFlag(shapeButtons.removeColumn, ny() <= MIN);
    lab.drawInformationDiagram(diagram, report.hXGivenY, report.mutualInformation, report.hYGivenX,
      ['H(X, Y)', 'H(X)', 'H(Y)', 'KL(p ‖ p(x)p(y))'], ['H(X|Y)', 'I', 'H(Y|X)'], u, diagramScale);
    setAttr(diagram, 'aria-label', t('mi.diagramAlt', {
      hxy: f('hXY'), hx: f('hX'), hy: f('hY'), hxgy: f('hXGivenY'), hygx: f('hYGivenX'), i: f('mutualInformation'), unit: u,
    }));
    for (const sl of [epsSlider, e1Slider, e2Slider]) {
      const key = sl.input.dataset.slider;
      setSlider(sl.input, s[key]);
      setText(sl.out, fmt(s[key], 2));
    }
    renderDpi(s, base, u);
  }

  let dpiDrawn = '';
  function renderDpi(s, base, u) {
    // Only the two ε's, the unit and the canvas size change this panel: skip a redraw otherwise.
    const scale = fitCanvas(dpiCanvas);
    const key = [s.e1, s.e2, unit, dpiCanvas.width, dpiCanvas.height, scale].join();
    if (key === dpiDrawn) return;
    dpiDrawn = key;
    const flip = (e) => [1 - e, e, e, 1 - e];
    const { iXY, iXZ } = lab.dataProcessing([0.5, 0.5], flip(s.e1), 2, flip(s.e2), 2, base);
    const through = s.e1 * (1 - s.e2) + s.e2 * (1 - s.e1);
    dpiOut.iXY.textContent = `${fmt(iXY)} ${u}`;
    dpiOut.iXZ.textContent = `${fmt(iXZ)} ${u}`;
    dpiOut.flip.textContent = fmt(through);
    const top = unit === 'bits' ? 1 : Math.LN2;
    lab.drawBars(dpiCanvas, ['I(X; Y)', 'I(X; Z)'], [iXY, iXZ], ['purple'], 0, top * 1.1, t('mi.dpiAxis', { unit: u }), -1,
      NaN, '', true, scale);
    dpiCanvas.setAttribute('aria-label', t('mi.dpiAlt', { ixy: fmt(iXY), ixz: fmt(iXZ), unit: u }));
  }

  const unsubscribe = store.subscribe(render);
  render();
  const unobserve = onResize(diagram, render);
  const state = () => {
    const s = store.get();
    return { joint: [...s.joint], nx: s.nx, unit, eps: s.eps, e1: s.e1, e2: s.e2 };
  };
  return { store, state, destroy() { unsubscribe(); unobserve(); root.replaceChildren(); } };
}
