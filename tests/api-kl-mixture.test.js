// The JS API of chapter 2 under Node: MixtureFit (moments, both KLs, fits, descent,
// landscapes), checked against closed forms, finite differences and identities computed here,
// plus the errors for bad mixtures.
// Run: node --test tests/api-kl-mixture.test.js   (needs `make build` for pkg/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { close, sum, throwsError } from './lib/approx.js';

const BIMODAL = { weights: [0.5, 0.5], means: [-3, 3], sigmas: [0.5, 0.5] };
const bimodal = () => new lab.MixtureFit(BIMODAL.weights, BIMODAL.means, BIMODAL.sigmas);
const [MU_MIN, MU_MAX, LS_MIN, LS_MAX, COLS, ROWS] = lab.MixtureFit.landscapeGrid();

/** Runs descent from (μ, σ) until a step moves (μ, ln σ) less than 1e-6 (as the page does). */
function descend(m, kind, mu, sigma, maxSteps = 300) {
  let state = m.descentStart(kind, mu, Math.log(sigma));
  const kls = [state[2]];
  for (let steps = 1; steps <= maxSteps; steps += 1) {
    const next = m.descentStep(kind, state);
    const moved = Math.hypot(next[0] - state[0], next[1] - state[1]);
    state = next;
    kls.push(state[2]);
    if (moved < 1e-6) return { state, steps, kls, converged: true };
  }
  return { state, steps: maxSteps, kls, converged: false };
}

describe('MixtureFit: construction', () => {
  it('rejects bad mixtures with specific messages', () => {
    throwsError(() => new lab.MixtureFit([0.5, 0.4], [0, 1], [1, 1]), /weights sums to 0\.9, not 1/);
    throwsError(() => new lab.MixtureFit([1.5, -0.5], [0, 1], [1, 1]), /weights\[1\] is -0\.5/, /cannot be negative/);
    throwsError(() => new lab.MixtureFit([0.5, NaN], [0, 1], [1, 1]), /weights\[1\] is NaN/);
    throwsError(() => new lab.MixtureFit([0.5, 0.5], [0, 1], [1, 0]), /sigmas\[1\] is 0/, /standard deviation must be a finite number greater than 0/);
    throwsError(() => new lab.MixtureFit([0.5, 0.5], [0, 1], [-1, 1]), /sigmas\[0\] is -1/);
    throwsError(() => new lab.MixtureFit([0.5, 0.5], [0, 1], [1, Infinity]), /sigmas\[1\] is inf/);
    throwsError(() => new lab.MixtureFit([0.5, 0.5], [NaN, 1], [1, 1]), /means\[0\] is NaN/);
    throwsError(() => new lab.MixtureFit([0.5, 0.5], [0], [1, 1]), /weights has 2 entries but means has 1/);
    throwsError(() => new lab.MixtureFit([0.5, 0.5], [0, 1], [1]), /has 2 entries but sigmas has 1/);
    throwsError(() => new lab.MixtureFit([], [], []), /weights is empty/);
    throwsError(() => new lab.MixtureFit(Array(6).fill(1 / 6), [0, 1, 2, 3, 4, 5], Array(6).fill(1)), /weights has 6 outcomes: at most 5/);
    throwsError(() => new lab.MixtureFit('0.5,0.5', [0, 1], [1, 1]), /weights must be an array .*got string/);
  });
  it('setMixture rejects the same way and keeps the old mixture', () => {
    const m = bimodal();
    throwsError(() => m.setMixture([0.5, 0.5], [0, 1], [1, 0]), /sigmas\[1\] is 0/);
    throwsError(() => m.setMixture([0.7, 0.7], [0, 1], [1, 1]), /weights sums to 1\.4/);
    assert.equal(m.mean(), 0);
    close(m.variance(), 9.25);
    m.free();
  });
  it('landscapeGrid is [μ min, μ max, ln σ min, ln σ max, columns, rows]', () => {
    assert.ok(MU_MIN < 0 && MU_MAX > 0 && LS_MIN < LS_MAX, `${lab.MixtureFit.landscapeGrid()}`);
    assert.ok(Number.isInteger(COLS) && Number.isInteger(ROWS) && COLS > 1 && ROWS > 1);
  });
});

