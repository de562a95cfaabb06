// The `store` option in the other processing modes: 'background' (answered before the write and the
// handlers) and 'queue' (recorded on the webhook side before the jobs are stored, replies recorded
// on the worker side, so the queue's own retries never send a reply twice). PGlite, real HTTP,
// BullMQ on a private redis-server.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { PostgresMessageStore } from '../../lib/postgres/postgres-message-store.js';
import { BullMqUpdateQueue } from '../../lib/redis/index.js';
import { webhook } from '../../lib/testing/webhook-builders/webhook-builder.js';
import { WhatsAppTestApp } from '../../lib/testing/whatsapp-test-app.js';
import type { MessageStore } from '../../lib/types/ports/message-store.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { redisServerBinary, RedisServer, uniquePrefix } from '../redis/support/redis-server.js';

const USER = '15551234567';

/** Replies twice; a body starting with "fail" throws between the replies on its first run. */
@Injectable()
class Bot {
  readonly runs = new Map<string, number>();
  /** `ctx.conversation()` of each run: whether the window was open. */
  readonly windowOpen: (boolean | undefined)[] = [];

  @OnWhatsAppMessage('text')
  async onText(message: TextMessage, ctx: WhatsAppContext): Promise<string> {
    const body = message.text.body;
    const run = (this.runs.get(body) ?? 0) + 1;
    this.runs.set(body, run);
    this.windowOpen.push((await ctx.conversation())?.windowOpen);
    await ctx.reply(`first: ${body}`);
    if (body.startsWith('fail') && run === 1) throw new Error('planned failure after a reply');
    return `second: ${body}`;
  }
}

@Module({
  imports: [WhatsAppModule.forRoot({ accessToken: 'unused', appSecret: 'unused' })],
  providers: [Bot],
})
class BotModule {}

const pglite = new PGlite();
// Its WASM start takes seconds on a loaded machine: not inside a test's timeout.
beforeAll(() => pglite.waitReady, 120_000);
afterAll(() => pglite.close());

const newStore = (): MessageStore =>
  new PostgresMessageStore({
    client: pglite,
    schema: `modes_${Math.random().toString(36).slice(2, 10)}`,
  });

const bodies = (wa: WhatsAppTestApp): string[] =>
  wa.graph.sentMessages().map((m) => (m.text as { body: string }).body);

describe("store with processing: 'background'", () => {
  let wa: WhatsAppTestApp;
  let store: MessageStore;

  beforeAll(async () => {
    store = newStore();
    wa = await WhatsAppTestApp.create({
      imports: [BotModule],
      logger: false,
      options: { store, processing: 'background' },
    });
  });
  afterAll(() => wa?.close());

  it('answers 200, then records the message and both replies (sent, with wamids)', async () => {
    expect((await wa.receive(webhook.text({ body: 'hello' }))).status).toBe(200);
    expect(bodies(wa)).toEqual(['first: hello', 'second: hello']);
    const { messages } = await store.history({ user: USER });
    expect(messages.map((m) => [m.direction, m.status])).toEqual([
      ['out', 'sent'],
      ['out', 'sent'],
      ['in', 'received'],
    ]);
    expect(messages.every((m) => m.direction === 'in' || m.wamid?.startsWith('wamid.'))).toBe(true);
  });

  it('a handler that threw after its first reply: a redelivery sends only the second', async () => {
    wa.graph.reset();
    const incoming = webhook.text({ body: 'fail-bg' });
    // Background mode answers before the handlers: Meta would not redeliver, a duplicate delivery can.
    expect((await wa.receive(incoming)).status).toBe(200);
    expect((await wa.receive(incoming)).status).toBe(200);
    expect(bodies(wa)).toEqual(['first: fail-bg', 'second: fail-bg']);
    expect(wa.get(Bot).runs.get('fail-bg')).toBe(2);
  });
});

describe("store with processing: 'background', store down (fail-closed)", () => {
  it('answers 200 (before the write), runs no handler and sends nothing', async () => {
    const down = (): Promise<never> => Promise.reject(new Error('connect ECONNREFUSED'));
    const wa = await WhatsAppTestApp.create({
      imports: [BotModule],
      logger: false,
      options: {
        processing: 'background',
        store: {
          whenUnavailable: 'fail-closed',
          recordWebhook: down,
          recordSend: down,
          completeSend: down,
          history: down,
          message: down,
          messages: down,
          inboundFacts: down,
          claimReply: down,
          completeReply: down,
          releaseReply: down,
          purge: down,
        },
      },
    });
    try {
      expect((await wa.receive(webhook.text({ body: 'lost' }))).status).toBe(200);
      expect(wa.get(Bot).runs.size).toBe(0);
      expect(wa.graph.requests).toHaveLength(0);
    } finally {
      await wa.close();
    }
  });
});

const withRedis = redisServerBinary() ? describe : describe.skip;
if (!redisServerBinary()) {
  if (process.env.CI === 'true') throw new Error('CI=true requires redis-server');
  process.stderr.write('\n!!! store with processing: queue: SKIPPED, no redis-server !!!\n');
}

withRedis("store with processing: 'queue' (BullMQ on a real redis-server)", () => {
  let redis: RedisServer;
  let wa: WhatsAppTestApp;
  let store: MessageStore;

  beforeAll(async () => {
    redis = await RedisServer.start();
    store = newStore();
    wa = await WhatsAppTestApp.create({
      imports: [BotModule],
      logger: false,
      options: {
        store,
        processing: 'queue',
        queue: new BullMqUpdateQueue({
          connection: redis.url,
          queueName: uniquePrefix('store'),
          partitions: 4,
          attempts: 3,
          backoffMs: 50,
        }),
      },
    });
  }, 60_000);
  afterAll(async () => {
    await wa?.close();
    await redis?.close();
  });

  it('records the message on the webhook side and the replies on the worker side', async () => {
    expect((await wa.receive(webhook.text({ body: 'queued' }))).status).toBe(200);
    expect(bodies(wa)).toEqual(['first: queued', 'second: queued']);
    // The worker's handler sees the window its message opened (recorded before the job was stored).
    expect(wa.get(Bot).windowOpen).toEqual([true]);
    const { messages } = await store.history({ user: USER });
    expect(messages.map((m) => [m.direction, m.status])).toEqual([
      ['out', 'sent'],
      ['out', 'sent'],
      ['in', 'received'],
    ]);
  });

  it("the queue's retry of a handler that threw after its first reply sends only the second", async () => {
    wa.graph.reset();
    const incoming = webhook.text({ body: 'fail-queued' });
    expect((await wa.receive(incoming)).status).toBe(200);
    await wa.idle({ retries: true }); // the queue retries the failed job after its backoff
    expect(wa.get(Bot).runs.get('fail-queued')).toBe(2);
    expect(bodies(wa)).toEqual(['first: fail-queued', 'second: fail-queued']);
    // Meta's redelivery of the same POST: recorded once, the handler does not run again.
    expect((await wa.receive(incoming)).status).toBe(200);
    expect(wa.get(Bot).runs.get('fail-queued')).toBe(2);
    expect(wa.graph.sentMessages()).toHaveLength(2);
    const { messages } = await store.history({ user: USER });
    expect(messages.filter((m) => m.direction === 'in')).toHaveLength(2);
  });
});
