// The end-to-end harness shared by the chapter tests: one static server and one Chromium per
// test file, a fresh browser context per test, and the checks every test ends with.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, WWW } from './server.js';
import { launch, openPage } from './browser.js';
import { screenText } from './page-probes.js';

/** Where screenshots go (git-ignored). */
export const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** A number as the page must show it: `digits` decimals, U+2212 for minus, ±∞, never "−0.000". */
export function fmt(x, digits = 3) {
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  const s = x.toFixed(digits);
  return /^-[0.]*$/.test(s) ? s.slice(1) : s.replace(/^-/, '−');
}

export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export const widget = (page, id) => page.locator(`[data-widget="${id}"]`);
export const readout = async (page, name) => (await page.locator(`[data-out="${name}"]`).textContent()).trim();

/**
 * Scrolls `locator` into view and returns its bounding box, for mouse work. The page scrolls
 * smoothly unless reduced motion is asked for, so ask for it: the box must not move while the
 * mouse is used.
 */
export async function boxInView(page, locator) {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await locator.scrollIntoViewIfNeeded();
  return locator.boundingBox();
}

/**
 * Pixel statistics of every canvas matching `selector` (in the document and in open shadow
 * roots), read from a copy (repeated getImageData on the page's own canvas makes Chromium
 * warn "willReadFrequently", which would count as a console problem): sizes, non-white pixels,
 * hits per `palette` colour, the number of distinct colours, and a hash to tell redraws apart.
 */
export function canvasStats(page, selector, palette = {}) {
  return page.evaluate(({ selector, palette }) => {
    const canvases = []; // in the document and in every open shadow root (embedded widgets)
    const walk = (root) => {
      canvases.push(...root.querySelectorAll(selector));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return canvases.map((c) => {
      const copy = document.createElement('canvas');
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(c, 0, 0);
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const colours = Object.fromEntries(Object.keys(palette).map((k) => [k, 0]));
      const distinct = new Set();
      let ink = 0;
      let hash = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
        hash = (Math.imul(hash, 31) + r * 65536 + g * 256 + b + a) | 0;
        if (a === 0 || (r > 245 && g > 245 && b > 245)) continue;
        ink += 1;
        distinct.add((r >> 3) * 1024 + (g >> 3) * 32 + (b >> 3));
        for (const [k, [pr, pg, pb]] of Object.entries(palette)) {
          if (Math.abs(r - pr) + Math.abs(g - pg) + Math.abs(b - pb) < 30) colours[k] += 1;
        }
      }
      return {
        width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight,
        pixels: c.width * c.height, ink, colours, distinct: distinct.size, hash,
      };
    });
  }, { selector, palette });
}

/**
 * The per-file harness: `start`/`stop` for before/after, and `withChapter(fn, options)`, which
 * opens the chapter in a fresh context (options: viewport, deviceScaleFactor, path — relative
 * to the server root, e.g. '?lang=zh', default the root itself — and any other context option
 * such as reducedMotion), runs `fn(session)`, then asserts the page stayed clean
 * — no console errors or warnings, no failed request, nothing fetched from another origin, no
 * "NaN" in the text or in aria/data-value attributes — and closes the context.
 */
