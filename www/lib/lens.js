// A view of one field of a store as a { p, labels } store, so a distribution editor can edit
// p or q inside a store that holds both (and changes them together, e.g. on swap).

/** The store of `{ [key], labels }` seen as `{ p, labels }`. */
export function lens(store, key) {
  return {
    get: () => ({ p: store.get()[key], labels: store.get().labels }),
    set: ({ p }) => store.set({ ...store.get(), [key]: p }),
    subscribe: (fn) => store.subscribe(fn),
  };
}
