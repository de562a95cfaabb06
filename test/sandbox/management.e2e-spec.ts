import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { OnWhatsAppMessage, WhatsAppApiError, WhatsAppService } from '../../lib/index.js';
import { WhatsAppSandbox } from '../../lib/sandbox/index.js';
import { rejection } from '../client/client-test-helper.js';
import { startAppOnSandbox, sandboxUntil } from './app-on-sandbox.js';

// Every management method of WhatsAppService against the sandbox, through a real Nest app: the
// sandbox's in-memory answers, Meta's errors (wrong PIN, wrong code, unregistered number, unknown
// QR code, per-user block failures, blocked recipient), and a blocked user's messages never
// reaching the webhook.

const SECRET = 'management-secret';
const TOKEN = 'management-token';
const MAYA = '12025550147';
const LEO = '447700900123';

/** Records the texts the app received, by sender. */
@Injectable()
class Inbox {
  readonly texts: Array<{ from: string; body: string }> = [];

  @OnWhatsAppMessage('text')
  onText(message: { from: string; text: { body: string } }): void {
    this.texts.push({ from: message.from, body: message.text.body });
  }
}

let sandbox: WhatsAppSandbox;
let app: NestExpressApplication;
let wa: WhatsAppService;
let inbox: Inbox;

beforeAll(async () => {
  sandbox = await WhatsAppSandbox.start({
    appSecret: SECRET,
    accessToken: TOKEN,
    users: [
      { wa_id: MAYA, name: 'Maya' },
      { wa_id: LEO, name: 'Leo' },
    ],
    deliveredAfterMs: 0,
    readAfterMs: false,
    webhookRetry: false,
  });
  app = await startAppOnSandbox(sandbox, {
    module: {
      accessToken: TOKEN,
      appSecret: SECRET,
    },
    providers: [Inbox],
  });
  wa = app.get(WhatsAppService);
  inbox = app.get(Inbox);
});
afterAll(async () => {
  await sandbox.close();
  await app.close();
});

/** Resolves once `test` holds, re-checked on every change of the sandbox. */
const until = (test: () => boolean): Promise<void> => sandboxUntil(sandbox, test);

/** The last Graph call the debug panel shows for a path containing `part`. */
const traffic = (part: string) =>
  [...sandbox.store.traffic]
    .reverse()
    .find((t) => t.direction === 'graph' && t.path.includes(part));

describe('profile', () => {
  it('keeps what update() sets; get() reads it back', async () => {
    await expect(
      wa.profile.update({
        about: 'Fresh bread daily',
        description: 'A bakery',
        email: 'hi@bakery.test',
        websites: ['https://bakery.test'],
        vertical: 'RESTAURANT',
      }),
    ).resolves.toEqual({ success: true });
    expect(await wa.profile.get()).toEqual({
      messaging_product: 'whatsapp',
      about: 'Fresh bread daily',
      description: 'A bakery',
      email: 'hi@bakery.test',
      websites: ['https://bakery.test'],
      vertical: 'RESTAURANT',
    });
  });
});

