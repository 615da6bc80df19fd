// The VAE widget's baselines: PCA and a plain autoencoder with as many latent dimensions as the
// VAE, trained in the worker on the same split, their codes beside the VAE's and their held-out
// reconstruction errors in a table.
import { lab } from '../../lib/lab.js';
import { h, fmt } from '../../lib/dom.js';
import { fitCanvas } from '../../lib/canvas.js';
import { HALF, MSG } from './protocol.js';
import { BASELINE_EPOCHS } from './view.js';

const NAMES = ['pca', 'autoencoder', 'vae'];

/** Trains the baselines (digits only) and shows them; a reply for a model since reset is dropped. */
export async function runBaselines(w) {
  const { t, run, state, ui } = w;
  const { base } = ui;
  // The baselines are for the digits; the reader may have picked a toy set a moment ago,
  // before the worker's reply hid this part.
  if (state.dataset !== 'digits') return;
  const model = run.model;
  ui.buttons.base.disabled = true;
  base.status.textContent = t('vae.base.progress', { done: 0, total: BASELINE_EPOCHS });
  try {
    const result = await w.request(MSG.baselines, { epochs: BASELINE_EPOCHS });
    if (model !== run.model) return;
    run.baselines = result;
    base.wrap.hidden = false;
    base.status.textContent = t('vae.base.done', { epochs: BASELINE_EPOCHS, vaeEpochs: run.baselines.vaeEpochs });
    const k = run.baselines.pca?.components ?? run.snapshot.config.latent;
    base.body.textContent = t('vae.baseBody', { k });
    NAMES.forEach((name, i) => { base.captions[i].textContent = t(`vae.base.${name}`, { k }); });
  } catch (err) {
    base.status.textContent = '';
    if (model === run.model) w.showError(w.error(err));
  } finally {
    ui.buttons.base.disabled = false;
  }
  w.schedule();
}

export function drawBaselines({ t, run, ui }) {
  const b = run.baselines;
  run.baselinesDrawn = b;
  const components = b.pca?.components ?? run.snapshot.config.latent;
  NAMES.forEach((k, i) => {
    const canvas = ui.base.canvases[i];
    const scale = fitCanvas(canvas);
    // PCA codes live on the data's own scale; show them over a range that fits them.
    const half = k === 'pca' ? Math.max(1, ...Array.from(b[k].codes, Math.abs)) * 1.05 : HALF;
    lab.drawLatentFrame(canvas, half, 'z₁', 'z₂', scale);
    lab.drawLatentOverlay(canvas, half, b[k].codes, run.data.testY, [], [], [], scale);
    canvas.setAttribute('aria-label', t('vae.baseAlt', { model: t(`vae.base.${k}`, { k: components }), sq: fmt(b[k].squaredError, 2) }));
  });
  ui.base.table.replaceChildren(...NAMES.map((k) => h('tr', {}, h('th', { scope: 'row' }, t(`vae.base.${k}`, { k: components })),
    h('td', { 'data-out': `vae-base-${k}-sq` }, fmt(b[k].squaredError, 2)), h('td', {}, fmt(b[k].bce, 1)))));
}
