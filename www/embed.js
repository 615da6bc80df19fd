// embed.html: one widget alone, for an <iframe>. ?widget=<id> (a registry id, nothing else),
// ?lang=en|zh, the widget's state as the chapter links carry it (?v=2&<id>=key:value;…, see
// lib/url-state.js), and the older flat options of a few widgets (URL_OPTIONS; the <id>=
// parameter wins where both are given). The page tells its parent
// its height ({ type: 'elbo-lab:height', widget, height }) whenever it changes.
import { mount, WIDGET_IDS } from './elbo-lab.js';
import { chooseLanguage, language, loadWidgetStrings, setLanguage, t } from './lib/i18n.js';
import { decode, linkVersion, showNotice } from './lib/url-state.js';
import { ready } from './lib/lab.js';

const params = new URLSearchParams(window.location.search);

/** Parsers of URL options: each returns the value, or undefined to ignore the parameter. */
const number = (lo, hi, integer = false) => (s) => {
  const x = s !== null && s.trim() !== '' ? Number(s) : NaN;
  return Number.isFinite(x) && x >= lo && x <= hi && (!integer || Number.isInteger(x)) ? x : undefined;
};
const unit = (s) => (s === 'bits' || s === 'nats' ? s : undefined);
const URL_OPTIONS = {
  information: { p1: number(0.001, 1), p2: number(0.001, 1), unit },
  'kl-discrete': { unit },
  likelihood: { heads: number(0, 10000, true), tails: number(0, 10000, true), theta: number(0, 1), seed: number(0, 2 ** 32 - 1, true) },
};

/** The widget's options from the URL; unknown or malformed parameters are ignored. */
function urlOptions(id) {
  const options = {};
  for (const [name, parse] of Object.entries(URL_OPTIONS[id] ?? {})) {
    const value = parse(params.get(name));
    if (value !== undefined) options[name] = value;
  }
  return options;
}

/** Posts the page's height to the embedding page on every change of size. */
function reportHeight(widget) {
  let last = -1;
  new ResizeObserver(() => {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'elbo-lab:height', widget, height }, '*');
  }).observe(document.body, { box: 'border-box' });
}

setLanguage(chooseLanguage(window.location.search));
// The whole table (the embed's own strings are not the chapter's first), and the wasm: a link's
// VAE data set is checked against lab.datasetNames().
await Promise.all([loadWidgetStrings(null, language()), ready()]);
const id = params.get('widget');
const credit = document.getElementById('embed-credit');
credit.textContent = t('embed.credit');
credit.href = language() === 'en' ? './' : `./?lang=${language()}`;

try {
  if (id === null || !WIDGET_IDS.includes(id)) {
    document.title = t('embed.pageTitle', { id: '?' });
    const box = document.getElementById('embed-error');
    box.textContent = t('embed.unknown', { id: id ?? '', ids: WIDGET_IDS.join(', ') });
    box.hidden = false;
  } else {
    document.title = t('embed.pageTitle', { id });
    const linked = decode(id, params.get(id), linkVersion(window.location.search));
    const host = document.getElementById('embed-widget');
    await mount(host, id, { ...urlOptions(id), ...linked.options, lang: language() });
    showNotice(host.shadowRoot.querySelector('[data-widget]'), id, linked, t('url.notice'));
  }
  reportHeight(id !== null && WIDGET_IDS.includes(id) ? id : null);
} catch (err) {
  const box = document.getElementById('embed-error');
  box.textContent = `${t('page.loadError')} ${err.message}`;
  box.hidden = false;
  throw err;
} finally {
  document.documentElement.dataset.ready = 'true';
}
