// `make bench`, the part a reader feels: frame intervals (requestAnimationFrame deltas, which
// include style, layout, paint and compositing) during every animation, the full main-thread
// cost of one drag update, the main thread's busy fraction from a DevTools trace while the
// posterior animates, the calls on 2-D canvas contexts per frame of each animation (drawing
// work, which a loaded machine does not blur), the browser's work per frame from a trace of each
// case (layouts and the objects they walk, style recalcs, paints and their area: counts a loaded
// machine does not change; layout and main-thread time), and the time to the first interactive widget —
// each at full speed and with the CPU throttled 4× (Lighthouse's mobile profile) through the
// DevTools protocol, each beside a baseline from the same run and the same throttle (an empty
// page doing the least work of the same kind). Run alone: node tests/bench/frames.js [--json out.json]
// (FIRST_WIDGET_ONLY=1: only the time to the first interactive widget, FIRST_WIDGET_LOADS=n loads)
// (BENCH_WWW=/path/to/www measures another build of the page, e.g. a checkout of main;
// FRAME_CASES=posterior,klfit (names or prefixes, first_widget among them) and FRAME_RATES=4 run
// fewer; FRAME_SECONDS, DRAG_UPDATES shorten them). tests/bench/frames-compare.js sets two builds
// side by side.
import { writeFileSync } from 'node:fs';
import { serve, WWW } from '../lib/server.js';
import { launch } from '../lib/browser.js';
import { percentile, rafDeltas, openAt, show, traced, busyFraction, frameWork } from './frame-measures.js';

const SECONDS = Number(process.env.FRAME_SECONDS ?? 3); // per animation
const DRAG_UPDATES = Number(process.env.DRAG_UPDATES ?? 90); // per drag
const RATES = (process.env.FRAME_RATES ?? '1,4').split(',').map(Number); // CPU throttle rates
// frameWork's figures and their units.
const WORK_UNITS = { layouts: 'count', layout_objects: 'objects', layout_ms: 'ms', style_elements: 'elements', paints: 'count', paint_px2: 'px²', main_cpu_ms: 'ms' };

/** Whether the time to the first widget is measured (FRAME_CASES unset, or naming first_widget). */
const wantFirstWidget = () => !process.env.FRAME_CASES || process.env.FRAME_CASES.split(',').some((x) => 'first_widget'.startsWith(x.trim()));

/** Frames of a mixture fit of `kind`, started afresh from the default q whenever it converges. */
async function fit(page, kind) {
  await show(page, 'kl-fit');
  return page.evaluate(({ ms, kind }) => {
    const w = window.elboLab.widgets['kl-fit'];
    const restart = () => { w.reset(); document.querySelector(`[data-widget="kl-fit"] [data-fit="${kind}"]`).click(); };
    restart();
    return window.benchFramesWhile(ms, () => w.run.playing, restart).finally(() => w.reset());
  }, { ms: SECONDS * 1000, kind });
}

const W = (id) => `[data-widget="${id}"]`;

/**
 * Runs `measure()` (resolving to rAF deltas, or to { costs, deltas } of one update a frame) with
 * the page traced, and records under `name` in `out.calls` the 2-D canvas calls per measured
 * frame meanwhile ({ all, fillText }; a fit's restarts draw too, uncounted as frames) and in
 * `out.work` the browser's work per frame (frameWork). Returns what `measure()` resolved to.
 */
async function counted(page, cdp, out, name, measure) {
  const read = () => page.evaluate(() => ({ ...window.benchCanvasCalls }));
  const before = await read();
  const { events, value } = await traced(cdp, measure);
  const after = await read();
  const frames = Math.max(1, (Array.isArray(value) ? value : value.costs).length);
  out.calls ??= {};
  out.work ??= {};
  out.calls[name] = { all: (after.all - before.all) / frames, fillText: (after.fillText - before.fillText) / frames };
  out.work[name] = frameWork(events, frames);
  return value;
}

