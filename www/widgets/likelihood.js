// Widget "likelihood": coin flips. Left, P(k heads | θ) for fixed θ (probability); right,
// L(θ | data) for fixed data (likelihood) with θ and the MLE marked; a "why logs" panel where
// the naive product of per-flip probabilities underflows to 0 while the sum of logs does not;
// and "From likelihood to posterior" (likelihood-posterior.js): a Beta(a, b) prior on θ and its
// Beta(a + h, b + t) posterior for the same data.
import { lab } from '../lib/lab.js';
import { h, fmt, uid } from '../lib/dom.js';
import { fitCanvas, onResize } from '../lib/canvas.js';
import { stringsFor } from '../lib/i18n.js';
import { PRIOR, posteriorPanel, snap } from './likelihood-posterior.js';

const MAX_FLIPS = 10000; // must match math::inference::likelihood::MAX_FLIPS
const GRID = 401; // θ points on the likelihood curve
const SIZES = [10, 100, 1000, 10000]; // data-set sizes in the "why logs" panel
const LABEL_BARS = 12; // value labels on the bars only up to this many bars
const SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

/** "m × 10ᵉ" from a mantissa string and an integer exponent. */
const sci = (m, e) => `${m} × 10${String(e).split('').map((c) => SUP[c]).join('')}`;

/** A positive f64 as a short decimal or in scientific notation (0 stays "0"). */
function num(x) {
  if (x === 0 || x >= 1e-3) return fmt(x, 4);
  const [m, e] = x.toExponential(3).split('e');
  return sci(m, Number(e));
}

/** exp(logValue) written from its logarithm, so it never underflows: "1.995 × 10⁻³⁰¹¹". */
function fromLog(logValue) {
  if (logValue === -Infinity) return '0';
  const l10 = logValue / Math.LN10;
  let e = Math.floor(l10);
  let m = 10 ** (l10 - e);
  if (Number(m.toFixed(3)) >= 10) { m /= 10; e += 1; }
  return e >= -3 ? fmt(Math.exp(logValue), 4) : sci(m.toFixed(3), e);
}

/** A labelled range slider; `onInput` receives the new value. */
function slider(label, aria, min, max, step, value, onInput) {
  const id = uid('lik-slider');
  const out = h('output', { for: id });
  const input = h('input', { id, type: 'range', min, max, step, value, 'aria-label': aria, oninput: () => onInput(Number(input.value)) });
  return { input, out, el: h('div', { class: 'slider' }, h('label', { for: id }, label), input, out) };
}

/** A labelled whole-number input. */
function countInput(label, value, onChange) {
  const id = uid('lik-count');
  const input = h('input', { id, type: 'number', min: 0, max: MAX_FLIPS, step: 1, value, inputmode: 'numeric', onchange: () => onChange(input) });
  return { input, el: h('label', { for: id, class: 'count' }, `${label} `, input) };
}

