// The wasm API's coded errors: every thrown Error carries `code` (from errorCatalogue()) and
// `params` (an object of strings), and its message is the code's English template filled
// with the params. Shared by the API tests and the fuzz test.
import assert from 'node:assert/strict';
import lab from './wasm.js';

/** code → English template, from the wasm module itself. */
export const catalogue = new Map(lab.errorCatalogue().map(({ code, template }) => [code, template]));

/** The `{name}` placeholders of a template (a letter, then letters, digits or _), sorted. */
export const placeholders = (template) => [...template.matchAll(/\{([A-Za-z]\w*)\}/g)].map((m) => m[1]).sort();

/** `template` with each `{name}` that `params` has replaced by its value; other braces stay. */
export const fill = (template, params) =>
  template.replace(/\{([A-Za-z]\w*)\}/g, (whole, name) => (Object.hasOwn(params, name) ? params[name] : whole));

/** Why `err` is not a well-formed coded error, or null when it is. */
export function codedErrorProblem(err) {
  if (!(err instanceof Error)) return `not an Error: ${String(err)}`;
  if (!catalogue.has(err.code)) return `code ${JSON.stringify(err.code)} is not in the catalogue (${err.message})`;
  const { params } = err;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return `${err.code}: params is not an object`;
  const bad = Object.entries(params).find(([, v]) => typeof v !== 'string');
  if (bad) return `${err.code}: params.${bad[0]} is not a string`;
  const expected = fill(catalogue.get(err.code), params);
  if (err.message !== expected) return `${err.code}: message ${JSON.stringify(err.message)} is not the filled template ${JSON.stringify(expected)}`;
  const missing = placeholders(catalogue.get(err.code)).filter((p) => !Object.hasOwn(params, p));
  if (missing.length) return `${err.code}: params lacks ${missing.join(', ')}`;
  return null;
}

/**
 * Runs `fn`, which must throw a well-formed coded error with `code` and (at least) these
 * params; returns the error.
 */
export function throwsCoded(fn, code, params = {}) {
  let thrown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== undefined, `expected ${code} to be thrown`);
  assert.equal(codedErrorProblem(thrown), null);
  assert.equal(thrown.code, code, thrown.message);
  for (const [k, v] of Object.entries(params)) assert.equal(thrown.params[k], v, `${code}: params.${k}`);
  return thrown;
}
