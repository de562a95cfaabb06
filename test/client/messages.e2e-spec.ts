import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../lib/package-info.js';
import {
  WhatsAppValidationError,
  type SendMessageInput,
  type WhatsAppService,
} from '../../lib/index.js';
import { FakeGraphApi } from '../../lib/testing/index.js';
import { API, PHONE_ID, TOKEN, createNestClient, type NestClient } from './client-test-helper.js';

let fake: FakeGraphApi;
let nest: NestClient;
let wa: WhatsAppService;

beforeAll(async () => {
  fake = await FakeGraphApi.start({ accessToken: TOKEN });
  nest = await createNestClient(fake);
  wa = nest.service;
});
afterAll(async () => {
  await nest.close();
  await fake.close();
});
beforeEach(() => fake.reset());

const TO = '+15551234567';
const WAMID = 'wamid.HBgLMTU1NTEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';

function onlyRequest() {
  expect(fake.requests).toHaveLength(1);
  const [req] = fake.requests;
  expect(req.method).toBe('POST');
  expect(req.path).toBe(`${API}/${PHONE_ID}/messages`);
  expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
  expect(req.headers['user-agent']).toBe(`${PACKAGE_NAME}/${PACKAGE_VERSION}`);
  expect(req.headers['content-type']).toBe('application/json');
  return req;
}

const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: TO };

