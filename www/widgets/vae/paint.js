// The VAE widget's drawing, at most once per frame, from the latest snapshot: the buttons'
// state, the status line, the readouts of the last epoch, the loss curves, the latent plane,
// the toy sets' data space and the digits' pictures. The inspector and the baselines draw
// their own parts (inspector.js, baselines.js), called from here.
import { lab } from '../../lib/lab.js';
import { fmt, setText } from '../../lib/dom.js';
import { fitCanvas, fixedLayer } from '../../lib/canvas.js';
import { drawImages } from '../../lib/images.js';
import { HALF, MANIFOLD, RECON_COUNT, SAMPLE_COUNT } from './protocol.js';
import { drawInspector } from './inspector.js';
import { drawBaselines } from './baselines.js';
import { STEPS } from './latent.js';
import { shownSum } from './view.js';
import { drawCollapse } from './collapse.js';
import { paintRate } from './rate.js';

/** The Start/Pause button follows the reader's intent at once, not at the next frame. */
export function syncTrainButton({ t, run, ui }) {
  ui.buttons.train.textContent = run.running ? t('vae.pause') : t('vae.start');
  ui.buttons.train.setAttribute('aria-pressed', String(run.running));
}

export function paint(w) {
  const { t, run, state, ui } = w;
  const s = run.snapshot;
  const disabled = !run.ready;
  const b = ui.buttons;
  for (const button of [b.train, b.step, b.reset, b.save, b.load, b.interp, b.base]) button.disabled = disabled;
  syncTrainButton(w);
  if (!s || !run.data) return;
  const last = s.history.test[s.history.test.length - 1];
  const lastTrain = s.history.train[s.history.train.length - 1];
  ui.progress.max = state.target;
  ui.progress.value = Math.min(s.epoch, state.target);
  ui.outs.epoch.textContent = t('vae.epochOf', { epoch: s.epoch, target: state.target });
  ui.outs.speed.textContent = s.examplesPerSecond > 0 ? t('vae.speed', { v: Math.round(s.examplesPerSecond).toLocaleString('en-US') }) : '—';
  paintReadouts(w, s.config, last, lastTrain);
  paintObjective(w, s.config, lastTrain);
  paintRate(w, s, state.unit);
  b.fit.disabled = disabled || s.config.mode === 'autoencoder' || run.fitting;
  const now = run.diverged ? t('vae.stopped') : run.running ? t('vae.training', { epoch: s.epoch, target: state.target })
    : run.workerRunning ? t('vae.pausing') : s.epoch === 0 ? t('vae.idle') : t('vae.paused', { epoch: s.epoch });
  ui.status.textContent = run.note ? `${run.note} ${now}` : now;
  drawCurves(w, s);
  drawScatter(w, s);
  drawCollapse(w, s);
  const d = run.data;
  if (d.dataset !== 'digits') {
    drawDataSpace(w, s);
    drawInspector(w);
    return;
  }
  const { manifold, recon, samples, probe, interp } = ui.charts;
  const img = { width: d.width, height: d.height };
  if (!s.manifold.length) return; // no pictures from a diverged model
  drawImages(manifold, s.manifold, { ...img, count: MANIFOLD * MANIFOLD, cols: MANIFOLD });
  manifold.setAttribute('aria-label', t('vae.manifoldAlt', { n: MANIFOLD }));
  const both = new Float32Array(2 * RECON_COUNT * d.pixels);
  both.set(d.testX.subarray(0, RECON_COUNT * d.pixels));
  both.set(s.reconstructions, RECON_COUNT * d.pixels);
  drawImages(recon, both, { ...img, count: 2 * RECON_COUNT, cols: RECON_COUNT });
  recon.setAttribute('aria-label', t('vae.reconAlt', { n: RECON_COUNT }));
  drawImages(samples, s.samples, { ...img, count: SAMPLE_COUNT, cols: 8 });
  samples.setAttribute('aria-label', t('vae.samplesAlt', { n: SAMPLE_COUNT }));
  if (run.probe?.pixels) drawImages(probe, run.probe.pixels, { ...img, count: 1, cols: 1 });
  interp.hidden = !run.interp;
  if (run.interp) drawImages(interp, run.interp.pixels, { ...img, count: STEPS, cols: STEPS });
  drawInspector(w);
  if (run.baselines && run.baselines !== run.baselinesDrawn) drawBaselines(w);
}

/**
 * The numbers of the last epoch, each named with its sign: the training objective (with β),
 * the true ELBO of the training batches when β ≠ 1, and the held-out ELBO as expected
 * log-likelihood − KL, with the sum written out so that the shown numbers add up. A plain
 * autoencoder has no q and no prior term, so it has no ELBO: its log-likelihood at z = μ(x).
 */
function paintReadouts({ t, ui }, c, last, lastTrain) {
  const { rowLabels, rows, outs, sumNote } = ui;
  const ae = c.mode === 'autoencoder';
  setText(rowLabels.train, t(ae ? 'vae.rowTrainAe' : 'vae.rowTrain', { beta: fmt(c.beta, 2) }));
  setText(rowLabels.trainElbo, t('vae.rowTrainElbo'));
  setText(rowLabels.elbo, t('vae.rowElbo'));
  setText(rowLabels.recon, t(ae ? 'vae.rowReconAe' : 'vae.rowRecon'));
  setText(rowLabels.kl, t('vae.rowKl'));
  rows.trainElbo.hidden = ae || c.beta === 1;
  rows.elbo.hidden = ae;
  rows.kl.hidden = ae;
  setText(outs.train, lastTrain ? fmt(-lastTrain.loss, 2) : '—');
  setText(outs.trainElbo, lastTrain ? fmt(-(lastTrain.recon + lastTrain.kl), 2) : '—');
  if (!last) {
    for (const k of ['elbo', 'recon', 'kl']) setText(outs[k], '—');
    setText(sumNote, ae ? t('vae.aeNote') : '');
    return;
  }
  if (ae) {
    setText(outs.recon, fmt(-last.recon, 2));
    setText(sumNote, t('vae.aeNote'));
    return;
  }
  // The ELBO and the KL as estimated (rounded), the expected log-likelihood as their sum.
  const [elbo, kl, recon] = shownSum(-last.loss, last.kl);
  setText(outs.recon, recon);
  setText(outs.kl, kl);
  setText(outs.elbo, elbo);
  setText(sumNote, t('vae.sumNote', { recon, kl, elbo }));
}

