// The JS API of chapter 2 under Node: the discrete divergences (cross-entropy, KL, JS, TV)
// and the Gaussian closed forms, checked against closed forms and identities computed here,
// plus the error for bad input. MixtureFit is in api-kl-mixture.test.js.
// Run: node --test tests/api-kl.test.js   (needs `make build` for pkg/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { mulberry32 as rng } from './lib/random.js';
import { close, closeRel, sum, throwsError } from './lib/approx.js';

/** A random distribution over n outcomes with every entry > 0, summing to 1 (to rounding). */
function randomDistribution(rand, n) {
  const w = Array.from({ length: n }, () => 0.01 + rand());
  const s = sum(w);
  return w.map((x) => x / s);
}
/** Random pairs (p, q) with 2 to 9 outcomes. */
function randomPairs(seed, count = 200) {
  const rand = rng(seed);
  return Array.from({ length: count }, () => {
    const n = 2 + Math.floor(rand() * 8);
    return [randomDistribution(rand, n), randomDistribution(rand, n)];
  });
}

/** Σ pᵢ log(pᵢ/qᵢ) computed here, in nats, 0 log 0 = 0. */
const klHere = (p, q) => sum(p.map((pi, i) => (pi > 0 ? pi * Math.log(pi / q[i]) : 0)));
const tvHere = (p, q) => 0.5 * sum(p.map((pi, i) => Math.abs(pi - q[i])));

const CLOSE = { p: [0.3, 0.4, 0.2, 0.1], q: [0.25, 0.35, 0.25, 0.15] };
const ZERO = { p: [0.4, 0.3, 0.2, 0.1], q: [0.5, 0.3, 0.2, 0] };

// ---------------------------------------------------------------------------------------
// Discrete divergences
// ---------------------------------------------------------------------------------------

