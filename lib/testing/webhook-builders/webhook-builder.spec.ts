import { describe, expect, it } from '@jest/globals';
import { webhookFixture } from '../../../test/fixtures/webhook-fixtures.js';
import type { WebhookPayload } from '../../types/webhook/webhook-payload.js';
import { extractUpdates } from '../../webhook/2-parse/extract-updates.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { FAKE_IDS } from '../fake-graph/fake-graph-store.js';
import { toMetaJson } from './meta-json.js';
import { createWebhookBuilder, webhook } from './webhook-builder.js';

function updates(payload: WebhookPayload): WebhookUpdate[] {
  const result = extractUpdates(JSON.parse(toMetaJson(payload)));
  if (!result.ok) throw new Error(result.reason);
  expect(result.skipped).toEqual([]);
  return result.updates;
}

function onlyMessage(payload: WebhookPayload): Record<string, unknown> {
  const [update] = updates(payload);
  if (update.kind !== 'message') throw new Error(`expected a message, got ${update.kind}`);
  return update.message as unknown as Record<string, unknown>;
}

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const wb = createWebhookBuilder({
  phoneNumberId: '109283746501928',
  displayPhoneNumber: '15557771234',
  businessAccountId: '184736291047562',
  contact: { waId: '12025550147', name: 'Maya Ortiz' },
  now: () => T0,
});

