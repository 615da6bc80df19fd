// The chapter-5 JS API under Node: Trainer on the committed digits, small enough to run fast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { throwsError } from './lib/approx.js';

const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const D = digits.pixels;
const config = { latent: 2, hidden: 32, batchSize: 64, lr: 3e-3 };
const evaluateTest = (t) => t.evaluate(digits.testX);

describe('Trainer.loadDigits', () => {
  it('returns typed arrays of images and labels', () => {
    assert.equal(digits.width * digits.height, D);
    assert.ok(digits.trainX instanceof Float32Array && digits.trainY instanceof Uint8Array);
    assert.equal(digits.trainX.length, digits.trainY.length * D);
    assert.equal(digits.testX.length, digits.testY.length * D);
    assert.ok(digits.trainX.every((x) => x >= 0 && x <= 1));
  });

  it('rejects a corrupt file', () => {
    throwsError(() => lab.Trainer.loadDigits(new Uint8Array(10)), /digits\.bin/);
  });
});

describe('Trainer on the digits', () => {
  const trainer = new lab.Trainer(digits.trainX, D, config, 1);
  const losses = [1, 2, 3].map(() => trainer.trainEpoch());

  it('lowers the loss over 3 epochs and counts them', () => {
    assert.equal(trainer.epoch, 3);
    for (const l of losses) {
      assert.ok([l.loss, l.recon, l.kl].every(Number.isFinite), JSON.stringify(l));
      assert.ok(Math.abs(l.loss - (l.recon + l.kl)) < 1e-3 * l.loss);
    }
    assert.ok(losses[2].loss < losses[1].loss && losses[1].loss < losses[0].loss, JSON.stringify(losses));
  });

  it('evaluates the test split in nats per image with elbo = −(reconstruction + kl)', () => {
    const e = evaluateTest(trainer);
    assert.ok([e.elbo, e.reconstruction, e.kl].every(Number.isFinite));
    assert.ok(e.kl >= 0 && e.reconstruction > 0);
    const sum = -(e.reconstruction + e.kl);
    assert.ok(Math.abs(e.elbo - sum) <= 1e-6 * Math.abs(sum));
  });

  it('encodes to n × latent means and decodes to probabilities', () => {
    const n = digits.testY.length;
    const mu = trainer.encode(digits.testX);
    assert.ok(mu instanceof Float32Array);
    assert.equal(mu.length, n * 2);
    assert.ok(mu.every(Number.isFinite));
    const x = trainer.decode(mu);
    assert.equal(x.length, n * D);
    assert.ok(x.every((p) => p >= 0 && p <= 1));
    const s = trainer.sample(5, 9);
    assert.equal(s.length, 5 * D);
    assert.ok(s.every((p) => p >= 0 && p <= 1));
    assert.deepEqual(trainer.sample(5, 9), s);
    throwsError(() => trainer.decode(new Float32Array(3)), /z/);
    throwsError(() => trainer.encode(new Float32Array(D + 1)), /data/);
  });

  it('round-trips exportWeights → importWeights', () => {
    const json = trainer.exportWeights();
    const w = JSON.parse(json);
    assert.equal(w.version, 1);
    assert.equal(w.config.latent, 2);
    assert.equal(w.params.length, trainer.numParams);
    const other = new lab.Trainer(digits.trainX, D, config, 99);
    assert.notDeepEqual(evaluateTest(other), evaluateTest(trainer));
    other.importWeights(json);
    assert.deepEqual(evaluateTest(other), evaluateTest(trainer));
    assert.deepEqual(other.encode(digits.testX), trainer.encode(digits.testX));
  });

  it('rejects bad weights and keeps the current model', () => {
    const before = evaluateTest(trainer);
    const w = JSON.parse(trainer.exportWeights());
    throwsError(() => trainer.importWeights(JSON.stringify({ ...w, params: w.params.slice(1) })), /params/);
    throwsError(() => trainer.importWeights(JSON.stringify({ ...w, config: { ...w.config, hidden: 16 } })), /hidden/);
    throwsError(() => trainer.importWeights(JSON.stringify({ ...w, version: 2 })), /version/);
    throwsError(() => trainer.importWeights('{"version": 1, "par'), /JSON/);
    const bad = [...w.params];
    bad[5] = 'x';
    throwsError(() => trainer.importWeights(JSON.stringify({ ...w, params: bad })), /params\[5\]/);
    assert.deepEqual(evaluateTest(trainer), before);
  });

  it('fromWeights reads a file once into a new Trainer with its settings; errors in the order the page met them', () => {
    const json = trainer.exportWeights();
    const w = JSON.parse(json);
    const { trainer: copy, config: settings, binarise } = lab.Trainer.fromWeights(digits.trainX, D, json, 5, true);
    assert.deepEqual(settings, { latent: 2, hidden: 32, beta: 1, lr: 3e-3, batchSize: 64, mode: 'vae', activation: 'tanh', likelihood: 'bernoulli', warmup: 0, freeBits: 0 });
    assert.equal(binarise, false); // the recipe the file states, not the one asked for
    assert.equal(copy.binarise, true); // further training: binarised, as asked (a Bernoulli file)
    assert.deepEqual(JSON.parse(copy.exportWeights()).params, w.params);
    assert.deepEqual(evaluateTest(copy), evaluateTest(trainer));
    copy.free();
    // An older file (no activation, likelihood or binarise): the settings it states, the defaults built.
    const old = { ...w, config: { ...w.config } };
    for (const k of ['activation', 'likelihood', 'binarise']) delete old.config[k];
    const r = lab.Trainer.fromWeights(digits.trainX, D, JSON.stringify(old), 5, true);
    assert.equal(r.config.activation, undefined);
    assert.ok(r.trainer.binarise && r.binarise === false);
    r.trainer.free();
    const code = (text) => { try { lab.Trainer.fromWeights(digits.trainX, D, text, 5, true); } catch (e) { return [e.code, e.params]; } return null; };
    assert.deepEqual(code('not json {'), ['weights-not-json', {}]);
    assert.deepEqual(code(JSON.stringify({ ...w, version: 7, config: { ...w.config, width: 2 } })), ['weights-shape', { key: 'width', got: '2', want: '64' }]);
    assert.equal(code(JSON.stringify({ ...w, version: 7, config: { ...w.config, latent: 99 } }))[0], 'whole-number'); // the constructor's check of config.latent
    assert.equal(code(JSON.stringify({ ...w, version: 7 }))[0], 'weights-version');
    assert.equal(code(JSON.stringify({ ...w, params: w.params.slice(1) }))[0], 'weights-param-count');
  });

  it('is deterministic for a seed', () => {
    const a = new lab.Trainer(digits.trainX, D, config, 7);
    const b = new lab.Trainer(digits.trainX, D, config, 7);
    for (let i = 0; i < 2; i += 1) assert.deepEqual(a.trainEpoch(), b.trainEpoch());
  });

  it('tells apart every seed up to 2⁵³ − 1, not only 32-bit ones', () => {
    // wasm32's usize has 32 bits: seeds were once read through it and saturated at 2³² − 1.
    const weights = (seed) => new lab.Trainer(digits.testX, D, config, seed).exportWeights();
    assert.notEqual(weights(2 ** 33), weights(2 ** 34));
    assert.notEqual(weights(2 ** 32 - 1), weights(2 ** 53 - 1));
    assert.notEqual(lab.simulateFlips(10000, 0.5, 2 ** 33), lab.simulateFlips(10000, 0.5, 2 ** 40));
    assert.throws(() => new lab.Trainer(digits.testX, D, config, 2 ** 53), /seed is 9007199254740992: it must be a whole number from 0 to 2⁵³ − 1/);
  });

  it('trains an autoencoder with kl = 0', () => {
    const ae = new lab.Trainer(digits.testX, D, { ...config, mode: 'autoencoder' }, 3);
    assert.equal(ae.trainEpoch().kl, 0);
    assert.equal(ae.evaluate(digits.testX).kl, 0);
  });
});

