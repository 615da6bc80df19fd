// End-to-end tests of chapter 1 (www/index.html) in headless Chromium: the keyboard, and the
// typed and dragged edits of the distribution the entropy and Huffman widgets share.
// Run: node --test tests/page-edits.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { boxInView, chapterHarness, fmt, readout, sum, widget } from './lib/chapter.js';
import {
  PRESETS_BY_KEY, entropyBits, infoProbabilities, assertInfoConsistent, handleValues, tableInputs,
  assertEntropyMatches, assertHuffmanFor, openingDistribution, wasmEntropy, huffmanCode,
} from './lib/chapter1.js';

const { start, stop, sharedChapter } = chapterHarness();

describe('chapter 1 page: keyboard and edits', () => {
  before(start);
  after(stop);

  // One page for the keyboard and the edits of the shared distribution, each edit from the
  // distribution the page opened with.
  describe('keyboard, typed and dragged edits', () => {
    const shared = sharedChapter();

    it('Tab from the top reaches the presets and the bars, with a visible focus outline', shared(async ({ page }) => {
      const focused = () => page.evaluate(() => {
        const el = document.activeElement;
        const cs = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
          tag: el.tagName, cls: el.className, preset: el.dataset.preset ?? null,
          handle: el.classList.contains('handle') ? el.dataset.index : null,
          widget: el.closest('[data-widget]')?.dataset.widget ?? null,
          outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
          visible: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0,
          onScreen: box.width > 0 && box.height > 0 && box.left >= 0,
        };
      });

      await page.keyboard.press('Tab');
      const first = await focused();
      assert.equal(first.cls, 'skip', 'the skip link comes first');
      assert.ok(first.onScreen && first.visible, `the skip link is shown when focused ${JSON.stringify(first)}`);

      let preset = null;
      let handle = null;
      for (let k = 0; k < 60 && !handle; k += 1) {
        await page.keyboard.press('Tab');
        const f = await focused();
        if (f.preset && !preset) {
          preset = f;
          assert.ok(f.visible, `preset button has a focus outline: ${f.outline}`);
          await page.keyboard.press('Enter'); // activates it: keyboard-only users can pick presets
          assert.equal(await readout(page, 'entropy-bits'), `${fmt(entropyBits(PRESETS_BY_KEY[f.preset]))} bits`);
        }
        if (f.handle !== null) handle = f;
      }
      assert.ok(preset, 'a preset button is reachable with Tab');
      assert.equal(preset.widget, 'entropy');
      assert.ok(handle, 'a bar handle is reachable with Tab');
      assert.ok(handle.visible, `the focused bar has a visible outline: ${handle.outline}`);
      assert.ok(handle.onScreen);

      const before = await handleValues(page);
      await page.keyboard.press('ArrowUp');
      const afterKey = await handleValues(page);
      assert.ok(Math.abs(afterKey[handle.handle] - before[handle.handle] - 0.01) < 1e-9, 'ArrowUp raises the focused bar');
      await assertEntropyMatches(page);
    }));

    it('follows the p₁ slider moved with the keyboard, in bits and in nats', shared(async ({ page }) => {
      const slider = widget(page, 'information').locator('input[type=range]').first();
      await slider.focus();
      for (let k = 0; k < 3; k += 1) await page.keyboard.press('ArrowRight');
      const { p1, p2 } = await infoProbabilities(page);
      assert.ok(Math.abs(p1 - 0.28) < 1e-9, `three steps of 0.01 from 0.25, got ${p1}`);
      assert.equal(p2, 0.5);
      assert.equal(await readout(page, 'i1'), `${fmt(-Math.log2(0.28))} bits`);
      assert.equal(await readout(page, 'i1'), '1.837 bits');
      await assertInfoConsistent(page, 'bits');
      assert.equal(await widget(page, 'information').locator('.slider output').first().textContent(), '0.28');

      await widget(page, 'information').locator('input[type=radio][value="nats"]').check();
      const r = await assertInfoConsistent(page, 'nats');
      assert.equal(r.i1, `${fmt(-Math.log(0.28))} nats`);
      assert.equal(r.i2, '0.693 nats');

      await widget(page, 'information').locator('input[type=radio][value="bits"]').check();
      await assertInfoConsistent(page, 'bits');

      // The ends of the slider: a certain event carries 0 bits (never "−0.000"), p = 0.01 about 6.6.
      await slider.press('End');
      assert.equal((await infoProbabilities(page)).p1, 1);
      assert.equal(await readout(page, 'i1'), '0.000 bits');
      await assertInfoConsistent(page, 'bits');
      await slider.press('Home');
      assert.equal((await infoProbabilities(page)).p1, 0.01);
      assert.equal(await readout(page, 'i1'), `${fmt(-Math.log2(0.01))} bits`);
      await assertInfoConsistent(page, 'bits');
    }));

    it('dragging a bar sets its probability; H and the table follow', shared(async ({ page }) => {
      await openingDistribution(page);
      const handle = widget(page, 'entropy').locator('.handles .handle[data-index="0"]');
      const hb = await boxInView(page, handle);
      const x = hb.x + hb.width / 2;
      const bottom = hb.y + hb.height;

      await page.mouse.move(x, bottom - 3);
      await page.mouse.down();
      const low = await handleValues(page);
      assert.ok(low[0] < 0.03, `pressing near the bottom sets p₁ ≈ 0, got ${low[0]}`);
      const targetY = hb.y + 0.3 * hb.height;
      await page.mouse.move(x, targetY, { steps: 6 });
      await page.mouse.up();

      const p = await assertEntropyMatches(page);
      const expected = (bottom - targetY) / hb.height; // 0.7 of the plot height
      assert.ok(Math.abs(p[0] - expected) < 0.01, `p₁ = ${p[0]} ≈ ${expected}`);
      // The others keep their ratios 2 : 1 : 1 and fill up the rest.
      assert.ok(Math.abs(p[1] - 2 * p[2]) < 1e-9 && Math.abs(p[2] - p[3]) < 1e-9, `ratios kept: ${p}`);

      // The table shows the same distribution, and H computed from the shown values agrees.
      const shown = await tableInputs(page);
      assert.deepEqual(shown, p.map((v) => fmt(v)));
      const typed = shown.map(Number);
      assert.ok(Math.abs(sum(typed) - 1) <= 1e-3, `Σ table = ${sum(typed)}`);
      const H = Number((await readout(page, 'entropy-bits')).split(' ')[0]);
      // The table rounds to 3 decimals, so allow that rounding on top of the display's.
      assert.ok(Math.abs(H - entropyBits(typed)) <= 1e-3, `H = ${H} vs H(table) = ${entropyBits(typed)}`);
      assert.equal(fmt(wasmEntropy(p, 2)), fmt(H));
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.index), '0', 'the dragged bar has focus');
    }));

    it('arrow keys on a focused bar change it in steps of 0.01', shared(async ({ page }) => {
      await openingDistribution(page);
      const handle = widget(page, 'entropy').locator('.handle[data-index="1"]');
      await handle.focus();
      const start = Number(await handle.getAttribute('aria-valuenow'));
      assert.equal(start, 0.25);
      for (let k = 0; k < 5; k += 1) await handle.press('ArrowUp');
      const now = Number(await handle.getAttribute('aria-valuenow'));
      assert.ok(Math.abs(now - (start + 0.05)) < 1e-9, `${start} + 5 × 0.01 = ${now}`);
      assert.equal(await handle.getAttribute('aria-valuetext'), '0.300');
      await assertEntropyMatches(page);

      await handle.press('Shift+ArrowDown');
      assert.ok(Math.abs(Number(await handle.getAttribute('aria-valuenow')) - 0.2) < 1e-9, 'Shift steps by 0.1');
      await assertEntropyMatches(page);

      await handle.press('End');
      assert.deepEqual(await handleValues(page), [0, 1, 0, 0]);
      assert.equal(await readout(page, 'entropy-bits'), '0.000 bits');
      await handle.press('Home');
      assert.equal(Number(await handle.getAttribute('aria-valuenow')), 0);
      assert.ok(Math.abs(sum(await handleValues(page)) - 1) < 1e-9, 'the others share the freed mass');
      await assertEntropyMatches(page);
    }));

    it('a typed probability is applied and the others rescale proportionally', shared(async ({ page }) => {
      await openingDistribution(page);
      const input = widget(page, 'entropy').locator('input[data-index="1"]');
      await input.fill('0.7');
      await input.press('Tab'); // commits: the 'change' event
      assert.equal(await input.inputValue(), '0.700');
      const p = await assertEntropyMatches(page);
      const k = (1 - 0.7) / (1 - 0.25);
      [0.5 * k, 0.7, 0.125 * k, 0.125 * k].forEach((v, i) => assert.ok(Math.abs(p[i] - v) < 1e-9, `p[${i}] = ${p[i]}, expected ${v}`));
      assert.deepEqual(await tableInputs(page), ['0.200', '0.700', '0.050', '0.050']);
      assert.equal(await widget(page, 'entropy').locator('[role=status]').textContent(), '');
    }));

    it('a value that is not a probability shows a message and changes nothing', shared(async ({ page }) => {
      await openingDistribution(page);
      const w = widget(page, 'entropy');
      const input = w.locator('input[data-index="1"]');
      const status = w.locator('[role=status]');
      const before = await handleValues(page);
      const H = await readout(page, 'entropy-bits');

      await input.fill('2');
      await input.press('Tab');
      assert.match(await status.textContent(), /“2” is not a probability/);
      assert.deepEqual(await handleValues(page), before);
      assert.equal(await readout(page, 'entropy-bits'), H);
      assert.equal(await input.inputValue(), '0.250', 'the field shows the unchanged value again');

      await input.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type('abc');
      await page.keyboard.press('Tab');
      assert.match(await status.textContent(), /is not a probability/);
      assert.deepEqual(await handleValues(page), before);
      assert.equal(await readout(page, 'entropy-bits'), H);
      assert.equal(await input.inputValue(), '0.250');

      await input.fill('0.5');
      await input.press('Tab');
      assert.equal(await status.textContent(), '', 'a valid value clears the message');
      await assertEntropyMatches(page);
    }));

    it('a value committed with Enter is shown like the others once focus leaves', shared(async ({ page }) => {
      await openingDistribution(page);
      const input = widget(page, 'entropy').locator('input[data-index="1"]');
      await input.fill('0.7');
      await input.press('Enter');
      await assertEntropyMatches(page);
      assert.equal(await readout(page, 'entropy-bits'), `${fmt(entropyBits([0.2, 0.7, 0.05, 0.05]))} bits`);
      await input.press('Tab');
      assert.deepEqual(await tableInputs(page), ['0.200', '0.700', '0.050', '0.050']);
    }));

    it('follows values typed and dragged in the entropy widget', shared(async ({ page }) => {
      await openingDistribution(page);
      const input = widget(page, 'entropy').locator('input[data-index="1"]');
      await input.fill('0.7');
      await input.press('Tab');
      await assertHuffmanFor(page, await handleValues(page));
      const L = huffmanCode([0.2, 0.7, 0.05, 0.05]).averageLength;
      assert.equal(await readout(page, 'huffman-average'), `${fmt(L)} bits/symbol`);
      assert.ok((await readout(page, 'huffman-bound')).endsWith('✓'));

      const handle = widget(page, 'entropy').locator('.handle[data-index="3"]');
      await handle.focus();
      await handle.press('PageUp');
      await assertHuffmanFor(page, await handleValues(page));
    }));
  });
});
