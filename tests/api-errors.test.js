// Coded errors under Node: every Error the wasm API throws carries a stable `code` from
// errorCatalogue() and language-neutral `params` (strings) that fill the code's English
// template into the message; www/i18n/zh.js has a Chinese template for every code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { catalogue, codedErrorProblem, fill, placeholders, throwsCoded } from './lib/errors.js';
import { errors as zh } from '../www/i18n/zh.js';

const digits = lab.Trainer.loadDigits(readFileSync(new URL('../www/data/digits.bin', import.meta.url)));
const IMAGES = digits.trainX.slice(0, 16 * digits.pixels);


describe('errorCatalogue()', () => {
  const entries = lab.errorCatalogue();

  it('lists each code once, kebab-case, with a non-empty English template', () => {
    const codes = entries.map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length, 'codes are unique');
    assert.ok(codes.length > 50, `${codes.length} codes`);
    for (const { code, template } of entries) {
      assert.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(typeof template === 'string' && template.length > 0, code);
    }
  });

  it('zh.js has exactly one Chinese template per code, with the same placeholders', () => {
    assert.deepEqual(Object.keys(zh).sort(), [...catalogue.keys()].sort());
    for (const [code, en] of catalogue) {
      assert.deepEqual(placeholders(zh[code]), placeholders(en), `${code}: placeholders`);
      assert.notEqual(zh[code], en, `${code} is translated`);
      assert.match(zh[code], /[\u3400-\u9fff]/, `${code} is Chinese`);
    }
  });

  it('fill() leaves no placeholder in a template when every param is given', () => {
    for (const [code, en] of catalogue) {
      const params = Object.fromEntries(placeholders(en).map((p) => [p, 'X']));
      assert.deepEqual(placeholders(fill(en, params)), [], code);
      assert.deepEqual(placeholders(fill(zh[code], params)), [], code);
    }
  });
});

