// The exercise panels: one collapsible "Exercises" block at the end of each section of the
// chapter, built from the table (./table.js) once every widget is mounted. This module, its
// table, strings and styles are fetched only then (main.js imports it after data-ready), so
// they add nothing to the chapter's first load. Each exercise's root is
// <article data-exercise="<id>">. Progress is kept in localStorage only.
import { ready } from '../lib/lab.js';
import { h, fmt } from '../lib/dom.js';
import { fill, stringsFor } from '../lib/i18n.js';
import { LOADERS } from '../widgets/index.js';
import { distribution } from '../lib/presets.js';
import { addExportTools } from '../lib/export.js';
import { EXERCISES, BY_ID } from './table.js';
import { STRINGS } from './strings.js';
import { PROGRESS_KEY, exerciseParam, gradeNumeric, gradePredict, gradeTarget, parseAnswer, parseProgress, startOptions } from './grade.js';

const IDS = new Set(BY_ID.keys());

/** Digits to show an answer with: one more than the tolerance's first significant decimal. */
const digitsFor = (tol) => Math.min(6, Math.max(2, Math.ceil(-Math.log10(tol)) + 1));

/** The stored progress ({} where storage is unavailable or holds anything unexpected). */
function loadProgress() {
  try {
    return parseProgress(globalThis.localStorage?.getItem(PROGRESS_KEY), IDS);
  } catch {
    return {};
  }
}

function saveProgress(progress) {
  try {
    globalThis.localStorage?.setItem(PROGRESS_KEY, JSON.stringify(progress));
  } catch {
    // Storage unavailable (private mode, disabled): progress lasts as long as the page.
  }
}

/**
 * Builds every section's exercises under `doc` and handles an `?ex=<id>` link. `handles` maps
 * widget id → handle (the chapter's, kept up to date when a widget is set up again). Resolves
 * to { progress(), reset(), open(id) } (the tests read it as window.elboLab.exercises).
 */
