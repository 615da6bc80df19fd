// Widget "derivation": three derivations of the ELBO, one step at a time, every line valued on
// the live example q = N(m, s²) of the posterior widget (shared store).
import { lab } from '../lib/lab.js';
import { h, fmt, uid, setText, setAttr, setFlag, visibility } from '../lib/dom.js';
import { createStore, subscribeOncePerTask } from '../lib/store.js';
import { rich, stringsFor, tex } from '../lib/i18n.js';

const DIGITS = 4; // decimals shown for every value
const OFFSCREEN_QUIET_MS = 150; // off screen, the values follow q once it holds still this long
const HL = (s) => `\\textcolor{#ea580c}{${s}}`; // the term that changed in this step
const LOG2PI = Math.log(2 * Math.PI);
const DEFAULT_STATE = { model: 'gaussian', x: 1, params: { sigmaX: 1 }, m: 0, s: 1 };
const E = '\\mathbb{E}_{q}';
const KLPOST = '\\mathrm{KL}\\big(q(z)\\,\\|\\,p(z \\mid x)\\big)';
const KLPRIOR = '\\mathrm{KL}\\big(q(z)\\,\\|\\,p(z)\\big)';
const ELBO = '\\mathrm{ELBO}(q)';

/**
 * The lines of each derivation: TeX, the note key, and values(v, extra) → [[labelKey, number]].
 * `v` is derivationValues(m, s); `extra` holds m, s and the exact gradient.
 */
