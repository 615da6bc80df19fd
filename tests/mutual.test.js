// Section 2.3 end to end ([data-widget="mutual-information"]): the readouts are the API's
// jointReport of the joint the page holds, the identities hold on screen to the shown
// precision, presets, typed values, keyboard and table-size edits react, the data-processing
// panel shows I(X; Z) ≤ I(X; Y), the link round-trips, and a phone layout fits 375 px.
// Run: node --test tests/mutual.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { decode } from '../www/lib/url-state.js';
import { RESULTS, canvasStats, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();
const ID = 'mutual-information';
const KEYS = ['hX', 'hY', 'hXY', 'hXGivenY', 'hYGivenX', 'mutualInformation', 'kl'];

/** The joint and unit the widget holds, and the readouts it shows. */
async function shown(page) {
  return page.evaluate((keys) => {
    const state = window.elboLab.widgets['mutual-information'].state();
    const out = (k) => document.querySelector(`[data-out="mi-${k}"]`).textContent.trim();
    return { state, values: Object.fromEntries(keys.map((k) => [k, out(k)])), ixy: out('ixy'), ixz: out('ixz') };
  }, KEYS);
}

/** Asserts the readouts are jointReport's numbers (and 2.1's KL) and that the identities hold as shown. */
async function assertMatchesApi(page) {
  const s = await shown(page);
  const { joint, nx, unit } = s.state;
  const base = unit === 'bits' ? 2 : Math.E;
  const r = lab.jointReport(joint, nx, base);
  const word = unit === 'bits' ? 'bits' : 'nats';
  for (const k of KEYS.slice(0, 6)) assert.equal(s.values[k], `${fmt(r[k])} ${word}`, k);
  assert.equal(s.values.kl, `${fmt(r.mutualInformation)} ${word}`, 'KL(joint ‖ product) shows I');
  const num = (k) => Number(s.values[k].split(' ')[0].replace('−', '-'));
  const half = 0.0005 * 3; // three rounded numbers
  assert.ok(Math.abs(num('hX') + num('hYGivenX') - num('hXY')) <= half, 'H(X) + H(Y|X) = H(X, Y) as shown');
  assert.ok(Math.abs(num('hY') + num('hXGivenY') - num('hXY')) <= half, 'H(Y) + H(X|Y) = H(X, Y) as shown');
  assert.ok(Math.abs(num('hX') - num('hXGivenY') - num('mutualInformation')) <= half, 'I = H(X) − H(X|Y) as shown');
  return { ...s, r };
}

describe('2.3 mutual information: the link parser', () => {
  it('is strict: a joint must fit nx rows of 2–6, ε’s are clamped, malformed values dropped', () => {
    const ok = decode(ID, 'joint:0.125~0.125~0.25~0.25~0.125~0.125;nx:2;eps:0.25');
    assert.equal(ok.notice, false);
    assert.deepEqual(ok.options, { joint: [0.125, 0.125, 0.25, 0.25, 0.125, 0.125], nx: 2, eps: 0.25 });
    const scaled = decode(ID, 'joint:1~1~1~1~1~1;nx:2');
    assert.deepEqual(scaled.options.joint, Array(6).fill(1 / 6), 'a joint far from Σ = 1 is rescaled, with a notice');
    assert.equal(scaled.notice, true);
    const rows = decode(ID, 'joint:0.5~0.5~0~0;nx:1');
    assert.deepEqual([rows.options.nx, rows.notice], [2, true], 'nx is clamped to 2–6 (then the joint must fit it)');
    for (const text of ['joint:0.5~0.25~0.25;nx:2', 'joint:0.25~0.25~0.25~0.25', 'nx:3', 'joint:0.5~0.5;nx:2', 'joint:0.5~0.5~0~0;nx:4']) {
      const got = decode(ID, text);
      assert.equal(got.notice, true, text);
      assert.equal(got.options.joint, undefined, `${text}: joint dropped`);
    }
    const clamped = decode(ID, 'eps:0.9;e1:-1;e2:abc;unit:nats');
    assert.deepEqual(clamped.options, { eps: 0.5, e1: 0, unit: 'nats' });
    assert.equal(clamped.notice, true);
    assert.deepEqual(decode(ID, 'joint:0.5~-0.5~0.5~0.5;nx:2').options.joint, [1 / 3, 0, 1 / 3, 1 / 3], 'entries clamped to [0, 1], then rescaled');
  });
});

describe('2.3 mutual information', () => {
  before(start);
  after(stop);

  it('opens on Cover & Thomas 2.2.1 with the API’s numbers; draws its charts; screenshot', () => withChapter(async ({ page }) => {
    const { r, values } = await assertMatchesApi(page);
    assert.equal(values.hX, '1.750 bits');
    assert.equal(values.hY, '2.000 bits');
    assert.equal(values.hXGivenY, '1.375 bits');
    assert.equal(values.mutualInformation, '0.375 bits');
    assert.ok(Math.abs(r.hXY - 27 / 8) < 1e-12);
    // H(X | Y = 3) = 2 bits > H(X): shown in the grid.
    assert.equal((await widget(page, ID).locator('[data-hy="2"]').textContent()).trim(), '2.000 bits');
    const stats = await canvasStats(page, `[data-widget="${ID}"] canvas`);
    assert.equal(stats.length, 3, 'joint bars, information diagram, data processing');
    for (const [i, c] of stats.entries()) assert.ok(c.ink > c.pixels * 0.01, `canvas ${i} drawn`);
    const alt = await widget(page, ID).locator('[data-chart="diagram"]').getAttribute('aria-label');
    assert.match(alt, /H\(X, Y\) = 3\.375 bits/);
    await page.evaluate(() => document.fonts.ready);
    await page.locator('#mutual').scrollIntoViewIfNeeded();
    await screenshot(page, `${RESULTS}chapter2-mutual.png`, page.locator('#mutual'));
  }));

  it('presets, a typed value, the keyboard and the table size update the readouts', () => withChapter(async ({ page }) => {
    const w = widget(page, ID);
    await w.locator('[data-preset="independent"]').click();
    let s = await assertMatchesApi(page);
    assert.equal(s.values.mutualInformation, '0.000 bits');
    await w.locator('[data-preset="copy"]').click();
    s = await assertMatchesApi(page);
    assert.equal(s.values.mutualInformation, s.values.hX, 'I(X; X) = H(X)');
    await w.locator('[data-preset="bsc"]').click();
    s = await assertMatchesApi(page);
    const h2 = (e) => -e * Math.log2(e) - (1 - e) * Math.log2(1 - e);
    assert.equal(s.values.mutualInformation, `${fmt(1 - h2(0.1))} bits`, 'BSC: 1 − h(ε)');
    // The ε slider from the keyboard.
    await w.locator('input[data-slider="eps"]').focus();
    await page.keyboard.press('ArrowRight');
    s = await assertMatchesApi(page);
    assert.equal(s.state.eps, 0.11);
    // A typed value: cell (1, 1) := 0.5, the rest rescaled.
    const cell = w.locator('input[data-cell="0"]');
    await cell.fill('0.5');
    await cell.press('Enter');
    s = await assertMatchesApi(page);
    assert.ok(Math.abs(s.state.joint[0] - 0.5) < 1e-12, `${s.state.joint}`);
    // Arrow keys on a focused bar change that cell.
    await w.locator('.handle[data-index="1"]').focus();
    const before = s.state.joint[1];
    await page.keyboard.press('ArrowUp');
    s = await assertMatchesApi(page);
    assert.ok(Math.abs(s.state.joint[1] - (before + 0.01)) < 1e-9, 'ArrowUp adds 0.01');
    // Units and shape.
    await w.locator('input[type="radio"][value="nats"]').check();
    await assertMatchesApi(page);
    await w.locator('[data-action="add-column"]').click();
    s = await assertMatchesApi(page);
    assert.deepEqual([s.state.nx, s.state.joint.length], [2, 6]);
    await w.locator('[data-action="add-row"]').click();
    s = await assertMatchesApi(page);
    assert.deepEqual([s.state.nx, s.state.joint.length], [3, 9]);
    await w.locator('[data-action="remove-column"]').click();
    s = await assertMatchesApi(page);
    assert.deepEqual([s.state.nx, s.state.joint.length], [3, 6]);
    assert.equal(await w.locator('[data-action="remove-column"]').isDisabled(), true, 'at least 2 columns');
  }));

  it('the data-processing panel: I(X; Z) ≤ I(X; Y), as dataProcessing computes them', () => withChapter(async ({ page }) => {
    const w = widget(page, ID);
    await w.locator('input[data-slider="e2"]').focus();
    await page.keyboard.press('ArrowRight');
    const s = await shown(page);
    const flip = (e) => [1 - e, e, e, 1 - e];
    const { iXY, iXZ } = lab.dataProcessing([0.5, 0.5], flip(s.state.e1), 2, flip(s.state.e2), 2, 2);
    assert.equal(s.state.e2, 0.21);
    assert.equal(s.ixy, `${fmt(iXY)} bits`);
    assert.equal(s.ixz, `${fmt(iXZ)} bits`);
    assert.ok(iXZ < iXY);
  }));

  it('a link round-trips the joint, its shape, the unit and the ε’s', () => withChapter(async ({ page, browser }) => {
    const link = '?mutual-information=joint:0.1~0.2~0.3~0.15~0.15~0.1;nx:3;unit:nats;eps:0.2;e1:0.05;e2:0.3';
    await page.goto(new URL(link, page.url()).href);
    await page.waitForSelector('html[data-ready="true"]');
    const s = await assertMatchesApi(page);
    assert.deepEqual({ nx: s.state.nx, unit: s.state.unit, eps: s.state.eps, e1: s.state.e1, e2: s.state.e2 }, { nx: 3, unit: 'nats', eps: 0.2, e1: 0.05, e2: 0.3 });
    [0.1, 0.2, 0.3, 0.15, 0.15, 0.1].forEach((x, i) => assert.ok(Math.abs(s.state.joint[i] - x) < 1e-12));
    const again = await page.evaluate(() => window.elboLab.share.link('mutual-information'));
    assert.match(again, /mutual-information=joint:0\.1~0\.2~0\.3~0\.15~0\.15~0\.1;nx:3;unit:nats;eps:0\.2;e1:0\.05;e2:0\.3/);
    void browser;
  }));

  it('fits a 375 px phone: no sideways scroll of the page', () => withChapter(async ({ page }) => {
    await page.locator('#mutual').scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
    await assertMatchesApi(page);
    await screenshot(page, `${RESULTS}chapter2-mutual-phone.png`, page.locator('[data-widget="mutual-information"]'));
  }, { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true }));
});
