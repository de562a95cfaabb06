import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { type DedupeWindowShortfall, MemoryDedupeStore } from './memory-dedupe-store.js';

/**
 * The store's documented behaviour written with two `Map`s of string keys (the design it replaced),
 * as the reference for the fuzz below: generations, rotation by time and by count, moves forward,
 * whole-second expiry, release, and the short-window reports.
 */
class ReferenceStore {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private currentSince: number;
  private previousSince: number;
  private readonly epoch: number;
  private readonly generationSize: number;
  private lastReport: number | undefined;
  readonly reports: DedupeWindowShortfall[] = [];

  constructor(
    private readonly maxEntries: number,
    private readonly minWindowMs: number,
    private readonly now: () => number,
  ) {
    this.generationSize = Math.ceil(maxEntries / 2);
    this.epoch = now();
    this.currentSince = this.epoch;
    this.previousSince = this.epoch;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }

  get windowMs(): number {
    return this.now() - this.previousSince;
  }

  claim(key: string, ttlMs: number): boolean {
    const nowMs = this.now();
    if (nowMs - this.currentSince >= this.minWindowMs) this.rotate(nowMs);
    const now = Math.floor((nowMs - this.epoch) / 1000);
    const expiry = Math.ceil((nowMs - this.epoch + ttlMs) / 1000);
    const inCurrent = this.current.get(key);
    if (inCurrent !== undefined) {
      if (inCurrent > now) return false;
      if (ttlMs > 0) this.current.set(key, expiry);
      return true;
    }
    const inPrevious = this.previous.get(key);
    if (inPrevious !== undefined) {
      this.previous.delete(key);
      if (inPrevious > now) {
        this.insert(key, inPrevious, nowMs);
        return false;
      }
    }
    if (ttlMs > 0) this.insert(key, expiry, nowMs);
    return true;
  }

  release(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  private insert(key: string, expiry: number, nowMs: number): void {
    this.current.set(key, expiry);
    if (this.current.size < this.generationSize) return;
    const windowMs = nowMs - this.currentSince;
    if (windowMs < this.minWindowMs) {
      if (this.lastReport === undefined || nowMs - this.lastReport >= 600_000) {
        this.lastReport = nowMs;
        this.reports.push({
          windowMs,
          minWindowMs: this.minWindowMs,
          claimsPerSecond: Math.round((this.generationSize * 1000) / Math.max(windowMs, 1)),
          maxEntries: this.maxEntries,
        });
      }
    }
    this.rotate(nowMs);
  }

  private rotate(nowMs: number): void {
    this.previous = this.current;
    this.previousSince = this.currentSince;
    this.current = new Map();
    this.currentSince = nowMs;
  }
}

type Command =
  | { op: 'claim'; key: string; ttlMs: number }
  | { op: 'release'; key: string }
  | { op: 'advance'; ms: number };

// Few distinct keys, so that duplicates, moves forward and releases happen often; some long.
const key = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 20 }).map((i) => `m:${i}`) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }).map((i) => `s:${'w'.repeat(500)}${i}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('claim' as const),
      key,
      ttlMs: fc.constantFrom(1, 999, 1_000, 1_500, 5_000, 60_000, 604_800_000, 0, -5, Number.NaN),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), key }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.constantFrom(1, 250, 999, 1_000, 4_999, 30_000, 61_000, 700_000),
    }),
  },
);

describe('MemoryDedupeStore against a reference Map store (fast-check)', () => {
  it('answers every claim, size, window and report alike', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(1_000, 5_000, 60_000),
        fc.array(command, { minLength: 50, maxLength: 300 }),
        (maxEntries, minWindowMs, commands) => {
          let t = 1_767_611_200_123;
          const now = (): number => t;
          const reports: DedupeWindowShortfall[] = [];
          const store = new MemoryDedupeStore({
            maxEntries,
            minWindowMs,
            now,
            onShortWindow: (s) => reports.push(s),
          });
          const reference = new ReferenceStore(maxEntries, minWindowMs, now);
          for (const c of commands) {
            if (c.op === 'advance') t += c.ms;
            else if (c.op === 'release') {
              store.releaseSync(c.key);
              reference.release(c.key);
            } else {
              expect(store.claimSync(c.key, c.ttlMs)).toBe(reference.claim(c.key, c.ttlMs));
            }
            expect(store.size).toBe(reference.size);
            expect(store.size).toBeLessThanOrEqual(maxEntries);
            expect(store.windowMs).toBe(reference.windowMs);
          }
          expect(reports).toEqual(reference.reports);
        },
      ),
      { seed: 16, numRuns: 800 },
    );
    // ~10 s on an idle core; a loaded shared machine takes several times that.
  }, 180_000);
});
