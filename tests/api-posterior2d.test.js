// Section 3.5's JS API under Node: Posterior2d against closed forms and identities.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { throwsCoded } from './lib/errors.js';
import { closeAbs } from './lib/approx.js';

const LN_2PI = Math.log(2 * Math.PI);

describe('Posterior2d on a correlated Gaussian', () => {
  const [m1, m2, s1, s2, rho] = [0.5, -1, 1.5, 0.7, 0.8];
  const post = new lab.Posterior2d('gaussian', { mean1: m1, mean2: m2, sd1: s1, sd2: s2, rho });

  it('gives log Z and the moments of the closed form', () => {
    closeAbs(post.logNormaliser(), LN_2PI + Math.log(s1 * s2) + 0.5 * Math.log(1 - rho ** 2), 1e-8, 'log Z');
    const [a, b, v1, v2, c] = post.moments();
    closeAbs(a, m1, 1e-8, 'mean₁');
    closeAbs(b, m2, 1e-8, 'mean₂');
    closeAbs(v1, s1 ** 2, 1e-8, 'var₁');
    closeAbs(v2, s2 ** 2, 1e-8, 'var₂');
    closeAbs(c, rho * s1 * s2, 1e-8, 'cov');
  });

  it('fits mean-field q with variances (1 − ρ²)σᵢ² and KL = −½ ln(1 − ρ²); full q reaches KL = 0', () => {
    const mf = post.fit('mean-field', 'reverse');
    closeAbs(mf.mean[0], m1, 1e-8);
    closeAbs(mf.cov[0], (1 - rho ** 2) * s1 ** 2, 1e-8, 'var₁');
    closeAbs(mf.cov[1], (1 - rho ** 2) * s2 ** 2, 1e-8, 'var₂');
    assert.equal(mf.cov[2], 0);
    closeAbs(mf.kl, -0.5 * Math.log(1 - rho ** 2), 1e-8, 'KL');
    closeAbs(mf.elbo + mf.kl, post.logNormaliser(), 1e-12, 'ELBO + KL');
    const full = post.fit('full', 'reverse');
    assert.ok(full.kl < 1e-8, `KL ${full.kl}`);
    closeAbs(full.cov[2], rho * s1 * s2, 1e-8, 'cov');
  });

  it('matches the marginals with forward KL', () => {
    const fwd = post.fit('mean-field', 'forward');
    closeAbs(fwd.cov[0], s1 ** 2, 1e-8);
    closeAbs(fwd.cov[1], s2 ** 2, 1e-8);
    closeAbs(fwd.klForward, -0.5 * Math.log(1 - rho ** 2), 1e-8, 'KL(p‖q)');
  });

  it('takes CAVI steps along one axis at a time', () => {
    const a = post.caviStep([2, 1], [0.3, 0.4, 0], 0);
    assert.equal(a.mean[1], 1);
    closeAbs(a.cov[0], (1 - rho ** 2) * s1 ** 2, 1e-12);
    closeAbs(a.mean[0], m1 + (rho * s1 / s2) * (1 - m2), 1e-12, 'm₁ = μ₁ + ρσ₁/σ₂ (m₂ − μ₂)');
    const b = post.caviStep(a.mean, a.cov, 1);
    assert.equal(b.mean[0], a.mean[0]);
    assert.ok(b.elbo >= a.elbo, 'each step raises the ELBO');
  });

  it('runs a seeded Adam with reparameterised gradients reproducibly', () => {
    const run = () => {
      post.startOptimiser('full', [2, 1], [1, 1, 0], 0.05, 8, 7);
      let r;
      for (let i = 0; i < 20; i++) r = post.step(25);
      return r;
    };
    const r = run();
    assert.deepEqual(run(), r);
    assert.ok(r.kl < 0.1, `KL after 500 steps ${r.kl}`);
    closeAbs(r.elbo + r.kl, post.logNormaliser(), 1e-12);
  });

  it('exposes the grid without copying', () => {
    const n = post.side;
    assert.equal(n, 128);
    const memory = lab.initSync().memory;
    const view = new Float64Array(memory.buffer, post.gridPtr(), n * n);
    assert.deepEqual(Array.from(view), Array.from(post.density()));
    const [x0, x1, y0, y1] = post.bounds();
    const h = ((x1 - x0) / (n - 1)) * ((y1 - y0) / (n - 1));
    closeAbs(view.reduce((s, p) => s + p, 0) * h, 1, 1e-8, 'Σ p h² ≈ 1');
  });
});