describe('webhook builders', () => {
  it('build a text message in Meta exact envelope', () => {
    const payload = wb.text({ body: 'Hi! Do you have the blue one in size M?', id: 'wamid.X' });
    expect(payload).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '184736291047562',
          changes: [
            {
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '15557771234',
                  phone_number_id: '109283746501928',
                },
                contacts: [{ profile: { name: 'Maya Ortiz' }, wa_id: '12025550147' }],
                messages: [
                  {
                    from: '12025550147',
                    id: 'wamid.X',
                    timestamp: String(T0 / 1000),
                    type: 'text',
                    text: { body: 'Hi! Do you have the blue one in size M?' },
                  },
                ],
              },
              field: 'messages',
            },
          ],
        },
      ],
    });
    expect(updates(payload)).toEqual([
      {
        kind: 'message',
        key: 'm:wamid.X',
        origin: {
          businessAccountId: '184736291047562',
          field: 'messages',
          phoneNumberId: '109283746501928',
          displayPhoneNumber: '15557771234',
        },
        message: expect.objectContaining({ id: 'wamid.X', type: 'text' }),
        contact: { profile: { name: 'Maya Ortiz' }, wa_id: '12025550147' },
      },
    ]);
  });

  it('give every message a fresh wamid and a timestamp string', () => {
    const a = onlyMessage(webhook.text({ body: 'a' }));
    const b = onlyMessage(webhook.text({ body: 'b' }));
    expect(a.id).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(a.id).not.toBe(b.id);
    expect(a.timestamp).toMatch(/^\d{10}$/);
  });

  it('default to the testing kit fake ids', () => {
    const [update] = updates(webhook.text({ body: 'hi' }));
    expect(update.origin).toMatchObject({
      businessAccountId: FAKE_IDS.businessAccountId,
      phoneNumberId: FAKE_IDS.phoneNumberId,
    });
    expect(update).toMatchObject({
      message: { from: '15551234567' },
      contact: { wa_id: '15551234567' },
    });
  });

  it.each([
    [
      'image',
      () => wb.image({ caption: 'look' }),
      { image: { caption: 'look', mime_type: 'image/jpeg' } },
    ],
    [
      'audio',
      () => wb.audio({ voice: true }),
      { audio: { voice: true, mime_type: 'audio/ogg; codecs=opus' } },
    ],
    ['video', () => wb.video({ url: null }), { video: { mime_type: 'video/mp4' } }],
    ['document', () => wb.document({ filename: 'a.pdf' }), { document: { filename: 'a.pdf' } }],
    [
      'sticker',
      () => wb.sticker({ animated: true, mediaId: '77' }),
      { sticker: { animated: true, id: '77' } },
    ],
    [
      'location',
      () => wb.location({ latitude: 38.9, longitude: -77.03, name: 'Here' }),
      { location: { latitude: 38.9, longitude: -77.03, name: 'Here' } },
    ],
    [
      'contacts',
      () =>
        wb.contacts({
          contactCards: [{ name: { formatted_name: 'Ana' }, phones: [{ phone: '+1 202' }] }],
        }),
      { contacts: [{ name: { formatted_name: 'Ana' } }] },
    ],
    [
      'interactive',
      () => wb.buttonReply({ buttonId: 'yes', title: 'Yes', replyTo: 'wamid.OUT' }),
      {
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
        context: { from: '15557771234', id: 'wamid.OUT' },
      },
    ],
    [
      'interactive',
      () => wb.listReply({ rowId: 'r1', title: 'Row', description: 'd' }),
      {
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'r1', title: 'Row', description: 'd' },
        },
      },
    ],
    [
      'interactive',
      () => wb.flowReply({ response: { flow_token: 't', ok: true } }),
      {
        interactive: {
          type: 'nfm_reply',
          nfm_reply: { response_json: '{"flow_token":"t","ok":true}' },
        },
      },
    ],
    [
      'button',
      () => wb.button({ payload: 'STOP', text: 'Stop' }),
      { button: { payload: 'STOP', text: 'Stop' } },
    ],
    [
      'reaction',
      () => wb.reaction({ message_id: 'wamid.M', emoji: '👍' }),
      { reaction: { message_id: 'wamid.M', emoji: '👍' } },
    ],
    [
      'order',
      () =>
        wb.order({
          product_items: [
            { product_retailer_id: 'sku', quantity: 2, item_price: 9.5, currency: 'USD' },
          ],
        }),
      {
        order: {
          catalog_id: '733918274650012',
          product_items: [{ product_retailer_id: 'sku', quantity: 2 }],
        },
      },
    ],
    [
      'system',
      () => wb.system(),
      {
        system: {
          type: 'user_changed_number',
          wa_id: '15557654321',
          body: 'User Maya Ortiz changed from 12025550147 to 15557654321',
        },
      },
    ],
    [
      'text',
      () =>
        wb.referral({
          referral: { source_url: 'https://fb.me/x', source_id: '1', source_type: 'post' },
        }),
      { referral: { source_type: 'post', headline: 'Chat with us' } },
    ],
    [
      'unsupported',
      () => wb.unsupported(),
      { unsupported: { type: 'poll_creation' }, errors: [{ code: 131051 }] },
    ],
    ['request_welcome', () => wb.requestWelcome(), {}],
    [
      'hologram',
      () => wb.message('hologram', { hologram: { shape: 'cube' } }),
      { hologram: { shape: 'cube' } },
    ],
    [
      'text',
      () => wb.text({ body: 'fw', forwarded: 'frequently' }),
      { context: { forwarded: true, frequently_forwarded: true } },
    ],
  ])('build %s messages that parse into one message update', (type, make, expected) => {
    const message = onlyMessage(make());
    expect(message.type).toBe(type);
    expect(message).toMatchObject(expected);
  });

  it('build a reaction removal without an emoji', () => {
    expect(onlyMessage(wb.reaction({ message_id: 'wamid.M' })).reaction).toEqual({
      message_id: 'wamid.M',
    });
  });

  it('leave contacts out of system messages, as Meta does', () => {
    expect(wb.system().entry[0].changes[0].value).not.toHaveProperty('contacts');
  });

  it('build a username-only (BSUID) sender that the parser matches by user_id', () => {
    const [update] = updates(
      wb.text({
        body: 'hi',
        sender: { waId: null, userId: 'US.1', username: '@rin', name: 'Rin' },
      }),
    );
    expect(update).toMatchObject({
      message: { from_user_id: 'US.1' },
      contact: { user_id: 'US.1', profile: { name: 'Rin', username: '@rin' } },
    });
    expect(update.kind === 'message' && update.message.from).toBeUndefined();
    expect(update.kind === 'message' && update.contact).not.toHaveProperty('wa_id');
  });

  it('build statuses keyed by id and status, with defaults and overrides', () => {
    const [delivered] = updates(
      wb.status('delivered', { id: 'wamid.OUT', biz_opaque_callback_data: 'x' }),
    );
    expect(delivered).toMatchObject({
      kind: 'status',
      key: 's:wamid.OUT:delivered',
      status: {
        id: 'wamid.OUT',
        status: 'delivered',
        recipient_id: '12025550147',
        timestamp: String(T0 / 1000),
        biz_opaque_callback_data: 'x',
      },
    });
    const [failed] = updates(wb.status('failed'));
    expect(failed).toMatchObject({ status: { errors: [{ code: 131026 }] } });
    const [read] = updates(wb.status('read', { recipient: { waId: null, userId: 'US.9' } }));
    expect(read.kind === 'status' && read.status).toMatchObject({ recipient_user_id: 'US.9' });
    expect(read.kind === 'status' && read.status).not.toHaveProperty('recipient_id');
  });

  it('build events of any field with entry time', () => {
    const payload = wb.event('message_template_status_update', {
      event: 'APPROVED',
      message_template_id: 1,
      message_template_name: 'hello',
      message_template_language: 'en_US',
      reason: 'NONE',
    });
    expect(payload.entry[0].time).toBe(T0 / 1000);
    const [update] = updates(payload);
    expect(update).toMatchObject({
      kind: 'event',
      origin: { field: 'message_template_status_update', businessAccountId: '184736291047562' },
      value: { event: 'APPROVED' },
    });
    expect(updates(wb.event('future_field', { any: 1 }))[0]).toMatchObject({
      kind: 'event',
      value: { any: 1 },
    });
  });

  it('batch payloads into one envelope in order, merging consecutive entries of one account', () => {
    const other = createWebhookBuilder({ businessAccountId: '999', phoneNumberId: '555' });
    const batch = wb.batch(
      wb.text({ body: '1' }),
      wb.status('sent', { id: 'wamid.S' }),
      other.text({ body: '2' }),
      wb.reaction({ message_id: 'wamid.S', emoji: '❤' }),
      wb.event('account_review_update', { decision: 'APPROVED' }),
    );
    expect(batch.entry.map((e) => [e.id, e.changes.length])).toEqual([
      ['184736291047562', 2],
      ['999', 1],
      ['184736291047562', 1],
      ['184736291047562', 1],
    ]);
    expect(updates(batch).map((u) => `${u.kind}:${u.origin.businessAccountId}`)).toEqual([
      'message:184736291047562',
      'status:184736291047562',
      'message:999',
      'message:184736291047562',
      'event:184736291047562',
    ]);
  });

  it('batch 1000 updates that all parse', () => {
    const payloads = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? webhook.text({ body: `m${i}` }) : webhook.status('delivered'),
    );
    const all = updates(webhook.batch(...payloads));
    expect(all).toHaveLength(1000);
    expect(new Set(all.map((u) => u.key)).size).toBe(1000);
  });

  it('do not share objects between payloads', () => {
    const a = wb.text({ body: 'a' });
    const batch = wb.batch(a, wb.text({ body: 'b' }));
    batch.entry[0].changes.push({ field: 'x', value: {} });
    expect(a.entry[0].changes).toHaveLength(1);
  });
});

