// Every piece of text on the page comes from one string table per language (www/i18n/*.js).
import katex from '../vendor/katex/katex.mjs';
import en from '../i18n/en.js';
import zh, * as zhModule from '../i18n/zh.js';

/**
 * The languages: code (as in ?lang=…) → its string table, its BCP 47 tag for `lang`
 * attributes, and its templates for the wasm API's errors by code (English has none: the API's
 * own messages are the English text; see errorCatalogue() in the README).
 */
export const LANGUAGES = {
  en: { table: en, tag: 'en', errors: {} },
  zh: { table: zh, tag: 'zh-CN', errors: zhModule.errors ?? {} },
};

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
 * The strings of one language: { lang, tag, t(key, vars), error(err) }. Widgets take theirs
 * from the element they are mounted in (stringsFor), so two widgets on one host page can
 * speak two languages.
 */
export function strings(lang) {
  const code = parseLanguage(lang) ?? 'en';
  if (!bound.has(code)) {
    const { table, tag, errors } = LANGUAGES[code];
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
  const tag = element?.closest?.('[lang]')?.getAttribute('lang') ?? '';
  return strings(/^zh(-|$)/i.test(tag) ? 'zh' : 'en');
}

/** The string for `key` in the page's language, with {name} placeholders filled from `vars`. */
export function t(key, vars = {}) {
  return strings(current).t(key, vars);
}

/** Typesets TeX `source` into `el` with KaTeX (display mode if `display`). */
export function tex(el, source, display = false) {
  katex.render(source, el, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
  return el;
}

const TOKEN = /(\$\$[^$]+\$\$|\$[^$]+\$|\*\*[^*]+\*\*)/;

/**
 * Fills `el` with `text` in a tiny markup: $…$ inline maths, $$…$$ display maths,
 * **…** bold (which may contain maths). Everything else is plain text (no HTML is ever parsed).
 */
export function rich(el, text) {
  el.replaceChildren();
  for (const part of text.split(TOKEN)) {
    if (!part) continue;
    if (part.startsWith('$$')) el.append(tex(document.createElement('span'), part.slice(2, -2), true));
    else if (part.startsWith('$')) el.append(tex(document.createElement('span'), part.slice(1, -1)));
    else if (part.startsWith('**')) el.append(rich(document.createElement('strong'), part.slice(2, -2)));
    else el.append(document.createTextNode(part));
  }
  return el;
}

/** Fills every [data-i18n] element under `root` with its rich string. */
export function applyStrings(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) rich(el, t(el.dataset.i18n));
  for (const el of root.querySelectorAll('[data-tex]')) tex(el, el.dataset.tex, el.tagName === 'DIV');
}
