// End-to-end tests of chapter 3 in headless Chromium: probability vs likelihood
// ([data-widget="likelihood"]), the ELBO posterior lab ([data-widget="posterior"]) and the
// step-by-step ELBO derivations ([data-widget="derivation"], following the posterior's q).
// Every number the page shows is checked against the JS API run here under Node.
// Run: node --test tests/ch3.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';

const { start, stop, sharedChapter } = chapterHarness();



// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/** The number at the start of a readout such as "−1.234 nats". */
const parse = (text) => Number(text.trim().split(' ')[0].replace('−', '-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));





/** Scrolls `locator` to the middle of the viewport at once (the page scrolls smoothly otherwise). */
async function scrollTo(locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
}

/** Polls `fn` until it returns a truthy value or `timeout` ms pass; returns the last value. */
async function until(fn, timeout = 10000, interval = 50) {
  const end = Date.now() + timeout;
  let v = await fn();
  while (!v && Date.now() < end) {
    await sleep(interval);
    v = await fn();
  }
  return v;
}

// --- likelihood ---

/** The likelihood widget's data and θ, read from its inputs. */
async function likInputs(page) {
  const w = widget(page, 'likelihood');
  const [heads, tails] = await w.locator('fieldset.controls input[type="number"]').evaluateAll((els) => els.map((e) => Number(e.value)));
  const theta = Number(await w.locator('[data-control="theta"] input[type="range"]').inputValue());
  return { heads, tails, theta };
}

/** The likelihood widget's readouts by data-out, as shown. */
function outputs(page, id) {
  return widget(page, id).locator('output[data-out]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.out, e.textContent.trim()])));
}

/** Asserts the θ, MLE and log-likelihood readouts equal the API's coinLikelihood for the inputs. */
async function assertLikMatchesApi(page) {
  const { heads, tails, theta } = await likInputs(page);
  const r = lab.coinLikelihood(heads, tails, theta);
  const shown = await outputs(page, 'likelihood');
  assert.equal(shown['lik-theta'], fmt(theta, 2));
  assert.equal(shown['lik-mle'], fmt(r.mle, 4), `MLE for h=${heads}, t=${tails}`);
  assert.ok(Math.abs(r.mle - heads / (heads + tails)) < 1e-15, 'API MLE is h/(h+t)');
  assert.equal(shown['lik-loglik'], `${fmt(r.logLikelihood, 3)} nats`, `ln L for h=${heads}, t=${tails}, θ=${theta}`);
  return { heads, tails, theta, r, shown };
}

// --- posterior ---

/** The posterior widget's live state from its handle: store value and optimiser settings. */
function postState(page) {
  return page.evaluate(() => {
    const p = window.elboLab.widgets.posterior;
    const { model, x, params, m, s } = p.store.get();
    const { playing, steps, lr, mode, k, seed, speed } = p.run;
    return { model, x, params: { ...params }, m, s, playing, steps, lr, mode, k, seed, speed };
  });
}

/** The model, x, σx, m and s as the posterior widget's controls show them. */
async function postControls(page) {
  const w = widget(page, 'posterior');
  const model = await w.locator('button[data-model][aria-pressed="true"]').getAttribute('data-model');
  const val = async (key) => Number(await w.locator(`input[data-input="${key}"]`).inputValue());
  return { model, x: await val('x'), params: { sigmaX: await val('sigmaX') }, m: await val('m'), s: await val('s') };
}

/** A Node PosteriorLab for the model of `st` (caller frees it). */
const apiLab = (st) => new lab.PosteriorLab(st.model, st.x, st.params);

/**
 * Asserts the ELBO, KL and evidence readouts equal the API at (m, s) and ELBO + KL = log p(x)
 * to the shown precision. With `fromSliders` the model, m and s are read from the controls.
 */
async function assertPostMatchesApi(page, { fromSliders = false } = {}) {
  const st = fromSliders ? await postControls(page) : await postState(page);
  if (fromSliders) {
    const handle = await postState(page);
    assert.deepEqual({ model: st.model, x: st.x, sigmaX: st.params.sigmaX, m: st.m, s: st.s },
      { model: handle.model, x: handle.x, sigmaX: handle.params.sigmaX, m: handle.m, s: handle.s }, 'sliders show the state');
  }
  const api = apiLab(st);
  try {
    const elbo = api.elbo(st.m, st.s);
    const kl = api.klToPosterior(st.m, st.s);
    const ev = api.logEvidence();
    const shown = await outputs(page, 'posterior');
    assert.equal(shown['post-elbo'], `${fmt(elbo)} nats`, `ELBO at m=${st.m}, s=${st.s}`);
    assert.equal(shown['post-kl'], `${fmt(kl)} nats`, `KL at m=${st.m}, s=${st.s}`);
    assert.equal(shown['post-evidence'], `${fmt(ev)} nats`);
    assert.equal(shown['post-m'], fmt(st.m));
    assert.equal(shown['post-s'], fmt(st.s));
    // Three independently rounded 3-decimal values: their sum is off by at most 1.5e-3.
    const d = parse(shown['post-elbo']) + parse(shown['post-kl']) - parse(shown['post-evidence']);
    assert.ok(Math.abs(d) <= 0.0015 + 1e-12, `shown ELBO + KL − log p(x) = ${d}`);
    return { st, elbo, kl, ev, shown };
  } finally {
    api.free();
  }
}

/** The posterior widget's m and s, as full-precision numbers from the handle. */
async function qOf(page) {
  const { m, s } = await postState(page);
  return { m, s };
}

/** Clicks Play, waits until `done(state)` or `timeout`, clicks Pause; returns the final state. */
async function playUntil(page, done, timeout) {
  const w = widget(page, 'posterior');
  await w.locator('[data-action="play"]').click();
  assert.equal(await w.locator('[data-action="play"]').getAttribute('aria-pressed'), 'true');
  const st = await until(async () => { const v = await postState(page); return done(v) ? v : null; }, timeout);
  await w.locator('[data-action="play"]').click();
  assert.equal(await w.locator('[data-action="play"]').getAttribute('aria-pressed'), 'false');
  return st ?? postState(page);
}

// --- derivation ---

/** The derivation widget's revealed lines: [{ step, rel, current, values: [[label, number]] }]. */
function derivLines(page) {
  return widget(page, 'derivation').locator('li[data-step]').evaluateAll((els) => els.map((li) => ({
    step: Number(li.dataset.step), rel: li.dataset.rel, current: li.classList.contains('current'),
    values: [...li.querySelectorAll('output[data-label]')].map((o) => [o.dataset.label, Number(o.dataset.value), o.textContent]),
  })));
}

/** The chains of "=" lines of each derivation (a line starting with "=" continues the one before). */
const CHAINS = { evidence: [[0, 1, 2]], vae: [[0, 1, 2], [3, 4, 5]], jensen: [] };
const LENGTHS = { evidence: 4, vae: 7, jensen: 4 };

/**
 * Asserts every revealed line of the shown derivation: the "=" chains agree with each other
 * (data-value to 1e-9) and with the API, the "≥" line's gap is the API's KL(q ‖ p(z|x)), and
 * the gradient line is the API's elboGradient, all at the posterior widget's q.
 */
async function assertDerivMatchesApi(page, which) {
  const st = await postState(page);
  const api = apiLab(st);
  try {
    const v = api.derivationValues(st.m, st.s);
    const grad = api.elboGradient(st.m, st.s);
    const kl = api.klToPosterior(st.m, st.s);
    const lines = await derivLines(page);
    const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9, `${what}: ${a} vs ${b} (m=${st.m}, s=${st.s}, ${st.model})`);
    for (const l of lines) for (const [label, x, text] of l.values) {
      assert.ok(Number.isFinite(x), `line ${l.step} ${label} is finite`);
      assert.ok(text.includes(fmt(x, 4)), `line ${l.step} shows ${fmt(x, 4)}: "${text}"`);
    }
    const expected = which === 'evidence' ? [kl] : [v.elbo, v.klToPrior];
    CHAINS[which].forEach((chain, c) => {
      for (const i of chain.filter((j) => j < lines.length)) {
        assert.equal(lines[i].rel, 'eq');
        assert.equal(lines[i].values[0][0], 'deriv.value');
        close(lines[i].values[0][1], lines[chain[0]].values[0][1], `${which} line ${i} = line ${chain[0]}`);
        close(lines[i].values[0][1], expected[c], `${which} line ${i} = API`);
      }
    });
    if (which === 'evidence' && lines.length === 4) {
      const ge = lines[3];
      assert.equal(ge.rel, 'ge');
      const byLabel = Object.fromEntries(ge.values.map(([l, x]) => [l, x]));
      close(byLabel['deriv.gap'], kl, 'gap = KL(q‖p(z|x))');
      close(byLabel['deriv.kl'], kl, 'KL line');
      close(byLabel['deriv.logEvidence'], v.logEvidence, 'log p(x)');
      close(byLabel['deriv.elbo'], api.elbo(st.m, st.s), 'ELBO');
      assert.ok(byLabel['deriv.logEvidence'] >= byLabel['deriv.elbo'], 'log p(x) ≥ ELBO');
    }
    if (which === 'vae' && lines.length >= 6) {
      close(lines[5].values[1][1], v.klToPrior, 'direct KL(q‖p(z))');
      close(lines[5].values[1][1], lines[5].values[0][1], 'closed form = direct KL(q‖p(z))');
    }
    if (which === 'jensen') {
      // log p(x) = log E_q[w] ≥ E_q[log w] = ELBO, the gap the KL of the first derivation.
      const [l0, l1, l2, l3] = lines;
      close(l0.values[0][1], v.logEvidence, 'log p(x)');
      if (l1) {
        assert.equal(l1.values[0][0], 'deriv.logMeanWeight');
        close(l1.values[0][1], v.logEvidence, 'log E_q[w] = log p(x)');
      }
      if (l2) {
        assert.equal(l2.rel, 'ge');
        assert.equal(l2.values[0][0], 'deriv.meanLogWeight');
        close(l2.values[0][1], api.elbo(st.m, st.s), 'E_q[log w] = ELBO');
        assert.ok(l1.values[0][1] > l2.values[0][1], 'log E_q[w] > E_q[log w]');
      }
      if (l3) {
        const byLabel = Object.fromEntries(l3.values.map(([l, x]) => [l, x]));
        close(byLabel['deriv.elbo'], api.elbo(st.m, st.s), 'ELBO');
        close(byLabel['deriv.gap'], kl, 'Jensen gap = KL(q‖p(z|x))');
        close(byLabel['deriv.kl'], kl, 'KL line');
      }
    }
    if (which === 'vae' && lines.length === 7) {
      assert.equal(lines[6].rel, 'grad');
      lines[6].values.forEach(([, x], j) => close(x, grad[j], `gradient component ${j}`));
    }
    return { st, lines };
  } finally {
    api.free();
  }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

describe('chapter 3 page: likelihood, posterior and the ELBO', () => {
  before(start);
  after(stop);

  // One page for the loading check, the likelihood widget and the posterior widget: each test
  // works from the state it finds (it reads the inputs, or sets the model it needs).
  describe('loading, likelihood and posterior widgets', () => {
    const shared = sharedChapter();

    it('loads chapter 3 cleanly with its three widgets; screenshot', shared(async ({ page }) => {
      const ids = await page.evaluate(() => Object.keys(window.elboLab.widgets));
      for (const id of ['likelihood', 'posterior', 'derivation']) assert.ok(ids.includes(id), `handle ${id}`);
      for (const sel of ['#likelihood', '#posterior', '#derivation']) {
        assert.equal(await page.locator(`${sel} [data-widget]`).count(), 1, `${sel} holds a widget`);
      }
      await page.evaluate(() => document.fonts.ready);
      const file = `${RESULTS}chapter3.png`;
      await screenshot(page, file);
      assert.ok(statSync(file).size > 10_000, 'screenshot written');
    }));

    it('readouts equal the API; +H/+T change the counts and the MLE', shared(async ({ page }) => {
      const w = widget(page, 'likelihood');
      const first = await assertLikMatchesApi(page);
      assert.deepEqual([first.heads, first.tails, first.theta], [7, 3, 0.5]);
      assert.equal(first.shown['lik-mle'], '0.7000');

      await w.locator('[data-action="add-heads"]').click();
      const a = await assertLikMatchesApi(page);
      assert.deepEqual([a.heads, a.tails], [8, 3]);
      assert.equal(a.shown['lik-mle'], fmt(8 / 11, 4));

      await w.locator('[data-action="add-tails"]').click();
      await w.locator('[data-action="add-tails"]').click();
      const b = await assertLikMatchesApi(page);
      assert.deepEqual([b.heads, b.tails], [8, 5]);
      assert.equal(b.shown['lik-mle'], fmt(8 / 13, 4));
      assert.notEqual(b.shown['lik-loglik'], a.shown['lik-loglik']);
    }));

    it('moving θ with the keyboard changes ln L to the API value', shared(async ({ page }) => {
      const w = widget(page, 'likelihood');
      const before = await assertLikMatchesApi(page);
      const slider = w.locator('[data-control="theta"] input[type="range"]');
      await slider.focus();
      for (let i = 0; i < 5; i += 1) await page.keyboard.press('ArrowRight');
      const up = await assertLikMatchesApi(page);
      assert.ok(Math.abs(up.theta - 0.55) < 1e-9, `θ = ${up.theta}`);
      assert.notEqual(up.shown['lik-loglik'], before.shown['lik-loglik']);
      for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowLeft');
      const down = await assertLikMatchesApi(page);
      assert.ok(Math.abs(down.theta - 0.25) < 1e-9, `θ = ${down.theta}`);
      assert.equal(down.shown['lik-theta'], '0.25');
      assert.equal(down.shown['lik-mle'], before.shown['lik-mle'], 'the MLE does not depend on θ');
    }));

    it('"why logs": 10,000 flips underflow the naive product; Σ log equals the API', shared(async ({ page }) => {
      const w = widget(page, 'likelihood');
      const panel = w.locator('[data-part="why-logs"]');
      await scrollTo(panel);
      await panel.locator('button[data-size="10000"]').click();
      assert.equal(await panel.locator('button[data-size="10000"]').getAttribute('aria-pressed'), 'true');
      const seed = Number(await panel.locator('input[type="number"]').inputValue());
      const thetaTrue = Number(await panel.locator('input[type="range"]').inputValue());
      const { theta } = await likInputs(page);
      const heads = lab.simulateFlips(10000, thetaTrue, seed);
      const r = lab.coinLikelihood(heads, 10000 - heads, theta);
      assert.equal(r.naiveProduct, 0, 'API: the naive product underflows');
      assert.ok(Number.isFinite(r.logLikelihood), 'API: Σ log is finite');

      const shown = await outputs(page, 'likelihood');
      assert.equal(shown['lik-naive'], '0 (underflow)');
      assert.ok(await panel.locator('output[data-out="lik-naive"]').evaluate((o) => o.parentElement.classList.contains('error')),
        'the underflow is marked as an error');
      assert.equal(shown['lik-sum'], `${fmt(r.logLikelihood, 2)} nats`);
      assert.ok(Number.isFinite(parse(shown['lik-sum'])) && parse(shown['lik-sum']) < -1000, shown['lik-sum']);
      assert.match(shown['lik-true'], /^\d\.\d{3} × 10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/);
      const why = await panel.locator('[data-out="lik-why"]').textContent();
      assert.ok(why.includes(`seed ${seed}`) && why.includes(`${heads} heads, ${10000 - heads} tails`), why);

      // Another seed, another data set, still the API's value.
      await panel.locator('input[type="number"]').fill(String(seed + 1));
      await panel.locator('input[type="number"]').press('Enter');
      await panel.locator('input[type="number"]').blur();
      const heads2 = lab.simulateFlips(10000, thetaTrue, seed + 1);
      const r2 = lab.coinLikelihood(heads2, 10000 - heads2, theta);
      const shown2 = await outputs(page, 'likelihood');
      assert.equal(shown2['lik-sum'], `${fmt(r2.logLikelihood, 2)} nats`);
      assert.equal(shown2['lik-naive'], '0 (underflow)');
      assert.ok((await panel.locator('[data-out="lik-why"]').textContent()).includes(`${heads2} heads`));
    }));

    it('readouts: ELBO + KL = log p(x), equal to the API for the sliders’ m and s', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      const first = await assertPostMatchesApi(page, { fromSliders: true });
      assert.deepEqual([first.st.model, first.st.x, first.st.m, first.st.s], ['gaussian', 1, 0, 1]);
      const m = w.locator('input[data-input="m"]');
      await m.focus();
      for (let i = 0; i < 25; i += 1) await page.keyboard.press('ArrowRight');
      const s = w.locator('input[data-input="s"]');
      await s.focus();
      for (let i = 0; i < 40; i += 1) await page.keyboard.press('ArrowLeft');
      await s.blur();
      const moved = await assertPostMatchesApi(page, { fromSliders: true });
      assert.ok(Math.abs(moved.st.m - 0.25) < 1e-9 && Math.abs(moved.st.s - 0.6) < 1e-9, JSON.stringify(moved.st));
      assert.ok(moved.kl < first.kl, 'q moved towards the posterior N(0.5, 0.5)');
    }));

    it('dragging on the density chart moves m', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      const chart = w.locator('canvas.chart-tall');
      await scrollTo(chart);
      const { s: s0 } = await qOf(page);
      const box = await chart.boundingBox();
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.5, y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.8, y, { steps: 5 });
      await page.mouse.up();
      const right = await qOf(page);
      assert.ok(right.m > 1 && right.m < 4, `dragged right: m = ${right.m}`);
      assert.ok(Math.abs(right.m * 100 - Math.round(right.m * 100)) < 1e-6, 'm snaps to 0.01');
      assert.equal(right.s, s0, 's unchanged');
      await assertPostMatchesApi(page, { fromSliders: true });

      await page.mouse.move(box.x + box.width * 0.2, y);
      await page.mouse.down();
      await page.mouse.up();
      const left = await qOf(page);
      assert.ok(left.m < -1 && left.m > -4, `pressed left: m = ${left.m}`);
      await assertPostMatchesApi(page, { fromSliders: true });
    }));

    it('Step takes exactly the API’s Adam step; Play runs, Pause stops, Reset restores', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      const st0 = await postState(page);
      const api = apiLab(st0);
      try {
        api.startOptimiser(st0.m, st0.s, st0.lr);
        for (let i = 0; i < 3; i += 1) {
          const before = await postState(page);
          await w.locator('[data-action="step"]').click();
          const after = await postState(page);
          const [m, s] = api.step(before.mode, before.k, before.seed + before.steps);
          assert.equal(after.steps, i + 1);
          assert.ok(Math.abs(after.m - m) <= 1e-9 && Math.abs(after.s - s) <= 1e-9,
            `step ${i + 1}: page (${after.m}, ${after.s}) vs API (${m}, ${s})`);
          assert.notEqual(after.m, before.m, 'Step moved m');
          await assertPostMatchesApi(page);
        }
      } finally {
        api.free();
      }

      // Play: m changes over frames; Pause: m stays put.
      const start = await qOf(page);
      await w.locator('[data-action="play"]').click();
      assert.equal(await w.locator('[data-action="play"]').textContent(), 'Pause');
      const moving = await until(async () => { const q = await qOf(page); return q.m !== start.m ? q : null; }, 3000);
      assert.ok(moving, 'Play changes m');
      await sleep(100);
      assert.notEqual((await qOf(page)).m, moving.m, 'm keeps changing frame after frame');
      await w.locator('[data-action="play"]').click();
      assert.equal(await w.locator('[data-action="play"]').textContent(), 'Play');
      const paused = await postState(page);
      assert.equal(paused.playing, false);
      await sleep(300);
      const later = await postState(page);
      assert.deepEqual([later.m, later.s, later.steps], [paused.m, paused.s, paused.steps], 'Pause stops the optimiser');
      await assertPostMatchesApi(page);

      await w.locator('[data-action="reset"]').click();
      const reset = await postState(page);
      assert.deepEqual([reset.m, reset.s, reset.steps], [0, 1, 0]);
      await assertPostMatchesApi(page, { fromSliders: true });
    }));

    it('Gaussian model: Play converges to the exact posterior mean x/(1+σx²)', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      const { x, params } = await postControls(page);
      const mean = x / (1 + params.sigmaX ** 2);
      const api = apiLab({ model: 'gaussian', x, params });
      let st;
      try {
        assert.ok(Math.abs(api.posteriorMoments()[0] - mean) < 1e-9, 'API posterior mean');
        st = await playUntil(page, (v) => api.klToPosterior(v.m, v.s) < 1e-3, 15000);
        const kl = api.klToPosterior(st.m, st.s);
        assert.ok(kl < 1e-3, `KL = ${kl} after ${st.steps} steps`);
      } finally {
        api.free();
      }
      const shown = await assertPostMatchesApi(page);
      assert.ok(parse(shown.shown['post-kl']) <= 0.001, shown.shown['post-kl']);
      // KL(q‖p) < 1e-3 with posterior variance σx²/(1+σx²) bounds |m − mean| by √(2·1e-3·var).
      const bound = Math.sqrt(2e-3 * params.sigmaX ** 2 / (1 + params.sigmaX ** 2));
      assert.ok(Math.abs(st.m - mean) < bound, `m = ${st.m}, posterior mean ${mean}`);
      assert.ok(Math.abs(parse(shown.shown['post-m']) - mean) < bound + 5e-4, shown.shown['post-m']);
      assert.match(await w.locator('[data-out="post-status"]').textContent(), /^Paused after \d+ steps/);
    }));

    it('bimodal model: the optimiser settles on the mode on the side it starts', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      await w.locator('[data-action="reset"]').click(); // q back to the sliders' m and s, after the Play above
      await w.locator('button[data-model="bimodal"]').click();
      assert.equal(await w.locator('button[data-model="bimodal"]').getAttribute('aria-pressed'), 'true');
      await assertPostMatchesApi(page, { fromSliders: true });
      await w.locator('input[data-input="speed"]').fill('10');
      for (const start of [0.5, -0.5]) {
        await w.locator('input[data-input="m"]').fill(String(start));
        await w.locator('input[data-input="m"]').blur();
        assert.equal((await postState(page)).m, start);
        let last = NaN;
        const st = await playUntil(page, (v) => {
          const settled = v.steps > 100 && Math.abs(v.m - last) < 1e-4;
          last = v.m;
          return settled;
        }, 10000);
        assert.ok(Math.sign(st.m) === Math.sign(start) && Math.abs(st.m) > 1, `start m = ${start}, end m = ${st.m} after ${st.steps} steps`);
        await assertPostMatchesApi(page);
      }
    }));
  });

  // The derivation's steps from its opening state, then following the posterior's q from its
  // opening m.
  describe('derivation widget', () => {
    const shared = sharedChapter();

    it('Next/Previous and ArrowRight/ArrowLeft reveal the steps; "=" lines agree; the "≥" gap is the KL', shared(async ({ page }) => {
      const w = widget(page, 'derivation');
      const next = w.locator('[data-action="next"]');
      const prev = w.locator('[data-action="prev"]');
      const progress = w.locator('[data-out="deriv-progress"]');
      assert.equal(await w.locator('[data-deriv="evidence"]').getAttribute('aria-selected'), 'true');
      assert.equal(await progress.textContent(), 'Step 1 of 4');
      assert.ok(await prev.isDisabled());
      for (let i = 1; i <= 4; i += 1) {
        const lines = (await assertDerivMatchesApi(page, 'evidence')).lines;
        assert.equal(lines.length, i);
        assert.deepEqual(lines.map((l) => l.current), lines.map((_, j) => j === i - 1));
        assert.deepEqual(await w.locator('li[data-step]').evaluateAll((els) => els.map((li) => !!li.querySelector('.step-tex .katex'))),
          Array(i).fill(true), 'each line typeset');
        if (i < 4) await next.click();
      }
      assert.ok(await next.isDisabled());
      await prev.click();
      assert.equal((await derivLines(page)).length, 3);
      assert.equal(await progress.textContent(), 'Step 3 of 4');

      // Keyboard, with the widget focused.
      await w.locator('.derivation-widget').focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      assert.equal((await derivLines(page)).length, 1);
      await page.keyboard.press('ArrowLeft');
      assert.equal((await derivLines(page)).length, 1, 'stops at the first step');
      for (let i = 2; i <= 4; i += 1) {
        await page.keyboard.press('ArrowRight');
        assert.equal((await derivLines(page)).length, i);
        assert.equal(await progress.textContent(), `Step ${i} of 4`);
      }
      await page.keyboard.press('ArrowRight');
      assert.equal((await derivLines(page)).length, 4, 'stops at the last step');
      await assertDerivMatchesApi(page, 'evidence');

      // Back to the first step, for the next test on this page.
      for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowLeft');
      assert.equal(await progress.textContent(), 'Step 1 of 4');
    }));

    it('follows q: moving m in the posterior widget changes every value to the new API values', shared(async ({ page }) => {
      const d = widget(page, 'derivation');
      const p = widget(page, 'posterior');
      for (let i = 0; i < 3; i += 1) await d.locator('[data-action="next"]').click();
      const before = await assertDerivMatchesApi(page, 'evidence');
      const m = p.locator('input[data-input="m"]');
      await m.focus();
      for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowRight');
      const after = await assertDerivMatchesApi(page, 'evidence');
      assert.ok(Math.abs(after.st.m - 0.3) < 1e-9, `m = ${after.st.m}`);
      after.lines.forEach((l, i) => l.values.forEach(([label, x], j) => {
        if (label !== 'deriv.logEvidence') assert.notEqual(x, before.lines[i].values[j][1], `line ${i} ${label} changed`);
      }));
      assert.ok((await d.locator('[data-out="deriv-example"]').textContent()).includes('m = 0.300'));

      // Other models, after Step and on the VAE tab too.
      await p.locator('button[data-model="bimodal"]').click();
      await p.locator('[data-action="step"]').click();
      await assertDerivMatchesApi(page, 'evidence');
      await p.locator('button[data-model="logistic"]').click();
      await p.locator('input[data-input="s"]').fill('0.4');
      await d.locator('[data-deriv="vae"]').click();
      for (let i = 0; i < 6; i += 1) await d.locator('[data-action="next"]').click();
      const vae = await assertDerivMatchesApi(page, 'vae');
      assert.equal(vae.st.model, 'logistic');
      assert.equal(vae.st.s, 0.4);
    }));
  });

  // With reduced motion asked for: the posterior's Play, and the derivation's tabs.
  describe('reduced motion; the derivation\'s tabs', () => {
    const shared = sharedChapter({ reducedMotion: 'reduce' });

    it('reduced motion: Play does not animate, Step still works', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      assert.ok(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches));
      const start = await postState(page);
      await w.locator('[data-action="play"]').click();
      await sleep(300);
      const after = await postState(page);
      assert.deepEqual([after.m, after.s, after.steps, after.playing], [start.m, start.s, 0, false], 'nothing animates');
      assert.equal(await w.locator('[data-action="play"]').getAttribute('aria-pressed'), 'false');
      assert.match(await w.locator('[data-out="post-status"]').textContent(), /Reduced motion is on/);

      const api = apiLab(start);
      try {
        api.startOptimiser(start.m, start.s, start.lr);
        await w.locator('[data-action="step"]').click();
        const stepped = await postState(page);
        const [m, s] = api.step(start.mode, start.k, start.seed);
        assert.equal(stepped.steps, 1);
        assert.ok(Math.abs(stepped.m - m) <= 1e-9 && Math.abs(stepped.s - s) <= 1e-9, `(${stepped.m}, ${stepped.s}) vs (${m}, ${s})`);
      } finally {
        api.free();
      }
      assert.match(await w.locator('[data-out="post-status"]').textContent(), /\(1 steps so far\)/);
      await assertPostMatchesApi(page);
    }));

    it('switching tabs works; the VAE derivation’s lines agree with each other and the API', shared(async ({ page }) => {
      const w = widget(page, 'derivation');
      await w.locator('[data-action="next"]').click();
      await w.locator('[data-deriv="vae"]').click();
      assert.equal(await w.locator('[data-deriv="vae"]').getAttribute('aria-selected'), 'true');
      assert.equal(await w.locator('[data-deriv="evidence"]').getAttribute('aria-selected'), 'false');
      assert.equal(await w.locator('[data-out="deriv-progress"]').textContent(), `Step 1 of ${LENGTHS.vae}`);
      await w.locator('.derivation-widget').focus();
      for (let i = 1; i <= LENGTHS.vae; i += 1) {
        assert.equal((await assertDerivMatchesApi(page, 'vae')).lines.length, i);
        if (i < LENGTHS.vae) await page.keyboard.press('ArrowRight');
      }
      await w.locator('[data-deriv="evidence"]').click();
      assert.equal(await w.locator('[data-out="deriv-progress"]').textContent(), 'Step 2 of 4', 'each tab keeps its step');
      assert.equal((await assertDerivMatchesApi(page, 'evidence')).lines.length, 2);
      await w.locator('[data-deriv="vae"]').click();
      assert.equal((await derivLines(page)).length, LENGTHS.vae);
      // The third derivation, by Jensen's inequality.
      await w.locator('[data-deriv="jensen"]').click();
      assert.equal(await w.locator('[data-deriv="jensen"]').getAttribute('aria-selected'), 'true');
      await w.locator('.derivation-widget').focus();
      for (let i = 1; i <= LENGTHS.jensen; i += 1) {
        assert.equal((await assertDerivMatchesApi(page, 'jensen')).lines.length, i);
        if (i < LENGTHS.jensen) await page.keyboard.press('ArrowRight');
      }
      assert.equal(await w.locator('[data-out="deriv-progress"]').textContent(), `Step 4 of ${LENGTHS.jensen}`);
    }));
  });
});
