import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import type { WhatsAppService } from '../../lib/index.js';
import { FAKE_APP, FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';
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
