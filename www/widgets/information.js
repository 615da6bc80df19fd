// Widget "information": the curve I(p) = −log p, two independent events p₁, p₂ and their
// joint event p₁·p₂, showing the three defining properties live.
import { lab } from '../lib/lab.js';
import { h, fmt, uid } from '../lib/dom.js';
import { fitCanvas, onResize, pointerFraction } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';

const P_MIN = 0.01; // smallest p a slider or drag can choose
const P_STEP = 0.01;

/** Rounds to the slider grid and clamps into [P_MIN, 1]. */
const snap = (p) => Math.min(1, Math.max(P_MIN, Math.round(p / P_STEP) * P_STEP));

/** A labelled range slider for one probability. */
function probabilitySlider(label, value, onInput) {
  const id = uid('p');
  const input = h('input', { id, type: 'range', min: P_MIN, max: 1, step: P_STEP, value });
  const out = h('output', { for: id });
  input.addEventListener('input', () => onInput(Number(input.value)));
  return { input, out, el: h('div', { class: 'slider' }, h('label', { for: id }, label), input, out) };
}

/** Mounts the widget into `root`; options { p1, p2, unit: 'bits' | 'nats' }. */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const state = { p1: snap(options.p1 ?? 0.25), p2: snap(options.p2 ?? 0.5), unit: options.unit === 'nats' ? 'nats' : 'bits' };
  let rect = null;
  let dragging = null;

  const canvas = h('canvas', { class: 'chart chart-tall', role: 'img' });
  const s1 = probabilitySlider(t('info.p1'), state.p1, (v) => update({ p1: v }));
  const s2 = probabilitySlider(t('info.p2'), state.p2, (v) => update({ p2: v }));
  const unitName = `unit-${uid('u')}`;
  const unitPicker = h('fieldset', { class: 'unit' },
    h('legend', {}, t('unit.label')),
    ['bits', 'nats'].map((u) => h('label', {},
      h('input', { type: 'radio', name: unitName, value: u, checked: u === state.unit, onchange: () => update({ unit: u }) }),
      ` ${t(`unit.${u}`)}`)));
  const cells = {
    i1: h('output', { 'data-out': 'i1' }), i2: h('output', { 'data-out': 'i2' }),
    joint: h('output', { 'data-out': 'joint' }), sum: h('output', { 'data-out': 'sum' }),
    product: h('output', { 'data-out': 'product' }),
  };
  const row = (label, cell, cls) => h('tr', { class: cls }, h('th', { scope: 'row' }, label), h('td', {}, cell));
  const readout = h('table', { class: 'readout' }, h('tbody', {},
    row('I(p₁)', cells.i1), row('I(p₂)', cells.i2), row('I(p₁·p₂)', cells.joint),
    row('I(p₁) + I(p₂)', cells.sum, 'good'), row(t('info.productRow'), cells.product, 'bad')));
  const note = h('p', { class: 'note', 'aria-live': 'polite' });

  root.replaceChildren(h('div', { class: 'widget-body stacked' },
    h('div', { class: 'chart-wrap' }, canvas),
    h('div', { class: 'panel panel-columns' }, h('div', {}, unitPicker, s1.el, s2.el, note), readout)));

  function render() {
    const base = state.unit === 'bits' ? 2 : Math.E;
    const unit = t(`unit.${state.unit}`);
    const { p1, p2 } = state;
    const joint = p1 * p2;
    rect = lab.drawInformation(canvas, base, p1, p2,
      [t('info.axisP'), t('info.axisI', { unit }), 'p₁', 'p₂', 'p₁·p₂', 'I(1) = 0'], fitCanvas(canvas));
    const [i1, i2, i12] = [p1, p2, joint].map((p) => lab.information(p, base));
    s1.input.value = p1; s1.out.textContent = fmt(p1, 2);
    s2.input.value = p2; s2.out.textContent = fmt(p2, 2);
    cells.i1.textContent = `${fmt(i1)} ${unit}`;
    cells.i2.textContent = `${fmt(i2)} ${unit}`;
    cells.joint.textContent = `I(${fmt(joint, 4)}) = ${fmt(i12)} ${unit}`;
    cells.sum.textContent = `${fmt(i1)} + ${fmt(i2)} = ${fmt(i1 + i2)} ${unit}`;
    cells.product.textContent = `${fmt(i1)} × ${fmt(i2)} = ${fmt(i1 * i2)}`;
    const [rare, common] = [fmt(Math.min(p1, p2), 2), fmt(Math.max(p1, p2), 2)];
    if (p1 === 1 || p2 === 1) note.textContent = t('info.noteCertain');
    else if (rare === common) note.textContent = t('info.noteEqual', { p: rare });
    else note.textContent = t('info.noteRarer', { rare, common });
    canvas.setAttribute('aria-label', t('info.alt', {
      p1: fmt(p1, 2), p2: fmt(p2, 2), i1: fmt(i1), i2: fmt(i2), joint: fmt(joint, 4), i12: fmt(i12), unit,
    }));
  }

  function update(change) {
    for (const key of ['p1', 'p2']) if (key in change) change[key] = snap(change[key]);
    Object.assign(state, change);
    render();
  }

  // Dragging on the chart moves whichever of p₁, p₂ is nearer the pointer.
  canvas.addEventListener('pointerdown', (e) => {
    if (!rect) return;
    const p = snap(pointerFraction(canvas, rect, e).fx);
    dragging = Math.abs(p - state.p1) <= Math.abs(p - state.p2) ? 'p1' : 'p2';
    canvas.setPointerCapture(e.pointerId);
    update({ [dragging]: p });
  });
  canvas.addEventListener('pointermove', (e) => {
    if (dragging) update({ [dragging]: pointerFraction(canvas, rect, e).fx });
  });
  const stop = () => { dragging = null; };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);

  render();
  const unobserve = onResize(canvas, render);
  return { destroy() { unobserve(); root.replaceChildren(); }, state: () => ({ ...state }) };
}
