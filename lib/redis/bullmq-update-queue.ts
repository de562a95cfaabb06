import { Logger } from '@nestjs/common';
import { Queue, WaitingError, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  DedupeStoreUnavailableError,
  isDedupeStoreUnavailable,
} from '../webhook/5-dedupe/dedupe-store-unavailable.error.js';
import { QueuedUpdateFailedError } from '../webhook/3-queue/update-queue-workers.js';
import type {
  CompletionStore,
  QueuedUpdateProcessor,
  UpdateQueue,
  UpdateQueueStats,
} from '../types/ports/update-queue.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import {
  closeRedis,
  connectRedis,
  isRedisClient,
  whenReady,
  withTimeout,
  type OwnedRedis,
  type RedisConnection,
} from './redis-connection.js';
import {
  CLAIM,
  COMPLETE,
  isLease,
  LEASE_PREFIX,
  leaseClaimOf,
  RELEASE,
  runLeaseScript,
  type LeaseScript,
} from './claim-lease.lua.js';
import { checkEvictionPolicy } from './eviction-policy.js';
import { PartitionSlots } from './partition-slots.js';
import { waitUntilIdle, type QueueIdleOptions } from './queue-idle.js';
import {
  laneOfPartition,
  partitionOfUpdate,
  type PartitionLayout,
  type TenantOf,
} from './tenant-lanes.js';
import { jobIdOf } from './update-partition.js';
import { UpdateQueueHealthError, type HealthIndicatorResult } from './update-queue-health.js';
import { UpdateWorker } from './update-worker.js';

/** How long workers wait at startup for their Redis connection before refusing to start. */
const STARTUP_READY_MS = 20_000;

/**
 * How long BullMQ gets to finish `Worker.close()` once no handler of this process runs any more;
 * past it the close is stuck (see update-worker.ts) and the workers are abandoned.
 */
const STUCK_CLOSE_GRACE_MS = 2000;

/** How much longer than `handlerTimeoutMs` a job may stay active before its partition counts as stuck. */
const STUCK_PARTITION_GRACE_MS = 5000;

const DAY_SECONDS = 24 * 60 * 60;

/** Order of handling: per conversation (default) or none (plain parallel workers). */
export type UpdateOrdering = 'per-sender' | 'none';

