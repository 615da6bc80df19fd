// `make bench`: the page's weight on a first visit. "First load" = every file the chapter
// requests from navigation until it is interactive (html[data-ready]), its load event has
// fired and the network has been quiet for QUIET ms, with the reader not scrolling and the
// cache empty — except the files the page defers on purpose until it is loaded and the browser
// is idle, which are counted apart: those first requested after the chapter's performance mark
// "elbo-lab:rest" (set once the first screen's widgets are mounted, the load event has fired and
// the browser is idle: www/main.js), and the VAE's digits (DEFERRED) if their fetch started after
// both the load event and data-ready (else they count in the first load). Each path
// is counted once (the worker's second request for pkg/elbo_lab.js is a cache hit on a static
// host that sends Last-Modified). Sizes are the files' raw bytes and their gzip -9 sizes (what
// a static host compressing text sends; woff2 is already compressed and counted as it is).
// Run alone: node tests/bench/weight.js [?lang=zh]  (BENCH_WWW=/path/to/www weighs another build).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve, WWW } from '../lib/server.js';
import { launch } from '../lib/browser.js';

const QUIET = 1500; // ms of no new request that ends the first load
const IDLE = 4000; // ms more, still without scrolling, for the deferred files
const DEFERRED = ['/data/digits.bin'];
const PRECOMPRESSED = /\.(woff2?|png|jpe?g|gz)$/;

/** { path, raw, gzip } of one served file. */
function weigh(root, path) {
  const body = readFileSync(join(root, path.endsWith('/') ? `${path}index.html` : path));
  return { path, raw: body.length, gzip: PRECOMPRESSED.test(path) ? body.length : gzipSync(body, { level: 9 }).length };
}

/** Waits until `requests` has not grown for `ms`. */
async function quiet(requests, ms) {
  let n = -1;
  while (n !== requests.length) {
    n = requests.length;
    await new Promise((r) => setTimeout(r, ms));
  }
}

/** Loads the chapter once in a fresh context; returns the first-load and after-idle lists. */
export async function weighFirstLoad(browser, root = WWW, query = '') {
  const server = await serve(root);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.documentElement.dataset.ready === 'true') { window.__readyAt = performance.now(); obs.disconnect(); }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
    });
    const asked = new Map(); // path → wall-clock time of its first request (workers' too)
    context.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (!asked.has(path)) asked.set(path, Date.now());
    });
    await page.goto(`${server.url}${query}`, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
    await quiet(server.requests, QUIET);
    await page.waitForTimeout(IDLE);
    const all = [...new Set(server.requests)].filter((p) => !p.startsWith('/favicon'));
    const { digits, rest } = await page.evaluate((deferred) => {
      const loaded = Math.max(performance.getEntriesByType('navigation')[0].loadEventEnd, window.__readyAt);
      const mark = performance.getEntriesByName('elbo-lab:rest')[0];
      return {
        digits: performance.getEntriesByType('resource')
          .filter((e) => deferred.includes(new URL(e.name).pathname) && e.startTime > loaded).map((e) => new URL(e.name).pathname),
        rest: mark ? performance.timeOrigin + mark.startTime : Infinity,
      };
    }, DEFERRED);
    const late = [...new Set([...digits, ...[...asked].filter(([, at]) => at > rest).map(([path]) => path)])];
    await context.close();
    return { first: all.filter((p) => !late.includes(p)).map((p) => weigh(root, p)), later: late.map((p) => weigh(root, p)) };
  } finally {
    await server.close();
  }
}

const total = (items, key) => items.reduce((s, x) => s + x[key], 0);
const largest = (items) => [...items].sort((a, b) => b.gzip - a.gzip).slice(0, 5).map((x) => `${x.path} ${(x.gzip / 1024).toFixed(1)} KB`).join(', ');

/** results.json entries for the first load of `root`, beside `before` (another build), if given. */
export async function benchWeight(browser, root = WWW, before = null) {
  const now = await weighFirstLoad(browser, root);
  const then = before && await weighFirstLoad(browser, before);
  const entry = (name, value, unit, base, extra) => ({ name, value, unit, baseline: base, ...extra });
  const e = [
    entry('first_load_requests', now.first.length, 'count', then && { name: 'before (main)', value: then.first.length }),
    entry('first_load_bytes', total(now.first, 'raw'), 'bytes', then && { name: 'before (main)', value: total(then.first, 'raw') }),
    entry('first_load_bytes_compressed', total(now.first, 'gzip'), 'bytes', then && { name: 'before (main)', value: total(then.first, 'gzip') },
      { largest: largest(now.first), ...(then && { largest_before: largest(then.first) }) }),
    entry('deferred_after_load_bytes_compressed', total(now.later, 'gzip'), 'bytes', then && { name: 'before (main)', value: total(then.later, 'gzip') },
      { items: now.later.map((x) => x.path).join(', ') }),
  ];
  return { entries: e, now, then };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const browser = await launch();
  try {
    const now = await weighFirstLoad(browser, process.env.BENCH_WWW ?? WWW, process.argv[2] ?? '');
    for (const x of [...now.first].sort((a, b) => b.gzip - a.gzip)) console.log(`${x.path.padEnd(48)} ${String(x.raw).padStart(8)} ${String(x.gzip).padStart(8)}`);
    console.log(`first load: ${now.first.length} requests, ${total(now.first, 'raw')} B raw, ${total(now.first, 'gzip')} B gzip -9`);
    console.log(`deferred after load: ${now.later.map((x) => x.path).join(', ') || 'nothing'} (${total(now.later, 'gzip')} B gzip -9)`);
  } finally {
    await browser.close();
  }
}
