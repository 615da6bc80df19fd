// Section 2.3's API under Node: lab.jointReport (joint, marginal and conditional entropies,
// mutual information) and lab.dataProcessing (X → Y → Z), closed forms, identities, a nearly
// independent joint, and bad input as coded errors.
// Run: node --test tests/api-joint.test.js   (needs `make build` for pkg/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { codedErrorProblem } from './lib/errors.js';
import { mulberry32 } from './lib/random.js';
import { close } from './lib/approx.js';

const h2 = (e) => (e === 0 || e === 1 ? 0 : -e * Math.log2(e) - (1 - e) * Math.log2(1 - e));
const bsc = (e) => [(1 - e) / 2, e / 2, e / 2, (1 - e) / 2];

/** Runs `fn`, which must throw a well-formed coded error `code`; returns it. */
function throwsCoded(fn, code) {
  let thrown;
  try { fn(); } catch (err) { thrown = err; }
  assert.ok(thrown, `expected ${code}`);
  assert.equal(codedErrorProblem(thrown), null);
  assert.equal(thrown.code, code, thrown.message);
  return thrown;
}

/** A random joint with nx rows and ny columns (some zeros). */
function randomJoint(rand, nx, ny) {
  const w = Array.from({ length: nx * ny }, () => (rand() < 0.2 ? 0 : rand()));
  w[0] += 0.1;
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}

describe('jointReport', () => {
  it('returns every entropy, I and the marginals; nats by default', () => {
    const r = lab.jointReport([0.25, 0.25, 0.5, 0], 2);
    assert.deepEqual(Object.keys(r).sort(), ['hX', 'hXGivenY', 'hXY', 'hY', 'hYGivenX', 'mutualInformation', 'px', 'py']);
    assert.deepEqual([...r.px], [0.5, 0.5]);
    assert.deepEqual([...r.py], [0.75, 0.25]);
    close(r.hXY, 1.5 * Math.LN2);
    close(r.hX, Math.LN2);
    const bits = lab.jointReport(new Float64Array([0.25, 0.25, 0.5, 0]), 2, 2);
    close(bits.hXY, 1.5);
    close(bits.mutualInformation, 1 - (1.5 - h2(0.25)), 1e-14, 'I = H(X) + H(Y) − H(X, Y)');
  });

  it('closed forms: independent, copy, binary symmetric channel', () => {
    assert.equal(lab.jointReport([0.125, 0.375, 0.125, 0.375], 2).mutualInformation, 0);
    const px = [0.2, 0.3, 0.5], py = [0.1, 0.6, 0.3];
    const indep = px.flatMap((a) => py.map((b) => a * b));
    assert.ok(Math.abs(lab.jointReport(indep, 3).mutualInformation) <= 1e-15, 'independent: I = 0 to 1e-15');
    const copy = [0.2, 0, 0, 0, 0.3, 0, 0, 0, 0.5];
    const c = lab.jointReport(copy, 3, 2);
    close(c.mutualInformation, c.hX, 1e-14, 'I(X; X) = H(X)');
    assert.equal(c.hXGivenY, 0);
    for (const e of [0.01, 0.1, 0.3]) close(lab.jointReport(bsc(e), 2, 2).mutualInformation, 1 - h2(e), 1e-14, `BSC ε = ${e}`);
  });

  it('identities on random joints of every size', () => {
    const rand = mulberry32(23);
    for (let k = 0; k < 200; k++) {
      const nx = 2 + Math.floor(rand() * 5), ny = 2 + Math.floor(rand() * 5);
      const joint = randomJoint(rand, nx, ny);
      const r = lab.jointReport(joint, nx, 2);
      close(r.hXY, r.hX + r.hYGivenX, 1e-13, 'chain rule');
      close(r.hXY, r.hY + r.hXGivenY, 1e-13, 'chain rule');
      close(r.mutualInformation, r.hX - r.hXGivenY, 1e-13, 'I = H(X) − H(X|Y)');
      assert.ok(r.mutualInformation >= 0 && r.mutualInformation <= Math.min(r.hX, r.hY) + 1e-13);
      const product = [...r.px].flatMap((a) => [...r.py].map((b) => a * b));
      close(r.mutualInformation, lab.klDivergence(joint, product, 2), 1e-12, 'I = KL(joint ‖ product)');
    }
  });

  it('a nearly independent joint keeps its digits', () => {
    // px = (½, ½), py = (¼, ¾), ±δ on the corners (exact): I = (32/3)δ² nats (to 1e-18).
    const d = 2 ** -30;
    const r = lab.jointReport([0.125 + d, 0.375 - d, 0.125 - d, 0.375 + d], 2);
    const want = (32 / 3) * d * d;
    assert.ok(Math.abs(r.mutualInformation - want) <= 1e-10 * want, `${r.mutualInformation} vs ${want}`);
  });

  it('bad input: coded errors', () => {
    throwsCoded(() => lab.jointReport([0.5, 0.5], 1), 'joint-size');
    throwsCoded(() => lab.jointReport([0.25, 0.25, 0.25, 0.25], 2.5), 'joint-size');
    throwsCoded(() => lab.jointReport([0.25, 0.25, 0.25, 0.25], 7), 'joint-size');
    throwsCoded(() => lab.jointReport([0.2, 0.2, 0.2, 0.2, 0.2], 2), 'joint-shape');
    throwsCoded(() => lab.jointReport([0.5, 0.5], 2), 'joint-shape');
    throwsCoded(() => lab.jointReport([0.3, 0.3, 0.3, 0.3], 2), 'not-normalised');
    throwsCoded(() => lab.jointReport([0.5, 0.6, -0.1, 0], 2), 'negative');
    throwsCoded(() => lab.jointReport([0.5, NaN, 0.5, 0], 2), 'not-finite');
    throwsCoded(() => lab.jointReport('0.5,0.5', 2), 'not-number-array');
    throwsCoded(() => lab.jointReport([0.25, 0.25, 0.25, 0.25], 2, 1), 'bad-base');
    throwsCoded(() => lab.jointReport([], 2), 'empty');
  });
});

