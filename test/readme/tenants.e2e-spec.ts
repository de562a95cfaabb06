import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FAKE_APP, FakeGraphApi, WhatsAppTestApp, webhook } from 'nestjs-whatsapp-cloud/testing';
import { BAKERY_NUMBERS, BAKERY_WABA, TenantBot } from './tenant-bot.js';
import { TenantNotifier } from './tenant-notifier.service.js';
import { TenantOnboarding } from './tenant-onboarding.service.js';
import { TenantStore } from './tenant-store.js';
import { TenantsAppModule } from './tenants-app.module.js';

// docs/tenants.md's examples (copies of ./tenant-*.ts and ./tenants-app.module.ts, checked by
// doc-snippets), run as one app against the fake Graph API: every request is checked on the wire
// for the tenant's token, so a wrong snippet fails here.

const API = '/v26.0';
const BAKERY = {
  id: 'bakery',
  wabaId: BAKERY_WABA,
  phoneNumberIds: BAKERY_NUMBERS,
  accessToken: 'EAAT-docs-bakery-token-1f2e',
  greeting: 'Hi from the bakery!',
};
const FLORIST = {
  id: 'florist',
  wabaId: '102290129340777',
  phoneNumberIds: ['106540352242777'],
  accessToken: 'EAAT-docs-florist-token-9c8b',
  greeting: 'Hi from the florist!',
};
const ENV = {
  WHATSAPP_TOKEN: 'EAAT-docs-module-token-0000',
  META_APP_SECRET: FAKE_APP.appSecret,
  WHATSAPP_VERIFY_TOKEN: 'docs-verify-token',
  META_APP_ID: FAKE_APP.appId,
} as const;

describe('docs/tenants.md examples', () => {
  let graph: FakeGraphApi;
  let app: WhatsAppTestApp;
  const saved: Partial<Record<keyof typeof ENV, string>> = {};

  beforeAll(async () => {
    for (const key of Object.keys(ENV) as Array<keyof typeof ENV>) {
      saved[key] = process.env[key];
      process.env[key] = ENV[key];
    }
    graph = await FakeGraphApi.start();
    // 'merge': the module's own factory options (resolveCredentials) stay; secrets and baseUrl are the test's.
    app = await WhatsAppTestApp.create({ imports: [TenantsAppModule], graph, appOptions: 'merge' });
    const store = app.get(TenantStore);
    await store.save(BAKERY);
    await store.save(FLORIST);
  });
  afterAll(async () => {
    await app.close();
    await graph.close();
    for (const key of Object.keys(ENV) as Array<keyof typeof ENV>) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });
  beforeEach(() => graph.reset());

  const onWire = (): string[] =>
    graph.requests.map((r) => `${r.method} ${r.path} ${String(r.headers.authorization)}`);
  const texts = (): unknown[] =>
    graph.requests.map((r) => (r.json as { text?: { body?: string } } | undefined)?.text?.body);

  it('forAccount() and a per-call token send with the tenant token, never the module one', async () => {
    const notifier = app.get(TenantNotifier);
    expect(await notifier.orderShipped('bakery', '15550001111')).toMatch(/^wamid\./);
    expect(await notifier.approvedTemplates('florist')).toEqual(expect.any(Array));
    expect(onWire()).toEqual([
      `POST ${API}/${BAKERY_NUMBERS[0]}/messages Bearer ${BAKERY.accessToken}`,
      `POST ${API}/${BAKERY_NUMBERS[0]}/whatsapp_business_profile Bearer ${BAKERY.accessToken}`,
      `GET ${API}/${FLORIST.wabaId}/message_templates Bearer ${FLORIST.accessToken}`,
    ]);
    expect(graph.requests[2].query).toMatchObject({ status: 'APPROVED' });
  });

  it("routes each tenant's updates (WABA and number filters) and replies with its token", async () => {
    const toBakery = { phoneNumberId: BAKERY_NUMBERS[0], businessAccountId: BAKERY.wabaId };
    const toFlorist = {
      phoneNumberId: FLORIST.phoneNumberIds[0],
      businessAccountId: FLORIST.wabaId,
    };
    const updates = [
      webhook.text({ body: 'hi', ...toBakery }),
      webhook.text({ body: 'Hello', ...toFlorist }),
      webhook.text({ body: 'hours', ...toBakery }),
      webhook.text({ body: 'hours', ...toFlorist }), // the bakery's handler only: no answer
      webhook.location({
        latitude: 52.52,
        longitude: 13.4,
        phoneNumberId: BAKERY_NUMBERS[1],
        businessAccountId: BAKERY.wabaId,
      }),
    ];
    for (const update of updates) expect((await app.receive(update)).status).toBe(200);
    const bakery = `Bearer ${BAKERY.accessToken}`;
    expect(onWire()).toEqual([
      `POST ${API}/${BAKERY_NUMBERS[0]}/messages ${bakery}`,
      `POST ${API}/${FLORIST.phoneNumberIds[0]}/messages Bearer ${FLORIST.accessToken}`,
      `POST ${API}/${BAKERY_NUMBERS[0]}/messages ${bakery}`,
      `POST ${API}/${BAKERY_NUMBERS[1]}/messages ${bakery}`,
    ]);
    expect(texts()).toEqual([
      BAKERY.greeting,
      FLORIST.greeting,
      'The bakery is open 7-19',
      'We deliver within 5 km',
    ]);

    for (const waba of [BAKERY.wabaId, FLORIST.wabaId]) {
      const value = {
        event: 'APPROVED' as const,
        message_template_id: 1,
        message_template_name: `menu_${waba.slice(-3)}`,
        message_template_language: 'en_US',
      };
      const event = webhook.event('message_template_status_update', value, {
        businessAccountId: waba,
      });
      expect((await app.receive(event)).status).toBe(200);
    }
    expect(app.get(TenantBot).reviews).toEqual(['menu_398: APPROVED']);
  });

  it('onboards a tenant after Embedded Signup; its first message is answered with its new token', async () => {
    const CAFE = { phone: '106540352242555', waba: '102290129340555' };
    graph.store.phoneNumbers.push({
      id: CAFE.phone,
      display_phone_number: '+49 30 000555',
      verified_name: 'Cafe',
      quality_rating: 'GREEN',
    });
    const { code, accessToken } = graph.store.management.addSignupCode(CAFE.waba, CAFE.phone);
    await app.get(TenantOnboarding).onboard({
      tenantId: 'cafe',
      code,
      wabaId: CAFE.waba,
      phoneNumberId: CAFE.phone,
    });
    expect(graph.store.management.registered.has(CAFE.phone)).toBe(true);
    expect(graph.store.management.subscribedApps.get(CAFE.waba)).toHaveLength(1);

    graph.reset();
    const hello = webhook.text({
      body: 'hello',
      phoneNumberId: CAFE.phone,
      businessAccountId: CAFE.waba,
    });
    expect((await app.receive(hello)).status).toBe(200);
    expect(onWire()).toEqual([`POST ${API}/${CAFE.phone}/messages Bearer ${accessToken}`]);
    expect(texts()).toEqual(['Welcome!']);
  });
});
