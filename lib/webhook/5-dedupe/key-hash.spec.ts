import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { hashKey, type KeyHash } from './key-hash.js';

const hashOf = (key: string): string => {
  const out: KeyHash = { hi: 0, lo: 0 };
  hashKey(key, out);
  return `${out.hi}:${out.lo}`;
};

describe('hashKey', () => {
  it('gives two unsigned 32-bit halves, the same for equal keys however they were built', () => {
    const out: KeyHash = { hi: 0, lo: 0 };
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (key) => {
        hashKey(key, out);
        expect(Number.isInteger(out.hi) && out.hi >= 0 && out.hi < 2 ** 32).toBe(true);
        expect(Number.isInteger(out.lo) && out.lo >= 0 && out.lo < 2 ** 32).toBe(true);
        // A cons string (what the parser builds) hashes like the flat one.
        const half = key.length >> 1;
        expect(hashOf(`${key.slice(0, half)}${key.slice(half)}`)).toBe(hashOf(key));
      }),
      { seed: 16, numRuns: 2000 },
    );
  });

  it('tells apart keys that differ in one character, in length only, or in width only', () => {
    const base = 'm:wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQ0a1b2c3d4e5f0000000001AA=';
    const seen = new Set<string>([hashOf(base)]);
    for (let i = 0; i < base.length; i++) {
      for (const c of ['0', 'Z', '\u0000', '\u00ff', '\u0100', '\uffff']) {
        const variant = base.slice(0, i) + c + base.slice(i + 1);
        if (variant !== base) seen.add(hashOf(variant));
      }
    }
    const variants = new Set<string>();
    for (let i = 0; i < base.length; i++) {
      for (const c of ['0', 'Z', '\u0000', '\u00ff', '\u0100', '\uffff']) {
        variants.add(base.slice(0, i) + c + base.slice(i + 1));
      }
    }
    variants.add(base);
    expect(seen.size).toBe(variants.size);
    // Trailing NULs, the empty key, and a wide character whose low byte equals a narrow one.
    const edge = [
      '',
      '\u0000',
      '\u0000\u0000',
      'a',
      'a\u0000',
      'a\u0000\u0000\u0000',
      'a\u0100',
      'aA',
    ];
    expect(new Set(edge.map(hashOf)).size).toBe(edge.length);
  });

  it('has no collision among 300 000 sequential wamid-like keys, and long keys hash whole', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300_000; i++) {
      seen.add(
        hashOf(`m:wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQ0a1b2c${i.toString(36).padStart(10, '0')}AA=`),
      );
    }
    expect(seen.size).toBe(300_000);
    const long = 'x'.repeat(100_000);
    expect(hashOf(`${long}a`)).not.toBe(hashOf(`${long}b`));
    expect(hashOf(`a${long}`)).not.toBe(hashOf(`b${long}`));
  });
});