const DERIVATIONS = {
  evidence: [
    { tex: `${KLPOST} = ${E}\\big[\\log q(z) - \\log p(z \\mid x)\\big]`,
      note: 'deriv.ev.1', values: (v) => [['deriv.value', -v.entropyQ - (v.expectedLogJoint - v.logEvidence)]] },
    { tex: `= ${E}\\big[\\log q(z) - ${HL('\\log p(x, z)')}\\big] + ${HL('\\log p(x)')}`,
      note: 'deriv.ev.2', values: (v) => [['deriv.value', -v.entropyQ - v.expectedLogJoint + v.logEvidence]] },
    { tex: `\\begin{gathered} = \\log p(x) - ${HL(ELBO)}, \\\\ ${ELBO} = ${E}\\big[\\log p(x, z) - \\log q(z)\\big] \\end{gathered}`,
      note: 'deriv.ev.3', values: (v) => [['deriv.value', v.logEvidence - v.elbo]] },
    { tex: `${KLPOST} \\ge 0 \\;\\Longrightarrow\\; \\log p(x) \\;${HL('\\ge')}\\; ${ELBO}`,
      note: 'deriv.ev.4', rel: 'ge',
      values: (v) => [['deriv.logEvidence', v.logEvidence], ['deriv.elbo', v.elbo], ['deriv.gap', v.logEvidence - v.elbo], ['deriv.kl', v.kl]] },
  ],
  vae: [
    { tex: `${ELBO} = ${E}\\big[\\log p(x, z)\\big] + ${HL('\\mathrm{H}(q)')}`,
      note: 'deriv.vae.1', values: (v) => [['deriv.value', v.expectedLogJoint + v.entropyQ]] },
    { tex: `= ${E}\\big[${HL('\\log p(x \\mid z) + \\log p(z)')} - \\log q(z)\\big]`,
      note: 'deriv.vae.2', values: (v, e) => [['deriv.value', v.expectedLogLikelihood - 0.5 * LOG2PI - 0.5 * (e.m ** 2 + e.s ** 2) + v.entropyQ]] },
    { tex: `= ${E}\\big[\\log p(x \\mid z)\\big] - ${HL(KLPRIOR)}`,
      note: 'deriv.vae.3', values: (v) => [['deriv.value', v.expectedLogLikelihood - v.klToPrior]] },
    { tex: `${KLPRIOR} = ${E}\\Big[-\\tfrac12 \\log 2\\pi\\sigma^2 - \\frac{(z-\\mu)^2}{2\\sigma^2} + \\tfrac12 \\log 2\\pi + \\frac{z^2}{2}\\Big]`,
      note: 'deriv.vae.4', values: (v, e) => [['deriv.value', -0.5 * Math.log(2 * Math.PI * e.s ** 2) - 0.5 + 0.5 * LOG2PI + 0.5 * (e.m ** 2 + e.s ** 2)]] },
    { tex: `= ${HL('-\\tfrac12 \\log \\sigma^2 - \\tfrac12 + \\tfrac12(\\mu^2 + \\sigma^2)')}`,
      note: 'deriv.vae.5', values: (v, e) => [['deriv.value', -0.5 * Math.log(e.s ** 2) - 0.5 + 0.5 * (e.m ** 2 + e.s ** 2)]] },
    { tex: `= ${HL('-\\tfrac12\\big(1 + \\log \\sigma^2 - \\mu^2 - \\sigma^2\\big)')}`,
      note: 'deriv.vae.6', values: (v, e) => [['deriv.value', -0.5 * (1 + Math.log(e.s ** 2) - e.m ** 2 - e.s ** 2)], ['deriv.klToPrior', v.klToPrior]] },
    { tex: `\\begin{gathered} z = ${HL('\\mu + \\sigma\\varepsilon')},\\quad \\varepsilon \\sim \\mathcal N(0, 1): \\\\ ${E}\\big[f(z)\\big] = \\mathbb{E}_{\\varepsilon}\\big[f(\\mu + \\sigma\\varepsilon)\\big] \\\\ \\nabla_{\\mu,\\sigma} ${E}\\big[f(z)\\big] = \\mathbb{E}_{\\varepsilon}\\big[\\nabla_{\\mu,\\sigma} f(\\mu + \\sigma\\varepsilon)\\big] \\end{gathered}`,
      note: 'deriv.vae.7', rel: 'grad',
      values: (v, e) => [['deriv.elbo', e.grad[0]], ['deriv.gradMu', e.grad[1]], ['deriv.gradLogSigma', e.grad[2]]] },
  ],
  // The ELBO in one line from Jensen's inequality, w = p(x, z)/q(z) the importance weight.
  jensen: [
    { tex: `\\log p(x) = \\log \\int p(x, z)\\, dz`,
      note: 'deriv.jensen.1', values: (v) => [['deriv.value', v.logEvidence]] },
    { tex: `= \\log \\int ${HL('q(z)')}\\, \\frac{p(x, z)}{${HL('q(z)')}}\\, dz = \\log ${E}\\big[w(z)\\big], \\quad w(z) = \\frac{p(x, z)}{q(z)}`,
      note: 'deriv.jensen.2', values: (v) => [['deriv.logMeanWeight', v.logEvidence]] },
    { tex: `${HL('\\ge')}\\; ${E}\\big[\\log w(z)\\big] = ${E}\\big[\\log p(x, z) - \\log q(z)\\big]`,
      note: 'deriv.jensen.3', rel: 'ge', values: (v) => [['deriv.meanLogWeight', v.expectedLogWeight]] },
    { tex: `= ${HL(ELBO)}, \\qquad \\log ${E}[w] - ${E}[\\log w] = ${KLPOST}`,
      note: 'deriv.jensen.4',
      values: (v) => [['deriv.elbo', v.elbo], ['deriv.gap', v.logEvidence - v.expectedLogWeight], ['deriv.kl', v.kl]] },
  ],
};

/** Every line's TeX (display maths), typeset at build time with its section (tools/prerender-tex.mjs). */
export const FORMULAS = Object.values(DERIVATIONS).flatMap((lines) => lines.map((line) => line.tex));

