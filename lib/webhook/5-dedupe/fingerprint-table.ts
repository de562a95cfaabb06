/** 32-bit words per slot: the key's 64-bit hash (two words) and its tag (expiry, below). */
const STRIDE = 3;
/** Largest tag a slot holds; a clear that could pass it zeroes the table instead. */
const MAX_TAG = 0xffffffff;
/** Longest expiry a slot holds, in seconds after the table was cleared (34 years: "never"). */
const MAX_EXPIRY_OFFSET = 2 ** 30;

/**
 * A fixed-size open-addressing set of 64-bit key hashes with an expiry each, in one `Uint32Array`
 * (12 bytes per slot, no object per key). Linear probing from `home(hi)`; deletions shift the
 * following run back (no tombstones), so a probe always stops at the first empty slot.
 *
 * Emptiness is relative: a slot is empty when its tag is at most `floor`. `clear()` raises `floor`
 * to the highest tag written, which empties every slot at once (O(1)), and zeroes the array only
 * when the tags would overflow 32 bits. A slot's tag is `floor + 1 + expiry`, the expiry in whole
 * seconds since `openSec` (when the table was last cleared), so an entry is live while its tag is
 * above `floor + 1 + (now - openSec)`.
 */
export class FingerprintTable {
  readonly slots: Uint32Array;
  /** Entries held (live or expired); never more than `capacity - 1`, so probes always end. */
  count = 0;
  floor = 0;
  /** The clock (whole seconds, the store's) when the table was last cleared. */
  openSec = 0;
  private highest = 0;

  constructor(readonly capacity: number) {
    this.slots = new Uint32Array(capacity * STRIDE);
  }

  /** The slot a hash starts probing at: `hi` scaled to the capacity (any size, not only powers of two). */
  home(hi: number): number {
    // hi / 2^32 × capacity: below `capacity` even where the product is rounded (proof in the spec).
    return Math.floor(hi * this.capacity * 2.3283064365386963e-10);
  }

  /**
   * Probes for (`hi`, `lo`) from `home`: its slot index, or `-1 - i` where `i` is the empty slot
   * that ended the probe (where an insert puts it).
   */
  find(hi: number, lo: number, home: number): number {
    const slots = this.slots;
    const floor = this.floor;
    const capacity = this.capacity;
    let i = home;
    for (;;) {
      const at = i * STRIDE;
      if (slots[at + 2] <= floor) return -1 - i;
      if (slots[at] === hi && slots[at + 1] === lo) return i;
      i = i + 1 === capacity ? 0 : i + 1;
    }
  }

  /** The expiry (seconds since the store's epoch) of the entry in slot `i`. */
  expiryAt(i: number): number {
    return this.slots[i * STRIDE + 2] - this.floor - 1 + this.openSec;
  }

  /** Puts (`hi`, `lo`) into the empty slot `i` (from `find`), expiring at `expirySec` (≥ `openSec`). */
  insertAt(i: number, hi: number, lo: number, expirySec: number): void {
    const at = i * STRIDE;
    this.slots[at] = hi;
    this.slots[at + 1] = lo;
    this.setExpiry(i, expirySec);
    this.count++;
  }

  /** Sets the expiry of the entry in slot `i`. */
  setExpiry(i: number, expirySec: number): void {
    const offset = Math.min(Math.max(expirySec - this.openSec, 0), MAX_EXPIRY_OFFSET);
    const tag = this.floor + 1 + offset;
    this.slots[i * STRIDE + 2] = tag;
    if (tag > this.highest) this.highest = tag;
  }

  /** Removes the entry in slot `i`, moving back the entries of its run that may sit there. */
  deleteAt(i: number): void {
    const slots = this.slots;
    const floor = this.floor;
    const capacity = this.capacity;
    let hole = i;
    let j = i;
    for (;;) {
      j = j + 1 === capacity ? 0 : j + 1;
      const at = j * STRIDE;
      if (slots[at + 2] <= floor) break;
      const home = this.home(slots[at]);
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      const to = hole * STRIDE;
      slots[to] = slots[at];
      slots[to + 1] = slots[at + 1];
      slots[to + 2] = slots[at + 2];
      hole = j;
    }
    slots[hole * STRIDE + 2] = 0;
    this.count--;
  }

  /** Whether the entry in slot `i` has not expired at `nowSec` (seconds since the store's epoch). */
  isLive(i: number, nowSec: number): boolean {
    return this.slots[i * STRIDE + 2] > this.floor + 1 + nowSec - this.openSec;
  }

  /**
   * Empties the table and opens it at `nowSec`: O(1), but for a zeroing of the array once tags
   * could overflow (after thousands of clears with week-long expiries).
   */
  clear(nowSec: number): void {
    this.count = 0;
    this.openSec = nowSec;
    if (this.highest + 1 + MAX_EXPIRY_OFFSET > MAX_TAG) {
      this.slots.fill(0);
      this.floor = 0;
      this.highest = 0;
    } else {
      this.floor = this.highest;
    }
  }
}
