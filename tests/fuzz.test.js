// A seeded fuzz test of the whole JS API under Node: 40,000 calls, then 20,000 more, with random and hostile
// arguments (wrong types, NaN, ±∞, −0, empty, huge and mismatched arrays, hostile strings).
// Every call must either return a result holding no NaN, or throw an `Error` with a message,
// a `code` from errorCatalogue() and `params` that fill the code's template into the message;
// the wasm instance must never trap (a Rust panic is a RuntimeError "unreachable") or print a
// panic, must keep answering correctly after every error, and its memory must stop growing.
// The canvas drawing functions need a DOM and are exercised by the browser tests instead.
// Replay or vary: FUZZ_SEED=… FUZZ_CALLS=… (FUZZ_TRACE=1 names the calls before a trap).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { mulberry32 } from './lib/random.js';
import { codedErrorProblem } from './lib/errors.js';

const CALLS = Number(process.env.FUZZ_CALLS ?? 40_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const memory = () => lab.initSync().memory.buffer.byteLength; // initSync returns the live exports


const NUMBERS = [0, -0, 1, -1, 2, 3, 0.5, 0.1, 17, 1e-300, 5e-324, 1e308, -1e308, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 2 ** 64];
const STRINGS = ['', 'abc', '1', 'NaN', 'vae', 'autoencoder', 'forward', 'reverse', 'exact', 'reparam', 'gaussian',
  'bimodal', 'logistic', '<script>alert(1)</script>', 'javascript:alert(1)', '\u202e\u0000', '数字', 'x'.repeat(10_000)];
const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const SMALL_IMAGES = digits.trainX.slice(0, 24 * digits.pixels);

function fuzzer(rng) {
  const int = (n) => Math.floor(rng() * n);
  const pick = (xs) => xs[int(xs.length)];
  const numbers = (n, f) => Array.from({ length: n }, f);
  const probabilities = (n) => {
    const w = numbers(n, () => rng());
    const s = w.reduce((a, b) => a + b, 0);
    return Float64Array.from(w, (x) => x / s);
  };
  function value(depth = 0) {
    switch (int(16)) {
      case 0: case 1: return pick(NUMBERS);
      case 2: return rng() * 20 - 10;
      case 3: return pick([undefined, null]);
      case 4: return pick(STRINGS);
      case 5: return pick([true, false]);
      case 6: return numbers(int(12), () => (rng() < 0.2 ? pick(NUMBERS) : rng()));
      case 7: case 8: return probabilities(1 + int(12));
      case 9: return Float32Array.from(numbers(pick([0, 1, 2, digits.pixels, digits.pixels + 1, 3 * digits.pixels]), () => (rng() < 0.05 ? pick(NUMBERS) : rng())));
      case 10: return Uint8Array.from(numbers(int(10), () => int(256)));
      case 11: return depth < 2 ? { latent: value(depth + 1), hidden: pick([1, 2, 4, 8, 0, -1, NaN, 1e9, '8']), lr: value(depth + 1), mode: pick(STRINGS), sigmaX: value(depth + 1), a: value(depth + 1), b: value(depth + 1) } : {};
      case 12: return rng() < 0.1 ? new Float64Array(pick([10_000, 100_000])).fill(1e-5) : [];
      case 13: return depth < 2 ? [value(depth + 1), value(depth + 1)] : [];
      case 14: return () => 1;
      default: return SMALL_IMAGES.subarray(0, pick([1, 2, 5]) * digits.pixels);
    }
  }
  const args = (n) => numbers(Math.max(0, n + int(3) - 1), () => value());
  return { rng, int, pick, value, args, probabilities };
}

/** Every number reachable in `v` (objects, arrays, typed arrays); true when none is NaN. */
function noNaN(v, seen = new Set()) {
  if (typeof v === 'number') return !Number.isNaN(v);
  if (v === null || typeof v !== 'object' || seen.has(v)) return true;
  seen.add(v);
  if (ArrayBuffer.isView(v)) return !Array.prototype.some.call(v, (x) => typeof x === 'number' && Number.isNaN(x));
  return Object.values(v).every((x) => noNaN(x, seen));
}

/** `calls` seeded calls; returns { stats, failures } and frees what it built. */
function fuzz(seed, calls, panics) {
  const f = fuzzer(mulberry32(seed));
  const skip = new Set(['default', 'initSync', 'start']);
  const functions = Object.entries(lab).filter(([k, v]) => typeof v === 'function' && !skip.has(k) && !k.startsWith('draw') && !/^[A-Z]/.test(k));
  const classes = {
    MixtureFit: () => new lab.MixtureFit(f.probabilities(1 + f.int(3)), Float64Array.from({ length: 3 }, () => f.rng() * 6 - 3).slice(0, 3), Float64Array.from({ length: 3 }, () => 0.3 + f.rng())),
    PosteriorLab: () => new lab.PosteriorLab(f.pick(['gaussian', 'bimodal', 'logistic']), f.pick([0, 1, 0.5, 2]), { sigmaX: 0.5 + f.rng(), a: 2, b: 0 }),
    Trainer: () => new lab.Trainer(SMALL_IMAGES, digits.pixels, { latent: 1 + f.int(3), hidden: 1 + f.int(8), batchSize: 8, lr: f.pick([1e-3, 1e-2, 10, 1e6]), mode: f.pick(['vae', 'autoencoder']), binarise: f.pick([false, true]) }, f.int(100)),
  };
  const methods = (obj) => Object.getOwnPropertyNames(Object.getPrototypeOf(obj))
    .filter((m) => m !== 'constructor' && m !== 'free' && !m.startsWith('__') && !m.startsWith('draw') && typeof obj[m] === 'function');
  const live = [];
  const history = [];
  const stats = { calls: 0, returned: 0, threw: 0 };
  const failures = [];
  const codes = new Set();

  for (let i = 0; i < calls && failures.length < 5; i += 1) {
    let name;
    let call;
    const r = f.rng();
    if (r < 0.02 || live.length === 0) {
      // Construct a class: mostly valid arguments, sometimes hostile ones.
      const [cls, make] = f.pick(Object.entries(classes));
      name = `new ${cls}`;
      call = f.rng() < 0.7 ? make : () => new lab[cls](...f.args(lab[cls].length));
    } else if (r < 0.55) {
      const obj = f.pick(live);
      const m = f.pick(methods(obj));
      name = `${obj.constructor.name}.${m}`;
      const a = f.args(obj[m].length);
      call = () => obj[m](...a);
    } else {
      const [k, fn] = f.pick(functions);
      name = k;
      const a = f.args(fn.length);
      call = () => fn(...a);
    }
    stats.calls += 1;
    if (process.env.FUZZ_TRACE) history.push(name);
    try {
      const result = call();
      stats.returned += 1;
      if (name.startsWith('new ')) {
        live.push(result);
        if (live.length > 12) live.shift().free();
      } else if (!noNaN(result)) {
        failures.push(`${name} returned NaN: ${JSON.stringify(result)?.slice(0, 200)}`);
      }
    } catch (err) {
      stats.threw += 1;
      if (err instanceof WebAssembly.RuntimeError) failures.push(`${name} trapped: ${err.message}${process.env.FUZZ_TRACE ? ` after ${history.slice(-8, -1).join(', ')}` : ''}`);
      else if (!(err instanceof Error) || typeof err.message !== 'string' || err.message.length === 0) failures.push(`${name} threw a non-Error or an empty message: ${String(err)}`);
      else if (!sane()) failures.push(`${name} left the instance broken (${err.message})`);
      else {
        const problem = codedErrorProblem(err);
        if (problem) failures.push(`${name} threw a badly coded error: ${problem}`);
        else codes.add(err.code);
      }
    }
    if (panics.length) failures.push(`${name} printed a panic: ${panics.splice(0).join(' | ').slice(0, 300)}`);
  }
  for (const o of live) o.free();
  return { stats, failures, codes };
}

const sane = () => lab.entropy(new Float64Array([0.5, 0.5]), 2) === 1;

describe('fuzzing the JS API', () => {
  it(`${CALLS} random and hostile calls: results without NaN or coded Errors; no trap, no panic, no leak`, (t) => {
    const panics = [];
    const originalError = console.error;
    console.error = (...a) => panics.push(a.join(' '));
    try {
      const first = fuzz(SEED, CALLS, panics);
      const afterFirst = memory();
      // The same calls again: every allocation size has been seen, so a leak would show as growth.
      const second = fuzz(SEED, CALLS / 2, panics);
      const afterSecond = memory();
      console.log(`fuzz: ${first.codes.size} distinct error codes thrown: ${[...first.codes].sort().join(' ')}`);
      t.diagnostic(`${JSON.stringify(first.stats)}; wasm memory ${(afterFirst / 2 ** 20).toFixed(1)} MB after the run, ${(afterSecond / 2 ** 20).toFixed(1)} MB after replaying half of it`);
      assert.deepEqual([...first.failures, ...second.failures], [], `seed ${SEED}; ${JSON.stringify(first.stats)}`);
      assert.ok(sane(), 'the instance still answers correctly');
      assert.equal(first.stats.calls, CALLS);
      assert.ok(first.stats.returned > CALLS / 10 && first.stats.threw > CALLS / 10, `both paths exercised: ${JSON.stringify(first.stats)}`);
      assert.ok(afterSecond - afterFirst <= 4 * 2 ** 20, `wasm memory grew ${((afterSecond - afterFirst) / 2 ** 20).toFixed(1)} MB on the replay`);
      assert.ok(afterSecond <= 256 * 2 ** 20, 'bounded by the largest single results (e.g. 100,000 decoded samples)');
    } finally {
      console.error = originalError;
    }
  });
});
