// The coin's first posterior: lab.betaPosterior under Node (closed forms, conjugacy, coded
// errors), and end to end the likelihood widget's "From likelihood to posterior" panel
// ([data-part="posterior"]): it renders, follows the prior sliders, the presets and the data,
// shows what lab.betaPosterior returns in the page, and its link round-trips a and b.
// Run: node --test tests/beta.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { codedErrorProblem } from './lib/errors.js';
import { canvasStats, chapterHarness, fmt, screenshot, RESULTS, widget } from './lib/chapter.js';
import en from '../www/i18n/en.js';
import zh from '../www/i18n/zh.js';

/** ln B(a, b) for whole a, b ≥ 1, from factorials: B(a, b) = (a − 1)! (b − 1)! / (a + b − 1)!. */
const lnBetaWhole = (a, b) => {
  const lnFact = (n) => { let s = 0; for (let i = 2; i <= n; i += 1) s += Math.log(i); return s; };
  return lnFact(a - 1) + lnFact(b - 1) - lnFact(a + b - 1);
};

describe('lab.betaPosterior under Node', () => {
  it('gives the Beta(a + h, b + t) posterior with its closed forms', () => {
    const r = lab.betaPosterior(7, 3, 1, 1);
    assert.deepEqual([r.a, r.b], [8, 4]);
    assert.ok(Math.abs(r.mean - 2 / 3) < 1e-15);
    assert.ok(Math.abs(r.mode - 0.7) < 1e-15, 'a uniform prior puts the mode at the MLE');
    assert.ok(Math.abs(r.variance - 32 / (144 * 13)) < 1e-15);
    // mpmath: the 2.5% and 97.5% quantiles of Beta(8, 4).
    assert.ok(Math.abs(r.lower - 0.39025744042757876) < 1e-13, r.lower);
    assert.ok(Math.abs(r.upper - 0.8907365561809019) < 1e-13, r.upper);
    assert.ok(Math.abs(r.logEvidence - lnBetaWhole(8, 4)) < 1e-13, 'ln p(data) = ln B(8, 4) − ln B(1, 1)');
    assert.equal(r.density, undefined, 'no density without thetas');
    const e = lab.betaPosterior(30, 20, 3, 2);
    assert.ok(Math.abs(e.logEvidence - (lnBetaWhole(33, 22) - lnBetaWhole(3, 2))) < 1e-12);
  });

  it('evaluates the density on thetas: likelihood × prior / evidence', () => {
    const thetas = Float64Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
    const [h, t, a, b] = [12, 5, 2.5, 4];
    const r = lab.betaPosterior(h, t, a, b, thetas);
    const prior = lab.betaPosterior(0, 0, a, b, thetas).density;
    const ll = lab.coinLogLikelihoodCurve(h, t, thetas);
    assert.equal(r.density.length, thetas.length);
    thetas.forEach((x, i) => {
      const bayes = Math.exp(ll[i] - r.logEvidence) * prior[i];
      assert.ok(Math.abs(r.density[i] - bayes) <= 1e-12 * bayes, `θ = ${x}`);
    });
    // Trapezoid rule over a fine grid: the posterior integrates to 1.
    const fine = Float64Array.from({ length: 20001 }, (_, i) => i / 20000);
    const d = lab.betaPosterior(h, t, a, b, fine).density;
    let area = 0;
    for (let i = 1; i < fine.length; i += 1) area += 0.5 * (d[i] + d[i - 1]) / 20000;
    assert.ok(Math.abs(area - 1) < 1e-6, area);
    const edges = lab.betaPosterior(0, 0, 0.5, 0.5, [0, 1]).density;
    assert.deepEqual([...edges], [Infinity, Infinity], 'Jeffreys is unbounded at both ends');
    assert.equal(lab.betaPosterior(0, 0, 1, 1).mode, null, 'Beta(1, 1) has no mode');
  });

  it('rejects bad input with coded errors', () => {
    const cases = [
      [[1, 1, 0, 1], 'beta-shape'], [[1, 1, 1, -2], 'beta-shape'], [[1, 1, NaN, 1], 'beta-shape'],
      [[1, 1, Infinity, 1], 'beta-shape'], [[1.5, 1, 1, 1], 'flip-count'], [[-1, 1, 1, 1], 'flip-count'],
      [[6000, 4001, 1, 1], 'too-many-flips'], [[1, 1, 1, 1, [0.5, 1.5]], 'probability-out-of-range'],
      [[1, 1, 1, 1, [NaN]], 'probability-out-of-range'], [[1, 1, 1, 1, 'θ'], 'not-number-array'],
    ];
    for (const [args, code] of cases) {
      assert.throws(() => lab.betaPosterior(...args), (err) => {
        assert.equal(codedErrorProblem(err), null);
        assert.equal(err.code, code, JSON.stringify(args));
        return true;
      });
    }
    assert.equal(lab.betaPosterior(1, 1, 1, 1, null).density, undefined, 'null thetas: no density');
  });
});

