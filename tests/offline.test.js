// Offline use and hostile URLs: the widgets keep working with the network gone; every request
// the page makes is to its own origin; and no URL parameter or fragment can run script, break
// the page or keep the widgets from rendering (index.html and embed.html).
// Run: node --test tests/offline.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { canvasStats, chapterHarness, widget } from './lib/chapter.js';
import { WWW } from './lib/server.js';
import { CHAPTER_HOSTILE, HOSTILE, TRAP } from './lib/hostile.js';

const { start, stop, withChapter, server } = chapterHarness();

/** What the KL widget shows: every readout and a hash of every chart. */
async function klState(page) {
  const outs = await widget(page, 'kl-discrete').locator('output[data-out]').allTextContents();
  const charts = (await canvasStats(page, '[data-widget="kl-discrete"] canvas')).map((c) => c.hash);
  return JSON.stringify({ outs, charts });
}

/** Waits for the VAE worker (its Start button is enabled once the model is ready). */
async function vaeReady(page) {
  await page.locator('#vae').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]')?.disabled, null, { timeout: 30000 });
}

/** Ink (non-white, non-transparent pixels) of every matching canvas, shadow roots included. */
const inkOf = async (page, selector) => (await canvasStats(page, selector)).map((c) => c.ink);

/** Elements matching `selector` in the document and in open shadow roots. */
function countDeep(page, selector) {
  return page.evaluate((selector) => {
    let n = 0;
    const walk = (root) => {
      n += root.querySelectorAll(selector).length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
    };
    walk(document);
    return n;
  }, selector);
}

/** Loads `path` and checks nothing from it ran, the page is clean, and charts have ink. */
async function survives(path, canvasSelector) {
  await withChapter(async ({ page }) => {
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    await page.waitForTimeout(100);
    const state = await page.evaluate(() => ({ pwned: window.__pwned, lang: document.documentElement.lang }));
    state.injected = await countDeep(page, 'img[src="x"], body script:not([src]), marquee');
    const ink = await inkOf(page, canvasSelector);
    assert.deepEqual(dialogs, [], `${path}: a dialog opened`);
    assert.equal(state.pwned, undefined, `${path}: a payload ran`);
    assert.equal(state.injected, 0, `${path}: markup from the URL reached the DOM`);
    assert.ok(['en', 'zh-CN'].includes(state.lang), `${path}: <html lang="${state.lang}">`);
    assert.ok(ink.length > 0, `${path}: no chart`);
    assert.ok(ink.some((n) => n > 100), `${path}: the charts are blank (${ink})`);
  }, { path });
}

describe('offline and hostile URLs', { concurrency: false }, () => {
  before(start);
  after(stop);

  it('offline after loading: the KL presets still update the numbers and charts', () => withChapter(async ({ page, context, requests }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await widget(page, 'kl-discrete').scrollIntoViewIfNeeded();
    const loaded = requests.length;
    await context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    let last = await klState(page);
    const buttons = widget(page, 'kl-discrete').locator('button[data-pair]');
    const count = await buttons.count();
    assert.ok(count >= 3);
    for (let i = count - 1; i >= 0; i -= 1) {
      await buttons.nth(i).click();
      const now = await klState(page);
      assert.notEqual(now, last, `preset ${i} changed nothing offline`);
      last = now;
    }
    // Other widgets too: type into the entropy table, move the likelihood's θ.
    const prob = widget(page, 'entropy').locator('input.prob').first();
    await prob.fill('0.7');
    await prob.press('Enter');
    assert.equal(await prob.inputValue(), '0.700');
    assert.deepEqual(requests.slice(loaded), [], 'requests made while offline');
    await context.setOffline(false);
  }));

  // The VAE's worker starts when its section first comes into view; it is handed the page's
  // compiled wasm module and the digits, fetched once the page has loaded and the browser is
  // idle (not during the first load), so a reader who went offline after the page loaded but
  // before scrolling there still gets a working trainer.
  it('offline once loaded, before the VAE is reached: the trainer still starts',
    () => withChapter(async ({ page, context }) => {
      await page.waitForFunction(() => performance.getEntriesByType('resource')
        .some((e) => new URL(e.name).pathname.endsWith('/data/digits.bin') && e.responseEnd > 0), null, { timeout: 10000 });
      const scrolled = await page.evaluate(() => window.scrollY);
      assert.equal(scrolled, 0, 'the digits came without scrolling to the VAE');
      await context.setOffline(true);
      await vaeReady(page);
    }));

  it('every request is to the page\'s own origin, and each is listed', (t) => withChapter(async ({ page, requests }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await vaeReady(page);
    await page.waitForFunction(() => document.querySelector('[data-out="vae-post-logpx"]')?.textContent !== '—', null, { timeout: 30000 });
    const origin = new URL(server().url).origin;
    const paths = requests.map((u) => (u.startsWith(`${origin}/`) ? u.slice(origin.length) : u));
    t.diagnostic(`${requests.length} requests:\n${paths.join('\n')}`);
    assert.ok(requests.length >= 5, `only ${requests.length} requests`);
    assert.deepEqual(requests.filter((u) => new URL(u).origin !== origin), [], 'requests outside the origin');
    for (const must of ['/main.js', '/style.css', '/pkg/elbo_lab_bg.wasm']) {
      assert.ok(paths.includes(must), `${must} was not requested`);
    }
    // The browser's view agrees: no resource outside the origin, none failed.
    const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.deepEqual(entries.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
  }));

  // The chapter with what only it reads, the one-widget page with the whole list (lib/hostile.js).
  for (const path of CHAPTER_HOSTILE) {
    const shown = path.length > 60 ? `${path.slice(0, 40)}… (${path.length} chars)` : path;
    it(`index.html${shown} runs nothing and still renders`, () => survives(path, '[data-widget="entropy"] canvas'));
  }

  const embed = existsSync(`${WWW}embed.html`);
  for (const path of HOSTILE) {
    const shown = path.length > 60 ? `${path.slice(0, 40)}… (${path.length} chars)` : path;
    const full = path.startsWith('#') ? `embed.html?widget=entropy${path}` : `embed.html?widget=entropy&${path.slice(1)}`;
    it(`embed.html?widget=entropy&${shown.slice(1)} runs nothing and still renders`, { skip: !embed && 'no embed.html yet' },
      () => survives(full, 'canvas'));
  }

  it('embed.html with a hostile widget id shows the message as text and runs nothing', { skip: !embed && 'no embed.html yet' },
    () => withChapter(async ({ page }) => {
      const dialogs = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
      await page.waitForTimeout(100);
      const state = await page.evaluate(() => ({
        pwned: window.__pwned, imgs: document.querySelectorAll('img').length + [...document.querySelectorAll('*')]
          .reduce((n, el) => n + (el.shadowRoot?.querySelectorAll('img').length ?? 0), 0),
        error: document.getElementById('embed-error')?.textContent ?? '',
      }));
      assert.deepEqual(dialogs, []);
      assert.equal(state.pwned, undefined);
      assert.equal(state.imgs, 0);
      assert.ok(state.error.includes('<img src=x onerror='), `the id is shown as text: ${state.error}`);
    }, { path: `embed.html?widget=%3Cimg%20src=x%20onerror=${encodeURIComponent(TRAP)}%3E` }));
});