describe('webhook builders for 2026 shapes (equal to the fixtures written after Meta reference pages)', () => {
  const fixture = webhookFixture;
  const ORIGINAL = 'wamid.HBgLMTIwMjU1NTAxNDcVAgASGBRPUklHMDAwMDAwMDAwMDAwMDAwMQA=';

  it('edit: the new content under edit.message, with the original id', () => {
    const payload = wb.edit({
      id: 'wamid.HBgLMTIwMjU1NTAxNDcVAgASGBRFRElUMDAwMDAwMDAwMDAwMDAwMQA=',
      originalMessageId: ORIGINAL,
      message: {
        context: { id: 'wamid.HBgLMTIwMjU1NTAxNDcVAgARGBJDVFgwMDAwMDAwMDAwMDAwMQA=' },
        type: 'image',
        image: {
          caption: 'The blue one, size M',
          mime_type: 'image/jpeg',
          sha256: 'k8Vg9Wc2mQ0u6yB3rT1xZr7cN4pL5sE2aD9fH0jK1lM=',
          id: '1482659073316482',
          url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1482659073316482&source=webhook&ext=1767614700&hash=ARxEditHash',
        },
      },
    });
    expect(payload).toEqual(fixture('edit'));
    expect(onlyMessage(wb.edit({ originalMessageId: ORIGINAL, body: 'fixed typo' })).edit).toEqual({
      original_message_id: ORIGINAL,
      message: { type: 'text', text: { body: 'fixed typo' } },
    });
  });

  it('revoke and a group message (group_id)', () => {
    expect(
      wb.revoke({
        id: 'wamid.HBgLMTIwMjU1NTAxNDcVAgASGBRSRVZPS0UwMDAwMDAwMDAwMDAwMQA=',
        originalMessageId: ORIGINAL,
      }),
    ).toEqual(fixture('revoke'));
    expect(
      wb.text({
        id: 'wamid.HBgLMTIwMjU1NTAxNDcVAgASGBRHUk9VUDAwMDAwMDAwMDAwMDAwMQA=',
        body: 'Is the store open on Sunday?',
        groupId: 'Y2FwaV9ncm91cDoxNTU1Nzc3MTIzNDoxMjAzNjMzOTk5OTk5OTk5OTk=',
      }),
    ).toEqual(fixture('text-group'));
  });

  it('user_id_update, history (chunk and refusal) and smb_app_state_sync events', () => {
    expect(
      wb.userIdUpdate({
        previous: 'US.13491208655302741918',
        current: 'US.80213377419926514430',
      }),
    ).toEqual(fixture('user-id-update'));
    const history = fixture('history') as {
      entry: Array<{ changes: Array<{ value: { history: Array<{ threads: unknown[] }> } }> }>;
    };
    const [thread] = history.entry[0].changes[0].value.history[0].threads as Array<{
      messages: Array<Record<string, unknown>>;
    }>;
    expect(wb.history({ threads: [{ messages: thread.messages }] })).toEqual(history);
    expect(wb.history({ declined: true })).toEqual(fixture('history-declined'));
    expect(
      wb.smbAppStateSync({
        contacts: [
          { phone_number: '16505551234', full_name: 'Pablo Morales', first_name: 'Pablo' },
          { phone_number: '16505559876', full_name: 'Gone', action: 'remove' },
        ],
      }),
    ).toEqual(fixture('smb-app-state-sync'));
  });

  it('smb_message_echoes: from the business number to the user', () => {
    const payload = wb.messageEcho({ body: 'Sent from the Business app', id: 'wamid.E' });
    expect(payload.entry[0].changes[0]).toEqual({
      field: 'smb_message_echoes',
      value: {
        messaging_product: 'whatsapp',
        metadata: { display_phone_number: '15557771234', phone_number_id: '109283746501928' },
        message_echoes: [
          {
            from: '15557771234',
            to: '12025550147',
            id: 'wamid.E',
            timestamp: String(T0 / 1000),
            type: 'text',
            text: { body: 'Sent from the Business app' },
          },
        ],
      },
    });
  });

  it('every new builder parses into the update the router expects', () => {
    const shapes = updates(
      wb.batch(
        wb.edit({ originalMessageId: ORIGINAL, body: 'x' }),
        wb.revoke({ originalMessageId: ORIGINAL }),
        wb.text({ body: 'hi', groupId: 'G1' }),
        wb.messageEcho({ body: 'echo' }),
        wb.userIdUpdate({ previous: 'US.1', current: 'US.2' }),
        wb.history({ declined: true }),
        wb.smbAppStateSync({ contacts: [{ phone_number: '1' }] }),
      ),
    ).map((u) =>
      u.kind === 'message' ? `message:${String(u.message.type)}` : `${u.kind}:${u.origin.field}`,
    );
    expect(shapes).toEqual([
      'message:edit',
      'message:revoke',
      'message:text',
      'event:smb_message_echoes',
      'event:user_id_update',
      'event:history',
      'event:smb_app_state_sync',
    ]);
  });
});
