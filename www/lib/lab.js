// The wasm module, initialised once and shared by every widget.
import init, * as lab from '../pkg/elbo_lab.js';

const WASM_URL = new URL('../pkg/elbo_lab_bg.wasm', import.meta.url);

let loading = null;
let compiled = null;
let exports = null;

/** The compiled module (once): workers are handed it, so they need no network of their own. */
export function wasmModule() {
  compiled ??= WebAssembly.compileStreaming(fetch(WASM_URL))
    // A server that does not send application/wasm: compile from the bytes instead.
    .catch(async () => WebAssembly.compile(await (await fetch(WASM_URL)).arrayBuffer()));
  return compiled;
}

/** Loads and instantiates the wasm module (once); resolves to the `lab` namespace. */
export function ready() {
  loading ??= wasmModule()
    .then((module) => init({ module_or_path: module }))
    .then((e) => { exports = e; return lab; });
  return loading;
}

/** The page's wasm memory in bytes (0 before `ready()`), for the soak benchmark. */
export function memoryBytes() {
  return exports?.memory.buffer.byteLength ?? 0;
}

export { lab };
