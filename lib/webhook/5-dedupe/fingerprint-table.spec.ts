import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FingerprintTable } from './fingerprint-table.js';

describe('FingerprintTable', () => {
  it.each([1, 2, 3, 7, 937_500, 2 ** 21 - 1, 2 ** 21, 402_653_185])(
    'home() stays below the capacity (%p) for every hash, the largest included',
    (capacity) => {
      // Not allocated: home() only reads `capacity`.
      const table = Object.create(FingerprintTable.prototype) as FingerprintTable;
      Object.defineProperty(table, 'capacity', { value: capacity });
      for (const hi of [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1]) {
        const home = table.home(hi);
        expect(Number.isInteger(home)).toBe(true);
        expect(home).toBeGreaterThanOrEqual(0);
        expect(home).toBeLessThan(capacity);
      }
      expect(table.home(2 ** 32 - 1)).toBe(capacity - 1);
    },
  );

  it('matches a Map under inserts and deletes that crowd a few homes and wrap around', () => {
    // Hashes whose `hi` lands on one of 5 homes of a 7-slot table (several per home: `lo` differs):
    // long runs, runs that meet, wrap-around, and deletions that must move entries back across the
    // end of the array, or leave an entry that sits at its home where it is.
    const capacity = 7;
    const his = [0, 1, 3, 5, 6].map((home) => Math.ceil((home * 2 ** 32) / capacity));
    const op = fc.oneof(
      fc.record({ del: fc.constant(false), hi: fc.constantFrom(...his), lo: fc.nat(5) }),
      fc.record({ del: fc.constant(true), hi: fc.constantFrom(...his), lo: fc.nat(5) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const table = FingerprintTable.pair(capacity)[1];
        const model = new Map<string, number>();
        let expiry = 0;
        expect(his.map((hi) => table.home(hi))).toEqual([0, 1, 3, 5, 6]);
        for (const { del, hi, lo } of ops) {
          const at = table.find(hi, lo, table.home(hi));
          const key = `${hi}/${lo}`;
          expect(at >= 0).toBe(model.has(key));
          if (del) {
            if (at >= 0) table.deleteAt(at);
            model.delete(key);
          } else if (at < 0 && model.size < capacity - 1) {
            table.insertAt(-1 - at, hi, lo, ++expiry);
            model.set(key, expiry);
          }
          expect(table.count).toBe(model.size);
          for (const [k, e] of model) {
            const [h, l] = k.split('/').map(Number);
            const found = table.find(h, l, table.home(h));
            expect(found).toBeGreaterThanOrEqual(0);
            expect(table.expiryAt(found)).toBe(e);
          }
        }
      }),
      { seed: 16, numRuns: 2000 },
    );
  });

  it('clear() empties every slot at once, and still does after the tags wrap', () => {
    const table = FingerprintTable.pair(5)[0];
    const week = 7 * 24 * 3600;
    // Each round fills the table with week-long expiries; ~5 000 clears pass 2^32 and zero the array.
    for (let round = 0; round < 6000; round++) {
      const now = round * 10;
      table.clear(now);
      for (let k = 0; k < 4; k++) {
        const hi = (k * 0x40000000) >>> 0;
        expect(table.find(hi, round, table.home(hi))).toBeLessThan(0);
        table.insertAt(-1 - table.find(hi, round, table.home(hi)), hi, round, now + week);
      }
      for (let k = 0; k < 4; k++) {
        const hi = (k * 0x40000000) >>> 0;
        const at = table.find(hi, round, table.home(hi));
        expect(table.isLive(at, now + week - 1)).toBe(true);
        expect(table.isLive(at, now + week)).toBe(false);
      }
    }
    expect(table.floor).toBeLessThan(2 ** 32);
  });
});