export async function attach(doc, handles) {
  const lab = await ready();
  const { lang } = stringsFor(doc.documentElement);
  const s = (key, vars) => fill(STRINGS[lang][key], vars);
  const text = (both) => both[lang];
  const unit = (u) => (u ? s(`unit.${u}`) : '');
  const progress = loadProgress();
  const badges = new Map(); // id → its status element
  const summaries = new Map(); // section id → its summary's count element

  const css = h('link', { rel: 'stylesheet', href: new URL('./exercises.css', import.meta.url).href });
  const styled = new Promise((resolve) => { css.onload = resolve; css.onerror = resolve; });
  doc.head.append(css);

  /** Records `status` ('tried' never overwrites 'solved') and updates the counts. */
  function record(id, status) {
    if (progress[id] === 'solved' || progress[id] === status) return;
    progress[id] = status;
    saveProgress(progress);
    refresh();
  }

  function refresh() {
    for (const [id, badge] of badges) {
      badge.textContent = progress[id] ? s(`status.${progress[id]}`) : '';
      badge.dataset.status = progress[id] ?? '';
    }
    for (const [section, count] of summaries) {
      const list = EXERCISES.filter((ex) => ex.section === section);
      count.textContent = s('solvedCount', { n: list.filter((ex) => progress[ex.id] === 'solved').length, total: list.length });
    }
    total.textContent = s('progress', { n: EXERCISES.filter((ex) => progress[ex.id] === 'solved').length, total: EXERCISES.length });
  }

  /** Puts exercise `ex`'s widget into its starting state (shared stores are set; others remounted). */
  async function setUp(ex) {
    const options = startOptions(ex);
    const id = ex.widget;
    if (id === 'entropy' || id === 'huffman') { handles[id].store.set(distribution(options.p)); return; }
    const posterior = handles.posterior;
    if (['posterior', 'derivation', 'jensen'].includes(id) && options.state && posterior) {
      // Stop Adam and forget its state, so the next Play starts from the exercise's q.
      posterior.pause();
      posterior.reset();
      posterior.store.set(structuredClone(options.state));
    }
    if (id === 'posterior' || id === 'derivation') return;
    const el = doc.querySelector(`[data-widget="${id}"]`);
    const module = await LOADERS[id]();
    handles[id].destroy();
    handles[id] = module.mount(el, id === 'jensen' ? { ...options, state: undefined, store: posterior.store } : options);
    addExportTools(doc, { [id]: handles[id] });
  }

  // Target tasks checked once are checked again after every edit of their widget (300 ms after
  // the last one, as the link is): the DOM events of an edit, and the posterior's store, which
  // Adam moves without any event. The entropy and Huffman widgets share one distribution.
  const live = new Map(); // widget id → the re-checks of its tasks
  const SHARED = { entropy: ['huffman'], huffman: ['entropy'], posterior: ['derivation', 'jensen'] };
  const due = new Set();
  let timer = 0;
  const schedule = (id) => {
    for (const w of [id, ...(SHARED[id] ?? [])]) if (live.has(w)) due.add(w);
    if (!due.size) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const w of due) for (const fn of live.get(w)) fn();
      due.clear();
    }, 300);
  };
  for (const type of ['input', 'change', 'click', 'pointerup', 'keyup']) {
    doc.addEventListener(type, (e) => { const w = e.target?.closest?.('[data-widget]')?.dataset.widget; if (w) schedule(w); }, true);
  }
  handles.posterior?.store?.subscribe?.(() => schedule('posterior'));

  /** A panel's feedback line (role=status, so a screen reader hears the verdict). */
  const feedback = () => h('div', { class: 'ex-feedback', role: 'status', 'aria-live': 'polite', tabindex: -1 });

  function say(el, verdict, ...lines) {
    el.dataset.verdict = verdict;
    el.replaceChildren(...lines.filter(Boolean).map((line) => (line instanceof Node ? line : h('span', {}, line, ' '))));
  }

  function explanation(ex) {
    return h('div', { class: 'ex-explain', hidden: true, 'data-part': 'explain' }, h('h4', { tabindex: -1 }, s('explain')), h('p', {}, text(ex.explain)));
  }

  function predictBody(ex, out, explain) {
    const name = `ex-${ex.id}`;
    const radios = ex.choices.map((c, i) => h('label', { class: 'ex-choice' },
      h('input', { type: 'radio', name, value: String(i), 'data-choice': String(i) }), ' ', text(c.text)));
    // Shown rotated (and perhaps reversed) by a hash of the id: fixed per exercise, so a link or
    // a teacher's screen shows the same order, but the answer is not always first.
    const hash = [...ex.id].reduce((a, c) => (Math.imul(a, 31) + c.charCodeAt(0)) >>> 0, 7);
    const rotated = radios.map((_, i) => radios[(i + hash) % radios.length]);
    const shown = (hash >> 4) & 1 ? rotated.reverse() : rotated;
    const commit = h('button', { type: 'button', 'data-action': 'commit' }, s('commit'));
    commit.addEventListener('click', () => {
      const chosen = radios.findIndex((r) => r.querySelector('input').checked);
      if (chosen < 0) { say(out, 'info', s('pickFirst')); return; }
      const g = gradePredict(ex, lab, chosen);
      for (const r of radios) r.querySelector('input').disabled = true;
      commit.disabled = true;
      out.focus(); // the button the keyboard was on is gone: the verdict takes the focus
      say(out, g.correct ? 'right' : 'wrong', g.correct ? s('correct') : s('wrongPredict', { answer: text(ex.choices[g.answer].text) }), g.why && text(g.why));
      explain.hidden = false;
      record(ex.id, g.correct ? 'solved' : 'tried');
    });
    return [h('fieldset', {}, h('legend', {}, text(ex.question)), ...shown), commit];
  }

  function numericBody(ex, out, explain, reveal) {
    const inputId = `ex-${ex.id}-answer`;
    const input = h('input', { id: inputId, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', 'data-answer': '' });
    const check = h('button', { type: 'button', 'data-action': 'check' }, s('check'));
    const go = () => {
      const x = parseAnswer(input.value);
      if (x === null) { say(out, 'info', s('badNumber')); return; }
      const g = gradeNumeric(ex, lab, x);
      const tol = String(ex.tol);
      say(out, g.correct ? 'right' : 'wrong', g.correct
        ? s('correctNumeric', { answer: fmt(g.answer, digitsFor(ex.tol)), unit: unit(ex.unit), tol })
        : s('wrongNumeric', { tol, unit: unit(ex.unit) }), g.why && text(g.why));
      reveal.hidden = !explain.hidden;
      if (g.correct) { explain.hidden = false; reveal.hidden = true; }
      record(ex.id, g.correct ? 'solved' : 'tried');
    };
    check.addEventListener('click', go);
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    const label = ex.unit ? s('answerLabel', { unit: unit(ex.unit) }) : s('answerLabelPlain');
    return [h('p', {}, text(ex.question)), h('p', { class: 'ex-answer' }, h('label', { for: inputId }, label), ' ', input, ' ', check)];
  }

  function targetBody(ex, out, explain, reveal) {
    const check = h('button', { type: 'button', 'data-action': 'check-widget' }, s('checkWidget'));
    const run = () => {
      let g;
      try {
        g = gradeTarget(ex, lab, handles[ex.widget].state());
      } catch (err) {
        // A state the core refuses (its coded error, in the page's language): no verdict.
        say(out, 'info', s('checkFailed', { message: stringsFor(doc.documentElement).error(err) }));
        return;
      }
      const values = h('ul', { class: 'ex-values' }, g.values.map(([name, v, u]) => h('li', {}, `${name} = ${fmt(v, !u && Number.isInteger(v) ? 0 : 3)}${u ? ` ${unit(u)}` : ''}`)));
      say(out, g.correct ? 'right' : 'wrong', g.correct ? s('targetDone') : s('targetNotYet'), values);
      reveal.hidden = !explain.hidden;
      if (g.correct) { explain.hidden = false; reveal.hidden = true; }
      record(ex.id, g.correct ? 'solved' : 'tried');
    };
    check.addEventListener('click', () => {
      run();
      // From now on the verdict follows the widget.
      if (!live.has(ex.widget)) live.set(ex.widget, new Set());
      live.get(ex.widget).add(run);
    });
    return [h('p', {}, text(ex.question)), h('p', { class: 'note' }, s('live')), check];
  }

  /** One exercise's panel. */
  function panel(ex, n) {
    const titleId = `ex-${ex.id}-title`;
    const badge = h('span', { class: 'ex-status', 'data-out': 'ex-status' });
    badges.set(ex.id, badge);
    const out = feedback();
    const explain = explanation(ex);
    const reveal = h('button', { type: 'button', class: 'ex-reveal', hidden: true, 'data-action': 'explain' }, s('showExplain'));
    reveal.addEventListener('click', () => { explain.hidden = false; reveal.hidden = true; explain.querySelector('h4').focus(); });
    const hint = h('details', { class: 'ex-hint' }, h('summary', {}, s('hint')), h('p', {}, text(ex.hint)));
    const body = ex.kind === 'predict' ? predictBody(ex, out, explain) : ex.kind === 'numeric' ? numericBody(ex, out, explain, reveal) : targetBody(ex, out, explain, reveal);
    const setupNote = h('p', { class: 'note', role: 'status' });
    const setup = ex.start === undefined ? null : h('button', { type: 'button', 'data-action': 'setup' }, s('setup'));
    setup?.addEventListener('click', () => setUp(ex).then(
      () => { setupNote.textContent = s('setupDone'); schedule(ex.widget); },
      (err) => { setupNote.textContent = s('setupFailed', { message: stringsFor(doc.documentElement).error(err) }); }));
    const link = new URL(doc.defaultView.location.href);
    link.search = new URLSearchParams({ ...(lang === 'zh' && { lang }), ex: ex.id }).toString();
    link.hash = `ex-${ex.id}`;
    return h('article', { class: 'exercise', id: `ex-${ex.id}`, 'data-exercise': ex.id, 'data-kind': ex.kind, 'aria-labelledby': titleId, tabindex: -1 },
      h('h3', { id: titleId }, `${s('number', { n })} · ${s(`kind.${ex.kind}`)} `, badge),
      h('div', { class: 'ex-tools' }, setup, h('a', { href: link.href, class: 'ex-link' }, s('link'))), setupNote,
      ...body, hint, out, reveal, explain);
  }

  const total = h('span', { 'data-out': 'ex-progress' });
  const resetNote = h('span', { class: 'note', role: 'status' });
  const reset = () => {
    for (const id of Object.keys(progress)) delete progress[id];
    saveProgress(progress);
    refresh();
    resetNote.textContent = s('resetDone');
  };
  doc.querySelector('.toc')?.append(h('div', { class: 'ex-progress' }, total, ' ',
    h('button', { type: 'button', 'data-action': 'reset-exercises', onclick: reset }, s('reset')), ' ', resetNote));

  const sections = [...new Set(EXERCISES.map((ex) => ex.section))];
  for (const id of sections) {
    const section = doc.getElementById(id);
    if (!section) continue;
    const list = EXERCISES.filter((ex) => ex.section === id);
    const count = h('span', { class: 'ex-count' });
    summaries.set(id, count);
    section.append(h('details', { class: 'exercises', 'data-exercises': id },
      h('summary', {}, h('span', { class: 'ex-heading' }, s('heading', { n: list.length })), ' ', count),
      ...list.map((ex, i) => panel(ex, i + 1))));
  }
  refresh();

  /** Opens exercise `id`, sets up its widget and scrolls to it. */
  async function open(id) {
    const ex = BY_ID.get(id);
    const article = doc.querySelector(`[data-exercise="${id}"]`);
    if (!ex || !article) return;
    article.closest('details').open = true;
    if (ex.start !== undefined) await setUp(ex);
    article.scrollIntoView({ block: 'start' });
    article.focus({ preventScroll: true });
  }

  await styled; // before the page says it is ready (and scrolls to an exercise)
  const asked = exerciseParam(doc.defaultView.location.search, IDS);
  if (asked.id) await open(asked.id);
  else if (asked.unknown) {
    console.info('elbo-lab: the link\'s ex= names no exercise; ignored');
    doc.getElementById('chapter')?.prepend(h('p', { class: 'note url-notice', role: 'status', 'data-url-notice': 'ex' }, s('unknown')));
  }
  return { progress: () => ({ ...progress }), reset, open };
}
