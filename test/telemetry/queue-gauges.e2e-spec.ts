import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { WhatsAppModule } from '../../lib/index.js';
import { BullMqUpdateQueue } from '../../lib/redis/index.js';
import { RedisServer, redisAvailable } from '../redis/support/redis-server.js';
import { textBatch } from '../webhook/support/bodies.js';
import { APP_SECRET, createWebhookApp, postSigned } from '../webhook/support/webhook-app.js';
import { pointsOf, registerTestSdk, type TestSdk } from './support/otel-sdk.js';

// The queue gauges read from BullMqUpdateQueue.stats() on a real redis-server.
const describeRedis = redisAvailable('queue gauges') ? describe : describe.skip;

describeRedis('whatsapp.queue.* gauges (BullMQ on a real redis-server)', () => {
  let sdk: TestSdk;
  let redis: RedisServer;
  let app: INestApplication;

  beforeAll(async () => {
    sdk = await registerTestSdk();
    redis = await RedisServer.start();
    app = await createWebhookApp('express', {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 't',
          appSecret: APP_SECRET,
          processing: 'queue',
          // No workers in this instance: the jobs stay waiting.
          queue: new BullMqUpdateQueue({ connection: redis.url, workers: false, partitions: 2 }),
        }),
      ],
    });
  });

  afterAll(async () => {
    await app?.close();
    await redis?.close();
    await sdk?.shutdown();
  });

  it('reports the waiting jobs and the age of the oldest', async () => {
    const first = textBatch({ entries: 1, changesPerEntry: 1, messagesPerChange: 2 }, 'wamid.a');
    await postSigned(app, first.body).expect(200);
    // The oldest job, not the newest: the age covers this pause.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = textBatch({ entries: 1, changesPerEntry: 1, messagesPerChange: 1 }, 'wamid.b');
    await postSigned(app, second.body).expect(200);
    const collected = await sdk.collect();
    const depth = pointsOf(collected, 'whatsapp.queue.depth');
    expect(depth.map((p) => [p.attributes['whatsapp.queue.state'], p.value])).toEqual(
      expect.arrayContaining([
        ['waiting', 3],
        ['active', 0],
        ['failed', 0],
      ]),
    );
    const age = pointsOf(collected, 'whatsapp.queue.oldest_age');
    expect(age).toHaveLength(1);
    expect(age[0].value as number).toBeGreaterThanOrEqual(0.4);
    expect(age[0].value as number).toBeLessThan(60);
  });
});
