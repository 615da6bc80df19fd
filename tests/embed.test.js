// Sharing and embedding: embed.html (one widget alone, for an iframe), the module API
// mount(element, id) of www/elbo-lab.js (a widget in a shadow root of a host page), the
// example host page www/examples/embed.html, and the chapter's per-widget Embed button.
// Run: node --test tests/embed.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import en from '../www/i18n/en.js';
import zh from '../www/i18n/zh.js';
import { chapterHarness } from './lib/chapter.js';
import { serve, WWW } from './lib/server.js';
import { launch, openPage } from './lib/browser.js';

/** The registry of www/widgets/index.js, in its order. */
const IDS = ['information', 'entropy', 'huffman', 'kl-discrete', 'kl-fit', 'mutual-information', 'likelihood', 'posterior', 'derivation', 'jensen', 'vi-2d', 'vae', 'rate-distortion'];

const { start, stop, withChapter, server } = chapterHarness();

/** What the widget `id` put into the shadow root of `host`: controls, canvases, text. */
const shadowContents = (page, host, id) => page.evaluate(({ host, id }) => {
  const shadow = document.querySelector(host)?.shadowRoot;
  const root = shadow?.querySelector(`[data-widget="${id}"]`);
  if (!root) return null;
  const canvases = [...root.querySelectorAll('canvas')];
  return {
    stylesheets: [...shadow.querySelectorAll('link[rel="stylesheet"]')].map((l) => new URL(l.href).pathname),
    controls: root.querySelectorAll('button, input, select').length,
    canvases: canvases.length,
    drawn: canvases.filter((c) => c.width > 0 && c.height > 0 && c.clientWidth > 0).length,
    text: root.innerText,
    lang: root.lang,
  };
}, { host, id });

