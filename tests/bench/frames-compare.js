// Two builds of the page side by side, for a before/after report on a shared machine: the
// frame cases of tests/bench/frames.js run on BEFORE (a built www/ folder, e.g. a copy taken
// before a change) and on this checkout's www/, alternately, ROUNDS times (3 by default), each
// figure the median of its rounds. Times (p50/p95 of rAF intervals and of whole updates) move
// with the machine's load; the counts beside them (canvas calls, layouts and the objects they
// walk, style recalcs, paints and their area) do not.
// BEFORE=/path/to/www [AFTER=/path/to/www] [ROUNDS=3] [FRAME_RATES=4] [FRAME_CASES=…] node tests/bench/frames-compare.js
// (AFTER: another build in place of this checkout's www/, e.g. a copy with one rule added)
import { percentile } from './frame-measures.js';
import { serveWithBlank, chapter, selectedCases } from './frames.js';
import { WWW } from '../lib/server.js';
import { launch } from '../lib/browser.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const RATE = Number((process.env.FRAME_RATES ?? '4').split(',')[0]);
if (!process.env.BEFORE) throw new Error('BEFORE=/path/to/a/built/www is required');

/** The figures of one chapter() run, flattened: { 'case metric': value }. */
function figures(c) {
  const out = {};
  for (const [key, v] of Object.entries(c)) {
    if (!Array.isArray(v)) continue;
    out[`${key} p50 ms`] = percentile(v, 0.5);
    out[`${key} p95 ms`] = percentile(v, 0.95);
  }
  for (const [key, calls] of Object.entries(c.calls ?? {})) out[`${key} canvas calls/frame`] = calls.all;
  for (const [key, work] of Object.entries(c.work ?? {})) for (const [what, x] of Object.entries(work)) out[`${key} ${what}/frame`] = x;
  if (c.posterior_busy !== undefined) out['posterior busy (ratio)'] = c.posterior_busy;
  return out;
}

const builds = { before: await serveWithBlank(process.env.BEFORE), after: await serveWithBlank(process.env.AFTER ?? WWW) };
const browser = await launch();
const runs = { before: [], after: [] };
try {
  const cases = selectedCases();
  for (let r = 0; r < ROUNDS; r += 1) {
    // Interleaved, and the order alternates, so neither build always runs on the busier turn.
    const order = r % 2 ? ['after', 'before'] : ['before', 'after'];
    for (const b of order) {
      runs[b].push(figures(await chapter(browser, builds[b].url, RATE, cases)));
      console.error(`round ${r + 1}/${ROUNDS} ${b} done`);
    }
  }
} finally {
  await browser.close();
  for (const s of Object.values(builds)) await s.close();
}
const median = (xs) => percentile(xs.filter((x) => Number.isFinite(x)), 0.5);
const fmt = (x) => (Math.abs(x) >= 1e5 ? x.toExponential(3) : Number(x.toPrecision(4)).toString());
console.log(`${RATE}× CPU throttle, medians of ${ROUNDS} interleaved rounds`);
console.log(`${'figure'.padEnd(48)} ${'before'.padStart(11)} ${'after'.padStart(11)}`);
for (const name of Object.keys(runs.after[0])) {
  const [b, a] = ['before', 'after'].map((k) => median(runs[k].map((f) => f[name])));
  console.log(`${name.padEnd(48)} ${fmt(b).padStart(11)} ${fmt(a).padStart(11)}`);
}