export interface BullMqUpdateQueueOptions {
  /** An ioredis client (shared, left open), ioredis options, or a `redis://` URL. */
  connection: RedisConnection;
  /** Name of the queue (BullMQ queue per partition: `<name>.<n>`). Default `'whatsapp-updates'`. */
  queueName?: string;
  /** BullMQ key prefix. Default `'bull'`. */
  prefix?: string;
  /** Run workers in this instance. Default `true`; `false` makes a webhook-only (producer) instance. */
  workers?: boolean;
  /**
   * `'per-sender'` (default): updates of one conversation (business number + user) run one at a
   * time, in arrival order, across all instances; `partitions` conversations run in parallel.
   * `'none'`: one queue, `concurrency` jobs at once per instance, no order.
   */
  ordering?: UpdateOrdering;
  /**
   * Per-sender ordering: number of partitions (conversations are hashed onto them; at most one job
   * per partition runs at once in the whole cluster). Default 64: many more than the jobs one
   * instance runs (`concurrency`), so a flooding sender shares its partition with few others.
   */
  partitions?: number;
  /**
   * Jobs one instance runs at once. Default 8. Per-sender: the partitions take turns for these
   * slots in the order they asked, so one busy partition never holds more than one; with
   * `tenantLanes`, the lanes with waiting work take turns first.
   */
  concurrency?: number;
  /**
   * Per-sender: per-tenant fairness. The partitions are split into this many lanes (partition `p`
   * is in lane `p % tenantLanes`); all conversations of a tenant (`tenantOf`) go to the
   * `partitions / tenantLanes` partitions of its lane, and an instance's slots go to the lanes
   * with waiting work in turn. A tenant's flood then fills only its lane: the tenants of the other
   * lanes are not queued behind it. Cost: one tenant runs at most `partitions / tenantLanes` jobs
   * at once in the whole cluster, and two tenants hashed onto one lane share it (chance
   * 1/`tenantLanes`; a `tenantOf` function returning a number picks the lane). Must divide
   * `partitions`. Default 1: no lanes, conversations spread over all partitions.
   */
  tenantLanes?: number;
  /**
   * With `tenantLanes`: the tenant of an update. `'phone-number'` (default): the receiving
   * `phone_number_id` (the WABA for events without one); `'business-account'`: the WABA; or a
   * function of the update (same answer for every update of a conversation) returning a key, or a
   * lane number, synchronously. A function that throws or answers anything else (a Promise, NaN,
   * a fraction) falls back to the receiving number (warned at most once a minute).
   */
  tenantOf?: TenantOf;
  /**
   * Longest time the handlers of one job may run, in ms. Past it the attempt fails like a handler
   * failure (retried with backoff, `failedReason` says so) and the partition moves on; the call
   * itself cannot be cancelled and goes on in the background. Default 30 000.
   */
  handlerTimeoutMs?: number;
  /** How long a job that exhausted its attempts stays in the failed set, in seconds. Default 7 days. */
  keepFailedSeconds?: number;
  /**
   * How long the completion mark of a handler that succeeded is kept, in seconds. Default: the
   * module's `dedupe.ttlMs` (7 days), Meta's redelivery window. Keep it at least
   * `keepFailedSeconds`: `retryFailed()` relies on the marks to skip the handlers that succeeded.
   */
  keepCompletionMarksSeconds?: number;
  /**
   * How long an attempt waits for Redis to take a claim or a completion mark (restarting, full)
   * before the job goes back to the head of its partition, without counting an attempt. Default 5000 ms.
   */
  storeWaitMs?: number;
  /** Attempts of a job (first run included) before it stays in the failed set. Default 5. */
  attempts?: number;
  /** Base of the exponential backoff between attempts, in ms (1 s, 2 s, 4 s, ...). Default 1000. */
  backoffMs?: number;
  /** How long a completed job is kept (its id drops duplicates meanwhile), in seconds. Default 3600. */
  keepCompletedSeconds?: number;
  /** Longest wait to store a POST's updates before the webhook answers 503. Default 5000 ms. */
  enqueueTimeoutMs?: number;
  /** Longest wait at shutdown for running jobs; after it they are left to stalled-job recovery. Default 10 000 ms. */
  shutdownTimeoutMs?: number;
  /** BullMQ worker tuning (lock and stalled-job checks); defaults are BullMQ's. */
  worker?: {
    lockDuration?: number;
    stalledInterval?: number;
    maxStalledCount?: number;
    /** Wait after a connection error before fetching jobs again. Default here 1000 ms (BullMQ's: 15 000). */
    runRetryDelay?: number;
  };
}

/** A failed job, as `getFailed()` lists it. */
export interface FailedUpdateJob {
  jobId: string;
  queue: string;
  /** The update's de-duplication key. */
  key: string;
  attemptsMade: number;
  failedReason: string;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`BullMqUpdateQueue: "${name}" must be a positive integer`);
  }
  return value;
}

/**
 * The durable update queue of `processing: 'queue'` on BullMQ. The webhook stores each update as a
 * job whose id is its de-duplication key (Meta's redeliveries are dropped by BullMQ itself) and
 * answers 200; workers in any instance run the handlers, retry failures with exponential backoff,
 * and keep jobs that exhaust their attempts in the failed set (`retryFailed()` re-runs them). A job
 * whose worker dies is recovered by BullMQ's stalled-job check and run by another instance.
 */
export class BullMqUpdateQueue implements UpdateQueue {
  readonly completions: CompletionStore;
  readonly completionTtlMs?: number;
  readonly storeWaitMs: number;
  private readonly logger = new Logger('WhatsAppUpdateQueue');
  private readonly producer: OwnedRedis;
  private readonly connection: RedisConnection;
  private readonly names: string[];
  private readonly queues: Queue[];
  private readonly prefix: string;
  private readonly ordering: UpdateOrdering;
  private readonly concurrency: number;
  private readonly handlerTimeoutMs: number;
  private readonly layout: PartitionLayout;
  private tenantOfWarnedAt = -Infinity;
  /** Set when Redis, checked again after a reconnect, evicts keys: health reports it. */
  private evictionProblem?: string;
  private readonly jobOptions: JobsOptions;
  private readonly workersEnabled: boolean;
  private readonly enqueueTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly workerTuning: NonNullable<BullMqUpdateQueueOptions['worker']>;
  private workers: UpdateWorker[] = [];
  /** Jobs whose handlers run in this process now (settled promises, never rejected). */
  private readonly running = new Set<Promise<void>>();
  private workerClient?: OwnedRedis;
  private closed?: Promise<void>;

