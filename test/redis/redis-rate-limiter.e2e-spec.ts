import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WhatsAppModule, WhatsAppService } from '../../lib/index.js';
import {
  OutboundRateLimitError,
  RedisRateLimiter,
  type RedisRateLimiterOptions,
} from '../../lib/redis/index.js';
import { acquireRedis, redisAvailable, uniquePrefix } from './support/redis-server.js';
import { maxInWindow, SendRecorder, worstSpacing } from './support/send-recorder.js';

const PHONE = '106540352242922';
/**
 * Arrival-time jitter the bounds allow: the limiter fixes when a send leaves, a busy event loop (three
 * apps and Jest in one process, parallel suites in CI) can delay one arrival and bunch it with the
 * next. These are upper bounds on the rate, not speed assertions.
 */
const JITTER_MS = 150;

const run = redisAvailable('RedisRateLimiter') ? describe : describe.skip;

run('RedisRateLimiter: N instances share the limits through Redis', () => {
  let redis: { url: string; release: () => Promise<void> };
  let recorder: SendRecorder;
  const apps: INestApplication[] = [];

  /** One Nest app (an "instance") with its own limiter and Redis connection. */
  async function instance(limiter: Partial<RedisRateLimiterOptions>, retry = false) {
    const ref = await Test.createTestingModule({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'token',
          phoneNumberId: PHONE,
          baseUrl: recorder.baseUrl,
          webhookPath: false,
          retry: retry ? { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 10_000 } : false,
          outboundLimiter: new RedisRateLimiter({ connection: redis.url, ...limiter }),
        }),
      ],
    }).compile();
    const app = ref.createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return app.get(WhatsAppService);
  }

  beforeAll(async () => {
    redis = await acquireRedis();
    recorder = await SendRecorder.start();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await recorder.close();
    await redis.release();
  });

  it('three instances sending to one user never exceed the pair rate (burst, then one per interval)', async () => {
    const limits = { keyPrefix: uniquePrefix('pair'), pairIntervalMs: 400, pairBurst: 3 };
    const services = await Promise.all([instance(limits), instance(limits), instance(limits)]);
    const to = '15550000001';
    const from = recorder.sends.length;
    await Promise.all(
      services.flatMap((service, i) =>
        Array.from({ length: 4 }, (_, n) =>
          service.messages.sendText({ to, text: { body: `instance ${i} message ${n}` } }),
        ),
      ),
    );
    const times = recorder.sends.slice(from).map((s) => s.at);
    expect(times).toHaveLength(12);
    // 12 messages, burst 3: at least (12 - 3) * 400 ms between the first and the last, and the same
    // bound for every run of consecutive sends. Unlimited, all 12 would arrive within a few ms.
    const worst = worstSpacing(times, 3, 400);
    expect(worst.slackMs).toBeGreaterThanOrEqual(-JITTER_MS);
  });

  it('three instances never exceed the throughput of the phone number, measured over any window', async () => {
    const rate = 40; // msg/s: one send per 25 ms
    const limits = { keyPrefix: uniquePrefix('tp'), messagesPerSecond: rate };
    const services = await Promise.all([instance(limits), instance(limits), instance(limits)]);
    const from = recorder.sends.length;
    await Promise.all(
      services.flatMap((service, i) =>
        Array.from({ length: 30 }, (_, n) =>
          service.messages.sendText({
            to: `1555${i}${String(n).padStart(6, '0')}`,
            text: { body: 'x' },
          }),
        ),
      ),
    );
    const times = recorder.sends.slice(from).map((s) => s.at);
    expect(times).toHaveLength(90);
    expect(worstSpacing(times, 1, 1000 / rate).slackMs).toBeGreaterThanOrEqual(-JITTER_MS);
    // Over any 1 s window: at most the rate, plus 10 % for arrival jitter (the first sends of each
    // instance also open their connection, and can arrive bunched). Unlimited, the 90 sends would
    // all arrive within a few tens of ms.
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(Math.ceil(rate * 1.1));
  });

  it('a 131056 answer empties the pair burst: the next send to that user waits a full interval', async () => {
    const service = await instance({
      keyPrefix: uniquePrefix('p131056'),
      pairIntervalMs: 400,
      pairBurst: 10,
    });
    const to = '15550000002';
    recorder.failNext(131056);
    const from = recorder.sends.length;
    await expect(service.messages.sendText({ to, text: { body: 'a' } })).rejects.toMatchObject({
      code: 131056,
    });
    await service.messages.sendText({ to, text: { body: 'b' } });
    const [failed, next] = recorder.sends.slice(from);
    expect(failed.status).toBe(400);
    expect(next.status).toBe(200);
    // Without the feedback the burst of 10 would have let it through at once.
    expect(next.at - failed.at).toBeGreaterThanOrEqual(400 - JITTER_MS);
  });

  it('a 130429 answer pauses the phone number, and the client retry goes through the limiter again', async () => {
    const service = await instance(
      { keyPrefix: uniquePrefix('p130429'), throughputPenaltyMs: 300 },
      true,
    );
    recorder.failNext(130429);
    const from = recorder.sends.length;
    await service.messages.sendText({ to: '15550000003', text: { body: 'a' } });
    const [failed, retried] = recorder.sends.slice(from);
    expect([failed.status, retried.status]).toEqual([400, 200]);
    expect(retried.at - failed.at).toBeGreaterThanOrEqual(300 - JITTER_MS);
  });

  it('refuses a send that would wait longer than maxWaitMs, without reserving a slot', async () => {
    const limits = {
      keyPrefix: uniquePrefix('wait'),
      pairIntervalMs: 60_000,
      pairBurst: 2,
      maxWaitMs: 100,
      // Not a throughput test: a loaded machine's late timers must not spend the 100 ms on slots.
      lateToleranceMs: 1000,
    };
    const service = await instance(limits);
    const to = '15550000004';
    // The burst of two goes out without waiting (maxWaitMs is short); the third would wait a minute.
    await service.messages.sendText({ to, text: { body: 'first' } });
    await service.messages.sendText({ to, text: { body: 'burst' } });
    const from = recorder.sends.length;
    await expect(
      service.messages.sendText({ to, text: { body: 'second' } }),
    ).rejects.toBeInstanceOf(OutboundRateLimitError);
    expect(recorder.sends.length).toBe(from);
    // Another user is not affected.
    await service.messages.sendText({ to: '15550000005', text: { body: 'other' } });
  });

  it('counts every spelling of one phone number as one user for the pair limit', async () => {
    const service = await instance({
      keyPrefix: uniquePrefix('spellings'),
      pairIntervalMs: 60_000,
      pairBurst: 3,
      maxWaitMs: 100,
      // Not a throughput test: a loaded machine's late timers must not spend the 100 ms on slots.
      lateToleranceMs: 1000,
    });
    const from = recorder.sends.length;
    for (const to of ['15550001111', '+15550001111', '1 555 000 1111']) {
      await service.messages.sendText({ to, text: { body: 'burst' } });
    }
    // The burst of three is used up whatever the spelling: the fourth would wait a minute.
    await expect(
      service.messages.sendText({ to: '+1 (555) 000-1111', text: { body: 'fourth' } }),
    ).rejects.toMatchObject({ name: 'OutboundRateLimitError', limit: 'pair' });
    expect(recorder.sends.length - from).toBe(3);
    // A BSUID is another user, kept as it is.
    await service.messages.sendText({ recipient: 'US.15550001111', text: { body: 'other' } });
  });

  it('validates its options, naming the field', () => {
    expect(() => new RedisRateLimiter({ connection: redis.url, messagesPerSecond: 1001 })).toThrow(
      /"messagesPerSecond"/,
    );
    expect(() => new RedisRateLimiter({ connection: redis.url, pairBurst: 0 })).toThrow(
      /"pairBurst"/,
    );
  });
});