describe('phoneNumbers', () => {
  it('requestCode → the code the sandbox "sent" → verifyCode; a wrong or reused code is 136025', async () => {
    expect(sandbox.verificationCode()).toBeUndefined();
    await wa.phoneNumbers.requestCode({ code_method: 'SMS', language: 'en_US' });
    const code = sandbox.verificationCode();
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await rejection(wa.phoneNumbers.verifyCode({ code: wrong }))).toMatchObject({
      code: 136025,
    });
    await expect(wa.phoneNumbers.verifyCode({ code: code as string })).resolves.toEqual({
      success: true,
    });
    expect(sandbox.verificationCode()).toBeUndefined();
    expect(await rejection(wa.phoneNumbers.verifyCode({ code: code as string }))).toMatchObject({
      code: 136025,
    });
  });

  it('register / two-step PIN / deregister: 133005 for a wrong PIN, 133010 for sending from or deregistering an unregistered number', async () => {
    await wa.phoneNumbers.register({ pin: '123456', data_localization_region: 'DE' });
    await wa.phoneNumbers.setTwoStepPin({ pin: '246810' });
    const wrongPin = await rejection(wa.phoneNumbers.register({ pin: '123456' }));
    expect(wrongPin).toBeInstanceOf(WhatsAppApiError);
    expect(wrongPin).toMatchObject({ code: 133005, status: 400 });
    expect(await wa.phoneNumbers.get()).toMatchObject({
      status: 'CONNECTED',
      platform_type: 'CLOUD_API',
      quality_rating: 'GREEN',
      throughput: { level: 'STANDARD' },
    });

    await expect(wa.phoneNumbers.deregister()).resolves.toEqual({ success: true });
    expect(await wa.phoneNumbers.get()).toMatchObject({
      status: 'PENDING',
      platform_type: 'NOT_APPLICABLE',
    });
    expect(
      await rejection(wa.messages.sendText({ to: MAYA, text: { body: 'still there?' } })),
    ).toMatchObject({ code: 133010 });
    expect(await rejection(wa.phoneNumbers.deregister())).toMatchObject({ code: 133010 });

    await wa.phoneNumbers.register({ pin: '246810' });
    expect(await wa.phoneNumbers.get({ fields: 'status' })).toEqual({
      status: 'CONNECTED',
      id: sandbox.phoneNumberId,
    });
    // The PIN never shows on the chat page's traffic panel.
    expect(traffic('/register')?.request).toEqual({
      messaging_product: 'whatsapp',
      pin: '[redacted]',
    });
  });

  it('display name request → PENDING_REVIEW; settings keep calling and storage side by side; webhook override', async () => {
    expect(await wa.phoneNumbers.displayNameStatus()).toMatchObject({
      name_status: 'APPROVED',
      new_name_status: 'NONE',
    });
    await wa.phoneNumbers.requestDisplayName({ new_display_name: 'Bakery Two' });
    expect(await wa.phoneNumbers.displayNameStatus()).toEqual({
      id: sandbox.phoneNumberId,
      verified_name: 'Sandbox Business',
      name_status: 'APPROVED',
      new_display_name: 'Bakery Two',
      new_name_status: 'PENDING_REVIEW',
    });

    const storage = { status: 'in_country_storage_enabled', data_localization_region: 'DE' };
    await wa.phoneNumbers.updateSettings({ settings: { storage_configuration: storage } });
    await wa.phoneNumbers.updateSettings({ settings: { calling: { status: 'DISABLED' } } });
    expect(await wa.phoneNumbers.settings()).toMatchObject({
      storage_configuration: storage,
      calling: { status: 'DISABLED', call_icon_visibility: 'DEFAULT' },
    });
    await wa.phoneNumbers.updateSettings({ settings: { calling: { status: 'ENABLED' } } });

    // Meta verifies a new override URL first; the sandbox calls no foreign host, so this one fails
    // verification (webhook-overrides.e2e-spec.ts covers overrides that take effect).
    await expect(
      wa.phoneNumbers.setWebhookOverride({
        override_callback_uri: 'https://tenant.example/webhook',
        verify_token: 'vt',
      }),
    ).rejects.toMatchObject({ code: 2200 });
    await expect(wa.phoneNumbers.removeWebhookOverride()).resolves.toEqual({ success: true });
  });

  it('conversational automation and commerce settings read back what was set', async () => {
    const automation = {
      enable_welcome_message: true,
      commands: [{ command_name: 'menu', command_description: 'Show the menu' }],
      prompts: ['Opening hours?', 'Order bread'],
    };
    await wa.phoneNumbers.setConversationalAutomation(automation);
    expect(await wa.phoneNumbers.conversationalAutomation()).toEqual(automation);
    await wa.phoneNumbers.updateCommerceSettings({
      is_cart_enabled: true,
      is_catalog_visible: false,
    });
    expect(await wa.phoneNumbers.commerceSettings()).toMatchObject({
      is_cart_enabled: true,
      is_catalog_visible: false,
    });
  });

  it("another token on the number is Meta's 190", async () => {
    expect(await rejection(wa.phoneNumbers.get({ accessToken: 'someone-else' }))).toMatchObject({
      code: 190,
      status: 401,
    });
  });
});

