import { describe, expect, it } from '@jest/globals';
import { MemoryDedupeStore } from './memory-dedupe-store.js';

function clock(start = 1_767_611_200_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('MemoryDedupeStore', () => {
  it('claims a key once, then reports duplicates', async () => {
    const store = new MemoryDedupeStore({ maxEntries: 10 });
    expect(await store.claim('m:a', 60_000)).toBe(true);
    expect(await store.claim('m:a', 60_000)).toBe(false);
    expect(await store.claim('m:b', 60_000)).toBe(true);
    expect(store.size).toBe(2);
  });

  it('gives exactly one of many concurrent claims of a key', async () => {
    const store = new MemoryDedupeStore({ maxEntries: 10 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => store.claim('s:x:read', 1000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lets a released key be claimed again', async () => {
    const store = new MemoryDedupeStore({ maxEntries: 10 });
    await store.claim('m:a', 60_000);
    await store.release('m:a');
    expect(store.size).toBe(0);
    expect(await store.claim('m:a', 60_000)).toBe(true);
    await store.release('m:never-claimed');
  });

  it('forgets a key when its TTL has passed (whole seconds, never early)', async () => {
    const { now, advance } = clock();
    const store = new MemoryDedupeStore({ maxEntries: 10, now });
    expect(await store.claim('m:a', 5_000)).toBe(true);
    advance(4_999);
    expect(await store.claim('m:a', 5_000)).toBe(false);
    advance(1);
    expect(await store.claim('m:a', 5_000)).toBe(true);
    // A TTL that is not a whole number of seconds is rounded up, never down.
    expect(await store.claim('m:b', 1_500)).toBe(true);
    advance(1_499);
    expect(await store.claim('m:b', 1_500)).toBe(false);
    advance(1_000);
    expect(await store.claim('m:b', 1_500)).toBe(true);
  });

  it('treats an expired key as new, also in the older generation', async () => {
    const { now, advance } = clock();
    const store = new MemoryDedupeStore({ maxEntries: 4, now });
    await store.claim('m:old', 1_000);
    await store.claim('m:x', 60_000); // current is full (2 keys): both move to the older generation
    advance(1_000);
    expect(await store.claim('m:old', 1_000)).toBe(true);
    expect(await store.claim('m:x', 60_000)).toBe(false);
  });

  it('does not remember a claim with a TTL that is not positive', async () => {
    const store = new MemoryDedupeStore({ maxEntries: 10, now: () => 0 });
    expect(await store.claim('m:a', 0)).toBe(true);
    expect(await store.claim('m:a', Number.NaN)).toBe(true);
    expect(await store.claim('m:a', -5)).toBe(true);
  });

  it('forgets the oldest generation at the cap, but keeps keys claimed again', async () => {
    const store = new MemoryDedupeStore({ maxEntries: 4 });
    await store.claim('m:1', 60_000);
    await store.claim('m:2', 60_000); // generation full: [1, 2] becomes the older one
    expect(await store.claim('m:1', 60_000)).toBe(false); // a duplicate: m:1 moves to the current one
    await store.claim('m:3', 60_000); // [1, 3] full: [2] is dropped
    await store.claim('m:4', 60_000);
    expect(store.size).toBeLessThanOrEqual(4);
    expect(await store.claim('m:1', 60_000)).toBe(false);
    expect(await store.claim('m:2', 60_000)).toBe(true);
  });

  it.each([1, 2, 3, 1000, 1001])(
    'never holds more than maxEntries (%p) keys and always remembers the last half',
    (maxEntries) => {
      const store = new MemoryDedupeStore({ maxEntries });
      for (let i = 0; i < 10 * maxEntries + 7; i++) {
        store.claimSync(`m:${i}`, 60_000);
        expect(store.size).toBeLessThanOrEqual(maxEntries);
      }
      const last = 10 * maxEntries + 6;
      for (let i = last; i > last - Math.ceil(maxEntries / 2); i--) {
        expect(store.claimSync(`m:${i}`, 60_000)).toBe(false);
      }
      expect(store.claimSync('m:0', 60_000)).toBe(true);
    },
  );

  it('releases a key from either generation', () => {
    const store = new MemoryDedupeStore({ maxEntries: 4 });
    store.claimSync('m:a', 60_000);
    store.claimSync('m:b', 60_000); // both in the older generation now
    store.claimSync('m:c', 60_000);
    store.releaseSync('m:a');
    store.releaseSync('m:c');
    expect(store.claimSync('m:b', 60_000)).toBe(false);
    expect(store.claimSync('m:a', 60_000)).toBe(true);
    expect(store.claimSync('m:c', 60_000)).toBe(true);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('refuses maxEntries %p', (maxEntries) => {
    expect(() => new MemoryDedupeStore({ maxEntries })).toThrow(
      /maxEntries must be a positive integer/,
    );
  });
});
