// Small DOM helpers. Text is always set with textContent, never parsed as HTML.

/**
 * Creates an element: h('button', { class: 'x', type: 'button', onclick: fn }, 'text', child).
 * Attributes starting with "on" become listeners; null/false attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Formats a number with `digits` decimals and a true minus sign; ±∞ as "∞"/"−∞"; NaN as "—".
 * A value that rounds to zero is shown without a sign (never "−0.000").
 */
export function fmt(x, digits = 3) {
  if (Number.isNaN(x)) return '—';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const s = x.toFixed(digits);
  if (!s.startsWith('-')) return s;
  return /^-[0.]*$/.test(s) ? s.slice(1) : `−${s.slice(1)}`;
}

/** Sets `el`'s text only when it changed, so an unchanged readout costs no layout or paint. */
export const setText = (el, text) => { if (el.textContent !== text) el.textContent = text; };

/** Sets attribute `name` only when its value changes (no style invalidation on every frame). */
export const setAttr = (el, name, value) => { if (el.getAttribute(name) !== value) el.setAttribute(name, value); };
/** Sets `el.disabled` (or `hidden`, with `prop`) only when it changes: rewriting it restyles `el`. */
export const setFlag = (el, value, prop = 'disabled') => { if (el[prop] !== value) el[prop] = value; };

/**
 * Moves the range `input` to `value` unless the reader holds it (focused) or it already shows
 * `value` from the last call, unmoved since: a widget that syncs its sliders on every frame
 * then writes only those that move (a written value re-lays the slider out).
 */
const sliderWrites = new WeakMap(); // input → { asked: the value last written, left: input.value after it }
export function setSlider(input, value) {
  const last = sliderWrites.get(input);
  if (isFocused(input) || (last && input.value === last.left && (last.asked === value || onStep(input, value) === last.left))) return;
  input.value = value;
  sliderWrites.set(input, { asked: value, left: input.value });
}

/**
 * The value a range `input` would show for `value` when it is on the slider's own grid (min +
 * k·step, the value clamped to min..max), else null: a value that rounds to the position the
 * slider already shows is not written (an animation moving q by less than a step each frame).
 */
function onStep(input, value) {
  const step = Number(input.step);
  const min = Number(input.min);
  const max = Number(input.max);
  if (!(step > 0) || !Number.isFinite(min) || !Number.isFinite(max) || !Number.isFinite(value)) return null;
  const k = Math.round((Math.min(max, Math.max(min, value)) - min) / step);
  const v = min + k * step;
  return v > max ? null : String(Number(v.toFixed(12)));
}

/** A unique id for label/aria wiring, prefixed for readability. */
let counter = 0;
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** True when `el` has focus, also inside a shadow root (where document.activeElement is the host). */
export function isFocused(el) {
  return el.getRootNode().activeElement === el;
}

/** A lazily mounted panel: `button` toggles `box`; `load()` mounts it into `box` on first open. */
export function disclosure(button, box, load) {
  let mounted = null;
  button.addEventListener('click', () => {
    const open = box.hidden;
    box.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    mounted ??= load();
  });
  return () => mounted;
}

/**
 * Whether `el` is on screen or within `margin` of it, kept by an IntersectionObserver, so a
 * widget animating off screen can leave its charts until it is back: `onShow()` runs when it
 * comes back. It counts as on screen until the first report. Returns { visible(), disconnect() }.
 */
export function visibility(el, onShow, margin = '200px') {
  let shown = true;
  const observer = new IntersectionObserver((entries) => {
    const now = entries[entries.length - 1].isIntersecting;
    const back = now && !shown;
    shown = now;
    if (back) onShow();
  }, { rootMargin: `${margin} 0px` });
  observer.observe(el);
  return { visible: () => shown, disconnect: () => observer.disconnect() };
}
