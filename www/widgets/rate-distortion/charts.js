// The rate-distortion widget's two charts (widgets/rate-distortion.js): the models on the
// rate–distortion plane with the lines D + R = constant, and the ELBO surgery's stacked bar.
import { fmt } from '../../lib/dom.js';
import { fitCanvas } from '../../lib/canvas.js';
import { BETAS } from '../../lib/sweep-choices.js';

const COLORS = { point: '#2563eb', current: '#dc2626', reader: '#059669', iso: '#94a3b8', info: '#7c3aed', marginal: '#ea580c', axis: '#334155' };

/**
 * Whether the reader's model (vae/rate.js readerModel) can stand on the sweep's plane: D is the
 * code length of the same binarised held-out digits under a Bernoulli decoder only if it was
 * trained on the digits; on other data, or with a Gaussian likelihood, D measures something else.
 */
export const comparable = (m) => m?.dataset === 'digits' && m.likelihood === 'bernoulli';

/**
 * The rate–distortion plane on `plane`: the isolines D + R = c, the finished models of the
 * sweep (`results` by β index, `beta` the current one), and the reader's model when comparable;
 * `k` is the unit's nats (1 or ln 2), `u` its name.
 */
export function drawPlane(plane, { t, results, reader, beta, k, u }) {
  const scale = fitCanvas(plane);
  const ctx = plane.getContext('2d');
  const [w, hgt] = [plane.width, plane.height];
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  ctx.scale(scale, scale);
  const [W, H] = [w / scale, hgt / scale];
  const pad = { l: 56, r: 16, t: 12, b: 40 };
  const done = results.filter(Boolean);
  const mine = comparable(reader) ? reader : null;
  const shownModels = mine ? [...done, mine] : done;
  const maxR = Math.max(1, ...shownModels.map((x) => x.rate / k)) * 1.1;
  const maxD = Math.max(1, ...shownModels.map((x) => x.distortion / k)) * 1.1;
  const X = (v) => pad.l + (v / maxR) * (W - pad.l - pad.r);
  const Y = (v) => H - pad.b - (v / maxD) * (H - pad.t - pad.b);
  ctx.font = '12px system-ui, sans-serif';
  // Isolines D + R = c: −ELBO is constant along each (slope −1 in these units).
  const cur = results[BETAS.indexOf(beta)];
  const step = niceStep((maxR + maxD) / 6);
  ctx.save();
  ctx.beginPath();
  ctx.rect(pad.l, pad.t, W - pad.l - pad.r, H - pad.t - pad.b);
  ctx.clip();
  ctx.strokeStyle = COLORS.iso;
  ctx.setLineDash([4, 4]);
  ctx.lineWidth = 1;
  for (let c = step; c < maxR + maxD; c += step) {
    ctx.beginPath();
    ctx.moveTo(X(0), Y(c));
    ctx.lineTo(X(c), Y(0));
    ctx.stroke();
  }
  if (cur) {
    const c = cur.negElbo / k;
    ctx.strokeStyle = COLORS.current;
    ctx.beginPath();
    ctx.moveTo(X(0), Y(c));
    ctx.lineTo(X(c), Y(0));
    ctx.stroke();
  }
  ctx.restore();
  // Axes.
  ctx.strokeStyle = COLORS.axis;
  ctx.fillStyle = COLORS.axis;
  ctx.beginPath();
  ctx.moveTo(pad.l, pad.t);
  ctx.lineTo(pad.l, H - pad.b);
  ctx.lineTo(W - pad.r, H - pad.b);
  ctx.stroke();
  ctx.textAlign = 'center';
  ctx.fillText(t('rd.axisRate', { unit: u }), (pad.l + W - pad.r) / 2, H - 8);
  for (const [v, lab] of ticks(maxR)) ctx.fillText(lab, X(v), H - pad.b + 14);
  ctx.textAlign = 'right';
  for (const [v, lab] of ticks(maxD)) ctx.fillText(lab, pad.l - 4, Y(v) + 4);
  ctx.save();
  ctx.translate(14, (pad.t + H - pad.b) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(t('rd.axisDistortion', { unit: u }), 0, 0);
  ctx.restore();
  // The models.
  ctx.textAlign = 'left';
  BETAS.forEach((b, i) => {
    const x = results[i];
    if (!x) return;
    const isCurrent = b === beta;
    ctx.fillStyle = isCurrent ? COLORS.current : COLORS.point;
    ctx.beginPath();
    ctx.arc(X(x.rate / k), Y(x.distortion / k), isCurrent ? 6 : 4, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillText(`β = ${b}`, X(x.rate / k) + 8, Y(x.distortion / k) - 6);
  });
  if (mine) {
    // The reader's model: a green diamond, labelled below it (the sweep's labels sit above).
    const [cx, cy] = [X(mine.rate / k), Y(mine.distortion / k)];
    ctx.fillStyle = COLORS.reader;
    ctx.beginPath();
    ctx.moveTo(cx, cy - 7);
    ctx.lineTo(cx + 7, cy);
    ctx.lineTo(cx, cy + 7);
    ctx.lineTo(cx - 7, cy);
    ctx.closePath();
    ctx.fill();
    ctx.fillText(t('rd.readerLabel', { beta: fmt(mine.beta, 2), latent: mine.latent }), cx + 9, cy + 16);
  }
  const mineAlt = mine ? ` ${t('rd.readerAlt', { beta: fmt(mine.beta, 2), latent: mine.latent, r: fmt(mine.rate / k), d: fmt(mine.distortion / k), unit: u })}` : '';
  plane.setAttribute('aria-label', (done.length
    ? t('rd.planeAlt', { points: done.map((x) => `β = ${x.beta}: R = ${fmt(x.rate / k)}, D = ${fmt(x.distortion / k)}`).join('; '), unit: u })
    : t('rd.planeEmptyAlt', { r: fmt(maxR, 1), d: fmt(maxD, 1), step: fmt(step, 1), unit: u, models: BETAS.length })) + mineAlt);
}

/**
 * The ELBO surgery of model `r` on `stack`: R = I_q(x; z) + KL(q(z) ‖ p(z)) as a stacked bar
 * (an empty bar for no model; `beta` the chosen one), in the unit of `k` nats named `u`.
 */
export function drawStack(stack, r, { t, beta, k, u }) {
  const scale = fitCanvas(stack);
  const ctx = stack.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, stack.width, stack.height);
  ctx.scale(scale, scale);
  const [W] = [stack.width / scale];
  const pad = 16;
  if (!r) {
    // An empty bar until a model is chosen.
    ctx.strokeStyle = COLORS.iso;
    ctx.strokeRect(pad, 30, W - 2 * pad, 36);
    ctx.fillStyle = COLORS.axis;
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillText(t('rd.empty'), pad, 88);
    stack.setAttribute('aria-label', t('rd.stackEmptyAlt', { beta }));
    return;
  }
  const info = Math.max(0, r.mutualInformation) / k;
  const marginal = Math.max(0, r.marginalKl) / k;
  const rate = r.rate / k;
  const top = Math.max(rate, info + marginal) * 1.05 || 1;
  const X = (v) => pad + (v / top) * (W - 2 * pad);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = COLORS.info;
  ctx.fillRect(X(0), 30, X(info) - X(0), 36);
  ctx.fillStyle = COLORS.marginal;
  ctx.fillRect(X(info), 30, X(info + marginal) - X(info), 36);
  ctx.strokeStyle = COLORS.axis;
  ctx.beginPath();
  ctx.moveTo(X(rate), 22);
  ctx.lineTo(X(rate), 74);
  ctx.stroke();
  ctx.fillStyle = COLORS.axis;
  ctx.textAlign = 'left';
  ctx.fillText(`I_q(x; z) = ${fmt(r.mutualInformation / k)} ${u}`, pad, 88);
  ctx.fillText(`KL(q(z) ‖ p(z)) = ${fmt(r.marginalKl / k)} ${u}`, pad, 104);
  ctx.fillText(t('rd.stackRate', { r: fmt(rate), unit: u }), pad, 16);
  stack.setAttribute('aria-label', t('rd.stackAlt', {
    i: fmt(r.mutualInformation / k), kl: fmt(r.marginalKl / k), r: fmt(rate), unit: u,
  }));
}

/** A round step (1, 2 or 5 × 10ⁿ) near `x`. */
function niceStep(x) {
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : 5) * p;
}

/** Tick values and labels over [0, max]. */
function ticks(max) {
  const step = niceStep(max / 5);
  const out = [];
  for (let v = 0; v <= max; v += step) out.push([v, fmt(v, step < 1 ? 1 : 0)]);
  return out;
}
