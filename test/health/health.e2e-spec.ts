import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Inject, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { WhatsAppModule, type WhatsAppModuleOptions } from 'nestjs-whatsapp-cloud';
import { WhatsAppHealthIndicator } from 'nestjs-whatsapp-cloud/health';
import { BullMqUpdateQueue, RedisDedupeStore } from '../../lib/redis/index.js';
import { FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';
import { RedisServer, redisAvailable, waitFor } from '../redis/support/redis-server.js';
import { createWebhookApp } from '../webhook/support/webhook-app.js';

// The terminus indicators of nestjs-whatsapp-cloud/health in a real app, over real HTTP.

const TOKEN = 'test-access-token';

@Controller('health')
class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(WhatsAppHealthIndicator) private readonly whatsapp: WhatsAppHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.whatsapp.isDedupeStoreHealthy(),
      () => this.whatsapp.isQueueHealthy(),
      () => this.whatsapp.isGraphTokenHealthy('whatsapp_graph', { cacheMs: 60_000 }),
      () => this.whatsapp.isMessageStoreHealthy(),
    ]);
  }

  @Get('message-store')
  @HealthCheck()
  messageStore() {
    return this.health.check([
      () =>
        this.whatsapp.isMessageStoreHealthy('whatsapp_message_store', {
          ping: () => Promise.reject(new Error('store offline')),
        }),
    ]);
  }
}

async function healthApp(options: Partial<WhatsAppModuleOptions>): Promise<INestApplication> {
  return createWebhookApp('express', {
    imports: [
      TerminusModule.forRoot({ logger: false }),
      WhatsAppModule.forRoot({ accessToken: TOKEN, webhookPath: false, ...options }),
    ],
    controllers: [HealthController],
    providers: [WhatsAppHealthIndicator],
  });
}

describe('health indicators (in-memory store, fake Graph API)', () => {
  let fake: FakeGraphApi;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    fake = await FakeGraphApi.start({ accessToken: TOKEN });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('is up: memory store, no queue, a valid token checked once and then served from the cache', async () => {
    app = await healthApp({ baseUrl: fake.baseUrl, phoneNumberId: FAKE_IDS.phoneNumberId });
    const first = await request(app.getHttpServer()).get('/health').expect(200);
    expect(first.body.details).toEqual({
      whatsapp_dedupe: { status: 'up', store: 'memory' },
      whatsapp_queue: { status: 'up', configured: false },
      whatsapp_graph: { status: 'up', checkedAt: expect.any(String), cached: false },
      whatsapp_message_store: { status: 'up', configured: false },
    });
    const second = await request(app.getHttpServer()).get('/health').expect(200);
    expect(second.body.details.whatsapp_graph.cached).toBe(true);
    const probes = fake.requestsTo('GET', `/${FAKE_IDS.phoneNumberId}`);
    expect(probes).toHaveLength(1);
    expect(probes[0].query).toEqual({ fields: 'id' });
  });

  it('is down with Meta status and code (never the token) when the token is refused', async () => {
    app = await healthApp({
      baseUrl: fake.baseUrl,
      phoneNumberId: FAKE_IDS.phoneNumberId,
      accessToken: 'expired-token-value-42',
      retry: false,
    });
    const answer = await request(app.getHttpServer()).get('/health').expect(503);
    expect(answer.body.error.whatsapp_graph).toEqual({
      status: 'down',
      httpStatus: 401,
      code: 190,
      category: expect.any(String),
      checkedAt: expect.any(String),
      cached: false,
    });
    expect(answer.text).not.toContain('expired-token-value-42');
  });

  it('checks a message store through its ping() (the extension point)', async () => {
    app = await healthApp({ baseUrl: fake.baseUrl, phoneNumberId: FAKE_IDS.phoneNumberId });
    const answer = await request(app.getHttpServer()).get('/health/message-store').expect(503);
    expect(answer.body.error.whatsapp_message_store).toEqual({
      status: 'down',
      message: 'Error: store offline',
    });
  });
});

const describeRedis = redisAvailable('health indicators on Redis') ? describe : describe.skip;

describeRedis(
  'health indicators (Redis de-duplication store and BullMQ queue, real redis-server)',
  () => {
    let fake: FakeGraphApi;
    let redis: RedisServer;
    let app: INestApplication | undefined;

    beforeAll(async () => {
      fake = await FakeGraphApi.start({ accessToken: TOKEN });
      redis = await RedisServer.start();
    });
    afterAll(async () => {
      await app?.close();
      await fake?.close();
      await redis?.close();
    });

    it('is up while Redis answers and down (503) once it is gone', async () => {
      const store = new RedisDedupeStore({ connection: redis.url, commandTimeoutMs: 500 });
      const queue = new BullMqUpdateQueue({ connection: redis.url, workers: false });
      app = await healthApp({
        baseUrl: fake.baseUrl,
        phoneNumberId: FAKE_IDS.phoneNumberId,
        appSecret: 'test-app-secret',
        webhookPath: 'whatsapp/webhook',
        dedupe: { store },
        processing: 'queue',
        queue,
      });
      // The connections open asynchronously (no offline queue): down until they are ready.
      let up: request.Response | undefined;
      const server = app.getHttpServer();
      await waitFor(async () => {
        up = await request(server).get('/health');
        return up.status === 200;
      }, 'the health check to be up');
      if (up === undefined) throw new Error('no answer');
      expect(up.body.details.whatsapp_dedupe).toEqual({ status: 'up', store: 'RedisDedupeStore' });
      expect(up.body.details.whatsapp_queue).toEqual(
        expect.objectContaining({ status: 'up', redis: 'up', waiting: 0 }),
      );
      await redis.stop();
      const down = await request(app.getHttpServer()).get('/health').expect(503);
      expect(down.body.error.whatsapp_dedupe).toEqual(
        expect.objectContaining({ status: 'down', store: 'RedisDedupeStore' }),
      );
      expect(down.body.error.whatsapp_queue).toEqual(
        expect.objectContaining({ status: 'down', redis: 'down' }),
      );
      await redis.restart();
      await app.close();
      app = undefined;
      await store.onApplicationShutdown();
    });
  },
);
