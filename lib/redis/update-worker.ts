import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WebhookUpdate } from '../types/webhook-update.js';
import type { PartitionSlots } from './partition-slots.js';

/** Longest time a refused (OOM) completion of a finished job is tried again before BullMQ fails it. */
const FINISH_RETRY_MS = 10_000;

/** Redis refusing a write at `maxmemory` with `noeviction`. */
function isOutOfMemory(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('OOM');
}

/**
 * The BullMQ Worker of one partition.
 *
 * - With `slots`, it takes a job only once it holds one of the instance's slots (asked for in its
 *   lane's line, lanes served in turn, see partition-slots.ts) and never fetches the next job together with
 *   a completion: many more partitions than running jobs, taken fairly.
 * - A job whose handlers ran but that Redis refused to move to "completed" (full at `maxmemory`) is
 *   moved again with backoff instead of being failed as if a handler had failed.
 * - It can be let go when its `close()` cannot finish: BullMQ's close waits for its blocking
 *   connection to emit 'end', and an ioredis client that is between two reconnect attempts (Redis
 *   down, or restarted a moment ago) never emits it after `disconnect()`: close() then never
 *   resolves, and the lock-renewal timer it would have stopped keeps the process alive for ever.
 */
export class UpdateWorker extends Worker<WebhookUpdate> {
  private readonly slots?: PartitionSlots;
  /** The line this partition asks for slots in (its tenant lane). */
  private readonly slotGroup: number;
  /** The connection the partition's wake-up marker is written with. */
  private readonly markerClient?: Redis;
  /** Jobs taken with a slot, until they are processed. */
  private readonly holding = new Set<string>();

  constructor(
    name: string,
    processor: (job: Job<WebhookUpdate>, token?: string) => Promise<void>,
    options: WorkerOptions & { slots?: PartitionSlots; slotGroup?: number; markerClient?: Redis },
  ) {
    const { slots, slotGroup, markerClient, ...workerOptions } = options;
    super(name, processor, workerOptions);
    this.slots = slots;
    this.slotGroup = slotGroup ?? 0;
    this.markerClient = markerClient;
  }

  protected override async moveToActive(token: string, name?: string): Promise<Job<WebhookUpdate>> {
    const slots = this.slots;
    if (slots === undefined) return super.moveToActive(token, name);
    await slots.acquire(this.slotGroup);
    let job: Job<WebhookUpdate> | undefined;
    try {
      if (!this.closing && !this.paused) job = await super.moveToActive(token, name);
    } finally {
      if (job?.id === undefined) slots.release();
      else this.holding.add(job.id);
    }
    return job as Job<WebhookUpdate>;
  }

  override async processJob(
    job: Job<WebhookUpdate>,
    token: string,
    fetchNextCallback?: () => boolean,
  ): Promise<void | Job<WebhookUpdate>> {
    const slots = this.slots;
    if (slots === undefined) return super.processJob(job, token, fetchNextCallback);
    // Uncontended, BullMQ takes the next job with the completion (one round trip, and what wakes
    // the partition: with its limit reached, adding a job sets no marker) and the slot goes to it.
    // Contended, the slot goes back in line and the next job is taken through moveToActive.
    let chained = false;
    let next: void | Job<WebhookUpdate> = undefined;
    try {
      next = await super.processJob(job, token, () => {
        chained = slots.waiting === 0 && (fetchNextCallback?.() ?? true);
        return chained;
      });
      return next;
    } finally {
      const held = job.id !== undefined && this.holding.delete(job.id);
      if (held && next?.id !== undefined) this.holding.add(next.id);
      else if (held) slots.release();
      // Not chained: wake the workers of this partition (here and in other replicas), whose
      // blocking wait would otherwise last until its timeout.
      if (!chained && !this.closing) void this.wakePartition();
    }
  }

  /** BullMQ's base marker: a worker blocked on this partition looks for a job again. */
  private async wakePartition(): Promise<void> {
    try {
      await this.markerClient?.zadd(this.keys.marker, 0, '0');
    } catch {
      // Best effort: without it the workers look again after their block timeout.
    }
  }

  protected override async handleCompleted(
    result: void,
    job: Job<WebhookUpdate>,
    token: string,
    fetchNextCallback?: () => boolean,
  ): Promise<Job<WebhookUpdate>> {
    const deadline = Date.now() + FINISH_RETRY_MS;
    for (let pause = 100; ; pause = Math.min(pause * 2, 2000)) {
      try {
        return await super.handleCompleted(result, job, token, fetchNextCallback);
      } catch (error) {
        if (!isOutOfMemory(error) || this.closing || Date.now() + pause > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /**
   * Stops the stalled-job check (pause without waiting), lock renewal, and force-closes the blocking
   * connection (the shared connection is the caller's to close).
   */
  async abandon(): Promise<void> {
    await this.pause(true);
    await this.lockManager.close();
    await this.backend.close(true);
  }
}
