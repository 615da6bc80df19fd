// The chapter page: pick the language, load the wasm core, fill in the text, mount the widgets.
//
// In two steps, so the first screen is usable early and its download stays small:
// 1. The text goes in everywhere, but only the parts of the chapter on or near the screen get
//    their maths typeset (the build's HTML, www/tex/: a file per section, fetched as the section
//    is typeset) and their widgets mounted; then
//    performance mark "elbo-lab:first-widget".
// 2. Once the page has loaded, the first screen's fonts have arrived and the browser is idle
//    (performance mark "elbo-lab:rest"): the export and embed tools of every widget and the
//    rest of the strings, then the rest of the chapter, nearest first, one widget per task: its
//    maths, its widget's code, KaTeX for the maths made at run time, the KaTeX fonts it uses.
//    Then the link keeper, and html[data-ready="true"]: every widget mounted and interactive. A
//    part the reader scrolls near before then is done at once. So everything is fetched without
//    scrolling, and the chapter keeps working offline once loaded.
import { ready } from './lib/lab.js';
import { applyStrings, chooseLanguage, language, loadLanguage, loadSectionFormulas, loadTex, loadWidgetStrings, rememberLanguage, rich, setLanguage, t, typesetLater } from './lib/i18n.js';
import { LOADERS, createMounter } from './widgets/index.js';
import { SCHEMAS, decodeAll, encode, showNotice } from './lib/url-state.js';
import { island } from './lib/island.js';

/**
 * The header's "English / 中文" buttons. Switching remembers the choice and reloads the page
 * with ?lang=… rather than re-rendering in place: widgets build their text when they mount and
 * some own workers and animation loops, so a fresh load is the one way to get every string,
 * chart label and aria text in the new language with no half-translated or leaked state. The
 * widgets' settings survive, as the URL carries them (lib/share.js); what is lost is only the
 * rest of the in-memory state (a VAE's weights, a fit's path), as in any reload. The URL keeps
 * the language shareable and works even where localStorage is unavailable.
 */
function wireLanguageSwitch(root) {
  for (const button of root.querySelectorAll('.lang-switch button[data-lang]')) {
    const lang = button.dataset.lang;
    button.setAttribute('aria-pressed', String(lang === language()));
    button.addEventListener('click', () => {
      if (lang === language()) return;
      rememberLanguage(lang);
      const url = new URL(window.location.href);
      url.searchParams.set('lang', lang);
      window.location.replace(url.href);
    });
  }
}

/**
 * Resolves once the page has loaded, the fonts of what is laid out (the first screen's maths)
 * have arrived, and the browser is next idle (2 s later at most): the first screen's fonts come
 * before the rest of the chapter.
 */
function loadedAndIdle() {
  return new Promise((resolve) => {
    const idle = () => {
      void document.body.offsetHeight; // a layout, which asks for the fonts the typeset maths uses
      // At most 2 s: an engine whose fonts.ready stays pending must not hold the chapter back.
      const fonts = Promise.race([document.fonts.ready, new Promise((r) => setTimeout(r, 2000))]);
      fonts.then(() => (window.requestIdleCallback ?? setTimeout)(resolve, { timeout: 2000 }));
    };
    if (document.readyState === 'complete') idle(); else window.addEventListener('load', idle, { once: true });
  });
}

/** The next task: lets the browser paint and answer the reader between two widgets. */
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The chapter's parts, each typeset and mounted as a whole. */
function parts() {
  return [...document.querySelectorAll('body > header, .toc, #chapter > *, body > footer')];
}

/** Whether `el` is on the screen or within half a screen's height of it. */
function near(el) {
  const r = el.getBoundingClientRect();
  return r.bottom >= -0.5 * window.innerHeight && r.top <= 1.5 * window.innerHeight;
}

setLanguage(chooseLanguage(window.location.search));
wireLanguageSwitch(document);

const showError = (err) => {
  const box = document.getElementById('load-error');
  box.hidden = false;
  rich(box, `${t('page.loadError')} ${err.message}`);
};

/**
 * The code of the widget the reader will most likely see first (the one in the section the URL's
 * #fragment names, else the first), fetched beside the wasm rather than after it.
 */
function prefetchFirstWidget() {
  let target = null;
  try {
    target = window.location.hash.length > 1 ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
  } catch {
    target = null; // a malformed %-escape: no target
  }
  const el = (target?.closest('section') ?? document.getElementById('chapter'))?.querySelector('[data-widget]');
  if (el && Object.hasOwn(LOADERS, el.dataset.widget)) LOADERS[el.dataset.widget]().catch(() => {}); // reported when mounted
}

