// Accessibility of the chapter page: axe-core (no serious or critical violations, in English
// and in Chinese, with every widget mounted and the VAE worker ready), accessible names for
// every control, number-bearing labels on every chart, and a visible focus ring.
// Run: node --test tests/a11y.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chapterHarness } from './lib/chapter.js';
import en from '../www/i18n/en.js';

const { start, stop, withChapter, sharedChapter } = chapterHarness();

// The page's CSP (script-src 'self') blocks an injected <script>; page.evaluate is not subject
// to it, so axe is evaluated as source.
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Scrolls to the VAE section and waits for its worker, so its controls exist and are live. */
async function vaeReady(page) {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.locator('#vae').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const b = document.querySelector('[data-widget="vae"] [data-action="train"]');
    return b && !b.disabled;
  }, null, { timeout: 30000 });
  // The exact posterior of the chosen image is computed once the worker is ready.
  await page.waitForFunction(() => document.querySelector('[data-out="vae-post-logpx"]')?.textContent !== '—', null, { timeout: 30000 });
}

/** axe's serious and critical violations, one line per failing node. */
async function axeProblems(page) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`),
    }))));
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n}`));
}

describe('accessibility', { concurrency: false }, () => {
  before(start);
  after(stop);

  // One page for these (the English axe check has its own): labels before the first epoch, then focus.
  describe('the English chapter', () => {
    const shared = sharedChapter();

    it('every chart canvas has a label with numbers; every control has a name', shared(async ({ page }) => {
      await vaeReady(page);
      // Before the first epoch the loss chart truthfully says there are no numbers yet.
      const report = await page.evaluate((empty) => {
        const where = (el) => `${el.closest('[data-widget]')?.dataset.widget ?? 'page'} ${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`;
        const canvases = [...document.querySelectorAll('canvas')].filter((c) => c.getClientRects().length);
        const unlabelled = canvases.filter((c) => c.getAttribute('role') !== 'img'
          && !c.getAttribute('aria-hidden') && !c.closest('[aria-hidden="true"]')).map(where);
        const noNumbers = canvases.filter((c) => c.getAttribute('role') === 'img')
          .filter((c) => !/\d/.test(c.getAttribute('aria-label') ?? '') && c.getAttribute('aria-label') !== empty).map((c) => `${where(c)}: "${c.getAttribute('aria-label') ?? ''}"`);
        return { count: canvases.length, unlabelled, noNumbers };
      }, en['vae.curvesEmpty']);
      assert.ok(report.count >= 10, `only ${report.count} visible canvases`);
      assert.deepEqual(report.unlabelled, [], 'canvases neither role="img" nor hidden');
      assert.deepEqual(report.noNumbers, [], 'canvases whose label states no number');

      // Accessible names as the browser computes them (the accessibility tree, not a guess).
      const cdp = await page.context().newCDPSession(page);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      await cdp.detach();
      const roles = new Set(['button', 'textbox', 'combobox', 'slider', 'spinbutton', 'checkbox', 'radio', 'tab', 'listbox', 'switch']);
      const controls = nodes.filter((n) => !n.ignored && roles.has(n.role?.value));
      const nameless = controls.filter((n) => !(n.name?.value ?? '').trim()).map((n) => `${n.role.value} #${n.backendDOMNodeId}`);
      assert.ok(controls.length >= 40, `only ${controls.length} controls in the accessibility tree`);
      assert.deepEqual(nameless, [], 'controls without an accessible name');
    }));

    it('keyboard focus is visible on buttons, inputs and bar handles', shared(async ({ page }) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      const targets = ['.lang-switch button', '[data-widget="entropy"] button', '[data-widget="entropy"] input.prob',
        '[data-widget="entropy"] .handle', '[data-widget="kl-discrete"] select, [data-widget="kl-discrete"] button'];
      for (const selector of targets) {
        const el = page.locator(selector).first();
        await el.scrollIntoViewIfNeeded();
        // Focus from the keyboard's point of view: Tab from the element before it.
        await el.evaluate((node) => node.focus({ focusVisible: true }));
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        const style = await page.evaluate(() => {
          const a = document.activeElement;
          const s = getComputedStyle(a);
          return { matches: a.matches(':focus-visible'), width: parseFloat(s.outlineWidth), style: s.outlineStyle, tag: a.tagName };
        });
        assert.ok(style.matches, `${selector}: not :focus-visible after Tab (${style.tag})`);
        assert.ok(style.style !== 'none' && style.width >= 2, `${selector}: no visible outline (${JSON.stringify(style)})`);
      }
    }));
  });

  for (const [name, path] of [['English', ''], ['Chinese', '?lang=zh']]) {
    it(`axe finds no serious or critical violations (${name})`, () => withChapter(async ({ page }) => {
      await vaeReady(page);
      const problems = await axeProblems(page);
      assert.deepEqual(problems, [], `axe violations:\n  ${problems.join('\n  ')}`);
    }, { path }));
  }

  // A screen reader lists and reads the whole chapter, not only what is near the screen: every
  // heading and paragraph, however far down, is in the accessibility tree at first load. (A
  // browser skipping off-screen sections, content-visibility: auto, leaves them out in Chromium.)
  it('every heading and paragraph of the chapter is in the accessibility tree, far ones too', () => withChapter(async ({ page }) => {
    const cdp = await page.context().newCDPSession(page);
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const missing = [];
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: 'main > section > h2, main > section > p:last-of-type' });
    for (const nodeId of nodeIds) {
      const { nodes: [node] } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      if (!node || node.ignored) {
        const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
        missing.push(`${outerHTML.slice(0, 80)}: ${JSON.stringify(node?.ignoredReasons?.map((r) => r.name))}`);
      }
    }
    await cdp.detach();
    assert.ok(nodeIds.length >= 20, `the chapter's headings and paragraphs (${nodeIds.length})`);
    assert.deepEqual(missing, [], 'left out of the accessibility tree');
  }));


});
