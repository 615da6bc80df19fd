// The page's maths is MathML, typeset by KaTeX (output: 'mathml') and drawn by the browser with
// the OpenType math font of vendor/math/ (STIX Two Math; tools/subset-math-font.mjs). Chromium,
// Firefox and WebKit lay MathML out natively: a formula is a few boxes, not KaTeX's HTML of
// absolutely and relatively positioned spans (tens of thousands over the chapter, each walked
// by every layout, paint and hover hit test of the page; tests/bench/frames-compare.js).
//
// What KaTeX's MathML leaves to MathML features that MathML Core (Chromium) does not have is
// mended here, the same way at build time (tools/prerender-tex.mjs, on the HTML string) and at
// run time (tex() in lib/i18n.js, on the DOM):
// - mathvariant="double-struck" etc.: the letters become the Unicode mathematical alphanumeric
//   characters (E → 𝔼), which every engine draws from the math font;
// - a function name (log, KL, Var): TeX sets a thin space on each side, MathML none (spacing
//   comes from operators only). The invisible "function application" operator KaTeX writes
//   after the name is marked with class "fn", and style.css spaces the name from it;
// - a minus or plus right after another operator (= −log p) is a sign: it is marked
//   form="prefix", or MathML spaces it as a binary minus;
// - columnalign and columnspacing of aligned/cases tables: style.css, by attribute selectors.

/** KaTeX's options for every formula of the page. */
export const TEX_OPTIONS = Object.freeze({ throwOnError: false, output: 'mathml' });

// Variant → [first of A–Z, first of a–z, first of 0–9 or 0] in Unicode's Mathematical
// Alphanumeric Symbols block (U+1D400…), and the letters that sit elsewhere (Letterlike Symbols).
const VARIANTS = {
  bold: [0x1d400, 0x1d41a, 0x1d7ce],
  italic: [0x1d434, 0x1d44e, 0],
  'bold-italic': [0x1d468, 0x1d482, 0],
  script: [0x1d49c, 0x1d4b6, 0],
  'bold-script': [0x1d4d0, 0x1d4ea, 0],
  fraktur: [0x1d504, 0x1d51e, 0],
  'double-struck': [0x1d538, 0x1d552, 0x1d7d8],
  'bold-fraktur': [0x1d56c, 0x1d586, 0],
  'sans-serif': [0x1d5a0, 0x1d5ba, 0x1d7e2],
  'bold-sans-serif': [0x1d5d4, 0x1d5ee, 0x1d7ec],
  'sans-serif-italic': [0x1d608, 0x1d622, 0],
  'sans-serif-bold-italic': [0x1d63c, 0x1d656, 0],
  monospace: [0x1d670, 0x1d68a, 0x1d7f6],
};
const HOLES = {
  italic: { h: 0x210e },
  script: {
    B: 0x212c, E: 0x2130, F: 0x2131, H: 0x210b, I: 0x2110, L: 0x2112, M: 0x2133, R: 0x211b, e: 0x212f, g: 0x210a, o: 0x2134,
  },
  fraktur: { C: 0x212d, H: 0x210c, I: 0x2111, R: 0x211c, Z: 0x2128 },
  'double-struck': { C: 0x2102, H: 0x210d, N: 0x2115, P: 0x2119, Q: 0x211a, R: 0x211d, Z: 0x2124 },
};

/**
 * `text` in mathvariant `variant`: each Latin letter (and digit, where the variant has digits)
 * as its mathematical alphanumeric character; any other character, and text in a variant not
 * listed ('normal' among them), unchanged.
 */
export function variantText(variant, text) {
  const base = VARIANTS[variant];
  if (!base) return text;
  const holes = HOLES[variant] ?? {};
  let out = '';
  for (const c of text) {
    const p = c.codePointAt(0);
    if (holes[c]) out += String.fromCodePoint(holes[c]);
    else if (p >= 0x41 && p <= 0x5a) out += String.fromCodePoint(base[0] + p - 0x41);
    else if (p >= 0x61 && p <= 0x7a) out += String.fromCodePoint(base[1] + p - 0x61);
    else if (p >= 0x30 && p <= 0x39 && base[2]) out += String.fromCodePoint(base[2] + p - 0x30);
    else out += c;
  }
  return out;
}

// The italic letters outside the runs of mathItalic(): dotless i and j, the Greek symbol forms, ∂, ∇.
const ITALIC_OTHERS = {
  '\u0131': 0x1d6a4, '\u0237': 0x1d6a5, '\u2202': 0x1d715, '\u2207': 0x1d6fb,
  '\u03f5': 0x1d716, '\u03d1': 0x1d717, '\u03f0': 0x1d718, '\u03d5': 0x1d719,
  '\u03f1': 0x1d71a, '\u03d6': 0x1d71b, '\u03f4': 0x1d6f3,
};

