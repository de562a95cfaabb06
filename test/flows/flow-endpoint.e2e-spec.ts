import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ForbiddenException,
  Injectable,
  Module,
  UseGuards,
  type CanActivate,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import {
  flowCompletion,
  flowScreen,
  OnWhatsAppFlow,
  WhatsAppFlowTokenExpiredError,
  WhatsAppModule,
  type WhatsAppFlowContext,
  type WhatsAppFlowRequest,
} from '../../lib/index.js';
import { webCryptoDecrypt, webCryptoEncrypt } from './support/webcrypto-meta-client.js';

const APP_SECRET = 'flows-app-secret';
const PASSPHRASE = 'correct horse battery staple';
// An encrypted PEM, as `openssl genrsa -aes256` users upload (the passphrase option is exercised).
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: {
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: PASSPHRASE,
  },
});
const otherKeys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

const sign = (body: string, secret = APP_SECRET): string =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

class DenyGuard implements CanActivate {
  canActivate(): boolean {
    throw new ForbiddenException('guarded');
  }
}

@Injectable()
class BookingFlow {
  readonly calls: {
    handler: string;
    request: WhatsAppFlowRequest;
    context: WhatsAppFlowContext;
  }[] = [];

  @OnWhatsAppFlow({ action: 'INIT' })
  init(request: WhatsAppFlowRequest, context: WhatsAppFlowContext) {
    this.calls.push({ handler: 'init', request, context });
    return flowScreen('APPOINTMENT', { dates: [{ id: '2026-12-02', title: 'Wed 2 Dec' }] });
  }

  @OnWhatsAppFlow({ screen: 'APPOINTMENT', action: 'data_exchange' })
  pickDate(request: WhatsAppFlowRequest<{ date: string }>) {
    this.calls.push({ handler: 'pickDate', request, context: undefined as never });
    return flowScreen('CONFIRM', {
      date: request.data?.date,
      summary: `Visit on ${request.data?.date}`,
    });
  }

  @OnWhatsAppFlow({ screen: 'CONFIRM', action: 'data_exchange' })
  async confirm(request: WhatsAppFlowRequest) {
    await new Promise((resolve) => setImmediate(resolve));
    return flowCompletion(request, { booking_id: 'BK-1' });
  }

  @OnWhatsAppFlow({ action: 'BACK' })
  back(request: WhatsAppFlowRequest) {
    this.calls.push({ handler: 'back', request, context: undefined as never });
    return flowScreen('APPOINTMENT', { dates: [] });
  }

  // Two filters: more specific than `init`, so expired tokens never reach it.
  @OnWhatsAppFlow({ flowToken: /^expired-/, action: ['INIT', 'data_exchange', 'BACK'] })
  expired(): never {
    throw new WhatsAppFlowTokenExpiredError('This booking link has expired.');
  }

  @OnWhatsAppFlow({ screen: 'BROKEN' })
  broken(): never {
    throw new Error('database down');
  }

  @OnWhatsAppFlow({ screen: 'NOTHING' })
  nothing(): undefined {
    return undefined;
  }

  @OnWhatsAppFlow({ screen: 'GUARDED' })
  @UseGuards(DenyGuard)
  guarded() {
    return flowScreen('GUARDED');
  }
}

@Module({
  imports: [
    WhatsAppModule.forRoot({
      accessToken: 'token',
      appSecret: ['old-secret', APP_SECRET],
      webhookPath: false,
      flows: { privateKey: keys.privateKey, passphrase: PASSPHRASE },
    }),
  ],
  providers: [BookingFlow],
})
class FlowsAppModule {}