/**
 * A drag in the page, one pointermove a frame (benchUpdates), on the element `selector`: along
 * `axis` ('x' or 'y') the pointer swings over 0.5 ± 0.3 of the element's box, i ↦ sin(i/6); the
 * other coordinate stays at the fraction `at`. Pressed at the first point, let go after the last.
 */
async function drag(page, selector, axis, at, n = DRAG_UPDATES) {
  return page.evaluate(({ selector, axis, at, n }) => {
    const el = document.querySelector(selector);
    const b = el.getBoundingClientRect();
    const pos = (i) => {
      const swing = 0.5 + 0.3 * Math.sin(i / 6);
      const [fx, fy] = axis === 'x' ? [swing, at] : [at, swing];
      return [b.left + b.width * fx, b.top + b.height * fy];
    };
    window.benchPointer(el, 'pointerdown', ...pos(0));
    return window.benchUpdates(n, (i) => window.benchPointer(el, 'pointermove', ...pos(i)))
      .finally(() => window.benchPointer(el, 'pointerup', ...pos(0)));
  }, { selector, axis, at, n });
}

const click = (page, sel) => page.evaluate((sel) => document.querySelector(sel).click(), sel);

/**
 * Keeps the posterior's Adam moving (on = true): Play, and Reset and Play again each time it has
 * taken POSTERIOR_MOVING_STEPS steps. By then its default q has come within a hundredth of a
 * pixel of the posterior (Δm, Δs < 1e-4 a step), and a chart showing a converged q has little
 * to draw: a whole measured window of a single run would be mostly that. on = false stops it.
 */
