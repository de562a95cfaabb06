// How the webhook reads its body before the signature check, on both platforms, over real sockets:
// chunked and split bodies, keep-alive, the byte cap, aborted requests, that nothing is parsed for an
// unsigned POST, and that the app's other routes keep their own parsers.
import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Body, Controller, Post, type INestApplication } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import { signWebhookBody } from '../../lib/testing/sign-webhook-body.js';
import { WEBHOOK_MAX_BODY_BYTES } from '../../lib/webhook/1-http/signed-body/webhook-signed-body.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import {
  listenOnLoopback,
  openSocket,
  readUntilClose,
  sendRaw,
  type RawResponse,
} from './support/raw-http.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { TextCounter } from './support/text-counter.js';
import { APP_SECRET, PLATFORMS, createWebhookApp, type Platform } from './support/webhook-app.js';

const TEXT = webhookFixtureBytes('text');
const signed = (body: Buffer): Record<string, string | number> => ({
  'content-type': 'application/json',
  'x-hub-signature-256': signWebhookBody(body, APP_SECRET),
});
const split = (bytes: Buffer, size: number): Buffer[] => {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return parts;
};
/** The attack of issue 10: 3 MB of nested `[`, which takes JSON.parse about half a second. */
const NESTED = Buffer.alloc(3 * 1024 * 1024 - 16, '[');

/** Counts JSON.parse calls on strings of at least `minLength`: what a body parser would do. */
function watchBigParses(minLength: number): { count: () => number; restore: () => void } {
  const original = JSON.parse;
  let calls = 0;
  const spy = jest.spyOn(JSON, 'parse').mockImplementation((text, reviver) => {
    if (typeof text === 'string' && text.length >= minLength) calls++;
    return original(text, reviver) as unknown;
  });
  return { count: () => calls, restore: () => spy.mockRestore() };
}

@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: unknown): unknown {
    return { received: body };
  }
}