describe('messages: one test per send, exact body on the wire', () => {
  it('sendText with preview_url, replyTo and biz_opaque_callback_data', async () => {
    const res = await wa.messages.sendText({
      to: TO,
      text: { body: 'Hello 👋 "é" a/b', preview_url: true },
      replyTo: WAMID,
      biz_opaque_callback_data: 'order-42',
    });
    expect(onlyRequest().json).toEqual({
      ...envelope,
      type: 'text',
      text: { body: 'Hello 👋 "é" a/b', preview_url: true },
      context: { message_id: WAMID },
      biz_opaque_callback_data: 'order-42',
    });
    expect(res.messaging_product).toBe('whatsapp');
    expect(res.contacts).toEqual([{ input: TO, wa_id: '15551234567' }]);
    expect(res.messages[0].id).toMatch(/^wamid\./);
  });

  it('sends to a BSUID with `recipient` instead of `to`', async () => {
    const res = await wa.messages.sendText({
      recipient: 'US.13491208655302741918',
      text: { body: 'hi' },
    });
    expect(onlyRequest().json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      recipient: 'US.13491208655302741918',
      type: 'text',
      text: { body: 'hi' },
    });
    expect(res.contacts[0]).toEqual({
      input: 'US.13491208655302741918',
      user_id: 'US.13491208655302741918',
    });
  });

  it('uses the phoneNumberId override in the URL', async () => {
    await wa.messages.sendText({ to: TO, text: { body: 'x' }, phoneNumberId: '999000111' });
    expect(fake.requests[0].path).toBe(`${API}/999000111/messages`);
    expect(fake.requests[0].json).not.toHaveProperty('phoneNumberId');
  });

  it('sendImage by id with a top-level caption moved into the image object', async () => {
    await wa.messages.sendImage({ to: TO, image: { id: '1234567890' }, caption: 'Look' });
    expect(onlyRequest().json).toEqual({
      ...envelope,
      type: 'image',
      image: { id: '1234567890', caption: 'Look' },
    });
  });

  it('sendImage by link with Meta-shaped caption', async () => {
    await wa.messages.sendImage({
      to: TO,
      image: { link: 'https://example.com/a.jpg', caption: 'c' },
    });
    expect(onlyRequest().json).toEqual({
      ...envelope,
      type: 'image',
      image: { link: 'https://example.com/a.jpg', caption: 'c' },
    });
  });

  it('sendAudio, sendSticker, sendVideo', async () => {
    await wa.messages.sendAudio({ to: TO, audio: { id: '111' } });
    await wa.messages.sendSticker({ to: TO, sticker: { link: 'https://example.com/s.webp' } });
    await wa.messages.sendVideo({ to: TO, video: { id: '222', caption: 'v' } });
    expect(fake.requests.map((r) => r.json)).toEqual([
      { ...envelope, type: 'audio', audio: { id: '111' } },
      { ...envelope, type: 'sticker', sticker: { link: 'https://example.com/s.webp' } },
      { ...envelope, type: 'video', video: { id: '222', caption: 'v' } },
    ]);
  });

  it('sendDocument with filename and caption', async () => {
    await wa.messages.sendDocument({
      to: TO,
      document: { id: '333' },
      filename: 'invoice.pdf',
      caption: 'Your invoice',
    });
    expect(onlyRequest().json).toEqual({
      ...envelope,
      type: 'document',
      document: { id: '333', filename: 'invoice.pdf', caption: 'Your invoice' },
    });
  });

  it('sendLocation', async () => {
    const location = {
      latitude: 37.758056,
      longitude: -122.425332,
      name: 'Mission',
      address: 'SF',
    };
    await wa.messages.sendLocation({ to: TO, location });
    expect(onlyRequest().json).toEqual({ ...envelope, type: 'location', location });
  });

  it('sendContacts', async () => {
    const contacts = [
      {
        name: { formatted_name: 'Ada Lovelace', first_name: 'Ada' },
        phones: [{ phone: '+441234567', type: 'CELL', wa_id: '441234567' }],
        emails: [{ email: 'ada@example.com', type: 'WORK' }],
        birthday: '1815-12-10',
      },
    ];
    await wa.messages.sendContacts({ to: TO, contacts });
    expect(onlyRequest().json).toEqual({ ...envelope, type: 'contacts', contacts });
  });

  it('sendReaction, and removal with an empty emoji', async () => {
    await wa.messages.sendReaction({ to: TO, reaction: { message_id: WAMID, emoji: '😀' } });
    await wa.messages.sendReaction({ to: TO, reaction: { message_id: WAMID, emoji: '' } });
    expect(fake.requests.map((r) => r.json)).toEqual([
      { ...envelope, type: 'reaction', reaction: { message_id: WAMID, emoji: '😀' } },
      { ...envelope, type: 'reaction', reaction: { message_id: WAMID, emoji: '' } },
    ]);
  });

  const interactives: Array<[string, SendMessageInput & { type: 'interactive' }]> = [
    [
      'button',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'Pick' },
          body: { text: 'Yes or no?' },
          footer: { text: 'f' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'yes', title: 'Yes' } },
              { type: 'reply', reply: { id: 'no', title: 'No' } },
            ],
          },
        },
      },
    ],
    [
      'list',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: 'Choose' },
          action: {
            button: 'Menu',
            sections: [{ title: 'S', rows: [{ id: 'r1', title: 'Row 1', description: 'd' }] }],
          },
        },
      },
    ],
    [
      'cta_url',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'cta_url',
          body: { text: 'Open' },
          action: {
            name: 'cta_url',
            parameters: { display_text: 'Go', url: 'https://example.com' },
          },
        },
      },
    ],
    [
      'flow',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'flow',
          body: { text: 'Sign up' },
          action: {
            name: 'flow',
            parameters: {
              flow_message_version: '3',
              flow_token: 'tok',
              flow_id: '1234',
              flow_cta: 'Start',
              flow_action: 'navigate',
              flow_action_payload: { screen: 'WELCOME', data: { a: 1 } },
            },
          },
        },
      },
    ],
    [
      'location_request_message',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'location_request_message',
          body: { text: 'Where are you?' },
          action: { name: 'send_location' },
        },
      },
    ],
    [
      'address_message',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'address_message',
          body: { text: 'Your address?' },
          action: { name: 'address_message', parameters: { country: 'IN', values: { name: 'A' } } },
        },
      },
    ],
    [
      'product',
      {
        to: TO,
        type: 'interactive',
        interactive: { type: 'product', action: { catalog_id: 'c1', product_retailer_id: 'sku1' } },
      },
    ],
    [
      'product_list',
      {
        to: TO,
        type: 'interactive',
        interactive: {
          type: 'product_list',
          header: { type: 'text', text: 'H' },
          body: { text: 'B' },
          action: {
            catalog_id: 'c1',
            sections: [{ title: 'T', product_items: [{ product_retailer_id: 'sku1' }] }],
          },
        },
      },
    ],
  ];
  it.each(interactives)('sendInteractive %s', async (_type, input) => {
    const { to, interactive } = input;
    await wa.messages.sendInteractive({ to: to as string, interactive });
    expect(onlyRequest().json).toEqual({ ...envelope, type: 'interactive', interactive });
  });

  it('sendTemplate with header/body/button parameters of every kind', async () => {
    const template = {
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        {
          type: 'header' as const,
          parameters: [{ type: 'image' as const, image: { link: 'https://example.com/h.png' } }],
        },
        {
          type: 'body' as const,
          parameters: [
            { type: 'text' as const, text: 'Ada', parameter_name: 'first_name' },
            {
              type: 'currency' as const,
              currency: { fallback_value: '$10', code: 'USD', amount_1000: 10000 },
            },
            { type: 'date_time' as const, date_time: { fallback_value: 'May 1' } },
          ],
        },
        {
          type: 'button' as const,
          sub_type: 'quick_reply' as const,
          index: '0',
          parameters: [{ type: 'payload' as const, payload: 'P' }],
        },
        {
          type: 'button' as const,
          sub_type: 'url' as const,
          index: '1',
          parameters: [{ type: 'text' as const, text: 'abc' }],
        },
        {
          type: 'button' as const,
          sub_type: 'copy_code' as const,
          index: 2,
          parameters: [{ type: 'coupon_code' as const, coupon_code: 'SAVE' }],
        },
        {
          type: 'button' as const,
          sub_type: 'flow' as const,
          index: '3',
          parameters: [{ type: 'action' as const, action: { flow_token: 'ft' } }],
        },
      ],
    };
    const res = await wa.messages.sendTemplate({ to: TO, template });
    expect(onlyRequest().json).toEqual({ ...envelope, type: 'template', template });
    expect(res.messages[0].message_status).toBe('accepted');
  });

  it('send(payload) passes any message in Meta shape', async () => {
    await wa.messages.send({ to: TO, type: 'text', text: { body: 'generic' }, replyTo: WAMID });
    expect(onlyRequest().json).toEqual({
      ...envelope,
      type: 'text',
      text: { body: 'generic' },
      context: { message_id: WAMID },
    });
    expect(fake.expectSent({ to: TO, type: 'text', text: { body: 'generic' } })).toBeDefined();
  });

  it('markAsRead, with and without the typing indicator', async () => {
    expect(await wa.messages.markAsRead({ messageId: WAMID })).toEqual({ success: true });
    await wa.messages.markAsRead({ messageId: WAMID, typingIndicator: true, phoneNumberId: '777' });
    expect(fake.requests.map((r) => [r.path, r.json])).toEqual([
      [
        `${API}/${PHONE_ID}/messages`,
        { messaging_product: 'whatsapp', status: 'read', message_id: WAMID },
      ],
      [
        `${API}/777/messages`,
        {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: WAMID,
          typing_indicator: { type: 'text' },
        },
      ],
    ]);
    expect(fake.sentMessages()).toEqual([]);
  });
});

