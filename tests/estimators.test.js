// 3.2's gradient-estimators panel end to end (in [data-widget="posterior"]), in one page load:
// a link sets the model, q and the panel's K, seed and component; the readouts are the API's
// numbers for the 1,000 seeded estimates; keyboard changes K and the component; the charts
// are drawn; the link round-trips; while Adam plays the panel waits and says so; nothing is
// logged (the harness checks).
// Run: node --test tests/estimators.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import en from '../www/i18n/en.js';
import { canvasStats, chapterHarness, fmt, widget } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();
const LINK = '?v=2&posterior=model:bimodal;x:2.5;sigmaX:0.5;m:0.5;s:1;ek:20;eseed:7;epart:logs';

/** Mean, variance and standard error of the mean of `xs` (as the panel computes them). */
function summary(xs) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, variance, se: Math.sqrt(variance / n) };
}

/** The panel's readouts as the API computes them for K samples, seed, component part. */
function expected(k, seed, part) {
  const post = new lab.PosteriorLab('bimodal', 2.5, { sigmaX: 0.5 });
  try {
    const run = (fn) => summary(Array.from({ length: 1000 }, (_, i) => post[fn](0.5, 1, k, seed + i)[part]));
    return { exact: post.elboGradient(0.5, 1)[part], score: run('scoreGradient'), reparam: run('reparamGradient') };
  } finally {
    post.free();
  }
}

/** Waits until the panel shows K = `k` and returns its readouts. */
async function readouts(page, k) {
  await page.waitForFunction((want) => document.querySelector('[data-out="est-k"]')?.textContent === String(want)
    && document.querySelector('[data-out="est-exact"]')?.textContent.includes(`K = ${want} `), k);
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-part="estimators"] [data-out]')]
    .map((el) => [el.dataset.out, el.textContent.trim()])));
}

function assertShows(shown, k, part) {
  const want = expected(k, 7, part);
  for (const e of ['score', 'reparam']) {
    assert.equal(shown[`est-${e}-mean`], fmt(want[e].mean, 4), `${e} mean, K = ${k}`);
    assert.equal(shown[`est-${e}-se`], fmt(want[e].se, 4), `${e} standard error`);
    assert.equal(shown[`est-${e}-var`], fmt(want[e].variance, 4), `${e} variance`);
    // Unbiased: the mean within 4 standard errors of the exact gradient.
    assert.ok(Math.abs(want[e].mean - want.exact) < 4 * want[e].se, `${e}: ${want[e].mean} vs ${want.exact}`);
  }
  assert.ok(shown['est-exact'].includes(`: ${fmt(want.exact, 4)} `), shown['est-exact']);
  // The bimodal presets are where the text claims the score function is the noisier.
  const ratio = want.score.variance / want.reparam.variance;
  assert.ok(ratio > 1);
  assert.equal(shown['est-ratio'], en['est.ratioMore'].replace('{k}', k).replace('{r}', fmt(ratio, 2)));
}

describe('3.2 gradient estimators panel', () => {
  before(start);
  after(stop);

  it('shows the API\'s estimates for the linked K, seed and component; keys change them; the link round-trips', () => withChapter(async ({ page }) => {
    const panel = widget(page, 'posterior').locator('[data-part="estimators"]');
    await panel.scrollIntoViewIfNeeded();
    assertShows(await readouts(page, 20), 20, 2);
    assert.equal(await panel.locator('[data-epart="logs"]').getAttribute('aria-pressed'), 'true');
    const [hist, sweep] = [await canvasStats(page, '[data-chart="est-hist"]'), await canvasStats(page, '[data-chart="est-sweep"]')];
    assert.ok(hist[0].ink > 1000 && sweep[0].ink > 500, `charts drawn (${hist[0].ink}, ${sweep[0].ink} inked pixels)`);

    // Keyboard: Home takes the log slider to K = 1; the component button answers Enter.
    await panel.locator('input[data-input="ek"]').focus();
    await page.keyboard.press('Home');
    await panel.locator('[data-epart="m"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-epart="m"]').getAttribute('aria-pressed') === 'true');
    await page.waitForFunction(() => document.querySelector('[data-out="est-exact"]').textContent.startsWith('Exact ∂ELBO/∂m'));
    assertShows(await readouts(page, 1), 1, 1);
    const link = await page.evaluate(() => window.elboLab.share.link('posterior'));
    assert.match(link, /ek:1;eseed:7;epart:m/);

    // While Adam plays, the panel waits (saying so) at the q it names; Pause brings it to q.
    const play = widget(page, 'posterior').locator('[data-action="play"]');
    await play.click();
    await page.waitForFunction(() => !document.querySelector('[data-out="est-wait"]').hidden);
    await page.waitForFunction(() => window.elboLab.widgets.posterior.store.get().m !== 0.5);
    assert.match(await panel.locator('[data-out="est-exact"]').textContent(), /N\(0\.50, 1\.00²\)/);
    await play.click();
    await page.waitForFunction(() => document.querySelector('[data-out="est-wait"]').hidden);
    const { m, s } = await page.evaluate(() => window.elboLab.widgets.posterior.store.get());
    await page.waitForFunction((want) => document.querySelector('[data-out="est-exact"]').textContent.includes(want), `N(${fmt(m, 2)}, ${fmt(s, 2)}²)`);
  }, { path: LINK }));
});
