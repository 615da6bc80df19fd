// What the build does to keep the first load light, checked on its output and in the page:
// - the served wasm glue without its JSDoc (tools/strip-jsdoc.mjs) exports what pkg/'s does;
// - the math font (tools/subset-math-font.mjs): each subset holds exactly the characters its
//   @font-face declares, the faces split the font, and the whole chapter, every derivation step
//   shown, draws each formula character from the chapter's two subsets, the second fetched only
//   after the first screen is up, and never fetches the others (so nothing is missing offline);
// - the string tables (tools/split-strings.mjs): first + rest is the table, the first part
//   holds all of index.html's strings, and the first screen is done before the rest is fetched.
// The page weight itself is measured by tests/bench/weight.js (make bench), not here.
// Run: node --test tests/weight.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chapterHarness, widget } from './lib/chapter.js';
import { WWW } from './lib/server.js';
import { FAMILY, cmap } from '../tools/subset-math-font.mjs';
import * as served from '../www/pkg/elbo_lab.js';
import * as built from '../pkg/elbo_lab.js';
import en from '../www/i18n/en.js';
import zh, { errors as zhErrors } from '../www/i18n/zh.js';

const MATH = `${WWW}vendor/math/`;

/** The code points of a CSS unicode-range (all of them if there is none). */
function rangePoints(range) {
  if (!range) return null;
  const points = new Set();
  for (const part of range.split(',')) {
    const [lo, hi = lo] = part.trim().replace(/^U\+/i, '').split('-').map((h) => parseInt(h, 16));
    for (let p = lo; p <= hi; p += 1) points.add(p);
  }
  return points;
}

/** The @font-face rules of the served math.css: { family, style, weight, file, range }. */
function faces() {
  const css = readFileSync(`${MATH}math.css`, 'utf8');
  return [...css.matchAll(/@font-face\{([^}]*)\}/g)].map(([, body]) => {
    const get = (prop) => body.match(new RegExp(`(?:^|;)${prop}:([^;]*)`))?.[1];
    return {
      family: get('font-family').replace(/^"|"$/g, ''), style: get('font-style'), weight: get('font-weight'),
      file: get('src').match(/url\(([^)]*\.woff2)\)/)[1], range: rangePoints(get('unicode-range')),
    };
  });
}

/** The faces of math.css in declaration order, each with the cmap of its file. */
async function font() {
  const all = faces();
  assert.deepEqual(all.map((f) => f.file), ['STIXTwoMath.woff2', 'STIXTwoMath-more.woff2', 'STIXTwoMath-rest.woff2', 'STIXTwoMath-first.woff2']);
  for (const f of all) {
    assert.deepEqual([f.family, f.style, f.weight], [FAMILY, 'normal', '400'], f.file);
    f.cmap = await cmap(readFileSync(`${MATH}${f.file}`));
  }
  return { full: all[0], more: all[1], rest: all[2], first: all[3] };
}

const sorted = (set) => [...set].sort((a, b) => a - b);

const { start, stop, withChapter } = chapterHarness();

describe('the served glue', () => {
  it('has no JSDoc and exports what pkg/elbo_lab.js exports', () => {
    assert.ok(!readFileSync(`${WWW}pkg/elbo_lab.js`, 'utf8').includes('/**'), 'a JSDoc block is left');
    assert.deepEqual(Object.keys(served).sort(), Object.keys(built).sort());
    for (const [name, value] of Object.entries(built)) {
      if (typeof value !== 'function' || !value.prototype) continue;
      const methods = (o) => Object.getOwnPropertyNames(o).sort();
      assert.deepEqual(methods(served[name].prototype), methods(value.prototype), `${name}'s methods`);
      assert.deepEqual(methods(served[name]), methods(value), `${name}'s static members`);
    }
  });
});

describe('the string tables, split', () => {
  const inPage = [...readFileSync(`${WWW}index.html`, 'utf8').matchAll(/\sdata-i18n="([^"]+)"/g)].map(([, k]) => k);
  for (const [lang, table, errors] of [['en', en, undefined], ['zh', zh, zhErrors]]) {
    it(`${lang}: first + rest is the table, index.html's strings first`, async () => {
      const first = await import(`../www/strings/${lang}/first.js`);
      const rest = (await import(`../www/strings/${lang}/rest.js`)).default;
      const both = Object.keys(first.default).filter((k) => Object.hasOwn(rest, k));
      assert.deepEqual(both, [], 'keys in both parts');
      assert.deepEqual({ ...first.default, ...rest }, table);
      assert.deepEqual(first.errors, errors ?? {});
      assert.deepEqual(first.widgets, ['information']);
      assert.deepEqual(inPage.filter((k) => !Object.hasOwn(first.default, k)), [], 'strings of index.html not in the first part');
      assert.ok(Object.keys(rest).length > Object.keys(first.default).length, 'the first part holds most of the table');
    });
  }
});

