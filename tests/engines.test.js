// The chapter in the two other engines readers use: Firefox ESR (over WebDriver BiDi,
// puppeteer-core) and WebKitGTK, Safari's engine (classic WebDriver, selenium-webdriver, under
// Xvfb), both Debian's packages, driven through tests/lib/engines.js. In each: the page loads,
// every widget renders and answers one interaction with the numbers of the JS API evaluated in
// that same page, the VAE trains in its worker to the numbers of an in-page Trainer, a link
// reproduces the sender's state, the hostile URLs run nothing, and no error is logged.
// (Chromium runs the fuller suites: page, kl, ch3, ch4, url-state, offline.)
// Run: node --test tests/engines.test.js   (needs `make build` and `make setup-browser`;
// ENGINES=webkit runs one engine).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { launchEngine, selected } from './lib/engines.js';
import { serve, WWW } from './lib/server.js';
import { RESULTS, fmt } from './lib/chapter.js';
import { CHAPTER_HOSTILE, HOSTILE } from './lib/hostile.js';
import { renderedWidgets, editorValues, inkDeep, hostileTraces, screenText } from './lib/page-probes.js';

const WIDGETS = ['information', 'entropy', 'huffman', 'kl-discrete', 'kl-fit', 'mutual-information', 'likelihood', 'posterior', 'derivation', 'jensen', 'vi-2d', 'vae', 'rate-distortion'];
const KL_ROWS = ['hp', 'hq', 'crossPQ', 'crossQP', 'klPQ', 'klQP', 'js', 'tv'];
const VAE_CONFIG = { latent: 2, hidden: 128, beta: 1, lr: 1e-3, batchSize: 64, mode: 'vae' }; // the widget's defaults
const HELD_OUT_SEED = 31337; // www/workers/vae.js: the held-out digits, binarised once
const w = (id, rest = '') => `[data-widget="${id}"]${rest ? ` ${rest}` : ''}`;

// ---------------------------------------------------------------------------------------

