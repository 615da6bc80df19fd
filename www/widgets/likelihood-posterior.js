// The likelihood widget's third panel, "From likelihood to posterior": a Beta(a, b) prior on θ,
// updated by the widget's own heads and tails into the Beta(a + h, b + t) posterior
// (conjugacy), drawn beside the prior and the likelihood scaled to area 1, with the posterior
// mean, the central 95% credible interval and the log evidence ln p(data) in nats.
import { lab } from '../lib/lab.js';
import { h, fmt, uid } from '../lib/dom.js';
import { fitCanvas } from '../lib/canvas.js';

/** The prior sliders' range and step (the API accepts 0.001 to 10⁶: math::inference::beta::SHAPE_RANGE). */
export const SHAPE = { min: 0.1, max: 50, step: 0.1 };
/** The prior the panel opens with: uniform, Beta(1, 1). */
export const PRIOR = { a: 1, b: 1 };
const PRESETS = [
  { id: 'uniform', a: 1, b: 1, label: 'beta.presetUniform' },
  { id: 'jeffreys', a: 0.5, b: 0.5, label: 'beta.presetJeffreys' },
  { id: 'fair', a: 20, b: 20, label: 'beta.presetFair' },
];
const GRID = 401; // evenly spaced θ points on [0, 1]
const DENSE = 241; // extra θ points across the posterior's mean ± 6 sd, so a narrow peak is drawn
const INNER = [0.02, 0.98]; // where an unbounded density (a shape below 1) sets the y range

/** A shape parameter as shown: at most two decimals, no trailing zeros ("7.5", "20", "0.5"). */
export const shape = (x) => String(Number(x.toFixed(2)));

/** `x` (a number, else the default `d`) on the sliders' step and clamped to their range. */
export function snap(x, d) {
  const v = Number.isFinite(x) ? Math.round(x * 10) / 10 : d; // 10 = 1 / SHAPE.step
  return Math.min(SHAPE.max, Math.max(SHAPE.min, v));
}

/** The θ grid: evenly spaced points, dense ones around the posterior, and its interval ends. */
function grid(post) {
  const sd = Math.sqrt(post.variance);
  const xs = Array.from({ length: GRID }, (_, i) => i / (GRID - 1));
  for (let i = 0; i < DENSE; i += 1) {
    const x = post.mean + sd * (-6 + (12 * i) / (DENSE - 1));
    if (x > 0 && x < 1) xs.push(x);
  }
  xs.push(post.lower, post.upper, post.mean);
  return Float64Array.from(new Set(xs)).sort();
}

/** The largest finite density to fit on the chart: everywhere if both shapes are ≥ 1 (the
 * density is bounded), else only on INNER (it is unbounded at an end). */
function peak(xs, ys, a, b) {
  const bounded = a >= 1 && b >= 1;
  let top = 0;
  for (let i = 0; i < xs.length; i += 1) {
    if (Number.isFinite(ys[i]) && (bounded || (xs[i] >= INNER[0] && xs[i] <= INNER[1]))) top = Math.max(top, ys[i]);
  }
  return top;
}

/**
 * Builds the panel. `s` is the widget's state ({ heads, tails, a, b }, read at each render);
 * `slider(label, aria, min, max, step, value, onInput)` is the widget's labelled slider;
 * `changed()` redraws the widget. Returns { el, render(mle) } (mle: h/(h + t) or null).
 */
