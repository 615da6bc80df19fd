// A small seeded generator (mulberry32): uniform numbers in [0, 1), the same sequence for the
// same seed, so random tests and benchmark data can be replayed. Used under Node and, through
// the benchmark page (served from the repository root), in the browser.

/** A generator of uniform numbers in [0, 1) from a 32-bit `seed`. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
