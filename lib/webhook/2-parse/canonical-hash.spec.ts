import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { canonicalHash } from './canonical-hash.js';

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

describe('canonicalHash', () => {
  it('hashes JSON with sorted keys', () => {
    expect(canonicalHash({ b: [1, 'x', null, true], a: { d: 1.5, c: false } })).toBe(
      sha1('{"a":{"c":false,"d":1.5},"b":[1,"x",null,true]}'),
    );
    expect(canonicalHash('é/"')).toBe(sha1(JSON.stringify('é/"')));
    expect(canonicalHash([])).toBe(sha1('[]'));
    expect(canonicalHash({})).toBe(sha1('{}'));
  });

  it('does not depend on key order but on every value', () => {
    expect(canonicalHash({ x: 1, y: { p: 1, q: 2 } })).toBe(
      canonicalHash({ y: { q: 2, p: 1 }, x: 1 }),
    );
    expect(canonicalHash({ x: 1 })).not.toBe(canonicalHash({ x: 2 }));
    expect(canonicalHash(['a,b'])).not.toBe(canonicalHash(['a', 'b']));
  });

  it('hashes long values in chunks like one string', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ i, s: 'abcdefgh' }));
    expect(canonicalHash(big)).toBe(sha1(JSON.stringify(big)));
  });

  it('gives up on cyclic values instead of looping forever', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(canonicalHash(cyclic)).toBeUndefined();
  });
});
