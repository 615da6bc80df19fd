// The VAE widget's inspector: one held-out image, its exact posterior p(z | x) on a grid under
// the encoder's q(z | x) ellipse, log p(x) = ELBO + gap with the IWAE bound, and on request the
// two parts of the gap from a per-image fit q* (the worker's Adam).
import { lab } from '../../lib/lab.js';
import { fmt } from '../../lib/dom.js';
import { fitCanvas } from '../../lib/canvas.js';
import { drawImages, blit } from '../../lib/images.js';
import { FIT_STEPS, HALF, IWAE_K, MSG } from './protocol.js';
import { clampInt, shownDifference } from './view.js';

/** Refresh the posterior at most this often while training. */
export const INSPECT_EVERY_MS = 2500;

/** Inspects held-out image `i` (clamped to the data set). */
export function pick(w, i) {
  const { run, state } = w;
  const n = run.data ? run.data.testX.length / run.data.pixels : 360;
  state.index = clampInt(i, 0, n - 1, 0);
  state.drawn = null; // a held-out image replaces the reader's drawing
  w.ui.control.index.input.value = state.index;
  inspect(w, true);
}

/**
 * Asks the worker about the chosen image or the reader's drawing. At most one request is out:
 * a `force`d call while one is out (a new image, another painted cell) is remembered and sent
 * when the reply arrives, with the image or drawing current then, so a fast drawing costs one
 * request in flight and one after it, not one per cell (each is a 200 × 200 grid and IWAE with
 * K = 2,000). An unforced call (the refresh while training) is dropped while one is out.
 */
export async function inspect(w, force = false) {
  const { t, run, state, ui } = w;
  if (!run.ready) return;
  if (run.inspecting) {
    if (force) run.inspectAgain = true;
    return;
  }
  run.inspecting = true;
  run.lastInspect = performance.now();
  try {
    // The reader's drawn digit (own-digit.js) while there is one, else the chosen held-out image.
    const drawn = run.data?.dataset === 'digits' ? state.drawn : null;
    run.inspected = await w.request(MSG.inspect, { index: state.index, k: IWAE_K, pixels: drawn ?? undefined });
    run.inspected.epoch = run.snapshot?.epoch;
    // q* was fitted to one image on one decoder: it is stale once either changes.
    if (run.fitted && (drawn || run.fitted.index !== state.index || run.fitted.epoch !== run.inspected.epoch)) {
      run.fitted = null;
      ui.fitNote.textContent = '';
    }
  } catch (err) {
    // Not an alert: the alert may be explaining a divergence, which is the likelier cause.
    run.inspected = null;
    ui.postNote.textContent = t('vae.error', { message: w.error(err) });
  } finally {
    run.inspecting = false;
  }
  w.schedule();
  if (run.inspectAgain) {
    run.inspectAgain = false;
    inspect(w, true);
  }
}

