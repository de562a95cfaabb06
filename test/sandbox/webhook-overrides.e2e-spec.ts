import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Inject, Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  OnWhatsAppMessage,
  WhatsAppApiError,
  WhatsAppModule,
  WhatsAppService,
  type WhatsAppContext,
} from '../../lib/index.js';
import { WhatsAppSandbox } from '../../lib/sandbox/index.js';
import { call, type GraphErrorBody } from './sandbox-http.js';

// Webhook overrides honoured by the sandbox's delivery, like Meta: the number's override, else its
// WABA's, else the app's callback URL; a new override URL must answer Meta's verification GET first.
// Two real Nest apps: the app's callback and a tenant's own endpoint.

const SECRET = 'page-secret';
const A = { token: 'page-token', phone: '109283746501928', waba: '184736291047562' };
const B = { token: 'production-token', phone: '200000000000002', waba: '300000000000003' };
const MAYA = '12025550147';
const TENANT_VERIFY = 'tenant-verify-token';
const APP_NAME = Symbol('APP_NAME');

/** Where each text arrived: which app, for which number. */
const arrivals: Array<{ app: string; text: string; phoneNumberId?: string }> = [];

@Injectable()
class Recorder {
  constructor(@Inject(APP_NAME) private readonly app: string) {}

  @OnWhatsAppMessage('text')
  onText(message: { text: { body: string } }, ctx: WhatsAppContext): void {
    arrivals.push({ app: this.app, text: message.text.body, phoneNumberId: ctx.phoneNumberId });
  }
}

async function startApp(name: string, verifyToken: string, baseUrl: string) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      WhatsAppModule.forRoot({
        accessToken: A.token,
        appSecret: SECRET,
        verifyToken,
        baseUrl,
        phoneNumberId: A.phone,
        businessAccountId: A.waba,
        retry: false,
      }),
    ],
    providers: [Recorder, { provide: APP_NAME, useValue: name }],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    rawBody: true,
    logger: false,
  });
  await app.listen(0, '127.0.0.1');
  const url = `${await app.getUrl()}/whatsapp/webhook`.replace('[::1]', '127.0.0.1');
  return { app, url };
}