const POSTERIOR_MOVING_STEPS = 120;
function posteriorCycle(page, on) {
  return page.evaluate(({ on, steps }) => {
    const w = window.elboLab.widgets.posterior;
    window.benchCycle = on;
    if (!on) { w.reset(); return; }
    const restart = () => { w.reset(); w.play(); };
    restart();
    const loop = () => {
      if (!window.benchCycle) return;
      if (w.run.steps >= steps || !w.run.playing) restart();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }, { on, steps: POSTERIOR_MOVING_STEPS });
}

/**
 * The measured cases, in the order they run on one page: each `run(page, cdp, out)` stores
 * rAF deltas under out[`${name}_frame`] and, for updates dispatched one a frame, their whole
 * cost under out[name]. FRAME_CASES=a,b (names or their prefixes) runs only those.
 */
const CASES = [
  { name: 'posterior', async run(page, cdp, out) {
    // Posterior Play (speed 2: two Adam steps a frame), restarted from the default q every
    // POSTERIOR_MOVING_STEPS steps, with its busy fraction traced after.
    await show(page, 'posterior');
    await posteriorCycle(page, true);
    await page.waitForTimeout(300);
    out.posterior_frame = await counted(page, cdp, out, 'posterior', () => page.evaluate(rafDeltas, SECONDS * 1000));
    out.posterior_busy = await busyFraction(page, cdp, 2000);
    await posteriorCycle(page, false);
  } },
  { name: 'derivation_follow', async run(page, cdp, out) {
    // The derivation follows the posterior's q (restarted as above): its values update every frame while it plays.
    await show(page, 'derivation');
    await posteriorCycle(page, true);
    out.derivation_follow_frame = await counted(page, cdp, out, 'derivation_follow', () => page.evaluate(rafDeltas, SECONDS * 1000));
    await posteriorCycle(page, false);
  } },
  { name: 'derivation_step', async run(page, cdp, out) {
    // Derivation stepping: Next / Prev, one a frame (each reveals or hides a typeset line).
    await show(page, 'derivation');
    const steps = await counted(page, cdp, out, 'derivation_step', () => page.evaluate((n) => {
      const root = document.querySelector('[data-widget="derivation"]');
      const next = root.querySelector('[data-action="next"]');
      const prev = root.querySelector('[data-action="prev"]');
      let dir = 1;
      return window.benchUpdates(n, () => {
        if ((dir > 0 ? next : prev).disabled) dir = -dir;
        (dir > 0 ? next : prev).click();
      });
    }, 40));
    out.derivation_step = steps.costs;
  } },
  ...['forward', 'reverse'].map((kind) => ({ name: `klfit_${kind}`, async run(page, cdp, out) {
    // The mixture fits, each from the default q (reset between).
    out[`klfit_${kind}_frame`] = await counted(page, cdp, out, `klfit_${kind}`, () => fit(page, kind));
  } })),
  { name: 'klfit_mode_drag', async run(page, cdp, out) {
    await show(page, 'kl-fit');
    await page.evaluate(() => window.elboLab.widgets['kl-fit'].reset());
    const mode = await counted(page, cdp, out, 'klfit_mode_drag', () => page.evaluate(async (n) => {
      const w = window.elboLab.widgets['kl-fit'];
      const canvas = document.querySelector('[data-widget="kl-fit"] canvas.chart-tall');
      // Where the chart puts mode 1's handle: its rect from the same draw call the widget makes.
      const scale = canvas.width / canvas.clientWidth;
      const [left, top, right, bottom, x0, x1, yMax] = w.model.drawDensities(canvas, w.q.mu, w.q.sigma, 0, ['x', 'p'], scale);
      const box = canvas.getBoundingClientRect();
      const probs = w.p.weights.map((x, _, a) => x / a.reduce((s, y) => s + y, 0));
      const pdf = (x) => w.p.means.reduce((s, m, j) => s + probs[j] * Math.exp(-0.5 * ((x - m) / w.p.sigmas[j]) ** 2) / (w.p.sigmas[j] * Math.sqrt(2 * Math.PI)), 0);
      const m0 = w.p.means[0];
      const px = (x) => box.left + (left + ((x - x0) / (x1 - x0)) * (right - left)) / scale;
      const py = box.top + (bottom - (Math.min(pdf(m0), yMax) / yMax) * (bottom - top)) / scale;
      const before = w.p.means[0];
      window.benchPointer(canvas, 'pointerdown', px(m0), py);
      const r = await window.benchUpdates(n, (i) => window.benchPointer(canvas, 'pointermove', px(m0 + 1.5 * Math.sin(i / 6)), py));
      window.benchPointer(canvas, 'pointerup', px(m0), py);
      if (w.p.means[0] === before && w.q.mu === 0) throw new Error('the mode drag moved nothing');
      return { ...r, moved: w.p.means[0] !== before };
    }, DRAG_UPDATES));
    if (!mode.moved) throw new Error('the kl-fit drag did not grab the mode');
    out.klfit_mode_drag = mode.costs;
    out.klfit_mode_drag_frame = mode.deltas;
  } },
  { name: 'posterior_q_drag', async run(page, cdp, out) {
    await show(page, 'posterior');
    const r = await counted(page, cdp, out, 'posterior_q_drag', () => drag(page, `${W('posterior')} canvas.chart-tall`, 'x', 0.8));
    out.posterior_q_drag = r.costs;
    out.posterior_q_drag_frame = r.deltas;
  } },
  { name: 'entropy_bar_drag', async run(page, cdp, out) {
    await show(page, 'entropy');
    const r = await counted(page, cdp, out, 'entropy_bar_drag', () => drag(page, `${W('entropy')} .handles`, 'y', 0.1));
    out.entropy_bar_drag = r.costs;
    out.entropy_bar_drag_frame = r.deltas;
  } },
  { name: 'vae_training', async run(page, cdp, out) {
    // The VAE's charts while it trains in its worker.
    await show(page, 'vae');
    await page.waitForFunction(() => !document.querySelector('[data-widget="vae"] [data-action="train"]')?.disabled, null, { timeout: 60000 });
    await click(page, `${W('vae')} [data-action="train"]`);
    await page.waitForTimeout(1000);
    out.vae_training_frame = await counted(page, cdp, out, 'vae_training', () => page.evaluate(rafDeltas, SECONDS * 1000));
    await click(page, `${W('vae')} [data-action="train"]`);
  } },
];

/** The cases FRAME_CASES names (comma-separated names or prefixes; all when unset; first_widget is not a case). */
export function selectedCases(filter = process.env.FRAME_CASES) {
  const want = filter ? filter.split(',').map((x) => x.trim()).filter(Boolean) : null;
  const cases = want ? CASES.filter((c) => want.some((w) => c.name.startsWith(w))) : CASES;
  if (!cases.length && !wantFirstWidget()) throw new Error(`FRAME_CASES=${filter} names none of first_widget, ${CASES.map((c) => c.name).join(', ')}`);
  return cases;
}

/** Measurements on the chapter (at `url`) at one throttle rate; returns { name: values, calls, work }. */
export async function chapter(browser, url, rate, cases = selectedCases()) {
  const out = {};
  const { page, context, cdp, problems } = await openAt(browser, url, rate);
  for (const c of cases) await c.run(page, cdp, out);
  if (problems.length) throw new Error(`the page logged problems: ${problems.join('; ')}`);
  await context.close();
  return out;
}

/** The baselines, same throttle: an empty rAF loop, and an empty update, on a blank page. */
async function baseline(browser, url, rate) {
  const { page, cdp, context } = await openAt(browser, `${url}bench-blank.html`, rate, { ready: false });
  const out = {};
  const frames = await counted(page, cdp, out, 'blank', () => page.evaluate(rafDeltas, SECONDS * 1000));
  const updates = (await page.evaluate((n) => window.benchUpdates(n, () => {}), DRAG_UPDATES)).costs;
  // The page idles while the posterior's busy fraction is traced: an empty rAF loop's.
  await page.evaluate(() => { const f = () => requestAnimationFrame(f); f(); });
  const busy = await busyFraction(page, cdp, 2000);
  await context.close();
  return { frames, updates, busy, calls: out.calls.blank, work: out.work.blank };
}

/**
 * Time from navigation to the first widget being interactive: the chapter's performance mark
 * "elbo-lab:first-widget" (the widgets on and near the first screen mounted, their handlers
 * attached; the rest of the chapter follows in later tasks, see www/main.js), or, for a build
 * without that mark, html[data-ready] (every widget mounted at once). Also the time to
 * html[data-ready] itself. Medians of `n` loads, each beside a blank page's load event.
 */
async function firstWidget(browser, url, rate, n = Number(process.env.FIRST_WIDGET_LOADS ?? 3)) {
  const times = [];
  const readies = [];
  const blank = [];
  for (let i = 0; i < n; i += 1) {
    const { page, context } = await openAt(browser, url, rate);
    const t = await page.evaluate(() => ({
      first: performance.getEntriesByName('elbo-lab:first-widget')[0]?.startTime ?? window.__readyAt, ready: window.__readyAt,
    }));
    times.push(t.first);
    readies.push(t.ready);
    await context.close();
    // Baseline: a blank page's load event, same throttle.
    const b = await openAt(browser, `${url}bench-blank.html`, rate, { ready: false });
    blank.push(await b.page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    await b.context.close();
  }
  return { value: percentile(times, 0.5), ready: percentile(readies, 0.5), base: percentile(blank, 0.5) };
}

/**
 * Every figure at full speed and throttled 4×, as results.json entries
 * `{ name, value, unit, baseline: { name, value } }`.
 */
export async function benchFrames(browser, url) {
  const entries = [];
  const add = (name, value, unit, baseline) => entries.push({
    name, value: Number(value.toPrecision(4)), unit, baseline: baseline && { name: baseline.name, value: Number(baseline.value.toPrecision(4)) },
  });
  for (const rate of RATES) {
    const pre = rate === 1 ? '' : `throttle${rate}_`;
    if (process.env.FIRST_WIDGET_ONLY) {
      const fw = await firstWidget(browser, url, rate);
      add(`${pre}first_widget_ms`, fw.value, 'ms', { name: `a blank page's load event${rate > 1 ? `, ${rate}× throttle` : ''}`, value: fw.base });
      add(`${pre}all_widgets_ready_ms`, fw.ready, 'ms', { name: `a blank page's load event${rate > 1 ? `, ${rate}× throttle` : ''}`, value: fw.base });
      continue;
    }
    const cases = selectedCases();
    const base = await baseline(browser, url, rate);
    const c = cases.length ? await chapter(browser, url, rate, cases) : { calls: {}, work: {} };
    const th = rate > 1 ? `, ${rate}× throttle` : '';
    const frameBase = { name: `empty rAF loop on a blank page, p95${th}`, value: percentile(base.frames, 0.95) };
    const updateBase = { name: `empty update on a blank page, p95${th}`, value: percentile(base.updates, 0.95) };
    for (const key of ['posterior_frame', 'derivation_follow_frame', 'klfit_forward_frame', 'klfit_reverse_frame',
      'vae_training_frame', 'klfit_mode_drag_frame', 'posterior_q_drag_frame', 'entropy_bar_drag_frame']) {
      if (!c[key]) continue;
      add(`${pre}${key}_p95_ms`, percentile(c[key], 0.95), 'ms', frameBase);
      add(`${pre}${key}_p50_ms`, percentile(c[key], 0.5), 'ms', { ...frameBase, name: frameBase.name.replace('p95', 'p50'), value: percentile(base.frames, 0.5) });
    }
    for (const key of ['klfit_mode_drag', 'posterior_q_drag', 'entropy_bar_drag', 'derivation_step']) {
      if (!c[key]) continue;
      add(`${pre}${key}_p95_ms`, percentile(c[key], 0.95), 'ms', updateBase);
      add(`${pre}${key}_p50_ms`, percentile(c[key], 0.5), 'ms', { ...updateBase, name: updateBase.name.replace('p95', 'p50'), value: percentile(base.updates, 0.5) });
    }
    // Drawing work per frame of each case, beside the empty rAF loop's (which draws nothing).
    for (const [key, calls] of Object.entries(c.calls)) {
      const none = (what) => ({ name: `empty rAF loop on a blank page, ${what} per frame${th}`, value: base.calls[what] });
      add(`${pre}${key}_canvas_calls_per_frame`, calls.all, 'calls', none('all'));
      add(`${pre}${key}_filltext_per_frame`, calls.fillText, 'calls', none('fillText'));
    }
    // The browser's work per frame of each case (layouts, style, paint, main-thread CPU), beside the empty loop's.
    for (const [key, work] of Object.entries(c.work)) {
      for (const [what, unit] of Object.entries(WORK_UNITS)) {
        add(`${pre}${key}_${what}_per_frame`, work[what], unit, { name: `empty rAF loop on a blank page, ${what} per frame${th}`, value: base.work[what] });
      }
    }
    if (c.posterior_busy !== undefined) {
      add(`${pre}posterior_animation_main_thread_busy`, c.posterior_busy, 'ratio', { name: `an empty rAF loop on a blank page${th}`, value: base.busy });
    }
    if (!wantFirstWidget()) continue;
    const fw = await firstWidget(browser, url, rate);
    add(`${pre}first_widget_ms`, fw.value, 'ms', { name: `a blank page's load event${th}`, value: fw.base });
    add(`${pre}all_widgets_ready_ms`, fw.ready, 'ms', { name: `a blank page's load event${th}`, value: fw.base });
  }
  return entries;
}

/** A server for `root` that also serves the blank baseline page. */
export function serveWithBlank(root = WWW) {
  return serve(root, { extra: { '/bench-blank.html': BLANK } });
}

const BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8">'
  + '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'"><title>blank</title></head><body></body></html>';

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await serveWithBlank(process.env.BENCH_WWW ?? WWW);
  const browser = await launch();
  try {
    const entries = await benchFrames(browser, server.url);
    for (const e of entries) console.log(`${e.name.padEnd(44)} ${String(e.value).padStart(9)} ${e.unit.padEnd(5)} ${e.baseline ? `${e.baseline.value} (${e.baseline.name})` : ''}`);
    const i = process.argv.indexOf('--json');
    if (i > 0) writeFileSync(process.argv[i + 1], `${JSON.stringify(entries, null, 2)}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}