try {
  prefetchFirstWidget();
  // The wasm and the one string table in use (with its typeset maths), fetched side by side.
  await Promise.all([ready(), loadLanguage(language())]);
  document.title = t('page.title');
  applyStrings(document, true);
  // Widget state from the link (?entropy=p:…&vae=…): see lib/url-state.js. It is applied as
  // each widget mounts.
  const fromUrl = decodeAll(window.location.search);
  const mounter = createMounter(document, Object.fromEntries(Object.entries(fromUrl).map(([id, d]) => [id, d.options])));
  const { handles } = mounter;
  const atMount = {}; // id → its link text when mounted (to tell which the reader has edited)
  let share = null;
  // Lessons and the projector (lib/lesson-ui.js): loaded when first used, or after the widgets.
  const lessonUi = () => import('./lib/lesson-ui.js');
  const lesson = {
    add: (id) => lessonUi().then((m) => m.addStep(id, handles[id])).catch(showError),
    project: (id) => lessonUi().then((m) => m.projectWidget(id, handles[id])).catch(showError),
  };
  // The export and embed tools under each widget come with the rest of the chapter (step 2),
  // not on the first screen: until then the mounted widgets wait in `toolsFor`.
  let addTools = null;
  const toolsFor = [];
  const withTools = (id, handle) => (addTools ? addTools(id, handle) : toolsFor.push([id, handle]));

  /** Typesets `part`'s maths and mounts its widgets (once). */
  const done = new Map();
  function finish(part) {
    if (!done.has(part)) {
      // Its typeset maths (a section's own file: see lib/i18n.js), then the widgets.
      const formulas = part.matches('section[id]') ? loadSectionFormulas(part.id) : null;
      const typeset = Promise.resolve(formulas).then(() => typesetLater(part));
      // The derivation typesets its lines as it mounts, from its section's file (the build
      // typesets them there): that file first.
      const needsTex = part.querySelector('[data-widget="derivation"]') ? formulas : null;
      done.set(part, Promise.all([typeset, ...[...part.querySelectorAll('[data-widget]')].map(async (el) => {
        await needsTex;
        const handle = await mounter.mount(el);
        const id = el.dataset.widget;
        if (!handle || atMount[id] !== undefined) return;
        island(el);
        atMount[id] = SCHEMAS[id] && typeof handle.state === 'function' ? encode(id, handle.state()) : '';
        if (fromUrl[id]) showNotice(el, id, fromUrl[id], t('url.notice'));
        withTools(id, handle);
      })]));
    }
    return done.get(part);
  }

  // 1. What is on or near the screen; the rest as the reader nears it.
  // In page order, each part's nearness measured once the parts above it are done (a mounted
  // widget is taller than its empty element).
  const all = parts();
  for (const part of all) if (near(part)) await finish(part);
  performance.mark('elbo-lab:first-widget');
  const approach = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      approach.unobserve(e.target);
      finish(e.target).catch(showError);
    }
  }, { rootMargin: '50% 0px' });
  for (const part of all) if (!done.has(part)) approach.observe(part);

  // 2. Everything else, once the page has loaded and the browser is idle, nearest first.
  await loadedAndIdle();
  performance.mark('elbo-lab:rest');
  const tex = loadTex();
  const [{ addExportTools }, { addEmbedButtons }] = await Promise.all([import('./lib/export.js'), import('./lib/embed-ui.js'), loadWidgetStrings(null)]);
  addTools = (id, handle) => {
    addExportTools(document, { [id]: handle });
    addEmbedButtons(document, [id], (which) => (share ? share.link(which) : window.location.href), lesson);
  };
  for (const [id, handle] of toolsFor.splice(0)) addTools(id, handle);
  const distance = (el) => { const r = el.getBoundingClientRect(); return Math.max(r.top - window.innerHeight, -r.bottom, 0); };
  for (const part of all.filter((p) => !done.has(p)).sort((a, b) => distance(a) - distance(b))) {
    approach.unobserve(part);
    await finish(part);
    await nextTask();
  }
  approach.disconnect();
  await Promise.all([...done.values(), tex]);
  typesetLater();

  // The link keeps up with every widget; a widget edited before now counts as changed.
  const edited = Object.fromEntries(Object.entries(handles)
    .filter(([id, h]) => atMount[id] && encode(id, h.state()) !== atMount[id]).map(([id]) => [id, true]));
  const { keepUrlInSync } = await import('./lib/share.js');
  share = keepUrlInSync(document, handles, { ...edited, ...fromUrl });
  window.elboLab = { widgets: handles, share };
  // The exercises (code, table, strings, styles) only now, after the load: nothing of them in the
  // first load; but before data-ready, so a page that is ready works offline.
  window.elboLab.exercises = await (await import('./exercises/index.js')).attach(document, handles);
  document.documentElement.dataset.exercises = 'ready';
  // Lessons and the projector likewise (a ready page presents offline), and a ?lesson= link
  // opens its lesson. A failure to fetch the lesson code is reported; the chapter still becomes ready.
  const lessonParam = new URLSearchParams(window.location.search).get('lesson');
  await lessonUi().then((m) => (lessonParam !== null ? m.openFromLink(lessonParam) : null)).catch(showError);
  document.documentElement.dataset.ready = 'true';
} catch (err) {
  showError(err);
  throw err;
}