export function posteriorPanel(t, s, slider, changed) {
  const set = (key) => (v) => { s[key] = snap(v, PRIOR[key]); changed(); };
  const aSl = slider(t('beta.a'), t('beta.aLabel'), SHAPE.min, SHAPE.max, SHAPE.step, s.a, set('a'));
  const bSl = slider(t('beta.b'), t('beta.bLabel'), SHAPE.min, SHAPE.max, SHAPE.step, s.b, set('b'));
  aSl.el.dataset.control = 'prior-a';
  bSl.el.dataset.control = 'prior-b';
  const presets = PRESETS.map((p) => h('button', {
    type: 'button', 'data-preset': p.id, 'aria-pressed': 'false',
    onclick: () => { s.a = p.a; s.b = p.b; changed(); },
  }, t(p.label)));
  const canvas = h('canvas', { class: 'chart', role: 'img', 'data-chart': 'posterior' });
  const outs = Object.fromEntries(['post', 'mean', 'mode', 'mle', 'interval', 'evidence']
    .map((k) => [k, h('output', { 'data-out': `beta-${k}` })]));
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));
  const coincide = h('p', { class: 'note', 'data-out': 'beta-coincide', hidden: true }, t('beta.coincide'));
  const titleId = uid('beta-title');
  const el = h('div', { class: 'panel', 'data-part': 'posterior', role: 'group', 'aria-labelledby': titleId },
    h('h3', { id: titleId }, t('beta.panelTitle')), h('p', { class: 'note' }, t('beta.panelHowto')),
    h('fieldset', { class: 'controls' }, h('legend', { class: 'controls-title' }, t('beta.priorLegend')),
      aSl.el, bSl.el, h('div', { class: 'controls' }, presets)),
    h('p', { class: 'chart-caption' }, t('beta.caption')),
    h('div', { class: 'chart-wrap' }, canvas),
    h('p', { class: 'legend' },
      h('span', { class: 'swatch swatch-orange' }), ` ${t('beta.legendPrior')} `,
      h('span', { class: 'swatch swatch-purple' }), ` ${t('beta.legendLik')} `,
      h('span', { class: 'swatch swatch-blue' }), ` ${t('beta.legendPost')} `,
      h('span', { class: 'swatch swatch-green' }), ` ${t('beta.legendMean')}`),
    coincide,
    h('table', { class: 'readout' }, h('tbody', {},
      row(t('beta.rowPosterior'), outs.post), row(t('beta.rowMean'), outs.mean), row(t('beta.rowMode'), outs.mode),
      row(t('lik.rowMle'), outs.mle), row(t('beta.rowInterval'), outs.interval), row(t('beta.rowEvidence'), outs.evidence))));

  /** Recomputes the posterior for the widget's current data and prior; redraws and fills. */
  function render(mle) {
    const { heads, tails, a, b } = s;
    aSl.input.value = a;
    bSl.input.value = b;
    aSl.out.textContent = shape(a);
    bSl.out.textContent = shape(b);
    for (const btn of presets) {
      const p = PRESETS.find((q) => q.id === btn.dataset.preset);
      btn.setAttribute('aria-pressed', String(p.a === a && p.b === b));
    }
    coincide.hidden = !(a === 1 && b === 1);
    const xs = grid(lab.betaPosterior(heads, tails, a, b));
    const post = lab.betaPosterior(heads, tails, a, b, xs);
    const prior = lab.betaPosterior(0, 0, a, b, xs).density;
    // The likelihood θʰ(1 − θ)ᵗ scaled to area 1 is the Beta(h + 1, t + 1) density.
    const lik = lab.betaPosterior(heads, tails, 1, 1, xs).density;
    const band = xs.map((x, i) => (x >= post.lower && x <= post.upper ? post.density[i] : NaN));
    const top = Math.max(peak(xs, prior, a, b), peak(xs, lik, heads + 1, tails + 1), peak(xs, post.density, post.a, post.b));
    const ys = new Float64Array(4 * xs.length);
    [band, prior, lik, post.density].forEach((row, k) => ys.set(row, k * xs.length));
    lab.drawCurves(canvas, xs, ys, ['blue', 'orange', 'purple', 'blue'], [1, 0, 0, 0], [post.mean], ['green'],
      [t('beta.markerMean', { v: fmt(post.mean, 3) })], NaN, [0, 1, 0, 1.15 * top || 1],
      [t('lik.axisTheta'), t('beta.axisDensity'), ''], fitCanvas(canvas));
    const lo = fmt(post.lower, 4);
    const hi = fmt(post.upper, 4);
    canvas.setAttribute('aria-label', t('beta.alt', {
      pa: shape(a), pb: shape(b), h: heads, t: tails, a: shape(post.a), b: shape(post.b), mean: fmt(post.mean, 4), lo, hi,
    }));
    outs.post.textContent = t('beta.betaOf', { a: shape(post.a), b: shape(post.b) });
    outs.mean.textContent = fmt(post.mean, 4);
    outs.mode.textContent = post.mode === null ? t('beta.noMode') : fmt(post.mode, 4);
    outs.mle.textContent = mle === null ? t('lik.noMle') : fmt(mle, 4);
    outs.interval.textContent = t('beta.interval', { lo, hi });
    outs.evidence.textContent = `${fmt(post.logEvidence, 3)} ${t('lik.nats')}`;
  }

  return { el, render };
}
