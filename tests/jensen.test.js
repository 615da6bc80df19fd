// Section 3.4 end to end ([data-widget="jensen"]): the chord readouts are the two-point
// Jensen numbers, the model readouts are the API's (ELBO, log p(x), KL, and the seeded L_K
// estimates bit for bit), the widget reacts to its own controls and to q in the posterior
// widget, and its state round-trips through a link. One browser, two page loads.
// Run: node --test tests/jensen.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { decode } from '../www/lib/url-state.js';
import { chapterHarness, fmt, widget } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();
const ID = 'jensen';
const DRAWS = 20000; // the widget's draws per estimate (www/widgets/jensen.js)

/** The widget's state and what its readouts show (text and data-value). */
async function shown(page) {
  return page.evaluate(() => {
    const handle = window.elboLab.widgets.jensen;
    const out = (k) => {
      const el = document.querySelector(`[data-widget="jensen"] [data-out="jensen-${k}"]`);
      return { text: el.textContent.trim(), value: Number(el.dataset.value) };
    };
    const keys = ['mean', 'logMean', 'meanLog', 'gap', 'elbo', 'sampleMean', 'evidence', 'kl', 'lk', 'closed'];
    return { ...handle.state(), out: Object.fromEntries(keys.map((k) => [k, out(k)])) };
  });
}

/** Asserts every readout against the API at the widget's state; returns the state and readouts. */
async function assertMatchesApi(page) {
  const s = await shown(page);
  const { model, x, params, m, s: sd } = s.state;
  const post = new lab.PosteriorLab(model, x, params);
  try {
    const elbo = post.elbo(m, sd);
    const ev = post.logEvidence();
    const kl = post.klToPosterior(m, sd);
    assert.equal(s.out.elbo.text, fmt(elbo));
    assert.equal(s.out.evidence.text, fmt(ev));
    assert.equal(s.out.kl.text, fmt(kl));
    assert.ok(Math.abs(s.out.kl.value - (ev - elbo)) < 1e-9, 'the gap log p(x) − ELBO is the KL');
    // The same seeded draws in Node's wasm and the page's: equal to the bit.
    const l1 = post.iwaeBound(m, sd, 1, DRAWS, s.seed);
    const lk = post.iwaeBound(m, sd, s.k, DRAWS, s.seed);
    assert.equal(s.out.sampleMean.value, l1.estimate);
    assert.equal(s.out.sampleMean.text, `${fmt(l1.estimate)} ± ${fmt(l1.stdError)}`);
    assert.equal(s.out.lk.value, lk.estimate);
    assert.ok(s.out.lk.text.includes(`${fmt(lk.estimate)} ± ${fmt(lk.stdError)}`), s.out.lk.text);
    assert.ok(s.out.lk.text.includes(`${Math.floor(DRAWS / s.k)} groups`), s.out.lk.text);
    // The share of the gap closed: the estimate's, with the estimate's standard error scaled alike.
    const share = (lk.estimate - elbo) / (ev - elbo);
    assert.ok(Math.abs(s.out.closed.value - share) < 1e-12, `share ${s.out.closed.value} vs ${share}`);
    assert.equal(s.out.closed.text, `${fmt(100 * share, 1)} % ± ${fmt(100 * lk.stdError / (ev - elbo), 1)} %`);
    assert.ok(Math.abs(l1.estimate - elbo) < 4 * l1.stdError, 'L₁ estimates the ELBO');
    assert.ok(elbo < ev, 'ELBO < log p(x)');
    // The two-point picture.
    const mean = s.lam * s.w1 + (1 - s.lam) * s.w2;
    const meanLog = s.lam * Math.log(s.w1) + (1 - s.lam) * Math.log(s.w2);
    assert.ok(s.out.mean.text.endsWith(`= ${fmt(mean)}`), s.out.mean.text);
    assert.equal(s.out.logMean.text, fmt(Math.log(mean)));
    assert.equal(s.out.meanLog.text, fmt(meanLog));
    assert.equal(s.out.gap.text, fmt(Math.log(mean) - meanLog));
    assert.ok(s.out.gap.value >= 0, 'Jensen: log E[w] ≥ E[log w]');
    return s;
  } finally {
    post.free();
  }
}

/** Inked pixels of each of the widget's canvases. */
const ink = (page) => page.evaluate(() => [...document.querySelectorAll('[data-widget="jensen"] canvas')].map((c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3] && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n += 1;
  return n;
}));

