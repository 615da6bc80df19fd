// The JS API of dynamic binarisation and of the two parts of the gap, under Node:
// lab.binarise, config.binarise, trainer.fitPosterior, trainer.elboOf, pcaBaseline's components,
// the weights file's recipe, and −ELBO = reconstruction + KL exactly as returned.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { throwsCoded } from './lib/errors.js';

const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const D = digits.pixels;
const HELD_OUT_SEED = 31337; // www/workers/vae.js binarises the held-out digits with this seed
const testX = lab.binarise(digits.testX, HELD_OUT_SEED);
const image = (i) => testX.subarray(i * D, (i + 1) * D);
const config = { latent: 2, hidden: 32, batchSize: 64, lr: 3e-3, binarise: true };

describe('lab.datasetNames', () => {
  it('lists the data sets the trainer accepts, the digits first; an unknown name is a coded error', () => {
    const names = lab.datasetNames();
    assert.deepEqual(names, ['digits', 'mixture', 'moons', 'rings', 'spiral']);
    for (const name of names) {
      const set = name === 'digits' ? digits : lab.Trainer.loadToy(name, 100, 1);
      const trainer = new lab.Trainer(set.trainX, set.pixels, { ...config, binarise: name === 'digits', likelihood: name === 'digits' ? 'bernoulli' : 'gaussian' }, 1);
      assert.ok(Number.isFinite(trainer.trainEpoch().loss), name);
      trainer.free();
    }
    throwsCoded(() => lab.Trainer.loadToy('circles', 100, 1), 'toy-name', { name: 'circles' });
  });
});

describe('lab.binarise', () => {
  it('draws each pixel 1 with probability its grey level, reproducibly', () => {
    assert.ok(testX instanceof Float32Array && testX.length === digits.testX.length);
    assert.ok(testX.every((x) => x === 0 || x === 1));
    assert.deepEqual(lab.binarise(digits.testX, HELD_OUT_SEED), testX);
    assert.notDeepEqual(lab.binarise(digits.testX, HELD_OUT_SEED + 1), testX);
    for (let i = 0; i < testX.length; i += 1) {
      if (digits.testX[i] === 0) assert.equal(testX[i], 0);
      if (digits.testX[i] === 1) assert.equal(testX[i], 1);
    }
    // Ink frequency matches the mean grey level (23 040 pixels: standard error < 0.004).
    const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(Math.abs(mean(testX) - mean(digits.testX)) < 0.012, `${mean(testX)} vs ${mean(digits.testX)}`);
    // xoshiro256++ seeded with 0: its first uniforms are 0.3246, 0.3822, 0.3596 (see math/networks/data/binarise.rs).
    assert.deepEqual(Array.from(lab.binarise([0.32, 0.39, 0.35], 0)), [0, 1, 0]);
    assert.deepEqual(Array.from(lab.binarise([0.33, 0.38, 0.36], 0)), [1, 0, 1]);
  });

  it('rejects bad input with coded errors', () => {
    throwsCoded(() => lab.binarise([0.5, 1.5], 1), 'grey-level', { name: 'x', index: '1', value: '1.5' });
    throwsCoded(() => lab.binarise([NaN], 1), 'grey-level', { index: '0', value: 'NaN' });
    throwsCoded(() => lab.binarise([-0.1], 1), 'grey-level', { value: '-0.1' });
    throwsCoded(() => lab.binarise('0.5', 1), 'not-float-array', { name: 'x', type: 'string' });
    throwsCoded(() => lab.binarise([0.5], -1), 'whole-number', { name: 'seed' });
    throwsCoded(() => lab.binarise([0.5], 0.5), 'whole-number', { name: 'seed' });
  });
});

