// The β sweep's jobs under Node (www/lib/beta-sweep.js): deterministic for a seed, independent
// of how the models are dealt to workers, and ordered as the rate–distortion trade-off says.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { BETAS, assign, sweepData, trainOne } from '../www/lib/beta-sweep.js';

const data = sweepData(lab, readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const tiny = (beta, seed = 3) => trainOne(lab, data, { beta, epochs: 2, seed, hidden: 16 });

describe('the β sweep', () => {
  it('deals every model to exactly one worker', () => {
    for (const w of [1, 2, 3, 7, 8, 16]) {
      const hands = assign(BETAS.length, w);
      assert.equal(hands.length, Math.min(w, BETAS.length));
      assert.deepEqual(hands.flat().sort((a, b) => a - b), BETAS.map((_, i) => i));
    }
    assert.deepEqual(assign(7, 0), [[0, 1, 2, 3, 4, 5, 6]]);
    // Eight models, so that 2 (or 4) workers get equal hands: 4 + 4 (seven would split 4 + 3).
    assert.equal(BETAS.length, 8);
    for (const w of [2, 4]) assert.ok(assign(BETAS.length, w).every((hand) => hand.length === BETAS.length / w), `${w} workers`);
  });

  it('trains each β model deterministically for a seed, with −ELBO = D + R', () => {
    const epochs = [];
    const a = trainOne(lab, data, { beta: 1, epochs: 2, seed: 3, hidden: 16 }, (e) => epochs.push(e));
    assert.deepEqual(epochs, [1, 2]);
    assert.deepEqual(tiny(1), a);
    assert.notEqual(tiny(1, 4).distortion, a.distortion);
    assert.equal(a.negElbo, a.distortion + a.rate);
    assert.ok(Math.abs(a.mutualInformation + a.marginalKl - a.rate) < 4 * a.surgeryStandardError);
    assert.equal(a.perImage.rate.length, data.testX.length / data.pixels);
  });

  it('buys rate with distortion: a small β sends more nats and distorts less than a large one', () => {
    const low = tiny(0.1);
    const high = tiny(8);
    assert.ok(low.rate > high.rate + 1, `R: ${low.rate} vs ${high.rate}`);
    assert.ok(low.distortion < high.distortion, `D: ${low.distortion} vs ${high.distortion}`);
  });
});
