// Size against training speed for other builds of the same wasm (issue 16: opt-level "s"/"z",
// cold crates only, wasm-opt -Oz vs -O3). Each variant is a folder target/bench-variants/<name>/
// holding a wasm-bindgen output (elbo_lab.js, elbo_lab_bg.wasm) built from the same source, e.g.
//
//   CARGO_TARGET_DIR=target/variants cargo build --release --target wasm32-unknown-unknown \
//     -p elbo-lab --config 'profile.release.opt-level="z"'
//   wasm-bindgen --target web --out-dir target/bench-variants/z-raw \
//     target/variants/wasm32-unknown-unknown/release/elbo_lab.wasm
//   wasm-opt -Oz target/bench-variants/z-raw/elbo_lab_bg.wasm -o target/bench-variants/z-Oz/elbo_lab_bg.wasm
//   (and elbo_lab.js copied beside it)
//
// In one headless Chromium and one run, every variant trains the bench page's two VAEs
// (tests/bench/vae-speed.js: digits 64-128-2, and 784-256-2) in a fresh worker, round-robin over
// the variants, ROUNDS rounds with the order rotated each round; a variant's figure is its best
// round's median examples/s (ROUNDS=n in the environment changes the rounds), reported with its gzip -9 size and its ratio to the first variant
// named (the baseline: the current build). Every run's loss must be finite and fall.
// Run: node tests/bench/wasm-variants.js o3-O3 o3-Oz s-O3 …   (names of folders; `make build` first)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { launch, openPage } from '../lib/browser.js';
import { serve } from '../lib/server.js';
import { PAGE, ROOT } from './vae-speed.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const MODELS = [
  { model: 'digits', warmup: 2, warmupMs: 1000, epochs: 10 },
  { model: '784', warmup: 2, warmupMs: 1000, epochs: 5 },
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const names = process.argv.slice(2);
if (!names.length) throw new Error('name the variant folders under target/bench-variants/ (the first is the baseline)');
const dir = (name) => `${ROOT}target/bench-variants/${name}/`;
for (const name of names) {
  if (!existsSync(`${dir(name)}elbo_lab_bg.wasm`) || !existsSync(`${dir(name)}elbo_lab.js`)) throw new Error(`${dir(name)} lacks the wasm or its JS`);
}
// Sizes as `gzip -9c elbo_lab_bg.wasm | wc -c` gives them (GNU gzip; Node's zlib differs by a few KB).
const size = Object.fromEntries(names.map((n) => [n, execFileSync('gzip', ['-9c', `${dir(n)}elbo_lab_bg.wasm`], { maxBuffer: 1 << 26 }).length]));

const browser = await launch();
const server = await serve(ROOT);
try {
  const { page, context, problems } = await openPage(browser, `${server.url}${PAGE}`);
  const rates = {}; // model → name → per-round medians
  for (let r = 0; r < ROUNDS; r += 1) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const { model, warmup, warmupMs, epochs } of MODELS) {
      for (const name of order) {
        const opts = { warmup, warmupMs, epochs, seed: 42 + r, batch: 64, pkg: `/target/bench-variants/${name}/elbo_lab.js` };
        const run = await page.evaluate(([m, o]) => window.runBench('ours', m, o), [model, opts]);
        const first = run.losses.at(-run.times.length);
        if (!run.losses.every(Number.isFinite) || !(run.losses.at(-1) < first)) throw new Error(`${name}/${model}: losses ${run.losses}`);
        ((rates[model] ??= {})[name] ??= []).push(median(run.times.map((ms) => run.n / (ms / 1000))));
        console.error(`round ${r + 1} ${model} ${name}: ${rates[model][name].at(-1).toFixed(0)} ex/s`);
      }
    }
  }
  if (problems.length) throw new Error(`the bench page logged problems: ${problems.join('; ')}`);
  await context.close();
  const base = names[0];
  console.log(`variant      wasm gzip (vs ${base})   ${MODELS.map((m) => `${m.model} ex/s best round (vs ${base}) [rounds]`).join('   ')}`);
  for (const name of names) {
    const cols = MODELS.map(({ model }) => {
      const best = Math.max(...rates[model][name]);
      const ratio = best / Math.max(...rates[model][base]);
      return `${best.toFixed(0).padStart(7)} (×${ratio.toFixed(3)}) [${rates[model][name].map((x) => x.toFixed(0)).join(', ')}]`;
    });
    console.log(`${name.padEnd(12)} ${String(size[name]).padStart(8)} (${size[name] - size[base] >= 0 ? '+' : ''}${size[name] - size[base]})   ${cols.join('   ')}`);
  }
} finally {
  await server.close();
  await browser.close();
}