describe.each(PLATFORMS)('reading the webhook body on %s', (platform: Platform) => {
  let app: INestApplication;
  let port: number;
  let counter: TextCounter;

  beforeAll(async () => {
    app = await createWebhookApp(platform, {
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET, dedupe: false })],
      providers: [TextCounter],
      controllers: [EchoController],
    });
    port = await listenOnLoopback(app);
    counter = app.get(TextCounter);
  });
  afterAll(async () => {
    await app.close();
  });
  afterEach(() => {
    counter.bodies.length = 0;
  });

  const post = (chunks: Buffer[], headers: Record<string, string | number>, gapMs?: number) =>
    sendRaw(port, { path: '/whatsapp/webhook', headers, chunks, gapMs });

  it('accepts a signed body sent chunked in many small pieces, back to back and spread out', async () => {
    expect((await post(split(TEXT, 3), signed(TEXT))).status).toBe(200);
    expect((await post(split(TEXT, 64), signed(TEXT), 2)).status).toBe(200);
    const big = Buffer.from(
      TEXT.toString('utf8').replace('"timestamp"', `"pad":"${'p'.repeat(2_000_000)}","timestamp"`),
    );
    expect((await post(split(big, 65_536), signed(big), 1)).status).toBe(200);
    expect(counter.bodies).toHaveLength(3);
    // And the same pieces unsigned: 401, after reading them all.
    expect((await post(split(TEXT, 3), { 'content-type': 'application/json' })).status).toBe(401);
  });

  it('answers every request on one keep-alive connection, whatever the previous answer was', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let connections = 0;
    const onConnection = (): void => {
      connections++;
    };
    app.getHttpServer().on('connection', onConnection);
    try {
      const send = (headers: Record<string, string | number>, body = TEXT): Promise<RawResponse> =>
        sendRaw(port, { path: '/whatsapp/webhook', headers, chunks: [body], agent });
      const statuses: number[] = [];
      for (const headers of [
        { 'content-type': 'application/json' },
        signed(TEXT),
        { ...signed(TEXT), 'x-hub-signature-256': signWebhookBody('other', APP_SECRET) },
        { ...signed(TEXT), 'content-type': 'text/plain' },
        signed(TEXT),
      ]) {
        statuses.push((await send({ ...headers, 'content-length': TEXT.length })).status);
      }
      expect(statuses).toEqual([401, 200, 401, 400, 200]);
      expect(connections).toBe(1);
    } finally {
      agent.destroy();
      app.getHttpServer().off('connection', onConnection);
    }
  });

  it(`reads at most ${WEBHOOK_MAX_BODY_BYTES} bytes: exactly that is read and checked, one more is 413`, async () => {
    const atCap = Buffer.alloc(WEBHOOK_MAX_BODY_BYTES, ' ');
    expect((await post(split(atCap, 65_536), { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    // Chunked, so the size is only known when the byte after the cap arrives.
    const socket = await openSocket(port);
    const answer = readUntilClose(socket, 10_000);
    socket.write(
      'POST /whatsapp/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    for (const part of split(Buffer.alloc(WEBHOOK_MAX_BODY_BYTES + 1, ' '), 65_536)) {
      socket.write(`${part.length.toString(16)}\r\n`);
      socket.write(part);
      socket.write('\r\n');
    }
    const text = await answer;
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('answers 413 at once, without reading, when Content-Length announces more than that', async () => {
    const socket = await openSocket(port);
    const answer = readUntilClose(socket, 10_000);
    socket.write(
      `POST /whatsapp/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${WEBHOOK_MAX_BODY_BYTES + 1}\r\n\r\n`,
    );
    const text = await answer;
    socket.destroy();
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text.toLowerCase()).toContain('connection: close');
  });

  it('survives clients that go away half-way through a body, signed or not', async () => {
    for (const signature of [undefined, signWebhookBody(TEXT, APP_SECRET)]) {
      const socket = await openSocket(port);
      const closed = readUntilClose(socket, 2_000);
      socket.write(
        `POST /whatsapp/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${
          signature === undefined ? '' : `X-Hub-Signature-256: ${signature}\r\n`
        }Content-Length: ${TEXT.length}\r\n\r\n`,
      );
      socket.write(TEXT.subarray(0, 100));
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.destroy();
      expect(await closed).toBe('');
    }
    expect(counter.bodies).toEqual([]);
    expect((await post([TEXT], signed(TEXT))).status).toBe(200);
  });

  it('parses nothing and inflates nothing for an unsigned body (3 MB of nested "[", plain or gzipped)', async () => {
    const parses = watchBigParses(1_000_000);
    try {
      expect((await post([NESTED], { 'content-type': 'application/json' })).status).toBe(401);
      const gzipped = gzipSync(NESTED);
      expect(
        (
          await post([gzipped], {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'x-hub-signature-256': signWebhookBody('something else', APP_SECRET),
          })
        ).status,
      ).toBe(401);
      expect(parses.count()).toBe(0);
      // The watch does see the parser: a signed body of the same size is parsed once.
      const flat = Buffer.from(`{"pad":"${'p'.repeat(NESTED.length)}"}`);
      expect((await post([flat], signed(flat))).status).toBe(200);
      expect(parses.count()).toBe(1);
    } finally {
      parses.restore();
    }
  });

  it("leaves the app's other routes to their own parsers", async () => {
    const body = Buffer.from('{"hello":"world"}');
    const plain = await sendRaw(port, {
      path: '/echo',
      headers: { 'content-type': 'application/json' },
      chunks: [body],
    });
    expect([plain.status, JSON.parse(plain.body)]).toEqual([201, { received: { hello: 'world' } }]);
    if (platform === 'express') {
      // body-parser's inflate stays on for them.
      const zipped = await sendRaw(port, {
        path: '/echo',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        chunks: [gzipSync(body)],
      });
      expect([zipped.status, JSON.parse(zipped.body)]).toEqual([
        201,
        { received: { hello: 'world' } },
      ]);
    }
  });
});

describe.each(PLATFORMS)('the webhook under a global prefix on %s', (platform: Platform) => {
  it('checks the signature before parsing at /api/whatsapp/webhook, and nowhere else', async () => {
    const ref = await Test.createTestingModule({
      imports: [WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET, dedupe: false })],
      providers: [TextCounter],
      controllers: [EchoController],
    }).compile();
    const app =
      platform === 'express'
        ? ref.createNestApplication<NestExpressApplication>({ rawBody: true, logger: false })
        : ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
            rawBody: true,
            logger: false,
          });
    app.setGlobalPrefix('api');
    const port = await listenOnLoopback(app);
    const parses = watchBigParses(1_000_000);
    try {
      const send = (path: string, headers: Record<string, string>, body: Buffer) =>
        sendRaw(port, { path, headers, chunks: [body] });
      const json = { 'content-type': 'application/json' };
      expect(
        (await send('/api/whatsapp/webhook', json, NESTED.subarray(0, 1_500_000))).status,
      ).toBe(401);
      expect(parses.count()).toBe(0);
      expect(
        (await send('/api/whatsapp/webhook', signed(TEXT) as Record<string, string>, TEXT)).status,
      ).toBe(200);
      expect(app.get(TextCounter).bodies).toHaveLength(1);
      // Without the prefix there is no webhook: an ordinary 404.
      expect(
        (await send('/whatsapp/webhook', signed(TEXT) as Record<string, string>, TEXT)).status,
      ).toBe(404);
      expect((await send('/api/echo', json, Buffer.from('{"a":1}'))).status).toBe(201);
    } finally {
      parses.restore();
      await app.close();
    }
  });
});

describe.each(PLATFORMS)(
  'a webhook path the module cannot predict, on %s',
  (platform: Platform) => {
    it('warns once (Express at start-up, Fastify at the first request) and still refuses unsigned POSTs (the guard checks after parsing)', async () => {
      const logger = new CapturingLogger();
      const ref = await Test.createTestingModule({
        imports: [
          WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET, dedupe: false }),
          RouterModule.register([{ path: 'hooks', module: WhatsAppModule }]),
        ],
        providers: [TextCounter],
      }).compile();
      const app =
        platform === 'express'
          ? ref.createNestApplication<NestExpressApplication>({ rawBody: true, logger })
          : ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
              rawBody: true,
              logger,
            });
      const port = await listenOnLoopback(app);
      try {
        const send = (headers: Record<string, string | number>) =>
          sendRaw(port, { path: '/hooks/whatsapp/webhook', headers, chunks: [TEXT] });
        expect((await send({ 'content-type': 'application/json' })).status).toBe(401);
        expect((await send(signed(TEXT))).status).toBe(200);
        expect(app.get(TextCounter).bodies).toHaveLength(1);
        if (platform === 'express') {
          expect(logger.matching('warn', /No express POST route found/)).toHaveLength(1);
        }
      } finally {
        await app.close();
      }
    });
  },
);
