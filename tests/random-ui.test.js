// The interface under random use: on the chapter page, seeded random actions on every visible,
// enabled button, range/number/text input, radio, select and canvas (pointer down, moves, up at
// random points) and key presses on focused elements, with random and boundary values (min,
// max, just outside, empty, "1e999", "-0", "abc"), starting before the lazy VAE widget is ready
// and going on while it trains. After every batch: no page error, no console error or warning,
// and none of "NaN", "undefined", "[object", "Infinity" (the KL widget's ∞ is the character,
// never the word) or an internal message in the visible text. At the end every widget still
// answers: one known interaction per widget changes what it shows.
// Run: node --test tests/random-ui.test.js   (needs `make build`). Replay one seed: SEEDS=3.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chapterHarness, widget } from './lib/chapter.js';
import { mulberry32 } from './lib/random.js';
import { screenText } from './lib/page-probes.js';
import en from '../www/i18n/en.js';
import zh from '../www/i18n/zh.js';

const { start, stop, withChapter } = chapterHarness();
const SEEDS = (process.env.SEEDS ?? '1,2,3').split(',').map(Number);
const BATCHES = Number(process.env.BATCHES ?? 10); // per seed
const PER_BATCH = 100; // actions per batch: 3 seeds × 10 × 100 = 3,000 actions (seed 2 in Chinese)
// Buttons left out: the language switch reloads the page in the other language (tested in
// i18n.test.js) and "Load weights…" opens a file chooser (tested in ch4.test.js).
// The β sweep's Run would train 8 models for up to 200 epochs each behind the run (tests/rate.test.js runs a tiny sweep).
// The lesson buttons open the lesson panel and the full-screen projector over the chapter (tests/lesson.test.js
// drives them): clicked at random they would cover the widgets this test's last checks click.
const SKIP = ['[data-lang]', '[data-action="load"]', '[data-widget="rate-distortion"] [data-action="run"]', '[data-action="lesson-add"]', '[data-action="project"]'];
const WORDS = /NaN|undefined|\[object|Infinity|Cannot read properties|is not a function|is not defined|RuntimeError|unreachable|went wrong|出错/;
const KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown', 'Enter', ' ', 'Tab',
  'Escape', 'Delete', 'Backspace', '+', '-', '0', '5'];
const TEXTS = ['', '1e999', '-1e999', '-0', 'abc', 'NaN', '0', '1', '0.5', '-1', '1e-320', '  ', '0x10', '½'];

/** Tags every candidate element with data-rnd and describes it. */
function candidates(skip) {
  const els = [...document.querySelectorAll('button, input, select, canvas')].filter((el) => el.checkVisibility()
    && !el.disabled && el.type !== 'file' && !skip.some((s) => el.matches(s)));
  return els.map((el, i) => {
    el.dataset.rnd = i;
    return { i, tag: el.tagName.toLowerCase(), type: el.type ?? '', min: el.min ?? '', max: el.max ?? '', step: el.step ?? '',
      options: el.tagName === 'SELECT' ? [...el.options].map((o) => o.value) : null };
  });
}

/**
 * Runs a batch of planned actions inside the page (one round trip per batch, so thousands of
 * actions fit in the time): clicks, values set with input + change events, key presses
 * (keydown + keyup on the focused element) and pointer down, moves and up at planned points of
 * a canvas (pointer id 1, the mouse's, so the widgets' pointer capture works). A frame is let
 * through after every third action, so widgets draw between actions as they do for a reader.
 */
async function runPlan(plan) {
  let n = 0;
  for (const p of plan) {
    const el = document.querySelector(`[data-rnd="${p.i}"]`);
    if (!el?.isConnected || el.disabled || !el.checkVisibility()) continue;
    el.scrollIntoView({ block: 'center', behavior: 'instant' });
    if (p.kind === 'click') {
      el.click();
    } else if (p.kind === 'value') {
      el.value = p.value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    } else if (p.kind === 'key') {
      el.focus();
      for (const type of ['keydown', 'keyup']) {
        el.dispatchEvent(new KeyboardEvent(type, { key: p.key, bubbles: true, cancelable: true, composed: true }));
      }
    } else if (p.kind === 'pointer') {
      const r = el.getBoundingClientRect();
      const at = ([fx, fy], buttons) => ({ bubbles: true, cancelable: true, composed: true, pointerId: 1, pointerType: 'mouse',
        isPrimary: true, button: 0, buttons, clientX: r.left + fx * r.width, clientY: r.top + fy * r.height });
      const [first, ...rest] = p.points;
      el.dispatchEvent(new PointerEvent('pointerdown', at(first, 1)));
      for (const q of rest) el.dispatchEvent(new PointerEvent('pointermove', at(q, 1)));
      el.dispatchEvent(new PointerEvent('pointerup', at(p.points.at(-1), 0)));
      el.dispatchEvent(new MouseEvent('click', at(p.points.at(-1), 0)));
    }
    n += 1;
    if (n % 3 === 0) await new Promise(requestAnimationFrame);
  }
}

