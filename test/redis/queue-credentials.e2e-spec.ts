import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { OnWhatsAppMessage, WhatsAppModule, type WhatsAppContext } from '../../lib/index.js';
import { BullMqUpdateQueue } from '../../lib/redis/index.js';
import { FakeGraphApi, WhatsAppTestApp, webhook } from '../../lib/testing/index.js';
import { redisServerBinary, RedisServer, uniquePrefix } from './support/redis-server.js';

/**
 * resolveCredentials in queue mode (ISSUE14 §2): the handler runs from a job stored in Redis, and
 * the resolver still learns the number and the WABA the update came to (the job's origin).
 */
const run = redisServerBinary() ? describe : describe.skip;

const A = { phone: '111000000000001', waba: '211000000000001', token: 'EAAT-queue-tenant-a-7c1d' };
const B = { phone: '111000000000002', waba: '211000000000002', token: 'EAAT-queue-tenant-b-2e9f' };

@Injectable()
class EchoBot {
  @OnWhatsAppMessage('text')
  async onText(message: { text: { body: string } }, ctx: WhatsAppContext): Promise<string> {
    await ctx.markAsRead();
    return `echo ${message.text.body}`;
  }
}

@Module({
  imports: [WhatsAppModule.forRoot({ accessToken: 'replaced-by-the-test-app' })],
  providers: [EchoBot],
})
class EchoBotModule {}

run("resolveCredentials in processing: 'queue'", () => {
  let server: RedisServer;
  let fake: FakeGraphApi;
  let app: WhatsAppTestApp;
  const asked: unknown[] = [];

  beforeAll(async () => {
    server = await RedisServer.start({ config: { 'maxmemory-policy': 'noeviction' } });
    fake = await FakeGraphApi.start({
      tenants: [
        { accessToken: A.token, ids: [A.phone, A.waba] },
        { accessToken: B.token, ids: [B.phone, B.waba] },
      ],
    });
    app = await WhatsAppTestApp.create({
      imports: [EchoBotModule],
      graph: fake,
      options: {
        processing: 'queue',
        queue: new BullMqUpdateQueue({
          connection: server.url,
          queueName: uniquePrefix('credentials'),
          partitions: 4,
          tenantLanes: 2,
          shutdownTimeoutMs: 300,
        }),
        resolveCredentials: async (ids) => {
          asked.push(ids);
          if (ids.phoneNumberId === A.phone) return { accessToken: A.token };
          if (ids.phoneNumberId === B.phone) return { accessToken: B.token };
          throw new Error('unknown number');
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
    await server.close();
  });

  it('answers each tenant with its token, and the resolver gets the WABA id of the origin', async () => {
    const toA = webhook.text({ body: 'a', phoneNumberId: A.phone, businessAccountId: A.waba });
    const toB = webhook.text({ body: 'b', phoneNumberId: B.phone, businessAccountId: B.waba });
    expect((await app.receive(toA)).status).toBe(200);
    expect((await app.receive(toB)).status).toBe(200);
    const onWire = fake.requests.map((r) => `${r.path} ${String(r.headers.authorization)}`);
    expect(onWire.sort()).toEqual(
      [
        `/v26.0/${A.phone}/messages Bearer ${A.token}`,
        `/v26.0/${A.phone}/messages Bearer ${A.token}`,
        `/v26.0/${B.phone}/messages Bearer ${B.token}`,
        `/v26.0/${B.phone}/messages Bearer ${B.token}`,
      ].sort(),
    );
    expect(asked).toEqual([
      { phoneNumberId: A.phone, businessAccountId: A.waba },
      { phoneNumberId: B.phone, businessAccountId: B.waba },
    ]);
  });
});
