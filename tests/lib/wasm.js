// The wasm module under Node: pkg/ (wasm-bindgen --target web output) loaded with initSync.
import { readFileSync } from 'node:fs';
import * as lab from '../../pkg/elbo_lab.js';

lab.initSync({ module: readFileSync(new URL('../../pkg/elbo_lab_bg.wasm', import.meta.url)) });

export default lab;
