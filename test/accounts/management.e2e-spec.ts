import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  WhatsAppApiError,
  WhatsAppValidationError,
  type WhatsAppService,
} from '../../lib/index.js';
import { FAKE_APP, FAKE_IDS, FakeGraphApi, type RecordedRequest } from '../../lib/testing/index.js';
import { API, createClient, rejection, TOKEN } from '../client/client-test-helper.js';

// Every management endpoint against the loopback fake Graph API: the exact request Meta documents
// (method, path, query, JSON body), Meta's answer shape, and Meta's errors from the fake's state.

const PHONE = FAKE_IDS.phoneNumberId;
const WABA = FAKE_IDS.businessAccountId;
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
beforeEach(() => fake.reset());

/** The last request: method, path, query and JSON body as received. */
function last(): Pick<RecordedRequest, 'method' | 'path' | 'query' | 'json'> {
  const r = fake.requests.at(-1);
  if (!r) throw new Error('no request');
  return { method: r.method, path: r.path, query: r.query, json: r.json };
}

describe('profile', () => {
  it('update sends messaging_product and the given fields; get reads data[0]', async () => {
    await expect(
      wa.profile.update({
        about: 'Fresh bread daily',
        address: '1 Main St',
        description: 'A bakery',
        email: 'hi@bakery.test',
        websites: ['https://bakery.test'],
        vertical: 'RESTAURANT',
      }),
    ).resolves.toEqual({ success: true });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/whatsapp_business_profile`,
      query: {},
      json: {
        messaging_product: 'whatsapp',
        about: 'Fresh bread daily',
        address: '1 Main St',
        description: 'A bakery',
        email: 'hi@bakery.test',
        websites: ['https://bakery.test'],
        vertical: 'RESTAURANT',
      },
    });
    const profile = await wa.profile.get();
    expect(last()).toMatchObject({
      method: 'GET',
      path: `${API}/${PHONE}/whatsapp_business_profile`,
      query: { fields: 'about,address,description,email,profile_picture_url,websites,vertical' },
    });
    expect(profile).toMatchObject({ about: 'Fresh bread daily', vertical: 'RESTAURANT' });
    // Meta answers `{ data: [profile] }` with `messaging_product` inside: get() returns the profile.
    expect(profile).not.toHaveProperty('data');
  });

  it('profile picture: Resumable Upload API session → bytes → handle → profile_picture_handle', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 7)]);
    const { h } = await wa.uploads.uploadFile({
      appId: FAKE_APP.appId,
      file_name: 'logo.jpg',
      file_type: 'image/jpeg',
      data: jpeg,
    });
    const [session, bytes] = fake.requests.slice(-2);
    expect(session).toMatchObject({
      method: 'POST',
      path: `${API}/${FAKE_APP.appId}/uploads`,
      query: { file_name: 'logo.jpg', file_length: String(jpeg.length), file_type: 'image/jpeg' },
    });
    expect(session.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(bytes.path).toMatch(new RegExp(`^${API}/upload:`));
    expect(bytes.headers).toMatchObject({ authorization: `OAuth ${TOKEN}`, file_offset: '0' });
    expect(bytes.rawBody.equals(jpeg)).toBe(true);
    await expect(wa.profile.update({ profile_picture_handle: h })).resolves.toEqual({
      success: true,
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/whatsapp_business_profile`,
      query: {},
      json: { messaging_product: 'whatsapp', profile_picture_handle: h },
    });
    expect((await wa.profile.get({ fields: ['profile_picture_url'] })).profile_picture_url).toMatch(
      /^https:\/\/pps\.whatsapp\.net\//,
    );
    expect(last().query).toEqual({ fields: 'profile_picture_url' });
    // A handle that is not from a finished upload: Meta's invalid parameter.
    expect(
      await rejection(wa.profile.update({ profile_picture_handle: '4::bm90IGEgaGFuZGxl:x' })),
    ).toMatchObject({ code: 100, status: 400 });
  });

  it('refuses bad input before any request', async () => {
    const errors = await Promise.all([
      rejection(wa.profile.update({ about: 'x'.repeat(140) })),
      rejection(wa.profile.update({ websites: ['a', 'b', 'c'] })),
      rejection(wa.profile.update({})),
    ]);
    expect(errors.map((e) => (e as WhatsAppValidationError).field)).toEqual([
      'about',
      'websites',
      'input',
    ]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('phoneNumbers', () => {
  it('register (PIN, data localization), wrong PIN → 133005, deregister', async () => {
    await wa.phoneNumbers.register({ pin: '123456', data_localization_region: 'DE' });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/register`,
      query: {},
      json: { messaging_product: 'whatsapp', pin: '123456', data_localization_region: 'DE' },
    });
    const wrong = await rejection(wa.phoneNumbers.register({ pin: '654321' }));
    expect(wrong).toBeInstanceOf(WhatsAppApiError);
    expect(wrong).toMatchObject({ code: 133005, retryable: false });
    await wa.phoneNumbers.deregister();
    expect(last()).toMatchObject({ method: 'POST', path: `${API}/${PHONE}/deregister` });
    expect(last().json).toBeUndefined();
    expect(await rejection(wa.phoneNumbers.deregister())).toMatchObject({ code: 133010 });
    expect(await rejection(wa.phoneNumbers.register({ pin: '12345' }))).toMatchObject({
      field: 'pin',
    });
  });

  it('requestCode and verifyCode put their parameters in the query, as Meta documents', async () => {
    await wa.phoneNumbers.requestCode({ code_method: 'SMS', language: 'en_US' });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/request_code`,
      query: { code_method: 'SMS', language: 'en_US' },
      json: undefined,
    });
    await wa.phoneNumbers.verifyCode({ code: '123456' });
    expect(last()).toMatchObject({
      path: `${API}/${PHONE}/verify_code`,
      query: { code: '123456' },
    });
    expect(await rejection(wa.phoneNumbers.verifyCode({ code: '000000' }))).toMatchObject({
      code: 136025,
    });
  });

  it('two-step PIN, display name, settings, webhook override', async () => {
    await wa.phoneNumbers.setTwoStepPin({ pin: '246810' });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}`,
      query: {},
      json: { pin: '246810' },
    });
    // Meta's display names page: the name as a query parameter, no body.
    await wa.phoneNumbers.requestDisplayName({ new_display_name: 'Bakery Two' });
    expect(last()).toMatchObject({
      method: 'POST',
      path: `${API}/${PHONE}`,
      query: { new_display_name: 'Bakery Two' },
    });
    expect(last().json).toBeUndefined();
    expect(await wa.phoneNumbers.displayNameStatus()).toEqual({
      id: PHONE,
      verified_name: expect.any(String),
      name_status: expect.any(String),
      new_display_name: 'Bakery Two',
      new_name_status: 'PENDING_REVIEW',
    });
    expect(last().query).toEqual({
      fields: 'id,verified_name,name_status,new_display_name,new_name_status',
    });
    await wa.phoneNumbers.updateSettings({
      settings: {
        // Meta's Local Storage guide: enabled on an unregistered number, upper-case status.
        storage_configuration: {
          status: 'IN_COUNTRY_STORAGE_ENABLED',
          data_localization_region: 'DE',
        },
      },
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/settings`,
      query: {},
      json: {
        storage_configuration: {
          status: 'IN_COUNTRY_STORAGE_ENABLED',
          data_localization_region: 'DE',
        },
      },
    });
    expect(await wa.phoneNumbers.settings()).toMatchObject({
      storage_configuration: {
        status: 'IN_COUNTRY_STORAGE_ENABLED',
        data_localization_region: 'DE',
      },
    });
    expect(last()).toEqual({
      method: 'GET',
      path: `${API}/${PHONE}/settings`,
      query: {},
      json: undefined,
    });
    await wa.phoneNumbers.setWebhookOverride({
      override_callback_uri: 'https://tenant.example/webhook',
      verify_token: 'vt',
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}`,
      query: {},
      json: {
        webhook_configuration: {
          override_callback_uri: 'https://tenant.example/webhook',
          verify_token: 'vt',
        },
      },
    });
    expect(fake.store.management.webhookOverrides.get(PHONE)).toMatchObject({
      override_callback_uri: 'https://tenant.example/webhook',
    });
    await expect(wa.phoneNumbers.removeWebhookOverride()).resolves.toEqual({ success: true });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}`,
      query: {},
      json: { webhook_configuration: { override_callback_uri: '' } },
    });
    expect(
      await rejection(
        wa.phoneNumbers.setWebhookOverride({
          override_callback_uri: 'http://plain.example/webhook',
          verify_token: 'vt',
        }),
      ),
    ).toMatchObject({ field: 'override_callback_uri' });
  });

  it('get asks for quality and throughput fields', async () => {
    const details = await wa.phoneNumbers.get();
    expect(last()).toEqual({
      method: 'GET',
      path: `${API}/${PHONE}`,
      query: {
        fields:
          'id,display_phone_number,verified_name,quality_rating,throughput,messaging_limit_tier,code_verification_status,name_status,status,platform_type',
      },
      json: undefined,
    });
    expect(details).toMatchObject({ quality_rating: 'GREEN', throughput: { level: 'STANDARD' } });
  });

  it('accounts.getPhoneNumber reads throughput and quality fields as Meta answers them', async () => {
    const number = await wa.accounts.getPhoneNumber(PHONE, {
      fields: ['throughput', 'quality_rating', 'messaging_limit_tier'],
    });
    expect(last()).toEqual({
      method: 'GET',
      path: `${API}/${PHONE}`,
      query: { fields: 'throughput,quality_rating,messaging_limit_tier' },
      json: undefined,
    });
    expect(number).toMatchObject({
      id: PHONE,
      quality_rating: 'GREEN',
      throughput: { level: 'STANDARD' },
    });
  });

  it('conversational automation: welcome message, commands, ice breakers', async () => {
    const input = {
      enable_welcome_message: true,
      commands: [{ command_name: 'menu', command_description: 'Show the menu' }],
      prompts: ['Opening hours?', 'Order bread'],
    };
    await wa.phoneNumbers.setConversationalAutomation(input);
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/conversational_automation`,
      query: {},
      json: input,
    });
    expect(await wa.phoneNumbers.conversationalAutomation()).toEqual(input);
    expect(last().query).toEqual({ fields: 'conversational_automation' });
    expect(
      await rejection(
        wa.phoneNumbers.setConversationalAutomation({ prompts: ['a', 'b', 'c', 'd', 'e'] }),
      ),
    ).toMatchObject({ field: 'prompts' });
  });

  it('commerce settings: cart and catalog visibility (query parameters)', async () => {
    await wa.phoneNumbers.updateCommerceSettings({
      is_cart_enabled: true,
      is_catalog_visible: false,
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/whatsapp_commerce_settings`,
      query: { is_cart_enabled: 'true', is_catalog_visible: 'false' },
      json: undefined,
    });
    expect(await wa.phoneNumbers.commerceSettings()).toMatchObject({
      is_cart_enabled: true,
      is_catalog_visible: false,
    });
  });
});

