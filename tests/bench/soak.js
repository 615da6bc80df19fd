// `make soak`: the VAE trains in its Web Worker for SOAK_SECONDS (default 600) in headless
// Chromium (a new model whenever one reaches the 2,000-epoch limit) while the other widgets
// animate (the posterior's ELBO ascent and the mode-covering fits, restarted whenever they
// finish). Reports the wasm memory of the page and of the worker and the JS heap at the start
// (after a 30 s warm-up) and at the end, and the main thread's frame times (p50/p95 of
// requestAnimationFrame intervals) and long tasks (> 50 ms) after the warm-up. Writes
// target/bench/soak.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { serve } from '../lib/server.js';
import { launch, openPage } from '../lib/browser.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const WARM_UP = Math.min(30, SECONDS / 4);
const OUT = new URL('../../target/bench/', import.meta.url);

/** Memory figures now: page wasm, worker wasm, JS heap (CDP, after a garbage collection). */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(async () => {
    const { memoryBytes } = await import('./lib/lab.js');
    return { page: memoryBytes(), worker: window.elboLab.widgets.vae.stats().workerMemoryBytes };
  });
  return { pageWasmMB: wasm.page / 2 ** 20, workerWasmMB: wasm.worker / 2 ** 20, jsHeapMB: usedSize / 2 ** 20 };
}

const server = await serve();
const browser = await launch();
try {
  const { page, problems } = await openPage(browser, server.url);
  const cdp = await page.context().newCDPSession(page);
  // Train for longer than the run, from the widget's own controls.
  await page.locator('[data-widget="vae"]').evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 30000 });
  await page.fill('[data-widget="vae"] [data-input="target"]', '2000');
  await page.locator('[data-widget="vae"] [data-input="target"]').dispatchEvent('change');
  await page.click('[data-widget="vae"] [data-action="train"]');
  // Animate the other widgets and record frame intervals on the main thread.
  await page.evaluate(() => {
    window.soak = { frames: [], last: performance.now(), longTasks: [] };
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.soak.longTasks.push(e.duration); })
      .observe({ type: 'longtask' });
    const tick = (now) => {
      window.soak.frames.push(now - window.soak.last);
      window.soak.last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const press = (selector) => document.querySelector(selector)?.click();
    window.soak.restarts = 0;
    window.soak.timer = setInterval(() => {
      // The trainer stops at its 2,000-epoch limit (about half a minute here): start a new model.
      const vae = window.elboLab.widgets.vae.stats();
      if (!vae.running) {
        window.soak.epochsBefore = (window.soak.epochsBefore ?? 0) + vae.epoch;
        window.soak.restarts += 1;
        press('[data-widget="vae"] [data-action="reset"]');
        setTimeout(() => press('[data-widget="vae"] [data-action="train"]'), 300);
      }
      const play = document.querySelector('[data-widget="posterior"] [data-action="play"]');
      if (play?.getAttribute('aria-pressed') !== 'true') { press('[data-widget="posterior"] [data-action="reset"]'); play?.click(); }
      const fits = [...document.querySelectorAll('[data-widget="kl-fit"] button')].filter((b) => /fit by/i.test(b.textContent));
      fits[Math.floor(performance.now() / 5000) % Math.max(1, fits.length)]?.click();
    }, 2500);
  });
  await page.waitForTimeout(WARM_UP * 1000);
  const trained = () => page.evaluate(() => (window.soak.epochsBefore ?? 0) + window.elboLab.widgets.vae.stats().epoch);
  const start = { ...(await memory(page, cdp)), epochsTrained: await trained() };
  await page.evaluate(() => { window.soak.frames = []; window.soak.longTasks = []; });
  await page.waitForTimeout((SECONDS - WARM_UP) * 1000);
  const frames = await page.evaluate(() => window.soak.frames.slice(1));
  const longTasks = await page.evaluate(() => window.soak.longTasks);
  const end = { ...(await memory(page, cdp)), epochsTrained: await trained() };
  const restarts = await page.evaluate(() => window.soak.restarts);
  frames.sort((a, b) => a - b);
  const pct = (q) => frames[Math.min(frames.length - 1, Math.floor(q * frames.length))];
  const result = {
    seconds: SECONDS,
    warmUpSeconds: WARM_UP,
    start,
    end,
    modelsTrained: restarts + 1,
    frames: frames.length,
    frameMsP50: pct(0.5),
    frameMsP95: pct(0.95),
    frameMsMax: frames[frames.length - 1],
    longTasks: longTasks.length,
    longTaskMsTotal: longTasks.reduce((a, b) => a + b, 0),
    problems,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(new URL('soak.json', OUT), `${JSON.stringify(result, null, 2)}\n`);
  if (problems.length) process.exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