describe('Trainer input checks', () => {
  const x = digits.testX;
  it('names the bad parameter', () => {
    throwsError(() => new lab.Trainer(x, D, { latent: 0 }, 1), /config\.latent/);
    throwsError(() => new lab.Trainer(x, D, { latent: 17 }, 1), /config\.latent/);
    throwsError(() => new lab.Trainer(x, D, { lr: NaN }, 1), /config\.lr/);
    throwsError(() => new lab.Trainer(x, D, { lr: -0.01 }, 1), /config\.lr/);
    throwsError(() => new lab.Trainer(x, D, { batchSize: 0 }, 1), /config\.batchSize/);
    throwsError(() => new lab.Trainer(x, D, { beta: -1 }, 1), /config\.beta/);
    throwsError(() => new lab.Trainer(x, D, { mode: 'gan' }, 1), /config\.mode/);
    throwsError(() => new lab.Trainer(x, D, { hidden: 'big' }, 1), /config\.hidden/);
    throwsError(() => new lab.Trainer(x, 0, {}, 1), /width/);
    throwsError(() => new lab.Trainer(x.subarray(0, D + 3), D, {}, 1), /width/);
    throwsError(() => new lab.Trainer(new Float32Array(0), D, {}, 1), /data/);
    throwsError(() => new lab.Trainer(new Float32Array(D).fill(2), D, {}, 1), /data\[0\]/);
    throwsError(() => new lab.Trainer(x, D, {}, -1), /seed/);
  });

  it('uses the defaults when config is omitted', () => {
    const t = new lab.Trainer(x, D, undefined, 1);
    assert.equal(t.latent, 2);
    assert.equal(t.width, D);
  });
});

