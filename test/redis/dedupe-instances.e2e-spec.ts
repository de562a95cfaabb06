import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisDedupeStore } from '../../lib/redis/index.js';
import {
  entriesFor,
  failuresLeft,
  startInstance,
  textDelivery,
  type Instance,
} from './support/queue-instances.js';
import {
  acquireRedis,
  redisAvailable,
  redisServerBinary,
  RedisServer,
  uniquePrefix,
} from './support/redis-server.js';

const run = redisAvailable('RedisDedupeStore with two instances') ? describe : describe.skip;
const ok = (body: string, handler: 'first' | 'second' = 'first') =>
  entriesFor(body, handler).filter((e) => e.outcome === 'ok');

/** Two at-least-once instances, each with its own RedisDedupeStore on one Redis and one prefix. */
async function pair(url: string, extra: { commandTimeoutMs?: number } = {}): Promise<Instance[]> {
  const keyPrefix = uniquePrefix('dd') + ':';
  return Promise.all(
    ['A', 'B'].map((name) =>
      startInstance(name, null, {
        dedupe: { store: new RedisDedupeStore({ connection: url, keyPrefix, ...extra }) },
      }),
    ),
  );
}

run("processing: 'at-least-once' with RedisDedupeStore, two instances sharing one Redis", () => {
  let redis: { url: string; release: () => Promise<void> };
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    redis = await acquireRedis();
    [a, b] = await pair(redis.url);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await redis.release();
  });

  it("a delivery to A and Meta's retry to B: the handlers run once", async () => {
    const body = textDelivery('wamid.ddup-1', '15556660001', 'ddup-1');
    expect(await a.post(body)).toBe(200);
    expect(await b.post(body)).toBe(200);
    expect(ok('ddup-1')).toHaveLength(1);
    expect(ok('ddup-1', 'second')).toHaveLength(1);
  });

  it('a handler failing on A (500): the retry on B runs only that handler', async () => {
    failuresLeft.set('dflaky', 1);
    const body = textDelivery('wamid.dflaky', '15556660002', 'dflaky');
    expect(await a.post(body)).toBe(500);
    expect(await b.post(body)).toBe(200);
    expect(await a.post(body)).toBe(200);
    expect(ok('dflaky')).toEqual([expect.objectContaining({ instance: 'B' })]);
    expect(ok('dflaky', 'second')).toEqual([expect.objectContaining({ instance: 'A' })]);
  });

  const withBinary = redisServerBinary() ? it : it.skip;
  withBinary(
    'Redis stopped mid-run: 503 while down (fail closed), handled once after it is back',
    async () => {
      const server = await RedisServer.start();
      const instances = await pair(server.url, { commandTimeoutMs: 300 });
      try {
        const [c, d] = instances;
        const body = textDelivery('wamid.ddown', '15556660003', 'ddown');
        await server.stop();
        expect(await c.post(body)).toBe(503);
        expect(entriesFor('ddown')).toHaveLength(0);
        await server.restart();
        // Meta's redeliveries, to either instance.
        let status = 0;
        for (let i = 0; i < 50 && status !== 200; i++) status = await d.post(body);
        expect(status).toBe(200);
        // c reconnects on its own schedule (503 until then, which Meta redelivers): never handled twice.
        status = 0;
        for (let i = 0; i < 50 && status !== 200; i++) status = await c.post(body);
        expect(status).toBe(200);
        expect(ok('ddown')).toHaveLength(1);
        expect(ok('ddown', 'second')).toHaveLength(1);
      } finally {
        await Promise.all(instances.map((instance) => instance.app.close()));
        await server.close();
      }
    },
  );
});