describe('klDivergence and crossEntropy', () => {
  it('match closed forms, in nats by default and in bits with base 2', () => {
    // KL((½, ½) ‖ (¼, ¾)) = ½ ln 2 + ½ ln(2/3) = ½ ln(4/3).
    close(lab.klDivergence([0.5, 0.5], [0.25, 0.75]), 0.5 * Math.log(4 / 3));
    close(lab.klDivergence([0.5, 0.5], [0.25, 0.75], Math.E), 0.5 * Math.log(4 / 3));
    close(lab.klDivergence([0.5, 0.5], [0.25, 0.75], 2), 0.5 * Math.log2(4 / 3));
    // H((½, ½), (¼, ¾)) = −½ log₂ ¼ − ½ log₂ ¾ = 1 + ½ log₂(4/3).
    close(lab.crossEntropy([0.5, 0.5], [0.25, 0.75], 2), 1 + 0.5 * Math.log2(4 / 3));
    close(lab.klDivergence(CLOSE.p, CLOSE.q), klHere(CLOSE.p, CLOSE.q));
    close(lab.klDivergence(new Float64Array(CLOSE.p), new Float64Array(CLOSE.q), 10), klHere(CLOSE.p, CLOSE.q) / Math.LN10);
  });

  it('KL ≥ 0 on random pairs, KL(p‖p) = 0, and KL is not symmetric', () => {
    for (const [p, q] of randomPairs(1)) {
      const kl = lab.klDivergence(p, q);
      assert.ok(kl >= 0, `KL(${p} ‖ ${q}) = ${kl} < 0`);
      close(kl, klHere(p, q), 1e-12);
      assert.equal(lab.klDivergence(p, p), 0, `KL(p‖p) for ${p}`);
      assert.equal(lab.klDivergence(p, p, 2), 0);
    }
    const shifted = { p: [0.6, 0.25, 0.1, 0.05], q: [0.05, 0.1, 0.25, 0.6] };
    const shiftedBack = { p: [0.6, 0.3, 0.1], q: [0.2, 0.2, 0.6] };
    for (const { p, q } of [CLOSE, shiftedBack]) {
      assert.ok(Math.abs(lab.klDivergence(p, q) - lab.klDivergence(q, p)) > 1e-3, `KL(p‖q) ≠ KL(q‖p) for ${p} / ${q}`);
    }
    // A mirror-image pair is the exception: both directions agree.
    close(lab.klDivergence(shifted.p, shifted.q), lab.klDivergence(shifted.q, shifted.p));
  });

  it('H(p, q) = H(p) + KL(p‖q) to 1e-12, in bits and in nats', () => {
    for (const [p, q] of randomPairs(2)) {
      for (const base of [2, Math.E]) {
        const h = lab.crossEntropy(p, q, base);
        close(h, lab.entropy(p, base) + lab.klDivergence(p, q, base), 1e-12, `H(p, q) base ${base} for ${p} / ${q}`);
        assert.ok(h >= lab.entropy(p, base) - 1e-15, 'H(p, q) ≥ H(p) (Gibbs)');
      }
    }
    assert.equal(lab.crossEntropy([1, 0], [1, 0], 2), 0);
    close(lab.crossEntropy(CLOSE.p, CLOSE.p, 2), lab.entropy(CLOSE.p, 2));
  });

  it('is +∞ exactly when q rules out an outcome that p allows', () => {
    assert.equal(lab.klDivergence(ZERO.p, ZERO.q), Infinity);
    assert.equal(lab.klDivergence(ZERO.p, ZERO.q, 2), Infinity);
    assert.equal(lab.crossEntropy(ZERO.p, ZERO.q, 2), Infinity);
    // The other direction is finite: p never rules out what q allows.
    const back = lab.klDivergence(ZERO.q, ZERO.p, 2);
    assert.ok(Number.isFinite(back) && back > 0, `KL(q‖p) = ${back}`);
    close(back, 0.5 * Math.log2(0.5 / 0.4));
    // qᵢ = 0 where pᵢ = 0 too is harmless: 0 log(0/0) counts as 0.
    close(lab.klDivergence([0.5, 0.5, 0], [0.25, 0.75, 0]), 0.5 * Math.log(4 / 3));
    close(lab.klDivergence([0.5, 0.5, 0], [0.25, 0.5, 0.25]), 0.5 * Math.log(2));
  });
});

describe('klInfiniteAt(p, q)', () => {
  it('gives the index where q = 0 < p, else undefined', () => {
    assert.equal(lab.klInfiniteAt(ZERO.p, ZERO.q), 3);
    assert.equal(lab.klInfiniteAt([0.5, 0.5, 0], [0, 0.5, 0.5]), 0);
    assert.equal(lab.klInfiniteAt([0.2, 0.3, 0.5], [0.5, 0.5, 0]), 2);
    assert.equal(lab.klInfiniteAt([0.2, 0.3, 0.5], [0, 1, 0]), 0, 'the first such outcome');
    assert.equal(lab.klInfiniteAt(ZERO.q, ZERO.p), undefined);
    assert.equal(lab.klInfiniteAt(CLOSE.p, CLOSE.q), undefined);
    assert.equal(lab.klInfiniteAt([0.5, 0.5, 0], [0.5, 0.5, 0]), undefined, 'q = 0 where p = 0 too');
  });
  it('agrees with klDivergence being infinite on random pairs with zeros', () => {
    const rand = rng(3);
    for (let k = 0; k < 200; k += 1) {
      const n = 2 + Math.floor(rand() * 6);
      const zeroOut = (d) => {
        const z = d.map((x) => (rand() < 0.3 ? 0 : x));
        if (z.every((x) => x === 0)) z[0] = 1;
        const s = sum(z);
        return z.map((x) => x / s);
      };
      const p = zeroOut(randomDistribution(rand, n));
      const q = zeroOut(randomDistribution(rand, n));
      const first = p.findIndex((pi, i) => pi > 0 && q[i] === 0);
      assert.equal(lab.klInfiniteAt(p, q), first < 0 ? undefined : first, `${p} / ${q}`);
      assert.equal(lab.klDivergence(p, q) === Infinity, first >= 0, `KL infinite iff klInfiniteAt for ${p} / ${q}`);
    }
  });
});