describe('WhatsAppSandbox webhook overrides', () => {
  let sandbox: WhatsAppSandbox;
  let main: { app: NestExpressApplication; url: string };
  let tenant: { app: NestExpressApplication; url: string };
  let whatsapp: WhatsAppService;
  let sent = 0;

  beforeAll(async () => {
    sandbox = await WhatsAppSandbox.start({
      appSecret: SECRET,
      accessToken: A.token,
      businesses: [{ phoneNumberId: B.phone, businessAccountId: B.waba, accessToken: B.token }],
      users: [{ wa_id: MAYA, name: 'Maya' }],
      deliveredAfterMs: 0,
      readAfterMs: false,
      webhookRetry: false,
    });
    main = await startApp('main', 'main-verify-token', sandbox.baseUrl);
    tenant = await startApp('tenant', TENANT_VERIFY, sandbox.baseUrl);
    sandbox.setWebhookUrl(main.url);
    whatsapp = main.app.get(WhatsAppService);
  });
  afterAll(async () => {
    await sandbox.close();
    await Promise.all([main.app.close(), tenant.app.close()]);
  });

  // The module's client takes https:// URLs only (Meta calls only HTTPS); the sandbox also takes the
  // http:// loopback URLs of local apps, so overrides are set over raw HTTP, as Meta's bodies.
  const setNumberOverride = (uri: string, verifyToken: string) =>
    call<GraphErrorBody>(sandbox.baseUrl, 'POST', `/v23.0/${B.phone}`, {
      token: B.token,
      json: { webhook_configuration: { override_callback_uri: uri, verify_token: verifyToken } },
    });
  const setWabaOverride = (uri: string, verifyToken: string) =>
    call<GraphErrorBody>(sandbox.baseUrl, 'POST', `/v23.0/${B.waba}/subscribed_apps`, {
      token: B.token,
      json: { override_callback_uri: uri, verify_token: verifyToken },
    });

  /** Maya writes to `phone`; resolves with the app that got it once delivery is idle. */
  async function deliveredTo(phone: string): Promise<string[]> {
    const text = `hello ${++sent}`;
    sandbox.userSends(MAYA, { type: 'text', body: text }, phone);
    await sandbox.webhooksIdle();
    return arrivals.filter((a) => a.text === text).map((a) => `${a.app} ${a.phoneNumberId}`);
  }

  it("a number's override takes its webhooks; the other number's stay at the app; removing it sends them back", async () => {
    expect(await deliveredTo(B.phone)).toEqual([`main ${B.phone}`]);

    const set = await setNumberOverride(tenant.url, TENANT_VERIFY);
    expect(set.json).toEqual({ success: true });
    expect(await deliveredTo(B.phone)).toEqual([`tenant ${B.phone}`]);
    expect(await deliveredTo(A.phone)).toEqual([`main ${A.phone}`]);

    await whatsapp.phoneNumbers.removeWebhookOverride({
      phoneNumberId: B.phone,
      accessToken: B.token,
    });
    expect(await deliveredTo(B.phone)).toEqual([`main ${B.phone}`]);
  });

  it('the number override wins over the WABA override, which wins over the app callback', async () => {
    // B's WABA → the tenant app; B's number → the main app (explicitly).
    expect((await setWabaOverride(tenant.url, TENANT_VERIFY)).json).toEqual({ success: true });
    expect(await deliveredTo(B.phone)).toEqual([`tenant ${B.phone}`]);
    expect((await setNumberOverride(main.url, 'main-verify-token')).json).toEqual({
      success: true,
    });
    expect(await deliveredTo(B.phone)).toEqual([`main ${B.phone}`]);
    await whatsapp.phoneNumbers.removeWebhookOverride({
      phoneNumberId: B.phone,
      accessToken: B.token,
    });
    expect(await deliveredTo(B.phone)).toEqual([`tenant ${B.phone}`]);
    // Subscribing again without an override removes the WABA's.
    await whatsapp.subscriptions.subscribe({ businessAccountId: B.waba, accessToken: B.token });
    expect(await deliveredTo(B.phone)).toEqual([`main ${B.phone}`]);
  });

  it('refuses an override whose URL fails the verification GET, is not http(s), or is a host the sandbox may not call; the previous routing stays', async () => {
    const wrongToken = await setNumberOverride(tenant.url, 'not-the-tenant-token');
    expect(wrongToken.status).toBe(400);
    expect(wrongToken.json.error).toMatchObject({ code: 2200, type: 'OAuthException' });
    // Through the module's client too: Meta's error as a WhatsAppApiError.
    const https = tenant.url.replace('http://', 'https://');
    const viaClient = whatsapp.phoneNumbers.setWebhookOverride({
      phoneNumberId: B.phone,
      accessToken: B.token,
      override_callback_uri: https,
      verify_token: TENANT_VERIFY,
    });
    await expect(viaClient).rejects.toBeInstanceOf(WhatsAppApiError);
    await expect(viaClient).rejects.toMatchObject({ code: 2200 });

    const post = (uri: string) => setNumberOverride(uri, 'vt');
    const ftp = await post('ftp://127.0.0.1/hook');
    expect(ftp.status).toBe(400);
    expect(ftp.json.error).toMatchObject({ code: 100, type: 'OAuthException' });
    const foreign = await post('https://tenant.example/hook');
    expect(foreign.status).toBe(400);
    expect(foreign.json.error).toMatchObject({ code: 2200 });
    expect(String(foreign.json.error.error_data?.details ?? foreign.json.error.message)).toContain(
      'Callback verification failed',
    );
    const waba = await setWabaOverride('http://169.254.169.254/latest', 'vt');
    expect(waba.json.error).toMatchObject({ code: 2200 });

    expect(await deliveredTo(B.phone)).toEqual([`main ${B.phone}`]);
  });
});
