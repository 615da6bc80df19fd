// `make bench`'s figures for 3.5's vi-2d widget, at full speed and with the CPU throttled 4×
// (DevTools Emulation.setCPUThrottlingRate, Lighthouse's mobile profile): one Adam step +
// redraw, and one data point added to or removed from the logistic target (posterior grid,
// log Z, moments, forward fit, redraw). Beside each time, counts a loaded machine does not blur:
// calls on 2-D canvas contexts per edit. With a second build of www/ (`before`, e.g. a checkout
// of main) both builds are measured in the same run, interleaved round by round, and the
// medians over rounds of each round's p50/p95 are reported.
// Run alone: node tests/bench/vi2d.js [--before /path/to/www] [--rounds 3]
import { existsSync } from 'node:fs';
import { serve, WWW } from '../lib/server.js';
import { launch } from '../lib/browser.js';

const RATES = [1, 4];
const STEPS = 200; // Step clicks per round
const POINTS = 100; // point edits per round (alternately added and removed)

/** The median of `xs`. */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * In the page: mounts a fresh vi-2d widget at the top of the page and times `steps` Step
 * clicks on the correlated Gaussian (Reset every 50), then `points` point edits on the logistic
 * target from its 10 example points (a point added, then removed again), and `points` / 2
 * edits adding distinct points (the posterior narrows: the grid's box may have to move).
 * Returns p50/p95 of each, and the canvas calls per edit.
 */
async function measure({ steps, points, module }) {
  const pct = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
  if (!window.benchCalls) {
    const calls = { all: 0 };
    window.benchCalls = calls;
    const proto = CanvasRenderingContext2D.prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const { value } = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof value !== 'function' || name === 'constructor') continue;
      proto[name] = function counted(...args) { calls.all += 1; return value.apply(this, args); };
    }
  }
  const calls = window.benchCalls;
  const frame = () => new Promise(requestAnimationFrame);
  const { mount } = await import(module);
  const root = Object.assign(document.createElement('div'), { className: 'widget' });
  document.querySelector('main').prepend(root);
  window.scrollTo(0, 0);
  const widget = mount(root, { state: { target: 'gaussian' } });
  for (let i = 0; i < 3; i += 1) await frame();
  const step = root.querySelector('[data-action="step"]');
  const reset = root.querySelector('[data-action="reset"]');
  const stepTimes = [];
  let stepCalls = 0;
  for (let i = 0; i < steps; i += 1) {
    if (i % 50 === 0) { reset.click(); await frame(); }
    const before = calls.all;
    const t0 = performance.now();
    step.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    stepTimes.push(performance.now() - t0);
    stepCalls += calls.all - before;
    if (i % 10 === 0) await frame();
  }
  root.querySelector('[data-target="logistic"]').click();
  await frame();
  const base = widget.store.get();
  if (base.labels.length !== 10) throw new Error('the logistic target should start from its 10 example points');
  const edit = (next) => {
    const before = calls.all;
    const t0 = performance.now();
    widget.store.set(next);
    return [performance.now() - t0, calls.all - before];
  };
  const toggled = [];
  let toggledCalls = 0;
  for (let i = 0; i < points; i += 1) {
    const s = widget.store.get();
    const next = i % 2 === 0
      ? { ...s, points: [...s.points, (i % 7) / 2 - 1.5, (i % 5) / 2 - 1], labels: [...s.labels, i % 4 < 2 ? 1 : 0] }
      : { ...s, points: s.points.slice(0, -2), labels: s.labels.slice(0, -1) };
    const [t, c] = edit(next);
    toggled.push(t);
    toggledCalls += c;
    if (i % 10 === 0) await frame();
  }
  if (widget.store.get().labels.length !== 10) throw new Error('the point edits did not balance');
  const fresh = [];
  for (let i = 0; i < points / 2; i += 1) {
    const s = widget.store.get();
    const x = [((i * 37) % 90) / 10 - 4.5, ((i * 53) % 90) / 10 - 4.5];
    const [t] = edit({ ...s, points: [...s.points, ...x], labels: [...s.labels, x[0] * 1.5 - x[1] > 0 ? 1 : 0] });
    fresh.push(t);
    if (i % 10 === 0) await frame();
  }
  const alert = root.querySelector('[data-out="vi2d-error"]');
  if (!alert.hidden) throw new Error(`the widget showed an error: ${alert.textContent}`);
  widget.destroy();
  root.remove();
  return {
    step50: pct(stepTimes, 0.5), step95: pct(stepTimes, 0.95), stepCalls: stepCalls / steps,
    point50: pct(toggled, 0.5), point95: pct(toggled, 0.95), pointCalls: toggledCalls / points,
    fresh50: pct(fresh, 0.5), fresh95: pct(fresh, 0.95),
  };
}

