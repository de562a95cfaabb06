import { describe, expect, it } from '@jest/globals';
import { keyShape } from '../../../test/fixtures/key-shape.js';
import { webhookFixture } from '../../../test/fixtures/webhook-fixtures.js';
import type { WebhookPayload } from '../../types/webhook/webhook-payload.js';
import { createWebhookBuilder } from './webhook-builder.js';

const wb = createWebhookBuilder({
  phoneNumberId: '109283746501928',
  displayPhoneNumber: '15557771234',
  businessAccountId: '184736291047562',
  contact: { waId: '12025550147', name: 'Maya Ortiz' },
});

/** The first contact card of the `contacts` fixture, to build the same message. */
function contactCards(): Parameters<typeof wb.contacts>[0]['contactCards'] {
  const fixture = webhookFixture('contacts') as WebhookPayload;
  const value = fixture.entry[0].changes[0].value as { messages: Array<{ contacts: never[] }> };
  return value.messages[0].contacts;
}

/**
 * Each builder, called the way a test would for that case, against the fixture written after
 * Meta's reference payload (test/fixtures/webhooks, most of them copies of the shared reference
 * set): the same keys at every level, with the same JSON types. Values (ids, texts, times) differ.
 */
const CASES: Array<[fixture: string, build: () => WebhookPayload]> = [
  ['text', () => wb.text({ body: 'hi' })],
  ['text-reply', () => wb.text({ body: 'yes', replyTo: wb.wamid() })],
  ['text-forwarded', () => wb.text({ body: 'look', forwarded: true })],
  ['text-frequently-forwarded', () => wb.text({ body: 'look', forwarded: 'frequently' })],
  ['text-bsuid', () => wb.text({ body: 'hi', sender: { userId: 'US.1' } })],
  ['image', () => wb.image({ caption: 'this one' })],
  ['image-no-url', () => wb.image({ url: null })],
  ['audio-voice', () => wb.audio({ voice: true })],
  ['video', () => wb.video({ caption: 'unboxing' })],
  ['document', () => wb.document({ caption: 'invoice', filename: 'invoice.pdf' })],
  ['sticker', () => wb.sticker()],
  [
    'location',
    () => wb.location({ latitude: 1.5, longitude: 2.5, name: 'n', address: 'a', url: 'https://x' }),
  ],
  ['contacts', () => wb.contacts({ contactCards: contactCards() })],
  ['interactive-button-reply', () => wb.buttonReply({ buttonId: 'confirm', title: 'Confirm' })],
  [
    'interactive-list-reply',
    () => wb.listReply({ rowId: 'express', title: 'Express', description: 'Next day' }),
  ],
  ['interactive-nfm-reply', () => wb.flowReply({ response: { flow_token: 't' } })],
  ['button', () => wb.button({ payload: 'STOP', text: 'Stop promotions' })],
  ['reaction', () => wb.reaction({ message_id: wb.wamid(), emoji: '👍' })],
  ['reaction-removed', () => wb.reaction({ message_id: wb.wamid() })],
  [
    'order',
    () =>
      wb.order({
        text: 'gift wrap',
        product_items: [
          { product_retailer_id: 'sku', quantity: 2, item_price: 19.99, currency: 'USD' },
        ],
      }),
  ],
  ['referral', () => wb.referral()],
  ['unsupported', () => wb.unsupported()],
  ['system-user-changed-number', () => wb.system()],
  ['request-welcome', () => wb.requestWelcome()],
  [
    'status-sent',
    () =>
      wb.status('sent', {
        conversation: { id: 'c', expiration_timestamp: '1767698960', origin: { type: 'utility' } },
      }),
  ],
  [
    'status-delivered',
    () => wb.status('delivered', { conversation: { id: 'c', origin: { type: 'utility' } } }),
  ],
  ['status-read', () => wb.status('read')],
  ['status-played', () => wb.status('played')],
  ['status-failed', () => wb.status('failed')],
  ['status-failed-131026', () => wb.status('failed')],
  [
    'status-sent-biz-opaque-callback-data',
    () => wb.status('sent', { biz_opaque_callback_data: 'order:1' }),
  ],
  ['status-bsuid', () => wb.status('delivered', { recipient: { userId: 'US.1' } })],
];

describe('webhook builders have the key structure of Meta reference payloads', () => {
  it.each(CASES)('%s', (fixture, build) => {
    expect(keyShape(build())).toEqual(keyShape(webhookFixture(fixture)));
  });

  it('keyShape compares keys and JSON types, not values', () => {
    expect(keyShape({ b: [{ x: 1 }, { y: 2 }], a: 'x', c: null })).toEqual({
      a: 'string',
      b: [{ x: 'number' }],
      c: 'null',
    });
    expect(keyShape({ a: '1' })).not.toEqual(keyShape({ a: 1 }));
  });
});
