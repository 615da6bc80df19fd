// "Save charts as PNG" and "Save numbers as CSV" for every mounted widget: the charts are
// saved as drawn (canvas → PNG), the numbers as the readouts show them.
import { h } from './dom.js';
import { t } from './i18n.js';

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge space. */
export function csvField(value) {
  const s = String(value ?? '');
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Rows of fields → CSV text, CRLF line ends. */
export function toCsv(rows) {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const shown = (el) => !el.closest('[hidden]');
const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();

/** What a table cell shows: an input's or select's current value, else its text. */
function cellText(cell) {
  const field = cell.querySelector('input, select');
  if (field?.tagName === 'SELECT') return field.selectedOptions[0]?.textContent.trim() ?? '';
  if (field && field.type !== 'checkbox' && field.type !== 'radio') return field.value.trim();
  return text(cell);
}

/**
 * The numbers `root` shows, as CSV rows: every visible table row (header rows too) cell by
 * cell, then every <output> outside a table as [its name (data-out, or the derivation's
 * step number), its text].
 */
export function readoutRows(root) {
  const rows = [];
  for (const table of root.querySelectorAll('table')) {
    if (!shown(table)) continue;
    for (const tr of table.rows) {
      const cells = [...tr.cells].map(cellText);
      if (cells.some((c) => c !== '')) rows.push(cells);
    }
  }
  for (const out of root.querySelectorAll('output')) {
    if (!shown(out) || out.closest('table')) continue;
    const { out: name, line } = out.dataset;
    rows.push([name ?? (line != null ? `step ${Number(line) + 1}` : ''), text(out)]);
  }
  return rows;
}

/** Starts a download of `blob` as `name`. */
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // The download reads the URL asynchronously: release it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/** The file name stem for widget `id`: elbo-lab-entropy. */
const stem = (id) => `elbo-lab-${id.replace(/[^a-z0-9-]/gi, '')}`;

/** Saves every visible chart canvas of `root` as PNG; resolves to the file names. */
export async function saveCharts(root, id) {
  const canvases = [...root.querySelectorAll('canvas')].filter((c) => shown(c) && c.width > 1 && c.height > 1);
  const names = [];
  for (const [i, canvas] of canvases.entries()) {
    const name = `${stem(id)}-${canvas.dataset.chart?.replace(/[^a-z0-9-]/gi, '') || i + 1}.png`;
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) continue;
    download(blob, name);
    names.push(name);
  }
  return names;
}

/** Saves the numbers `root` shows as CSV; resolves to the file name (null if none). */
export function saveNumbers(root, id) {
  const rows = readoutRows(root);
  if (!rows.length) return null;
  const name = `${stem(id)}.csv`;
  // A byte-order mark so spreadsheets read the UTF-8 (−, ∞, Chinese) correctly.
  download(new Blob(['\uFEFF', toCsv(rows)], { type: 'text/csv;charset=utf-8' }), name);
  return name;
}

/**
 * Adds the two export buttons to each mounted widget, into its `.widget-tools` toolbar (inside
 * the widget or right after it) if there is one, else into a new one at the widget's end.
 * `widgets` maps id → handle, as mountAll returns.
 */
export function addExportTools(doc, widgets) {
  for (const root of doc.querySelectorAll('[data-widget]')) {
    const id = root.dataset.widget;
    if (!widgets[id]) continue;
    let tools = root.querySelector('.widget-tools');
    if (!tools && root.nextElementSibling?.classList.contains('widget-tools')) tools = root.nextElementSibling;
    if (!tools) {
      tools = h('div', { class: 'widget-tools', role: 'group', 'aria-label': t('export.tools') });
      root.append(tools);
    }
    if (root.querySelector('canvas')) {
      tools.append(h('button', { type: 'button', 'data-action': 'export-png', onclick: () => saveCharts(root, id) }, t('export.png')));
    }
    if (readoutRows(root).length) {
      tools.append(h('button', { type: 'button', 'data-action': 'export-csv', onclick: () => saveNumbers(root, id) }, t('export.csv')));
    }
    if (!tools.childElementCount) tools.remove();
  }
}
