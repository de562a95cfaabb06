import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** Thrown at startup when Redis may evict keys: queued updates would be lost without an error. */
export class RedisEvictionPolicyError extends Error {
  override readonly name = 'RedisEvictionPolicyError';
}

/** Errors of a server where CONFIG is renamed, disabled or not allowed (managed Redis, ACLs). */
function isConfigRefused(error: unknown): boolean {
  return (
    error instanceof Error && /unknown command|NOPERM|no permissions?|disabled/i.test(error.message)
  );
}

/**
 * Reads `maxmemory-policy` and refuses anything but `noeviction`: with an evicting policy a full
 * Redis deletes jobs, locks and completion marks instead of refusing writes, and acknowledged
 * updates vanish (BullMQ requires `noeviction` too). Where CONFIG cannot be used the policy cannot
 * be checked: a warning says so and the queue starts.
 */
export async function checkEvictionPolicy(client: Redis, logger: Logger): Promise<void> {
  let policy: string | undefined;
  try {
    const answer = (await client.config('GET', 'maxmemory-policy')) as unknown;
    if (Array.isArray(answer) && typeof answer[1] === 'string') policy = answer[1];
  } catch (error) {
    if (!isConfigRefused(error)) throw error;
    logger.warn(
      `Redis maxmemory-policy could not be checked (CONFIG GET refused: ${(error as Error).message}); it must be "noeviction", or a full Redis silently drops queued updates`,
    );
    return;
  }
  if (policy === undefined) {
    logger.warn(
      'Redis maxmemory-policy could not be checked (no answer to CONFIG GET); it must be "noeviction"',
    );
    return;
  }
  if (policy !== 'noeviction') {
    throw new RedisEvictionPolicyError(
      `Redis maxmemory-policy is "${policy}": the update queue needs "noeviction" (an evicting Redis drops acknowledged updates when it is full). Set "maxmemory-policy noeviction" in redis.conf (or CONFIG SET maxmemory-policy noeviction).`,
    );
  }
}
