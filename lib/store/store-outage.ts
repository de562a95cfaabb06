import type { Logger } from '@nestjs/common';
import { describeThrown } from '../webhook/4-dispatch/describe-thrown.js';
import type { MessageStore } from './message-store.js';
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
    const reason = describeThrown(error).split('\n', 1)[0];
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
    logger.warn(
      `Message store: could not record ${what}: ${describeThrown(error).split('\n', 1)[0]}`,
    );
  };
}