describe('embed.html: one widget alone', () => {
  before(start);
  after(stop);

  for (const id of IDS) {
    it(`renders ${id}, and nothing else of the chapter`, () => withChapter(async ({ page }) => {
      await page.waitForFunction((id) => document.querySelector('#embed-widget')?.shadowRoot
        ?.querySelector(`[data-widget="${id}"]`)?.childElementCount > 0, id);
      const got = await shadowContents(page, '#embed-widget', id);
      assert.ok(got, 'the widget is in the shadow root of #embed-widget');
      assert.deepEqual(got.stylesheets, ['/vendor/math/math.css', '/style.css'], 'styles linked inside the shadow root');
      assert.ok(got.controls > 0, `${id} shows its controls`);
      if (id !== 'vae' && id !== 'derivation') assert.ok(got.drawn > 0 && got.drawn === got.canvases, `${id} sized its canvases`);
      assert.ok(!got.text.includes('NaN'), 'no NaN in the widget');
      assert.equal(got.lang, 'en');
      assert.equal(await page.locator('#embed-error').isHidden(), true, 'no error message');
      assert.equal(await page.locator('h1, nav.toc, section').count(), 0, 'no chapter text around the widget');
      assert.equal(await page.title(), en['embed.pageTitle'].replace('{id}', id));
      assert.equal(await page.locator('#embed-credit').textContent(), en['embed.credit']);
      if (id === 'derivation') assert.ok(await page.locator('#embed-widget .katex').count() > 0, 'maths typeset');
    }, { path: `embed.html?widget=${id}` }));
  }

  it('?lang=zh shows the widget in Chinese', () => withChapter(async ({ page }) => {
    await page.waitForFunction(() => document.querySelector('#embed-widget')?.shadowRoot?.querySelector('[data-widget] button'));
    const got = await shadowContents(page, '#embed-widget', 'likelihood');
    assert.equal(got.lang, 'zh-CN');
    assert.match(got.text, /[\u3400-\u9fff]/, 'Chinese text in the widget');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.locator('#embed-credit').textContent(), zh['embed.credit']);
  }, { path: 'embed.html?widget=likelihood&lang=zh' }));

  it('typesets maths as MathML in the math font inside the shadow root', () => withChapter(async ({ page, requests }) => {
    await page.waitForFunction(() => document.querySelector('#embed-widget')?.shadowRoot?.querySelector('.katex math'));
    const got = await page.evaluate(async () => {
      await document.fonts.ready;
      const math = document.querySelector('#embed-widget').shadowRoot.querySelector('.katex math');
      return {
        family: getComputedStyle(math).fontFamily,
        loaded: [...document.fonts].filter((f) => f.family.replace(/"/g, '') === 'STIX Two Math' && f.status === 'loaded').length,
      };
    });
    assert.match(got.family, /STIX Two Math/);
    assert.ok(got.loaded > 0, 'the math font loaded');
    assert.ok(requests.some((u) => /\/vendor\/math\/STIXTwoMath-[a-z]+\.woff2$/.test(u)), 'the font file fetched from the lab');
  }, { path: 'embed.html?widget=derivation' }));

  for (const [query, shownId] of [['?widget=nope', 'nope'], ['', ''], ['?widget=%3Cimg%20src%3Dx%3E', '<img src=x>'], ['?widget=__proto__', '__proto__']]) {
    it(`embed.html${query} explains which ids exist`, () => withChapter(async ({ page }) => {
      const box = page.locator('#embed-error');
      assert.equal(await box.isVisible(), true, 'the message is shown');
      assert.equal(await box.textContent(), en['embed.unknown'].replace('{id}', shownId).replace('{ids}', IDS.join(', ')));
      assert.equal(await page.locator('#embed-error *, img').count(), 0, 'the id is text, never markup');
      assert.equal(await page.evaluate(() => document.querySelector('#embed-widget').shadowRoot), null, 'nothing mounted');
    }, { path: `embed.html${query}` }));
  }

  it('tells the parent its height, and again when it changes', () => withChapter(async ({ page }) => {
    await page.waitForFunction(() => document.querySelector('#embed-widget')?.shadowRoot?.querySelector('canvas'));
    // Top level, window.parent is the window itself: the messages arrive here.
    const message = await page.evaluate(() => new Promise((resolve) => {
      setTimeout(() => resolve('no message within 5 s'), 5000);
      addEventListener('message', (e) => { if (e.data?.type === 'elbo-lab:height') resolve(e.data); });
      document.body.style.paddingBottom = '123px';
    }));
    const height = await page.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
    assert.deepEqual(message, { type: 'elbo-lab:height', widget: 'information', height });
    assert.ok(height > 300, `a plausible height (${height})`);
  }, { path: 'embed.html?widget=information' }));

  it('takes a few options from the URL and ignores malformed ones', () => withChapter(async ({ page }) => {
    await page.waitForFunction(() => document.querySelector('#embed-widget')?.shadowRoot?.querySelector('input[type=range]'));
    const values = await page.evaluate(() => [...document.querySelector('#embed-widget').shadowRoot
      .querySelectorAll('input[type=range]')].map((i) => Number(i.value)));
    assert.deepEqual(values.slice(0, 2), [0.1, 0.5], 'p1 from the URL, p2 (malformed) at its default');
  }, { path: 'embed.html?widget=information&p1=0.1&p2=abc' }));
});

describe('the module API in a host page (www/examples/embed.html)', () => {
  before(start);
  after(stop);

  it('mounts both widgets; host and widget styles stay apart; nothing leaks', () => withChapter(async ({ page }) => {
    const got = await shadowContents(page, '#mounted-kl', 'kl-discrete');
    assert.ok(got && got.controls > 0 && got.drawn > 0, 'kl-discrete mounted and drew');
    assert.deepEqual(got.stylesheets, ['/vendor/math/math.css', '/style.css']);
    const styles = await page.evaluate(() => {
      const shadow = document.querySelector('#mounted-kl').shadowRoot;
      const css = (el, ...props) => { const s = getComputedStyle(el); return props.map((p) => s.getPropertyValue(p)); };
      return {
        innerButton: css(shadow.querySelector('[data-widget] button'), 'background-color', 'color'),
        innerWidget: css(shadow.querySelector('[data-widget]'), 'border-top-style', 'border-top-width'),
        hostButton: css(document.querySelector('#host-button'), 'background-color'),
        hostWidget: css(document.querySelector('#host-widget'), 'border-top-style', 'border-top-color', 'padding-top'),
        hostFont: css(document.body, 'font-family'),
        documentStylesheets: [...document.querySelectorAll('link[rel="stylesheet"], style')].map((l) => l.getAttribute('href')),
        htmlLang: document.documentElement.lang,
      };
    });
    assert.notEqual(styles.innerButton[0], 'rgb(255, 0, 0)', 'the host rule button { background: red } stays out');
    assert.notEqual(styles.innerButton[1], 'rgb(255, 255, 0)');
    assert.deepEqual(styles.innerWidget, ['solid', '1px'], 'the widget keeps its own frame');
    assert.deepEqual(styles.hostButton, ['rgb(255, 0, 0)'], 'host buttons keep the host style');
    assert.deepEqual(styles.hostWidget, ['dashed', 'rgb(0, 128, 0)', '32px'], 'the host\'s .widget is not restyled by the lab');
    assert.match(styles.hostFont[0], /Georgia/, 'the lab\'s :root font does not reach the host');
    assert.deepEqual(styles.documentStylesheets, ['host.css'], 'no stylesheet added to the host document');
    assert.equal(styles.htmlLang, 'en', 'the host\'s <html lang> untouched');

    // No globals: the host window has no own property a blank window lacks.
    const extra = await page.evaluate(() => {
      const blank = document.createElement('iframe');
      document.body.append(blank);
      const known = new Set(Object.keys(blank.contentWindow));
      blank.remove();
      return Object.keys(window).filter((k) => !known.has(k) && !/^\d+$/.test(k));
    });
    assert.deepEqual(extra, [], 'no globals leaked');

    // The iframe: embed.html posts its height and the host's listener applies it.
    const frame = page.frameLocator('#frame-entropy');
    await frame.locator('#embed-widget').waitFor();
    await page.waitForFunction(() => document.querySelector('#frame-entropy').style.height !== '');
    const [set, inner] = await Promise.all([
      page.evaluate(() => document.querySelector('#frame-entropy').style.height),
      page.frame({ url: /embed\.html\?widget=entropy/ }).evaluate(() => Math.ceil(document.body.getBoundingClientRect().height)),
    ]);
    assert.equal(set, `${inner}px`, 'the iframe fits the widget');
    assert.ok(inner > 300);
    const framed = await page.frame({ url: /embed\.html\?widget=entropy/ }).evaluate(() => document.querySelector('#embed-widget')
      .shadowRoot.querySelectorAll('[data-widget="entropy"] canvas').length);
    assert.ok(framed > 0, 'the framed entropy widget drew');
  }, { path: 'examples/embed.html' }));

  it('mount() rejects an unknown id with the list of ids, and a non-element', () => withChapter(async ({ page }) => {
    const messages = await page.evaluate(async () => {
      const { mount } = await import('../elbo-lab.js');
      const out = [];
      for (const args of [[document.createElement('div'), 'nope'], [null, 'entropy'], [document.createElement('div'), 'entropy', { lang: 'fr' }]]) {
        try { await mount(...args); out.push('no error'); } catch (err) { out.push(err instanceof Error ? err.message : String(err)); }
      }
      return out;
    });
    assert.equal(messages[0], `unknown widget "nope": use one of ${IDS.join(', ')}`);
    assert.match(messages[1], /element must be a DOM element/);
    assert.match(messages[2], /unknown language "fr"/);
  }, { path: 'examples/embed.html' }));

  it('two widgets on one page speak two languages, also after edits', () => withChapter(async ({ page }) => {
    const texts = await page.evaluate(async () => {
      const { mount } = await import('../elbo-lab.js');
      const hosts = ['en', 'zh', 'en'].map(() => document.body.appendChild(document.createElement('div')));
      // The last one takes the page's default language (no ?lang=, nothing remembered: English).
      await mount(hosts[0], 'entropy', { lang: 'en' });
      await mount(hosts[1], 'entropy', { lang: 'zh' });
      await mount(hosts[2], 'kl-discrete');
      // An edit after both are mounted: each widget re-renders in its own language.
      for (const host of hosts.slice(0, 2)) host.shadowRoot.querySelector('button[data-preset="fair-coin"]').click();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return hosts.map((host) => {
        const root = host.shadowRoot.querySelector('[data-widget]');
        const canvasLabels = [...root.querySelectorAll('canvas[aria-label]')].map((c) => c.getAttribute('aria-label'));
        return { lang: root.lang, text: root.innerText, labels: canvasLabels.join(' ') };
      });
    });
    const han = /[\u4e00-\u9fff]/;
    assert.equal(texts[0].lang, 'en');
    assert.ok(!han.test(texts[0].text) && !han.test(texts[0].labels), `English widget has no Chinese: ${texts[0].text.slice(0, 200)}`);
    assert.match(texts[0].text, /\nH\t/, 'the English preset names its outcomes in English (H, T)');
    assert.equal(texts[1].lang, 'zh-CN');
    assert.match(texts[1].text, /熵/);
    assert.match(texts[1].text, /\n正\t/, 'the Chinese preset names its outcomes in Chinese (正, 反)');
    assert.match(texts[1].labels, han, 'the Chinese widget\'s chart descriptions are Chinese');
    assert.equal(texts[2].lang, 'en');
    assert.ok(!han.test(texts[2].text));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the host\'s <html lang> untouched');
  }, { path: 'examples/embed.html' }));

  it('a value being typed in a shadow root is not overwritten by a redraw', () => withChapter(async ({ page }) => {
    // entropy and huffman share one store, mounted separately: an edit of the store while an
    // entropy input has focus redraws every input but the focused one.
    await page.evaluate(async () => {
      const { mount } = await import('../elbo-lab.js');
      const a = document.body.appendChild(document.createElement('div'));
      a.id = 'shared-entropy';
      const b = document.body.appendChild(document.createElement('div'));
      const entropy = await mount(a, 'entropy');
      await mount(b, 'huffman', { store: entropy.store });
      window.testStore = entropy.store; // the test's own global, on the test's page
    });
    const inputs = page.locator('#shared-entropy input.prob');
    await inputs.first().fill('0.2');
    const n = await inputs.count();
    await page.evaluate((n) => {
      const p = Array.from({ length: n }, () => 1 / n);
      window.testStore.set({ ...window.testStore.get(), p });
    }, n);
    assert.equal(await inputs.first().inputValue(), '0.2', 'the focused input keeps what is being typed');
    assert.equal(await inputs.nth(1).inputValue(), (1 / n).toFixed(3), 'the others follow the store');
  }, { path: 'examples/embed.html' }));
});

