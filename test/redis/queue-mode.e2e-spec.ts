import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { BullMqUpdateQueueOptions } from '../../lib/redis/index.js';
import {
  entriesFor,
  failuresLeft,
  journal,
  startInstance,
  textDelivery,
  type Instance,
} from './support/queue-instances.js';
import { acquireRedis, redisAvailable, uniquePrefix, waitFor } from './support/redis-server.js';

const run = redisAvailable('processing: queue (BullMQ)') ? describe : describe.skip;

run("processing: 'queue' on BullMQ, two instances sharing one Redis", () => {
  let redis: { url: string; release: () => Promise<void> };
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await acquireRedis();
    const shared: BullMqUpdateQueueOptions = {
      connection: redis.url,
      queueName: uniquePrefix('q'),
      partitions: 4,
      attempts: 3,
      backoffMs: 20,
    };
    a = await startInstance('A', shared);
    b = await startInstance('B', shared);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await redis.release();
  });

  /** Waits until no job is waiting, running or waiting for a retry. */
  async function idle(): Promise<void> {
    await waitFor(async () => {
      const counts = await a.queue.counts();
      return counts.waiting + counts.active + counts.delayed === 0;
    }, 'the queue to drain');
  }

  it("a delivery to A and Meta's retry to B: both answered 200, the handler runs once", async () => {
    const body = textDelivery('wamid.dup-1', '15551110001', 'dup-1');
    expect(await a.post(body)).toBe(200);
    expect(await b.post(body)).toBe(200);
    await waitFor(() => entriesFor('dup-1', 'second').length > 0, 'the update to be handled');
    await idle();
    // A third delivery, after the job completed, is dropped too (completion marks).
    expect(await a.post(body)).toBe(200);
    await idle();
    expect(entriesFor('dup-1').filter((e) => e.outcome === 'ok')).toHaveLength(1);
    expect(entriesFor('dup-1')).toHaveLength(2); // started + ok, once
    expect(entriesFor('dup-1', 'second')).toHaveLength(1);
  });

  it('a handler failing twice then succeeding: three attempts, one success, the other handler once', async () => {
    failuresLeft.set('flaky', 2);
    expect(await a.post(textDelivery('wamid.flaky', '15551110002', 'flaky'))).toBe(200);
    await waitFor(
      () => entriesFor('flaky').some((e) => e.outcome === 'ok'),
      'the third attempt to succeed',
    );
    await idle();
    const outcomes = entriesFor('flaky').map((e) => e.outcome);
    expect(outcomes.filter((o) => o === 'started')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    // Retries run only what failed: the second handler succeeded on the first attempt.
    expect(entriesFor('flaky', 'second')).toHaveLength(1);
  });

  it('a job that exhausts its attempts stays failed with its error; retryFailed() re-runs only what failed', async () => {
    failuresLeft.set('poison', 3);
    expect(await b.post(textDelivery('wamid.poison', '15551110003', 'poison'))).toBe(200);
    await waitFor(async () => (await a.queue.counts()).failed === 1, 'the job to fail');
    const [failed] = await a.queue.getFailed();
    expect(failed).toMatchObject({ key: 'm:wamid.poison', attemptsMade: 3 });
    expect(failed.failedReason).toContain('JournalHandlers.first: planned failure of poison');
    expect(entriesFor('poison').filter((e) => e.outcome === 'started')).toHaveLength(3);

    expect(await b.queue.retryFailed()).toBe(1);
    await waitFor(() => entriesFor('poison').some((e) => e.outcome === 'ok'), 'the re-run');
    await idle();
    expect((await a.queue.counts()).failed).toBe(0);
    expect(entriesFor('poison', 'second')).toHaveLength(1);
  });

  it('keeps the order of each conversation across both instances, while conversations run in parallel', async () => {
    const senders = ['15552220001', '15552220002', '15552220003'];
    const expected = new Map<string, string[]>();
    // Sequential POSTs, alternating between the instances, interleaving the senders.
    for (let n = 0; n < 8; n++) {
      for (const [s, from] of senders.entries()) {
        // Earlier updates take longer: without the per-conversation order they would finish last.
        const body = `order-${s}-${n}-work-${(8 - n) * 25}`;
        expected.set(from, [...(expected.get(from) ?? []), body]);
        const target = (n + s) % 2 === 0 ? a : b;
        expect(await target.post(textDelivery(`wamid.order-${s}-${n}`, from, body))).toBe(200);
      }
    }
    await waitFor(
      () =>
        journal.filter((e) => e.body.startsWith('order-') && e.handler === 'second').length === 24,
      'all 24 updates to be handled',
    );
    for (const [from, bodies] of expected) {
      const handled = journal
        .filter((e) => e.from === from && e.handler === 'first' && e.outcome === 'ok')
        .map((e) => e.body);
      expect(handled).toEqual(bodies);
    }
    // Both instances worked.
    const workers = new Set(
      journal.filter((e) => e.body.startsWith('order-')).map((e) => e.instance),
    );
    expect(workers).toEqual(new Set(['A', 'B']));
  });

  it("a failing handler is logged once (not by Nest's ExceptionsHandler and again by the queue)", async () => {
    const lines: string[] = [];
    const original = { error: Logger.prototype.error, warn: Logger.prototype.warn };
    const record = (level: 'error' | 'warn') =>
      function (this: Logger, message: unknown, ...rest: unknown[]) {
        lines.push(
          [message, ...rest]
            .map((part) => (part instanceof Error ? part.message : String(part)))
            .join(' '),
        );
        return original[level].call(this, message, ...rest);
      };
    Logger.prototype.error = record('error');
    Logger.prototype.warn = record('warn');
    try {
      failuresLeft.set('log-once', 1);
      expect(await a.post(textDelivery('wamid.log-once', '15551110009', 'log-once'))).toBe(200);
      await waitFor(() => entriesFor('log-once').some((e) => e.outcome === 'ok'), 'the retry');
      await idle();
    } finally {
      Logger.prototype.error = original.error;
      Logger.prototype.warn = original.warn;
    }
    const mentions = lines.filter((line) => line.includes('planned failure of log-once'));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toContain('JournalHandlers.first');
    expect(lines.filter((line) => line.includes('m:wamid.log-once'))).toHaveLength(2);
  });

  it('reports health in the terminus shape', async () => {
    const health = await a.queue.check('queue');
    expect(health.queue).toMatchObject({ status: 'up', redis: 'up', workers: 4 });
    await expect(a.queue.isHealthy('queue')).resolves.toMatchObject({ queue: { status: 'up' } });
  });
});
