// The chapter on a phone (375×667, 2× pixels, touch) and on a desktop: no horizontal scroll
// with every widget mounted and the VAE live, touch dragging on the entropy bars, charts
// that follow the viewport, and screenshots of both layouts in test-results/.
// Run: node --test tests/devices.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { RESULTS, chapterHarness, readout, screenshot, widget } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();

const PHONE = { viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };
const IDS = ['information', 'entropy', 'huffman', 'kl-discrete', 'kl-fit', 'mutual-information', 'likelihood', 'posterior', 'derivation', 'jensen', 'vi-2d', 'vae', 'rate-distortion'];

/** Page width vs viewport, and the elements sticking out on the right (for the message). */
function overflow(page) {
  return page.evaluate(() => {
    const wide = [...document.querySelectorAll('body *')].filter((e) => {
      const r = e.getBoundingClientRect();
      // Formulas scroll inside their own box.
      return r.width > 0 && r.right > innerWidth + 0.5 && !e.closest('.formula, .katex-display');
    }).slice(0, 6).map((e) => `${e.tagName.toLowerCase()}.${e.className} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth, wide };
  });
}

async function assertNoSideScroll(page, when) {
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= o.innerWidth, `${when}: scrollWidth ${o.scrollWidth} > ${o.innerWidth}; ${o.wide.join(', ')}`);
}

/** Waits for the VAE worker (its Start button is enabled once the model is ready)… */
async function vaeReady(page) {
  await page.locator('#vae').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]')?.disabled, null, { timeout: 30000 });
  // …and its first posterior (a reply of its own), which draws the last three charts.
  await page.waitForFunction(() => document.querySelector('[data-out="vae-post-logpx"]')?.textContent !== '—', null, { timeout: 30000 });
}

/** Visible `.chart` canvases whose backing store is not CSS size × devicePixelRatio. */
function unfitCharts(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-widget] canvas.chart')]
    .filter((c) => c.clientWidth > 0 && !c.closest('[hidden]'))
    .map((c) => ({
      where: `${c.closest('[data-widget]').dataset.widget} ${c.dataset.chart ?? c.className}`,
      backing: c.width, expected: Math.round(c.getBoundingClientRect().width * devicePixelRatio),
    }))
    .filter((c) => Math.abs(c.backing - c.expected) > 1));
}

/** Two animation frames: resize observers have fired and the redraws they asked for ran. */
const settle = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));

describe('devices', { concurrency: false }, () => {
  before(start);
  after(stop);

  it('phone: no horizontal scroll, before and after every widget and the VAE are on screen', () => withChapter(async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await assertNoSideScroll(page, 'on load');
    for (const id of IDS) {
      await widget(page, id).scrollIntoViewIfNeeded();
      await settle(page);
      await assertNoSideScroll(page, `at ${id}`);
    }
    await vaeReady(page);
    await page.waitForFunction(() => document.querySelector('[data-out="vae-post-logpx"]')?.textContent !== '—', null, { timeout: 30000 });
    await settle(page);
    await assertNoSideScroll(page, 'with the VAE ready');
    // Open disclosures (the Embed panels, if present) must not widen the page either.
    await page.evaluate(() => document.querySelectorAll('[data-action="embed"][aria-expanded="false"]').forEach((b) => b.click()));
    await settle(page);
    await assertNoSideScroll(page, 'with every Embed panel open');
    await page.evaluate(() => document.querySelectorAll('[data-action="embed"][aria-expanded="true"]').forEach((b) => b.click()));
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `${RESULTS}devices-phone.png`);
  }, PHONE));

  // Every display formula at 320 and 375 px, in both languages, with every derivation step
  // revealed: its content fits its box, or the box is marked scrollable (data-scroll="x",
  // focusable, labelled) and really scrolls — never cut off with no sign of more.
  for (const width of [320, 375]) {
    for (const lang of ['en', 'zh']) {
      it(`phone ${width} px (${lang}): every formula fits or visibly scrolls`, () => withChapter(async ({ page }) => {
        await page.emulateMedia({ reducedMotion: 'reduce' });
        const bad = await page.evaluate(async () => {
          const d = window.elboLab.widgets.derivation;
          const found = [];
          const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          for (const k of ['evidence', 'vae']) {
            d.show(k);
            for (let i = 0; i < 10; i += 1) d.move(1);
            await frames();
            for (const box of document.querySelectorAll('.katex-display')) {
              if (box.scrollWidth <= box.clientWidth + 1) continue;
              const where = box.closest('[data-i18n], [data-tex], li[data-step]');
              const name = `${k}: ${where?.dataset.i18n ?? where?.dataset.tex?.slice(0, 30) ?? `step ${where?.dataset.step}`} (${box.scrollWidth} > ${box.clientWidth} px)`;
              const style = getComputedStyle(box);
              const before = box.scrollLeft;
              box.scrollLeft = 50;
              const scrolls = box.scrollLeft > before;
              box.scrollLeft = before;
              if (box.dataset.scroll !== 'x') found.push(`${name}: not marked scrollable`);
              else if (!['auto', 'scroll'].includes(style.overflowX) || !scrolls) found.push(`${name}: marked but does not scroll`);
              else if (box.tabIndex !== 0 || !box.getAttribute('aria-label')) found.push(`${name}: not focusable or unlabelled`);
            }
          }
          return found;
        });
        assert.deepEqual(bad, [], 'formulas cut off at the right edge');
        // And the marks go when a formula fits: on a wide screen nothing in the derivation scrolls.
        await page.setViewportSize({ width: 1280, height: 900 });
        await settle(page);
        const marked = await page.evaluate(() => [...document.querySelectorAll('li[data-step] [data-scroll="x"]')]
          .filter((b) => b.scrollWidth <= b.clientWidth + 1).length);
        assert.equal(marked, 0, 'a formula that fits is still marked scrollable');
      }, { ...PHONE, viewport: { width, height: 700 }, path: `?lang=${lang}` }));
    }
  }

  it('phone: dragging an entropy bar with a finger changes the distribution', () => withChapter(async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const w = widget(page, 'entropy');
    const handle = w.locator('.handle').first();
    await handle.scrollIntoViewIfNeeded();
    await page.evaluate(() => {
      window.__pointerTypes = new Set();
      document.querySelector('[data-widget="entropy"] .handles')
        .addEventListener('pointerdown', (e) => window.__pointerTypes.add(e.pointerType));
    });
    const before = await readout(page, 'entropy-bits');
    const p0 = await w.locator('input.prob').first().inputValue();
    const scrollBefore = await page.evaluate(() => window.scrollY);
    const box = await handle.boundingBox();
    const x = box.x + box.width / 2;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, y) => cdp.send('Input.dispatchTouchEvent', {
      type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }],
    });
    await touch('touchStart', box.y + box.height * 0.6);
    for (const f of [0.5, 0.4, 0.3, 0.2]) await touch('touchMove', box.y + box.height * f);
    await touch('touchEnd');
    await cdp.detach();
    await settle(page);
    assert.deepEqual([...await page.evaluate(() => [...window.__pointerTypes])], ['touch']);
    const p1 = await w.locator('input.prob').first().inputValue();
    assert.ok(Math.abs(Number(p1) - 0.8) < 0.02, `bar 1 dragged to 0.8, shows ${p1} (was ${p0})`);
    assert.notEqual(await readout(page, 'entropy-bits'), before, 'H(p) did not change');
    assert.equal(await page.evaluate(() => window.scrollY), scrollBefore, 'the drag scrolled the page');
  }, PHONE));

  it('charts follow the viewport: backing store = CSS width × devicePixelRatio', () => withChapter(async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await vaeReady(page);
    await settle(page);
    const widthOf = () => page.evaluate(() => document.querySelector('[data-widget="entropy"] canvas.chart').width);
    assert.deepEqual(await unfitCharts(page), [], 'portrait');
    const portrait = await widthOf();
    await page.setViewportSize({ width: 667, height: 375 }); // turned sideways
    await settle(page);
    await settle(page);
    assert.deepEqual(await unfitCharts(page), [], 'landscape');
    const landscape = await widthOf();
    assert.ok(landscape > portrait * 1.3, `the entropy chart did not grow: ${portrait} → ${landscape}`);
    await assertNoSideScroll(page, 'landscape');
    await page.setViewportSize({ width: 375, height: 667 });
    await settle(page);
    await settle(page);
    assert.deepEqual(await unfitCharts(page), [], 'portrait again');
    assert.equal(await widthOf(), portrait);
  }, PHONE));

  it('desktop: no horizontal scroll; screenshot', () => withChapter(async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await vaeReady(page);
    await settle(page);
    await assertNoSideScroll(page, 'desktop');
    assert.deepEqual(await unfitCharts(page), [], 'desktop charts');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `${RESULTS}devices-desktop.png`);
  }, DESKTOP));
});
