// End-to-end tests of chapter 2 in headless Chromium: the mode-covering / mode-seeking fit
// ([data-widget="kl-fit"]). Every number the page shows is checked against the JS API run here
// under Node.
// Run: node --test tests/kl-fit.test.js   (needs `make build` for www/pkg and www/vendor).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import lab from './lib/wasm.js';
import { RESULTS, boxInView, canvasStats, chapterHarness, fmt, screenshot, sum, widget } from './lib/chapter.js';
import {
  fitOut, fitState, modelOf, assertFitReadouts, setSlider, makeBimodal, waitConverged, densityRect, landscapeRect,
} from './lib/chapter2.js';
import { screenText } from './lib/page-probes.js';

const { start, stop, withChapter } = chapterHarness();

describe('chapter 2 page: the mode-covering and mode-seeking fit', () => {
  before(start);
  after(stop);
  describe('kl-fit widget', () => {
    it('draws the densities and both heat maps; readouts match the API; screenshot', () => withChapter(async ({ page }) => {
      const state = await assertFitReadouts(page);
      assert.deepEqual(state.q, { mu: 0, sigma: 1.5 });
      assert.equal(await fitOut(page, 'status'), 'Press a fit button to watch gradient descent.');
      const m = modelOf(state);
      const f = m.fitForward();
      const r = m.fitReverse();
      m.free();
      assert.equal(await fitOut(page, 'forwardOpt'), `μ = ${fmt(f[0], 2)}, σ = ${fmt(f[1], 2)} (KL ${fmt(f[2])})`);
      assert.equal(await fitOut(page, 'reverseOpt'), Array.from({ length: r.length / 3 }, (_, i) =>
        `μ = ${fmt(r[3 * i], 2)}, σ = ${fmt(r[3 * i + 1], 2)} (KL ${fmt(r[3 * i + 2])})`).join('; '));

      const w = widget(page, 'kl-fit');
      await w.scrollIntoViewIfNeeded();
      const [density] = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-tall');
      assert.ok(density.ink > density.pixels * 0.02, `density chart drawn (${density.ink} px)`);
      const frames = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-map:not(.overlay)');
      const overlays = await canvasStats(page, '[data-widget="kl-fit"] canvas.overlay');
      assert.equal(frames.length, 2);
      assert.deepEqual(await w.locator('canvas.overlay').evaluateAll((els) => els.map((e) => e.dataset.map)), ['forward', 'reverse']);
      for (const [i, c] of frames.entries()) {
        assert.ok(c.ink > c.pixels * 0.3, `heat map ${i} is filled (${c.ink} of ${c.pixels} px)`);
        assert.ok(c.distinct > 30, `heat map ${i} has a colour scale (${c.distinct} colours)`);
      }
      assert.notEqual(frames[0].hash, frames[1].hash, 'the forward and reverse maps differ');
      for (const [i, c] of overlays.entries()) assert.ok(c.ink > 20, `overlay ${i} marks q and the optima (${c.ink} px)`);

      await page.evaluate(() => document.fonts.ready);
      const file = `${RESULTS}chapter2-fit.png`;
      await screenshot(page, file, page.locator('#fit'));
      assert.ok(statSync(file).size > 10_000, 'screenshot written');
    }));

    it('reverse KL fit ends on one mode; forward KL fit ends at the mixture’s mean and sd', () => withChapter(async ({ page }) => {
      const w = widget(page, 'kl-fit');
      const framesBefore = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-map:not(.overlay)');
      await makeBimodal(page);
      const framesAfter = await canvasStats(page, '[data-widget="kl-fit"] canvas.chart-map:not(.overlay)');
      framesAfter.forEach((c, i) => assert.notEqual(c.hash, framesBefore[i].hash, `heat map ${i} redrawn for the new p`));
      const m = modelOf(await fitState(page));
      const r = m.fitReverse();
      m.free();
      assert.match(await fitOut(page, 'reverseOpt'), /^μ = −3\.00, σ = 0\.50 \(KL 0\.693\); μ = 3\.00, σ = 0\.50 \(KL 0\.693\)/);
      assert.equal((await fitOut(page, 'reverseOpt')).split('; ').length, r.length / 3);
      await setSlider(page, 'μ', 1.5);
      assert.deepEqual((await fitState(page)).q, { mu: 1.5, sigma: 1.5 });
      await assertFitReadouts(page);
      const mapsBefore = await canvasStats(page, '[data-widget="kl-fit"] canvas.overlay');

      await w.locator('[data-fit="reverse"]').click();
      const status = await waitConverged(page);
      assert.match(status, /^Fitting by reverse KL\(q‖p\): converged after \d+ steps\.$/);
      const rev = await assertFitReadouts(page);
      assert.ok(Math.abs(rev.q.mu - 3) < 0.1, `q on the mode at 3: μ = ${rev.q.mu}`);
      assert.ok(Math.abs(rev.q.sigma - 0.5) < 0.05, `σ ≈ that mode's 0.5: ${rev.q.sigma}`);
      assert.equal(await fitOut(page, 'reverse'), `${fmt(Math.LN2)} nats`, 'KL(q‖p) ≈ ln 2 on one of two equal modes');
      assert.equal(Number(status.match(/after (\d+)/)[1]), rev.steps);
      assert.ok(await w.locator('[data-action="step"]').isDisabled(), 'Step is disabled once converged');
      assert.ok(await w.locator('[data-action="play"]').isDisabled(), 'Play is disabled once converged');
      const mapsAfter = await canvasStats(page, '[data-widget="kl-fit"] canvas.overlay');
      mapsAfter.forEach((c, i) => assert.notEqual(c.hash, mapsBefore[i].hash, `overlay ${i} shows the path`));

      await w.locator('[data-action="reset"]').click();
      assert.deepEqual((await fitState(page)).q, { mu: 1.5, sigma: 1.5 }, 'reset puts q back where the fit started');
      assert.equal(await fitOut(page, 'status'), 'Press a fit button to watch gradient descent.');
      assert.ok(await w.locator('[data-action="reset"]').isDisabled());

      await w.locator('[data-fit="forward"]').click();
      assert.match(await waitConverged(page), /^Fitting by forward KL\(p‖q\): converged after \d+ steps\.$/);
      const fwd = await assertFitReadouts(page);
      const [, mean, sd] = (await fitOut(page, 'moments')).match(/^mean (\S+), sd (\S+)$/).map((s) => Number(s.replace('−', '-')));
      assert.equal(mean, 0);
      assert.ok(Math.abs(fwd.q.mu - mean) < 0.01, `μ = ${fwd.q.mu} ≈ the mean ${mean}, between the modes`);
      assert.ok(Math.abs(fwd.q.sigma - sd) < 0.01, `σ = ${fwd.q.sigma} ≈ the sd ${sd}`);
      assert.ok(Math.abs(fwd.q.sigma - Math.sqrt(9.25)) < 0.01);
      assert.equal(await fitOut(page, 'forwardOpt'), `μ = 0.00, σ = 3.04 (KL ${await fitOut(page, 'forward').then((s) => s.split(' ')[0])})`);
    }));

    it('a mean that is zero up to rounding is shown as 0.000, never “−0.000”', () => withChapter(async ({ page }) => {
      // 0.6·N(−2.5, ·) + 0.4·N(3.75, ·) has mean 0; in doubles the API gives −2.2e-16.
      const w = widget(page, 'kl-fit');
      await w.locator('button[data-mode="1"]').click();
      await setSlider(page, 'Centre', 3.75);
      await setSlider(page, 'Weight', 0.3);
      const state = await assertFitReadouts(page);
      const m = modelOf(state);
      const mean = m.mean();
      m.free();
      assert.ok(Math.abs(mean) < 1e-15, `the mixture's mean is 0 up to rounding (${mean})`);
      assert.match(await fitOut(page, 'moments'), /^mean 0\.000, sd 3\.149$/);
      assert.match(await fitOut(page, 'forwardOpt'), /^μ = 0\.00, σ = 3\.15 /);
      await w.locator('[data-fit="forward"]').click();
      await waitConverged(page);
      assert.ok(Math.abs((await fitState(page)).q.mu) < 1e-12);
      assert.equal(await w.locator('.slider output').nth(3).textContent(), '0.00', 'the μ slider of q');
      assert.match(await w.locator('canvas.chart-tall').getAttribute('aria-label'), /q with μ = 0\.00, σ = 3\.15/);
      const minusZero = (await page.evaluate(screenText)).match(/−0\.0+(?!\d*[1-9])/g);
      assert.equal(minusZero, null, 'no “−0.00…” anywhere on the page');
    }));

    it('Step advances exactly one descent step while paused', () => withChapter(async ({ page }) => {
      const w = widget(page, 'kl-fit');
      const start = await fitState(page);
      // Start a fit and pause it in the same task, so no animation frame runs in between.
      await page.evaluate(() => {
        const root = document.querySelector('[data-widget="kl-fit"]');
        root.querySelector('[data-fit="reverse"]').click();
        root.querySelector('[data-action="play"]').click();
      });
      assert.equal(await fitOut(page, 'status'), 'Fitting by reverse KL(q‖p): step 0.');
      assert.equal((await w.locator('[data-action="play"]').textContent()).trim(), 'Play', 'paused: the button offers Play');
      assert.ok(await w.locator('[data-action="step"]').isEnabled());

      const m = modelOf(start);
      let state = m.descentStart('reverse', start.q.mu, Math.log(start.q.sigma));
      for (let k = 1; k <= 3; k += 1) {
        await w.locator('[data-action="step"]').click();
        state = m.descentStep('reverse', state);
        const now = await fitState(page);
        assert.equal(now.steps, k);
        assert.equal(await fitOut(page, 'status'), `Fitting by reverse KL(q‖p): step ${k}.`);
        assert.ok(Math.abs(now.q.mu - state[0]) < 1e-12 && Math.abs(Math.log(now.q.sigma) - state[1]) < 1e-12,
          `step ${k}: q = ${JSON.stringify(now.q)}, API state ${Array.from(state)}`);
        await assertFitReadouts(page);
        // Still paused: nothing moves on its own.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        assert.equal((await fitState(page)).steps, k, 'no step without a click');
      }
      m.free();
      assert.notDeepEqual((await fitState(page)).q, start.q);

      await w.locator('[data-action="play"]').click();
      assert.match(await waitConverged(page), /reverse KL/);
    }));

    it('during a fit the density chart keeps one y range holding q, and its image over the axes is the whole chart', () => withChapter(async ({ page }) => {
      await makeBimodal(page);
      // A reverse fit from N(1.5, 1) narrows q onto the mode at 3 (σ 0.5): its peak rises past p's.
      await setSlider(page, 'σ', 1);
      await setSlider(page, 'μ', 1.5);
      const frames = await page.evaluate(async () => {
        const w = window.elboLab.widgets['kl-fit'];
        const root = document.querySelector('[data-widget="kl-fit"]');
        const canvas = root.querySelector('canvas.chart-tall');
        const scale = canvas.width / canvas.clientWidth;
        const whole = (yMax) => {
          const c = document.createElement('canvas');
          c.width = canvas.width;
          c.height = canvas.height;
          w.model.drawDensities(c, w.q.mu, w.q.sigma, w.state().selected, ['x', 'density'], scale, yMax);
          return c.toDataURL();
        };
        root.querySelector('[data-fit="reverse"]').click();
        root.querySelector('[data-action="play"]').click();
        let yMax = w.model.densityYMax(w.q.mu, w.q.sigma);
        const out = [];
        for (let k = 0; k < 600 && !w.run.done; k += 1) {
          yMax = w.model.densityYMax(w.q.mu, w.q.sigma, yMax);
          out.push({ sigma: w.q.sigma, yMax, same: canvas.toDataURL() === whole(yMax) });
          root.querySelector('[data-action="step"]').click();
        }
        return out;
      });
      const peak = (sigma) => 1 / (sigma * Math.sqrt(2 * Math.PI));
      for (const [k, f] of frames.entries()) {
        assert.ok(f.same, `step ${k}: the chart on screen is the whole chart for y max ${f.yMax}`);
        assert.ok(peak(f.sigma) <= f.yMax, `step ${k}: q's peak ${peak(f.sigma)} fits under y max ${f.yMax}`);
      }
      const ranges = new Set(frames.map((f) => f.yMax));
      assert.ok(frames.at(-1).sigma < 0.6, `q narrowed: σ ${frames[0].sigma} → ${frames.at(-1).sigma}`);
      assert.ok(ranges.size > 1 && ranges.size <= 10, `the y range grew, in a few steps: ${[...ranges].join(', ')}`);
    }));

    it('dragging a mode draws only the density chart, the whole chart for each new p; the maps’ overlays wait for the optima', () => withChapter(async ({ page }) => {
      await widget(page, 'kl-fit').scrollIntoViewIfNeeded();
      const r = await page.evaluate(async () => {
        const w = window.elboLab.widgets['kl-fit'];
        const root = document.querySelector('[data-widget="kl-fit"]');
        const canvas = root.querySelector('canvas.chart-tall');
        const overlays = [...root.querySelectorAll('canvas.overlay')];
        const frame = () => new Promise((res) => requestAnimationFrame(() => res()));
        // Drawing calls per canvas of the widget, from here on.
        const calls = new Map();
        const proto = CanvasRenderingContext2D.prototype;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const { value } = Object.getOwnPropertyDescriptor(proto, name);
          if (typeof value !== 'function' || name === 'constructor') continue;
          proto[name] = function counted(...args) {
            calls.set(this.canvas, (calls.get(this.canvas) ?? 0) + 1);
            return value.apply(this, args);
          };
        }
        const overlayCalls = () => overlays.map((o) => calls.get(o) ?? 0);
        const scale = canvas.width / canvas.clientWidth;
        /** The whole chart for the widget's p and q, drawn afresh (a fresh y range, as a changed p has). */
        const whole = () => {
          const c = document.createElement('canvas');
          c.width = canvas.width;
          c.height = canvas.height;
          w.model.drawDensities(c, w.q.mu, w.q.sigma, w.state().selected, ['x', 'density'], scale, w.model.densityYMax(w.q.mu, w.q.sigma));
          return c.toDataURL();
        };
        const scratch = document.createElement('canvas');
        scratch.width = canvas.width;
        scratch.height = canvas.height;
        const [left, top, right, bottom, x0, x1, yMax] = w.model.drawDensities(scratch, w.q.mu, w.q.sigma, 0, ['x', 'density'], scale);
        const probs = w.p.weights.map((x, _, a) => x / a.reduce((t, y) => t + y, 0));
        const pdf = (x) => w.p.means.reduce((t, m, j) => t + probs[j] * Math.exp(-0.5 * ((x - m) / w.p.sigmas[j]) ** 2) / (w.p.sigmas[j] * Math.sqrt(2 * Math.PI)), 0);
        const box = canvas.getBoundingClientRect();
        const m0 = w.p.means[0];
        const px = (x) => box.left + (left + ((x - x0) / (x1 - x0)) * (right - left)) / scale;
        const py = box.top + (bottom - (Math.min(pdf(m0), yMax) / yMax) * (bottom - top)) / scale;
        const pointer = (type, x) => canvas.dispatchEvent(new PointerEvent(type, {
          bubbles: true, pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: px(x), clientY: py, buttons: type === 'pointerup' ? 0 : 1,
        }));
        const overlaysBefore = overlays.map((o) => o.toDataURL());
        const out = { moves: [] };
        pointer('pointerdown', m0);
        for (const dx of [0.3, 0.6, 1, 1.5]) {
          await frame();
          pointer('pointermove', m0 + dx);
          out.moves.push({ mean: w.p.means[0], same: canvas.toDataURL() === whole(), overlayCalls: overlayCalls() });
        }
        const densityCalls = calls.get(canvas) ?? 0;
        pointer('pointerup', m0 + 1.5);
        out.afterRelease = { overlayCalls: overlayCalls(), changed: overlays.map((o, i) => o.toDataURL() !== overlaysBefore[i]), same: canvas.toDataURL() === whole() };
        out.densityCalls = densityCalls;
        out.m0 = m0;
        return out;
      });
      assert.equal(new Set(r.moves.map((m) => m.mean)).size, r.moves.length, `the mode moved on every move: ${r.moves.map((m) => m.mean)}`);
      for (const [k, m] of r.moves.entries()) {
        assert.ok(m.same, `move ${k} (mode at ${m.mean}): the chart on screen is the whole chart for the new p`);
        assert.deepEqual(m.overlayCalls, [0, 0], `move ${k}: the maps' overlays are not drawn while the optima wait`);
      }
      assert.ok(r.densityCalls > 0, 'the density chart is drawn');
      assert.ok(r.afterRelease.same, 'after letting go: the whole chart');
      assert.ok(r.afterRelease.overlayCalls.every((n) => n > 0), `letting go draws both overlays for the new optima: ${r.afterRelease.overlayCalls}`);
      assert.deepEqual(r.afterRelease.changed, [true, true], 'the overlays show the new optima');
      await assertFitReadouts(page);
    }));

    it('dragging the density chart away from the handles moves q’s μ; a handle moves its mode', () => withChapter(async ({ page }) => {
      const canvas = widget(page, 'kl-fit').locator('canvas.chart-tall');
      const box = await boxInView(page, canvas);
      const start = await fitState(page);
      const k = box.width / await canvas.evaluate((c) => c.width); // CSS px per canvas px
      /** Screen point of x (data units) at height fy (fraction of the plot) for plot area `rect`. */
      const toScreen = (rect, x, fy) => [
        box.x + (rect[0] + ((x - rect[4]) / (rect[5] - rect[4])) * (rect[2] - rect[0])) * k,
        box.y + (rect[3] - fy * (rect[3] - rect[1])) * k,
      ];

      // Press near the bottom of the plot, below the valley between the modes: far from both handles.
      let rect = await densityRect(page);
      await page.mouse.move(...toScreen(rect, 0.5, 0.03));
      await page.mouse.down();
      let now = await fitState(page);
      assert.ok(Math.abs(now.q.mu - 0.5) <= 0.05 + 1e-9, `q's μ jumps to the pointer: ${now.q.mu}`);
      assert.equal(now.q.sigma, start.q.sigma, 'σ untouched');
      assert.deepEqual(now.p, start.p, 'p untouched');

      rect = await densityRect(page);
      await page.mouse.move(...toScreen(rect, 1.25, 0.03), { steps: 5 });
      now = await fitState(page);
      assert.ok(Math.abs(now.q.mu - 1.25) <= 0.05 + 1e-9, `dragged to μ ≈ 1.25: ${now.q.mu}`);
      assert.ok(Math.abs(now.q.mu * 20 - Math.round(now.q.mu * 20)) < 1e-9, 'μ snaps to steps of 0.05');
      await page.mouse.up();
      await assertFitReadouts(page);
      assert.equal(await widget(page, 'kl-fit').locator('.slider output').nth(3).textContent(), fmt(now.q.mu, 2), 'the μ slider follows');
      await page.mouse.move(...toScreen(rect, -2, 0.03), { steps: 3 });
      assert.deepEqual((await fitState(page)).q, now.q, 'released: moving the mouse changes nothing');

      // Mode 2's handle sits at (μ₂, p(μ₂)): grab it and drag it right.
      rect = await densityRect(page);
      const { weights, means, sigmas } = start.p;
      const pdf = (x) => sum(means.map((m, j) => weights[j] * Math.exp(-0.5 * ((x - m) / sigmas[j]) ** 2) / (sigmas[j] * Math.sqrt(2 * Math.PI))));
      await page.mouse.move(...toScreen(rect, means[1], Math.min(pdf(means[1]), rect[6]) / rect[6]));
      await page.mouse.down();
      await page.mouse.move(...toScreen(rect, 3.5, 0.5), { steps: 5 });
      await page.mouse.up();
      const moved = await fitState(page);
      assert.ok(Math.abs(moved.p.means[1] - 3.5) <= 0.1, `mode 2 moved to ≈ 3.5: ${moved.p.means}`);
      assert.equal(moved.p.means[0], means[0], 'mode 1 untouched');
      assert.deepEqual(moved.q, now.q, 'q untouched while a mode is dragged');
      assert.equal(await widget(page, 'kl-fit').locator('button[data-mode="1"]').getAttribute('aria-pressed'), 'true', 'the dragged mode is selected');
      await assertFitReadouts(page);
    }));

    it('clicking a heat map moves q to the (μ, ln σ) under the pointer', () => withChapter(async ({ page }) => {
      const w = widget(page, 'kl-fit');
      const [muMin, muMax, lsMin, lsMax] = lab.MixtureFit.landscapeGrid();
      const start = await fitState(page);
      for (const [kind, fx, fy] of [['reverse', 0.75, 0.3], ['forward', 0.2, 0.8]]) {
        const overlay = w.locator(`canvas[data-map="${kind}"]`);
        const box = await boxInView(page, overlay);
        const k = box.width / await overlay.evaluate((c) => c.width);
        const rect = await landscapeRect(page, kind);
        const before = await canvasStats(page, `[data-widget="kl-fit"] canvas[data-map="${kind}"]`);
        await page.mouse.click(box.x + (rect[0] + fx * (rect[2] - rect[0])) * k, box.y + (rect[3] - fy * (rect[3] - rect[1])) * k);
        const { q } = await fitState(page);
        // One CSS pixel of the plot, in parameter units.
        const tolMu = (muMax - muMin) / ((rect[2] - rect[0]) * k);
        const tolLs = (lsMax - lsMin) / ((rect[3] - rect[1]) * k);
        assert.ok(Math.abs(q.mu - (muMin + fx * (muMax - muMin))) <= tolMu, `${kind}: μ = ${q.mu}`);
        assert.ok(Math.abs(Math.log(q.sigma) - (lsMin + fy * (lsMax - lsMin))) <= tolLs, `${kind}: ln σ = ${Math.log(q.sigma)}`);
        await assertFitReadouts(page);
        const after = await canvasStats(page, `[data-widget="kl-fit"] canvas[data-map="${kind}"]`);
        assert.notEqual(after[0].hash, before[0].hash, `${kind} overlay redrawn with q's new position`);
      }
      assert.notDeepEqual((await fitState(page)).q, start.q);

      // A click in the margin, outside the plotting area, changes nothing.
      const overlay = w.locator('canvas[data-map="reverse"]');
      const box = await overlay.boundingBox();
      const q = (await fitState(page)).q;
      await page.mouse.click(box.x + 2, box.y + box.height - 2);
      assert.deepEqual((await fitState(page)).q, q);
    }));
  });
});
