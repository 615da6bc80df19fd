// The wasm module under Node: the page's own copy (www/pkg, wasm-bindgen --target web output,
// as www/lib/lab.js imports it), initialised once with initSync. Tests and the page modules they
// import (lib/url-state.js checks a VAE data set against lab.datasetNames()) share this one
// instance.
import { readFileSync } from 'node:fs';
import { lab } from '../../www/lib/lab.js';

lab.initSync({ module: readFileSync(new URL('../../www/pkg/elbo_lab_bg.wasm', import.meta.url)) });

export default lab;
