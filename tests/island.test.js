// Each mounted widget of the chapter is a layout island (www/lib/island.js): a fixed height with
// size containment, so its changing readouts lay out the widget alone. Its height must still be
// the one the browser gives its content: nothing cut off at load, after a child grows or is
// removed, or in print.
// Run: node --test tests/island.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chapterHarness } from './lib/chapter.js';

const { start, stop, withChapter } = chapterHarness();

/** Per island: its height and how far its lowest child (with margin) and padding reach. */
const fits = (page) => page.evaluate(() => [...document.querySelectorAll('[data-widget]')].map((root) => {
  const box = root.getBoundingClientRect();
  const s = getComputedStyle(root);
  let bottom = 0;
  for (const c of root.children) {
    if (c.getClientRects().length) bottom = Math.max(bottom, c.getBoundingClientRect().bottom - box.top + parseFloat(getComputedStyle(c).marginBottom));
  }
  const need = bottom + parseFloat(s.paddingBottom) + parseFloat(s.borderBottomWidth);
  // The height the browser gives it uncontained, read with the island undone for the moment.
  const island = 'island' in root.dataset;
  delete root.dataset.island;
  const natural = root.getBoundingClientRect().height;
  if (island) root.dataset.island = '';
  return { id: root.dataset.widget, island, contain: s.contain, height: box.height, need, natural };
}));

const twoFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('widgets as layout islands', () => {
  before(start);
  after(stop);

  it('every widget is an island whose height is its content\'s', () => withChapter(async ({ page }) => {
    await twoFrames(page);
    const all = await fits(page);
    assert.equal(all.length, 13);
    for (const w of all) {
      assert.ok(w.island && /strict|size/.test(w.contain), `${w.id} is an island (contain: ${w.contain})`);
      assert.ok(Math.abs(w.height - w.natural) <= 0.5, `${w.id}: height ${w.height}, uncontained ${w.natural}`);
      assert.ok(w.need <= w.height + 0.5, `${w.id}: nothing cut off (${w.need} of ${w.height} px)`);
    }
  }));

  it('follows a child added and removed; in print its height is the content\'s', () => withChapter(async ({ page }) => {
    const heightOf = () => page.evaluate(() => document.querySelector('[data-widget="entropy"]').getBoundingClientRect().height);
    await twoFrames(page);
    const was = await heightOf();
    await page.evaluate(() => {
      const extra = document.createElement('div');
      extra.className = 'island-test';
      extra.style.height = '321px';
      document.querySelector('[data-widget="entropy"]').append(extra);
    });
    await twoFrames(page);
    assert.ok(Math.abs(await heightOf() - (was + 321)) <= 1, `grew by the child's 321 px: ${was} → ${await heightOf()}`);
    await page.evaluate(() => { document.querySelector('.island-test').style.height = '100px'; });
    await twoFrames(page);
    assert.ok(Math.abs(await heightOf() - (was + 100)) <= 1, `shrank with the child: ${await heightOf()}`);
    await page.evaluate(() => document.querySelector('.island-test').remove());
    await twoFrames(page);
    assert.ok(Math.abs(await heightOf() - was) <= 1, `back to ${was} once it is removed: ${await heightOf()}`);

    // Print lays the page out at another width: there the content sets the height, uncontained.
    await page.emulateMedia({ media: 'print' });
    const printed = await fits(page);
    await page.emulateMedia({ media: 'screen' });
    for (const w of printed) assert.ok(!/strict|size/.test(w.contain) && w.need <= w.height + 0.5, `${w.id} in print: ${JSON.stringify(w)}`);
  }));

  it('the text around the widgets is painted in blocks of its own, with no focus ring clipped', () => withChapter(async ({ page }) => {
    const got = await page.evaluate(() => {
      const blocks = [...document.querySelectorAll('main > section > *')].filter((e) => !e.matches('[data-widget], .embed-bar, details'));
      return {
        count: blocks.length,
        uncontained: blocks.filter((e) => !getComputedStyle(e).contain.includes('paint')).map((e) => `${e.localName}.${e.className}`),
        focusable: blocks.flatMap((e) => [...e.querySelectorAll('a, button, input, select, textarea, summary, [tabindex]')])
          .filter((e) => !e.matches('[data-scroll="x"]')).map((e) => `${e.localName}.${e.className}`),
      };
    });
    assert.ok(got.count > 50, `only ${got.count} text blocks`);
    assert.deepEqual(got.uncontained, [], 'text blocks without paint containment');
    assert.deepEqual(got.focusable, [], 'focusable elements whose focus ring the containment could clip');
    // A formula that scrolls draws its focus ring inside its own box.
    await page.setViewportSize({ width: 320, height: 700 });
    const box = page.locator('[data-scroll="x"]').first();
    await box.waitFor();
    await box.focus();
    assert.ok(await box.evaluate((e) => parseFloat(getComputedStyle(e).outlineOffset) + parseFloat(getComputedStyle(e).outlineWidth) <= 0),
      'the focus ring of a scrolling formula reaches outside its box');
    await page.setViewportSize({ width: 1280, height: 900 });
  }));
});
