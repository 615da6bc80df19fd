// The reader's own 2-D points for the VAE (issue 14): pasted or read from a CSV file, checked by
// the wasm (Trainer.loadPoints: coded errors naming the line), kept in localStorage, and then
// trained on like the built-in toy sets. Nothing is sent anywhere. Loaded when first opened.
import { lab } from '../../lib/lab.js';
import { fill } from '../../lib/i18n.js';
import { fmt, h, setText, uid } from '../../lib/dom.js';
import { ownStrings } from '../../lib/own-strings.js';

const MAX_BYTES = 512 * 1024; // crate/src/math/networks/data/points.rs MAX_BYTES
const CHECK_SEED = 7; // the split does not matter for the check

/** The wasm's coded error for a file over MAX_BYTES, built without reading the file. */
function tooLarge(bytes) {
  const template = lab.errorCatalogue().find((c) => c.code === 'csv-too-large')?.template ?? 'the file has {bytes} bytes: at most {max} are read here';
  const params = { bytes: String(bytes), max: String(MAX_BYTES) };
  return Object.assign(new Error(fill(template, params)), { code: 'csv-too-large', params });
}

/**
 * Mounts the panel into `root`: `strings` the widget's (stringsFor), `current` the stored CSV or
 * null, `key` its localStorage key, `onPoints(text | null)` called once points are stored or
 * forgotten. Resolves to { destroy }.
 */
export async function mountOwnPoints(root, { strings, current, key, onPoints }) {
  const t = await ownStrings(strings.lang);
  const areaId = uid('own-points-text');
  const fileId = uid('own-points-file');
  const area = h('textarea', { id: areaId, rows: 6, spellcheck: 'false', 'data-input': 'own-points', placeholder: 'x,y,label\n0.5,1.2,a\n…' });
  area.value = current ?? '';
  const file = h('input', { id: fileId, type: 'file', accept: '.csv,.txt,text/csv,text/plain', 'data-input': 'own-points-file' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-out': 'own-points-status' });

  function use(text) {
    let d;
    try {
      d = lab.Trainer.loadPoints(text, CHECK_SEED);
    } catch (err) {
      setText(status, t('points.error', { message: strings.error(err) }));
      return;
    }
    try {
      localStorage.setItem(key, text);
    } catch {
      setText(status, t('points.noStorage'));
      return;
    }
    const n = (d.trainX.length + d.testX.length) / 2;
    setText(status, t('points.loaded', {
      n, train: d.trainX.length / 2, test: d.testX.length / 2,
      labels: d.labelNames.length ? d.labelNames.join(', ') : t('points.noLabels'),
      mx: fmt(d.mean[0], 3), my: fmt(d.mean[1], 3), scale: fmt(d.scale, 3),
    }) + (d.header ? ` ${t('points.header')}` : ''));
    onPoints(text);
  }

  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > MAX_BYTES) {
      setText(status, t('points.error', { message: strings.error(tooLarge(f.size)) }));
      return;
    }
    area.value = await f.text();
    use(area.value);
  });
  const button = (action, label, fn) => h('button', { type: 'button', 'data-action': action, onclick: fn }, label);
  root.replaceChildren(h('h3', {}, t('points.title')), h('p', {}, t('points.intro')),
    h('p', { class: 'note' }, t('points.format', { max: 5000 })),
    h('label', { for: areaId }, t('points.paste')), area,
    h('div', { class: 'controls' },
      button('use-points', t('points.use'), () => use(area.value)),
      h('label', { for: fileId }, t('points.file')), file,
      button('forget-points', t('points.forget'), () => {
        try { localStorage.removeItem(key); } catch { /* nothing stored */ }
        area.value = '';
        setText(status, t('points.forgotten'));
        onPoints(null);
      })),
    status);
  return { destroy() { root.replaceChildren(); } };
}
