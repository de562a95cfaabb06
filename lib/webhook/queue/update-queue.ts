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
}
