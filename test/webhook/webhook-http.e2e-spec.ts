import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import type { WhatsAppModuleOptions } from '../../lib/options/whatsapp-options.interface.js';
import { signWebhookBody } from '../../lib/testing/sign-webhook-body.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { WhatsAppWebhookService } from '../../lib/webhook/1-http/whatsapp-webhook.service.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import {
  APP_SECRET,
  PLATFORMS,
  VERIFY_TOKEN,
  WEBHOOK,
  createWebhookApp,
  postSigned,
  type Platform,
} from './support/webhook-app.js';
import { CapturingLogger } from './support/capturing-logger.js';

/** Counts text messages; the HTTP tests only need to know whether a handler ran. */
@Injectable()
class TextCounter {
  readonly bodies: string[] = [];

  @OnWhatsAppMessage('text')
  onText(message: { text: { body: string } }): void {
    this.bodies.push(message.text.body);
  }
}

const baseOptions: WhatsAppModuleOptions = {
  accessToken: 'test-access-token',
  appSecret: APP_SECRET,
  verifyToken: VERIFY_TOKEN,
  baseUrl: 'http://127.0.0.1:9',
};

const TEXT = webhookFixtureBytes('text');
const textBody = (body: string, id = 'wamid.X'): string =>
  `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"3","id":"${id}","timestamp":"1","type":"text","text":{"body":"${body}"}}]},"field":"messages"}]}]}`;

