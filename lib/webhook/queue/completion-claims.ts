import type { DedupeStore } from '../dedupe/dedupe-store.js';
import type { CompletionStore } from './update-queue.js';

/**
 * The `DedupeStore` of one job attempt. The dispatcher claims (update, handler) before a call and
 * releases the claim when it fails; so a claim not released by the time of the next claim (or the
 * end of the attempt) succeeded, and is marked done at once. A retry or a recovered job skips what
 * is done and runs the rest; a worker killed mid-handler left no mark, so that handler runs again.
 */
export class CompletionClaims implements DedupeStore {
  private pending: string | undefined;

  constructor(
    private readonly completions: CompletionStore,
    private readonly ttlMs: number,
  ) {}

  async claim(key: string): Promise<boolean> {
    await this.flush();
    if (await this.completions.isDone(key)) return false;
    this.pending = key;
    return true;
  }

  release(key: string): Promise<void> {
    if (this.pending === key) this.pending = undefined;
    return Promise.resolve();
  }

  /** Marks the last successful handler done (call after the dispatch). */
  async flush(): Promise<void> {
    const key = this.pending;
    if (key === undefined) return;
    this.pending = undefined;
    await this.completions.markDone(key, this.ttlMs);
  }
}
