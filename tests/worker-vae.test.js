// The VAE worker's protocol under Node (www/workers/vae.js run as a module with a stand-in
// `self`): the digits recipe ('data': binarised testX, grey testGrey), fitq's two parts of the
// gap, the baselines' PCA components and the recipe an imported weights file states.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';

const HELD_OUT_SEED = 31337; // www/workers/vae.js
const bytes = readFileSync(new URL('../www/data/digits.bin', import.meta.url));
const digits = lab.Trainer.loadDigits(bytes);
const module = new WebAssembly.Module(readFileSync(new URL('../pkg/elbo_lab_bg.wasm', import.meta.url)));
const CONFIG = { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae' };

const messages = [];
let waiting = [];
globalThis.self = globalThis;
globalThis.postMessage = (m) => {
  messages.push(m);
  waiting = waiting.filter(([test, resolve]) => !(test(m) && (resolve(m), true)));
};
/** The next message (already posted or to come) that passes `test`, removed from the log. */
function next(test) {
  const i = messages.findIndex(test);
  if (i >= 0) return Promise.resolve(messages.splice(i, 1)[0]);
  return new Promise((resolve) => waiting.push([test, (m) => { messages.splice(messages.indexOf(m), 1); resolve(m); }]));
}
const send = (data) => globalThis.onmessage({ data });
let id = 0;
/** A request and its reply's result (or a thrown error). */
async function request(type, fields = {}) {
  id += 1;
  const mine = id;
  send({ type, id: mine, ...fields });
  const reply = await next((m) => m.type === 'reply' && m.id === mine);
  if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.result;
}
const steps = async (n) => {
  for (let i = 0; i < n; i += 1) {
    send({ type: 'step' });
    await next((m) => m.type === 'snapshot');
  }
};

describe('the VAE worker', () => {
  let data;
  before(async () => {
    await import('../www/workers/vae.js');
    send({ type: 'init', module, digits: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), config: CONFIG, seed: 1, dataset: 'digits' });
    data = await next((m) => m.type === 'data');
    await next((m) => m.type === 'snapshot');
  });

  it("posts the digits' recipe: binarised held-out images, their grey levels beside them", () => {
    assert.equal(data.recipe, 'binarised');
    assert.deepEqual(data.testGrey, digits.testX);
    assert.deepEqual(data.testX, lab.binarise(digits.testX, HELD_OUT_SEED));
    assert.ok(data.testX.every((x) => x === 0 || x === 1));
  });

  it('trains with binarise: true, the numbers of the same Trainer under Node', async () => {
    await steps(2);
    const tr = new lab.Trainer(digits.trainX, digits.pixels, { ...CONFIG, binarise: true }, 1);
    tr.trainEpoch();
    tr.trainEpoch();
    const file = JSON.parse(await request('export'));
    assert.equal(file.config.binarise, true);
    assert.deepEqual(file.params, JSON.parse(tr.exportWeights()).params);
    const r = await request('inspect', { index: 3, k: 100 });
    assert.equal(r.logEvidence, tr.posteriorGrid(data.testX.subarray(3 * 64, 4 * 64), 200, 4).logEvidence);
    tr.free();
  });

  it('fitq: ELBO(q*) ≥ ELBO(q_φ) − 3 SE, log p(x) ≥ ELBO(q*) − 3 SE', async () => {
    await steps(8);
    for (const index of [0, 1, 2]) {
      const r = await request('fitq', { index, steps: 300 });
      assert.equal(r.index, index);
      assert.equal(r.steps, 300);
      assert.equal(r.mu.length, 2);
      assert.equal(r.logvar.length, 2);
      for (const k of ['elboStar', 'elboStarSe', 'elboEncoder', 'elboEncoderSe', 'logEvidence']) assert.ok(Number.isFinite(r[k]), k);
      const err = 3 * (r.elboStarSe + r.elboEncoderSe);
      assert.ok(r.elboStar - r.elboEncoder >= -err, `amortisation gap ${r.elboStar - r.elboEncoder} ± ${err}`);
      assert.ok(r.logEvidence - r.elboStar >= -3 * r.elboStarSe, `approximation gap ${r.logEvidence - r.elboStar}`);
    }
    await assert.rejects(request('fitq', { index: 9999 }), /image 9999 does not exist/);
    await assert.rejects(request('fitq', { index: 0, steps: -1 }), (e) => e.code === 'whole-number');
  });

  it("baselines: PCA has the latent size's components", async () => {
    const r = await request('baselines', { epochs: 1 });
    assert.equal(r.pca.components, 2);
    const pca = lab.pcaBaseline(digits.trainX, data.testX, 64, 2);
    assert.equal(r.pca.squaredError, pca.squaredError);
  });

  it('import replies the recipe the file states: older files (no field) are grey', async () => {
    const file = JSON.parse(await request('export'));
    assert.equal((await request('import', { json: JSON.stringify(file) })).recipe, 'binarised');
    delete file.config.binarise;
    assert.equal((await request('import', { json: JSON.stringify(file) })).recipe, 'grey');
    await next((m) => m.type === 'snapshot');
  });

  it("refuses a file that is not JSON, or is for another data set's width, in the page's words; the model stays", async () => {
    const before = await request('export');
    await assert.rejects(request('import', { json: 'not json {' }), (e) => e.key === 'vae.err.notJson' && /not valid JSON/.test(e.message));
    const moons = lab.Trainer.loadToy('moons', 100, 1);
    const toy = new lab.Trainer(moons.trainX, 2, { ...CONFIG, likelihood: 'gaussian' }, 1);
    await assert.rejects(request('import', { json: toy.exportWeights() }),
      (e) => e.key === 'vae.err.width' && String(e.vars.width) === '2' && String(e.vars.pixels) === '64' && /data with 2 values per example/.test(e.message));
    toy.free();
    assert.equal(await request('export'), before);
  });

  it("a toy set's recipe is 'gaussian', with fitq's IWAE when the latent space is not 2-D", async () => {
    send({ type: 'reset', config: { ...CONFIG, latent: 3, hidden: 16 }, seed: 2, dataset: 'moons' });
    const toy = await next((m) => m.type === 'data');
    assert.equal(toy.recipe, 'gaussian');
    assert.equal(toy.testGrey, null);
    await steps(1);
    const r = await request('fitq', { index: 0 });
    assert.equal(r.steps, 300);
    assert.ok(Number.isFinite(r.iwae) && r.k === 2000 && r.logEvidence === undefined);
    assert.equal(r.mu.length, 3);
  });
});