export function chapterHarness() {
  let server;
  let browser;

  async function start() {
    assert.ok(existsSync(`${WWW}pkg/elbo_lab_bg.wasm`) && existsSync(`${WWW}vendor/katex/katex.mjs`),
      'www/pkg or www/vendor is missing: run `make build` first');
    mkdirSync(RESULTS, { recursive: true });
    server = await serve();
    browser = await launch();
  }

  async function stop() {
    await browser?.close();
    await server?.close();
  }

  async function openChapter({ viewport, deviceScaleFactor, path = '', ...extra } = {}) {
    const requests = [];
    const failures = [];
    const serverLogStart = server.requests.length;
    const tracking = {
      newContext: async (opts) => {
        const context = await browser.newContext({ ...opts, ...extra });
        context.on('request', (r) => requests.push(r.url()));
        context.on('requestfailed', (r) => {
          // The digits are fetched after load, when the browser is idle: a test that navigates
          // away before they arrive cuts that fetch off, as a reader's click would. Only that
          // cancellation is not a failure; any other failed request, or that one failing
          // otherwise, is.
          const cancelledDigits = new URL(r.url()).pathname.endsWith('/data/digits.bin') && r.failure()?.errorText === 'net::ERR_ABORTED';
          if (!cancelledDigits) failures.push(`${r.url()}: ${r.failure()?.errorText}`);
        });
        context.on('response', (r) => { if (r.status() >= 400) failures.push(`${r.url()}: HTTP ${r.status()}`); });
        return context;
      },
    };
    const sized = viewport ? { viewport, deviceScaleFactor } : {};
    const session = await openPage(tracking, new URL(path, server.url).href, sized);
    return { ...session, requests, failures, serverLogStart, server };
  }

  async function assertClean(s) {
    assert.deepEqual(s.problems, [], 'console errors/warnings or page errors');
    assert.deepEqual(s.failures, [], 'failed requests or HTTP errors');
    const origin = new URL(server.url).origin;
    assert.deepEqual(s.requests.filter((u) => !u.startsWith(`${origin}/`)), [], `requests outside ${origin}`);
    // A message may quote the reader's own input back in “…” (“NaN” is not a probability).
    const text = (await s.page.evaluate(screenText)).replace(/“[^”]{0,40}”/g, '“…”');
    const nan = await s.page.evaluate(() => {
      const attrs = ['aria-label', 'aria-valuenow', 'aria-valuetext', 'data-value'];
      const found = [];
      for (const el of document.querySelectorAll(attrs.map((a) => `[${a}]`).join(', '))) {
        for (const a of attrs) if (el.getAttribute(a)?.includes('NaN')) found.push(`${el.tagName}[${a}]`);
      }
      return found;
    });
    if (text.includes('NaN')) nan.unshift('body text');
    assert.deepEqual(nan, [], '"NaN" shown on the page');
  }

  async function withChapter(fn, options) {
    const s = await openChapter(options);
    try {
      await fn(s);
      await assertClean(s);
    } catch (err) {
      if (s.problems.length && err instanceof Error) err.message += `\npage problems:\n  ${s.problems.join('\n  ')}`;
      throw err;
    } finally {
      await s.context.close();
    }
  }

  /**
   * One chapter page shared by the tests of a describe block, for the cost of one load: call it
   * inside the block (after `before(start)` of the enclosing block); it opens the page before the
   * block's first test and closes it after the last. `shared(fn)` wraps a test body: `fn(session)`
   * runs on the shared page, then the same checks as withChapter (no console error, no failed or
   * outside request, no NaN shown). The tests run in order, each on the state the ones before it
   * left: a test that needs a widget's opening state comes before any test that edits it, or
   * restores it first.
   */
  function sharedChapter(options) {
    let s = null;
    before(async () => { s = await openChapter(options); });
    after(async () => { await s?.context.close(); });
    return (fn) => async () => {
      try {
        await fn(s);
        await assertClean(s);
      } catch (err) {
        if (s?.problems.length && err instanceof Error) err.message += `\npage problems:\n  ${s.problems.join('\n  ')}`;
        if (s) { s.problems.length = 0; s.failures.length = 0; } // reported here, not again by the next test
        throw err;
      }
    };
  }

  return { start, stop, withChapter, sharedChapter, server: () => server };
}

/**
 * Saves a PNG of the whole page, or of `locator`'s box, through the DevTools protocol.
 * (Playwright's own screenshot may inject a <style> to hide the caret, which the page's
 * Content-Security-Policy reports as a console error.)
 */
export async function screenshot(page, path, locator = null) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { cssContentSize } = await cdp.send('Page.getLayoutMetrics');
    let clip = { x: 0, y: 0, width: cssContentSize.width, height: cssContentSize.height, scale: 1 };
    if (locator) {
      const box = await locator.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
      });
      clip = { ...box, scale: 1 };
    }
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip });
    writeFileSync(path, Buffer.from(data, 'base64'));
  } finally {
    await cdp.detach();
  }
}