describe('qrCodes', () => {
  it("create (PNG), list, get, update, delete; an unknown code is Meta's 100/33", async () => {
    const qr = await wa.qrCodes.create({ prefilled_message: 'Hi!', generate_qr_image: 'PNG' });
    expect(qr).toMatchObject({
      prefilled_message: 'Hi!',
      deep_link_url: `https://wa.me/message/${qr.code}`,
    });
    expect(qr.qr_image_url).toMatch(/\.png$/);
    await wa.qrCodes.create({ prefilled_message: 'Second' });
    const all: string[] = [];
    for await (const item of wa.qrCodes.listAll({ limit: 1 })) all.push(item.prefilled_message);
    expect(all).toEqual(['Hi!', 'Second']);
    await wa.qrCodes.update(qr.code, { prefilled_message: 'Hello again' });
    expect(await wa.qrCodes.get(qr.code)).toMatchObject({ prefilled_message: 'Hello again' });
    await expect(wa.qrCodes.delete(qr.code)).resolves.toEqual({ success: true });
    expect(await rejection(wa.qrCodes.get(qr.code))).toMatchObject({ code: 100, subcode: 33 });
    expect(
      await rejection(wa.qrCodes.update('NOSUCHCODE', { prefilled_message: 'x' })),
    ).toMatchObject({ code: 100, subcode: 33 });
  });
});

describe('blockedUsers', () => {
  it('blocks only users who wrote in 24 h; a blocked user cannot reach the app, nor the app the user', async () => {
    sandbox.userSends(MAYA, { type: 'text', body: 'hello' });
    await until(() => inbox.texts.some((t) => t.body === 'hello'));

    const result = await wa.blockedUsers.block({ users: [MAYA, `+${LEO}`] });
    expect(result.block_users.added_users).toEqual([{ input: MAYA, wa_id: MAYA }]);
    expect(result.block_users.failed_users).toEqual([
      {
        input: `+${LEO}`,
        wa_id: LEO,
        errors: [
          {
            message: 'Re-engagement required',
            code: 131047,
            error_data: { details: 'User has not messaged in the last 24 hours' },
          },
        ],
      },
    ]);
    expect(result.error).toMatchObject({ code: 139100 });
    expect(sandbox.blockedUsers()).toEqual([MAYA]);
    expect((await wa.blockedUsers.list()).data).toEqual([
      { messaging_product: 'whatsapp', wa_id: MAYA },
    ]);

    const refused = await rejection(wa.messages.sendText({ to: MAYA, text: { body: 'hi' } }));
    expect(refused).toMatchObject({ code: 131026, status: 400 });

    // Maya's message stays on her side; Leo's, sent after it, arrives alone.
    sandbox.userSends(MAYA, { type: 'text', body: 'let me in' });
    sandbox.userSends(LEO, { type: 'text', body: 'from leo' });
    await until(() => inbox.texts.some((t) => t.body === 'from leo'));
    await sandbox.webhooksIdle();
    expect(inbox.texts.map((t) => t.body)).toEqual(['hello', 'from leo']);

    const removed = await wa.blockedUsers.unblock({ users: [MAYA] });
    expect(removed.block_users.removed_users).toEqual([{ input: MAYA, wa_id: MAYA }]);
    expect(sandbox.blockedUsers()).toEqual([]);
    await expect(
      wa.messages.sendText({ to: MAYA, text: { body: 'welcome back' } }),
    ).resolves.toMatchObject({ contacts: [{ wa_id: MAYA }] });
    sandbox.userSends(MAYA, { type: 'text', body: 'thanks' });
    await until(() => inbox.texts.some((t) => t.body === 'thanks'));
  });
});

describe('subscriptions', () => {
  it('WABA subscribed_apps: subscribe, a refused override, list, unsubscribe', async () => {
    await wa.subscriptions.subscribe();
    const subscribed = [
      {
        whatsapp_business_api_data: {
          id: sandbox.appId,
          link: `https://www.facebook.com/games/?app_id=${sandbox.appId}`,
          name: 'WhatsApp Sandbox',
        },
      },
    ];
    expect((await wa.subscriptions.list()).data).toEqual(subscribed);
    // An override URL the sandbox may not call fails Meta's verification; nothing changes.
    await expect(
      wa.subscriptions.subscribe({
        override_callback_uri: 'https://tenant.example/wa',
        verify_token: 'tenant-verify',
      }),
    ).rejects.toMatchObject({ code: 2200 });
    expect((await wa.subscriptions.list()).data).toEqual(subscribed);
    expect(traffic('/subscribed_apps')).toBeDefined();
    await wa.subscriptions.unsubscribe();
    expect((await wa.subscriptions.list()).data).toEqual([]);
  });

  it('app-level subscriptions take the app access token only', async () => {
    const input = {
      appId: sandbox.appId,
      callback_url: 'https://app.example/whatsapp/webhook',
      verify_token: 'app-verify',
      fields: ['messages'],
    };
    await expect(
      wa.subscriptions.subscribeAppWebhook({
        ...input,
        appAccessToken: `${sandbox.appId}|${SECRET}`,
      }),
    ).resolves.toEqual({ success: true });
    expect(
      await rejection(wa.subscriptions.subscribeAppWebhook({ ...input, appAccessToken: TOKEN })),
    ).toMatchObject({ code: 15 });
    expect(traffic('/subscriptions?')?.path).not.toContain('app-verify');
  });
});