describe.each(PLATFORMS)('webhook HTTP behaviour on %s', (platform: Platform) => {
  describe('with the default set-up', () => {
    let app: INestApplication;
    let counter: TextCounter;

    beforeAll(async () => {
      app = await createWebhookApp(platform, {
        imports: [
          WhatsAppModule.forRoot({
            ...baseOptions,
            appSecret: [APP_SECRET, 'next-secret'],
            dedupe: false,
          }),
        ],
        providers: [TextCounter],
      });
      counter = app.get(TextCounter);
    });
    afterAll(async () => {
      await app.close();
    });
    afterEach(() => {
      counter.bodies.length = 0;
    });

    it('answers the verification handshake with the challenge as text/plain', async () => {
      const res = await request(app.getHttpServer()).get(WEBHOOK).query({
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toBe('1158201444');
    });

    it.each([
      [
        'a wrong token',
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': 'c' },
      ],
      ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': 'c' }],
      [
        'a token differing by length',
        { 'hub.mode': 'subscribe', 'hub.verify_token': `${VERIFY_TOKEN}x`, 'hub.challenge': 'c' },
      ],
      [
        'another mode',
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': 'c' },
      ],
      ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
      ['no parameters', {}],
    ])('refuses the handshake with %s (403)', async (_name, query) => {
      const res = await request(app.getHttpServer()).get(WEBHOOK).query(query);
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(VERIFY_TOKEN);
    });

    it('accepts a fixture signed over its exact bytes and runs its handler', async () => {
      const res = await postSigned(app, TEXT);
      expect(res.status).toBe(200);
      expect(counter.bodies).toHaveLength(1);
    });

    it('verifies bodies whose bytes change when re-serialised (1.0, \\u00e9, \\/)', async () => {
      const body = textBody('caf\\u00e9 \\/ 1.0 \\ud83d\\ude00').replace(
        '"timestamp":"1"',
        '"n":1.0,"timestamp":"1"',
      );
      expect(JSON.stringify(JSON.parse(body))).not.toBe(body);
      const res = await postSigned(app, body);
      expect(res.status).toBe(200);
      expect(counter.bodies).toEqual(['café / 1.0 😀']);
      const escapes = await postSigned(app, webhookFixtureBytes('text-escapes'));
      expect(escapes.status).toBe(200);
      expect(counter.bodies).toHaveLength(2);
    });

    it('refuses a body signed after re-serialisation (401): the HMAC covers the raw bytes only', async () => {
      const body = textBody('caf\\u00e9');
      const signature = signWebhookBody(JSON.stringify(JSON.parse(body)), APP_SECRET);
      const res = await postSigned(app, body, { signature });
      expect(res.status).toBe(401);
      expect(counter.bodies).toEqual([]);
    });

    it('accepts every configured secret (rotation)', async () => {
      expect((await postSigned(app, textBody('old'), { secret: APP_SECRET })).status).toBe(200);
      expect((await postSigned(app, textBody('new'), { secret: 'next-secret' })).status).toBe(200);
      expect(counter.bodies).toEqual(['old', 'new']);
    });

    const valid = signWebhookBody(TEXT, APP_SECRET);
    it.each([
      ['another secret', signWebhookBody(TEXT, 'someone-else')],
      ['no header', null],
      ['sha1=', valid.replace('sha256=', 'sha1=')],
      ['a truncated hex', valid.slice(0, -1)],
      ['an over-long hex', `${valid}0`],
      ['no prefix', valid.slice('sha256='.length)],
      ['an empty value', ''],
    ])('refuses a POST signed with %s (401) and runs no handler', async (_name, signature) => {
      const res = await postSigned(app, TEXT, { signature });
      expect(res.status).toBe(401);
      expect(counter.bodies).toEqual([]);
    });

    it('refuses an empty body (401), with or without a signature of something else', async () => {
      const noType = await request(app.getHttpServer())
        .post(WEBHOOK)
        .set('X-Hub-Signature-256', valid)
        .send('');
      expect(noType.status).toBe(401);
      const unsigned = await request(app.getHttpServer()).post(WEBHOOK);
      expect(unsigned.status).toBe(401);
      expect(counter.bodies).toEqual([]);
    });

    it('refuses a signed body that is not JSON (400) and runs no handler', async () => {
      const malformed = '{"object":"whatsapp_business_account","entry":[';
      expect((await postSigned(app, malformed)).status).toBe(400);
      expect((await postSigned(app, 'hello', { contentType: 'text/plain' })).status).toBe(400);
      expect(counter.bodies).toEqual([]);
    });

    it('acknowledges signed JSON that is not a WhatsApp payload (200) and runs no handler', async () => {
      for (const body of [
        '{"object":"page","entry":[]}',
        '[]',
        '{"object":"whatsapp_business_account","entry":{}}',
      ]) {
        expect((await postSigned(app, body)).status).toBe(200);
      }
      expect(counter.bodies).toEqual([]);
    });

    it("accepts a body close to Meta's 3 MB limit", async () => {
      const filler = 'x'.repeat(2_500_000);
      const res = await postSigned(app, textBody(filler));
      expect(res.status).toBe(200);
      expect(counter.bodies[0]).toHaveLength(2_500_000);
    });

    it('exposes drain() and resolves it when idle', async () => {
      await expect(app.get(WhatsAppWebhookService).drain()).resolves.toBeUndefined();
    });
  });

  it('logs one line per registered handler, and a warning without the body for non-WhatsApp JSON', async () => {
    const logger = new CapturingLogger();
    const app = await createWebhookApp(
      platform,
      { imports: [WhatsAppModule.forRoot(baseOptions)], providers: [TextCounter] },
      { logger },
    );
    try {
      expect(logger.matching('log', /Registered WhatsApp handler/)).toEqual([
        'Registered WhatsApp handler TextCounter.onText for message text',
      ]);
      expect((await postSigned(app, '{"object":"page","secret_field":"do-not-log"}')).status).toBe(
        200,
      );
      const warnings = logger.matching('warn', /not a WhatsApp webhook/);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).not.toContain('do-not-log');
    } finally {
      await app.close();
    }
  });

  it('answers 500 and logs one line with the fix when rawBody is not enabled', async () => {
    const logger = new CapturingLogger();
    const app = await createWebhookApp(
      platform,
      { imports: [WhatsAppModule.forRoot(baseOptions)], providers: [TextCounter] },
      { rawBody: false },
    );
    app.useLogger(logger);
    try {
      expect((await postSigned(app, TEXT)).status).toBe(500);
      expect((await postSigned(app, TEXT)).status).toBe(500);
      const lines = logger.matching('error', /rawBody/);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('NestFactory.create(AppModule, { rawBody: true })');
      expect(app.get(TextCounter).bodies).toEqual([]);
      // Still 401 for an empty POST: there are no bytes to miss.
      expect((await request(app.getHttpServer()).post(WEBHOOK)).status).toBe(401);
      // Unsigned requests of other JSON-ish types are 401 and do not add a false "rawBody" line.
      for (const contentType of ['text/plain; x=json', 'application/vnd.api+json', 'text/json']) {
        expect((await postSigned(app, TEXT, { contentType, signature: null })).status).toBe(401);
      }
      expect(logger.matching('error', /rawBody/)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  {
    it('warns loudly, once, when the JSON limit refuses a webhook POST (413)', async () => {
      const logger = new CapturingLogger();
      const app = await createWebhookApp(
        platform,
        { imports: [WhatsAppModule.forRoot(baseOptions)] },
        { jsonLimit: null },
      );
      app.useLogger(logger);
      try {
        // Above Express's 100 kB and Fastify's 1 MiB defaults.
        const big = textBody('y'.repeat(1_100_000));
        expect((await postSigned(app, big)).status).toBe(413);
        expect((await postSigned(app, big)).status).toBe(413);
        const lines = logger.matching('error', /413/);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(
          platform === 'express'
            ? "app.useBodyParser('json', { limit: '3mb' })"
            : "app.useBodyParser('application/json', { bodyLimit: 3 * 1024 * 1024 })",
        );
        // Another path's 413 is not the webhook's business.
        expect(
          (
            await request(app.getHttpServer())
              .post('/elsewhere')
              .set('Content-Type', 'application/json')
              .send(big)
          ).status,
        ).toBe(413);
        expect(logger.matching('error', /413/)).toHaveLength(1);
      } finally {
        await app.close();
      }
    });
  }
});