describe('qrCodes', () => {
  it("create (SVG), list, get, update, delete; an unknown code is Meta's 100/33", async () => {
    const qr = await wa.qrCodes.create({ prefilled_message: 'Hi!', generate_qr_image: 'SVG' });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/message_qrdls`,
      query: {},
      json: { prefilled_message: 'Hi!', generate_qr_image: 'SVG' },
    });
    expect(qr).toMatchObject({
      prefilled_message: 'Hi!',
      deep_link_url: `https://wa.me/message/${qr.code}`,
    });
    expect(qr.qr_image_url).toMatch(/\.svg$/);
    await wa.qrCodes.create({ prefilled_message: 'Second' });
    const all: string[] = [];
    for await (const item of wa.qrCodes.listAll({ limit: 1 })) all.push(item.prefilled_message);
    expect(all).toEqual(['Hi!', 'Second']);
    expect(await wa.qrCodes.get(qr.code)).toMatchObject({ code: qr.code });
    expect(last().path).toBe(`${API}/${PHONE}/message_qrdls/${qr.code}`);
    await wa.qrCodes.update(qr.code, { prefilled_message: 'Hello again' });
    expect(last().json).toEqual({ code: qr.code, prefilled_message: 'Hello again' });
    await expect(wa.qrCodes.delete(qr.code)).resolves.toEqual({ success: true });
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: `${API}/${PHONE}/message_qrdls/${qr.code}`,
    });
    expect(await rejection(wa.qrCodes.get(qr.code))).toMatchObject({ code: 100, subcode: 33 });
    expect(
      await rejection(
        wa.qrCodes.create({ prefilled_message: 'x', generate_qr_image: 'GIF' as 'PNG' }),
      ),
    ).toMatchObject({ field: 'generate_qr_image' });
  });
});

