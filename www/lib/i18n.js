// Every piece of text on the page comes from one string table per language (www/i18n/*.js).
// The formulas of those tables and of index.html are typeset at build time (www/tex/<lang>.js
// and, a file per section of the chapter, www/tex/<lang>/<id>.js, made by
// tools/prerender-tex.mjs); KaTeX itself (vendor/katex/katex.mjs) is fetched only for
// formulas made at run time (loadTex), with lib/mathml.js. Both give MathML.

/**
 * The languages: code (as in ?lang=…) → its BCP 47 tag for `lang` attributes and loaders of
 * its string table. Only the tables in use are fetched (loadLanguage): a reader of one language
 * never downloads the other's. Each table module exports its strings as default and, for
 * Chinese, its templates for the wasm API's errors by code as `errors` (English has none: the
 * API's own messages are the English text; see errorCatalogue() in the README). The build splits
 * each table in two (tools/split-strings.mjs): `first`, the strings of the first screen (and
 * `widgets`, the ids whose strings it holds), and `rest`, fetched before another widget mounts
 * (loadWidgetStrings); `load` is the whole table, used when the split is not built.
 */
export const LANGUAGES = {
  en: {
    tag: 'en', load: () => import('../i18n/en.js'), typeset: () => import('../tex/en.js'),
    first: () => import('../strings/en/first.js'), rest: () => import('../strings/en/rest.js'),
  },
  zh: {
    tag: 'zh-CN', load: () => import('../i18n/zh.js'), typeset: () => import('../tex/zh.js'),
    first: () => import('../strings/zh/first.js'), rest: () => import('../strings/zh/rest.js'),
  },
};

/** Formulas typeset at build time: 'i' (inline) or 'd' (display) + TeX source → their MathML. */
const prerendered = new Map();
let katex = null; // KaTeX, once loadTex() has fetched it
let mathml = null; // lib/mathml.js, fetched with it
let katexLoading = null;

/**
 * Fetches KaTeX (once); resolves when tex() can typeset any formula at once, also those made
 * at run time. Formulas asked for before then are typeset when it arrives.
 */
export function loadTex() {
  katexLoading ??= Promise.all([import('../vendor/katex/katex.mjs'), import('./mathml.js')]).then(([k, m]) => {
    katex = k.default;
    mathml = m;
  });
  return katexLoading;
}

const tables = new Map(); // code → Promise of { table, errors }
// code → { table, errors, widgets, rest }, once fetched: `table` gains the rest of the strings
// when they arrive (rest: null until asked for; `widgets` null once the table is whole).
const loaded = new Map();

/**
 * Fetches the string table of `lang`, the first screen's part of it (once); resolves when
 * strings(lang) can be used by the page and by the widgets of `widgets` (loadWidgetStrings).
 */
export function loadLanguage(lang) {
  const code = parseLanguage(lang) ?? 'en';
  if (!tables.has(code)) {
    // Without the build's typeset formulas (www/tex/ not built), KaTeX typesets them all.
    const typeset = LANGUAGES[code].typeset().then((m) => m.default, () => loadTex().then(() => ({})));
    // Without the build's split (www/strings/ not built), the whole table.
    const table = LANGUAGES[code].first().catch(() => LANGUAGES[code].load());
    tables.set(code, Promise.all([table, typeset]).then(([m, formulas]) => {
      for (const [key, html] of Object.entries(formulas)) prerendered.set(key, html);
      loaded.set(code, { table: { ...m.default }, errors: m.errors ?? {}, widgets: m.widgets ?? null, rest: null });
    }));
  }
  return tables.get(code);
}

/**
 * Resolves once every string that widget `id` may show in `lang` is loaded: at once for the
 * widgets of the first screen, else when the rest of the table has arrived (fetched once). With
 * no `id`, the whole table (an embed, a host page).
 */
export async function loadWidgetStrings(id, lang = current) {
  const code = parseLanguage(lang) ?? 'en';
  await loadLanguage(code);
  const entry = loaded.get(code);
  if (!entry.widgets || (id != null && entry.widgets.includes(id))) return;
  entry.rest ??= LANGUAGES[code].rest().then((m) => {
    Object.assign(entry.table, m.default);
    entry.widgets = null;
  });
  await entry.rest;
}

const sectionFormulas = new Map(); // 'lang/section id' → Promise, once asked for

/**
 * Fetches the typeset maths of the chapter's <section id="`id`"> (www/tex/<lang>/<id>.js, made
 * by the build; once): the chapter asks for a section's before typesetting it, so the first
 * load carries only the maths of the sections on the first screen. Never rejects: without the
 * file (www/tex/ not built, a section the build did not see), tex() typesets with KaTeX.
 */
