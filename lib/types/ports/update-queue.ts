import type { WebhookUpdate } from '../webhook-update.js';

/** Runs the handlers of one queued update; a rejection is a failed attempt (the queue retries it). */
export type QueuedUpdateProcessor = (update: WebhookUpdate) => Promise<void>;

/**
 * Which (update, handler) pairs already succeeded, so a retried or recovered job runs only the
 * handlers that did not. Keys are the dispatcher's de-duplication keys (`<update key>|<handler id>`).
 */
export interface CompletionStore {
  isDone(key: string): Promise<boolean>;
  markDone(key: string, ttlMs: number): Promise<void>;
  /**
   * Optional, with `complete` and `release`: claims `key` with a short lease owned by `token`
   * (atomically; the store picks the lease length). `'mine'` when the key is free or already holds
   * `token` (a claim re-sent after a connection reset is still mine), `'done'` when it is marked
   * done, `'held'` while another token's lease holds it (the job runs elsewhere: the attempt fails
   * and is retried). Without these methods a handler is only marked done after it succeeded.
   */
  claim?(key: string, token: string): Promise<'mine' | 'done' | 'held'>;
  /** Marks `key` done for `ttlMs` if it holds `token` (or nothing). */
  complete?(key: string, token: string, ttlMs: number): Promise<void>;
  /** Deletes `key` if it still holds `token`. */
  release?(key: string, token: string): Promise<void>;
}

/**
 * A durable queue of webhook updates for `processing: 'queue'` (e.g. `BullMqUpdateQueue` from
 * `nestjs-whatsapp-cloud/redis`). The webhook enqueues and answers 200; workers run the handlers.
 */
export interface UpdateQueue {
  /**
   * Stores the updates as jobs whose id is the update's de-duplication key, so Meta's redeliveries
   * are dropped by the queue itself. Resolves once stored; rejects (e.g. with
   * `DedupeStoreUnavailableError`) when they could not be, and the webhook answers 503.
   */
  enqueue(updates: readonly WebhookUpdate[]): Promise<void>;
  /** Starts this instance's workers (a no-op when workers are disabled). Called at bootstrap. */
  start(processor: QueuedUpdateProcessor): Promise<void>;
  /** Stops taking jobs, lets running ones finish (bounded), closes connections. Called at shutdown. */
  close(): Promise<void>;
  readonly completions: CompletionStore;
  /** How long completion marks are kept; default the module's `dedupe.ttlMs` (7 days). */
  readonly completionTtlMs?: number;
  /**
   * How long one attempt waits for the completion store (Redis restarting, full) before the job is
   * handed back to the queue; that is not a failed attempt. Default 5000 ms.
   */
  readonly storeWaitMs?: number;
  /** Optional, for tests: resolves once every update stored so far has been handled (see `WhatsAppTestApp.idle`). */
  idle?(options?: { retries?: boolean; timeoutMs?: number }): Promise<void>;
  /** Optional: depth and age, reported as the `whatsapp.queue.*` gauges (docs/observability.md). */
  stats?(): Promise<UpdateQueueStats>;
}

/** What `UpdateQueue.stats()` reports. */
export interface UpdateQueueStats {
  /** Jobs by state (`waiting`, `active`, `delayed`, `failed`, ...). */
  depth: Record<string, number>;
  /** Age of the oldest waiting job, in ms; absent when none waits. */
  oldestWaitingAgeMs?: number;
}
