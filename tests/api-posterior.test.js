// The chapter-3 JS API under Node: PosteriorLab against closed forms and identities.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { close, throwsError } from './lib/approx.js';


/** ln N(x; 0, v). */
const logNormal = (x, v) => -0.5 * Math.log(2 * Math.PI * v) - (x * x) / (2 * v);

describe('PosteriorLab on the conjugate model x | z ~ N(z, σx²)', () => {
  const sigmaX = 0.8;
  const x = 1.3;
  const post = new lab.PosteriorLab('gaussian', x, { sigmaX });
  const v = sigmaX ** 2;
  const mean = x / (1 + v);
  const variance = v / (1 + v);

  it('gives log p(x) and the posterior moments of the closed form', () => {
    close(post.logEvidence(), logNormal(x, 1 + v), 1e-10);
    const [m, varZ] = post.posteriorMoments();
    close(m, mean, 1e-10);
    close(varZ, variance, 1e-10);
  });

  it('splits log p(x) into ELBO + KL for any q, with KL = 0 at the posterior', () => {
    for (const [m, s] of [[0, 1], [2, 0.3], [-1, 2], [mean, Math.sqrt(variance)]]) {
      close(post.elbo(m, s) + post.klToPosterior(m, s), post.logEvidence(), 1e-9);
      assert.ok(post.klToPosterior(m, s) >= 0);
    }
    assert.ok(post.klToPosterior(mean, Math.sqrt(variance)) < 1e-10);
  });

  it('has derivation values that agree line by line', () => {
    const d = post.derivationValues(0.2, 0.7);
    close(d.elbo + d.kl, d.logEvidence, 1e-9);
    close(d.expectedLogJoint + d.entropyQ, d.elbo, 1e-12);
    close(d.expectedLogLikelihood - d.klToPrior, d.elbo, 1e-12);
    close(d.klToPrior, 0.5 * (0.2 ** 2 + 0.7 ** 2 - 1 - Math.log(0.7 ** 2)), 1e-12);
    close(d.entropyQ, 0.5 * Math.log(2 * Math.PI * Math.E * 0.49), 1e-12);
  });

  it('exact gradient matches finite differences; the reparameterised one is unbiased', () => {
    const [value, dM, dLogS] = post.elboGradient(0.4, 0.9);
    const h = 1e-5;
    close(dM, (post.elbo(0.4 + h, 0.9) - post.elbo(0.4 - h, 0.9)) / (2 * h), 1e-6);
    close(dLogS, (post.elbo(0.4, 0.9 * Math.exp(h)) - post.elbo(0.4, 0.9 * Math.exp(-h))) / (2 * h), 1e-6);
    close(value, post.elbo(0.4, 0.9), 1e-12);
    const runs = 400;
    let sum = 0;
    let sumSq = 0;
    for (let seed = 0; seed < runs; seed += 1) {
      const g = post.reparamGradient(0.4, 0.9, 4, seed)[1];
      sum += g;
      sumSq += g * g;
    }
    const avg = sum / runs;
    const se = Math.sqrt((sumSq / runs - avg * avg) / runs);
    assert.ok(Math.abs(avg - dM) < 4 * se, `mean ${avg} vs exact ${dM} (se ${se})`);
    assert.deepEqual(post.reparamGradient(0.4, 0.9, 4, 7), post.reparamGradient(0.4, 0.9, 4, 7), 'seeded');
  });

  it('Adam with exact gradients converges to the exact posterior', () => {
    const lab2 = new lab.PosteriorLab('gaussian', x, { sigmaX });
    lab2.startOptimiser(-2, 2, 0.05);
    let state;
    for (let i = 0; i < 3000; i += 1) state = lab2.step('exact', 1, 0);
    close(state[0], mean, 1e-6);
    close(state[1], Math.sqrt(variance), 1e-6);
    assert.ok(state[3] < 1e-10, `KL ${state[3]}`);
  });

  it('exposes the exact posterior on a grid, also as a zero-copy view', () => {
    const n = post.posteriorGrid(-4, 4, 801);
    assert.equal(n, 801);
    const values = post.gridValues();
    const dz = 8 / 800;
    const mass = values.reduce((a, b) => a + b, 0) * dz;
    close(mass, 1, 1e-6);
    const peak = values.indexOf(Math.max(...values));
    close(-4 + peak * dz, mean, dz);
  });
});

describe('PosteriorLab on the bimodal and logistic models', () => {
  it('bimodal: different starts converge to different modes', () => {
    const ends = [1, -1].map((m0) => {
      const p = new lab.PosteriorLab('bimodal', 2, { sigmaX: 0.5 });
      p.startOptimiser(m0, 0.5, 0.05);
      let s;
      for (let i = 0; i < 1500; i += 1) s = p.step('exact', 1, 0);
      return s;
    });
    assert.ok(ends[0][0] > 1 && ends[1][0] < -1, `ends ${ends.map((e) => e[0])}`);
    close(ends[0][2], ends[1][2], 1e-6); // mirror images: the same ELBO
  });

  it('logistic: p(x=1) + p(x=0) = 1', () => {
    const one = new lab.PosteriorLab('logistic', 1, { a: 3, b: -0.5 });
    const zero = new lab.PosteriorLab('logistic', 0, { a: 3, b: -0.5 });
    close(Math.exp(one.logEvidence()) + Math.exp(zero.logEvidence()), 1, 1e-10);
  });

  it('stochastic steps are reproducible from their seeds', () => {
    const run = () => {
      const p = new lab.PosteriorLab('bimodal', 1.5, {});
      p.startOptimiser(0.3, 1, 0.05);
      return Array.from({ length: 20 }, (_, i) => p.step('reparam', 3, 100 + i));
    };
    assert.deepEqual(run(), run());
  });
});

