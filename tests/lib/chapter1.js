// Chapter 1's end-to-end helpers (tests/page.test.js, tests/page-edits.test.js): reading the
// information, entropy and Huffman widgets, and checking them against the wasm core under Node.
import assert from 'node:assert/strict';
import lab from './wasm.js';
import { canvasStats, fmt, readout, sum, widget } from './chapter.js';

const { entropy: wasmEntropy, huffmanCode } = lab;

export const PHONE = { viewport: { width: 375, height: 800 }, deviceScaleFactor: 2 };

// Colours of crate/src/render/style.rs (and style.css), to recognise what a chart drew.
const PALETTE = {
  blue: [0x25, 0x63, 0xeb], orange: [0xea, 0x58, 0x0c], green: [0x05, 0x96, 0x69], purple: [0x7c, 0x3a, 0xed],
};

/** The preset distributions of www/lib/presets.js, restated for the keyboard test. */
export const PRESETS_BY_KEY = {
  'fair-coin': [0.5, 0.5],
  'biased-coin': [0.9, 0.1],
  'fair-die': Array(6).fill(1 / 6),
  'loaded-die': [0.1, 0.1, 0.1, 0.1, 0.1, 0.5],
};

/** −Σ pᵢ log₂ pᵢ, computed here (not by the page). */
export const entropyBits = (p) => p.reduce((h, pi) => (pi > 0 ? h - pi * Math.log2(pi) : h), 0);

/** True when no code word is a prefix of another. */
function isPrefixFree(words) {
  return words.every((a, i) => words.every((b, j) => i === j || !b.startsWith(a)));
}

/** The canvases of this file's widgets (chapter 1); later chapters have their own tests. */
export const CHAPTER1_CANVASES = ['information', 'entropy', 'huffman'].map((id) => `[data-widget="${id}"] canvas`).join(', ');

/** Pixel statistics of chapter 1's canvases (or those matching `selector`), with palette hits. */
export const chapter1Stats = (page, selector = CHAPTER1_CANVASES) => canvasStats(page, selector, PALETTE);

// --- Information widget ---

/** Slider values p₁, p₂ of the information widget. */
export async function infoProbabilities(page) {
  const values = await widget(page, 'information').locator('input[type=range]').evaluateAll((els) => els.map((e) => Number(e.value)));
  return { p1: values[0], p2: values[1] };
}

/** The readout rows parsed: i1, i2 (text), joint { arg, value, unit }, sum { a, b, total, unit }. */
export async function infoReadouts(page) {
  const [i1, i2, joint, total] = await Promise.all(['i1', 'i2', 'joint', 'sum'].map((n) => readout(page, n)));
  const j = joint.match(/^I\((\S+)\) = (\S+) (bits|nats)$/);
  const s = total.match(/^(\S+) \+ (\S+) = (\S+) (bits|nats)$/);
  assert.ok(j, `joint row "${joint}" has the form I(p) = v unit`);
  assert.ok(s, `sum row "${total}" has the form a + b = c unit`);
  return {
    i1, i2, jointText: joint, sumText: total,
    joint: { arg: j[1], value: j[2], unit: j[3] },
    sum: { a: s[1], b: s[2], total: s[3], unit: s[4] },
  };
}

/** Asserts the readouts are those of −log_base for the sliders' current p₁, p₂. */
export async function assertInfoConsistent(page, unit) {
  const { p1, p2 } = await infoProbabilities(page);
  const log = unit === 'bits' ? Math.log2 : Math.log;
  const r = await infoReadouts(page);
  assert.equal(r.i1, `${fmt(-log(p1))} ${unit}`, `I(p₁) for p₁ = ${p1}`);
  assert.equal(r.i2, `${fmt(-log(p2))} ${unit}`, `I(p₂) for p₂ = ${p2}`);
  assert.equal(r.joint.value, fmt(-log(p1 * p2)), `I(p₁p₂) for p₁p₂ = ${p1 * p2}`);
  assert.equal(r.joint.arg, fmt(p1 * p2, 4));
  assert.deepEqual([r.sum.a, r.sum.b, r.sum.unit, r.joint.unit], [fmt(-log(p1)), fmt(-log(p2)), unit, unit]);
  assert.equal(r.sum.total, r.joint.value, `the sum row "${r.sumText}" equals the joint row "${r.jointText}"`);
  return { p1, p2, ...r };
}

