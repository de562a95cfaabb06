/**
 * Thrown by a shared `DedupeStore` (or an update queue) that cannot reach its backend and is set to
 * fail closed: nothing can be claimed or enqueued safely, so the webhook answers 503 and Meta
 * redelivers the POST later. Nothing is lost and nothing runs twice.
 */
export class DedupeStoreUnavailableError extends Error {
  override readonly name = 'DedupeStoreUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Duck-typed check, so a second copy of the package (or a bundler) still maps it to 503. */
export function isDedupeStoreUnavailable(error: unknown): error is DedupeStoreUnavailableError {
  return error instanceof Error && error.name === 'DedupeStoreUnavailableError';
}
