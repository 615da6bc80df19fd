// Widgets in Markdown course notes: the MkDocs site of tests/fixtures/mkdocs/ (one page that
// embeds three widgets through <elbo-lab-widget>, www/lib/widget-element.js, and one through the
// iframe), built by MkDocs from PyPI with the built lab copied in as docs/lab/, served, and
// checked in headless Chromium: one browser, one page load.
// Run: node --test tests/mkdocs.test.js   (needs `make build` and `make setup-mkdocs`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import en from '../www/i18n/en.js';
import zh from '../www/i18n/zh.js';
import { canvasStats, fmt } from './lib/chapter.js';
import { serve, WWW } from './lib/server.js';
import { launch } from './lib/browser.js';

const MKDOCS = fileURLToPath(new URL('../target/mkdocs-venv/bin/mkdocs', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/mkdocs/', import.meta.url));
/** The registry of www/widgets/index.js, in its order. */
const IDS = ['information', 'entropy', 'huffman', 'kl-discrete', 'kl-fit', 'mutual-information', 'likelihood', 'posterior', 'derivation', 'jensen', 'vi-2d', 'vae', 'rate-distortion'];
/** The kl-fit element's state attribute in docs/index.md, and what it means. */
const FIT = { w: [0.3, 0.7], m: [-2, 2.5], s: [0.5, 0.8], mu: 1, sigma: 0.7 };
const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));

let dir;
let server;
let browser;
let session;

/** Waits until `fn()` (evaluated in `target`, a page or frame) is truthy; returns its value. */
const until = async (target, fn, arg) => (await target.waitForFunction(fn, arg, { timeout: 20000 })).jsonValue();

/** Awaits the element's update (its `ready`) and returns a summary of what it shows. */
const shown = (page, id) => page.evaluate(async (id) => {
  const el = document.getElementById(id);
  await el.ready;
  const root = el.shadowRoot?.querySelector('[data-widget]');
  const message = el.shadowRoot?.querySelector('[data-element-message]');
  return {
    widget: root?.dataset.widget ?? null, lang: root?.lang ?? message?.lang ?? null,
    text: (root ?? message)?.textContent ?? '', notices: [...(root?.querySelectorAll('[role=status].url-notice') ?? [])].map((p) => p.textContent),
    message: message?.textContent ?? null, markup: el.shadowRoot?.querySelectorAll('img, script').length ?? 0,
  };
}, id);

/** The text of readout `name` inside element `id`'s shadow root (Playwright's CSS pierces it). */
const readout = async (page, id, name) => (await page.locator(`#${id} [data-out="${name}"]`).textContent()).trim();

/** Canvases matching `selector` (in shadow roots too) that have been painted, out of all of them. */
async function painted(target, selector) {
  const stats = await canvasStats(target, selector);
  return { all: stats.length, inked: stats.filter((s) => s.ink > 0).length };
}

