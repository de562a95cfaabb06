import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonErrorOffset } from './json-error-offset.js';

describe('jsonErrorOffset', () => {
  it('points at the first bad character', () => {
    expect(jsonErrorOffset('{\n  "a": [,]\n}')).toBe(10);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{} x')).toBe(3);
    expect(jsonErrorOffset('"\\x"')).toBe(1);
    expect(jsonErrorOffset('['.repeat(10_000))).toBeGreaterThan(0);
  });

  it('agrees with JSON.parse on whether text is JSON (fuzzed)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        return (jsonErrorOffset(text) === undefined) === parses;
      }),
      { numRuns: 2000 },
    );
  });
});
