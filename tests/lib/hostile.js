// Hostile query strings and fragments: none may run script, break the page or keep the widgets
// from rendering (tests/offline.test.js in Chromium, tests/engines.test.js in Firefox and WebKit;
// HOSTILE on embed.html, CHAPTER_HOSTILE on the chapter).

/** Each payload, if it ever ran, would open a dialog or set window.__pwned. */
export const TRAP = 'window.__pwned=1;alert(1)';

export const HOSTILE = [
  `?lang=<script>${TRAP}</script>`,
  '?lang=javascript:alert(1)',
  `?widget=%3Cimg%20src=x%20onerror=${encodeURIComponent(TRAP)}%3E`,
  `?lang=%22%3E%3Cimg%20src=x%20onerror=${encodeURIComponent(TRAP)}%3E`,
  '?p=1e309', '?p=NaN', '?p1=-Infinity&p2=1e309', '?q=-Infinity', '?theta=NaN&heads=1e309&tails=-1',
  `?x=${'A'.repeat(10000)}`,
  '?lang=zh%00', '?lang=%E2%80%AEzh', '?lang=ZH', '?lang=zh&lang=<marquee>x</marquee>', '?lang=__proto__', '?lang=constructor',
  '?unit=__proto__&seed=9e999', '?%00=%00', '?lang=%', '?lang=%ZZ',
  '#<script>alert(1)</script>', `#"><img src=x onerror="${TRAP}">`, '#javascript:alert(1)', '#%00',
];

/**
 * The hostile URLs for the whole chapter (index.html), in every engine. The list above runs on
 * embed.html, whose page reads the same parameters through the same code (the language, every
 * widget's key); the chapter adds its own readers (the #fragment it scrolls to, the lesson and
 * exercise links, <html lang>), so these load the whole chapter: a widget key and the language
 * with markup, lesson and exercise links with markup and at length, and the fragments.
 */
export const CHAPTER_HOSTILE = [
  HOSTILE[0],
  `?lang=%22%3E%3Cimg%20src=x%20onerror=${encodeURIComponent(TRAP)}%3E&entropy=%3Cscript%3E${encodeURIComponent(TRAP)}%3C/script%3E`,
  `?lesson=%3Cimg%20src=x%20onerror=${encodeURIComponent(TRAP)}%3E&ex=%3Cscript%3E${encodeURIComponent(TRAP)}%3C/script%3E`,
  `?ex=__proto__&lesson=${'A'.repeat(10000)}`,
  ...HOSTILE.filter((p) => p.startsWith('#')),
];
