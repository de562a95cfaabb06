import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DedupeStore } from '../webhook/dedupe/dedupe-store.js';
import { DedupeStoreUnavailableError } from '../webhook/dedupe/dedupe-store-unavailable.error.js';
import type { RedisConnection } from './redis-connection.js';
import { BoundedRedis } from './redis-calls.js';

/** What a store does while Redis cannot be reached. */
export type RedisUnavailableBehaviour = 'fail-closed' | 'fail-open';

export interface RedisDedupeStoreOptions {
  /** An ioredis client (shared, left open at shutdown), ioredis options, or a `redis://` URL. */
  connection: RedisConnection;
  /** Prefix of every key. Default `'wa:dedupe:'`. */
  keyPrefix?: string;
  /**
   * Redis down: `'fail-closed'` (default) throws `DedupeStoreUnavailableError`, the webhook answers
   * 503 and Meta redelivers later: nothing lost, nothing run twice. `'fail-open'` runs the handler
   * anyway and logs a warning: nothing lost, but a redelivery may run it twice.
   */
  whenUnavailable?: RedisUnavailableBehaviour;
  /** Longest wait for one Redis call before it counts as "Redis down". Default 2000 ms. */
  commandTimeoutMs?: number;
}

/**
 * A `DedupeStore` shared by every instance through Redis: a claim is `SET key 1 NX PX ttl`
 * (atomic in Redis, so of two instances receiving the same update exactly one wins), a release
 * is `DEL key`. Keys expire on their own after the TTL.
 */
export class RedisDedupeStore implements DedupeStore, OnApplicationShutdown {
  private readonly logger = new Logger(RedisDedupeStore.name);
  private readonly redis: BoundedRedis;
  private readonly keyPrefix: string;
  private readonly failOpen: boolean;
  private readonly timeoutMs: number;

  constructor(options: RedisDedupeStoreOptions) {
    if (options === null || typeof options !== 'object' || options.connection === undefined) {
      throw new TypeError(
        'RedisDedupeStore: "connection" is required (an ioredis client, options or URL)',
      );
    }
    const mode = options.whenUnavailable ?? 'fail-closed';
    if (mode !== 'fail-closed' && mode !== 'fail-open') {
      throw new TypeError(
        'RedisDedupeStore: "whenUnavailable" must be "fail-closed" or "fail-open"',
      );
    }
    this.failOpen = mode === 'fail-open';
    this.keyPrefix = options.keyPrefix ?? 'wa:dedupe:';
    this.timeoutMs = options.commandTimeoutMs ?? 2000;
    if (!Number.isInteger(this.timeoutMs) || this.timeoutMs <= 0) {
      throw new TypeError('RedisDedupeStore: "commandTimeoutMs" must be a positive integer');
    }
    this.redis = new BoundedRedis(options.connection, this.timeoutMs);
  }

  /** The ioredis client (for health checks and tests). */
  get client(): Redis {
    return this.redis.client;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    try {
      const answer = await this.redis.call(
        (client) =>
          client.set(this.keyPrefix + key, '1', 'PX', Math.max(1, Math.floor(ttlMs)), 'NX'),
        'Redis claim',
      );
      return answer === 'OK';
    } catch (error) {
      if (this.failOpen) {
        this.logger.warn(
          `Redis unavailable, handling ${key} without a shared claim (fail-open): a redelivery may run it twice`,
        );
        return true;
      }
      throw new DedupeStoreUnavailableError(
        `Redis de-duplication store unavailable while claiming ${key}; answering 503 so Meta redelivers`,
        { cause: error },
      );
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.redis.call((client) => client.del(this.keyPrefix + key), 'Redis release');
    } catch (error) {
      if (this.failOpen) {
        this.logger.warn(`Redis unavailable, could not release ${key} (fail-open)`);
        return;
      }
      throw new DedupeStoreUnavailableError(
        `Redis de-duplication store unavailable while releasing ${key}`,
        {
          cause: error,
        },
      );
    }
  }

  /** Closes the client this store created; a client you passed in is left open. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }

  close(): Promise<void> {
    return this.redis.close();
  }
}
