// The chapter's "Embed" button under each widget: a disclosure with an <iframe> snippet, an
// ES-module snippet and an <elbo-lab-widget> snippet, each with a Copy button. URLs are built
// from the page's own address, so they are right on any host and under any sub-path.
import { h, uid } from './dom.js';
import { language, t } from './i18n.js';

/** The folder the chapter is served from (the page's URL without file, query and hash). */
function base(href) {
  return new URL('./', href);
}

/** The <iframe> snippet for widget `id`, with the optional auto-height listener. */
export function iframeSnippet(id, href = window.location.href, lang = language()) {
  const src = new URL('embed.html', base(href));
  src.searchParams.set('widget', id);
  if (lang !== 'en') src.searchParams.set('lang', lang);
  return `<iframe src="${src.href}" title="${t('embed.frameTitle', { id })}" data-elbo-lab="${id}"
  width="100%" height="640" style="border: 0" loading="lazy"></iframe>
<script>
  // ${t('embed.snippetComment')}
  addEventListener('message', (e) => {
    if (e.origin !== '${src.origin}' || e.data?.type !== 'elbo-lab:height') return;
    for (const f of document.querySelectorAll('iframe[data-elbo-lab]')) {
      if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
    }
  });
</script>`;
}

/** The ES-module snippet for widget `id`. */
export function moduleSnippet(id, href = window.location.href, lang = language()) {
  const module = new URL('elbo-lab.js', base(href)).href;
  const el = `elbo-lab-${id}`;
  return `<div id="${el}"></div>
<script type="module">
  import { mount } from '${module}';
  mount(document.getElementById('${el}'), '${id}', { lang: '${lang}' });
</script>`;
}

/** The <elbo-lab-widget> snippet for widget `id` (for Markdown notes: MkDocs, Quarto, …). */
export function elementSnippet(id, href = window.location.href, lang = language()) {
  const module = new URL('elbo-lab.js', base(href)).href;
  return `<script type="module" src="${module}"></script>
<elbo-lab-widget name="${id}" lang="${lang}"></elbo-lab-widget>`;
}

/**
 * Copies `field`'s text to the clipboard and says `copied` in `status`; where the clipboard is
 * unavailable (or refused), selects the text for the reader to copy by hand and says so.
 */
async function copyOrSelect(field, status, copied) {
  try {
    await navigator.clipboard.writeText(field.value);
    status.textContent = copied;
  } catch {
    field.focus();
    field.select();
    status.textContent = t('embed.copyFailed');
  }
}

/** A labelled read-only snippet with a Copy button (clipboard, else the text is selected). */
function snippetField(label, text, name) {
  const id = uid('embed-snippet');
  const area = h('textarea', { id, readonly: true, rows: text.split('\n').length, spellcheck: 'false', 'data-snippet': name });
  area.value = text;
  const status = h('span', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const copy = () => copyOrSelect(area, status, t('embed.copied'));
  const button = h('button', { type: 'button', 'data-copy': name, onclick: copy }, t('embed.copy'));
  return [h('label', { for: id }, label), area, h('div', { class: 'embed-copy' }, button, status)];
}

/**
 * "Copy link": copies `link()` (a URL reproducing the widget as shown), also shown in a
 * read-only field so it can be selected by hand when the clipboard is unavailable.
 */
function linkButton(link) {
  const field = h('input', { type: 'text', readonly: true, class: 'share-link', 'data-share-link': '', 'aria-label': t('url.linkLabel'), hidden: true });
  const status = h('span', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const copy = () => {
    field.value = link();
    field.hidden = false;
    return copyOrSelect(field, status, t('url.copied'));
  };
  return [h('button', { type: 'button', 'data-action': 'copy-link', onclick: copy }, t('url.copyLink')), field, status];
}

/**
 * The toolbar for one widget: an Embed button that shows or hides the snippets, Copy link, and
 * with `lesson` ({ add(id), project(id) }: lib/lesson-ui.js, loaded on first use) "Add to lesson"
 * and "Project".
 */
function embedBar(id, link, lesson) {
  const panelId = uid('embed-panel');
  const panel = h('div', { class: 'embed-panel', id: panelId, hidden: true },
    h('p', { class: 'note' }, t('embed.intro')),
    snippetField(t('embed.iframeLabel'), iframeSnippet(id), 'iframe'),
    snippetField(t('embed.moduleLabel'), moduleSnippet(id), 'module'),
    snippetField(t('embed.elementLabel', { id }), elementSnippet(id), 'element'));
  const toggle = h('button', {
    type: 'button', 'aria-expanded': 'false', 'aria-controls': panelId, 'data-action': 'embed',
    onclick: () => {
      const open = panel.hidden;
      panel.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
    },
  }, t('embed.button'));
  const lessonButtons = lesson ? [
    h('button', { type: 'button', 'data-action': 'lesson-add', onclick: () => lesson.add(id) }, t('lesson.add')),
    h('button', { type: 'button', 'data-action': 'project', onclick: () => lesson.project(id) }, t('projector.show')),
  ] : [];
  return h('div', { class: 'embed-bar', 'data-embed-for': id }, toggle, link ? linkButton(() => link(id)) : null, lessonButtons, panel);
}

/**
 * Adds an Embed toolbar after every widget element under `root` whose id is in `ids`; with
 * `link(id)` → URL, also a "Copy link" button; with `lesson`, the lesson buttons (embedBar).
 */
export function addEmbedButtons(root, ids, link = null, lesson = null) {
  for (const el of root.querySelectorAll('[data-widget]')) {
    const id = el.dataset.widget;
    if (ids.includes(id) && !el.nextElementSibling?.matches('.embed-bar')) el.after(embedBar(id, link, lesson));
  }
}
