// The chapter page: pick the language, load the wasm core, fill in the text, mount the widgets.
import { ready } from './lib/lab.js';
import { applyStrings, chooseLanguage, language, rememberLanguage, rich, setLanguage, t } from './lib/i18n.js';
import { addEmbedButtons } from './lib/embed-ui.js';
import { addExportTools } from './lib/export.js';
import { WIDGETS, mountAll } from './widgets/index.js';

/**
 * The header's "English / 中文" buttons. Switching remembers the choice and reloads the page
 * with ?lang=… rather than re-rendering in place: widgets build their text when they mount and
 * some own workers and animation loops, so a fresh load is the one way to get every string,
 * chart label and aria text in the new language with no half-translated or leaked state. What
 * is lost is only in-memory widget state (the same as any reload); the URL keeps the language
 * shareable and works even where localStorage is unavailable.
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

setLanguage(chooseLanguage(window.location.search));
document.title = t('page.title');
wireLanguageSwitch(document);

try {
  await ready();
  applyStrings(document);
  window.elboLab = { widgets: mountAll(document) };
  addExportTools(document, window.elboLab.widgets);
  addEmbedButtons(document, Object.keys(WIDGETS));
  document.documentElement.dataset.ready = 'true';
} catch (err) {
  const box = document.getElementById('load-error');
  box.hidden = false;
  rich(box, `${t('page.loadError')} ${err.message}`);
  throw err;
}
