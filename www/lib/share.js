// The chapter's URL follows the widgets: after the reader edits one (and ~300 ms of quiet), the
// query is rewritten with history.replaceState (no new history entry, no reload), so the
// address bar — and "Copy link" — always reproduce what is on screen. Changes are noticed
// from the DOM events every edit fires inside a widget (input, change, click, pointerup,
// keyup) and from the shared stores (the posterior's optimiser moves q without any event):
// no widget needs its own change callback, only a state() on its handle.
import { SCHEMAS, encode, withParams } from './url-state.js';

const DEBOUNCE_MS = 300;
const EVENTS = ['input', 'change', 'click', 'pointerup', 'keyup'];
/** Widgets whose state another one already carries in the chapter (they share a store). */
const FOLLOWS = { huffman: 'entropy', derivation: 'posterior' };

/**
 * Keeps the page URL in step with `handles` (id → handle). `fromUrl` holds the ids the page
 * was opened with: their parameter is always written; the others only once they differ from
 * their state at mount, so an untouched chapter keeps a bare URL. Returns { link(id), flush() }.
 */
export function keepUrlInSync(doc, handles, fromUrl = {}) {
  const win = doc.defaultView;
  // Ids, not handles: a widget mounted again (an exercise sets one up) is read through `handles`.
  const tracked = Object.keys(handles).filter((id) =>
    SCHEMAS[id] && typeof handles[id]?.state === 'function' && !handles[FOLLOWS[id]]);
  const baseline = Object.fromEntries(tracked.filter((id) => !fromUrl[id]).map((id) => [id, encode(id, handles[id].state())]));
  let timer = 0;

  /** The current URL with every widget's parameter (and `hash`, if given). */
  function url(hash) {
    const values = {};
    for (const id of tracked) {
      const text = encode(id, handles[id].state());
      if (text !== baseline[id]) values[id] = text;
    }
    const next = new URL(win.location.href);
    next.search = withParams(next.search, values);
    if (hash !== undefined) next.hash = hash;
    return next;
  }

  function flush() {
    win.clearTimeout(timer);
    timer = 0;
    const next = url();
    if (next.href !== win.location.href) win.history.replaceState(win.history.state, '', next.href);
  }
  const schedule = () => {
    win.clearTimeout(timer);
    timer = win.setTimeout(flush, DEBOUNCE_MS);
  };
  for (const type of EVENTS) {
    doc.addEventListener(type, (e) => { if (e.target?.closest?.('[data-widget]')) schedule(); }, true);
  }
  for (const id of tracked) handles[id].store?.subscribe?.(schedule);

  /** A link that opens the chapter as it is now, scrolled to widget `id`'s section. */
  function link(id) {
    flush();
    const section = doc.querySelector(`[data-widget="${id}"]`)?.closest('section[id]');
    return url(section ? `#${section.id}` : undefined).href;
  }
  return { link, flush };
}
