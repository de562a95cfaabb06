import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Logger, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { request } from 'undici';
import {
  OnWhatsAppCall,
  OnWhatsAppMessage,
  WHATSAPP_OPTIONS,
  WhatsAppModule,
  WhatsAppService,
  WhatsAppSignatureGuard,
  WhatsAppWebhookService,
  type WhatsAppCallContext,
  type WhatsAppContext,
} from '../../lib/index.js';
import { WhatsAppSandbox } from '../../lib/sandbox/index.js';
import {
  FAKE_APP,
  FAKE_IDS,
  FakeGraphApi,
  signWebhookBody,
  webhook,
} from '../../lib/testing/index.js';
import { registerTestSdk, type TestSdk } from '../telemetry/support/otel-sdk.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import { capturedLines, findSecrets } from './support/capture-output.js';
import { CapturingLogger } from '../webhook/support/capturing-logger.js';
import { SCANNED_SECRETS } from './support/test-secrets.js';

// Secrets (access token, app secrets, verify token) never in a log line at any level, an error,
// util.inspect / String / JSON of an exported object, or the sandbox page. The capture file records
// every line of every test file (and fails a file that prints a test secret); this suite checks
// that the capture works, then drives every path that logs or throws with secrets configured.

const TOKEN = 'hardening-access-token-7f3a9c';
const SECRET = 'hardening-app-secret-51be02';
const VERIFY = 'hardening-verify-token-c4d8e1';
const SECRETS = [TOKEN, SECRET, VERIFY];

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return ''; // not serialisable (timers, sockets): nothing to leak this way
  }
}

