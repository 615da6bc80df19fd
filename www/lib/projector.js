// Projector mode: a lesson (or one widget) shown full-screen for a lecture room. The Fullscreen
// API where the browser allows it, otherwise a full-window overlay; large type (style.css:
// html.projecting), thick chart lines (lib/canvas.js: PROJECTOR_LINE_SCALE inside .projector),
// high contrast, the caption beside the widget (under it on a narrow screen). PageDown, →, ↓
// (what a presentation clicker sends) go to the next step, PageUp, ←, ↑ back, Home/End to the
// ends, Esc leaves. Each step mounts a fresh widget from its link state and destroys it after.
import { h } from './dom.js';
import { LOADERS } from '../widgets/index.js';
import { FORMAT_VERSION, decode, showNotice } from './url-state.js';
import { renderCaption } from './caption.js';
import { language, t as pageT } from './i18n.js';

const NEXT = new Set(['PageDown', 'ArrowRight', 'ArrowDown']);
const PREVIOUS = new Set(['PageUp', 'ArrowLeft', 'ArrowUp']);
/** Controls that use arrow keys themselves: arrows pressed in them stay theirs. */
const OWNS_ARROWS = 'input, select, textarea, [role="slider"], [role="tab"], [contenteditable], [data-keys]';

let open = null; // the projector on screen, if any

/**
 * Shows `lesson` ({ title, steps: [{ widget, state, caption, exercise? }] }) from step `start`.
 * `t` gives the lesson strings. Call from a click or key handler (the Fullscreen API needs the
 * reader's gesture). Resolves to { go(i), close(), index() }.
 */
export function present(lesson, t, start = 0) {
  open?.close();
  const doc = document;
  const opener = doc.activeElement;
  let index = -1;
  let handle = null;
  let token = 0;
  const count = h('span', { class: 'projector-count', role: 'status', 'aria-live': 'polite' });
  const title = h('h2', { class: 'projector-title', id: 'projector-title' }, lesson.title || t('projector.label'));
  const stage = h('div', { class: 'projector-stage' });
  const caption = h('div', { class: 'projector-caption-text' });
  const exercise = h('p', { class: 'projector-exercise' });
  const aside = h('aside', { class: 'projector-caption', 'aria-label': t('projector.captionLabel') }, caption, exercise);
  const prev = h('button', { type: 'button', 'data-action': 'projector-prev', onclick: () => go(index - 1) }, t('projector.prev'));
  const next = h('button', { type: 'button', 'data-action': 'projector-next', onclick: () => go(index + 1) }, t('projector.next'));
  const exit = h('button', { type: 'button', 'data-action': 'projector-exit', onclick: () => close() }, t('projector.exit'));
  const root = h('div', { class: 'projector', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'projector-title', tabindex: '-1' },
    h('div', { class: 'projector-bar' }, title, count,
      h('p', { class: 'projector-keys' }, t('projector.keys')),
      h('div', { class: 'projector-buttons' }, prev, next, exit)),
    h('div', { class: 'projector-body' }, stage, aside));

  const others = [...doc.body.children];
  const wasInert = others.map((el) => el.inert);
  for (const el of others) el.inert = true;
  doc.documentElement.classList.add('projecting');
  doc.body.append(root);
  let fullscreen = false;
  if (root.requestFullscreen && doc.fullscreenEnabled) {
    root.requestFullscreen({ navigationUI: 'hide' }).then(() => { fullscreen = true; }, () => {}); // refused: the overlay stays
  }
  root.focus();

  /** Shows step `i` (clamped to the lesson). */
  async function go(i) {
    const target = Math.max(0, Math.min(lesson.steps.length - 1, i));
    if (target === index) return;
    index = target;
    const mine = ++token;
    const step = lesson.steps[index];
    count.textContent = t('projector.count', { n: index + 1, total: lesson.steps.length });
    prev.disabled = index === 0;
    next.disabled = index === lesson.steps.length - 1;
    renderCaption(caption, step.caption);
    aside.hidden = !step.caption && !step.exercise;
    exercise.replaceChildren();
    if (step.exercise) {
      const href = `?ex=${encodeURIComponent(step.exercise)}${language() === 'en' ? '' : `&lang=${language()}`}`;
      exercise.append(h('a', { href, 'data-exercise-link': step.exercise }, t('lesson.exerciseLink', { id: step.exercise })));
    }
    handle?.destroy?.();
    handle = null;
    const host = h('div', { class: 'widget', 'data-projected': step.widget });
    stage.replaceChildren(host);
    root.dataset.step = String(index);
    try {
      const module = await LOADERS[step.widget]();
      if (mine !== token) return;
      const decoded = decode(step.widget, step.state, FORMAT_VERSION);
      handle = module.mount(host, decoded.options);
      showNotice(host, step.widget, decoded, pageT('url.notice'));
      root.dataset.shown = String(index);
    } catch (err) {
      if (mine === token) host.replaceChildren(h('p', { class: 'error' }, t('projector.failed', { message: err.message })));
    }
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') { e.preventDefault(); close(); return; }
    const inStage = e.target instanceof Element && stage.contains(e.target);
    const arrow = e.key.startsWith('Arrow');
    if (arrow && inStage && e.target.closest(OWNS_ARROWS)) return;
    let to = null;
    if (NEXT.has(e.key)) to = index + 1;
    else if (PREVIOUS.has(e.key)) to = index - 1;
    else if (e.key === 'Home' && !inStage) to = 0;
    else if (e.key === 'End' && !inStage) to = lesson.steps.length - 1;
    if (to === null) return;
    e.preventDefault();
    go(to);
  }
  /** Leaving full screen (the browser's own Esc, F11) leaves the projector too. */
  function onFullscreen() {
    if (fullscreen && doc.fullscreenElement !== root) close();
  }

  function close() {
    if (open !== api) return;
    open = null;
    token += 1;
    doc.removeEventListener('keydown', onKey);
    doc.removeEventListener('fullscreenchange', onFullscreen);
    if (doc.fullscreenElement === root) doc.exitFullscreen().catch(() => {});
    handle?.destroy?.();
    handle = null;
    root.remove();
    doc.documentElement.classList.remove('projecting');
    others.forEach((el, k) => { el.inert = wasInert[k]; });
    if (opener?.isConnected) opener.focus();
  }

  doc.addEventListener('keydown', onKey);
  doc.addEventListener('fullscreenchange', onFullscreen);
  const api = { go, close, index: () => index, root };
  open = api;
  go(start);
  return api;
}
