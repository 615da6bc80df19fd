// End-to-end tests of chapter 4 in headless Chromium: the VAE trained in a Web Worker
// ([data-widget="vae"]). The worker runs the same wasm as Node, so a seeded model trained for
// the same epochs here and in the page gives the same numbers: the page's readouts are
// checked against the JS API run under Node.
// Run: node --test tests/ch4.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, canvasStats, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';

const { start, stop, withChapter, sharedChapter } = chapterHarness();
const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const CONFIG = { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae' }; // the widget's defaults
// The worker's digits recipe: training images binarised afresh every epoch, the held-out
// images binarised once with HELD_OUT_SEED (www/workers/vae.js), and scored as such.
const HELD_OUT_SEED = 31337;
const testX = lab.binarise(digits.testX, HELD_OUT_SEED);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const num = (text) => Number(text.trim().split(' ')[0].replace(/−/g, '-').replace(/,/g, ''));

/** A Node trainer with the widget's default config, seed and recipe, trained `epochs` epochs. */
function nodeTrainer(epochs, config = CONFIG, seed = 1) {
  const tr = new lab.Trainer(digits.trainX, digits.pixels, { ...config, binarise: true }, seed);
  for (let e = 0; e < epochs; e += 1) tr.trainEpoch();
  return tr;
}

/** Scrolls the VAE widget into view and waits until its worker is ready. */
async function ready(page) {
  const w = widget(page, 'vae');
  await w.evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('[data-out="vae-post-logpx"]').textContent !== '—', null, { timeout: 20000 });
  return w;
}

/**
 * Reset: the untrained seed-1 model at epoch 0, as the page opens with, and held-out image 0 in
 * the posterior panel.
 */
async function freshModel(page) {
  await page.click('[data-widget="vae"] [data-action="reset"]');
  await waitEpoch(page, 0, true);
  await page.fill('[data-widget="vae"] [data-input="index"]', '0');
  await page.locator('[data-widget="vae"] [data-input="index"]').dispatchEvent('change');
  await waitPosterior(page, fmt(nodeTrainer(0).posteriorGrid(testX.subarray(0, digits.pixels), 200, 4).logEvidence, 2));
}

const out = async (page, name) => (await page.locator(`[data-out="vae-${name}"]`).textContent()).trim();
const epochShown = async (page) => num(await out(page, 'epoch'));

/** Waits until the page shows epoch ≥ n (or exactly n with `exact`). */
async function waitEpoch(page, n, exact = false, timeout = 30000) {
  await page.waitForFunction(([n, exact]) => {
    const v = Number(document.querySelector('[data-out="vae-epoch"]').textContent.split(' ')[0]);
    return exact ? v === n : v >= n;
  }, [n, exact], { timeout });
}

