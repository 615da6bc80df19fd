// The edit latencies of tests/bench/edits.js (mutual-information: a cell, ε; Jensen: q, K, λ)
// on two builds of the page, alternately, ROUNDS times (3 by default; the order alternates), each
// figure the median of its rounds: p50/p95 in ms, which move with the machine's load, and per
// edit the 2-D canvas calls, the layouts and the objects they walk, and the elements restyled
// (from a DevTools trace), which do not, and the main thread's CPU time (thread time of the
// tasks in which the edits ran, the frames between them included), which moves less.
// BEFORE=/path/to/www [ROUNDS=3] [EDITS=400] node tests/bench/edits-compare.js
import { percentile, openAt, traced } from './frame-measures.js';
import { serveWithBlank } from './frames.js';
import { jensenEdit, mutualEdit } from './edits.js';
import { WWW } from '../lib/server.js';
import { launch } from '../lib/browser.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const EDITS = Number(process.env.EDITS ?? 400);
if (!process.env.BEFORE) throw new Error('BEFORE=/path/to/a/built/www is required');

/** Per kind of edit (bracketed by console.timeStamp in edits.js): layouts, their objects, restyled elements. */
function workPerEdit(events, counts) {
  const marks = events.filter((e) => e.name === 'TimeStamp' && String(e.args?.data?.message).startsWith('bench:'))
    .sort((a, b) => a.ts - b.ts);
  const out = {};
  for (let i = 0; i + 1 < marks.length; i += 1) {
    const kind = marks[i].args.data.message.slice('bench:'.length);
    if (kind === 'end') continue;
    const inside = (e) => e.ph === 'X' && e.ts >= marks[i].ts && e.ts <= marks[i + 1].ts;
    const n = counts[kind];
    const layouts = events.filter((e) => e.name === 'Layout' && inside(e));
    out[`${kind} layouts/edit`] = layouts.length / n;
    out[`${kind} layout objects/edit`] = layouts.reduce((s, e) => s + (e.args?.beginData?.totalObjects ?? 0), 0) / n;
    out[`${kind} restyled elements/edit`] = events.filter((e) => e.name === 'UpdateLayoutTree' && inside(e))
      .reduce((s, e) => s + (e.args?.elementCount ?? 0), 0) / n;
    // Thread time (not wall time): what the edits cost the main thread, descheduling left out.
    out[`${kind} main-thread cpu ms/edit`] = events.filter((e) => e.name === 'RunTask' && inside(e))
      .reduce((s, e) => s + (e.tdur ?? e.dur ?? 0), 0) / 1000 / n;
  }
  return out;
}

/** One round on `url`: both widgets, their times, canvas calls and trace counts. */
async function round(browser, url) {
  const { page, context, cdp, problems } = await openAt(browser, url, 1);
  try {
    const counts = { cell: EDITS / 2, eps: EDITS / 2, q: EDITS / 4, k: EDITS / 4, lam: EDITS / 4 };
    const { events, value: [mi, js] } = await traced(cdp, async () => [await mutualEdit(page, EDITS), await jensenEdit(page, EDITS)]);
    if (problems.length) throw new Error(`the page logged problems: ${problems.join('; ')}`);
    const out = {
      'mi cell p50 ms': mi.cell50, 'mi cell p95 ms': mi.cell95, 'mi eps p95 ms': mi.eps95,
      'jensen q p50 ms': js.q50, 'jensen q p95 ms': js.q95, 'jensen k p95 ms': js.k95, 'jensen lam p95 ms': js.lam95,
    };
    for (const [kind, n] of Object.entries({ ...mi.calls, ...js.calls })) out[`${kind} canvas calls/edit`] = n;
    return { ...out, ...workPerEdit(events, counts) };
  } finally {
    await context.close();
  }
}

const builds = { before: await serveWithBlank(process.env.BEFORE), after: await serveWithBlank(WWW) };
const browser = await launch();
const runs = { before: [], after: [] };
try {
  for (let r = 0; r < ROUNDS; r += 1) {
    const order = r % 2 ? ['after', 'before'] : ['before', 'after'];
    for (const b of order) {
      runs[b].push(await round(browser, builds[b].url));
      console.error(`round ${r + 1}/${ROUNDS} ${b} done`);
    }
  }
} finally {
  await browser.close();
  for (const s of Object.values(builds)) await s.close();
}
const median = (xs) => percentile(xs.filter((x) => Number.isFinite(x)), 0.5);
const fmt = (x) => Number(x.toPrecision(4)).toString();
console.log(`medians of ${ROUNDS} interleaved rounds, ${EDITS} edits per widget`);
console.log(`${'figure'.padEnd(40)} ${'before'.padStart(10)} ${'after'.padStart(10)}`);
for (const name of Object.keys(runs.after[0])) {
  const [b, a] = ['before', 'after'].map((k) => median(runs[k].map((f) => f[name])));
  console.log(`${name.padEnd(40)} ${fmt(b).padStart(10)} ${fmt(a).padStart(10)}`);
}
