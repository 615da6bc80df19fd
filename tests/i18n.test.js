// The two languages of the chapter: the string tables agree key for key (same placeholders,
// maths and bold markup), and the page switches between English and 简体中文 (?lang=…, the
// header toggle, the remembered choice).
// Run: node --test tests/i18n.test.js   (the browser part needs `make build` for www/pkg).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import en from '../www/i18n/en.js';
import zh from '../www/i18n/zh.js';
import { RESULTS, canvasStats, chapterHarness, readout, screenshot, widget } from './lib/chapter.js';

const MATHS = /\$\$[^$]+\$\$|\$[^$]+\$/g;
const count = (s, re) => (s.match(re) ?? []).length;
/** {name} placeholders outside the maths (TeX has braces of its own), sorted. */
const placeholders = (s) => [...s.replace(MATHS, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const mathsOf = (s) => (s.match(MATHS) ?? []).sort();
/** English words (4+ lowercase letters) left outside maths and placeholders. */
/** Names that read the same in both languages (function names). */
const NEUTRAL = new Set(['tanh']);
const englishWords = (s) => (s.replace(MATHS, '').replace(/\{\w+\}/g, '').match(/\b[a-z]{4,}\b/g) ?? []).filter((w) => !NEUTRAL.has(w));
const CJK = /[\u3400-\u9fff]/;

describe('string tables', () => {
  it('en and zh have exactly the same keys', () => {
    const missing = Object.keys(en).filter((k) => !Object.hasOwn(zh, k));
    const extra = Object.keys(zh).filter((k) => !Object.hasOwn(en, k));
    assert.deepEqual(missing, [], 'keys of en.js missing from zh.js');
    assert.deepEqual(extra, [], 'keys of zh.js that en.js does not have');
  });

  it('every value is a non-empty string', () => {
    for (const [name, table] of Object.entries({ en, zh })) {
      for (const [k, v] of Object.entries(table)) {
        assert.equal(typeof v, 'string', `${name}['${k}'] is a string`);
        assert.ok(v.trim().length > 0, `${name}['${k}'] is not empty`);
      }
    }
  });

  it('each zh value keeps the placeholders, maths and bold markers of its en value', () => {
    for (const k of Object.keys(en).filter((key) => Object.hasOwn(zh, key))) {
      assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), `{placeholders} of '${k}'`);
      assert.equal(count(zh[k], /\$/g), count(en[k], /\$/g), `number of $ in '${k}'`);
      assert.equal(count(zh[k], /\*\*/g), count(en[k], /\*\*/g), `number of ** in '${k}'`);
      assert.equal(count(zh[k], /\*/g), count(en[k], /\*/g), `number of * (bold and italic markers) in '${k}'`);
      assert.deepEqual(mathsOf(zh[k]), mathsOf(en[k]), `TeX fragments of '${k}' unchanged`);
    }
  });

  it('every zh value is translated (Chinese text, or language-neutral like a formula)', () => {
    for (const [k, v] of Object.entries(zh)) {
      if (CJK.test(v)) continue;
      assert.deepEqual(englishWords(v), [], `zh['${k}'] = ${JSON.stringify(v)} looks untranslated`);
    }
  });

  it('zh states the properties of information correctly (sum, decreasing)', () => {
    assert.match(zh['info.prop3'], /I\(p_1 p_2\) = I\(p_1\) \+ I\(p_2\)/);
    assert.match(zh['info.prop1'], /减函数/);
  });
});

/**
 * The strings whose text shows rich()'s markers (** or *…*) instead of bold or italics: text
 * nodes of [data-i18n] elements and of the <strong>/<em> rich() makes, not the maths' own spans.
 */
const markupShown = (page) => page.evaluate(() => {
  const found = [];
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const own = n.parentElement === el || ['STRONG', 'EM'].includes(n.parentElement.tagName);
      if (own && /\*\*|\*[^*\s][^*]*\*/.test(n.data)) found.push(`${el.dataset.i18n}: ${n.data.trim().slice(0, 60)}`);
    }
  }
  return found;
});

