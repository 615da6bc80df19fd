// The widget registry: id (as in data-widget="…", URLs and embeds) → module.
import * as information from './information.js';
import * as entropy from './entropy.js';
import * as huffman from './huffman.js';
import * as klDiscrete from './kl-discrete.js';
import * as klFit from './kl-fit.js';
import * as likelihood from './likelihood.js';
import { createStore } from '../lib/store.js';
import { DEFAULT_DISTRIBUTION } from '../lib/presets.js';

export const WIDGETS = { information, entropy, huffman, 'kl-discrete': klDiscrete, 'kl-fit': klFit, likelihood };

/**
 * Mounts every [data-widget] element under `root`. The entropy and Huffman widgets share
 * one distribution, so editing it in one updates the other. Returns the mounted handles.
 */
export function mountAll(root) {
  const distribution = createStore(DEFAULT_DISTRIBUTION);
  const handles = {};
  for (const el of root.querySelectorAll('[data-widget]')) {
    const id = el.dataset.widget;
    if (!WIDGETS[id]) continue;
    const options = id === 'entropy' || id === 'huffman' ? { store: distribution } : {};
    handles[id] = WIDGETS[id].mount(el, options);
  }
  return handles;
}
