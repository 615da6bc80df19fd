// The text the page-wide checks read (tests/lib/page-probes.js screenText: "no NaN, undefined or
// internal message on screen" in tests/lib/chapter.js, random-ui, kl-fit, engines): it must
// see the off-screen sections the browser skips rendering (content-visibility: auto, which
// Chromium leaves out of innerText), leave out what the page hides, and read as innerText does
// where nothing is skipped.
// Run: node --test tests/screen-text.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chapterHarness } from './lib/chapter.js';
import { screenText } from './lib/page-probes.js';

const { start, stop, withChapter } = chapterHarness();

/** Appends `html` to the element `selector`; whether the browser skips rendering it now. */
const plant = (page, selector, html) => page.evaluate(([selector, html]) => {
  const box = document.createElement('div');
  box.className = 'planted';
  box.innerHTML = html; // the test's own fixed markup
  document.querySelector(selector).append(box);
  return { skipped: !box.checkVisibility({ contentVisibilityAuto: true }), innerText: document.body.innerText.includes('planted') };
}, [selector, html]);

describe('screenText: what the page-wide checks read', () => {
  before(start);
  after(stop);

  it('leaves out what the page hides, as innerText does', () => withChapter(async ({ page }) => {
    const hiddenParts = [
      '<p hidden>NaN in [hidden]</p>',
      '<p style="display: none">NaN in display: none</p>',
      '<div style="display: none"><span>NaN under display: none</span></div>',
      '<p style="visibility: hidden">NaN in visibility: hidden</p>',
      '<details><summary>summary shown</summary><p>NaN in a closed details</p></details>',
      '<template><p>NaN in a template</p></template>',
    ].join('');
    await plant(page, '#information', hiddenParts);
    const text = await page.evaluate(screenText);
    assert.match(text, /^summary shown$/m, 'a closed details shows its summary');
    assert.ok(!text.includes('NaN'), `nothing hidden is read: ${text.split('\n').filter((l) => l.includes('NaN'))}`);
    assert.equal(await page.evaluate(screenText, '#information .planted p[hidden]'), '', 'a hidden element has no text');
    await page.evaluate(() => document.querySelector('#information .planted').remove());
  }));

  it('reads the lines innerText reads where nothing is skipped, one block a line', () => withChapter(async ({ page }) => {
    // Every section rendered (set through the CSSOM, which the page's CSP allows), so that
    // innerText, the reference, reads the whole chapter.
    const inner = await page.evaluate(() => {
      const sections = [...document.querySelectorAll('main > section')];
      for (const s of sections) s.style.contentVisibility = 'visible';
      const skipped = sections.filter((s) => !s.checkVisibility({ contentVisibilityAuto: true })).length;
      return { skipped, text: document.body.innerText };
    });
    const walked = await page.evaluate(screenText);
    await page.evaluate(() => { for (const s of document.querySelectorAll('main > section')) s.style.contentVisibility = ''; });
    assert.equal(inner.skipped, 0, 'no section is skipped');
    // innerText puts a tab between table cells (screenText a line break: a cell is a block), and
    // applies text-transform (MathML's one-letter <mi> reads 𝑝, its text p): NFKC folds that.
    const lines = (s) => s.split(/[\n\t]/).map((l) => l.replace(/\s+/g, ' ').trim().normalize('NFKC')).filter(Boolean);
    assert.ok(lines(inner.text).length > 1000, `the chapter's text: ${lines(inner.text).length} lines`);
    assert.deepEqual(lines(walked), lines(inner.text));
  }));
});