describe('config.binarise', () => {
  it('trains on fresh binarisations, deterministically; default false', () => {
    const a = new lab.Trainer(digits.trainX, D, config, 1);
    const b = new lab.Trainer(digits.trainX, D, config, 1);
    const grey = new lab.Trainer(digits.trainX, D, { ...config, binarise: false }, 1);
    const plain = new lab.Trainer(digits.trainX, D, { latent: 2, hidden: 32, batchSize: 64, lr: 3e-3 }, 1);
    assert.equal(a.binarise, true);
    assert.equal(plain.binarise, false);
    for (let e = 0; e < 2; e += 1) {
      const la = a.trainEpoch();
      assert.deepEqual(b.trainEpoch(), la);
      const lg = grey.trainEpoch();
      assert.deepEqual(plain.trainEpoch(), lg, 'binarise: false is the default');
      assert.notEqual(la.loss, lg.loss);
    }
    assert.equal(a.exportWeights(), b.exportWeights(), 'the same weights bit for bit');
    assert.equal(JSON.parse(a.exportWeights()).config.binarise, true);
    assert.equal(JSON.parse(plain.exportWeights()).config.binarise, false);
    for (const t of [a, b, grey, plain]) t.free();
  });

  it('is checked: a boolean, and only with likelihood "bernoulli"', () => {
    const small = digits.trainX.subarray(0, 16 * D);
    throwsCoded(() => new lab.Trainer(small, D, { binarise: 1 }, 0), 'config-not-boolean', { key: 'binarise' });
    throwsCoded(() => new lab.Trainer(small, D, { binarise: 'yes' }, 0), 'config-not-boolean', { key: 'binarise' });
    throwsCoded(() => new lab.Trainer([0.5, 0.5], 2, { binarise: true, likelihood: 'gaussian' }, 0),
      'config-binarise-likelihood', { likelihood: 'gaussian' });
  });

  it('importWeights reports the recipe a file states; older files (no field) are grey', () => {
    const t = new lab.Trainer(digits.trainX, D, config, 1);
    t.trainEpoch();
    const file = JSON.parse(t.exportWeights());
    const other = new lab.Trainer(digits.trainX, D, { ...config, binarise: false }, 2);
    assert.deepEqual(other.importWeights(JSON.stringify(file)), { binarise: true });
    assert.equal(other.exportWeights().replace('"binarise":false', '"binarise":true'), t.exportWeights());
    const old = { ...file, config: { ...file.config } };
    delete old.config.binarise;
    assert.deepEqual(t.importWeights(JSON.stringify(old)), { binarise: false });
    assert.deepEqual(t.importWeights(JSON.stringify({ ...file, config: { ...file.config, binarise: false } })), { binarise: false });
    const before = t.exportWeights();
    throwsCoded(() => t.importWeights(JSON.stringify({ ...file, config: { ...file.config, binarise: 'true' } })),
      'weights-not-boolean', { key: 'binarise' });
    assert.equal(t.exportWeights(), before, 'a rejected file changes nothing');
    t.free();
    other.free();
  });
});

describe('the two parts of the gap: fitPosterior and elboOf', () => {
  const tr = new lab.Trainer(digits.trainX, D, config, 3);
  for (let e = 0; e < 10; e += 1) tr.trainEpoch();

  it('elboOf(q_φ) is the sampled evaluate of that image; the SE is sensible', () => {
    const x = image(0);
    const q = tr.encodeDistribution(x);
    const e = tr.elboOf(x, q.mu, q.logvar, 2000, 9);
    const want = tr.evaluate(x, 2000, 9).elbo;
    assert.ok(Math.abs(e.elbo - want) < 1e-3 * Math.abs(want), `${e.elbo} vs ${want}`);
    assert.ok(e.standardError > 0 && e.standardError < 0.5, `SE ${e.standardError}`);
    assert.deepEqual(tr.elboOf(x, q.mu, q.logvar, 2000, 9), e, 'seeded');
    assert.deepEqual(tr.elboOf(x, Array.from(q.mu), Array.from(q.logvar), 2000, 9), e, 'arrays as Float32Arrays');
  });

  it('q* starts at q_φ, raises the ELBO (common random numbers) and stays below log p(x)', () => {
    let gain = 0;
    for (const i of [0, 1, 2, 3]) {
      const x = image(i);
      const start = tr.fitPosterior(x, 0, 1, 5);
      const q = tr.encodeDistribution(x);
      assert.deepEqual([start.mu, start.logvar, start.steps], [q.mu, q.logvar, 0]);
      const fit = tr.fitPosterior(x, 300, 16, 5);
      assert.ok(fit.mu instanceof Float32Array && fit.mu.length === 2 && fit.logvar.length === 2);
      assert.equal(fit.steps, 300);
      assert.deepEqual(tr.fitPosterior(x, 300, 16, 5), fit, 'seeded');
      const star = tr.elboOf(x, fit.mu, fit.logvar, 20000, 13);
      const enc = tr.elboOf(x, q.mu, q.logvar, 20000, 13);
      const logp = tr.posteriorGrid(x, 200, 4).logEvidence;
      const se = star.standardError + enc.standardError;
      assert.ok(star.elbo >= enc.elbo - 3 * se, `image ${i}: ELBO(q*) ${star.elbo} vs ELBO(q_φ) ${enc.elbo}`);
      assert.ok(logp >= star.elbo - 3 * star.standardError, `image ${i}: log p(x) ${logp} vs ELBO(q*) ${star.elbo}`);
      gain += star.elbo - enc.elbo;
    }
    assert.ok(gain > 0, `the fit gains on average (${gain / 4})`);
  });

  it('rejects bad input with coded errors', () => {
    const x = image(0);
    const q = tr.encodeDistribution(x);
    throwsCoded(() => tr.fitPosterior(x.subarray(0, 5), 10, 4, 1), 'image-width', { len: '5', width: String(D) });
    throwsCoded(() => tr.fitPosterior(x.map((v, i) => (i === 3 ? 2 : v)), 10, 4, 1), 'bernoulli-pixel', { name: 'x', index: '3' });
    throwsCoded(() => tr.fitPosterior(x, -1, 4, 1), 'whole-number', { name: 'steps' });
    throwsCoded(() => tr.fitPosterior(x, 10001, 4, 1), 'whole-number', { name: 'steps', hi: '10000' });
    throwsCoded(() => tr.fitPosterior(x, 10, 0, 1), 'whole-number', { name: 'samples', lo: '1' });
    throwsCoded(() => tr.fitPosterior(x, 10, 4, 2 ** 60), 'whole-number', { name: 'seed' });
    throwsCoded(() => tr.fitPosterior('x', 10, 4, 1), 'not-float-array', { name: 'x' });
    throwsCoded(() => tr.elboOf(x, q.mu, q.logvar, 1, 1), 'whole-number', { name: 'samples', lo: '2' });
    throwsCoded(() => tr.elboOf(x, [0], q.logvar, 10, 1), 'length-mismatch', { name_a: 'mu', len_a: '1' });
    throwsCoded(() => tr.elboOf(x, [0, NaN], q.logvar, 10, 1), 'q-mean-range', { name: 'mu', value: 'NaN' });
    throwsCoded(() => tr.elboOf(x, [0, 2000], q.logvar, 10, 1), 'q-mean-range', { value: '2000' });
    throwsCoded(() => tr.elboOf(x, q.mu, [0, 40], 10, 1), 'q-log-var-range', { name: 'logvar', value: '40' });
    throwsCoded(() => tr.elboOf(x, q.mu, null, 10, 1), 'not-float-array', { name: 'logvar', type: 'null' });
    throwsCoded(() => tr.elboOf(x.subarray(1), q.mu, q.logvar, 10, 1), 'image-width');
    // The extremes allowed still give finite numbers.
    const far = tr.elboOf(x, [1000, -1000], [30, -30], 10, 1);
    assert.ok(Number.isFinite(far.elbo) && Number.isFinite(far.standardError));
  });
});