describe('messages: invalid input throws a WhatsAppValidationError naming the field, and sends nothing', () => {
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['to', () => wa.messages.sendText({ to: 'not a phone', text: { body: 'x' } })],
    [
      'to',
      () => wa.messages.send({ type: 'text', text: { body: 'x' } } as unknown as SendMessageInput),
    ],
    ['recipient', () => wa.messages.sendText({ recipient: 'bad/../id', text: { body: 'x' } })],
    ['text.body', () => wa.messages.sendText({ to: TO, text: { body: '' } })],
    ['text.body', () => wa.messages.sendText({ to: TO, text: { body: 'x'.repeat(4097) } })],
    ['text', () => wa.messages.sendText({ to: TO } as never)],
    // An unknown `type` is no longer refused (open validation): see open-validation.e2e-spec.ts.
    ['type', () => wa.messages.send({ to: TO, type: 7 } as unknown as SendMessageInput)],
    [
      'image',
      () => wa.messages.sendImage({ to: TO, image: { id: '1', link: 'https://x' } as never }),
    ],
    ['image.link', () => wa.messages.sendImage({ to: TO, image: { link: 'ftp://x' } })],
    [
      'audio.caption',
      () => wa.messages.sendAudio({ to: TO, audio: { id: '1', caption: 'no' } as never }),
    ],
    [
      'document.caption',
      () => wa.messages.sendDocument({ to: TO, document: { id: '1', caption: 'x'.repeat(1025) } }),
    ],
    [
      'location.latitude',
      () => wa.messages.sendLocation({ to: TO, location: { latitude: 91, longitude: 0 } }),
    ],
    ['contacts', () => wa.messages.sendContacts({ to: TO, contacts: [] })],
    [
      'contacts[0].name.formatted_name',
      () => wa.messages.sendContacts({ to: TO, contacts: [{ name: {} }] as never }),
    ],
    [
      'reaction.message_id',
      () => wa.messages.sendReaction({ to: TO, reaction: { message_id: '', emoji: '😀' } }),
    ],
    [
      'replyTo',
      () =>
        wa.messages.sendReaction({
          to: TO,
          reaction: { message_id: WAMID, emoji: '😀' },
          replyTo: WAMID,
        } as never),
    ],
    [
      'interactive.action.buttons',
      () =>
        wa.messages.sendInteractive({
          to: TO,
          interactive: {
            type: 'button',
            body: { text: 'b' },
            action: {
              buttons: [1, 2, 3, 4].map((i) => ({
                type: 'reply' as const,
                reply: { id: `${i}`, title: `${i}` },
              })),
            },
          },
        }),
    ],
    [
      'interactive.action.buttons[0].reply.title',
      () =>
        wa.messages.sendInteractive({
          to: TO,
          interactive: {
            type: 'button',
            body: { text: 'b' },
            action: { buttons: [{ type: 'reply', reply: { id: '1', title: 'x'.repeat(21) } }] },
          },
        }),
    ],
    [
      'interactive.action.sections',
      () =>
        wa.messages.sendInteractive({
          to: TO,
          interactive: {
            type: 'list',
            body: { text: 'b' },
            action: {
              button: 'M',
              sections: [0, 1].map((s) => ({
                title: `s${s}`,
                rows: Array.from({ length: 6 }, (_, i) => ({ id: `${s}${i}`, title: 't' })),
              })),
            },
          },
        }),
    ],
    [
      'template.language.code',
      () => wa.messages.sendTemplate({ to: TO, template: { name: 'x', language: { code: '' } } }),
    ],
    [
      'biz_opaque_callback_data',
      () =>
        wa.messages.sendText({
          to: TO,
          text: { body: 'x' },
          biz_opaque_callback_data: 'x'.repeat(513),
        }),
    ],
    [
      'phoneNumberId',
      () => wa.messages.sendText({ to: TO, text: { body: 'x' }, phoneNumberId: '../../me' }),
    ],
    [
      'phoneNumberId',
      () => wa.messages.sendText({ to: TO, text: { body: 'x' }, phoneNumberId: '123?fields=x' }),
    ],
    [
      'phoneNumberId',
      () => wa.messages.sendText({ to: TO, text: { body: 'x' }, phoneNumberId: '123%2F456' }),
    ],
    ['messageId', () => wa.messages.markAsRead({ messageId: '' })],
  ];
  it.each(cases)('%s', async (field, call) => {
    const error = await call().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe(field);
    expect((error as Error).message).toContain(`"${field}"`);
    expect(fake.requests).toHaveLength(0);
  });
});
