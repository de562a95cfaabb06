import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  entriesFor,
  okRuns,
  startInstance,
  textDelivery,
  type Instance,
} from './support/queue-instances.js';
import { redisServerBinary, RedisServer, uniquePrefix, waitFor } from './support/redis-server.js';

/** Queue mode under Redis memory pressure (ISSUE18 §1): a full Redis, and an evicting one. */
const run = redisServerBinary() ? describe : describe.skip;

run("processing: 'queue' and Redis memory", () => {
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  let instance: Instance | undefined;

  afterEach(async () => {
    await instance?.app.close();
    instance = undefined;
    admin?.disconnect();
    await server?.close();
  });

  it('Redis at maxmemory (noeviction) while handlers run: every handler runs exactly once, no job fails', async () => {
    server = await RedisServer.start({ config: { 'maxmemory-policy': 'noeviction' } });
    admin = new Redis(server.url);
    const c = await startInstance('M', {
      connection: server.url,
      queueName: uniquePrefix('oom'),
      partitions: 4,
      concurrency: 4,
      attempts: 5,
      backoffMs: 100,
      // Short leases: a mark that could not be written has long expired when Redis has room again.
      worker: { lockDuration: 1000, stalledInterval: 500 },
    });
    instance = c;
    const bodies = Array.from({ length: 8 }, (_, i) => `oom-${i}-work-600`);
    for (const [i, body] of bodies.entries()) {
      expect(await c.post(textDelivery(`wamid.oom-${i}`, `1555880000${i}`, body))).toBe(200);
    }
    await waitFor(
      () => bodies.filter((body) => entriesFor(body).length > 0).length >= 2,
      'handlers to start',
    );
    // Redis is full now: every write is refused with OOM until it has room again.
    await admin.config('SET', 'maxmemory', '1');
    expect(await c.post(textDelivery('wamid.oom-refused', '15558809999', 'refused'))).toBe(503);
    await waitFor(
      () => bodies.some((body) => okRuns(body) > 0),
      'a handler to finish while Redis is full',
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await admin.config('SET', 'maxmemory', '0');

    await waitFor(
      async () => {
        const counts = await c.queue.counts();
        return counts.completed + counts.failed === bodies.length;
      },
      'every job to finish',
      30_000,
    );
    expect(bodies.map((body) => okRuns(body))).toEqual(bodies.map(() => 1));
    expect(bodies.map((body) => okRuns(body, 'second'))).toEqual(bodies.map(() => 1));
    expect((await c.queue.counts()).failed).toBe(0);
  }, 60_000);

  it.each(['allkeys-lru', 'volatile-ttl'])(
    'maxmemory-policy %s: the app refuses to start, naming the setting',
    async (policy) => {
      server = await RedisServer.start({ config: { 'maxmemory-policy': policy } });
      await expect(
        startInstance('E', { connection: server.url, queueName: uniquePrefix('evict') }),
      ).rejects.toThrow(`maxmemory-policy is "${policy}"`);
    },
  );

  it('a webhook-only replica refuses to start on an evicting Redis too', async () => {
    server = await RedisServer.start({ config: { 'maxmemory-policy': 'allkeys-lfu' } });
    await expect(
      startInstance('W', {
        connection: server.url,
        queueName: uniquePrefix('evict'),
        workers: false,
      }),
    ).rejects.toThrow('noeviction');
  });

  it('CONFIG disabled (managed Redis): starts, with a warning that the policy could not be checked', async () => {
    server = await RedisServer.start({ config: { 'rename-command': ['CONFIG', '""'] } });
    const warnings: string[] = [];
    const warn = jestSpyOnWarn(warnings);
    try {
      instance = await startInstance('K', {
        connection: server.url,
        queueName: uniquePrefix('noconfig'),
      });
    } finally {
      warn.restore();
    }
    expect(warnings.filter((line) => line.includes('maxmemory-policy'))).toEqual([
      expect.stringContaining('could not be checked'),
    ]);
  });
});

/** Collects what Nest loggers warn (the instances run with `logger: false`, so the static one is spied). */
function jestSpyOnWarn(into: string[]): { restore: () => void } {
  const original = Logger.prototype.warn;
  Logger.prototype.warn = function (this: Logger, message: unknown, ...rest: unknown[]) {
    into.push(String(message));
    return original.call(this, message, ...rest);
  };
  return {
    restore: () => {
      Logger.prototype.warn = original;
    },
  };
}
