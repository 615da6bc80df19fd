// The chapter page: load the wasm core, fill in the text, mount the widgets.
import { ready } from './lib/lab.js';
import { applyStrings, rich, t } from './lib/i18n.js';
import { mountAll } from './widgets/index.js';

try {
  await ready();
  applyStrings(document);
  document.title = t('page.title');
  window.elboLab = { widgets: mountAll(document) };
  document.documentElement.dataset.ready = 'true';
} catch (err) {
  const box = document.getElementById('load-error');
  box.hidden = false;
  rich(box, `${t('page.loadError')} ${err.message}`);
  throw err;
}
