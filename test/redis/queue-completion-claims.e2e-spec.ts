import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BullMqUpdateQueue } from '../../lib/redis/index.js';
import type { HandlerErrorInfo } from '../../lib/index.js';
import { FaultProxy } from './support/fault-proxy.js';
import { okRuns, startInstance, textDelivery, type Instance } from './support/queue-instances.js';
import { redisServerBinary, RedisServer, uniquePrefix, waitFor } from './support/redis-server.js';

/** The queue's completion marks (ISSUE10 §2): owned by a token, and a Redis fault is not a handler failure. */
const run = redisServerBinary() ? describe : describe.skip;

run("processing: 'queue': completion marks under Redis faults", () => {
  let server: RedisServer;
  let proxy: FaultProxy;
  let instance: Instance;
  const handlerErrors: string[] = [];

  beforeAll(async () => {
    server = await RedisServer.start();
    proxy = await FaultProxy.start(server.port);
    instance = await startInstance(
      'Q',
      {
        connection: proxy.url,
        queueName: uniquePrefix('qc'),
        ordering: 'none',
        attempts: 20,
        backoffMs: 50,
        worker: { lockDuration: 1000, stalledInterval: 500 },
      },
      {
        onHandlerError: (_error: unknown, info: HandlerErrorInfo) => {
          handlerErrors.push(info.handler);
        },
      },
    );
  });
  afterAll(async () => {
    await instance?.app.close();
    await proxy?.close();
    await server?.close();
  });

  it('the completion store claims by token: a re-sent claim is mine, another token is held off', async () => {
    const queue = new BullMqUpdateQueue({
      connection: server.url,
      queueName: uniquePrefix('qt'),
      workers: false,
      worker: { lockDuration: 5000 },
    });
    try {
      const marks = queue.completions;
      expect(await marks.claim?.('u|A', 't1')).toBe('mine');
      expect(await marks.claim?.('u|A', 't1')).toBe('mine'); // the same claim, re-sent
      expect(await marks.claim?.('u|A', 't2')).toBe('held');
      expect(await marks.isDone('u|A')).toBe(false);
      await marks.release?.('u|A', 't2'); // not its lease
      await marks.complete?.('u|A', 't1', 60_000);
      expect(await marks.isDone('u|A')).toBe(true);
      expect(await marks.claim?.('u|A', 't2')).toBe('done');
      expect(await marks.claim?.('u|B', 't3')).toBe('mine');
      await marks.release?.('u|B', 't3');
      expect(await marks.claim?.('u|B', 't4')).toBe('mine');
    } finally {
      await queue.close();
    }
  });

  it.each([
    ['reset after the claim executed (re-sent: mine)', 'after-exec', 0],
    ['connection cut before the claim, Redis unreachable 2.5 s (the call fails)', 'before', 2500],
  ] as const)(
    "second handler's completion claim: %s: each handler once, no handler error",
    async (_name, step, refuseMs) => {
      const text = `qfault-${step}`;
      const id = `wamid.${text}-${Date.now().toString(36)}`;
      const fired = proxy.arm({
        // Its completion key (`...:done:m:<id>|JournalHandlers.second`), old or new store.
        match: (command) =>
          command.includes(':done:') && command.includes(id) && command.includes('.second'),
        step,
        action: 'cut',
        refuseMs,
      });
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = await instance.post(textDelivery(id, '15557770003', text));
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
      await fired;
      await waitFor(() => okRuns(text, 'second') === 1, 'the second handler', 15_000);
      await waitFor(async () => {
        const counts = await instance.queue.counts();
        return counts.waiting + counts.active + counts.delayed === 0;
      }, 'the queue to drain');
      expect({ first: okRuns(text, 'first'), second: okRuns(text, 'second') }).toEqual({
        first: 1,
        second: 1,
      });
      expect((await instance.queue.counts()).failed).toBe(0);
      // A mark that could not be written is not a handler failure.
      expect(handlerErrors).toEqual([]);
    },
  );
});
