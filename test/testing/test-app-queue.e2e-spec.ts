import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import {
  OnWhatsAppMessage,
  WhatsAppModule,
  type TextMessage,
  type WhatsAppContext,
} from '../../lib/index.js';
import { BullMqUpdateQueue } from '../../lib/redis/index.js';
import { WhatsAppTestApp, webhook } from '../../lib/testing/index.js';
import { redisServerBinary, RedisServer, uniquePrefix } from '../redis/support/redis-server.js';

@Injectable()
class SlowBot {
  readonly handled: string[] = [];
  readonly failuresLeft = new Map<string, number>();

  @OnWhatsAppMessage('text')
  async onText(message: TextMessage, ctx: WhatsAppContext): Promise<void> {
    // Long enough that the POST is answered (jobs stored) well before the handler ends.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const left = this.failuresLeft.get(message.text.body) ?? 0;
    if (left > 0) {
      this.failuresLeft.set(message.text.body, left - 1);
      throw new Error('planned failure');
    }
    await ctx.reply(`done: ${message.text.body}`);
    this.handled.push(message.text.body);
  }
}

@Module({
  imports: [WhatsAppModule.forRoot({ accessToken: 'unused', appSecret: 'unused' })],
  providers: [SlowBot],
})
class SlowBotModule {}

const run = redisServerBinary() ? describe : describe.skip;
if (!redisServerBinary())
  process.stderr.write('\n!!! WhatsAppTestApp queue mode: SKIPPED, no redis-server !!!\n');

run("WhatsAppTestApp in processing: 'queue' (BullMQ on a real redis-server)", () => {
  let redis: RedisServer;
  let wa: WhatsAppTestApp;

  beforeAll(async () => {
    redis = await RedisServer.start();
    wa = await WhatsAppTestApp.create({
      imports: [SlowBotModule],
      logger: false,
      options: {
        processing: 'queue',
        queue: new BullMqUpdateQueue({
          connection: redis.url,
          queueName: uniquePrefix('kit'),
          partitions: 4,
          attempts: 2,
          backoffMs: 100,
        }),
      },
    });
  }, 30_000);
  afterEach(() => wa.graph.reset());
  afterAll(async () => {
    await wa?.close();
    await redis?.close();
  });

  it('receive() resolves once the queued handlers ran and their replies went out', async () => {
    const answer = await wa.receive(webhook.text({ body: 'one' }));
    expect(answer.status).toBe(200);
    expect(wa.get(SlowBot).handled).toContain('one');
    wa.graph.expectSent({ type: 'text', text: { body: 'done: one' } });
  });

  it('a batch from several senders: every update handled when receive() resolves', async () => {
    const bodies = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    await wa.receive(
      webhook.batch(
        ...bodies.map((body, i) => webhook.text({ body, sender: { waId: `1555000000${i}` } })),
      ),
    );
    expect(wa.get(SlowBot).handled).toEqual(expect.arrayContaining(bodies));
    expect(wa.graph.sentMessages()).toHaveLength(bodies.length);
  });

  it('idle({ retries: true }) also waits for the retry of a failed handler', async () => {
    wa.get(SlowBot).failuresLeft.set('flaky', 1);
    await wa.receive(webhook.text({ body: 'flaky' }));
    // The first attempt ran and failed: receive() does not wait for the backoff.
    expect(wa.get(SlowBot).handled).not.toContain('flaky');
    await wa.idle({ retries: true });
    expect(wa.get(SlowBot).handled).toContain('flaky');
  });

  it('receive(..., { waitForQueue: false }) returns once the updates are stored', async () => {
    await wa.receive(webhook.text({ body: 'later' }), { waitForQueue: false });
    await wa.idle();
    expect(wa.get(SlowBot).handled).toContain('later');
  });
});
