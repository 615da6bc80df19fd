// Widget state in the URL: one query parameter per widget id, holding `key:value` pairs
// separated by `;`, lists joined by `~`:
//
//   ?entropy=p:0.5~0.25~0.25&kl-discrete=p:0.3~0.7;q:0.5~0.5;unit:nats&vae=data:moons;latent:2;seed:5
//
// `:`, `;`, `~`, `.` and `-` need no escaping in a query, so the link stays readable. Parsing is
// strict and never throws: unknown keys are ignored (a newer link still opens), numbers out of
// range are clamped, anything malformed (not a plain decimal number, not in the list of choices,
// a list of the wrong length, a parameter over MAX_CHARS) is dropped so the widget keeps its own
// default — and a clamp or drop sets `notice`, which the page shows as one quiet role="status"
// line in that widget. Every widget's mount(root, options) accepts what `decode` returns, and
// its handle's state() returns the same shape, so mount(el, handle.state()) reproduces it.
// No DOM access here except in showNotice/syncUrl/shareUrl, so the parser is tested in Node.
//
// The link format has a version, `v` (FORMAT_VERSION), written beside the widgets' parameters
// and parsed strictly (exactly "2"). Links without it were made before the seeded generator
// changed (SplitMix64 → xoshiro256++ and rand's samplers): they still open, but whatever the page
// draws again from a seed (a retrained VAE, a simulated coin data set) differs from what the
// sender saw, so such a widget gets a notice saying so.

import { stringsFor } from './i18n.js';
import { datasets } from '../widgets/vae/protocol.js';
import { BETAS, EPOCH_CHOICES } from './sweep-choices.js';

/** Longest parameter value read; a longer one is ignored as a whole. */
export const MAX_CHARS = 2000;
const MAX_LIST = 16;
/** Most epochs a link asks the VAE to train again (about half a minute for the digits). */
export const MAX_EPOCH = 4000;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
/** The link format this page writes (`v=2`); a link without `v` is format 1. */
export const FORMAT_VERSION = 2;

const num = (min, max, integer = false) => ({ kind: 'number', min, max, integer });
const choice = (...values) => ({ kind: 'choice', values });
/** A list of numbers; `probabilities` rescales it to sum to 1 (all entries ≥ 0, sum > 0). */
const list = (min, max, minLength, maxLength, probabilities = false) => ({ kind: 'list', min, max, minLength, maxLength, probabilities });
const unit = choice('bits', 'nats');
const dist = list(0, 1, 2, MAX_LIST, true);

/** `object` without its undefined entries (the keys a link left out). */
const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, x]) => x !== undefined));

/**
 * Schemas: widget id → { keys: key → spec, toOptions(values) → mount options (with a notice
 * flag for cross-key problems), fromState(state) → values }. Ranges are those of the widgets'
 * own controls.
 */
