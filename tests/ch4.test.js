// End-to-end tests of chapter 4 in headless Chromium: the VAE trained in a Web Worker
// ([data-widget="vae"]) on its default model: untrained, one step, the baselines, q* and the
// decoded points (training, settings, files and links: tests/ch4-settings.test.js). The worker
// runs the same wasm as Node, so a seeded model trained for the same epochs here and in the page
// gives the same numbers: the page's readouts are checked against the JS API run under Node.
// Run: node --test tests/ch4.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, canvasStats, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';
import {
  digits, CONFIG, testX, num, nodeTrainer, ready, freshModel, out, waitEpoch, waitPosterior,
} from './lib/chapter4.js';

const { start, stop, sharedChapter } = chapterHarness();

describe('chapter 4 page: the VAE trained in the tab', () => {
  before(start);
  after(stop);

  // One page for the tests on the default model: each starts from the untrained seed-1 model
  // (Reset gives exactly that) with held-out image 0 in the posterior panel.
  describe('the default model, untrained and stepped', () => {
    const shared = sharedChapter();

    it('renders the untrained model: scatter, manifold, samples, posterior; numbers equal the API', shared(async ({ page }) => {
      await ready(page);
      assert.match(await out(page, 'status'), /Press Start/);
      assert.equal(await out(page, 'epoch'), '0 of 100');
      // The posterior of held-out image 0 under the freshly initialised model (seed 1).
      const tr = nodeTrainer(0);
      const x = testX.subarray(0, digits.pixels);
      const grid = tr.posteriorGrid(x, 200, 4);
      await waitPosterior(page, fmt(grid.logEvidence, 2));
      assert.equal(await out(page, 'post-label'), String(digits.testY[0]));
      assert.ok(num(await out(page, 'post-gap')) >= 0, 'the gap KL(q ‖ p(z|x)) is ≥ 0');
      const [scatter] = await canvasStats(page, '[data-chart="latent"]');
      assert.ok(scatter.distinct >= 10, `the held-out codes are coloured by digit (${scatter.distinct} colours)`);
      for (const chart of ['manifold', 'samples', 'reconstructions', 'posterior', 'gap', 'probe']) {
        const [s] = await canvasStats(page, `[data-chart="${chart}"]`);
        assert.ok(s.ink > 50, `${chart} is drawn (${s.ink} inked pixels)`);
      }
      assert.match(await page.locator('[data-chart="latent"]').getAttribute('aria-label'), /360 held-out images/);
      await page.evaluate(() => document.fonts.ready);
      const file = `${RESULTS}chapter4-untrained.png`;
      await screenshot(page, file, widget(page, 'vae'));
      assert.ok(statSync(file).size > 10_000);
    }));

    it('trains the baselines: PCA numbers equal the API, all three scatters drawn', shared(async ({ page }) => {
      await ready(page);
      await page.click('[data-widget="vae"] [data-action="baselines"]');
      await page.waitForFunction(() => /Baselines ready/.test(document.querySelector('[data-out="vae-base-status"]').textContent), null, { timeout: 60000 });
      const pca = lab.pcaBaseline(digits.trainX, testX, digits.pixels, CONFIG.latent); // as many components as the VAE's code
      assert.equal(await out(page, 'base-pca-sq'), fmt(pca.squaredError, 2));
      assert.equal(pca.components, CONFIG.latent);
      assert.match(await out(page, 'base-body'), new RegExp(`from a code of ${CONFIG.latent} numbers`));
      assert.match(await page.locator('[data-out="vae-base-table"]').textContent(), new RegExp(`PCA \\(${CONFIG.latent} components\\)`));
      const ae = num(await out(page, 'base-autoencoder-sq'));
      assert.ok(ae > 0 && Number.isFinite(ae));
      for (const k of ['pca', 'autoencoder', 'vae']) {
        const [s] = await canvasStats(page, `[data-chart="base-${k}"]`);
        assert.ok(s.distinct >= 10, `${k} scatter coloured by digit`);
      }
    }));

    it('one step trains exactly one epoch, with the numbers of the same model trained under Node', shared(async ({ page }) => {
      await ready(page);
      await freshModel(page);
      await page.click('[data-widget="vae"] [data-action="step"]');
      await waitEpoch(page, 1, true);
      const tr = nodeTrainer(1);
      const test = tr.evaluate(testX, 4, 2024);
      await page.waitForFunction((v) => document.querySelector('[data-out="vae-elbo"]').textContent === v, fmt(test.elbo, 2), { timeout: 10000 });
      assert.equal(await out(page, 'kl'), fmt(test.kl, 2));
      // The readouts name their signs: ELBO = E_q[log p(x | z)] − KL, and the shown numbers add up
      // as written (the expected log-likelihood is the shown ELBO plus the shown KL, within 0.01
      // of −reconstruction loss).
      const hundredths = (s) => Math.round(Number(s.replace('−', '-')) * 100);
      const [elboShown, klShown, reconShown] = await Promise.all(['elbo', 'kl', 'recon'].map((k) => out(page, k)));
      assert.equal(hundredths(reconShown), hundredths(elboShown) + hundredths(klShown));
      assert.ok(Math.abs(hundredths(reconShown) / 100 + test.reconstruction) <= 0.01 + 1e-9, `${reconShown} ≈ −${test.reconstruction}`);
      assert.ok(hundredths(reconShown) < 0, 'the expected log-likelihood of binary pixels is negative');
      assert.equal(await out(page, 'sum'), `Held-out: ELBO = E_q[log p(x | z)] − KL = ${reconShown} − ${klShown} = ${elboShown} nats per example (4 samples z ~ q(z | x) each).`);
      const grid = tr.posteriorGrid(testX.subarray(0, digits.pixels), 200, 4);
      await waitPosterior(page, fmt(grid.logEvidence, 2));
    }));

    it('fits q* to one image: the gap splits into amortisation + approximation, and the shown numbers add up', shared(async ({ page }) => {
      await ready(page);
      await freshModel(page);
      assert.match(await out(page, 'recipe'), /dynamically binarised/, 'the data recipe is stated');
      for (let i = 0; i < 3; i += 1) {
        await page.click('[data-widget="vae"] [data-action="step"]');
        await waitEpoch(page, i + 1, true);
      }
      const grid = nodeTrainer(3).posteriorGrid(testX.subarray(0, digits.pixels), 200, 4);
      await waitPosterior(page, fmt(grid.logEvidence, 2));
      assert.ok(await page.locator('[data-out="vae-post-elboStar"]').evaluate((el) => el.closest('tr').hidden), 'no q* row before a fit');
      await page.click('[data-widget="vae"] [data-action="fitq"]');
      await page.waitForFunction(() => !document.querySelector('[data-out="vae-post-elboStar"]').closest('tr').hidden, null, { timeout: 30000 });
      const h = (text) => Math.round(num(text) * 100);
      const se = (text) => Number(/± ([0-9.]+)/.exec(text)[1]);
      const shown = Object.fromEntries(await Promise.all(['logpx', 'elbo', 'elboStar', 'gap', 'amort', 'approx'].map(async (k) => [k, await out(page, `post-${k}`)])));
      assert.equal(shown.logpx, fmt(grid.logEvidence, 2), 'log p(x) is the grid sum of the linked model');
      // Every "=" and "−" on screen holds for the numbers as shown.
      assert.equal(h(shown.gap), h(shown.logpx) - h(shown.elbo), 'gap = log p(x) − ELBO(q_φ)');
      assert.equal(h(shown.amort), h(shown.elboStar) - h(shown.elbo), 'amortisation = ELBO(q*) − ELBO(q_φ)');
      assert.equal(h(shown.approx), h(shown.logpx) - h(shown.elboStar), 'approximation = log p(x) − ELBO(q*)');
      assert.equal(h(shown.amort) + h(shown.approx), h(shown.gap), 'the two parts make the gap');
      // ELBO(q_φ) ≤ ELBO(q*) ≤ log p(x), within the Monte Carlo error shown.
      const [eSe, sSe] = [se(shown.elbo), se(shown.elboStar)];
      assert.ok(eSe > 0 && eSe < 0.2 && sSe > 0 && sSe < 0.2, `standard errors ${eSe}, ${sSe}`);
      assert.ok(num(shown.elboStar) >= num(shown.elbo) - 3 * Math.hypot(eSe, sSe), `${shown.elboStar} ≥ ${shown.elbo}`);
      assert.ok(num(shown.elboStar) <= num(shown.logpx) + 3 * sSe, `${shown.elboStar} ≤ ${shown.logpx}`);
      assert.match(await out(page, 'fit-status'), /q\* for image 0: 300 steps/);
      assert.match(await page.locator('[data-chart="gap"]').getAttribute('aria-label'), new RegExp(`amortisation gap ${shown.amort.replace('.', '\\.')} \\+ approximation gap`));
      // q* is stale once the decoder changes: one more epoch drops it.
      await page.click('[data-widget="vae"] [data-action="step"]');
      await waitEpoch(page, 4, true);
      await page.waitForFunction(() => document.querySelector('[data-out="vae-post-elboStar"]').closest('tr').hidden, null, { timeout: 20000 });
      assert.equal(await out(page, 'fit-status'), '');
    }));

    it('decodes a clicked point, interpolates, and inspects other images', shared(async ({ page }) => {
      await ready(page);
      await freshModel(page);
      const scatter = page.locator('[data-chart="latent"]');
      const before = (await canvasStats(page, '[data-chart="probe"]'))[0].hash;
      await scatter.evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
      const box = await scatter.boundingBox();
      await page.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.25);
      await page.waitForFunction(() => !/\(0\.00, 0\.00\)/.test(document.querySelector('[data-chart="probe"]').getAttribute('aria-label') ?? '(0.00, 0.00)'));
      const label = await page.locator('[data-chart="probe"]').getAttribute('aria-label');
      const [, z1, z2] = label.match(/\(([−\d.]+), ([−\d.]+)\)/).map((s) => num(s));
      assert.ok(z1 > 1.5 && z2 > 1, `clicked top right, decoded at (${z1}, ${z2})`);
      await page.waitForFunction((h) => {
        const c = document.querySelector('[data-chart="probe"]');
        const copy = document.createElement('canvas');
        copy.width = c.width; copy.height = c.height;
        const ctx = copy.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(c, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let hash = 0;
        for (let i = 0; i < d.length; i += 4) hash = (Math.imul(hash, 31) + d[i] * 65536 + d[i + 1] * 256 + d[i + 2] + d[i + 3]) | 0;
        return hash !== h;
      }, before);
      // Keyboard: arrows move the decoded point.
      await scatter.focus();
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction((l) => document.querySelector('[data-chart="probe"]').getAttribute('aria-label') !== l, label);
      // Interpolation between two held-out images.
      await page.fill('[data-widget="vae"] [data-input="a"]', '3');
      await page.fill('[data-widget="vae"] [data-input="b"]', '9999');
      await page.click('[data-widget="vae"] [data-action="interpolate"]');
      const strip = page.locator('[data-chart="interpolation"]');
      await strip.waitFor({ state: 'visible' });
      assert.equal(await page.inputValue('[data-widget="vae"] [data-input="b"]'), '359', 'an index past the end is clamped');
      assert.match(await strip.getAttribute('aria-label'), /from the code of image 3 .* to image 359/);
      assert.ok((await canvasStats(page, '[data-chart="interpolation"]'))[0].ink > 100);
      // Next image: the posterior follows, digit label included.
      await page.fill('[data-widget="vae"] [data-input="index"]', '5');
      await page.locator('[data-widget="vae"] [data-input="index"]').dispatchEvent('change');
      const tr = nodeTrainer(0);
      const g = tr.posteriorGrid(testX.subarray(5 * digits.pixels, 6 * digits.pixels), 200, 4);
      await waitPosterior(page, fmt(g.logEvidence, 2));
      assert.equal(await out(page, 'post-label'), String(digits.testY[5]));
    }));
  });
});
