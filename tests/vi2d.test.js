// Section 3.5 end to end ([data-widget="vi-2d"]), in one page load plus one link: the readouts
// are Posterior2d's numbers for the state the widget holds, with log Z = ELBO + KL as shown; the
// mean-field and full optima give the values the text states; CAVI steps move one coordinate
// at a time; Play animates Adam and, under reduced motion, takes its steps at once (the same q
// as the API's seeded run); placing a point moves the logistic posterior (updated in place, equal to a
// new Posterior2d) and removing it moves it back; a link round-trips.
// Run: node --test tests/vi2d.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { decode, encode } from '../www/lib/url-state.js';
import { chapterHarness, widget } from './lib/chapter.js';
import { closeAbs } from './lib/approx.js';

const { start, stop, withChapter } = chapterHarness();
const ID = 'vi-2d';
const f4 = (x) => { const s = x.toFixed(4); return s.startsWith('-') && !/^-[0.]*$/.test(s) ? `−${s.slice(1)}` : s.replace(/^-/, ''); };

async function shown(page) {
  return page.evaluate(() => {
    const { state } = window.elboLab.widgets['vi-2d'].state();
    const out = (k) => document.querySelector(`[data-out="vi2d-${k}"]`).textContent.trim();
    return { state, elbo: out('elbo'), kl: out('kl'), logz: out('logz'), identity: out('identity'), klf: out('klf'), q1: out('q1'), q2: out('q2'), f1: out('f1'), f2: out('f2'), status: out('status') };
  });
}

/** The API's Posterior2d for a widget state, and q's numbers. */
function api(state) {
  const params = state.target === 'logistic' ? { points: state.points, labels: state.labels } : state.params;
  const post = new lab.Posterior2d(state.target, params);
  const cov = state.family === 'mean-field' ? [state.q.cov[0], state.q.cov[1], 0] : state.q.cov;
  return { post, r: post.evaluate(state.q.mean, cov) };
}

async function assertMatchesApi(page) {
  const s = await shown(page);
  const { post, r } = api(s.state);
  assert.equal(s.elbo, `${f4(r.elbo)} nats`);
  assert.equal(s.kl, `${f4(r.kl)} nats`);
  assert.equal(s.logz, `${f4(post.logNormaliser())} nats`);
  assert.equal(s.identity, `${f4(post.logNormaliser())} = ${f4(r.elbo)} + ${f4(r.kl)}`);
  const [a, b, c] = s.identity.split(/ = | \+ /).map((x) => Number(x.replace('−', '-')));
  assert.ok(Math.abs(a - (b + c)) <= 1.5e-4, 'log Z = ELBO + KL as shown');
  return { ...s, post, r };
}