describe('Posterior2d on the other targets', () => {
  it('gives the banana its closed-form normaliser and moments', () => {
    const post = new lab.Posterior2d('banana', { a: 1.2, b: 0.4 });
    closeAbs(post.logNormaliser(), LN_2PI + Math.log(1.2), 1e-8);
    const [, , v1, v2] = post.moments();
    closeAbs(v1, 1.44, 1e-8);
    closeAbs(v2, 1 + 2 * 0.16 * 1.2 ** 4, 1e-7);
  });

  it('has a mixture whose mean-field fits are never better than the full ones', () => {
    const post = new lab.Posterior2d('mixture', { d: 3, s: 0.7 });
    closeAbs(post.logNormaliser(), 0, 1e-8);
    const mf = post.fit('mean-field', 'reverse');
    const full = post.fit('full', 'reverse');
    assert.ok(full.elbo >= mf.elbo - 1e-9);
    assert.ok(full.elbo <= post.logNormaliser() + 1e-9);
  });

  it('moves the logistic posterior when points are placed', () => {
    const prior = new lab.Posterior2d('logistic', { points: [], labels: [] });
    closeAbs(prior.logNormaliser(), 0, 1e-10, 'no data: Z = 1');
    const post = new lab.Posterior2d('logistic', { points: [1, 0, 2, 0.5, -1, 0.2], labels: [1, 1, 0] });
    const [w1] = post.moments();
    assert.ok(w1 > 0.3, `points with label 1 at x₁ > 0 push E[w₁] up (${w1})`);
    assert.ok(post.logNormaliser() < 0);
    const e = post.evaluate([0, 0], [1, 1, 0]);
    closeAbs(e.elbo + e.kl, post.logNormaliser(), 1e-12);
  });
});

describe('Posterior2d.addPoint and removePoint', () => {
  it('update the logistic posterior in place to what a new Posterior2d gives', () => {
    const points = [1, 0.5, 2, 1, 0.5, -1, -1, -0.5, -2, -1];
    const labels = [1, 1, 1, 0, 0];
    const post = new lab.Posterior2d('logistic', { points, labels });
    const same = (pts, ys) => {
      const fresh = new lab.Posterior2d('logistic', { points: pts, labels: ys });
      closeAbs(post.logNormaliser(), fresh.logNormaliser(), 1e-9, 'log Z');
      post.moments().forEach((v, k) => closeAbs(v, fresh.moments()[k], 1e-9, `moment ${k}`));
      const e = post.evaluate([0.5, -0.5], [0.5, 0.4, 0.1]);
      closeAbs(e.elbo, fresh.evaluate([0.5, -0.5], [0.5, 0.4, 0.1]).elbo, 1e-12, 'ELBO');
      fresh.free();
    };
    const m0 = post.moments();
    assert.equal(post.addPoint(1.5, -0.5, 1), 6);
    same([...points, 1.5, -0.5], [...labels, 1]);
    assert.notDeepEqual(post.moments(), m0);
    assert.equal(post.removePoint(1), 5);
    same([1, 0.5, 0.5, -1, -1, -0.5, -2, -1, 1.5, -0.5], [1, 1, 0, 0, 1]);
    const image = post.densityImage();
    assert.equal(image.length, 4 * post.side ** 2);
    // One point far out narrows the posterior: the grid is rebuilt, and still agrees.
    for (let k = 0; k < 8; k += 1) post.addPoint(4.5, 4.5 - k, k % 2);
    same([1, 0.5, 0.5, -1, -1, -0.5, -2, -1, 1.5, -0.5, ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [4.5, 4.5 - k])], [1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    throwsCoded(() => post.addPoint(0, 6, 1), 'vi2d-point');
    throwsCoded(() => post.addPoint(0, 1, 2), 'binary-observation');
    throwsCoded(() => post.removePoint(13), 'index-out-of-range', { max: '12' });
    throwsCoded(() => new lab.Posterior2d('gaussian', {}).addPoint(0, 0, 1), 'vi2d-not-logistic');
    assert.equal(post.removePoint(0), 12, 'it still answers after the errors');
  });
});

describe('Posterior2d rejects bad input with coded errors', () => {
  it('names the problem', () => {
    throwsCoded(() => new lab.Posterior2d('ring', {}), 'vi2d-target', { target: 'ring' });
    throwsCoded(() => new lab.Posterior2d('gaussian', { rho: 1 }), 'vi2d-rho');
    throwsCoded(() => new lab.Posterior2d('gaussian', { n: 8 }), 'whole-number');
    throwsCoded(() => new lab.Posterior2d('gaussian', 3), 'params-not-object');
    throwsCoded(() => new lab.Posterior2d('logistic', { points: [0, 9], labels: [1] }), 'vi2d-point');
    throwsCoded(() => new lab.Posterior2d('logistic', { points: [0, 1], labels: [3] }), 'binary-observation');
    const many = 201;
    throwsCoded(() => new lab.Posterior2d('logistic', { points: new Array(2 * many).fill(0.5), labels: new Array(many).fill(1) }), 'vi2d-point-count');
    const post = new lab.Posterior2d('gaussian', {});
    throwsCoded(() => post.fit('diagonal', 'reverse'), 'vi2d-family', { family: 'diagonal' });
    throwsCoded(() => post.fit('full', 'sideways'), 'kl-kind');
    throwsCoded(() => post.evaluate([0, 0], [1, 1, 2]), 'vi2d-not-positive');
    throwsCoded(() => post.evaluate([0], [1, 1, 0]), 'vi2d-gauss-shape');
    throwsCoded(() => post.caviStep([0, 0], [1, 1, 0.5], 0), 'vi2d-not-mean-field');
    throwsCoded(() => post.step(), 'vi2d-not-started');
    throwsCoded(() => post.startOptimiser('full', [0, 0], [1, 1, 0], 0, 8, 1), 'posterior-lr');
    // It still answers after every error.
    closeAbs(post.logNormaliser(), LN_2PI, 1e-8);
  });
});