export const SCHEMAS = {
  information: { keys: { p1: num(0.01, 1), p2: num(0.01, 1), unit } },
  entropy: { keys: { p: dist } },
  huffman: { keys: { p: dist } },
  'kl-discrete': {
    // seed: the fresh seed Randomise drew p and q from (lab.randomDistribution), shown beside them.
    keys: { p: dist, q: dist, unit, seed: num(0, 2 ** 53 - 1, true) },
    toOptions(v) {
      // p and q must have as many outcomes; a lone one gets a uniform partner.
      const uniform = (n) => Array(n).fill(1 / n);
      if (v.p && !v.q) v.q = uniform(v.p.length);
      if (v.q && !v.p) v.p = uniform(v.q.length);
      if (v.p && v.p.length !== v.q.length) { delete v.p; delete v.q; return { options: v, notice: true }; }
      return { options: v };
    },
  },
  'kl-fit': {
    // p's components; q (a fit's start, when one is in progress); the selected component (1…5);
    // a fit: its kind, the steps taken, and whether it is still running (it is replayed).
    keys: {
      w: list(0.05, 1, 1, 5), m: list(-5, 5, 1, 5), s: list(0.2, 3, 1, 5), mu: num(-6, 6), sigma: num(0.15, 5),
      sel: num(1, 5, true), fit: choice('forward', 'reverse'), steps: num(0, 600, true), run: choice('play', 'pause'),
    },
    toOptions({ w, m, s, mu, sigma, sel, fit, steps, run }) {
      const options = {};
      let notice = false;
      if (w || m || s) {
        if (w && m && s && w.length === m.length && m.length === s.length) options.p = { weights: w, means: m, sigmas: s };
        else notice = true;
      }
      if (mu !== undefined || sigma !== undefined) options.q = { mu: mu ?? 0, sigma: sigma ?? 1.5 };
      if (sel !== undefined) options.selected = sel - 1;
      if (fit) options.fit = { kind: fit, steps: steps ?? 0, playing: run === 'play' };
      return { options, notice };
    },
    fromState: ({ p, q, selected, fit }) => ({
      w: p.weights, m: p.means, s: p.sigmas, mu: (fit?.from ?? q).mu, sigma: (fit?.from ?? q).sigma,
      sel: selected === undefined ? undefined : selected + 1,
      fit: fit?.kind, steps: fit?.steps, run: fit ? (fit.playing ? 'play' : 'pause') : undefined,
    }),
  },
  'mutual-information': {
    // The joint p(x, y) row-major with nx rows (2–6 by 2–6), the BSC preset's ε and the
    // data-processing panel's two flip probabilities.
    keys: { joint: list(0, 1, 4, 36, true), nx: num(2, 6, true), unit, eps: num(0, 0.5), e1: num(0, 0.5), e2: num(0, 0.5) },
    toOptions(v) {
      // A joint needs its nx, and a table of 2–6 columns; anything else drops both.
      const cols = v.joint && v.nx ? v.joint.length / v.nx : 0;
      if ((v.joint || v.nx) && !(Number.isInteger(cols) && cols >= 2 && cols <= 6)) {
        delete v.joint; delete v.nx;
        return { options: v, notice: true };
      }
      return { options: v };
    },
  },
  likelihood: {
    keys: {
      heads: num(0, 10000, true), tails: num(0, 10000, true), theta: num(0, 1), thetaTrue: num(0, 1), seed: num(0, 2 ** 32 - 1, true),
      n: choice(10, 100, 1000, 10000), // the simulated data set's size
      a: num(0.1, 50), b: num(0.1, 50), // the Beta(a, b) prior of the posterior panel
    },
    // A simulated data set is drawn again from the seed.
    seeded: (v) => v.n !== undefined,
  },
  posterior: {
    keys: {
      model: choice('gaussian', 'bimodal', 'logistic'), x: num(-3, 3), sigmaX: num(0.2, 2), a: num(-4, 4), b: num(-4, 4),
      m: num(-4, 4), s: num(0.05, 3), seed: num(0, 1e9, true), lr: num(0.005, 0.2), grad: choice('exact', 'reparam'), k: num(1, 100, true),
      speed: num(1, 10, true),
      // The gradient-estimators panel: its K, seed and gradient component.
      ek: num(1, 1000, true), eseed: num(0, 1e9, true), epart: choice('m', 'logs'),
    },
    toOptions: posteriorOptions,
    fromState: ({ state: v, ...run }) => ({ model: v.model, x: v.x, ...v.params, m: v.m, s: v.s, ...run }),
  },
  'vi-2d': {
    // The target and its sliders (only the current target's are written), the logistic
    // target's points (pairs x₁~x₂~…) and labels, q's family, mean and [var₁, var₂, cov], the seed.
    keys: {
      target: choice('gaussian', 'banana', 'donut', 'mixture', 'logistic'),
      mean1: num(-3, 3), mean2: num(-3, 3), sd1: num(0.3, 3), sd2: num(0.3, 3), rho: num(-0.95, 0.95),
      a: num(0.5, 1.5), b: num(0, 0.5), r: num(0.5, 4), w: num(0.2, 2), d: num(0, 6), s: num(0.2, 3),
      pts: list(-5, 5, 0, 400), ys: list(0, 1, 0, 200), family: choice('mean-field', 'full'),
      qm: list(-5, 5, 2, 2), qv: list(-25, 25, 3, 3), seed: num(0, 1e9, true),
    },
    toOptions({ target, pts, ys, family, qm, qv, seed, ...params }) {
      const state = defined({ target, family, seed, params: Object.keys(params).length ? params : undefined });
      let notice = false;
      if (pts || ys) {
        // Points need whole pairs, one 0/1 label each; anything else drops both.
        if (pts && ys && pts.length === 2 * ys.length && ys.every((y) => y === 0 || y === 1)) Object.assign(state, { points: pts, labels: ys });
        else notice = true;
      }
      if (qm && qv) {
        if (qv[0] > 0 && qv[1] > 0 && qv[2] ** 2 < qv[0] * qv[1]) state.q = { mean: qm, cov: qv };
        else notice = true;
      }
      return { options: Object.keys(state).length ? { state } : {}, notice };
    },
    fromState: ({ state: { target, params, points, labels, family, q, seed } }) => ({
      target, ...params, pts: points?.length ? points : undefined, ys: labels?.length ? labels : undefined, family, qm: q?.mean, qv: q?.cov, seed,
    }),
  },
  vae: {
    keys: {
      // The data sets: lab.datasetNames(), read when a link is parsed (after the wasm is ready).
      data: { kind: 'choice', get values() { return datasets(); } }, mode: choice('vae', 'autoencoder'),
      latent: num(1, 16, true), hidden: choice(16, 32, 64, 128, 256), act: choice('tanh', 'relu'), beta: num(0, 10),
      lr: choice(1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3), batch: choice(16, 32, 64, 128, 256), seed: num(0, 1e9, true),
      // The epoch reached (the page trains to it again: training is deterministic), the
      // stop-at epoch, the inspected held-out image, the interpolation's ends (shown if interp:1),
      // the decoded point of the latent plane and whether the baselines were computed.
      epoch: num(0, MAX_EPOCH, true), stop: num(1, 2000, true), image: num(0, 399, true), from: num(0, 399, true), to: num(0, 399, true),
      interp: choice(0, 1), probe: list(-4, 4, 2, 2), base: choice(0, 1),
      // The digits' data recipe. Links made before the digits were binarised have none: their
      // trained model cannot be reproduced, and the page says so.
      recipe: choice('binarised'),
      // Against posterior collapse: the KL warm-up in epochs and the free bits in nats per
      // latent dimension (the widget's controls' ranges; absent: 0, off).
      warm: num(0, 200, true), fb: num(0, 2),
      // The unit of the rate and distortion (absent: nats).
      unit,
    },
    // A trained model is trained again from the seed.
    seeded: (v) => v.epoch > 0,
    toOptions({ data, seed, latent, hidden, act, beta, lr, batch, mode, epoch, stop, image, from, to, interp, probe, base, recipe, warm, fb, unit: u }) {
      const config = defined({ latent, hidden, activation: act, beta, lr, batchSize: batch, mode, warmup: warm, freeBits: fb });
      const options = defined({ dataset: data, seed, epoch, target: stop, index: image, a: from, b: to, probe, unit: u });
      if (Object.keys(config).length) options.config = config;
      if (interp === 1) options.interpolate = true;
      if (base === 1) options.baselines = true;
      if (epoch > 0 && (data ?? 'digits') === 'digits' && recipe !== 'binarised') options.oldRecipe = true;
      return { options };
    },
    fromState: ({ dataset, seed, config: c, epoch, target, index, a, b, interpolate, probe, baselines, unit: u }) => ({
      data: dataset, mode: c.mode, latent: c.latent, hidden: c.hidden, act: c.activation, beta: c.beta, lr: c.lr, batch: c.batchSize, seed,
      epoch, stop: target, image: index, from: a, to: b, interp: interpolate ? 1 : undefined, probe, base: baselines ? 1 : undefined,
      recipe: dataset === 'digits' ? 'binarised' : undefined,
      warm: c.warmup > 0 ? c.warmup : undefined, fb: c.freeBits > 0 ? c.freeBits : undefined, unit: u === 'bits' ? u : undefined,
    }),
  },
};
// 4.3's β sweep: epochs per model, seed, the current model's β, the held-out image, the unit and
// whether a sweep was run (the page runs it again: the sweep is deterministic for a seed).
SCHEMAS['rate-distortion'] = {
  keys: {
    epochs: choice(...EPOCH_CHOICES), seed: num(0, 1e9, true), beta: choice(...BETAS), image: num(0, 359, true), unit, run: choice(0, 1),
  },
  seeded: (v) => v.run === 1,
};
// The derivation follows the posterior's model and q (in the chapter it shares its store).
SCHEMAS.derivation = {
  keys: Object.fromEntries(['model', 'x', 'sigmaX', 'a', 'b', 'm', 's'].map((k) => [k, SCHEMAS.posterior.keys[k]])),
  toOptions: posteriorOptions,
  fromState: ({ state: v }) => ({ model: v.model, x: v.x, ...v.params, m: v.m, s: v.s }),
};

