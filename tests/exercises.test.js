// The exercise table (www/exercises/table.js) solved through the wasm API under Node: every
// predict and numeric answer is right (against closed forms worked here by hand) and graded as
// right, wrong values are rejected; every target task has a solving state that the check accepts
// while its starting state does not; every text exists in English and Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import lab from './lib/wasm.js';
import { EXERCISES, BY_ID } from '../www/exercises/table.js';
import { STRINGS } from '../www/exercises/strings.js';
import { KINDS, correctChoice, exerciseParam, gradeNumeric, gradePredict, gradeTarget, parseAnswer, parseProgress, startOptions } from '../www/exercises/grade.js';
import { SCHEMAS, decode } from '../www/lib/url-state.js';

const log2 = Math.log2;
const h2 = (p) => -p * log2(p) - (1 - p) * log2(1 - p);

/** Numeric answers worked by hand (closed forms), independent of the table's computation. */
const CLOSED_FORMS = {
  'info-eighth': 3,
  'entropy-dyadic': 1.75,
  'huffman-length': 0.4 * 1 + 0.3 * 2 + 0.2 * 3 + 0.1 * 3,
  'kl-value': 0.5 * log2(2) + 0.5 * log2(0.5 / 0.75),
  'fit-forward-sigma': Math.sqrt(0.25 + 9),
  'mi-bsc': 1 - h2(0.1),
  'lik-loglik': 10 * Math.log(0.5),
  'post-evidence': -0.5 * Math.log(2 * Math.PI * 2) - 1 / 4,
  'deriv-kl-prior': 0.5 * (1 + 0.25 - 1 - Math.log(0.25)),
  'jensen-gap': Math.log(2.5) - Math.log(2),
  'vi2d-mf-kl': -0.5 * Math.log(1 - 0.64),
  'ae-bce': -(Math.log(0.9) + Math.log(0.8) + Math.log(0.7) + Math.log(0.6)),
  'vae-kl-prior': 2 * 0.5 * (0.5 - 1 - Math.log(0.5)) + 0.5 * (1 + 1),
  'rate-beta-elbo': -(52.3 + 6.1),
};

/** Predict exercises' correct choices, worked out by hand (the table's answer() must agree). */
const EXPECTED_CHOICE = {
  'info-add': 0, 'entropy-outcomes': 0, 'huffman-dyadic': 0, 'kl-asymmetry': 1, 'kl-zero': 0, 'fit-reverse': 0,
  'mi-chain': 0, 'lik-shrink': 0, 'post-constant': 0, 'deriv-bound': 0, 'jensen-iwae': 0, 'vi2d-variance': 0,
  'ae-kl': 0, 'vae-bounds': 0, 'rate-surgery': 0,
};

const LANGS = ['en', 'zh'];
const CJK = /[\u4e00-\u9fff]/;
const html = readFileSync(new URL('../www/index.html', import.meta.url), 'utf8');

/** Every { en, zh } text of an exercise, with where it sits. */
function texts(ex) {
  const all = [['question', ex.question], ['hint', ex.hint], ['explain', ex.explain]];
  for (const [i, c] of (ex.choices ?? []).entries()) {
    all.push([`choice ${i}`, c.text]);
    if (c.why) all.push([`choice ${i} why`, c.why]);
  }
  for (const [i, w] of (ex.wrong ?? []).entries()) all.push([`wrong ${i} why`, w.why]);
  return all;
}

/** The numbers a text states (so both languages state the same ones). */
const numbers = (s) => (s.match(/\d+(?:\.\d+)?/g) ?? []).sort();

