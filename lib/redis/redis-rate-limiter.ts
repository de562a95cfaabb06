import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { WhatsAppApiError } from '../errors/whatsapp-api.error.js';
import type { OutboundLimiter, OutboundSend } from '../types/ports/outbound-limiter.js';
import { OutboundRateLimitError } from './outbound-rate-limit.error.js';
import { ACQUIRE_SCRIPT, PENALIZE_SCRIPT } from './rate-limit.lua.js';
import type { RedisConnection } from './redis-connection.js';
import { BoundedRedis } from './redis-calls.js';
import type { RedisUnavailableBehaviour } from './redis-dedupe-store.js';
import { pairRecipientKey } from './pair-recipient-key.js';
import { sendWindow, type SendWindow } from './send-window.js';
import { ServerClock } from './server-clock.js';

/** Least pause between two "Redis clock too uncertain" warnings. */
const UNCERTAIN_CLOCK_WARNING_EVERY_MS = 60_000;

export interface RedisRateLimiterOptions {
  /** An ioredis client (shared, left open), ioredis options, or a `redis://` URL. */
  connection: RedisConnection;
  /** Prefix of every key. Default `'wa:rl:'`. */
  keyPrefix?: string;
  /** Throughput per phone number, messages per second: 1..1000. Default 80 (Meta's default tier). */
  messagesPerSecond?: number;
  /**
   * Sends of one phone number allowed back to back before the even spacing applies (at most
   * `messagesPerSecond`: the burst counts in the 1-second bound). Default 1.
   */
  throughputBurst?: number;
  /** Pair rate limit: one message per this many ms to the same user. Default 6000 (Meta's). */
  pairIntervalMs?: number;
  /** Pair rate limit: messages to one user allowed back to back ("borrowed" quota). Default 45 (Meta's). */
  pairBurst?: number;
  /** Wait after a 130429 (throughput reached) before the number sends again. Default 1000 ms. */
  throughputPenaltyMs?: number;
  /** Longest a send waits for its turn; beyond it `acquire` throws `OutboundRateLimitError`. Default 60 000 ms. */
  maxWaitMs?: number;
  /**
   * How late after its reserved slot (on Redis's clock) a send may still leave; a later one gives
   * its slot up (it stays counted) and takes a new one. The schedule keeps `messagesPerSecond` slots
   * per `1000 + lateToleranceMs` ms, so even sends this late never put more than `messagesPerSecond`
   * in any 1-second window. Must exceed the Redis round trip plus event-loop delays. Default 50 ms.
   */
  lateToleranceMs?: number;
  /** Redis down: `'fail-open'` (default) sends without the shared limit, with a warning; `'fail-closed'` throws. */
  whenUnavailable?: RedisUnavailableBehaviour;
  /** Longest wait for one Redis call. Default 2000 ms. */
  commandTimeoutMs?: number;
}

interface Settings {
  tpIntervalUs: number;
  tpTauUs: number;
  pairIntervalUs: number;
  pairTauUs: number;
  maxWaitUs: number;
  throughputPenaltyUs: number;
}

/** Status, wait (µs), Redis's time when the script ran (µs). */
type ScriptAnswer = [number, number, number];

function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`RedisRateLimiter: "${name}" must be an integer in [${min}, ${max}]`);
  }
  return value;
}

/**
 * Meta's outbound limits, shared by every instance through Redis: throughput per phone number
 * (default 80 msg/s, up to 1000) and the pair rate limit (one message per 6 s to one user, with
 * Meta's burst of 45). Each send makes one atomic script call that reserves its slot; the caller
 * then sleeps until that slot. 130429 and 131056 answers push the schedule back.
 * Pass it as the module option `outboundLimiter`.
 */
export class RedisRateLimiter implements OutboundLimiter, OnApplicationShutdown {
  private readonly logger = new Logger(RedisRateLimiter.name);
  private readonly redis: BoundedRedis;
  private readonly keyPrefix: string;
  private readonly settings: Settings;
  private readonly failOpen: boolean;
  private readonly timeoutMs: number;
  private readonly lateToleranceMs: number;
  private readonly serverClock = new ServerClock();
  /** Fail-open: Redis is known to be down (logged once, until it answers again). */
  private unavailable = false;
  private lastUncertainWarning = -Infinity;
  private probing?: Promise<void>;