describe('klTerms(p, q, base?)', () => {
  it('sum to klDivergence to 1e-12 and are negative where q > p', () => {
    for (const [p, q] of randomPairs(4)) {
      for (const base of [2, Math.E]) {
        const terms = lab.klTerms(p, q, base);
        assert.ok(terms instanceof Float64Array);
        assert.equal(terms.length, p.length);
        close(sum(terms), lab.klDivergence(p, q, base), 1e-12, `Σ terms for ${p} / ${q}`);
        terms.forEach((t, i) => {
          if (q[i] > p[i]) assert.ok(t < 0, `term ${i} = ${t} should be < 0 (q ${q[i]} > p ${p[i]})`);
          if (q[i] < p[i]) assert.ok(t > 0, `term ${i} = ${t} should be > 0 (q ${q[i]} < p ${p[i]})`);
        });
      }
    }
    const terms = Array.from(lab.klTerms(CLOSE.p, CLOSE.q, 2));
    const expected = CLOSE.p.map((pi, i) => pi * Math.log2(pi / CLOSE.q[i]));
    terms.forEach((t, i) => close(t, expected[i], 1e-12, `term ${i}`));
    assert.ok(terms[2] < 0 && terms[3] < 0, `q > p for outcomes 3 and 4: ${terms}`);
  });
  it('are 0 where p = 0 and +∞ where q = 0 < p', () => {
    assert.deepEqual(Array.from(lab.klTerms([0, 1], [0.5, 0.5], 2)), [0, 1]);
    const terms = Array.from(lab.klTerms(ZERO.p, ZERO.q, 2));
    assert.equal(terms[3], Infinity);
    assert.equal(terms[1], 0);
    close(terms[0], 0.4 * Math.log2(0.4 / 0.5));
    assert.ok(terms[0] < 0);
  });
});

describe('jsDivergence and totalVariation', () => {
  it('JS is symmetric, 0 for p = q, at most 1 bit, and ½KL(p‖m) + ½KL(q‖m)', () => {
    for (const [p, q] of randomPairs(5)) {
      const js = lab.jsDivergence(p, q, 2);
      close(lab.jsDivergence(q, p, 2), js, 1e-15, `JS symmetric for ${p} / ${q}`);
      assert.ok(js >= 0 && js <= 1, `0 ≤ JS = ${js} ≤ 1 bit`);
      const jsNats = lab.jsDivergence(p, q);
      assert.ok(jsNats <= Math.LN2, `JS = ${jsNats} ≤ ln 2 nats`);
      close(jsNats, js * Math.LN2, 1e-12, 'nats = bits × ln 2');
      const m = p.map((pi, i) => (pi + q[i]) / 2);
      close(js, 0.5 * lab.klDivergence(p, m, 2) + 0.5 * lab.klDivergence(q, m, 2), 1e-12, `JS of ${p} / ${q}`);
      assert.equal(lab.jsDivergence(p, p, 2), 0);
    }
  });
  it('JS = 1 bit for disjoint supports, and stays finite where KL is infinite', () => {
    assert.equal(lab.jsDivergence([1, 0], [0, 1], 2), 1);
    close(lab.jsDivergence([0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7], 2), 1);
    close(lab.jsDivergence([0.5, 0.5, 0, 0], [0, 0, 0.3, 0.7]), Math.LN2);
    const js = lab.jsDivergence(ZERO.p, ZERO.q, 2);
    assert.ok(Number.isFinite(js) && js > 0 && js < 1, `JS = ${js} with q₄ = 0`);
  });
  it('TV is ½Σ|pᵢ − qᵢ|, symmetric, in [0, 1], 1 for disjoint supports', () => {
    for (const [p, q] of randomPairs(6)) {
      const tv = lab.totalVariation(p, q);
      close(tv, tvHere(p, q), 1e-12, `TV of ${p} / ${q}`);
      close(lab.totalVariation(q, p), tv, 1e-15, 'TV symmetric');
      assert.ok(tv >= 0 && tv <= 1);
      assert.equal(lab.totalVariation(p, p), 0);
    }
    close(lab.totalVariation(CLOSE.p, CLOSE.q), 0.1);
    assert.equal(lab.totalVariation([1, 0], [0, 1]), 1);
    close(lab.totalVariation(ZERO.p, ZERO.q), 0.1);
    // Pinsker: TV ≤ √(KL/2) with KL in nats.
    for (const [p, q] of randomPairs(7, 50)) {
      assert.ok(lab.totalVariation(p, q) <= Math.sqrt(lab.klDivergence(p, q) / 2) + 1e-12, 'Pinsker');
    }
  });
});

