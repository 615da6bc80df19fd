// The widget registry: id (as in data-widget="…", URLs and embeds) → module.
import * as information from './information.js';
import * as entropy from './entropy.js';
import * as huffman from './huffman.js';
import * as klDiscrete from './kl-discrete.js';
import * as klFit from './kl-fit.js';
import * as mutualInformation from './mutual-information.js';
import * as likelihood from './likelihood.js';
import * as posterior from './posterior.js';
import * as derivation from './derivation.js';
import * as vae from './vae/index.js';
import { createStore } from '../lib/store.js';
import { DEFAULT_DISTRIBUTION, distribution as numberedDistribution } from '../lib/presets.js';

export const WIDGETS = {
  information, entropy, huffman, 'kl-discrete': klDiscrete, 'kl-fit': klFit, 'mutual-information': mutualInformation, likelihood, posterior, derivation, vae,
};

/**
 * Mounts every [data-widget] element under `root`. The entropy and Huffman widgets share one
 * distribution, and the derivation follows the posterior widget's model and q, so editing
 * one updates the other. `initial` maps id → mount options (from the URL). Returns the
 * mounted handles by id.
 */
export function mountAll(root, initial = {}) {
  const p = initial.entropy?.p ?? initial.huffman?.p;
  // The derivation follows the posterior's store: a link's derivation state starts that store.
  initial = { ...initial, posterior: initial.posterior ?? (initial.derivation?.state && { state: initial.derivation.state }) };
  const distribution = createStore(p ? numberedDistribution(p) : DEFAULT_DISTRIBUTION);
  const handles = {};
  const elements = [...root.querySelectorAll('[data-widget]')].filter((el) => WIDGETS[el.dataset.widget]);
  // The posterior widget first, so the derivation can follow its store.
  elements.sort((a, b) => (b.dataset.widget === 'posterior') - (a.dataset.widget === 'posterior'));
  for (const el of elements) {
    const id = el.dataset.widget;
    const options = id === 'entropy' || id === 'huffman' ? { store: distribution }
      : id === 'derivation' && handles.posterior ? { store: handles.posterior.store } : initial[id] ?? {};
    handles[id] = WIDGETS[id].mount(el, options);
  }
  return handles;
}
