// The VAE widget's side of the worker protocol (protocol.js): starts the worker, sends it
// messages and requests, routes its messages to handlers, and starts it (the page's compiled
// wasm and the digits) once the widget comes near the screen.
import { wasmModule } from '../../lib/lab.js';
import { MSG } from './protocol.js';

/**
 * The trainer's module worker. Browsers start workers only from the page's own origin, so a
 * page on another origin (the module embed) starts a same-origin blob worker that imports
 * ours; that needs the lab's host to allow CORS, as the module embed itself does.
 */
function startWorker(url) {
  if (url.origin === window.location.origin) return new Worker(url, { type: 'module' });
  const boot = new Blob([`import ${JSON.stringify(url.href)};`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(boot), { type: 'module' });
}

/**
 * Resolves once the page's load event has fired and the browser is next idle (or 2 s later at
 * most), or when afterLoad.now() is called, whichever comes first: for fetches that must not
 * compete with the first load.
 */
function afterLoad() {
  afterLoad.promise ??= new Promise((resolve) => {
    afterLoad.now = resolve;
    const idle = () => (window.requestIdleCallback ?? setTimeout)(resolve, { timeout: 2000 });
    if (document.readyState === 'complete') idle(); else window.addEventListener('load', idle, { once: true });
  });
  return afterLoad.promise;
}

/**
 * The worker and the page's messages to it. `on` maps a message type from the worker to its
 * handler (replies settle request()'s promises); `onFailure(message)` hears of a worker that
 * failed to run. Returns { worker, send, request, startWhenNear, destroy }.
 */
export function createClient(on, onFailure) {
  const worker = startWorker(new URL('../../workers/vae.js', import.meta.url));
  const pending = new Map();
  let nextId = 0;
  // Until 'init' is posted (when the widget comes near the screen) the worker has no wasm: a
  // settings change then needs no message, since 'init' carries the settings as they are when
  // it is posted; anything else waits in `early` and follows 'init'.
  let early = [];
  function post(message) {
    if (early) {
      if (message.type !== MSG.reset) early.push(message);
    } else {
      worker.postMessage(message);
    }
  }
  const send = (type, payload = {}) => post({ type, ...payload });
  function request(type, payload = {}) {
    nextId += 1;
    const id = nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      post({ type, id, ...payload });
    });
  }
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.type === MSG.reply) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p?.reject(Object.assign(new Error(m.error.message), m.error));
      else p?.resolve(m.result);
    } else if (Object.hasOwn(on, m.type)) {
      on[m.type](m);
    }
  };
  worker.onerror = (e) => onFailure(e.message);

  // The digits (117 kB, 45 kB gzipped) are fetched once the page has loaded and the browser is
  // idle — not during the first load — or at once if the reader gets near first, so the trainer
  // can start even if the reader has gone offline by the time they scroll here.
  const digits = afterLoad().then(() => fetch(new URL('../../data/digits.bin', import.meta.url))).then((r) => {
    if (!r.ok) throw new Error(`data/digits.bin: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  digits.catch(() => {}); // reported when the worker starts
  let near = null;

  /**
   * Starts the worker (data, wasm, first model) only when `root` comes near the screen, with
   * the page's compiled wasm module and the settings `settings()` gives then; `onError(err)`
   * hears if the wasm or the digits could not be had.
   */
  function startWhenNear(root, settings, onError) {
    near = new IntersectionObserver(async (entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      near.disconnect();
      afterLoad.now();
      try {
        const [module, bytes] = await Promise.all([wasmModule(), digits]);
        worker.postMessage({ type: MSG.init, module, digits: bytes, ...settings() }, [bytes]);
        const waiting = early;
        early = null;
        for (const message of waiting) worker.postMessage(message);
      } catch (err) {
        onError(err);
      }
    }, { rootMargin: '100% 0px' });
    near.observe(root);
  }

  return { worker, send, request, startWhenNear, destroy() { near?.disconnect(); worker.terminate(); } };
}
