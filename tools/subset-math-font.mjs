// Build step (Makefile, after tools/prerender-tex.mjs): the math font the page's MathML is drawn
// with (STIX Two Math, npm @fontsource/stix-two-math, SIL Open Font License), cut by where the
// page draws each character, so the first load carries only the glyphs of its first formulas.
//
// www/vendor/math/math.css declares four faces under one family, with disjoint unicode-ranges
// that together cover the font (a one-letter identifier counts as the mathematical italic letter
// MathML draws it with):
//   STIXTwoMath-first.woff2  what the formulas of the first screen draw: the chapter's first
//                            section and www/tex/<lang>.js (header, widgets), both languages;
//   STIXTwoMath-rest.woff2   what the build's other formulas draw (www/tex/<lang>/<section>.js);
//   STIXTwoMath-more.woff2   what else a formula made at run time is made of (ASCII, Greek,
//                            the italic letters, ∂, ∇);
//   STIXTwoMath.woff2        the full font, for every other character.
// A browser downloads a face only to draw a character in its range, so the first load fetches
// the first face alone, the rest of the chapter the second as its sections are typeset, and a
// run-time formula with a new symbol the next face: never a missing glyph. The subsets keep every
// OpenType layout feature and the MATH table (harfbuzz's subsetter keeps the size variants and
// parts of the glyphs it keeps), which the browser needs to stretch brackets and set scripts.
// Usage: node tools/subset-math-font.mjs
import { copyFileSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Blob, Face } from 'harfbuzzjs';
import fontverter from 'fontverter';
import subsetFont from 'subset-font';
import { mathItalic } from '../www/lib/mathml.js';

const WWW = fileURLToPath(new URL('../www/', import.meta.url));
const OUT = `${WWW}vendor/math/`;
const PACKAGE = fileURLToPath(new URL('../node_modules/@fontsource/stix-two-math/', import.meta.url));
const SOURCE = `${PACKAGE}files/stix-two-math-latin-400-normal.woff2`;
export const FAMILY = 'STIX Two Math';

/** The Unicode code points in the cmap of font file `bytes` (woff2, woff or sfnt). */
export async function cmap(bytes) {
  const sfnt = await fontverter.convert(bytes, 'truetype');
  return new Set(new Face(new Blob(sfnt), 0).collectUnicodes());
}

/**
 * The code points MathML string `html` draws: its text (the TeX annotation left out), a
 * one-letter identifier as its italic letter.
 */
function drawn(html) {
  const shown = html.replace(/<annotation[\s\S]*?<\/annotation>/g, '');
  const text = shown.replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" })[e]);
  const points = [...text].map((c) => c.codePointAt(0));
  for (const [, c] of shown.matchAll(/<mi>([^<])<\/mi>/gu)) points.push(mathItalic(c).codePointAt(0));
  return points;
}

const range = (lo, hi) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** What a formula made at run time is made of: printable ASCII, Greek, the mathematical italic letters. */
const BASICS = [
  ...range(0x20, 0x7e), ...range(0x391, 0x3a9), ...range(0x3b1, 0x3c9), 0x3d1, 0x3d5, 0x3d6, 0x3f0, 0x3f1, 0x3f5,
  ...range(0x1d434, 0x1d467), 0x210e, ...range(0x1d6a4, 0x1d6a5), ...range(0x1d6e2, 0x1d71b), 0x2032, 0x2202, 0x2207,
  0x2212, 0x2061, 0x2062, 0x2063,
];

/** The code points drawn by the formulas of the build's typeset file `file` (www/tex/…). */
async function drawnIn(file) {
  const points = new Set();
  for (const html of Object.values((await import(pathToFileURL(file).href)).default)) {
    for (const p of drawn(html)) points.add(p);
  }
  return points;
}

/**
 * The code points of the first screen's formulas, and of the build's other formulas. The first
 * also holds the digits and the space: the face holding U+0020 is the family's first available
 * font, whose MATH table the browser lays every formula out with, so it must be the first face.
 */
async function usedCodePoints() {
  const first = new Set([...' 0123456789'].map((c) => c.codePointAt(0)));
  const rest = new Set();
  const [, firstSection] = readFileSync(`${WWW}index.html`, 'utf8').match(/<section id="([a-z0-9-]+)"/);
  for (const entry of readdirSync(`${WWW}tex`, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const dir = entry.parentPath ?? entry.path;
    const atFirst = !/\/tex\/[a-z]+\/?$/.test(dir) || entry.name === `${firstSection}.js`;
    for (const p of await drawnIn(`${dir}/${entry.name}`)) (atFirst ? first : rest).add(p);
  }
  return { first, rest };
}

/** CSS unicode-range of the code points `points` (U+41-5A,U+3B1…). */
export function unicodeRange(points) {
  const sorted = [...points].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i += 1) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j += 1;
    const hex = (n) => n.toString(16).toUpperCase();
    parts.push(i === j ? `U+${hex(sorted[i])}` : `U+${hex(sorted[i])}-${hex(sorted[j])}`);
    i = j;
  }
  return parts.join(',');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const full = readFileSync(SOURCE);
  const all = [...await cmap(full)];
  const used = await usedCodePoints();
  mkdirSync(OUT, { recursive: true });
  copyFileSync(SOURCE, `${OUT}STIXTwoMath.woff2`);
  copyFileSync(`${PACKAGE}LICENSE`, `${OUT}LICENSE`);
  const face = (file, points) => `@font-face{font-family:"${FAMILY}";font-style:normal;font-weight:400;font-display:block;`
    + `src:url(${file}) format("woff2");unicode-range:${unicodeRange(points)}}\n`;
  // Each subset, and what it holds read back (harfbuzz keeps every character of a kept glyph);
  // the next one takes only what the earlier ones do not hold.
  const taken = new Set();
  const faces = [];
  const sizes = [];
  const cuts = [['STIXTwoMath-first.woff2', used.first], ['STIXTwoMath-rest.woff2', used.rest], ['STIXTwoMath-more.woff2', new Set(BASICS)]];
  for (const [file, wanted] of cuts) {
    const points = all.filter((p) => wanted.has(p) && !taken.has(p));
    const bytes = await subsetFont(full, String.fromCodePoint(...points), { targetFormat: 'woff2' });
    writeFileSync(`${OUT}${file}`, bytes);
    const held = [...await cmap(bytes)].filter((p) => !taken.has(p));
    for (const p of held) taken.add(p);
    faces.push(face(file, held));
    sizes.push(`${file} ${held.length} characters, ${bytes.length} B`);
  }
  // Last declared, first tried: the first subset goes last; the full font first.
  const css = `/* Generated by tools/subset-math-font.mjs: do not edit. STIX Two Math, SIL Open Font License (LICENSE). */\n`
    + face('STIXTwoMath.woff2', all.filter((p) => !taken.has(p))) + faces.reverse().join('');
  writeFileSync(`${OUT}math.css.tmp`, css);
  renameSync(`${OUT}math.css.tmp`, `${OUT}math.css`);
  console.log(`www/vendor/math/: ${sizes.join('; ')} (the full font: ${full.length} B)`);
}
