// Build step (Makefile, after tools/prerender-tex.mjs): KaTeX's fonts cut down to the characters
// the page's formulas use, with the full fonts kept as a fallback.
//
// The characters: every one drawn by a formula the build typeset (www/tex/**: the strings' and
// index.html's maths, the derivation's lines, both languages), plus the digits. For each KaTeX
// font, fonts/subset/<name>.woff2 holds the glyphs of those characters that the font has, and
// www/vendor/katex/katex.min.css (rewritten from KaTeX's own) declares two faces per font under
// its family: the subset, with unicode-range = exactly the characters it holds, and the full font, with
// unicode-range = the font's other characters. A browser downloads a face only to draw a
// character in its range, so the page fetches only subsets; a character of the font outside
// them (maths KaTeX typesets at run time with a new symbol) fetches the full font then: never a
// missing glyph. A character the font lacks (the MathML copy's invisible operators, Chinese in
// \text{}) is in neither range and goes to the next family without a download, as before.
// Usage: node tools/subset-katex-fonts.mjs
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Blob, Face } from 'harfbuzzjs';
import fontverter from 'fontverter';
import subsetFont from 'subset-font';

const WWW = fileURLToPath(new URL('../www/', import.meta.url));
const KATEX = `${WWW}vendor/katex/`;
const SOURCE_CSS = fileURLToPath(new URL('../node_modules/katex/dist/katex.min.css', import.meta.url));

/** The Unicode code points in the cmap of font file `bytes` (woff2, woff or sfnt). */
export async function cmap(bytes) {
  const sfnt = await fontverter.convert(bytes, 'truetype');
  return new Set(new Face(new Blob(sfnt), 0).collectUnicodes());
}

/** The text KaTeX draws in typeset HTML `html` (its MathML copy, read aloud, left out). */
function drawnText(html) {
  return html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, '').replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#x27|#39);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#39': "'" })[e]);
}

/** Every code point drawn by the build's typeset formulas (www/tex/**), and the digits. */
async function usedCodePoints() {
  const files = [];
  for (const entry of readdirSync(`${WWW}tex`, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.js')) files.push(`${entry.parentPath ?? entry.path}/${entry.name}`);
  }
  const used = new Set([...'0123456789'].map((c) => c.codePointAt(0)));
  for (const file of files) {
    for (const html of Object.values((await import(pathToFileURL(file).href)).default)) {
      for (const c of drawnText(html)) used.add(c.codePointAt(0));
    }
  }
  return used;
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
  const used = await usedCodePoints();
  mkdirSync(`${KATEX}fonts/subset`, { recursive: true });
  let before = 0;
  let after = 0;
  // Each full @font-face of KaTeX's CSS, followed by its subset's.
  const css = readFileSync(SOURCE_CSS, 'utf8');
  const faces = [...css.matchAll(/@font-face\{[^}]*url\(fonts\/(KaTeX_[A-Za-z0-9-]+)\.woff2\)[^}]*\}/g)];
  let out = css;
  for (const [face, name] of faces) {
    const full = readFileSync(`${KATEX}fonts/${name}.woff2`);
    const all = [...await cmap(full)];
    const points = all.filter((p) => used.has(p));
    if (points.length === 0) continue; // no formula draws with it: the full face alone
    const subset = await subsetFont(full, String.fromCodePoint(...points), { targetFormat: 'woff2' });
    writeFileSync(`${KATEX}fonts/subset/${name}.woff2`, subset);
    // What the subset holds, read back: harfbuzz keeps every character of a kept glyph.
    const held = await cmap(subset);
    const ranged = (css, points) => css.replace(/\}$/, `;unicode-range:${unicodeRange(points)}}`);
    const rest = all.filter((p) => !held.has(p));
    const declared = ranged(face.replace(/src:[^;}]*/, `src:url(fonts/subset/${name}.woff2) format("woff2")`), held);
    out = out.replace(face, () => `${rest.length ? ranged(face, rest) : ''}${declared}`);
    before += full.length;
    after += subset.length;
  }
  writeFileSync(`${KATEX}katex.min.css.tmp`, out);
  renameSync(`${KATEX}katex.min.css.tmp`, `${KATEX}katex.min.css`);
  console.log(`www/vendor/katex/fonts/subset/: ${used.size} characters; ${faces.length} fonts, ${before} → ${after} bytes for the subset ones`);
}
