import { describe, expect, it } from '@jest/globals';
import type { DedupeStore } from '../types/ports/dedupe-store.js';
import { dedupeWindowWarnings } from './dedupe-window-warnings.js';
import { OPTION_DEFAULTS } from './resolve-options.js';

const defaults = { ...OPTION_DEFAULTS.dedupe };
const shared: DedupeStore = {
  claim: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};

describe('dedupeWindowWarnings', () => {
  it('has nothing to say about the defaults, with or without a shared store', () => {
    expect(dedupeWindowWarnings(defaults)).toEqual([]);
    expect(dedupeWindowWarnings({ ...defaults, store: shared })).toEqual([]);
  });

  it('warns when the TTL is shorter than the window, naming both in seconds', () => {
    expect(dedupeWindowWarnings({ ...defaults, ttlMs: 300_000 })).toEqual([
      expect.stringMatching(
        /dedupe\.ttlMs \(300 s\) is shorter than dedupe\.minWindowMs \(600 s\)/,
      ),
    ]);
  });

  it("warns when the window is below Meta's early redeliveries, for any store", () => {
    const warnings = dedupeWindowWarnings({ ...defaults, store: shared, ttlMs: 20_000 });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toMatch(/window \(20 s\) is below Meta's early redeliveries/);
    expect(dedupeWindowWarnings({ ...defaults, minWindowMs: 30_000 })).toEqual([
      expect.stringMatching(/window \(30 s\)/),
    ]);
  });

  it('warns when the in-memory cap keeps the window only at a low rate, and says what it holds', () => {
    // The old default: 100 000 keys keep 10 minutes only up to 83 updates/s.
    expect(dedupeWindowWarnings({ ...defaults, maxEntries: 100_000 })).toEqual([
      expect.stringMatching(
        /maxEntries \(100000\) keeps dedupe\.minWindowMs \(600 s\) only up to 83 updates\/s.*120000 keys/,
      ),
    ]);
    // A shared store has no such cap.
    expect(dedupeWindowWarnings({ ...defaults, maxEntries: 100_000, store: shared })).toEqual([]);
    // A shorter window needs fewer keys.
    expect(
      dedupeWindowWarnings({ ...defaults, maxEntries: 100_000, minWindowMs: 120_000 }),
    ).toEqual([]);
  });
});