/** A page on embed.html?widget=vi-2d of `url` (the lab loaded, strings in), CPU throttled `rate`×. */
async function open(browser, url, rate) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(`${url}embed.html?widget=vi-2d`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 120000 });
  return { page, context, problems };
}

/**
 * The figures at full speed and throttled 4×, as results.json entries { name, value, unit,
 * baseline }: for `urls.after` (this build), beside `urls.before` when given (measured in the
 * same run, interleaved over `rounds` rounds), else beside nothing.
 */
export async function benchVi2d(browser, urls, { rounds = 1, beforeRoot = null } = {}) {
  // The widget's module: a folder since it was split, a single file in builds before.
  const module = (root) => (root && !existsSync(`${root}/widgets/vi-2d/index.js`) ? './widgets/vi-2d.js' : './widgets/vi-2d/index.js');
  const entries = [];
  const builds = urls.before ? ['before', 'after'] : ['after'];
  for (const rate of RATES) {
    const pages = {};
    for (const b of builds) pages[b] = await open(browser, urls[b], rate);
    const runs = Object.fromEntries(builds.map((b) => [b, []]));
    for (let r = 0; r < rounds; r += 1) {
      // Alternate which build goes first, so neither always meets a warmer machine.
      for (const b of r % 2 ? [...builds].reverse() : builds) {
        runs[b].push(await pages[b].page.evaluate(measure, { steps: STEPS, points: POINTS, module: module(b === 'before' ? beforeRoot : null) }));
      }
    }
    for (const b of builds) {
      if (pages[b].problems.length) throw new Error(`the ${b} page logged problems: ${pages[b].problems.join('; ')}`);
      await pages[b].context.close();
    }
    const pre = rate === 1 ? '' : `throttle${rate}_`;
    const pick = (b, key) => median(runs[b].map((x) => x[key]));
    for (const [key, name, unit] of [
      ['step95', 'vi2d_step_p95_ms', 'ms'], ['step50', 'vi2d_step_p50_ms', 'ms'],
      ['point95', 'vi2d_point_p95_ms', 'ms'], ['point50', 'vi2d_point_p50_ms', 'ms'],
      ['fresh95', 'vi2d_new_points_p95_ms', 'ms'], ['fresh50', 'vi2d_new_points_p50_ms', 'ms'],
      ['stepCalls', 'vi2d_step_canvas_calls', 'calls'], ['pointCalls', 'vi2d_point_canvas_calls', 'calls'],
    ]) {
      const value = Number(pick('after', key).toPrecision(4));
      const baseline = urls.before
        ? { name: `the same, before build${rate > 1 ? `, ${rate}× throttle` : ''}`, value: Number(pick('before', key).toPrecision(4)) }
        : null;
      entries.push({ name: `${pre}${name}`, value, unit, baseline });
    }
  }
  return entries;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  const after = await serve(WWW);
  const beforeRoot = arg('--before');
  const before = beforeRoot ? await serve(beforeRoot) : null;
  const browser = await launch();
  try {
    const entries = await benchVi2d(browser, { after: after.url, before: before?.url }, { rounds: Number(arg('--rounds') ?? 1), beforeRoot });
    for (const e of entries) {
      const b = e.baseline ? `${e.baseline.value} (${e.baseline.name})` : '';
      console.log(`${e.name.padEnd(36)} ${String(e.value).padStart(9)} ${e.unit.padEnd(5)} ${b}`);
    }
  } finally {
    await browser.close();
    await after.close();
    await before?.close();
  }
}