// The Jensen widget follows the posterior's model and q too, and has its own K, seed and the
// chord picture's two values and probability.
SCHEMAS.jensen = {
  keys: {
    ...SCHEMAS.derivation.keys, k: num(1, 1000, true), seed: num(0, 1e9, true), w1: num(0.1, 10), w2: num(0.1, 10), lam: num(0, 1),
  },
  toOptions: posteriorOptions,
  fromState: ({ state: v, ...own }) => ({ model: v.model, x: v.x, ...v.params, m: v.m, s: v.s, ...own }),
};

/** Posterior values → { state: { model, x, params, m, s }, seed, lr, grad, k }. */
function posteriorOptions({ model, x, sigmaX, a, b, m, s, ...run }) {
  const options = { ...run };
  if ([model, x, sigmaX, a, b, m, s].every((v) => v === undefined)) return { options };
  model ??= 'gaussian';
  let notice = false;
  if (model === 'logistic') {
    // x is one binary observation here.
    if (x !== undefined && x !== 0 && x !== 1) { notice = true; x = x >= 0.5 ? 1 : 0; }
    options.state = { model, x: x ?? 1, params: { a: a ?? 2, b: b ?? 0 }, m: m ?? 0, s: s ?? 1 };
  } else {
    const base = model === 'bimodal' ? { x: 2.5, sigmaX: 0.5 } : { x: 1, sigmaX: 1 };
    options.state = { model, x: x ?? base.x, params: { sigmaX: sigmaX ?? base.sigmaX }, m: m ?? 0, s: s ?? 1 };
  }
  return { options, notice };
}

