// `make bench`: widget update times in headless Chromium and wasm size, merged with the native
// figures (target/bench/native.json) and the wasm matrix products (target/bench/wasm.json) into
// target/bench/results.json. Every speed figure sits beside a baseline measured in the same run.
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { serve } from '../lib/server.js';
import { launch, openPage } from '../lib/browser.js';
import { benchVaeSpeed } from './vae-speed.js';
import { benchBetaSweep } from './beta-sweep.js';
import { benchFrames, serveWithBlank } from './frames.js';
import { benchWeight } from './weight.js';
import { benchVi2d } from './vi2d.js';
import { jensenEdit, mutualEdit } from './edits.js';

const OUT = new URL('../../target/bench/', import.meta.url);
const EDITS = 400;

/**
 * In the page: p50/p95 of one edit → recompute → redraw of the entropy widget (a keydown on a
 * focused bar, handled synchronously), and of a baseline doing the cheapest equivalent work by
 * hand: entropy in plain JS and the bars redrawn with Canvas 2D fillRect.
 */
async function entropyEdit(page, n) {
  if (n) {
    await page.fill('[data-widget="entropy"] input[type="number"]:not([data-index])', String(n));
    await page.click('[data-widget="entropy"] [data-preset="uniform"]');
  }
  return page.evaluate(async (edits) => {
    const pct = window.benchPercentile;
    const handle = document.querySelector('[data-widget="entropy"] .handle[data-index="0"]');
    const times = await window.benchKeyEdits(handle, edits);
    const canvas = document.querySelector('[data-widget="entropy"] canvas');
    const scratch = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
    document.body.append(scratch);
    const ctx = scratch.getContext('2d');
    const p = Array.from(document.querySelectorAll('[data-widget="entropy"] .handle'), (el) => Number(el.getAttribute('aria-valuenow')));
    const base = [];
    let sink = 0; // keeps the entropy computation alive
    const REPEAT = 200; // the baseline is below the timer's 0.1 ms resolution: time 200 at once
    for (let i = 0; i < edits / 8; i += 1) {
      const t0 = performance.now();
      for (let r = 0; r < REPEAT; r += 1) {
        const q = p.map((x, j) => (j === 0 ? Math.min(1, x + (r % 2) * 0.01) : x));
        const s = q.reduce((a, b) => a + b, 0);
        for (const x of q) if (x > 0) sink -= (x / s) * Math.log2(x / s);
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, scratch.width, scratch.height);
        ctx.fillStyle = '#2563eb';
        q.forEach((x, j) => ctx.fillRect(j * scratch.width / q.length, scratch.height * (1 - x / s), scratch.width / q.length * 0.8, scratch.height * x / s));
      }
      base.push((performance.now() - t0) / REPEAT);
    }
    scratch.remove();
    if (!Number.isFinite(sink)) throw new Error('baseline entropy is not finite');
    return { p50: pct(times, 0.5), p95: pct(times, 0.95), base50: pct(base, 0.5), base95: pct(base, 0.95), n: p.length };
  }, EDITS);
}

/** In the page: p95 of one slider input → recompute → redraw of the information widget. */
async function informationEdit(page) {
  return page.evaluate((edits) => {
    const pct = window.benchPercentile;
    const slider = document.querySelector('[data-widget="information"] input[type="range"]');
    const times = [];
    for (let i = 0; i < edits; i += 1) {
      slider.value = String(0.05 + (i % 90) / 100);
      const t0 = performance.now();
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      times.push(performance.now() - t0);
    }
    // Baseline: the same curve computed in plain JS and stroked with Canvas 2D (timed 200 at once).
    const canvas = document.querySelector('[data-widget="information"] canvas');
    const scratch = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
    const ctx = scratch.getContext('2d');
    const base = [];
    for (let i = 0; i < edits / 8; i += 1) {
      const t0 = performance.now();
      for (let r = 0; r < 200; r += 1) {
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, scratch.width, scratch.height);
        ctx.beginPath();
        for (let k = 0; k <= 400; k += 1) {
          const q = 0.001 ** (1 - k / 400);
          ctx.lineTo(q * scratch.width, scratch.height * (1 + Math.log2(q) / 10));
        }
        ctx.stroke();
      }
      base.push((performance.now() - t0) / 200);
    }
    return { p50: pct(times, 0.5), p95: pct(times, 0.95), base95: pct(base, 0.95) };
  }, EDITS);
}

/**
 * In the page: p50/p95 of one edit of the KL playground with `n` outcomes (a keydown on a bar
 * of p: recompute every divergence, redraw four charts), mounted fresh with random p and q.
 */
async function klDiscreteEdit(page, n) {
  return page.evaluate(async ({ edits, n }) => {
    const pct = window.benchPercentile;
    const { mount } = await import('./widgets/kl-discrete.js');
    const random = () => { const w = Array.from({ length: n }, () => 0.2 + Math.random()); const s = w.reduce((a, b) => a + b, 0); return w.map((x) => x / s); };
    const root = Object.assign(document.createElement('div'), { className: 'widget' });
    document.querySelector('main').append(root);
    const widget = mount(root, { p: random(), q: random() });
    const handle = root.querySelector('.handle[data-index="0"]');
    const times = await window.benchKeyEdits(handle, edits);
    widget.destroy();
    root.remove();
    return { p50: pct(times, 0.5), p95: pct(times, 0.95) };
  }, { edits: EDITS, n });
}