/** Mounts the widget into `root`; options { heads, tails, theta, thetaTrue, seed, n, a, b }. */
export function mount(root, options = {}) {
  const { t } = stringsFor(root);
  const s = {
    heads: options.heads ?? 7, tails: options.tails ?? 3, theta: options.theta ?? 0.5,
    thetaTrue: options.thetaTrue ?? 0.5, seed: options.seed ?? 42, sample: options.n ? { n: options.n } : null,
    a: snap(options.a, PRIOR.a), b: snap(options.b, PRIOR.b), // the Beta(a, b) prior of the posterior panel
  };
  const thetas = Float64Array.from({ length: GRID }, (_, i) => i / (GRID - 1));

  const status = h('p', { class: 'status', role: 'alert' });
  /** Reads a count input; on bad input shows the error and restores the old value. */
  const readCount = (input, key, name) => {
    const v = Number(input.value);
    const other = key === 'heads' ? s.tails : s.heads;
    if (input.value === '' || !Number.isInteger(v) || v < 0 || v > MAX_FLIPS) {
      status.textContent = t('lik.badCount', { name });
    } else if (v + other > MAX_FLIPS) {
      status.textContent = t('lik.tooMany', { n: v + other });
    } else { s[key] = v; status.textContent = ''; }
    render();
  };
  const headsIn = countInput(t('lik.heads'), s.heads, (i) => readCount(i, 'heads', t('lik.heads')));
  const tailsIn = countInput(t('lik.tails'), s.tails, (i) => readCount(i, 'tails', t('lik.tails')));
  /** Adds one flip of `key`, refusing past MAX_FLIPS. */
  const add = (key) => {
    if (s.heads + s.tails >= MAX_FLIPS) { status.textContent = t('lik.tooMany', { n: s.heads + s.tails + 1 }); return; }
    s[key] += 1; status.textContent = ''; render();
  };
  const thetaSl = slider(t('lik.theta'), t('lik.thetaLabel'), 0, 1, 0.01, s.theta, (v) => { s.theta = v; render(); });
  thetaSl.el.dataset.control = 'theta';

  const probCanvas = h('canvas', { class: 'chart', role: 'img' });
  const likCanvas = h('canvas', { class: 'chart', role: 'img' });
  const outs = Object.fromEntries(['theta', 'mle', 'loglik', 'lik'].map((k) => [k, h('output', { 'data-out': `lik-${k}` })]));
  const row = (label, cell) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, cell));
  const readout = h('table', { class: 'readout' }, h('tbody', {},
    row(t('lik.rowTheta'), outs.theta), row(t('lik.rowMle'), outs.mle),
    row(t('lik.rowLogLik'), outs.loglik), row(t('lik.rowLik'), outs.lik)));

  // "Why logs" panel.
  const trueSl = slider(t('lik.thetaTrue'), t('lik.thetaTrueLabel'), 0, 1, 0.01, s.thetaTrue, (v) => { s.thetaTrue = v; resample(); });
  trueSl.el.classList.add('slider-wide');
  const seedId = uid('lik-seed');
  const seedIn = h('input', { id: seedId, type: 'number', min: 0, step: 1, value: s.seed, onchange: () => {
    const v = Number(seedIn.value);
    if (seedIn.value === '' || !Number.isSafeInteger(v) || v < 0) { status.textContent = `${t('lik.seed')}: ${t('lik.badCount', { name: t('lik.seed') })}`; seedIn.value = s.seed; return; }
    s.seed = v; status.textContent = ''; resample();
  } });
  const sizeButtons = SIZES.map((n) => h('button', {
    type: 'button', 'data-size': n, 'aria-pressed': 'false', 'aria-label': t('lik.simulateLabel', { n: n.toLocaleString('en') }),
    onclick: () => { s.sample = { n }; resample(); },
  }, t('lik.simulate', { n: n.toLocaleString('en') })));
  const useBtn = h('button', { type: 'button', 'data-action': 'use-sample', disabled: true, onclick: () => {
    if (!s.sample) return;
    s.heads = s.sample.heads; s.tails = s.sample.n - s.sample.heads; status.textContent = ''; render();
  } }, t('lik.useSample'));
  const whyText = h('p', { 'data-out': 'lik-why', 'aria-live': 'polite' });
  const whyOuts = Object.fromEntries(['naive', 'sum', 'true'].map((k) => [k, h('output', { 'data-out': `lik-${k}` })]));
  const whyTable = h('table', { class: 'readout' }, h('tbody', {},
    row(t('lik.rowNaive'), whyOuts.naive), row(t('lik.rowSum'), whyOuts.sum), row(t('lik.rowTrue'), whyOuts.true)));

  const posterior = posteriorPanel(t, s, slider, () => render());

  root.replaceChildren(
    h('fieldset', { class: 'controls' }, h('legend', { class: 'controls-title' }, t('lik.dataLegend')),
      headsIn.el, h('button', { type: 'button', 'data-action': 'add-heads', 'aria-label': `${t('lik.addHeads')}: ${t('lik.addHeadsLabel')}`, onclick: () => add('heads') }, t('lik.addHeads')),
      tailsIn.el, h('button', { type: 'button', 'data-action': 'add-tails', 'aria-label': `${t('lik.addTails')}: ${t('lik.addTailsLabel')}`, onclick: () => add('tails') }, t('lik.addTails')),
      h('button', { type: 'button', 'data-action': 'reset', onclick: () => { s.heads = 0; s.tails = 0; status.textContent = ''; render(); } }, t('lik.reset'))),
    thetaSl.el, status,
    h('div', { class: 'panel-columns' },
      h('div', {}, h('p', { class: 'chart-caption' }, t('lik.probCaption')), h('div', { class: 'chart-wrap' }, probCanvas)),
      h('div', {}, h('p', { class: 'chart-caption' }, t('lik.likCaption')), h('div', { class: 'chart-wrap' }, likCanvas))),
    readout, h('p', { class: 'note' }, t('lik.seqNote')),
    h('div', { class: 'panel', 'data-part': 'why-logs' },
      h('h3', {}, t('lik.whyTitle')), h('p', { class: 'note' }, t('lik.whyHowto')),
      trueSl.el, h('label', { for: seedId }, `${t('lik.seed')} `, seedIn),
      h('div', { class: 'controls' }, sizeButtons, useBtn), whyText, whyTable),
    posterior.el);

  /** Re-simulates the chosen data-set size with the current seed and θ_true. */
  function resample() {
    if (s.sample) s.sample.heads = lab.simulateFlips(s.sample.n, s.thetaTrue, s.seed);
    render();
  }

  /** Draws the binomial bars for the current data size and θ (for large n, only the k range
   * holding visible mass, ≥ 10⁻⁴ of the peak, plus the observed k). */
  function drawProbability(n) {
    const pmf = lab.binomialPmf(n, s.theta);
    const top = Math.max(...pmf);
    const mode = pmf.indexOf(top);
    let lo = 0;
    let hi = n;
    if (n > 40) {
      while (lo < s.heads && pmf[lo] < top * 1e-4) lo += 1;
      while (hi > s.heads && pmf[hi] < top * 1e-4) hi -= 1;
    }
    const shown = pmf.subarray(lo, hi + 1);
    const every = Math.max(1, Math.ceil(shown.length / 8));
    const cats = Array.from(shown, (_, i) => (i % every === 0 ? String(lo + i) : ''));
    lab.drawBars(probCanvas, cats, shown, ['blue'], 0, top * 1.15 || 1, t('lik.axisP'), s.heads - lo, NaN, '',
      shown.length <= LABEL_BARS, fitCanvas(probCanvas));
    probCanvas.setAttribute('aria-label', t('lik.probAlt', { n, theta: fmt(s.theta, 2), k: s.heads, p: num(pmf[s.heads]), mode })
      + (lo > 0 || hi < n ? ` ${t('lik.probRange', { lo, hi })}` : ''));
  }

  /** Draws L(θ)/L(θ̂) over [0, 1] with the θ and θ̂ markers. */
  function drawLikelihood(n, r) {
    const ll = lab.coinLogLikelihoodCurve(s.heads, s.tails, thetas);
    const best = n === 0 ? 0 : lab.coinLikelihood(s.heads, s.tails, r.mle).logLikelihood;
    const ys = ll.map((v) => Math.exp(v - best));
    const xs = n === 0 ? [s.theta] : [s.theta, r.mle];
    const labels = [t('lik.markerTheta', { v: fmt(s.theta, 2) })];
    if (n > 0 && Math.abs(r.mle - s.theta) < 0.12) labels[0] += `, ${t('lik.markerMle', { v: fmt(r.mle, 3) })}`;
    if (n > 0) labels.push(Math.abs(r.mle - s.theta) < 0.12 ? '' : t('lik.markerMle', { v: fmt(r.mle, 3) }));
    lab.drawCurves(likCanvas, thetas, ys, ['purple'], [1], xs, ['orange', 'green'].slice(0, xs.length), labels, NaN,
      [0, 1, 0, 1.1], [t('lik.axisTheta'), n === 0 ? t('lik.axisLFlat') : t('lik.axisL'), ''], fitCanvas(likCanvas));
    likCanvas.setAttribute('aria-label', n === 0 ? t('lik.likAltEmpty') : t('lik.likAlt', {
      h: s.heads, t: s.tails, mle: fmt(r.mle, 3), theta: fmt(s.theta, 2), ratio: fromLog(r.logLikelihood - best), ll: fmt(r.logLikelihood, 2),
    }));
  }

  /** Fills the "why logs" panel for the simulated sample at the current θ. */
  function renderWhy() {
    for (const b of sizeButtons) b.setAttribute('aria-pressed', String(Number(b.dataset.size) === s.sample?.n));
    useBtn.disabled = !s.sample;
    if (!s.sample) { whyText.textContent = t('lik.whyNone'); for (const o of Object.values(whyOuts)) o.textContent = '—'; return; }
    const { n, heads } = s.sample;
    const r = lab.coinLikelihood(heads, n - heads, s.theta);
    whyText.textContent = t('lik.whySample', {
      n: n.toLocaleString('en'), seed: s.seed, thetaTrue: fmt(s.thetaTrue, 2), h: heads, t: n - heads, theta: fmt(s.theta, 2),
    });
    const ruledOut = r.logLikelihood === -Infinity;
    whyOuts.naive.textContent = r.naiveProduct === 0 ? t(ruledOut ? 'lik.exactZero' : 'lik.underflow') : num(r.naiveProduct);
    whyOuts.naive.parentElement.classList.toggle('error', r.naiveProduct === 0 && !ruledOut);
    whyOuts.sum.textContent = `${fmt(r.logLikelihood, 2)} ${t('lik.nats')}`;
    whyOuts.true.textContent = fromLog(r.logLikelihood);
  }

  function render() {
    headsIn.input.value = s.heads;
    tailsIn.input.value = s.tails;
    thetaSl.out.textContent = fmt(s.theta, 2);
    trueSl.out.textContent = fmt(s.thetaTrue, 2);
    const n = s.heads + s.tails;
    const r = lab.coinLikelihood(s.heads, s.tails, s.theta);
    outs.theta.textContent = fmt(s.theta, 2);
    outs.mle.textContent = r.mle === null ? t('lik.noMle') : fmt(r.mle, 4);
    outs.loglik.textContent = `${fmt(r.logLikelihood, 3)} ${t('lik.nats')}`;
    outs.lik.textContent = fromLog(r.logLikelihood);
    drawProbability(n);
    drawLikelihood(n, r);
    renderWhy();
    posterior.render(r.mle);
  }

  resample(); // a linked sample size is simulated again from its seed and θ_true
  const unobserve = onResize(probCanvas, render);
  // The prior is left out while it is the default, as the sample size is while there is none.
  const state = () => ({
    heads: s.heads, tails: s.tails, theta: s.theta, thetaTrue: s.thetaTrue, seed: s.seed, ...(s.sample && { n: s.sample.n }),
    ...((s.a !== PRIOR.a || s.b !== PRIOR.b) && { a: s.a, b: s.b }),
  });
  return { state, destroy() { unobserve(); root.replaceChildren(); } };
}