describe('MixtureFit: moments and divergences', () => {
  it('mean and variance of 0.5·N(−3, 0.5²) + 0.5·N(3, 0.5²) are 0 and 9.25', () => {
    const m = bimodal();
    close(m.mean(), 0, 1e-15);
    close(m.variance(), 9.25, 1e-13);
    // An asymmetric one: E = Σwμ, Var = Σw(σ² + μ²) − E².
    const w = [0.2, 0.5, 0.3];
    const mu = [-1, 2, 4];
    const s = [0.3, 1, 2];
    m.setMixture(w, mu, s);
    const mean = sum(w.map((wk, k) => wk * mu[k]));
    close(m.mean(), mean, 1e-13);
    close(m.variance(), sum(w.map((wk, k) => wk * (s[k] ** 2 + mu[k] ** 2))) - mean ** 2, 1e-13);
    m.free();
  });
  it('forwardKl and reverseKl equal gaussianKl when p is a single Gaussian (1e-8)', () => {
    const m = new lab.MixtureFit([1], [0.5], [1.2]);
    for (const [mu, sigma] of [[0.5, 1.2], [0, 1], [2, 0.4], [-3, 3], [1, 2.5]]) {
      close(m.forwardKl(mu, sigma), lab.gaussianKl(0.5, 1.2, mu, sigma), 1e-8, `forward at (${mu}, ${sigma})`);
      close(m.reverseKl(mu, sigma), lab.gaussianKl(mu, sigma, 0.5, 1.2), 1e-8, `reverse at (${mu}, ${sigma})`);
    }
    assert.ok(Math.abs(m.forwardKl(0.5, 1.2)) < 1e-8);
    m.free();
  });
  it('forwardGradient and reverseGradient are [KL, ∂/∂μ, ∂/∂ln σ] (finite differences)', () => {
    const m = bimodal();
    const h = 1e-5;
    for (const [kind, kl] of [['forward', (a, b) => m.forwardKl(a, Math.exp(b))], ['reverse', (a, b) => m.reverseKl(a, Math.exp(b))]]) {
      const grad = kind === 'forward' ? (a, b) => m.forwardGradient(a, b) : (a, b) => m.reverseGradient(a, b);
      for (const [mu, ls] of [[2, Math.log(1.5)], [-1, 0], [0.5, -0.5], [3.2, Math.log(0.6)]]) {
        const [v, dmu, dls] = grad(mu, ls);
        close(v, kl(mu, ls), 1e-9, `${kind} KL at (${mu}, ${ls})`);
        close(dmu, (kl(mu + h, ls) - kl(mu - h, ls)) / (2 * h), 1e-5, `${kind} ∂/∂μ at (${mu}, ${ls})`);
        close(dls, (kl(mu, ls + h) - kl(mu, ls - h)) / (2 * h), 1e-5, `${kind} ∂/∂ln σ at (${mu}, ${ls})`);
      }
    }
    m.free();
  });
  it('reject σ ≤ 0 and name it', () => {
    const m = bimodal();
    throwsError(() => m.forwardKl(0, 0), /sigma is 0/, /\[0.05, 10\]/);
    throwsError(() => m.reverseKl(0, -1), /sigma is -1/);
    m.free();
  });
});

