import type { DedupeStore } from './dedupe-store.js';

export interface MemoryDedupeStoreOptions {
  /** Most keys remembered. At least the most recent `maxEntries / 2` claims are always remembered. */
  maxEntries: number;
  /** Clock in ms (injectable for tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * The default `DedupeStore`: one process, bounded memory, O(1) per call.
 *
 * Two generations of `Map`s, each holding at most half the cap: claims go into `current`; when it is
 * full it becomes `previous` and the old `previous` is dropped whole. A key found live in `previous`
 * is moved to `current` (so what keeps coming back stays, as in an LRU). Nothing ever iterates a map:
 * V8's hash maps keep deleted slots until they rehash and an iterator walks them all, which made a
 * "delete the oldest key" LRU cost ~100 µs per claim at a full 100 000-key cap (docs/performance.md).
 * Expiry is checked when a key is met; expired keys that are never met leave with their generation.
 *
 * Every operation is synchronous, so `claim` is atomic by construction: no other claim can run
 * between the check and the write.
 *
 * Memory: ~150 bytes per key of a real wamid, measured in docs/performance.md. Expiry times are
 * whole seconds since the store was created: small integers that V8 keeps inline in the map (a
 * millisecond timestamp would be a 16-byte heap number per key). A key is therefore remembered up to
 * one second longer than asked, never shorter.
 */
export class MemoryDedupeStore implements DedupeStore {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  /** Keys per generation: two full generations never exceed `maxEntries`. */
  private readonly generationSize: number;
  private readonly now: () => number;
  /** Origin of the stored expiry times, in ms. */
  private readonly epoch: number;

  constructor(options: MemoryDedupeStoreOptions) {
    const { maxEntries } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `MemoryDedupeStore: maxEntries must be a positive integer, got ${String(maxEntries)}`,
      );
    }
    this.generationSize = Math.ceil(maxEntries / 2);
    this.now = options.now ?? Date.now;
    this.epoch = this.now();
  }

  /** Keys currently held (including expired ones not yet dropped); never more than `maxEntries`. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return Promise.resolve(this.claimSync(key, ttlMs));
  }

  release(key: string): Promise<void> {
    this.releaseSync(key);
    return Promise.resolve();
  }

  /** The synchronous core of `claim`: `true` when the caller now owns `key`. */
  claimSync(key: string, ttlMs: number): boolean {
    const nowMs = this.now();
    const now = Math.floor((nowMs - this.epoch) / 1000);
    const inCurrent = this.current.get(key);
    if (inCurrent !== undefined && inCurrent > now) return false;
    const inPrevious = this.previous.get(key);
    if (inPrevious !== undefined) {
      this.previous.delete(key);
      if (inPrevious > now) {
        // A duplicate of an older claim: keep it with the recent ones.
        this.insert(key, inPrevious);
        return false;
      }
    }
    // Live while `now < expiry`; a TTL that is not positive (or NaN) claims without remembering.
    this.insert(key, ttlMs > 0 ? Math.ceil((nowMs - this.epoch + ttlMs) / 1000) : now);
    return true;
  }

  /** The synchronous core of `release`. */
  releaseSync(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  private insert(key: string, expiry: number): void {
    this.current.set(key, expiry);
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
}
