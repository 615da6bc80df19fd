// The VAE widget's conversation with its worker (www/workers/vae.js), imported by both sides:
// the message names, the data sets and the sizes both must agree on are written here once.
// Every message is { type, … }; a request carries an `id` and is answered by
// { type: REPLY, id, result } or { type: REPLY, id, error }.
//
// Page → worker:
//   init { module, digits, config, seed, dataset, points }  the page's compiled wasm module and the
//     digits' bytes (so the worker fetches nothing); load the data set, build the model, post
//     DATA and a SNAPSHOT
//   start { until } | pause | step   train up to epoch `until` / stop / train one epoch
//   reset { config, seed, dataset, points }  a fresh model (history cleared), on another data set if asked
// Requests (page → worker, with an id):
//   decode { z }          pixel probabilities for latent codes z (n × latent)
//   inspect { index, k }  exact posterior grid, q(z|x), ELBO and IWAE for one test image
//   interpolate { a, b, steps }  decoded images along the segment between two test codes
//   baselines { epochs }  PCA (as many components as the VAE has latent dimensions) and a plain
//                         autoencoder (same network, same recipe) on the same split
//   fitq { index, steps }  the two parts of the gap for one test image: q* fitted to it under
//                         the frozen decoder, ELBO(q*) and ELBO(q_φ) by one estimator with common
//                         random numbers, and log p(x) (grid, latent 2) or IWAE:
//                         { index, mu, logvar (q*), elboStar, elboStarSe, elboEncoder,
//                         elboEncoderSe, steps, logEvidence | iwae and k }; amortisation gap
//                         = elboStar − elboEncoder, approximation gap = logEvidence − elboStar
//   export / import { json }  the weights file, read and written by the wasm (Trainer.fromWeights,
//                         exportWeights); import replies { config, recipe }, the recipe the file
//                         states ('binarised' | 'grey' | 'gaussian')
// Worker → page:
//   data { dataset, testX, testGrey, testY, width, height, pixels, trainCount, recipe }: for the
//     digits recipe 'binarised' (training images binarised afresh every epoch, testX the held-out
//     images binarised once, testGrey their grey levels, for showing); for a toy set recipe
//     'gaussian' and testGrey null
//   snapshot { epoch, running, config, seed, history, examplesPerSecond, memoryBytes, codes,
//     dataset, manifold, reconstructions, samples, usage, rate }   at most ~5 a second while training;
//     config carries warmup (epochs) and freeBits (nats per dimension), passed to the Trainer;
//     history.train[e] is { loss, recon, kl, beta } (beta: that epoch's KL weight, below
//     config.beta during a warm-up); usage is Trainer.latentUsage on the held-out set
//     ({ kl, activity, active, threshold }) or null after a divergence; rate is the last rate
//     message's (its epoch may lag), or null
//   rate { rate }   the held-out { epoch, distortion, rate, negElbo } (nats per image) by
//     Trainer.rateDistortion with 4.3's draws and seed, 300 ms after training stops and the
//     messages pause; null for an autoencoder or after a divergence
//   diverged { reason, lr, epoch }   reason { kind: 'overflow' | 'jump' | 'error', … }
//   progress { id, done, total }     the baselines' autoencoder, every 5 epochs
//   error { error }                  a message that failed outside a request

import { lab } from '../../lib/lab.js';

/** Message types, by name. */
export const MSG = Object.freeze({
  init: 'init', start: 'start', pause: 'pause', step: 'step', reset: 'reset',
  decode: 'decode', inspect: 'inspect', interpolate: 'interpolate', baselines: 'baselines', fitq: 'fitq', export: 'export', import: 'import',
  reply: 'reply', data: 'data', snapshot: 'snapshot', diverged: 'diverged', progress: 'progress', error: 'error', rate: 'rate',
});

let names = null;
/**
 * The data sets, in the menu's order: lab.datasetNames() (the digits, then the 2-D toy sets
 * Trainer.loadToy makes; the one list is Rust's, crate/src/wasm/trainer/data.rs), read once the
 * wasm is initialised. The link format (lib/url-state.js) reads the same list.
 */
export const datasets = () => (names ??= Object.freeze(lab.datasetNames()));

/**
 * The reader's own 2-D points (a CSV kept in the browser's localStorage): a data set beside
 * datasets(), never in a link. init and reset carry their CSV text as `points`; the worker reads
 * it with Trainer.loadPoints and its data message adds `labelNames`, `mean` and `scale`.
 */
export const OWN = 'own';

/** The latent plane is drawn, and the exact posterior gridded, over [−HALF, HALF]². */
export const HALF = 4;
/** Decoded manifold: MANIFOLD × MANIFOLD images. */
export const MANIFOLD = 12;
/** Held-out images shown beside their reconstructions. */
export const RECON_COUNT = 10;
/** Prior samples shown. */
export const SAMPLE_COUNT = 16;
/** Importance samples for log p(x) by IWAE. */
export const IWAE_K = 2000;
/** Adam steps of the per-image fit q*. */
export const FIT_STEPS = 300;
