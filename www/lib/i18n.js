// Every piece of text on the page comes from one string table per language (www/i18n/*.js).
import katex from '../vendor/katex/katex.mjs';
import en from '../i18n/en.js';

const tables = { en };
let table = en;

/** The active language's table ('en' for now; more languages plug into `tables`). */
export function setLanguage(lang) {
  table = tables[lang] ?? en;
  document.documentElement.lang = tables[lang] ? lang : 'en';
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
