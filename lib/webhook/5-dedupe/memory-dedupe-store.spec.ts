import { describe, expect, it } from '@jest/globals';
import {
  type DedupeWindowShortfall,
  MemoryDedupeStore,
  SHORT_WINDOW_REPORT_INTERVAL_MS,
} from './memory-dedupe-store.js';

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

  it('keeps every key for minWindowMs while the cap allows, and memory follows the traffic', () => {
    const { now, advance } = clock();
    const shortfalls: DedupeWindowShortfall[] = [];
    // A 60 s window and a cap of 2000 keys: up to 1000 claims a minute fit. Here 600 a minute: 300
    // new keys and 300 duplicates, each moved into the current generation.
    const store = new MemoryDedupeStore({
      maxEntries: 2000,
      minWindowMs: 60_000,
      now,
      onShortWindow: (s) => shortfalls.push(s),
    });
    const week = 7 * 24 * 3600 * 1000;
    let maxSize = 0;
    for (let i = 0; i < 5 * 600; i++) {
      // 10 minutes at one claim every 200 ms; each key is met again 59.8 s after its claim.
      expect(store.claimSync(`m:${i}`, week)).toBe(true);
      if (i >= 299) expect(store.claimSync(`m:${i - 299}`, week)).toBe(false);
      maxSize = Math.max(maxSize, store.size);
      advance(200);
    }
    expect(shortfalls).toEqual([]);
    // Rotations by time: two generations of at most a minute of claims each (600), not the cap.
    expect(maxSize).toBeLessThanOrEqual(2 * 600);
    expect(store.windowMs).toBeGreaterThanOrEqual(60_000);
  });

  it('forgets a key between minWindowMs and twice that after its claim', () => {
    const { now, advance } = clock();
    const store = new MemoryDedupeStore({ maxEntries: 1000, minWindowMs: 60_000, now });
    store.claimSync('m:a', 3_600_000);
    advance(59_999);
    expect(store.claimSync('m:b', 3_600_000)).toBe(true);
    expect(store.claimSync('m:a', 3_600_000)).toBe(false); // 59.999 s: remembered (and moved forward)
    advance(1);
    store.claimSync('m:c', 3_600_000); // rotation by time: [a, b] is the older generation now
    advance(119_999);
    expect(store.claimSync('m:b', 3_600_000)).toBe(true); // 180 s > 2 × 60 s: forgotten
  });

  it('reports when the cap forgets keys younger than minWindowMs, at most once per 10 minutes', () => {
    const { now, advance } = clock();
    const shortfalls: DedupeWindowShortfall[] = [];
    // 10 claims/s into a cap of 100: a generation of 50 keys fills in 5 s, far below 60 s.
    const store = new MemoryDedupeStore({
      maxEntries: 100,
      minWindowMs: 60_000,
      now,
      onShortWindow: (s) => shortfalls.push(s),
    });
    const claimFor = (seconds: number): void => {
      for (let i = 0; i < seconds * 10; i++) {
        store.claimSync(`m:${now()}`, 3_600_000);
        advance(100);
      }
    };
    claimFor(5);
    expect(shortfalls).toEqual([
      { windowMs: 4_900, minWindowMs: 60_000, claimsPerSecond: 10, maxEntries: 100 },
    ]);
    claimFor(SHORT_WINDOW_REPORT_INTERVAL_MS / 1000 - 5);
    expect(shortfalls).toHaveLength(1); // rate-limited: 119 more forced rotations said nothing
    claimFor(5);
    expect(shortfalls).toHaveLength(2);
    expect(shortfalls[1]).toMatchObject({ windowMs: 5_000, claimsPerSecond: 10 });
    // The window in effect is the cap's (5 to 10 s of claims), and the cap holds.
    expect(store.size).toBeLessThanOrEqual(100);
    expect(store.windowMs).toBeLessThan(10_000);
  });

  it('a report that throws does not fail the claim', () => {
    const store = new MemoryDedupeStore({
      maxEntries: 4,
      onShortWindow: () => {
        throw new Error('logger down');
      },
    });
    expect(store.claimSync('m:a', 60_000)).toBe(true);
    expect(store.claimSync('m:b', 60_000)).toBe(true);
    expect(store.claimSync('m:a', 60_000)).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('refuses minWindowMs %p', (minWindowMs) => {
    expect(() => new MemoryDedupeStore({ maxEntries: 10, minWindowMs })).toThrow(
      /minWindowMs must be a positive integer/,
    );
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('refuses maxEntries %p', (maxEntries) => {
    expect(() => new MemoryDedupeStore({ maxEntries })).toThrow(
      /maxEntries must be a positive integer/,
    );
  });
});
