// <elbo-lab-widget name="kl-fit" state="…" lang="zh"></elbo-lab-widget>: one widget of the
// chapter as an HTML element, for pages whose authors write Markdown or HTML but no script
// (MkDocs, Jupyter Book, Quarto course notes). www/elbo-lab.js defines it when imported.
//
//   name   a registry id (www/widgets/index.js); any other value shows the list of valid ids
//   state  the widget's link state, exactly as the `<id>=` parameter of a chapter link carries
//          it (lib/url-state.js, read strictly: what cannot be used shows the chapter's notice)
//   lang   en or zh (default as mount(): ?lang= of the page, the reader's choice, else English)
//
// A change of any of the three mounts the widget again: a widget reads its state once, when it
// mounts, and a fresh mount is the one path that always goes through the same strict parser.
// Taking the element out of the document destroys the widget (its wasm objects are freed);
// moving it (out and back in within one task) keeps it as it is.
import { chooseLanguage, loadLanguage, parseLanguage, strings } from './i18n.js';
import { FORMAT_VERSION, decode, showNotice } from './url-state.js';
import { ready as wasmReady } from './lab.js';

/** The element's tag name. */
export const TAG = 'elbo-lab-widget';

/**
 * Defines <elbo-lab-widget> (once per page: a second copy of the lab, imported from another
 * URL, finds it defined and leaves it). `lab` is { mount, unmount, message, ids }
 * of www/elbo-lab.js. Returns the element's class.
 */
export function defineWidgetElement(lab) {
  const existing = customElements.get(TAG);
  if (existing) return existing;

  class ElboLabWidget extends HTMLElement {
    static observedAttributes = ['name', 'state', 'lang'];

    #handle = null; // the mounted widget's handle, or null
    #shown = null; // the attributes it was mounted with, as one key
    #dirty = false;
    #running = null; // the update loop, while it runs

    /** The mounted widget's handle ({ destroy, state, … }), or null (none, or a message shown). */
    get handle() {
      return this.#handle;
    }

    /** Resolves to the handle (or null) once the element shows what its attributes ask for. */
    get ready() {
      return this.#running ?? Promise.resolve(this.#handle);
    }

    connectedCallback() { this.#schedule(); }

    disconnectedCallback() { this.#schedule(); }

    attributeChangedCallback(_name, before, after) {
      if (before !== after) this.#schedule();
    }

    /** Queues one update; changes made in one task (several attributes, a move) make one. */
    #schedule() {
      this.#dirty = true;
      this.#running ??= this.#loop();
    }

    async #loop() {
      await null;
      while (this.#dirty) {
        this.#dirty = false;
        try {
          await this.#apply();
        } catch (err) {
          // The wasm or a file could not load: say so in the element, never as an uncaught error.
          await this.#fail(err);
        }
      }
      this.#running = null; // in the same step as the last check of #dirty: no change is lost
      return this.#handle;
    }

    #unmount() {
      lab.unmount(this);
      this.#handle = null;
      this.#shown = null;
    }

    async #apply() {
      if (!this.isConnected) {
        this.#unmount();
        return;
      }
      const name = this.getAttribute('name');
      const state = this.getAttribute('state');
      const asked = this.getAttribute('lang');
      const lang = asked === null ? chooseLanguage() : parseLanguage(asked) ?? 'en';
      const key = JSON.stringify([name, state, lang, asked]);
      if (key === this.#shown) return;
      // The wasm too: decode checks a VAE data set against lab.datasetNames().
      await Promise.all([loadLanguage(lang), wasmReady()]);
      const { t } = strings(lang);
      if (name === null || !lab.ids.includes(name)) {
        this.#unmount();
        lab.message(this, t('element.unknown', { id: name ?? '', ids: lab.ids.join(', ') }), lang);
        this.#shown = key;
        return;
      }
      const decoded = decode(name, state, FORMAT_VERSION);
      this.#handle = await lab.mount(this, name, { ...decoded.options, lang });
      this.#shown = key;
      const root = this.shadowRoot.querySelector('[data-widget]');
      showNotice(root, name, decoded, t('url.notice'));
      if (asked !== null && asked !== lang) {
        const note = root.ownerDocument.createElement('p');
        note.className = 'note url-notice';
        note.setAttribute('role', 'status');
        note.dataset.langNotice = '';
        note.textContent = t('element.badLang', { lang: asked });
        root.prepend(note);
      }
    }

    async #fail(err) {
      this.#unmount();
      const lang = parseLanguage(this.getAttribute('lang')) ?? 'en';
      let text = String(err?.message ?? err);
      try {
        await loadLanguage(lang);
        text = `${strings(lang).t('page.loadError')} ${text}`;
      } catch { /* the strings could not load either: the bare message */ }
      lab.message(this, text, lang);
    }
  }

  customElements.define(TAG, ElboLabWidget);
  return ElboLabWidget;
}