const unicodeEscaped = (text: string, every = 1) =>
  [...text]
    .map((c, i) => (i % every === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
    .join('');

/** Raw Graph error bodies that echo the token without ever holding it in clear. */
function encodedEchoes(token: string): string[] {
  const half = token.length >> 1;
  const percent = [...token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
  return [
    `{"error":{"message":"bad token ${unicodeEscaped(token)}","code":100}}`,
    `{"error":{"message":"x","code":100,"error_data":{"details":"${unicodeEscaped(token, 2)}"}}}`,
    `{"error":{"message":"${unicodeEscaped(token.slice(0, half))}","error_user_msg":"${unicodeEscaped(token.slice(half))}","code":100}}`,
    `{"error":{"message":"x","code":100,"error_user_title":"${percent}","error_data":{"details":"d","echo":[{"h":"Bearer ${unicodeEscaped(token, 3)}"}]}}}`,
  ];
}

const rendered = (value: unknown): string[] => [
  inspect(value, { depth: 12, showHidden: true, getters: true }),
  String(value),
  json(value),
];

describe('the output capture (test/hardening/support/capture-output.ts)', () => {
  it('is listed in the scan, and records Nest Logger calls at every level (even with logging off), console and stdout', () => {
    expect(SCANNED_SECRETS).toEqual(expect.arrayContaining(SECRETS));
    Logger.overrideLogger(false);
    const marks = [
      'mark-verbose-1',
      'mark-static-2',
      'mark-console-3',
      'mark-stdout-4',
      'mark-error-5',
    ];
    new Logger('Probe').verbose(`probe ${marks[0]}`);
    Logger.debug(`probe ${marks[1]}`, 'Probe');
    console.info(`probe ${marks[2]}`);
    process.stdout.write(`probe ${marks[3]}\n`);
    new Logger('Probe').error(new Error(`probe ${marks[4]}`));
    expect(findSecrets(capturedLines(), marks).map((f) => f.secret)).toEqual(
      marks.map((m) => `${m.slice(0, 4)}…`),
    );
  });
});

@Injectable()
class Bot {
  readonly contexts: WhatsAppContext[] = [];
  @OnWhatsAppMessage('text')
  onText(_message: unknown, context: WhatsAppContext): string {
    this.contexts.push(context);
    return 'reply';
  }
}

describe('secrets never appear in logs, errors, inspect output or the sandbox page', () => {
  let fake: FakeGraphApi;
  let app: INestApplication;
  let url: string;
  const errors: unknown[] = [];
  const logger = new CapturingLogger();

  beforeAll(async () => {
    fake = await FakeGraphApi.start({ accessToken: TOKEN });
    const ref = await Test.createTestingModule({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: TOKEN,
          appSecret: [SECRET, `${SECRET}-old`],
          verifyToken: VERIFY,
          baseUrl: fake.baseUrl,
          phoneNumberId: FAKE_IDS.phoneNumberId,
          retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
          timeoutMs: 300,
          onHandlerError: (error) => {
            errors.push(error);
          },
        }),
      ],
      providers: [Bot],
    }).compile();
    // A logger that takes every level (quietly): every line the module can write is written.
    app = ref.createNestApplication<NestExpressApplication>({ rawBody: true, logger });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/whatsapp/webhook`;
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const post = async (body: Buffer, signature?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== undefined) headers['x-hub-signature-256'] = signature;
    const response = await request(url, { method: 'POST', headers, body });
    return { status: response.statusCode, text: await response.body.text() };
  };

  it('on every path that logs or throws', async () => {
    const answers: string[] = [];
    // Handshake: right and wrong tokens.
    for (const token of [VERIFY, 'wrong', '']) {
      const r = await request(
        `${url}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=c`,
      );
      answers.push(`${r.statusCode} ${await r.body.text()}`);
    }
    // Unsigned, wrongly signed, and signed deliveries; the reply fails with Meta echoing the token.
    const text = webhookFixtureBytes('text');
    answers.push(JSON.stringify(await post(text)));
    answers.push(JSON.stringify(await post(text, signWebhookBody(text, 'not-it'))));
    fake.failNext({
      status: 500,
      error: { code: 131000, message: `bad token ${TOKEN}`, details: TOKEN },
    });
    answers.push(JSON.stringify(await post(text, signWebhookBody(text, SECRET))));
    // The same echo, encoded so the raw bytes never hold the token: JSON \u escapes (whole, and
    // every other character), halves in two fields, deep in error_data, percent-encoded.
    for (const echo of encodedEchoes(TOKEN)) {
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      answers.push(JSON.stringify(await post(text, signWebhookBody(text, SECRET))));
    }
    // Meta's retry: the reply times out, then the connection is reset.
    fake.delayNext(1000, 1).resetNext('before-response', 5);
    answers.push(JSON.stringify(await post(text, signWebhookBody(text, `${SECRET}-old`))));
    expect(errors.length).toBeGreaterThanOrEqual(6);

    const wa = app.get(WhatsAppService);
    const thrown: unknown[] = [...errors];
    const capture = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => thrown.push(e),
      );
    await capture(wa.media.download('http://169.254.169.254/latest/meta-data'));
    await capture(wa.media.download(`${fake.baseUrl}/../../etc/passwd`));
    await capture(wa.messages.sendText({ to: '', text: { body: '' } }));
    await capture(wa.media.get('../me'));
    await capture(
      Test.createTestingModule({
        imports: [WhatsAppModule.forRoot({ accessToken: TOKEN, verifyToken: VERIFY })],
      }).compile(),
    );
    expect(thrown.length).toBeGreaterThanOrEqual(6);

    // Not the FakeGraphApi: a test double that records the Authorization header it received, on purpose.
    const exported = [
      wa,
      wa.messages,
      wa.media,
      wa.templates,
      wa.accounts,
      wa.business,
      app.get(WhatsAppWebhookService),
      app.get(WhatsAppSignatureGuard, { strict: false }),
      app.get(WHATSAPP_OPTIONS),
      app.get(Bot).contexts[0],
      ...thrown,
    ];
    // The token's halves too: an echo split across two fields must not leave either behind.
    const halves = [TOKEN.slice(0, TOKEN.length >> 1), TOKEN.slice(TOKEN.length >> 1)];
    const leaks = exported
      .flatMap((value, index) => rendered(value).map((out) => ({ index, out })))
      .filter(({ out }) => [...SECRETS, ...halves].some((secret) => out.includes(secret)))
      .map(({ index, out }) => `#${index}: ${out.slice(0, 200)}`);
    expect(leaks).toEqual([]);
    expect(answers.join('\n')).not.toMatch(new RegExp(SECRETS.join('|')));
    expect(logger.lines.length).toBeGreaterThan(10);
    expect(logger.lines.map((l) => l.text).join('\n')).not.toMatch(
      new RegExp([...SECRETS, ...halves].join('|')),
    );
    expect(capturedLines().length).toBeGreaterThan(10);
    expect(findSecrets(capturedLines(), SECRETS)).toEqual([]);
  });

  it('not on the sandbox page, its state API or its script, after real traffic with the token', async () => {
    const sandboxUrl = `${url}`;
    const sandbox = await WhatsAppSandbox.start({
      appSecret: SECRET,
      accessToken: TOKEN,
      webhookUrl: sandboxUrl,
      deliveredAfterMs: 1,
      readAfterMs: false,
    });
    try {
      const ref = await Test.createTestingModule({
        imports: [
          WhatsAppModule.forRoot({
            accessToken: TOKEN,
            appSecret: SECRET,
            baseUrl: sandbox.baseUrl,
            phoneNumberId: sandbox.phoneNumberId,
            webhookPath: 'sandboxed/webhook',
          }),
        ],
        providers: [Bot],
      }).compile();
      const other = ref.createNestApplication<NestExpressApplication>({
        rawBody: true,
        logger: false,
      });
      await other.listen(0, '127.0.0.1');
      const port = (other.getHttpServer().address() as AddressInfo).port;
      sandbox.setWebhookUrl(`http://127.0.0.1:${port}/sandboxed/webhook`);
      const [waId] = [...sandbox.store.users.keys()];
      sandbox.userSends(waId, { type: 'text', body: 'hello' });
      await sandbox.webhooksIdle();
      await other.get(WhatsAppWebhookService).drain();
      await sandbox.webhooksIdle();
      const pages: string[] = [];
      for (const path of [
        '/sandbox',
        '/sandbox/api/state',
        '/sandbox/app.js',
        '/sandbox/render.js',
      ]) {
        const r = await request(`${sandbox.baseUrl}${path}`);
        pages.push(await r.body.text());
      }
      expect(pages[1]).toContain('reply'); // the bot's answer went through, with the token
      expect(pages.join('\n')).not.toMatch(new RegExp(SECRETS.join('|')));
      expect(rendered(sandbox).join('\n')).not.toMatch(new RegExp(SECRETS.join('|')));
      await other.close();
    } finally {
      await sandbox.close();
    }
  });
});

