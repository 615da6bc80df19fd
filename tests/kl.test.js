// End-to-end tests of chapter 2 in headless Chromium: the discrete KL playground
// ([data-widget="kl-discrete"]); the mode-covering / mode-seeking fit is in tests/kl-fit.test.js.
// Every number the page shows is checked against the JS API run here under Node.
// Run: node --test tests/kl.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, boxInView, canvasStats, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';
import {
  KL_ROWS, DEFAULT_PAIR, klDistributions, assertKlMatchesApi,
} from './lib/chapter2.js';

const { start, stop, sharedChapter } = chapterHarness();

describe('chapter 2 page: KL divergence', () => {
  before(start);
  after(stop);

  // One page for the widget's tests, in an order where each finds the state it needs: the
  // opening p and q before the tests that edit them, the presets' tests after, Randomise's seed
  // before the first draw.
  describe('kl-discrete widget', () => {
    const shared = sharedChapter();

    it('shows the API’s klReport for its inputs, and draws its four charts; screenshot', shared(async ({ page }) => {
      const { p, q, shown } = await assertKlMatchesApi(page);
      assert.deepEqual({ p, q }, DEFAULT_PAIR);
      assert.equal(shown.klPQ, '0.033 bits');
      assert.equal(shown.klQP, '0.035 bits');
      assert.equal(shown.tv, '0.100');
      const stats = await canvasStats(page, '[data-widget="kl-discrete"] canvas');
      assert.equal(stats.length, 4, 'p bars, q bars, terms, stacked cross-entropies');
      for (const [i, c] of stats.entries()) assert.ok(c.ink > c.pixels * 0.01, `canvas ${i} is drawn (${c.ink} of ${c.pixels} px)`);
      await page.evaluate(() => document.fonts.ready);
      const section = page.locator('#kl');
      await section.scrollIntoViewIfNeeded();
      const file = `${RESULTS}chapter2-kl.png`;
      await screenshot(page, file, section);
      assert.ok(statSync(file).size > 10_000, 'screenshot written');
    }));

    it('dragging a bar of p sets it; both KLs become the API’s values for the new inputs', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      const before = await assertKlMatchesApi(page);
      const pHandles = w.locator('.chart-wrap').first().locator('.handles');
      const column = await boxInView(page, pHandles.locator('.handle[data-index="1"]'));
      const x = column.x + column.width / 2;
      const at = (v) => column.y + (1 - v) * column.height;

      await page.mouse.move(x, at(0.8));
      await page.mouse.down();
      const pressed = await assertKlMatchesApi(page);
      assert.ok(Math.abs(pressed.p[1] - 0.8) < 0.01, `pressing at 0.8 of the height sets p₂ ≈ 0.8, got ${pressed.p[1]}`);
      await page.mouse.move(x, at(0.6), { steps: 5 });
      await page.mouse.up();

      const after = await assertKlMatchesApi(page);
      assert.ok(Math.abs(after.p[1] - 0.6) < 0.01, `p₂ = ${after.p[1]} ≈ 0.6`);
      assert.deepEqual(after.q, before.q, 'q untouched');
      // The other entries of p keep their ratios 0.3 : 0.2 : 0.1.
      assert.ok(Math.abs(after.p[0] - 1.5 * after.p[2]) < 1e-9 && Math.abs(after.p[2] - 2 * after.p[3]) < 1e-9, `ratios kept: ${after.p}`);
      assert.equal(after.shown.klPQ, `${fmt(lab.klDivergence(after.p, after.q, 2))} bits`);
      assert.equal(after.shown.klQP, `${fmt(lab.klDivergence(after.q, after.p, 2))} bits`);
      assert.notEqual(after.shown.klPQ, before.shown.klPQ, 'KL(p‖q) changed');
      assert.notEqual(after.shown.klQP, before.shown.klQP, 'KL(q‖p) changed');
      assert.equal(await page.evaluate(() => document.activeElement?.closest('.handles') !== null
        && document.activeElement.dataset.index), '1', 'the dragged bar has focus');
    }));

    it('typing 0 into q where p > 0 makes KL(p‖q) infinite and names the outcome', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      await w.locator('[data-pair="close"]').click(); // the opening pair again, after the drag above
      const input = w.locator('input[aria-label="q: probability of outcome 2"]');
      await input.fill('0');
      await input.press('Tab');
      assert.equal(await input.inputValue(), '0.000');
      const { p, q, shown } = await assertKlMatchesApi(page);
      assert.equal(q[1], 0);
      assert.equal(p[1], 0.4);
      // q's other entries are rescaled by 1/(1 − 0.35), keeping their ratios.
      [0.25, 0, 0.25, 0.15].forEach((v, i) => assert.ok(Math.abs(q[i] - v / 0.65) < 1e-12, `q[${i}] = ${q[i]}`));
      assert.equal(shown.klPQ, '∞ bits');
      assert.match(shown.klQP, /^\d+\.\d{3} bits$/, 'KL(q‖p) stays finite');
      const alert = w.locator('.infinity[role="alert"]');
      assert.ok(await alert.isVisible());
      assert.match(await alert.textContent(), /KL\(p ‖ q\) = ∞ because outcome 2 has q = 0 while p = 0\.400/);
      assert.equal(await w.locator('p.status').textContent(), '', 'no complaint about the typed value');
    }));

    it('Swap exchanges p and q, so KL(p‖q) ↔ KL(q‖p) and H(p) ↔ H(q)', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      await w.locator('[data-pair="shifted"]').click();
      const before = await assertKlMatchesApi(page);
      await w.locator('[data-action="swap"]').click();
      const after = await assertKlMatchesApi(page);
      assert.deepEqual(after.p, before.q);
      assert.deepEqual(after.q, before.p);
      for (const [a, b] of [['klPQ', 'klQP'], ['hp', 'hq'], ['crossPQ', 'crossQP']]) {
        assert.equal(after.shown[a], before.shown[b], `${a} after = ${b} before`);
        assert.equal(after.shown[b], before.shown[a], `${b} after = ${a} before`);
      }
      assert.equal(after.shown.js, before.shown.js, 'JS is symmetric');
      assert.equal(after.shown.tv, before.shown.tv, 'TV is symmetric');
      await w.locator('[data-action="swap"]').click();
      assert.deepEqual((await assertKlMatchesApi(page)).shown, before.shown, 'swapping twice restores everything');
    }));

    it('the preset where q rules out an outcome shows ∞ and explains it; KL(q‖p) stays finite', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      await w.locator('[data-pair="zero"]').click();
      const { p, q, report, shown } = await assertKlMatchesApi(page);
      assert.deepEqual({ p, q }, { p: [0.4, 0.3, 0.2, 0.1], q: [0.5, 0.3, 0.2, 0] });
      assert.equal(shown.klPQ, '∞ bits');
      assert.equal(shown.crossPQ, '∞ bits');
      assert.ok(Number.isFinite(report.klQP));
      assert.equal(shown.klQP, `${fmt(report.klQP)} bits`);
      assert.match(shown.klQP, /^\d+\.\d{3} bits$/);
      const alert = w.locator('.infinity');
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.ok(await alert.isVisible());
      const text = await alert.textContent();
      assert.match(text, /KL\(p ‖ q\) = ∞/);
      assert.match(text, /outcome 4 has q = 0 while p = 0\.100/);
      assert.doesNotMatch(text, /KL\(q ‖ p\) = ∞/);

      // Swapped, the same outcome makes the other divergence infinite.
      await w.locator('[data-action="swap"]').click();
      const swapped = await assertKlMatchesApi(page);
      assert.equal(swapped.shown.klQP, '∞ bits');
      assert.match(await alert.textContent(), /KL\(q ‖ p\) = ∞ because outcome 4 has p = 0 while q = 0\.100/);

      // A finite pair hides the alert again.
      await w.locator('[data-pair="close"]').click();
      await assertKlMatchesApi(page);
      assert.ok(await alert.isHidden());
    }));

    it('switching to nats multiplies every divergence and entropy by ln 2', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      await w.locator('[data-pair="peaked"]').click();
      const bits = await assertKlMatchesApi(page, 'bits');
      await w.locator('input[type=radio][value="nats"]').check();
      const nats = await assertKlMatchesApi(page, 'nats');
      for (const k of KL_ROWS) {
        if (k === 'tv') {
          assert.equal(nats.shown.tv, bits.shown.tv, 'TV has no unit');
          continue;
        }
        assert.equal(nats.shown[k], `${fmt(bits.report[k] * Math.LN2)} nats`, `${k} in nats = bits × ln 2`);
        const [b, n] = [bits.shown[k], nats.shown[k]].map((s) => Number(s.split(' ')[0]));
        assert.ok(Math.abs(n - b * Math.LN2) <= 1e-3, `${k}: ${n} ≈ ${b} × ln 2`);
      }
      await w.locator('input[type=radio][value="bits"]').check();
      assert.deepEqual((await assertKlMatchesApi(page, 'bits')).shown, bits.shown);
    }));

    it('Randomise draws a fresh seed, shows it, puts it in the link, and the seed draws the pair again', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      const note = w.locator('[data-out="kl-seed"]');
      assert.equal(await note.isVisible(), false, 'no draw yet: no seed shown');
      const seeds = [];
      for (let k = 0; k < 2; k += 1) {
        await w.locator('[data-action="randomise"]').click();
        const state = await page.evaluate(() => window.elboLab.widgets['kl-discrete'].state());
        assert.ok(Number.isInteger(state.seed) && state.seed >= 0 && state.seed < 1e9, `a fresh seed: ${state.seed}`);
        assert.deepEqual(state.p, Array.from(lab.randomDistribution(4, state.seed)), 'p is drawn from the seed in the core');
        assert.deepEqual(state.q, Array.from(lab.randomDistribution(4, state.seed + 1e9)), 'q from the seed + 10⁹');
        assert.equal((await note.textContent()).trim(), `p and q drawn at random from seed ${state.seed} (the seed is in the link, so the draw can be repeated).`);
        await page.waitForFunction((seed) => new URLSearchParams(location.search).get('kl-discrete')?.endsWith(`;seed:${seed}`), state.seed);
        seeds.push(state.seed);
      }
      assert.notEqual(seeds[0], seeds[1], 'each Randomise draws a new seed');
      // An edit of p: the pair is no longer the draw, and the seed goes.
      await w.locator('[data-action="swap"]').click();
      assert.equal(await note.isVisible(), false);
      assert.equal((await page.evaluate(() => window.elboLab.widgets['kl-discrete'].state())).seed, undefined);
      // The seed alone draws the same pair again.
      await page.goto(new URL(`?kl-discrete=seed:${seeds[1]}`, page.url()).href);
      await page.waitForSelector('html[data-ready="true"]');
      const again = await page.evaluate(() => window.elboLab.widgets['kl-discrete'].state());
      assert.deepEqual(again, { p: Array.from(lab.randomDistribution(4, seeds[1])), q: Array.from(lab.randomDistribution(4, seeds[1] + 1e9)), unit: 'bits', seed: seeds[1] });
      await assertKlMatchesApi(page);
    }));

    it('Randomise gives new distributions whose readouts match the API', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      let previous = await klDistributions(page);
      for (let k = 0; k < 3; k += 1) {
        await w.locator('[data-action="randomise"]').click();
        const now = await assertKlMatchesApi(page);
        assert.equal(now.p.length, 4);
        assert.notDeepEqual(now.p, previous.p, 'p changed');
        assert.notDeepEqual(now.q, previous.q, 'q changed');
        assert.ok([...now.p, ...now.q].every((x) => x >= 0 && x <= 1));
        previous = now;
      }
    }));

    it('disjoint supports: both KLs ∞ with both outcomes named, JS = 1 bit, TV = 1', shared(async ({ page }) => {
      const w = widget(page, 'kl-discrete');
      // With the keyboard: End puts a bar at 1 (the others go to 0).
      await w.locator('.chart-wrap').nth(0).locator('.handle[data-index="0"]').press('End');
      await w.locator('.chart-wrap').nth(1).locator('.handle[data-index="1"]').press('End');
      const { p, q, shown } = await assertKlMatchesApi(page);
      assert.deepEqual({ p, q }, { p: [1, 0, 0, 0], q: [0, 1, 0, 0] });
      assert.equal(shown.klPQ, '∞ bits');
      assert.equal(shown.klQP, '∞ bits');
      assert.equal(shown.js, '1.000 bits');
      assert.equal(shown.tv, '1.000');
      assert.equal(shown.hp, '0.000 bits');
      const text = await w.locator('.infinity').textContent();
      assert.match(text, /KL\(p ‖ q\) = ∞ because outcome 1 has q = 0 while p = 1\.000/);
      assert.match(text, /KL\(q ‖ p\) = ∞ because outcome 2 has p = 0 while q = 1\.000/);
      for (const [i, c] of (await canvasStats(page, '[data-widget="kl-discrete"] canvas')).entries()) {
        assert.ok(c.ink > c.pixels * 0.01, `canvas ${i} still drawn with infinite values`);
      }
      await w.locator('input[type=radio][value="nats"]').check();
      const nats = await assertKlMatchesApi(page, 'nats');
      assert.equal(nats.shown.js, `${fmt(Math.LN2)} nats`);
      assert.equal(nats.shown.klPQ, '∞ nats');
    }));
  });
});
