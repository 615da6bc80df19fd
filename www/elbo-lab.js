// The one-line embed: mount(element, 'kl-discrete', options) puts one widget of the chapter into
// any element of any page, and importing this module defines <elbo-lab-widget name="…">, the
// same as an HTML element (lib/widget-element.js). The widget lives in the element's shadow root, with the chapter's
// styles linked inside it, so the host page's CSS and the widget's CSS stay apart. Nothing is
// assigned to window; the host page's <html lang> is left alone.
import { ready } from './lib/lab.js';
import { LANGUAGES, chooseLanguage, loadTex, loadWidgetStrings, parseLanguage } from './lib/i18n.js';
import { WIDGET_IDS, loadAll } from './widgets/index.js';
import { defineWidgetElement } from './lib/widget-element.js';

/** The registry: id → the widget's module, in chapter order. */
export const WIDGETS = await loadAll();

/** The registry's ids, in chapter order. */
export { WIDGET_IDS };

/** The stylesheets a widget needs, resolved against this module (any host, any sub-path). */
const STYLESHEETS = [
  new URL('vendor/math/math.css', import.meta.url).href,
  new URL('style.css', import.meta.url).href,
];

const mounted = new WeakMap(); // host element → the widget handle mounted in it

/** A <link rel="stylesheet"> that resolves once loaded (or failed: the widget still works). */
function stylesheet(href) {
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  const done = new Promise((resolve) => {
    link.addEventListener('load', () => resolve(link), { once: true });
    link.addEventListener('error', () => resolve(null), { once: true });
  });
  return { link, done };
}

let fontsAdded = false;

/**
 * Chromium ignores @font-face rules inside a shadow root, so the math font's faces are
 * registered with the document through the FontFace API (once per page, only the faces it does
 * not have yet).
 * This adds font faces, not rules: nothing of the host page's styling changes.
 */
function registerFonts(sheet) {
  if (fontsAdded || !sheet) return;
  fontsAdded = true;
  let rules;
  try {
    rules = [...sheet.cssRules];
  } catch {
    return; // a stylesheet from another origin without CORS: no fonts, the maths still renders
  }
  const have = new Set([...document.fonts].map((f) => `${f.family.replace(/"/g, '')}|${f.weight}|${f.style}`));
  for (const rule of rules) {
    if (!(rule instanceof CSSFontFaceRule)) continue;
    const family = rule.style.getPropertyValue('font-family').trim().replace(/^["']|["']$/g, '');
    const weight = rule.style.getPropertyValue('font-weight').trim() || 'normal';
    const style = rule.style.getPropertyValue('font-style').trim() || 'normal';
    const normWeight = weight === 'normal' ? '400' : weight === 'bold' ? '700' : weight;
    if (have.has(`${family}|${normWeight}|${style}`) || have.has(`${family}|${weight}|${style}`)) continue; // the page declares it
    const src = rule.style.getPropertyValue('src')
      .replace(/url\(\s*(["']?)([^"')]+)\1\s*\)/g, (_, q, url) => `url("${new URL(url, sheet.href).href}")`);
    const unicodeRange = rule.style.getPropertyValue('unicode-range').trim() || 'U+0-10FFFF';
    document.fonts.add(new FontFace(family, src, { weight, style, unicodeRange, display: 'block' }));
  }
}

/**
 * Mounts widget `id` into `element` and resolves to the widget's handle ({ destroy, … }).
 *
 * options.lang: 'en' or 'zh' (default: ?lang= of the page, else the reader's remembered choice,
 * else English), per widget: two widgets on one page may speak two languages. Every other option is
 * passed to the widget (see its mount() in www/widgets/<id>.js, or <id>/index.js). Mounting again into the same
 * element destroys the widget it held. Throws an Error for an unknown id or language.
 */
export async function mount(element, id, options = {}) {
  if (!(element instanceof Element)) throw new Error('mount(element, id): element must be a DOM element');
  if (typeof id !== 'string' || !Object.hasOwn(WIDGETS, id)) {
    throw new Error(`unknown widget ${JSON.stringify(id)}: use one of ${WIDGET_IDS.join(', ')}`);
  }
  const { lang, ...widgetOptions } = options ?? {};
  if (lang != null && !parseLanguage(lang)) {
    throw new Error(`unknown language ${JSON.stringify(lang)}: use one of ${Object.keys(LANGUAGES).join(', ')}`);
  }
  const code = lang ?? chooseLanguage();
  await Promise.all([ready(), loadWidgetStrings(null, code), loadTex()]);

  mounted.get(element)?.destroy();
  mounted.delete(element);
  let shadow = element.shadowRoot;
  if (!shadow) {
    try {
      shadow = element.attachShadow({ mode: 'open' });
    } catch (err) {
      throw new Error(`cannot mount into <${element.localName}>: ${err.message} (use a <div>)`);
    }
  }
  const sheets = STYLESHEETS.map(stylesheet);
  const root = document.createElement('div');
  root.className = 'widget';
  root.dataset.widget = id;
  root.lang = LANGUAGES[code].tag; // the widget's strings follow it (stringsFor)
  shadow.replaceChildren(...sheets.map((s) => s.link), root);
  const [mathLink] = await Promise.all(sheets.map((s) => s.done));
  registerFonts(mathLink?.sheet);

  const handle = WIDGETS[id].mount(root, widgetOptions);
  mounted.set(element, handle);
  return handle;
}

/**
 * Destroys the widget mounted in `element` (its wasm objects are freed, its worker stopped) and
 * empties the element's shadow root. Nothing mounted: nothing happens.
 */
export function unmount(element) {
  mounted.get(element)?.destroy();
  mounted.delete(element);
  element.shadowRoot?.replaceChildren();
}

/** Shows `text` (a message, not a widget) in `element`'s shadow root, in the lab's style. */
function message(element, text, lang) {
  unmount(element);
  const shadow = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const p = document.createElement('p');
  p.className = 'error';
  p.dataset.elementMessage = '';
  p.lang = LANGUAGES[lang].tag;
  p.textContent = text;
  shadow.replaceChildren(stylesheet(STYLESHEETS[1]).link, p);
}

defineWidgetElement({ mount, unmount, message, ids: WIDGET_IDS });
