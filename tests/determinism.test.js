// Cross-engine determinism: the same seeded runs give the same numbers, bit for bit, in
// Chromium, Firefox and WebKit (and under Node): a VAE trained on the binarised digits and its
// exported weights, reparameterised VI steps, the mixture fits and the IWAE bound. This is the
// property that lets a shared link (which carries settings and a seed, never weights) train the
// receiver's model to the sender's weights in whatever browser the receiver uses.
// Run: node --test tests/determinism.test.js   (needs `make build` and `make setup-browser`;
// ENGINES=firefox,webkit runs those only).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { launchEngine, selected } from './lib/engines.js';
import { serve } from './lib/server.js';

const EPOCHS = 10;

/**
 * The seeded runs, given the lab module and the digits file's bytes. Runs unchanged under Node
 * and in a page (it is sent as source text: it may use only its arguments). Returns every
 * number as the hex of its Float64 bytes, the weights file, and a few numbers to show.
 */
function seededRuns(lab, bytes, epochs) {
  const numbers = [];
  const put = (label, xs) => { for (const x of (typeof xs === 'number' ? [xs] : xs)) numbers.push(x); return label; };
  const shown = {};

  // A VAE on the binarised digits: latent 2, hidden 128, seed 5.
  const d = lab.Trainer.loadDigits(bytes);
  const tr = new lab.Trainer(d.trainX, d.pixels,
    { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae', binarise: true }, 5);
  for (let e = 0; e < epochs; e += 1) {
    const r = tr.trainEpoch();
    put('epoch', [r.loss, r.recon, r.kl]);
    if (e === epochs - 1) shown.lastLoss = r.loss;
  }
  const testX = lab.binarise(d.testX, 31337);
  put('binarised', Array.from(testX.subarray(0, 640)));
  const ev = tr.evaluate(testX, 4, 2024);
  put('evaluate', [ev.elbo, ev.reconstruction, ev.kl]);
  shown.heldOutElbo = ev.elbo;
  const x = testX.subarray(0, 5 * d.pixels);
  const iw = tr.iwae(x, 1000, 1);
  put('iwae', [iw.iwae, iw.elbo]);
  shown.iwae = iw.iwae;
  put('sample', Array.from(tr.sample(4, 7)));
  const weights = tr.exportWeights();
  tr.free();

  // Reparameterised VI: Adam on the bimodal model's ELBO from k = 10 draws, seeded per step.
  const post = new lab.PosteriorLab('bimodal', 2, { sigmaX: 0.5 });
  post.startOptimiser(1.5, 0.5, 0.05);
  for (let i = 0; i < 50; i += 1) {
    const [m, sd, elbo, kl] = post.step('reparam', 10, 1 + i);
    put('reparam', [m, sd, elbo, kl]);
    shown.viM = m;
  }
  put('reparamGradient', Array.from(post.reparamGradient(0.3, 0.8, 100, 9)));
  put('evidence', post.logEvidence());
  post.free();

  // The mixture fits: every reverse-KL optimum, moment matching, 40 natural-gradient steps each way.
  const fit = new lab.MixtureFit([0.5, 0.3, 0.2], [-3, 0.5, 3], [0.5, 1, 0.7]);
  put('fitReverse', Array.from(fit.fitReverse()));
  put('fitForward', Array.from(fit.fitForward()));
  for (const kind of ['reverse', 'forward']) {
    let s = fit.descentStart(kind, 0.5, Math.log(1.5));
    for (let i = 0; i < 40; i += 1) s = fit.descentStep(kind, s);
    put(kind, Array.from(s));
  }
  put('landscape', Array.from(fit.landscape('reverse')));
  shown.reverseOptima = Array.from(fit.fitReverse()).length / 3;
  fit.free();

  const bytesOut = new Uint8Array(new Float64Array(numbers).buffer);
  let hex = '';
  for (const b of bytesOut) hex += b.toString(16).padStart(2, '0');
  return { count: numbers.length, hex, weights, shown };
}

const sha = (s) => createHash('sha256').update(s).digest('hex');

describe('the same seeded runs give bit-identical numbers in every engine', { concurrency: false, timeout: 900_000 }, () => {
  let server;
  const results = {};
  before(async () => { server = await serve(); });
  after(() => server?.close());

  it('under Node (the reference)', () => {
    const bytes = readFileSync(new URL('../www/data/digits.bin', import.meta.url));
    results.node = seededRuns(lab, bytes, EPOCHS);
    assert.ok(results.node.count > 1000, `${results.node.count} numbers`);
    assert.ok(results.node.shown.reverseOptima >= 2, 'a trimodal mixture has several reverse-KL optima');
    assert.ok(Number.isFinite(results.node.shown.heldOutElbo) && results.node.shown.iwae >= results.node.shown.heldOutElbo - 5);
    assert.ok(JSON.parse(results.node.weights).params.length > 10000, 'the weights file holds the parameters');
  });

  for (const name of selected(['chromium', 'firefox', 'webkit'])) {
    it(`in ${name}: the same numbers and the same weights file as Node`, async (t) => {
      const engine = await launchEngine(name);
      try {
        const page = await engine.open(server.url);
        const src = `async (epochs) => {
          const lab = await import('./pkg/elbo_lab.js');
          const bytes = new Uint8Array(await (await fetch('./data/digits.bin')).arrayBuffer());
          return (${seededRuns})(lab, bytes, epochs);
        }`;
        const t0 = Date.now();
        const r = await page.evaluate(src, EPOCHS);
        results[name] = r;
        t.diagnostic(`${engine.version}: ${r.count} numbers in ${Date.now() - t0} ms, sha256 ${sha(r.hex).slice(0, 16)}, `
          + `weights sha256 ${sha(r.weights).slice(0, 16)}, ${JSON.stringify(r.shown)}`);
        assert.deepEqual(await page.errors(), [], 'errors on the page');
        const ref = results.node;
        assert.equal(r.count, ref.count);
        if (r.hex !== ref.hex) {
          const at = [...r.hex].findIndex((c, i) => c !== ref.hex[i]);
          assert.fail(`number ${Math.floor(at / 16)} of ${r.count} differs from Node's (first differing byte ${Math.floor(at / 2)})`);
        }
        assert.equal(sha(r.hex), sha(ref.hex));
        assert.equal(sha(r.weights), sha(ref.weights), 'the exported weights differ from Node\'s');
        assert.deepEqual(r.shown, ref.shown);
      } finally {
        await engine.close();
      }
    });
  }
});
