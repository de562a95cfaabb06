// A signed POST is hashed once: the streamed check ahead of the body parser computes the HMAC, and
// the signature guard compares req.rawBody with the bytes it verified instead of hashing them again.
// Proved by counting createHmac calls (node:crypto mocked for the library, real crypto underneath),
// on Express and Fastify, over real HTTP; and a rawBody that user code changed after the parser is
// still hashed by the guard and refused.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type {
  INestApplication,
  MiddlewareConsumer,
  NestModule,
  OnModuleInit,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';

const crypto = await import('node:crypto');
let hmacs = 0;
jest.unstable_mockModule('node:crypto', () => ({
  ...crypto,
  createHmac: (...args: Parameters<typeof crypto.createHmac>) => {
    hmacs++;
    return crypto.createHmac(...args);
  },
}));

const { Inject, Injectable, Module } = await import('@nestjs/common');
const { HttpAdapterHost } = await import('@nestjs/core');
const { WhatsAppModule } = await import('../../lib/whatsapp.module.js');
const { signWebhookBody } = await import('../../lib/testing/sign-webhook-body.js');
const { TextCounter } = await import('./support/text-counter.js');
const { APP_SECRET, PLATFORMS, createWebhookApp } = await import('./support/webhook-app.js');
const { listenOnLoopback, sendRaw } = await import('./support/raw-http.js');

type Platform = 'express' | 'fastify';
/** Two secrets (a rotation): each check computes one HMAC per secret. */
const SECRETS = ['previous-app-secret', APP_SECRET];
const TEXT = webhookFixtureBytes('text');
/** Bytes user code puts in req.rawBody on the tampering route: same length, one byte changed. */
const TAMPERED = Buffer.from(TEXT.toString('utf8').replace('"text"', '"TEXT"'));
const TAMPER_HEADER = 'x-test-tamper-raw-body';

/** The app's own code between the body parser and the guard, rewriting rawBody when asked. */
function tamper(request: { headers: IncomingMessage['headers']; rawBody?: Buffer }): void {
  if (request.headers[TAMPER_HEADER] !== undefined) request.rawBody = Buffer.from(TAMPERED);
}

/** Fastify: a preValidation hook, after the content type parser set rawBody. */
@Injectable()
class FastifyRawBodyTamper implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly host: InstanceType<typeof HttpAdapterHost>,
  ) {}
  onModuleInit(): void {
    const adapter = this.host.httpAdapter;
    if (adapter.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<{
      addHook(name: 'preValidation', hook: (request: never, reply: unknown) => Promise<void>): void;
    }>();
    fastify.addHook('preValidation', async (request: Parameters<typeof tamper>[0]) => {
      tamper(request);
    });
  }
}

/** Express: a Nest middleware, which Nest mounts after the body parsers. */
@Module({ providers: [FastifyRawBodyTamper] })
class RawBodyTamperModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: IncomingMessage, _res: ServerResponse, next: () => void) => {
        tamper(req);
        next();
      })
      .forRoutes('*path');
  }
}

describe.each(PLATFORMS)('one HMAC per secret for a signed webhook POST on %s', (platform) => {
  let app: INestApplication;
  let port: number;
  let counter: InstanceType<typeof TextCounter>;

  beforeAll(async () => {
    app = await createWebhookApp(platform as Platform, {
      imports: [
        WhatsAppModule.forRoot({ accessToken: 't', appSecret: SECRETS, dedupe: false }),
        RawBodyTamperModule,
      ],
      providers: [TextCounter],
    });
    port = await listenOnLoopback(app);
    counter = app.get(TextCounter);
  });
  afterAll(async () => {
    await app.close();
  });

  /** POSTs `body` with `headers` and counts the HMACs computed while the server handled it. */
  async function post(
    body: Buffer,
    headers: Record<string, string | number>,
  ): Promise<{ status: number; hmacs: number }> {
    const before = hmacs;
    const response = await sendRaw(port, {
      path: '/whatsapp/webhook',
      headers: { 'content-type': 'application/json', ...headers },
      chunks: [body],
    });
    return { status: response.status, hmacs: hmacs - before };
  }

  it('computes the HMAC once per secret, in the streamed check; the guard only compares bytes', async () => {
    const signature = signWebhookBody(TEXT, APP_SECRET);
    const handled = counter.bodies.length;
    // Before the fix: 4 (2 streamed, 2 more in the guard over req.rawBody).
    expect(await post(TEXT, { 'x-hub-signature-256': signature })).toEqual({
      status: 200,
      hmacs: SECRETS.length,
    });
    expect(counter.bodies.length).toBe(handled + 1);
  });

  it('still hashes and refuses a rawBody that differs from the bytes the streamed check verified', async () => {
    const signature = signWebhookBody(TEXT, APP_SECRET);
    const handled = counter.bodies.length;
    // The streamed check verified TEXT; user code then put other bytes in req.rawBody.
    expect(await post(TEXT, { 'x-hub-signature-256': signature, [TAMPER_HEADER]: '1' })).toEqual({
      status: 401,
      hmacs: 2 * SECRETS.length,
    });
    expect(counter.bodies.length).toBe(handled);
  });

  it('an unsigned or wrongly signed POST costs one streamed HMAC pass and never reaches the guard', async () => {
    const wrong = signWebhookBody(TEXT, 'not-the-secret');
    expect(await post(TEXT, { 'x-hub-signature-256': wrong })).toEqual({
      status: 401,
      hmacs: SECRETS.length,
    });
    expect(await post(TEXT, {})).toEqual({ status: 401, hmacs: 0 });
  });
});
