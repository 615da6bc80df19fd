// VAE training speed in headless Chromium: elbo-lab's wasm Trainer vs TensorFlow.js (wasm
// backend, SIMD, one thread) training the identical model, each in its own dedicated worker, in
// the same browser and the same run. Two models:
//   digits: 64 → 128 tanh → (μ, log σ²) ∈ R² → 128 tanh → 64 logits, on the 1437 training digits;
//   784:    784 → 256 tanh → 2 → 256 tanh → 784, on 2048 seeded synthetic images.
// Adam 1e-3, batch 64; untimed warm-up (≥ 2 epochs and ≥ 1 s, so V8 has tiered the wasm up), then
// timed epochs (10 digits, 5 for 784); three rounds per side, each in a fresh worker; the figure is
// the best round's median examples / second. Every run's loss must be finite and fall.
//
// `node tests/bench/vae-speed.js` prints the figures; `make bench` (tests/bench/run.js) adds them
// to target/bench/results.json through `benchVaeSpeed(browser)`.
import { fileURLToPath } from 'node:url';
import { serve } from '../lib/server.js';
import { launch, openPage } from '../lib/browser.js';

/** The repository root: the bench page, www/pkg, www/data and node_modules/@tensorflow. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PAGE = 'tests/bench/page/index.html';

const MODELS = [
  { model: 'digits', warmup: 2, warmupMs: 1000, epochs: 10 },
  { model: '784', warmup: 2, warmupMs: 1000, epochs: 5 },
];
// Each model is trained ROUNDS times per side, alternating which side goes first (ours, TF.js |
// TF.js, ours | ours, TF.js), each in a fresh worker. A round's figure is the median over its
// timed epochs; a side's figure is its best round, so that a round slowed down by other processes
// on the machine (seen: up to 2× on this 2-core box) does not decide the comparison.
const ROUNDS = 3;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Number(x.toPrecision(4));

/** Checks that training really happened: finite losses, falling over the timed epochs. */
function checkLosses(label, { losses, times }) {
  if (!losses.every(Number.isFinite)) throw new Error(`${label}: non-finite loss ${losses}`);
  const first = losses.at(-times.length);
  const last = losses.at(-1);
  if (!(last < first)) throw new Error(`${label}: loss did not fall over the timed epochs (${first} → ${last})`);
}

/**
 * Runs every measurement in `page` (the bench page, already open). Resolves to
 * { entries (results.json shape: { name, value, unit, baseline }), details }.
 */
export async function vaeSpeed(page) {
  const entries = [];
  const details = {};
  for (const { model, warmup, warmupMs, epochs } of MODELS) {
    const rates = { ours: [], tfjs: [] }; // per-round medians
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const impl of r % 2 ? ['tfjs', 'ours'] : ['ours', 'tfjs']) {
        const opts = { warmup, warmupMs, epochs, seed: 42 + r, batch: 64 };
        const run = await page.evaluate(([i, m, o]) => window.runBench(i, m, o), [impl, model, opts]);
        checkLosses(`${impl}/${model} round ${r + 1}`, run);
        const perEpoch = run.times.map((ms) => run.n / (ms / 1000));
        rates[impl].push(median(perEpoch));
        const { numTensorsPerEpoch, ...info } = run.info;
        if (numTensorsPerEpoch && new Set(numTensorsPerEpoch).size !== 1) {
          throw new Error(`${impl}/${model}: TF.js leaks tensors (${numTensorsPerEpoch})`);
        }
        (details[`${impl}_${model}`] ??= { ...info, examples: run.n, rounds: [] }).rounds.push({
          warmupEpochs: run.warmupEpochs, medianExamplesPerS: round(median(perEpoch)),
          msPerEpoch: run.times.map(round), examplesPerS: perEpoch.map(round),
          lossFirstTimed: round(run.losses.at(-run.times.length)), lossLast: round(run.losses.at(-1)),
          lossAll: run.losses.map(round),
        });
      }
    }
    const ours = { name: `vae_${model}_examples_per_s`, value: round(Math.max(...rates.ours)) };
    const tfjs = { name: `tfjs_wasm_${model}_examples_per_s`, value: round(Math.max(...rates.tfjs)) };
    entries.push({ ...ours, unit: 'ex/s', baseline: tfjs });
    entries.push({ ...tfjs, unit: 'ex/s', baseline: ours });
  }
  return { entries, details };
}

/** Serves the repository root, opens the bench page in `browser`, measures, cleans up. */
export async function benchVaeSpeed(browser) {
  const server = await serve(ROOT);
  let context;
  try {
    const opened = await openPage(browser, `${server.url}${PAGE}`);
    context = opened.context;
    const result = await vaeSpeed(opened.page);
    if (opened.problems.length) throw new Error(`the bench page logged problems: ${opened.problems.join('; ')} (requests: ${server.requests.join(', ')})`);
    const wasm = server.requests.filter((p) => p.endsWith('.wasm'));
    return { ...result, wasmRequests: wasm };
  } finally {
    await context?.close();
    await server.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const browser = await launch();
  try {
    const { entries, details, wasmRequests } = await benchVaeSpeed(browser);
    console.log(JSON.stringify({ details, wasmRequests }, null, 2));
    for (const e of entries) {
      console.log(`${e.name.padEnd(34)} ${String(e.value).padStart(9)} ${e.unit}   baseline ${e.baseline.name} ${e.baseline.value} (×${(e.value / e.baseline.value).toFixed(2)})`);
    }
    for (const e of entries) console.log(JSON.stringify(e));
  } finally {
    await browser.close();
  }
}
