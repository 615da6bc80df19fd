// The JS API of the VAE as a code, under Node: trainer.rateDistortion (distortion, rate,
// −ELBO = D + R, the ELBO surgery) and its coded errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { throwsCoded } from './lib/errors.js';

const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const D = digits.pixels;
const HELD_OUT_SEED = 31337; // www/workers/vae.js binarises the held-out digits with this seed
const testX = lab.binarise(digits.testX, HELD_OUT_SEED);
const trainer = new lab.Trainer(digits.trainX, D, { latent: 2, hidden: 32, lr: 3e-3, binarise: true }, 4);
for (let e = 0; e < 3; e += 1) trainer.trainEpoch();

describe('trainer.rateDistortion', () => {
  const r = trainer.rateDistortion(testX, 8, 5);
  const n = testX.length / D;

  it('gives D and R per held-out image, with −ELBO = D + R on average', () => {
    assert.ok(r.distortion instanceof Float64Array && r.distortion.length === n);
    assert.ok(r.rate instanceof Float64Array && r.rate.length === n);
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean(r.distortion) - r.meanDistortion) < 1e-9);
    assert.ok(Math.abs(mean(r.rate) - r.meanRate) < 1e-9);
    assert.equal(r.negElbo, r.meanDistortion + r.meanRate);
    assert.ok(r.rate.every((v) => v >= 0) && r.distortion.every((v) => v > 0));
    // The same draws as the trainer's own ELBO estimate for one image (image 0's seed is the
    // core's image_seed(5, 0); here only its size is checked against the unbiased estimate).
    const e = trainer.evaluate(testX, 64, 1);
    assert.ok(Math.abs(-e.elbo - r.negElbo) < 1, `${-e.elbo} vs ${r.negElbo}`);
    assert.ok(Math.abs(e.kl - r.meanRate) < 1e-4, `${e.kl} vs ${r.meanRate}`);
  });

  it('splits the mean rate into I_q(x; z) + KL(q(z) ‖ p(z)) within the Monte Carlo error', () => {
    const sum = r.mutualInformation + r.marginalKl;
    assert.ok(r.surgeryStandardError > 0);
    assert.ok(Math.abs(sum - r.meanRate) < 4 * r.surgeryStandardError, `${sum} vs ${r.meanRate} ± ${r.surgeryStandardError}`);
    assert.ok(r.mutualInformation > 0 && r.mutualInformation <= Math.log(n) + 1e-12);
  });

  it('is deterministic for a seed', () => {
    const again = trainer.rateDistortion(testX, 8, 5);
    assert.deepEqual(again, r);
    assert.notDeepEqual(trainer.rateDistortion(testX, 8, 6).distortion, r.distortion);
  });

  it('rejects bad input with coded errors', () => {
    throwsCoded(() => trainer.rateDistortion(testX, 1, 5), 'whole-number', { name: 'samples', lo: '2', hi: '100' });
    throwsCoded(() => trainer.rateDistortion(testX, 101, 5), 'whole-number', { name: 'samples' });
    throwsCoded(() => trainer.rateDistortion(testX, 4, -1), 'whole-number', { name: 'seed' });
    const ae = new lab.Trainer(digits.trainX, D, { latent: 2, hidden: 8, mode: 'autoencoder' }, 1);
    throwsCoded(() => ae.rateDistortion(testX, 4, 5), 'rate-mode', { name: 'mode' });
    throwsCoded(() => trainer.rateDistortion(testX.subarray(0, D + 3), 4, 5), 'images-not-whole', { name: 'data', len: String(D + 3) });
  });
});
