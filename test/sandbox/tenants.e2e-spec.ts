import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  OnWhatsAppMessage,
  WhatsAppApiError,
  WhatsAppService,
  type WhatsAppContext,
} from '../../lib/index.js';
import { WhatsAppSandbox } from '../../lib/sandbox/index.js';
import { call, type GraphErrorBody } from './sandbox-http.js';
import type { WebhookBody } from './webhook-receiver.js';
import { startAppOnSandbox, sandboxUntil } from './app-on-sandbox.js';

const SECRET = 'tenants-secret';
const A = { token: 'token-of-a', phone: '109283746501928', waba: '184736291047562' };
const B = {
  token: 'token-of-b',
  phone: '200000000000002',
  waba: '300000000000003',
  name: 'Shop B',
};
const MAYA = '12025550147';

/** One app serving both businesses: replies with the token of the number that received the update. */
@Injectable()
class TenantBot {
  readonly received: Array<{ text: string; phoneNumberId?: string; waba?: string }> = [];

  @OnWhatsAppMessage('text')
  onText(message: { text: { body: string } }, ctx: WhatsAppContext): string {
    this.received.push({
      text: message.text.body,
      phoneNumberId: ctx.phoneNumberId,
      waba: ctx.businessAccountId,
    });
    return `echo: ${message.text.body}`;
  }
}