describe('3.5 variational inference in two dimensions', () => {
  before(start);
  after(stop);

  it('fits, animates, steps CAVI, respects reduced motion, places points and links', () => withChapter(async ({ page }) => {
    await page.locator('#vi-2d').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.elboLab?.widgets?.['vi-2d']);
    const w = widget(page, ID);
    let s = await assertMatchesApi(page);
    assert.deepEqual([s.state.target, s.state.family, s.state.params.rho], ['gaussian', 'mean-field', 0.8]);

    // The optima the text states: mean-field KL = −½ ln(1 − ρ²), variances (1 − ρ²)σᵢ²; full KL = 0.
    await w.locator('[data-action="optimum"]').click();
    s = await assertMatchesApi(page);
    assert.equal(s.kl, '0.5108 nats');
    assert.deepEqual([s.q1, s.q2], [(0.36 * 2.25).toFixed(3), (0.36 * 0.64).toFixed(3)]);
    assert.deepEqual([s.f1, s.f2], ['2.250', '0.640'], 'forward KL matches the marginals');
    await w.locator('[data-family="full"]').click();
    await w.locator('[data-action="optimum"]').click();
    s = await assertMatchesApi(page);
    assert.equal(s.kl, '0.0000 nats');

    // CAVI: each step moves one coordinate of the mean.
    await w.locator('[data-family="mean-field"]').click();
    const m0 = (await shown(page)).state.q.mean;
    await w.locator('[data-action="cavi"]').click();
    const m1 = (await shown(page)).state.q.mean;
    await w.locator('[data-action="cavi"]').click();
    const m2 = (await shown(page)).state.q.mean;
    assert.ok(m1[0] !== m0[0] && m1[1] === m0[1], `first step moves z₁ only: ${m0} → ${m1}`);
    assert.ok(m2[1] !== m1[1] && m2[0] === m1[0], `second step moves z₂ only: ${m1} → ${m2}`);
    await assertMatchesApi(page);

    // Play animates Adam; Pause stops it.
    await w.locator('[data-action="reset"]').click();
    const before = await assertMatchesApi(page);
    await w.locator('[data-action="play"]').click();
    await page.waitForFunction((m) => {
      const q = window.elboLab.widgets['vi-2d'].state().state.q.mean;
      return q[0] !== m[0];
    }, before.state.q.mean);
    await page.waitForTimeout(300);
    await w.locator('[data-action="play"]').click();
    s = await assertMatchesApi(page);
    assert.ok(s.r.elbo > before.r.elbo, `Adam raised the ELBO: ${before.r.elbo} → ${s.r.elbo}`);

    // Reduced motion: one press takes 300 steps at once, the API's seeded run.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await w.locator('[data-action="reset"]').click();
    const start0 = (await shown(page)).state;
    await w.locator('[data-action="play"]').click();
    s = await assertMatchesApi(page);
    assert.match(s.status, /300/);
    const { post } = api(start0);
    post.startOptimiser('mean-field', start0.q.mean, start0.q.cov, 0.05, 8, start0.seed);
    const r = post.step(300);
    assert.deepEqual(s.state.q.mean, [...r.mean]);

    // The logistic target: placing a point moves the posterior.
    await w.locator('[data-target="logistic"]').click();
    s = await assertMatchesApi(page);
    const n0 = s.state.labels.length;
    const moments0 = s.post.moments();
    const box = await w.locator('canvas[data-panel="data"]').boundingBox();
    await page.mouse.click(box.x + box.width * 0.85, box.y + box.height * 0.15);
    s = await assertMatchesApi(page);
    assert.equal(s.state.labels.length, n0 + 1);
    const moments1 = s.post.moments();
    assert.ok(Math.hypot(moments1[0] - moments0[0], moments1[1] - moments0[1]) > 1e-3, 'the posterior mean moved');
    // The widget updated its posterior in place (addPoint): the same numbers as a new one.
    const inPlace = async () => page.evaluate(() => window.elboLab.widgets['vi-2d'].readout());
    let shownNow = await inPlace();
    closeAbs(shownNow.logZ, s.post.logNormaliser(), 1e-9, 'log Z in place');
    shownNow.moments.forEach((v, k) => closeAbs(v, moments1[k], 1e-9, `moment ${k} in place`));
    // Clicking that point again removes it (removePoint): back to the posterior before.
    await page.mouse.click(box.x + box.width * 0.85, box.y + box.height * 0.15);
    s = await assertMatchesApi(page);
    assert.equal(s.state.labels.length, n0);
    shownNow = await inPlace();
    shownNow.moments.forEach((v, k) => closeAbs(v, moments0[k], 1e-9, `moment ${k} after removing`));

    // A link round-trips the state (after Reset: q's numbers are short).
    await w.locator('[data-action="reset"]').click();
    s = await assertMatchesApi(page);
    const link = await page.evaluate(() => window.elboLab.share.link('vi-2d'));
    const param = new URL(link).searchParams.get('vi-2d');
    const { params, ...rest } = s.state;
    assert.deepEqual(params, {}, 'the logistic target has no sliders');
    assert.deepEqual(decode(ID, param).options.state, rest);
    assert.equal(encode(ID, { state: s.state }), param);
    await page.goto(link);
    await page.waitForSelector('html[data-ready="true"]');
    await page.locator('#vi-2d').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => window.elboLab?.widgets?.['vi-2d']);
    const again = await assertMatchesApi(page);
    assert.deepEqual(again.state, s.state);
  }));
});
