// Chapter 3's end-to-end helpers (tests/ch3.test.js, tests/ch3-derivation.test.js): the likelihood,
// posterior and derivation widgets read from the page, and the same quantities from the JS API under Node.
import assert from 'node:assert/strict';
import lab from './wasm.js';
import { fmt, widget } from './chapter.js';

/** The number at the start of a readout such as "−1.234 nats". */
export const parse = (text) => Number(text.trim().split(' ')[0].replace('−', '-'));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Scrolls `locator` to the middle of the viewport at once (the page scrolls smoothly otherwise). */
export async function scrollTo(locator) {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
}

/** Polls `fn` until it returns a truthy value or `timeout` ms pass; returns the last value. */
export async function until(fn, timeout = 10000, interval = 50) {
  const end = Date.now() + timeout;
  let v = await fn();
  while (!v && Date.now() < end) {
    await sleep(interval);
    v = await fn();
  }
  return v;
}

// --- likelihood ---

/** The likelihood widget's data and θ, read from its inputs. */
export async function likInputs(page) {
  const w = widget(page, 'likelihood');
  const [heads, tails] = await w.locator('fieldset.controls input[type="number"]').evaluateAll((els) => els.map((e) => Number(e.value)));
  const theta = Number(await w.locator('[data-control="theta"] input[type="range"]').inputValue());
  return { heads, tails, theta };
}

