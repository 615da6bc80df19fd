// The wasm module under Node: pkg/ (wasm-bindgen --target web output) loaded with initSync.
// The page's copy (www/pkg, what www/lib/lab.js imports) is initialised too, so page modules
// that read the wasm run under Node (lib/url-state.js checks a VAE data set against
// lab.datasetNames()).
import { readFileSync } from 'node:fs';
import * as lab from '../../pkg/elbo_lab.js';
import { lab as pageLab } from '../../www/lib/lab.js';

lab.initSync({ module: readFileSync(new URL('../../pkg/elbo_lab_bg.wasm', import.meta.url)) });
pageLab.initSync({ module: readFileSync(new URL('../../www/pkg/elbo_lab_bg.wasm', import.meta.url)) });

export default lab;
