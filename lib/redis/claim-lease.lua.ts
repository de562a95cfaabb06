import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Claims owned by a token, shared by the de-duplication store and the queue's completion marks.
 *
 * A key holds either a lease `lease:<token>` (a claim whose handler has not succeeded yet, kept for
 * a short `leaseMs`) or `done` (kept for the de-duplication TTL). Every step compares the token, so
 * a command that ioredis re-sends after a connection reset (`autoResendUnfulfilledCommands`), or
 * that Redis executes after we stopped waiting for it, is recognised as the caller's own: the
 * re-sent claim answers "mine", not "already claimed". Values written by older versions (`1`) and
 * anything else that is not a lease count as done.
 */

/** Prefix of a lease value; what follows is the claim attempt's random token. */
export const LEASE_PREFIX = 'lease:';
const LEASE = LEASE_PREFIX;

/** A fresh lease value for one claim attempt (96 random bits). */
export function newLeaseToken(): string {
  return LEASE + randomBytes(12).toString('base64url');
}

/** True for a lease value (a claim not confirmed yet), false for `done` and older values. */
export function isLease(value: string): boolean {
  return value.startsWith(LEASE);
}

/** KEYS[1] the key; ARGV[1] my lease, ARGV[2] lease ms. Returns 1 mine, 0 done, 2 held by another lease. */
export const CLAIM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if v == ARGV[1] then return 1 end
if string.sub(v, 1, ${LEASE.length}) == '${LEASE}' then return 2 end
return 0
`;

/**
 * KEYS[1] the key; ARGV[1] my lease, ARGV[2] done TTL ms. Marks the key done when it holds my lease
 * or nothing (my lease expired and nobody claimed since: the handler did run). Returns 1 done, 0
 * when another lease holds it (mine expired and someone else is running it: left to them).
 */
export const COMPLETE_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if (not v) or v == ARGV[1] then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
if string.sub(v, 1, ${LEASE.length}) == '${LEASE}' then return 0 end
return 1
`;

/** KEYS[1] the key; ARGV[1] my lease. Deletes the key only while it holds my lease. Returns 1 deleted, 0 not mine. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** A script and its SHA1, for `EVALSHA`. */
export interface LeaseScript {
  source: string;
  sha: string;
}

function script(source: string): LeaseScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export const CLAIM: LeaseScript = script(CLAIM_SCRIPT);
export const COMPLETE: LeaseScript = script(COMPLETE_SCRIPT);
export const RELEASE: LeaseScript = script(RELEASE_SCRIPT);

/**
 * Runs a script on one key by its SHA (a few bytes on the wire instead of the source: measured
 * 0.10–0.18 ms vs 0.17–0.43 ms per claim + confirm on loopback), loading it with `EVAL` when Redis
 * does not know it yet (first use, or after a restart emptied its script cache).
 */
export async function runLeaseScript(
  client: Redis,
  leaseScript: LeaseScript,
  key: string,
  args: (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(leaseScript.sha, 1, key, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(leaseScript.source, 1, key, ...args);
  }
}

/** Decoded answer of `CLAIM_SCRIPT`. */
export type LeaseClaim = 'mine' | 'done' | 'held';

export function leaseClaimOf(answer: unknown): LeaseClaim {
  if (answer === 1) return 'mine';
  if (answer === 2) return 'held';
  if (answer === 0) return 'done';
  throw new Error(`unexpected answer of the claim script: ${String(answer)}`);
}
