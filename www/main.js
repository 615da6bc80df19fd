// The chapter page: pick the language, load the wasm core, fill in the text, mount the widgets.
import { ready } from './lib/lab.js';
import { applyStrings, chooseLanguage, language, loadLanguage, rememberLanguage, rich, setLanguage, t } from './lib/i18n.js';
import { addEmbedButtons } from './lib/embed-ui.js';
import { addExportTools } from './lib/export.js';
import { WIDGETS, mountAll } from './widgets/index.js';
import { decodeAll, showNotice } from './lib/url-state.js';
import { keepUrlInSync } from './lib/share.js';

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

setLanguage(chooseLanguage(window.location.search));
wireLanguageSwitch(document);

try {
  // The wasm and the one string table in use, fetched side by side.
  await Promise.all([ready(), loadLanguage(language())]);
  document.title = t('page.title');
  applyStrings(document);
  // Widget state from the link (?entropy=p:…&vae=…): see lib/url-state.js.
  const fromUrl = decodeAll(window.location.search);
  const widgets = mountAll(document, Object.fromEntries(Object.entries(fromUrl).map(([id, d]) => [id, d.options])));
  for (const [id, decoded] of Object.entries(fromUrl)) {
    const root = document.querySelector(`[data-widget="${id}"]`);
    if (root) showNotice(root, id, decoded, t('url.notice'));
  }
  const share = keepUrlInSync(document, widgets, fromUrl);
  window.elboLab = { widgets, share };
  addExportTools(document, widgets);
  addEmbedButtons(document, Object.keys(WIDGETS), share.link);
  document.documentElement.dataset.ready = 'true';
} catch (err) {
  const box = document.getElementById('load-error');
  box.hidden = false;
  rich(box, `${t('page.loadError')} ${err.message}`);
  throw err;
}