/** The likelihood widget's readouts by data-out, as shown. */
export function outputs(page, id) {
  return widget(page, id).locator('output[data-out]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.out, e.textContent.trim()])));
}

/** Asserts the θ, MLE and log-likelihood readouts equal the API's coinLikelihood for the inputs. */
export async function assertLikMatchesApi(page) {
  const { heads, tails, theta } = await likInputs(page);
  const r = lab.coinLikelihood(heads, tails, theta);
  const shown = await outputs(page, 'likelihood');
  assert.equal(shown['lik-theta'], fmt(theta, 2));
  assert.equal(shown['lik-mle'], fmt(r.mle, 4), `MLE for h=${heads}, t=${tails}`);
  assert.ok(Math.abs(r.mle - heads / (heads + tails)) < 1e-15, 'API MLE is h/(h+t)');
  assert.equal(shown['lik-loglik'], `${fmt(r.logLikelihood, 3)} nats`, `ln L for h=${heads}, t=${tails}, θ=${theta}`);
  return { heads, tails, theta, r, shown };
}

// --- posterior ---

/** The posterior widget's live state from its handle: store value and optimiser settings. */
export function postState(page) {
  return page.evaluate(() => {
    const p = window.elboLab.widgets.posterior;
    const { model, x, params, m, s } = p.store.get();
    const { playing, steps, lr, mode, k, seed, speed } = p.run;
    return { model, x, params: { ...params }, m, s, playing, steps, lr, mode, k, seed, speed };
  });
}

/** The model, x, σx, m and s as the posterior widget's controls show them. */
export async function postControls(page) {
  const w = widget(page, 'posterior');
  const model = await w.locator('button[data-model][aria-pressed="true"]').getAttribute('data-model');
  const val = async (key) => Number(await w.locator(`input[data-input="${key}"]`).inputValue());
  return { model, x: await val('x'), params: { sigmaX: await val('sigmaX') }, m: await val('m'), s: await val('s') };
}

/** A Node PosteriorLab for the model of `st` (caller frees it). */
export const apiLab = (st) => new lab.PosteriorLab(st.model, st.x, st.params);

/**
 * Asserts the ELBO, KL and evidence readouts equal the API at (m, s) and ELBO + KL = log p(x)
 * to the shown precision. With `fromSliders` the model, m and s are read from the controls.
 */
export async function assertPostMatchesApi(page, { fromSliders = false } = {}) {
  const st = fromSliders ? await postControls(page) : await postState(page);
  if (fromSliders) {
    const handle = await postState(page);
    assert.deepEqual({ model: st.model, x: st.x, sigmaX: st.params.sigmaX, m: st.m, s: st.s },
      { model: handle.model, x: handle.x, sigmaX: handle.params.sigmaX, m: handle.m, s: handle.s }, 'sliders show the state');
  }
  const api = apiLab(st);
  try {
    const elbo = api.elbo(st.m, st.s);
    const kl = api.klToPosterior(st.m, st.s);
    const ev = api.logEvidence();
    const shown = await outputs(page, 'posterior');
    assert.equal(shown['post-elbo'], `${fmt(elbo)} nats`, `ELBO at m=${st.m}, s=${st.s}`);
    assert.equal(shown['post-kl'], `${fmt(kl)} nats`, `KL at m=${st.m}, s=${st.s}`);
    assert.equal(shown['post-evidence'], `${fmt(ev)} nats`);
    assert.equal(shown['post-m'], fmt(st.m));
    assert.equal(shown['post-s'], fmt(st.s));
    // Three independently rounded 3-decimal values: their sum is off by at most 1.5e-3.
    const d = parse(shown['post-elbo']) + parse(shown['post-kl']) - parse(shown['post-evidence']);
    assert.ok(Math.abs(d) <= 0.0015 + 1e-12, `shown ELBO + KL − log p(x) = ${d}`);
    return { st, elbo, kl, ev, shown };
  } finally {
    api.free();
  }
}

/** The posterior widget's m and s, as full-precision numbers from the handle. */
export async function qOf(page) {
  const { m, s } = await postState(page);
  return { m, s };
}

/** Clicks Play, waits until `done(state)` or `timeout`, clicks Pause; returns the final state. */
export async function playUntil(page, done, timeout) {
  const w = widget(page, 'posterior');
  await w.locator('[data-action="play"]').click();
  assert.equal(await w.locator('[data-action="play"]').getAttribute('aria-pressed'), 'true');
  const st = await until(async () => { const v = await postState(page); return done(v) ? v : null; }, timeout);
  await w.locator('[data-action="play"]').click();
  assert.equal(await w.locator('[data-action="play"]').getAttribute('aria-pressed'), 'false');
  return st ?? postState(page);
}

// --- derivation ---

/** The derivation widget's revealed lines: [{ step, rel, current, values: [[label, number]] }]. */
export function derivLines(page) {
  return widget(page, 'derivation').locator('li[data-step]').evaluateAll((els) => els.map((li) => ({
    step: Number(li.dataset.step), rel: li.dataset.rel, current: li.classList.contains('current'),
    values: [...li.querySelectorAll('output[data-label]')].map((o) => [o.dataset.label, Number(o.dataset.value), o.textContent]),
  })));
}

/** The chains of "=" lines of each derivation (a line starting with "=" continues the one before). */
export const CHAINS = { evidence: [[0, 1, 2]], vae: [[0, 1, 2], [3, 4, 5]], jensen: [] };
export const LENGTHS = { evidence: 4, vae: 7, jensen: 4 };

/**
 * Asserts every revealed line of the shown derivation: the "=" chains agree with each other
 * (data-value to 1e-9) and with the API, the "≥" line's gap is the API's KL(q ‖ p(z|x)), and
 * the gradient line is the API's elboGradient, all at the posterior widget's q.
 */
export async function assertDerivMatchesApi(page, which) {
  const st = await postState(page);
  const api = apiLab(st);
  try {
    const v = api.derivationValues(st.m, st.s);
    const grad = api.elboGradient(st.m, st.s);
    const kl = api.klToPosterior(st.m, st.s);
    const lines = await derivLines(page);
    const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-9, `${what}: ${a} vs ${b} (m=${st.m}, s=${st.s}, ${st.model})`);
    for (const l of lines) for (const [label, x, text] of l.values) {
      assert.ok(Number.isFinite(x), `line ${l.step} ${label} is finite`);
      assert.ok(text.includes(fmt(x, 4)), `line ${l.step} shows ${fmt(x, 4)}: "${text}"`);
    }
    const expected = which === 'evidence' ? [kl] : [v.elbo, v.klToPrior];
    CHAINS[which].forEach((chain, c) => {
      for (const i of chain.filter((j) => j < lines.length)) {
        assert.equal(lines[i].rel, 'eq');
        assert.equal(lines[i].values[0][0], 'deriv.value');
        close(lines[i].values[0][1], lines[chain[0]].values[0][1], `${which} line ${i} = line ${chain[0]}`);
        close(lines[i].values[0][1], expected[c], `${which} line ${i} = API`);
      }
    });
    if (which === 'evidence' && lines.length === 4) {
      const ge = lines[3];
      assert.equal(ge.rel, 'ge');
      const byLabel = Object.fromEntries(ge.values.map(([l, x]) => [l, x]));
      close(byLabel['deriv.gap'], kl, 'gap = KL(q‖p(z|x))');
      close(byLabel['deriv.kl'], kl, 'KL line');
      close(byLabel['deriv.logEvidence'], v.logEvidence, 'log p(x)');
      close(byLabel['deriv.elbo'], api.elbo(st.m, st.s), 'ELBO');
      assert.ok(byLabel['deriv.logEvidence'] >= byLabel['deriv.elbo'], 'log p(x) ≥ ELBO');
    }
    if (which === 'vae' && lines.length >= 6) {
      close(lines[5].values[1][1], v.klToPrior, 'direct KL(q‖p(z))');
      close(lines[5].values[1][1], lines[5].values[0][1], 'closed form = direct KL(q‖p(z))');
    }
    if (which === 'jensen') {
      // log p(x) = log E_q[w] ≥ E_q[log w] = ELBO, the gap the KL of the first derivation.
      const [l0, l1, l2, l3] = lines;
      close(l0.values[0][1], v.logEvidence, 'log p(x)');
      if (l1) {
        assert.equal(l1.values[0][0], 'deriv.logMeanWeight');
        close(l1.values[0][1], v.logEvidence, 'log E_q[w] = log p(x)');
      }
      if (l2) {
        assert.equal(l2.rel, 'ge');
        assert.equal(l2.values[0][0], 'deriv.meanLogWeight');
        close(l2.values[0][1], api.elbo(st.m, st.s), 'E_q[log w] = ELBO');
        assert.ok(l1.values[0][1] > l2.values[0][1], 'log E_q[w] > E_q[log w]');
      }
      if (l3) {
        const byLabel = Object.fromEntries(l3.values.map(([l, x]) => [l, x]));
        close(byLabel['deriv.elbo'], api.elbo(st.m, st.s), 'ELBO');
        close(byLabel['deriv.gap'], kl, 'Jensen gap = KL(q‖p(z|x))');
        close(byLabel['deriv.kl'], kl, 'KL line');
      }
    }
    if (which === 'vae' && lines.length === 7) {
      assert.equal(lines[6].rel, 'grad');
      lines[6].values.forEach(([, x], j) => close(x, grad[j], `gradient component ${j}`));
    }
    return { st, lines };
  } finally {
    api.free();
  }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------
