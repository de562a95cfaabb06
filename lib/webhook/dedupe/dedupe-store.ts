/**
 * Remembers which updates were handled, so Meta's retries of a delivery run a handler once.
 *
 * Implementations must make `claim` atomic: of two concurrent claims of one key, exactly one
 * resolves `true`. The in-memory default is `MemoryDedupeStore`; a Redis store shares claims
 * across instances.
 */
export interface DedupeStore {
  /** Claims `key` for `ttlMs`. Resolves `true` when the caller now owns it, `false` if it was already claimed. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back (the handler failed), so Meta's retry of the update runs it again. */
  release(key: string): Promise<void>;
}