  constructor(options: BullMqUpdateQueueOptions) {
    if (options === null || typeof options !== 'object' || options.connection === undefined) {
      throw new TypeError(
        'BullMqUpdateQueue: "connection" is required (an ioredis client, options or URL)',
      );
    }
    const name = options.queueName ?? 'whatsapp-updates';
    if (!/^[\w.-]+$/.test(name)) {
      throw new TypeError('BullMqUpdateQueue: "queueName" may only hold letters, digits, _ . -');
    }
    this.ordering = options.ordering ?? 'per-sender';
    if (this.ordering !== 'per-sender' && this.ordering !== 'none') {
      throw new TypeError('BullMqUpdateQueue: "ordering" must be "per-sender" or "none"');
    }
    const partitions = positive('partitions', options.partitions, 64);
    const lanes = positive('tenantLanes', options.tenantLanes, 1);
    if (partitions % lanes !== 0) {
      throw new TypeError('BullMqUpdateQueue: "tenantLanes" must divide "partitions"');
    }
    const tenantOf = options.tenantOf ?? 'phone-number';
    if (
      tenantOf !== 'phone-number' &&
      tenantOf !== 'business-account' &&
      typeof tenantOf !== 'function'
    ) {
      throw new TypeError(
        'BullMqUpdateQueue: "tenantOf" must be "phone-number", "business-account" or a function',
      );
    }
    this.layout = { partitions, lanes: this.ordering === 'per-sender' ? lanes : 1, tenantOf };
    this.concurrency = positive('concurrency', options.concurrency, 8);
    this.names =
      this.ordering === 'per-sender'
        ? Array.from({ length: partitions }, (_, i) => `${name}.${i}`)
        : [name];
    this.prefix = options.prefix ?? 'bull';
    this.workersEnabled = options.workers ?? true;
    this.enqueueTimeoutMs = positive('enqueueTimeoutMs', options.enqueueTimeoutMs, 5000);
    this.shutdownTimeoutMs = positive('shutdownTimeoutMs', options.shutdownTimeoutMs, 10_000);
    this.workerTuning = options.worker ?? {};
    this.handlerTimeoutMs = positive('handlerTimeoutMs', options.handlerTimeoutMs, 30_000);
    this.storeWaitMs = positive('storeWaitMs', options.storeWaitMs, 5000);
    if (options.keepCompletionMarksSeconds !== undefined) {
      this.completionTtlMs =
        positive('keepCompletionMarksSeconds', options.keepCompletionMarksSeconds, 0) * 1000;
    }
    this.jobOptions = {
      attempts: positive('attempts', options.attempts, 5),
      backoff: { type: 'exponential', delay: positive('backoffMs', options.backoffMs, 1000) },
      removeOnComplete: {
        age: positive('keepCompletedSeconds', options.keepCompletedSeconds, 3600),
      },
      removeOnFail: {
        age: positive('keepFailedSeconds', options.keepFailedSeconds, 7 * DAY_SECONDS),
      },
    };
    this.connection = options.connection;
    this.producer = connectRedis(options.connection);
    this.queues = this.names.map(
      (queueName) =>
        new Queue(queueName, {
          connection: this.producer.client,
          prefix: this.prefix,
          // BullMQ keeps 10 000 events per queue by default (~0.7 MB measured): x64 partitions.
          streams: { events: { maxLen: 1000 } },
        }),
    );
    for (const queue of this.queues) {
      queue.on('error', (error) => this.logger.warn(`Queue error: ${error.message}`));
    }
    this.completions = this.completionStore(`${this.prefix}:${name}:done:`);
  }

