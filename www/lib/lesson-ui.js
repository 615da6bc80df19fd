// The lesson panel (loaded when the reader first asks for it: "Add to lesson", "Project", or a
// link with ?lesson=): a teacher collects widgets in their current state as steps, orders them
// (buttons, or Alt + ↑/↓ on a step), writes captions, then presents the lesson (lib/projector.js)
// or takes it away as a link or a JSON file that loads back. The lesson in progress is kept in
// localStorage (nothing leaves the page).
import { h, uid } from './dom.js';
import { fill, language, loadTex } from './i18n.js';
import { SCHEMAS, encode } from './url-state.js';
import { LIMITS, LessonError, emptyLesson, fileText, moveStep, parseFile, parseParam, toParam, checkLesson, toJson } from './lesson.js';
import { renderCaption } from './caption.js';
import { present } from './projector.js';

const STORAGE_KEY = 'elbo-lab.lesson';
/** Its stylesheet (www/lesson.css), resolved once loaded (or failed: the panel still works). */
function stylesheet() {
  const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: new URL('../lesson.css', import.meta.url).href });
  const done = new Promise((resolve) => { link.onload = resolve; link.onerror = resolve; });
  document.head.append(link);
  return done;
}
const [{ default: table }] = await Promise.all([import(`../i18n/lesson-${language() === 'zh' ? 'zh' : 'en'}.js`), stylesheet()]);
loadTex(); // captions' maths

/** A lesson string with {placeholders} filled. */
export function t(key, vars = {}) {
  const s = table[key];
  if (typeof s !== 'string') throw new Error(`missing lesson string "${key}"`);
  return fill(s, vars);
}

/** The message for a lesson that cannot be read (LessonError), in the page's language. */
export const errorText = (err) => (err instanceof LessonError ? t(`lesson.err.${err.code}`, err.vars) : String(err?.message ?? err));

/** The lesson in progress, from localStorage (an unreadable one is dropped). */
function restore() {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? parseFile(text) : emptyLesson();
  } catch {
    return emptyLesson();
  }
}

let lesson = restore();
let panel = null;

function save() {
  try {
    if (lesson.steps.length || lesson.title) localStorage.setItem(STORAGE_KEY, fileText(lesson));
    else localStorage.removeItem(STORAGE_KEY);
  } catch { /* storage unavailable: the lesson lives until the page closes */ }
}

/** The panel's parts, built once. */
function build() {
  const status = h('p', { class: 'note lesson-status', role: 'status', 'aria-live': 'polite', 'data-lesson-status': '' });
  const titleId = uid('lesson-title');
  const titleInput = h('input', { type: 'text', id: titleId, maxlength: String(LIMITS.title), 'data-lesson-title': '' });
  titleInput.addEventListener('input', () => { lesson = { ...lesson, title: titleInput.value }; save(); });
  const list = h('ol', { class: 'lesson-steps', 'data-lesson-steps': '' });
  const link = h('input', { type: 'text', readonly: true, class: 'share-link', 'aria-label': t('lesson.linkLabel'), 'data-lesson-link': '', hidden: true });
  const fileId = uid('lesson-file');
  const file = h('input', { type: 'file', id: fileId, accept: '.json,application/json', 'data-lesson-file': '' });
  file.addEventListener('change', () => loadFile(file.files?.[0]).finally(() => { file.value = ''; }));
  const presentButton = h('button', { type: 'button', 'data-action': 'lesson-present', onclick: () => play(0) }, t('lesson.present'));
  const root = h('aside', { class: 'lesson-panel', 'aria-labelledby': `${titleId}-h`, 'data-lesson-panel': '' },
    h('div', { class: 'lesson-head' },
      h('h2', { id: `${titleId}-h` }, t('lesson.panelTitle')),
      h('button', { type: 'button', 'data-action': 'lesson-close', onclick: () => { root.hidden = true; } }, t('lesson.close'))),
    h('p', { class: 'note' }, t('lesson.intro')),
    h('label', { for: titleId }, t('lesson.titleLabel')), titleInput,
    list,
    h('p', { class: 'note' }, t('lesson.moveHint')),
    h('div', { class: 'controls lesson-actions' },
      presentButton,
      h('button', { type: 'button', 'data-action': 'lesson-link', onclick: () => copyLink() }, t('lesson.copyLink')),
      h('button', { type: 'button', 'data-action': 'lesson-download', onclick: download }, t('lesson.download'))),
    link,
    h('div', { class: 'lesson-load' }, h('label', { for: fileId }, t('lesson.load')), file),
    status);
  document.body.append(root);
  return { root, list, titleInput, status, link, present: presentButton };
}