describe('uploads (Resumable Upload API)', () => {
  it('session → bytes in two parts (resume from the offset) → handle, used as profile picture', async () => {
    const data = Buffer.from('%PDF-1.4 sandbox pdf bytes');
    const session = await wa.uploads.createSession({
      appId: sandbox.appId,
      file_name: 'menu.pdf',
      file_length: data.length,
      file_type: 'application/pdf',
    });
    expect(session.id).toMatch(/^upload:[^?]+\?sig=/);
    const first = await wa.uploads.upload(session.id, data.subarray(0, 5));
    expect(first).not.toHaveProperty('h');
    expect(await wa.uploads.getSession(session.id)).toEqual({
      id: session.id.split('?')[0],
      file_offset: 5,
    });
    const done = await wa.uploads.upload(session.id, data, { fileOffset: 5 });
    expect(done.h).toMatch(/^4::/);
    expect(
      await rejection(wa.uploads.upload(session.id, data, { accessToken: 'wrong-token' })),
    ).toMatchObject({ code: 190 });

    const picture = await wa.uploads.uploadFile({
      appId: sandbox.appId,
      file_name: 'logo.png',
      file_type: 'image/png',
      data: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    });
    await wa.profile.update({ profile_picture_handle: picture.h });
    // Meta keeps the handle to itself and answers the picture's URL.
    const profile = await wa.profile.get();
    expect(profile).toMatchObject({ profile_picture_url: expect.stringMatching(/^https:\/\//) });
    expect(profile).not.toHaveProperty('profile_picture_handle');
  });
});

describe('embeddedSignup', () => {
  it("exchanges a signup code for the business's token, inspects it, onboards the tenant", async () => {
    const code = sandbox.createSignupCode();
    const exchanged = await wa.embeddedSignup.exchangeCode({
      appId: sandbox.appId,
      appSecret: SECRET,
      code,
    });
    expect(exchanged).toEqual({ access_token: TOKEN, token_type: 'bearer' });
    // The app secret, the code and the token stay off the chat page's traffic panel.
    const shown = JSON.stringify(traffic('/oauth/access_token'));
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain(TOKEN);
    expect(
      await rejection(
        wa.embeddedSignup.exchangeCode({ appId: sandbox.appId, appSecret: SECRET, code }),
      ),
    ).toMatchObject({ code: 100, subcode: 36007 });
    expect(
      await rejection(
        wa.embeddedSignup.exchangeCode({
          appId: sandbox.appId,
          appSecret: 'not-the-secret',
          code: sandbox.createSignupCode(),
        }),
      ),
    ).toMatchObject({ code: 1 });

    const info = await wa.embeddedSignup.debugToken({ inputToken: TOKEN });
    expect(info).toMatchObject({
      app_id: sandbox.appId,
      is_valid: true,
      granular_scopes: [
        { scope: 'whatsapp_business_management', target_ids: [sandbox.businessAccountId] },
        { scope: 'whatsapp_business_messaging', target_ids: [sandbox.businessAccountId] },
      ],
    });
    expect(await wa.embeddedSignup.debugToken({ inputToken: 'EAAB-unknown' })).toMatchObject({
      is_valid: false,
    });

    const tenant = await wa.embeddedSignup.onboard({
      appId: sandbox.appId,
      appSecret: SECRET,
      code: sandbox.createSignupCode(),
      pin: '246810',
    });
    expect(tenant).toMatchObject({
      accessToken: TOKEN,
      businessAccountId: sandbox.businessAccountId,
      phoneNumberId: sandbox.phoneNumberId,
    });
    expect((await wa.subscriptions.list()).data).toHaveLength(1);
  });
});
