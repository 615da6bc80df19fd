// The VAE trainer in a Web Worker with its own wasm instance, so training never blocks the
// page. Protocol (every message is { type, … }; requests with an `id` get { type: 'reply', id,
// result } or { type: 'reply', id, error }):
//   init { config, seed, dataset }  load the data set, build the model, post 'data' and a 'snapshot'
//     'data' { dataset, testX, testGrey, testY, width, height, pixels, trainCount, recipe }:
//     for the digits recipe 'binarised' (training images binarised afresh every epoch, testX the
//     held-out images binarised once with HELD_OUT_SEED, testGrey their grey levels, for showing);
//     for a toy set recipe 'gaussian' and testGrey null
//   start { until } | pause | step   train up to epoch `until` / stop / train one epoch
//   reset { config, seed, dataset }  a fresh model (history cleared), on another data set if asked
//   decode { id, z }          pixel probabilities for latent codes z (n × latent)
//   inspect { id, index, k }  exact posterior grid, q(z|x), ELBO and IWAE for one test image
//   interpolate { id, a, b, steps }  decoded images along the segment between two test codes
//   baselines { id, epochs }  PCA (as many components as the VAE has latent dimensions) and a
//                             plain autoencoder (same network, same recipe) on the same split
//   fitq { id, index, steps }  the two parts of the gap for one test image: q* fitted to it under
//                             the frozen decoder, ELBO(q*) and ELBO(q_φ) by one estimator with
//                             common random numbers, and log p(x) (grid, latent 2) or IWAE:
//                             { index, mu, logvar (q*), elboStar, elboStarSe, elboEncoder,
//                             elboEncoderSe, steps, logEvidence | iwae and k }; amortisation gap
//                             = elboStar − elboEncoder, approximation gap = logEvidence − elboStar
//   export { id } / import { id, json }  the weights file; import replies { config, recipe }, the
//                             recipe the file states ('binarised' | 'grey' | 'gaussian')
import init, { Trainer, binarise, pcaBaseline, reconstructionErrors } from '../pkg/elbo_lab.js';

const SNAPSHOT_MS = 200; // at most ~5 snapshots per second
const MANIFOLD = 12; // decoded manifold: MANIFOLD × MANIFOLD images
const MANIFOLD_SPAN = 2.5; // over z₁, z₂ ∈ [−span, span]
const RECON_COUNT = 10; // originals shown beside reconstructions
const SAMPLE_COUNT = 16; // prior samples
const SAMPLE_SEED = 7; // fixed, so the samples evolve smoothly as the model learns
const GRID_N = 200; // exact posterior grid per side
const GRID_HALF = 4; // over [−4, 4]²
const TEST_SAMPLES = 4; // held-out ELBO: z ~ q(z|x), 4 draws per image…
const TEST_SEED = 2024; // …with the same noise every epoch, so the curve is smooth
// The held-out digits are binarised once, with this seed, so every held-out number scores the
// same binary images (crate/benches/native.rs HELD_OUT_SEED is the same number).
const HELD_OUT_SEED = 31337;
const FIT_STEPS = 300; // fitq: Adam steps of q* when the page does not say (lr 0.05 → 0)…
const FIT_SAMPLES = 16; // …each from this many draws z ~ q…
const FIT_SEED = 5; // …seeded
const ELBO_SAMPLES = 2000; // fitq: ELBO(q*) and ELBO(q_φ), one estimator, the same draws ε
const ELBO_SEED = 13;
const IWAE_K = 2000; // fitq: log p(x) by IWAE when the latent space is not 2-D
// Training diverged when the loss rises above the first epoch's by more than twice its size (or
// 50 nats, for the toy sets whose Gaussian losses can be near 0 or negative).
const BLOW_UP = 2;
const BLOW_UP_NATS = 50;
const TOY_POINTS = 2000; // 2-D toy sets: points generated (80% training, 20% held out)
const TOY_SEED = 7;
const MODEL_POINTS = 600; // toy sets: means m(z) of the decoder for z ~ p(z)
const DATASETS = ['digits', 'mixture', 'moons', 'rings', 'spiral'];