/** Waits until the posterior readouts belong to the current model (after a step/reset/load). */
async function waitPosterior(page, expected) {
  await page.waitForFunction((v) => document.querySelector('[data-out="vae-post-logpx"]').textContent === v, expected, { timeout: 20000 });
}

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



  it('Start trains in the worker, the loss falls, the page keeps answering clicks; Pause and Reset work', () => withChapter(async ({ page }) => {
    await ready(page);
    await page.click('[data-widget="vae"] [data-action="step"]');
    await waitEpoch(page, 1, true);
    const first = num(await out(page, 'elbo'));
    await page.click('[data-widget="vae"] [data-action="train"]');
    assert.equal(await page.getAttribute('[data-widget="vae"] [data-action="train"]', 'aria-pressed'), 'true');
    await waitEpoch(page, 3);
    // While the worker trains, the page keeps answering: ten clicks in a row are each handled
    // and followed by a painted frame. (How fast is a benchmark's question, not a test's:
    // `make bench` measures frames while the VAE trains.)
    await page.evaluate(async () => {
      const next = document.querySelector('[data-widget="vae"] [data-action="next"]');
      const input = document.querySelector('[data-widget="vae"] [data-input="index"]');
      for (let i = 0; i < 10; i += 1) {
        const before = input.value;
        next.click();
        await new Promise(requestAnimationFrame);
        if (input.value === before) throw new Error('the click was not handled');
        await new Promise((r) => setTimeout(r, 60));
      }
    });
    await waitEpoch(page, 8);
    assert.match(await out(page, 'status'), /Training/);
    assert.ok(num(await out(page, 'speed')) > 0, `speed ${await out(page, 'speed')}`);
    const later = num(await out(page, 'elbo'));
    assert.ok(later > first + 1, `held-out ELBO rose from ${first} to ${later}`);
    // Pause: the epoch stops moving.
    await page.click('[data-widget="vae"] [data-action="train"]');
    await page.waitForFunction(() => /Paused/.test(document.querySelector('[data-out="vae-status"]').textContent));
    const paused = await epochShown(page);
    await sleep(800);
    assert.equal(await epochShown(page), paused, 'no epochs after Pause');
    const [curves] = await canvasStats(page, '[data-widget="vae"] canvas[data-chart="curves"]', { blue: [0x25, 0x63, 0xeb], orange: [0xea, 0x58, 0x0c] });
    assert.ok(curves.colours.blue > 50 && curves.colours.orange > 50, 'training and held-out curves drawn');
    assert.match(await page.locator('[data-widget="vae"] canvas[data-chart="curves"]').getAttribute('aria-label'), new RegExp(`over ${paused} epochs`));
    // Reset: a fresh model at epoch 0.
    await page.click('[data-widget="vae"] [data-action="reset"]');
    await waitEpoch(page, 0, true);
    assert.equal(await out(page, 'elbo'), '—');
    const index = Number(await page.inputValue('[data-widget="vae"] [data-input="index"]'));
    assert.equal(index, 10, 'ten clicks on Next');
    const x = testX.subarray(index * digits.pixels, (index + 1) * digits.pixels);
    await waitPosterior(page, fmt(nodeTrainer(0).posteriorGrid(x, 200, 4).logEvidence, 2));
    await screenshot(page, `${RESULTS}chapter4-trained.png`, widget(page, 'vae'));
  }));

  it('stops a diverging learning rate, says why, and resets with a smaller one', () => withChapter(async ({ page }) => {
    await ready(page);
    // Adam at learning rate 3 diverges in the first epoch for about half the model seeds
    // (seeds 2, 5, 7 and 8 of 1–8; the others train on, badly); seed 2 is one that does.
    await page.fill('[data-widget="vae"] [data-input="seed"]', '2');
    await page.dispatchEvent('[data-widget="vae"] [data-input="seed"]', 'change');
    await page.selectOption('[data-widget="vae"] [data-input="lr"]', '3');
    await page.click('[data-widget="vae"] [data-action="train"]');
    const alert = page.locator('[data-out="vae-error"]');
    await alert.waitFor({ state: 'visible', timeout: 30000 });
    assert.match(await alert.textContent(), /diverged .* learning rate 3/);
    assert.match(await out(page, 'status'), /diverged/);
    assert.equal(await page.getAttribute('[data-widget="vae"] [data-action="train"]', 'aria-pressed'), 'false');
    await page.click('[data-widget="vae"] [data-action="recover"]');
    await alert.waitFor({ state: 'hidden' });
    assert.equal(await page.inputValue('[data-widget="vae"] [data-input="lr"]'), '0.3');
    await waitEpoch(page, 0, true);
    assert.match(await out(page, 'status'), /new model|Press Start/);
  }));

  it('saves the weights and loads them back; a corrupt file changes nothing', () => withChapter(async ({ page }) => {
    await ready(page);
    for (const n of [1, 2]) {
      await page.click('[data-widget="vae"] [data-action="step"]');
      await waitEpoch(page, n, true);
    }
    const trained = fmt(nodeTrainer(2).posteriorGrid(testX.subarray(0, digits.pixels), 200, 4).logEvidence, 2);
    await waitPosterior(page, trained);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-widget="vae"] [data-action="save"]')]);
    assert.match(download.suggestedFilename(), /^elbo-lab-vae-epoch2\.json$/);
    const json = readFileSync(await download.path(), 'utf8');
    const file = JSON.parse(json);
    assert.equal(file.version, 1);
    assert.deepEqual(file.config.latent, 2);
    assert.equal(file.params.length, nodeTrainer(0).numParams);
    // A fresh model, then the file: the posterior readout is the trained model's again.
    await page.click('[data-widget="vae"] [data-action="reset"]');
    await waitEpoch(page, 0, true);
    const fresh = fmt(nodeTrainer(0).posteriorGrid(testX.subarray(0, digits.pixels), 200, 4).logEvidence, 2);
    await waitPosterior(page, fresh);
    const input = page.locator('[data-widget="vae"] [data-input="weights"]');
    await input.setInputFiles({ name: 'weights.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await waitPosterior(page, trained);
    assert.match(await out(page, 'status'), /Loaded the weights from weights\.json/);
    // Corrupt files: clear messages, and the loaded model stays.
    const bad = [
      ['not json {', /not valid JSON/],
      [JSON.stringify({ ...file, params: file.params.slice(1) }), /params has \d+ numbers but this model has \d+/],
      [JSON.stringify({ ...file, config: { ...file.config, latent: 99 } }), /latent/],
      [JSON.stringify({ ...file, version: 7 }), /version/],
    ];
    for (const [text, pattern] of bad) {
      await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      const alert = page.locator('[data-out="vae-error"]');
      await page.waitForFunction((p) => new RegExp(p).test(document.querySelector('[data-out="vae-error"]').textContent), pattern.source);
      assert.match(await alert.textContent(), /Could not load bad\.json: .*The current model is unchanged/);
    }
    await page.click('[data-widget="vae"] [data-action="next"]');
    await page.click('[data-widget="vae"] [data-action="prev"]');
    await waitPosterior(page, trained);
  }));

  it('in Chinese, a rejected weights file is explained in Chinese, the API\'s own error included', () => withChapter(async ({ page }) => {
    await ready(page);
    const file = JSON.parse(nodeTrainer(0).exportWeights());
    const input = page.locator('[data-widget="vae"] [data-input="weights"]');
    const bad = [
      ['not json {', /该文件不是有效的 JSON/], // the worker's own check
      [JSON.stringify({ ...file, params: file.params.slice(1) }), /params 有 \d+ 个数字，但这个模型有 \d+ 个参数/], // the wasm API's
      [JSON.stringify({ ...file, version: 7 }), /version 为 7；只支持版本 1/],
      [JSON.stringify({ ...file, config: { ...file.config, latent: 99 } }), /config\.latent 为 99/],
    ];
    for (const [text, pattern] of bad) {
      await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
      await page.waitForFunction((p) => new RegExp(p).test(document.querySelector('[data-out="vae-error"]').textContent), pattern.source);
      const message = await page.locator('[data-out="vae-error"]').textContent();
      assert.match(message, /^出错了：无法载入 bad\.json：.*当前模型保持不变。$/);
      assert.doesNotMatch(message, /\b(is|must|but|the|this|file)\b/, `no English left: ${message}`);
    }
  }, { path: '?lang=zh' }));




  it('a plain autoencoder shows no ELBO, and β ≠ 1 shows the objective beside the true ELBO', () => withChapter(async ({ page }) => {
    await ready(page);
    const rowHidden = (k) => page.locator(`[data-out="vae-${k}"]`).evaluate((el) => el.closest('tr').hidden);
    await page.fill('[data-widget="vae"] [data-input="beta"]', '4');
    await page.locator('[data-widget="vae"] [data-input="beta"]').dispatchEvent('change');
    await page.click('[data-widget="vae"] [data-action="step"]');
    await waitEpoch(page, 1, true);
    assert.match(await page.locator('[data-label="vae-train"]').textContent(), /Training objective E_q\[log p\(x \| z\)\] − β·KL, β = 4\.00/);
    assert.equal(await rowHidden('trainElbo'), false, 'β ≠ 1: the true ELBO of the training batches is shown too');
    const objective = num(await out(page, 'train'));
    const trueElbo = num(await out(page, 'trainElbo'));
    assert.ok(objective < trueElbo, `with β = 4 the objective ${objective} lies below the ELBO ${trueElbo}`);
    await page.selectOption('[data-widget="vae"] [data-input="mode"]', 'autoencoder');
    await page.click('[data-widget="vae"] [data-action="step"]');
    await waitEpoch(page, 1, true);
    await page.waitForFunction(() => /no ELBO/.test(document.querySelector('[data-out="vae-sum"]').textContent));
    for (const k of ['elbo', 'kl', 'trainElbo']) assert.equal(await rowHidden(k), true, `${k} hidden for a plain autoencoder`);
    assert.match(await page.locator('[data-label="vae-recon"]').textContent(), /log p\(x \| z = μ\(x\)\)/);
    assert.ok(num(await out(page, 'recon')) < 0);
    assert.ok(await page.locator('[data-action="fitq"]').isDisabled(), 'no q to fit in a plain autoencoder');
  }));

  it('a link made before the digits were binarised retrains with a notice that the model differs', () => withChapter(async ({ page }) => {
    await ready(page);
    await page.waitForFunction(() => /This is the linked model/.test(document.querySelector('[data-out="vae-status"]').textContent), null, { timeout: 30000 });
    const status = await out(page, 'status');
    assert.match(status, /made before the digits were binarised/);
    assert.match(await out(page, 'epoch'), /^2 of/);
  }, { path: '?vae=data:digits;seed:1;epoch:2' }));

  it('with a 3-D latent space the posterior grid gives way to the IWAE estimate', () => withChapter(async ({ page }) => {
    await ready(page);
    await page.fill('[data-widget="vae"] [data-input="latent"]', '3');
    await page.locator('[data-widget="vae"] [data-input="latent"]').dispatchEvent('change');
    await page.waitForFunction(() => /3 latent dimensions/.test(document.querySelector('[data-out="vae-post-note"]').textContent), null, { timeout: 20000 });
    assert.equal(await out(page, 'post-logpx'), '—');
    assert.ok(Number.isFinite(num(await out(page, 'post-iwae'))));
    assert.match(await page.locator('[data-label="vae-post-logpx"]').textContent(), /no grid with 3 latent dimensions/);
    assert.match(await page.locator('[data-label="vae-post-gap"]').textContent(), /IWAE − ELBO\(q_φ\): estimates a lower bound/);
    assert.match(await page.locator('[data-chart="latent"]').getAttribute('aria-label'), /first two of 3 dimensions/);
  }));

  it('trains on a 2-D toy set with a Gaussian likelihood: the data space is drawn, pictures give way', () => withChapter(async ({ page }) => {
    await ready(page);
    await page.selectOption('[data-widget="vae"] [data-input="dataset"]', 'moons');
    await page.waitForFunction(() => !document.querySelector('[data-chart="data"]').closest('[hidden]'), null, { timeout: 20000 });
    assert.ok(await page.locator('[data-chart="manifold"]').isHidden(), 'no digit pictures for 2-D data');
    const toy = lab.Trainer.loadToy('moons', 2000, 7);
    await page.waitForFunction(() => /held-out points of the/.test(document.querySelector('[data-chart="data"]').getAttribute('aria-label') ?? ''));
    assert.match(await page.locator('[data-chart="data"]').getAttribute('aria-label'), new RegExp(`^${toy.testY.length} held-out points`));
    await page.click('[data-widget="vae"] [data-action="step"]');
    await waitEpoch(page, 1, true);
    const tr = new lab.Trainer(toy.trainX, 2, { ...CONFIG, likelihood: 'gaussian' }, 1);
    tr.trainEpoch();
    const test = tr.evaluate(toy.testX, 4, 2024);
    await page.waitForFunction((v) => document.querySelector('[data-out="vae-elbo"]').textContent === v, fmt(test.elbo, 2), { timeout: 10000 });
    const grid = tr.posteriorGrid(toy.testX.subarray(0, 2), 200, 4);
    await waitPosterior(page, fmt(grid.logEvidence, 2));
    assert.match(await out(page, 'post-point'), /x = \(/);
    await page.click('[data-widget="vae"] [data-action="train"]');
    await waitEpoch(page, 10);
    await page.click('[data-widget="vae"] [data-action="train"]');
    assert.ok(num(await out(page, 'elbo')) > test.elbo, 'the held-out ELBO rose with training');
    const [chart] = await canvasStats(page, '[data-chart="data"]');
    assert.ok(chart.distinct >= 3 && chart.ink > 500, 'points of both classes and the model means drawn');
    await screenshot(page, `${RESULTS}chapter4-moons.png`, widget(page, 'vae'));
  }));
});