  async enqueue(updates: readonly WebhookUpdate[]): Promise<void> {
    if (this.closed) throw new DedupeStoreUnavailableError('the update queue is closed');
    const batches = new Map<Queue, { name: string; data: WebhookUpdate; opts: JobsOptions }[]>();
    for (const update of updates) {
      const queue = this.queueFor(update);
      let batch = batches.get(queue);
      if (!batch) batches.set(queue, (batch = []));
      batch.push({
        name: update.kind,
        data: update,
        opts: { ...this.jobOptions, jobId: jobIdOf(update.key) },
      });
    }
    try {
      await withTimeout(
        Promise.all(
          [...batches].map(async ([queue, jobs]) => {
            // Every job is stored behind its partition's limit: a Redis that restarted empty has
            // it again before a worker can take the first job (workers may be other replicas).
            if (this.ordering === 'per-sender') await queue.setGlobalConcurrency(1);
            return queue.addBulk(jobs);
          }),
        ),
        this.enqueueTimeoutMs,
        'Enqueueing updates',
      );
    } catch (error) {
      throw new DedupeStoreUnavailableError(
        `Update queue unavailable: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  async start(processor: QueuedUpdateProcessor): Promise<void> {
    if (this.workers.length > 0) return;
    try {
      await this.checkRedisMemoryPolicy();
    } catch (error) {
      // Refusing to start: close the connections too, so that nothing (reconnect timers, sockets)
      // keeps the process alive after the app's bootstrap failed.
      await this.close().catch(() => undefined);
      throw error;
    }
    if (!this.workersEnabled) return;
    if (this.ordering === 'per-sender') {
      // One running job per partition across every instance: the order of a conversation holds.
      // Set again after each reconnect: a Redis restarted without persistence forgot it.
      await this.serializePartitions();
      this.producer.client.on(
        'ready',
        () => void this.serializePartitions().catch(() => undefined),
      );
    }
    const client = this.createWorkerClient();
    this.workerClient = client;
    const slots = this.ordering === 'per-sender' ? new PartitionSlots(this.concurrency) : undefined;
    this.workers = this.names.map((queueName, partition) => {
      const worker = new UpdateWorker(
        queueName,
        (job, token) => this.track(this.runJob(processor, job, token)),
        {
          slots,
          slotGroup: laneOfPartition(partition, this.layout.lanes),
          markerClient: client.client,
          connection: client.client,
          prefix: this.prefix,
          concurrency: this.ordering === 'per-sender' ? 1 : this.concurrency,
          // BullMQ waits 15 s after a connection error before fetching again (and shutdown waits for
          // that wait): after a Redis blip, resume within a second.
          runRetryDelay: 1000,
          ...this.workerTuning,
        },
      );
      worker.on('error', (error) => this.logger.warn(`Worker error: ${error.message}`));
      worker.on('failed', (job, error) => {
        if (job === undefined) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1);
        // A handler's own error was logged once already, with its stack, by the dispatcher.
        const why =
          error instanceof QueuedUpdateFailedError && error.handlersLogged
            ? 'its handler errors are logged above'
            : error.message;
        this.logger.warn(
          `Queued update ${job.data.key} failed (attempt ${job.attemptsMade}/${job.opts.attempts ?? 1})${final ? '; kept in the failed set, retryFailed() re-runs it' : ''}: ${why}`,
        );
      });
      return worker;
    });
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
    this.logger.log(
      `${this.workers.length} worker(s) started on ${this.names.length === 1 ? this.names[0] : `${this.names.length} partitions`}`,
    );
  }

  /**
   * Resolves once every update stored so far has had its attempt: no job waiting or running in any
   * partition (whichever replica runs it) and no handler of this process running; with
   * `retries: true`, also none waiting for a retry. For tests (`WhatsAppTestApp.receive()` uses it).
   */
  idle(options?: QueueIdleOptions): Promise<void> {
    return waitUntilIdle(this.queues, () => this.running.size > 0, options);
  }

  /** Stops taking jobs, waits for running ones (at most `shutdownTimeoutMs`), closes connections. */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  /** Re-runs every job of the failed set (only the handlers that failed run again). Returns how many. */
  async retryFailed(): Promise<number> {
    let count = 0;
    for (const queue of this.queues) {
      count += await queue.getFailedCount();
      await queue.retryJobs({ state: 'failed' });
    }
    return count;
  }

  /** The jobs that exhausted their attempts, with their errors. */
  async getFailed(limit = 100): Promise<FailedUpdateJob[]> {
    const failed: FailedUpdateJob[] = [];
    for (const queue of this.queues) {
      for (const job of await queue.getFailed(0, limit - 1)) {
        failed.push({
          jobId: String(job.id),
          queue: queue.name,
          key: (job.data as WebhookUpdate).key,
          attemptsMade: job.attemptsMade,
          failedReason: job.failedReason,
        });
      }
    }
    return failed.slice(0, limit);
  }

  /** Job counts summed over the partitions. */
  async counts(): Promise<
    Record<'waiting' | 'active' | 'delayed' | 'failed' | 'completed', number>
  > {
    const total = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    const all = await Promise.all(
      this.queues.map((queue) =>
        queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
      ),
    );
    for (const counts of all) {
      for (const state of Object.keys(total) as (keyof typeof total)[]) {
        total[state] += counts[state] ?? 0;
      }
    }
    return total;
  }

  /** Depth by state and the oldest waiting job's age: the `whatsapp.queue.*` gauges (docs/observability.md). */
  async stats(): Promise<UpdateQueueStats> {
    const { waiting, active, delayed, failed } = await this.counts();
    let oldest: number | undefined;
    for (const queue of this.queues) {
      // Oldest first: BullMQ lists waiting jobs in ascending order here.
      const [job] = await queue.getWaiting(0, 0);
      if (job !== undefined && (oldest === undefined || job.timestamp < oldest)) {
        oldest = job.timestamp;
      }
    }
    return {
      depth: { waiting, active, delayed, failed },
      oldestWaitingAgeMs: oldest === undefined ? undefined : Math.max(0, Date.now() - oldest),
    };
  }

  /**
   * Health in the shape of `@nestjs/terminus` (resolves, with `status: 'down'` on failure):
   * Redis reachable, this instance's workers, job counts.
   */
  async check(key = 'whatsapp_queue'): Promise<HealthIndicatorResult> {
    const workers = this.workers.filter((worker) => worker.isRunning()).length;
    try {
      await withTimeout(this.producer.client.ping(), 2000, 'Redis PING');
      const [counts, stuck] = await withTimeout(
        Promise.all([this.counts(), this.stuckPartitions()]),
        2000,
        'Queue counts',
      );
      const workersDown = this.workersEnabled && !this.closed && workers < this.workers.length;
      const down = workersDown || stuck.length > 0 || this.evictionProblem !== undefined;
      return {
        [key]: {
          status: down ? 'down' : 'up',
          redis: 'up',
          workers,
          ...counts,
          ...(stuck.length > 0
            ? {
                stuck,
                message: `${stuck.length} partition(s) stuck: a job active longer than handlerTimeoutMs (${this.handlerTimeoutMs} ms)`,
              }
            : {}),
          ...(this.evictionProblem !== undefined ? { message: this.evictionProblem } : {}),
        },
      };
    } catch (error) {
      return {
        [key]: {
          status: 'down',
          redis: 'down',
          workers,
          message: error instanceof Error ? error.message : String(error),
        },
      };
    }
  }

  /** For `HealthCheckService.check([() => queue.isHealthy()])`: throws `UpdateQueueHealthError` when down. */
  async isHealthy(key = 'whatsapp_queue'): Promise<HealthIndicatorResult> {
    const result = await this.check(key);
    if (result[key].status === 'down') {
      throw new UpdateQueueHealthError('WhatsApp update queue is down', result);
    }
    return result;
  }

  /**
   * Refuses to start on an evicting Redis (eviction-policy.ts). Checked again after every
   * reconnect (a failover may land on a server set up differently): health then reports it.
   */
  private async checkRedisMemoryPolicy(): Promise<void> {
    const client = this.producer.client;
    try {
      // Workers need Redis to start: give a slow start (a busy host, a Redis coming up beside the
      // app) more than one enqueue timeout before refusing.
      await whenReady(
        client,
        this.workersEnabled
          ? Math.max(this.enqueueTimeoutMs, STARTUP_READY_MS)
          : this.enqueueTimeoutMs,
      );
    } catch (error) {
      // A webhook-only replica starts without Redis (it answers 503 until Redis is back).
      if (this.workersEnabled) throw error;
      this.logger.warn('Redis not reachable at startup: maxmemory-policy is checked once it is');
    }
    if (client.status === 'ready') await checkEvictionPolicy(client, this.logger);
    client.on('ready', () => {
      checkEvictionPolicy(client, this.logger).then(
        () => (this.evictionProblem = undefined),
        (error: unknown) => {
          if (!(error instanceof Error) || error.name !== 'RedisEvictionPolicyError') return;
          this.evictionProblem = error.message;
          this.logger.error(error.message);
        },
      );
    });
  }

  /**
   * One attempt of a job: the handlers, bounded by `handlerTimeoutMs`. When Redis could not take a
   * claim or a mark (not a handler failure), the job goes back to the head of its partition's
   * queue without counting an attempt (BullMQ's `moveToWait` + `WaitingError`), so the later
   * updates of its conversation still wait behind it.
   */
  private async runJob(
    processor: QueuedUpdateProcessor,
    job: Job<WebhookUpdate>,
    token: string | undefined,
  ): Promise<void> {
    for (;;) {
      try {
        await this.timed(processor(job.data), job.data.key);
        return;
      } catch (error) {
        if (!isDedupeStoreUnavailable(error) || token === undefined) throw error;
        try {
          await job.moveToWait(token);
        } catch {
          // Redis refuses that too (full): keep the job, and its partition, and try again.
          if (this.closed) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000));
          continue;
        }
        this.logger.warn(
          `Queued update ${job.data.key} back to the head of its queue, not counted as an attempt: ${error.message}`,
        );
        throw new WaitingError();
      }
    }
  }

  /** Fails the attempt when the handlers have not settled within `handlerTimeoutMs`. */
  private async timed(work: Promise<void>, key: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new QueuedUpdateFailedError(
              `the handlers of ${key} did not settle within handlerTimeoutMs (${this.handlerTimeoutMs} ms): attempt failed, its partition moves on (the call goes on in the background)`,
            ),
          ),
        this.handlerTimeoutMs,
      );
      // Only a bound on work that is running anyway: never what keeps a closing process alive.
      timer.unref();
    });
    try {
      await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Partitions whose oldest running job started longer than `handlerTimeoutMs` (+5 s) ago. */
  private async stuckPartitions(): Promise<{ partition: string; activeForMs: number }[]> {
    const limit = this.handlerTimeoutMs + STUCK_PARTITION_GRACE_MS;
    const now = Date.now();
    const stuck = await Promise.all(
      this.queues.map(async (queue) => {
        const active = await queue.getActive(0, 9);
        const started = Math.min(...active.map((job) => job.processedOn ?? now));
        return { partition: queue.name, activeForMs: now - started };
      }),
    );
    return stuck.filter((entry) => entry.activeForMs > limit);
  }

  private async serializePartitions(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.setGlobalConcurrency(1)));
  }

  private queueFor(update: WebhookUpdate): Queue {
    if (this.queues.length === 1) return this.queues[0];
    return this.queues[
      partitionOfUpdate(update, this.layout, (reason) => this.warnTenantOf(reason, update.key))
    ];
  }

  /** A failing `tenantOf` is logged at most once a minute: it may fail for every update of a flood. */
  private warnTenantOf(reason: string, key: string): void {
    const now = Date.now();
    if (now - this.tenantOfWarnedAt < 60_000) return;
    this.tenantOfWarnedAt = now;
    // The key is an id from the body: bounded, a signed body may hold a huge one.
    const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
    this.logger.warn(
      `${reason}: ${shown} (and others for a minute) go to their receiving number's lane`,
    );
  }

  /** Workers need a connection that waits through Redis outages (BullMQ: maxRetriesPerRequest null). */
  private createWorkerClient(): OwnedRedis {
    const settings = {
      maxRetriesPerRequest: null,
      enableOfflineQueue: true,
      disconnectTimeout: 500,
    };
    const source = this.connection;
    const client = isRedisClient(source)
      ? source.duplicate(settings)
      : typeof source === 'string'
        ? new Redis(source, settings)
        : new Redis({ ...source, ...settings });
    client.on('error', () => undefined);
    return { client, owned: true };
  }

  /**
   * Completion marks as token-owned leases (claim-lease.lua.ts): a handler's claim is a lease as
   * long as the worker lock (`lockDuration`, BullMQ's default 30 s), so a job that BullMQ recovers
   * from a dead worker finds it expired, while a job run twice at once (a lock lost under load)
   * runs each handler once. Every call is bounded by `enqueueTimeoutMs`.
   */
  private completionStore(keyPrefix: string): CompletionStore {
    const timeoutMs = this.enqueueTimeoutMs;
    const leaseMs = this.workerTuning.lockDuration ?? 30_000;
    // Waits for a (re)connecting client (no offline queue on it), then bounds the call.
    const call = async <T>(command: (client: Redis) => Promise<T>): Promise<T> => {
      const client = this.producer.client;
      await whenReady(client, timeoutMs);
      return withTimeout(command(client), timeoutMs, 'Redis completion mark');
    };
    const script = (leaseScript: LeaseScript, key: string, ...args: (string | number)[]) =>
      call((client) => runLeaseScript(client, leaseScript, keyPrefix + key, args));
    return {
      isDone: async (key) => {
        const value = await call((client) => client.get(keyPrefix + key));
        return value !== null && !isLease(value);
      },
      markDone: async (key, ttlMs) => {
        await call((client) => client.set(keyPrefix + key, 'done', 'PX', ttlMs));
      },
      claim: async (key, token) =>
        leaseClaimOf(await script(CLAIM, key, LEASE_PREFIX + token, leaseMs)),
      complete: async (key, token, ttlMs) => {
        await script(COMPLETE, key, LEASE_PREFIX + token, ttlMs);
      },
      release: async (key, token) => {
        await script(RELEASE, key, LEASE_PREFIX + token);
      },
    };
  }

  /** Records a running job until it settles, so shutdown knows when this process is idle. */
  private track(run: Promise<void>): Promise<void> {
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return run;
  }

  /**
   * Resolves true once every worker closed, or false once this process ran no job for
   * STUCK_CLOSE_GRACE_MS while a close still hangs (Redis unreachable: update-worker.ts).
   */
  private async workersClosed(finished: Promise<void>): Promise<boolean> {
    const closed = finished.then(() => true);
    const idle = (async () => {
      while (this.running.size > 0) await Promise.all([...this.running]);
      await new Promise((resolve) => setTimeout(resolve, STUCK_CLOSE_GRACE_MS).unref());
      return false;
    })();
    return Promise.race([closed, idle]);
  }

  private async shutdown(): Promise<void> {
    // close() stops taking jobs at once, then resolves when the running ones have finished.
    const finished = Promise.all(this.workers.map((worker) => worker.close())).then(
      () => undefined,
    );
    const closing = this.workersClosed(finished);
    let drained = true;
    try {
      await withTimeout(closing, this.shutdownTimeoutMs, 'Waiting for running jobs');
    } catch {
      drained = false;
      this.logger.warn(
        this.running.size > 0
          ? `Jobs still running after shutdownTimeoutMs (${this.shutdownTimeoutMs} ms): they go on in the background; if the process exits first, another replica recovers them as stalled`
          : `Workers not closed after shutdownTimeoutMs (${this.shutdownTimeoutMs} ms), Redis unreachable: they are let go`,
      );
    }
    const release = async (closedCleanly: boolean): Promise<void> => {
      // A close that hangs leaves timers and a connection behind: nothing may outlive close().
      if (!closedCleanly) {
        await withTimeout(
          Promise.all(this.workers.map((worker) => worker.abandon())),
          2000,
          'Abandoning workers',
        ).catch(() => undefined);
      }
      await withTimeout(
        Promise.all(this.queues.map((queue) => queue.close())),
        2000,
        'Closing queues',
      ).catch(() => undefined);
      if (this.workerClient) await closeRedis(this.workerClient);
      await closeRedis(this.producer);
    };
    // A running job still needs Redis to record its outcome: release the connections after it.
    if (drained) await release(await closing);
    else void closing.then(release, () => release(false));
  }
}
