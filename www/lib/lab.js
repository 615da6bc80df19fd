// The wasm module, initialised once and shared by every widget.
import init, * as lab from '../pkg/elbo_lab.js';

let loading = null;

/** Loads and instantiates the wasm module (once); resolves to the `lab` namespace. */
export function ready() {
  loading ??= init().then(() => lab);
  return loading;
}

export { lab };
