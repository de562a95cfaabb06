import type { Redis } from 'ioredis';
import {
  closeRedis,
  connectRedis,
  whenReady,
  withTimeout,
  type OwnedRedis,
  type RedisConnection,
} from './redis-connection.js';

/**
 * One Redis connection whose every call is bounded: waits for a connecting client (one wait shared
 * by all callers), then races the command against `timeoutMs`, so "Redis down" is an error within
 * `timeoutMs`, never a hang.
 */
export class BoundedRedis {
  private readonly redis: OwnedRedis;
  private connecting?: Promise<void>;

  constructor(
    connection: RedisConnection,
    private readonly timeoutMs: number,
  ) {
    this.redis = connectRedis(connection);
  }

  get client(): Redis {
    return this.redis.client;
  }

  async call<T>(command: (client: Redis) => Promise<T>, what: string): Promise<T> {
    const client = this.redis.client;
    if (client.status !== 'ready') {
      this.connecting ??= whenReady(client, this.timeoutMs).finally(() => {
        this.connecting = undefined;
      });
      await this.connecting;
    }
    return withTimeout(command(client), this.timeoutMs, what);
  }

  /** Closes the client if we created it; a client given to us is left open. */
  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
