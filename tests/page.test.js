// End-to-end tests of the chapter page (www/) in headless Chromium: loading, the three
// widgets (information, entropy, Huffman), keyboard use and the phone layout.
// Run: node --test tests/page.test.js   (needs `make build` for www/pkg and www/vendor).
import en from '../www/i18n/en.js';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { initSync, entropy as wasmEntropy, huffmanCode } from '../pkg/elbo_lab.js';
import { RESULTS, boxInView, canvasStats, chapterHarness, fmt, readout, screenshot, sum, widget } from './lib/chapter.js';

const { start, stop, withChapter, sharedChapter } = chapterHarness();

initSync({ module: readFileSync(new URL('../pkg/elbo_lab_bg.wasm', import.meta.url)) });

const PHONE = { viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 };

// Colours of crate/src/render/style.rs (and style.css), to recognise what a chart drew.
const PALETTE = {
  blue: [0x25, 0x63, 0xeb], orange: [0xea, 0x58, 0x0c], green: [0x05, 0x96, 0x69], purple: [0x7c, 0x3a, 0xed],
};

/** The preset distributions of www/lib/presets.js, restated for the keyboard test. */
const PRESETS_BY_KEY = {
  'fair-coin': [0.5, 0.5],
  'biased-coin': [0.9, 0.1],
  'fair-die': Array(6).fill(1 / 6),
  'loaded-die': [0.1, 0.1, 0.1, 0.1, 0.1, 0.5],
};


// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------


/** −Σ pᵢ log₂ pᵢ, computed here (not by the page). */
const entropyBits = (p) => p.reduce((h, pi) => (pi > 0 ? h - pi * Math.log2(pi) : h), 0);

/** True when no code word is a prefix of another. */
function isPrefixFree(words) {
  return words.every((a, i) => words.every((b, j) => i === j || !b.startsWith(a)));
}






/** Pixel statistics of every canvas matching `selector`: size, non-white pixels, palette hits. */
/** The canvases of this file's widgets (chapter 1); later chapters have their own tests. */
const CHAPTER1_CANVASES = ['information', 'entropy', 'huffman'].map((id) => `[data-widget="${id}"] canvas`).join(', ');

/** Pixel statistics of chapter 1's canvases (or those matching `selector`), with palette hits. */
const chapter1Stats = (page, selector = CHAPTER1_CANVASES) => canvasStats(page, selector, PALETTE);


// --- Information widget ---

/** Slider values p₁, p₂ of the information widget. */
async function infoProbabilities(page) {
  const values = await widget(page, 'information').locator('input[type=range]').evaluateAll((els) => els.map((e) => Number(e.value)));
  return { p1: values[0], p2: values[1] };
}

/** The readout rows parsed: i1, i2 (text), joint { arg, value, unit }, sum { a, b, total, unit }. */
async function infoReadouts(page) {
  const [i1, i2, joint, total] = await Promise.all(['i1', 'i2', 'joint', 'sum'].map((n) => readout(page, n)));
  const j = joint.match(/^I\((\S+)\) = (\S+) (bits|nats)$/);
  const s = total.match(/^(\S+) \+ (\S+) = (\S+) (bits|nats)$/);
  assert.ok(j, `joint row "${joint}" has the form I(p) = v unit`);
  assert.ok(s, `sum row "${total}" has the form a + b = c unit`);
  return {
    i1, i2, jointText: joint, sumText: total,
    joint: { arg: j[1], value: j[2], unit: j[3] },
    sum: { a: s[1], b: s[2], total: s[3], unit: s[4] },
  };
}

/** Asserts the readouts are those of −log_base for the sliders' current p₁, p₂. */
async function assertInfoConsistent(page, unit) {
  const { p1, p2 } = await infoProbabilities(page);
  const log = unit === 'bits' ? Math.log2 : Math.log;
  const r = await infoReadouts(page);
  assert.equal(r.i1, `${fmt(-log(p1))} ${unit}`, `I(p₁) for p₁ = ${p1}`);
  assert.equal(r.i2, `${fmt(-log(p2))} ${unit}`, `I(p₂) for p₂ = ${p2}`);
  assert.equal(r.joint.value, fmt(-log(p1 * p2)), `I(p₁p₂) for p₁p₂ = ${p1 * p2}`);
  assert.equal(r.joint.arg, fmt(p1 * p2, 4));
  assert.deepEqual([r.sum.a, r.sum.b, r.sum.unit, r.joint.unit], [fmt(-log(p1)), fmt(-log(p2)), unit, unit]);
  assert.equal(r.sum.total, r.joint.value, `the sum row "${r.sumText}" equals the joint row "${r.jointText}"`);
  return { p1, p2, ...r };
}