describe('bad calls throw coded errors', () => {
  it('information and distributions', () => {
    throwsCoded(() => lab.entropy([0.5, NaN]), 'not-finite', { name: 'p', index: '1', value: 'NaN' });
    throwsCoded(() => lab.entropy('0.5,0.5'), 'not-number-array', { name: 'p', type: 'string' });
    throwsCoded(() => lab.entropy([0.5, [0.5]]), 'not-number', { name: 'p[1]', type: 'array' });
    throwsCoded(() => lab.entropy([0.5, 0.4]), 'not-normalised', { name: 'p', sum: '0.9' });
    throwsCoded(() => lab.entropy([]), 'empty');
    throwsCoded(() => lab.information(0), 'probability-zero', { value: '0' });
    throwsCoded(() => lab.information(2), 'probability-out-of-range', { interval: '(0, 1]' });
    throwsCoded(() => lab.entropy([0.5, 0.5], 1), 'bad-base', { value: '1' });
    throwsCoded(() => lab.setProbability([0.5, 0.5], 2, 0.1), 'index-out-of-range', { max: '1' });
    throwsCoded(() => lab.klDivergence([0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]), 'length-mismatch',
      { name_a: 'p', len_a: '2', name_b: 'q', len_b: '3' });
    throwsCoded(() => lab.klDivergence([0.5, 0.5], [1.5, -0.5]), 'negative');
    throwsCoded(() => lab.gaussianKl(0, 0, 1, 2), 'bad-scale', { name: 'sigma1' });
    throwsCoded(() => lab.binomialPmf(1e6, 0.5), 'too-many-flips');
    throwsCoded(() => lab.simulateFlips(10, 0.5, 1.5), 'whole-number', { name: 'seed' });
  });

  it('mixtures and posteriors', () => {
    throwsCoded(() => new lab.MixtureFit(Array(6).fill(1 / 6), [0, 1, 2, 3, 4, 5], Array(6).fill(1)), 'too-many');
    const m = new lab.MixtureFit([0.5, 0.5], [-2, 2], [1, 1]);
    throwsCoded(() => m.landscape('sideways'), 'kl-kind', { kind: 'sideways' });
    throwsCoded(() => m.descentStep('forward', [1, 2]), 'descent-state');
    m.free();
    throwsCoded(() => new lab.PosteriorLab('poisson', 1, {}), 'posterior-model', { model: 'poisson' });
    throwsCoded(() => new lab.PosteriorLab('gaussian', 1, 7), 'params-not-object');
    throwsCoded(() => new lab.PosteriorLab('gaussian', 1, { sigmaX: 'wide' }), 'param-not-number', { key: 'sigmaX' });
    throwsCoded(() => new lab.PosteriorLab('gaussian', 1, { sigmaX: 1e-5 }), 'sigma-x-range', { name: 'sigma_x' });
    throwsCoded(() => new lab.PosteriorLab('logistic', 0.5, {}), 'binary-observation', { name: 'x' });
    const p = new lab.PosteriorLab('gaussian', 1, {});
    throwsCoded(() => p.step('exact', 1, 0), 'optimiser-not-started');
    throwsCoded(() => p.startOptimiser(0, 1, 0), 'posterior-lr', { value: '0' });
    p.free();
  });

  it('the trainer and its weights files', () => {
    const D = digits.pixels;
    throwsCoded(() => new lab.Trainer(IMAGES, D, { lr: -1 }, 0), 'config-lr', { value: '-1' });
    throwsCoded(() => new lab.Trainer(IMAGES, D, { latent: 17 }, 0), 'whole-number', { name: 'config.latent', hi: '16' });
    throwsCoded(() => new lab.Trainer(IMAGES, D, { activation: 'sigmoid' }, 0), 'config-activation', { value: 'sigmoid' });
    throwsCoded(() => new lab.Trainer(IMAGES, D, { mode: 3 }, 0), 'config-not-choice', { key: 'mode', a: 'vae', b: 'autoencoder' });
    throwsCoded(() => new lab.Trainer(IMAGES, D, 'big', 0), 'config-not-object');
    throwsCoded(() => new lab.Trainer(IMAGES, D + 1, {}, 0), 'images-not-whole');
    const bright = IMAGES.slice();
    bright[5] = 1.5;
    throwsCoded(() => new lab.Trainer(bright, D, {}, 0), 'bernoulli-pixel', { name: 'data', index: '5', value: '1.5' });
    throwsCoded(() => lab.Trainer.loadDigits(new Uint8Array(10)), 'file-too-short', { name: 'digits.bin', len: '10' });
    throwsCoded(() => lab.Trainer.loadToy('circles', 100, 0), 'toy-name', { name: 'circles' });

    const t = new lab.Trainer(IMAGES, D, { hidden: 4, batchSize: 8 }, 0);
    const file = JSON.parse(t.exportWeights());
    throwsCoded(() => t.importWeights('{not json'), 'weights-not-json');
    throwsCoded(() => t.importWeights(JSON.stringify({ ...file, version: 2 })), 'weights-version', { version: '2', supported: '1' });
    throwsCoded(() => t.importWeights(JSON.stringify({ ...file, version: undefined })), 'weights-version', { version: 'undefined' });
    throwsCoded(() => t.importWeights(JSON.stringify({ ...file, params: file.params.slice(1) })), 'weights-param-count',
      { got: String(file.params.length - 1), want: String(file.params.length) });
    throwsCoded(() => t.importWeights(JSON.stringify({ ...file, config: { ...file.config, hidden: 5 } })), 'weights-shape',
      { key: 'hidden', got: '5', want: '4' });
    throwsCoded(() => t.importWeights(JSON.stringify({ ...file, config: { ...file.config, activation: 'relu' } })), 'weights-option',
      { key: 'activation', got: 'relu', want: 'tanh' });
    throwsCoded(() => t.posteriorGrid(IMAGES.subarray(0, 3), 10, 4), 'image-width', { len: '3' });
    throwsCoded(() => t.sample(0, 0), 'whole-number', { name: 'n' });
    throwsCoded(() => t.decode(null), 'not-float-array', { name: 'z', type: 'null' });
    throwsCoded(() => t.encode([0.5, 'x']), 'not-number', { name: 'data[1]', type: 'string' });
    throwsCoded(() => lab.Trainer.loadDigits('digits.bin'), 'not-byte-array', { type: 'string' });
    t.free();

    // A learning rate far too large: within the first epoch the gradients stop being finite
    // (the step is refused, as a divergence), and the model's outputs are no longer finite.
    const wild = new lab.Trainer(IMAGES, D, { hidden: 8, batchSize: 4, lr: 1e6 }, 0);
    assert.deepEqual(throwsCoded(() => wild.trainEpoch(), 'diverged').params, {});
    const err = throwsCoded(() => wild.evaluate(IMAGES), 'diverged');
    assert.deepEqual(err.params, {});
    wild.free();
  });

  it('chart helpers reachable without a canvas', () => {
    throwsCoded(() => lab.densityImage(new Float64Array(5), 2), 'density-values', { len: '5', expected: '4', n: '2' });
    throwsCoded(() => lab.pcaBaseline(IMAGES, IMAGES, 1.5), 'pca-width', { value: '1.5' });
  });

  // wasm32 size arithmetic: a usize has 32 bits, so n × n or rows × columns could wrap round
  // to a small number (65 536² = 2³² → 0) and let a wrong-sized input through.
  it('sizes at the 2¹⁶ and 2³² edges are refused, never wrapped round', () => {
    const empty = new Float64Array(0);
    for (const n of [65536, 2 ** 32, 2 ** 32 + 1, 2 ** 33, 1e300, 4097]) {
      throwsCoded(() => lab.densityImage(empty, n), 'whole-number', { name: 'n', lo: '1', hi: '4096' });
      throwsCoded(() => lab.densityImage(new Float64Array(1), n), 'whole-number', { name: 'n' });
    }
    throwsCoded(() => lab.densityImage(empty, 4096), 'density-values', { len: '0', expected: '16777216' });
    assert.equal(lab.densityImage([0, 1, 1, 0], 2).length, 16, 'a right-sized density still draws');
    // 65 536 categories × 65 536 colours = 2³² values: zero values must not pass as "all of them".
    const many = Array(65536).fill('blue');
    const canvas = {};
    throwsCoded(() => lab.drawBars(canvas, many, empty, many, 0, 1, '', -1, NaN, '', false, 1), 'bar-values',
      { series: '65536', categories: '65536', len: '0' });
    throwsCoded(() => lab.drawCurves(canvas, new Float64Array(65536), empty, many, new Uint8Array(65536), [], [], [],
      NaN, [0, 1, 0, 1], ['', '', ''], 1), 'curve-values', { series: '65536', n: '65536' });
    // A trainer whose weights (width × hidden) or activations (rows × width) would not fit.
    throwsCoded(() => new lab.Trainer(new Float32Array(65536), 65536, { hidden: 4096 }, 0), 'too-large',
      { name: 'width × config.hidden', value: '268435456', max: '16777216' });
    throwsCoded(() => new lab.Trainer(new Float32Array(2 ** 25 + 1), 1, { hidden: 1 }, 0), 'too-large',
      { name: 'data rows × max(width, hidden)', max: '33554432' });
    const t = new lab.Trainer(IMAGES, digits.pixels, { hidden: 4096, batchSize: 8 }, 0);
    throwsCoded(() => t.sample(1e5, 0), 'too-large', { name: 'z rows × max(width, hidden)', value: '409600000' });
    t.free();
    throwsCoded(() => lab.pcaBaseline(new Float32Array(65536), new Float32Array(65536), 65536), 'too-large',
      { name: 'width', value: '65536', max: '4096' });
  });

  it('huge numbers read as 1e+300 in English and Chinese alike', () => {
    const err = throwsCoded(() => lab.coinLikelihood(1e300, 0, 0.5), 'flip-count', { name: 'heads' });
    assert.match(err.message, /1e\+300/);
    assert.doesNotMatch(err.message, /0{30}/);
    assert.equal(err.params.value, '1e+300');
    const zhText = fill(zh[err.code], err.params);
    assert.match(zhText, /1e\+300/);
    assert.doesNotMatch(zhText, /0{30}/);
    const tiny = throwsCoded(() => lab.information(-1e-300), 'probability-out-of-range');
    assert.equal(tiny.params.value, '-1e-300');
    // Small integers and ordinary decimals are left as they are.
    assert.equal(throwsCoded(() => lab.information(2.5), 'probability-out-of-range').params.value, '2.5');
  });

  it('every mixture and trainer number has a stated range', () => {
    throwsCoded(() => new lab.MixtureFit([1], [0], [1e300]), 'mixture-sigma', { name: 'sigmas[0]', value: '1e+300' });
    throwsCoded(() => new lab.MixtureFit([0.5, 0.5], [0, 11], [1, 1]), 'mixture-mean', { name: 'means[1]', value: '11' });
    throwsCoded(() => new lab.MixtureFit([1], [0], [0.01]), 'mixture-sigma', { name: 'sigmas[0]' });
    const m = new lab.MixtureFit([1], [0], [1]);
    throwsCoded(() => m.setMixture([1], [-1e300], [1]), 'mixture-mean', { value: '-1e+300' });
    throwsCoded(() => m.forwardKl(1e300, 1), 'fit-mean', { name: 'mu' });
    throwsCoded(() => m.reverseKl(0, 20), 'fit-sigma', { name: 'sigma', value: '20' });
    throwsCoded(() => m.forwardGradient(0, 5), 'fit-log-sigma', { name: 'logSigma' });
    throwsCoded(() => m.descentStart('reverse', 0, -10), 'fit-log-sigma', { name: 'logSigma' });
    throwsCoded(() => m.descentStep('reverse', [1e300, 0, 0, 0.25]), 'fit-mean', { name: 'state[0]' });
    throwsCoded(() => m.densityYMax(0, 1, -1), 'density-y-max', { value: '-1' });
    throwsCoded(() => m.densityYMax(0, 1, Infinity), 'density-y-max');
    assert.ok(m.densityYMax(0, 1) >= 1 / Math.sqrt(2 * Math.PI), 'the top holds q');
    assert.equal(m.fitReverse().length, 3, 'the mixture is unchanged after refused edits');
    m.free();
    const D = digits.pixels;
    throwsCoded(() => new lab.Trainer(IMAGES, D, { beta: 1e300 }, 0), 'config-beta', { value: '1e+300' });
    throwsCoded(() => new lab.Trainer(IMAGES, D, { lr: 1e39 }, 0), 'config-lr', { value: '1e+39' });
    const toy = lab.Trainer.loadToy('moons', 100, 1);
    const small = new lab.Trainer(toy.trainX, 2, { hidden: 8, batchSize: 16, likelihood: 'gaussian' }, 1);
    for (const hw of [1e300, 1e-300, 0]) {
      throwsCoded(() => small.posteriorGrid(toy.testX.slice(0, 2), 10, hw), 'half-width'); // not "training diverged"
    }
    small.free();
    throwsCoded(() => lab.gaussianKl(1e300, 1, 0, 1), 'gaussian-mean', { name: 'mu1', value: '1e+300' });
    throwsCoded(() => lab.gaussianKl(0, 1, 0, 1e-300), 'gaussian-sigma', { name: 'sigma2', value: '1e-300' });
    throwsCoded(() => lab.gaussianKlToStdNormal([0, 1e300], [0, 0]), 'gaussian-mean', { name: 'mu[1]' });
    throwsCoded(() => lab.gaussianKlToStdNormal([0], [700]), 'q-log-var-range', { name: 'logvar[0]', value: '700' });
    const fit = new lab.MixtureFit([0.5, 0.5], [-2, 2], [1, 1]);
    throwsCoded(() => fit.descentStep('reverse', [0, 0, 1, 1e300]), 'descent-state');
    fit.free();
  });
});
