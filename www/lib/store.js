// A value shared between widgets (the entropy editor and the Huffman table share one
// distribution). Subscribers are called synchronously on every set().

/** Creates a store holding `value`. */
export function createStore(value) {
  const listeners = new Set();
  return {
    get: () => value,
    set(next) {
      value = next;
      for (const fn of listeners) fn(value);
    },
    /** Calls `fn` on every change; returns the unsubscribe function. */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/**
 * Calls `fn` once per task however many times `store` changes in it (the posterior's optimiser
 * writes its store several times a frame): in a microtask, so the numbers are current before
 * the frame is painted or read. Returns the unsubscribe function.
 */
export function subscribeOncePerTask(store, fn) {
  let queued = false;
  return store.subscribe(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; fn(); });
  });
}
