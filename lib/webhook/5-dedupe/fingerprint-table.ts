/**
 * 32-bit words per slot: the key's 64-bit hash (two words) and its tag (expiry, below), for each of
 * the two tables of a pair: slot `i` of both tables shares 24 bytes, so a key probed in one table
 * and then the other costs one cache miss, not two.
 */
const STRIDE = 6;
/** Words of one table's slot. */
const SLOT_WORDS = 3;
/** Largest tag a slot holds; a clear that could pass it zeroes the table instead. */
const MAX_TAG = 0xffffffff;
/** Longest expiry a slot holds, in seconds after the table was cleared (34 years: "never"). */
const MAX_EXPIRY_OFFSET = 2 ** 30;

/**
 * A fixed-size open-addressing set of 64-bit key hashes with an expiry each, in a `Uint32Array`
 * shared with the other table of its pair (12 bytes per slot and table, no object per key). Linear probing from `home(hi)`; deletions shift the
 * following run back (no tombstones), so a probe always stops at the first empty slot.
 *
 * Emptiness is relative: a slot is empty when its tag is at most `floor`. `clear()` raises `floor`
 * to the highest tag written, which empties every slot at once (O(1)), and zeroes the array only
 * when the tags would overflow 32 bits. A slot's tag is `floor + 1 + expiry`, the expiry in whole
 * seconds since `openSec` (when the table was last cleared), so an entry is live while its tag is
 * above `floor + 1 + (now - openSec)`.
 */
export class FingerprintTable {
  /** Entries held (live or expired); never more than `capacity - 1`, so probes always end. */
  count = 0;
  floor = 0;
  /** The clock (whole seconds, the store's) when the table was last cleared. */
  openSec = 0;
  private highest = 0;

  /** Two tables of `capacity` slots over one array, slots interleaved. */
  static pair(capacity: number): [FingerprintTable, FingerprintTable] {
    const slots = new Uint32Array(capacity * STRIDE);
    return [
      new FingerprintTable(capacity, slots, 0),
      new FingerprintTable(capacity, slots, SLOT_WORDS),
    ];
  }

  /** `base`: the first word of this table's slot 0 in `slots` (0, or `SLOT_WORDS` for the second). */
  private constructor(
    readonly capacity: number,
    readonly slots: Uint32Array,
    private readonly base: number,
  ) {}

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
    const base = this.base;
    let i = home;
    for (;;) {
      const at = base + i * STRIDE;
      if (slots[at + 2] <= floor) return -1 - i;
      if (slots[at] === hi && slots[at + 1] === lo) return i;
      i = i + 1 === capacity ? 0 : i + 1;
    }
  }

  /** The expiry (seconds since the store's epoch) of the entry in slot `i`. */
  expiryAt(i: number): number {
    return this.slots[this.base + i * STRIDE + 2] - this.floor - 1 + this.openSec;
  }

  /** Puts (`hi`, `lo`) into the empty slot `i` (from `find`), expiring at `expirySec` (≥ `openSec`). */
  insertAt(i: number, hi: number, lo: number, expirySec: number): void {
    const at = this.base + i * STRIDE;
    this.slots[at] = hi;
    this.slots[at + 1] = lo;
    this.setExpiry(i, expirySec);
    this.count++;
  }

  /** Sets the expiry of the entry in slot `i`. */
  setExpiry(i: number, expirySec: number): void {
    const offset = Math.min(Math.max(expirySec - this.openSec, 0), MAX_EXPIRY_OFFSET);
    const tag = this.floor + 1 + offset;
    this.slots[this.base + i * STRIDE + 2] = tag;
    if (tag > this.highest) this.highest = tag;
  }

  /** Removes the entry in slot `i`, moving back the entries of its run that may sit there. */
  deleteAt(i: number): void {
    const slots = this.slots;
    const floor = this.floor;
    const capacity = this.capacity;
    const base = this.base;
    let hole = i;
    let j = i;
    for (;;) {
      j = j + 1 === capacity ? 0 : j + 1;
      const at = base + j * STRIDE;
      if (slots[at + 2] <= floor) break;
      const home = this.home(slots[at]);
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      const to = base + hole * STRIDE;
      slots[to] = slots[at];
      slots[to + 1] = slots[at + 1];
      slots[to + 2] = slots[at + 2];
      hole = j;
    }
    slots[base + hole * STRIDE + 2] = 0;
    this.count--;
  }

  /** Whether the entry in slot `i` has not expired at `nowSec` (seconds since the store's epoch). */
  isLive(i: number, nowSec: number): boolean {
    return this.slots[this.base + i * STRIDE + 2] > this.floor + 1 + nowSec - this.openSec;
  }

  /**
   * Empties the table and opens it at `nowSec`: O(1), but for a zeroing of its tags once they
   * could overflow (after thousands of clears with week-long expiries).
   */
  clear(nowSec: number): void {
    this.count = 0;
    this.openSec = nowSec;
    if (this.highest + 1 + MAX_EXPIRY_OFFSET > MAX_TAG) {
      for (let at = this.base + 2; at < this.slots.length; at += STRIDE) this.slots[at] = 0;
      this.floor = 0;
      this.highest = 0;
    } else {
      this.floor = this.highest;
    }
  }
}
