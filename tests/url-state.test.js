// Widget state in the URL (www/lib/url-state.js, www/lib/share.js): the strict parser in Node,
// then the chapter end to end — a link opens the widgets as encoded, edits rewrite the URL,
// "Copy link" reproduces the readouts in a fresh page, and a bad value gets a quiet notice.
// Run: node --test tests/url-state.test.js   (the browser part needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import en from '../www/i18n/en.js';
import { FORMAT_VERSION, MAX_CHARS, SCHEMAS, decode, decodeAll, encode, linkVersion, withParams } from '../www/lib/url-state.js';
import zh from '../www/i18n/zh.js';
import { chapterHarness, readout } from './lib/chapter.js';
import lab from './lib/wasm.js';
import { closeAbs } from './lib/approx.js';


describe('url-state: the parser', () => {
  it('round-trips good values of every widget', () => {
    const states = {
      information: { p1: 0.3, p2: 0.75, unit: 'nats' },
      entropy: { p: [0.5, 0.25, 0.25] },
      huffman: { p: [0.1, 0.2, 0.3, 0.4] },
      'kl-discrete': { p: [0.3, 0.7], q: [0.9, 0.1], unit: 'bits' },
      'mutual-information': { joint: [0.375, 0.125, 0, 0.125, 0.25, 0.125], nx: 2, unit: 'nats', eps: 0.15, e1: 0.05, e2: 0.3 },
      'kl-fit': { p: { weights: [0.45, 0.55], means: [-2.5, 2], sigmas: [0.6, 0.9] }, q: { mu: 0.35, sigma: 1.5 }, selected: 1 },
      likelihood: { heads: 12, tails: 3, theta: 0.61, thetaTrue: 0.5, seed: 42, n: 1000 },
      posterior: { state: { model: 'logistic', x: 0, params: { a: -1.5, b: 0.5 }, m: 0.25, s: 0.75 }, seed: 7, lr: 0.02, grad: 'reparam', k: 20, speed: 7 },
      derivation: { state: { model: 'bimodal', x: 2.5, params: { sigmaX: 0.5 }, m: 1, s: 0.5 } },
      jensen: { state: { model: 'gaussian', x: 1.3, params: { sigmaX: 0.8 }, m: 0.2, s: 0.9 }, k: 300, seed: 4, w1: 1.5, w2: 7, lam: 0.3 },
      'vi-2d': { state: { target: 'gaussian', family: 'full', seed: 3, params: { mean1: 0.5, mean2: -1, sd1: 1.5, sd2: 0.8, rho: 0.7 }, q: { mean: [-2, 2], cov: [1, 0.5, 0.2] } } },
      vae: {
        dataset: 'moons', seed: 5, config: { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae', activation: 'relu' },
        epoch: 37, target: 100, index: 12, a: 3, b: 250, interpolate: true, probe: [-1.25, 0.5], baselines: true,
      },
      'rate-distortion': { epochs: 50, seed: 9, beta: 0.25, image: 17, unit: 'bits', run: 1 },
    };
    assert.deepEqual(Object.keys(states).sort(), Object.keys(SCHEMAS).sort(), 'every widget has a schema');
    for (const [id, state] of Object.entries(states)) {
      const text = encode(id, state);
      assert.match(text, /^[A-Za-z0-9:;~.\-]+$/, `${id}: URL-safe text`);
      const got = decode(id, text);
      assert.equal(got.notice, false, `${id}: no notice for a good link (${got.problems})`);
      assert.deepEqual(got.options, state, `${id} round-trips`);
    }
  });

  it('a fit in progress is carried by its start, kind, steps and whether it runs', () => {
    const state = {
      p: { weights: [0.5, 0.5], means: [-1, 1], sigmas: [0.5, 0.5] }, q: { mu: 0.1234, sigma: 0.9 }, selected: 0,
      fit: { kind: 'reverse', steps: 40, playing: false, from: { mu: 1, sigma: 0.8 } },
    };
    const text = encode('kl-fit', state);
    assert.equal(text, 'w:0.5~0.5;m:-1~1;s:0.5~0.5;mu:1;sigma:0.8;sel:1;fit:reverse;steps:40;run:pause', 'q is the fit\'s start');
    assert.deepEqual(decode('kl-fit', text).options, {
      p: state.p, q: { mu: 1, sigma: 0.8 }, selected: 0, fit: { kind: 'reverse', steps: 40, playing: false },
    });
    assert.deepEqual(decode('kl-fit', 'fit:sideways;steps:9999').options, {}, 'an unknown kind is dropped…');
    assert.equal(decode('kl-fit', 'fit:forward;steps:9999').options.fit.steps, 600, '…steps are clamped to the fit\'s limit');
    assert.equal(decode('vae', 'epoch:1e6').options.epoch, 4000, 'a linked epoch is clamped (it is trained again)');
  });

  it('the VAE\'s KL warm-up and free bits round-trip, clamped; links without them keep both off', () => {
    const state = { dataset: 'digits', seed: 1, config: { latent: 16, hidden: 128, beta: 4, lr: 3e-3, batchSize: 64, mode: 'vae', activation: 'tanh', warmup: 20, freeBits: 0.25 }, epoch: 3, target: 10 };
    const text = encode('vae', state);
    assert.match(text, /(^|;)warm:20(;|$)/);
    assert.match(text, /(^|;)fb:0\.25(;|$)/);
    assert.deepEqual(decode('vae', text).options, state);
    const off = encode('vae', { ...state, config: { ...state.config, warmup: 0, freeBits: 0 } });
    assert.doesNotMatch(off, /warm:|fb:/, 'off is the default: not written');
    assert.equal(decode('vae', off).options.config.warmup, undefined);
    const clamped = decode('vae', 'warm:500;fb:9');
    assert.deepEqual([clamped.options.config.warmup, clamped.options.config.freeBits, clamped.notice], [200, 2, true]);
    const rounded = decode('vae', 'warm:2.5');
    assert.deepEqual([rounded.options.config.warmup, rounded.notice], [3, true], 'epochs are whole: rounded, with the notice');
    const bad = decode('vae', 'warm:x;fb:1e');
    assert.deepEqual([bad.options.config, bad.notice], [undefined, true], 'not a number: dropped');
  });

  it('a digits link says its data recipe; one made before binarisation opens with a notice', () => {
    const state = { dataset: 'digits', seed: 3, config: { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae', activation: 'tanh' }, epoch: 12, target: 100 };
    const text = encode('vae', state);
    assert.match(text, /(^|;)recipe:binarised(;|$)/);
    assert.deepEqual(decode('vae', text).options, state, 'a new link round-trips, with no old-recipe flag');
    assert.equal(decode('vae', text.replace(/;?recipe:binarised/, '')).options.oldRecipe, true, 'an old link (no recipe) is flagged');
    assert.equal(decode('vae', 'seed:3').options.oldRecipe, undefined, 'no trained epoch: nothing to reproduce, no flag');
    assert.equal(decode('vae', 'data:moons;epoch:5').options.oldRecipe, undefined, 'the toy sets never changed recipe');
  });

  it('ignores unknown keys, clamps numbers, renormalises probabilities', () => {
    let got = decode('information', 'p1:0.3;colour:red;p2:7;unit:bits');
    assert.deepEqual(got.options, { p1: 0.3, p2: 1, unit: 'bits' });
    assert.equal(got.notice, true, 'clamping is noticed');
    assert.equal(decode('information', 'p1:0.3;colour:red').notice, false, 'an unknown key alone is quiet');
    got = decode('entropy', 'p:0.2~0.2~0.4');
    [0.25, 0.25, 0.5].forEach((x, i) => closeAbs(got.options.p[i], x, 1e-9));
    assert.equal(got.notice, true, 'a sum far from 1 is noticed');
    assert.deepEqual(decode('entropy', 'p:1.5~0.5').options.p, [2 / 3, 1 / 3], 'clamped into [0, 1], then rescaled');
    closeAbs(decode('entropy', 'p:0.333333~0.333333~0.333334').options.p[0], 0.333333, 1e-9);
    assert.equal(decode('likelihood', 'heads:3.6;seed:-4').options.heads, 4, 'integers rounded');
    assert.equal(decode('likelihood', 'seed:-4').options.seed, 0);
    assert.equal(decode('vae', 'lr:0.001').options.config.lr, 0.001);
    assert.equal(decode('vae', 'lr:1e-3').options.config.lr, 0.001, 'a choice may be written as any equal number');
  });

  it('replaces malformed values by the default, with the notice flag', () => {
    for (const [id, text, key] of [
      ['information', 'p1:abc', 'p1'], ['information', 'unit:furlongs', 'unit'], ['entropy', 'p:0.5~x', 'p'],
      ['entropy', 'p:0.5', 'p'], ['entropy', 'p:0~0', 'p'], ['vae', 'data:mnist', 'dataset'], ['vae', 'seed', 'seed'],
    ]) {
      const got = decode(id, text);
      assert.equal(got.notice, true, `${id} ${text}: notice`);
      assert.equal(got.options[key], undefined, `${id} ${text}: the widget's default is kept`);
    }
    const kl = decode('kl-discrete', 'p:0.5~0.5;q:0.2~0.3~0.5');
    assert.equal(kl.notice, true, 'p and q of different lengths');
    assert.deepEqual(kl.options, {});
    assert.deepEqual(decode('kl-discrete', 'p:0.25~0.75').options.q, [0.5, 0.5], 'a lone p gets a uniform q');
    const fit = decode('kl-fit', 'w:1~1;m:0;s:1~1');
    assert.equal(fit.notice, true);
    assert.equal(fit.options.p, undefined);
  });

  it('is harmless with hostile strings', () => {
    const hostile = ['<script>alert(1)</script>', 'javascript:alert(1)', 'x'.repeat(10000), 'NaN', 'Infinity', '1e309', '-1e309',
      '\u202Egnp.exe', '0x10', '1_000', ' 1', '1 ', '', ':', ';;;', '~~', '__proto__', 'constructor'];
    for (const id of Object.keys(SCHEMAS)) {
      for (const key of [...Object.keys(SCHEMAS[id].keys), '__proto__', 'constructor']) {
        for (const value of hostile) {
          const got = decode(id, `${key}:${value}`);
          const json = JSON.stringify(got.options);
          assert.ok(!/script|javascript|NaN|null|Infinity|\u202E|xxxx/.test(json), `${id}.${key}=${value.slice(0, 20)} → ${json}`);
          assert.equal(Object.getPrototypeOf(got.options), Object.prototype);
        }
      }
      assert.equal(decode(id, 'x'.repeat(MAX_CHARS + 1)).notice, true, 'over-long parameter ignored as a whole');
      assert.deepEqual(decode(id, 'x'.repeat(MAX_CHARS + 1)).options, {});
    }
    assert.deepEqual(decode('vae', 'seed:1e309').options, {});
    assert.equal(decode('nope', 'p:1').notice, false, 'unknown widget: nothing');
  });

  it('reads and writes the query, keeping other parameters', () => {
    const all = decodeAll('?lang=zh&entropy=p:0.5~0.5&vae=data:moons;latent:2;seed:5&widget=x');
    assert.deepEqual(Object.keys(all), ['entropy', 'vae']);
    assert.deepEqual(all.vae.options, { dataset: 'moons', seed: 5, config: { latent: 2 } });
    assert.equal(withParams('?lang=zh&entropy=old', { entropy: 'p:0.5~0.5', 'kl-discrete': 'unit:nats' }),
      '?lang=zh&v=2&entropy=p:0.5~0.5&kl-discrete=unit:nats', 'the format version is written with the widgets');
    assert.equal(withParams('?entropy=old', {}), '');
    assert.equal(withParams('?v=2&lang=zh&entropy=old', {}), '?lang=zh', 'no widgets: no version');
    assert.equal(withParams('?v=1&entropy=old', { entropy: 'p:1~0' }), '?v=2&entropy=p:1~0', 'an old version is replaced');
  });

  it('a link has a format version; one made before it opens, with a notice where a seed draws again', () => {
    assert.equal(FORMAT_VERSION, 2);
    assert.equal(linkVersion('?v=2&vae=epoch:3'), 2);
    assert.equal(linkVersion('?vae=epoch:3'), 1, 'no v: a link made before versions');
    for (const bad of ['?v=3', '?v=02', '?v=2.0', '?v=', '?v=2&v=2', '?v=%202']) assert.equal(linkVersion(bad), null, `${bad}: strict`);
    // Format 1: what is drawn again from a seed differs from the sender's.
    const old = decodeAll('?likelihood=heads:3;tails:1;n:100;seed:7&vae=data:moons;seed:5;epoch:12&entropy=p:0.5~0.5');
    assert.equal(old.likelihood.reseeded, true, 'a simulated sample is drawn again');
    assert.equal(old.likelihood.notice, true);
    assert.deepEqual(old.likelihood.options, { heads: 3, tails: 1, n: 100, seed: 7 }, 'the link still opens as given');
    assert.equal(old.vae.reseeded, true, 'a trained model is trained again');
    assert.deepEqual(old.vae.options, { dataset: 'moons', seed: 5, epoch: 12 });
    assert.deepEqual([old.entropy.reseeded, old.entropy.notice], [false, false], 'nothing seeded: no notice');
    const untrained = decodeAll('?likelihood=heads:3;tails:1;seed:7&vae=data:moons;seed:5;epoch:0');
    assert.deepEqual([untrained.likelihood.notice, untrained.vae.notice], [false, false], 'no sample, no training: nothing differs');
    // Format 2: the same link, current.
    const current = decodeAll('?v=2&likelihood=heads:3;tails:1;n:100;seed:7&vae=data:moons;seed:5;epoch:12');
    assert.deepEqual([current.likelihood.reseeded, current.likelihood.notice, current.vae.notice], [false, false, false]);
    assert.deepEqual(current.likelihood.options, old.likelihood.options);
    assert.equal(decode('vae', 'epoch:12').notice, false, 'decode alone reads the current format');
    assert.equal(decode('vae', 'epoch:12', 1).reseeded, true);
    // A malformed version: read as format 1, and said so.
    const bad = decodeAll('?v=abc&entropy=p:0.5~0.5&vae=epoch:3');
    assert.equal(bad.entropy.notice, true);
    assert.match(bad.entropy.problems.join(), /v: malformed/);
    assert.equal(bad.vae.reseeded, true);
  });

  it('kl-discrete carries the seed Randomise drew from', () => {
    const state = { p: [0.25, 0.75], q: [0.5, 0.5], unit: 'bits', seed: 123456789 };
    assert.equal(encode('kl-discrete', state), 'p:0.25~0.75;q:0.5~0.5;unit:bits;seed:123456789');
    assert.deepEqual(decode('kl-discrete', encode('kl-discrete', state)).options, state);
    assert.deepEqual(decode('kl-discrete', 'seed:42').options, { seed: 42 }, 'alone: the widget draws p and q from it');
    assert.equal(decode('kl-discrete', 'seed:-1').notice, true);
    assert.equal(decode('kl-discrete', 'seed:1.5').options.seed, 2, 'a whole number');
  });
});

const { start, stop, withChapter } = chapterHarness();

/** What the test reads back from the chapter: readouts and the VAE's controls. */
const snapshot = (page) => page.evaluate(() => {
  const out = (name) => document.querySelector(`[data-out="${name}"]`).textContent.trim();
  const vae = (key) => document.querySelector(`[data-widget="vae"] [data-input="${key}"]`).value;
  return {
    entropy: out('entropy-bits'),
    entropyInputs: [...document.querySelectorAll('[data-widget="entropy"] input.prob')].map((i) => i.value),
    kl: out('klPQ'), hp: out('hp'),
    elbo: out('post-elbo'), m: out('post-m'), s: out('post-s'),
    model: document.querySelector('[data-widget="posterior"] [data-model][aria-pressed="true"]')?.dataset.model,
    vae: { dataset: vae('dataset'), latent: vae('latent'), seed: vae('seed'), hidden: vae('hidden') },
  };
});

/** Opens `link` in a new tab of `page`'s browser, collecting console errors and warnings. */
async function openLink(page, link) {
  const fresh = await page.context().newPage();
  const problems = [];
  fresh.on('console', (msg) => { if (['error', 'warning'].includes(msg.type())) problems.push(msg.text()); });
  fresh.on('pageerror', (err) => problems.push(err.message));
  await fresh.goto(link);
  await fresh.waitForSelector('html[data-ready="true"]');
  return { fresh, problems };
}

const LINK = '?entropy=p:0.5~0.25~0.25&kl-discrete=p:0.5~0.5;q:0.9~0.1;unit:nats'
  + '&posterior=model:bimodal;x:2;sigmaX:0.5;m:1.5;s:0.5&vae=data:moons;latent:2;seed:5';

const LINK2 = '?information=p1:0.3;p2:0.6;unit:nats&kl-fit=w:0.5~0.5;m:-1~1;s:0.5~0.5;mu:1;sigma:0.8'
  + '&likelihood=heads:12;tails:3;theta:0.61&posterior=model:logistic;x:0';

describe('url-state: the chapter', () => {
  before(start);
  after(stop);

  it('opens the widgets as the link says, follows edits, and "Copy link" reproduces them', () => withChapter(async ({ page }) => {
    const got = await snapshot(page);
    assert.equal(got.entropy, `1.500 ${en['unit.bits']}`);
    assert.deepEqual(got.entropyInputs, ['0.500', '0.250', '0.250']);
    assert.equal(got.kl, `0.511 ${en['unit.nats']}`, 'KL(p‖q) of (½, ½) from (0.9, 0.1), in nats');
    assert.equal(got.model, 'bimodal');
    assert.equal(got.m, '1.500');
    assert.equal(got.s, '0.500');
    assert.deepEqual(got.vae, { dataset: 'moons', latent: '2', seed: '5', hidden: '128' });
    assert.equal(await page.locator('[data-url-notice]').count(), 0, 'a good link: no notice');

    // An edit rewrites the URL (debounced), without a reload.
    await page.locator('[data-widget="kl-discrete"] input[type="radio"][value="bits"]').check();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('kl-discrete')?.includes('unit:bits'));
    await page.locator('[data-widget="entropy"] [data-preset="fair-die"]').click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('entropy')?.split('~').length === 6);
    const search = new URLSearchParams(await page.evaluate(() => location.search));
    assert.equal(search.get('vae'), 'data:moons;mode:vae;latent:2;hidden:128;act:tanh;beta:1;lr:0.001;batch:64;seed:5;epoch:0;stop:100;image:0;from:0;to:1;probe:0~0');
    assert.ok(!search.has('huffman') && !search.has('derivation'), 'shared stores are written once');

    // Copy link: the current state, and the widget's section.
    const bar = page.locator('[data-embed-for="posterior"]');
    await bar.locator('[data-action="copy-link"]').click();
    const field = bar.locator('[data-share-link]');
    await field.waitFor({ state: 'visible' });
    const link = await field.inputValue();
    assert.ok(link.endsWith('#posterior'), link);
    const before = await snapshot(page);

    const { fresh, problems } = await openLink(page, link);
    assert.deepEqual(await snapshot(fresh), before, 'the link reproduces the readouts');
    assert.equal(before.entropy, `${'2.585'} ${en['unit.bits']}`);
    assert.equal(await fresh.locator('[data-url-notice]').count(), 0);
    assert.deepEqual(problems, []);
    await fresh.close();
  }, { path: LINK }));

  it('a bad value shows a quiet notice in that widget, and nothing else breaks', () => withChapter(async ({ page }) => {
    const notices = page.locator('[data-url-notice]');
    assert.deepEqual(await notices.evaluateAll((els) => els.map((el) => [el.dataset.urlNotice, el.getAttribute('role')])),
      [['information', 'status'], ['entropy', 'status'], ['posterior', 'status']]);
    assert.equal((await notices.first().textContent()), en['url.notice']);
    assert.equal(await readout(page, 'post-m'), '4.000', 'm clamped into [−4, 4]');
    assert.equal(await readout(page, 'entropy-bits'), `1.750 ${en['unit.bits']}`, 'the default distribution');
    assert.equal(await page.locator('script:not([src])').count(), 0);
  }, { path: `?entropy=p:%3Cscript%3Ealert(1)%3C/script%3E&posterior=m:99&information=${'9'.repeat(3000)}` }));

  it('information, kl-fit and likelihood open as linked; an untouched page keeps its URL', () => withChapter(async ({ page }) => {
    const states = await page.evaluate(() => Object.fromEntries(['information', 'kl-fit', 'likelihood', 'derivation']
      .map((id) => [id, window.elboLab.widgets[id].state()])));
    assert.deepEqual(states.information, { p1: 0.3, p2: 0.6, unit: 'nats' });
    assert.deepEqual(states['kl-fit'], { p: { weights: [0.5, 0.5], means: [-1, 1], sigmas: [0.5, 0.5] }, q: { mu: 1, sigma: 0.8 }, selected: 0 });
    assert.deepEqual(states.likelihood, { heads: 12, tails: 3, theta: 0.61, thetaTrue: 0.5, seed: 42 });
    assert.deepEqual(states.derivation.state, { model: 'logistic', x: 0, params: { a: 2, b: 0 }, m: 0, s: 1 }, 'follows the linked posterior');
    assert.equal(await readout(page, 'i1'), `${'1.204'} ${en['unit.nats']}`, 'I(0.3) = −ln 0.3');
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => location.search), LINK2, 'no rewrite without an edit');
  }, { path: LINK2 }));

  it('a link carries a fit in progress, the posterior\'s speed, the sample size and a trained VAE', () => withChapter(async ({ page }) => {
    // The sender: a reverse fit paused after 25 steps with component 2 selected; speed 7; n = 1,000;
    // a VAE on the digits trained to epoch 12, the image 5 inspected, an interpolation 3 → 40.
    await page.evaluate(() => {
      const fit = window.elboLab.widgets['kl-fit'];
      fit.startFit('reverse');
      fit.pause();
      for (let i = 0; i < 25; i += 1) fit.step();
    });
    await page.locator('[data-widget="kl-fit"] [data-mode="1"]').click();
    await page.locator('[data-widget="posterior"] input[data-input="speed"]').evaluate((el) => {
      el.value = '7';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator('[data-widget="likelihood"] [data-size="1000"]').click();
    const vae = page.locator('[data-widget="vae"]');
    await vae.evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 30000 });
    await vae.locator('[data-input="target"]').fill('12');
    await vae.locator('[data-input="target"]').dispatchEvent('change');
    await vae.locator('[data-action="train"]').click();
    await page.waitForFunction(() => /^12 /.test(document.querySelector('[data-out="vae-epoch"]').textContent)
      && !window.elboLab.widgets.vae.stats().running, null, { timeout: 30000 });
    await vae.locator('[data-input="index"]').fill('5');
    await vae.locator('[data-input="index"]').dispatchEvent('change');
    await vae.locator('[data-input="a"]').fill('3');
    await vae.locator('[data-input="b"]').fill('40');
    await vae.locator('[data-action="interpolate"]').click();
    await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-chart="interpolation"]').hidden);
    await vae.locator('[data-chart="latent"]').focus();
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
    await vae.locator('[data-action="baselines"]').click();
    await page.waitForFunction(() => document.querySelector('[data-out="vae-base-vae-sq"]'), null, { timeout: 60000 });

    /** Everything compared between sender and receiver, including the VAE's weights file. */
    const look = (p) => p.evaluate(async () => {
      const { widgets } = window.elboLab;
      const text = (name) => document.querySelector(`[data-out="${name}"]`).textContent.trim();
      const worker = widgets.vae.worker;
      const weights = await new Promise((resolve) => {
        const id = 1e9 + Math.floor(Math.random() * 1e6);
        const listen = (e) => { if (e.data.id === id) { worker.removeEventListener('message', listen); resolve(e.data.result); } };
        worker.addEventListener('message', listen);
        worker.postMessage({ type: 'export', id });
      });
      const { fit, q, selected } = widgets['kl-fit'].state();
      return {
        fit, q, selected, fitStatus: text('fit-status'), fitReverse: text('fit-reverse'),
        speed: widgets.posterior.state().speed, sample: widgets.likelihood.state().n, why: text('lik-sum'),
        vae: widgets.vae.state(), epoch: text('vae-epoch'), elbo: text('vae-elbo'), kl: text('vae-kl'),
        interpolated: !document.querySelector('[data-widget="vae"] [data-chart="interpolation"]').hidden,
        baselines: document.querySelector('[data-out="vae-base-table"]').textContent,
        probeAlt: document.querySelector('[data-widget="vae"] [data-chart="probe"]').getAttribute('aria-label'),
        weights,
      };
    });
    const sent = await look(page);
    assert.deepEqual(sent.fit && [sent.fit.kind, sent.fit.steps, sent.fit.playing], ['reverse', 25, false]);
    assert.equal(sent.selected, 1);
    assert.deepEqual([sent.speed, sent.sample, sent.vae.epoch, sent.vae.index, sent.interpolated], [7, 1000, 12, 5, true]);
    assert.ok(typeof sent.weights === 'string' && JSON.parse(sent.weights).params.length > 10000, 'the weights file is compared');

    const bar = page.locator('[data-embed-for="vae"]');
    await bar.locator('[data-action="copy-link"]').click();
    const link = await bar.locator('[data-share-link]').inputValue();
    const search = new URL(link).searchParams;
    assert.equal(search.get('v'), '2', 'the link says its format');
    assert.match(search.get('kl-fit'), /;sel:2;fit:reverse;steps:25;run:pause$/);
    assert.match(search.get('vae'), /;epoch:12;stop:12;image:5;from:3;to:40;interp:1;probe:[-0-9.]+~[-0-9.]+;base:1;recipe:binarised$/);
    assert.notDeepEqual(sent.vae.probe, [0, 0], 'the arrow keys moved the decoded point');

    const { fresh, problems } = await openLink(page, link);
    await fresh.locator('[data-widget="vae"]').evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await fresh.waitForFunction(() => document.querySelector('[data-out="vae-status"]').textContent.includes('trained again to epoch 12'),
      null, { timeout: 60000 });
    await fresh.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-chart="interpolation"]').hidden
      && document.querySelector('[data-out="vae-base-vae-sq"]'), null, { timeout: 60000 });
    const got = await look(fresh);
    assert.deepEqual(got, sent, 'the receiver sees what the sender saw, down to the VAE\'s weights');
    assert.deepEqual(problems, []);
    await fresh.close();
  }));

  it('embed.html takes the same parameter', () => withChapter(async ({ page }) => {
    await page.waitForFunction(() => document.querySelector('#embed-widget')?.shadowRoot?.querySelector('[data-out="klPQ"]'));
    assert.equal(await readout(page, 'klPQ'), `0.511 ${en['unit.nats']}`);
    assert.equal(await page.locator('[data-url-notice]').count(), 0);
  }, { path: 'embed.html?widget=kl-discrete&kl-discrete=p:0.5~0.5;q:0.9~0.1;unit:nats' }));

  const OLD_SAMPLE = '?likelihood=heads:3;tails:1;n:100;seed:7;thetaTrue:0.3&entropy=p:0.5~0.5';
  it('a link made before the format version: the simulated sample is drawn again, with a notice (en, zh)', () => withChapter(async ({ page }) => {
    const notices = () => page.locator('[data-url-notice]').evaluateAll((els) => els.map((el) => [el.dataset.urlNotice, el.textContent]));
    const heads = (p) => p.evaluate(() => window.elboLab.widgets.likelihood.state());
    assert.deepEqual(await notices(), [['likelihood', en['url.reseeded']]], 'only the widget that draws from a seed');
    assert.deepEqual(await heads(page), { heads: 3, tails: 1, theta: 0.5, thetaTrue: 0.3, seed: 7, n: 100 }, 'it opens as linked');
    assert.match(await readout(page, 'lik-why'), /100 flips with seed 7/);
    assert.equal(lab.simulateFlips(100, 0.3, 7), Number(/: (\d+) heads/.exec(await readout(page, 'lik-why'))[1]), 'drawn again, by the current generator');
    // The same link in the current format: no notice; in Chinese: the Chinese notice.
    const { fresh, problems } = await openLink(page, new URL(`?v=2&${OLD_SAMPLE.slice(1)}`, page.url()).href);
    assert.equal(await fresh.locator('[data-url-notice]').count(), 0, 'v=2: nothing differs');
    assert.deepEqual(await heads(fresh), await heads(page));
    assert.deepEqual(problems, []);
    await fresh.goto(new URL(`${OLD_SAMPLE}&lang=zh`, page.url()).href);
    await fresh.waitForSelector('html[data-ready="true"]');
    assert.deepEqual(await fresh.locator('[data-url-notice]').evaluateAll((els) => els.map((el) => el.textContent)), [zh['url.reseeded']]);
    await fresh.close();
  }, { path: OLD_SAMPLE }));
});