describe('3.4 Jensen and the IWAE bounds: the link parser', () => {
  it('reads the model, q, K, seed and the chord’s values; clamps out-of-range ones', () => {
    const ok = decode(ID, 'model:bimodal;x:2.5;sigmaX:0.5;m:0.5;s:1;k:300;seed:7;w1:2;w2:6;lam:0.25');
    assert.equal(ok.notice, false);
    assert.deepEqual(ok.options, { state: { model: 'bimodal', x: 2.5, params: { sigmaX: 0.5 }, m: 0.5, s: 1 }, k: 300, seed: 7, w1: 2, w2: 6, lam: 0.25 });
    const clamped = decode(ID, 'k:5000;w1:0;lam:2');
    assert.deepEqual(clamped.options, { k: 1000, w1: 0.1, lam: 1 });
    assert.equal(clamped.notice, true);
  });
});

describe('3.4 Jensen and the IWAE bounds, end to end', () => {
  before(start);
  after(stop);

  it('renders the API’s numbers, reacts to λ, K, the seed and q, and round-trips through a link', () => withChapter(async ({ page }) => {
    await page.locator('#jensen').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-widget="jensen"] [data-out="jensen-lk"]')?.dataset.value);
    const first = await assertMatchesApi(page);
    assert.deepEqual([first.k, first.seed], [100, 1], 'defaults: K = 100, seed 1');
    assert.ok((await ink(page)).every((n) => n > 100), 'three charts drawn');
    assert.ok(first.out.lk.value > first.out.elbo.value, 'L_100 above the ELBO');

    // λ by keyboard: the chord readouts follow.
    const w = widget(page, ID);
    await w.locator('input[data-input="lam"]').focus();
    await page.keyboard.press('ArrowRight');
    assert.equal((await assertMatchesApi(page)).lam, 0.51);
    // K: the next stop, 150; the seed: a fresh set of draws.
    await w.locator('input[data-input="k"]').focus();
    await page.keyboard.press('ArrowRight');
    await w.locator('input[data-input="seed"]').fill('5');
    await w.locator('input[data-input="seed"]').dispatchEvent('change');
    const moved = await assertMatchesApi(page);
    assert.deepEqual([moved.k, moved.seed], [150, 5]);
    assert.notEqual(moved.out.lk.value, first.out.lk.value);

    // q moved in the posterior widget (3.2): the model panel follows.
    const m = widget(page, 'posterior').locator('input[data-input="m"]');
    await m.focus();
    for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowRight');
    await page.locator('#jensen').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.elboLab.widgets.jensen.state().state.m > 0.19);
    // Off screen the model panel waits; back on screen (the visibility callback) it repaints.
    await page.waitForFunction((old) => Number(document.querySelector('[data-widget="jensen"] [data-out="jensen-elbo"]').dataset.value) !== old, moved.out.elbo.value);
    // It may first repaint at a q the keys passed through: wait (up to 60 s) until it shows the
    // ELBO of the q it holds now, then check every readout.
    for (const end = Date.now() + 60000; Date.now() < end;) {
      const now = await shown(page);
      const post = new lab.PosteriorLab(now.state.model, now.state.x, now.state.params);
      const current = now.out.elbo.text === fmt(post.elbo(now.state.m, now.state.s));
      post.free();
      if (current) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const followed = await assertMatchesApi(page);
    assert.ok(Math.abs(followed.state.m - 0.2) < 1e-9, `m = ${followed.state.m}`);
    assert.notEqual(followed.out.elbo.text, moved.out.elbo.text);

    // The link: a new load reproduces the model, q, K, seed and the chord, and the numbers.
    const link = await page.evaluate(() => window.elboLab.share.link('jensen'));
    assert.match(link, /jensen=model:gaussian;x:1;sigmaX:1;m:0\.2;s:1;k:150;seed:5;w1:0\.5;w2:8;lam:0\.51/);
    await page.goto(link);
    await page.waitForSelector('html[data-ready="true"]');
    await page.locator('#jensen').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-widget="jensen"] [data-out="jensen-lk"]')?.dataset.value);
    const again = await assertMatchesApi(page);
    assert.deepEqual({ ...again, out: undefined }, { ...followed, out: undefined });
    assert.deepEqual(again.out, followed.out);
  }));
});