describe('the chapter\'s Embed buttons', () => {
  before(start);
  after(stop);

  it('show both snippets with URLs of the served origin, and copy them', () => withChapter(async ({ page }) => {
    const bars = await page.locator('.embed-bar').evaluateAll((els) => els.map((e) => e.dataset.embedFor));
    assert.deepEqual([...bars].sort(), [...IDS].sort(), 'one Embed bar per widget');
    const bar = page.locator('[data-embed-for="kl-discrete"]');
    const toggle = bar.locator('button[data-action="embed"]');
    assert.equal(await toggle.textContent(), en['embed.button']);
    assert.equal(await bar.locator('.embed-panel').isHidden(), true, 'closed at first');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const iframe = await bar.locator('textarea[data-snippet="iframe"]').inputValue();
    const module = await bar.locator('textarea[data-snippet="module"]').inputValue();
    const base = server().url;
    assert.ok(iframe.includes(`<iframe src="${base}embed.html?widget=kl-discrete"`), iframe);
    assert.ok(iframe.includes(`e.origin !== '${new URL(base).origin}'`), 'the listener checks the lab\'s origin');
    assert.ok(iframe.includes("'elbo-lab:height'"));
    assert.ok(module.includes(`import { mount } from '${base}elbo-lab.js';`), module);
    assert.ok(module.includes("'kl-discrete', { lang: 'en' }"), module);
    const element = await bar.locator('textarea[data-snippet="element"]').inputValue();
    assert.equal(element, `<script type="module" src="${base}elbo-lab.js"></script>\n<elbo-lab-widget name="kl-discrete" lang="en"></elbo-lab-widget>`);
    await bar.locator('button[data-copy="module"]').click();
    await page.waitForFunction(() => document.querySelector('[data-embed-for="kl-discrete"] [data-copy="module"] + [role="status"]').textContent !== '');
    assert.equal(await bar.locator('[data-copy="module"] + [role="status"]').textContent(), en['embed.copied']);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), module, 'the snippet is on the clipboard');
    await toggle.click();
    assert.equal(await bar.locator('.embed-panel').isHidden(), true, 'closes again');
  }, { permissions: ['clipboard-read', 'clipboard-write'] }));

  it('without clipboard access, Copy selects the snippet', () => withChapter(async ({ page }) => {
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } }));
    const bar = page.locator('[data-embed-for="entropy"]');
    await bar.locator('button[data-action="embed"]').click();
    await bar.locator('button[data-copy="iframe"]').click();
    await page.waitForFunction(() => document.querySelector('[data-embed-for="entropy"] .embed-copy [role="status"]').textContent !== '');
    const selected = await page.evaluate(() => {
      const a = document.querySelector('[data-embed-for="entropy"] textarea[data-snippet="iframe"]');
      return document.activeElement === a && a.selectionStart === 0 && a.selectionEnd === a.value.length;
    });
    assert.equal(selected, true, 'the whole snippet is selected');
    assert.equal(await bar.locator('.embed-copy [role="status"]').first().textContent(), en['embed.copyFailed']);
  }));

  it('in Chinese, the snippets ask for lang=zh', () => withChapter(async ({ page }) => {
    const bar = page.locator('[data-embed-for="posterior"]');
    assert.equal(await bar.locator('button[data-action="embed"]').textContent(), zh['embed.button']);
    const iframe = await bar.locator('textarea[data-snippet="iframe"]').inputValue();
    assert.ok(iframe.includes(`embed.html?widget=posterior&lang=zh"`), iframe);
    assert.ok((await bar.locator('textarea[data-snippet="module"]').inputValue()).includes("{ lang: 'zh' }"));
  }, { path: '?lang=zh' }));
});

describe('under a sub-path (as `make dist` output is served)', () => {
  let tmp;
  let site;
  let browser;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'elbo-embed-'));
    cpSync(WWW, join(tmp, 'sub', 'elbo'), { recursive: true });
    site = await serve(tmp);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const path of ['sub/elbo/', 'sub/elbo/embed.html?widget=entropy', 'sub/elbo/examples/embed.html']) {
    it(`${path} loads with no 404 and no console error`, async () => {
      const { page, context, problems } = await openPage(browser, new URL(path, site.url).href);
      try {
        if (path === 'sub/elbo/') {
          const snippet = await page.locator('[data-embed-for="entropy"] textarea[data-snippet="iframe"]').inputValue();
          assert.ok(snippet.includes(`${site.url}sub/elbo/embed.html?widget=entropy`), snippet);
        }
        await page.waitForTimeout(300);
        assert.deepEqual(problems, []);
        const outside = site.requests.filter((p) => !p.startsWith('/sub/elbo/'));
        assert.deepEqual(outside, [], 'every request stays under the sub-path');
      } finally {
        await context.close();
      }
    });
  }
});
