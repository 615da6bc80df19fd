// End-to-end tests of chapter 3 in headless Chromium: the step-by-step ELBO derivations
// ([data-widget="derivation"], following the posterior's q), and the posterior with reduced
// motion. Every number the page shows is checked against the JS API run here under Node.
// Run: node --test tests/ch3-derivation.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chapterHarness, widget } from './lib/chapter.js';
import {
  sleep, until, outputs, postState, apiLab, assertPostMatchesApi, derivLines, LENGTHS, assertDerivMatchesApi,
} from './lib/chapter3.js';

const { start, stop, sharedChapter, withChapter } = chapterHarness();

/**
 * In the page: the derivation widget's sizes and its lines' state: the widget's box height, its
 * island height (lib/island.js), and per line (every li.step) whether it is reached (data-step),
 * whether its content is visible (computed visibility of its children), aria-hidden, inert, its height, and its innerText (what find-in-page
 * and copying see).
 */
function stepState(page) {
  return page.evaluate(async () => {
    // What "Save numbers as CSV" writes: the page's own module, the rows named by step.
    const { readoutRows } = await import('/lib/export.js');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const root = document.querySelector('[data-widget="derivation"]');
    const box = root.querySelector('.derivation-widget');
    return {
      csv: readoutRows(root).filter(([name]) => /^step \d+$/.test(name)).map(([name]) => Number(name.slice(5))),
      height: box.getBoundingClientRect().height,
      island: root.style.getPropertyValue('--island-height'),
      progress: root.querySelector('[data-out="deriv-progress"]').textContent,
      lines: [...root.querySelectorAll('li.step')].map((li) => ({
        reached: li.dataset.step !== undefined,
        visibility: [...new Set([...li.children].map((c) => getComputedStyle(c).visibility))].join(),
        ariaHidden: li.getAttribute('aria-hidden'),
        inert: li.inert,
        height: li.getBoundingClientRect().height,
        typeset: !!li.querySelector('.step-tex .katex'),
        // innerText leaves out text with visibility: hidden, as find-in-page and copying do.
        text: li.innerText.trim(),
        values: [...li.querySelectorAll('output[data-label]')].map((o) => o.textContent),
      })),
    };
  });
}

/**
 * assertDerivMatchesApi once the derivation has caught up with q: off screen it follows q when
 * q has held still for 150 ms (derivation.js), so a change made at the posterior shows within
 * that, and the values must then match (a 2 s wait, not a speed check).
 */
async function caughtUp(page, which) {
  const end = Date.now() + 2000;
  for (;;) {
    try {
      return await assertDerivMatchesApi(page, which);
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(50);
    }
  }
}

/** Asserts that lines 0…reached−1 are shown and the rest laid out but hidden from everyone. */
function assertRevealed(state, reached, what) {
  state.lines.forEach((l, i) => {
    const shown = i < reached;
    assert.equal(l.reached, shown, `${what}: line ${i} reached`);
    assert.equal(l.visibility, shown ? 'visible' : 'hidden', `${what}: line ${i} visibility`);
    assert.equal(l.ariaHidden, shown ? null : 'true', `${what}: line ${i} aria-hidden`);
    assert.equal(l.inert, !shown, `${what}: line ${i} inert`);
    assert.equal(l.text.length > 0, shown, `${what}: line ${i} in the widget's text ("${l.text.slice(0, 40)}")`);
    assert.ok(l.typeset && l.height > 0, `${what}: line ${i} typeset and laid out (${l.height} px)`);
    assert.ok(l.values.every((v) => /\d/.test(v)), `${what}: line ${i} has its values (${l.values})`);
  });
  // The CSV export has a row per value of each reached line, none of the others.
  const expected = state.lines.flatMap((l, i) => (i < reached ? l.values.map(() => i + 1) : []));
  assert.deepEqual(state.csv, expected, `${what}: the CSV's step rows`);
}

/** Steps the derivation `which` (a fresh tab at step 1) to its end and back, asserting no size changes. */
async function assertStepsKeepSize(page, which, n, progress) {
  const w = widget(page, 'derivation');
  await w.locator(`[data-deriv="${which}"]`).click();
  const first = await stepState(page);
  assert.equal(first.lines.length, n, `${which}: every line is in the list`);
  assertRevealed(first, 1, `${which} step 1`);
  assert.equal((await derivLines(page)).length, 1);
  // The roles a screen reader is given: the reached lines only.
  assert.equal(await w.getByRole('listitem').count(), 1, `${which}: one list item exposed`);
  for (let i = 2; i <= n; i += 1) {
    await w.locator('[data-action="next"]').click();
    const now = await stepState(page);
    assertRevealed(now, i, `${which} step ${i}`);
    assert.equal(now.progress, progress(i, n));
    assert.equal(now.height, first.height, `${which} step ${i}: the widget keeps its height`);
    assert.equal(now.island, first.island, `${which} step ${i}: the island keeps its height`);
    assert.deepEqual(now.lines.map((l) => l.height), first.lines.map((l) => l.height), `${which} step ${i}: every line keeps its height`);
    assert.equal(await w.getByRole('listitem').count(), i, `${which} step ${i}: list items exposed`);
  }
  for (let i = n - 1; i >= 1; i -= 1) {
    await w.locator('[data-action="prev"]').click();
    const now = await stepState(page);
    assertRevealed(now, i, `${which} back to step ${i}`);
    assert.equal(now.height, first.height, `${which} back to step ${i}: the widget keeps its height`);
  }
}