  constructor(options: RedisRateLimiterOptions) {
    if (options === null || typeof options !== 'object' || options.connection === undefined) {
      throw new TypeError(
        'RedisRateLimiter: "connection" is required (an ioredis client, options or URL)',
      );
    }
    const mps = integerOption('messagesPerSecond', options.messagesPerSecond, 80, 1, 1000);
    const tpBurst = integerOption('throughputBurst', options.throughputBurst, 1, 1, mps);
    const pairIntervalMs = integerOption(
      'pairIntervalMs',
      options.pairIntervalMs,
      6000,
      1,
      86_400_000,
    );
    const pairBurst = integerOption('pairBurst', options.pairBurst, 45, 1, 1000);
    const penaltyMs = integerOption(
      'throughputPenaltyMs',
      options.throughputPenaltyMs,
      1000,
      0,
      3_600_000,
    );
    const maxWaitMs = integerOption('maxWaitMs', options.maxWaitMs, 60_000, 0, 86_400_000);
    this.lateToleranceMs = integerOption('lateToleranceMs', options.lateToleranceMs, 50, 5, 60_000);
    this.timeoutMs = integerOption('commandTimeoutMs', options.commandTimeoutMs, 2000, 1, 60_000);
    const mode = options.whenUnavailable ?? 'fail-open';
    if (mode !== 'fail-closed' && mode !== 'fail-open') {
      throw new TypeError(
        'RedisRateLimiter: "whenUnavailable" must be "fail-closed" or "fail-open"',
      );
    }
    this.failOpen = mode === 'fail-open';
    // GCRA: a burst of `tpBurst`, then one slot per interval, spread so that any span of
    // 1 s + lateToleranceMs holds at most `mps` slots (burst included). A send leaves between its
    // slot and lateToleranceMs after it, so any 1-second window of sends holds at most `mps`.
    const tpIntervalUs = Math.ceil(((1000 + this.lateToleranceMs) * 1000) / (mps - tpBurst + 1));
    const pairIntervalUs = pairIntervalMs * 1000;
    this.settings = {
      tpIntervalUs,
      tpTauUs: tpIntervalUs * (tpBurst - 1),
      pairIntervalUs,
      pairTauUs: pairIntervalUs * (pairBurst - 1),
      maxWaitUs: maxWaitMs * 1000,
      throughputPenaltyUs: penaltyMs * 1000,
    };
    this.keyPrefix = options.keyPrefix ?? 'wa:rl:';
    this.redis = new BoundedRedis(options.connection, this.timeoutMs);
  }

  get client(): Redis {
    return this.redis.client;
  }

  /** Waits for this send's turn under both limits (every instance shares the schedule). */
  async acquire(send: OutboundSend): Promise<void> {
    const s = this.settings;
    const deadline = performance.now() + s.maxWaitUs / 1000;
    for (;;) {
      let answer: ScriptAnswer;
      let askedAt: number;
      try {
        // Sends arriving in a burst share one clock probe made before their scripts queue up:
        // the round trips of the scripts themselves are long in a burst, the probe's is not.
        if (this.serverClock.uncertainty(performance.now()) > this.lateToleranceMs / 2) {
          this.probing ??= this.probeClock().finally(() => (this.probing = undefined));
          await this.probing;
        }
        askedAt = performance.now();
        answer = await this.redis.call(
          (client) =>
            client.eval(
              ACQUIRE_SCRIPT,
              2,
              this.throughputKey(send),
              this.pairKey(send),
              s.tpIntervalUs,
              s.tpTauUs,
              s.pairIntervalUs,
              s.pairTauUs,
              // The pair may already have used part of the budget.
              Math.max(0, Math.round((deadline - performance.now()) * 1000)),
            ) as Promise<ScriptAnswer>,
          'Redis rate limiter acquire',
        );
      } catch (error) {
        if (!this.failOpen) throw error;
        this.markUnavailable();
        return;
      }
      this.markAvailable();
      const [status, waitUs, serverUs] = answer;
      const offset = this.serverClock.observe(askedAt, performance.now(), serverUs / 1000);
      const waitMs = Math.ceil(waitUs / 1000);
      if (status === 1) {
        const window = sendWindow((serverUs + waitUs) / 1000, offset, this.lateToleranceMs);
        if (await this.leavesInside(window)) return;
        // Too late for the slot (it stays counted: wasting it can only lower the rate): take another.
        if (performance.now() > deadline) {
          throw new OutboundRateLimitError('throughput', Math.ceil(performance.now() - askedAt));
        }
        continue;
      }
      if (status === 2) throw new OutboundRateLimitError('throughput', waitMs);
      // The pair is busy until a known time: sleep until then, unless that is past the deadline.
      if (performance.now() + waitMs > deadline) throw new OutboundRateLimitError('pair', waitMs);
      await sleep(waitMs);
    }
  }

