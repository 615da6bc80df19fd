// Section 4.3 end to end ([data-widget="rate-distortion"]): a tiny β sweep (2 epochs per model)
// runs in the page's Web Workers, progress arrives, every model lands on the plane with the
// numbers Node computes from the same seed (the sweep is deterministic), the readouts show
// D, R, −ELBO = D + R and the surgery of the current model and follow its β, the image and the
// unit, and a link reproduces the state and the sweep. One browser, two page loads.
// Run: node --test tests/rate.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { decode, encode } from '../www/lib/url-state.js';
import { BETAS, sweepData, trainOne } from '../www/lib/beta-sweep.js';
import { canvasStats, chapterHarness, fmt, widget } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();
const ID = 'rate-distortion';
const EPOCHS = 2;
const data = sweepData(lab, readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const expected = new Map();
/** The model Node trains for β with the page's settings (seed 1 unless given). */
const model = (beta, seed = 1) => {
  const key = `${beta}/${seed}`;
  if (!expected.has(key)) expected.set(key, trainOne(lab, data, { beta, epochs: EPOCHS, seed }));
  return expected.get(key);
};
const num = (text) => Number(text.split(' ')[0].replace('−', '-'));

/** Runs the sweep from the widget and waits for it; returns its results (plain numbers). */
async function runTinySweep(page, click = true) {
  const w = widget(page, ID);
  if (click) {
    await w.locator('[data-control="epochs"]').selectOption(String(EPOCHS));
    await w.locator('[data-action="run"]').click();
  }
  await page.waitForFunction(() => document.querySelector('[data-widget="rate-distortion"]').dataset.sweep === 'done', null, { timeout: 120000 });
  return page.evaluate(() => window.elboLab.widgets['rate-distortion'].results()
    .map((r) => ({ beta: r.beta, distortion: r.distortion, rate: r.rate, negElbo: r.negElbo, mutualInformation: r.mutualInformation, marginalKl: r.marginalKl })));
}

/** The readouts of the current model. */
async function shown(page) {
  return page.evaluate(() => {
    const out = (k) => document.querySelector(`[data-out="rd-${k}"]`).textContent.trim();
    return {
      state: window.elboLab.widgets['rate-distortion'].state(),
      d: out('distortion'), r: out('rate'), elbo: out('neg-elbo'), info: out('info'), marginal: out('marginal'), sum: out('surgery-sum'),
      imageD: out('image-distortion'), imageR: out('image-rate'), imageElbo: out('image-neg-elbo'),
    };
  });
}

/** The readouts are Node's numbers for the current β, image and unit; D + R = −ELBO as shown. */
async function assertShowsModel(page) {
  const s = await shown(page);
  const m = model(s.state.beta, s.state.seed);
  const k = s.state.unit === 'bits' ? Math.LN2 : 1;
  const u = s.state.unit;
  assert.equal(s.d, `${fmt(m.distortion / k)} ${u}`);
  assert.equal(s.r, `${fmt(m.rate / k)} ${u}`);
  assert.equal(s.elbo, `${fmt(m.negElbo / k)} ${u}`);
  assert.equal(s.info, `${fmt(m.mutualInformation / k)} ${u}`);
  assert.equal(s.marginal, `${fmt(m.marginalKl / k)} ${u}`);
  const i = s.state.image;
  const [d, r] = [m.perImage.distortion[i], m.perImage.rate[i]];
  assert.equal(s.imageD, `${fmt(d / k)} ${u}`);
  assert.equal(s.imageR, `${fmt(r / k)} ${u}`);
  assert.equal(s.imageElbo, `${fmt((d + r) / k)} ${u}`);
  for (const [a, b, c] of [[s.d, s.r, s.elbo], [s.imageD, s.imageR, s.imageElbo]]) {
    assert.ok(Math.abs(num(a) + num(b) - num(c)) <= 0.0015, `${a} + ${b} = ${c} as shown`);
  }
  return s;
}

describe('4.3 rate and distortion: the link parser', () => {
  it('reads epochs, β and the image strictly', () => {
    assert.deepEqual(decode(ID, 'epochs:20;beta:0.25;image:7;unit:bits;seed:3;run:1').options,
      { epochs: 20, beta: 0.25, image: 7, unit: 'bits', seed: 3, run: 1 });
    const bad = decode(ID, 'epochs:3;beta:0.3;image:999');
    assert.deepEqual(bad.options, { image: 359 });
    assert.equal(bad.notice, true);
  });
});

describe('4.3 rate and distortion', () => {
  before(start);
  after(stop);

  let sent = null; // the first page's state and results, for the link
  it('runs a tiny sweep in workers with progress; the plane and the readouts show Node’s numbers, and react', () => withChapter(async ({ page }) => {
    const w = widget(page, ID);
    await w.locator('[data-action="run"]').scrollIntoViewIfNeeded();
    assert.match(await w.locator('[data-out="rd-status"]').textContent(), /\d+/);
    const results = await runTinySweep(page);
    // Every model's progress arrived: each bar is full only after its last epoch's message.
    assert.deepEqual(await w.locator('progress').evaluateAll((ps) => ps.map((p) => p.value)), BETAS.map(() => 1));
    assert.deepEqual(results.map((r) => r.beta), [...BETAS]);
    for (const beta of [0.1, 1, 8]) {
      const got = results.find((r) => r.beta === beta);
      const want = model(beta);
      for (const key of ['distortion', 'rate', 'negElbo', 'mutualInformation', 'marginalKl']) assert.equal(got[key], want[key], `β = ${beta}: ${key}`);
    }
    assert.ok(results[0].rate > results[6].rate, 'β = 0.1 spends more rate than β = 8');
    const stats = await canvasStats(page, `[data-widget="${ID}"] canvas`);
    for (const [i, c] of stats.entries()) assert.ok(c.ink > c.pixels * 0.005, `canvas ${i} drawn`);
    assert.match(await w.locator('[data-chart="plane"]').getAttribute('aria-label'), /β = 8: R = /);
    await assertShowsModel(page);
    // React: another β, another image, bits.
    await w.locator('[data-control="beta"]').selectOption('0.25');
    await w.locator('[data-control="image"]').fill('12');
    await w.locator('[data-control="image"]').press('Enter');
    await w.locator('input[type="radio"][value="bits"]').check();
    const s = await assertShowsModel(page);
    assert.deepEqual([s.state.beta, s.state.image, s.state.unit], [0.25, 12, 'bits']);
    assert.equal(await w.locator('tr.key[data-beta="0.25"]').count(), 1, 'the current model is marked in the table');
    sent = { state: s.state, results };
  }));

  it('a link reproduces the settings and the sweep', () => withChapter(async ({ page }) => {
    assert.ok(sent, 'the first test ran');
    const text = encode(ID, sent.state);
    assert.match(text, /run:1/);
    const w = widget(page, ID);
    await w.locator('[data-action="run"]').scrollIntoViewIfNeeded();
    const results = await runTinySweep(page, false);
    assert.deepEqual(results, sent.results, 'the same sweep, bit for bit');
    const s = await assertShowsModel(page);
    assert.deepEqual(s.state, sent.state);
    assert.equal(await w.locator('[data-control="epochs"]').inputValue(), String(EPOCHS));
  }, { path: `?v=2&${ID}=${encodeURIComponent(encode(ID, { epochs: EPOCHS, beta: 0.25, image: 12, unit: 'bits', seed: 1, run: 1 }))}` }));
});