/** A value for an input: inside its range, at its ends, just outside, or text that is no number. */
function valueFor(c, rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  if (c.options) return pick(c.options);
  const lo = Number(c.min === '' ? 0 : c.min);
  const hi = Number(c.max === '' ? 100 : c.max);
  const step = Number(c.step) > 0 ? Number(c.step) : 1;
  const r = rand();
  if (r < 0.35) return String(lo + rand() * (hi - lo));
  if (r < 0.5) return c.min === '' ? '0' : c.min;
  if (r < 0.65) return c.max === '' ? '100' : c.max;
  if (r < 0.75) return String(pick([lo - step, hi + step, lo - 1e6, hi * 1e6]));
  // A number or range input holds only what parses as a number (Chromium refuses anything
  // else, with a console warning no reader can cause); a text input takes any text.
  return c.type === 'text' ? pick(TEXTS) : pick(['', '-0', '1e300', '-1e300', '1e-320', '0']);
}

/** What is wrong on the page now: the problems recorded and the bad words on screen. */
async function check(page, problems, log) {
  // A message may quote what the reader typed back to them, in “…” (e.g. “NaN” is not a
  // probability): the reader's own text is not a leaked value, so quotations are left out.
  const unquoted = (line) => line.replace(/“[^”]{0,40}”/g, '“…”');
  const found = (await page.evaluate(screenText)).split('\n').filter((line) => WORDS.test(unquoted(line))).map((line) => line.slice(0, 200));
  const tail = `\nlast actions:\n  ${log.slice(-12).join('\n  ')}`;
  assert.deepEqual(problems, [], `console or page errors${tail}`);
  assert.deepEqual(found, [], `bad text on screen${tail}`);
}

/** Clicks the VAE's Start if it is ready and idle, so the next batches run while it trains. */
async function startTraining(page) {
  await widget(page, 'vae').evaluate((el) => {
    el.scrollIntoView({ block: 'start', behavior: 'instant' });
    const train = el.querySelector('[data-action="train"]');
    if (!train.disabled && train.getAttribute('aria-pressed') !== 'true') train.click();
  });
}

async function randomRun(page, problems, seed) {
  const rand = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const point = () => [rand(), rand()];
  for (let b = 0; b < BATCHES; b += 1) {
    if (b === 2 || b === 5) await startTraining(page);
    const list = await page.evaluate(candidates, SKIP);
    const plan = [];
    for (let a = 0; a < PER_BATCH; a += 1) {
      const c = pick(list);
      const click = c.tag === 'button' || c.type === 'radio' || c.type === 'checkbox';
      if (c.tag === 'canvas') {
        plan.push({ i: c.i, kind: rand() < 0.3 ? 'key' : 'pointer', key: pick(KEYS),
          points: Array.from({ length: 1 + Math.floor(rand() * 4) }, point) });
      } else if (rand() < 0.25) {
        plan.push({ i: c.i, kind: 'key', key: pick(KEYS) });
      } else {
        plan.push({ i: c.i, kind: click ? 'click' : 'value', value: click ? null : valueFor(c, rand) });
      }
      const last = plan.at(-1);
      last.what = `${c.tag}[${c.type}] #${c.i} ${last.kind}${last.kind === 'key' ? ` ${JSON.stringify(last.key)}` : ''}`
        + `${last.kind === 'value' ? ` ${JSON.stringify(last.value)}` : ''}`;
    }
    await page.evaluate(runPlan, plan);
    // A few real key presses too, whose default actions (a range input's arrow keys, Space on
    // a button) the synthetic events above do not have.
    for (let k = 0; k < 5; k += 1) {
      const c = pick(list.filter((x) => x.tag !== 'canvas'));
      const key = pick(KEYS);
      plan.push({ what: `real key ${JSON.stringify(key)} on ${c.tag}[${c.type}] #${c.i}` });
      const focused = await page.evaluate((i) => {
        const el = document.querySelector(`[data-rnd="${i}"]`);
        if (!el?.isConnected || el.disabled) return false;
        el.focus();
        return document.activeElement === el;
      }, c.i);
      if (focused) await page.keyboard.press(key);
    }
    await page.waitForTimeout(150); // let workers reply and frames draw
    await check(page, problems, plan.map((p) => `seed ${seed} batch ${b}: ${p.what}`));
  }
}