/** One value by its spec: { value } (clamped: { value, clamped: true }), or null if malformed. */
function parseValue(spec, text) {
  const number = (s) => (NUMBER.test(s) && Number.isFinite(Number(s)) ? Number(s) : null);
  if (spec.kind === 'choice') {
    const found = spec.values.find((v) => String(v) === text || (typeof v === 'number' && number(text) === v));
    return found === undefined ? null : { value: found };
  }
  if (spec.kind === 'number') {
    const x = number(text);
    if (x === null) return null;
    const y = Math.min(spec.max, Math.max(spec.min, spec.integer ? Math.round(x) : x));
    return { value: y, clamped: y !== x };
  }
  const parts = text.split('~');
  if (parts.length < spec.minLength || parts.length > spec.maxLength) return null;
  const xs = parts.map(number);
  if (xs.includes(null)) return null;
  let ys = xs.map((x) => Math.min(spec.max, Math.max(spec.min, x)));
  let clamped = ys.some((y, i) => y !== xs[i]);
  if (spec.probabilities) {
    const sum = ys.reduce((a, b) => a + b, 0);
    if (!(sum > 0)) return null;
    if (Math.abs(sum - 1) > 1e-3) clamped = true;
    ys = ys.map((y) => y / sum);
  }
  return { value: ys, clamped };
}

/**
 * The format version of the link whose query is `search`: FORMAT_VERSION for `v=2`, 1 when there
 * is no `v` (a link made before versions), null for anything else (malformed: read as format 1).
 */
export function linkVersion(search) {
  const params = new URLSearchParams(search);
  if (!params.has('v')) return 1;
  return params.getAll('v').length === 1 && params.get('v') === String(FORMAT_VERSION) ? FORMAT_VERSION : null;
}

/**
 * Parses one widget's parameter: { options (for mount), notice (something was clamped or
 * dropped), problems (for a console.info), reseeded (true when a link of an older `version`
 * has this widget draw again from a seed: the result differs from the sender's) }. `text` null
 * or '' gives { options: {} }.
 */