// The two engines side by side (each drives its own browser and server): the suite's longest
// file, and mostly waiting on the browsers.
describe('the chapter in Firefox and WebKit', { concurrency: true }, () => {
  for (const name of selected(['firefox', 'webkit'])) {
    describe(`the chapter in ${name}`, { concurrency: false, timeout: 600_000 }, () => {
      let engine;
      let server;
      const origin = () => new URL(server.url).origin;

      /** Opens `path` (relative to the server root) and checks the page is ready. */
      const open = (path = '') => engine.open(new URL(path, server.url).href);
      /** Asserts the page logged no error or warning, opened no dialog and shows no alert. */
      const assertClean = async (page, what) => assert.deepEqual(await page.errors(), [], `${name}: ${what}: errors on the page`);

      before(async () => {
        assert.ok(existsSync(`${WWW}pkg/elbo_lab_bg.wasm`) && existsSync(`${WWW}vendor/katex/katex.mjs`),
          'www/pkg or www/vendor is missing: run `make build` first');
        mkdirSync(RESULTS, { recursive: true });
        server = await serve();
        engine = await launchEngine(name);
      });
      after(async () => {
        await engine?.close();
        await server?.close();
      });

      // The "no error" checks below mean something only if the driver sees errors: here it must.
      it('the driver reports a console error, an uncaught error, a rejection and a dialog', async () => {
        const page = await open('embed.html?widget=entropy');
        try {
          await page.evaluate(() => {
            console.error('probe-console');
            setTimeout(() => { throw new Error('probe-throw'); });
            Promise.reject(new Error('probe-reject'));
            setTimeout(() => alert('probe-alert'), 50);
          });
          const seen = () => page.errors().then((e) => e.join('\n'));
          const want = ['probe-console', 'probe-throw', 'probe-reject', 'dialog: probe-alert'];
          const end = Date.now() + 10000;
          let text = await seen();
          while (!want.every((w) => text.includes(w)) && Date.now() < end) {
            await new Promise((r) => setTimeout(r, 50)); // poll again
            text += `\n${await seen()}`;
          }
          for (const w of want) assert.ok(text.includes(w), `${w} not reported:\n${text}`);
        } finally {
          await page.close();
        }
      });

      describe('every widget renders and answers one interaction with the API\'s numbers', { concurrency: false }, () => {
        let page;
        before(async () => { page = await open(); });
        after(async () => { await page?.close(); });

        it('loads: every widget before the VAE drawn; screenshot', async (t) => {
          t.diagnostic(engine.version);
          const r = await page.evaluate(renderedWidgets, WIDGETS);
          for (const id of WIDGETS) assert.ok(r[id], `${id} is on the page`);
          for (const id of WIDGETS.filter((id) => !['derivation', 'vae'].includes(id))) {
            assert.ok(r[id].ink.length > 0 && r[id].ink.every((n) => n > 100), `${id}'s charts are drawn: ink ${r[id].ink}`);
          }
          assert.ok(r.derivation.katex > 0, 'the derivation is typeset');
          const file = `${RESULTS}engine-${name}.png`;
          await page.screenshot(file);
          assert.ok(statSync(file).size > 10_000, `${file} written`);
          await assertClean(page, 'load');
        });

        it('information: three ArrowRight on p₁ give I(0.28) = information(0.28, 2)', async () => {
          await page.press(w('information', 'input[type=range]'), 'ArrowRight', 3);
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const [p1, p2] = [...document.querySelectorAll('[data-widget="information"] input[type=range]')].map((e) => Number(e.value));
            const q = (n) => document.querySelector(`[data-out="${n}"]`).textContent.trim();
            return { p1, p2, i1: q('i1'), i2: q('i2'), api1: lab.information(p1, 2), api2: lab.information(p2, 2) };
          });
          assert.ok(Math.abs(got.p1 - 0.28) < 1e-9, `p₁ = ${got.p1}`);
          assert.equal(got.i1, `${fmt(got.api1)} bits`);
          assert.equal(got.i2, `${fmt(got.api2)} bits`);
          assert.equal(got.i1, '1.837 bits');
        });

        it('entropy: the fair-die preset, then 0.5 typed into p₁, give the API\'s setProbability and H', async () => {
          await page.click(w('entropy', '[data-preset="fair-die"]'));
          const input = w('entropy', 'input.prob');
          await page.type(input, '0.5');
          await page.press(input, 'Enter');
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const [p] = [...document.querySelectorAll('[data-widget="entropy"] .handles')].map((h) =>
              [...h.querySelectorAll('.handle')].map((e) => Number(e.getAttribute('aria-valuenow'))));
            const expected = Array.from(lab.setProbability(Array(6).fill(1 / 6), 0, 0.5));
            return {
              p, expected, bits: document.querySelector('[data-out="entropy-bits"]').textContent.trim(),
              apiBits: lab.entropy(expected, 2), inputs: [...document.querySelectorAll('[data-widget="entropy"] input.prob')].map((e) => e.value),
            };
          });
          assert.equal(got.p.length, 6);
          got.p.forEach((x, i) => assert.ok(Math.abs(x - got.expected[i]) < 1e-9, `p = ${got.p}, API ${got.expected}`));
          assert.equal(got.bits, `${fmt(got.apiBits)} bits`);
          assert.deepEqual(got.inputs, got.expected.map((x) => fmt(x)));
        });

        it('huffman: follows that edit with the API\'s huffmanCode', async () => {
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const p = [...document.querySelector('[data-widget="entropy"] .handles').querySelectorAll('.handle')].map((e) => Number(e.getAttribute('aria-valuenow')));
            const code = lab.huffmanCode(p);
            const q = (n) => document.querySelector(`[data-out="${n}"]`).textContent.trim();
            return { average: q('huffman-average'), entropy: q('huffman-entropy'), api: code.averageLength, apiH: code.entropy, codewords: code.codewords };
          });
          assert.equal(got.average, `${fmt(got.api)} bits/symbol`);
          assert.equal(got.entropy, `${fmt(got.apiH)} bits/symbol`);
          const text = await page.evaluate(screenText, '[data-widget="huffman"]');
          for (const c of got.codewords) assert.ok(text.includes(c), `codeword ${c} shown`);
        });

        it('kl-discrete: Swap gives the API\'s klReport of (q, p)', async () => {
          const [p, q] = await page.evaluate(editorValues, w('kl-discrete'));
          await page.click(w('kl-discrete', '[data-action="swap"]'));
          const got = await page.evaluate(async (p, q) => {
            const lab = await import('./pkg/elbo_lab.js');
            const [p2, q2] = [...document.querySelectorAll('[data-widget="kl-discrete"] .handles')].map((h) =>
              [...h.querySelectorAll('.handle')].map((e) => Number(e.getAttribute('aria-valuenow'))));
            const shown = Object.fromEntries([...document.querySelectorAll('[data-widget="kl-discrete"] output[data-out]')].map((e) => [e.dataset.out, e.textContent.trim()]));
            return { p2, q2, shown, report: lab.klReport(q, p, 2) };
          }, p, q);
          assert.deepEqual([got.p2, got.q2], [q, p], 'p and q exchanged');
          for (const k of KL_ROWS) {
            assert.equal(got.shown[k], k === 'tv' ? fmt(got.report.tv) : `${fmt(got.report[k])} bits`, k);
          }
          assert.notEqual(got.shown.klPQ, got.shown.klQP);
        });

        it('kl-fit: two clicks on Step take the API\'s two natural-gradient steps', async () => {
          const start = await page.evaluate(() => {
            const fit = window.elboLab.widgets['kl-fit'];
            const s = fit.state();
            fit.startFit('reverse');
            fit.pause();
            return s;
          });
          await page.click(w('kl-fit', '[data-action="step"]'));
          await page.click(w('kl-fit', '[data-action="step"]'));
          const got = await page.evaluate(async (start) => {
            const lab = await import('./pkg/elbo_lab.js');
            const fit = window.elboLab.widgets['kl-fit'];
            const { weights, means, sigmas } = start.p;
            const total = weights.reduce((a, b) => a + b, 0);
            const m = new lab.MixtureFit(weights.map((x) => x / total), means, sigmas);
            let s = m.descentStart('reverse', start.q.mu, Math.log(start.q.sigma));
            s = m.descentStep('reverse', m.descentStep('reverse', s));
            const q = { ...fit.q };
            const out = (n) => document.querySelector(`[data-out="fit-${n}"]`).textContent.trim();
            const r = { steps: fit.run.steps, q, api: [s[0], Math.exp(s[1])], forward: out('forward'), reverse: out('reverse'),
              apiForward: m.forwardKl(q.mu, q.sigma), apiReverse: m.reverseKl(q.mu, q.sigma), status: out('status') };
            m.free();
            return r;
          }, start);
          assert.equal(got.steps, 2);
          assert.ok(Math.abs(got.q.mu - got.api[0]) < 1e-12 && Math.abs(got.q.sigma - got.api[1]) < 1e-12, `q ${JSON.stringify(got.q)} vs API ${got.api}`);
          assert.notDeepEqual(got.q, start.q);
          assert.equal(got.forward, `${fmt(got.apiForward)} nats`);
          assert.equal(got.reverse, `${fmt(got.apiReverse)} nats`);
          assert.match(got.status, /step 2\b/);
        });

        it('likelihood: +H adds a head; the MLE and ln L are the API\'s coinLikelihood', async () => {
          await page.click(w('likelihood', '[data-action="add-heads"]'));
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const root = document.querySelector('[data-widget="likelihood"]');
            const [heads, tails] = [...root.querySelectorAll('fieldset.controls input[type="number"]')].map((e) => Number(e.value));
            const theta = Number(root.querySelector('[data-control="theta"] input[type="range"]').value);
            const out = (n) => root.querySelector(`[data-out="${n}"]`).textContent.trim();
            return { heads, tails, theta, mle: out('lik-mle'), loglik: out('lik-loglik'), api: lab.coinLikelihood(heads, tails, theta) };
          });
          assert.deepEqual([got.heads, got.tails], [8, 3]);
          assert.equal(got.mle, fmt(got.api.mle, 4));
          assert.equal(got.loglik, `${fmt(got.api.logLikelihood)} nats`);
        });

        it('posterior: Step takes the API\'s Adam step; ELBO, KL and log p(x) are the API\'s', async () => {
          const before = await page.evaluate(() => {
            const p = window.elboLab.widgets.posterior;
            const { model, x, params, m, s } = p.store.get();
            const { steps, lr, mode, k, seed } = p.run;
            return { model, x, params: { ...params }, m, s, steps, lr, mode, k, seed };
          });
          await page.click(w('posterior', '[data-action="step"]'));
          const got = await page.evaluate(async (b) => {
            const lab = await import('./pkg/elbo_lab.js');
            const p = window.elboLab.widgets.posterior;
            const api = new lab.PosteriorLab(b.model, b.x, b.params);
            api.startOptimiser(b.m, b.s, b.lr);
            const [m, s] = api.step(b.mode, b.k, b.seed + b.steps);
            const now = p.store.get();
            const out = (n) => document.querySelector(`[data-out="${n}"]`).textContent.trim();
            const r = { m: now.m, s: now.s, steps: p.run.steps, api: [m, s], elbo: out('post-elbo'), kl: out('post-kl'), ev: out('post-evidence'),
              apiElbo: api.elbo(now.m, now.s), apiKl: api.klToPosterior(now.m, now.s), apiEv: api.logEvidence() };
            api.free();
            return r;
          }, before);
          assert.equal(got.steps, before.steps + 1);
          assert.ok(Math.abs(got.m - got.api[0]) <= 1e-9 && Math.abs(got.s - got.api[1]) <= 1e-9, `(${got.m}, ${got.s}) vs API ${got.api}`);
          assert.notEqual(got.m, before.m, 'Step moved m');
          assert.equal(got.elbo, `${fmt(got.apiElbo)} nats`);
          assert.equal(got.kl, `${fmt(got.apiKl)} nats`);
          assert.equal(got.ev, `${fmt(got.apiEv)} nats`);
        });

        it('derivation: ArrowRight reveals step 2; its values are the API\'s KL at the posterior\'s q', async () => {
          await page.press(w('derivation', '.derivation-widget'), 'ArrowRight');
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const root = document.querySelector('[data-widget="derivation"]');
            const { model, x, params, m, s } = window.elboLab.widgets.posterior.store.get();
            const api = new lab.PosteriorLab(model, x, params);
            const lines = [...root.querySelectorAll('li[data-step]')].map((li) => {
              const o = li.querySelector('output[data-label]');
              return { value: Number(o.dataset.value), text: o.textContent };
            });
            const r = { progress: root.querySelector('[data-out="deriv-progress"]').textContent, lines, kl: api.klToPosterior(m, s) };
            api.free();
            return r;
          });
          assert.equal(got.progress, 'Step 2 of 4');
          assert.equal(got.lines.length, 2);
          for (const l of got.lines) {
            assert.ok(Math.abs(l.value - got.kl) <= 1e-9, `line value ${l.value} vs API KL ${got.kl}`);
            assert.ok(l.text.includes(fmt(l.value, 4)), `shows ${fmt(l.value, 4)}: ${l.text}`);
          }
        });

        it('mutual-information: the copy preset gives the API\'s jointReport, with I(X; X) = H(X)', async () => {
          await page.click(w('mutual-information', '[data-preset="copy"]'));
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const { joint, nx } = window.elboLab.widgets['mutual-information'].state();
            const r = lab.jointReport(joint, nx, 2);
            const q = (k) => document.querySelector(`[data-out="mi-${k}"]`).textContent.trim();
            return { shown: { hX: q('hX'), mi: q('mutualInformation'), hXY: q('hXY') }, api: { hX: r.hX, mi: r.mutualInformation, hXY: r.hXY } };
          });
          assert.equal(got.shown.hX, `${fmt(got.api.hX)} bits`);
          assert.equal(got.shown.mi, `${fmt(got.api.mi)} bits`);
          assert.equal(got.shown.hXY, `${fmt(got.api.hXY)} bits`);
          assert.equal(got.shown.mi, got.shown.hX, 'I(X; X) = H(X)');
        });

        it('vae: two Steps train two epochs in the worker; the ELBO is an in-page Trainer\'s', async () => {
          await page.evaluate(() => document.querySelector('[data-widget="vae"]').scrollIntoView({ block: 'start', behavior: 'instant' }));
          await page.waitFor(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled
            && document.querySelector('[data-out="vae-post-logpx"]').textContent !== '—', [], 60000, 'the VAE worker');
          const epoch = () => page.evaluate(() => document.querySelector('[data-out="vae-epoch"]').textContent.trim());
          assert.equal(await epoch(), '0 of 100');
          for (const n of [1, 2]) {
            await page.click(w('vae', '[data-action="step"]'));
            await page.waitFor((n) => document.querySelector('[data-out="vae-epoch"]').textContent.startsWith(`${n} of`), [n], 60000, `epoch ${n}`);
          }
          const api = await page.evaluate(async (config, heldOutSeed) => {
            const lab = await import('./pkg/elbo_lab.js');
            const bytes = new Uint8Array(await (await fetch('./data/digits.bin')).arrayBuffer());
            const d = lab.Trainer.loadDigits(bytes);
            const tr = new lab.Trainer(d.trainX, d.pixels, { ...config, binarise: true }, 1);
            tr.trainEpoch();
            tr.trainEpoch();
            const r = tr.evaluate(lab.binarise(d.testX, heldOutSeed), 4, 2024);
            tr.free();
            return { elbo: r.elbo, kl: r.kl };
          }, VAE_CONFIG, HELD_OUT_SEED);
          const elbo = fmt(api.elbo, 2);
          const shown = await page.waitFor((v) => document.querySelector('[data-out="vae-elbo"]').textContent === v && v, [elbo], 30000,
            `the ELBO readout to show ${elbo}`).catch(async (err) => {
            err.message += ` (it shows ${await page.evaluate(() => document.querySelector('[data-out="vae-elbo"]').textContent)})`;
            throw err;
          });
          assert.equal(shown, elbo);
          assert.equal(await page.evaluate(() => document.querySelector('[data-out="vae-kl"]').textContent.trim()), fmt(api.kl, 2));
          assert.equal(await epoch(), '2 of 100');
          const r = await page.evaluate(renderedWidgets, ['vae']);
          assert.ok(r.vae.ink.filter((n) => n > 50).length >= 6, `the VAE's charts are drawn: ink ${r.vae.ink}`);
        });

        it('rate-distortion: a 2-epoch β sweep in workers shows β = 1\'s D and R as an in-page run of the same job', async () => {
          await page.evaluate(() => {
            const select = document.querySelector('[data-widget="rate-distortion"] [data-control="epochs"]');
            select.value = '2';
            select.dispatchEvent(new Event('change'));
          });
          await page.click(w('rate-distortion', '[data-action="run"]'));
          await page.waitFor(() => document.querySelector('[data-widget="rate-distortion"]').dataset.sweep === 'done', [], 180000, 'the sweep');
          const got = await page.evaluate(async () => {
            const lab = await import('./pkg/elbo_lab.js');
            const { sweepData, trainOne } = await import('./lib/beta-sweep.js');
            const data = sweepData(lab, await (await fetch('./data/digits.bin')).arrayBuffer());
            const r = trainOne(lab, data, { beta: 1, epochs: 2, seed: 1 });
            const q = (n) => document.querySelector(`[data-out="rd-${n}"]`).textContent.trim();
            return { d: q('distortion'), r: q('rate'), api: { d: r.distortion, r: r.rate } };
          });
          assert.equal(got.d, `${fmt(got.api.d)} nats`);
          assert.equal(got.r, `${fmt(got.api.r)} nats`);
        });

        it('no console error, page error, dialog or alert in the whole session', () => assertClean(page, 'the widgets session'));
      });

      it('a link reproduces the sender\'s state in a new page', async () => {
        const sender = await open();
        // WebDriver clicks at the point where it found the element: let the fonts that arrive
        // after the first screen (the rest of the maths) settle the layout first.
        await sender.waitFor(() => document.fonts.status === 'loaded', [], 30000, 'the fonts to load');
        await sender.click(w('entropy', '[data-preset="fair-die"]'));
        await sender.click(w('kl-discrete', '[data-action="swap"]'));
        await sender.click(w('likelihood', '[data-action="add-heads"]'));
        await sender.click(w('posterior', '[data-action="step"]'));
        await sender.waitFor(() => window.elboLab.widgets.posterior.state().state.m !== 0, [], 10000, 'the posterior\'s Step to move q');
        await sender.press(w('information', 'input[type=range]'), 'ArrowLeft', 2);
        const edited = ['entropy', 'kl-discrete', 'likelihood', 'posterior', 'information'];
        const missing = (keys) => keys.filter((k) => !new URLSearchParams(location.search).has(k));
        // A wait, not a speed check (the URL follows edits after a 300 ms pause): on a timeout,
        // say which widget's key the URL lacks.
        await sender.waitFor((keys) => keys.every((k) => new URLSearchParams(location.search).has(k)), [edited], 30000,
          'the URL to follow the edits').catch(async (err) => {
          throw new Error(`${err.message}: no key for ${(await sender.evaluate(missing, edited)).join(', ')} in ${await sender.evaluate(() => location.search)}`);
        });
        await sender.click('[data-embed-for="posterior"] [data-action="copy-link"]');
        const link = await sender.waitFor(() => document.querySelector('[data-embed-for="posterior"] [data-share-link]')?.value, [], 10000, 'the link');
        assert.ok(link.startsWith(server.url) && link.endsWith('#posterior'), link);
        const look = (p) => p.evaluate(() => {
          const ids = ['information', 'entropy', 'huffman', 'kl-discrete', 'likelihood', 'posterior', 'derivation'];
          const text = Object.fromEntries(ids.flatMap((id) => [...document.querySelectorAll(`[data-widget="${id}"] output[data-out]`)]
            .filter((e) => !/status/.test(e.dataset.out)).map((e) => [e.dataset.out, e.textContent.trim()])));
          const { store } = window.elboLab.widgets.posterior;
          return { text, posterior: store.get(), notices: document.querySelectorAll('[data-url-notice]').length };
        });
        const sent = await look(sender);
        assert.equal(sent.text['entropy-bits'], '2.585 bits');
        assert.equal(sent.text['lik-mle'], fmt(8 / 11, 4));
        await assertClean(sender, 'the sender');
        await sender.close();
        const receiver = await engine.open(link);
        const got = await look(receiver);
        assert.deepEqual(got.text, sent.text, 'the receiver shows the sender\'s numbers');
        assert.equal(got.notices, 0, 'a good link: no notice');
        // The link writes q to 10 significant digits.
        const { m, s, ...rest } = got.posterior;
        assert.deepEqual(rest, (({ m: _m, s: _s, ...r }) => r)(sent.posterior));
        assert.ok(Math.abs(m - sent.posterior.m) < 1e-9 && Math.abs(s - sent.posterior.s) < 1e-9, `q (${m}, ${s}) vs the sender's (${sent.posterior.m}, ${sent.posterior.s})`);
        await assertClean(receiver, 'the receiver');
        await receiver.close();
      });

      // As in tests/offline.test.js: the whole list on embed.html (one widget, the same URL
      // parsing), and on the chapter what only the chapter reads (lib/hostile.js).
      for (const [file, paths] of [['index.html', CHAPTER_HOSTILE],
        ['embed.html', HOSTILE.map((p) => (p.startsWith('#') ? `embed.html?widget=entropy${p}` : `embed.html?widget=entropy&${p.slice(1)}`))]]) {
        it(`${file}: the hostile URLs run nothing, send nothing elsewhere, and the page still renders`, async () => {
          for (const path of paths) {
            const shown = path.length > 80 ? `${path.slice(0, 60)}… (${path.length} chars)` : path;
            const page = await open(path);
            try {
              const traces = await page.evaluate(hostileTraces);
              assert.deepEqual(traces, { pwned: null, injected: 0, lang: traces.lang }, `${shown}: ${JSON.stringify(traces)}`);
              assert.ok(!(await page.evaluate(screenText)).includes('NaN'), `${shown}: NaN on screen`);
              assert.ok(['en', 'zh-CN'].includes(traces.lang), `${shown}: <html lang="${traces.lang}">`);
              const ink = await page.evaluate(inkDeep);
              assert.ok(ink.some((n) => n > 100), `${shown}: the charts are blank (${ink})`);
              const away = (await page.urls()).filter((u) => !u.startsWith(`${origin()}/`) && !/^(blob|data|about):/.test(u));
              assert.deepEqual(away, [], `${shown}: requests outside ${origin()}`);
              await assertClean(page, shown);
            } finally {
              await page.close();
            }
          }
        });
      }
    });
  }
});