test('the table: unique ids, known kinds, sections and widgets; 2–4 in every section, ≥ 30 in all', () => {
  assert.equal(BY_ID.size, EXERCISES.length, 'ids are unique');
  const perSection = {};
  for (const ex of EXERCISES) {
    assert.match(ex.id, /^[a-z0-9-]{1,40}$/, ex.id);
    assert.ok(KINDS.includes(ex.kind), `${ex.id}: kind ${ex.kind}`);
    assert.ok(html.includes(`<section id="${ex.section}"`), `${ex.id}: section ${ex.section} is in index.html`);
    assert.ok(html.includes(`data-widget="${ex.widget}"`), `${ex.id}: widget ${ex.widget} is on the page`);
    perSection[ex.section] = (perSection[ex.section] ?? 0) + 1;
  }
  for (const [section, n] of Object.entries(perSection)) assert.ok(n >= 2 && n <= 4, `${section}: ${n} exercises`);
  // Every section of the chapter has its exercises.
  for (const [, id] of html.matchAll(/<section id="([a-z0-9-]+)"/g)) assert.ok(perSection[id], `section ${id} has no exercises`);
  assert.ok(EXERCISES.length >= 30, `${EXERCISES.length} exercises`);
});

test('every text is in English and Chinese, stating the same numbers', () => {
  for (const ex of EXERCISES) {
    for (const [where, t] of texts(ex)) {
      for (const lang of LANGS) assert.ok(typeof t?.[lang] === 'string' && t[lang].trim().length > 0, `${ex.id} ${where}: ${lang} missing`);
      assert.ok(CJK.test(t.zh) || !/[a-z]{4,}/.test(t.en), `${ex.id} ${where}: the zh text is not Chinese`);
      assert.deepEqual(numbers(t.zh), numbers(t.en), `${ex.id} ${where}: en and zh state different numbers`);
    }
  }
  assert.deepEqual(Object.keys(STRINGS.zh).sort(), Object.keys(STRINGS.en).sort(), 'the panels\' strings have the same keys');
  const holes = (s) => (s.match(/\{\w+\}/g) ?? []).sort();
  for (const key of Object.keys(STRINGS.en)) assert.deepEqual(holes(STRINGS.zh[key]), holes(STRINGS.en[key]), `placeholders of ${key}`);
});

test('starting and solving states are valid links of their widget (no clamp, no drop)', () => {
  for (const ex of EXERCISES) {
    for (const text of [ex.start, ex.solution].filter((x) => x !== undefined)) {
      assert.ok(SCHEMAS[ex.widget], `${ex.id}: ${ex.widget} has a link format`);
      const d = decode(ex.widget, text);
      assert.equal(d.notice, false, `${ex.id}: "${text}" → ${d.problems.join('; ')}`);
    }
  }
});

test('predict: the core\'s answer is graded right, every other choice wrong', () => {
  const predicts = EXERCISES.filter((ex) => ex.kind === 'predict');
  for (const ex of predicts) {
    const answer = correctChoice(ex, lab);
    assert.equal(answer, EXPECTED_CHOICE[ex.id], `${ex.id}: the core's answer is not the one worked by hand`);
    assert.ok(ex.choices.length >= 2, ex.id);
    // Every wrong choice names its misconception.
    for (const [i, c] of ex.choices.entries()) if (i !== answer) assert.ok(c.why, `${ex.id} choice ${i}: no feedback`);
    for (let i = 0; i < ex.choices.length; i += 1) {
      const g = gradePredict(ex, lab, i);
      assert.equal(g.correct, i === answer, `${ex.id} choice ${i}`);
      assert.equal(g.answer, answer);
    }
  }
});

test('numeric: the answer matches its closed form and the tolerance accepts it and rejects a wrong value', () => {
  for (const ex of EXERCISES.filter((e) => e.kind === 'numeric')) {
    const answer = ex.answer(lab);
    assert.ok(Object.hasOwn(CLOSED_FORMS, ex.id), `${ex.id}: no closed form in the test`);
    assert.ok(Math.abs(answer - CLOSED_FORMS[ex.id]) < ex.tol / 10, `${ex.id}: ${answer} vs ${CLOSED_FORMS[ex.id]}`);
    assert.ok(ex.tol > 0 && ex.tol <= 0.02 * Math.max(1, Math.abs(answer)), `${ex.id}: tolerance ${ex.tol}`);
    assert.equal(gradeNumeric(ex, lab, answer).correct, true);
    assert.equal(gradeNumeric(ex, lab, answer + 0.9 * ex.tol).correct, true);
    for (const off of [3 * ex.tol, -3 * ex.tol, 1]) assert.equal(gradeNumeric(ex, lab, answer + off).correct, false, `${ex.id} + ${off}`);
    // A recognised mistake is wrong, and named.
    for (const w of ex.wrong ?? []) {
      const g = gradeNumeric(ex, lab, w.value(lab));
      assert.equal(g.correct, false, `${ex.id}: the mistake ${w.value(lab)} is accepted`);
      assert.equal(g.why, w.why, `${ex.id}: the mistake ${w.value(lab)} is not named`);
    }
  }
});

