// The VAE widget's latent plane, explored: a click or the arrow keys decode that point, and
// two held-out images' codes are joined by a decoded interpolation.
import { fmt } from '../../lib/dom.js';
import { pointerFraction } from '../../lib/canvas.js';
import { HALF, MSG } from './protocol.js';
import { clampInt } from './view.js';

/** Images along the interpolation. */
export const STEPS = 10;

/** Decodes the point (z1, z2) of the latent plane (other dimensions 0) into the probe. */
export async function decodeAt(w, z1, z2) {
  const { t, run, ui } = w;
  const z = new Array(run.snapshot.config.latent).fill(0);
  z[0] = z1;
  if (z.length > 1) z[1] = z2;
  run.probe = { z: [z1, z2], pixels: null };
  try {
    run.probe.pixels = await w.request(MSG.decode, { z });
    ui.charts.probe.setAttribute('aria-label', t('vae.probeAlt', { z1: fmt(z1, 2), z2: fmt(z2, 2) }));
  } catch (err) {
    w.showError(w.error(err));
  }
  w.schedule();
}

/** Click (or arrow keys, Shift for bigger steps) in the latent plane: decode that point. */
export function listenLatent(w) {
  const { run } = w;
  const { scatter } = w.ui.charts;
  scatter.addEventListener('pointerdown', (e) => {
    if (!run.scatterRect || !run.snapshot) return;
    const { fx, fy } = pointerFraction(scatter, run.scatterRect, e);
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    decodeAt(w, -HALF + 2 * HALF * fx, -HALF + 2 * HALF * fy);
  });
  scatter.addEventListener('keydown', (e) => {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (!moves[e.key] || !run.snapshot) return;
    e.preventDefault();
    const [z1, z2] = run.probe?.z ?? [0, 0];
    const step = e.shiftKey ? 1 : 0.25;
    const c = (v) => Math.min(HALF, Math.max(-HALF, v));
    decodeAt(w, c(z1 + moves[e.key][0] * step), c(z2 + moves[e.key][1] * step));
  });
}

/** Decoded images along the segment between the codes of held-out images a and b. */
export async function interpolate(w) {
  const { t, run, state } = w;
  const { a: aIn, b: bIn } = w.ui.control;
  const n = run.data.testX.length / run.data.pixels;
  state.a = clampInt(Number(aIn.input.value), 0, n - 1, 0);
  state.b = clampInt(Number(bIn.input.value), 0, n - 1, 1);
  aIn.input.value = state.a;
  bIn.input.value = state.b;
  try {
    const r = await w.request(MSG.interpolate, { a: state.a, b: state.b, steps: STEPS });
    run.interp = r;
    run.path = r.path;
    w.ui.charts.interp.setAttribute('aria-label', t('vae.interpAlt', { a: state.a, b: state.b, da: run.data.testY[state.a], db: run.data.testY[state.b], n: STEPS }));
  } catch (err) {
    w.showError(w.error(err));
  }
  w.schedule();
}