describe('klReport(p, q, base?)', () => {
  const agrees = (p, q, base) => {
    const r = lab.klReport(p, q, base);
    assert.deepEqual(Object.keys(r).sort(),
      ['crossPQ', 'crossQP', 'hp', 'hq', 'infinitePQ', 'infiniteQP', 'js', 'klPQ', 'klQP', 'termsPQ', 'termsQP', 'tv']);
    const same = (a, b, what) => (Number.isFinite(b) ? close(a, b, 1e-12, what) : assert.equal(a, b, what));
    same(r.hp, lab.entropy(p, base), 'hp');
    same(r.hq, lab.entropy(q, base), 'hq');
    same(r.crossPQ, lab.crossEntropy(p, q, base), 'crossPQ');
    same(r.crossQP, lab.crossEntropy(q, p, base), 'crossQP');
    same(r.klPQ, lab.klDivergence(p, q, base), 'klPQ');
    same(r.klQP, lab.klDivergence(q, p, base), 'klQP');
    same(r.js, lab.jsDivergence(p, q, base), 'js');
    same(r.tv, lab.totalVariation(p, q), 'tv');
    assert.equal(r.infinitePQ, lab.klInfiniteAt(p, q) ?? null, 'infinitePQ');
    assert.equal(r.infiniteQP, lab.klInfiniteAt(q, p) ?? null, 'infiniteQP');
    assert.ok(r.termsPQ instanceof Float64Array && r.termsQP instanceof Float64Array);
    Array.from(lab.klTerms(p, q, base)).forEach((t, i) => same(r.termsPQ[i], t, `termsPQ[${i}]`));
    Array.from(lab.klTerms(q, p, base)).forEach((t, i) => same(r.termsQP[i], t, `termsQP[${i}]`));
    return r;
  };
  it('agrees field by field with the single functions', () => {
    for (const [p, q] of randomPairs(8, 50)) {
      agrees(p, q, 2);
      agrees(p, q, Math.E);
    }
    const r = agrees(CLOSE.p, CLOSE.q, 2);
    assert.equal(r.infinitePQ, null);
    assert.equal(r.infiniteQP, null);
    close(r.crossPQ, r.hp + r.klPQ);
    close(r.crossQP, r.hq + r.klQP);
  });
  it('reports ∞ and the outcome responsible in each direction', () => {
    const r = agrees(ZERO.p, ZERO.q, 2);
    assert.equal(r.klPQ, Infinity);
    assert.equal(r.crossPQ, Infinity);
    assert.equal(r.infinitePQ, 3);
    assert.equal(r.infiniteQP, null);
    assert.ok(Number.isFinite(r.klQP));
    const back = agrees(ZERO.q, ZERO.p, 2);
    assert.equal(back.infiniteQP, 3);
    assert.equal(back.infinitePQ, null);
    assert.equal(back.klQP, Infinity);
  });
  it('defaults to nats', () => {
    const r = lab.klReport(CLOSE.p, CLOSE.q);
    close(r.klPQ, klHere(CLOSE.p, CLOSE.q));
    close(r.klPQ, lab.klReport(CLOSE.p, CLOSE.q, 2).klPQ * Math.LN2);
  });
});