// --- Entropy widget ---

/** The full-precision distribution, from the bar handles' aria-valuenow. */
function handleValues(page) {
  return widget(page, 'entropy').locator('.handles .handle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-valuenow'))));
}

/** The table's typed-value inputs, as shown (strings). */
function tableInputs(page) {
  return widget(page, 'entropy').locator('input[data-index]').evaluateAll((els) => els.map((e) => e.value));
}

/** Clicks an entropy preset, after setting the "n =" field if `n` is given. */
async function choosePreset(page, key, n) {
  const w = widget(page, 'entropy');
  if (n !== undefined) await w.locator('.controls input[type=number]').fill(String(n));
  await w.locator(`[data-preset="${key}"]`).click();
}

/** Asserts the shown entropy (bits and nats) is that of the distribution the handles carry. */
async function assertEntropyMatches(page) {
  const p = await handleValues(page);
  assert.ok(Math.abs(sum(p) - 1) < 1e-9, `Σp = ${sum(p)} (${p})`);
  assert.equal(await readout(page, 'entropy-bits'), `${fmt(entropyBits(p))} bits`, `H of ${p}`);
  assert.equal(await readout(page, 'entropy-nats'), `${fmt(entropyBits(p) * Math.LN2)} nats`, `H of ${p} in nats`);
  return p;
}

// --- Huffman widget ---

/**
 * The code table: one { label, p, cell, word, length, ideal } per outcome; `cell` is the text
 * shown, `word` the code word ('' for the certain outcome's empty word, null for p = 0).
 */
async function codeTable(page) {
  const rows = await widget(page, 'huffman').locator('.code-table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.children].map((c) => c.textContent.trim());
    return { label: cells[0], p: cells[1], cell: cells[2], length: Number(cells[3]), ideal: cells[4] };
  }));
  return rows.map((r) => {
    let word = r.cell;
    if (/needs no bits/.test(r.cell)) word = '';
    else if (/never occurs/.test(r.cell)) word = null;
    else assert.match(r.cell, /^[01]+$/, `code word cell of ${r.label}`);
    return { ...r, word };
  });
}

/** Asserts the Huffman widget shows a valid optimal code for the distribution `p`. */
async function assertHuffmanFor(page, p) {
  const rows = await codeTable(page);
  const expected = huffmanCode(p);
  assert.deepEqual(rows.map((r) => r.p), p.map((x) => fmt(x)), 'the p column follows the distribution');
  rows.forEach((r, i) => assert.equal(r.word === null, p[i] === 0, `outcome ${r.label}: no word iff p = 0`));
  const used = rows.filter((_, i) => p[i] > 0);
  assert.ok(isPrefixFree(used.map((r) => r.word)), `prefix-free: ${used.map((r) => r.word)}`);
  for (const r of used) assert.equal(r.word.length, r.length, `ℓ column = length of "${r.word}"`);
  assert.deepEqual(rows.map((r) => r.length), expected.lengths, 'code lengths (as in the Rust core)');
  const L = sum(p.map((pi, i) => pi * rows[i].length));
  assert.equal(await readout(page, 'huffman-average'), `${fmt(L)} bits/symbol`);
  assert.equal(await readout(page, 'huffman-entropy'), `${fmt(entropyBits(p))} bits/symbol`);
  assert.equal(await readout(page, 'huffman-kraft'), 'Σ 2^−ℓᵢ = 1.000000');
  assert.ok(Math.abs(sum(used.map((r) => 2 ** -r.length)) - 1) < 1e-12, 'Kraft equality for the shown words');
  return rows;
}

/**
 * Puts the distribution the entropy and Huffman widgets share back to the one the page opens
 * with (through the widgets' own store, as a preset button does), with nothing focused.
 */
async function openingDistribution(page) {
  await page.evaluate(async () => {
    const { DEFAULT_DISTRIBUTION } = await import('./lib/presets.js');
    document.activeElement?.blur();
    window.elboLab.widgets.entropy.store.set(DEFAULT_DISTRIBUTION);
  });
  assert.deepEqual(await handleValues(page), [0.5, 0.25, 0.125, 0.125]);
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

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
