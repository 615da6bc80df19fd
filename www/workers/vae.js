// The VAE trainer in a Web Worker with its own wasm instance, so training never blocks the
// page. Its messages, the data sets and the sizes the page must agree on are in
// www/widgets/vae/protocol.js, shared with the page.
import init, { Trainer, binarise } from '../pkg/elbo_lab.js';
import { datasets, MANIFOLD, MSG, OWN, RECON_COUNT, SAMPLE_COUNT } from '../widgets/vae/protocol.js';
import { baselines, codesOf, fitq, inspect, interpolate, readerError } from './vae-analysis.js';
import { HELD_OUT_SEED, RATE_SAMPLES, RATE_SEED } from '../lib/beta-sweep.js';

const SNAPSHOT_MS = 200; // at most ~5 snapshots per second
const MANIFOLD_SPAN = 2.5; // over z₁, z₂ ∈ [−span, span]
const SAMPLE_SEED = 7; // fixed, so the samples evolve smoothly as the model learns
const TEST_SAMPLES = 4; // held-out ELBO: z ~ q(z|x), 4 draws per image…
const TEST_SEED = 2024; // …with the same noise every epoch, so the curve is smooth
// The held-out digits are binarised once, with HELD_OUT_SEED (lib/beta-sweep.js), so every
// held-out number scores the same binary images (crate/benches/native.rs has the same number).
const RATE_DELAY_MS = 300; // quiet time after training stops before 4.3's scoring (scoreLater)
// Training diverged when the loss rises above the first epoch's by more than twice its size (or
// 50 nats, for the toy sets whose Gaussian losses can be near 0 or negative).
const BLOW_UP = 2;
const BLOW_UP_NATS = 50;
const TOY_POINTS = 2000; // 2-D toy sets: points generated (80% training, 20% held out)
const TOY_SEED = 7;
const MODEL_POINTS = 600; // toy sets: means m(z) of the decoder for z ~ p(z)

let data = null; // { trainX, trainY, testX, testY, width, height, pixels }
let dataset = null; // its name: 'digits', a toy set or OWN
let ownPoints = null; // the CSV text of OWN
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
let rate = null; // the latest rate and distortion of `trainer` by 4.3's estimator: { epoch, distortion, rate, negElbo }
let rateTimer = 0;

const post = (message, transfer = []) => self.postMessage(message, transfer);

/** Loads `name` (once per change; the reader's own `points`, a CSV text, for OWN) and tells the page about it. */
async function load(name, points) {
  if (!datasets().includes(name) && name !== OWN) throw new Error(`unknown data set "${name}": use one of ${datasets().join(', ')}`);
  if (name === dataset && (name !== OWN || points === ownPoints)) return;
  digitsBytes ??= name === 'digits' ? await (await fetch(new URL('../data/digits.bin', import.meta.url))).arrayBuffer() : null;
  data = name === 'digits' ? Trainer.loadDigits(new Uint8Array(digitsBytes))
    : name === OWN ? Trainer.loadPoints(points, TOY_SEED) : Trainer.loadToy(name, TOY_POINTS, TOY_SEED);
  ownPoints = name === OWN ? points : null;
  data.testGrey = null;
  if (name === 'digits') {
    // Grey levels are Bernoulli probabilities, not data a Bernoulli likelihood can generate:
    // the held-out images are drawn as binary pixels once, and scored as such everywhere.
    data.testGrey = data.testX;
    data.testX = binarise(data.testGrey, HELD_OUT_SEED);
  }
  dataset = name;
  const recipe = name === 'digits' ? 'binarised' : 'gaussian';
  post({ type: MSG.data, dataset, testX: data.testX, testGrey: data.testGrey, testY: data.testY, width: data.width, height: data.height, pixels: data.pixels, trainCount: data.trainX.length / data.pixels, recipe,
    labelNames: data.labelNames ?? null, mean: data.mean ? Array.from(data.mean) : null, scale: data.scale ?? null });
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
  rate = null;
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
  history.train.push({ loss: train.loss, recon: train.recon, kl: train.kl, beta: train.beta });
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
  post({ type: MSG.diverged, reason, lr: config.lr, epoch: trainer.epoch });
  return false;
}

/** The latent codes z = μ of the held-out set (first two dimensions) and decoded images. */
function snapshot() {
  const z = trainer.latent;
  // After a divergence the model refuses to encode or decode: send empty pictures then.
  const safely = (f) => { try { return f(); } catch { return new Float32Array(0); } };
  const codes = safely(() => codesOf(trainer, data));
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
    type: MSG.snapshot,
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
    usage: usage(),
    rate,
  };
  post(message, [codes.buffer, message.manifold.buffer, message.reconstructions.buffer, message.samples.buffer]);
  scoreLater();
}

/**
 * How the latent dimensions are used on the held-out set (Trainer.latentUsage): { kl, activity,
 * active, threshold }, or null after a divergence.
 */
function usage() {
  try { return trainer.latentUsage(data.testX); } catch { return null; }
}

