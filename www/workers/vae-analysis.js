// What the VAE worker (vae.js) answers about its current model `m` = { trainer, data, config,
// seed, withLikelihood }: one held-out image's posterior and the two parts of its gap, an
// interpolation, the held-out codes, and the PCA and autoencoder baselines.
import { Trainer, pcaBaseline, reconstructionErrors } from '../pkg/elbo_lab.js';
import { FIT_STEPS, HALF, IWAE_K, MSG } from '../widgets/vae/protocol.js';

const GRID_N = 200; // exact posterior grid per side, over [−HALF, HALF]²
// fitq: FIT_STEPS Adam steps of q* when the page does not say (lr 0.05 → 0)…
const FIT_SAMPLES = 16; // …each from this many draws z ~ q…
const FIT_SEED = 5; // …seeded
const ELBO_SAMPLES = 2000; // fitq: ELBO(q*) and ELBO(q_φ), one estimator, the same draws ε
const ELBO_SEED = 13;

/**
 * An error the reader may see: `key` names its sentence in the page's string tables
 * (www/i18n/*.js), filled with `vars`; the English sentence is the message.
 */
export function readerError(key, vars, message) {
  return Object.assign(new Error(message), { key, vars });
}

/** Held-out image `index` (a reader's error if there is none). */
function image({ data }, index) {
  const n = data.testX.length / data.pixels;
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw readerError('vae.err.image', { index, max: n - 1 }, `image ${index} does not exist: pick 0 to ${n - 1}`);
  }
  return data.testX.subarray(index * data.pixels, (index + 1) * data.pixels);
}

/** Importance samples per image for comparing a drawn digit's log p(x) with the held-out digits'. */
export const COMPARE_K = 100;
const COMPARE_SEED = 11;
const compared = new WeakMap(); // trainer → { epoch, values }: held-out IWAE_{COMPARE_K}, sorted

/** A digit drawn by the reader: `pixels` 0/1 values, one image of the data's width. */
function drawnImage({ data }, pixels) {
  const x = Float32Array.from(pixels ?? []);
  if (x.length !== data.pixels || !x.every((v) => v === 0 || v === 1)) {
    throw readerError('vae.err.drawn', { pixels: data.pixels }, `a drawn digit must be ${data.pixels} pixels, each 0 or 1`);
  }
  return x;
}

/**
 * Each held-out image's IWAE bound with COMPARE_K draws (the estimator a drawn digit is scored
 * with), sorted; computed once per model and epoch.
 */
function heldOutBounds({ trainer, data }) {
  const cached = compared.get(trainer);
  if (cached?.epoch === trainer.epoch) return cached.values;
  const n = data.testX.length / data.pixels;
  const values = Float64Array.from({ length: n }, (_, i) => trainer.iwae(data.testX.subarray(i * data.pixels, (i + 1) * data.pixels), COMPARE_K, COMPARE_SEED).iwae).sort();
  compared.set(trainer, { epoch: trainer.epoch, values });
  return values;
}

/**
 * The exact posterior grid (latent 2), q(z|x), the ELBO and IWAE for one held-out image, or for
 * a digit the reader drew (`pixels`): then also its reconstruction (decoded at z = μ) and its
 * IWAE_{COMPARE_K} beside the held-out images' (sorted), the same estimator and seed.
 */
export function inspect(m, { index, k, pixels }) {
  const { trainer } = m;
  const drawn = pixels !== undefined && pixels !== null;
  const x = drawn ? drawnImage(m, pixels) : image(m, index);
  const q = trainer.encodeDistribution(x);
  const bound = trainer.iwae(x, k, 11);
  const result = { index, mu: Array.from(q.mu), logvar: Array.from(q.logvar), iwae: bound.iwae, elbo: bound.elbo, k };
  if (drawn) {
    Object.assign(result, {
      pixels: Array.from(x), reconstruction: trainer.decode(q.mu), compareK: COMPARE_K,
      compare: trainer.iwae(x, COMPARE_K, COMPARE_SEED).iwae, heldOut: heldOutBounds(m),
    });
  }
  if (trainer.latent === 2) {
    const g = trainer.posteriorGrid(x, GRID_N, HALF);
    Object.assign(result, { density: g.density, n: GRID_N, half: HALF, logEvidence: g.logEvidence });
  }
  return result;
}