/**
 * In the page: p50/p95 of one update of the mode-covering widget: moving q (slider μ: both
 * KLs by quadrature, density chart and both overlays) and moving a mode of p (slider
 * "centre": new landscapes, new optima, everything redrawn).
 */
async function klFitEdit(page) {
  return page.evaluate(async (edits) => {
    const pct = window.benchPercentile;
    const sliders = document.querySelectorAll('[data-widget="kl-fit"] input[type="range"]');
    const [centre, , , mu] = sliders;
    const time = async (input, value) => {
      const times = [];
      for (let i = 0; i < edits / 4; i += 1) {
        input.value = String(value(i));
        const t0 = performance.now();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        times.push(performance.now() - t0);
        if (i % 20 === 0) await new Promise(requestAnimationFrame);
      }
      return times;
    };
    const q = await time(mu, (i) => -2 + (i % 40) / 10);
    const p = await time(centre, (i) => -3.5 + (i % 20) / 10);
    return { q50: pct(q, 0.5), q95: pct(q, 0.95), p50: pct(p, 0.5), p95: pct(p, 0.95) };
  }, EDITS);
}

/**
 * In the page: p50/p95 of one optimisation step + redraw of the posterior widget (a click on
 * Step: one Adam step with the exact gradient by quadrature, the densities, gap bar and ELBO
 * trace redrawn, and the derivation widget's live values updated).
 */
async function posteriorStep(page) {
  return page.evaluate(async (edits) => {
    const pct = window.benchPercentile;
    const button = document.querySelector('[data-widget="posterior"] [data-action="step"]');
    const reset = document.querySelector('[data-widget="posterior"] [data-action="reset"]');
    const times = [];
    for (let i = 0; i < edits / 2; i += 1) {
      if (i % 50 === 0) { reset.click(); await new Promise(requestAnimationFrame); }
      const t0 = performance.now();
      button.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      times.push(performance.now() - t0);
    }
    return { p50: pct(times, 0.5), p95: pct(times, 0.95) };
  }, EDITS);
}

/**
 * BENCH_ONLY=a,b,… runs only those groups (and writes target/bench/results-only.json, leaving
 * results.json alone): entropy, kl, kl-fit, information, posterior, jensen, mutual-information,
 * vi-2d, vae-speed, beta-sweep, frames, weight, wasm-size.
 */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : null;
const want = (group) => !ONLY || ONLY.has(group);

