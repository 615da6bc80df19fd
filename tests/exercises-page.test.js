// The exercises in the chapter, on a phone-sized screen: an ex= link opens one exercise with its
// widget set up; exercises of each kind answered through the panels (feedback naming the
// misconception, hint, worked explanation); progress kept over a reload and cleared by the reset;
// an unknown ex= is ignored with a notice; no console error. Two chapter loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import lab from './lib/wasm.js';
import { chapterHarness } from './lib/chapter.js';
import { BY_ID } from '../www/exercises/table.js';
import { STRINGS } from '../www/exercises/strings.js';
import { correctChoice } from '../www/exercises/grade.js';

const harness = chapterHarness();
before(harness.start);
after(harness.stop);

const en = STRINGS.en;
const ex = (page, id) => page.locator(`[data-exercise="${id}"]`);
const feedback = async (page, id) => (await ex(page, id).locator('.ex-feedback').textContent()).trim();
const exercisesReady = (page) => page.waitForSelector('html[data-exercises="ready"]', { timeout: 20000 });

test('exercises: ex= links, the three kinds, hint and explanation, progress over a new load, reset', async () => {
  await harness.withChapter(async ({ page }) => {
    await exercisesReady(page);
    // The link opened kl-target: its block is open, it has focus, and the KL widget is in its starting state.
    const target = BY_ID.get('kl-target');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.exercise), 'kl-target');
    assert.equal(await page.locator('[data-exercises="kl"]').evaluate((d) => d.open), true);
    const klState = await page.evaluate(() => window.elboLab.widgets['kl-discrete'].state());
    assert.deepEqual(klState.p.map((x) => +x.toFixed(4)), [0.3, 0.4, 0.2, 0.1], target.start);

    // Target: not yet at the start; solved once the widget's p and q are the solution's.
    await ex(page, 'kl-target').locator('[data-action="check-widget"]').click();
    assert.match(await feedback(page, 'kl-target'), new RegExp(`^${en.targetNotYet.slice(0, 8)}`));
    assert.equal(await ex(page, 'kl-target').locator('[data-part="explain"]').isHidden(), true);
    await ex(page, 'kl-target').locator('[data-action="explain"]').click();
    assert.equal(await ex(page, 'kl-target').locator('[data-part="explain"]').isVisible(), true, 'explanation after an attempt');
    await page.evaluate(() => window.elboLab.widgets['kl-discrete'].store.set({
      p: [0.15, 0.2833, 0.2833, 0.2834], q: [0.0001, 0.3333, 0.3333, 0.3333], labels: ['1', '2', '3', '4'],
    }));
    await ex(page, 'kl-target').locator('[data-action="check-widget"]').click();
    const solved = await feedback(page, 'kl-target');
    assert.ok(solved.startsWith(en.targetDone), solved);
    const pq = lab.klDivergence([0.15, 0.2833, 0.2833, 0.2834], [0.0001, 0.3333, 0.3333, 0.3333], 2);
    assert.ok(solved.includes(`KL(p ‖ q) = ${pq.toFixed(3)} bits`), `${solved} shows KL(p‖q) = ${pq}`);
    // Checked once, the task follows the widget: a preset pair makes it unsolved again.
    await page.locator('[data-widget="kl-discrete"] [data-pair="shifted"]').click();
    await page.waitForFunction(() => document.querySelector('[data-exercise="kl-target"] .ex-feedback').dataset.verdict === 'wrong');
    assert.equal(await page.evaluate(() => window.elboLab.exercises.progress()['kl-target']), 'solved', 'a task once solved stays solved');

    // Predict: nothing chosen; a wrong choice names the misconception; then the core's answer.
    await page.locator('[data-exercises="entropy"] > summary').click();
    const outcomes = ex(page, 'entropy-outcomes');
    await outcomes.locator('[data-action="commit"]').click();
    assert.equal(await feedback(page, 'entropy-outcomes'), en.pickFirst);
    await outcomes.locator('[data-choice="1"]').check();
    await outcomes.locator('[data-action="commit"]').click();
    const wrong = await feedback(page, 'entropy-outcomes');
    assert.ok(wrong.includes(BY_ID.get('entropy-outcomes').choices[1].why.en), wrong);
    assert.equal(await outcomes.locator('[data-choice="0"]').isDisabled(), true, 'committed: no second choice');
    assert.equal(await outcomes.locator('[data-part="explain"]').isVisible(), true);
    await page.locator('[data-exercises="huffman"] > summary').click();
    const dyadic = ex(page, 'huffman-dyadic');
    // By keyboard: Space picks the focused choice, Tab reaches Commit, Enter commits; the verdict takes the focus.
    await dyadic.locator(`[data-choice="${correctChoice(BY_ID.get('huffman-dyadic'), lab)}"]`).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'commit');
    await page.keyboard.press('Enter');
    assert.equal(await feedback(page, 'huffman-dyadic'), en.correct);
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains('ex-feedback')), true);

    // Numeric: not a number; a named mistake (nats for bits); the hint; the right answer.
    const numeric = ex(page, 'entropy-dyadic');
    const input = numeric.locator('input[data-answer]');
    await input.fill('1.75 bits');
    await input.press('Enter');
    assert.equal(await feedback(page, 'entropy-dyadic'), en.badNumber);
    await input.fill(lab.entropy([0.5, 0.25, 0.125, 0.125]).toFixed(3));
    await numeric.locator('[data-action="check"]').click();
    assert.ok((await feedback(page, 'entropy-dyadic')).includes(BY_ID.get('entropy-dyadic').wrong[0].why.en));
    await numeric.locator('.ex-hint > summary').click();
    assert.equal(await numeric.locator('.ex-hint p').isVisible(), true);
    await input.fill('1,75');
    await numeric.locator('[data-action="check"]').click();
    assert.ok((await feedback(page, 'entropy-dyadic')).startsWith('Correct: the answer is 1.7500 bits'));

    // Set up: a shared store (Huffman: the entropy widget's p) and a remounted widget (information).
    await dyadic.locator('[data-action="setup"]').click();
    await ex(page, 'huffman-length').locator('[data-action="setup"]').click();
    await page.waitForFunction(() => Math.abs(window.elboLab.widgets.huffman.state().p[3] - 0.1) < 1e-9);
    await page.locator('[data-exercises="information"] > summary').click();
    await ex(page, 'info-add').locator('[data-action="setup"]').click();
    await page.waitForFunction(() => window.elboLab.widgets.information.state().p2 === 0.25);
    assert.equal(await page.locator('[data-widget="information"] canvas').count() > 0, true, 'the information widget is drawn again');
    // Nothing overflows a phone's width.
    const wide = await page.evaluate(() => [...document.querySelectorAll('.exercise')].filter((a) => a.offsetParent && a.scrollWidth > a.clientWidth + 1).map((a) => a.dataset.exercise));
    assert.deepEqual(wide, []);

    // Progress survives a new load (here by a link naming no exercise: ignored, with a notice); the reset clears it.
    const expected = { 'kl-target': 'solved', 'entropy-outcomes': 'tried', 'huffman-dyadic': 'solved', 'entropy-dyadic': 'solved' };
    assert.deepEqual(await page.evaluate(() => window.elboLab.exercises.progress()), expected);
    await page.goto(new URL('?ex=no-such-exercise', page.url()).href);
    await exercisesReady(page);
    assert.equal(await page.locator('[data-url-notice="ex"]').textContent(), en.unknown);
    assert.equal(await page.locator('details.exercises[open]').count(), 0, 'no exercise opened');
    assert.deepEqual(await page.evaluate(() => window.elboLab.exercises.progress()), expected);
    assert.equal((await ex(page, 'kl-target').locator('[data-out="ex-status"]').textContent()), en['status.solved']);
    assert.match(await page.locator('[data-out="ex-progress"]').textContent(), /^Exercises solved: 3 of \d+$/);
    await page.locator('[data-action="reset-exercises"]').click();
    assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('elbo-lab.exercises'))), {});
    assert.equal((await ex(page, 'kl-target').locator('[data-out="ex-status"]').textContent()), '');
  }, { path: '?ex=kl-target', viewport: { width: 375, height: 800 } });
});
