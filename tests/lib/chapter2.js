// Chapter 2's end-to-end helpers (tests/kl.test.js, tests/kl-fit.test.js): the KL widgets read from
// the page, and the same quantities from the JS API under Node.
import assert from 'node:assert/strict';
import lab from './wasm.js';
import { fmt, sum, widget } from './chapter.js';

// --- kl-discrete ---

export const KL_ROWS = ['hp', 'hq', 'crossPQ', 'crossQP', 'klPQ', 'klQP', 'js', 'tv'];
export const DEFAULT_PAIR = { p: [0.3, 0.4, 0.2, 0.1], q: [0.25, 0.35, 0.25, 0.15] };

/** The readouts of the KL widget, as shown: { hp: '1.846 bits', … }. */
export function klReadouts(page) {
  return widget(page, 'kl-discrete').locator('output[data-out]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.out, e.textContent.trim()])));
}

/**
 * p and q read back from the widget: full precision from the bar handles' aria-valuenow
 * (p's editor first, then q's), checked against the 3-decimal table inputs.
 */
export async function klDistributions(page) {
  const w = widget(page, 'kl-discrete');
  const handles = await w.locator('.handles').evaluateAll((els) => els.map((h) =>
    [...h.querySelectorAll('.handle')].map((e) => Number(e.getAttribute('aria-valuenow')))));
  assert.equal(handles.length, 2, 'two editors, p and q');
  const [p, q] = handles;
  const inputs = await w.locator('input.prob').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(inputs, [...p, ...q].map((x) => fmt(x)), 'the table inputs show p then q');
  for (const d of [p, q]) assert.ok(Math.abs(sum(d) - 1) < 1e-9, `Σ = ${sum(d)} (${d})`);
  return { p, q };
}

/**
 * Asserts every readout is the API's klReport for the widget's p and q in `unit`, and the
 * ∞ alert is shown exactly when a divergence is infinite. Returns { p, q, report, shown }.
 */
export async function assertKlMatchesApi(page, unit = 'bits') {
  const { p, q } = await klDistributions(page);
  const report = lab.klReport(p, q, unit === 'bits' ? 2 : Math.E);
  const shown = await klReadouts(page);
  const expected = Object.fromEntries(KL_ROWS.map((k) => [k, k === 'tv' ? fmt(report.tv) : `${fmt(report[k])} ${unit}`]));
  assert.deepEqual(shown, expected, `readouts for p = ${p}, q = ${q}`);
  const alert = widget(page, 'kl-discrete').locator('.infinity');
  const infinite = report.infinitePQ !== null || report.infiniteQP !== null;
  assert.equal(await alert.isVisible(), infinite, `the ∞ alert is shown iff a KL is infinite (${report.klPQ}, ${report.klQP})`);
  return { p, q, report, shown };
}

// --- kl-fit ---

export const fitOut = async (page, name) => (await widget(page, 'kl-fit').locator(`[data-out="fit-${name}"]`).textContent()).trim();
/** The widget's p (normalised weights) and q, from the page handle. */
export const fitState = (page) => page.evaluate(() => {
  const w = window.elboLab.widgets['kl-fit'];
  const s = w.p.weights.reduce((a, b) => a + b, 0);
  return { p: { weights: w.p.weights.map((x) => x / s), means: [...w.p.means], sigmas: [...w.p.sigmas] }, q: { ...w.q }, steps: w.run.steps, kind: w.run.kind };
});
/** A MixtureFit here in Node for the page's current p. */
export const modelOf = ({ p }) => new lab.MixtureFit(p.weights, p.means, p.sigmas);

/** Asserts the KL readouts are the API's KLs for the page's p and q. */
export async function assertFitReadouts(page) {
  const state = await fitState(page);
  const m = modelOf(state);
  try {
    assert.equal(await fitOut(page, 'forward'), `${fmt(m.forwardKl(state.q.mu, state.q.sigma))} nats`, `KL(p‖q) at ${JSON.stringify(state.q)}`);
    assert.equal(await fitOut(page, 'reverse'), `${fmt(m.reverseKl(state.q.mu, state.q.sigma))} nats`, `KL(q‖p) at ${JSON.stringify(state.q)}`);
    assert.equal(await fitOut(page, 'moments'), `mean ${fmt(m.mean())}, sd ${fmt(Math.sqrt(m.variance()))}`);
  } finally {
    m.free();
  }
  return state;
}

/** Sets a range slider of the fit widget (by its label) as a user would: input events. */
export async function setSlider(page, label, value) {
  const input = widget(page, 'kl-fit').locator('.slider').filter({ has: page.locator(`label:text-is("${label}")`) }).locator('input[type=range]');
  await input.fill(String(value));
}

/** Turns p into 0.5·N(−3, 0.5²) + 0.5·N(3, 0.5²) with the mode buttons and sliders. */
export async function makeBimodal(page) {
  const w = widget(page, 'kl-fit');
  for (const [k, centre] of [[0, -3], [1, 3]]) {
    await w.locator(`button[data-mode="${k}"]`).click();
    assert.equal(await w.locator(`button[data-mode="${k}"]`).getAttribute('aria-pressed'), 'true');
    await setSlider(page, 'Centre', centre);
    await setSlider(page, 'Width σₖ', 0.5);
    await setSlider(page, 'Weight', 0.5);
  }
  const { p } = await fitState(page);
  assert.deepEqual(p, { weights: [0.5, 0.5], means: [-3, 3], sigmas: [0.5, 0.5] });
  assert.equal(await fitOut(page, 'moments'), `mean 0.000, sd ${fmt(Math.sqrt(9.25))}`);
}

/** Waits for the fit status to say converged; returns its text. */
export async function waitConverged(page) {
  const status = widget(page, 'kl-fit').locator('[data-out="fit-status"]');
  await page.waitForFunction((el) => /converged/.test(el.textContent), await status.elementHandle(), { timeout: 60000 }); // a wait, not a speed check
  return (await status.textContent()).trim();
}

/** The plotting area of a chart, recomputed by drawing the same chart on a scratch canvas. */
export function densityRect(page) {
  return page.evaluate(() => {
    const w = window.elboLab.widgets['kl-fit'];
    const c = document.querySelector('[data-widget="kl-fit"] canvas');
    const scratch = document.createElement('canvas');
    scratch.width = c.width;
    scratch.height = c.height;
    return Array.from(w.model.drawDensities(scratch, w.q.mu, w.q.sigma, 0, ['x', 'density'], c.width / c.clientWidth));
  });
}
export function landscapeRect(page, kind) {
  return page.evaluate(async (kind) => {
    const lab = await import('/pkg/elbo_lab.js'); // the page's own, already initialised module
    const c = document.querySelector(`[data-widget="kl-fit"] canvas[data-map="${kind}"]`);
    const scratch = document.createElement('canvas');
    scratch.width = c.width;
    scratch.height = c.height;
    return Array.from(lab.drawLandscapeFrame(scratch, 'μ', 'ln σ', c.width / c.clientWidth));
  }, kind);
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------
