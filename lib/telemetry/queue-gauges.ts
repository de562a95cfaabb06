import type { UpdateQueueStats } from '../types/ports/update-queue.js';
import type { OtelMeter, OtelObservableCallback, OtelObservableGauge } from './otel-api.js';
import { ATTR, METRIC } from './telemetry-names.js';

/** A queue that may report its statistics. */
export interface QueueStatsSource {
  stats?(): Promise<UpdateQueueStats>;
}

/** A collection must not hang on an unreachable Redis: a slow `stats()` is skipped. */
const STATS_TIMEOUT_MS = 2000;
/** Both gauges of one collection share one `stats()` call. */
const STATS_REUSE_MS = 1000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** `whatsapp.queue.depth` and `whatsapp.queue.oldest_age`, observed from the queues' `stats()`. */
export class QueueGauges {
  readonly #depth: OtelObservableGauge;
  readonly #age: OtelObservableGauge;

  constructor(meter: OtelMeter) {
    this.#depth = meter.createObservableGauge(METRIC.queueDepth, {
      unit: '{job}',
      description: 'Jobs of the durable update queue, by state',
    });
    this.#age = meter.createObservableGauge(METRIC.queueAge, {
      unit: 's',
      description: 'Age of the oldest waiting job of the durable update queue',
    });
  }

  /** Starts observing `queue`; returns the function that stops it. */
  add(queue: QueueStatsSource): () => void {
    let last: { at: number; stats: Promise<UpdateQueueStats | undefined> } | undefined;
    const read = (): Promise<UpdateQueueStats | undefined> => {
      const now = Date.now();
      if (last === undefined || now - last.at > STATS_REUSE_MS) {
        const stats = Promise.resolve()
          .then(() => queue.stats?.())
          .catch(() => undefined);
        last = { at: now, stats: withTimeout(stats, STATS_TIMEOUT_MS) };
      }
      return last.stats;
    };
    const depth: OtelObservableCallback = async (result) => {
      const stats = await read();
      if (stats === undefined) return;
      for (const [state, count] of Object.entries(stats.depth)) {
        result.observe(count, { [ATTR.queueState]: state });
      }
    };
    const age: OtelObservableCallback = async (result) => {
      const stats = await read();
      if (stats !== undefined) result.observe((stats.oldestWaitingAgeMs ?? 0) / 1000);
    };
    this.#depth.addCallback(depth);
    this.#age.addCallback(age);
    return () => {
      this.#depth.removeCallback(depth);
      this.#age.removeCallback(age);
    };
  }
}
