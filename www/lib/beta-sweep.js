// The β sweep of 4.4 (Alemi et al. 2018, "Fixing a Broken ELBO"): the same VAE (same seed, so
// the same initial weights, shuffles and binarisations) trained once per β on the digits, each
// model placed on the rate–distortion plane by its held-out D and R. The models train in
// parallel Web Workers (www/workers/beta-sweep.js), one per core; every model is trained by
// exactly one worker from its own seed, so the results do not depend on how many there are.
// trainOne() runs in the workers and under Node; runSweep() is the page's side.

import { BETAS } from './sweep-choices.js';

// BETAS has eight models of equal cost, so that two workers (or four) share them evenly: seven
// split 4 + 3 on two cores, at most 7/4 = 1.75 times faster than one. The eighth, β = 3, lies
// where this model's rate falls towards 0 as β grows: trained for 20 epochs (seed 1), R ≈ 0.68
// nats at β = 2, 0.21 at 3 and 0.003 at 4.
export { BETAS };
/** The sweep's model: Z = 2, H = 64 tanh, Adam lr 3e-3, batch 64, Bernoulli pixels. */
export const SWEEP_CONFIG = Object.freeze({ latent: 2, hidden: 64, lr: 3e-3, batchSize: 64, binarise: true });
/** The held-out digits are binarised once with this seed (www/workers/vae.js HELD_OUT_SEED). */
export const HELD_OUT_SEED = 31337;
/** Draws z ~ q(z | x) per held-out image for D and the surgery, and their seed. */
export const RATE_SAMPLES = 8;
export const RATE_SEED = 2024;

/** The digits for a sweep: training grey levels and the held-out images binarised once. */
export function sweepData(lab, digitsBytes) {
  const d = lab.Trainer.loadDigits(new Uint8Array(digitsBytes));
  return { trainX: d.trainX, testX: lab.binarise(d.testX, HELD_OUT_SEED), pixels: d.pixels };
}

/**
 * Trains the sweep's model with `job.beta` for `job.epochs` epochs from `job.seed` (with
 * `job.hidden` hidden units if given), calling onEpoch(epoch) after each, and returns its
 * held-out rate and distortion: { beta, epochs, seed, distortion, rate, negElbo,
 * mutualInformation, marginalKl, surgeryStandardError, perImage: { distortion, rate } } (nats).
 */
export function trainOne(lab, data, job, onEpoch = () => {}) {
  const config = { ...SWEEP_CONFIG, beta: job.beta, ...(job.hidden ? { hidden: job.hidden } : {}) };
  const trainer = new lab.Trainer(data.trainX, data.pixels, config, job.seed);
  try {
    for (let e = 1; e <= job.epochs; e += 1) {
      trainer.trainEpoch();
      onEpoch(e);
    }
    const r = trainer.rateDistortion(data.testX, RATE_SAMPLES, RATE_SEED);
    return {
      beta: job.beta, epochs: job.epochs, seed: job.seed,
      distortion: r.meanDistortion, rate: r.meanRate, negElbo: r.negElbo,
      mutualInformation: r.mutualInformation, marginalKl: r.marginalKl, surgeryStandardError: r.surgeryStandardError,
      perImage: { distortion: r.distortion, rate: r.rate },
    };
  } finally {
    trainer.free();
  }
}

/** Job indices 0…count−1 dealt round-robin to `workers` workers (empty hands dropped). */
export function assign(count, workers) {
  const hands = Array.from({ length: Math.max(1, workers) }, () => []);
  for (let i = 0; i < count; i += 1) hands[i % hands.length].push(i);
  return hands.filter((hand) => hand.length > 0);
}

/** Workers to use: navigator.hardwareConcurrency, at least 1. */
export const coreCount = () => Math.max(1, Math.floor(globalThis.navigator?.hardwareConcurrency || 1));

/**
 * Runs the sweep in `workers` Web Workers: { module (the page's compiled wasm), digits (the
 * bytes of data/digits.bin), epochs, seed, hidden?, betas? (default BETAS), workers,
 * onProgress({ beta, epoch, epochs }), onResult(result) }. Returns { done: Promise of the
 * results in β order, cancel() }; a worker's failure rejects `done` with its error, cancel()
 * terminates every worker and rejects `done` with an error whose `cancelled` is true.
 */
export function runSweep(o) {
  const betas = o.betas ?? BETAS;
  const url = new URL('../workers/beta-sweep.js', import.meta.url);
  const started = [];
  const rejecters = [];
  const results = new Array(betas.length);
  const done = Promise.all(assign(betas.length, o.workers).map((hand) => new Promise((resolve, reject) => {
    rejecters.push(reject);
    const worker = url.origin === globalThis.location?.origin ? new Worker(url, { type: 'module' })
      : new Worker(URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' })), { type: 'module' });
    started.push(worker);
    worker.onmessage = ({ data: m }) => {
      if (m.type === 'progress') o.onProgress?.(m);
      else if (m.type === 'result') { results[betas.indexOf(m.result.beta)] = m.result; o.onResult?.(m.result); }
      else if (m.type === 'done') { worker.terminate(); resolve(); }
      else if (m.type === 'error') { worker.terminate(); reject(Object.assign(new Error(m.error.message), m.error)); }
    };
    // A worker that cannot start (no module workers, its script unreachable): a reader's error
    // by string key (rd.workerFailed), so the page says it in its own language.
    worker.onerror = (e) => {
      e.preventDefault?.();
      worker.terminate();
      reject(Object.assign(new Error(e.message || 'the sweep worker failed to start'), { key: 'rd.workerFailed', vars: {} }));
    };
    const jobs = hand.map((i) => ({ beta: betas[i], epochs: o.epochs, seed: o.seed, hidden: o.hidden }));
    worker.postMessage({ module: o.module, digits: o.digits, jobs });
  }))).then(() => results);
  const cancel = () => {
    started.forEach((w) => w.terminate());
    rejecters.forEach((reject) => reject(Object.assign(new Error('cancelled'), { cancelled: true })));
  };
  return { done, cancel };
}