  /** One `TIME` round trip, to learn the Redis clock offset; a failure counts as Redis unavailable. */
  private async probeClock(): Promise<void> {
    const askedAt = performance.now();
    const [seconds, micros] = await this.redis.call((client) => client.time(), 'Redis TIME');
    this.serverClock.observe(
      askedAt,
      performance.now(),
      Number(seconds) * 1000 + Number(micros) / 1000,
    );
  }

  /** Sleeps until the send's window and tells whether it is still open on waking up. */
  private async leavesInside(window: SendWindow): Promise<boolean> {
    if (window.latest < window.earliest) {
      this.warnUncertainClock(window.uncertaintyMs);
      return false;
    }
    const delay = window.target - performance.now();
    if (delay > 0) await sleep(Math.ceil(delay));
    return performance.now() <= window.latest;
  }

  private warnUncertainClock(uncertaintyMs: number): void {
    const now = performance.now();
    if (now - this.lastUncertainWarning < UNCERTAIN_CLOCK_WARNING_EVERY_MS) return;
    this.lastUncertainWarning = now;
    this.logger.warn(
      `Redis round trips of ${Math.ceil(uncertaintyMs)} ms or more exceed lateToleranceMs (${this.lateToleranceMs} ms): sends give their slots up and wait; raise lateToleranceMs above your Redis latency`,
    );
  }

  /** Fail-open: one warning when Redis becomes unavailable, not one per send. */
  private markUnavailable(): void {
    if (this.unavailable) return;
    this.unavailable = true;
    this.logger.warn(
      'Redis unavailable: sending without the shared rate limit (fail-open) until it answers again',
    );
  }

  private markAvailable(): void {
    if (!this.unavailable) return;
    this.unavailable = false;
    this.logger.log('Redis available again: the shared rate limit applies again');
  }

  /** 130429 pauses the phone number for `throughputPenaltyMs`; 131056 empties the pair's burst. */
  async penalize(send: OutboundSend, error: WhatsAppApiError): Promise<void> {
    const s = this.settings;
    const penalty =
      error.code === 130429
        ? { key: this.throughputKey(send), waitUs: s.throughputPenaltyUs, tauUs: s.tpTauUs }
        : error.code === 131056
          ? { key: this.pairKey(send), waitUs: s.pairIntervalUs, tauUs: s.pairTauUs }
          : undefined;
    if (penalty === undefined) return;
    this.logger.warn(
      `Meta answered ${error.code} for phone number ${send.phoneNumberId}: slowing down the shared schedule`,
    );
    await this.redis
      .call(
        (client) => client.eval(PENALIZE_SCRIPT, 1, penalty.key, penalty.waitUs, penalty.tauUs),
        'Redis rate limiter penalize',
      )
      .catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Closes the client this limiter created; a client you passed in is left open. */
  close(): Promise<void> {
    return this.redis.close();
  }

  // A hash tag keeps both keys of one phone number in one Redis Cluster slot (one script call).
  private throughputKey(send: OutboundSend): string {
    return `${this.keyPrefix}{${send.phoneNumberId}}:tp`;
  }

  private pairKey(send: OutboundSend): string {
    return `${this.keyPrefix}{${send.phoneNumberId}}:pair:${pairRecipientKey(send.recipient)}`;
  }
}
