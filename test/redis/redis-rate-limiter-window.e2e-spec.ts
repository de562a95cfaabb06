import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WhatsAppModule, WhatsAppService } from '../../lib/index.js';
import { RedisRateLimiter, type RedisRateLimiterOptions } from '../../lib/redis/index.js';
import { FaultProxy } from './support/fault-proxy.js';
import { redisServerBinary, RedisServer } from './support/redis-server.js';
import { maxInWindow, SendRecorder } from './support/send-recorder.js';

const PHONE = '106540352242922';
const LIMIT = 80;

const run = redisServerBinary() ? describe : describe.skip;
if (!redisServerBinary())
  process.stderr.write('\n!!! rate limiter window: SKIPPED, no redis-server !!!\n');

/**
 * The exact throughput guarantee: no 1-second window, counted at the fake Graph API, holds more
 * than `messagesPerSecond` sends, also when Redis answers 60 to 200 ms late. Each test has its own
 * redis-server and a latency-injecting proxy in front of it.
 */
run('RedisRateLimiter: the busiest 1-second window never exceeds messagesPerSecond', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  async function setup(limiter: Partial<RedisRateLimiterOptions>) {
    const redis = await RedisServer.start();
    cleanups.push(() => redis.close());
    const proxy = await FaultProxy.start(redis.port);
    cleanups.push(() => proxy.close());
    const recorder = await SendRecorder.start();
    cleanups.push(() => recorder.close());
    const services: WhatsAppService[] = [];
    for (let i = 0; i < 3; i++) {
      const ref = await Test.createTestingModule({
        imports: [
          WhatsAppModule.forRoot({
            accessToken: 'token',
            phoneNumberId: PHONE,
            baseUrl: recorder.baseUrl,
            webhookPath: false,
            retry: false,
            outboundLimiter: new RedisRateLimiter({
              connection: proxy.url,
              keyPrefix: 'window:',
              messagesPerSecond: LIMIT,
              ...limiter,
            }),
          }),
        ],
      }).compile();
      const app: INestApplication = ref.createNestApplication({ logger: false });
      await app.init();
      cleanups.push(() => app.close());
      services.push(app.get(WhatsAppService));
    }
    return { proxy, recorder, services };
  }

  /** 3 instances × `perInstance` sends to distinct users, all asked for at once. */
  async function burst(services: WhatsAppService[], perInstance: number): Promise<void> {
    await Promise.all(
      services.flatMap((service, i) =>
        Array.from({ length: perInstance }, (_, n) =>
          service.messages.sendText({
            to: `1555${i}${String(n).padStart(6, '0')}`,
            text: { body: 'x' },
          }),
        ),
      ),
    );
  }

  function report(name: string, times: number[]): { w1000: number; w100: number; rate: number } {
    const sorted = [...times].sort((a, b) => a - b);
    const spanS = (sorted[sorted.length - 1] - sorted[0]) / 1000;
    const result = {
      w1000: maxInWindow(times, 1000),
      w100: maxInWindow(times, 100),
      rate: Math.round(((times.length - 1) / spanS) * 10) / 10,
    };
    process.stderr.write(
      `[limiter window] ${name}: ${times.length} sends, busiest 1 s ${result.w1000}, busiest 100 ms ${result.w100}, mean ${result.rate}/s\n`,
    );
    return result;
  }

  // A loaded CI machine delays timers and replies by tens of ms: a tolerance above that keeps the
  // rate up (a lower one only gives more slots up, the bound holds either way).
  it('three instances, Redis on loopback (lateToleranceMs 100)', async () => {
    const { recorder, services } = await setup({ lateToleranceMs: 100 });
    await burst(services, 80);
    const times = recorder.sends.map((s) => s.at);
    expect(times).toHaveLength(240);
    expect(report('loopback', times).w1000).toBeLessThanOrEqual(LIMIT);
  }, 90_000);

  it('three instances, every Redis reply 60-200 ms late (lateToleranceMs 250)', async () => {
    const { proxy, recorder, services } = await setup({ lateToleranceMs: 250 });
    proxy.setJitter({ minMs: 60, maxMs: 200 });
    await burst(services, 80);
    const times = recorder.sends.map((s) => s.at);
    expect(times).toHaveLength(240);
    expect(report('reply jitter 60-200 ms', times).w1000).toBeLessThanOrEqual(LIMIT);
  }, 90_000);
});
