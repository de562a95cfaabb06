import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';

/** An existing ioredis client (shared, never closed by us), its options, or a `redis://` URL. */
export type RedisConnection = Redis | RedisOptions | string;

export interface OwnedRedis {
  client: Redis;
  /** True when we created the client and must close it. */
  owned: boolean;
}

export function isRedisClient(value: unknown): value is Redis {
  return value instanceof Redis;
}

/**
 * Resolves a `RedisConnection`. A client we create fails fast while Redis is down (no offline
 * queue, one retry per command), so callers see an error instead of waiting for a reconnect.
 */
export function connectRedis(
  connection: RedisConnection,
  overrides: RedisOptions = {},
): OwnedRedis {
  if (isRedisClient(connection)) return { client: connection, owned: false };
  const defaults: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // ioredis waits this long for a dead socket to close at shutdown (default 2 s).
    disconnectTimeout: 500,
    ...overrides,
  };
  const client =
    typeof connection === 'string'
      ? new Redis(connection, defaults)
      : new Redis({ ...defaults, ...connection });
  // Reconnects are automatic; without a listener ioredis prints every failed attempt.
  client.on('error', () => undefined);
  return { client, owned: true };
}

/** Closes a client we own: QUIT when connected (bounded), then a hard disconnect that also stops reconnecting. */
export async function closeRedis(redis: OwnedRedis): Promise<void> {
  const client = redis.client;
  if (!redis.owned || client.status === 'end') return;
  if (client.status === 'ready') {
    await withTimeout(client.quit(), 1000, 'Redis QUIT').catch(() => undefined);
  }
  client.disconnect();
}

/** Races a Redis call against `timeoutMs`, so a hung connection turns into an error. */
export async function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits (at most `timeoutMs`) for a client that is still connecting; throws when it is not ready. */
export async function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') void client.connect().catch(() => undefined);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // The signal removes the listener on timeout: no listener leak while Redis stays down.
    await once(client, 'ready', { signal: abort.signal });
  } catch {
    throw new Error(`Redis connection not ready after ${timeoutMs} ms (status ${client.status})`);
  } finally {
    clearTimeout(timer);
  }
}
