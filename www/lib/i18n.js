// Every piece of text on the page comes from one string table per language (www/i18n/*.js).
import katex from '../vendor/katex/katex.mjs';
import en from '../i18n/en.js';
import zh from '../i18n/zh.js';

/** The languages: code (as in ?lang=…) → its string table and its BCP 47 tag for <html lang>. */
export const LANGUAGES = {
  en: { table: en, tag: 'en' },
  zh: { table: zh, tag: 'zh-CN' },
};

/** Where the reader's choice is remembered. */
export const STORAGE_KEY = 'elbo-lab.lang';

let table = en;
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
 * Makes `lang` the active language (unknown codes mean English) and sets the `lang` attribute
 * of `element` (default <html>; null leaves the page alone, as an embed in a host page must).
 */
export function setLanguage(lang, element = globalThis.document?.documentElement) {
  current = parseLanguage(lang) ?? 'en';
  table = LANGUAGES[current].table;
  element?.setAttribute('lang', LANGUAGES[current].tag);
}

/** The active language code ('en' or 'zh'). */
export function language() {
  return current;
}

/** The string for `key`, with {name} placeholders filled from `vars`. Unknown keys throw. */
export function t(key, vars = {}) {
  const s = table[key];
  if (typeof s !== 'string') throw new Error(`missing string "${key}"`);
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
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
