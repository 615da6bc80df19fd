// Lessons, the projector and printing: the lesson format (link and JSON file) parsed strictly
// with coded errors, its strings in both languages; then in Chromium, on one chapter page at
// 1920×1080: build a lesson from three widgets (add, caption with Markdown and TeX, exercise
// id, reorder by button and by Alt+↑), take it as a link and as a JSON file, load a bad file
// and a good one back, present it (keys step through, the widget shows the JS API's numbers,
// thick chart lines, type ≥ 24 px), Esc; one widget in the projector at 1024×768; then the
// link reloaded reproduces the lesson, and the page printed: controls hidden, canvases shown,
// and the PDF holds the figures as images.
// Run: node --test tests/lesson.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import en from '../www/i18n/lesson-en.js';
import zh from '../www/i18n/lesson-zh.js';
import { LIMITS, LessonError, fileText, parseFile, parseParam, toParam } from '../www/lib/lesson.js';
import { canvasStats, chapterHarness, fmt } from './lib/chapter.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const lessonOf = (steps, title = 'T') => ({ title, steps });
const file = (data) => JSON.stringify({ format: 'elbo-lab-lesson', version: 1, ...data });
/** The code of the LessonError `fn` throws. */
const codeOf = (fn) => {
  try { fn(); } catch (err) { assert.ok(err instanceof LessonError, String(err)); return err.code; }
  return null;
};

describe('the lesson format', () => {
  it('lesson strings: en and zh have the same keys and placeholders', () => {
    assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
    for (const k of Object.keys(en)) assert.deepEqual(placeholders(zh[k]), placeholders(en[k]), k);
  });

  it('a lesson survives the link and the file, Unicode and TeX included', () => {
    const lesson = lessonOf([
      { widget: 'entropy', state: 'p:0.5~0.25~0.25', caption: '**熵** $H(p) = -\\sum p \\log p$\n\n- one', exercise: 'h-max' },
      { widget: 'vae', state: '', caption: '' },
    ], 'Leçon 1');
    assert.deepEqual(parseParam(toParam(lesson)), lesson);
    assert.deepEqual(parseFile(fileText(lesson)), lesson);
    assert.match(toParam(lesson), /^1\.[A-Za-z0-9_-]+$/, 'versioned and URL-safe');
  });

  it('refuses a bad file or link with a code that has a message in both languages', () => {
    const step = { widget: 'entropy', state: '', caption: '' };
    const cases = {
      notJson: () => parseFile('{"format": '),
      notLesson: () => parseFile('{"steps": []}'),
      version: () => parseFile(file({ version: 2, steps: [step] })),
      unknownKey: () => parseFile(file({ steps: [{ ...step, script: 'x' }] })),
      title: () => parseFile(file({ title: 'x'.repeat(LIMITS.title + 1), steps: [step] })),
      noSteps: () => parseFile(file({ steps: [] })),
      tooManySteps: () => parseFile(file({ steps: Array(LIMITS.steps + 1).fill(step) })),
      step: () => parseFile(file({ steps: [42] })),
      widget: () => parseFile(file({ steps: [{ ...step, widget: '__proto__' }] })),
      state: () => parseFile(file({ steps: [{ ...step, state: 'x'.repeat(2001) }] })),
      caption: () => parseFile(file({ steps: [{ ...step, caption: 'x'.repeat(LIMITS.caption + 1) }] })),
      exercise: () => parseFile(file({ steps: [{ ...step, exercise: '../x' }] })),
      tooLarge: () => parseFile(' '.repeat(LIMITS.fileBytes + 1)),
      link: () => parseParam('1.%%%'),
    };
    for (const [code, fn] of Object.entries(cases)) {
      assert.equal(codeOf(fn), code, code);
      assert.ok(en[`lesson.err.${code}`] && zh[`lesson.err.${code}`], `a message for ${code}`);
    }
    assert.equal(codeOf(() => parseParam('2.e30')), 'link', 'another version prefix');
    assert.equal(codeOf(() => parseParam(`1.${Buffer.from('{"a":').toString('base64url')}`)), 'link', 'cut short');
    assert.equal(codeOf(() => parseParam(`1.${Buffer.from([0xff, 0xfe]).toString('base64url')}`)), 'link', 'not UTF-8');
    assert.equal(codeOf(() => parseParam('x'.repeat(LIMITS.link + 1))), 'tooLarge');
  });
});

