import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import { OnWhatsAppStatus } from '../../lib/handlers/on-whatsapp-status.decorator.js';
import type { WhatsAppContext } from '../../lib/handlers/whatsapp-context.js';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import type { OutgoingMessage } from '../../lib/types/outgoing/outgoing-message.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { WhatsAppWebhookService } from '../../lib/webhook/1-http/whatsapp-webhook.service.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import { textMessages } from './support/bodies.js';
import {
  APP_SECRET,
  PLATFORMS,
  createWebhookApp,
  postSigned,
  type Platform,
} from './support/webhook-app.js';

const RECEIVING = '109283746501928';
const SENDER = '12025550147';
const BSUID = 'US.80213377419926514430';

@Injectable()
class ReplyingHandlers {
  readonly statusErrors: string[] = [];

  @OnWhatsAppMessage('text', { matches: 'string' })
  returnsText(): string {
    return 'pong';
  }

  @OnWhatsAppMessage('text', { matches: 'object' })
  returnsMessage(): OutgoingMessage {
    return { type: 'image', image: { link: 'https://example.com/cat.jpg', caption: 'a cat' } };
  }

  @OnWhatsAppMessage('text', { matches: /^(ctx|hello from a username account)$/ })
  async usesContext(_message: TextMessage, context: WhatsAppContext): Promise<void> {
    await context.markAsRead({ typingIndicator: true });
    await context.react('\u{1F44D}');
    await context.reply('via context');
  }

  @OnWhatsAppMessage('text', { matches: 'nothing' })
  returnsNothing(): undefined {
    return undefined;
  }

  @OnWhatsAppStatus()
  async statusCannotReply(_status: unknown, context: WhatsAppContext): Promise<string> {
    await context.reply('no').catch((error: Error) => this.statusErrors.push(error.message));
    // Ignored: a status has no sender to answer.
    return 'ignored';
  }
}

describe.each(PLATFORMS)('replies through the fake Graph API on %s', (platform: Platform) => {
  let graph: FakeGraphApi;
  let app: INestApplication;

  beforeAll(async () => {
    graph = await FakeGraphApi.start();
    app = await createWebhookApp(platform, {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 'test-access-token',
          appSecret: APP_SECRET,
          baseUrl: graph.baseUrl,
          retry: false,
          dedupe: false,
        }),
      ],
      providers: [ReplyingHandlers],
    });
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
  });
  beforeEach(() => graph.reset());

  const messagesPath = `/${RECEIVING}/messages`;
  const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual' };
  const sentBodies = () =>
    graph.requests.map((r) => ({
      method: r.method,
      path: r.graphPath,
      json: r.json,
      auth: r.headers.authorization,
    }));

  it('sends a returned string as a text reply to the sender, from the receiving number', async () => {
    const res = await postSigned(
      app,
      webhookFixtureBytes('text')
        .toString()
        .replace('Hi! Do you have the blue one in size M?', 'string'),
    );
    expect(res.status).toBe(200);
    expect(sentBodies()).toEqual([
      {
        method: 'POST',
        path: messagesPath,
        auth: 'Bearer test-access-token',
        json: { ...envelope, to: SENDER, type: 'text', text: { body: 'pong' } },
      },
    ]);
  });

  it('sends a returned message object as is', async () => {
    await postSigned(
      app,
      webhookFixtureBytes('text')
        .toString()
        .replace('Hi! Do you have the blue one in size M?', 'object'),
    );
    expect(sentBodies()).toEqual([
      {
        method: 'POST',
        path: messagesPath,
        auth: 'Bearer test-access-token',
        json: {
          ...envelope,
          to: SENDER,
          type: 'image',
          image: { link: 'https://example.com/cat.jpg', caption: 'a cat' },
        },
      },
    ]);
  });

  it('ctx.markAsRead, ctx.react and ctx.reply produce the exact requests', async () => {
    await postSigned(
      app,
      webhookFixtureBytes('text')
        .toString()
        .replace('Hi! Do you have the blue one in size M?', 'ctx'),
    );
    const messageId = 'wamid.HBgLMTIwMjU1NTAxNDcVAgASGBQxQ0IyNTFFQzBENTY4REU2QTkyOQA=';
    expect(graph.requests.map((r) => [r.method, r.graphPath])).toEqual([
      ['POST', messagesPath],
      ['POST', messagesPath],
      ['POST', messagesPath],
    ]);
    expect(graph.requests[0].json).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: messageId,
      typing_indicator: { type: 'text' },
    });
    expect(graph.requests[1].json).toEqual({
      ...envelope,
      to: SENDER,
      type: 'reaction',
      reaction: { message_id: messageId, emoji: '\u{1F44D}' },
    });
    expect(graph.requests[2].json).toEqual({
      ...envelope,
      to: SENDER,
      type: 'text',
      text: { body: 'via context' },
    });
  });

  it('answers a BSUID-only (username) sender through "recipient"', async () => {
    await postSigned(app, webhookFixtureBytes('text-username-only'));
    const messageId =
      'wamid.HBgXVVMuODAyMTMzNzc0MTk5MjY1MTQ0MzAVAgASGBRVU0VSTkFNRTAwMDAwMDAwMDAwMQA=';
    expect(graph.requests.map((r) => [r.method, r.graphPath, r.json])).toEqual([
      [
        'POST',
        messagesPath,
        {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: messageId,
          typing_indicator: { type: 'text' },
        },
      ],
      [
        'POST',
        messagesPath,
        {
          ...envelope,
          recipient: BSUID,
          type: 'reaction',
          reaction: { message_id: messageId, emoji: '\u{1F44D}' },
        },
      ],
      [
        'POST',
        messagesPath,
        { ...envelope, recipient: BSUID, type: 'text', text: { body: 'via context' } },
      ],
    ]);
  });

  it('sends nothing for a handler that returns nothing, nor for status handlers', async () => {
    await postSigned(app, textMessages([['wamid.N', 'nothing']]));
    await postSigned(app, webhookFixtureBytes('status-delivered'));
    await app.get(WhatsAppWebhookService).drain();
    expect(graph.requests).toEqual([]);
    expect(app.get(ReplyingHandlers).statusErrors).toEqual([
      'WhatsAppContext.reply() is only available in message handlers (this is a status update)',
    ]);
  });

  it('counts a failed reply as a failed handler (500, Meta redelivers)', async () => {
    graph.failNext({ status: 400, error: { code: 100, details: 'Invalid parameter' } });
    const res = await postSigned(
      app,
      webhookFixtureBytes('text')
        .toString()
        .replace('Hi! Do you have the blue one in size M?', 'string'),
    );
    expect(res.status).toBe(500);
  });
});