describe('Flows data endpoint (real app, rawBody, HTTP, WebCrypto client)', () => {
  let app: NestExpressApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create<NestExpressApplication>(FlowsAppModule, {
      rawBody: true,
      logger: false,
    });
    app.useBodyParser('json', { limit: '3mb' });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/whatsapp/flows`;
  });
  afterAll(() => app.close());

  async function post(body: string, signature: string | false = sign(body)) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== false) headers['x-hub-signature-256'] = signature;
    const res = await request(url, { method: 'POST', headers, body });
    return {
      status: res.statusCode,
      body: await res.body.text(),
      type: res.headers['content-type'],
    };
  }

  /** Encrypts with WebCrypto, posts signed, decrypts the answer with WebCrypto. */
  async function exchange(payload: object, publicKey = keys.publicKey) {
    const encrypted = await webCryptoEncrypt(payload, publicKey);
    const answer = await post(encrypted.body);
    const encryptedAnswer = answer.status === 200 || answer.status === 427;
    return {
      ...answer,
      json: encryptedAnswer
        ? await webCryptoDecrypt(answer.body, encrypted.aesKey, encrypted.iv)
        : JSON.parse(answer.body),
    };
  }

  it('answers ping with { data: { status: "active" } }, encrypted as base64 text', async () => {
    const answer = await exchange({ version: '3.0', action: 'ping' });
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/plain/);
    expect(answer.body).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(answer.json).toEqual({ data: { status: 'active' } });
  });

  it('acknowledges error notifications without user code', async () => {
    const flow = app.get(BookingFlow);
    const before = flow.calls.length;
    const answer = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'APPOINTMENT',
      flow_token: 'tok-1',
      data: { error: 'INVALID_SCREEN_DATA', error_message: 'dates is missing' },
    });
    expect(answer).toMatchObject({ status: 200, json: { data: { acknowledged: true } } });
    expect(flow.calls.length).toBe(before);
  });

  it('routes INIT, data_exchange by screen, BACK, and completes', async () => {
    const flow = app.get(BookingFlow);
    const init = await exchange({ version: '3.0', action: 'INIT', flow_token: 'tok-2' });
    expect(init.json).toEqual({
      screen: 'APPOINTMENT',
      data: { dates: [{ id: '2026-12-02', title: 'Wed 2 Dec' }] },
    });
    expect(flow.calls.at(-1)?.context).toEqual({
      kind: 'flow',
      flowToken: 'tok-2',
      action: 'INIT',
      screen: undefined,
      version: '3.0',
    });
    const pick = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'APPOINTMENT',
      flow_token: 'tok-2',
      data: { date: '2026-12-02' },
    });
    expect(pick.json).toEqual({
      screen: 'CONFIRM',
      data: { date: '2026-12-02', summary: 'Visit on 2026-12-02' },
    });
    const back = await exchange({
      version: '3.0',
      action: 'BACK',
      screen: 'CONFIRM',
      flow_token: 'tok-2',
    });
    expect(back.json).toEqual({ screen: 'APPOINTMENT', data: { dates: [] } });
    expect(flow.calls.at(-1)?.handler).toBe('back');
    const done = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'CONFIRM',
      flow_token: 'tok-2',
      data: {},
    });
    expect(done).toMatchObject({
      status: 200,
      json: {
        screen: 'SUCCESS',
        data: {
          extension_message_response: { params: { booking_id: 'BK-1', flow_token: 'tok-2' } },
        },
      },
    });
  });

  it('answers 427 with the encrypted error_msg when a handler says the token expired', async () => {
    const answer = await exchange({ version: '3.0', action: 'INIT', flow_token: 'expired-9' });
    expect(answer).toMatchObject({
      status: 427,
      json: { error_msg: 'This booking link has expired.' },
    });
  });

  it('answers 432 for a wrong, missing or malformed signature, before any decryption', async () => {
    const encrypted = await webCryptoEncrypt({ version: '3.0', action: 'ping' }, keys.publicKey);
    for (const signature of [
      sign(encrypted.body, 'wrong'),
      false as const,
      'sha256=zz',
      sign(`${encrypted.body} `),
    ]) {
      expect((await post(encrypted.body, signature)).status).toBe(432);
    }
    // The rotated-out secret still signs (any configured secret).
    expect((await post(encrypted.body, sign(encrypted.body, 'old-secret'))).status).toBe(200);
  });

  it('answers 421 when the request was encrypted for another key or tampered with', async () => {
    const other = await exchange({ version: '3.0', action: 'ping' }, otherKeys.publicKey);
    expect(other.status).toBe(421);
    const encrypted = await webCryptoEncrypt({ version: '3.0', action: 'ping' }, keys.publicKey);
    const envelope = JSON.parse(encrypted.body) as Record<string, string>;
    const data = Buffer.from(envelope.encrypted_flow_data, 'base64');
    data[0] ^= 1;
    const tampered = JSON.stringify({ ...envelope, encrypted_flow_data: data.toString('base64') });
    expect((await post(tampered)).status).toBe(421);
  });

  it('answers 500 naming screen and action when no handler matches, a handler throws or returns nothing', async () => {
    const none = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'NOPE',
      flow_token: 't',
    });
    expect(none).toMatchObject({ status: 500 });
    expect(none.json).toEqual({ error: 'No handler for action "data_exchange", screen "NOPE"' });
    const broken = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'BROKEN',
      flow_token: 't',
    });
    expect(broken.status).toBe(500);
    const nothing = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'NOTHING',
      flow_token: 't',
    });
    expect(nothing.status).toBe(500);
  });

  it('applies guards to flow handlers (same invocation path as webhook handlers)', async () => {
    const guarded = await exchange({
      version: '3.0',
      action: 'data_exchange',
      screen: 'GUARDED',
      flow_token: 't',
    });
    expect(guarded.status).toBe(403);
  });

  it('survives hostile signed bodies: every answer is 4xx/5xx, never a crash, then still serves', async () => {
    const encrypted = await webCryptoEncrypt({ version: '3.0', action: 'ping' }, keys.publicKey);
    const envelope = JSON.parse(encrypted.body) as Record<string, string>;
    const hostile = [
      '',
      'null',
      '[]',
      '"x"',
      '{}',
      '{"__proto__":{"polluted":1}}',
      JSON.stringify({ ...envelope, initial_vector: '' }),
      JSON.stringify({ ...envelope, initial_vector: 'AAAA' }),
      JSON.stringify({ ...envelope, encrypted_aes_key: 'AAAA' }),
      JSON.stringify({ ...envelope, encrypted_flow_data: 'AA==' }),
      JSON.stringify({ ...envelope, encrypted_flow_data: 7 }),
      JSON.stringify({ ...envelope, initial_vector: 'A'.repeat(4000) }),
      JSON.stringify({ ...envelope, encrypted_aes_key: '!!!' }),
    ];
    for (let i = 0; i < 60; i++) {
      hostile.push(
        Buffer.from(
          Array.from({ length: 1 + ((i * 37) % 300) }, (_, j) => (i * 31 + j * 7) % 256),
        ).toString('latin1'),
      );
    }
    for (const body of hostile) {
      const answer = await post(body);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    // Correctly encrypted but hostile decrypted payloads.
    for (const payload of [
      [],
      null,
      'ping',
      { action: 7 },
      { action: 'INIT' },
      { action: 'INIT', flow_token: {} },
      { action: 'x', flow_token: 'a', data: { error: { toString: 1 } } },
      { action: 'data_exchange', flow_token: 'a', screen: { __proto__: 1 } },
    ]) {
      const answer = await exchange(payload as object);
      expect([200, 400, 500]).toContain(answer.status);
    }
    expect((await exchange({ version: '3.0', action: 'ping' })).status).toBe(200);
  });
});

describe('Flows endpoint options', () => {
  async function boot(module: unknown): Promise<INestApplication> {
    const app = await NestFactory.create(module as never, {
      rawBody: true,
      logger: false,
      abortOnError: false,
    });
    await app.init();
    return app;
  }

  it('mounts nothing without the flows option', async () => {
    @Module({ imports: [WhatsAppModule.forRoot({ accessToken: 't', webhookPath: false })] })
    class NoFlows {}
    const app = await boot(NoFlows);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const res = await request(`http://127.0.0.1:${port}/whatsapp/flows`, {
      method: 'POST',
      body: '{}',
    });
    await res.body.dump();
    expect(res.statusCode).toBe(404);
    await app.close();
  });

  it('forRootAsync: mounts at flowsPath with the key from the factory; refuses flows without flowsPath', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRootAsync({
          flowsPath: 'hooks/flow',
          webhookPath: false,
          useFactory: async () => ({
            accessToken: 't',
            appSecret: APP_SECRET,
            flows: { privateKey: keys.privateKey, passphrase: PASSPHRASE },
          }),
        }),
      ],
    })
    class AsyncFlows {}
    const app = await boot(AsyncFlows);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const encrypted = await webCryptoEncrypt({ version: '3.0', action: 'ping' }, keys.publicKey);
    const res = await request(`http://127.0.0.1:${port}/hooks/flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(encrypted.body) },
      body: encrypted.body,
    });
    expect(res.statusCode).toBe(200);
    expect(await webCryptoDecrypt(await res.body.text(), encrypted.aesKey, encrypted.iv)).toEqual({
      data: { status: 'active' },
    });
    await app.close();

    @Module({
      imports: [
        WhatsAppModule.forRootAsync({
          webhookPath: false,
          useFactory: () => ({
            accessToken: 't',
            appSecret: 's',
            flows: { privateKey: keys.privateKey, passphrase: PASSPHRASE },
          }),
        }),
      ],
    })
    class NoPath {}
    await expect(boot(NoPath)).rejects.toThrow(/flowsPath/);
  });

  it('refuses a wrong passphrase and a missing app secret at startup, without echoing the key', async () => {
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 't',
          appSecret: 's',
          webhookPath: false,
          flows: { privateKey: keys.privateKey, passphrase: 'nope' },
        }),
      ],
    })
    class WrongPass {}
    const error = await boot(WrongPass).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/flows\.privateKey/);
    expect(error?.message).not.toContain('PRIVATE KEY');
    @Module({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: 't',
          webhookPath: false,
          flows: { privateKey: otherKeys.privateKey },
        }),
      ],
    })
    class NoSecret {}
    await expect(boot(NoSecret)).rejects.toThrow(/appSecret/);
  });
});
