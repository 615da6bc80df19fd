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
