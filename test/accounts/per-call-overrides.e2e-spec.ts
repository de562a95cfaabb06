import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WhatsAppService } from '../../lib/index.js';
import { FAKE_APP, FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';
import { API, createClient, TOKEN } from '../client/client-test-helper.js';

// Every management method takes per-call overrides: another number / WABA and another token (a
// tenant's) win over the module's. Each call below is checked on the wire: path and Authorization.

const OTHER = {
  phone: '177000000000077',
  waba: '277000000000077',
  business: '377000000000077',
  token: 'EAAT-per-call-tenant-token-7e1d2c',
};
const AS_OTHER = { phoneNumberId: OTHER.phone, accessToken: OTHER.token };

let fake: FakeGraphApi;
let wa: WhatsAppService;

beforeAll(async () => {
  fake = await FakeGraphApi.start();
  wa = createClient(fake, { businessId: FAKE_IDS.businessId });
});
afterAll(async () => {
  await wa.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.store.phoneNumbers.push({
    id: OTHER.phone,
    display_phone_number: '+1 555-000-0077',
    verified_name: 'Other',
    quality_rating: 'YELLOW',
  });
});

/** `METHOD path Authorization` of every request since the last reset. */
function wire(): string[] {
  return fake.requests.map((r) => `${r.method} ${r.path} ${String(r.headers.authorization)}`);
}

type Case = [name: string, run: () => Promise<unknown>, expected: string[]];

const P = `${API}/${OTHER.phone}`;
const bearer = `Bearer ${OTHER.token}`;

const CASES: Case[] = [
  ['profile.get', () => wa.profile.get(AS_OTHER), [`GET ${P}/whatsapp_business_profile ${bearer}`]],
  [
    'profile.update',
    () => wa.profile.update({ ...AS_OTHER, about: 'Other' }),
    [`POST ${P}/whatsapp_business_profile ${bearer}`],
  ],
  ['phoneNumbers.get', () => wa.phoneNumbers.get(AS_OTHER), [`GET ${P} ${bearer}`]],
  [
    'phoneNumbers.register / deregister',
    async () => {
      await wa.phoneNumbers.register({ ...AS_OTHER, pin: '112233' });
      await wa.phoneNumbers.deregister(AS_OTHER);
    },
    [`POST ${P}/register ${bearer}`, `POST ${P}/deregister ${bearer}`],
  ],
  [
    'phoneNumbers.requestCode / verifyCode',
    async () => {
      await wa.phoneNumbers.requestCode({ ...AS_OTHER, code_method: 'VOICE', language: 'de' });
      await wa.phoneNumbers.verifyCode({ ...AS_OTHER, code: '123456' });
    },
    [`POST ${P}/request_code ${bearer}`, `POST ${P}/verify_code ${bearer}`],
  ],
  [
    'phoneNumbers.setTwoStepPin',
    () => wa.phoneNumbers.setTwoStepPin({ ...AS_OTHER, pin: '445566' }),
    [`POST ${P} ${bearer}`],
  ],
  [
    'phoneNumbers.requestDisplayName / displayNameStatus',
    async () => {
      await wa.phoneNumbers.requestDisplayName({ ...AS_OTHER, new_display_name: 'Other Two' });
      await wa.phoneNumbers.displayNameStatus(AS_OTHER);
    },
    [`POST ${P} ${bearer}`, `GET ${P} ${bearer}`],
  ],
  [
    'phoneNumbers.settings / updateSettings',
    async () => {
      await wa.phoneNumbers.updateSettings({
        ...AS_OTHER,
        settings: { calling: { status: 'ENABLED' } },
      });
      await wa.phoneNumbers.settings(AS_OTHER);
    },
    [`POST ${P}/settings ${bearer}`, `GET ${P}/settings ${bearer}`],
  ],
  [
    'phoneNumbers.setWebhookOverride / removeWebhookOverride',
    async () => {
      await wa.phoneNumbers.setWebhookOverride({
        ...AS_OTHER,
        override_callback_uri: 'https://other.example/wa',
        verify_token: 'other-vt',
      });
      await wa.phoneNumbers.removeWebhookOverride(AS_OTHER);
    },
    [`POST ${P} ${bearer}`, `POST ${P} ${bearer}`],
  ],
  [
    'phoneNumbers conversational automation',
    async () => {
      await wa.phoneNumbers.setConversationalAutomation({
        ...AS_OTHER,
        enable_welcome_message: true,
      });
      await wa.phoneNumbers.conversationalAutomation(AS_OTHER);
    },
    [`POST ${P}/conversational_automation ${bearer}`, `GET ${P} ${bearer}`],
  ],
  [
    'phoneNumbers commerce settings',
    async () => {
      await wa.phoneNumbers.updateCommerceSettings({ ...AS_OTHER, is_cart_enabled: false });
      await wa.phoneNumbers.commerceSettings(AS_OTHER);
    },
    [
      `POST ${P}/whatsapp_commerce_settings ${bearer}`,
      `GET ${P}/whatsapp_commerce_settings ${bearer}`,
    ],
  ],
  [
    'qrCodes.create / list / get / update / delete',
    async () => {
      const qr = await wa.qrCodes.create({ ...AS_OTHER, prefilled_message: 'Hi other' });
      await wa.qrCodes.list({ ...AS_OTHER, limit: 5 });
      await wa.qrCodes.get(qr.code, AS_OTHER);
      await wa.qrCodes.update(qr.code, { ...AS_OTHER, prefilled_message: 'Hi again' });
      await wa.qrCodes.delete(qr.code, AS_OTHER);
    },
    [
      `POST ${P}/message_qrdls ${bearer}`,
      `GET ${P}/message_qrdls ${bearer}`,
      expect.stringMatching(
        new RegExp(`^GET ${P}/message_qrdls/\\w+ ${bearer}$`),
      ) as unknown as string,
      `POST ${P}/message_qrdls ${bearer}`,
      expect.stringMatching(
        new RegExp(`^DELETE ${P}/message_qrdls/\\w+ ${bearer}$`),
      ) as unknown as string,
    ],
  ],
  [
    'blockedUsers.block / list / unblock',
    async () => {
      await wa.blockedUsers.block({ ...AS_OTHER, users: ['15550001111'] });
      await wa.blockedUsers.list(AS_OTHER);
      await wa.blockedUsers.unblock({ ...AS_OTHER, users: ['15550001111'] });
    },
    [
      `POST ${P}/block_users ${bearer}`,
      `GET ${P}/block_users ${bearer}`,
      `DELETE ${P}/block_users ${bearer}`,
    ],
  ],
  [
    'subscriptions.subscribe / list / unsubscribe',
    async () => {
      const target = { businessAccountId: OTHER.waba, accessToken: OTHER.token };
      await wa.subscriptions.subscribe(target);
      await wa.subscriptions.list(target);
      await wa.subscriptions.unsubscribe(target);
    },
    [
      `POST ${API}/${OTHER.waba}/subscribed_apps ${bearer}`,
      `GET ${API}/${OTHER.waba}/subscribed_apps ${bearer}`,
      `DELETE ${API}/${OTHER.waba}/subscribed_apps ${bearer}`,
    ],
  ],
  [
    'uploads.createSession / upload / getSession',
    async () => {
      const data = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
      const session = await wa.uploads.createSession({
        appId: FAKE_APP.appId,
        file_name: 'p.jpg',
        file_length: data.length,
        file_type: 'image/jpeg',
        accessToken: OTHER.token,
      });
      await wa.uploads.upload(session.id, data.subarray(0, 2), { accessToken: OTHER.token });
      await wa.uploads.getSession(session.id, { accessToken: OTHER.token });
    },
    [
      `POST ${API}/${FAKE_APP.appId}/uploads ${bearer}`,
      expect.stringMatching(
        new RegExp(`^POST ${API}/upload:\\S+ OAuth ${OTHER.token}$`),
      ) as unknown as string,
      expect.stringMatching(
        new RegExp(`^GET ${API}/upload:\\S+ OAuth ${OTHER.token}$`),
      ) as unknown as string,
    ],
  ],
  [
    'accounts.listPhoneNumbers / getPhoneNumber',
    async () => {
      await wa.accounts.listPhoneNumbers({
        businessAccountId: OTHER.waba,
        accessToken: OTHER.token,
      });
      await wa.accounts.getPhoneNumber(OTHER.phone, { accessToken: OTHER.token });
    },
    [`GET ${API}/${OTHER.waba}/phone_numbers ${bearer}`, `GET ${P} ${bearer}`],
  ],
  [
    'business.listAccounts',
    () =>
      wa.business.listAccounts({
        businessId: OTHER.business,
        relation: 'client',
        accessToken: OTHER.token,
      }),
    [`GET ${API}/${OTHER.business}/client_whatsapp_business_accounts ${bearer}`],
  ],
  [
    'embeddedSignup.debugToken',
    () => wa.embeddedSignup.debugToken({ inputToken: TOKEN, accessToken: OTHER.token }),
    [`GET ${API}/debug_token ${bearer}`],
  ],
];

describe('per-call overrides on every management method', () => {
  it.each(CASES)(
    '%s: the given number/WABA and token, never the module ones',
    async (_n, run, expected) => {
      await run().catch(() => undefined); // a Meta error is fine here: only the request is checked
      expect(wire()).toEqual(expected);
      expect(wire().join('\n')).not.toContain(TOKEN);
    },
  );
});
