// End-to-end tests of chapter 3 in headless Chromium: probability vs likelihood
// ([data-widget="likelihood"]) and the ELBO posterior lab ([data-widget="posterior"]); the
// step-by-step derivations are in tests/ch3-derivation.test.js. Every number the page shows is
// checked against the JS API run here under Node.
// Run: node --test tests/ch3.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';
import {
  parse, sleep, scrollTo, until, likInputs, outputs, assertLikMatchesApi, postState, postControls, apiLab, assertPostMatchesApi, qOf, playUntil,
} from './lib/chapter3.js';

const { start, stop, sharedChapter } = chapterHarness();

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

    it('the ELBO trace drawn a segment a step looks as the whole curve drawn at once', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      await w.locator('[data-action="reset"]').click();
      await w.scrollIntoViewIfNeeded();
      const pixels = () => page.evaluate(() => {
        const c = document.querySelector('[data-widget="posterior"] canvas.chart-short');
        const copy = Object.assign(document.createElement('canvas'), { width: c.width, height: c.height });
        const ctx = copy.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(c, 0, 0);
        return { w: c.width, h: c.height, data: [...ctx.getImageData(0, 0, c.width, c.height).data] };
      });
      const width = () => page.evaluate(() => document.querySelector('[data-widget="posterior"] canvas.chart-short').width);
      const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      for (let i = 0; i < 18; i += 1) await w.locator('[data-action="step"]').click();
      await frames();
      const stepwise = await pixels();
      // A width change and back redraws the whole chart (its axes, then all 19 points at once).
      const size = page.viewportSize();
      await page.setViewportSize({ ...size, width: 600 });
      assert.ok(await until(async () => (await width()) !== stepwise.w, 5000), 'the chart follows a narrower page');
      await page.setViewportSize(size);
      assert.ok(await until(async () => (await width()) === stepwise.w, 5000), 'and back');
      await frames();
      const whole = await pixels();
      assert.equal(whole.h, stepwise.h);
      // The curve's pixels (orange) in either image; those that differ between them.
      const orange = (d, i) => d[i + 3] > 0 && d[i] > 180 && d[i + 2] < 110 && d[i + 1] > 40 && d[i + 1] < 170;
      let curve = 0;
      let differ = 0;
      for (let i = 0; i < whole.data.length; i += 4) {
        if (!orange(whole.data, i) && !orange(stepwise.data, i)) continue;
        curve += 1;
        if (Math.max(...[0, 1, 2, 3].map((k) => Math.abs(whole.data[i + k] - stepwise.data[i + k]))) > 96) differ += 1;
      }
      // Only anti-aliasing where segments join may differ; a misplaced segment differs along its length.
      assert.ok(curve > 300, `the curve is drawn (${curve} orange pixels)`);
      assert.ok(differ <= 0.05 * curve, `${differ} of the curve's ${curve} pixels differ by more than 96 between the step-by-step and whole trace`);
      await w.locator('[data-action="reset"]').click();
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
});
