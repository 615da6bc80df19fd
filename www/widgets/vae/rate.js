// The VAE widget's rate and distortion (4.2, told in 4.3): the held-out distortion
// D = −E_q[log p(x | z)] and rate R = KL(q(z | x) ‖ p(z)) of the reader's model, with
// −ELBO = D + R, in nats or bits. The numbers are the held-out terms the worker computes after
// every epoch (Trainer.evaluate: 4 draws z ~ q(z | x) per image, seed 2024; the rows above
// show the same estimates with their signs as ELBO = E_q[log p(x | z)] − KL), so showing them
// costs the training nothing. The model's place on 4.3's plane is scored the way the sweep
// scores its models (snapshot.rate, from Trainer.rateDistortion once training stops) and
// published to `readerModel` (lib/store.js), which 4.3's widget reads.
import { fmt, h, setText, uid } from '../../lib/dom.js';
import { shownSum } from './view.js';

/** The part's elements: a unit choice, D, R and −ELBO = D + R, and two notes. */
export function buildRate(t, unit, onUnit) {
  const name = uid('vu');
  const units = h('fieldset', { class: 'unit' }, h('legend', {}, t('unit.label')),
    ['nats', 'bits'].map((u) => h('label', {},
      h('input', { type: 'radio', name, value: u, checked: u === unit, 'data-input': 'rate-unit', onchange: () => onUnit(u) }),
      ` ${t(`unit.${u}`)}`)));
  const out = Object.fromEntries(['distortion', 'rate', 'negElbo'].map((k) => [k, h('output', { 'data-out': `vae-rate-${k}` }, '—')]));
  const label = Object.fromEntries(Object.keys(out).map((k) => [k, h('th', { scope: 'row', 'data-label': `vae-rate-${k}` })]));
  const row = (k) => h('tr', { class: k === 'negElbo' ? 'key' : null }, label[k], h('td', {}, out[k]));
  const note = h('p', { class: 'note', 'data-out': 'vae-rate-note' });
  const plane = h('p', { class: 'note', 'data-out': 'vae-rate-plane' });
  const table = h('table', { class: 'readout' }, h('tbody', {}, row('distortion'), row('rate'), row('negElbo')));
  const el = h('div', { 'data-part': 'rate' }, h('h3', {}, t('vae.rateTitle')), units, table, note, plane);
  return { el, out, label, note, plane, table, units };
}

/**
 * Shows the last epoch's held-out D, R and −ELBO = D + R (snapshot `s`) in `unit`, the sum taken
 * from the shown values so that it adds up as written, and what the model's place on 4.3's plane
 * is. A plain autoencoder has no q(z | x), so no rate: a note instead.
 */
export function paintRate({ t, run, ui }, s, unit) {
  const part = ui.rate;
  if (part.drawn === s && part.unit === unit) return; // once per snapshot and unit
  part.drawn = s;
  part.unit = unit;
  const u = t(`unit.${unit}`);
  setText(part.label.distortion, t('vae.rateD', { unit: u }));
  setText(part.label.rate, t('vae.rateR', { unit: u }));
  setText(part.label.negElbo, t('vae.rateSum', { unit: u }));
  const ae = s.config.mode === 'autoencoder';
  part.table.hidden = ae;
  part.units.hidden = ae;
  const last = s.history.test[s.history.test.length - 1];
  if (ae || !last) {
    for (const o of Object.values(part.out)) setText(o, '—');
    setText(part.note, ae ? t('vae.rateAe') : t('vae.rateEmpty'));
    setText(part.plane, '');
    return;
  }
  const k = unit === 'bits' ? Math.LN2 : 1;
  const [d, r, sum] = shownSum(last.recon / k, last.kl / k);
  setText(part.out.distortion, d);
  setText(part.out.rate, r);
  setText(part.out.negElbo, sum);
  const digits = run.data?.dataset === 'digits';
  setText(part.note, `${t('vae.rateNote', { epoch: s.history.test.length, d, r, sum, unit: u })} ${t(digits ? 'vae.rateCode' : 'vae.rateDensity', { unit: u })}`);
  const p = s.rate;
  setText(part.plane, !p ? t('vae.ratePlaneNone')
    : t(digits ? 'vae.ratePlane' : 'vae.ratePlaneOther', { epoch: p.epoch, d: fmt(p.distortion / k, 2), r: fmt(p.rate / k, 2), unit: u }));
}

/**
 * What 4.3's plane needs to know about the reader's model (or null before there is one): its
 * scores by the sweep's estimator (nats) and what it was trained on, for the legend and to
 * compare only like with like.
 */
export function readerModel(s, data) {
  if (!s?.rate || !data || s.config.mode === 'autoencoder') return null;
  const c = s.config;
  return Object.freeze({
    epoch: s.rate.epoch, distortion: s.rate.distortion, rate: s.rate.rate, negElbo: s.rate.negElbo,
    beta: c.beta, latent: c.latent, hidden: c.hidden, dataset: data.dataset,
    likelihood: data.dataset === 'digits' ? 'bernoulli' : 'gaussian', warmup: c.warmup ?? 0, freeBits: c.freeBits ?? 0,
  });
}
