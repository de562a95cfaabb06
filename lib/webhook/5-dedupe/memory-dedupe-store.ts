import type { DedupeStore } from '../../types/ports/dedupe-store.js';
import { DEFAULT_DEDUPE_MIN_WINDOW_MS } from '../../whatsapp.constants.js';

/** How often at most `onShortWindow` is called while the cap keeps the window short. */
export const SHORT_WINDOW_REPORT_INTERVAL_MS = 10 * 60 * 1000;

/** What the store tells `onShortWindow` when its cap made it forget keys younger than `minWindowMs`. */
export interface DedupeWindowShortfall {
  /** How far back every claim is still remembered right after the forced rotation. */
  windowMs: number;
  /** The window the store was asked to keep. */
  minWindowMs: number;
  /** Claims per second over the generation that filled up (new keys and duplicates moved forward). */
  claimsPerSecond: number;
  maxEntries: number;
}

export interface MemoryDedupeStoreOptions {
  /**
   * Hard cap of keys remembered. Every key is remembered for `minWindowMs` as long as the cap
   * allows, i.e. up to `maxEntries / 2` claims per `minWindowMs`; above that rate, at least the
   * most recent `maxEntries / 2` claims are.
   */
  maxEntries: number;
  /** Every claim is remembered at least this long (within the cap), and at most twice as long. Default 10 min. */
  minWindowMs?: number;
  /** Clock in ms (injectable for tests). Default `Date.now`. */
  now?: () => number;
  /**
   * Called when the cap forced the store to forget keys younger than `minWindowMs`: at the first
   * such rotation, then at most once per `SHORT_WINDOW_REPORT_INTERVAL_MS` (store clock).
   */
  onShortWindow?: (shortfall: DedupeWindowShortfall) => void;
}

/**
 * The default `DedupeStore`: one process, bounded memory, O(1) per call.
 *
 * Two generations of `Map`s: claims go into `current`; it becomes `previous` (and the old
 * `previous` is dropped whole) when it has been open for `minWindowMs` (time) or holds half the cap
 * (count). A rotation by time only drops keys claimed at least `minWindowMs` ago, so every claim
 * is remembered between `minWindowMs` and twice that, and memory follows the traffic of that
 * window. A rotation by count is the cap winning: when it comes before `minWindowMs`, keys younger
 * than the window are forgotten, and `onShortWindow` says so with the window left in effect.
 * A key found live in `previous` is moved to `current` (so what keeps coming back stays, as in an
 * LRU). Nothing ever iterates a map: V8's hash maps keep deleted slots until they rehash and an
 * iterator walks them all, which made a "delete the oldest key" LRU cost ~100 µs per claim at a
 * full 100 000-key cap (docs/performance.md). Expiry (the TTL) is checked when a key is met;
 * expired keys that are never met leave with their generation.
 *
 * Every operation is synchronous, so `claim` is atomic by construction: no other claim can run
 * between the check and the write.
 *
 * Memory: ~150-170 bytes per key of a real wamid, measured in docs/performance.md. Expiry times are
 * whole seconds since the store was created: small integers that V8 keeps inline in the map (a
 * millisecond timestamp would be a 16-byte heap number per key). A key is therefore remembered up to
 * one second longer than asked, never shorter.
 */
export class MemoryDedupeStore implements DedupeStore {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  /** Keys per generation: two full generations never exceed `maxEntries`. */
  private readonly generationSize: number;
  readonly maxEntries: number;
  readonly minWindowMs: number;
  private readonly now: () => number;
  private readonly onShortWindow: ((shortfall: DedupeWindowShortfall) => void) | undefined;
  /** Origin of the stored expiry times, in ms. */
  private readonly epoch: number;
  /** When `current` and `previous` were opened (store clock, ms). */
  private currentSince: number;
  private previousSince: number;
  /** Last call of `onShortWindow`, or `undefined` before the first. */
  private lastShortWindowReport: number | undefined;

  constructor(options: MemoryDedupeStoreOptions) {
    const { maxEntries, minWindowMs = DEFAULT_DEDUPE_MIN_WINDOW_MS } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(
        `MemoryDedupeStore: maxEntries must be a positive integer, got ${String(maxEntries)}`,
      );
    }
    if (!Number.isSafeInteger(minWindowMs) || minWindowMs < 1) {
      throw new RangeError(
        `MemoryDedupeStore: minWindowMs must be a positive integer, got ${String(minWindowMs)}`,
      );
    }
    this.maxEntries = maxEntries;
    this.minWindowMs = minWindowMs;
    this.generationSize = Math.ceil(maxEntries / 2);
    this.now = options.now ?? Date.now;
    this.onShortWindow = options.onShortWindow;
    this.epoch = this.now();
    this.currentSince = this.epoch;
    this.previousSince = this.epoch;
  }

  /** Keys currently held (including expired ones not yet dropped); never more than `maxEntries`. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** How far back every claim is remembered now, in ms (the age of the older generation; the TTL aside). */
  get windowMs(): number {
    return this.now() - this.previousSince;
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
    // Everything in `previous` was claimed before `currentSince`, so at least `minWindowMs` ago.
    if (nowMs - this.currentSince >= this.minWindowMs) this.rotate(nowMs);
    const now = Math.floor((nowMs - this.epoch) / 1000);
    const inCurrent = this.current.get(key);
    if (inCurrent !== undefined && inCurrent > now) return false;
    const inPrevious = this.previous.get(key);
    if (inPrevious !== undefined) {
      this.previous.delete(key);
      if (inPrevious > now) {
        // A duplicate of an older claim: keep it with the recent ones.
        this.insert(key, inPrevious, nowMs);
        return false;
      }
    }
    // Live while `now < expiry`; a TTL that is not positive (or NaN) claims without remembering.
    this.insert(key, ttlMs > 0 ? Math.ceil((nowMs - this.epoch + ttlMs) / 1000) : now, nowMs);
    return true;
  }

  /** The synchronous core of `release`. */
  releaseSync(key: string): void {
    this.current.delete(key);
    this.previous.delete(key);
  }

  private insert(key: string, expiry: number, nowMs: number): void {
    this.current.set(key, expiry);
    if (this.current.size >= this.generationSize) {
      // The cap: after this rotation the store remembers back to `currentSince` only.
      const windowMs = nowMs - this.currentSince;
      if (windowMs < this.minWindowMs) this.reportShortWindow(windowMs, nowMs);
      this.rotate(nowMs);
    }
  }

  private rotate(nowMs: number): void {
    this.previous = this.current;
    this.previousSince = this.currentSince;
    this.current = new Map();
    this.currentSince = nowMs;
  }

  private reportShortWindow(windowMs: number, nowMs: number): void {
    const last = this.lastShortWindowReport;
    if (this.onShortWindow === undefined) return;
    if (last !== undefined && nowMs - last < SHORT_WINDOW_REPORT_INTERVAL_MS) return;
    this.lastShortWindowReport = nowMs;
    try {
      this.onShortWindow({
        windowMs,
        minWindowMs: this.minWindowMs,
        claimsPerSecond: Math.round((this.generationSize * 1000) / Math.max(windowMs, 1)),
        maxEntries: this.maxEntries,
      });
    } catch {
      // A report must never fail the claim that triggered it.
    }
  }
}
