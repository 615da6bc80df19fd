// Assertions shared by the tests that compare numbers (the API tests, url-state, vi2d).
import assert from 'node:assert/strict';

/** |a − b| ≤ tol·max(1, |b|). */
export const close = (a, b, tol = 1e-12, what = '') =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}${what ? ': ' : ''}${a} ≠ ${b} (tol ${tol})`);
/** |a − b| ≤ tol, an absolute tolerance. */
export const closeAbs = (a, b, tol, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what}${what ? ': ' : ''}${a} ≠ ${b} (tol ${tol})`);
/** |a − b| ≤ tol·|b| (for values far below 1). */
export const closeRel = (a, b, tol, what = '') =>
  assert.ok(Math.abs(a - b) <= tol * Math.abs(b), `${what}${what ? ': ' : ''}${a} ≠ ${b} (relative tol ${tol})`);
/** Asserts that `fn` throws a JS Error whose message matches every pattern. */
export const throwsError = (fn, ...patterns) => assert.throws(fn, (e) => {
  assert.ok(e instanceof Error, `an Error, got ${e}`);
  for (const p of patterns) assert.match(e.message, p);
  return true;
});
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