describe('Trainer bounds: iwae and posteriorGrid', () => {
  const trainer = new lab.Trainer(digits.trainX, D, config, 5);
  trainer.trainEpoch();
  trainer.trainEpoch();
  const x50 = digits.testX.subarray(0, 50 * D);

  it('iwae (K = 20) is at least the ELBO from the same draws', () => {
    const r = trainer.iwae(x50, 20, 3);
    assert.ok(Number.isFinite(r.iwae) && Number.isFinite(r.elbo), JSON.stringify(r));
    assert.ok(r.iwae >= r.elbo - 1e-9, JSON.stringify(r));
    assert.deepEqual(trainer.iwae(x50, 20, 3), r);
    const one = trainer.iwae(x50, 1, 3);
    assert.ok(Math.abs(one.iwae - one.elbo) < 1e-9, JSON.stringify(one));
  });

  it('posteriorGrid density integrates to 1 over the cells', () => {
    const g = trainer.posteriorGrid(digits.testX.subarray(0, D), 100, 4);
    assert.ok(g.density instanceof Float64Array);
    assert.equal(g.density.length, 100 * 100);
    assert.ok(Math.abs(g.cellArea - (8 / 100) ** 2) < 1e-15);
    const total = g.density.reduce((a, b) => a + b, 0) * g.cellArea;
    assert.ok(Math.abs(total - 1) < 1e-6, String(total));
    assert.ok(Number.isFinite(g.logEvidence) && g.logEvidence < 0);
  });

  it('names the bad parameter', () => {
    const x = digits.testX.subarray(0, D);
    throwsError(() => trainer.iwae(x50, 0, 1), /\bk\b/);
    throwsError(() => trainer.iwae(x50, 1.5, 1), /\bk\b/);
    throwsError(() => trainer.iwae(x50, 5, -1), /seed/);
    throwsError(() => trainer.posteriorGrid(x, 1, 4), /\bn\b/);
    throwsError(() => trainer.posteriorGrid(x, 401, 4), /\bn\b/);
    throwsError(() => trainer.posteriorGrid(x, 10, 0), /halfWidth/);
    throwsError(() => trainer.posteriorGrid(x50, 10, 4), /\bx\b/);
    const t3 = new lab.Trainer(x50, D, { latent: 3, hidden: 8 }, 1);
    throwsError(() => t3.posteriorGrid(x, 10, 4), /latent/);
  });
});

