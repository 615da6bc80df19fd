// The VAE widget's entry to the reader's own data (issue 14): the "your points" data set in the
// menu (a CSV kept in localStorage) and the button that opens the points panel. The panel's
// code and strings (own-points.js, www/i18n/owndata/) are fetched when first opened.
import { disclosure, h, uid } from '../../lib/dom.js';
import { stringsFor } from '../../lib/i18n.js';
import { OWN } from './protocol.js';

/** Where the reader's points (their CSV text) are kept. */
export const POINTS_KEY = 'elbo-lab.points';

/** The stored CSV text, or null (also when storage is unavailable). */
export function storedPoints() {
  try {
    return globalThis.localStorage?.getItem(POINTS_KEY) || null;
  } catch {
    return null;
  }
}

/**
 * Adds the "your points" option to the data set menu (while points are stored) and the button
 * of the points panel after the model's controls. `onPoints(text | null)` hears of points the
 * reader loaded (already stored) or forgot.
 */
export function ownPointsControls(w, onPoints) {
  const select = w.ui.control.dataset.input;
  const option = h('option', { value: OWN }, w.t('vae.dataset.own'));
  const sync = (has) => { if (has && !option.isConnected) select.append(option); else if (!has) option.remove(); };
  sync(Boolean(w.state.points));
  const box = h('div', { class: 'own-data', id: uid('own-points'), hidden: true });
  const button = h('button', { type: 'button', 'data-action': 'own-points', 'aria-expanded': 'false', 'aria-controls': box.id }, w.t('vae.ownPoints'));
  select.closest('.controls').after(h('div', { class: 'controls' }, button), box);
  return disclosure(button, box, () => import('./own-points.js').then((m) => m.mountOwnPoints(box, {
    strings: stringsFor(select), current: w.state.points, key: POINTS_KEY,
    onPoints(text) { sync(Boolean(text)); onPoints(text); },
  })));
}

/**
 * The "Draw a digit" button and its panel, after the inspector's image controls: the pad's
 * drawing is inspected in place of a held-out image (own-digit.js, fetched when first opened).
 */
export function ownDigitControls(w) {
  const prev = w.ui.buttons.fit.closest('.controls');
  const box = h('div', { class: 'own-data', id: uid('own-digit'), hidden: true });
  const button = h('button', { type: 'button', 'data-action': 'own-digit', 'aria-expanded': 'false', 'aria-controls': box.id }, w.t('vae.ownDigit'));
  prev.append(button);
  prev.after(box);
  return disclosure(button, box, () => import('./own-digit.js').then((m) => m.mountOwnDigit(box, w, stringsFor(prev).lang)));
}
