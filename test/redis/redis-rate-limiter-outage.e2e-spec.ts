import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { WhatsAppModule, WhatsAppService } from '../../lib/index.js';
import { RedisRateLimiter } from '../../lib/redis/index.js';
import { redisServerBinary, RedisServer, waitFor } from './support/redis-server.js';
import { SendRecorder } from './support/send-recorder.js';

const run = redisServerBinary() ? describe : describe.skip;
if (!redisServerBinary())
  process.stderr.write('\n!!! rate limiter outage: SKIPPED, no redis-server !!!\n');

/** Every log line of the app, by level. */
class CapturingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string }> = [];
  log(message: unknown): void {
    this.lines.push({ level: 'log', message: String(message) });
  }
  warn(message: unknown): void {
    this.lines.push({ level: 'warn', message: String(message) });
  }
  error(message: unknown): void {
    this.lines.push({ level: 'error', message: String(message) });
  }
  limiterLines(): Array<{ level: string; message: string }> {
    return this.lines.filter((line) => /Redis (unavailable|available again)/.test(line.message));
  }
}

run('RedisRateLimiter fail-open: a Redis outage is logged once, its end once', () => {
  let redis: RedisServer;
  let recorder: SendRecorder;
  let app: INestApplication;
  let service: WhatsAppService;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    redis = await RedisServer.start();
    recorder = await SendRecorder.start();
    const ref = await Test.createTestingModule({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'token',
          phoneNumberId: '106540352242922',
          baseUrl: recorder.baseUrl,
          webhookPath: false,
          retry: false,
          outboundLimiter: new RedisRateLimiter({
            connection: redis.url,
            // Long enough that a loaded machine's slow reply is not read as another outage.
            commandTimeoutMs: 1000,
            messagesPerSecond: 1000,
          }),
        }),
      ],
    }).compile();
    app = ref.createNestApplication({ logger });
    await app.init();
    service = app.get(WhatsAppService);
  });
  afterAll(async () => {
    await app?.close();
    await recorder?.close();
    await redis?.close();
  });

  it('sends through the outage with one WARN, and one LOG when Redis is back', async () => {
    const send = (n: number) =>
      service.messages.sendText({
        to: `1555000${String(n).padStart(4, '0')}`,
        text: { body: 'x' },
      });
    await send(0);
    expect(logger.limiterLines()).toEqual([]);

    await redis.stop(); // SIGKILL
    for (let n = 1; n <= 30; n++) await send(n);
    expect(recorder.sends).toHaveLength(31); // fail-open: nothing refused
    expect(logger.limiterLines()).toEqual([
      { level: 'warn', message: expect.stringMatching(/Redis unavailable/) },
    ]);

    await redis.restart();
    // The client reconnects on its own schedule: send until a send goes through Redis again.
    let n = 100;
    await waitFor(
      async () => {
        await send(n++);
        return logger.limiterLines().length > 1;
      },
      'the limiter to use Redis again',
      15_000,
      50,
    );
    for (let k = 0; k < 10; k++) await send(n++);
    expect(logger.limiterLines()).toEqual([
      { level: 'warn', message: expect.stringMatching(/Redis unavailable/) },
      { level: 'log', message: expect.stringMatching(/Redis available again/) },
    ]);
  }, 30_000);
});
