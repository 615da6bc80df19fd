// The logistic target's data points: clicks on the data panel that add or remove them, and the
// difference between two point lists as one edit the posterior can apply in place
// (Posterior2d.addPoint / removePoint update its grid instead of building a new one).
import { at, VIEW } from './draw.js';

export const MAX_POINTS = 200; // crate/src/math/inference/vi2d/target.rs MAX_POINTS
/** A small data set for the logistic target: label 1 where 1.5 x₁ − x₂ > 0, roughly. */
export const EXAMPLE_POINTS = [1, 0.5, 2, 1, 0.5, -1, 1.5, -0.5, -1, -0.5, -2, -1, -0.5, 1, -1.5, 0.5, 0.3, 1.2, -0.4, -1.1];
export const EXAMPLE_LABELS = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1];
const NEAR = 0.25; // a click this close (data units) to a point removes it

/**
 * The one edit that turns (points, labels) into (nextPoints, nextLabels): { add: [x₁, x₂, y] }
 * (appended), { remove: index }, or null when they differ otherwise (or not at all).
 */
export function pointEdit(points, labels, nextPoints, nextLabels) {
  const n = labels.length;
  const same = (i, j) => points[2 * i] === nextPoints[2 * j] && points[2 * i + 1] === nextPoints[2 * j + 1] && labels[i] === nextLabels[j];
  if (nextLabels.length === n + 1 && nextPoints.length === 2 * n + 2) {
    for (let i = 0; i < n; i++) if (!same(i, i)) return null;
    return { add: [nextPoints[2 * n], nextPoints[2 * n + 1], nextLabels[n]] };
  }
  if (nextLabels.length === n - 1 && nextPoints.length === 2 * n - 2) {
    let k = 0;
    while (k < n - 1 && same(k, k)) k++;
    for (let i = k + 1; i < n; i++) if (!same(i, i - 1)) return null;
    return { remove: k };
  }
  return null;
}

/**
 * Handles pointer presses on the data canvas: a press near a point removes it, elsewhere adds
 * one of class `cls()` (Shift: the other class), rounded to 0.1. `store` holds the widget's
 * state; `before()` runs first (pausing the animation), `full(max)` when no point can be added.
 */
export function listenForPoints(canvas, store, { cls, before, full }) {
  canvas.addEventListener('pointerdown', (event) => {
    const s = store.get();
    const [a, b] = at(canvas, event);
    if (Math.abs(a) > VIEW || Math.abs(b) > VIEW) return;
    before();
    const near = s.labels.findIndex((_, i) => Math.hypot(s.points[2 * i] - a, s.points[2 * i + 1] - b) < NEAR);
    if (near >= 0) {
      const points = s.points.filter((_, k) => Math.floor(k / 2) !== near);
      store.set({ ...s, points, labels: s.labels.filter((_, k) => k !== near) });
      return;
    }
    if (s.labels.length >= MAX_POINTS) { full(MAX_POINTS); return; }
    const label = event.shiftKey ? 1 - cls() : cls();
    const round = (v) => Math.round(v * 10) / 10;
    store.set({ ...s, points: [...s.points, round(a), round(b)], labels: [...s.labels, label] });
  });
}