describe('held-out numbers as the page shows them', () => {
  it('−ELBO = reconstruction + KL exactly as returned', () => {
    const tr = new lab.Trainer(digits.trainX, D, config, 1);
    tr.trainEpoch();
    for (const e of [tr.evaluate(testX), tr.evaluate(testX, 4, 2024), tr.evaluate(image(7), 1, 3)]) {
      assert.equal(-e.elbo, e.reconstruction + e.kl, JSON.stringify(e));
      assert.ok(e.reconstruction > 0 && e.kl > 0);
    }
    tr.free();
  });

  it('pcaBaseline fits as many components as asked (default 2), codes stay two columns', () => {
    const n = digits.testY.length;
    const two = lab.pcaBaseline(digits.trainX, testX, D);
    assert.equal(two.components, 2);
    assert.deepEqual(lab.pcaBaseline(digits.trainX, testX, D, 2), two);
    const eight = lab.pcaBaseline(digits.trainX, testX, D, 8);
    assert.equal(eight.components, 8);
    assert.equal(eight.codes.length, n * 2);
    assert.deepEqual(eight.codes, two.codes, 'the first two components are the same directions');
    assert.ok(eight.explained > two.explained && eight.squaredError < two.squaredError);
    const one = lab.pcaBaseline(digits.trainX, testX, D, 1);
    assert.equal(one.codes.length, n * 2);
    for (let i = 0; i < n; i += 1) {
      assert.equal(one.codes[2 * i], two.codes[2 * i]);
      assert.equal(one.codes[2 * i + 1], 0);
    }
    assert.equal(lab.pcaBaseline(digits.trainX, testX, D, 16).components, 16);
    throwsCoded(() => lab.pcaBaseline(digits.trainX, testX, D, 17), 'whole-number', { name: 'components', hi: '16' });
    throwsCoded(() => lab.pcaBaseline(digits.trainX, testX, D, 0), 'whole-number', { name: 'components', lo: '1' });
    throwsCoded(() => lab.pcaBaseline([0, 1, 1, 0], [0, 1], 2, 3), 'whole-number', { name: 'components', hi: '2' });
  });
});