describe('the math font subset', () => {
  let cut;
  before(async () => {
    cut = await font();
    await start();
  });
  after(stop);

  it('each subset holds exactly its declared characters; the four ranges split the font', () => {
    const { full, more, rest, first } = cut;
    for (const f of [more, rest, first]) assert.deepEqual(sorted(f.cmap), sorted(f.range), `${f.file}: its glyphs ≠ its unicode-range`);
    const ranges = [full, more, rest, first].map((f) => f.range);
    assert.deepEqual(sorted(new Set(ranges.flatMap((r) => [...r]))), sorted(full.cmap), 'the ranges do not cover the font');
    assert.equal(ranges.reduce((n, r) => n + r.size, 0), full.cmap.size, 'the ranges overlap');
    for (const c of ' 0𝐼𝑝−') assert.ok(first.cmap.has(c.codePointAt(0)), `${c} (section 1.1, the space) is not in the first subset`);
    for (const c of '∑∫∥𝔼𝒩ℒ') assert.ok(rest.cmap.has(c.codePointAt(0)) || first.cmap.has(c.codePointAt(0)), `${c} is in neither of the chapter's subsets`);
    assert.ok([...more.cmap].some((p) => p >= 0x1d434 && p <= 0x1d467), 'the italic letters no formula of the build uses are in the run-time subset');
    const inSubsets = (c) => [more, rest, first].some((f) => f.cmap.has(c.codePointAt(0)));
    assert.ok([...'𝑎𝑧𝐴𝑍𝛼𝜔'].every(inSubsets), 'an italic letter is in no subset');
  });

  it('the chapter draws every formula character from its two subsets, the second after the first screen, and fetches no other face', async () => {
    await withChapter(async ({ page, requests }) => {
      // Every line of the three derivations (typeset as they are revealed).
      const deriv = widget(page, 'derivation');
      for (const tab of await deriv.locator('[data-deriv]').all()) {
        await tab.click();
        const next = deriv.locator('[data-action="next"]');
        for (let i = 0; i < 30 && await next.isEnabled(); i += 1) await next.click();
        assert.ok(!await next.isEnabled(), 'the derivation did not reach its last step');
      }
      await page.evaluate(() => document.fonts.ready);
      // Every character a formula draws (its TeX annotation is not drawn), with the family asked for.
      const drawn = await page.evaluate(async () => {
        const { mathItalic } = await import('/lib/mathml.js');
        const seen = new Map();
        for (const box of document.querySelectorAll('math')) {
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (node.parentElement.closest('annotation')) continue;
            const family = getComputedStyle(node.parentElement).fontFamily.split(',')[0].trim().replace(/^"|"$/g, '');
            // A one-letter identifier is drawn as its mathematical italic letter (MathML's math-auto).
            const mi = node.parentElement.localName === 'mi' && !node.parentElement.hasAttribute('mathvariant') && [...node.data].length === 1;
            for (const c of mi ? mathItalic(node.data) : node.data) seen.set(`${c}|${family}`, { c, family });
          }
        }
        return [...seen.values()];
      });
      let checked = 0;
      for (const { c, family } of drawn) {
        assert.equal(family, FAMILY, `“${c}” is drawn in ${family}`);
        const p = c.codePointAt(0);
        if (!cut.full.cmap.has(p)) continue; // the font has no such glyph (Chinese in \text{}): the next family draws it
        assert.ok(cut.first.cmap.has(p) || cut.rest.cmap.has(p), `“${c}” (U+${p.toString(16).toUpperCase()}) is drawn but is in neither of the chapter's subsets`);
        checked += 1;
      }
      assert.ok(checked > 60, `only ${checked} characters checked: the formulas did not render`);
      const fontFiles = requests.map((u) => new URL(u).pathname).filter((p) => p.startsWith('/vendor/math/') && p.endsWith('.woff2'));
      const chapterFaces = ['/vendor/math/STIXTwoMath-first.woff2', '/vendor/math/STIXTwoMath-rest.woff2'];
      assert.deepEqual([...new Set(fontFiles)].sort(), chapterFaces, 'the math font faces fetched');
      // The second face of the chapter's maths is asked for only once the first screen is up.
      const [faceAt, upAt] = await page.evaluate(() => [
        performance.getEntriesByType('resource').find((e) => e.name.endsWith('/STIXTwoMath-rest.woff2'))?.startTime,
        performance.getEntriesByName('elbo-lab:first-widget')[0]?.startTime,
      ]);
      assert.ok(faceAt > upAt, `STIXTwoMath-rest.woff2 was fetched at ${faceAt} ms, the first widget was up at ${upAt} ms`);
      // The first screen's widget was up before the rest of the strings was asked for.
      const [restAt, firstWidgetAt] = await page.evaluate(() => [
        performance.getEntriesByType('resource').find((e) => e.name.endsWith('/strings/en/rest.js'))?.startTime,
        performance.getEntriesByName('elbo-lab:first-widget')[0]?.startTime,
      ]);
      assert.ok(restAt > firstWidgetAt, `the rest of the strings was fetched at ${restAt} ms, the first widget was up at ${firstWidgetAt} ms`);
      assert.ok(await widget(page, 'information').locator('canvas').count() > 0, 'the information widget did not render');
    });
  });
});