// Tenant tokens (forAccount, resolveCredentials) are secrets like the module's: the same echoes,
// the same renderings, the same log scan.
describe('tenant tokens never appear in logs, errors or inspect output', () => {
  const TENANT = 'hardening-tenant-token-e81b5d';
  const TENANT_PHONE = '106540352240001';
  let fake: FakeGraphApi;
  let app: INestApplication;
  let url: string;
  const errors: unknown[] = [];
  const logger = new CapturingLogger();

  beforeAll(async () => {
    fake = await FakeGraphApi.start({ tenants: [{ accessToken: TENANT, ids: [TENANT_PHONE] }] });
    const ref = await Test.createTestingModule({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: TOKEN,
          appSecret: SECRET,
          baseUrl: fake.baseUrl,
          retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
          resolveCredentials: async () => ({ accessToken: TENANT }),
          onHandlerError: (error) => {
            errors.push(error);
          },
        }),
      ],
      providers: [Bot],
    }).compile();
    app = ref.createNestApplication<NestExpressApplication>({ rawBody: true, logger });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/whatsapp/webhook`;
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('in replies with a resolved token and in forAccount calls whose errors echo it', async () => {
    const body = Buffer.from(
      webhookFixtureBytes('text').toString('utf8').replaceAll(FAKE_IDS.phoneNumberId, TENANT_PHONE),
    );
    const post = () =>
      request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signWebhookBody(body, SECRET),
        },
        body,
      }).then((r) => r.body.text());
    fake.failNext({
      status: 500,
      error: { code: 131000, message: `bad ${TENANT}`, details: TENANT },
    });
    await post();
    for (const echo of encodedEchoes(TENANT)) {
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await post();
    }
    expect(fake.requests.some((r) => r.headers.authorization === `Bearer ${TENANT}`)).toBe(true);
    expect(errors.length).toBeGreaterThanOrEqual(5);

    const wa = app.get(WhatsAppService);
    const account = wa.forAccount({ accessToken: TENANT, phoneNumberId: TENANT_PHONE });
    const thrown: unknown[] = [...errors];
    for (const echo of encodedEchoes(TENANT)) {
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await account.profile.get().catch((e: unknown) => thrown.push(e));
    }
    await account.qrCodes.get('../x').catch((e: unknown) => thrown.push(e));
    // The per-call token of calls on an object id (templates, flows, groups, media), echoed back.
    const perCall = { accessToken: TENANT };
    const onIds: Array<() => Promise<unknown>> = [
      () => wa.templates.get('912000000000001', perCall),
      () => wa.flows.publish('913000000000001', perCall),
      () => wa.groups.delete('Y2FwaV9ncm91cDoxNTU1MDAwMTExMQ', perCall),
      () => wa.media.delete('914000000000001', perCall),
    ];
    for (const [i, call] of onIds.entries()) {
      const echo = encodedEchoes(TENANT)[i % 4];
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await call().catch((e: unknown) => thrown.push(e));
    }
    const halves = [TENANT.slice(0, TENANT.length >> 1), TENANT.slice(TENANT.length >> 1)];
    const leaks = [account, account.messages, account.graph, account.profile, ...thrown]
      .flatMap((value, index) => rendered(value).map((out) => ({ index, out })))
      .filter(({ out }) => [TENANT, ...halves].some((secret) => out.includes(secret)))
      .map(({ index, out }) => `#${index}: ${out.slice(0, 200)}`);
    expect(leaks).toEqual([]);
    expect(logger.lines.map((l) => l.text).join('\n')).not.toMatch(
      new RegExp([TENANT, ...halves].join('|')),
    );
    expect(findSecrets(capturedLines(), [TENANT])).toEqual([]);
  });
});

