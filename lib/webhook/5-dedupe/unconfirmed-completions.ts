import type { CompletionStore } from '../../types/ports/update-queue.js';

interface Unconfirmed {
  token: string;
  ttlMs: number;
}

/** Most marks remembered at once; past it the oldest is dropped (its handler may run again). */
const DEFAULT_LIMIT = 100_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/**
 * Handlers that ran in this process but whose completion mark Redis refused (full at `maxmemory`,
 * restarting, unreachable). A retry of the same job in this process skips them instead of running
 * them again, and the marks are written again with backoff in the background until Redis takes
 * them (with the same lease token, so the write still counts as the claim's own).
 */
export class UnconfirmedCompletions {
  private readonly marks = new Map<string, Unconfirmed>();
  private timer?: NodeJS.Timeout;
  private retryMs = FIRST_RETRY_MS;
  private flushing?: Promise<void>;
  private closed = false;

  constructor(
    private readonly store: CompletionStore,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  get size(): number {
    return this.marks.size;
  }

  /** True when `key`'s handler ran here and its mark is not written yet. */
  has(key: string): boolean {
    return this.marks.has(key);
  }

  /** Remembers a handler that ran, before its mark is written, and schedules the retries. */
  add(key: string, token: string, ttlMs: number): void {
    if (!this.marks.has(key) && this.marks.size >= this.limit) {
      const oldest = this.marks.keys().next().value;
      if (oldest !== undefined) this.marks.delete(oldest);
    }
    this.marks.set(key, { token, ttlMs });
    this.schedule();
  }

  /** Writes the marks of `keys` now; true when none of them is left unconfirmed. */
  async confirm(keys: readonly string[]): Promise<boolean> {
    let confirmed = true;
    for (const key of keys) {
      if (!(await this.write(key))) confirmed = false;
    }
    return confirmed;
  }

  /** Stops the background retries (a last try of every mark first, bounded by the store's own timeouts). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.confirm([...this.marks.keys()]);
  }

  private async write(key: string): Promise<boolean> {
    const mark = this.marks.get(key);
    if (mark === undefined) return true;
    if (this.store.complete === undefined) return false;
    try {
      await this.store.complete(key, mark.token, mark.ttlMs);
    } catch {
      return false;
    }
    if (this.marks.get(key) === mark) this.marks.delete(key);
    return true;
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined || this.marks.size === 0) return;
    this.timer = setTimeout(() => {
      this.flushing = this.retryAll().finally(() => {
        this.flushing = undefined;
        this.timer = undefined;
        this.schedule();
      });
    }, this.retryMs);
    this.timer.unref();
  }

  private async retryAll(): Promise<void> {
    const all = await this.confirm([...this.marks.keys()]);
    this.retryMs = all ? FIRST_RETRY_MS : Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }
}
