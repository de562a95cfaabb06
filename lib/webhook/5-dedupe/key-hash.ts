/** The 64-bit hash of a key, as two unsigned 32-bit halves (written in place: no allocation per key). */
export interface KeyHash {
  hi: number;
  lo: number;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's 32-bit finaliser: every input bit flips about half of the output bits. */
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Hashes `key` into `out` (64 bits): MurmurHash3-style word mixing feeding two 32-bit lanes with
 * different seeds and rotations, each finalised, then crossed. Not cryptographic: keys come from
 * signed webhook bodies (only Meta can choose them), so a collision is chance, not an attack.
 *
 * Streams over the string (no copy, no concatenation). Keys whose characters are all below 256
 * (every wamid, status and event key) pack four characters per 32-bit word; a key with a wider
 * character is hashed again two characters per word, with a different seed, so the two encodings
 * cannot meet.
 */
export function hashKey(key: string, out: KeyHash): void {
  const n = key.length;
  let h1 = 0x9747b28c ^ n;
  let h2 = 0x5bd1e995 ^ n;
  let wide = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const c0 = key.charCodeAt(i);
    const c1 = key.charCodeAt(i + 1);
    const c2 = key.charCodeAt(i + 2);
    const c3 = key.charCodeAt(i + 3);
    wide |= c0 | c1 | c2 | c3;
    let k = Math.imul(c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h1 ^= k;
    h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    h2 ^= k;
    h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 9) + 0x7f4a7c15) | 0;
  }
  if (i < n) {
    let tail = 0;
    for (let shift = 0; i < n; i++, shift += 8) {
      const c = key.charCodeAt(i);
      wide |= c;
      tail |= c << shift;
    }
    let k = Math.imul(tail, C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h1 ^= k;
    h2 ^= k;
  }
  if (wide > 0xff) {
    hashWide(key, out);
    return;
  }
  finish(h1, h2, out);
}

/** The rare path: a key with a character ≥ 256, two UTF-16 code units per word. */
function hashWide(key: string, out: KeyHash): void {
  const n = key.length;
  let h1 = 0x3c6ef372 ^ n;
  let h2 = 0xa54ff53a ^ n;
  for (let i = 0; i < n; i += 2) {
    const word = key.charCodeAt(i) | (i + 1 < n ? key.charCodeAt(i + 1) << 16 : 0);
    let k = Math.imul(word, C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h1 ^= k;
    h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0;
    h2 ^= k;
    h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 9) + 0x7f4a7c15) | 0;
  }
  finish(h1, h2, out);
}

function finish(h1: number, h2: number, out: KeyHash): void {
  h1 = fmix(h1);
  h2 = fmix(h2 ^ h1);
  out.hi = (h1 ^ h2) >>> 0;
  out.lo = h2 >>> 0;
}