describe('WhatsAppSandbox with several businesses (tenants)', () => {
  let sandbox: WhatsAppSandbox;
  let app: NestExpressApplication;
  let bot: TenantBot;
  let whatsapp: WhatsAppService;

  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({
      appSecret: SECRET,
      accessToken: A.token,
      businesses: [
        {
          phoneNumberId: B.phone,
          businessAccountId: B.waba,
          accessToken: B.token,
          verifiedName: B.name,
        },
      ],
      users: [{ wa_id: MAYA, name: 'Maya Ortiz' }],
      deliveredAfterMs: 0,
      readAfterMs: false,
      templateReviewMs: 0,
    });
    app = await startAppOnSandbox(sandbox, {
      module: {
        accessToken: A.token,
        appSecret: SECRET,
        phoneNumberId: A.phone,
        businessAccountId: A.waba,
        resolveCredentials: ({ phoneNumberId }) =>
          Promise.resolve({ accessToken: phoneNumberId === B.phone ? B.token : A.token }),
      },
      providers: [TenantBot],
    });
    bot = app.get(TenantBot);
    whatsapp = app.get(WhatsAppService);
  });
  afterAll(async () => {
    await sandbox.close();
    await app.close();
  });

  /** Resolves once `test` holds, re-checked on every change of the sandbox; bounded by jest's timeout. */
  const until = (test: () => boolean): Promise<void> => sandboxUntil(sandbox, test);
  const botMessages = (phone: string) =>
    [...sandbox.store.messages.values()].filter(
      (m) => m.from === 'bot' && m.phoneNumberId === phone,
    );
  /** Every change of every webhook POST the sandbox sent, with its entry id. */
  const webhookChanges = () =>
    sandbox.store.traffic
      .filter((t) => t.direction === 'webhook')
      .flatMap((t) =>
        (t.request as WebhookBody).entry.flatMap((e) =>
          e.changes.map((c) => ({ entryId: e.id, value: c.value })),
        ),
      );

  it('lists the businesses without their tokens', () => {
    expect(sandbox.businesses).toEqual([
      expect.objectContaining({ phoneNumberId: A.phone, businessAccountId: A.waba }),
      {
        phoneNumberId: B.phone,
        businessAccountId: B.waba,
        displayPhoneNumber: '15550000002',
        businessId: sandbox.businessId,
        verifiedName: B.name,
      },
    ]);
    expect(JSON.stringify(sandbox.businesses)).not.toContain('token-of');
  });

  it("refuses a business's token on another business's number and WABA with Meta's 100/33", async () => {
    const send = { messaging_product: 'whatsapp', to: MAYA, type: 'text', text: { body: 'x' } };
    const crossed = await call<GraphErrorBody>(
      sandbox.baseUrl,
      'POST',
      `/v23.0/${B.phone}/messages`,
      {
        token: A.token,
        json: send,
      },
    );
    expect(crossed.status).toBe(400);
    // Meta's body, as https://github.com/sajuthankappan/whatsapp-cloud-api-rs/issues/3 shows it.
    expect(crossed.json).toEqual({
      error: {
        message: `Unsupported post request. Object with ID '${B.phone}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
        fbtrace_id: expect.any(String),
      },
    });
    for (const [token, path] of [
      [B.token, `/v23.0/${A.waba}/message_templates`],
      [B.token, `/v23.0/${A.phone}`],
      [A.token, `/v23.0/${B.waba}/phone_numbers`],
      [A.token, `/v23.0/${B.phone}/groups`],
    ] as const) {
      const res = await call<GraphErrorBody>(sandbox.baseUrl, 'GET', path, { token });
      expect([path, res.status, res.json.error.error_subcode]).toEqual([path, 400, 33]);
    }
    // An unknown token is still 190, whatever it addresses.
    const unknown = await call<GraphErrorBody>(sandbox.baseUrl, 'GET', `/v23.0/${B.phone}`, {
      token: 'nobody',
    });
    expect([unknown.status, unknown.json.error.code]).toEqual([401, 190]);
    // Through the client: forAccount with A's token on B's number.
    const error = await whatsapp
      .forAccount({ accessToken: A.token, phoneNumberId: B.phone })
      .messages.sendText({ to: MAYA, text: { body: 'x' } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ code: 100, subcode: 33 });
  });

  it("answers each business's number and WABA to its own token, templates per WABA", async () => {
    const number = await call(sandbox.baseUrl, 'GET', `/v23.0/${B.phone}`, { token: B.token });
    expect(number.json).toMatchObject({ id: B.phone, verified_name: B.name });
    const numbers = await call<{ data: Array<{ id: string }> }>(
      sandbox.baseUrl,
      'GET',
      `/v23.0/${B.waba}/phone_numbers`,
      { token: B.token },
    );
    expect(numbers.json.data.map((n) => n.id)).toEqual([B.phone]);
    await whatsapp
      .forAccount({ accessToken: B.token, businessAccountId: B.waba })
      .templates.create({
        name: 'b_only',
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hi from B' }],
      });
    const names = async (waba: string, token: string) =>
      (
        await call<{ data: Array<{ name: string }> }>(
          sandbox.baseUrl,
          'GET',
          `/v23.0/${waba}/message_templates`,
          { token },
        )
      ).json.data.map((t) => t.name);
    expect(await names(B.waba, B.token)).toEqual(['hello_world', 'b_only']);
    expect(await names(A.waba, A.token)).toEqual(['hello_world']);
    // Its review comes in a webhook entry of B's WABA.
    const review = () => webhookChanges().find((c) => c.value.message_template_name === 'b_only');
    await until(() => review() !== undefined);
    expect(review()?.entryId).toBe(B.waba);
    // The portfolio lists the WABAs the token reaches.
    const accounts = await call<{ data: Array<{ id: string }> }>(
      sandbox.baseUrl,
      'GET',
      `/v23.0/${sandbox.businessId}/owned_whatsapp_business_accounts`,
      { token: B.token },
    );
    expect(accounts.json.data.map((a) => a.id)).toEqual([B.waba]);
  });

  it("delivers each business's user messages with its metadata and replies from its number", async () => {
    const before = webhookChanges().length;
    sandbox.userSends(MAYA, { type: 'text', body: 'hello A' });
    sandbox.userSends(MAYA, { type: 'text', body: 'hello B' }, B.phone);
    const repliesOk = () =>
      sandbox.store.traffic.filter(
        (t) => t.direction === 'graph' && t.status === 200 && t.path.endsWith('/messages'),
      ).length;
    const okBefore = repliesOk();
    // Traffic is recorded once the answer is written, after the message appears: wait for both.
    await until(
      () =>
        botMessages(A.phone).length === 1 &&
        botMessages(B.phone).length === 1 &&
        repliesOk() === okBefore + 2,
    );
    expect(bot.received).toEqual(
      expect.arrayContaining([
        { text: 'hello A', phoneNumberId: A.phone, waba: A.waba },
        { text: 'hello B', phoneNumberId: B.phone, waba: B.waba },
      ]),
    );
    expect(botMessages(B.phone)[0]?.payload).toEqual({
      type: 'text',
      text: { body: 'echo: hello B' },
    });
    // Two chats with Maya, one per business number.
    expect(sandbox.store.chatOf(MAYA, B.phone).map((m) => m.from)).toEqual(['user', 'bot']);
    // The reply went out on B's number (with B's token: A's would have been refused).
    const replies = sandbox.store.traffic.filter(
      (t) => t.direction === 'graph' && t.method === 'POST' && t.path.endsWith('/messages'),
    );
    expect(replies.map((t) => [t.path.split('/')[2], t.status])).toEqual(
      expect.arrayContaining([
        [A.phone, 200],
        [B.phone, 200],
      ]),
    );
    // Webhooks: entry id the business's WABA, metadata its number, for messages and statuses alike.
    const replyB = botMessages(B.phone)[0]?.id;
    await until(() => webhookChanges().some((c) => c.value.statuses?.some((s) => s.id === replyB)));
    const changes = webhookChanges().slice(before);
    const metadataOf = (c: (typeof changes)[number]) =>
      (c.value.metadata as { phone_number_id: string } | undefined)?.phone_number_id;
    const inboundB = changes.find((c) =>
      c.value.messages?.some((m) => (m.text as { body: string }).body === 'hello B'),
    );
    expect(inboundB && [inboundB.entryId, metadataOf(inboundB)]).toEqual([B.waba, B.phone]);
    const statusB = changes.find((c) => c.value.statuses?.some((s) => s.id === replyB));
    expect(statusB && [statusB.entryId, metadataOf(statusB)]).toEqual([B.waba, B.phone]);
    // Every change with a number (template events have none) names the number of its entry's WABA.
    for (const c of changes.filter((c) => metadataOf(c) !== undefined)) {
      expect(metadataOf(c)).toBe(c.entryId === B.waba ? B.phone : A.phone);
    }
  });

  it('keeps the 24-hour window per business number', async () => {
    const lea = '447700900123';
    sandbox.addUser({ wa_id: lea, name: 'Lea' });
    sandbox.userSends(lea, { type: 'text', body: 'only to B' }, B.phone);
    await until(() => sandbox.store.chatOf(lea, B.phone).length === 2);
    // Lea never wrote to A: a free-form message from A is outside the window.
    const fromA = await call<GraphErrorBody>(
      sandbox.baseUrl,
      'POST',
      `/v23.0/${A.phone}/messages`,
      {
        token: A.token,
        json: { messaging_product: 'whatsapp', to: lea, type: 'text', text: { body: 'hi' } },
      },
    );
    expect([fromA.status, fromA.json.error.code]).toEqual([400, 131047]);
    const fromB = await call(sandbox.baseUrl, 'POST', `/v23.0/${B.phone}/messages`, {
      token: B.token,
      json: { messaging_product: 'whatsapp', to: lea, type: 'text', text: { body: 'hi' } },
    });
    expect(fromB.status).toBe(200);
  });

  it('sends chat-page actions to the business named by ?business=, refuses an unknown one', async () => {
    const res = await call<{ phoneNumberId: string }>(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/messages?business=${B.phone}`,
      { token: null, json: { type: 'text', body: 'from the page' } },
    );
    expect(res.json.phoneNumberId).toBe(B.phone);
    const unknown = await call(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${MAYA}/messages?business=999`,
      { token: null, json: { type: 'text', body: 'x' } },
    );
    expect(unknown.status).toBe(400);
    const state = await call<{ businesses: Array<Record<string, unknown>> }>(
      sandbox.baseUrl,
      'GET',
      '/sandbox/api/state',
      { token: null },
    );
    expect(state.json.businesses.map((b) => b.phoneNumberId)).toEqual([A.phone, B.phone]);
    expect(JSON.stringify(state.json)).not.toContain('token-of');
  });
});

describe('WhatsAppSandbox business tokens', () => {
  it('lets a business without a token share the top-level one; any token only when no token is set', async () => {
    const shared = await WhatsAppSandbox.start({
      appSecret: SECRET,
      accessToken: A.token,
      businesses: [{ phoneNumberId: B.phone, businessAccountId: B.waba }],
    });
    const open = await WhatsAppSandbox.start({
      appSecret: SECRET,
      businesses: [{ phoneNumberId: B.phone, businessAccountId: B.waba }],
    });
    try {
      const get = async (sandbox: WhatsAppSandbox, token: string) =>
        (await call(sandbox.baseUrl, 'GET', `/v23.0/${B.phone}`, { token })).status;
      expect(await get(shared, A.token)).toBe(200);
      expect(await get(shared, 'anything')).toBe(401);
      expect(await get(open, 'anything')).toBe(200);
      // The shared token reaches every WABA of the portfolio.
      const accounts = await call<{ data: Array<{ id: string }> }>(
        shared.baseUrl,
        'GET',
        `/v23.0/${shared.businessId}/owned_whatsapp_business_accounts`,
        { token: A.token },
      );
      expect(accounts.json.data.map((a) => a.id)).toEqual([A.waba, B.waba]);
    } finally {
      await shared.close();
      await open.close();
    }
  });
});