/**
 * The held-out rate and distortion of the current model by 4.3's estimator and images, as the
 * β sweep scores its models (Trainer.rateDistortion(testX, RATE_SAMPLES, RATE_SEED)), for its
 * place on 4.3's plane: posted as { type: MSG.rate, rate: { epoch, distortion, rate, negElbo } }
 * (nats per image, D + R = −ELBO), and carried by the snapshots after it. It scores every draw
 * under all the held-out posteriors (the ELBO surgery), several epochs' worth of work, so it is
 * computed only once training has stopped (paused, stepped, target reached) and no message has
 * come for RATE_DELAY_MS (a reader clicking Step again and again is not slowed down), once per
 * model and epoch (not for the untrained model). Null for a plain autoencoder (no q, no rate)
 * or a model that no longer computes; the page shows the per-epoch held-out numbers meanwhile.
 */
function scoreLater() {
  clearTimeout(rateTimer);
  if (!trainer || running || config.mode === 'autoencoder' || trainer.epoch === 0 || rate?.epoch === trainer.epoch) return;
  const [model, epoch] = [trainer, trainer.epoch];
  rateTimer = setTimeout(() => {
    if (running || trainer !== model || trainer.epoch !== epoch) return;
    try {
      const r = trainer.rateDistortion(data.testX, RATE_SAMPLES, RATE_SEED);
      rate = { epoch, distortion: r.meanDistortion, rate: r.meanRate, negElbo: r.negElbo };
    } catch {
      rate = null;
    }
    post({ type: MSG.rate, rate });
  }, RATE_DELAY_MS);
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

/**
 * Loads a weights file into a new model built with the file's settings; the current model is
 * replaced only when the whole file checks out. The wasm reads the file (Trainer.fromWeights);
 * its two errors a reader most often meets are told in the page's own words.
 */
function importWeights(json) {
  let file;
  try {
    // Further training follows this page's recipe (binarised digits), whatever the file's.
    file = Trainer.fromWeights(data.trainX, data.pixels, json, seed, dataset === 'digits');
  } catch (err) {
    throw readerErrorFor(err) ?? err;
  }
  running = false;
  clearTimeout(timer);
  trainer.free();
  trainer = file.trainer;
  config = file.config;
  history = { train: [], test: [] };
  examples = { count: 0, ms: 0 };
  rate = null;
  // The recipe the file says it was trained with (older files: grey levels), so the page can
  // warn when it differs from 'binarised', the one its held-out numbers assume.
  const recipe = dataset !== 'digits' ? 'gaussian' : file.binarise ? 'binarised' : 'grey';
  return { config: file.config, recipe };
}

/** A weights file that is not JSON, or is for another data set's width, in the page's words. */
function readerErrorFor(err) {
  if (err?.code === 'weights-not-json') {
    return readerError('vae.err.notJson', {}, 'the file is not valid JSON, so it is not a weights file saved by this page');
  }
  if (err?.code === 'weights-shape' && err.params?.key === 'width') {
    const { got: width, want: pixels } = err.params;
    return readerError('vae.err.width', { width, pixels },
      `this file is for data with ${width} values per example, but the current data set has ${pixels}: choose the data set it was trained on first`);
  }
  return null;
}

async function handle(m) {
  switch (m.type) {
    case MSG.init:
      // The page hands over its compiled module and the digits, so nothing is fetched here.
      wasm = await init(m.module ? { module_or_path: m.module } : undefined);
      digitsBytes = m.digits ?? null;
      await load(m.dataset ?? 'digits', m.points);
      build(m.config, m.seed);
      snapshot();
      return;
    case MSG.start:
      until = Number.isFinite(m.until) ? m.until : Infinity;
      if (!running) { running = true; loop(); }
      return;
    case MSG.pause:
      running = false;
      clearTimeout(timer);
      snapshot();
      return;
    case MSG.step:
      running = false;
      clearTimeout(timer);
      epoch();
      snapshot();
      return;
    case MSG.reset:
      running = false;
      clearTimeout(timer);
      await load(m.dataset ?? dataset, m.points);
      build(m.config, m.seed);
      snapshot();
      return;
    default:
      break;
  }
  const model = { trainer, data, config, seed, withLikelihood };
  const requests = {
    [MSG.decode]: () => trainer.decode(Float32Array.from(m.z)),
    [MSG.inspect]: () => inspect(model, m),
    [MSG.interpolate]: () => interpolate(model, m),
    [MSG.baselines]: () => baselines(model, m, post),
    [MSG.fitq]: () => fitq(model, m),
    [MSG.export]: () => trainer.exportWeights(),
    [MSG.import]: () => importWeights(m.json),
  };
  if (!requests[m.type]) throw new Error(`unknown message ${m.type}`);
  try {
    post({ type: MSG.reply, id: m.id, result: await requests[m.type]() });
    if (m.type === MSG.import) snapshot();
  } catch (err) {
    post({ type: MSG.reply, id: m.id, error: plain(err) });
  }
}

// Messages are handled one at a time, in order (init awaits the wasm and the data).
let queue = Promise.resolve();
self.onmessage = (e) => {
  clearTimeout(rateTimer); // scored after this message instead, if still due (scoreLater)
  queue = queue.then(() => handle(e.data)).catch((err) => {
    running = false;
    post({ type: MSG.error, error: plain(err) });
  }).then(scoreLater);
};