/**
 * With a KL warm-up or free bits the training objective is not E_q[log p(x | z)] − β·KL with
 * the set β: its label names the epoch's β and the free-bits term, and the true ELBO is shown
 * beside it.
 */
function paintObjective({ t, ui }, c, lastTrain) {
  if (c.mode === 'autoencoder' || !(c.warmup > 0 || c.freeBits > 0)) return;
  const beta = fmt(lastTrain?.beta ?? c.beta, 2);
  setText(ui.rowLabels.train, c.freeBits > 0 ? t('vae.rowTrainFree', { beta, lambda: fmt(c.freeBits, 2) }) : t('vae.rowTrain', { beta }));
  ui.rows.trainElbo.hidden = false;
}

/**
 * The widget's charts' fixed parts (axes, the latent plane's frame, a toy set's held-out
 * points), each drawn only when its ranges, data or size change and copied in under what a
 * snapshot changes (canvas.js fixedLayer); `w.layers` holds them, one set per widget.
 */
function layers(w) {
  w.layers ??= { curves: fixedLayer(), scatter: fixedLayer(), data: fixedLayer(), dataIds: new WeakMap(), nextId: 0 };
  return w.layers;
}

/** The smallest of 10, 15, 20, 30, 50, 75, 100, 150, … that is ≥ n: the curves' epoch axis grows in steps. */
function epochsAbove(n) {
  for (let scale = 1; ; scale *= 10) {
    for (const m of [10, 15, 20, 30, 50, 75]) if (m * scale >= n) return m * scale;
  }
}

function drawCurves(w, s) {
  const { t, ui } = w;
  const { curves } = ui.charts;
  const n = s.history.train.length;
  const xs = Array.from({ length: n }, (_, i) => i + 1);
  const rows = [s.history.train.map((r) => r.loss), s.history.test.map((r) => r.loss), s.history.test.map((r) => r.recon), s.history.test.map((r) => r.kl)];
  const yMax = Math.max(1, ...rows.flat().filter(Number.isFinite)) * 1.05;
  const ranges = [1, epochsAbove(n), 0, yMax];
  const labels = [t('vae.axisEpoch'), t('vae.axisNats'), ''];
  const scale = fitCanvas(curves);
  layers(w).curves(curves, `${ranges} ${labels} ${scale}`, (off) => lab.drawCurves(off, [], [], [], [], [], [], [], NaN, ranges, labels, scale));
  lab.drawCurves(curves, xs, rows.flat(), ['blue', 'orange', 'green', 'purple'], [0, 0, 0, 0], [], [], [], NaN, ranges, labels, scale, true);
  const last = s.history.test[n - 1];
  curves.setAttribute('aria-label', last
    ? t('vae.curvesAlt', { n, loss: fmt(last.loss, 2), recon: fmt(last.recon, 2), kl: fmt(last.kl, 2) })
    : t('vae.curvesEmpty'));
}

/** The held-out codes coloured by label, the decoded point and the interpolation's path. */
function drawScatter(w, s) {
  const { t, run, ui } = w;
  const { scatter } = ui.charts;
  const scale = fitCanvas(scatter);
  layers(w).scatter(scatter, String(scale), (off) => lab.drawLatentFrame(off, HALF, 'z₁', 'z₂', scale));
  const marks = run.probe ? run.probe.z.slice(0, 2) : [];
  const classes = s.codes.length === 2 * run.data.testY.length ? run.data.testY : new Uint8Array(0); // none after a divergence
  run.scatterRect = lab.drawLatentOverlay(scatter, HALF, s.codes, classes, marks, run.path, [], scale);
  scatter.setAttribute('aria-label', t('vae.latentAlt', { n: s.codes.length / 2, dims: s.config.latent }));
}

/** The toy sets: held-out points coloured by class, and the decoder's means m(z), z ~ p(z). */
function drawDataSpace(w, s) {
  const { t, run, ui } = w;
  const { dataChart } = ui.charts;
  const x = run.data.testX;
  let half = 1;
  for (const v of x) if (Number.isFinite(v)) half = Math.max(half, Math.abs(v) * 1.1);
  const scale = fitCanvas(dataChart);
  // The frame and the held-out points change only with the data (a new data message).
  const l = layers(w);
  if (!l.dataIds.has(run.data)) l.dataIds.set(run.data, (l.nextId += 1));
  l.data(dataChart, `${l.dataIds.get(run.data)} ${scale}`, (off) => {
    lab.drawLatentFrame(off, half, 'x₁', 'x₂', scale);
    lab.drawLatentOverlay(off, half, Float64Array.from(x), run.data.testY, [], [], [], scale);
  });
  const model = Float64Array.from(s.samples);
  const marks = run.probe?.pixels?.length === 2 ? Array.from(run.probe.pixels) : [];
  lab.drawLatentOverlay(dataChart, half, model, new Uint8Array(0), marks, [], [], scale);
  dataChart.setAttribute('aria-label', t('vae.dataAlt', { n: x.length / 2, m: model.length / 2, dataset: t(`vae.dataset.${run.data.dataset}`) }));
}
