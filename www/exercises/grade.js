// The exercises' logic, without the DOM (the page and the Node tests share it): grading each kind
// against the wasm core, reading a typed number, the progress kept in localStorage, and the
// `ex=<id>` link parameter. Exercises themselves are data: ./table.js.
import { decode } from '../lib/url-state.js';

/** The three kinds (see table.js). */
export const KINDS = ['predict', 'numeric', 'target'];

/** Where progress is kept: { [exercise id]: 'solved' | 'tried' }. Nothing leaves the page. */
export const PROGRESS_KEY = 'elbo-lab.exercises';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A number as a reader types it: "1.75", "−0.5" (a true minus), "1,75" (a decimal comma), with
 * spaces around; null for anything else (no expressions, no units, nothing guessed).
 */
export function parseAnswer(text) {
  if (typeof text !== 'string' || text.length > 40) return null;
  let s = text.trim().replace(/^[−–]/, '-');
  if (!s.includes('.') && /^[+-]?\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!NUMBER.test(s)) return null;
  const x = Number(s);
  return Number.isFinite(x) ? x : null;
}

const answers = new WeakMap(); // exercise → its computed correct choice (the data never change)

/** The correct choice of a predict exercise: the core computes it from the exercise's data (once). */
export function correctChoice(ex, lab) {
  if (!answers.has(ex)) answers.set(ex, ex.answer(lab));
  const i = answers.get(ex);
  if (!Number.isInteger(i) || i < 0 || i >= ex.choices.length) throw new Error(`${ex.id}: answer ${i} is not a choice`);
  return i;
}

/** Grades choice `i` of a predict exercise: { correct, answer, why (the chosen choice's feedback) }. */
export function gradePredict(ex, lab, i) {
  const answer = correctChoice(ex, lab);
  return { correct: i === answer, answer, why: i === answer ? null : ex.choices[i]?.why ?? null };
}

/**
 * Grades number `x` of a numeric exercise: { correct, answer, error, why } — correct when
 * |x − answer| ≤ tol; `why` names the misconception when x matches one of ex.wrong (a value
 * the core computes for a common mistake, e.g. the same entropy in nats), within tol.
 */
export function gradeNumeric(ex, lab, x) {
  const answer = ex.answer(lab);
  if (!Number.isFinite(answer)) throw new Error(`${ex.id}: answer ${answer} is not finite`);
  const correct = Number.isFinite(x) && Math.abs(x - answer) <= ex.tol;
  const miss = correct ? null : (ex.wrong ?? []).find((w) => Math.abs(x - w.value(lab)) <= ex.tol);
  return { correct, answer, error: Number.isFinite(x) ? x - answer : NaN, why: miss?.why ?? null };
}

/** Grades a widget's state for a target task: { correct, values: [[name, value, unit], …] }. */
export function gradeTarget(ex, lab, state) {
  const { ok, values } = ex.check(lab, state);
  return { correct: ok === true, values };
}

/**
 * The widget options that set up an exercise's starting (or any) link text: decode() of the
 * widget's link parameter (url-state.js), which is strict and clamps.
 */
export function startOptions(ex, text = ex.start) {
  return decode(ex.widget, text ?? '').options;
}

/** Progress from its stored JSON: only known ids with a known status survive; anything else is {}. */
export function parseProgress(json, ids) {
  let raw;
  try {
    raw = JSON.parse(json ?? '{}');
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter(([id, v]) => ids.has(id) && (v === 'solved' || v === 'tried')));
}

/**
 * The exercise a link asks for (`?ex=<id>`): { id } for a known id, { unknown: true } for a
 * parameter that is there but names none (repeated, malformed or not in the table), {} without one.
 */
export function exerciseParam(search, ids) {
  const all = new URLSearchParams(search).getAll('ex');
  if (!all.length) return {};
  const [id] = all;
  return all.length === 1 && /^[a-z0-9-]{1,40}$/.test(id) && ids.has(id) ? { id } : { unknown: true };
}