let data = null; // { trainX, trainY, testX, testY, width, height, pixels }
let dataset = null; // its name: 'digits' or a toy set
let wasm = null; // the worker's own wasm exports (for its memory size)
let digitsBytes = null; // www/data/digits.bin, from the page or fetched once
let trainer = null;
let config = null;
let seed = 1;
let running = false;
let until = Infinity; // 'start' trains up to this epoch, then pauses
let timer = 0;
let history = null;
let examples = { count: 0, ms: 0 };

const post = (message, transfer = []) => self.postMessage(message, transfer);

/**
 * An error the reader may see: `key` names its sentence in the page's string tables
 * (www/i18n/*.js), filled with `vars`; the English sentence is the message.
 */
function readerError(key, vars, message) {
  return Object.assign(new Error(message), { key, vars });
}

/** Loads `name` (once per change) and tells the page about it. */
async function load(name) {
  if (!DATASETS.includes(name)) throw new Error(`unknown data set "${name}": use one of ${DATASETS.join(', ')}`);
  if (name === dataset) return;
  digitsBytes ??= name === 'digits' ? await (await fetch(new URL('../data/digits.bin', import.meta.url))).arrayBuffer() : null;
  data = name === 'digits' ? Trainer.loadDigits(new Uint8Array(digitsBytes)) : Trainer.loadToy(name, TOY_POINTS, TOY_SEED);
  data.testGrey = null;
  if (name === 'digits') {
    // Grey levels are Bernoulli probabilities, not data a Bernoulli likelihood can generate:
    // the held-out images are drawn as binary pixels once, and scored as such everywhere.
    data.testGrey = data.testX;
    data.testX = binarise(data.testGrey, HELD_OUT_SEED);
  }
  dataset = name;
  const recipe = name === 'digits' ? 'binarised' : 'gaussian';
  post({ type: 'data', dataset, testX: data.testX, testGrey: data.testGrey, testY: data.testY, width: data.width, height: data.height, pixels: data.pixels, trainCount: data.trainX.length / data.pixels, recipe });
}

/**
 * Pixels are Bernoulli, trained on a fresh binarisation of the grey training images every
 * epoch; the toy sets' real-valued coordinates are Gaussian.
 */
const withLikelihood = (c) => ({ ...c, likelihood: dataset === 'digits' ? 'bernoulli' : 'gaussian', binarise: dataset === 'digits' });

function build(nextConfig, nextSeed) {
  const fresh = new Trainer(data.trainX, data.pixels, withLikelihood(nextConfig), nextSeed);
  trainer?.free();
  trainer = fresh;
  config = { ...nextConfig };
  seed = nextSeed;
  history = { train: [], test: [] };
  examples = { count: 0, ms: 0 };
}

/** One epoch; returns false (and reports) when the loss is no longer finite or exploded. */
function epoch() {
  const t0 = performance.now();
  let train;
  let test;
  try {
    train = trainer.trainEpoch();
    examples.ms += performance.now() - t0;
    examples.count += data.trainX.length / data.pixels;
    test = trainer.evaluate(data.testX, TEST_SAMPLES, TEST_SEED);
  } catch (err) {
    // The trainer throws code "diverged" for a non-finite gradient or non-finite losses.
    return diverged(err.code === 'diverged' ? { kind: 'overflow' } : { kind: 'error', error: plain(err) });
  }
  const first = history.train[0]?.loss ?? train.loss;
  if (history.train.length > 0 && train.loss > first + Math.max(BLOW_UP * Math.abs(first), BLOW_UP_NATS)) {
    return diverged({ kind: 'jump', from: first.toFixed(1), to: train.loss.toFixed(1) });
  }
  history.train.push({ loss: train.loss, recon: train.recon, kl: train.kl });
  history.test.push({ loss: -test.elbo, recon: test.reconstruction, kl: test.kl });
  return true;
}

/**
 * An error as a plain object for postMessage (a structured clone of an Error keeps only its
 * message): the wasm API's code and params, or a readerError's key and vars, go with it, so the
 * page can show it in its own language.
 */
function plain(err) {
  return { message: err?.message ?? String(err), code: err?.code, params: err?.params, key: err?.key, vars: err?.vars };
}

/** Stops training and tells the page why: reason { kind: 'overflow' | 'jump' | 'error', … }. */
function diverged(reason) {
  running = false;
  post({ type: 'diverged', reason, lr: config.lr, epoch: trainer.epoch });
  return false;
}

