// Lessons: an ordered list of steps, each a widget of the chapter in a given state (its link
// parameter, lib/url-state.js), a short caption (lib/caption.js's Markdown) and optionally an
// exercise id. A lesson travels as a small JSON file or inside a link (?lesson=1.<base64url of
// the same JSON>). Both are parsed strictly: anything malformed is refused as a whole with a
// LessonError whose `code` names a string of the lesson tables (www/i18n/lesson-*.js:
// 'lesson.err.<code>') and whose `vars` fill it. No DOM here.
import { WIDGET_IDS } from '../widgets/index.js';
import { MAX_CHARS } from './url-state.js';

/** The lesson format this page writes and reads (the JSON's `version`, the link's prefix). */
export const LESSON_VERSION = 1;
/** What a lesson file says it is. */
export const LESSON_FORMAT = 'elbo-lab-lesson';
/** Limits: steps, characters of a title and of a caption, bytes of a file, characters of a link. */
export const LIMITS = Object.freeze({ steps: 40, title: 120, caption: 1500, fileBytes: 100_000, link: 60_000 });
const EXERCISE = /^[a-z0-9][a-z0-9-]{0,47}$/;
const LINK = /^1\.[A-Za-z0-9_-]+$/;

/** A lesson that cannot be read: `code` (a string key suffix) and `vars` (its placeholders). */
export class LessonError extends Error {
  constructor(code, vars = {}) {
    super(`lesson: ${code} ${JSON.stringify(vars)}`);
    this.name = 'LessonError';
    this.code = code;
    this.vars = vars;
  }
}

/** An empty lesson. */
export const emptyLesson = () => ({ title: '', steps: [] });

const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

/** Throws LessonError('unknownKey') if `object` has a key outside `allowed`. */
function onlyKeys(object, allowed, where) {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new LessonError('unknownKey', { key: key.slice(0, 40), where });
  }
}

/** One step, checked: { widget, state, caption, exercise? }. `n` counts from 1. */
function checkStep(step, n) {
  if (!isObject(step)) throw new LessonError('step', { step: n });
  onlyKeys(step, ['widget', 'state', 'caption', 'exercise'], n);
  const { widget, state = '', caption = '', exercise } = step;
  if (typeof widget !== 'string' || !WIDGET_IDS.includes(widget)) {
    throw new LessonError('widget', { step: n, id: String(widget).slice(0, 40), ids: WIDGET_IDS.join(', ') });
  }
  if (typeof state !== 'string' || state.length > MAX_CHARS) throw new LessonError('state', { step: n, max: MAX_CHARS });
  if (typeof caption !== 'string' || caption.length > LIMITS.caption) throw new LessonError('caption', { step: n, max: LIMITS.caption });
  if (exercise !== undefined && (typeof exercise !== 'string' || !EXERCISE.test(exercise))) throw new LessonError('exercise', { step: n });
  return exercise === undefined ? { widget, state, caption } : { widget, state, caption, exercise };
}

/** A parsed lesson object (from JSON) → a checked lesson { title, steps }, or throws LessonError. */
export function checkLesson(data) {
  if (!isObject(data) || data.format !== LESSON_FORMAT) throw new LessonError('notLesson');
  if (data.version !== LESSON_VERSION) throw new LessonError('version', { version: String(data.version).slice(0, 20), supported: LESSON_VERSION });
  onlyKeys(data, ['format', 'version', 'title', 'steps'], 0);
  const { title = '', steps } = data;
  if (typeof title !== 'string' || title.length > LIMITS.title) throw new LessonError('title', { max: LIMITS.title });
  if (!Array.isArray(steps) || steps.length === 0) throw new LessonError('noSteps');
  if (steps.length > LIMITS.steps) throw new LessonError('tooManySteps', { max: LIMITS.steps });
  return { title, steps: steps.map((s, i) => checkStep(s, i + 1)) };
}

/** `lesson` as the JSON object files and links carry. */
export function toJson(lesson) {
  return { format: LESSON_FORMAT, version: LESSON_VERSION, title: lesson.title, steps: lesson.steps.map((s) => ({ ...s })) };
}

/** A lesson file's text (pretty-printed JSON). */
export const fileText = (lesson) => `${JSON.stringify(toJson(lesson), null, 2)}\n`;

/** Parses a lesson file's text; throws LessonError for anything but a valid lesson. */
export function parseFile(text) {
  if (typeof text !== 'string') throw new LessonError('notJson');
  if (new TextEncoder().encode(text).length > LIMITS.fileBytes) throw new LessonError('tooLarge', { max: LIMITS.fileBytes });
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw new LessonError('notJson');
  }
  return checkLesson(data);
}

/** Bytes → base64url without padding. */
function base64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The `lesson` parameter's value for `lesson`: "1." + base64url(UTF-8 JSON). */
export function toParam(lesson) {
  return `${LESSON_VERSION}.${base64url(new TextEncoder().encode(JSON.stringify(toJson(lesson))))}`;
}

/** Parses a `lesson` parameter's value; throws LessonError('link' | 'tooLarge' | …). */
export function parseParam(text) {
  if (typeof text !== 'string' || text.length > LIMITS.link) throw new LessonError('tooLarge', { max: LIMITS.link });
  if (!LINK.test(text)) throw new LessonError('link');
  let json;
  try {
    const b = atob(text.slice(2).replace(/-/g, '+').replace(/_/g, '/'));
    json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(b, (c) => c.charCodeAt(0)));
  } catch {
    throw new LessonError('link');
  }
  try {
    return checkLesson(JSON.parse(json));
  } catch (err) {
    if (err instanceof LessonError) throw err;
    throw new LessonError('link');
  }
}

/** `steps` with step `i` moved by `by` places (−1 up, +1 down); unchanged at an end. */
export function moveStep(steps, i, by) {
  const j = i + by;
  if (i < 0 || i >= steps.length || j < 0 || j >= steps.length) return steps;
  const next = [...steps];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}