describe('chapter 3 page: the derivations, and reduced motion', () => {
  before(start);
  after(stop);
  // The derivation's steps from its opening state, then following the posterior's q from its
  // opening m.
  describe('derivation widget', () => {
    const shared = sharedChapter();

    it('Next/Previous and ArrowRight/ArrowLeft reveal the steps; "=" lines agree; the "≥" gap is the KL', shared(async ({ page }) => {
      const w = widget(page, 'derivation');
      const next = w.locator('[data-action="next"]');
      const prev = w.locator('[data-action="prev"]');
      const progress = w.locator('[data-out="deriv-progress"]');
      assert.equal(await w.locator('[data-deriv="evidence"]').getAttribute('aria-selected'), 'true');
      assert.equal(await progress.textContent(), 'Step 1 of 4');
      assert.ok(await prev.isDisabled());
      for (let i = 1; i <= 4; i += 1) {
        const lines = (await assertDerivMatchesApi(page, 'evidence')).lines;
        assert.equal(lines.length, i);
        assert.deepEqual(lines.map((l) => l.current), lines.map((_, j) => j === i - 1));
        assert.deepEqual(await w.locator('li[data-step]').evaluateAll((els) => els.map((li) => !!li.querySelector('.step-tex .katex'))),
          Array(i).fill(true), 'each line typeset');
        if (i < 4) await next.click();
      }
      assert.ok(await next.isDisabled());
      await prev.click();
      assert.equal((await derivLines(page)).length, 3);
      assert.equal(await progress.textContent(), 'Step 3 of 4');

      // Keyboard, with the widget focused.
      await w.locator('.derivation-widget').focus();
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      assert.equal((await derivLines(page)).length, 1);
      await page.keyboard.press('ArrowLeft');
      assert.equal((await derivLines(page)).length, 1, 'stops at the first step');
      for (let i = 2; i <= 4; i += 1) {
        await page.keyboard.press('ArrowRight');
        assert.equal((await derivLines(page)).length, i);
        assert.equal(await progress.textContent(), `Step ${i} of 4`);
      }
      await page.keyboard.press('ArrowRight');
      assert.equal((await derivLines(page)).length, 4, 'stops at the last step');
      await assertDerivMatchesApi(page, 'evidence');

      // Back to the first step, for the next test on this page.
      for (let i = 0; i < 3; i += 1) await page.keyboard.press('ArrowLeft');
      assert.equal(await progress.textContent(), 'Step 1 of 4');
    }));

    it('a step changes no size: every line is laid out from the start, the unreached ones hidden from sight, screen readers, keys and find', shared(async ({ page }) => {
      await assertStepsKeepSize(page, 'jensen', LENGTHS.jensen, (i, n) => `Step ${i} of ${n}`);
      await assertStepsKeepSize(page, 'evidence', LENGTHS.evidence, (i, n) => `Step ${i} of ${n}`);
      // Keyboard: ArrowRight reveals the next line in place, ArrowLeft hides it again.
      await widget(page, 'derivation').locator('.derivation-widget').focus();
      await page.keyboard.press('ArrowRight');
      assertRevealed(await stepState(page), 2, 'ArrowRight');
      await page.keyboard.press('ArrowLeft');
      assertRevealed(await stepState(page), 1, 'ArrowLeft');
      await assertDerivMatchesApi(page, 'evidence');
    }));

    it('follows q: moving m in the posterior widget changes every value to the new API values', shared(async ({ page }) => {
      const d = widget(page, 'derivation');
      const p = widget(page, 'posterior');
      for (let i = 0; i < 3; i += 1) await d.locator('[data-action="next"]').click();
      const before = await assertDerivMatchesApi(page, 'evidence');
      const m = p.locator('input[data-input="m"]');
      await m.focus();
      for (let i = 0; i < 30; i += 1) await page.keyboard.press('ArrowRight');
      const after = await caughtUp(page, 'evidence');
      assert.ok(Math.abs(after.st.m - 0.3) < 1e-9, `m = ${after.st.m}`);
      after.lines.forEach((l, i) => l.values.forEach(([label, x], j) => {
        if (label !== 'deriv.logEvidence') assert.notEqual(x, before.lines[i].values[j][1], `line ${i} ${label} changed`);
      }));
      assert.ok((await d.locator('[data-out="deriv-example"]').textContent()).includes('m = 0.300'));

      // Other models, after Step and on the VAE tab too.
      await p.locator('button[data-model="bimodal"]').click();
      await p.locator('[data-action="step"]').click();
      await caughtUp(page, 'evidence');
      await p.locator('button[data-model="logistic"]').click();
      await p.locator('input[data-input="s"]').fill('0.4');
      await d.locator('[data-deriv="vae"]').click();
      for (let i = 0; i < 6; i += 1) await d.locator('[data-action="next"]').click();
      const vae = await assertDerivMatchesApi(page, 'vae');
      assert.equal(vae.st.model, 'logistic');
      assert.equal(vae.st.s, 0.4);
    }));

    it('off screen while Adam plays, the posterior waits; Pause shows the q it stopped at', shared(async ({ page }) => {
      const readouts = () => outputs(page, 'posterior');
      await page.evaluate(() => document.querySelector('[data-widget="derivation"]').scrollIntoView({ block: 'start', behavior: 'instant' }));
      await sleep(300); // the posterior's visibility report
      const before = await readouts();
      await page.evaluate(() => window.elboLab.widgets.posterior.play());
      const moved = await until(async () => ((await postState(page)).steps > 20 ? true : null), 5000);
      assert.ok(moved, 'Adam runs off screen');
      assert.deepEqual(await readouts(), before, 'the readouts wait while it plays off screen');
      await page.evaluate(() => window.elboLab.widgets.posterior.pause());
      const after = await assertPostMatchesApi(page);
      assert.notEqual(after.shown['post-m'], before['post-m'], 'paused: the readouts show the new q');
      await widget(page, 'posterior').locator('[data-action="reset"]').click();
    }));
  });

  it('in Chinese too, a step keeps every size and hides the lines not reached', () => withChapter(async ({ page }) => {
    await widget(page, 'derivation').scrollIntoViewIfNeeded();
    await assertStepsKeepSize(page, 'vae', LENGTHS.vae, (i, n) => `第 ${i} 步，共 ${n} 步`);
  }, { path: '?lang=zh' }));

  // With reduced motion asked for: the posterior's Play, and the derivation's tabs.
  describe('reduced motion; the derivation\'s tabs', () => {
    const shared = sharedChapter({ reducedMotion: 'reduce' });

    it('reduced motion: Play does not animate, Step still works', shared(async ({ page }) => {
      const w = widget(page, 'posterior');
      assert.ok(await page.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches));
      const start = await postState(page);
      await w.locator('[data-action="play"]').click();
      await sleep(300);
      const after = await postState(page);
      assert.deepEqual([after.m, after.s, after.steps, after.playing], [start.m, start.s, 0, false], 'nothing animates');
      assert.equal(await w.locator('[data-action="play"]').getAttribute('aria-pressed'), 'false');
      assert.match(await w.locator('[data-out="post-status"]').textContent(), /Reduced motion is on/);

      const api = apiLab(start);
      try {
        api.startOptimiser(start.m, start.s, start.lr);
        await w.locator('[data-action="step"]').click();
        const stepped = await postState(page);
        const [m, s] = api.step(start.mode, start.k, start.seed);
        assert.equal(stepped.steps, 1);
        assert.ok(Math.abs(stepped.m - m) <= 1e-9 && Math.abs(stepped.s - s) <= 1e-9, `(${stepped.m}, ${stepped.s}) vs (${m}, ${s})`);
      } finally {
        api.free();
      }
      assert.match(await w.locator('[data-out="post-status"]').textContent(), /\(1 steps so far\)/);
      await assertPostMatchesApi(page);
    }));

    it('switching tabs works; the VAE derivation’s lines agree with each other and the API', shared(async ({ page }) => {
      const w = widget(page, 'derivation');
      await w.locator('[data-action="next"]').click();
      await w.locator('[data-deriv="vae"]').click();
      assert.equal(await w.locator('[data-deriv="vae"]').getAttribute('aria-selected'), 'true');
      assert.equal(await w.locator('[data-deriv="evidence"]').getAttribute('aria-selected'), 'false');
      assert.equal(await w.locator('[data-out="deriv-progress"]').textContent(), `Step 1 of ${LENGTHS.vae}`);
      await w.locator('.derivation-widget').focus();
      for (let i = 1; i <= LENGTHS.vae; i += 1) {
        assert.equal((await assertDerivMatchesApi(page, 'vae')).lines.length, i);
        if (i < LENGTHS.vae) await page.keyboard.press('ArrowRight');
      }
      await w.locator('[data-deriv="evidence"]').click();
      assert.equal(await w.locator('[data-out="deriv-progress"]').textContent(), 'Step 2 of 4', 'each tab keeps its step');
      assert.equal((await assertDerivMatchesApi(page, 'evidence')).lines.length, 2);
      await w.locator('[data-deriv="vae"]').click();
      assert.equal((await derivLines(page)).length, LENGTHS.vae);
      // The third derivation, by Jensen's inequality.
      await w.locator('[data-deriv="jensen"]').click();
      assert.equal(await w.locator('[data-deriv="jensen"]').getAttribute('aria-selected'), 'true');
      await w.locator('.derivation-widget').focus();
      for (let i = 1; i <= LENGTHS.jensen; i += 1) {
        assert.equal((await assertDerivMatchesApi(page, 'jensen')).lines.length, i);
        if (i < LENGTHS.jensen) await page.keyboard.press('ArrowRight');
      }
      assert.equal(await w.locator('[data-out="deriv-progress"]').textContent(), `Step 4 of ${LENGTHS.jensen}`);
    }));
  });
});