describe('blockedUsers', () => {
  it("block with Meta's per-user failures, list (paginated), unblock", async () => {
    fake.store.management.unblockableUsers.add('15550009999');
    const result = await wa.blockedUsers.block({
      users: ['15551234567', { user: '15557654321' }, '15550009999'],
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/block_users`,
      query: {},
      json: {
        messaging_product: 'whatsapp',
        block_users: [{ user: '15551234567' }, { user: '15557654321' }, { user: '15550009999' }],
      },
    });
    // Meta answers HTTP 400 with a top-level 139100 and the per-user lists beside it: the call
    // resolves with the lists, each failed user with its own code (131047: no message in 24 h).
    expect(result.block_users.added_users).toHaveLength(2);
    expect(result.block_users.failed_users).toEqual([
      {
        input: '15550009999',
        wa_id: '15550009999',
        errors: [
          {
            message: 'Re-engagement required',
            code: 131047,
            error_data: { details: 'User has not messaged in the last 24 hours' },
          },
        ],
      },
    ]);
    expect(result.error).toMatchObject({ code: 139100, type: 'OAuthException' });
    const page = await wa.blockedUsers.list({ limit: 1 });
    expect(page.data).toEqual([{ messaging_product: 'whatsapp', wa_id: '15551234567' }]);
    expect(last().query).toEqual({ limit: '1' });
    const all: string[] = [];
    for await (const user of wa.blockedUsers.listAll({ limit: 1 })) all.push(String(user.wa_id));
    expect(all).toEqual(['15551234567', '15557654321']);
    const removed = await wa.blockedUsers.unblock({ users: ['15551234567'] });
    expect(last()).toMatchObject({
      method: 'DELETE',
      json: { messaging_product: 'whatsapp', block_users: [{ user: '15551234567' }] },
    });
    expect(removed.block_users.removed_users).toEqual([
      { input: '15551234567', wa_id: '15551234567' },
    ]);
    expect(await rejection(wa.blockedUsers.block({ users: [] }))).toMatchObject({ field: 'users' });
  });
});

describe('subscriptions', () => {
  it('WABA subscribed_apps with override_callback_uri + verify_token, list, unsubscribe', async () => {
    await wa.subscriptions.subscribe({
      override_callback_uri: 'https://tenant.example/wa',
      verify_token: 'tenant-verify',
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${WABA}/subscribed_apps`,
      query: {},
      json: { override_callback_uri: 'https://tenant.example/wa', verify_token: 'tenant-verify' },
    });
    expect((await wa.subscriptions.list()).data).toEqual([
      {
        whatsapp_business_api_data: expect.objectContaining({ id: FAKE_APP.appId }),
        override_callback_uri: 'https://tenant.example/wa',
      },
    ]);
    await wa.subscriptions.unsubscribe();
    expect(last()).toMatchObject({ method: 'DELETE', path: `${API}/${WABA}/subscribed_apps` });
    expect((await wa.subscriptions.list()).data).toEqual([]);
  });

  it('app-level POST /{app-id}/subscriptions with the app access token', async () => {
    const appToken = `${FAKE_APP.appId}|${FAKE_APP.appSecret}`;
    await wa.subscriptions.subscribeAppWebhook({
      appId: FAKE_APP.appId,
      appAccessToken: appToken,
      callback_url: 'https://app.example/whatsapp/webhook',
      verify_token: 'app-verify',
      fields: ['messages', 'message_template_status_update'],
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${FAKE_APP.appId}/subscriptions`,
      query: {
        object: 'whatsapp_business_account',
        callback_url: 'https://app.example/whatsapp/webhook',
        verify_token: 'app-verify',
        fields: 'messages,message_template_status_update',
      },
      json: undefined,
    });
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${appToken}`);
    // Meta calls only HTTPS callbacks: a plain http URL is refused before any request.
    fake.reset();
    const refused = await Promise.all([
      rejection(
        wa.subscriptions.subscribeAppWebhook({
          appId: FAKE_APP.appId,
          appAccessToken: appToken,
          callback_url: 'http://app.example/whatsapp/webhook',
          verify_token: 'app-verify',
          fields: ['messages'],
        }),
      ),
      rejection(
        wa.subscriptions.subscribe({
          override_callback_uri: 'http://tenant.example/wa',
          verify_token: 'tenant-verify',
        }),
      ),
    ]);
    expect(refused.map((e) => (e as WhatsAppValidationError).field)).toEqual([
      'callback_url',
      'override_callback_uri',
    ]);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('uploads (Resumable Upload API)', () => {
  it('session → bytes (OAuth, file_offset) → handle; resume reads the offset', async () => {
    const data = Buffer.from('%PDF-1.4 fake pdf bytes');
    const session = await wa.uploads.createSession({
      appId: FAKE_APP.appId,
      file_name: 'menu.pdf',
      file_length: data.length,
      file_type: 'application/pdf',
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${FAKE_APP.appId}/uploads`,
      query: {
        file_name: 'menu.pdf',
        file_length: String(data.length),
        file_type: 'application/pdf',
      },
      json: undefined,
    });
    expect(session.id).toMatch(/^upload:[^?]+\?sig=/);
    const [sessionPath, sig] = session.id.split('?sig=');
    const first = await wa.uploads.upload(session.id, data.subarray(0, 5));
    expect(first).not.toHaveProperty('h');
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe(`${API}/${sessionPath}`);
    expect(sent.query).toEqual({ sig });
    expect(sent.headers.authorization).toBe(`OAuth ${TOKEN}`);
    expect(sent.headers.file_offset).toBe('0');
    expect(sent.rawBody.toString()).toBe('%PDF-');
    expect(await wa.uploads.getSession(session.id)).toEqual({ id: sessionPath, file_offset: 5 });
    const done = await wa.uploads.upload(session.id, data, { fileOffset: 5 });
    expect(fake.requests.at(-1)?.headers.file_offset).toBe('5');
    expect(done.h).toMatch(/^4::/);
    const handle = await wa.uploads.uploadFile({
      appId: FAKE_APP.appId,
      file_name: 'logo.png',
      file_type: 'image/png',
      data: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    expect(handle.h).toMatch(/^4::/);
    expect(await rejection(wa.uploads.upload('upload:../../me', data))).toMatchObject({
      field: 'sessionId',
    });
  });
});

describe('business.listAccounts()', () => {
  it('works without arguments when the businessId option is set', async () => {
    const page = await wa.business.listAccounts();
    expect(last()).toMatchObject({
      method: 'GET',
      path: `${API}/${FAKE_IDS.businessId}/owned_whatsapp_business_accounts`,
    });
    expect(page.data[0]).toMatchObject({ id: WABA });
    expect(last().query).toEqual({});
  });

  it('a businessId in the query wins over the option; relation client and paging go as Meta names them', async () => {
    await wa.business.listAccounts({
      businessId: '399000000000001',
      relation: 'client',
      fields: ['id', 'name'],
      limit: 2,
    });
    expect(last()).toEqual({
      method: 'GET',
      path: `${API}/399000000000001/client_whatsapp_business_accounts`,
      query: { fields: 'id,name', limit: '2' },
      json: undefined,
    });
    expect(
      await rejection(wa.business.listAccounts({ relation: 'shared' as 'owned' })),
    ).toMatchObject({ field: 'relation' });
    const none = createClient(fake);
    try {
      expect(await rejection(none.business.listAccounts())).toMatchObject({ field: 'businessId' });
    } finally {
      await none.close();
    }
  });
});
