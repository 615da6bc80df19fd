// The VAE widget's weights file: Save downloads the worker's exportWeights text; Load hands a
// file's text to the worker, whose wasm reads it (any error comes back coded, for the reader's
// language), and the controls then show the file's settings.
import { h } from '../../lib/dom.js';
import { MSG } from './protocol.js';
import { lrText } from './view.js';

/** Largest weights file read, in bytes. */
const MAX_BYTES = 50e6;

export async function save(w) {
  try {
    const json = await w.request(MSG.export);
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = h('a', { href: url, download: `elbo-lab-vae-epoch${w.run.snapshot.epoch}.json` });
    a.click(); // a detached link: nothing is added to the (possibly host) page
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    w.run.note = w.t('vae.saved');
    w.schedule();
  } catch (err) {
    w.showError(w.error(err));
  }
}

/** Loads the file the reader picks; the current model stays if the file is refused. */
export function listenLoad(w) {
  const { t, run, state, ui } = w;
  const { fileInput } = ui;
  const { mode, activation, latent, hidden, lr, batch, beta } = ui.control;
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files[0];
    fileInput.value = '';
    if (!file) return;
    if (file.size > MAX_BYTES) { w.showError(t('vae.tooBig')); return; }
    try {
      const r = await w.request(MSG.import, { json: await file.text() });
      const c = r.config;
      mode.input.value = c.mode ?? 'vae';
      activation.input.value = c.activation ?? 'tanh';
      latent.input.value = c.latent;
      for (const [control, value, text] of [[hidden, c.hidden, String], [lr, c.lr, lrText], [batch, c.batchSize, String]]) {
        if (![...control.input.options].some((o) => Number(o.value) === value)) control.input.append(h('option', { value }, text(value)));
        control.input.value = String(value);
      }
      beta.input.value = c.beta;
      ui.alert.hidden = true;
      // Files written before the KL warm-up and free bits existed have neither: off.
      const collapse = { warmup: c.warmup ?? 0, freeBits: c.freeBits ?? 0 };
      ui.collapse.control.warmup.input.value = collapse.warmup;
      ui.collapse.control.freeBits.input.value = collapse.freeBits;
      state.config = { ...state.config, ...c, ...collapse };
      run.note = r.recipe === 'grey' ? `${t('vae.loaded', { name: file.name })} ${t('vae.greyWeights')}` : t('vae.loaded', { name: file.name });
      run.imported = true;
      run.probe = null;
      run.path = [];
      run.interp = null;
    } catch (err) {
      w.showError(t('vae.loadFailed', { name: file.name, message: w.error(err) }));
    }
    w.schedule();
  });
}
