import { randomBytes } from 'node:crypto';
import type { DedupeClaim, DedupeStore } from '../../types/ports/dedupe-store.js';
import { DedupeStoreUnavailableError } from './dedupe-store-unavailable.error.js';
import type { CompletionStore } from '../../types/ports/update-queue.js';

/**
 * The `DedupeStore` of one job attempt. With a store that takes leases (`CompletionStore.claim`), a
 * call claims (update, handler) with a lease owned by a random token, `complete` marks it done and
 * `release` gives it back, both by token: a worker killed mid-handler leaves only a lease that
 * expires, and a job run twice at once (a lock lost under load) runs each handler once. Without
 * leases, a claim not released by the time of the next claim (or the end of the attempt) is marked
 * done. A completion store that cannot be reached is not a handler failure: it throws
 * `DedupeStoreUnavailableError`, the attempt fails as "store unavailable" and is retried.
 */
export class CompletionClaims implements DedupeStore {
  private pending: string | undefined;
  private readonly leases = new Map<string, string>();

  constructor(
    private readonly completions: CompletionStore,
    private readonly ttlMs: number,
  ) {}

  async claim(key: string): Promise<DedupeClaim> {
    await this.flush();
    const claim = this.completions.claim?.bind(this.completions);
    if (claim !== undefined) {
      const token = randomBytes(12).toString('base64url');
      const answer = await unavailableOnError(claim(key, token), key, 'claiming');
      if (answer === 'mine') this.leases.set(key, token);
      return answer === 'mine' ? true : answer === 'held' ? 'pending' : false;
    }
    if (await unavailableOnError(this.completions.isDone(key), key, 'checking')) return false;
    this.pending = key;
    return true;
  }

  async complete(key: string): Promise<void> {
    const token = this.leases.get(key);
    if (token !== undefined && this.completions.complete !== undefined) {
      this.leases.delete(key);
      await unavailableOnError(
        this.completions.complete(key, token, this.ttlMs),
        key,
        'marking done',
      );
      return;
    }
    if (this.pending === key) await this.flush();
  }

  async release(key: string): Promise<void> {
    if (this.pending === key) this.pending = undefined;
    const token = this.leases.get(key);
    if (token === undefined || this.completions.release === undefined) return;
    this.leases.delete(key);
    // Best effort: a lease that could not be deleted expires on its own.
    await this.completions.release(key, token).catch(() => undefined);
  }

  /** Marks the last successful handler done when no `complete` did (call after the dispatch). */
  async flush(): Promise<void> {
    const key = this.pending;
    if (key === undefined) return;
    this.pending = undefined;
    await unavailableOnError(this.completions.markDone(key, this.ttlMs), key, 'marking done');
  }
}

async function unavailableOnError<T>(work: Promise<T>, key: string, what: string): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new DedupeStoreUnavailableError(
      `Completion store unavailable while ${what} ${key}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}
