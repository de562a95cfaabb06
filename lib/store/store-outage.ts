import type { Logger } from '@nestjs/common';
import type { MessageStore } from '../types/ports/message-store.js';
import { MessageStoreUnavailableError } from './store-errors.js';

/** Marks a store call that failed while the store fails open: the caller goes on without it. */
export const SKIPPED = Symbol('store-skipped');

/**
 * Runs a store call and applies the store's outage choice: fail closed (default) → throws
 * `MessageStoreUnavailableError`; fail open → logs a warning and resolves to `SKIPPED`.
 */
export async function withStore<T>(
  store: MessageStore,
  logger: Logger,
  what: string,
  call: () => Promise<T>,
): Promise<T | typeof SKIPPED> {
  try {
    return await call();
  } catch (error) {
    const reason = firstLine(error);
    if (store.whenUnavailable === 'fail-open') {
      logger.warn(
        `Message store unavailable while ${what} (${reason}): going on without it (fail-open)`,
      );
      return SKIPPED;
    }
    throw new MessageStoreUnavailableError(`Message store unavailable while ${what}: ${reason}`, {
      cause: error,
    });
  }
}

/** Logs a store write that failed after the fact (the send already happened): never throws. */
export function warnLate(logger: Logger, what: string): (error: unknown) => void {
  return (error) => {
    logger.warn(`Message store: could not record ${what}: ${firstLine(error)}`);
  };
}

/** The first line of what was thrown (never a stack): all a warning needs. */
function firstLine(error: unknown): string {
  try {
    return (error instanceof Error ? error.message : String(error)).split('\n', 1)[0];
  } catch {
    return 'unknown error';
  }
}