/** Mounts the widget into `root`; options { store } follow the posterior widget's state, or { state } starts from one. */
export function mount(root, options = {}) {
  const { t, error } = stringsFor(root);
  const store = options.store ?? createStore(structuredClone(options.state ?? DEFAULT_STATE));
  const pos = { evidence: 0, vae: 0, jensen: 0 };
  let which = 'evidence';
  let post = null;
  let key = '';
  let lines = []; // [{ line, outs: [output…], value, mirror, el }]: every line of the derivation shown
  let at = null; // { key, m, s, v, extra }: the values at the last q
  // Each line is typeset once and kept. Every line of the derivation shown is laid out from
  // the start, and those not reached yet are hidden (reveal): a step changes no size, so it
  // lays out this widget alone, not the chapter (lib/island.js).
  const made = Object.fromEntries(Object.keys(DERIVATIONS).map((k) => [k, []]));

  const panelId = uid('deriv-panel');
  const tabs = Object.keys(DERIVATIONS).map((k) => h('button', {
    type: 'button', role: 'tab', id: uid('deriv-tab'), 'aria-controls': panelId, 'data-deriv': k,
    onclick: () => { which = k; build(); },
  }, t(`deriv.tab.${k}`)));
  const prev = h('button', { type: 'button', 'data-action': 'prev', onclick: () => move(-1) }, t('deriv.prev'));
  const next = h('button', { type: 'button', 'data-action': 'next', onclick: () => move(1) }, t('deriv.next'));
  const progress = h('span', { class: 'note', 'aria-live': 'polite', 'data-out': 'deriv-progress' });
  const example = h('p', { class: 'note', 'data-out': 'deriv-example' });
  // The tab panel wraps the list: a role on the <ol> itself would hide its list semantics.
  const list = h('ol', { class: 'derivation' });
  const panel = h('div', { role: 'tabpanel', id: panelId }, list);
  const alert = h('p', { class: 'error', role: 'alert', hidden: true });
  const box = h('div', { class: 'derivation-widget', tabindex: 0, 'aria-label': t('deriv.label') },
    h('div', { class: 'controls', role: 'tablist', 'aria-label': t('deriv.tabs') }, tabs),
    h('div', { class: 'controls' }, prev, next, progress), example, panel, alert);
  root.replaceChildren(box);
  box.addEventListener('keydown', (e) => {
    if (e.target.tagName === 'INPUT') return;
    if (e.key === 'ArrowRight') { move(1); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { move(-1); e.preventDefault(); }
  });

  function move(d) {
    pos[which] = Math.max(0, Math.min(DERIVATIONS[which].length - 1, pos[which] + d));
    build();
  }

  /** Line `i` of derivation `k`, typeset on first use. */
  function lineAt(k, i) {
    if (made[k][i]) return made[k][i];
    const line = DERIVATIONS[k][i];
    const outs = line.values(ZERO, ZERO_EXTRA).map(([labelKey]) =>
      h('output', { 'data-label': labelKey, 'data-line': i }));
    const value = h('p', { class: 'step-value' }, outs.flatMap((o, j) => (j ? ['; ', o] : [o])));
    // While the line is not reached its values show (to nobody: the line is hidden) as plain
    // text in their place, so the line keeps its height, and its <output>s wait under [hidden],
    // where "Save numbers as CSV" (lib/export.js) does not read them.
    const mirror = h('p', { class: 'step-value', hidden: true });
    made[k][i] = { line, outs, value, mirror, el: h('li', { class: 'step', 'data-rel': line.rel ?? 'eq' },
      tex(h('div', { class: 'step-tex' }), line.tex, true), value, mirror,
      rich(h('p', { class: 'note' }), t(line.note))) };
    return made[k][i];
  }

  /**
   * Line `i` shown (reached: data-step="i") or kept in its place, out of the accessibility tree,
   * the tab order and find-in-page (aria-hidden, inert; style.css hides its content and shows
   * its number in a dashed frame), with the height it will have when reached (its values as the
   * mirror's plain text).
   */
  function reveal({ el, value, mirror }, i, reached) {
    setFlag(value, !reached, 'hidden');
    setFlag(mirror, reached, 'hidden');
    if (reached) {
      setAttr(el, 'data-step', String(i));
      el.removeAttribute('aria-hidden');
    } else {
      el.removeAttribute('data-step');
      setAttr(el, 'aria-hidden', 'true');
    }
    setFlag(el, !reached, 'inert');
  }

  /** Shows the current derivation, its lines up to the current step (a step changes attributes only). */
  function build() {
    const steps = DERIVATIONS[which];
    for (const b of tabs) setAttr(b, 'aria-selected', String(b.dataset.deriv === which));
    setAttr(panel, 'aria-labelledby', tabs.find((b) => b.dataset.deriv === which).id);
    lines = steps.map((_, i) => lineAt(which, i));
    if (lines.some((l, i) => list.children[i] !== l.el) || list.children.length !== lines.length) {
      list.replaceChildren(...lines.map((l) => l.el));
    }
    lines.forEach((l, i) => {
      reveal(l, i, i <= pos[which]);
      l.el.classList.toggle('current', i === pos[which]);
    });
    setFlag(prev, pos[which] === 0);
    setFlag(next, pos[which] === steps.length - 1);
    setText(progress, t('deriv.progress', { i: pos[which] + 1, n: steps.length }));
    values();
  }

  /** Fills every line's numbers from the store's current q (hidden lines too: their size stays). */
  function values() {
    behind = false;
    const st = store.get();
    try {
      const k = JSON.stringify([st.model, st.x, st.params]);
      if (k !== key) { post?.free(); post = null; key = ''; post = new lab.PosteriorLab(st.model, st.x, st.params); key = k; }
      // Stepping through the lines keeps q: its values are computed once per q.
      if (!at || at.key !== key || at.m !== st.m || at.s !== st.s) {
        at = { key, m: st.m, s: st.s, v: post.derivationValues(st.m, st.s), extra: { m: st.m, s: st.s, grad: post.elboGradient(st.m, st.s) } };
      }
      const { v, extra } = at;
      for (const { line, outs, value, mirror } of lines) {
        line.values(v, extra).forEach(([labelKey, x], j) => {
          if (outs[j].dataset.value !== String(x)) outs[j].dataset.value = String(x);
          setText(outs[j], t(labelKey, { v: fmt(x, DIGITS) }));
        });
        setText(mirror, value.textContent);
      }
      setText(example, t('deriv.example', { model: t(`post.model.${st.model}`), x: fmt(st.x, 2), m: fmt(st.m, 3), s: fmt(st.s, 3) }));
      setFlag(alert, true, 'hidden');
    } catch (err) {
      alert.hidden = false;
      alert.textContent = t('post.error', { message: error(err) });
    }
  }

  // The posterior's optimiser writes the shared q every frame. Off screen (the reader watching
  // the posterior) the lines wait until q has held still for OFFSCREEN_QUIET_MS or the widget
  // is back on screen, whichever comes first: then they take the q of that moment.
  let behind = false;
  let quiet = 0;
  const view = visibility(root, () => { if (behind) values(); });
  const unsubscribe = subscribeOncePerTask(store, () => {
    if (view.visible()) { values(); return; }
    behind = true;
    clearTimeout(quiet);
    quiet = setTimeout(() => { if (behind) values(); }, OFFSCREEN_QUIET_MS);
  });
  build();
  return {
    store, move, state: () => ({ state: structuredClone(store.get()) }), show(k) { which = k; build(); },
    destroy() { unsubscribe(); clearTimeout(quiet); view.disconnect(); post?.free(); root.replaceChildren(); },
  };
}

const ZERO = { logEvidence: 0, elbo: 0, kl: 0, expectedLogJoint: 0, entropyQ: 0, expectedLogLikelihood: 0, klToPrior: 0, expectedLogWeight: 0 };
const ZERO_EXTRA = { m: 0, s: 1, grad: [0, 0, 0] };
