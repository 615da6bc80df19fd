// The reader's own text as a source (section 1.3, issue 14): its symbol frequencies become the
// shared distribution of the entropy and Huffman widgets (at most MAX_OUTCOMES outcomes: the
// most frequent symbols and "other"), and the panel shows the text coded with its own Huffman
// code beside n·H and the 8-bits-per-byte original. Every number comes from lab.textReport.
// Loaded only when the reader presses the Huffman widget's "Code your own text".
import { lab } from '../lib/lab.js';
import { h, fmt, setText, uid } from '../lib/dom.js';
import { MAX_OUTCOMES } from '../lib/presets.js';
import { ownStrings } from '../lib/own-strings.js';

const MAX_CHARS = 100_000; // crate/src/math/information/text.rs MAX_TEXT_CHARS
const TABLE_ROWS = 16; // symbols listed in the table; the rest are summed in one line
const LABEL_CHARS = 12; // longer symbols are cut in labels

/** A symbol as a label: whitespace and control characters made visible, long words cut. */
export function showSymbol(s) {
  const named = { ' ': '␣', '\n': '↵', '\t': '⇥', '\r': '␍' }[s];
  if (named) return named;
  if (/^\p{C}$/u.test(s)) return `U+${s.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const chars = [...s];
  return chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : s;
}

/**
 * Mounts the panel into `root`. `store` is the distribution the entropy and Huffman widgets
 * show; `strings` the widget's strings (stringsFor). Resolves to { destroy, report() }.
 */
export async function mountOwnText(root, { store, strings }) {
  const { error } = strings;
  const t = await ownStrings(strings.lang);
  const areaId = uid('own-text');
  const area = h('textarea', { id: areaId, rows: 6, maxlength: MAX_CHARS, spellcheck: 'false', 'data-input': 'own-text', placeholder: t('text.placeholder') });
  area.value = t('text.sample');
  const name = uid('own-unit');
  const radio = (value) => h('label', { class: 'choice' },
    h('input', { type: 'radio', name, value, checked: value === 'letter', 'data-input': `own-unit-${value}` }), ' ', t(`text.${value}`));
  const unitNote = h('p', { class: 'note' });
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-out': 'own-text-status' });
  const out = Object.fromEntries(['n', 'distinct', 'h', 'nh', 'coded', 'bound', 'original', 'kraft'].map((k) => [k, h('output', { 'data-out': `own-text-${k}` })]));
  const rows = { n: 'rowN', distinct: 'rowDistinct', h: 'rowH', nh: 'rowNH', coded: 'rowCoded', bound: 'rowBound', original: 'rowOriginal', kraft: 'rowKraft' };
  const groupedNote = h('p', { class: 'note', 'data-out': 'own-text-grouped' });
  const oneNote = h('p', { class: 'note', hidden: true }, t('text.oneSymbol'));
  const tbody = h('tbody');
  const table = h('table', { class: 'values code-table', 'data-out': 'own-text-table' },
    h('caption', {}, t('text.tableCaption')),
    h('thead', {}, h('tr', {}, ...['colSymbol', 'colCount', 'colP', 'colSurprisal', 'colLength', 'colTotal'].map((k) => h('th', { scope: 'col' }, t(`text.${k}`))))),
    tbody);
  const report = h('div', { class: 'own-report' },
    h('table', { class: 'readout' }, h('tbody', {}, ...Object.entries(rows).map(([k, key]) => h('tr', {}, h('th', { scope: 'row' }, t(`text.${key}`)), h('td', {}, out[k]))))),
    oneNote, h('p', { class: 'note' }, t('text.bytesNote')), h('p', { class: 'note' }, t('text.boundNote')), groupedNote, table);

  root.replaceChildren(h('h3', {}, t('text.title')), h('p', {}, t('text.intro')),
    h('label', { for: areaId }, t('text.label', { max: MAX_CHARS.toLocaleString(strings.tag) })), area,
    h('fieldset', { class: 'controls' }, h('legend', {}, t('text.unit')), radio('letter'), radio('word')),
    unitNote, status, report);

  let last = null; // the last report, for tests
  let written = null; // the store value this panel wrote
  const mode = () => root.querySelector(`input[name="${name}"]:checked`)?.value ?? 'letter';

  function update() {
    setText(unitNote, t(mode() === 'word' ? 'text.wordNote' : 'text.letterNote'));
    let r;
    try {
      r = lab.textReport(area.value, mode(), MAX_OUTCOMES);
    } catch (err) {
      last = null;
      report.hidden = true;
      setText(status, t('text.error', { message: error(err) }));
      return;
    }
    last = r;
    report.hidden = false;
    setText(status, '');
    const n = r.total;
    const d = r.symbols.length;
    const H = r.entropy;
    setText(out.n, String(n));
    setText(out.distinct, String(d));
    setText(out.h, t('text.bitsPerSymbol', { bits: fmt(H, 4) }));
    setText(out.nh, t('text.bits', { bits: fmt(r.entropyBits, 2) }));
    setText(out.coded, t('text.codedValue', { bits: String(r.codedBits), perSymbol: fmt(r.codedBits / n, 4), percent: fmt((100 * r.codedBits) / r.originalBits, 1) }));
    const holds = r.entropyBits <= r.codedBits + 1e-9 && r.codedBits < r.entropyBits + n;
    setText(out.bound, `${fmt(r.entropyBits, 2)} ≤ ${r.codedBits} < ${fmt(r.entropyBits + n, 2)} ${holds ? '✓' : '✗'}`);
    setText(out.original, t('text.originalValue', { bytes: String(r.bytes), bits: String(r.originalBits), chars: String(r.chars) }));
    setText(out.kraft, `Σ 2^−ℓ = ${fmt(r.kraftSum, 6)}`);
    oneNote.hidden = d > 1;

    // The charts: the shown counts as probabilities (all symbols, or the top ones and "other").
    const shown = Array.from(r.shownCounts);
    const p = shown.map((c) => c / n);
    const labels = shown.map((_, i) => (r.otherSymbols > 0 && i === shown.length - 1 ? t('text.other', { m: r.otherSymbols }) : showSymbol(r.symbols[i])));
    written = { p, labels };
    store.set(written);
    setText(groupedNote, r.otherSymbols > 0 ? t('text.grouped', {
      k: shown.length, top: shown.length - 1, m: r.otherSymbols, p: fmt(p[p.length - 1], 4),
      hShown: fmt(lab.entropy(p, 2), 4), h: fmt(H, 4), d,
    }) : '');

    const rowsShown = Math.min(d, TABLE_ROWS);
    const line = (i) => h('tr', {}, h('th', { scope: 'row', class: 'code' }, showSymbol(r.symbols[i])),
      ...[String(r.counts[i]), fmt(r.counts[i] / n, 4), fmt(r.surprisals[i], 3), String(r.lengths[i]), String(r.counts[i] * r.lengths[i])].map((v) => h('td', { class: 'num' }, v)));
    const restCount = r.counts.subarray(rowsShown).reduce((a, b) => a + b, 0);
    tbody.replaceChildren(...Array.from({ length: rowsShown }, (_, i) => line(i)),
      ...(d > rowsShown ? [h('tr', {}, h('td', { colspan: 6 }, t('text.more', { m: d - rowsShown, count: restCount })))] : []));
  }

  area.addEventListener('input', update);
  root.addEventListener('change', (e) => { if (e.target.name === name) update(); });
  // An edit of the distribution elsewhere: the charts no longer show the text's frequencies.
  const unsubscribe = store.subscribe((v) => { if (written && v !== written) { written = null; setText(groupedNote, t('text.edited')); } });
  update();
  return { report: () => last, destroy() { unsubscribe(); root.replaceChildren(); } };
}
