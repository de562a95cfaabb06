// Reply-id routing and several replies, through the real webhook: signed POSTs built with the
// testing kit's builders to a real Nest app, replies recorded by a loopback FakeGraphApi.
import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { FakeGraphApi, FAKE_IDS } from '../../lib/testing/fake-graph-api.js';
import { createWebhookBuilder } from '../../lib/testing/webhook-builders/webhook-builder.js';
import { toMetaJson } from '../../lib/testing/webhook-builders/meta-json.js';
import type { InteractiveMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { PLATFORMS, APP_SECRET, createWebhookApp, postSigned } from './support/webhook-app.js';

const SENDER = '447700900461';
const webhook = createWebhookBuilder({ contact: { waId: SENDER, name: 'Ana' } });

@Injectable()
class RoutingHandlers {
  ctxResponses: number[] = [];

  @OnWhatsAppMessage('interactive', { replyId: 'plan_basic' })
  basic(): string {
    return 'basic plan';
  }

  @OnWhatsAppMessage('interactive', { replyId: ['row_a', 'row_b'] })
  rows(message: InteractiveMessage): string {
    return `row ${message.interactive.type === 'list_reply' ? message.interactive.list_reply.id : '?'}`;
  }

  @OnWhatsAppMessage(['interactive', 'button'], { replyId: /^promo_/ })
  promo(): string {
    return 'promo';
  }

  @OnWhatsAppMessage('interactive', { replyId: 'signup-flow-7' })
  flowDone(): string {
    return 'flow done';
  }

  @OnWhatsAppMessage('button', { replyId: 'STOP' })
  stop(): string {
    return 'stopped';
  }

  @OnWhatsAppMessage('text', { matches: 'many' })
  many(): unknown[] {
    const replies: unknown[] = [
      'one',
      { type: 'image', image: { link: 'https://example.com/2.jpg' } },
    ];
    replies.length = 3; // a hole: skipped, like the non-replies below
    replies.push(null, 3, 'three');
    return replies;
  }

  @OnWhatsAppMessage('text', { matches: 'partial' })
  partial(): string[] {
    return ['first', 'second', 'third'];
  }

  @OnWhatsAppMessage('text', { matches: 'too many' })
  tooMany(): string[] {
    return new Array<string>(51).fill('spam');
  }

  @OnWhatsAppMessage('text', { matches: 'hostile array' })
  hostileArray(): unknown {
    const value: unknown[] = ['never sent'];
    Object.defineProperty(value, 1, {
      enumerable: true,
      get() {
        throw new Error('item getter');
      },
    });
    return value;
  }

  @OnWhatsAppMessage('text', { matches: 'ctx many' })
  async ctxMany(_message: unknown, context: WhatsAppContext): Promise<void> {
    const responses = await context.reply(['ctx one', { type: 'text', text: { body: 'ctx two' } }]);
    this.ctxResponses.push(responses.length);
  }
}

describe.each(PLATFORMS)('reply-id routing and several replies on %s', (platform) => {
  let graph: FakeGraphApi;
  let app: INestApplication;
  let handlers: RoutingHandlers;
  const logs = new CapturingLogger();

  beforeAll(async () => {
    graph = await FakeGraphApi.start();
    app = await createWebhookApp(
      platform,
      {
        imports: [
          WhatsAppModule.forRoot({
            accessToken: 'test-access-token',
            appSecret: APP_SECRET,
            baseUrl: graph.baseUrl,
            retry: false,
          }),
        ],
        providers: [RoutingHandlers],
      },
      { logger: logs },
    );
    handlers = app.get(RoutingHandlers);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });
  beforeEach(() => graph.reset());

  const post = (payload: unknown) => postSigned(app, toMetaJson(payload));
  const sentTexts = () =>
    graph
      .sentMessages()
      .map((m) =>
        m.type === 'text'
          ? (m.text as { body: string }).body
          : `${m.type}:${JSON.stringify(m[m.type])}`,
      );

  it('routes by button_reply.id, list_reply.id, the Flow token and a template button payload', async () => {
    const res = await post(
      webhook.batch(
        webhook.buttonReply({ buttonId: 'plan_basic', title: 'Basic' }),
        webhook.listReply({ rowId: 'row_b', title: 'Row B' }),
        webhook.buttonReply({ buttonId: 'promo_xmas', title: 'Xmas' }),
        webhook.button({ payload: 'promo_spring', text: 'Spring' }),
        webhook.flowReply({ response: { flow_token: 'signup-flow-7', email: 'ana@example.com' } }),
        webhook.button({ payload: 'STOP', text: 'Stop promotions' }),
      ),
    );
    expect(res.status).toBe(200);
    expect(sentTexts()).toEqual([
      'basic plan',
      'row row_b',
      'promo',
      'promo',
      'flow done',
      'stopped',
    ]);
    expect(graph.sentMessages().every((m) => m.to === SENDER)).toBe(true);
  });

  it('never routes by title, text, Flow name or a malformed tap', async () => {
    const res = await post(
      webhook.batch(
        webhook.buttonReply({ buttonId: 'other', title: 'plan_basic' }),
        webhook.text({ body: 'plan_basic' }),
        webhook.flowReply({ response: { screen: 'x' }, name: 'signup-flow-7' }),
        webhook.flowReply({ response: '{not json' }),
        webhook.message('interactive', { interactive: { type: 'button_reply' } }),
        webhook.message('interactive', {}),
        webhook.message('button', { button: { payload: 42 } }),
        webhook.buttonReply({ buttonId: 'PLAN_BASIC', title: 'Basic' }),
      ),
    );
    expect(res.status).toBe(200);
    expect(sentTexts()).toEqual([]);
  });

  it('sends an array of replies in order, skipping holes and non-replies', async () => {
    const res = await post(webhook.text({ body: 'many' }));
    expect(res.status).toBe(200);
    expect(sentTexts()).toEqual(['one', 'image:{"link":"https://example.com/2.jpg"}', 'three']);
  });

  it('ctx.reply(array) sends each in order and resolves to every response', async () => {
    const res = await post(webhook.text({ body: 'ctx many' }));
    expect(res.status).toBe(200);
    expect(sentTexts()).toEqual(['ctx one', 'ctx two']);
    expect(handlers.ctxResponses.at(-1)).toBe(2);
  });

  it('a failure mid-array stops the rest, fails the call (500) and the redelivery sends all again', async () => {
    const messagesPath = `/${FAKE_IDS.phoneNumberId}/messages`;
    graph
      .answerNext(
        {
          status: 200,
          json: {
            messaging_product: 'whatsapp',
            contacts: [{ input: SENDER, wa_id: SENDER }],
            messages: [{ id: 'wamid.first' }],
          },
        },
        1,
        { path: messagesPath },
      )
      .failNext(
        { status: 400, error: { code: 131009, message: 'Parameter value is not valid' } },
        1,
        { path: messagesPath },
      );
    const body = toMetaJson(webhook.text({ body: 'partial' }));
    const first = await postSigned(app, body);
    expect(first.status).toBe(500);
    expect(sentTexts()).toEqual(['first', 'second']); // 'second' was refused, 'third' never sent
    expect(logs.lines.map((l) => l.text).join('\n')).toMatch(
      /reply 2 of 3 failed on m:wamid\.[^;]+; 1 sent before it/,
    );
    const redelivery = await postSigned(app, body);
    expect(redelivery.status).toBe(200);
    expect(sentTexts()).toEqual(['first', 'second', 'first', 'second', 'third']);
  });

  it('an array over 50 replies or with a throwing getter sends nothing, fails that call only', async () => {
    const res = await post(
      webhook.batch(
        webhook.text({ body: 'too many' }),
        webhook.text({ body: 'hostile array' }),
        webhook.buttonReply({ buttonId: 'plan_basic', title: 'Basic' }),
      ),
    );
    expect(res.status).toBe(500);
    expect(sentTexts()).toEqual(['basic plan']);
    expect(logs.lines.map((l) => l.text).join('\n')).toMatch(/returned 51 replies; at most 50/);
    expect(logs.lines.map((l) => l.text).join('\n')).toMatch(/item getter/);
  });
});

@Injectable()
class BadReplyIdHandlers {
  @OnWhatsAppMessage('interactive', { replyId: [] })
  handler(): void {}
}

describe('replyId is checked at startup', () => {
  it('a bad value fails the bootstrap with an error naming the handler', async () => {
    await expect(
      createWebhookApp('express', {
        imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET })],
        providers: [BadReplyIdHandlers],
      }),
    ).rejects.toThrow(
      /^WhatsApp handler BadReplyIdHandlers\.handler \(message interactive\): replyId must be a non-empty string, a non-empty array of non-empty strings, or a RegExp \(got an array of 0\)$/,
    );
  });
});
