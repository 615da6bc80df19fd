// End to end in headless Chromium, one page load: the VAE widget's posterior-collapse part. The
// KL bars and the active count render and equal the JS API under Node on the same seeded model;
// a preset sets the controls; the KL warm-up and the free bits come in from a link, reach the
// trainer (the objective's label names the epoch's β and λ) and go back out into the link.
// Run: node --test tests/collapse.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { chapterHarness, widget } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();
const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const testX = lab.binarise(digits.testX, 31337); // the worker's HELD_OUT_SEED

const value = (page, key) => page.locator(`[data-widget="vae"] [data-input="${key}"]`).inputValue();
const text = async (page, name) => (await page.locator(`[data-out="vae-${name}"]`).textContent()).trim();

async function waitEpoch(page, n) {
  await page.waitForFunction((n) => Number(document.querySelector('[data-out="vae-epoch"]').textContent.split(' ')[0]) === n
    && /of \d+ latent|of \d+ dimensions|latent dimensions/.test(document.querySelector('[data-chart="latent-kl"]').getAttribute('aria-label')), n, { timeout: 60000 });
}

describe('the VAE widget shows posterior collapse', () => {
  before(start);
  after(stop);

  it('bars and active count, a preset, and warm-up and free bits through a link', () => withChapter(async ({ page }) => {
    const w = widget(page, 'vae');
    await w.evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 30000 });
    // From the link: warm-up 3 epochs, free bits 0.5 nats, 3 latent dimensions.
    assert.deepEqual([await value(page, 'warmup'), await value(page, 'free-bits'), await value(page, 'latent')], ['3', '0.5', '3']);
    await page.click('[data-widget="vae"] [data-action="step"]');
    await waitEpoch(page, 1);
    const label = await page.locator('[data-label="vae-train"]').textContent();
    assert.match(label, /β·Σ_d max\(λ, KL_d\), β = 0\.00, λ = 0\.50 nats/, 'the first warm-up epoch trains with β = 0');
    assert.equal(await page.locator('[data-out="vae-trainElbo"]').evaluate((el) => el.closest('tr').hidden), false);
    // The page's bars and count equal the API's on the same model (seed 1, one epoch).
    const node = new lab.Trainer(digits.trainX, digits.pixels, { latent: 3, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, warmup: 3, freeBits: 0.5, binarise: true }, 1);
    node.trainEpoch();
    const u = node.latentUsage(testX);
    node.free();
    assert.equal(await text(page, 'active'), `${u.active} of 3`);
    const alt = await page.locator('[data-chart="latent-kl"]').getAttribute('aria-label');
    assert.ok(alt.includes(Array.from(u.kl, (k) => k.toFixed(2)).join(', ')), `${alt} vs ${Array.from(u.kl)}`);
    const drawn = await page.locator('[data-chart="latent-kl"]').evaluate((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 200 || d[i + 2] < 200)) ink += 1;
      return ink;
    });
    assert.ok(drawn > 100, `bars drawn (${drawn} inked pixels)`);
    let link = await page.evaluate(() => window.elboLab.share.link('vae'));
    assert.match(link, /warm:3/);
    assert.match(link, /fb:0\.5/);

    // The collapse preset: its settings in the controls and its sentence shown.
    await page.click('[data-widget="vae"] [data-action="preset-collapse"]');
    assert.deepEqual(
      await Promise.all(['dataset', 'mode', 'latent', 'hidden', 'beta', 'lr', 'batch', 'seed', 'warmup', 'free-bits', 'target'].map((k) => value(page, k))),
      ['digits', 'vae', '16', '128', '4', '0.003', '64', '1', '0', '0', '10']);
    assert.match(await text(page, 'preset-note'), /after 2 epochs no dimension is active/);
    await page.waitForFunction(() => document.querySelector('[data-out="vae-epoch"]').textContent.startsWith('0 '), null, { timeout: 30000 });
    await page.click('[data-widget="vae"] [data-action="step"]');
    await waitEpoch(page, 1);
    await page.waitForFunction(() => / of 16$/.test(document.querySelector('[data-out="vae-active"]').textContent), null, { timeout: 30000 });
    link = await page.evaluate(() => window.elboLab.share.link('vae'));
    assert.doesNotMatch(link, /warm:|fb:/, 'both off: not in the link');
    assert.match(link, /latent:16/);

    // The free-bits preset, then a warm-up typed in: into the link.
    await page.click('[data-widget="vae"] [data-action="preset-prevent"]');
    assert.equal(await value(page, 'free-bits'), '0.25');
    assert.match(await text(page, 'preset-note'), /all 16 dimensions are active/);
    await page.fill('[data-widget="vae"] [data-input="warmup"]', '500');
    await page.locator('[data-widget="vae"] [data-input="warmup"]').dispatchEvent('change');
    assert.equal(await value(page, 'warmup'), '200', 'clamped to the control\'s range');
    link = await page.evaluate(() => window.elboLab.share.link('vae'));
    assert.match(link, /warm:200/);
    assert.match(link, /fb:0\.25/);
  }, { path: '?vae=latent:3;warm:3;fb:0.5' }));
});
