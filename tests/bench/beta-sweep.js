// The β sweep of 4.3 in headless Chromium (www/lib/beta-sweep.js): 8 models (β = 0.1 … 8) ×
// BETA_SWEEP_EPOCHS epochs (default 200) on the digits, trained by one Web Worker and then by one
// worker per core (navigator.hardwareConcurrency), in the same page and the same run:
//   beta_sweep_seconds_1_worker, beta_sweep_seconds (all cores; baseline: 1 worker),
//   beta_sweep_speedup = the ratio (baseline: 1, one worker), and the main thread's
//   requestAnimationFrame intervals while the all-core sweep runs, beta_sweep_frame_p50_ms and
//   _p95_ms, beside the same page's idle rAF intervals measured just before.
// Both sweeps must give the same models (the sweep is deterministic for a seed).
// `node tests/bench/beta-sweep.js` prints the figures; `make bench` (tests/bench/run.js) adds them
// to target/bench/results.json through `benchBetaSweep(browser, url)`.
import { fileURLToPath } from 'node:url';
import { serve } from '../lib/server.js';
import { launch, openPage } from '../lib/browser.js';
import { percentile as pct, rafDeltas } from './frame-measures.js';
import { BETAS } from '../../www/lib/sweep-choices.js';

const EPOCHS = Number(process.env.BETA_SWEEP_EPOCHS ?? 200);
const IDLE_MS = 3000;

/** In the page: times one sweep with `workers` workers, with rAF deltas while it runs. */
function sweepInPage([workers, epochs]) {
  return (async () => {
    const { runSweep } = await import('./lib/beta-sweep.js');
    const { wasmModule } = await import('./lib/lab.js');
    const digits = await (await fetch('./data/digits.bin')).arrayBuffer();
    const module = await wasmModule();
    const deltas = [];
    let running = true;
    let last = null;
    const tick = (now) => {
      if (last !== null) deltas.push(now - last);
      last = now;
      if (running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    const results = await runSweep({ module, digits, epochs, seed: 1, workers }).done;
    const seconds = (performance.now() - t0) / 1000;
    running = false;
    return { seconds, deltas, results: results.map((r) => [r.beta, r.distortion, r.rate]) };
  })();
}

const round = (x) => Number(x.toPrecision(4));

/** Runs the measurements; resolves to { entries (results.json shape), details }. */
export async function benchBetaSweep(browser, url) {
  const { page, context, problems } = await openPage(browser, url);
  try {
    const cores = await page.evaluate(() => Math.max(1, navigator.hardwareConcurrency || 1));
    const idle = await page.evaluate(rafDeltas, IDLE_MS);
    const one = await page.evaluate(sweepInPage, [1, EPOCHS]);
    const all = await page.evaluate(sweepInPage, [cores, EPOCHS]);
    if (JSON.stringify(one.results) !== JSON.stringify(all.results)) throw new Error('the sweep differs between 1 and all workers');
    if (problems.length) throw new Error(`the page logged problems: ${problems.join('; ')}`);
    const label = `${EPOCHS} epochs × ${BETAS.length} models, digits`;
    const entries = [
      { name: 'beta_sweep_seconds_1_worker', value: round(one.seconds), unit: 's', baseline: null },
      { name: 'beta_sweep_seconds', value: round(all.seconds), unit: 's', baseline: { name: `1 worker (${label}; ${cores} workers here)`, value: round(one.seconds) } },
      { name: 'beta_sweep_speedup', value: round(one.seconds / all.seconds), unit: '×', baseline: { name: 'one worker', value: 1 } },
      { name: 'beta_sweep_frame_p95_ms', value: round(pct(all.deltas, 0.95)), unit: 'ms', baseline: { name: 'the same page idle, p95', value: round(pct(idle, 0.95)) } },
      { name: 'beta_sweep_frame_p50_ms', value: round(pct(all.deltas, 0.5)), unit: 'ms', baseline: { name: 'the same page idle, p50', value: round(pct(idle, 0.5)) } },
    ];
    return { entries, details: { cores, epochs: EPOCHS, frames: all.deltas.length, models: all.results } };
  } finally {
    await context.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve();
  const browser = await launch();
  try {
    const { entries, details } = await benchBetaSweep(browser, server.url);
    for (const e of entries) console.log(`${e.name.padEnd(32)} ${String(e.value).padStart(9)} ${e.unit}  ${e.baseline ? `(${e.baseline.name}: ${e.baseline.value})` : ''}`);
    console.log(JSON.stringify(details));
  } finally {
    await browser.close();
    await server.close();
  }
}