/** Decoded images along the segment between two held-out images' codes, and its path (z₁, z₂). */
export function interpolate(m, { a, b, steps }) {
  const { trainer } = m;
  const za = trainer.encode(image(m, a));
  const zb = trainer.encode(image(m, b));
  const z = trainer.latent;
  const codes = new Float32Array(steps * z);
  for (let s = 0; s < steps; s += 1) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    for (let j = 0; j < z; j += 1) codes[s * z + j] = (1 - t) * za[j] + t * zb[j];
  }
  return { pixels: trainer.decode(codes), path: Array.from(codes.filter((_, i) => i % z < 2)) };
}

/** The held-out codes z = μ of trainer `t`, their first two dimensions (the second 0 for latent 1). */
export function codesOf(t, data) {
  const mu = t.encode(data.testX);
  const z = t.latent;
  return Float64Array.from({ length: (mu.length / z) * 2 }, (_, i) => (z > 1 || i % 2 === 0 ? mu[Math.floor(i / 2) * z + (i % 2)] : 0));
}

/** PCA and a plain autoencoder beside the VAE; posts MSG.progress every 5 epochs (`post`). */
export async function baselines(m, { id, epochs }, post) {
  const { trainer, data, config, seed, withLikelihood } = m;
  // PCA is fitted to the grey training images (a linear map has no likelihood to binarise for
  // and cannot sample) with as many components as the VAE has latent dimensions, and scored,
  // like the autoencoder (trained on the same fresh binarisations as the VAE) and the VAE, on
  // the binarised held-out images. Its codes are the first two components, for the scatter.
  const pca = pcaBaseline(data.trainX, data.testX, data.pixels, Math.min(trainer.latent, data.pixels));
  const ae = new Trainer(data.trainX, data.pixels, withLikelihood({ ...config, mode: 'autoencoder' }), seed);
  try {
    for (let e = 0; e < epochs; e += 1) {
      ae.trainEpoch();
      if (e % 5 === 4) {
        post({ type: MSG.progress, id, done: e + 1, total: epochs });
        await new Promise((r) => setTimeout(r, 0)); // let pause/step messages through
      }
    }
    /** Held-out squared error and cross-entropy per image: the measure pcaBaseline reports. */
    const errors = (t) => reconstructionErrors(data.testX, t.decode(t.encode(data.testX)), data.pixels);
    return {
      epochs,
      vaeEpochs: trainer.epoch,
      pca: { codes: pca.codes, squaredError: pca.squaredError, bce: pca.bce, explained: pca.explained, components: pca.components },
      autoencoder: { codes: codesOf(ae, data), ...errors(ae) },
      vae: { codes: codesOf(trainer, data), ...errors(trainer) },
    };
  } finally {
    ae.free();
  }
}

/**
 * The two parts of the gap for test image `index` (Cremer, Li & Duvenaud 2018): q* fitted to
 * it alone under the frozen decoder, from the encoder's q_φ, then ELBO(q*) and ELBO(q_φ) from
 * the same ELBO_SAMPLES draws ε. Amortisation gap = elboStar − elboEncoder; approximation gap =
 * logEvidence (or iwae) − elboStar.
 */
export function fitq(m, { index, steps = FIT_STEPS }) {
  const { trainer } = m;
  const x = image(m, index);
  const start = trainer.fitPosterior(x, 0, 1, FIT_SEED); // q_φ(z|x), as the fit starts from it
  const fit = trainer.fitPosterior(x, steps, FIT_SAMPLES, FIT_SEED);
  const star = trainer.elboOf(x, fit.mu, fit.logvar, ELBO_SAMPLES, ELBO_SEED);
  const enc = trainer.elboOf(x, start.mu, start.logvar, ELBO_SAMPLES, ELBO_SEED);
  const result = {
    index,
    mu: Array.from(fit.mu),
    logvar: Array.from(fit.logvar),
    elboStar: star.elbo,
    elboStarSe: star.standardError,
    elboEncoder: enc.elbo,
    elboEncoderSe: enc.standardError,
    steps: fit.steps,
  };
  if (trainer.latent === 2) result.logEvidence = trainer.posteriorGrid(x, GRID_N, HALF).logEvidence;
  else Object.assign(result, { iwae: trainer.iwae(x, IWAE_K, 11).iwae, k: IWAE_K });
  return result;
}