/** The latent codes z = μ of the held-out set (first two dimensions) and decoded images. */
function snapshot() {
  const z = trainer.latent;
  // After a divergence the model refuses to encode or decode: send empty pictures then.
  const safely = (f) => { try { return f(); } catch { return new Float32Array(0); } };
  const codes = safely(() => codesOf(trainer));
  const grid = new Float32Array(MANIFOLD * MANIFOLD * z); // other dimensions held at 0
  for (let r = 0; r < MANIFOLD; r += 1) {
    for (let c = 0; c < MANIFOLD; c += 1) {
      const k = (r * MANIFOLD + c) * z;
      grid[k] = -MANIFOLD_SPAN + (2 * MANIFOLD_SPAN * c) / (MANIFOLD - 1);
      if (z > 1) grid[k + 1] = MANIFOLD_SPAN - (2 * MANIFOLD_SPAN * r) / (MANIFOLD - 1);
    }
  }
  const originals = data.testX.subarray(0, RECON_COUNT * data.pixels);
  const toy = dataset !== 'digits';
  const message = {
    type: 'snapshot',
    epoch: trainer.epoch,
    running,
    config,
    seed,
    history,
    examplesPerSecond: examples.ms > 0 ? (1000 * examples.count) / examples.ms : 0,
    memoryBytes: wasm.memory.buffer.byteLength,
    codes,
    dataset,
    manifold: toy ? new Float32Array(0) : safely(() => trainer.decode(grid)),
    reconstructions: toy ? new Float32Array(0) : safely(() => trainer.decode(trainer.encode(originals))),
    samples: safely(() => trainer.sample(toy ? MODEL_POINTS : SAMPLE_COUNT, SAMPLE_SEED)),
  };
  post(message, [codes.buffer, message.manifold.buffer, message.reconstructions.buffer, message.samples.buffer]);
}

/** Trains epochs until SNAPSHOT_MS has passed, posts a snapshot, and yields to messages. */
function loop() {
  if (!running) return;
  const t0 = performance.now();
  while (running && performance.now() - t0 < SNAPSHOT_MS) {
    if (trainer.epoch >= until) { running = false; break; }
    if (!epoch()) break;
  }
  if (trainer.epoch >= until) running = false;
  snapshot();
  if (running) timer = setTimeout(loop, 0);
}

function image(index) {
  const n = data.testX.length / data.pixels;
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw readerError('vae.err.image', { index, max: n - 1 }, `image ${index} does not exist: pick 0 to ${n - 1}`);
  }
  return data.testX.subarray(index * data.pixels, (index + 1) * data.pixels);
}

function inspect({ index, k }) {
  const x = image(index);
  const q = trainer.encodeDistribution(x);
  const bound = trainer.iwae(x, k, 11);
  const result = { index, mu: Array.from(q.mu), logvar: Array.from(q.logvar), iwae: bound.iwae, elbo: bound.elbo, k };
  if (trainer.latent === 2) {
    const g = trainer.posteriorGrid(x, GRID_N, GRID_HALF);
    Object.assign(result, { density: g.density, n: GRID_N, half: GRID_HALF, logEvidence: g.logEvidence });
  }
  return result;
}

function interpolate({ a, b, steps }) {
  const za = trainer.encode(image(a));
  const zb = trainer.encode(image(b));
  const z = trainer.latent;
  const codes = new Float32Array(steps * z);
  for (let s = 0; s < steps; s += 1) {
    const t = steps === 1 ? 0 : s / (steps - 1);
    for (let j = 0; j < z; j += 1) codes[s * z + j] = (1 - t) * za[j] + t * zb[j];
  }
  return { pixels: trainer.decode(codes), path: Array.from(codes.filter((_, i) => i % z < 2)) };
}

function codesOf(t) {
  const mu = t.encode(data.testX);
  const z = t.latent;
  return Float64Array.from({ length: (mu.length / z) * 2 }, (_, i) => (z > 1 || i % 2 === 0 ? mu[Math.floor(i / 2) * z + (i % 2)] : 0));
}