@Injectable()
class CallBot {
  @OnWhatsAppCall('connect')
  async onCall(_call: unknown, ctx: WhatsAppCallContext): Promise<void> {
    await ctx.accept('v=0\r\n');
  }
}

// Embedded Signup (app secret, signup code, the new business token), tokens resolved for call
// answers, and what telemetry exports (span names, attributes, events, status; metric points).
describe('Embedded Signup secrets and resolved tokens never appear in errors, logs or telemetry', () => {
  const TENANT = 'hardening-tenant-token-e81b5d';
  const TENANT_PHONE = '106540352240002';
  const APP_SECRET = 'hardening-signup-app-secret-3c9a1f';
  const CODE = 'AQhardening-signup-code-7d2e90';
  let sdk: TestSdk;
  let fake: FakeGraphApi;
  let app: INestApplication;
  let url: string;
  const errors: unknown[] = [];
  const logger = new CapturingLogger();

  beforeAll(async () => {
    sdk = await registerTestSdk();
    fake = await FakeGraphApi.start();
    const ref = await Test.createTestingModule({
      imports: [
        WhatsAppModule.forRoot({
          accessToken: TOKEN,
          appSecret: SECRET,
          baseUrl: fake.baseUrl,
          retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 },
          resolveCredentials: async () => ({ accessToken: TENANT }),
          onHandlerError: (error) => {
            errors.push(error);
          },
        }),
      ],
      providers: [CallBot],
    }).compile();
    app = ref.createNestApplication<NestExpressApplication>({ rawBody: true, logger });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/whatsapp/webhook`;
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await sdk?.shutdown();
  });

  it('on the onboarding calls, on call answers with a resolved token, and in spans and metrics', async () => {
    const wa = app.get(WhatsAppService);
    const thrown: unknown[] = [...errors];
    const keep = (p: Promise<unknown>) => p.catch((e: unknown) => void thrown.push(e));
    // A real onboarding: the new business token travels through every step.
    const signup = fake.store.management.addSignupCode('206540352240002', TENANT_PHONE);
    fake.store.phoneNumbers.push({
      id: TENANT_PHONE,
      display_phone_number: '+1',
      verified_name: 'T',
      quality_rating: 'GREEN',
    });
    const tenant = await wa.embeddedSignup.onboard({
      appId: FAKE_APP.appId,
      appSecret: FAKE_APP.appSecret,
      code: signup.code,
      phoneNumberId: TENANT_PHONE,
      pin: '975310',
    });
    expect(tenant.accessToken).toBe(signup.accessToken);
    const BUSINESS = signup.accessToken;
    // Meta echoing the app secret and the code (encoded every way) on the exchange.
    for (const echo of [...encodedEchoes(APP_SECRET), ...encodedEchoes(CODE)]) {
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await keep(
        wa.embeddedSignup.exchangeCode({
          appId: FAKE_APP.appId,
          appSecret: APP_SECRET,
          code: CODE,
        }),
      );
    }
    // ... and the business token, on debug_token and on the steps that use it.
    for (const echo of encodedEchoes(BUSINESS)) {
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await keep(wa.embeddedSignup.debugToken({ inputToken: BUSINESS }));
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await keep(
        wa.phoneNumbers.register({
          phoneNumberId: TENANT_PHONE,
          accessToken: BUSINESS,
          pin: '975310',
        }),
      );
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await keep(
        wa.subscriptions.subscribe({ businessAccountId: '206540352240002', accessToken: BUSINESS }),
      );
    }
    // A call to the tenant's number, answered with the resolved token, refused with an echo of it.
    for (const echo of encodedEchoes(TENANT)) {
      const body = Buffer.from(
        JSON.stringify(webhook.callConnect({ phoneNumberId: TENANT_PHONE })),
      );
      fake.answerNext({ status: 400, body: echo, headers: { 'content-type': 'application/json' } });
      await request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signWebhookBody(body, SECRET),
        },
        body,
      }).then((r) => r.body.text());
    }
    expect(
      fake.requests.some(
        (r) => r.path.endsWith('/calls') && r.headers.authorization === `Bearer ${TENANT}`,
      ),
    ).toBe(true);
    thrown.push(...errors);
    expect(thrown.length).toBeGreaterThanOrEqual(20);

    const secrets = [TENANT, BUSINESS, APP_SECRET, FAKE_APP.appSecret, CODE, signup.code];
    const halves = [TENANT, BUSINESS, APP_SECRET].flatMap((t) => [
      t.slice(0, t.length >> 1),
      t.slice(t.length >> 1),
    ]);
    const scan = [...secrets, ...halves];
    const leaks = [wa.embeddedSignup, wa.forAccount({ accessToken: BUSINESS }), ...thrown]
      .flatMap((value, index) => rendered(value).map((out) => ({ index, out })))
      .filter(({ out }) => scan.some((secret) => out.includes(secret)))
      .map(({ index, out }) => `#${index}: ${out.slice(0, 200)}`);
    expect(leaks).toEqual([]);
    // Telemetry: everything a span or a metric point exports.
    const spans = sdk.spans();
    expect(spans.length).toBeGreaterThan(10);
    const exported = JSON.stringify([
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
        links: span.links,
      })),
      await sdk.collect(),
    ]);
    expect(scan.filter((secret) => exported.includes(secret))).toEqual([]);
    expect(logger.lines.length).toBeGreaterThan(5);
    expect(scan.filter((secret) => logger.lines.some((l) => l.text.includes(secret)))).toEqual([]);
    expect(findSecrets(capturedLines(), scan)).toEqual([]);
  });
});
