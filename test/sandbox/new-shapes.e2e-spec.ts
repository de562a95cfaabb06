import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WhatsAppService } from '../../lib/index.js';
import { resolveWhatsAppOptions } from '../../lib/options/resolve-options.js';
import { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { META_DOC_BODIES } from '../client/fixtures/meta-doc-bodies.js';
import { NEW_SHAPE_TEMPLATES } from './new-shape-templates.js';
import { call, userSays, type GraphErrorBody } from './sandbox-http.js';
import { startSandboxWithReceiver } from './sandbox-with-receiver.js';
import type { WebhookReceiver } from './webhook-receiver.js';

// The sandbox side of open validation (ISSUE11): Meta's documented bodies of every 2025–26 shape are
// accepted, types it does not know are accepted too, invalid known shapes keep Meta's codes, and the
// taps the sandbox can answer come back as Meta's webhooks.
const SECRET = 'shapes-secret';
const TOKEN = 'shapes-token';
const V = '/v26.0';
const PABLO = '15551234567';

describe('WhatsAppSandbox: the 2025–26 message shapes', () => {
  let sandbox: WhatsAppSandbox;
  let receiver: WebhookReceiver;
  let bsuid: string;
  const graph = <T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    json?: unknown,
  ) => call<T>(sandbox.baseUrl, method, `${V}/${path}`, { json, token: TOKEN });
  const send = (json: unknown) =>
    graph<GraphErrorBody & { messages: Array<{ id: string }> }>(
      'POST',
      `${sandbox.phoneNumberId}/messages`,
      json,
    );
  const tap = (json: unknown) =>
    call<{ id: string; error?: string }>(
      sandbox.baseUrl,
      'POST',
      `/sandbox/api/users/${PABLO}/messages`,
      {
        json,
      },
    );
  const messageTo = (type: string, content: unknown) => ({
    messaging_product: 'whatsapp',
    to: PABLO,
    type,
    [type]: content,
  });
  /** The webhook message the receiver got in answer to a user action. */
  const delivered = async (id: string) => {
    await receiver.waitFor(() => receiver.messages().some((m) => m.id === id));
    return receiver.messages().find((m) => m.id === id) as Record<string, unknown>;
  };

  beforeAll(async () => {
    ({ sandbox, receiver } = await startSandboxWithReceiver({
      appSecret: SECRET,
      accessToken: TOKEN,
      users: [{ wa_id: PABLO, name: 'Pablo Morales' }],
      templateReviewMs: 0,
      readAfterMs: false,
    }));
    bsuid = sandbox.store.users.get(PABLO)!.user_id;
    await userSays(sandbox.baseUrl, PABLO, 'hi');
  });
  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
  });

  it('creates carousel, limited-time offer, coupon, authentication and Template Library templates', async () => {
    for (const template of NEW_SHAPE_TEMPLATES) {
      const res = await graph('POST', `${sandbox.businessAccountId}/message_templates`, template);
      expect([template.name, res.status, res.json]).toEqual([
        template.name,
        200,
        expect.objectContaining({ status: 'PENDING' }),
      ]);
    }
    const library = await graph('POST', `${sandbox.businessAccountId}/message_templates`, {
      name: 'order_shipped_from_library',
      language: 'en_US',
      category: 'UTILITY',
      library_template_name: 'delivery_update_1',
    });
    expect(library.status).toBe(200);
    // templateReviewMs: 0 approves on the next tick; bounded wait.
    for (let i = 0; i < 100; i++) {
      if ([...sandbox.store.templates.values()].every((t) => t.status === 'APPROVED')) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect([...sandbox.store.templates.values()].map((t) => t.status)).not.toContain('PENDING');
  });

  it.each(META_DOC_BODIES)('accepts %s, as Meta does', async (_what, doc) => {
    // The documented BSUID belongs to nobody here: send to Pablo's.
    const body = doc.recipient === undefined ? doc : { ...doc, recipient: bsuid };
    const res = await send(body);
    expect([res.status, res.json.error]).toEqual([200, undefined]);
    const stored = sandbox.store.messages.get(res.json.messages[0]!.id)!;
    const type = body.type as string;
    expect(stored.payload).toEqual({ type, [type]: body[type] });
  });

  it('sends a contacts card (once refused: "contacts must be a JSON object")', async () => {
    const res = await send({
      messaging_product: 'whatsapp',
      to: PABLO,
      type: 'contacts',
      contacts: [{ name: { formatted_name: 'Ana Ruiz' }, phones: [{ phone: '+4915112345678' }] }],
    });
    expect([res.status, res.json.error]).toEqual([200, undefined]);
  });

  const carousel = (cards: unknown[]) =>
    messageTo('interactive', { type: 'carousel', body: { text: 'Pick' }, action: { cards } });
  const card = (i: number, url = 'https://shop.example/x') => ({
    card_index: i,
    type: 'cta_url',
    header: { type: 'image', image: { link: 'https://example.com/i.png' } },
    action: { name: 'cta_url', parameters: { display_text: 'Shop', url } },
  });
  it.each<[string, number, unknown, RegExp]>([
    ['a non-string type', 100, { ...messageTo('text', { body: 'x' }), type: 7 }, /type/],
    ['a carousel of one card', 131009, carousel([card(0)]), /cards.*at least 2/],
    [
      'a carousel of eleven cards',
      131009,
      carousel([...Array(11).keys()].map((i) => card(i))),
      /at most 10/,
    ],
    [
      'a carousel card with a javascript: URL',
      131009,
      carousel([card(0), card(1, 'javascript:alert(1)')]),
      /http\(s\) URL/,
    ],
    [
      'a carousel quick reply without an id',
      131008,
      carousel(
        [0, 1].map((i) => ({
          card_index: i,
          type: 'button',
          action: { buttons: [{ type: 'quick_reply', quick_reply: { title: 'Pick' } }] },
        })),
      ),
      /quick_reply'\]\['id'\] is required/,
    ],
    [
      'request_contact_info without a body',
      131008,
      messageTo('interactive', {
        type: 'request_contact_info',
        action: { name: 'request_contact_info' },
      }),
      /interactive\['body'\] is required/,
    ],
    [
      'call_permission_request with another action name',
      131009,
      messageTo('interactive', {
        type: 'call_permission_request',
        body: { text: 'May we call?' },
        action: { name: 'call_me' },
      }),
      /must be "call_permission_request"/,
    ],
    [
      'a flow without flow_cta',
      131008,
      messageTo('interactive', {
        type: 'flow',
        body: { text: 'Book' },
        action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '1' } },
      }),
      /flow_cta/,
    ],
    [
      'a template carousel card that does not exist',
      131009,
      messageTo('template', {
        name: 'carousel_template_product_cards_v1',
        language: { code: 'en_US' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'Pablo' }] },
          { type: 'carousel', cards: [{ card_index: 5, components: [] }] },
        ],
      }),
      /Card at index 5/,
    ],
  ])('refuses %s with Meta code %i', async (_what, code, body, details) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(code);
    expect(res.json.error.error_data?.details ?? res.json.error.message).toMatch(details);
  });

  it('a quick reply on a carousel card comes back as interactive.button_reply quoting the carousel', async () => {
    const sent = await send(META_DOC_BODIES.find(([w]) => w.includes('quick replies'))![1]);
    const carouselId = sent.json.messages[0]!.id;
    const res = await tap({
      type: 'button_reply',
      message_id: carouselId,
      id: 'pick-1',
      title: 'Pick',
    });
    expect(res.status).toBe(200);
    expect(await delivered(res.json.id)).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'pick-1', title: 'Pick' } },
      context: { id: carouselId },
    });
  });

  it('a quick reply on a template carousel card comes back as a `button` message with its payload', async () => {
    const sent = await send(META_DOC_BODIES.find(([w]) => w.includes('media card carousel'))![1]);
    const id = sent.json.messages[0]!.id;
    const res = await tap({
      type: 'button',
      message_id: id,
      payload: '59NqSd-1',
      text: 'Send more like this',
    });
    expect(await delivered(res.json.id)).toMatchObject({
      type: 'button',
      button: { payload: '59NqSd-1', text: 'Send more like this' },
      context: { id },
    });
  });

  it('"Share contact info" sends the user\'s card as a contacts message with origin contact_request', async () => {
    const sent = await send({
      ...META_DOC_BODIES.find(([w]) => w.startsWith('request_contact_info'))![1],
      recipient: bsuid,
    });
    const id = sent.json.messages[0]!.id;
    const res = await tap({ type: 'contact_info', message_id: id });
    expect(res.status).toBe(200);
    expect(await delivered(res.json.id)).toMatchObject({
      from: PABLO,
      from_user_id: bsuid,
      type: 'contacts',
      contacts: [
        {
          name: { formatted_name: 'Pablo Morales', first_name: 'Pablo', last_name: 'Morales' },
          phones: [{ phone: `+${PABLO}`, wa_id: PABLO, type: 'CELL' }],
          origin: 'contact_request',
        },
      ],
    });
    // Only a contact request can be answered that way.
    const refused = await tap({
      type: 'contact_info',
      message_id: sent.json.messages[0]!.id.replace(/.$/, 'x'),
    });
    expect(refused.status).toBe(400);
  });

  it('a call permission answer comes back as interactive.call_permission_reply', async () => {
    const sent = await send(META_DOC_BODIES.find(([w]) => w === 'call_permission_request')![1]);
    const id = sent.json.messages[0]!.id;
    const wrong = await tap({ type: 'contact_info', message_id: id });
    expect(wrong.status).toBe(400);
    const res = await tap({ type: 'call_permission_reply', message_id: id, response: 'accept' });
    const message = await delivered(res.json.id);
    expect(message).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'call_permission_reply',
        call_permission_reply: {
          response: 'accept',
          is_permanent: false,
          response_source: 'user_action',
          expiration_timestamp: expect.any(Number),
        },
      },
      context: { id },
    });
  });

  it('an address confirmation comes back as an nfm_reply named address_message', async () => {
    const sent = await send(META_DOC_BODIES.find(([w]) => w === 'address_message')![1]);
    const res = await tap({ type: 'address', message_id: sent.json.messages[0]!.id });
    const message = (await delivered(res.json.id)) as {
      interactive: { type: string; nfm_reply: { name: string; response_json: string } };
    };
    expect(message.interactive).toMatchObject({
      type: 'nfm_reply',
      nfm_reply: { name: 'address_message' },
    });
    expect(JSON.parse(message.interactive.nfm_reply.response_json)).toEqual({
      values: {
        name: 'CUSTOMER_NAME',
        phone_number: '+91xxxxxxxxxx',
        in_pin_code: '400063',
      },
    });
  });

  it('answers business.listAccounts through the real client', async () => {
    const client = new WhatsAppService(
      resolveWhatsAppOptions(
        { accessToken: TOKEN, baseUrl: sandbox.baseUrl, phoneNumberId: sandbox.phoneNumberId },
        false,
      ),
    );
    try {
      const owned = await client.business.listAccounts({ businessId: sandbox.businessId });
      expect(owned.data).toEqual([{ id: sandbox.businessAccountId, name: 'Sandbox Business' }]);
      const client2 = await client.business.listAccounts({
        businessId: sandbox.businessId,
        relation: 'client',
      });
      expect(client2.data).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