describe('widgets in a MkDocs site: <elbo-lab-widget> and the iframe', () => {
  before(async () => {
    assert.ok(existsSync(`${WWW}pkg/elbo_lab_bg.wasm`), 'www/pkg is missing: run `make build` first');
    assert.ok(existsSync(MKDOCS), 'MkDocs is missing: run `make setup-mkdocs` (part of `make test`)');
    dir = mkdtempSync(join(tmpdir(), 'elbo-mkdocs-'));
    cpSync(FIXTURE, join(dir, 'src'), { recursive: true });
    cpSync(WWW, join(dir, 'src', 'docs', 'lab'), { recursive: true });
    execFileSync(MKDOCS, ['build', '--strict', '--quiet', '-f', join(dir, 'src', 'mkdocs.yml'), '-d', join(dir, 'site')], { stdio: 'pipe' });
    server = await serve(`${join(dir, 'site')}/`);
    browser = await launch();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const origin = new URL(server.url).origin;
    session = { context, requests: [], blocked: [], failures: [], problems: [] };
    // Nothing may leave the origin: a request elsewhere is recorded and cut off (offline).
    await context.route((url) => url.origin !== origin, (route) => { session.blocked.push(route.request().url()); return route.abort(); });
    context.on('request', (r) => session.requests.push(r.url()));
    context.on('requestfailed', (r) => { if (!session.blocked.includes(r.url())) session.failures.push(`${r.url()}: ${r.failure()?.errorText}`); });
    context.on('response', (r) => { if (r.status() >= 400) session.failures.push(`${r.url()}: HTTP ${r.status()}`); });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') session.problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (err) => session.problems.push(`pageerror: ${err.message}`));
    session.page = page;
    await page.goto(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the built page keeps the tags and the script line of the Markdown', async () => {
    const html = await (await fetch(server.url)).text();
    assert.match(html, /<script type="module" src="lab\/elbo-lab\.js"><\/script>/);
    assert.equal(html.match(/<elbo-lab-widget /g)?.length, 3, 'three elements');
    assert.match(html, /<iframe id="f-information" src="lab\/embed\.html\?widget=information/);
  });

  it('renders all four widgets, with the numbers of the API, in their languages and states', async () => {
    const { page } = session;
    await until(page, () => ['w-entropy', 'w-kl', 'w-fit'].every((id) => document.getElementById(id)?.handle)
      && document.getElementById('f-information').contentDocument?.documentElement.dataset.ready === 'true');
    const frame = page.frames().find((f) => f.url().includes('embed.html'));
    // Every canvas painted: in the three shadow roots (each has some) and in the frame.
    const perElement = await page.evaluate(() => ['w-entropy', 'w-kl', 'w-fit']
      .map((id) => document.getElementById(id).shadowRoot.querySelectorAll('canvas').length));
    assert.ok(perElement.every((n) => n > 0), `canvases per element: ${perElement}`);
    const total = perElement.reduce((a, b) => a + b);
    for (const [target, least] of [[page, total], [frame, 1]]) {
      let got;
      for (let i = 0; i < 100; i += 1) { // until painted (a chart paints once its size is known)
        got = await painted(target, 'canvas');
        if (got.all >= least && got.inked === got.all) break;
        await page.waitForTimeout(100);
      }
      assert.ok(got.all >= least && got.inked === got.all, `${target === page ? 'page' : 'iframe'}: ${got.inked} of ${got.all} canvases painted`);
    }

    const api = await page.evaluate(async ({ FIT }) => {
      const { ready } = await import(new URL('lab/lib/lab.js', document.baseURI).href);
      const lab = await ready();
      const entropy = document.getElementById('w-entropy').handle.state();
      const kl = document.getElementById('w-kl').handle.state();
      const fit = document.getElementById('w-fit').handle.state();
      const model = new lab.MixtureFit(FIT.w, FIT.m, FIT.s);
      const forward = model.forwardKl(FIT.mu, FIT.sigma);
      model.free();
      return {
        entropyBits: lab.entropy(entropy.p, 2), klUnit: kl.unit, klPQ: lab.klDivergence(kl.p, kl.q, kl.unit === 'bits' ? 2 : Math.E),
        fit, forward, i1: lab.information(0.25, 2), i2: lab.information(0.5, 2),
      };
    }, { FIT });

    // entropy: English (no lang attribute, none in the URL), H(p) of its distribution.
    const entropy = await shown(page, 'w-entropy');
    assert.deepEqual([entropy.widget, entropy.lang], ['entropy', 'en']);
    assert.equal(await readout(page, 'w-entropy', 'entropy-bits'), `${fmt(api.entropyBits)} ${en['unit.bits']}`);

    // kl-discrete, lang="zh": Chinese text and units, KL(p‖q) of its p and q.
    const kl = await shown(page, 'w-kl');
    assert.deepEqual([kl.widget, kl.lang], ['kl-discrete', 'zh-CN']);
    assert.match(kl.text, /[\u3400-\u9fff]/, 'Chinese text in the widget');
    assert.equal(await readout(page, 'w-kl', 'klPQ'), `${fmt(api.klPQ)} ${zh[`unit.${api.klUnit}`]}`);

    // kl-fit, state="w:0.3~0.7;m:-2~2.5;s:0.5~0.8;mu:1;sigma:0.7": that mixture and that q.
    assert.deepEqual(api.fit.p, { weights: FIT.w, means: FIT.m, sigmas: FIT.s });
    assert.deepEqual(api.fit.q, { mu: FIT.mu, sigma: FIT.sigma });
    assert.equal(await readout(page, 'w-fit', 'fit-forward'), `${fmt(api.forward)} ${en['unit.nats']}`);
    assert.deepEqual((await shown(page, 'w-fit')).notices, [], 'a valid state shows no notice');

    // The iframe: information with p₁ = 0.25, p₂ = 0.5 from its URL.
    assert.equal((await frame.locator('#embed-widget [data-out="i1"]').textContent()).trim(), `${fmt(api.i1)} ${en['unit.bits']}`);
    assert.equal((await frame.locator('#embed-widget [data-out="i2"]').textContent()).trim(), `${fmt(api.i2)} ${en['unit.bits']}`);
  });

  it('follows its attributes: lang, state, name; a bad state gets the chapter\'s notice', async () => {
    const { page } = session;
    const set = (id, attrs) => page.evaluate(({ id, attrs }) => {
      const el = document.getElementById(id);
      for (const [k, v] of Object.entries(attrs)) if (v === null) el.removeAttribute(k); else el.setAttribute(k, v);
    }, { id, attrs });

    await set('w-entropy', { lang: 'zh' });
    const entropy = await shown(page, 'w-entropy');
    assert.deepEqual([entropy.widget, entropy.lang], ['entropy', 'zh-CN']);
    assert.match(await readout(page, 'w-entropy', 'entropy-bits'), new RegExp(` ${zh['unit.bits']}$`));

    // A new state: the default mixture, q = N(−1.5, 2²); the readout follows.
    await set('w-fit', { state: 'mu:-1.5;sigma:2' });
    const fresh = await page.evaluate(async () => {
      const { ready } = await import(new URL('lab/lib/lab.js', document.baseURI).href);
      const lab = await ready();
      const el = document.getElementById('w-fit');
      await el.ready;
      const { p, q } = el.handle.state();
      const model = new lab.MixtureFit(p.weights.map((w) => w / p.weights.reduce((a, b) => a + b)), p.means, p.sigmas);
      const forward = model.forwardKl(q.mu, q.sigma);
      model.free();
      return { q, p, forward };
    });
    assert.deepEqual(fresh.q, { mu: -1.5, sigma: 2 });
    assert.notDeepEqual(fresh.p.means, FIT.m, 'the mixture of the old state is gone');
    assert.equal(await readout(page, 'w-fit', 'fit-forward'), `${fmt(fresh.forward)} ${en['unit.nats']}`);

    // A bad state: μ = 99 clamped to 6, σ malformed (default 1.5), w without m and s dropped.
    await set('w-fit', { state: 'mu:99;sigma:abc;w:0.5' });
    const bad = await shown(page, 'w-fit');
    assert.deepEqual(bad.notices, [en['url.notice']]);
    assert.deepEqual(await page.evaluate(() => document.getElementById('w-fit').handle.state().q), { mu: 6, sigma: 1.5 });

    // Another name, in the element's language (zh).
    await set('w-kl', { name: 'information' });
    const info = await shown(page, 'w-kl');
    assert.deepEqual([info.widget, info.lang], ['information', 'zh-CN']);
    assert.match(await readout(page, 'w-kl', 'i1'), new RegExp(` ${zh['unit.bits']}$`));
  });

  it('an unknown name or language is explained in the element, in en and zh, as text', async () => {
    const { page } = session;
    const set = (attrs) => page.evaluate((attrs) => {
      const el = document.getElementById('w-kl');
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    }, attrs);
    const ids = IDS.join(', ');

    await set({ name: 'nope' });
    let got = await shown(page, 'w-kl');
    assert.deepEqual([got.widget, got.lang, got.message], [null, 'zh-CN', fill(zh['element.unknown'], { id: 'nope', ids })]);
    assert.equal(await page.evaluate(() => document.getElementById('w-kl').handle), null);
    await set({ lang: 'en', name: '<img src=x onerror=alert(1)>' });
    got = await shown(page, 'w-kl');
    assert.deepEqual([got.lang, got.message], ['en', fill(en['element.unknown'], { id: '<img src=x onerror=alert(1)>', ids })]);
    assert.equal(got.markup, 0, 'the name is shown as text, never markup');

    // lang="fr": English, and a line saying why.
    await set({ name: 'kl-discrete', lang: 'fr' });
    got = await shown(page, 'w-kl');
    assert.deepEqual([got.widget, got.lang], ['kl-discrete', 'en']);
    assert.ok(got.text.startsWith(fill(en['element.badLang'], { lang: 'fr' })), got.text.slice(0, 120));
  });

  it('taking an element out frees its wasm memory; moving it keeps the widget', async () => {
    const { page } = session;
    const got = await page.evaluate(async (ids) => {
      const { ready } = await import(new URL('lab/lib/lab.js', document.baseURI).href);
      const lab = await ready();
      const heap = () => lab.heapBytes();
      // Moving: out and back in within one task is a move, not a removal.
      const fit = document.getElementById('w-fit');
      const handle = fit.handle;
      document.body.append(fit);
      await fit.ready;
      const moved = fit.handle === handle;

      const withFit = heap();
      fit.remove();
      await fit.ready;
      const withoutFit = heap();
      // Every widget: mounted and removed twice (the first time may fill a cache for good, as
      // vi-2d's Gauss–Hermite nodes), then the heap must be back where the second round started.
      // (The VAE's models live in workers, whose wasm instances go when they are terminated.)
      const rounds = {};
      for (const id of ids) {
        const sizes = [];
        for (let round = 0; round < 2; round += 1) {
          sizes.push(heap());
          const el = document.createElement('elbo-lab-widget');
          el.setAttribute('name', id);
          document.body.append(el);
          await el.ready;
          sizes.push(heap());
          el.remove();
          await el.ready;
        }
        sizes.push(heap());
        rounds[id] = sizes; // [before, mounted, removed = before 2nd, mounted, removed]
      }
      // The kl-fit element of the page, added and removed ten times.
      const start = heap();
      const cycle = [];
      for (let i = 0; i < 10; i += 1) {
        document.body.append(fit);
        await fit.ready;
        const mounted = heap();
        fit.remove();
        await fit.ready;
        cycle.push([mounted, heap()]);
      }
      return { moved, withFit, withoutFit, start, rounds, cycle, handle: fit.handle };
    }, IDS);

    assert.equal(got.moved, true, 'a moved element keeps its widget');
    assert.ok(got.withFit - got.withoutFit > 10000, `kl-fit's MixtureFit and its landscapes freed (${got.withFit - got.withoutFit} bytes)`);
    assert.equal(got.handle, null);
    for (const [mounted, removed] of got.cycle) {
      assert.ok(mounted - got.start > 10000, 'mounted again: its wasm objects are back');
      assert.equal(removed, got.start, 'removed again: the heap is back to where it was');
    }
    for (const [id, s] of Object.entries(got.rounds)) {
      assert.equal(s[4], s[2], `${id}: heap after the second removal (${s[4]}) = before the second mount (${s[2]}); rounds ${s.join(', ')}`);
    }
    // The widgets that keep wasm objects while mounted: the count sees them, then sees them go.
    for (const id of ['kl-fit', 'posterior', 'derivation', 'jensen', 'vi-2d']) {
      assert.ok(got.rounds[id][3] > got.rounds[id][2], `${id} holds wasm memory while mounted (${got.rounds[id].join(', ')})`);
    }
  });

  it('importing the lab again (another URL: another module instance) defines the element once', async () => {
    const got = await session.page.evaluate(async () => {
      const before = customElements.get('elbo-lab-widget');
      const again = await import(new URL('lab/elbo-lab.js?again', document.baseURI).href);
      return { same: customElements.get('elbo-lab-widget') === before, mount: typeof again.mount };
    });
    assert.deepEqual(got, { same: true, mount: 'function' });
  });

  it('logs nothing, fails no request, and sends nothing off the site', () => {
    const origin = new URL(server.url).origin;
    assert.deepEqual(session.problems, [], 'console errors/warnings or page errors');
    assert.deepEqual(session.failures, [], 'failed requests');
    assert.deepEqual(session.blocked, [], 'requests to other origins (the theme is configured offline; the lab makes none)');
    assert.ok(session.requests.some((u) => u === `${origin}/lab/pkg/elbo_lab_bg.wasm`), 'the lab came from the site itself');
  });
});