const { start, stop, withChapter } = chapterHarness();
const PALETTE = { blue: [0x25, 0x63, 0xeb], orange: [0xea, 0x58, 0x0c], purple: [0x7c, 0x3a, 0xed], green: [0x05, 0x96, 0x69] };

/** The panel's readouts by data-out, as shown. */
const shown = (page) => widget(page, 'likelihood').locator('[data-part="posterior"] output[data-out]').evaluateAll((els) =>
  Object.fromEntries(els.map((e) => [e.dataset.out, e.textContent.trim()])));

/** The widget's data and prior as its controls show them. */
async function controls(page) {
  const w = widget(page, 'likelihood');
  const [heads, tails] = await w.locator('fieldset.controls input[type="number"]').evaluateAll((els) => els.map((e) => Number(e.value)));
  const a = Number(await w.locator('[data-control="prior-a"] input').inputValue());
  const b = Number(await w.locator('[data-control="prior-b"] input').inputValue());
  return { heads, tails, a, b };
}

/** lab.betaPosterior for the controls' values, evaluated in the page's own wasm instance. */
const inPage = (page, { heads, tails, a, b }) => page.evaluate(async ([h, t, pa, pb]) => {
  const lab = await import('./pkg/elbo_lab.js');
  const r = lab.betaPosterior(h, t, pa, pb);
  return { ...r, mle: h + t === 0 ? null : lab.coinLikelihood(h, t, 0.5).mle };
}, [heads, tails, a, b]);

const shape = (x) => String(Number(x.toFixed(2)));

/** Asserts every readout of the panel is the page's lab.betaPosterior for the controls. */
async function assertMatchesApi(page, strings = en) {
  const c = await controls(page);
  const r = await inPage(page, c);
  const got = await shown(page);
  assert.deepEqual(got, {
    'beta-post': `Beta(${shape(r.a)}, ${shape(r.b)})`,
    'beta-mean': fmt(r.mean, 4),
    'beta-mode': r.mode === null ? strings['beta.noMode'] : fmt(r.mode, 4),
    'beta-mle': r.mle === null ? strings['lik.noMle'] : fmt(r.mle, 4),
    'beta-interval': `[${fmt(r.lower, 4)}, ${fmt(r.upper, 4)}]`,
    'beta-evidence': `${fmt(r.logEvidence, 3)} ${strings['lik.nats']}`,
  }, JSON.stringify(c));
  assert.equal(r.a, c.a + c.heads, 'conjugacy: a + h');
  assert.equal(r.b, c.b + c.tails, 'conjugacy: b + t');
  return { c, r, got };
}