// --- Entropy widget ---

/** The full-precision distribution, from the bar handles' aria-valuenow. */
export function handleValues(page) {
  return widget(page, 'entropy').locator('.handles .handle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('aria-valuenow'))));
}

/** The table's typed-value inputs, as shown (strings). */
export function tableInputs(page) {
  return widget(page, 'entropy').locator('input[data-index]').evaluateAll((els) => els.map((e) => e.value));
}

/** Clicks an entropy preset, after setting the "n =" field if `n` is given. */
export async function choosePreset(page, key, n) {
  const w = widget(page, 'entropy');
  if (n !== undefined) await w.locator('.controls input[type=number]').fill(String(n));
  await w.locator(`[data-preset="${key}"]`).click();
}

/** Asserts the shown entropy (bits and nats) is that of the distribution the handles carry. */
export async function assertEntropyMatches(page) {
  const p = await handleValues(page);
  assert.ok(Math.abs(sum(p) - 1) < 1e-9, `Σp = ${sum(p)} (${p})`);
  assert.equal(await readout(page, 'entropy-bits'), `${fmt(entropyBits(p))} bits`, `H of ${p}`);
  assert.equal(await readout(page, 'entropy-nats'), `${fmt(entropyBits(p) * Math.LN2)} nats`, `H of ${p} in nats`);
  return p;
}

// --- Huffman widget ---

/**
 * The code table: one { label, p, cell, word, length, ideal } per outcome; `cell` is the text
 * shown, `word` the code word ('' for the certain outcome's empty word, null for p = 0).
 */
async function codeTable(page) {
  const rows = await widget(page, 'huffman').locator('.code-table tbody tr').evaluateAll((trs) => trs.map((tr) => {
    const cells = [...tr.children].map((c) => c.textContent.trim());
    return { label: cells[0], p: cells[1], cell: cells[2], length: Number(cells[3]), ideal: cells[4] };
  }));
  return rows.map((r) => {
    let word = r.cell;
    if (/needs no bits/.test(r.cell)) word = '';
    else if (/never occurs/.test(r.cell)) word = null;
    else assert.match(r.cell, /^[01]+$/, `code word cell of ${r.label}`);
    return { ...r, word };
  });
}

/** Asserts the Huffman widget shows a valid optimal code for the distribution `p`. */
export async function assertHuffmanFor(page, p) {
  const rows = await codeTable(page);
  const expected = huffmanCode(p);
  assert.deepEqual(rows.map((r) => r.p), p.map((x) => fmt(x)), 'the p column follows the distribution');
  rows.forEach((r, i) => assert.equal(r.word === null, p[i] === 0, `outcome ${r.label}: no word iff p = 0`));
  const used = rows.filter((_, i) => p[i] > 0);
  assert.ok(isPrefixFree(used.map((r) => r.word)), `prefix-free: ${used.map((r) => r.word)}`);
  for (const r of used) assert.equal(r.word.length, r.length, `ℓ column = length of "${r.word}"`);
  assert.deepEqual(rows.map((r) => r.length), expected.lengths, 'code lengths (as in the Rust core)');
  const L = sum(p.map((pi, i) => pi * rows[i].length));
  assert.equal(await readout(page, 'huffman-average'), `${fmt(L)} bits/symbol`);
  assert.equal(await readout(page, 'huffman-entropy'), `${fmt(entropyBits(p))} bits/symbol`);
  assert.equal(await readout(page, 'huffman-kraft'), 'Σ 2^−ℓᵢ = 1.000000');
  assert.ok(Math.abs(sum(used.map((r) => 2 ** -r.length)) - 1) < 1e-12, 'Kraft equality for the shown words');
  return rows;
}

/**
 * Puts the distribution the entropy and Huffman widgets share back to the one the page opens
 * with (through the widgets' own store, as a preset button does), with nothing focused.
 */
export async function openingDistribution(page) {
  await page.evaluate(async () => {
    const { DEFAULT_DISTRIBUTION } = await import('./lib/presets.js');
    document.activeElement?.blur();
    window.elboLab.widgets.entropy.store.set(DEFAULT_DISTRIBUTION);
  });
  assert.deepEqual(await handleValues(page), [0.5, 0.25, 0.125, 0.125]);
}

export { wasmEntropy, huffmanCode };
