// Chapter 4's end-to-end helpers (tests/ch4.test.js, tests/ch4-settings.test.js): the VAE widget's
// readouts and waits, and the same seeded models trained by the JS API under Node.
import { readFileSync } from 'node:fs';
import lab from './wasm.js';
import { fmt, widget } from './chapter.js';

export const digits = lab.Trainer.loadDigits(readFileSync(new URL('../../www/data/digits.bin', import.meta.url)));
export const CONFIG = { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae' }; // the widget's defaults
// The worker's digits recipe: training images binarised afresh every epoch, the held-out
// images binarised once with HELD_OUT_SEED (www/workers/vae.js), and scored as such.
export const HELD_OUT_SEED = 31337;
export const testX = lab.binarise(digits.testX, HELD_OUT_SEED);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const num = (text) => Number(text.trim().split(' ')[0].replace(/−/g, '-').replace(/,/g, ''));

/** A Node trainer with the widget's default config, seed and recipe, trained `epochs` epochs. */
export function nodeTrainer(epochs, config = CONFIG, seed = 1) {
  const tr = new lab.Trainer(digits.trainX, digits.pixels, { ...config, binarise: true }, seed);
  for (let e = 0; e < epochs; e += 1) tr.trainEpoch();
  return tr;
}

/** Scrolls the VAE widget into view and waits until its worker is ready. */
export async function ready(page) {
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
export async function freshModel(page) {
  await page.click('[data-widget="vae"] [data-action="reset"]');
  await waitEpoch(page, 0, true);
  await page.fill('[data-widget="vae"] [data-input="index"]', '0');
  await page.locator('[data-widget="vae"] [data-input="index"]').dispatchEvent('change');
  await waitPosterior(page, fmt(nodeTrainer(0).posteriorGrid(testX.subarray(0, digits.pixels), 200, 4).logEvidence, 2));
}

export const out = async (page, name) => (await page.locator(`[data-out="vae-${name}"]`).textContent()).trim();
export const epochShown = async (page) => num(await out(page, 'epoch'));

/** Waits until the page shows epoch ≥ n (or exactly n with `exact`). */
export async function waitEpoch(page, n, exact = false, timeout = 30000) {
  await page.waitForFunction(([n, exact]) => {
    const v = Number(document.querySelector('[data-out="vae-epoch"]').textContent.split(' ')[0]);
    return exact ? v === n : v >= n;
  }, [n, exact], { timeout });
}

/** Waits until the posterior readouts belong to the current model (after a step/reset/load). */
export async function waitPosterior(page, expected) {
  await page.waitForFunction((v) => document.querySelector('[data-out="vae-post-logpx"]').textContent === v, expected, { timeout: 20000 });
}
