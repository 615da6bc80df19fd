// Build step (Makefile): copies wasm-bindgen's JS glue (pkg/elbo_lab.js) into the served
// folder without its JSDoc blocks. wasm-bindgen copies every Rust doc comment of the API into
// the glue: 40% of its bytes, half of its gzip size, and useless to the page (pkg/elbo_lab.js
// and pkg/elbo_lab.d.ts keep them for readers of the API). Only whole-line blocks are removed:
// a line that starts with /** and the lines up to the one that ends with */, each of which
// must start with * as wasm-bindgen writes them; anything else stops the build.
// Usage: node tools/strip-jsdoc.mjs <in.js> <out.js>
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** `source` without its whole-line JSDoc blocks; throws on a block it does not recognise. */
export function stripJsdoc(source) {
  const out = [];
  let inBlock = false;
  for (const [i, line] of source.split('\n').entries()) {
    const s = line.trim();
    if (!inBlock && s.startsWith('/**')) {
      inBlock = !s.endsWith('*/') || s === '/**';
      continue;
    }
    if (inBlock) {
      if (!s.startsWith('*')) throw new Error(`line ${i + 1}: a JSDoc block line that does not start with *: ${s}`);
      if (s.endsWith('*/')) inBlock = false;
      continue;
    }
    out.push(line);
  }
  if (inBlock) throw new Error('a JSDoc block is not closed');
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [input, output] = process.argv.slice(2);
  const source = readFileSync(input, 'utf8');
  const stripped = stripJsdoc(source);
  writeFileSync(`${output}.tmp`, stripped);
  renameSync(`${output}.tmp`, output);
  console.log(`${output}: ${source.length} → ${stripped.length} bytes (JSDoc removed)`);
}
