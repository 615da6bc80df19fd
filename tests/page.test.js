// End-to-end tests of chapter 1 (www/index.html) in headless Chromium: loading, the opening
// values of the information, entropy and Huffman widgets, drags, presets, resizing and the phone
// layout (the keyboard and the edits: tests/page-edits.test.js).
// Run: node --test tests/page.test.js   (needs `make build` for www/pkg and www/vendor).
import en from '../www/i18n/en.js';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { boxInView, chapterHarness, fmt, readout, RESULTS, screenshot, sum, widget } from './lib/chapter.js';
import {
  PHONE, CHAPTER1_CANVASES, chapter1Stats, infoProbabilities, infoReadouts, assertInfoConsistent, handleValues,
  tableInputs, choosePreset, assertEntropyMatches, assertHuffmanFor, openingDistribution, wasmEntropy,
} from './lib/chapter1.js';

const { start, stop, withChapter, sharedChapter } = chapterHarness();

describe('chapter 1 page (www/index.html)', () => {
  before(start);
  after(stop);

  // One page for these: loading, the widgets' opening values, drags, presets and resizing, in an
  // order where each test finds the state it needs.
  describe('loading, opening values, drags, presets, resizing', () => {
    const shared = sharedChapter();

    it('loads cleanly: three drawn widgets, no NaN, every request to the test server; screenshot', shared(async (s) => {
      const { page } = s;
      for (const id of ['information', 'entropy', 'huffman']) {
        assert.equal(await widget(page, id).count(), 1, `one [data-widget="${id}"]`);
        assert.ok(await widget(page, id).locator('canvas').count() >= 1, `${id} has a canvas`);
      }
      assert.equal(await page.locator('#load-error').isHidden(), true, 'no load error shown');

      const stats = await chapter1Stats(page);
      assert.equal(stats.length, 4, 'information, entropy bars and shares, Huffman');
      for (const [i, c] of stats.entries()) {
        assert.ok(c.ink > c.pixels * 0.01 && c.ink > 1000, `canvas ${i} is drawn (${c.ink} of ${c.pixels} px)`);
      }
      const [info, bars, shares, code] = stats.map((c) => c.colours);
      assert.ok(info.blue > 20 && info.orange > 20 && info.green > 20, `p₁, p₂, p₁p₂ markers drawn ${JSON.stringify(info)}`);
      assert.ok(bars.blue > 1000, `blue probability bars ${JSON.stringify(bars)}`);
      assert.ok(shares.purple > 1000, `purple share bars ${JSON.stringify(shares)}`);
      assert.ok(code.blue > 1000 && code.orange > 1000, `code and ideal length bars ${JSON.stringify(code)}`);

      // Text and maths are in place.
      assert.equal(await page.title(), en['page.title']);
      const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/, 'scripts only from the page itself');
      assert.ok(await page.locator('.formula .katex').count() >= 3, 'formulas typeset by KaTeX');
      assert.equal(await page.locator('[data-i18n]:empty').count(), 0, 'every string filled in');

      await page.waitForLoadState('networkidle');
      await page.evaluate(() => document.fonts.ready);
      // The server saw exactly what the page asked for (nothing cached elsewhere, nothing missing).
      const paths = s.requests.map((u) => new URL(u).pathname).sort();
      assert.deepEqual(s.server.requests.slice(s.serverLogStart).sort(), paths);
      for (const p of ['/', '/main.js', '/pkg/elbo_lab_bg.wasm', '/vendor/katex/katex.mjs', '/style.css']) {
        assert.ok(paths.includes(p), `${p} requested`);
      }

      const file = `${RESULTS}chapter1.png`;
      await screenshot(page, file);
      assert.ok(statSync(file).size > 10_000, 'screenshot written');
    }));

    it('shows I(0.25) = 2, I(0.5) = 1 and the joint event at first', shared(async ({ page }) => {
      assert.deepEqual(await infoProbabilities(page), { p1: 0.25, p2: 0.5 });
      const r = await infoReadouts(page);
      assert.equal(r.i1, '2.000 bits');
      assert.equal(r.i2, '1.000 bits');
      assert.match(r.jointText, /3\.000/);
      assert.equal(r.jointText, 'I(0.1250) = 3.000 bits');
      assert.equal(r.sumText, '2.000 + 1.000 = 3.000 bits');
      assert.equal(await readout(page, 'product'), '2.000 × 1.000 = 2.000');
    }));

    it('codes the default ½, ¼, ⅛, ⅛ with lengths 1, 2, 3, 3 and L = H = 1.75', shared(async ({ page }) => {
      const rows = await assertHuffmanFor(page, [0.5, 0.25, 0.125, 0.125]);
      assert.deepEqual(rows.map((r) => r.length), [1, 2, 3, 3]);
      assert.equal(await readout(page, 'huffman-average'), '1.750 bits/symbol');
      assert.equal(await readout(page, 'huffman-bound'), '1.750 ≤ 1.750 < 2.750 ✓');
      assert.deepEqual(rows.map((r) => r.ideal), ['1.000', '2.000', '3.000', '3.000']);
    }));

    it('moves the nearer event when the chart is dragged; the sum row stays equal to the joint row', shared(async ({ page }) => {
      const canvas = widget(page, 'information').locator('canvas');
      const box = await boxInView(page, canvas);
      const at = (fx) => [box.x + fx * box.width, box.y + box.height / 2];

      // Far right of the plot is nearer p₂ = 0.5 than p₁ = 0.25: pressing there grabs p₂.
      await page.mouse.move(...at(0.9));
      await page.mouse.down();
      const pressed = await infoProbabilities(page);
      assert.equal(pressed.p1, 0.25, 'p₁ untouched');
      assert.ok(pressed.p2 > 0.6, `p₂ jumps to the pointer, got ${pressed.p2}`);
      await assertInfoConsistent(page, 'bits');

      await page.mouse.move(...at(0.65), { steps: 4 });
      const left = await infoProbabilities(page);
      assert.ok(left.p2 < pressed.p2 && left.p2 > 0.4, `dragging left lowers p₂: ${pressed.p2} → ${left.p2}`);
      assert.equal(left.p1, 0.25);
      await assertInfoConsistent(page, 'bits');

      await page.mouse.move(...at(0.99), { steps: 4 });
      const right = await infoProbabilities(page);
      assert.ok(right.p2 > left.p2, `dragging right raises p₂: ${left.p2} → ${right.p2}`);
      const r = await assertInfoConsistent(page, 'bits');
      await page.mouse.up();

      // Once released, moving the mouse changes nothing.
      await page.mouse.move(...at(0.3), { steps: 3 });
      assert.deepEqual(await infoProbabilities(page), right);
      assert.equal((await infoReadouts(page)).sumText, r.sumText);
    }));

    it('canvases are refitted and redrawn when the window is resized', shared(async ({ page }) => {
      const before = await chapter1Stats(page);
      // 1100 px keeps the two-column layout (≤ 900 px stacks it), so every chart narrows.
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.waitForFunction(({ selector, widths }) => [...document.querySelectorAll(selector)]
        .every((c, i) => c.clientWidth < widths[i] && c.width === Math.round(c.clientWidth * devicePixelRatio)),
      { selector: CHAPTER1_CANVASES, widths: before.map((c) => c.cssWidth) });
      const after = await chapter1Stats(page);
      for (const [i, c] of after.entries()) {
        assert.ok(c.width < before[i].width, `canvas ${i} narrower: ${before[i].width} → ${c.width}`);
        assert.ok(c.ink > c.pixels * 0.01, `canvas ${i} redrawn after the resize`);
      }
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= 1100, `no horizontal scrolling at 1100 px (${scroll})`);
    }));

    it('never scrolls horizontally, from small phones to wide screens', shared(async ({ page }) => {
      const overflowing = [];
      for (const width of [320, 360, 375, 414, 768, 900, 960, 1000, 1024, 1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        const scroll = await page.evaluate(() => new Promise((resolve) => {
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.documentElement.scrollWidth)));
        }));
        if (scroll > width) overflowing.push(`${width} px wide: scrollWidth ${scroll}`);
      }
      assert.deepEqual(overflowing, []);
      await page.setViewportSize({ width: 1280, height: 900 }); // as opened, for the tests after this one
    }));

    it('follows the entropy presets: fair die (L = 8/3 > H) and one-hot', shared(async ({ page }) => {
      const before = (await chapter1Stats(page, '[data-widget="huffman"] canvas'))[0];
      await choosePreset(page, 'fair-die');
      await assertHuffmanFor(page, Array(6).fill(1 / 6));
      assert.equal(await readout(page, 'huffman-average'), `${fmt(8 / 3)} bits/symbol`);
      assert.equal(await readout(page, 'huffman-average'), '2.667 bits/symbol');
      assert.equal(await readout(page, 'huffman-entropy'), '2.585 bits/symbol');
      const bound = await readout(page, 'huffman-bound');
      assert.ok(bound.includes('✓'), bound);
      assert.equal(bound, '2.585 ≤ 2.667 < 3.585 ✓');
      const after = (await chapter1Stats(page, '[data-widget="huffman"] canvas'))[0];
      assert.notEqual(after.hash, before.hash, 'the chart was redrawn');
      // The bars drawn over the kept axes make the whole chart, pixel for pixel.
      const same = await page.evaluate(async () => {
        const { lab } = await import(new URL('lib/lab.js', document.baseURI).href);
        const canvas = document.querySelector('[data-widget="huffman"] canvas');
        const { p } = window.elboLab.widgets.huffman.state();
        const code = lab.huffmanCode(p);
        const ideal = p.map((pi) => (pi > 0 ? -Math.log2(pi) : 0));
        const top = Math.ceil(Math.min(16, Math.max(1, ...code.lengths, ...ideal)) + 0.5);
        const whole = document.createElement('canvas');
        whole.width = canvas.width;
        whole.height = canvas.height;
        lab.drawBars(whole, ['1', '2', '3', '4', '5', '6'], [...code.lengths, ...ideal], ['blue', 'orange'], 0, top,
          'bits', -1, NaN, '', false, canvas.width / canvas.clientWidth);
        return whole.toDataURL() === canvas.toDataURL();
      });
      assert.ok(same, 'the Huffman chart is the whole chart');

      await choosePreset(page, 'one-hot');
      const rows = await assertHuffmanFor(page, [1, 0, 0, 0, 0, 0, 0, 0]);
      assert.match(rows[0].cell, /needs no bits/);
      assert.equal(rows[0].word, '');
      for (const r of rows.slice(1)) {
        assert.match(r.cell, /never occurs/, `outcome ${r.label}`);
        assert.equal(r.ideal, '∞');
      }
      assert.equal(await readout(page, 'huffman-average'), '0.000 bits/symbol');
      assert.equal(await readout(page, 'huffman-bound'), '0.000 ≤ 0.000 < 1.000 ✓');
    }));

    it('presets give the textbook entropies', shared(async ({ page }) => {
      await openingDistribution(page);
      assert.equal(await readout(page, 'entropy-bits'), '1.750 bits', 'default ½, ¼, ⅛, ⅛');

      await choosePreset(page, 'fair-die');
      assert.equal(await readout(page, 'entropy-bits'), `${fmt(Math.log2(6))} bits`);
      assert.equal(await readout(page, 'entropy-bits'), '2.585 bits');
      assert.equal(fmt(wasmEntropy(Array(6).fill(1 / 6), 2)), '2.585');
      assert.equal(await readout(page, 'entropy-max'), 'n = 6: 2.585 bits = 1.792 nats');
      assert.deepEqual(await tableInputs(page), Array(6).fill('0.167'));

      await choosePreset(page, 'fair-coin');
      assert.equal(await readout(page, 'entropy-bits'), '1.000 bits');
      assert.equal(await readout(page, 'entropy-nats'), '0.693 nats');

      await choosePreset(page, 'one-hot');
      assert.equal(await readout(page, 'entropy-bits'), '0.000 bits');
      assert.equal(await readout(page, 'entropy-nats'), '0.000 nats');
      assert.equal(await handleValues(page).then((p) => p.length), 8, 'one-hot over the default n = 8');

      await choosePreset(page, 'uniform', 16);
      assert.equal(await readout(page, 'entropy-bits'), '4.000 bits');
      assert.equal((await handleValues(page)).length, 16);
      await assertEntropyMatches(page);

      await choosePreset(page, 'biased-coin');
      await assertEntropyMatches(page);
      assert.equal(await readout(page, 'entropy-bits'), '0.469 bits');
    }));

    it('the message for a non-number quotes what was typed', shared(async ({ page }) => {
      const input = widget(page, 'entropy').locator('input[data-index="1"]');
      await input.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('abc');
      await page.keyboard.press('Tab');
      const message = await widget(page, 'entropy').locator('[role=status]').textContent();
      assert.doesNotMatch(message, /“”/, `status: ${message}`);
      assert.match(message, /abc/);
    }));
  });

  describe('phone', () => {
    it('fits a 375 px phone without horizontal scrolling, with HiDPI canvases; screenshot', () => withChapter(async ({ page }) => {
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.body.scrollWidth]);
      assert.ok(widths.every((w) => w <= 375), `scroll widths ${widths} ≤ 375`);
      const stats = await chapter1Stats(page);
      assert.equal(stats.length, 4);
      for (const [i, c] of stats.entries()) {
        assert.ok(c.cssWidth > 200 && c.cssWidth <= 375, `canvas ${i} CSS width ${c.cssWidth}`);
        assert.equal(c.width, Math.round(2 * c.cssWidth), `canvas ${i} backing width = 2 × CSS width`);
        assert.equal(c.height, Math.round(2 * c.cssHeight), `canvas ${i} backing height = 2 × CSS height`);
        assert.ok(c.ink > c.pixels * 0.01, `canvas ${i} is drawn`);
      }
      await page.evaluate(() => document.fonts.ready);
      const file = `${RESULTS}chapter1-phone.png`;
      await screenshot(page, file);
      assert.ok(statSync(file).size > 10_000, 'screenshot written');
    }, PHONE));
  });
});
