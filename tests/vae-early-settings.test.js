// The VAE widget's worker starts (wasm, data, first model) only when the widget comes near the
// screen. A reader who changes its settings before that must get a model built with them, and
// never an internal message ("Cannot read properties of undefined (reading 'trainer_loadDigits')"
// was shown, and stayed, when a 'reset' reached the worker before its 'init').
// Run: node --test tests/vae-early-settings.test.js   (needs `make build`).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chapterHarness, widget } from './lib/chapter.js';
import { screenText } from './lib/page-probes.js';

const { start, stop, withChapter } = chapterHarness();

describe('VAE settings changed before the widget is near the screen', () => {
  before(start);
  after(stop);

  it('are applied when the worker starts, with no error shown', async () => {
    await withChapter(async ({ page }) => {
      await page.waitForFunction(() => window.elboLab?.widgets?.vae?.worker);
      const early = await page.evaluate(() => {
        window.snapshots = [];
        window.elboLab.widgets.vae.worker.addEventListener('message', (e) => {
          if (e.data.type === 'snapshot') window.snapshots.push({ config: e.data.config, dataset: e.data.dataset });
        });
        const root = document.querySelector('[data-widget="vae"]');
        const far = root.getBoundingClientRect().top > 3 * innerHeight;
        const set = (key, value) => {
          const input = root.querySelector(`[data-input="${key}"]`);
          input.value = value;
          input.dispatchEvent(new Event('change', { bubbles: true }));
        };
        set('latent', '3');
        set('dataset', 'moons');
        return { far, training: root.querySelector('[data-action="train"]').disabled };
      });
      assert.ok(early.far, 'the VAE widget is far below the first screen');
      assert.ok(early.training, 'its worker is not ready yet');
      await page.waitForTimeout(300); // a 'reset' sent now used to fail in the worker
      await widget(page, 'vae').evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
      await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 30000 });
      const first = await page.evaluate(() => window.snapshots[0]);
      assert.equal(first.config.latent, 3, 'the first model has the latent size chosen early');
      assert.equal(first.dataset, 'moons', 'and the data set');
      const shown = { alert: await page.evaluate(screenText, '[data-widget="vae"] [data-out="vae-error"]'), text: await page.evaluate(screenText, '[data-widget="vae"]') };
      assert.equal(shown.alert, '', 'no error is shown');
      assert.doesNotMatch(shown.text, /Cannot read properties|is not a function|undefined|went wrong/);
    });
  });

  // Found by tests/random-ui.test.js: "Train the baselines" clicked in the moment after a toy
  // set was picked (before the worker's reply hides the digits-only parts) ran PCA on the toy
  // points and showed "x is −0.475…: it must lie in [0, 1]".
  // Then, on the same page, "New seed" pressed from the keyboard.
  it('a baselines click just after a toy set is picked shows no error; New seed re-seeds the model', async () => {
    await withChapter(async ({ page }) => {
      const vae = widget(page, 'vae');
      await vae.evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
      await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="baselines"]').disabled, null, { timeout: 30000 });
      await page.evaluate(() => {
        window.snapshots = []; // the worker's snapshots: seed and the first held-out codes
        window.elboLab.widgets.vae.worker.addEventListener('message', (e) => {
          if (e.data.type === 'snapshot') window.snapshots.push({ seed: e.data.seed, dataset: e.data.dataset, codes: Array.from(e.data.codes.slice(0, 8)) });
        });
      });
      await vae.evaluate((el) => {
        const input = el.querySelector('[data-input="dataset"]');
        input.value = 'spiral';
        input.dispatchEvent(new Event('change', { bubbles: true }));
        el.querySelector('[data-action="baselines"]').click(); // in the same task: the reply cannot have come
      });
      await page.waitForFunction(() => document.querySelector('[data-widget="vae"] [data-out="vae-recipe"]').textContent !== ''
        && !document.querySelector('[data-widget="vae"] [data-action="train"]').disabled, null, { timeout: 30000 });
      await page.waitForTimeout(1500); // time for a wrong baselines run to fail
      assert.ok(await vae.locator('[data-out="vae-error"]').evaluate((el) => el.hidden), 'no error is shown');

      const old = await page.evaluate(() => window.snapshots.findLast((s) => s.dataset === 'spiral'));
      await vae.locator('[data-action="new-seed"]').focus();
      await page.keyboard.press('Enter');
      const seed = Number(await vae.locator('[data-input="seed"]').inputValue());
      assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 1e9, `the field shows a whole seed in [0, 10⁹): ${seed}`);
      assert.notEqual(seed, old.seed, 'a new one (a repeat has probability 10⁻⁹)');
      await page.waitForFunction((s) => window.snapshots.some((x) => x.seed === s), seed, { timeout: 30000 });
      const fresh = await page.evaluate((s) => window.snapshots.find((x) => x.seed === s), seed);
      assert.equal(fresh.dataset, 'spiral');
      assert.notDeepEqual(fresh.codes, old.codes, 'the model was initialised afresh from the new seed');
      await page.waitForFunction((s) => new URL(location.href).searchParams.get('vae')?.split(';').includes(`seed:${s}`), seed, { timeout: 10000 });
      assert.ok(await vae.locator('[data-out="vae-error"]').evaluate((el) => el.hidden), 'still no error');
    });
  });
});
