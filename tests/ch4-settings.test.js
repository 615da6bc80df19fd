// End-to-end tests of chapter 4 in headless Chromium: the VAE widget ([data-widget="vae"])
// training in its worker (Start, Pause, Reset, a diverging learning rate), its settings (a plain
// autoencoder, β, a 3-D latent space, a 2-D toy set), its weights files and links. Readouts are
// checked against the same seeded models trained by the JS API under Node.
// Run: node --test tests/ch4-settings.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, canvasStats, chapterHarness, fmt, screenshot, widget } from './lib/chapter.js';
import {
  digits, CONFIG, testX, sleep, num, nodeTrainer, ready, out, epochShown, waitEpoch, waitPosterior,
} from './lib/chapter4.js';

const { start, stop, withChapter } = chapterHarness();

describe('chapter 4 page: training, settings, files and links', () => {
  before(start);
  after(stop);
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