describe('MixtureFit: optima', () => {
  it('fitForward is moment matching, and a minimum of the forward KL', () => {
    for (const mix of [BIMODAL, { weights: [0.45, 0.55], means: [-2.5, 2], sigmas: [0.6, 0.9] }]) {
      const m = new lab.MixtureFit(mix.weights, mix.means, mix.sigmas);
      const [mu, sigma, kl] = m.fitForward();
      close(mu, m.mean(), 1e-12, 'μ = E_p[x]');
      close(sigma, Math.sqrt(m.variance()), 1e-12, 'σ = sd_p');
      close(kl, m.forwardKl(mu, sigma), 1e-9, 'KL at the optimum');
      for (const [dm, ds] of [[0.1, 0], [-0.1, 0], [0, 0.1], [0, -0.1], [0.05, 0.05]]) {
        assert.ok(m.forwardKl(mu + dm, sigma + ds) > kl, `forward KL grows away from the optimum (${dm}, ${ds})`);
      }
      m.free();
    }
    const [mu, sigma] = bimodal().fitForward();
    close(mu, 0, 1e-12);
    close(sigma, Math.sqrt(9.25), 1e-12);
  });
  it('fitReverse on the bimodal mixture finds the two modes, μ = ±3, σ ≈ 0.5, KL ≈ ln 2', () => {
    const m = bimodal();
    const r = Array.from(m.fitReverse());
    assert.equal(r.length % 3, 0);
    const optima = Array.from({ length: r.length / 3 }, (_, i) => ({ mu: r[3 * i], sigma: r[3 * i + 1], kl: r[3 * i + 2] }));
    assert.ok(optima.length >= 2, `at least two optima: ${r}`);
    const [a, b] = optima;
    assert.deepEqual([a.mu, b.mu].map(Math.sign).sort(), [-1, 1], `one optimum per mode: ${r}`);
    for (const o of [a, b]) {
      assert.ok(Math.abs(Math.abs(o.mu) - 3) < 1e-3, `|μ| = ${Math.abs(o.mu)} ≈ 3`);
      assert.ok(Math.abs(o.sigma - 0.5) < 1e-3, `σ = ${o.sigma} ≈ 0.5`);
      // q ≈ one component, p ≈ ½q there, so KL(q‖p) ≈ ln 2.
      close(o.kl, Math.LN2, 1e-6, 'KL at a mode');
      close(o.kl, m.reverseKl(o.mu, o.sigma), 1e-9);
    }
    // Best first; every optimum is a stationary point of the reverse KL and a local minimum.
    for (let i = 0; i < optima.length; i += 1) {
      const o = optima[i];
      if (i > 0) assert.ok(o.kl >= optima[i - 1].kl - 1e-12, `sorted best first: ${r}`);
      const [, dmu, dls] = m.reverseGradient(o.mu, Math.log(o.sigma));
      assert.ok(Math.hypot(dmu, dls) < 1e-4, `gradient at optimum ${i} (${o.mu}, ${o.sigma}): ${dmu}, ${dls}`);
      for (const [dm, dl] of [[0.05, 0], [-0.05, 0], [0, 0.05], [0, -0.05]]) {
        assert.ok(m.reverseKl(o.mu + dm, o.sigma * Math.exp(dl)) > o.kl, `optimum ${i} is a local minimum (${dm}, ${dl})`);
      }
    }
    m.free();
  });
});

describe('MixtureFit: descent', () => {
  it('repeated steps never increase the KL, and the state carries the true KL', () => {
    const m = bimodal();
    for (const kind of ['forward', 'reverse']) {
      for (const [mu, sigma] of [[2, 1.5], [-0.5, 0.3], [5, 4], [0.1, 1]]) {
        const { kls, state } = descend(m, kind, mu, sigma);
        for (let i = 1; i < kls.length; i += 1) {
          assert.ok(kls[i] <= kls[i - 1], `${kind} from (${mu}, ${sigma}): step ${i} raised KL ${kls[i - 1]} → ${kls[i]}`);
        }
        const kl = kind === 'forward' ? m.forwardKl(state[0], Math.exp(state[1])) : m.reverseKl(state[0], Math.exp(state[1]));
        close(state[2], kl, 1e-9, `${kind} state[2] is the KL at the state`);
      }
    }
    m.free();
  });
  it('descentStart returns [μ, ln σ, KL, step size]', () => {
    const m = bimodal();
    const s = m.descentStart('reverse', 2, Math.log(1.5));
    assert.ok(s instanceof Float64Array);
    assert.equal(s.length, 4);
    assert.equal(s[0], 2);
    close(s[1], Math.log(1.5));
    close(s[2], m.reverseKl(2, 1.5), 1e-9);
    assert.ok(s[3] > 0);
    throwsError(() => m.descentStep('reverse', [1, 2]), /state must be the 4 numbers/);
    throwsError(() => m.descentStart('sideways', 0, 0), /kind is "sideways"/, /forward/);
    throwsError(() => m.descentStep('up', s), /kind is "up"/, /forward/);
    m.free();
  });
  it('reverse descent from μ = 2, σ = 1.5 ends on the mode at μ = 3, σ = 0.5 within 300 steps', () => {
    const m = bimodal();
    const { state, steps, converged } = descend(m, 'reverse', 2, 1.5);
    assert.ok(converged, `converged within 300 steps (state ${state})`);
    assert.ok(steps <= 300);
    assert.ok(Math.abs(state[0] - 3) < 1e-3, `μ = ${state[0]}`);
    assert.ok(Math.abs(Math.exp(state[1]) - 0.5) < 1e-3, `σ = ${Math.exp(state[1])}`);
    close(state[2], Math.LN2, 1e-6);
    // Started on the other side, it finds the other mode.
    const left = descend(m, 'reverse', -1, 1.5).state;
    assert.ok(Math.abs(left[0] + 3) < 1e-3 && Math.abs(Math.exp(left[1]) - 0.5) < 1e-3, `${left}`);
    m.free();
  });
  it('forward descent ends at the moments, μ = 0, σ = √9.25', () => {
    const m = bimodal();
    for (const [mu, sigma] of [[2, 1.5], [-4, 0.3]]) {
      const { state, converged } = descend(m, 'forward', mu, sigma);
      assert.ok(converged, `converged from (${mu}, ${sigma})`);
      assert.ok(Math.abs(state[0]) < 1e-3, `μ = ${state[0]}`);
      assert.ok(Math.abs(Math.exp(state[1]) - Math.sqrt(9.25)) < 1e-3, `σ = ${Math.exp(state[1])}`);
      close(state[2], m.fitForward()[2], 1e-6);
    }
    m.free();
  });
});

