import type { ResolvedDedupeOptions } from './resolve-options.js';

/** Meta's first redeliveries come seconds to minutes after a delivery (ISSUE10 measured 60–70 s). */
export const META_EARLY_REDELIVERY_MS = 60_000;

/**
 * Below this many claims per second the in-memory store's cap should still hold `minWindowMs`:
 * a busy single number (80 messages/s sent, three statuses each) is already more.
 */
export const MIN_CLAIMS_PER_SECOND_AT_WINDOW = 100;

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * Startup warnings for de-duplication options that cannot give the window they ask for: a TTL
 * shorter than the window, a window shorter than Meta's early redeliveries, or an in-memory cap
 * that loses the window at a modest rate. The window actually in effect is reported at run time
 * by the store itself. Pure: the caller logs.
 */
export function dedupeWindowWarnings(dedupe: ResolvedDedupeOptions): string[] {
  const warnings: string[] = [];
  const window = Math.min(dedupe.ttlMs, dedupe.minWindowMs);
  if (dedupe.ttlMs < dedupe.minWindowMs) {
    warnings.push(
      `dedupe.ttlMs (${seconds(dedupe.ttlMs)}) is shorter than dedupe.minWindowMs (${seconds(dedupe.minWindowMs)}): ` +
        'a handled update is forgotten after the TTL, and a later redelivery runs its handlers again',
    );
  }
  if (window < META_EARLY_REDELIVERY_MS) {
    warnings.push(
      `the de-duplication window (${seconds(window)}) is below Meta's early redeliveries (seconds to minutes, ` +
        'and retries for up to 7 days): raise dedupe.minWindowMs and dedupe.ttlMs',
    );
  }
  if (dedupe.store === undefined) {
    const claimsPerSecond = Math.floor(dedupe.maxEntries / 2 / (dedupe.minWindowMs / 1000));
    if (claimsPerSecond < MIN_CLAIMS_PER_SECOND_AT_WINDOW) {
      warnings.push(
        `dedupe.maxEntries (${dedupe.maxEntries}) keeps dedupe.minWindowMs (${seconds(dedupe.minWindowMs)}) ` +
          `only up to ${claimsPerSecond} updates/s; above that the in-memory window shrinks (logged when it does). ` +
          `Raise maxEntries (18 bytes per key, ${Math.ceil((2 * MIN_CLAIMS_PER_SECOND_AT_WINDOW * dedupe.minWindowMs) / 1000)} keys ` +
          `for ${MIN_CLAIMS_PER_SECOND_AT_WINDOW} updates/s) or use RedisDedupeStore`,
      );
    }
  }
  return warnings;
}