describe('dataProcessing', () => {
  const flip = (e) => [1 - e, e, e, 1 - e];

  it('two binary symmetric channels: I(X; Z) = 1 − h(ε₁ ∗ ε₂) ≤ I(X; Y) = 1 − h(ε₁)', () => {
    const { iXY, iXZ } = lab.dataProcessing([0.5, 0.5], flip(0.1), 2, flip(0.2), 2, 2);
    close(iXY, 1 - h2(0.1), 1e-14);
    close(iXZ, 1 - h2(0.1 * 0.8 + 0.2 * 0.9), 1e-14);
    assert.ok(iXZ < iXY);
  });

  it('I(X; Z) ≤ I(X; Y) on random chains; I(X; Y) agrees with jointReport', () => {
    const rand = mulberry32(5);
    const row = (n) => { const w = Array.from({ length: n }, () => rand() + 1e-3); const s = w.reduce((a, b) => a + b, 0); return w.map((x) => x / s); };
    for (let k = 0; k < 200; k++) {
      const [nx, ny, nz] = [0, 0, 0].map(() => 2 + Math.floor(rand() * 5));
      const px = row(nx);
      const a = Array.from({ length: nx }, () => row(ny)).flat();
      const b = Array.from({ length: ny }, () => row(nz)).flat();
      const { iXY, iXZ } = lab.dataProcessing(px, a, ny, b, nz);
      assert.ok(iXZ <= iXY + 1e-12 && iXZ >= 0, `${iXZ} ≤ ${iXY}`);
      close(iXY, lab.jointReport(px.flatMap((p, i) => a.slice(i * ny, (i + 1) * ny).map((c) => p * c)), nx).mutualInformation, 1e-12);
    }
  });

  it('bad input: coded errors', () => {
    const err = throwsCoded(() => lab.dataProcessing([0.5, 0.5], [0.5, 0.5, 0.4, 0.5], 2, flip(0.1), 2), 'channel-row');
    assert.deepEqual({ ...err.params }, { name: 'channelA', value: '1' });
    throwsCoded(() => lab.dataProcessing([0.5, 0.5], flip(0.1), 2, [0.5, 0.5, 0.5], 2), 'joint-shape');
    throwsCoded(() => lab.dataProcessing([0.5, 0.5], flip(0.1), 3, flip(0.1), 2), 'joint-shape');
    throwsCoded(() => lab.dataProcessing([1], [0.5, 0.5], 2, flip(0.1), 2), 'joint-size');
    throwsCoded(() => lab.dataProcessing([0.5, 0.5], flip(0.1), 2, flip(0.1), 9), 'joint-size');
    throwsCoded(() => lab.dataProcessing([0.6, 0.6], flip(0.1), 2, flip(0.1), 2), 'not-normalised');
    throwsCoded(() => lab.dataProcessing([0.5, 0.5], [1.5, -0.5, 0.5, 0.5], 2, flip(0.1), 2), 'negative');
    throwsCoded(() => lab.dataProcessing([0.5, 0.5], flip(0.1), 2, null, 2), 'not-number-array');
  });
});