/**
 * The character MathML draws a one-letter identifier (<mi>c</mi>) with: its mathematical
 * italic letter (text-transform: math-auto) for Latin and Greek letters, else `c` itself.
 * The font subsets must hold these (tools/subset-math-font.mjs).
 */
export function mathItalic(c) {
  const p = c.codePointAt(0);
  if (c === 'h') return '\u210e';
  if (Object.hasOwn(ITALIC_OTHERS, c)) return String.fromCodePoint(ITALIC_OTHERS[c]);
  if (p >= 0x61 && p <= 0x7a) return String.fromCodePoint(0x1d44e + p - 0x61);
  if (p >= 0x41 && p <= 0x5a) return String.fromCodePoint(0x1d434 + p - 0x41);
  if (p >= 0x3b1 && p <= 0x3c9) return String.fromCodePoint(0x1d6fc + p - 0x3b1);
  if (p >= 0x391 && p <= 0x3a9 && p !== 0x3a2) return String.fromCodePoint(0x1d6e2 + p - 0x391);
  return c;
}

/**
 * Whether a token of mathvariant `variant` holding `text` is spelled out by variantText(): a
 * variant it knows, on Latin letters and digits only (anything else, e.g. bold Greek, keeps its
 * attribute, which Firefox and WebKit still draw).
 */
const spelled = (variant, text) => Object.hasOwn(VARIANTS, variant) && /^[A-Za-z0-9]+$/.test(text);

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const APPLY = '\u2061'; // the invisible "function application" operator
const SIGNS = new Set(['\u2212', '+', '\u00b1']);
// Operators after which a sign is still binary: closing fences and bars.
const CLOSING = new Set([')', ']', '}', '|', '\u2225', '\u27e9', '\u230b', '\u2309']);

/** Whether an `<mo>` holding `sign` right after an `<mo>` holding `before` is a sign (prefix). */
const isPrefix = (sign, before) => SIGNS.has(sign) && !CLOSING.has(before);

/**
 * KaTeX's MathML string `html`, mended (above): the build's form of mendTree(). KaTeX puts
 * mathvariant on token elements holding text only, and writes a bare <mo> for the operators.
 */
export function mendString(html) {
  return html
    .replace(/<(mi|mn|mo|mtext)([^>]*?) mathvariant="([a-z-]+)"([^>]*)>([^<]*)<\/\1>/g,
      (whole, tag, pre, variant, post, text) => (spelled(variant, text)
        ? `<${tag}${pre}${post}>${variantText(variant, text)}</${tag}>` : whole))
    .replaceAll(`<mo>${APPLY}</mo>`, `<mo class="fn">${APPLY}</mo>`)
    .replace(/(?<=<mo[^>]*>([^<]*)<\/mo>)<mo>([^<]*)<\/mo>/g,
      (whole, before, sign) => (isPrefix(sign, before) ? `<mo form="prefix">${sign}</mo>` : whole));
}

const TOKENS = new Set(['mi', 'mn', 'mo', 'mtext', 'ms', 'annotation']);

/**
 * The same as mendString(), on the typeset DOM under `root` (run-time formulas). Also: KaTeX's
 * DOM builder writes a space such as \, as a bare text node where its string has <mtext>, and
 * MathML draws no text outside a token element: each is put in an <mtext>, as in the string.
 */
export function mendTree(root) {
  const bare = [];
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent?.namespaceURI === MATHML && !TOKENS.has(parent.localName)) bare.push(node);
  }
  for (const node of bare) {
    const text = root.ownerDocument.createElementNS(MATHML, 'mtext');
    node.replaceWith(text);
    text.append(node);
  }
  for (const el of root.querySelectorAll('[mathvariant]')) {
    const variant = el.getAttribute('mathvariant');
    if (el.children.length || !spelled(variant, el.textContent)) continue;
    el.textContent = variantText(variant, el.textContent);
    el.removeAttribute('mathvariant');
  }
  for (const mo of root.querySelectorAll('mo')) {
    if (mo.textContent === APPLY && !mo.attributes.length) mo.setAttribute('class', 'fn');
    const before = mo.previousElementSibling;
    if (before?.localName === 'mo' && !mo.attributes.length && isPrefix(mo.textContent, before.textContent)) {
      mo.setAttribute('form', 'prefix');
    }
  }
}
