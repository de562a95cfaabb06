// The `store` option end to end: a real Nest app, real signed POSTs, the fake Graph API over HTTP,
// on the in-memory store and on PGlite (the same code paths as a PostgreSQL server).
import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { FAKE_IDS } from '../../lib/testing/fake-graph-api.js';
import { webhook } from '../../lib/testing/webhook-builders/webhook-builder.js';
import { WhatsAppTestApp } from '../../lib/testing/whatsapp-test-app.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import type { ConversationState } from '../../lib/store/conversation-state.js';
import { MemoryMessageStore } from '../../lib/store/memory-message-store.js';
import type { MessageStore } from '../../lib/types/ports/message-store.js';
import {
  MessageStoreUnavailableError,
  WhatsAppOutsideWindowError,
} from '../../lib/store/store-errors.js';
import { PostgresMessageStore } from '../../lib/postgres/postgres-message-store.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';

const USER = '15551234567';
const PN = FAKE_IDS.phoneNumberId;

@Injectable()
class Bot {
  conversations: (ConversationState | undefined)[] = [];
  failOnce = new Set<string>();

  @OnWhatsAppMessage('text')
  async onText(message: TextMessage, ctx: WhatsAppContext): Promise<string | undefined> {
    this.conversations.push(await ctx.conversation());
    const body = message.text.body;
    if (body === 'twice') {
      await ctx.reply('first reply');
      if (this.failOnce.delete(message.id)) throw new Error('failed after the first reply');
      return 'second reply';
    }
    return body === 'ping' ? 'pong' : undefined;
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

const STORES: [string, () => MessageStore][] = [
  ['memory', () => new MemoryMessageStore()],
  [
    'PGlite',
    () =>
      new PostgresMessageStore({
        client: pglite,
        schema: `rec_${Math.random().toString(36).slice(2, 10)}`,
      }),
  ],
];

describe.each(STORES)('store option on %s', (_name, createStore) => {
  let wa: WhatsAppTestApp;
  let store: MessageStore;

  beforeEach(async () => {
    store = createStore();
    wa = await WhatsAppTestApp.create({ imports: [BotModule], options: { store } });
  });
  afterEach(() => wa.close());

  it('records the message, the reply (pending → sent with its wamid) and its statuses, monotonic', async () => {
    const incoming = webhook.text({ body: 'ping' });
    expect((await wa.receive(incoming)).status).toBe(200);
    const [sent] = wa.graph.sentMessages();
    expect(sent).toMatchObject({ to: USER, text: { body: 'pong' } });
    const { messages } = await store.history({ user: USER });
    expect(messages.map((m) => [m.direction, m.type, m.status])).toEqual([
      ['out', 'text', 'sent'],
      ['in', 'text', 'received'],
    ]);
    const wamid = messages[0].wamid as string;
    expect(messages[1].payload).toMatchObject({ type: 'text', text: { body: 'ping' } });

    const pricing = { billable: true, pricing_model: 'PMP', category: 'service' };
    await wa.receive(webhook.status('delivered', { id: wamid, pricing }));
    await wa.receive(webhook.status('read', { id: wamid }));
    // Meta's late (out of order) delivered: the trail has it, the message stays read.
    await wa.receive(webhook.status('delivered', { id: wamid }));
    const stored = await store.message(wamid);
    expect(stored).toMatchObject({ status: 'read', pricing });
    expect(stored?.statuses.map((s) => s.status)).toEqual(['delivered', 'read']);

    const bot = wa.get(Bot);
    expect(bot.conversations.at(-1)).toMatchObject({
      user: USER,
      phoneNumberId: PN,
      windowOpen: true,
    });
  });

  it('records a failed send with the Graph error; and reactions, edits and revokes', async () => {
    await wa.receive(webhook.text({ body: 'hello', id: 'wamid.HELLO' }));
    wa.graph.failNext({ status: 400, error: { code: 131026, message: 'Message undeliverable' } });
    await expect(
      wa.whatsapp.messages.sendText({ to: USER, text: { body: 'x' } }),
    ).rejects.toThrow();
    const [failed] = await store.messages({ status: 'failed' });
    expect(failed).toMatchObject({ direction: 'out', error: { status: 400, code: 131026 } });

    const reply = await wa.whatsapp.messages.sendText({ to: USER, text: { body: 'y' } });
    const wamid = reply.messages[0].id;
    await wa.receive(webhook.reaction({ message_id: wamid, emoji: '❤️' }));
    await wa.receive(webhook.edit({ originalMessageId: 'wamid.HELLO', body: 'hello again' }));
    expect(await store.message(wamid)).toMatchObject({ reaction: '❤️' });
    expect(await store.message('wamid.HELLO')).toMatchObject({
      edit: { type: 'text', text: { body: 'hello again' } },
    });
    await wa.receive(webhook.revoke({ originalMessageId: 'wamid.HELLO' }));
    expect((await store.message('wamid.HELLO'))?.revokedAt).toEqual(expect.any(Number));
  });

  it('refuses a free-form send outside the window before any request; templates always go', async () => {
    const before = wa.graph.requests.length;
    const error = await wa.whatsapp.messages
      .sendText({ to: '15550000000', text: { body: 'hi' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppOutsideWindowError);
    expect(error).toMatchObject({ code: 131047, user: '15550000000', windowClosedAt: undefined });
    expect(wa.graph.requests.length).toBe(before);

    await wa.whatsapp.messages.sendTemplate({
      to: '15550000000',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    await wa.whatsapp.messages.sendText({
      to: '15550000000',
      text: { body: 'hi' },
      outsideWindow: 'allow',
    });
    expect(wa.graph.requests.length).toBe(before + 2);
    // The per-send option never reaches Meta.
    expect(wa.graph.sentMessages().at(-1)).not.toHaveProperty('outsideWindow');

    // A message 25 hours old opened a window that is closed now.
    const old = new Date(Date.now() - 25 * 3_600_000);
    await wa.receive(
      webhook.text({ body: 'old', timestamp: old, sender: { waId: '15550000001' } }),
    );
    await expect(
      wa.whatsapp.messages.sendText({ to: '15550000001', text: { body: 'late' } }),
    ).rejects.toMatchObject({
      name: 'WhatsAppOutsideWindowError',
      windowClosedAt: Math.floor(old.getTime() / 1000) * 1000 + 24 * 3_600_000,
    });

    // From an ad (click-to-WhatsApp), 30 hours ago: the 72-hour free entry point window is open.
    const adAt = new Date(Date.now() - 30 * 3_600_000);
    await wa.receive(
      webhook.referral({
        timestamp: adAt,
        sender: { waId: '15550000002' },
        referral: {
          source_url: 'https://fb.me/x',
          source_id: '1',
          source_type: 'ad',
          ctwa_clid: 'ARAk',
        },
      }),
    );
    await wa.whatsapp.messages.sendText({ to: '15550000002', text: { body: 'about the ad' } });
    wa.graph.expectSent({ to: '15550000002', text: { body: 'about the ad' } });
  });

  it('never sends a reply twice when the handler throws after it (Meta redelivers)', async () => {
    const incoming = webhook.text({ body: 'twice' });
    const id = (incoming.entry[0].changes[0].value as { messages: { id: string }[] }).messages[0]
      .id;
    wa.get(Bot).failOnce.add(id);
    expect((await wa.receive(incoming)).status).toBe(500);
    expect((await wa.receive(incoming)).status).toBe(200);
    expect(wa.graph.sentMessages().map((m) => (m.text as { body: string }).body)).toEqual([
      'first reply',
      'second reply',
    ]);
    // A third delivery (the handler already succeeded) runs nothing.
    expect((await wa.receive(incoming)).status).toBe(200);
    expect(wa.graph.sentMessages()).toHaveLength(2);
  });
});

/** A store whose backend is down: every call rejects. */
function downStore(whenUnavailable: 'fail-closed' | 'fail-open'): MessageStore {
  const down = (): Promise<never> =>
    Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
  return {
    whenUnavailable,
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
  };
}

describe('store outage follows the fail-closed / fail-open choice', () => {
  it('fail-closed: the POST is answered 503 before any handler; sends throw before any request', async () => {
    const wa = await WhatsAppTestApp.create({
      imports: [BotModule],
      options: { store: downStore('fail-closed') },
      logger: false,
    });
    try {
      expect((await wa.receive(webhook.text({ body: 'ping' }))).status).toBe(503);
      expect(wa.get(Bot).conversations).toHaveLength(0);
      await expect(
        wa.whatsapp.messages.sendTemplate({
          to: USER,
          template: { name: 'x', language: { code: 'en' } },
        }),
      ).rejects.toBeInstanceOf(MessageStoreUnavailableError);
      expect(wa.graph.requests).toHaveLength(0);
    } finally {
      await wa.close();
    }
  });

  it('fail-open: handlers run and replies go out, with a warning', async () => {
    const wa = await WhatsAppTestApp.create({
      imports: [BotModule],
      options: { store: downStore('fail-open') },
      logger: false,
    });
    try {
      expect((await wa.receive(webhook.text({ body: 'ping' }))).status).toBe(200);
      wa.graph.expectSent({ to: USER, text: { body: 'pong' } });
      expect(wa.get(Bot).conversations).toEqual([undefined]);
    } finally {
      await wa.close();
    }
  });
});