describe('the posterior panel in the page', () => {
  before(start);
  after(stop);

  it('renders prior, likelihood and posterior with readouts equal to the API', () => withChapter(async ({ page }) => {
    const panel = widget(page, 'likelihood').locator('[data-part="posterior"]');
    await panel.scrollIntoViewIfNeeded();
    assert.equal(await panel.locator('h3').textContent(), en['beta.panelTitle']);
    assert.equal(await page.locator('#likelihood h3[data-i18n="beta.title"]').textContent(), en['beta.title']);
    const { c, r } = await assertMatchesApi(page);
    assert.deepEqual(c, { heads: 7, tails: 3, a: 1, b: 1 }, 'the defaults: 7 heads, 3 tails, a uniform prior');
    assert.equal(r.mode, r.mle, 'uniform prior: mode = MLE');
    const [stats] = await canvasStats(page, '[data-chart="posterior"]', PALETTE);
    assert.ok(stats.ink > 0.02 * stats.pixels, `the chart is drawn (${stats.ink} of ${stats.pixels} pixels)`);
    for (const colour of ['blue', 'orange', 'green']) assert.ok(stats.colours[colour] > 30, `${colour}: ${stats.colours[colour]}`);
    // Under the uniform prior the posterior is the scaled likelihood, drawn over it; the page says so.
    assert.equal(stats.colours.purple, 0, 'the likelihood is covered by the posterior');
    assert.ok(await panel.locator('[data-out="beta-coincide"]').isVisible());
    const alt = await panel.locator('canvas').getAttribute('aria-label');
    assert.ok(alt.includes('Beta(1, 1)') && alt.includes('Beta(8, 4)') && alt.includes(fmt(r.lower, 4)), alt);
    await screenshot(page, `${RESULTS}beta-panel.png`, panel);
  }));

  it('follows the keyboard on the sliders, the presets and the data', () => withChapter(async ({ page }) => {
    const w = widget(page, 'likelihood');
    const aInput = w.locator('[data-control="prior-a"] input');
    await aInput.focus();
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowLeft'); // b: 1 → 0.9
    let { c, got } = await assertMatchesApi(page);
    assert.deepEqual([c.a, c.b], [1.4, 0.9]);
    assert.equal(got['beta-post'], 'Beta(8.4, 3.9)');
    assert.equal(got['beta-mode'], fmt(7.4 / 10.3, 4), 'both shapes ≥ 1: the mode (a + h − 1)/(a + b + n − 2)');

    const before = await canvasStats(page, '[data-chart="posterior"]');
    await w.locator('[data-preset="fair"]').click();
    ({ c } = await assertMatchesApi(page));
    assert.deepEqual([c.a, c.b], [20, 20]);
    assert.equal(await w.locator('[data-preset="fair"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await w.locator('[data-preset="uniform"]').getAttribute('aria-pressed'), 'false');
    const after = await canvasStats(page, '[data-chart="posterior"]', PALETTE);
    assert.notEqual(after[0].hash, before[0].hash, 'the chart was redrawn');
    assert.ok(after[0].colours.purple > 30, 'the likelihood shows once the prior is not uniform');
    assert.ok(!(await w.locator('[data-out="beta-coincide"]').isVisible()));

    const evidenceBefore = (await shown(page))['beta-evidence'];
    await w.locator('[data-action="add-heads"]').click();
    ({ c, got } = await assertMatchesApi(page));
    assert.deepEqual(c, { heads: 8, tails: 3, a: 20, b: 20 });
    assert.equal(got['beta-post'], 'Beta(28, 23)');
    assert.notEqual(got['beta-evidence'], evidenceBefore, 'one more flip changes ln p(data)');

    await w.locator('[data-preset="jeffreys"]').click();
    await w.locator('[data-action="reset"]').click();
    ({ c, got } = await assertMatchesApi(page));
    assert.deepEqual(c, { heads: 0, tails: 0, a: 0.5, b: 0.5 });
    assert.equal(got['beta-mode'], en['beta.noMode'], 'Jeffreys without data: no mode');
    assert.equal(got['beta-evidence'], `0.000 ${en['lik.nats']}`, 'no data: p(data) = 1');
  }));

  it('a link round-trips the prior; a link out of range is clamped', () => withChapter(async ({ page, context }) => {
    const w = widget(page, 'likelihood');
    await w.locator('[data-control="prior-a"] input').fill('12.3');
    await w.locator('[data-control="prior-b"] input').fill('4.5');
    const sent = await assertMatchesApi(page);
    const link = await page.evaluate(() => window.elboLab.share.link('likelihood'));
    const param = new URL(link).searchParams.get('likelihood');
    assert.match(param, /(^|;)a:12\.3;b:4\.5($|;)/, param);
    assert.deepEqual(await page.evaluate(() => {
      const { a, b } = window.elboLab.widgets.likelihood.state();
      return { a, b };
    }), { a: 12.3, b: 4.5 });

    const fresh = await context.newPage();
    const problems = [];
    fresh.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
    await fresh.goto(link);
    await fresh.waitForSelector('html[data-ready="true"]');
    const got = await assertMatchesApi(fresh);
    assert.deepEqual(got.c, sent.c, 'the receiver has the same data and prior');
    assert.deepEqual(got.got, sent.got, 'and sees the same readouts');

    const url = new URL(link);
    url.searchParams.set('likelihood', 'a:99;b:0');
    await fresh.goto(url.href);
    await fresh.waitForSelector('html[data-ready="true"]');
    const clamped = await assertMatchesApi(fresh);
    assert.deepEqual([clamped.c.a, clamped.c.b], [50, 0.1]);
    assert.equal(await widget(fresh, 'likelihood').locator('[data-url-notice]').count(), 1, 'the clamp is noted');
    assert.deepEqual(problems, []);
    await fresh.close();
  }));

  it('speaks Chinese on the Chinese page', () => withChapter(async ({ page }) => {
    const panel = widget(page, 'likelihood').locator('[data-part="posterior"]');
    assert.equal(await panel.locator('h3').textContent(), zh['beta.panelTitle']);
    assert.equal(await panel.locator('[data-preset="fair"]').textContent(), zh['beta.presetFair']);
    await assertMatchesApi(page, zh);
    const alt = await panel.locator('canvas').getAttribute('aria-label');
    assert.ok(alt.startsWith(zh['beta.alt'].slice(0, 8)), alt);
  }, { path: '?lang=zh' }));
});
