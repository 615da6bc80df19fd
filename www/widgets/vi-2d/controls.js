// The vi-2d widget's DOM: the target, family and optimiser buttons, the sliders of the current
// target, the data row, the three panels and the readout tables. Handlers are the caller's.
import { h, uid } from '../../lib/dom.js';

export const TARGETS = ['gaussian', 'banana', 'donut', 'mixture', 'logistic'];
export const FAMILIES = ['mean-field', 'full'];
/** Each target's sliders: key → [min, max, step, default]. */
export const SLIDERS = {
  gaussian: { mean1: [-3, 3, 0.1, 0], mean2: [-3, 3, 0.1, 0], sd1: [0.3, 3, 0.05, 1.5], sd2: [0.3, 3, 0.05, 0.8], rho: [-0.95, 0.95, 0.01, 0.8] },
  banana: { a: [0.5, 1.5, 0.05, 1], b: [0, 0.5, 0.01, 0.3] },
  donut: { r: [0.5, 4, 0.05, 2], w: [0.2, 2, 0.05, 0.4] },
  mixture: { d: [0, 6, 0.1, 3], s: [0.2, 3, 0.05, 0.7] },
  logistic: {},
};
const OUTPUTS = ['elbo', 'kl', 'logz', 'identity', 'klf', 'q1', 'q2', 'f1', 'f2', 'p1', 'p2', 'pc', 'qc', 'fc'];

/** A group of toggle buttons, one per value: { buttons, el }. */
function toggles(label, values, text, onPick, key) {
  const buttons = values.map((v) => h('button', { type: 'button', [`data-${key}`]: v, onclick: () => onPick(v) }, text(v)));
  return { buttons, el: h('span', { class: 'mode-buttons', role: 'group', 'aria-label': label }, buttons) };
}

/**
 * Builds the widget into `root`. `on` holds the handlers: target(v), family(v), cls(v),
 * play, step, reset, cavi, optimum, example, clear. Returns the elements the widget updates.
 */
export function buildControls(root, t, on) {
  const button = (action, text) => h('button', { type: 'button', 'data-action': action, onclick: on[action] }, t(text));
  const el = {
    targets: toggles(t('vi2d.target'), TARGETS, (v) => t(`vi2d.target.${v}`), on.target, 'target'),
    families: toggles(t('vi2d.family'), FAMILIES, (v) => t(`vi2d.family.${v}`), on.family, 'family'),
    classes: toggles(t('vi2d.class'), [1, 0], (v) => t(`vi2d.class.${v}`), on.cls, 'class'),
    sliderGrid: h('div', { class: 'slider-grid' }),
    play: button('play', 'vi2d.play'),
    cavi: button('cavi', 'vi2d.cavi'),
    status: h('p', { class: 'note', role: 'status', 'aria-live': 'polite', 'data-out': 'vi2d-status' }),
    alert: h('p', { class: 'error', role: 'alert', 'data-out': 'vi2d-error', hidden: true }),
    left: h('canvas', { class: 'chart chart-square', role: 'img', tabindex: 0, 'data-panel': 'reverse' }),
    right: h('canvas', { class: 'chart chart-square', role: 'img', 'data-panel': 'forward' }),
    data: h('canvas', { class: 'chart chart-square', role: 'img', tabindex: 0, 'data-panel': 'data' }),
    outs: Object.fromEntries(OUTPUTS.map((k) => [k, h('output', { 'data-out': `vi2d-${k}` })])),
  };
  el.dataRow = h('div', { class: 'controls' }, h('span', { class: 'controls-title' }, t('vi2d.dataTitle')), el.classes.el,
    button('example', 'vi2d.example'), button('clear', 'vi2d.clear'));
  el.dataWrap = h('div', { class: 'chart-wrap' }, h('p', { class: 'chart-caption' }, t('vi2d.dataCaption')), el.data);
  const { outs } = el;
  const row = (label, ...cells) => h('tr', {}, h('th', { scope: 'row' }, label), ...cells.map((c) => h('td', {}, c)));
  const title = (key) => h('span', { class: 'controls-title' }, t(key));
  root.replaceChildren(
    h('div', { class: 'controls' }, title('vi2d.targetTitle'), el.targets.el),
    el.sliderGrid,
    el.dataRow,
    h('div', { class: 'controls' }, title('vi2d.family'), el.families.el),
    h('div', { class: 'controls' }, title('vi2d.optTitle'), el.play, button('step', 'vi2d.step'), button('reset', 'vi2d.reset'), el.cavi, button('optimum', 'vi2d.optimum')),
    el.status, el.alert,
    h('div', { class: 'vi2d-panels' },
      h('div', { class: 'chart-wrap' }, h('p', { class: 'chart-caption' }, t('vi2d.reverseCaption')), el.left),
      h('div', { class: 'chart-wrap' }, h('p', { class: 'chart-caption' }, t('vi2d.forwardCaption')), el.right),
      el.dataWrap),
    h('p', { class: 'legend' }, t('vi2d.legend')),
    h('table', { class: 'readout' }, h('tbody', {},
      row(t('vi2d.rowElbo'), outs.elbo), row(t('vi2d.rowKl'), outs.kl), row(t('vi2d.rowLogZ'), outs.logz),
      row(t('vi2d.rowIdentity'), outs.identity), row(t('vi2d.rowKlForward'), outs.klf))),
    h('table', { class: 'readout', 'data-table': 'variances' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col' }, 'Var z₁'), h('th', { scope: 'col' }, 'Var z₂'), h('th', { scope: 'col' }, 'Cov(z₁, z₂)'))),
      h('tbody', {}, row(t('vi2d.rowP'), outs.p1, outs.p2, outs.pc), row(t('vi2d.rowQ'), outs.q1, outs.q2, outs.qc), row(t('vi2d.rowF'), outs.f1, outs.f2, outs.fc))));
  return el;
}

/**
 * Fills `grid` with the sliders of `target` at `params`, each calling onInput(key, value);
 * returns key → { input, out }.
 */
export function buildSliders(grid, t, target, params, onInput) {
  const sliders = {};
  grid.replaceChildren();
  for (const [key, [min, max, step]] of Object.entries(SLIDERS[target])) {
    const id = uid('v2');
    const input = h('input', { id, type: 'range', min, max, step, value: params[key], 'data-input': key });
    input.addEventListener('input', () => onInput(key, Number(input.value)));
    sliders[key] = { input, out: h('output', { for: id }) };
    grid.append(h('div', { class: 'slider' }, h('label', { for: id }, t(`vi2d.param.${key}`)), input, sliders[key].out));
  }
  return sliders;
}