describe('discrete divergences: bad input', () => {
  const PAIRWISE = {
    crossEntropy: (p, q) => lab.crossEntropy(p, q, 2),
    klDivergence: (p, q) => lab.klDivergence(p, q, 2),
    klInfiniteAt: (p, q) => lab.klInfiniteAt(p, q),
    klTerms: (p, q) => lab.klTerms(p, q, 2),
    jsDivergence: (p, q) => lab.jsDivergence(p, q, 2),
    totalVariation: (p, q) => lab.totalVariation(p, q),
    klReport: (p, q) => lab.klReport(p, q, 2),
  };
  for (const [name, fn] of Object.entries(PAIRWISE)) {
    it(`${name} names the parameter and the problem`, () => {
      throwsError(() => fn([0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]), /p has 2 entries but q has 3/, /same length/);
      throwsError(() => fn([0.2, 0.3, 0.5], [0.5, 0.5]), /p has 3 entries but q has 2/);
      throwsError(() => fn([0.5, 0.5], [1.5, -0.5]), /q\[1\] is -0\.5/, /cannot be negative/);
      throwsError(() => fn([-0.5, 1.5], [0.5, 0.5]), /p\[0\] is -0\.5/, /cannot be negative/);
      throwsError(() => fn([0.5, NaN], [0.5, 0.5]), /p\[1\] is NaN/, /finite number/);
      throwsError(() => fn([0.5, 0.5], [NaN, 0.5]), /q\[0\] is NaN/);
      throwsError(() => fn([0.5, 0.5], [Infinity, 0.5]), /q\[0\] is inf/);
      throwsError(() => fn('0.5,0.5', [0.5, 0.5]), /p must be an array of numbers or a Float64Array \(got string\)/);
      throwsError(() => fn([0.5, 0.5], null), /q must be an array of numbers or a Float64Array \(got null\)/);
      throwsError(() => fn([0.5, 0.5], undefined), /q must be an array .*got undefined/);
      throwsError(() => fn([0.5, 0.5], [0.5, '0.5']), /q\[1\] must be a number \(got string\)/);
      throwsError(() => fn([0.5, 0.4], [0.5, 0.5]), /p sums to 0\.9, not 1/);
      throwsError(() => fn([0.5, 0.5], [0.7, 0.7]), /q sums to 1\.4/);
      throwsError(() => fn([], []), /p is empty/);
    });
  }
  it('bad bases are named', () => {
    throwsError(() => lab.klDivergence(CLOSE.p, CLOSE.q, 1), /base is 1/, /≠ 1/);
    throwsError(() => lab.crossEntropy(CLOSE.p, CLOSE.q, 0), /base is 0/);
    throwsError(() => lab.jsDivergence(CLOSE.p, CLOSE.q, -2), /base is -2/);
    throwsError(() => lab.klTerms(CLOSE.p, CLOSE.q, NaN), /base is NaN/);
    throwsError(() => lab.klReport(CLOSE.p, CLOSE.q, Infinity), /base is inf/);
  });
  it('the instance keeps working after many rejected calls', () => {
    for (let i = 0; i < 500; i += 1) assert.throws(() => lab.klReport([0.5, 0.5], [i, -i]));
    close(lab.klDivergence([0.5, 0.5], [0.25, 0.75]), 0.5 * Math.log(4 / 3));
  });
});

// ---------------------------------------------------------------------------------------
// Gaussians
// ---------------------------------------------------------------------------------------

/** KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) by the textbook formula (fine away from σ₁ ≈ σ₂, μ₁ ≈ μ₂). */
const gaussianKlHere = (m1, s1, m2, s2) => Math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5;

