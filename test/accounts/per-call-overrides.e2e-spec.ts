import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { WhatsAppService } from '../../lib/index.js';
import { FAKE_APP, FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';
import { API, createClient, TOKEN } from '../client/client-test-helper.js';

// Every method of every namespace takes per-call overrides: another number / WABA and another token
// (a tenant's) win over the module's. Each call below is checked on the wire: path and
// Authorization, and neither the module token nor the per-call one appears in any body.

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
const W = `${API}/${OTHER.waba}`;
const bearer = `Bearer ${OTHER.token}`;
const AS_OTHER_WABA = { businessAccountId: OTHER.waba, accessToken: OTHER.token };
const TOKEN_ONLY = { accessToken: OTHER.token };
const TEMPLATE = '912000000000077';
const FLOW = '913000000000077';
const GROUP = 'Y2FwaV9ncm91cDoxNTU1MDAwNzc3Nw';
const DAY = 86_400;
const PEM =
  '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n';

/** Runs the calls one after the other; a Meta error (an unknown id in the fake) does not stop the rest. */
function each(...calls: Array<() => Promise<unknown>>): () => Promise<void> {
  return async () => {
    for (const call of calls) await call().catch(() => undefined);
  };
}
const at = (method: string, path: string): string =>
  expect.stringMatching(new RegExp(`^${method} ${path} ${bearer}$`)) as unknown as string;

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
    () =>
      wa.embeddedSignup.debugToken({
        inputToken: 'EAAT-inspected-token-42',
        accessToken: OTHER.token,
      }),
    [`GET ${API}/debug_token ${bearer}`],
  ],
  [
    'templates.list / get / create / update / delete',
    each(
      () => wa.templates.list({ ...AS_OTHER_WABA, limit: 5 }),
      () => wa.templates.get(TEMPLATE, TOKEN_ONLY),
      () =>
        wa.templates.create({
          ...AS_OTHER_WABA,
          name: 'order_update',
          language: 'en_US',
          category: 'UTILITY',
          components: [{ type: 'BODY', text: 'Your order shipped' }],
        }),
      () => wa.templates.update(TEMPLATE, { ...TOKEN_ONLY, category: 'MARKETING' }),
      () => wa.templates.delete({ ...AS_OTHER_WABA, name: 'order_update' }),
    ),
    [
      `GET ${W}/message_templates ${bearer}`,
      `GET ${API}/${TEMPLATE} ${bearer}`,
      `POST ${W}/message_templates ${bearer}`,
      `POST ${API}/${TEMPLATE} ${bearer}`,
      `DELETE ${W}/message_templates ${bearer}`,
    ],
  ],
  [
    'templates.analytics / enableAnalytics',
    each(
      () => wa.templates.enableAnalytics(AS_OTHER_WABA),
      () =>
        wa.templates.analytics({
          ...AS_OTHER_WABA,
          start: 1_767_225_600,
          end: 1_767_225_600 + DAY,
          templateIds: [TEMPLATE],
        }),
    ),
    [`POST ${W} ${bearer}`, `GET ${W}/template_analytics ${bearer}`],
  ],
  [
    'flows.list / get / create / update / uploadJson / listAssets / metrics',
    each(
      () => wa.flows.list(AS_OTHER_WABA),
      () => wa.flows.get(FLOW, TOKEN_ONLY),
      () => wa.flows.create({ ...AS_OTHER_WABA, name: 'signup', categories: ['SIGN_UP'] }),
      () => wa.flows.update(FLOW, { ...TOKEN_ONLY, name: 'signup-2' }),
      () => wa.flows.uploadJson(FLOW, { version: '7.0', screens: [] }, TOKEN_ONLY),
      () => wa.flows.listAssets(FLOW, TOKEN_ONLY),
      () =>
        wa.flows.metrics(FLOW, {
          ...TOKEN_ONLY,
          name: 'ENDPOINT_REQUEST_COUNT',
          granularity: 'DAY',
        }),
    ),
    [
      `GET ${W}/flows ${bearer}`,
      `GET ${API}/${FLOW} ${bearer}`,
      `POST ${W}/flows ${bearer}`,
      `POST ${API}/${FLOW} ${bearer}`,
      `POST ${API}/${FLOW}/assets ${bearer}`,
      `GET ${API}/${FLOW}/assets ${bearer}`,
      `GET ${API}/${FLOW} ${bearer}`,
    ],
  ],
  [
    'flows.publish / deprecate / delete, encryption key',
    each(
      () => wa.flows.publish(FLOW, TOKEN_ONLY),
      () => wa.flows.deprecate(FLOW, TOKEN_ONLY),
      () => wa.flows.delete(FLOW, TOKEN_ONLY),
      () => wa.flows.setEncryptionPublicKey(PEM, AS_OTHER),
      () => wa.flows.getEncryptionPublicKey(AS_OTHER),
    ),
    [
      `POST ${API}/${FLOW}/publish ${bearer}`,
      `POST ${API}/${FLOW}/deprecate ${bearer}`,
      `DELETE ${API}/${FLOW} ${bearer}`,
      `POST ${P}/whatsapp_business_encryption ${bearer}`,
      `GET ${P}/whatsapp_business_encryption ${bearer}`,
    ],
  ],
  [
    'groups.create / list / get / update / delete',
    each(
      () => wa.groups.create({ ...AS_OTHER, subject: 'Bakery regulars' }),
      () => wa.groups.list({ ...AS_OTHER, limit: 5 }),
      () => wa.groups.get(GROUP, TOKEN_ONLY),
      () => wa.groups.update(GROUP, { ...TOKEN_ONLY, subject: 'Bakery friends' }),
      () => wa.groups.delete(GROUP, TOKEN_ONLY),
    ),
    [
      `POST ${P}/groups ${bearer}`,
      `GET ${P}/groups ${bearer}`,
      `GET ${API}/${GROUP} ${bearer}`,
      `POST ${API}/${GROUP} ${bearer}`,
      `DELETE ${API}/${GROUP} ${bearer}`,
    ],
  ],
  [
    'groups invite links, join requests, participants',
    each(
      () => wa.groups.getInviteLink(GROUP, TOKEN_ONLY),
      () => wa.groups.resetInviteLink(GROUP, TOKEN_ONLY),
      () => wa.groups.listJoinRequests(GROUP, { ...TOKEN_ONLY, limit: 5 }),
      () => wa.groups.approveJoinRequests(GROUP, ['jr-1'], TOKEN_ONLY),
      () => wa.groups.rejectJoinRequests(GROUP, ['jr-2'], TOKEN_ONLY),
      () => wa.groups.removeParticipants(GROUP, ['15550001111'], TOKEN_ONLY),
    ),
    [
      `GET ${API}/${GROUP}/invite_link ${bearer}`,
      `POST ${API}/${GROUP}/invite_link ${bearer}`,
      `GET ${API}/${GROUP}/join_requests ${bearer}`,
      `POST ${API}/${GROUP}/join_requests ${bearer}`,
      `DELETE ${API}/${GROUP}/join_requests ${bearer}`,
      `DELETE ${API}/${GROUP}/participants ${bearer}`,
    ],
  ],
  [
    'calls.connect / preAccept / accept / reject / terminate',
    each(
      () => wa.calls.connect({ ...AS_OTHER, to: '15550001111', sdp: 'v=0\r\n' }),
      () => wa.calls.preAccept({ ...AS_OTHER, callId: 'wacid.1', sdp: 'v=0\r\n' }),
      () => wa.calls.accept({ ...AS_OTHER, callId: 'wacid.1', sdp: 'v=0\r\n' }),
      () => wa.calls.reject({ ...AS_OTHER, callId: 'wacid.2' }),
      () => wa.calls.terminate({ ...AS_OTHER, callId: 'wacid.1' }),
    ),
    Array.from({ length: 5 }, () => `POST ${P}/calls ${bearer}`),
  ],
  [
    'calls.getPermissions / getSettings / updateSettings',
    each(
      () => wa.calls.getPermissions({ ...AS_OTHER, userWaId: '15550001111' }),
      () => wa.calls.updateSettings({ ...AS_OTHER, calling: { status: 'ENABLED' } }),
      () => wa.calls.getSettings(AS_OTHER),
    ),
    [
      `GET ${P}/call_permissions ${bearer}`,
      `POST ${P}/settings ${bearer}`,
      `GET ${P}/settings ${bearer}`,
    ],
  ],
  [
    'media.upload / get / download / delete',
    async () => {
      const { id } = await wa.media.upload({
        ...AS_OTHER,
        file: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
        mimeType: 'image/jpeg',
      });
      await wa.media.get(id, TOKEN_ONLY);
      await (await wa.media.download(id, TOKEN_ONLY)).toBuffer();
      await wa.media.delete(id, TOKEN_ONLY);
    },
    [
      `POST ${P}/media ${bearer}`,
      at('GET', `${API}/\\w+`),
      at('GET', `${API}/\\w+`),
      at('GET', '\\S+'), // the download URL the fake handed out, with the same token
      at('DELETE', `${API}/\\w+`),
    ],
  ],
  [
    'messages.sendText / markAsRead',
    each(
      () => wa.messages.sendText({ ...AS_OTHER, to: '15550001111', text: { body: 'hi' } }),
      () => wa.messages.markAsRead({ ...AS_OTHER, messageId: 'wamid.1' }),
    ),
    [`POST ${P}/messages ${bearer}`, `POST ${P}/messages ${bearer}`],
  ],
];

describe('per-call overrides on every method', () => {
  it.each(CASES)(
    '%s: the given number/WABA and token, never the module ones',
    async (_n, run, expected) => {
      await run().catch(() => undefined); // a Meta error is fine here: only the request is checked
      expect(wire()).toEqual(expected);
      expect(wire().join('\n')).not.toContain(TOKEN);
      // Per-call options are ours: neither token is ever part of what Meta receives as data.
      for (const request of fake.requests) {
        const sent = `${request.rawBody.toString('latin1')} ${JSON.stringify(request.query)}`;
        expect(sent).not.toContain(OTHER.token);
        expect(sent).not.toContain(TOKEN);
      }
    },
  );
});
