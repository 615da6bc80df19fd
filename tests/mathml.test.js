// The page's maths as MathML (www/lib/mathml.js): the mathvariant letters spelled in Unicode,
// the function names and signs marked for spacing, the same way on the build's strings
// (mendString, tools/prerender-tex.mjs) and on the run-time DOM (mendTree, lib/i18n.js tex());
// and, in Chromium, that a formula is drawn as MathML in the math font, with its brackets
// stretched and its function names spaced.
// Run: node --test tests/mathml.test.js   (needs `make build` for www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import katex from 'katex';
import { TEX_OPTIONS, mendString, variantText } from '../www/lib/mathml.js';
import { serve } from './lib/server.js';
import { launch, openPage } from './lib/browser.js';

const SOURCES = [
  String.raw`\mathbb{E}_{q}[\log p(x,z)] - \mathcal{L}(q)`,
  String.raw`I(p) = -\log p`,
  String.raw`(a) - b + \mathbf{x}_2`,
  String.raw`\operatorname{KL}(q\,\|\,p) \ge 0`,
  String.raw`\log\left(\frac{1}{2}\right) = -\log 2`,
  String.raw`\mathcal{B} + \mathbb{R}^n + \mathfrak{H} + \mathbf{\mu}`,
  String.raw`\begin{aligned} a &= b \\ &\le -c \end{aligned}`,
];

describe('mathvariant letters in Unicode', () => {
  it('maps letters and digits into the Mathematical Alphanumeric Symbols, with the Letterlike holes', () => {
    assert.equal(variantText('double-struck', 'ERN1'), '𝔼ℝℕ𝟙');
    assert.equal(variantText('script', 'LNBx'), 'ℒ𝒩ℬ𝓍');
    assert.equal(variantText('fraktur', 'Hg'), 'ℌ𝔤');
    assert.equal(variantText('bold', 'xZ09'), '𝐱𝐙𝟎𝟗');
    assert.equal(variantText('italic', 'h'), 'ℎ');
    assert.equal(variantText('normal', 'KL'), 'KL', 'normal is left alone');
    assert.equal(variantText('script', 'α-1'), 'α-1', 'what the variant has no letter for is kept');
  });

  it('mendString spells out what it can and keeps the rest of the markup', () => {
    const html = mendString(katex.renderToString(SOURCES[5], TEX_OPTIONS));
    assert.ok(html.includes('<mi>ℬ</mi>') && html.includes('<mi>ℝ</mi>') && html.includes('<mi>ℌ</mi>'), html);
    assert.ok(!/mathvariant="(double-struck|script|fraktur)"/.test(html), 'a spelled variant keeps its attribute');
    assert.match(html, /mathvariant="bold">μ</, 'bold Greek keeps its attribute (no Unicode letter spelled)');
    assert.ok(html.includes('<annotation encoding="application/x-tex">'), 'the TeX source is kept for copy and screen readers');
  });

  it('marks the function application after a name, and a sign after an operator as prefix', () => {
    const html = mendString(katex.renderToString(SOURCES[1], TEX_OPTIONS));
    assert.match(html, /<mo>=<\/mo><mo form="prefix">−<\/mo><mi>log<\/mi><mo class="fn">\u2061<\/mo>/);
    const binary = mendString(katex.renderToString(SOURCES[2], TEX_OPTIONS));
    assert.match(binary, /<mo stretchy="false">\)<\/mo><mo>−<\/mo>/, 'a minus after a closing bracket stays binary');
  });
});

describe('mendTree (run time) = mendString (build), in Chromium', () => {
  let server;
  let browser;
  before(async () => {
    server = await serve();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('gives the same MathML for every source, and draws it in the math font with stretched brackets', async () => {
    const { page, context, problems } = await openPage(browser, server.url);
    const build = SOURCES.map((s) => mendString(katex.renderToString(s, { ...TEX_OPTIONS, displayMode: true })));
    const got = await page.evaluate(async ([sources, build]) => {
      const { default: k } = await import('/vendor/katex/katex.mjs');
      const { TEX_OPTIONS: options, mendTree } = await import('/lib/mathml.js');
      const out = { same: [], family: '', fraction: 0, paren: 0, spaced: 0, unspaced: 0 };
      const host = document.createElement('div');
      document.body.append(host);
      sources.forEach((s, i) => {
        k.render(s, host, { ...options, displayMode: true });
        mendTree(host);
        // The parser's serialisation of the build's string, against the mended DOM's.
        const t = document.createElement('template');
        t.innerHTML = build[i]; // the test's own KaTeX output
        out.same.push(host.innerHTML === t.innerHTML || [host.innerHTML, t.innerHTML]);
      });
      await document.fonts.ready;
      k.render(String.raw`\log\left(\frac{1}{2}\right)`, host, { ...options, displayMode: true });
      mendTree(host);
      out.family = getComputedStyle(host.querySelector('math')).fontFamily;
      out.fraction = host.querySelector('mfrac').getBoundingClientRect().height;
      out.paren = host.querySelector('mo[fence="true"]').getBoundingClientRect().height;
      // The name's box ends where the thin space begins: log's right edge is left of the bracket's.
      const name = host.querySelector('mi');
      const fn = host.querySelector('mo.fn');
      out.spaced = fn.getBoundingClientRect().left - name.getBoundingClientRect().right;
      k.render(String.raw`\log p`, host, { ...options, displayMode: true });
      mendTree(host);
      const [logBox, pBox] = [host.querySelectorAll('mi')[0], host.querySelectorAll('mi')[1]].map((e) => e.getBoundingClientRect());
      out.unspaced = pBox.left - logBox.right;
      host.remove();
      return out;
    }, [SOURCES, build]);
    assert.deepEqual(got.same, SOURCES.map(() => true), 'run time and build differ');
    assert.match(got.family, /^"?STIX Two Math"?/);
    assert.ok(got.paren >= got.fraction * 0.95, `the bracket (${got.paren} px) does not stretch over the fraction (${got.fraction} px)`);
    assert.ok(got.unspaced > 2, `no space between log and p (${got.unspaced} px)`);
    assert.deepEqual(problems, [], 'console errors or warnings');
    await context.close();
  });
});
