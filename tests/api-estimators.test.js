// The gradient estimators of 3.2 under Node: PosteriorLab.scoreGradient beside reparamGradient,
// and gradientVariances, the exact variance of one sample of each.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { close } from './lib/approx.js';


/** Mean, variance and standard error of the mean of `xs`. */
function summary(xs) {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, variance, se: Math.sqrt(variance / n) };
}

describe('PosteriorLab.scoreGradient', () => {
  const models = [
    ['gaussian', 1, { sigmaX: 1 }],
    ['bimodal', 2.5, { sigmaX: 0.5 }],
    ['logistic', 1, { a: 2, b: 0 }],
  ];

  it('is unbiased: the mean of 1,000 seeded estimates is within 4 standard errors of the exact gradient', () => {
    for (const [model, x, params] of models) {
      const post = new lab.PosteriorLab(model, x, params);
      const [, dM, dLogS] = post.elboGradient(0.5, 1);
      for (const [part, exact] of [[1, dM], [2, dLogS]]) {
        const { mean, se } = summary(Array.from({ length: 1000 }, (_, i) => post.scoreGradient(0.5, 1, 10, 1 + i)[part]));
        assert.ok(Math.abs(mean - exact) < 4 * se, `${model} component ${part}: ${mean} vs ${exact} (se ${se})`);
      }
      post.free();
    }
  });

  it('uses the same ε as reparamGradient with the same seed, and the same seed gives the same estimate', () => {
    // Gaussian model at its exact posterior N(½, ½): f = ln p(x) for every z, so the score
    // estimate from one sample is ln p(x)·ε/s, and the reparameterised one is g(z) = −ε/s.
    const post = new lab.PosteriorLab('gaussian', 1, { sigmaX: 1 });
    const s = Math.sqrt(0.5);
    const le = post.logEvidence();
    const [value, dM, dLogS] = post.scoreGradient(0.5, s, 1, 42);
    const e = -post.reparamGradient(0.5, s, 1, 42)[1] * s;
    close(value, le, 1e-9);
    close(dM, (le * e) / s, 1e-9);
    close(dLogS, le * (e * e - 1), 1e-9);
    assert.deepEqual(post.scoreGradient(0.3, 0.9, 5, 7), post.scoreGradient(0.3, 0.9, 5, 7));
    post.free();
  });

  it('rejects bad K, seed and q with coded errors', () => {
    const post = new lab.PosteriorLab('gaussian', 1, {});
    const code = (fn) => { try { fn(); } catch (e) { return e.code; } return null; };
    assert.equal(code(() => post.scoreGradient(0, 1, 0, 1)), 'whole-number');
    assert.equal(code(() => post.scoreGradient(0, 1, 2.5, 1)), 'whole-number');
    assert.equal(code(() => post.scoreGradient(0, 1, 5, -1)), 'whole-number');
    assert.ok(code(() => post.scoreGradient(0, 0, 5, 1)));
    assert.ok(code(() => post.gradientVariances(NaN, 1)));
    post.free();
  });
});

describe('PosteriorLab.gradientVariances', () => {
  it('matches the closed form of the Gaussian model and the spread of 1,000 one-sample estimates', () => {
    // g(z) = x/σx² − a z with a = 1 + 1/σx²: Var[g] = a²s², s²·Var[ε g] = s²((x/σx² − a m)² + 2a²s²).
    const [sx, x, m, s] = [0.5, 1, 0.3, 0.8];
    const post = new lab.PosteriorLab('gaussian', x, { sigmaX: sx });
    const a = 1 + 1 / sx ** 2;
    const [vr1, vr2, vs1, vs2] = post.gradientVariances(m, s);
    close(vr1, a * a * s * s, 1e-9);
    close(vr2, s * s * ((x / sx ** 2 - a * m) ** 2 + 2 * a * a * s * s), 1e-9);
    for (const [fn, part, want] of [['reparamGradient', 1, vr1], ['reparamGradient', 2, vr2], ['scoreGradient', 1, vs1], ['scoreGradient', 2, vs2]]) {
      const { variance } = summary(Array.from({ length: 1000 }, (_, i) => post[fn](m, s, 1, i)[part]));
      assert.ok(Math.abs(variance / want - 1) < 0.3, `${fn} ${part}: ${variance} vs ${want}`);
    }
    assert.ok(vs1 > vr1 && vs2 > vr2, 'the score function is the noisier here');
    post.free();
  });
});

describe('PosteriorLab.gradientEstimates', () => {
  it('gives, in one call, component `part` of the estimates with seeds seed, seed + 1, …', () => {
    const post = new lab.PosteriorLab('bimodal', 2.5, { sigmaX: 0.5 });
    for (const [score, fn] of [[true, 'scoreGradient'], [false, 'reparamGradient']]) {
      for (const part of [0, 1, 2]) {
        const got = post.gradientEstimates(score, 0.5, 1, 7, 40, 25, part);
        assert.ok(got instanceof Float64Array && got.length === 25);
        assert.deepEqual(Array.from(got), Array.from({ length: 25 }, (_, i) => post[fn](0.5, 1, 7, 40 + i)[part]), `${fn} part ${part}`);
      }
    }
    post.free();
  });

  it('rejects bad K, runs, part and seeds with coded errors', () => {
    const post = new lab.PosteriorLab('gaussian', 1, { sigmaX: 1 });
    const code = (fn) => { try { fn(); return null; } catch (e) { return e.code; } };
    assert.equal(code(() => post.gradientEstimates(true, 0, 1, 0, 1, 10, 1)), 'whole-number', 'K = 0');
    assert.equal(code(() => post.gradientEstimates(true, 0, 1, 5, 1, 0, 1)), 'whole-number', 'no runs');
    assert.equal(code(() => post.gradientEstimates(true, 0, 1, 5, 1, 10001, 1)), 'whole-number', 'too many runs');
    assert.equal(code(() => post.gradientEstimates(false, 0, 1, 5, 1, 10, 3)), 'whole-number', 'part 3');
    assert.equal(code(() => post.gradientEstimates(false, 0, 1, 5, -1, 10, 1)), 'whole-number', 'negative seed');
    assert.equal(code(() => post.gradientEstimates(false, 0, 1, 5, 2 ** 53 - 5, 10, 1)), 'whole-number', 'last seed past 2⁵³ − 1');
    assert.ok(code(() => post.gradientEstimates(false, 0, 0, 5, 1, 10, 1)), 's = 0');
    post.free();
  });
});
