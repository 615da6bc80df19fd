// Preset distributions for the entropy and Huffman widgets. Labels come from the string table.
import { h, uid } from './dom.js';

/** Most outcomes a widget edits. */
export const MAX_OUTCOMES = 16;

const numbered = (n) => Array.from({ length: n }, (_, i) => String(i + 1));
const uniform = (n) => Array(n).fill(1 / n);

/** Each preset: (n, t) → { p, labels }; `n` only matters for the last two, `t` names the coin's sides. */
export const PRESETS = {
  'fair-coin': (n, t) => ({ p: [0.5, 0.5], labels: [t('outcome.heads'), t('outcome.tails')] }),
  'biased-coin': (n, t) => ({ p: [0.9, 0.1], labels: [t('outcome.heads'), t('outcome.tails')] }),
  'fair-die': () => ({ p: uniform(6), labels: numbered(6) }),
  'loaded-die': () => ({ p: [0.1, 0.1, 0.1, 0.1, 0.1, 0.5], labels: numbered(6) }),
  uniform: (n) => ({ p: uniform(n), labels: numbered(n) }),
  'one-hot': (n) => ({ p: Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)), labels: numbered(n) }),
};

/** The store value for probabilities `p`, with outcomes numbered 1…n. */
export const distribution = (p) => ({ p, labels: numbered(p.length) });

/** The distribution the chapter opens with. */
export const DEFAULT_DISTRIBUTION = { p: [0.5, 0.25, 0.125, 0.125], labels: numbered(4) };

/**
 * One button per preset, plus the "n" used by "uniform" and "one-hot"; a click writes the
 * preset into `store`. `t` gives the strings of the widget's language. Returns the element.
 */
export function presetPicker(store, t) {
  const nId = uid('n');
  const n = h('input', { id: nId, type: 'number', min: 2, max: MAX_OUTCOMES, step: 1, value: 8, inputmode: 'numeric' });
  const count = () => {
    const k = Math.min(MAX_OUTCOMES, Math.max(2, Math.round(Number(n.value)) || 2));
    n.value = k;
    return k;
  };
  const buttons = Object.keys(PRESETS).map((key) => h('button', {
    type: 'button', 'data-preset': key, onclick: () => store.set(PRESETS[key](count(), t)),
  }, t(`preset.${key}`)));
  return h('div', { class: 'controls', role: 'group', 'aria-label': t('preset.label') },
    h('span', { class: 'controls-title' }, t('preset.label')),
    ...buttons,
    h('span', { class: 'field' }, h('label', { for: nId }, t('preset.n')), n));
}
