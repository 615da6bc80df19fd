// lab.heapBytes(): the bytes the Rust code holds on the wasm heap (crate/src/wasm/heap.rs), which
// the embedding tests use to check that a removed widget freed its wasm objects.
// Run: node --test tests/api-heap.test.js   (needs `make build` for pkg/).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';

/** A fit with its forward landscape computed (48 × 32 values cached in it). */
function fitWithLandscape() {
  const fit = new lab.MixtureFit([0.5, 0.5], [-3, 3], [0.5, 0.5]);
  fit.landscape('forward');
  return fit;
}

it('counts a handle while it lives, and nothing once it is freed', () => {
  // The first use may keep a block for good (the instance's own start-up state): warm up.
  fitWithLandscape().free();
  const before = lab.heapBytes();
  assert.ok(Number.isInteger(before) && before >= 0, `a whole number of bytes (${before})`);
  const fit = fitWithLandscape();
  const alive = lab.heapBytes();
  assert.ok(alive > before + 48 * 32 * 8, `the fit and its landscape are counted (${alive - before} bytes)`);
  fit.free();
  assert.equal(lab.heapBytes(), before);
});

it('comes back to where it was after calls that allocate only while they run', () => {
  const before = lab.heapBytes();
  for (let i = 0; i < 100; i += 1) lab.klReport([0.2, 0.3, 0.5], [0.5, 0.25, 0.25], 2);
  assert.equal(lab.heapBytes(), before);
});
