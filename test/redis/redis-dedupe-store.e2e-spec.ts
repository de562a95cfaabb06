import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { DedupeStoreUnavailableError, RedisDedupeStore } from '../../lib/redis/index.js';
import {
  acquireRedis,
  redisAvailable,
  redisServerBinary,
  RedisServer,
  uniquePrefix,
  waitFor,
} from './support/redis-server.js';

const run = redisAvailable('RedisDedupeStore') ? describe : describe.skip;

run('RedisDedupeStore (real Redis)', () => {
  let redis: { url: string; release: () => Promise<void> };
  const stores: RedisDedupeStore[] = [];
  const store = (options: Partial<ConstructorParameters<typeof RedisDedupeStore>[0]> = {}) => {
    const created = new RedisDedupeStore({
      connection: redis.url,
      keyPrefix: uniquePrefix('dd') + ':',
      ...options,
    });
    stores.push(created);
    return created;
  };

  beforeAll(async () => {
    redis = await acquireRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis.release();
  });

  it('claims a key once, across two stores (two instances) sharing the prefix', async () => {
    const keyPrefix = uniquePrefix('shared') + ':';
    const a = store({ keyPrefix });
    const b = store({ keyPrefix });
    expect(await a.claim('m:wamid.1|H.on', 60_000)).toBe(true);
    // Not confirmed yet: another claim is told it is pending, not that it was handled.
    expect(await b.claim('m:wamid.1|H.on', 60_000)).toBe('pending');
    expect(await a.claim('m:wamid.1|H.on', 60_000)).toBe('pending');
    await a.complete('m:wamid.1|H.on', 60_000);
    expect(await b.claim('m:wamid.1|H.on', 60_000)).toBe(false);
    expect(await a.claim('m:wamid.1|H.on', 60_000)).toBe(false);
    expect(await b.claim('m:wamid.2|H.on', 60_000)).toBe(true);
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const keyPrefix = uniquePrefix('race') + ':';
    const contenders = [store({ keyPrefix }), store({ keyPrefix }), store({ keyPrefix })];
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => contenders[i % 3].claim('k', 60_000)),
    );
    expect(results.filter((result) => result === true)).toHaveLength(1);
    expect(results.filter((result) => result === 'pending')).toHaveLength(29);
  });

  it('a claim is a lease (leaseMs), done keeps the TTL, release gives the key back', async () => {
    const keyPrefix = uniquePrefix('rel') + ':';
    const s = store({ keyPrefix, leaseMs: 5000 });
    expect(await s.claim('k', 60_000)).toBe(true);
    const lease = await s.client.pttl(`${keyPrefix}k`);
    expect(lease).toBeGreaterThan(4000);
    expect(lease).toBeLessThanOrEqual(5000);
    await s.release('k');
    expect(await s.client.exists(`${keyPrefix}k`)).toBe(0);
    expect(await s.claim('k', 60_000)).toBe(true);
    await s.complete('k', 60_000);
    expect(await s.client.get(`${keyPrefix}k`)).toBe('done');
    const ttl = await s.client.pttl(`${keyPrefix}k`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // A late release (or complete) of a confirmed key changes nothing.
    await s.release('k');
    expect(await s.claim('k', 60_000)).toBe(false);
  });

  it("only the owner's token confirms or releases; an expired lease lets the next claim run", async () => {
    const keyPrefix = uniquePrefix('own') + ':';
    const a = store({ keyPrefix, leaseMs: 200 });
    const b = store({ keyPrefix, leaseMs: 60_000 });
    expect(await a.claim('k', 60_000)).toBe(true);
    await waitFor(async () => (await b.claim('k', 60_000)) === true, 'the lease to expire', 5000);
    // a's handler was slower than its lease: its release must not free b's claim.
    await a.release('k');
    expect(await a.claim('k', 60_000)).toBe('pending');
    await b.complete('k', 60_000);
    expect(await a.claim('k', 60_000)).toBe(false);
  });

  it('counts a key written by an older version (value 1) as handled', async () => {
    const keyPrefix = uniquePrefix('old') + ':';
    const s = store({ keyPrefix });
    expect(await s.claim('other', 60_000)).toBe(true); // connected
    await s.client.set(`${keyPrefix}k`, '1', 'PX', 60_000);
    expect(await s.claim('k', 60_000)).toBe(false);
  });

  it('forgets a key after its TTL', async () => {
    const s = store();
    expect(await s.claim('short', 50)).toBe(true);
    await s.complete('short', 50);
    await waitFor(async () => (await s.claim('short', 50)) === true, 'the claim to expire', 5000);
  });

  it('uses a client it is given and leaves it open at shutdown', async () => {
    const client = new Redis(redis.url);
    const s = new RedisDedupeStore({ connection: client, keyPrefix: uniquePrefix('own') + ':' });
    expect(await s.claim('k', 1000)).toBe(true);
    await s.onApplicationShutdown();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('rejects bad options, naming the field', () => {
    expect(() => new RedisDedupeStore({} as never)).toThrow(/"connection"/);
    expect(
      () => new RedisDedupeStore({ connection: redis.url, whenUnavailable: 'maybe' as never }),
    ).toThrow(/"whenUnavailable"/);
    expect(() => new RedisDedupeStore({ connection: redis.url, leaseMs: 0 })).toThrow(/"leaseMs"/);
  });

  const withBinary = redisServerBinary() ? describe : describe.skip;
  withBinary('while Redis is down', () => {
    let server: RedisServer;
    beforeAll(async () => {
      server = await RedisServer.start();
    });
    afterAll(async () => {
      // Stores first: a client whose server is gone for good would keep reconnecting.
      await Promise.all(stores.map((s) => s.close()));
      await server.close();
    });

    it('fails closed by default, and works again once Redis is back', async () => {
      const s = store({ connection: server.url, commandTimeoutMs: 300 });
      expect(await s.claim('before', 60_000)).toBe(true);
      await server.stop();
      await expect(s.claim('during', 60_000)).rejects.toBeInstanceOf(DedupeStoreUnavailableError);
      // The failed claim holds nothing: nothing to release. A claim held before the outage cannot be.
      await expect(s.release('during')).resolves.toBeUndefined();
      await expect(s.release('before')).rejects.toBeInstanceOf(DedupeStoreUnavailableError);
      await server.restart();
      await waitFor(
        async () => (await s.claim('after', 60_000).catch(() => false)) === true,
        'Redis to come back',
      );
      // A fresh server (no persistence) remembers nothing: the key claimed during the outage was never stored.
      expect(await s.claim('during', 60_000)).toBe(true);
    });

    it('fails open when configured: the handler runs', async () => {
      const s = store({
        connection: server.url,
        commandTimeoutMs: 300,
        whenUnavailable: 'fail-open',
      });
      expect(await s.claim('held', 60_000)).toBe(true);
      await server.stop();
      expect(await s.claim('k', 60_000)).toBe(true);
      await expect(s.release('held')).resolves.toBeUndefined();
      await expect(s.complete('k', 60_000)).resolves.toBeUndefined();
      await server.restart();
    });
  });
});
