import 'reflect-metadata';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  OnWhatsAppEvent,
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  WhatsAppService,
  type WhatsAppContext,
} from '../../lib/index.js';
import { WhatsAppSandbox } from '../../lib/sandbox/index.js';
import { call } from './sandbox-http.js';
import { startAppOnSandbox, sandboxUntil } from './app-on-sandbox.js';

const SECRET = 'integration-secret';
const TOKEN = 'integration-token';
const MAYA = '12025550147';
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300, 7)]);

/** A small bot written the way the README teaches, talking to the sandbox through the real client. */
@Injectable()
class EchoBot {
  readonly statuses: string[] = [];
  readonly templateEvents: unknown[] = [];
  constructor(readonly whatsapp: WhatsAppService) {}

  @OnWhatsAppMessage('text')
  async onText(message: { text: { body: string } }, ctx: WhatsAppContext): Promise<string> {
    await ctx.markAsRead({ typingIndicator: true });
    return `echo: ${message.text.body} (${ctx.contact?.name ?? '?'})`;
  }

  @OnWhatsAppMessage('image')
  async onImage(message: { image: { id: string } }): Promise<string> {
    const media = await this.whatsapp.media.download(message.image.id);
    const bytes = await media.toBuffer();
    return `got ${bytes.length} bytes of ${media.mimeType ?? '?'}`;
  }

  @OnWhatsAppStatus()
  onStatus(status: { status: string }): void {
    this.statuses.push(status.status);
  }

  @OnWhatsAppEvent('message_template_status_update')
  onTemplate(value: unknown): void {
    this.templateEvents.push(value);
  }
}

describe('WhatsAppSandbox with the real module', () => {
  let sandbox: WhatsAppSandbox;
  let app: NestExpressApplication;
  let bot: EchoBot;

  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({
      appSecret: SECRET,
      accessToken: TOKEN,
      users: [{ wa_id: MAYA, name: 'Zoë Ortiz' }],
      deliveredAfterMs: 0,
      readAfterMs: 0,
      templateReviewMs: 0,
    });
    app = await startAppOnSandbox(sandbox, {
      module: {
        accessToken: TOKEN,
        appSecret: SECRET,
      },
      providers: [EchoBot],
      largeBodies: true,
    });
    bot = app.get(EchoBot);
  });
  afterAll(async () => {
    await sandbox.close();
    await app.close();
  });

  const botMessages = () => [...sandbox.store.messages.values()].filter((m) => m.from === 'bot');
  /** Resolves once `test` holds, re-checked on every change of the sandbox (messages, traffic after each POST). */
  const until = (test: () => boolean): Promise<void> => sandboxUntil(sandbox, test);

  it('delivers a signed webhook with escaped non-ASCII bytes that the module verifies, and shows the reply', async () => {
    const res = await call(sandbox.baseUrl, 'POST', `/sandbox/api/users/${MAYA}/messages`, {
      token: null,
      json: { type: 'text', body: 'olá/hi' },
    });
    expect(res.status).toBe(200);
    await until(() => botMessages().length === 1);
    expect(botMessages()[0]?.payload).toEqual({
      type: 'text',
      text: { body: 'echo: olá/hi (Zoë Ortiz)' },
    });
    // The app answered 200 (delivered) and marked it read through the client.
    expect(sandbox.store.messages.get(String(res.json.id))?.status).toBe('read');
    await until(() => bot.statuses.includes('read'));
    expect(bot.statuses.slice(0, 3)).toEqual(['sent', 'delivered', 'read']);
  });

  it('lets the bot download a photo the user sent, with the bearer token, through the media URL', async () => {
    sandbox.userSendsFile(MAYA, { bytes: PNG, mimeType: 'image/png', filename: 'p.png' });
    await until(() => botMessages().length === 2);
    expect(botMessages()[1]?.payload).toEqual({
      type: 'text',
      text: { body: `got ${PNG.length} bytes of image/png` },
    });
  });

  it('creates a template through the client and hands the approval webhook to @OnWhatsAppEvent', async () => {
    await bot.whatsapp.templates.create({
      name: 'order_ready',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your order {{1}} is ready.' }],
    });
    await until(() => bot.templateEvents.length === 1);
    expect(bot.templateEvents[0]).toMatchObject({
      event: 'APPROVED',
      message_template_name: 'order_ready',
    });
  });
});
