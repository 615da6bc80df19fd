// End-to-end tests of chapter 2 in headless Chromium: the discrete KL playground
// ([data-widget="kl-discrete"]) and the mode-covering / mode-seeking fit ([data-widget="kl-fit"]).
// Every number the page shows is checked against the JS API run here under Node.
// Run: node --test tests/kl.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, boxInView, canvasStats, chapterHarness, fmt, screenshot, sum, widget } from './lib/chapter.js';

const { start, stop, withChapter, sharedChapter } = chapterHarness();










// --- kl-discrete ---

const KL_ROWS = ['hp', 'hq', 'crossPQ', 'crossQP', 'klPQ', 'klQP', 'js', 'tv'];
const DEFAULT_PAIR = { p: [0.3, 0.4, 0.2, 0.1], q: [0.25, 0.35, 0.25, 0.15] };

/** The readouts of the KL widget, as shown: { hp: '1.846 bits', … }. */
function klReadouts(page) {
  return widget(page, 'kl-discrete').locator('output[data-out]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.out, e.textContent.trim()])));
}

/**
 * p and q read back from the widget: full precision from the bar handles' aria-valuenow
 * (p's editor first, then q's), checked against the 3-decimal table inputs.
 */
async function klDistributions(page) {
  const w = widget(page, 'kl-discrete');
  const handles = await w.locator('.handles').evaluateAll((els) => els.map((h) =>
    [...h.querySelectorAll('.handle')].map((e) => Number(e.getAttribute('aria-valuenow')))));
  assert.equal(handles.length, 2, 'two editors, p and q');
  const [p, q] = handles;
  const inputs = await w.locator('input.prob').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(inputs, [...p, ...q].map((x) => fmt(x)), 'the table inputs show p then q');
  for (const d of [p, q]) assert.ok(Math.abs(sum(d) - 1) < 1e-9, `Σ = ${sum(d)} (${d})`);
  return { p, q };
}

/**
 * Asserts every readout is the API's klReport for the widget's p and q in `unit`, and the
 * ∞ alert is shown exactly when a divergence is infinite. Returns { p, q, report, shown }.
 */
async function assertKlMatchesApi(page, unit = 'bits') {
  const { p, q } = await klDistributions(page);
  const report = lab.klReport(p, q, unit === 'bits' ? 2 : Math.E);
  const shown = await klReadouts(page);
  const expected = Object.fromEntries(KL_ROWS.map((k) => [k, k === 'tv' ? fmt(report.tv) : `${fmt(report[k])} ${unit}`]));
  assert.deepEqual(shown, expected, `readouts for p = ${p}, q = ${q}`);
  const alert = widget(page, 'kl-discrete').locator('.infinity');
  const infinite = report.infinitePQ !== null || report.infiniteQP !== null;
  assert.equal(await alert.isVisible(), infinite, `the ∞ alert is shown iff a KL is infinite (${report.klPQ}, ${report.klQP})`);
  return { p, q, report, shown };
}

// --- kl-fit ---

const fitOut = async (page, name) => (await widget(page, 'kl-fit').locator(`[data-out="fit-${name}"]`).textContent()).trim();
/** The widget's p (normalised weights) and q, from the page handle. */
const fitState = (page) => page.evaluate(() => {
  const w = window.elboLab.widgets['kl-fit'];
  const s = w.p.weights.reduce((a, b) => a + b, 0);
  return { p: { weights: w.p.weights.map((x) => x / s), means: [...w.p.means], sigmas: [...w.p.sigmas] }, q: { ...w.q }, steps: w.run.steps, kind: w.run.kind };
});
/** A MixtureFit here in Node for the page's current p. */
const modelOf = ({ p }) => new lab.MixtureFit(p.weights, p.means, p.sigmas);

/** Asserts the KL readouts are the API's KLs for the page's p and q. */
async function assertFitReadouts(page) {
  const state = await fitState(page);
  const m = modelOf(state);
  try {
    assert.equal(await fitOut(page, 'forward'), `${fmt(m.forwardKl(state.q.mu, state.q.sigma))} nats`, `KL(p‖q) at ${JSON.stringify(state.q)}`);
    assert.equal(await fitOut(page, 'reverse'), `${fmt(m.reverseKl(state.q.mu, state.q.sigma))} nats`, `KL(q‖p) at ${JSON.stringify(state.q)}`);
    assert.equal(await fitOut(page, 'moments'), `mean ${fmt(m.mean())}, sd ${fmt(Math.sqrt(m.variance()))}`);
  } finally {
    m.free();
  }
  return state;
}

/** Sets a range slider of the fit widget (by its label) as a user would: input events. */
async function setSlider(page, label, value) {
  const input = widget(page, 'kl-fit').locator('.slider').filter({ has: page.locator(`label:text-is("${label}")`) }).locator('input[type=range]');
  await input.fill(String(value));
}

/** Turns p into 0.5·N(−3, 0.5²) + 0.5·N(3, 0.5²) with the mode buttons and sliders. */
async function makeBimodal(page) {
  const w = widget(page, 'kl-fit');
  for (const [k, centre] of [[0, -3], [1, 3]]) {
    await w.locator(`button[data-mode="${k}"]`).click();
    assert.equal(await w.locator(`button[data-mode="${k}"]`).getAttribute('aria-pressed'), 'true');
    await setSlider(page, 'Centre', centre);
    await setSlider(page, 'Width σₖ', 0.5);
    await setSlider(page, 'Weight', 0.5);
  }
  const { p } = await fitState(page);
  assert.deepEqual(p, { weights: [0.5, 0.5], means: [-3, 3], sigmas: [0.5, 0.5] });
  assert.equal(await fitOut(page, 'moments'), `mean 0.000, sd ${fmt(Math.sqrt(9.25))}`);
}

/** Waits for the fit status to say converged; returns its text. */
async function waitConverged(page) {
  const status = widget(page, 'kl-fit').locator('[data-out="fit-status"]');
  await page.waitForFunction((el) => /converged/.test(el.textContent), await status.elementHandle(), { timeout: 60000 }); // a wait, not a speed check
  return (await status.textContent()).trim();
}

/** The plotting area of a chart, recomputed by drawing the same chart on a scratch canvas. */
function densityRect(page) {
  return page.evaluate(() => {
    const w = window.elboLab.widgets['kl-fit'];
    const c = document.querySelector('[data-widget="kl-fit"] canvas');
    const scratch = document.createElement('canvas');
    scratch.width = c.width;
    scratch.height = c.height;
    return Array.from(w.model.drawDensities(scratch, w.q.mu, w.q.sigma, 0, ['x', 'density'], c.width / c.clientWidth));
  });
}
function landscapeRect(page, kind) {
  return page.evaluate(async (kind) => {
    const lab = await import('/pkg/elbo_lab.js'); // the page's own, already initialised module
    const c = document.querySelector(`[data-widget="kl-fit"] canvas[data-map="${kind}"]`);
    const scratch = document.createElement('canvas');
    scratch.width = c.width;
    scratch.height = c.height;
    return Array.from(lab.drawLandscapeFrame(scratch, 'μ', 'ln σ', c.width / c.clientWidth));
  }, kind);
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

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

  describe('kl-fit widget', () => {
    it('draws the densities and both heat maps; readouts match the API; screenshot', () => withChapter(async ({ page }) => {
      const state = await assertFitReadouts(page);
      assert.deepEqual(state.q, { mu: 0, sigma: 1.5 });
      assert.equal(await fitOut(page, 'status'), 'Press a fit button to watch gradient descent.');
      const m = modelOf(state);
      const f = m.fitForward();
      const r = m.fitReverse();
      m.free();
      assert.equal(await fitOut(page, 'forwardOpt'), `μ = ${fmt(f[0], 2)}, σ = ${fmt(f[1], 2)} (KL ${fmt(f[2])})`);
      assert.equal(await fitOut(page, 'reverseOpt'), Array.from({ length: r.length / 3 }, (_, i) =>
        `μ = ${fmt(r[3 * i], 2)}, σ = ${fmt(r[3 * i + 1], 2)} (KL ${fmt(r[3 * i + 2])})`).join('; '));

      const w = widget(page, 'kl-fit');
      await w.scrollIntoViewIfNeeded();
      const [density] = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-tall');
      assert.ok(density.ink > density.pixels * 0.02, `density chart drawn (${density.ink} px)`);
      const frames = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-map:not(.overlay)');
      const overlays = await canvasStats(page, '[data-widget="kl-fit"] canvas.overlay');
      assert.equal(frames.length, 2);
      assert.deepEqual(await w.locator('canvas.overlay').evaluateAll((els) => els.map((e) => e.dataset.map)), ['forward', 'reverse']);
      for (const [i, c] of frames.entries()) {
        assert.ok(c.ink > c.pixels * 0.3, `heat map ${i} is filled (${c.ink} of ${c.pixels} px)`);
        assert.ok(c.distinct > 30, `heat map ${i} has a colour scale (${c.distinct} colours)`);
      }
      assert.notEqual(frames[0].hash, frames[1].hash, 'the forward and reverse maps differ');
      for (const [i, c] of overlays.entries()) assert.ok(c.ink > 20, `overlay ${i} marks q and the optima (${c.ink} px)`);

      await page.evaluate(() => document.fonts.ready);
      const file = `${RESULTS}chapter2-fit.png`;
      await screenshot(page, file, page.locator('#fit'));
      assert.ok(statSync(file).size > 10_000, 'screenshot written');
    }));

    it('reverse KL fit ends on one mode; forward KL fit ends at the mixture’s mean and sd', () => withChapter(async ({ page }) => {
      const w = widget(page, 'kl-fit');
      const framesBefore = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-map:not(.overlay)');
      await makeBimodal(page);
      const framesAfter = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-map:not(.overlay)');
      framesAfter.forEach((c, i) => assert.notEqual(c.hash, framesBefore[i].hash, `heat map ${i} redrawn for the new p`));
      const m = modelOf(await fitState(page));
      const r = m.fitReverse();
      m.free();
      assert.match(await fitOut(page, 'reverseOpt'), /^μ = −3\.00, σ = 0\.50 \(KL 0\.693\); μ = 3\.00, σ = 0\.50 \(KL 0\.693\)/);
      assert.equal((await fitOut(page, 'reverseOpt')).split('; ').length, r.length / 3);
      await setSlider(page, 'μ', 1.5);
      assert.deepEqual((await fitState(page)).q, { mu: 1.5, sigma: 1.5 });
      await assertFitReadouts(page);
      const mapsBefore = await canvasStats(page, '[data-widget="kl-fit"] canvas.overlay');

      await w.locator('[data-fit="reverse"]').click();
      const status = await waitConverged(page);
      assert.match(status, /^Fitting by reverse KL\(q‖p\): converged after \d+ steps\.$/);
      const rev = await assertFitReadouts(page);
      assert.ok(Math.abs(rev.q.mu - 3) < 0.1, `q on the mode at 3: μ = ${rev.q.mu}`);
      assert.ok(Math.abs(rev.q.sigma - 0.5) < 0.05, `σ ≈ that mode's 0.5: ${rev.q.sigma}`);
      assert.equal(await fitOut(page, 'reverse'), `${fmt(Math.LN2)} nats`, 'KL(q‖p) ≈ ln 2 on one of two equal modes');
      assert.equal(Number(status.match(/after (\d+)/)[1]), rev.steps);
      assert.ok(await w.locator('[data-action="step"]').isDisabled(), 'Step is disabled once converged');
      assert.ok(await w.locator('[data-action="play"]').isDisabled(), 'Play is disabled once converged');
      const mapsAfter = await canvasStats(page, '[data-widget="kl-fit"] canvas.overlay');
      mapsAfter.forEach((c, i) => assert.notEqual(c.hash, mapsBefore[i].hash, `overlay ${i} shows the path`));

      await w.locator('[data-action="reset"]').click();
      assert.deepEqual((await fitState(page)).q, { mu: 1.5, sigma: 1.5 }, 'reset puts q back where the fit started');
      assert.equal(await fitOut(page, 'status'), 'Press a fit button to watch gradient descent.');
      assert.ok(await w.locator('[data-action="reset"]').isDisabled());

      await w.locator('[data-fit="forward"]').click();
      assert.match(await waitConverged(page), /^Fitting by forward KL\(p‖q\): converged after \d+ steps\.$/);
      const fwd = await assertFitReadouts(page);
      const [, mean, sd] = (await fitOut(page, 'moments')).match(/^mean (\S+), sd (\S+)$/).map((s) => Number(s.replace('−', '-')));
      assert.equal(mean, 0);
      assert.ok(Math.abs(fwd.q.mu - mean) < 0.01, `μ = ${fwd.q.mu} ≈ the mean ${mean}, between the modes`);
      assert.ok(Math.abs(fwd.q.sigma - sd) < 0.01, `σ = ${fwd.q.sigma} ≈ the sd ${sd}`);
      assert.ok(Math.abs(fwd.q.sigma - Math.sqrt(9.25)) < 0.01);
      assert.equal(await fitOut(page, 'forwardOpt'), `μ = 0.00, σ = 3.04 (KL ${await fitOut(page, 'forward').then((s) => s.split(' ')[0])})`);
    }));

    it('a mean that is zero up to rounding is shown as 0.000, never “−0.000”', () => withChapter(async ({ page }) => {
      // 0.6·N(−2.5, ·) + 0.4·N(3.75, ·) has mean 0; in doubles the API gives −2.2e-16.
      const w = widget(page, 'kl-fit');
      await w.locator('button[data-mode="1"]').click();
      await setSlider(page, 'Centre', 3.75);
      await setSlider(page, 'Weight', 0.3);
      const state = await assertFitReadouts(page);
      const m = modelOf(state);
      const mean = m.mean();
      m.free();
      assert.ok(Math.abs(mean) < 1e-15, `the mixture's mean is 0 up to rounding (${mean})`);
      assert.match(await fitOut(page, 'moments'), /^mean 0\.000, sd 3\.149$/);
      assert.match(await fitOut(page, 'forwardOpt'), /^μ = 0\.00, σ = 3\.15 /);
      await w.locator('[data-fit="forward"]').click();
      await waitConverged(page);
      assert.ok(Math.abs((await fitState(page)).q.mu) < 1e-12);
      assert.equal(await w.locator('.slider output').nth(3).textContent(), '0.00', 'the μ slider of q');
      assert.match(await w.locator('canvas.chart-tall').getAttribute('aria-label'), /q with μ = 0\.00, σ = 3\.15/);
      const minusZero = await page.evaluate(() => document.body.innerText.match(/−0\.0+(?!\d*[1-9])/g));
      assert.equal(minusZero, null, 'no “−0.00…” anywhere on the page');
    }));

    it('Step advances exactly one descent step while paused', () => withChapter(async ({ page }) => {
      const w = widget(page, 'kl-fit');
      const start = await fitState(page);
      // Start a fit and pause it in the same task, so no animation frame runs in between.
      await page.evaluate(() => {
        const root = document.querySelector('[data-widget="kl-fit"]');
        root.querySelector('[data-fit="reverse"]').click();
        root.querySelector('[data-action="play"]').click();
      });
      assert.equal(await fitOut(page, 'status'), 'Fitting by reverse KL(q‖p): step 0.');
      assert.equal((await w.locator('[data-action="play"]').textContent()).trim(), 'Play', 'paused: the button offers Play');
      assert.ok(await w.locator('[data-action="step"]').isEnabled());

      const m = modelOf(start);
      let state = m.descentStart('reverse', start.q.mu, Math.log(start.q.sigma));
      for (let k = 1; k <= 3; k += 1) {
        await w.locator('[data-action="step"]').click();
        state = m.descentStep('reverse', state);
        const now = await fitState(page);
        assert.equal(now.steps, k);
        assert.equal(await fitOut(page, 'status'), `Fitting by reverse KL(q‖p): step ${k}.`);
        assert.ok(Math.abs(now.q.mu - state[0]) < 1e-12 && Math.abs(Math.log(now.q.sigma) - state[1]) < 1e-12,
          `step ${k}: q = ${JSON.stringify(now.q)}, API state ${Array.from(state)}`);
        await assertFitReadouts(page);
        // Still paused: nothing moves on its own.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        assert.equal((await fitState(page)).steps, k, 'no step without a click');
      }
      m.free();
      assert.notDeepEqual((await fitState(page)).q, start.q);

      await w.locator('[data-action="play"]').click();
      assert.match(await waitConverged(page), /reverse KL/);
    }));

    it('dragging the density chart away from the handles moves q’s μ; a handle moves its mode', () => withChapter(async ({ page }) => {
      const canvas = widget(page, 'kl-fit').locator('canvas.chart-tall');
      const box = await boxInView(page, canvas);
      const start = await fitState(page);
      const k = box.width / await canvas.evaluate((c) => c.width); // CSS px per canvas px
      /** Screen point of x (data units) at height fy (fraction of the plot) for plot area `rect`. */
      const toScreen = (rect, x, fy) => [
        box.x + (rect[0] + ((x - rect[4]) / (rect[5] - rect[4])) * (rect[2] - rect[0])) * k,
        box.y + (rect[3] - fy * (rect[3] - rect[1])) * k,
      ];

      // Press near the bottom of the plot, below the valley between the modes: far from both handles.
      let rect = await densityRect(page);
      await page.mouse.move(...toScreen(rect, 0.5, 0.03));
      await page.mouse.down();
      let now = await fitState(page);
      assert.ok(Math.abs(now.q.mu - 0.5) <= 0.05 + 1e-9, `q's μ jumps to the pointer: ${now.q.mu}`);
      assert.equal(now.q.sigma, start.q.sigma, 'σ untouched');
      assert.deepEqual(now.p, start.p, 'p untouched');

      rect = await densityRect(page);
      await page.mouse.move(...toScreen(rect, 1.25, 0.03), { steps: 5 });
      now = await fitState(page);
      assert.ok(Math.abs(now.q.mu - 1.25) <= 0.05 + 1e-9, `dragged to μ ≈ 1.25: ${now.q.mu}`);
      assert.ok(Math.abs(now.q.mu * 20 - Math.round(now.q.mu * 20)) < 1e-9, 'μ snaps to steps of 0.05');
      await page.mouse.up();
      await assertFitReadouts(page);
      assert.equal(await widget(page, 'kl-fit').locator('.slider output').nth(3).textContent(), fmt(now.q.mu, 2), 'the μ slider follows');
      await page.mouse.move(...toScreen(rect, -2, 0.03), { steps: 3 });
      assert.deepEqual((await fitState(page)).q, now.q, 'released: moving the mouse changes nothing');

      // Mode 2's handle sits at (μ₂, p(μ₂)): grab it and drag it right.
      rect = await densityRect(page);
      const { weights, means, sigmas } = start.p;
      const pdf = (x) => sum(means.map((m, j) => weights[j] * Math.exp(-0.5 * ((x - m) / sigmas[j]) ** 2) / (sigmas[j] * Math.sqrt(2 * Math.PI))));
      await page.mouse.move(...toScreen(rect, means[1], Math.min(pdf(means[1]), rect[6]) / rect[6]));
      await page.mouse.down();
      await page.mouse.move(...toScreen(rect, 3.5, 0.5), { steps: 5 });
      await page.mouse.up();
      const moved = await fitState(page);
      assert.ok(Math.abs(moved.p.means[1] - 3.5) <= 0.1, `mode 2 moved to ≈ 3.5: ${moved.p.means}`);
      assert.equal(moved.p.means[0], means[0], 'mode 1 untouched');
      assert.deepEqual(moved.q, now.q, 'q untouched while a mode is dragged');
      assert.equal(await widget(page, 'kl-fit').locator('button[data-mode="1"]').getAttribute('aria-pressed'), 'true', 'the dragged mode is selected');
      await assertFitReadouts(page);
    }));

    it('clicking a heat map moves q to the (μ, ln σ) under the pointer', () => withChapter(async ({ page }) => {
      const w = widget(page, 'kl-fit');
      const [muMin, muMax, lsMin, lsMax] = lab.MixtureFit.landscapeGrid();
      const start = await fitState(page);
      for (const [kind, fx, fy] of [['reverse', 0.75, 0.3], ['forward', 0.2, 0.8]]) {
        const overlay = w.locator(`canvas[data-map="${kind}"]`);
        const box = await boxInView(page, overlay);
        const k = box.width / await overlay.evaluate((c) => c.width);
        const rect = await landscapeRect(page, kind);
        const before = await canvasStats(page, `[data-widget="kl-fit"] canvas[data-map="${kind}"]`);
        await page.mouse.click(box.x + (rect[0] + fx * (rect[2] - rect[0])) * k, box.y + (rect[3] - fy * (rect[3] - rect[1])) * k);
        const { q } = await fitState(page);
        // One CSS pixel of the plot, in parameter units.
        const tolMu = (muMax - muMin) / ((rect[2] - rect[0]) * k);
        const tolLs = (lsMax - lsMin) / ((rect[3] - rect[1]) * k);
        assert.ok(Math.abs(q.mu - (muMin + fx * (muMax - muMin))) <= tolMu, `${kind}: μ = ${q.mu}`);
        assert.ok(Math.abs(Math.log(q.sigma) - (lsMin + fy * (lsMax - lsMin))) <= tolLs, `${kind}: ln σ = ${Math.log(q.sigma)}`);
        await assertFitReadouts(page);
        const after = await canvasStats(page, `[data-widget="kl-fit"] canvas[data-map="${kind}"]`);
        assert.notEqual(after[0].hash, before[0].hash, `${kind} overlay redrawn with q's new position`);
      }
      assert.notDeepEqual((await fitState(page)).q, start.q);

      // A click in the margin, outside the plotting area, changes nothing.
      const overlay = w.locator('canvas[data-map="reverse"]');
      const box = await overlay.boundingBox();
      const q = (await fitState(page)).q;
      await page.mouse.click(box.x + 2, box.y + box.height - 2);
      assert.deepEqual((await fitState(page)).q, q);
    }));
  });
});