describe('lessons, the projector and printing in Chromium', () => {
  const { start, stop, withChapter, server } = chapterHarness();
  before(start);
  after(stop);

  it('builds, shares, reloads, presents and prints a lesson', () => withChapter(async ({ page }) => {
    const panel = page.locator('[data-lesson-panel]');
    const add = (id) => page.locator(`[data-embed-for="${id}"] [data-action="lesson-add"]`).click();
    const current = () => page.evaluate(async () => (await import('./lib/lesson-ui.js')).current());

    // Build: three widgets, in their current state.
    await add('entropy');
    await panel.waitFor();
    await add('kl-discrete');
    await add('information');
    const caption = page.locator('[data-lesson-caption="0"]');
    await caption.fill('**Entropy** of $p$, in *bits*:\n\n- `H(p)` is at most $\\log_2 n$\n- equal when uniform');
    const preview = await page.locator('[data-step="0"] .lesson-preview').evaluate((el) => ({
      strong: el.querySelectorAll('strong').length, em: el.querySelectorAll('em').length, code: el.querySelectorAll('code').length,
      items: el.querySelectorAll('ul > li').length, maths: el.querySelectorAll('.katex').length, script: el.querySelectorAll('script').length,
    }));
    assert.deepEqual(preview, { strong: 1, em: 1, code: 1, items: 2, maths: 2, script: 0 }, 'the caption renders its Markdown and TeX');
    await page.locator('[data-lesson-caption="1"]').fill('<img src=x onerror=alert(1)> stays text');
    assert.equal(await page.locator('[data-step="1"] .lesson-preview img').count(), 0, 'no HTML from a caption');
    await page.locator('[data-lesson-exercise="1"]').fill('kl-asymmetry');
    await page.locator('[data-lesson-exercise="1"]').press('Tab');
    // Reorder: step 1 down by its button, then the last step up by Alt+↑ in its caption.
    await page.locator('[data-step="0"] [data-action="lesson-down"]').click();
    await page.locator('[data-lesson-caption="2"]').focus();
    await page.keyboard.press('Alt+ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.lessonCaption), '1', 'focus follows the moved step');
    await page.locator('[data-lesson-title]').fill('Entropy and KL');
    let lesson = await current();
    assert.deepEqual(lesson.steps.map((s) => s.widget), ['kl-discrete', 'information', 'entropy']);
    assert.equal(lesson.steps[0].exercise, 'kl-asymmetry');
    assert.match(lesson.steps[2].state, /^p:/, 'the entropy step carries its distribution');
    const p = (await page.evaluate(() => window.elboLab.widgets.entropy.state().p));

    // As a link, and as a JSON file that loads back; a bad file is refused with its message.
    await page.locator('[data-action="lesson-link"]').click();
    const link = await page.locator('[data-lesson-link]').inputValue();
    assert.match(link, /\?lesson=1\.[A-Za-z0-9_-]+$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="lesson-download"]').click()]);
    const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(json.format, 'elbo-lab-lesson');
    assert.deepEqual(json.steps, lesson.steps);
    const input = page.locator('[data-lesson-file]');
    await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(file({ steps: [{ widget: 'nope' }] })) });
    const status = page.locator('[data-lesson-status]');
    await page.waitForFunction(() => document.querySelector('[data-lesson-status]').classList.contains('error'));
    assert.match(await status.textContent(), /names the widget "nope", which does not exist/);
    assert.deepEqual(await current(), lesson, 'a bad file leaves the lesson as it was');
    json.title = 'Reloaded';
    await input.setInputFiles({ name: 'lesson.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    await page.waitForFunction(() => !document.querySelector('[data-lesson-status]').classList.contains('error'));
    lesson = await current();
    assert.equal(lesson.title, 'Reloaded');

    // Present: the keys step through, Esc leaves.
    await page.locator('[data-action="lesson-present"]').click();
    const projector = page.locator('.projector');
    const shown = (i) => page.waitForFunction((i) => document.querySelector('.projector')?.dataset.shown === String(i)
      && document.querySelector('.projector [data-projected] canvas, .projector [data-projected] output'), i);
    await shown(0);
    const exercise = await page.locator('.projector [data-exercise-link]').getAttribute('href');
    assert.equal(exercise, '?ex=kl-asymmetry');
    await page.keyboard.press('PageDown');
    await shown(1);
    await page.keyboard.press('ArrowRight');
    await shown(2);
    // The entropy step shows the JS API's numbers for the state it was added in.
    await page.waitForFunction(() => document.querySelector('.projector [data-out="entropy-bits"]')?.textContent);
    const bits = await page.evaluate(async (p) => (await import('./pkg/elbo_lab.js')).entropy(p, 2), p);
    assert.equal(await page.locator('.projector [data-out="entropy-bits"]').textContent(), `${fmt(bits)} bits`);
    const look = await page.evaluate(async () => {
      const lab = await import('./pkg/elbo_lab.js');
      const sizes = [...document.querySelectorAll('.projector p, .projector li, .projector [data-projected] label, .projector [data-projected] td')]
        .map((el) => parseFloat(getComputedStyle(el).fontSize));
      return { smallest: Math.min(...sizes), count: sizes.length, lines: lab.setChartLineScale(NaN), inert: document.getElementById('chapter').closest('[inert]') !== null };
    });
    assert.ok(look.count > 5 && look.smallest >= 24, `type at 1920×1080: smallest ${look.smallest} px`);
    assert.equal(look.lines, 1.5, 'charts in the projector are drawn with thick lines and large markers');
    assert.ok(look.inert, 'the chapter behind is inert');
    const charts = await canvasStats(page, '.projector canvas');
    assert.ok(charts.length >= 2 && charts.every((c) => c.ink > 0), 'the step\'s charts are drawn');
    await page.keyboard.press('PageUp');
    await shown(1);
    await page.keyboard.press('ArrowLeft');
    await shown(0);
    await page.keyboard.press('Escape');
    await projector.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('projecting')), false);

    // The link reloads the lesson, here on a 1024×768 screen (resized before the page loads:
    // no relayout of the whole chapter), where the projector is still legible.
    await page.goto('about:blank');
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(link.replace(/^https?:\/\/[^/]+\//, server().url));
    await page.waitForSelector('html[data-ready="true"]');
    await panel.waitFor();
    const fromLink = await current();
    assert.deepEqual(fromLink, { ...lesson, title: 'Entropy and KL' }, 'the link reproduces the lesson as it was when copied');
    assert.match(await status.textContent(), /carries a lesson of 3 steps/);
    await page.locator('[data-embed-for="information"] [data-action="project"]').click();
    await shown(0);
    const small = await page.evaluate(() => [...document.querySelectorAll('.projector p, .projector [data-projected] label, .projector [data-projected] td')]
      .map((el) => parseFloat(getComputedStyle(el).fontSize)));
    assert.ok(small.length > 3 && Math.min(...small) >= 18, `type at 1024×768: ${Math.min(...small)} px`);
    await page.keyboard.press('Escape');
    await projector.waitFor({ state: 'detached' });
    const lines = await page.evaluate(async () => {
      // A chapter chart redrawn after the projector: thin lines again.
      document.querySelector('[data-widget="information"] input[type="range"]').dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return (await import('./pkg/elbo_lab.js')).setChartLineScale(NaN);
    });
    assert.equal(lines, 1, 'charts of the chapter are drawn with the page’s lines');

    // Print: the controls hidden, the figures shown; the PDF holds them as images.
    const seen = () => page.evaluate(() => {
      const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      return {
        controls: [...document.querySelectorAll('button, input[type="range"], select, .embed-bar, .lesson-panel')].filter(visible).length,
        canvases: [...document.querySelectorAll('#chapter canvas')].filter((c) => visible(c) && c.width > 1 && c.height > 1).length,
      };
    });
    const screen = await seen();
    await page.emulateMedia({ media: 'print' });
    const print = await seen();
    assert.equal(print.controls, 0, 'no controls in print');
    assert.ok(screen.canvases >= 20 && print.canvases === screen.canvases, `canvases printed: ${print.canvases} of the ${screen.canvases} on screen`);
    await page.emulateMedia({ media: 'screen' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const images = (pdf.toString('latin1').match(/\/Subtype\s*\/Image/g) ?? []).length;
    assert.ok(images >= 20, `the PDF holds the figures: ${images} images, ${pdf.length} bytes`);
  }, { viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce', acceptDownloads: true }));
});