const server = await serveWithBlank();
const browser = await launch();
const results = [];
const add = (name, value, unit, baseline = null) => results.push({
  name, value: Number.isInteger(value) ? value : Number(value.toPrecision(4)), unit, baseline,
});
try {
  const { page, problems } = await openPage(browser, server.url);
  // The q-quantile of a list of times, installed once in the page for every measurement below…
  // And the time of each of `edits` synchronous keydown edits on a focused bar handle
  // (ten up, ten down, …), yielding a frame every 50 edits.
  await page.evaluate(() => {
    window.benchPercentile = (xs, q) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    };
    window.benchKeyEdits = async (handle, edits) => {
      handle.focus();
      const times = [];
      for (let i = 0; i < edits; i += 1) {
        const key = i % 20 < 10 ? 'ArrowUp' : 'ArrowDown';
        const t0 = performance.now();
        handle.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
        times.push(performance.now() - t0);
        if (i % 50 === 0) await new Promise(requestAnimationFrame);
      }
      return times;
    };
  });
  for (const n of want('entropy') ? [0, 16] : []) {
    const r = await entropyEdit(page, n);
    const base = { name: `plain JS entropy + Canvas2D fillRect bars, ${r.n} outcomes`, value: Number(r.base95.toPrecision(4)) };
    add(`browser: entropy widget edit→recompute→redraw p95, ${r.n} outcomes`, r.p95, 'ms', base);
    add(`browser: entropy widget edit→recompute→redraw p50, ${r.n} outcomes`, r.p50, 'ms',
      { name: base.name.replace('fillRect', 'fillRect (p50)'), value: Number(r.base50.toPrecision(4)) });
  }
  if (want('kl')) {
    const kl = await klDiscreteEdit(page, 20);
    const kl4 = await klDiscreteEdit(page, 4);
    add('browser: KL playground edit→recompute→redraw p95, 20 outcomes', kl.p95, 'ms',
      { name: 'the same, 4 outcomes', value: Number(kl4.p95.toPrecision(4)) });
    add('browser: KL playground edit→recompute→redraw p50, 20 outcomes', kl.p50, 'ms',
      { name: 'the same, 4 outcomes (p50)', value: Number(kl4.p50.toPrecision(4)) });
  }
  // The baseline of the widgets below: the information widget's plain-JS curve (always measured).
  const info = await informationEdit(page);
  const curve = { name: 'plain JS curve stroked with Canvas2D', value: Number(info.base95.toPrecision(4)) };
  if (want('kl-fit')) {
    const fit = await klFitEdit(page);
    add('browser: mode-covering widget, move q → redraw p95', fit.q95, 'ms', curve);
    add('browser: mode-covering widget, move a mode of p → landscapes + optima + redraw p95', fit.p95, 'ms',
      { name: 'move q (p50)', value: Number(fit.q50.toPrecision(4)) });
  }
  if (want('information')) add('browser: information widget slider→recompute→redraw p95', info.p95, 'ms', curve);
  if (want('posterior')) {
    const post = await posteriorStep(page);
    add('browser: posterior widget, one Adam step + redraw p95', post.p95, 'ms', curve);
    add('browser: posterior widget, one Adam step + redraw p50', post.p50, 'ms', curve);
  }
  if (want('mutual-information')) {
    const mi = await mutualEdit(page, EDITS);
    add('browser: mutual-information widget, edit a cell → jointReport + KL + redraw p95', mi.cell95, 'ms', curve);
    add('browser: mutual-information widget, edit a cell → jointReport + KL + redraw p50', mi.cell50, 'ms', curve);
    add('browser: mutual-information widget, move ε → recompute + redraw p95', mi.eps95, 'ms', curve);
  }
  if (want('jensen')) {
    const jensen = await jensenEdit(page, EDITS);
    add('browser: jensen widget, move q → log weights + IWAE bounds + redraw p95', jensen.q95, 'ms', curve);
    add('browser: jensen widget, move q → log weights + IWAE bounds + redraw p50', jensen.q50, 'ms', curve);
    add('browser: jensen widget, move K → recompute + redraw p95', jensen.k95, 'ms', curve);
    add('browser: jensen widget, move λ → chord redraw p95', jensen.lam95, 'ms', curve);
  }
  // 3.5's vi-2d widget at full speed and throttled 4× (beside BENCH_BEFORE_WWW's build if given): tests/bench/vi2d.js.
  if (want('vi-2d')) {
    const beforeRoot = process.env.BENCH_BEFORE_WWW ?? null;
    const before = beforeRoot && await serveWithBlank(beforeRoot);
    try {
      results.push(...await benchVi2d(browser, { after: server.url, before: before?.url }, { beforeRoot }));
    } finally {
      await before?.close();
    }
  }
  // VAE training examples/s, ours vs TensorFlow.js (wasm) in the same browser: tests/bench/vae-speed.js.
  if (want('vae-speed')) results.push(...(await benchVaeSpeed(browser)).entries);
  // 4.3's β sweep, 1 worker vs one per core, and the frames meanwhile: tests/bench/beta-sweep.js.
  if (want('beta-sweep')) results.push(...(await benchBetaSweep(browser, server.url)).entries);
  // What a reader feels, at full speed and throttled 4×: tests/bench/frames.js.
  if (want('frames')) results.push(...await benchFrames(browser, server.url));
  // The first load's weight, beside a build of main if BENCH_BEFORE_WWW names one: tests/bench/weight.js.
  if (want('weight')) results.push(...(await benchWeight(browser, undefined, process.env.BENCH_BEFORE_WWW ?? null)).entries);
  if (problems.length) throw new Error(`the page logged problems: ${problems.join('; ')}`);
} finally {
  await browser.close();
  await server.close();
}

if (want('wasm-size')) {
  const wasm = readFileSync(new URL('../../www/pkg/elbo_lab_bg.wasm', import.meta.url));
  const unoptPath = new URL('unoptimised/elbo_lab_bg.wasm', OUT);
  const unopt = existsSync(unoptPath) ? readFileSync(unoptPath) : null;
  add('wasm size, raw (wasm-opt -O3)', wasm.length, 'bytes', unopt && { name: 'before wasm-opt', value: unopt.length });
  add('wasm size, gzip -9 (wasm-opt -O3)', gzipSync(wasm, { level: 9 }).length, 'bytes',
    unopt && { name: 'before wasm-opt, gzip -9', value: gzipSync(unopt, { level: 9 }).length });
}

if (!ONLY) {
  const nativePath = new URL('native.json', OUT);
  if (existsSync(nativePath)) results.push(...JSON.parse(readFileSync(nativePath, 'utf8')));
  // The training step's matrix products in wasm (crate/tests/wasm_matmul.rs, run by `make bench`).
  const wasmPath = new URL('wasm.json', OUT);
  if (existsSync(wasmPath)) results.push(...JSON.parse(readFileSync(wasmPath, 'utf8')));
}
const written = new URL(ONLY ? 'results-only.json' : 'results.json', OUT);
mkdirSync(OUT, { recursive: true });
writeFileSync(written, `${JSON.stringify(results, null, 2)}\n`);

console.log('\nbenchmark                                                         value        baseline');
for (const r of results) {
  const b = r.baseline ? `${r.baseline.value} ${r.unit}  (${r.baseline.name}; ×${(r.value / r.baseline.value).toFixed(2)})` : '—';
  console.log(`${r.name.padEnd(64)} ${String(r.value).padStart(10)} ${r.unit.padEnd(5)} ${b}`);
}
console.log(`\nwrote ${written.pathname}`);