describe('gaussianKl(mu1, sigma1, mu2, sigma2)', () => {
  it('matches ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½ on ordinary values', () => {
    const cases = [[0, 1, 1, 2], [0, 1, 0, 2], [3, 0.5, -1, 1.5], [-2, 3, 4, 0.7], [1e3, 10, 1e3 + 5, 20], [0, 0.01, 0, 100], [0, 2, 0, 1]];
    for (const [m1, s1, m2, s2] of cases) {
      close(lab.gaussianKl(m1, s1, m2, s2), gaussianKlHere(m1, s1, m2, s2), 1e-12, `KL(N(${m1}, ${s1}²) ‖ N(${m2}, ${s2}²))`);
    }
    close(lab.gaussianKl(0, 1, 1, 2), Math.log(2) + 2 / 8 - 0.5);
    close(lab.gaussianKl(0, 1, 3, 1), 4.5, 1e-15, 'equal σ: (Δμ)²/(2σ²)');
    const rand = rng(9);
    for (let k = 0; k < 200; k += 1) {
      const [m1, m2] = [rand() * 10 - 5, rand() * 10 - 5];
      const [s1, s2] = [0.1 + rand() * 4, 0.1 + rand() * 4];
      const kl = lab.gaussianKl(m1, s1, m2, s2);
      assert.ok(kl >= 0, `KL = ${kl} ≥ 0`);
      close(kl, gaussianKlHere(m1, s1, m2, s2), 1e-10);
    }
  });

  it('is 0 for identical Gaussians and not symmetric', () => {
    for (const [m, s] of [[0, 1], [-3, 0.5], [1e6, 1e-3], [2.5, 7]]) assert.equal(lab.gaussianKl(m, s, m, s), 0, `N(${m}, ${s}²)`);
    assert.ok(Math.abs(lab.gaussianKl(0, 1, 0, 2) - lab.gaussianKl(0, 2, 0, 1)) > 0.1);
  });

  it('stays accurate for nearly equal Gaussians (σ ratio 1 + 1e-9)', () => {
    // With μ₁ = μ₂, σ₁ = σ₂(1 + δ) and u = (1 + δ)² − 1:
    //   KL = ½(u − ln(1 + u)) = −ln(1 + δ) + δ + δ²/2 = δ² − δ³/3 + δ⁴/4 − …
    // The naive formula cancels 1-sized terms and would give ≈ 1e-16 noise instead of 1e-18.
    const delta = (1 + 1e-9) - 1; // the δ the doubles really carry (exact, by Sterbenz)
    const series = delta ** 2 - delta ** 3 / 3 + delta ** 4 / 4;
    for (const s2 of [1, 0.25, 4, 1024]) {
      const kl = lab.gaussianKl(0.7, s2 * (1 + 1e-9), 0.7, s2); // × powers of two keep δ exact
      assert.ok(kl > 0, `KL = ${kl} > 0 for σ₂ = ${s2}`);
      closeRel(kl, series, 1e-6, `σ₁ = σ₂(1 + δ), σ₂ = ${s2}`);
    }
    // The other way round, σ₂ = σ₁(1 + δ): KL = ln(1 + δ) + 1/(2(1 + δ)²) − ½ = δ² − 5δ³/3 + …
    const other = lab.gaussianKl(0, 1, 0, 1 + 1e-9);
    assert.ok(other > 0);
    closeRel(other, delta ** 2 - (5 * delta ** 3) / 3, 1e-6, 'σ₂ = σ₁(1 + δ)');
    // And a tiny shift of the mean alone: (Δμ)²/(2σ²).
    closeRel(lab.gaussianKl(1e-9, 1, 0, 1), 0.5e-18, 1e-9, 'Δμ = 1e-9');
  });

  it('names the bad parameter', () => {
    throwsError(() => lab.gaussianKl(0, 0, 1, 2), /sigma1 is 0/, /standard deviation must be a finite number greater than 0/);
    throwsError(() => lab.gaussianKl(0, -1, 1, 2), /sigma1 is -1/);
    throwsError(() => lab.gaussianKl(0, 1, 1, -2), /sigma2 is -2/, /greater than 0/);
    throwsError(() => lab.gaussianKl(0, 1, 1, 0), /sigma2 is 0/);
    throwsError(() => lab.gaussianKl(0, 1, 1, NaN), /sigma2 is NaN/);
    throwsError(() => lab.gaussianKl(NaN, 1, 1, 2), /mu1 is NaN/, /finite number/);
    throwsError(() => lab.gaussianKl(0, 1, Infinity, 2), /mu2 is inf/);
  });
});

