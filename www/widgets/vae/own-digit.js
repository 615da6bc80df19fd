// The reader's own digit (issue 14): an 8×8 pad (mouse, touch, keyboard) whose image goes
// through the trained VAE in its worker by the inspector's path (inspector.js: the exact
// posterior and q(z | x)), plus its code μ(x), its reconstruction, and its IWAE bound beside the
// held-out digits' (vae-analysis.js COMPARE_K, same estimator and seed). Loaded when first opened.
import { fmt, h, setText } from '../../lib/dom.js';
import { drawImages } from '../../lib/images.js';
import { ownStrings } from '../../lib/own-strings.js';
import { inspect } from './inspector.js';

const SIDE = 8; // pixels per side of the digits (www/data/digits.bin)

/** Mounts the pad into `box` for widget context `w`; resolves to { destroy }. */
export async function mountOwnDigit(box, w, lang) {
  const t = await ownStrings(lang);
  const ink = new Array(SIDE * SIDE).fill(0);
  let cursor = 0;
  const cells = ink.map(() => h('span'));
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-out': 'own-digit-status' });
  const pad = h('div', { class: 'digit-pad', tabindex: 0, role: 'application', 'aria-label': t('digit.padLabel'), 'data-input': 'digit-pad' }, cells);
  const recon = h('canvas', { class: 'digits digits-one', role: 'img', 'aria-label': t('digit.reconAlt') });
  const out = Object.fromEntries(['code', 'sigma', 'logpx', 'heldOut', 'rank'].map((k) => [k, h('output', { 'data-out': `own-digit-${k}` })]));
  const row = (key, o) => h('tr', {}, h('th', { scope: 'row' }, t(key)), h('td', {}, o));

  function show() {
    cells.forEach((c, i) => { c.classList.toggle('ink', ink[i] === 1); c.classList.toggle('cursor', i === cursor); });
    setText(status, t('digit.cursor', { row: Math.floor(cursor / SIDE) + 1, col: (cursor % SIDE) + 1, state: t(ink[cursor] ? 'digit.inked' : 'digit.blank'), count: ink.reduce((a, b) => a + b, 0) }));
  }
  /** Sends the drawing through the VAE (the inspector shows its posterior). */
  function send() {
    if (w.run.data?.dataset !== 'digits') { setText(status, t('digit.needDigits')); return; }
    w.state.drawn = [...ink];
    inspect(w, true);
  }
  function set(i, v) {
    if (ink[i] === v) return;
    ink[i] = v;
    show();
    send();
  }

  pad.addEventListener('keydown', (e) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -SIDE, ArrowDown: SIDE };
    if (moves[e.key] !== undefined) {
      const r = Math.floor(cursor / SIDE) + (Math.abs(moves[e.key]) === SIDE ? Math.sign(moves[e.key]) : 0);
      const c = (cursor % SIDE) + (Math.abs(moves[e.key]) === 1 ? moves[e.key] : 0);
      cursor = Math.min(SIDE - 1, Math.max(0, r)) * SIDE + Math.min(SIDE - 1, Math.max(0, c));
      show();
    } else if (e.key === ' ' || e.key === 'Enter') {
      set(cursor, 1 - ink[cursor]);
    } else return;
    e.preventDefault();
  });
  // Pointer: the first cell toggles; dragging paints that value on every cell passed over.
  let paint = -1;
  const cellAt = (e) => {
    const r = pad.getBoundingClientRect();
    const c = Math.floor(((e.clientX - r.left) / r.width) * SIDE);
    const rr = Math.floor(((e.clientY - r.top) / r.height) * SIDE);
    return c >= 0 && c < SIDE && rr >= 0 && rr < SIDE ? rr * SIDE + c : -1;
  };
  pad.addEventListener('pointerdown', (e) => {
    const i = cellAt(e);
    if (i < 0) return;
    pad.setPointerCapture(e.pointerId);
    paint = 1 - ink[i];
    cursor = i;
    set(i, paint);
    show();
  });
  pad.addEventListener('pointermove', (e) => { const i = paint >= 0 ? cellAt(e) : -1; if (i >= 0) { cursor = i; set(i, paint); } });
  const stop = () => { paint = -1; };
  pad.addEventListener('pointerup', stop);
  pad.addEventListener('pointercancel', stop);

  w.onInspected = (r) => {
    if (!r.pixels) return;
    const sigma = r.logvar.map((lv) => Math.exp(0.5 * lv));
    setText(out.code, `(${r.mu.map((v) => fmt(v, 3)).join(', ')})`);
    out.code.dataset.ink = String(r.pixels.reduce((a, b) => a + b, 0)); // which drawing the numbers are for
    setText(out.sigma, `(${sigma.map((v) => fmt(v, 3)).join(', ')})`);
    const held = r.heldOut;
    const below = held.filter((v) => v > r.compare).length;
    setText(out.logpx, t('digit.nats', { v: fmt(r.compare, 2) }));
    setText(out.heldOut, t('digit.heldOutValue', { median: fmt(held[Math.floor(held.length / 2)], 2), low: fmt(held[0], 2), high: fmt(held[held.length - 1], 2) }));
    setText(out.rank, t('digit.rankValue', { below, n: held.length }));
    drawImages(recon, r.reconstruction, { width: SIDE, height: SIDE, count: 1, cols: 1 });
  };

  box.replaceChildren(h('h3', {}, t('digit.title')), h('p', {}, t('digit.intro')),
    h('div', { class: 'panel-columns' },
      h('div', {}, pad, h('div', { class: 'controls' },
        h('button', { type: 'button', 'data-action': 'clear-digit', onclick: () => { ink.fill(0); show(); send(); } }, t('digit.clear')))),
      h('div', {}, h('p', { class: 'chart-caption' }, t('digit.reconCaption')), h('div', { class: 'digit-box' }, recon),
        h('table', { class: 'readout' }, h('tbody', {},
          row('digit.rowCode', out.code), row('digit.rowSigma', out.sigma), row('digit.rowLogpx', out.logpx),
          row('digit.rowHeldOut', out.heldOut), row('digit.rowRank', out.rank))))),
    status, h('p', { class: 'note' }, t('digit.note', { k: 100 })), h('p', { class: 'note' }, t('digit.scribble')));
  show();
  return { destroy() { w.onInspected = null; w.state.drawn = null; box.replaceChildren(); } };
}