/** Text of the widget `id`. */
const shown = (page, id) => page.evaluate(screenText, `[data-widget="${id}"]`);

/** Runs `first` then `second` and asserts the widget `id` shows something different after each. */
async function answers(page, id, first, second, watch = id) {
  await first();
  await page.waitForTimeout(200);
  const before = await shown(page, watch);
  await second();
  // Polled from here: a function sent as a string would be eval'd, which the page's CSP forbids.
  for (const end = Date.now() + 20000; Date.now() < end && await shown(page, watch) === before;) await page.waitForTimeout(100);
  assert.notEqual(await shown(page, watch), before, `${watch} still answers`);
}

/** One known interaction per widget, after the random run. */
async function everyWidgetAnswers(page, strings) {
  const button = (id, key) => () => widget(page, id).locator('button', { hasText: strings[key] }).first().click();
  const value = (id, selector, v) => () => widget(page, id).locator(selector).first().evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, v);
  const ranges = (id, v) => value(id, 'input[type="range"]', v);
  await answers(page, 'information', ranges('information', '0.1'), ranges('information', '0.9'));
  await answers(page, 'entropy', button('entropy', 'preset.fair-coin'), button('entropy', 'preset.fair-die'));
  await answers(page, 'huffman', button('entropy', 'preset.fair-coin'), button('entropy', 'preset.loaded-die'), 'huffman');
  await answers(page, 'kl-discrete', button('kl-discrete', 'kl.pair.close'), button('kl-discrete', 'kl.pair.peaked'));
  const mu = widget(page, 'kl-fit').locator('input[type="range"]').nth(3); // μ of q
  await answers(page, 'kl-fit', () => mu.evaluate((el) => { el.value = '-3'; el.dispatchEvent(new Event('input', { bubbles: true })); }),
    () => mu.evaluate((el) => { el.value = '3'; el.dispatchEvent(new Event('input', { bubbles: true })); }));
  await answers(page, 'likelihood', button('likelihood', 'lik.reset'), button('likelihood', 'lik.addHeads'));
  await answers(page, 'posterior', button('posterior', 'post.model.gaussian'), button('posterior', 'post.model.bimodal'));
  await answers(page, 'derivation', button('derivation', 'deriv.tab.evidence'), button('derivation', 'deriv.tab.vae'));
  await answers(page, 'rate-distortion', value('rate-distortion', '[data-control="image"]', '3'), value('rate-distortion', '[data-control="image"]', '4'));
  // The VAE: a small toy model, reset, then one epoch changes the epoch shown.
  const vae = widget(page, 'vae');
  await vae.evaluate((el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
  await vae.evaluate((el) => {
    const train = el.querySelector('[data-action="train"]');
    if (train.getAttribute('aria-pressed') === 'true') train.click();
    for (const [key, v] of [['dataset', 'moons'], ['hidden', el.querySelector('[data-input="hidden"]').options[0].value]]) {
      const input = el.querySelector(`[data-input="${key}"]`);
      input.value = v;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-widget="vae"]');
    return !el.querySelector('[data-action="step"]').disabled && el.querySelector('[data-out="vae-epoch"]').textContent.startsWith('0');
  }, null, { timeout: 30000 });
  await answers(page, 'vae', async () => {}, () => vae.locator('[data-action="step"]').click());
}

describe('random use of the whole page', () => {
  before(start);
  after(stop);

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${BATCHES * PER_BATCH} actions leave no error, no NaN and every widget answering`, async () => {
      await withChapter(async ({ page, problems }) => {
        const t0 = Date.now();
        await randomRun(page, problems, seed);
        await everyWidgetAnswers(page, seed % 2 === 0 ? zh : en);
        await check(page, problems, []);
        console.log(`# seed ${seed}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }, { path: seed % 2 === 0 ? '?lang=zh' : '' });
    });
  }
});