test('target: the solving state passes, the starting state does not', () => {
  for (const ex of EXERCISES.filter((e) => e.kind === 'target')) {
    assert.ok(ex.start && ex.solution, `${ex.id}: start and solution`);
    const solved = gradeTarget(ex, lab, startOptions(ex, ex.solution));
    assert.equal(solved.correct, true, `${ex.id}: solution fails: ${JSON.stringify(solved.values)}`);
    const start = gradeTarget(ex, lab, startOptions(ex));
    assert.equal(start.correct, false, `${ex.id}: the starting state already solves it`);
    for (const [name, v] of solved.values) assert.ok(Number.isFinite(v), `${ex.id}: ${name} = ${v}`);
  }
});

test('answers are read strictly; progress and ex= links are parsed strictly', () => {
  assert.equal(parseAnswer(' 1.75 '), 1.75);
  assert.equal(parseAnswer('−0.5'), -0.5);
  assert.equal(parseAnswer('1,75'), 1.75);
  assert.equal(parseAnswer('2e-3'), 0.002);
  for (const bad of ['', '1/8', '1.75 bits', 'NaN', 'Infinity', '1e999', '0x10', '1,000.5', null, '1'.repeat(50)]) assert.equal(parseAnswer(bad), null, String(bad));
  const ids = new Set(BY_ID.keys());
  const [a, b] = EXERCISES;
  assert.deepEqual(parseProgress(JSON.stringify({ [a.id]: 'solved', [b.id]: 'tried', nope: 'solved', [EXERCISES[2].id]: 'yes' }), ids), { [a.id]: 'solved', [b.id]: 'tried' });
  for (const bad of ['{', '[]', 'null', '"x"', undefined]) assert.deepEqual(parseProgress(bad, ids), {});
  assert.deepEqual(exerciseParam(`?ex=${a.id}`, ids), { id: a.id });
  assert.deepEqual(exerciseParam('?entropy=p:1~1', ids), {});
  for (const bad of ['?ex=nope', '?ex=', `?ex=${a.id}&ex=${b.id}`, '?ex=%3Cimg%3E', `?ex=${a.id.toUpperCase()}`]) assert.deepEqual(exerciseParam(bad, ids), { unknown: true }, bad);
});

test('tasks the text says the widget\'s own tools solve are solved by them: Adam (post-target), the full-covariance fit (vi2d-full)', () => {
  const ex = BY_ID.get('post-target');
  const { state: v } = startOptions(ex);
  const post = new lab.PosteriorLab(v.model, v.x, v.params);
  try {
    post.startOptimiser(v.m, v.s, 0.05);
    let m = v.m;
    let s = v.s;
    for (let i = 0; i < 2000; i += 1) [m, s] = post.step('exact', 1, i);
    assert.equal(gradeTarget(ex, lab, { state: { ...v, m, s } }).correct, true, `Adam ends at m = ${m}, s = ${s}`);
  } finally {
    post.free();
  }
  const vi = BY_ID.get('vi2d-full');
  const { state: w } = startOptions(vi);
  const p2 = new lab.Posterior2d(w.target, w.params);
  try {
    const fit = p2.fit('full', 'reverse');
    assert.equal(gradeTarget(vi, lab, { state: { ...w, q: { mean: [...fit.mean], cov: [...fit.cov] } } }).correct, true, `the fit's KL is ${fit.kl}`);
  } finally {
    p2.free();
  }
});

test('a state the core refuses makes a task\'s check throw the core\'s coded error (the panel shows its message)', () => {
  const ex = BY_ID.get('kl-target');
  assert.throws(() => gradeTarget(ex, lab, { p: [0.5, 0.5], q: [1, 0, 0] }), (err) => typeof err.code === 'string' && err.message.length > 0);
});
