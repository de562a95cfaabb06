import type { ClockOffset } from './server-clock.js';

/**
 * When a send holding a slot may leave, on the local monotonic clock (ms). The slot is a time on
 * Redis's clock; the offset between the clocks is only known within `[lo, hi]` (server-clock.ts).
 * Leaving at local `slot - lo` or later is never before the slot, whatever the true offset; leaving
 * at local `slot - hi + lateToleranceMs` or earlier is never more than `lateToleranceMs` after it.
 * The window is empty when the offset is less certain than the tolerance.
 */
export interface SendWindow {
  earliest: number;
  latest: number;
  /**
   * When to wake up: at `earliest`, so that the whole window is room for a timer that fires late
   * (a busy event loop). Aiming later only shrinks that room; the bound holds anywhere inside.
   */
  target: number;
  /** How uncertain the clock offset is (ms): the window is empty when this exceeds the tolerance. */
  uncertaintyMs: number;
}

export function sendWindow(
  slotServerMs: number,
  offset: ClockOffset,
  lateToleranceMs: number,
): SendWindow {
  const earliest = slotServerMs - offset.lo;
  const latest = slotServerMs - offset.hi + lateToleranceMs;
  return {
    earliest,
    latest,
    target: earliest,
    uncertaintyMs: offset.hi - offset.lo,
  };
}