describe('PosteriorLab rejects bad parameters with a named error', () => {
  it('names the parameter', () => {
    throwsError(() => new lab.PosteriorLab('gaussian', 1, { sigmaX: 0 }), /sigma_x/);
    throwsError(() => new lab.PosteriorLab('gaussian', 1, { sigmaX: -1 }), /sigma_x/);
    throwsError(() => new lab.PosteriorLab('gaussian', NaN, {}), /\bx\b/);
    throwsError(() => new lab.PosteriorLab('gaussian', 1, { sigmaX: 'wide' }), /params\.sigmaX must be a number/);
    throwsError(() => new lab.PosteriorLab('logistic', 0.5, {}), /\bx\b/);
    throwsError(() => new lab.PosteriorLab('poisson', 1, {}), /model is "poisson"/);
    const p = new lab.PosteriorLab('gaussian', 1, {});
    throwsError(() => p.elbo(0, 0), /\bs\b/);
    throwsError(() => p.elbo(0, -1), /\bs\b/);
    throwsError(() => p.elbo(NaN, 1), /\bm\b/);
    throwsError(() => p.reparamGradient(0, 1, 0, 1), /k is 0/);
    throwsError(() => p.reparamGradient(0, 1, 2.5, 1), /k is 2\.5/);
    throwsError(() => p.step('exact', 1, 0), /startOptimiser/);
    p.startOptimiser(0, 1, 0.1);
    throwsError(() => p.step('newton', 1, 0), /mode is "newton"/);
    throwsError(() => p.startOptimiser(0, 1, 0), /lr is 0/);
    assert.equal(p.step('exact', 1, 0).length, 4, 'still usable after the errors');
  });
});

describe('PosteriorLab: importance weights and the IWAE bounds', () => {
  const post = new lab.PosteriorLab('bimodal', 2.5, { sigmaX: 0.5 });
  const [m, s] = [0.5, 1];

  it('logWeights are ln p(x, z) − ln q(z) on the seeded draws; their mean estimates the ELBO', () => {
    const lw = post.logWeights(m, s, 20000, 3);
    assert.ok(lw instanceof Float64Array && lw.length === 20000);
    assert.deepEqual(post.logWeights(m, s, 20000, 3), lw, 'same seed, same draws');
    const mean = lw.reduce((a, b) => a + b, 0) / lw.length;
    const l1 = post.iwaeBound(m, s, 1, 20000, 3);
    close(l1.estimate, mean, 1e-12);
    assert.equal(l1.groups, 20000);
    assert.ok(Math.abs(l1.estimate - post.elbo(m, s)) < 4 * l1.stdError, 'L₁ is the ELBO within 4 s.e.');
    close(post.derivationValues(m, s).expectedLogWeight, post.elbo(m, s), 1e-11);
  });

  it('iwaeBound(K) is the mean of ⌊n/K⌋ group log-mean-exps; iwaeBounds uses the same draws', () => {
    const lw = post.logWeights(m, s, 1000, 9);
    const k = 30;
    const groups = Math.floor(1000 / k);
    const values = Array.from({ length: groups }, (_, g) => {
      const part = lw.slice(g * k, (g + 1) * k);
      const max = Math.max(...part);
      return max + Math.log(part.reduce((a, v) => a + Math.exp(v - max), 0) / k);
    });
    const mean = values.reduce((a, b) => a + b, 0) / groups;
    const se = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (groups - 1) / groups);
    const got = post.iwaeBound(m, s, k, 1000, 9);
    close(got.estimate, mean, 1e-12);
    close(got.stdError, se, 1e-9);
    assert.equal(got.groups, groups);
    const both = post.iwaeBounds(m, s, [1, k], 1000, 9);
    assert.deepEqual([...both], [post.iwaeBound(m, s, 1, 1000, 9).estimate, post.iwaeBound(m, s, 1, 1000, 9).stdError, got.estimate, got.stdError]);
  });

  it('L_K rises from the ELBO toward log p(x) (nested K on the same draws never fall)', () => {
    const ks = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
    const b = post.iwaeBounds(m, s, ks, 20480, 1);
    for (let i = 1; i < ks.length; i += 1) assert.ok(b[2 * i] >= b[2 * i - 2], `L_${ks[i]} ≥ L_${ks[i - 1]}`);
    assert.ok(b[2 * (ks.length - 1)] < post.logEvidence() + 4 * b[2 * ks.length - 1], 'L_1024 ≤ log p(x) within 4 s.e.');
    assert.ok(b[2 * (ks.length - 1)] > post.elbo(m, s), 'L_1024 above the ELBO');
  });

  it('rejects bad counts with coded errors', () => {
    const code = (fn) => { try { fn(); } catch (e) { return e.code; } return null; };
    assert.equal(code(() => post.iwaeBound(m, s, 0, 100, 1)), 'whole-number');
    assert.equal(code(() => post.iwaeBound(m, s, 51, 100, 1)), 'iwae-groups');
    assert.equal(code(() => post.iwaeBounds(m, s, [1, 60], 100, 1)), 'iwae-groups');
    assert.equal(code(() => post.iwaeBounds(m, s, 'K', 100, 1)), 'not-number-array');
    assert.equal(code(() => post.logWeights(m, s, 0, 1)), 'whole-number');
    assert.equal(code(() => post.logWeights(m, 0, 10, 1)), 'bad-scale');
    assert.equal(code(() => post.iwaeBound(m, s, 2, 100, -1)), 'whole-number');
  });
});
