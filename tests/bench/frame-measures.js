// The bench's measuring tools (tests/bench/frames.js runs the cases): quantiles, rAF deltas and
// the in-page helpers (frame costs, 2-D canvas call counts), a fresh throttled page, and the
// DevTools trace of the renderer's main thread with what it tells per frame (busy fraction,
// layouts, style recalcs, paints, main-thread time).

/** The q-quantile (nearest rank) of `xs`. */
export function percentile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}

/** In the page: requestAnimationFrame deltas (ms) for `ms` milliseconds. */
export function rafDeltas(ms) {
  return new Promise((resolve) => {
    const deltas = [];
    let last = null;
    const end = performance.now() + ms;
    const tick = (now) => {
      if (last !== null) deltas.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(tick); else resolve(deltas);
    };
    requestAnimationFrame(tick);
  });
}

/**
 * In-page helpers: rAF deltas while an animation plays, and the full cost of one frame's update; and a
 * count of calls on 2-D canvas contexts (window.benchCanvasCalls: every method, and fillText),
 * a measure of drawing work that a loaded machine does not blur.
 */
function installHelpers() {
  const calls = { all: 0, fillText: 0 };
  window.benchCanvasCalls = calls;
  const proto = CanvasRenderingContext2D.prototype;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const { value } = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof value !== 'function' || name === 'constructor') continue;
    proto[name] = function counted(...args) {
      calls.all += 1;
      if (name === 'fillText') calls.fillText += 1;
      return value.apply(this, args);
    };
  }
  /**
   * rAF deltas (ms) while `playing()` holds, for `ms` milliseconds of such frames; when it
   * stops, `restart()` and skip that frame (an animation that ends, e.g. a converged fit).
   */
  window.benchFramesWhile = (ms, playing, restart) => new Promise((resolve) => {
    const deltas = [];
    let last = null;
    let total = 0;
    const tick = (now) => {
      if (last !== null && playing()) { deltas.push(now - last); total += now - last; }
      if (!playing()) restart();
      last = now;
      if (total < ms) requestAnimationFrame(tick); else resolve(deltas);
    };
    requestAnimationFrame(tick);
  });
  /**
   * `n` updates, one per frame: at the start of a frame (a rAF callback) `update(i)` runs, then
   * a message posted from that callback is handled after the browser has run style, layout,
   * paint and the commit of that frame; the time between is one update's whole main-thread
   * cost. Also returns the rAF deltas seen meanwhile.
   */
  window.benchUpdates = (n, update) => new Promise((resolve) => {
    const costs = [];
    const deltas = [];
    const channel = new MessageChannel();
    let t0 = 0;
    let last = null;
    let i = 0;
    const frame = (now) => {
      if (last !== null) deltas.push(now - last);
      last = now;
      t0 = performance.now();
      update(i);
      channel.port2.postMessage(0);
    };
    channel.port1.onmessage = () => {
      costs.push(performance.now() - t0);
      i += 1;
      if (i < n) requestAnimationFrame(frame); else { channel.port1.close(); resolve({ costs, deltas }); }
    };
    requestAnimationFrame(frame);
  });
  /** A synthetic mouse pointer event at client (x, y) on `el`. */
  window.benchPointer = (el, type, x, y) => el.dispatchEvent(new PointerEvent(type, {
    bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse', isPrimary: true,
    clientX: x, clientY: y, buttons: type === 'pointerup' ? 0 : 1, button: type === 'pointermove' ? -1 : 0,
  }));
}

/** A fresh page at `url` (reduced motion off), CPU throttled `rate`×, helpers installed. */
export async function openAt(browser, url, rate, { ready = true, viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.addInitScript(() => {
    // When the chapter says it is ready: every widget mounted with its handlers attached.
    new MutationObserver((_, obs) => {
      if (document.documentElement.dataset.ready === 'true') { window.__readyAt = performance.now(); obs.disconnect(); }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-ready'] });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  await page.goto(url);
  if (ready) await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
  await page.evaluate(installHelpers);
  return { page, context, cdp, problems };
}

/** Scrolls the widget `id` to the top of the viewport and waits two frames. */
export async function show(page, id) {
  await page.evaluate((id) => {
    document.querySelector(`[data-widget="${id}"]`).scrollIntoView({ block: 'start', behavior: 'instant' });
    return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  }, id);
}

/**
 * The trace events (devtools.timeline) of the renderer's main thread while `fn()` runs: the
 * CrRendererMain thread with the most top-level tasks. Returns { events, value } (fn's value).
 */
export async function traced(cdp, fn) {
  const events = [];
  const collect = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', collect);
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  let value;
  try {
    value = await fn();
  } finally {
    await cdp.send('Tracing.end');
    await done;
    cdp.off('Tracing.dataCollected', collect);
  }
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasks = (m) => events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && e.name === 'RunTask' && e.dur);
  const main = mains.map((m) => ({ m, n: tasks(m).length })).sort((a, b) => b.n - a.n)[0];
  if (!main) throw new Error('no renderer main thread in the trace');
  return { events: events.filter((e) => e.pid === main.m.pid && e.tid === main.m.tid), value };
}

/** Main-thread busy fraction over `ms`: the union of top-level task intervals / wall time. */
export async function busyFraction(page, cdp, ms) {
  let wall = 0;
  const { events } = await traced(cdp, async () => {
    const t0 = Date.now();
    await page.waitForTimeout(ms);
    wall = (Date.now() - t0) * 1000; // µs
  });
  const spans = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && e.dur).map((e) => [e.ts, e.ts + e.dur]).sort((a, b) => a[0] - b[0]);
  const t1 = spans.length ? spans[0][0] : 0;
  let busy = 0;
  let end = -Infinity;
  for (const [a, b] of spans) {
    if (b <= end) continue;
    busy += b - Math.max(a, end);
    end = b;
  }
  const span = Math.max(wall, (spans.length ? end - t1 : 0));
  return busy / span;
}

/**
 * What the browser did for the page's frames in a trace, per frame (`frames` of them): layouts
 * (Layout events), the layout objects in the tree they walk and their time; elements whose style was
 * recomputed; paints and the area they covered (each painted layer's cull rect, CSS px²); and
 * the main thread's time in top-level tasks (thread time). The counts do not depend on the
 * machine's speed or load; the two times do.
 */
export function frameWork(events, frames) {
  const per = (x) => x / Math.max(1, frames);
  const named = (name) => events.filter((e) => e.name === name && e.ph === 'X');
  const layouts = named('Layout');
  const area = (q) => Math.abs((q[2] - q[0]) * (q[5] - q[1]));
  return {
    layouts: per(layouts.length),
    layout_objects: per(layouts.reduce((s, e) => s + (e.args?.beginData?.totalObjects ?? 0), 0)),
    layout_ms: per(layouts.reduce((s, e) => s + (e.tdur ?? e.dur ?? 0), 0) / 1000),
    style_elements: per(named('UpdateLayoutTree').reduce((s, e) => s + (e.args?.elementCount ?? 0), 0)),
    paints: per(named('Paint').length),
    paint_px2: per(named('Paint').reduce((s, e) => s + (e.args?.data?.clip ? area(e.args.data.clip) : 0), 0)),
    main_cpu_ms: per(named('RunTask').reduce((s, e) => s + (e.tdur ?? e.dur ?? 0), 0) / 1000),
  };
}
