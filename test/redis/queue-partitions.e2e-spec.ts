import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { BullMqUpdateQueueOptions } from '../../lib/redis/index.js';
import { FaultProxy } from './support/fault-proxy.js';
import {
  entriesFor,
  journal,
  okRuns,
  startInstance,
  textDelivery,
  type Instance,
} from './support/queue-instances.js';
import { redisServerBinary, RedisServer, uniquePrefix, waitFor } from './support/redis-server.js';

/** Partitions of queue mode (ISSUE18 §1): order after Redis faults, stuck handlers, health. */
const run = redisServerBinary() ? describe : describe.skip;

/** Index in the journal of a handler outcome for a body (-1 when absent). */
function at(body: string, outcome: 'started' | 'ok'): number {
  return journal.findIndex(
    (entry) => entry.body === body && entry.handler === 'first' && entry.outcome === outcome,
  );
}

run("processing: 'queue' partitions", () => {
  let server: RedisServer;
  const instances: Instance[] = [];
  let proxy: FaultProxy | undefined;

  beforeEach(async () => {
    server = await RedisServer.start({ config: { 'maxmemory-policy': 'noeviction' } });
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((instance) => instance.app.close()));
    await proxy?.close();
    proxy = undefined;
    await server.close();
  });

  async function start(name: string, options: Omit<BullMqUpdateQueueOptions, 'connection'>) {
    const instance = await startInstance(name, {
      connection: proxy?.url ?? server.url,
      shutdownTimeoutMs: 300,
      ...options,
    });
    instances.push(instance);
    return instance;
  }

  it('Redis emptied under running workers: the partition limit holds for jobs stored by a webhook-only replica', async () => {
    const queueName = uniquePrefix('limit');
    await start('W1', { queueName, partitions: 1 });
    await start('W2', { queueName, partitions: 1 });
    const webhook = await start('H', { queueName, partitions: 1, workers: false });
    // An empty Redis under connected clients (a flush, a failover to an empty replica): the limit
    // the workers set at startup is gone and no reconnect sets it again.
    const admin = new Redis(server.url);
    await admin.flushall();
    admin.disconnect();
    expect(await webhook.post(textDelivery('wamid.lim-1', '15557710001', 'lim-1-work-400'))).toBe(
      200,
    );
    expect(await webhook.post(textDelivery('wamid.lim-2', '15557710001', 'lim-2'))).toBe(200);
    await waitFor(() => okRuns('lim-2') === 1 && okRuns('lim-1-work-400') === 1, 'both updates');
    // One at a time, in order: the second started after the first finished.
    expect(at('lim-2', 'started')).toBeGreaterThan(at('lim-1-work-400', 'ok'));
  });

  it('a completion claim that cannot be written for 2.5 s (Redis restarting): not an attempt, handled once, in order', async () => {
    proxy = await FaultProxy.start(server.port);
    const c = await start('R', {
      queueName: uniquePrefix('claim'),
      partitions: 1,
      attempts: 1,
      enqueueTimeoutMs: 300,
    });
    const fired = proxy.arm({
      match: (command) => command.includes(':done:') && command.includes('wamid.rs-1'),
      step: 'before',
      action: 'cut',
      refuseMs: 2500,
    });
    expect(await c.post(textDelivery('wamid.rs-1', '15557720001', 'rs-1'))).toBe(200);
    let status = 0;
    for (let i = 0; i < 60 && status !== 200; i++) {
      status = await c.post(textDelivery('wamid.rs-2', '15557720001', 'rs-2'));
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    await fired;
    await waitFor(() => okRuns('rs-2', 'second') === 1, 'the second update', 20_000);
    expect([okRuns('rs-1'), okRuns('rs-2')]).toEqual([1, 1]);
    expect(at('rs-2', 'started')).toBeGreaterThan(at('rs-1', 'ok'));
    expect((await c.queue.counts()).failed).toBe(0);
  }, 40_000);

  it('a handler that never settles: the attempt fails after handlerTimeoutMs and its partition moves on', async () => {
    const c = await start('T', {
      queueName: uniquePrefix('timeout'),
      partitions: 1,
      attempts: 1,
      handlerTimeoutMs: 500,
    });
    expect(await c.post(textDelivery('wamid.hang-1', '15557730001', 'hang-1'))).toBe(200);
    expect(await c.post(textDelivery('wamid.after', '15557730002', 'after-stuck'))).toBe(200);
    await waitFor(() => okRuns('after-stuck') === 1, 'the next update of the partition');
    await waitFor(async () => (await c.queue.counts()).failed === 1, 'the stuck job to fail');
    const [failed] = await c.queue.getFailed();
    expect(failed.failedReason).toContain('did not settle within handlerTimeoutMs (500 ms)');
    expect(entriesFor('hang-1')).toHaveLength(1); // started once, never finished
  });

  it('health reports a partition whose job stays active longer than handlerTimeoutMs', async () => {
    const queueName = uniquePrefix('stuck');
    // This worker's own timeout is long: its partition stays blocked (e.g. a frozen process).
    await start('S', { queueName, partitions: 2, handlerTimeoutMs: 60_000 });
    const watcher = await start('V', {
      queueName,
      partitions: 2,
      workers: false,
      handlerTimeoutMs: 1000,
    });
    expect(await watcher.post(textDelivery('wamid.hang-2', '15557740001', 'hang-2'))).toBe(200);
    await waitFor(() => entriesFor('hang-2').length === 1, 'the handler to start');
    expect((await watcher.queue.check()).whatsapp_queue.status).toBe('up');
    await waitFor(
      async () => (await watcher.queue.check()).whatsapp_queue.status === 'down',
      'the health to report the stuck partition',
      15_000,
    );
    const health = (await watcher.queue.check()).whatsapp_queue;
    expect(health).toMatchObject({ redis: 'up', stuck: [expect.objectContaining({})] });
    expect(String(health.message)).toContain('stuck');
  }, 30_000);
});
