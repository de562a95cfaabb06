/**
 * What `DedupeStore.claim` resolves: `true` the caller now owns the key (run the handler), `false`
 * it was already handled (skip it), `'pending'` another claim holds it and is not done yet (a call
 * running elsewhere, or one that gave up): the caller runs nothing and answers so that Meta
 * redelivers later (500 in at-least-once mode).
 */
export type DedupeClaim = boolean | 'pending';

/**
 * Remembers which updates were handled, so Meta's retries of a delivery run a handler once.
 *
 * Implementations must make `claim` atomic: of two concurrent claims of one key, exactly one
 * resolves `true`. The in-memory default is `MemoryDedupeStore`; a Redis store shares claims
 * across instances.
 */
export interface DedupeStore {
  /**
   * Claims `key` for `ttlMs`. Resolves `true` when the caller now owns it, `false` if it was already
   * claimed, or `'pending'` (optional) when another claim that is not confirmed yet holds it.
   */
  claim(key: string, ttlMs: number): Promise<DedupeClaim>;
  /** Gives a claim back (the handler failed), so Meta's retry of the update runs it again. */
  release(key: string): Promise<void>;
  /**
   * Optional: confirms a claim once its handler succeeded, so redeliveries skip the key for `ttlMs`.
   * A store that has it may hold an unconfirmed claim only for a short lease (see
   * `RedisDedupeStore`'s `leaseMs`): a claim whose owner died or gave up expires and Meta's
   * redelivery runs the handler. Stores without it keep every claim for `ttlMs`.
   */
  complete?(key: string, ttlMs: number): Promise<void>;
}
