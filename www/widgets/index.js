// The widget registry: id (as in data-widget="…", URLs and embeds) → its module, fetched when
// first needed (the chapter fetches each widget's code as the widget is about to be mounted).
import { createStore } from '../lib/store.js';
import { languageOf, loadWidgetStrings } from '../lib/i18n.js';
import { DEFAULT_DISTRIBUTION, distribution as numberedDistribution } from '../lib/presets.js';

/** id → a loader of the widget's module, in chapter order. */
export const LOADERS = {
  information: () => import('./information.js'),
  entropy: () => import('./entropy.js'),
  huffman: () => import('./huffman.js'),
  'kl-discrete': () => import('./kl-discrete.js'),
  'kl-fit': () => import('./kl-fit.js'),
  'mutual-information': () => import('./mutual-information.js'),
  likelihood: () => import('./likelihood.js'),
  posterior: () => import('./posterior.js'),
  derivation: () => import('./derivation.js'),
  jensen: () => import('./jensen.js'),
  'vi-2d': () => import('./vi-2d/index.js'),
  vae: () => import('./vae/index.js'),
  'rate-distortion': () => import('./rate-distortion.js'),
};

/** The registry's ids, in chapter order. */
export const WIDGET_IDS = Object.freeze(Object.keys(LOADERS));

/** Every widget's module, fetched: id → module (what embeds use: one module per widget). */
export async function loadAll() {
  const modules = await Promise.all(WIDGET_IDS.map((id) => LOADERS[id]()));
  return Object.fromEntries(WIDGET_IDS.map((id, i) => [id, modules[i]]));
}

/**
 * A mounter for the [data-widget] elements under `root`, one at a time, in any order. The
 * entropy and Huffman widgets share one distribution, and the derivation and the Jensen widget
 * follow the posterior widget's model and q, so editing one updates the other (they mount the
 * posterior first if need be); 4.3's plane marks the model trained in the VAE widget. `initial`
 * maps id → mount options (from the URL). Returns { handles (id → handle, filled as widgets
 * mount), mount(el) → Promise of its handle }.
 */
export function createMounter(root, initial = {}) {
  const p = initial.entropy?.p ?? initial.huffman?.p;
  // The derivation follows the posterior's store: a link's derivation state starts that store.
  initial = { ...initial, posterior: initial.posterior ?? (initial.derivation?.state && { state: initial.derivation.state }) };
  // So does the Jensen widget's model panel.
  initial.posterior ??= initial.jensen?.state && { state: initial.jensen.state };
  const distribution = createStore(p ? numberedDistribution(p) : DEFAULT_DISTRIBUTION);
  // The VAE of 4.2 publishes its model's place on the rate–distortion plane; 4.3 marks it there.
  const readerModel = createStore(null);
  const handles = {};
  const pending = new Map(); // element → Promise of its handle
  // id → its mount options from its own (the link's) options, where it shares a store; the
  // others mount with their own. Without a posterior (an embed of the derivation or the Jensen
  // widget alone) those two keep their own state.
  const followPosterior = (own) => (handles.posterior ? { store: handles.posterior.store } : own ?? {});
  const SHARED = {
    entropy: () => ({ store: distribution }),
    huffman: () => ({ store: distribution }),
    derivation: followPosterior,
    jensen: (own) => (handles.posterior ? { ...own, state: undefined, store: handles.posterior.store } : own ?? {}),
    vae: (own) => ({ ...own, readerModel }),
    'rate-distortion': (own) => ({ ...own, readerModel }),
  };

  async function mountOne(el) {
    const id = el.dataset.widget;
    // Its code, and its strings if they are not among the first screen's (lib/i18n.js).
    const [module] = await Promise.all([LOADERS[id](), loadWidgetStrings(id, languageOf(el))]);
    if (id === 'derivation' || id === 'jensen') {
      const posterior = root.querySelector('[data-widget="posterior"]');
      if (posterior) await mount(posterior);
    }
    handles[id] = module.mount(el, (SHARED[id] ?? ((own) => own ?? {}))(initial[id]));
    return handles[id];
  }

  /** Mounts the widget element `el` (once; later calls get the same handle). */
  function mount(el) {
    if (!Object.hasOwn(LOADERS, el.dataset.widget)) return Promise.resolve(null);
    if (!pending.has(el)) pending.set(el, mountOne(el));
    return pending.get(el);
  }

  return { handles, mount };
}