describe('MixtureFit: landscapes', () => {
  it('landscape(kind) has cols × rows cell-centre values, row 0 at the smallest ln σ', () => {
    const m = bimodal();
    const dx = (MU_MAX - MU_MIN) / COLS;
    const dy = (LS_MAX - LS_MIN) / ROWS;
    for (const kind of ['forward', 'reverse']) {
      const L = m.landscape(kind);
      assert.ok(L instanceof Float64Array);
      assert.equal(L.length, COLS * ROWS);
      assert.ok(L.every((v) => Number.isFinite(v) && v >= 0), `${kind}: finite, ≥ 0`);
      const kl = (mu, ls) => (kind === 'forward' ? m.forwardKl(mu, Math.exp(ls)) : m.reverseKl(mu, Math.exp(ls)));
      for (const [c, r] of [[0, 0], [COLS - 1, 0], [0, ROWS - 1], [Math.floor(COLS / 2), Math.floor(ROWS / 3)], [COLS - 1, ROWS - 1]]) {
        // The forward landscape is a closed form; the reverse one a fast fixed rule, meant
        // for colours (crate/src/math/divergence/landscape.rs promises 1e-3 relative).
        const tol = kind === 'forward' ? 1e-8 : 1e-3;
        close(L[r * COLS + c], kl(MU_MIN + (c + 0.5) * dx, LS_MIN + (r + 0.5) * dy), tol, `${kind} cell (${c}, ${r})`);
      }
    }
    throwsError(() => m.landscape('sideways'), /kind is "sideways"/, /"forward"/, /"reverse"/);
    throwsError(() => m.landscape(''), /forward/);
    m.free();
  });
  it('landscapeImage(kind) is 4 × cols × rows opaque RGBA bytes, different per kind', () => {
    const m = bimodal();
    const f = m.landscapeImage('forward');
    const r = m.landscapeImage('reverse');
    for (const img of [f, r]) {
      assert.ok(img instanceof Uint8Array);
      assert.equal(img.length, 4 * COLS * ROWS);
      for (let i = 3; i < img.length; i += 4) assert.equal(img[i], 255, 'opaque');
      const colours = new Set(Array.from({ length: COLS * ROWS }, (_, i) => `${img[4 * i]},${img[4 * i + 1]},${img[4 * i + 2]}`));
      assert.ok(colours.size > 20, `a heat map, not a flat fill (${colours.size} colours)`);
    }
    assert.notDeepEqual(Array.from(f), Array.from(r));
    throwsError(() => m.landscapeImage('up'), /kind is "up"/, /forward/);
    m.free();
  });
  it('setMixture changes the landscapes (the cache is dropped)', () => {
    const m = bimodal();
    const before = { forward: Array.from(m.landscape('forward')), reverse: Array.from(m.landscape('reverse')), image: Array.from(m.landscapeImage('reverse')) };
    m.setMixture([0.3, 0.7], [-1, 2], [1, 0.4]);
    const after = { forward: Array.from(m.landscape('forward')), reverse: Array.from(m.landscape('reverse')), image: Array.from(m.landscapeImage('reverse')) };
    assert.notDeepEqual(after.forward, before.forward);
    assert.notDeepEqual(after.reverse, before.reverse);
    assert.notDeepEqual(after.image, before.image);
    const dx = (MU_MAX - MU_MIN) / COLS;
    const dy = (LS_MAX - LS_MIN) / ROWS;
    const [c, r] = [10, 7];
    close(after.forward[r * COLS + c], m.forwardKl(MU_MIN + (c + 0.5) * dx, Math.exp(LS_MIN + (r + 0.5) * dy)), 1e-8, 'the new forward landscape');
    // Back to the first mixture: the first landscape again.
    m.setMixture(BIMODAL.weights, BIMODAL.means, BIMODAL.sigmas);
    Array.from(m.landscape('forward')).forEach((v, i) => close(v, before.forward[i], 1e-12));
    m.free();
  });
});