export function loadSectionFormulas(id, lang = current) {
  const code = parseLanguage(lang) ?? 'en';
  if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) return Promise.resolve();
  const key = `${code}/${id}`;
  if (!sectionFormulas.has(key)) {
    sectionFormulas.set(key, import(`../tex/${code}/${id}.js`).then((m) => {
      for (const [k, html] of Object.entries(m.default)) if (!prerendered.has(k)) prerendered.set(k, html);
    }, () => {}));
  }
  return sectionFormulas.get(key);
}

/** Where the reader's choice is remembered. */
export const STORAGE_KEY = 'elbo-lab.lang';

let current = 'en';

/** `value` if it is exactly a language code ('en', 'zh'), else null. Nothing is guessed. */
export function parseLanguage(value) {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value) ? value : null;
}

/** The remembered language, or null (also when storage is unavailable or throws). */
export function rememberedLanguage() {
  try {
    return parseLanguage(globalThis.localStorage?.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

/** Remembers `lang` for later visits; returns false if storage is unavailable. */
export function rememberLanguage(lang) {
  try {
    globalThis.localStorage.setItem(STORAGE_KEY, lang);
    return true;
  } catch {
    return false;
  }
}

/** The language to show: ?lang=en|zh in `search`, else the remembered one, else English. */
export function chooseLanguage(search = globalThis.location?.search ?? '') {
  return parseLanguage(new URLSearchParams(search).get('lang')) ?? rememberedLanguage() ?? 'en';
}

/**
 * Makes `lang` the page's language (unknown codes mean English) and sets the `lang` attribute
 * of `element` (default <html>; null leaves the page alone, as an embed in a host page must).
 */
export function setLanguage(lang, element = globalThis.document?.documentElement) {
  current = parseLanguage(lang) ?? 'en';
  element?.setAttribute('lang', LANGUAGES[current].tag);
}

/** The page's language code ('en' or 'zh'). */
export function language() {
  return current;
}

/** `template` with {name} placeholders filled from `vars` (unknown names are left as they are). */
export function fill(template, vars = {}) {
  return template.replace(/\{(\w+)\}/g, (m, name) => (Object.hasOwn(vars, name) ? String(vars[name]) : m));
}

const bound = new Map();

/**
 * The strings of one language, once loaded (loadLanguage): { lang, tag, t(key, vars), error(err) }. Widgets take theirs
 * from the element they are mounted in (stringsFor), so two widgets on one host page can
 * speak two languages.
 */
export function strings(lang) {
  const code = parseLanguage(lang) ?? 'en';
  if (!bound.has(code)) {
    if (!loaded.has(code)) throw new Error(`the ${code} strings are not loaded yet (await loadLanguage('${code}'))`);
    const { table, errors } = loaded.get(code);
    const { tag } = LANGUAGES[code];
    const t = (key, vars) => {
      const s = table[key];
      if (typeof s !== 'string') throw new Error(`missing string "${key}"`);
      return fill(s, vars);
    };
    /**
     * An error for the reader: the wasm API's errors by their code (err.code, err.params), the
     * page's own by their string key (err.key, err.vars), anything else by its message.
     */
    const error = (err) => {
      if (typeof err?.key === 'string' && typeof table[err.key] === 'string') return fill(table[err.key], err.vars ?? {});
      const template = typeof err?.code === 'string' && Object.hasOwn(errors, err.code) ? errors[err.code] : null;
      if (template && err.params && typeof err.params === 'object') return fill(template, err.params);
      return String(err?.message ?? err);
    };
    bound.set(code, Object.freeze({ lang: code, tag, t, error }));
  }
  return bound.get(code);
}

/**
 * The strings for a widget mounted at `element`: the language of the nearest `lang`
 * attribute (zh, zh-CN, zh-Hans… → Chinese; anything else → English). The chapter sets it
 * on <html>; mount() sets it on the widget's own root inside its shadow root.
 */
export function stringsFor(element) {
  return strings(languageOf(element));
}

/** The language code of `element`: its nearest `lang` attribute (zh, zh-CN… → 'zh'; else 'en'). */
export function languageOf(element) {
  const tag = element?.closest?.('[lang]')?.getAttribute('lang') ?? '';
  return /^zh(-|$)/i.test(tag) ? 'zh' : 'en';
}

/** The string for `key` in the page's language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  return strings(current).t(key, vars);
}

/**
 * Marks a display formula whose content is wider than its box (a phone, a long line) as
 * scrollable, and unmarks it when it fits again: data-scroll="x" (style.css draws a shadow on
 * the side with more to see), tabindex=0 so the keyboard can scroll it, and a label that says
 * so. Kept up to date by one ResizeObserver for every display formula.
 */
function markScroll(box) {
  const wide = box.scrollWidth > box.clientWidth + 1;
  if (wide === (box.dataset.scroll === 'x')) return;
  if (wide) {
    box.dataset.scroll = 'x';
    box.tabIndex = 0;
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', stringsFor(box).t('formula.scrolls'));
  } else {
    delete box.dataset.scroll;
    for (const a of ['tabindex', 'role', 'aria-label']) box.removeAttribute(a);
  }
}

const scrollWatch = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
  for (const { target } of entries) {
    const box = target.closest('.katex-display');
    if (box) markScroll(box);
  }
}) : null;
// The math font arrives after the first layout and widens the formulas.
globalThis.document?.fonts?.addEventListener?.('loadingdone', () => {
  for (const box of document.querySelectorAll('.katex-display')) markScroll(box);
});

const parser = globalThis.document?.createElement('template');

/** Watches a typeset display formula's width (markScroll). */
function watch(el, display) {
  const box = display && el.querySelector('.katex-display');
  if (box && scrollWatch) {
    scrollWatch.observe(box);
    // Its content can grow while the box keeps its size: watch the formula's own box too.
    const math = box.querySelector('math');
    if (math) scrollWatch.observe(math);
  }
}

/**
 * Typesets TeX `source` into `el` as MathML (display mode if `display`): the build's MathML for
 * it if it has one (only the build's own output is parsed as HTML, never the source), else
 * KaTeX at run time. Until KaTeX has arrived (loadTex) such a formula shows its source and is
 * typeset on arrival, unless `el` has been given something else meanwhile.
 */
export function tex(el, source, display = false) {
  const html = prerendered.get(`${display ? 'd' : 'i'}${source}`);
  if (html !== undefined && parser) {
    parser.innerHTML = html;
    el.replaceChildren(parser.content);
  } else if (katex) {
    // A display formula goes in the box watch() watches, as the build's do (prerender-tex.mjs).
    const box = display ? document.createElement('span') : el;
    if (display) {
      box.className = 'katex-display';
      el.replaceChildren(box);
    }
    katex.render(source, box, { ...mathml.TEX_OPTIONS, displayMode: display });
    mathml.mendTree(box);
  } else {
    el.textContent = source;
    const token = {};
    el.texPending = token;
    loadTex().then(() => { if (el.texPending === token) tex(el, source, display); });
    return el;
  }
  el.texPending = null;
  watch(el, display);
  return el;
}

/** Formulas left for later (rich(…, { later })): element → [source, display]. */
const later = new Map();

/**
 * Typesets the formulas under `root` that were left for later; all of them without `root`.
 * Returns how many.
 */
export function typesetLater(root = null) {
  let n = 0;
  for (const [el, [source, display]] of later) {
    if (root && !root.contains(el)) continue;
    later.delete(el);
    if (el.isConnected) { tex(el, source, display); n += 1; }
  }
  return n;
}

/** rich()'s markup, as the separators of String.split (tools/prerender-tex.mjs reads it too). */
export const TOKEN = /(\$\$[^$]+\$\$|\$[^$]+\$|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/;

/** Typesets `source` into `el` now, or, with `lazy`, shows its source until typesetLater(). */
function formula(el, source, display, lazy) {
  if (!lazy) return tex(el, source, display);
  el.textContent = source;
  later.set(el, [source, display]);
  return el;
}

/**
 * Fills `el` with `text` in a tiny markup: $…$ inline maths, $$…$$ display maths,
 * **…** bold and *…* italic (which may contain maths). Everything else is plain text (no HTML is
 * ever parsed).
 * With `lazy`, the maths shows its TeX source until typesetLater() typesets it.
 */
export function rich(el, text, lazy = false) {
  el.replaceChildren();
  for (const part of text.split(TOKEN)) {
    if (!part) continue;
    if (part.startsWith('$$')) el.append(formula(document.createElement('span'), part.slice(2, -2), true, lazy));
    else if (part.startsWith('$')) el.append(formula(document.createElement('span'), part.slice(1, -1), false, lazy));
    else if (part.startsWith('**')) el.append(rich(document.createElement('strong'), part.slice(2, -2), lazy));
    else if (part.startsWith('*')) el.append(rich(document.createElement('em'), part.slice(1, -1), lazy));
    else el.append(document.createTextNode(part));
  }
  return el;
}

/**
 * Fills every [data-i18n] element under `root` with its rich string. With `lazy`, the maths is
 * left as TeX source for typesetLater() (the chapter typesets each part as it nears the screen).
 */
export function applyStrings(root, lazy = false) {
  for (const el of root.querySelectorAll('[data-i18n]')) rich(el, t(el.dataset.i18n), lazy);
  for (const el of root.querySelectorAll('[data-tex]')) formula(el, el.dataset.tex, el.tagName === 'DIV', lazy);
}
