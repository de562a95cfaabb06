import { Logger } from '@nestjs/common';
import { dedupeWindowWarnings } from '../../options/dedupe-window-warnings.js';
import type { ResolvedDedupeOptions } from '../../options/resolve-options.js';
import type { DedupeStore } from '../../types/ports/dedupe-store.js';
import {
  type DedupeWindowShortfall,
  MemoryDedupeStore,
  SHORT_WINDOW_REPORT_INTERVAL_MS,
} from './memory-dedupe-store.js';

/** Where the de-duplication warnings go (a Nest `Logger` by default). */
export interface DedupeWarningSink {
  warn(message: string): void;
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The run-time warning of a store whose cap forgot keys younger than its window. */
export function describeShortWindow(s: DedupeWindowShortfall): string {
  return (
    `De-duplication window below dedupe.minWindowMs: at ${s.claimsPerSecond} updates/s the in-memory ` +
    `store reached its cap (maxEntries ${s.maxEntries}) and now remembers only the last ` +
    `${seconds(s.windowMs)} of handled updates (wanted ${seconds(s.minWindowMs)}). ` +
    "Meta's redeliveries after that run their handlers again. Raise dedupe.maxEntries (18 bytes per key, allocated at startup) " +
    `or use RedisDedupeStore (docs/scaling.md). Said at most once every ${SHORT_WINDOW_REPORT_INTERVAL_MS / 60_000} minutes.`
  );
}

/**
 * The store of one module instance: the user's, or the in-memory default wired to warn when its
 * window falls short. Warns once, at startup, about options that cannot give the window.
 */
export function createDedupeStore(
  dedupe: ResolvedDedupeOptions | false,
  logger: DedupeWarningSink = new Logger('WhatsAppDedupe'),
  now?: () => number,
): DedupeStore | null {
  if (dedupe === false) return null;
  for (const warning of dedupeWindowWarnings(dedupe)) logger.warn(warning);
  return (
    dedupe.store ??
    new MemoryDedupeStore({
      maxEntries: dedupe.maxEntries,
      minWindowMs: Math.min(dedupe.minWindowMs, dedupe.ttlMs),
      now,
      onShortWindow: (shortfall) => logger.warn(describeShortWindow(shortfall)),
    })
  );
}