async function baselines({ id, epochs }) {
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
        post({ type: 'progress', id, done: e + 1, total: epochs });
        await new Promise((r) => setTimeout(r, 0)); // let pause/step messages through
      }
    }
    /** Held-out squared error and cross-entropy per image: the measure pcaBaseline reports. */
    const errors = (t) => reconstructionErrors(data.testX, t.decode(t.encode(data.testX)), data.pixels);
    return {
      epochs,
      vaeEpochs: trainer.epoch,
      pca: { codes: pca.codes, squaredError: pca.squaredError, bce: pca.bce, explained: pca.explained, components: pca.components },
      autoencoder: { codes: codesOf(ae), ...errors(ae) },
      vae: { codes: codesOf(trainer), ...errors(trainer) },
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
function fitq({ index, steps = FIT_STEPS }) {
  const x = image(index);
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
  if (trainer.latent === 2) result.logEvidence = trainer.posteriorGrid(x, GRID_N, GRID_HALF).logEvidence;
  else Object.assign(result, { iwae: trainer.iwae(x, IWAE_K, 11).iwae, k: IWAE_K });
  return result;
}

/**
 * Loads a weights file into a new model built with the file's settings; the current model is
 * replaced only when the whole file checks out.
 */
function importWeights(json) {
  let file;
  try {
    file = JSON.parse(json);
  } catch {
    throw readerError('vae.err.notJson', {}, 'the file is not valid JSON, so it is not a weights file saved by this page');
  }
  const c = file?.config ?? {};
  if (Number.isFinite(c.width) && c.width !== data.pixels) {
    throw readerError('vae.err.width', { width: c.width, pixels: data.pixels },
      `this file is for data with ${c.width} values per example, but the current data set has ${data.pixels}: choose the data set it was trained on first`);
  }
  const settings = { latent: c.latent, hidden: c.hidden, beta: c.beta, lr: c.lr, batchSize: c.batchSize, mode: c.mode, activation: c.activation, likelihood: c.likelihood };
  let candidate = null;
  let stated;
  try {
    // Further training follows this page's recipe (binarised digits), whatever the file's.
    const binarised = dataset === 'digits' && (c.likelihood ?? 'bernoulli') === 'bernoulli';
    candidate = new Trainer(data.trainX, data.pixels, { ...settings, binarise: binarised }, seed);
    stated = candidate.importWeights(json);
  } catch (err) {
    candidate?.free();
    throw err;
  }
  running = false;
  clearTimeout(timer);
  trainer.free();
  trainer = candidate;
  config = settings;
  history = { train: [], test: [] };
  examples = { count: 0, ms: 0 };
  // The recipe the file says it was trained with (older files: grey levels), so the page can
  // warn when it differs from 'binarised', the one its held-out numbers assume.
  const recipe = dataset !== 'digits' ? 'gaussian' : stated.binarise ? 'binarised' : 'grey';
  return { config: settings, recipe };
}

async function handle(m) {
  switch (m.type) {
    case 'init':
      // The page hands over its compiled module and the digits, so nothing is fetched here.
      wasm = await init(m.module ? { module_or_path: m.module } : undefined);
      digitsBytes = m.digits ?? null;
      await load(m.dataset ?? 'digits');
      build(m.config, m.seed);
      snapshot();
      return;
    case 'start':
      until = Number.isFinite(m.until) ? m.until : Infinity;
      if (!running) { running = true; loop(); }
      return;
    case 'pause':
      running = false;
      clearTimeout(timer);
      snapshot();
      return;
    case 'step':
      running = false;
      clearTimeout(timer);
      epoch();
      snapshot();
      return;
    case 'reset':
      running = false;
      clearTimeout(timer);
      await load(m.dataset ?? dataset);
      build(m.config, m.seed);
      snapshot();
      return;
    default:
      break;
  }
  const requests = {
    decode: () => trainer.decode(Float32Array.from(m.z)),
    inspect: () => inspect(m),
    interpolate: () => interpolate(m),
    baselines: () => baselines(m),
    fitq: () => fitq(m),
    export: () => trainer.exportWeights(),
    import: () => importWeights(m.json),
  };
  if (!requests[m.type]) throw new Error(`unknown message ${m.type}`);
  try {
    post({ type: 'reply', id: m.id, result: await requests[m.type]() });
    if (m.type === 'import') snapshot();
  } catch (err) {
    post({ type: 'reply', id: m.id, error: plain(err) });
  }
}

// Messages are handled one at a time, in order (init awaits the wasm and the data).
let queue = Promise.resolve();
self.onmessage = (e) => {
  queue = queue.then(() => handle(e.data)).catch((err) => {
    running = false;
    post({ type: 'error', error: plain(err) });
  });
};