/** Shows the panel (building it the first time) and redraws its steps. */
function show() {
  panel ??= build();
  panel.root.hidden = false;
  render();
  return panel;
}

const say = (text, isError = false) => {
  panel.status.textContent = text;
  panel.status.classList.toggle('error', isError);
};

/** One step's row: heading, caption editor with a live preview, exercise id, move/delete. */
function stepRow(step, i) {
  const n = i + 1;
  const captionId = uid('lesson-caption');
  const exerciseId = uid('lesson-exercise');
  const preview = h('div', { class: 'lesson-preview', 'aria-label': t('lesson.previewLabel', { n }), role: 'group' });
  renderCaption(preview, step.caption);
  const area = h('textarea', { id: captionId, rows: '3', maxlength: String(LIMITS.caption), 'data-lesson-caption': String(i) });
  area.value = step.caption;
  area.addEventListener('input', () => { update(i, { caption: area.value }); renderCaption(preview, area.value); });
  const exercise = h('input', { type: 'text', id: exerciseId, pattern: '[a-z0-9][a-z0-9\\-]{0,47}', maxlength: '48', 'data-lesson-exercise': String(i) });
  exercise.value = step.exercise ?? '';
  exercise.addEventListener('change', () => {
    const id = exercise.value.trim();
    if (id && !/^[a-z0-9][a-z0-9-]{0,47}$/.test(id)) { say(t('lesson.err.exercise', { step: n }), true); return; }
    update(i, { exercise: id || undefined });
  });
  const button = (action, label, aria, onclick, disabled = false) =>
    h('button', { type: 'button', 'data-action': action, 'aria-label': aria, onclick, disabled }, label);
  const row = h('li', { class: 'lesson-step', 'data-step': String(i) },
    h('h3', {}, t('lesson.stepHeading', { n, widget: step.widget })),
    h('label', { for: captionId }, t('lesson.captionLabel')), area, preview,
    h('label', { for: exerciseId }, t('lesson.exerciseLabel')), exercise,
    h('div', { class: 'controls' },
      button('lesson-up', t('lesson.up'), t('lesson.upLabel', { n }), () => move(i, -1), i === 0),
      button('lesson-down', t('lesson.down'), t('lesson.downLabel', { n }), () => move(i, 1), i === lesson.steps.length - 1),
      button('lesson-play-step', t('lesson.playFrom'), t('lesson.playFromLabel', { n }), () => play(i)),
      button('lesson-delete', t('lesson.delete'), t('lesson.deleteLabel', { n }), () => remove(i))));
  row.addEventListener('keydown', (e) => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(i, e.key === 'ArrowUp' ? -1 : 1, e.target.dataset.action ?? (e.target.dataset.lessonCaption !== undefined ? 'caption' : null));
  });
  return row;
}

function render() {
  panel.titleInput.value = lesson.title;
  panel.list.replaceChildren(...(lesson.steps.length ? lesson.steps.map(stepRow) : [h('li', { class: 'note lesson-empty' }, t('lesson.empty'))]));
  panel.present.disabled = lesson.steps.length === 0;
}

function update(i, change) {
  const step = { ...lesson.steps[i], ...change };
  if (step.exercise === undefined) delete step.exercise;
  lesson = { ...lesson, steps: lesson.steps.map((s, k) => (k === i ? step : s)) };
  save();
}

