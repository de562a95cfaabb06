import { describe, expect, it } from '@jest/globals';
import { OPTION_DEFAULTS } from '../../options/resolve-options.js';
import type { DedupeStore } from '../../types/ports/dedupe-store.js';
import { createDedupeStore } from './create-dedupe-store.js';
import { MemoryDedupeStore } from './memory-dedupe-store.js';

function clock(start = 1_767_611_200_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function memoryStore(store: DedupeStore | null): MemoryDedupeStore {
  if (!(store instanceof MemoryDedupeStore)) throw new Error('expected the in-memory store');
  return store;
}

/** Claims `count` new keys `m:0`, `m:1`..., `perMs` of them each millisecond of the store's clock. */
function claimAt(
  store: MemoryDedupeStore,
  advance: (ms: number) => void,
  perMs: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) {
    store.claimSync(`m:${i}`, OPTION_DEFAULTS.dedupe.ttlMs);
    if (i % perMs === perMs - 1) advance(1);
  }
}

describe('createDedupeStore', () => {
  it('is null when de-duplication is off, and the given store when there is one', () => {
    const shared: DedupeStore = {
      claim: () => Promise.resolve(true),
      release: () => Promise.resolve(),
    };
    expect(createDedupeStore(false)).toBeNull();
    expect(createDedupeStore({ ...OPTION_DEFAULTS.dedupe, store: shared })).toBe(shared);
  });

  it('with the defaults, keeps every update for 10 minutes at 1 000 updates/s, silently', () => {
    const { now, advance } = clock();
    const warnings: string[] = [];
    const store = memoryStore(
      createDedupeStore({ ...OPTION_DEFAULTS.dedupe }, { warn: (m) => warnings.push(m) }, now),
    );
    // 11 minutes at 1 000 updates/s; then the update of the first second of minute 1 is 10 min old.
    claimAt(store, advance, 1, 660_000);
    expect(store.claimSync('m:60000', OPTION_DEFAULTS.dedupe.ttlMs)).toBe(false);
    expect(store.windowMs).toBeGreaterThanOrEqual(600_000);
    expect(warnings).toEqual([]);
  });

  it('at 10 000 updates/s the default cap holds 62.5 s, and says so with the window and the rate', () => {
    const { now, advance } = clock();
    const warnings: string[] = [];
    const store = memoryStore(
      createDedupeStore({ ...OPTION_DEFAULTS.dedupe }, { warn: (m) => warnings.push(m) }, now),
    );
    claimAt(store, advance, 10, 700_000);
    expect(warnings).toEqual([
      expect.stringMatching(
        /at 10000 updates\/s the in-memory store reached its cap \(maxEntries 1250000\) and now remembers only the last 62\.5 s of handled updates \(wanted 600 s\)/,
      ),
    ]);
    expect(store.size).toBeLessThanOrEqual(OPTION_DEFAULTS.dedupe.maxEntries);
  });

  it('warns at startup about options that cannot give the window', () => {
    const warnings: string[] = [];
    createDedupeStore(
      { ...OPTION_DEFAULTS.dedupe, maxEntries: 100_000 },
      { warn: (m) => warnings.push(m) },
    );
    expect(warnings).toEqual([expect.stringMatching(/only up to 83 updates\/s/)]);
  });
});
