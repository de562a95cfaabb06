import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { inspect } from 'node:util';
import {
  OnWhatsAppMessage,
  WhatsAppModule,
  WhatsAppService,
  type WhatsAppContext,
} from '../../lib/index.js';
import {
  FAKE_APP,
  FAKE_IDS,
  FakeGraphApi,
  WhatsAppTestApp,
  webhook,
} from '../../lib/testing/index.js';
import { API, createClient, rejection } from '../client/client-test-helper.js';

// The onboarding of a new tenant after Embedded Signup, end to end against the fake Graph API:
// code → business token → debug_token → subscribed_apps → register, then a send with the new token.

let fake: FakeGraphApi;
let wa: WhatsAppService;

beforeAll(async () => {
  fake = await FakeGraphApi.start();
  wa = createClient(fake);
});
afterAll(async () => {
  await wa.close();
  await fake.close();
});

describe('embeddedSignup', () => {
  it("onboard(): the documented sequence, each step with Meta's exact request", async () => {
    const { code, accessToken } = fake.store.management.addSignupCode(
      FAKE_IDS.businessAccountId,
      FAKE_IDS.phoneNumberId,
    );
    const appToken = `${FAKE_APP.appId}|${FAKE_APP.appSecret}`;
    const tenant = await wa.embeddedSignup.onboard({
      appId: FAKE_APP.appId,
      appSecret: FAKE_APP.appSecret,
      code,
      pin: '135790',
    });
    expect(tenant).toMatchObject({
      accessToken,
      businessAccountId: FAKE_IDS.businessAccountId,
      phoneNumberId: FAKE_IDS.phoneNumberId,
      token: { is_valid: true, expires_at: 0 },
    });
    const steps = fake.requests.map((r) => ({
      call: `${r.method} ${r.path}`,
      query: r.query,
      json: r.json,
      auth: r.headers.authorization,
    }));
    expect(steps).toEqual([
      {
        call: `GET ${API}/oauth/access_token`,
        query: { client_id: FAKE_APP.appId, client_secret: FAKE_APP.appSecret, code },
        json: undefined,
        auth: `Bearer ${appToken}`,
      },
      {
        call: `GET ${API}/debug_token`,
        query: { input_token: accessToken },
        json: undefined,
        auth: `Bearer ${appToken}`,
      },
      {
        call: `POST ${API}/${FAKE_IDS.businessAccountId}/subscribed_apps`,
        query: {},
        json: undefined,
        auth: `Bearer ${accessToken}`,
      },
      {
        call: `GET ${API}/${FAKE_IDS.businessAccountId}/phone_numbers`,
        query: { fields: 'id,display_phone_number,verified_name', limit: '1' },
        json: undefined,
        auth: `Bearer ${accessToken}`,
      },
      {
        call: `POST ${API}/${FAKE_IDS.phoneNumberId}/register`,
        query: {},
        json: { messaging_product: 'whatsapp', pin: '135790' },
        auth: `Bearer ${accessToken}`,
      },
    ]);
    // The new tenant can send at once, through the same client.
    await wa
      .forAccount({ accessToken: tenant.accessToken, phoneNumberId: tenant.phoneNumberId })
      .messages.sendText({ to: '15551239999', text: { body: 'Welcome aboard' } });
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${accessToken}`);
  });

  it('debugToken reports scopes, expiry and granular WABA ids', async () => {
    const { code, accessToken } = fake.store.management.addSignupCode(
      '299000000000001',
      '199000000000001',
    );
    const exchanged = await wa.embeddedSignup.exchangeCode({
      appId: FAKE_APP.appId,
      appSecret: FAKE_APP.appSecret,
      code,
    });
    expect(exchanged).toEqual({ access_token: accessToken, token_type: 'bearer' });
    const info = await wa.embeddedSignup.debugToken({ inputToken: accessToken });
    expect(info.scopes).toContain('whatsapp_business_messaging');
    expect(info.granular_scopes).toContainEqual({
      scope: 'whatsapp_business_management',
      target_ids: ['299000000000001'],
    });
  });

  it("an expired code fails with Meta's error, and neither the secret nor the code leak from it", async () => {
    const code = 'AQexpired-signup-code-0123456789';
    fake.failNext({
      error: {
        code: 100,
        error_subcode: 36007,
        message: `This authorization code has expired: ${code} (client_secret=${FAKE_APP.appSecret})`,
      },
    });
    const error = await rejection(
      wa.embeddedSignup.exchangeCode({
        appId: FAKE_APP.appId,
        appSecret: FAKE_APP.appSecret,
        code,
      }),
    );
    expect(error).toMatchObject({ code: 100, subcode: 36007 });
    const text = [inspect(error, { depth: 8 }), JSON.stringify(error), String(error)].join('\n');
    expect(text).not.toContain(FAKE_APP.appSecret);
    expect(text).not.toContain(code);
  });
});

@Injectable()
class WelcomeBot {
  @OnWhatsAppMessage('text')
  welcome(message: { text: { body: string } }, ctx: WhatsAppContext): string {
    return `Welcome (${ctx.businessAccountId ?? '-'}): ${message.text.body}`;
  }
}

@Module({
  imports: [WhatsAppModule.forRoot({ accessToken: 'replaced-by-the-test-app' })],
  providers: [WelcomeBot],
})
class WelcomeBotModule {}

describe('a tenant onboarded at runtime', () => {
  it('receives its webhooks and is answered with its own business token, checked on the wire', async () => {
    // Your tenant storage: phone number id → business token (encrypt it at rest in a real app).
    const tokens = new Map<string, string>();
    const graph = await FakeGraphApi.start();
    const app = await WhatsAppTestApp.create({
      imports: [WelcomeBotModule],
      graph,
      options: {
        resolveCredentials: async ({ phoneNumberId }) => {
          const token = tokens.get(phoneNumberId ?? '');
          if (token === undefined) throw new Error(`no tenant for ${String(phoneNumberId)}`);
          return { accessToken: token };
        },
      },
    });
    try {
      const NEW = { phone: '188000000000001', waba: '288000000000001' };
      graph.store.phoneNumbers.push({
        id: NEW.phone,
        display_phone_number: '+49 30 000000',
        verified_name: 'New Tenant',
        quality_rating: 'GREEN',
      });
      const { code, accessToken } = graph.store.management.addSignupCode(NEW.waba, NEW.phone);
      const tenant = await app.get(WhatsAppService).embeddedSignup.onboard({
        appId: FAKE_APP.appId,
        appSecret: FAKE_APP.appSecret,
        code,
        businessAccountId: NEW.waba,
        phoneNumberId: NEW.phone,
        pin: '246802',
      });
      tokens.set(tenant.phoneNumberId, tenant.accessToken);
      expect(graph.store.management.registered.has(NEW.phone)).toBe(true);
      expect(graph.store.management.subscribedApps.get(NEW.waba)).toHaveLength(1);

      const before = graph.requests.length;
      const res = await app.receive(
        webhook.text({ body: 'hello', phoneNumberId: NEW.phone, businessAccountId: NEW.waba }),
      );
      expect(res.status).toBe(200);
      const replies = graph.requests.slice(before);
      expect(
        replies.map((r) => `${r.method} ${r.path} ${String(r.headers.authorization)}`),
      ).toEqual([`POST ${API}/${NEW.phone}/messages Bearer ${accessToken}`]);
      expect(replies[0].json).toMatchObject({
        messaging_product: 'whatsapp',
        type: 'text',
        text: { body: `Welcome (${NEW.waba}): hello` },
      });
    } finally {
      await app.close();
      await graph.close();
    }
  });
});