/** Moves step `i` by `by`; focus follows it (to the same control, `focus`). */
function move(i, by, focus = null) {
  const next = moveStep(lesson.steps, i, by);
  if (next === lesson.steps) return;
  lesson = { ...lesson, steps: next };
  save();
  render();
  const j = i + by;
  const row = panel.list.querySelector(`[data-step="${j}"]`);
  const target = focus === 'caption' ? row.querySelector('textarea') : row.querySelector(`[data-action="${focus}"]:not(:disabled)`);
  (target ?? row.querySelector('[data-action="lesson-play-step"]')).focus();
  say(t('lesson.moved', { from: i + 1, n: j + 1 }));
}

function remove(i) {
  lesson = { ...lesson, steps: lesson.steps.filter((_, k) => k !== i) };
  save();
  render();
  const row = panel.list.querySelector(`[data-step="${Math.min(i, lesson.steps.length - 1)}"]`);
  (row?.querySelector('textarea') ?? panel.titleInput).focus();
  say(t('lesson.deleted', { n: i + 1 }));
}

/** Adds widget `id` in its current state (its handle's state()) as the lesson's last step. */
export function addStep(id, handle) {
  show();
  if (lesson.steps.length >= LIMITS.steps) { say(t('lesson.err.tooManySteps', { max: LIMITS.steps }), true); return; }
  const state = SCHEMAS[id] && typeof handle?.state === 'function' ? encode(id, handle.state()) : '';
  lesson = checkLesson(toJson({ ...lesson, steps: [...lesson.steps, { widget: id, state, caption: '' }] }));
  save();
  render();
  panel.list.querySelector(`[data-step="${lesson.steps.length - 1}"] textarea`).focus();
  say(t('lesson.added', { n: lesson.steps.length, widget: id }));
}

/** Presents the lesson from step `i`. */
function play(i) {
  if (lesson.steps.length) present(lesson, t, i);
}

/** Shows widget `id` alone, as it is now, in the projector. */
export function projectWidget(id, handle) {
  const state = SCHEMAS[id] && typeof handle?.state === 'function' ? encode(id, handle.state()) : '';
  return present({ title: '', steps: [{ widget: id, state, caption: '' }] }, t, 0);
}

/** A link that opens the chapter with this lesson loaded. */
export function lessonLink() {
  const url = new URL('./', window.location.href);
  url.search = `?lesson=${toParam(lesson)}${language() === 'en' ? '' : `&lang=${language()}`}`;
  return url.href;
}

async function copyLink() {
  if (!lesson.steps.length) { say(t('lesson.err.noSteps'), true); return; }
  panel.link.value = lessonLink();
  panel.link.hidden = false;
  try {
    await navigator.clipboard.writeText(panel.link.value);
    say(t('lesson.copied'));
  } catch {
    panel.link.focus();
    panel.link.select();
    say(t('lesson.copyFailed'));
  }
}

function download() {
  if (!lesson.steps.length) { say(t('lesson.err.noSteps'), true); return; }
  const url = URL.createObjectURL(new Blob([fileText(lesson)], { type: 'application/json' }));
  const a = h('a', { href: url, download: 'lesson.json', hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
  say(t('lesson.downloaded'));
}

/** Reads a lesson file chosen by the reader; a bad one leaves the lesson as it was. */
async function loadFile(f) {
  if (!f) return;
  try {
    if (f.size > LIMITS.fileBytes) throw new LessonError('tooLarge', { max: LIMITS.fileBytes });
    lesson = parseFile(await f.text());
    save();
    render();
    say(t('lesson.loaded', { n: lesson.steps.length }));
  } catch (err) {
    say(errorText(err), true);
  }
}

/** Opens the lesson of the page's ?lesson= link (or says why it cannot be read). */
export function openFromLink(param) {
  show();
  try {
    lesson = parseParam(param);
    save();
    render();
    say(t('lesson.fromLink', { n: lesson.steps.length }));
    panel.present.focus();
  } catch (err) {
    say(errorText(err), true);
  }
}

/** For tests and the console: the lesson in progress. */
export const current = () => lesson;