describe('gaussianKlToStdNormal(mu, logvar)', () => {
  const here = (mu, lv) => -0.5 * sum(mu.map((m, i) => 1 + lv[i] - m * m - Math.exp(lv[i])));
  it('matches −½Σ(1 + lv − μ² − e^lv) on ordinary inputs', () => {
    close(lab.gaussianKlToStdNormal([0.5, -1], [0.2, -0.3]), here([0.5, -1], [0.2, -0.3]));
    close(lab.gaussianKlToStdNormal([2], [0]), 2, 1e-15, 'μ = 2, σ = 1: μ²/2');
    close(lab.gaussianKlToStdNormal([0], [Math.log(4)]), gaussianKlHere(0, 2, 0, 1), 1e-12, 'one dimension = gaussianKl(…, 0, 1)');
    const rand = rng(10);
    for (let k = 0; k < 100; k += 1) {
      const n = 1 + Math.floor(rand() * 16);
      const mu = Array.from({ length: n }, () => rand() * 6 - 3);
      const lv = Array.from({ length: n }, () => rand() * 6 - 3);
      const kl = lab.gaussianKlToStdNormal(new Float64Array(mu), lv);
      assert.ok(kl >= 0, `KL = ${kl}`);
      close(kl, here(mu, lv), 1e-12);
      // Dimensions add up, each one a one-dimensional gaussianKl to N(0, 1).
      close(kl, sum(mu.map((m, i) => lab.gaussianKl(m, Math.exp(lv[i] / 2), 0, 1))), 1e-10);
    }
  });
  it('is 0 for N(0, I) and ≥ 0 near it', () => {
    assert.equal(lab.gaussianKlToStdNormal([0, 0, 0], [0, 0, 0]), 0);
    for (const lv of [1e-10, -1e-10, 1e-6, -1e-6]) {
      const kl = lab.gaussianKlToStdNormal([0], [lv]);
      assert.ok(kl >= 0, `logvar ${lv}: KL = ${kl}`);
      closeRel(kl, lv ** 2 / 4 + lv ** 3 / 12, 1e-6, `logvar ${lv}: ½(e^lv − 1 − lv)`);
    }
    closeRel(lab.gaussianKlToStdNormal([1e-10], [0]), 0.5e-20, 1e-12, 'μ = 1e-10');
  });
  it('names the bad parameter', () => {
    throwsError(() => lab.gaussianKlToStdNormal([0.5, -1], [0.2]), /mu has 2 entries but logvar has 1/, /same length/);
    throwsError(() => lab.gaussianKlToStdNormal([0.5, NaN], [0.2, 0]), /mu\[1\] is NaN/, /finite number/);
    throwsError(() => lab.gaussianKlToStdNormal([0.5], [Infinity]), /logvar\[0\] is inf/);
    throwsError(() => lab.gaussianKlToStdNormal('a', [0.2]), /mu must be an array of numbers or a Float64Array \(got string\)/);
    throwsError(() => lab.gaussianKlToStdNormal([0.2], null), /logvar must be an array .*got null/);
    throwsError(() => lab.gaussianKlToStdNormal([], []), /mu is empty: it needs at least one entry/);
  });
});

// ---------------------------------------------------------------------------------------
// MixtureFit
// ---------------------------------------------------------------------------------------
