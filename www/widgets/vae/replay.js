// The VAE widget and links. Training is deterministic (same wasm, settings and seed → the same
// weights bit for bit), so a link carries no weights: the linked epoch is reached by training
// again, and what the sender did with that model (the decoded point, the interpolation, the
// baselines) is done again on it.
import { MSG, OWN } from './protocol.js';
import { syncTrainButton } from './paint.js';
import { decodeAt, interpolate } from './latent.js';
import { runBaselines } from './baselines.js';

/** What a link asks for beyond the settings, from mount's options. */
export function linkedFrom(options) {
  return {
    epoch: options.epoch ?? 0, interpolate: options.interpolate === true, baselines: options.baselines === true,
    probe: Array.isArray(options.probe) && options.probe.length === 2 ? options.probe : [0, 0],
    oldRecipe: options.oldRecipe === true,
  };
}

/** Trains up to epoch `until`, then the worker pauses. */
export function train(w, until) {
  w.run.running = true;
  w.run.until = until;
  w.send(MSG.start, { until });
}

/** Opened from a link with an epoch: train the linked settings to that epoch, then pause. */
export function replayLink(w) {
  const { t, run, linked } = w;
  if (linked.epoch > 0) {
    linked.replaying = true;
    run.note = [linked.oldRecipe && t('vae.oldLink'), t('vae.replaying', { epoch: linked.epoch })].filter(Boolean).join(' ');
    train(w, linked.epoch);
    syncTrainButton(w);
  } else finishReplay(w);
}

/** The linked model is there: redo what the sender had done with it. */
export function finishReplay(w) {
  const { t, run, linked } = w;
  linked.replaying = false;
  run.note = linked.epoch > 0 ? [linked.oldRecipe && t('vae.oldLink'), t('vae.replayed', { epoch: linked.epoch })].filter(Boolean).join(' ') : '';
  if (linked.epoch > 0) decodeAt(w, ...linked.probe);
  if (linked.interpolate && run.data?.dataset === 'digits') interpolate(w);
  if (linked.baselines) runBaselines(w);
}

/**
 * What a link carries, as mount's options take them: the settings, the seed, the epoch reached
 * (the weights follow from these: training is deterministic), the stop-at epoch, the inspected
 * image and the interpolation. Weights loaded from a file cannot be linked: then the epoch is
 * left out and a link gives a fresh model with the file's settings.
 */
export function linkState({ state, run, linked }) {
  // The reader's own points stay in their browser: a link carries neither them nor an epoch.
  const own = state.dataset === OWN;
  return {
    dataset: own ? undefined : state.dataset, seed: state.seed, config: { ...state.config }, target: state.target,
    ...(!run.imported && !own && { epoch: run.snapshot?.epoch ?? linked.epoch }),
    index: state.index, a: state.a, b: state.b, ...(run.interp && { interpolate: true }),
    probe: run.probe ? [...run.probe.z] : [...linked.probe], ...(run.baselines && { baselines: true }), unit: state.unit,
  };
}