export function drawInspector(w) {
  const { t, run, ui } = w;
  const { postOuts, postLabels, postRows, postNote, postOverlay } = ui;
  const { chosen, postFrame, gap } = ui.charts;
  const r = run.inspected;
  const d = run.data;
  if (!r || !d || r === run.inspectorDrawn) return; // unchanged since the last paint
  run.inspectorDrawn = r;
  if (r.pixels) {
    drawImages(chosen, r.pixels, { width: d.width, height: d.height, count: 1, cols: 1 });
    chosen.setAttribute('aria-label', t('vae.drawnAlt'));
  } else if (d.dataset === 'digits') {
    drawImages(chosen, d.testX.subarray(r.index * d.pixels, (r.index + 1) * d.pixels), { width: d.width, height: d.height, count: 1, cols: 1 });
    chosen.setAttribute('aria-label', t('vae.chosenAlt', { index: r.index, digit: d.testY[r.index] }));
  } else {
    ui.chosenPoint.textContent = t('vae.post.point', { x1: fmt(d.testX[2 * r.index], 2), x2: fmt(d.testX[2 * r.index + 1], 2) });
  }
  postOuts.label.textContent = r.pixels ? t('vae.drawnLabel') : String(d.testY[r.index]);
  w.onInspected?.(r); // the drawing panel's readouts (own-digit.js)
  postLabels.label.textContent = t('vae.post.label');
  const scale = fitCanvas(postFrame);
  fitCanvas(postOverlay);
  const rect = lab.drawLatentFrame(postFrame, HALF, 'z₁', 'z₂', scale);
  const sigma = r.logvar.map((lv) => Math.exp(0.5 * lv));
  const f = run.fitted?.index === r.index ? run.fitted : null;
  const grid = Boolean(r.density);
  // log p(x): the grid sum in 2-D; otherwise only the IWAE estimate stands in for it.
  const logpx = grid ? r.logEvidence : r.iwae;
  // With a fit, both ELBOs come from the fit's estimator (same samples for q_φ and q*).
  const elbo = f ? f.elboEncoder : r.elbo;
  const numbers = [logpx, elbo, ...r.mu, ...sigma, ...(f ? [f.elboStar, ...f.mu, ...f.logvar] : [])];
  if (!numbers.every(Number.isFinite)) {
    // A diverged model: say so instead of drawing numbers that are not numbers.
    for (const o of Object.values(postOuts)) o.textContent = '—';
    postNote.textContent = t('vae.post.broken');
    postOverlay.getContext('2d').clearRect(0, 0, postOverlay.width, postOverlay.height);
    postFrame.setAttribute('aria-label', t('vae.post.broken'));
    fitCanvas(gap);
    gap.getContext('2d').clearRect(0, 0, gap.width, gap.height);
    return;
  }
  if (grid) blit(postFrame, lab.densityImage(r.density, r.n), r.n, rect);
  postOverlay.getContext('2d').clearRect(0, 0, postOverlay.width, postOverlay.height);
  const ellipses = r.mu.length === 2 ? [r.mu[0], r.mu[1], sigma[0], sigma[1]] : [];
  if (f && ellipses.length) ellipses.push(f.mu[0], f.mu[1], Math.exp(0.5 * f.logvar[0]), Math.exp(0.5 * f.logvar[1]));
  lab.drawLatentOverlay(postOverlay, HALF, [], new Uint8Array(0), [], [], ellipses, scale);

  const se = (v, e) => (Number.isFinite(e) ? `${v} ${t('vae.post.se', { se: fmt(e, 2) })}` : v);
  postLabels.logpx.textContent = grid ? t('vae.post.logpx') : t('vae.post.logpxNd', { latent: r.mu.length });
  postLabels.iwae.textContent = t('vae.post.iwae', { k: r.k ?? IWAE_K });
  postLabels.elbo.textContent = t('vae.post.elbo');
  postLabels.elboStar.textContent = t('vae.post.elboStar');
  postLabels.gap.textContent = t(grid ? 'vae.post.gap' : 'vae.post.gapNd');
  postLabels.amort.textContent = t('vae.post.amort');
  postLabels.approx.textContent = t(grid ? 'vae.post.approx' : 'vae.post.approxNd');
  postOuts.logpx.textContent = grid ? fmt(logpx, 2) : '—';
  postOuts.iwae.textContent = fmt(r.iwae, 2);
  const [logpxShown, elboShown, gapShown] = shownDifference(logpx, elbo);
  postOuts.elbo.textContent = se(elboShown, f?.elboEncoderSe);
  postOuts.gap.textContent = gapShown;
  for (const k of ['elboStar', 'amort', 'approx']) postRows[k].hidden = !f;
  let negative = logpx < elbo;
  if (f) {
    const [starShown, , amort] = shownDifference(f.elboStar, elbo);
    const [, , approx] = shownDifference(logpx, f.elboStar);
    postOuts.elboStar.textContent = se(starShown, f.elboStarSe);
    postOuts.amort.textContent = amort;
    postOuts.approx.textContent = approx;
    negative ||= f.elboStar < elbo || logpx < f.elboStar;
  }
  const notes = [grid ? t('vae.post.note2d', { k: r.k ?? IWAE_K }) : t('vae.post.noteNd', { latent: r.mu.length, k: r.k ?? IWAE_K })];
  if (negative) notes.push(t('vae.post.noise'));
  postNote.textContent = notes.join(' ');
  postFrame.setAttribute('aria-label', grid
    ? t('vae.postAlt', { m1: fmt(r.mu[0], 2), m2: fmt(r.mu[1], 2), s1: fmt(sigma[0], 2), s2: fmt(sigma[1], 2) })
    : t('vae.postAltNd'));
  const evidenceLabel = grid ? t('vae.bar.logpx', { v: logpxShown }) : t('vae.bar.iwae', { v: logpxShown });
  const shown = Math.min(elbo, logpx); // the picture cannot show a negative gap; the readouts do
  const xMin = shown - Math.max(4, 1.5 * (logpx - shown));
  if (f) {
    lab.drawGapParts(gap, logpx, shown, f.elboStar, xMin,
      [t('vae.axisNats'), t('vae.bar.elbo'), t('vae.bar.amort'), t('vae.bar.approx'), evidenceLabel], fitCanvas(gap));
    const [, , amort] = shownDifference(f.elboStar, elbo);
    const [, starShown, approx] = shownDifference(logpx, f.elboStar);
    gap.setAttribute('aria-label', t('vae.gapPartsAlt', { logpx: logpxShown, elbo: elboShown, star: starShown, amort, approx }));
  } else {
    lab.drawGapBar(gap, logpx, shown, xMin, [t('vae.axisNats'), t('vae.bar.elbo'), t('vae.bar.gap'), evidenceLabel], fitCanvas(gap));
    gap.setAttribute('aria-label', t('vae.gapAlt', { logpx: logpxShown, elbo: elboShown, gap: gapShown }));
  }
}

/**
 * The two parts of the gap: fit q* = N(m, diag s²) to the chosen image on the current decoder,
 * by gradient ascent on its ELBO from the encoder's q (in the worker), and compare.
 */
export async function fitq(w) {
  const { t, run, state, ui } = w;
  if (!run.ready || run.fitting) return;
  run.fitting = true;
  ui.fitNote.textContent = t('vae.fitting');
  w.schedule();
  try {
    const epoch = run.snapshot?.epoch;
    const r = await w.request(MSG.fitq, { index: state.index, steps: FIT_STEPS });
    run.fitted = { ...r, epoch };
    run.inspectorDrawn = null;
    ui.fitNote.textContent = t('vae.fitted', { steps: r.steps, index: r.index });
  } catch (err) {
    run.fitted = null;
    ui.fitNote.textContent = t('vae.error', { message: w.error(err) });
  } finally {
    run.fitting = false;
  }
  w.schedule();
}
