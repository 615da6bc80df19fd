// Posterior collapse through the JS API under Node: Trainer.latentUsage (the KL of every latent
// dimension and Burda et al.'s active units), the KL warm-up and the free bits as training
// options, in the weights file and as coded errors.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';

const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const D = digits.pixels;
const small = digits.trainX.subarray(0, 256 * D);
const config = { latent: 4, hidden: 32, batchSize: 64, lr: 3e-3 };
const code = (fn) => { try { fn(); } catch (e) { return [e.code, e.params]; } return null; };

describe('Trainer.latentUsage', () => {
  it('gives one KL per dimension that add up to evaluate\'s KL, and the active count of the activities', () => {
    const t = new lab.Trainer(small, D, config, 1);
    for (let e = 0; e < 3; e += 1) t.trainEpoch();
    const u = t.latentUsage(digits.testX);
    assert.ok(u.kl instanceof Float64Array && u.activity instanceof Float64Array);
    assert.equal(u.kl.length, 4);
    assert.equal(u.threshold, 0.01);
    assert.ok(u.kl.every((k) => k >= 0));
    const sum = u.kl.reduce((a, b) => a + b, 0);
    const kl = t.evaluate(digits.testX).kl;
    assert.ok(Math.abs(sum - kl) < 1e-5 * Math.max(1, kl), `${sum} vs ${kl}`);
    assert.equal(u.active, u.activity.filter((a) => a > 0.01).length);
    // The activity is the population variance of μ_d over the images.
    const mu = t.encode(digits.testX);
    const n = mu.length / 4;
    const mean = [0, 1, 2, 3].map((d) => mu.filter((_, i) => i % 4 === d).reduce((a, b) => a + b, 0) / n);
    const variance = [0, 1, 2, 3].map((d) => mu.filter((_, i) => i % 4 === d).reduce((a, v) => a + (v - mean[d]) ** 2, 0) / n);
    variance.forEach((v, d) => assert.ok(Math.abs(v - u.activity[d]) < 1e-9 * Math.max(1, v), `${v} vs ${u.activity[d]}`));
    assert.deepEqual(code(() => t.latentUsage(new Float32Array(D + 1))).slice(0, 1), [code(() => t.evaluate(new Float32Array(D + 1)))[0]]);
    t.free();
  });
});

describe('KL warm-up and free bits', () => {
  it('trainEpoch reports the epoch\'s β, rising linearly over the warm-up', () => {
    const t = new lab.Trainer(small, D, { ...config, beta: 2, warmup: 4 }, 1);
    assert.equal(t.warmup, 4);
    const betas = Array.from({ length: 6 }, () => t.trainEpoch().beta);
    assert.deepEqual(betas, [0, 0.5, 1, 1.5, 2, 2]);
    t.free();
  });

  it('free bits change the objective, not the reported KL; λ = 0 is the plain VAE bit for bit', () => {
    const plain = new lab.Trainer(small, D, config, 1);
    const zero = new lab.Trainer(small, D, { ...config, freeBits: 0 }, 1);
    const free = new lab.Trainer(small, D, { ...config, freeBits: 0.5 }, 1);
    assert.equal(free.freeBits, 0.5);
    const [a, b, c] = [plain, zero, free].map((t) => t.trainEpoch());
    assert.deepEqual(a, b);
    // With λ = 0.5 on 4 dimensions the KL term is at least 4 · 0.5 = 2 nats.
    assert.ok(c.loss - c.recon >= 2 - 1e-6, JSON.stringify(c));
    assert.ok(c.loss - c.recon >= c.kl - 1e-6, JSON.stringify(c));
    for (const t of [plain, zero, free]) t.free();
  });

  it('bad values are coded errors', () => {
    assert.deepEqual(code(() => new lab.Trainer(small, D, { freeBits: -1 }, 1)), ['config-free-bits', { value: '-1' }]);
    assert.deepEqual(code(() => new lab.Trainer(small, D, { freeBits: 'a' }, 1)), ['config-not-number', { key: 'freeBits' }]);
    assert.equal(code(() => new lab.Trainer(small, D, { warmup: 1.5 }, 1))[1].name, 'config.warmup');
  });

  it('the weights file states both; a file without them loads with both off', () => {
    const t = new lab.Trainer(small, D, { ...config, warmup: 7, freeBits: 0.25 }, 1);
    t.trainEpoch();
    const json = t.exportWeights();
    const w = JSON.parse(json);
    assert.equal(w.config.warmup, 7);
    assert.equal(w.config.freeBits, 0.25);
    const r = lab.Trainer.fromWeights(small, D, json, 1, true);
    assert.deepEqual([r.config.warmup, r.config.freeBits, r.trainer.warmup, r.trainer.freeBits], [7, 0.25, 7, 0.25]);
    r.trainer.free();
    delete w.config.warmup;
    delete w.config.freeBits;
    const old = lab.Trainer.fromWeights(small, D, JSON.stringify(w), 1, true);
    assert.deepEqual([old.trainer.warmup, old.trainer.freeBits], [0, 0]);
    assert.deepEqual(JSON.parse(old.trainer.exportWeights()).params, w.params);
    old.trainer.free();
    t.free();
  });
});