export function decode(id, text, version = FORMAT_VERSION) {
  const schema = SCHEMAS[id];
  const none = { options: {}, notice: false, problems: [], reseeded: false };
  if (!schema || text == null || text === '') return none;
  if (typeof text !== 'string' || text.length > MAX_CHARS) return { ...none, notice: true, problems: [`${id}: too long`] };
  const values = {};
  const problems = [];
  for (const pair of text.split(';')) {
    const at = pair.indexOf(':');
    const key = at < 0 ? pair : pair.slice(0, at);
    if (!Object.hasOwn(schema.keys, key)) continue; // unknown: ignored
    const got = at < 0 ? null : parseValue(schema.keys[key], pair.slice(at + 1));
    if (got === null) problems.push(`${id}.${key}: malformed, default used`);
    else {
      if (got.clamped) problems.push(`${id}.${key}: out of range, clamped`);
      values[key] = got.value;
    }
  }
  const reseeded = version !== FORMAT_VERSION && schema.seeded?.(values) === true;
  const { options, notice = false } = schema.toOptions ? schema.toOptions(values) : { options: values };
  if (notice) problems.push(`${id}: inconsistent values, defaults used`);
  if (reseeded) problems.push(`${id}: link made before format v=${FORMAT_VERSION}, seeded results are drawn again and differ`);
  return { options, notice: problems.length > 0, problems, reseeded };
}

/** Formats a number compactly (10 significant digits: what any readout shows survives). */
const short = (x) => String(Number(x.toPrecision(10)));

/** A widget's state (as its handle's state() returns it) → the parameter value. */
export function encode(id, state) {
  const schema = SCHEMAS[id];
  const values = schema.fromState ? schema.fromState(state) : state;
  const pairs = [];
  for (const key of Object.keys(schema.keys)) {
    const v = values[key];
    if (v === undefined || v === null) continue;
    pairs.push(`${key}:${Array.isArray(v) ? v.map(short).join('~') : typeof v === 'number' ? short(v) : v}`);
  }
  return pairs.join(';');
}

/** Every widget's decoded parameter in `search` (a location.search string), by id. */
export function decodeAll(search) {
  const params = new URLSearchParams(search);
  const version = linkVersion(search);
  const decoded = Object.fromEntries(Object.keys(SCHEMAS).filter((id) => params.has(id)).map((id) => [id, decode(id, params.get(id), version)]));
  if (version === null) {
    for (const d of Object.values(decoded)) { d.problems.push(`v: malformed, read as format 1`); d.notice = true; }
  }
  return decoded;
}

/**
 * `search` with the widget parameters replaced by `values` (id → text) and the format version
 * `v` written before them when there are any (removed when there are none); other parameters kept.
 */
export function withParams(search, values) {
  const params = new URLSearchParams(search);
  for (const id of Object.keys(SCHEMAS)) params.delete(id);
  params.delete('v');
  if (Object.values(values).some(Boolean)) params.set('v', String(FORMAT_VERSION));
  const parts = params.toString() ? [params.toString()] : [];
  for (const [id, text] of Object.entries(values)) {
    if (text) parts.push(`${id}=${encodeURIComponent(text).replace(/%3A/g, ':').replace(/%3B/g, ';')}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Shows the one quiet "link partly ignored" line at the top of a widget's root: `text`, or, for
 * a link older than the seeded generator (decoded.reseeded), the widget's own-language notice
 * that what it draws again differs from the sender's (followed by `text` if something else was
 * adjusted too).
 */
export function showNotice(root, id, decoded, text) {
  if (!decoded?.notice) return;
  console.info(`elbo-lab: link state for ${id} adjusted:`, decoded.problems.join('; '));
  root.querySelector('[data-url-notice]')?.remove();
  const p = root.ownerDocument.createElement('p');
  p.className = 'note url-notice';
  p.setAttribute('role', 'status');
  p.dataset.urlNotice = id;
  const others = decoded.problems.length > (decoded.reseeded ? 1 : 0);
  p.textContent = decoded.reseeded
    ? [stringsFor(root).t('url.reseeded'), others ? text : ''].filter(Boolean).join(' ')
    : text;
  root.prepend(p);
}
