import { randomBytes } from 'node:crypto';
import type { DedupeClaim, DedupeStore } from '../../types/ports/dedupe-store.js';
import { DedupeStoreUnavailableError } from './dedupe-store-unavailable.error.js';
import type { CompletionStore } from '../../types/ports/update-queue.js';
import type { UnconfirmedCompletions } from './unconfirmed-completions.js';

/** First pause between two tries of a claim the store could not take; doubles up to 1 s. */
const FIRST_CLAIM_RETRY_MS = 50;

/**
 * The `DedupeStore` of one job attempt. With a store that takes leases (`CompletionStore.claim`), a
 * call claims (update, handler) with a lease owned by a random token, `complete` marks it done and
 * `release` gives it back, both by token: a worker killed mid-handler leaves only a lease that
 * expires, and a job run twice at once (a lock lost under load) runs each handler once. Without
 * leases, a claim not released by the time of the next claim (or the end of the attempt) is marked
 * done.
 *
 * Redis refusing a write is never a handler failure and never makes a handler run twice:
 * - a claim that cannot be written is tried again with backoff for `storeWaitMs` (Redis
 *   restarting, a producer connection not ready yet), then throws `DedupeStoreUnavailableError`;
 * - a handler that ran is remembered in `unconfirmed` *before* its mark is written, so when Redis
 *   refuses the mark (full at `maxmemory`) the retry of the job in this process skips the handler,
 *   and the mark is written again later with the same token (`unconfirmedKeys` lists them).
 */
export class CompletionClaims implements DedupeStore {
  private pending: string | undefined;
  private readonly leases = new Map<string, string>();
  /** Marks of this attempt that Redis has not taken yet. */
  readonly unconfirmedKeys: string[] = [];

  constructor(
    private readonly completions: CompletionStore,
    private readonly ttlMs: number,
    private readonly unconfirmed?: UnconfirmedCompletions,
    private readonly storeWaitMs = 0,
  ) {}

  async claim(key: string): Promise<DedupeClaim> {
    if (this.unconfirmed?.has(key)) {
      // Ran in this process already; only its mark is missing.
      this.unconfirmedKeys.push(key);
      return false;
    }
    await this.flush();
    const claim = this.completions.claim?.bind(this.completions);
    if (claim !== undefined) {
      const token = randomBytes(12).toString('base64url');
      // The same token on every try: a try that Redis executed but whose reply was lost is "mine".
      const answer = await this.patiently(() => claim(key, token), key, 'claiming');
      if (answer === 'mine') this.leases.set(key, token);
      return answer === 'mine' ? true : answer === 'held' ? 'pending' : false;
    }
    if (await this.patiently(() => this.completions.isDone(key), key, 'checking')) return false;
    this.pending = key;
    return true;
  }

  async complete(key: string): Promise<void> {
    const token = this.leases.get(key);
    if (token !== undefined && this.completions.complete !== undefined) {
      this.leases.delete(key);
      if (this.unconfirmed === undefined) {
        await unavailableOnError(
          this.completions.complete(key, token, this.ttlMs),
          key,
          'marking done',
        );
        return;
      }
      // Remembered first: whatever Redis answers now, this process never runs the handler again.
      this.unconfirmed.add(key, token, this.ttlMs);
      if (!(await this.unconfirmed.confirm([key]))) this.unconfirmedKeys.push(key);
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

  /** Runs a store call, trying again with backoff for `storeWaitMs` while it fails. */
  private async patiently<T>(work: () => Promise<T>, key: string, what: string): Promise<T> {
    const deadline = Date.now() + this.storeWaitMs;
    for (let pause = FIRST_CLAIM_RETRY_MS; ; pause = Math.min(pause * 2, 1000)) {
      try {
        return await work();
      } catch (error) {
        if (Date.now() + pause > deadline)
          return unavailableOnError(Promise.reject(error), key, what);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
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
