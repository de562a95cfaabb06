import { setTimeout as sleep } from 'node:timers/promises';
import type { JobType, Queue } from 'bullmq';

/** What `idle()` waits for; see `BullMqUpdateQueue.idle`. */
export interface QueueIdleOptions {
  /** Also wait for the jobs waiting for a retry (BullMQ's delayed set). Default false. */
  retries?: boolean;
  /** Longest wait; then `idle()` rejects, naming what is still pending. Default 10 000 ms. */
  timeoutMs?: number;
}

/** Job states that mean "stored, its attempt not over yet". */
const PENDING: readonly JobType[] = ['waiting', 'active', 'prioritized', 'waiting-children'];

/**
 * Polls the queues until none holds a pending job (and, with `retries`, a delayed one) and
 * `handlersRunning()` is false. Counts are read per queue in one call, and a job moves between
 * states atomically in Redis, so a job is never missed between two states.
 */
export async function waitUntilIdle(
  queues: readonly Queue[],
  handlersRunning: () => boolean,
  options: QueueIdleOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const states: JobType[] = options.retries ? [...PENDING, 'delayed'] : [...PENDING];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let pending = 0;
    for (const queue of queues) {
      const counts = await queue.getJobCounts(...states);
      for (const state of states) pending += counts[state] ?? 0;
    }
    if (pending === 0 && !handlersRunning()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Update queue not idle after ${timeoutMs} ms: ${pending} job(s) ${options.retries ? 'pending or waiting for a retry' : 'pending'}${handlersRunning() ? ', handlers still running here' : ''}`,
      );
    }
    await sleep(10);
  }
}