describe('the page in two languages', () => {
  const { start, stop, withChapter, server } = chapterHarness();
  before(start);
  after(stop);

  const root = () => server().url;
  // Ready, and the page's own fetches done: the digits come once it is loaded and idle, and
  // navigating away mid-fetch would abort them (a failed request for the harness).
  const ready = async (page) => {
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((e) => new URL(e.name).pathname.endsWith('/data/digits.bin') && e.responseEnd > 0), null, { timeout: 20000 });
    await page.waitForLoadState('networkidle');
  };

  /** What the page shows in the language-dependent places. */
  const shown = (page) => page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title,
    h1: document.querySelector('h1').textContent,
    headings: [...document.querySelectorAll('h2[data-i18n], h3[data-i18n]')].map((el) => [el.dataset.i18n, el.textContent]),
    pressed: Object.fromEntries([...document.querySelectorAll('.lang-switch button')].map((b) => [b.dataset.lang, b.getAttribute('aria-pressed')])),
    search: location.search,
  }));

  function assertLanguage(s, lang) {
    const table = lang === 'zh' ? zh : en;
    assert.equal(s.lang, lang === 'zh' ? 'zh-CN' : 'en', '<html lang>');
    assert.equal(s.title, table['page.title'], 'document title');
    assert.equal(s.h1, table['page.heading'], 'the page heading');
    assert.ok(s.headings.length >= 10, 'section headings found');
    for (const [key, text] of s.headings) assert.equal(text, table[key], `heading ${key}`);
    assert.deepEqual(s.pressed, { en: String(lang === 'en'), zh: String(lang === 'zh') }, 'aria-pressed of the toggle');
  }

  /** Activates the toggle button for `lang` from the keyboard, then waits for the new page. */
  async function switchTo(page, lang) {
    await page.locator(`.lang-switch button[data-lang="${lang}"]`).focus();
    await Promise.all([page.waitForURL((url) => url.searchParams.get('lang') === lang), page.keyboard.press('Enter')]);
    await ready(page);
  }

  it('?lang=zh shows the chapter in Chinese, with every widget rendered', () => withChapter(async ({ page }) => {
    assertLanguage(await shown(page), 'zh');
    assert.equal(await page.locator('[data-i18n]:empty').count(), 0, 'every string filled in');
    assert.equal(await page.locator('#load-error').isHidden(), true, 'no load error');
    assert.ok(await page.locator('.katex').count() >= 20, 'maths typeset inside the Chinese text');
    assert.deepEqual(await markupShown(page), [], 'rich-text markers shown as text');
    assert.equal(await page.locator('[data-i18n="fit.body2"] em').count(), 2, 'the two *…* terms of fit.body2 in italics');

    // Widgets mounted and drew, and their own text comes from the Chinese table.
    const widgets = await page.locator('[data-widget]').evaluateAll((els) => els.map((el) => [el.dataset.widget, el.childElementCount]));
    assert.ok(widgets.length >= 9, 'all widgets present');
    for (const [id, children] of widgets) assert.ok(children > 0, `${id} rendered`);
    const stats = await canvasStats(page, ['information', 'entropy', 'huffman'].map((id) => `[data-widget="${id}"] canvas`).join(', '));
    for (const [i, c] of stats.entries()) assert.ok(c.ink > 1000, `chapter-1 canvas ${i} is drawn (${c.ink} px)`);
    assert.equal(await readout(page, 'entropy-bits'), '1.750 比特', 'readout unit from zh.js');
    assert.match(await widget(page, 'entropy').textContent(), /每个结果在熵中所占的份额/);

    // The VAE loads its digits and starts its worker when scrolled near: its status is Chinese too.
    await widget(page, 'vae').evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
    await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('[data-out="vae-post-logpx"]').textContent !== '—', null, { timeout: 20000 });
    assert.equal((await readout(page, 'vae-status')), zh['vae.idle']);
    const [latent] = await canvasStats(page, '[data-chart="latent"]');
    assert.ok(latent.ink > 50, 'the VAE latent scatter is drawn');

    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, `${RESULTS}chapter-zh.png`);
  }, { path: '?lang=zh' }));

  it('the header toggle switches to English and back, from the keyboard', () => withChapter(async ({ page }) => {
    assertLanguage(await shown(page), 'zh');
    await switchTo(page, 'en');
    const s = await shown(page);
    assertLanguage(s, 'en');
    assert.equal(s.search, '?lang=en');
    assert.equal(await readout(page, 'entropy-bits'), '1.750 bits');
    assert.deepEqual(await markupShown(page), [], 'rich-text markers shown as text (en)');
    assert.equal(await page.locator('[data-i18n="vi2d.body3"] em').textContent(), 'PRML');
    await switchTo(page, 'zh');
    assertLanguage(await shown(page), 'zh');
    assert.equal(await readout(page, 'entropy-bits'), '1.750 比特');

    // Pressing the language already shown does nothing.
    await page.locator('.lang-switch button[data-lang="zh"]').click();
    assert.equal((await shown(page)).search, '?lang=zh');
  }, { path: '?lang=zh' }));

  it('the choice survives a reload; ?lang= overrides it; anything else is ignored', () => withChapter(async ({ page }) => {
    await ready(page); // the first page's own fetches too, before navigating away
    assertLanguage(await shown(page), 'en'); // nothing chosen yet: English
    await switchTo(page, 'zh');
    assert.equal(await page.evaluate(() => localStorage.getItem('elbo-lab.lang')), 'zh');

    await page.goto(root()); // no ?lang: the remembered choice
    await ready(page);
    assertLanguage(await shown(page), 'zh');
    await page.reload();
    await ready(page);
    assertLanguage(await shown(page), 'zh');

    await page.goto(`${root()}?lang=en`); // the URL wins over the remembered choice
    await ready(page);
    assertLanguage(await shown(page), 'en');

    // Anything else in ?lang= is ignored. The chapter and embed.html choose the language with the
    // same code (lib/i18n.js chooseLanguage), so the one-widget page answers for both here.
    for (const bad of ['ZH', 'zh-CN', 'fr', '', 'toString', 'zh%20']) {
      await page.goto(`${root()}embed.html?widget=information&lang=${bad}`);
      await page.waitForSelector('html[data-ready="true"]');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN', `?lang=${bad} is ignored (remembered zh applies)`);
    }
  }));

  it('works when localStorage throws: the URL alone carries the language', () => withChapter(async ({ page, context }) => {
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('blocked', 'SecurityError'); } });
    });
    await ready(page); // the first page's own fetches, before navigating away
    await page.goto(`${root()}?lang=zh`);
    await ready(page);
    assertLanguage(await shown(page), 'zh');
    await switchTo(page, 'en');
    assertLanguage(await shown(page), 'en');
    await page.goto(root());
    await ready(page);
    assertLanguage(await shown(page), 'en');
  }));
});