describe('chapter 4 helpers: encodeDistribution, sampled evaluate, PCA baseline, latent charts', () => {
  const tr = new lab.Trainer(digits.trainX, D, config, 5);
  tr.trainEpoch();
  const x = digits.testX.subarray(0, 3 * D);

  it('encodeDistribution gives μ equal to encode and finite log σ²', () => {
    const q = tr.encodeDistribution(x);
    assert.deepEqual(Array.from(q.mu), Array.from(tr.encode(x)));
    assert.equal(q.logvar.length, 3 * 2);
    assert.ok(q.logvar.every(Number.isFinite));
    throwsError(() => tr.encodeDistribution(new Float32Array(D - 1)), /not a multiple of width/);
  });

  it('evaluate with samples averages z ~ q: same KL, lower ELBO than at the mean on average, seeded', () => {
    const mean = tr.evaluate(digits.testX);
    const a = tr.evaluate(digits.testX, 8, 3);
    const b = tr.evaluate(digits.testX, 8, 3);
    assert.deepEqual(a, b, 'the same seed gives the same estimate');
    assert.ok(Math.abs(a.kl - mean.kl) < 1e-4, 'the KL term is the closed form either way');
    assert.ok(a.elbo < mean.elbo, `sampling z costs reconstruction: ${a.elbo} < ${mean.elbo}`);
    assert.ok(Math.abs(a.elbo + a.reconstruction + a.kl) < 1e-3);
    throwsError(() => tr.evaluate(digits.testX, 0.5, 1), /samples is 0\.5/);
    throwsError(() => tr.evaluate(digits.testX, 2, -1), /seed/);
  });

  it('pcaBaseline: 2-D codes, reconstructions in [0, 1], errors consistent with them', () => {
    const pca = lab.pcaBaseline(digits.trainX, digits.testX, D);
    const n = digits.testX.length / D;
    assert.equal(pca.codes.length, 2 * n);
    assert.equal(pca.reconstructions.length, n * D);
    assert.ok(pca.reconstructions.every((v) => v >= 0 && v <= 1));
    assert.ok(pca.explained > 0.1 && pca.explained < 1, `explained ${pca.explained}`);
    // Clipping to [0, 1] only moves reconstructions towards the data, so the clipped error is ≤ the reported one.
    let sq = 0;
    for (let i = 0; i < digits.testX.length; i += 1) sq += (digits.testX[i] - pca.reconstructions[i]) ** 2;
    assert.ok(sq / n <= pca.squaredError + 1e-6 && sq / n > 0.5 * pca.squaredError, `${sq / n} vs ${pca.squaredError}`);
    throwsError(() => lab.pcaBaseline(digits.trainX, digits.testX, 1.5), /width is 1\.5/);
    throwsError(() => lab.pcaBaseline(digits.trainX, new Float32Array(D + 1), D), /rows|multiple|width/);
    throwsError(() => lab.pcaBaseline(digits.trainX, new Float32Array(D).fill(2), D), /\[0, 1\]/);
  });

  it('reconstructionErrors: the per-image means of Σ (x − x̂)² and of the clipped BCE', () => {
    const tr = new lab.Trainer(digits.trainX, D, {}, 1);
    tr.trainEpoch();
    const xhat = tr.decode(tr.encode(digits.testX));
    const got = lab.reconstructionErrors(digits.testX, xhat, D);
    const n = digits.testX.length / D;
    let sq = 0;
    let bce = 0;
    for (let i = 0; i < xhat.length; i += 1) {
      const x = digits.testX[i];
      const p = Math.min(1 - 1e-6, Math.max(1e-6, xhat[i]));
      sq += (x - xhat[i]) ** 2;
      bce -= x * Math.log(p) + (1 - x) * Math.log(1 - p);
    }
    assert.ok(Math.abs(got.squaredError - sq / n) < 1e-9 * sq, `${got.squaredError} vs ${sq / n}`);
    assert.ok(Math.abs(got.bce - bce / n) < 1e-9 * bce, `${got.bce} vs ${bce / n}`);
    // A perfect reconstruction of binary pixels: no squared error, and a BCE of −ln(1 − 1e−6)
    // per pixel from the clipping.
    const perfect = lab.reconstructionErrors(Float32Array.of(0, 1, 1, 0), Float32Array.of(0, 1, 1, 0), 2);
    assert.equal(perfect.squaredError, 0);
    assert.ok(Math.abs(perfect.bce - -2 * Math.log(1 - 1e-6)) < 1e-12);
    throwsError(() => lab.reconstructionErrors(digits.testX, xhat.subarray(1), D), /xHat/);
    throwsError(() => lab.reconstructionErrors(Float32Array.of(0, 2), Float32Array.of(0, 1), 2), /\[0, 1\]/);
    throwsError(() => lab.reconstructionErrors(digits.testX, xhat, 1.5), /width is 1\.5/);
    tr.free();
  });

  it('densityImage and the latent overlay check their inputs', () => {
    const img = lab.densityImage(new Float64Array([0, 1, 2, 4]), 2);
    assert.equal(img.length, 16);
    assert.deepEqual(Array.from(img.subarray(8, 12)), [255, 255, 255, 255], 'density 0 is white (bottom-left cell, drawn in the last row)');
    throwsError(() => lab.densityImage(new Float64Array(5), 2), /n × n = 4/);
    throwsError(() => lab.drawLatentOverlay({}, 4, new Float64Array(4), new Uint8Array(3), [], [], [], 1), /classes has 3 entries but points holds 2 pairs/);
    throwsError(() => lab.drawLatentOverlay({}, 4, [], new Uint8Array(0), [], [], [0, 0, 1], 1), /ellipse/);
    throwsError(() => lab.drawLatentOverlay({}, 4, [], new Uint8Array(0), [], [], [0, 0, NaN, 1], 1), /ellipse/);
  });
});
