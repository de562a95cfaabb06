import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DedupeClaim, DedupeStore } from '../types/ports/dedupe-store.js';
import { DedupeStoreUnavailableError } from '../webhook/5-dedupe/dedupe-store-unavailable.error.js';
import {
  CLAIM,
  COMPLETE,
  leaseClaimOf,
  newLeaseToken,
  RELEASE,
  runLeaseScript,
  type LeaseScript,
} from './claim-lease.lua.js';
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
  /**
   * How long a claim whose handler has not succeeded yet blocks the key. Default 60 000 ms (four
   * times the default `ackTimeoutMs`). A claim that Redis executed after we gave up waiting, or whose
   * process died mid-handler, expires after it and Meta's next redelivery runs the handler; until
   * then redeliveries of the update get 500 (at-least-once). Keep it longer than your slowest
   * handler: a redelivery after it may run the handler a second time while the first still runs.
   */
  leaseMs?: number;
}

/** Most leases this store remembers before it drops expired ones (a caller that never confirms). */
const LEASE_SWEEP_AT = 10_000;

interface HeldLease {
  token: string;
  expiresAt: number;
}

/**
 * A `DedupeStore` shared by every instance through Redis. A claim is a lease owned by a random
 * token, taken atomically by a Lua script (of two instances receiving the same update exactly one
 * wins): `complete` turns it into `done` for the TTL once the handler succeeded, `release` deletes
 * it when the handler failed, both only while the key still holds the token. "The key holds my
 * token" counts as mine, so a claim that ioredis re-sends after a connection reset is not mistaken
 * for a duplicate, and a claim that executed after a timeout only blocks the key for `leaseMs`.
 * See docs/scaling.md for the fault matrix and what Redis persistence guarantees.
 */
export class RedisDedupeStore implements DedupeStore, OnApplicationShutdown {
  private readonly logger = new Logger(RedisDedupeStore.name);
  private readonly redis: BoundedRedis;
  private readonly keyPrefix: string;
  private readonly failOpen: boolean;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  /** Leases this store won and has not confirmed or released yet, by key. */
  private readonly leases = new Map<string, HeldLease>();

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
    this.leaseMs = options.leaseMs ?? 60_000;
    if (!Number.isInteger(this.leaseMs) || this.leaseMs <= 0) {
      throw new TypeError('RedisDedupeStore: "leaseMs" must be a positive integer');
    }
    this.redis = new BoundedRedis(options.connection, this.timeoutMs);
  }

  /** The ioredis client (for health checks and tests). */
  get client(): Redis {
    return this.redis.client;
  }

  async claim(key: string, ttlMs: number): Promise<DedupeClaim> {
    const token = newLeaseToken();
    const leaseMs = Math.max(1, Math.min(this.leaseMs, Math.floor(ttlMs)));
    try {
      const answer = leaseClaimOf(
        await this.runScript(CLAIM, key, [token, leaseMs], 'Redis claim'),
      );
      if (answer === 'mine') {
        this.hold(key, token, leaseMs);
        return true;
      }
      return answer === 'held' ? 'pending' : false;
    } catch (error) {
      // The claim may still run in Redis (a timeout) or have run (a reset): give it back if it did.
      // If that fails too, the lease expires after leaseMs and a redelivery runs the handler.
      void this.runScript(RELEASE, key, [token], 'Redis release').catch(() => undefined);
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

  /** Marks a claim of this store done for `ttlMs` (its handler succeeded). */
  async complete(key: string, ttlMs: number): Promise<void> {
    const lease = this.leases.get(key);
    if (lease === undefined) return;
    this.leases.delete(key);
    try {
      const done = await this.runScript(
        COMPLETE,
        key,
        [lease.token, Math.max(1, Math.floor(ttlMs))],
        'Redis complete',
      );
      if (done !== 1) {
        this.logger.warn(
          `The claim of ${key} expired before its handler succeeded and another claim holds it now (a handler slower than leaseMs ${this.leaseMs} ms?): it may run twice`,
        );
      }
    } catch (error) {
      // The handler ran: the lease expires after leaseMs; only a redelivery after that re-runs it.
      const message = `Redis unavailable while confirming ${key}: its claim expires after leaseMs (${this.leaseMs} ms), a later redelivery would run it again`;
      if (this.failOpen) {
        this.logger.warn(message);
        return;
      }
      throw new DedupeStoreUnavailableError(message, { cause: error });
    }
  }

  /** Gives back a claim of this store (its handler failed); a key held by another claim is left alone. */
  async release(key: string): Promise<void> {
    const lease = this.leases.get(key);
    if (lease === undefined) return;
    this.leases.delete(key);
    try {
      await this.runScript(RELEASE, key, [lease.token], 'Redis release');
    } catch (error) {
      if (this.failOpen) {
        this.logger.warn(`Redis unavailable, could not release ${key} (fail-open)`);
        return;
      }
      throw new DedupeStoreUnavailableError(
        `Redis de-duplication store unavailable while releasing ${key}; its claim expires after leaseMs (${this.leaseMs} ms)`,
        { cause: error },
      );
    }
  }

  private runScript(
    script: LeaseScript,
    key: string,
    args: (string | number)[],
    what: string,
  ): Promise<unknown> {
    return this.redis.call(
      (client) => runLeaseScript(client, script, this.keyPrefix + key, args),
      what,
    );
  }

  /** Remembers a lease won by this store; drops expired ones when a caller never confirms them. */
  private hold(key: string, token: string, leaseMs: number): void {
    const now = Date.now();
    if (this.leases.size >= LEASE_SWEEP_AT) {
      for (const [held, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(held);
    }
    this.leases.set(key, { token, expiresAt: now + leaseMs });
  }

  /** Closes the client this store created; a client you passed in is left open. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.close();
  }

  close(): Promise<void> {
    return this.redis.close();
  }
}
