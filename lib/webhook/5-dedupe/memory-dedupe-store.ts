import type { DedupeStore } from '../../types/ports/dedupe-store.js';
import { DEFAULT_DEDUPE_MIN_WINDOW_MS } from '../../whatsapp.constants.js';
import { FingerprintTable } from './fingerprint-table.js';
import { hashKey, type KeyHash } from './key-hash.js';

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

/** Slots per remembered key in each table: a table is at most 2/3 full, so probes stay short. */
const SLOTS_PER_KEY = 1.5;
/** Largest `maxEntries`: 2^28 keys is ~4.8 GB of tables (18 bytes per key). */
export const MAX_DEDUPE_ENTRIES = 2 ** 28;

/**
 * The default `DedupeStore`: one process, fixed memory (~18 bytes per key of the cap, allocated up
 * front), O(1) per call, no object per key.
 *
 * Keys are not kept: each is hashed to 64 bits (`hashKey`) and the hash is stored with an expiry in
 * one of two open-addressing tables of typed arrays (`FingerprintTable`), so long keys cost what
 * short ones do and the garbage collector never sees a remembered key. Two keys with the same
 * 64-bit hash would be taken for one: at the default cap that is a chance of about 7 × 10⁻¹⁴ per
 * new update (docs/reliability.md).
 *
 * Two generations: claims go into `current`; it becomes `previous` (and the old `previous` is
 * emptied in O(1) and reused) when it has been open for `minWindowMs` (time) or holds half the cap
 * (count). A rotation by time only drops keys claimed at least `minWindowMs` ago, so every claim is
 * remembered between `minWindowMs` and twice that (while claims keep coming), and a rotation by
 * count is the cap winning: when it comes before `minWindowMs`, keys younger than the window are
 * forgotten, and `onShortWindow` says so with the window left in effect. A key found live in
 * `previous` is moved to `current` (so what keeps coming back stays, as in an LRU). Expiry (the TTL)
 * is checked when a key is met; expired keys that are never met leave with their generation.
 *
 * Every operation is synchronous, so `claim` is atomic by construction: no other claim can run
 * between the check and the write. A claim is done once made (no `complete`): the store lives and
 * dies with the process whose handlers hold its claims, so a claim cannot outlive its owner, and a
 * handler that fails gives its claim back with `release`.
 *
 * Expiry times are whole seconds since the store was created: a key is remembered up to one second
 * longer than asked, never shorter.
 */
export class MemoryDedupeStore implements DedupeStore {
  private current: FingerprintTable;
  private previous: FingerprintTable;
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
  /** The hash of the key at hand, reused by every call. */
  private readonly hash: KeyHash = { hi: 0, lo: 0 };

  constructor(options: MemoryDedupeStoreOptions) {
    const { maxEntries, minWindowMs = DEFAULT_DEDUPE_MIN_WINDOW_MS } = options;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1 || maxEntries > MAX_DEDUPE_ENTRIES) {
      throw new RangeError(
        `MemoryDedupeStore: maxEntries must be a positive integer up to ${MAX_DEDUPE_ENTRIES}, got ${String(maxEntries)}`,
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
    // At least one slot always stays empty, which ends every probe.
    const capacity = Math.max(
      this.generationSize + 1,
      Math.ceil(this.generationSize * SLOTS_PER_KEY),
    );
    [this.current, this.previous] = FingerprintTable.pair(capacity);
    this.now = options.now ?? Date.now;
    this.onShortWindow = options.onShortWindow;
    this.epoch = this.now();
    this.currentSince = this.epoch;
    this.previousSince = this.epoch;
  }

  /** Keys currently held (including expired ones not yet dropped); never more than `maxEntries`. */
  get size(): number {
    return this.current.count + this.previous.count;
  }

  /** Bytes of the two tables (one array): what the store costs, whatever it holds. */
  get byteLength(): number {
    return this.current.slots.byteLength;
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
    const nowSec = Math.floor((nowMs - this.epoch) / 1000);
    const hash = this.hash;
    hashKey(key, hash);
    const hi = hash.hi;
    const lo = hash.lo;
    const current = this.current;
    const home = current.home(hi); // both tables have the same capacity
    const inCurrent = current.find(hi, lo, home);
    // A key is in one table at most: it leaves `previous` when it is claimed again.
    if (inCurrent >= 0) {
      if (current.isLive(inCurrent, nowSec)) return false;
      // Expired: claimed anew in its slot. A TTL that is not positive (or NaN) leaves it expired.
      if (ttlMs > 0) current.setExpiry(inCurrent, this.expiry(nowMs, ttlMs));
      return true;
    }
    const previous = this.previous;
    const inPrevious = previous.find(hi, lo, home);
    if (inPrevious >= 0) {
      const live = previous.isLive(inPrevious, nowSec);
      const expirySec = previous.expiryAt(inPrevious);
      previous.deleteAt(inPrevious);
      if (live) {
        // A duplicate of an older claim: keep it with the recent ones.
        this.insert(-1 - inCurrent, hi, lo, expirySec, nowMs);
        return false;
      }
    }
    // A TTL that is not positive (or NaN) claims without remembering.
    if (ttlMs > 0) this.insert(-1 - inCurrent, hi, lo, this.expiry(nowMs, ttlMs), nowMs);
    return true;
  }

  /** The synchronous core of `release`. */
  releaseSync(key: string): void {
    const hash = this.hash;
    hashKey(key, hash);
    const home = this.current.home(hash.hi);
    const inCurrent = this.current.find(hash.hi, hash.lo, home);
    if (inCurrent >= 0) {
      this.current.deleteAt(inCurrent);
      return;
    }
    const inPrevious = this.previous.find(hash.hi, hash.lo, home);
    if (inPrevious >= 0) this.previous.deleteAt(inPrevious);
  }

  /** Whole seconds since `epoch` until which a claim of `ttlMs` made at `nowMs` is live. */
  private expiry(nowMs: number, ttlMs: number): number {
    return Math.ceil((nowMs - this.epoch + ttlMs) / 1000);
  }

  /** Puts a key into the empty slot `slot` of `current` (from its `find`). */
  private insert(slot: number, hi: number, lo: number, expirySec: number, nowMs: number): void {
    const current = this.current;
    current.insertAt(slot, hi, lo, expirySec);
    if (current.count >= this.generationSize) {
      // The cap: after this rotation the store remembers back to `currentSince` only.
      const windowMs = nowMs - this.currentSince;
      if (windowMs < this.minWindowMs) this.reportShortWindow(windowMs, nowMs);
      this.rotate(nowMs);
    }
  }

  private rotate(nowMs: number): void {
    const reused = this.previous;
    this.previous = this.current;
    this.previousSince = this.currentSince;
    reused.clear(Math.floor((nowMs - this.epoch) / 1000));
    this.current = reused;
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
