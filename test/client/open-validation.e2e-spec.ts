import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { WhatsAppValidationError, type OpenMessage } from '../../lib/index.js';
import { PHONE_ID } from './client-test-helper.js';
import { META_DOC_BODIES, type DocBody } from './fixtures/meta-doc-bodies.js';
import { TYPED_HELPER_CALLS } from './fixtures/typed-helper-calls.js';
import { useScriptedGraph } from './support/use-scripted-graph.js';

// Open validation: what the client knows it checks; what it does not know (a type, sub-type,
// component, button or field Meta added) it sends unchanged, and Meta answers its own error.
// Bodies are compared as the bytes the loopback Graph received.

const env = useScriptedGraph();

/** The input of `send()` for a documented body: the body minus the two constant envelope fields. */
function inputOf(body: DocBody): OpenMessage & { to?: string; recipient?: string } {
  const { messaging_product: _p, recipient_type: _r, ...input } = body;
  return input as OpenMessage;
}

describe("Meta's documented bodies reach Graph byte-identical", () => {
  it.each(META_DOC_BODIES)('send(): %s', async (_what, body) => {
    const input = inputOf(body);
    const res = await env.wa.messages.send({ ...input, to: input.to as string });
    expect(res.messages[0].id).toMatch(/^wamid\./);
    expect(env.graph.requests).toHaveLength(1);
    expect(env.graph.requests[0].method).toBe('POST');
    expect(env.graph.requests[0].path).toBe(`/v26.0/${PHONE_ID}/messages`);
    expect(env.graph.requests[0].body).toBe(JSON.stringify(body));
  });

  // The typed helpers take the same bodies without a cast (test/client/fixtures/typed-helper-calls.ts).
  const documented = new Map(META_DOC_BODIES);
  it.each(TYPED_HELPER_CALLS)('typed helper: %s', async (label, send) => {
    const body = documented.get(label);
    expect(body).toBeDefined();
    await send(env.wa);
    expect(env.graph.requests.map((r) => r.body)).toEqual([JSON.stringify(body)]);
  });

  it('every documented interactive and template body has a typed helper call', () => {
    const typed = new Set(TYPED_HELPER_CALLS.map(([label]) => label));
    const untyped = META_DOC_BODIES.filter(
      ([label, b]) => ['interactive', 'template'].includes(b.type as string) && !typed.has(label),
    ).map(([label]) => label);
    // Only the invented type has no type of its own: it goes through send() as an OpenMessage.
    expect(untyped).toEqual(['a type from the future: interactive holo_card']);
  });

  it('an invented interactive type (holo_card) reaches the wire unchanged, unknown fields included', async () => {
    await env.wa.messages.send({
      to: '15551234567',
      type: 'interactive',
      interactive: { type: 'holo_card', body: { text: 'Spin me' }, hologram: { depth: 3 } },
      replyTo: 'wamid.X',
    } as OpenMessage & { to: string; replyTo: string });
    expect(JSON.parse(env.graph.requests[0].body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551234567',
      type: 'interactive',
      interactive: { type: 'holo_card', body: { text: 'Spin me' }, hologram: { depth: 3 } },
      context: { message_id: 'wamid.X' },
    });
  });

  it("Meta's answer to a shape it refuses becomes a WhatsAppApiError, as for any send", async () => {
    env.graph.script({
      kind: 'refuse',
      status: 400,
      body: JSON.stringify({
        error: {
          message: '(#100) Invalid parameter',
          type: 'OAuthException',
          code: 100,
          fbtrace_id: 'T',
        },
      }),
    });
    const error = await env.wa.messages
      .send({
        to: '15551234567',
        type: 'interactive',
        interactive: { type: 'holo_card' },
      } as OpenMessage & { to: string })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'WhatsAppApiError', status: 400, code: 100 });
  });
});

describe('types: known shapes are precise, any other type is open (compile-time checks)', () => {
  it('compiles', () => {
    // No cast, no @ts-expect-error: an unknown type with any fields.
    const future = () =>
      env.wa.messages.send({ to: '15551234567', type: 'holo_card', holo_card: { depth: 3 } });
    // A message built elsewhere, typed as OpenMessage (the escape hatch for unknown sub-types).
    const built: OpenMessage = {
      type: 'interactive',
      interactive: { type: 'holo_card', hologram: { depth: 3 } },
    };
    const fromBuilt = () => env.wa.messages.send({ ...built, to: '15551234567' });
    // Known types stay precise: a wrong field of a known shape is a compile error.
    const wrong = () =>
      // @ts-expect-error text.body must be a string
      env.wa.messages.send({ to: '15551234567', type: 'text', text: { body: 1 } });
    // @ts-expect-error the content field of a known type is required
    const missing = () => env.wa.messages.send({ to: '15551234567', type: 'image' });
    expect([future, fromBuilt, wrong, missing].every((f) => typeof f === 'function')).toBe(true);
  });
});

describe('invalid KNOWN shapes still throw a WhatsAppValidationError naming the field, and send nothing', () => {
  const TO = '15551234567';
  const interactive = (i: Record<string, unknown>) => ({
    to: TO,
    type: 'interactive',
    interactive: i,
  });
  const template = (components: unknown[]) => ({
    to: TO,
    type: 'template',
    template: { name: 'x', language: { code: 'en_US' }, components },
  });
  const productCard = (i: number) => ({
    card_index: i,
    type: 'product',
    action: { product_retailer_id: `p${i}`, catalog_id: '1' },
  });
  const mediaCard = (i: number) => ({
    card_index: i,
    type: 'cta_url',
    header: { type: 'image', image: { link: 'https://example.com/a.png' } },
    action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'https://example.com' } },
  });
  const cases: Array<[string, OpenMessage]> = [
    ['type', { to: TO, type: 42 } as unknown as OpenMessage],
    ['text.body', { to: TO, type: 'text', text: {} }],
    ['image', { to: TO, type: 'image', image: { id: '1', link: 'https://x' } }],
    ['interactive', { to: TO, type: 'interactive', interactive: 'button' }],
    ['interactive.type', interactive({ body: { text: 'x' } })],
    [
      'interactive.action.buttons[0].reply.title',
      interactive({
        type: 'button',
        body: { text: 'x' },
        action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
      }),
    ],
    [
      'interactive.header.text',
      interactive({
        type: 'button',
        header: { type: 'text' },
        body: { text: 'x' },
        action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] },
      }),
    ],
    [
      'interactive.header.image',
      interactive({
        type: 'cta_url',
        header: { type: 'image', image: { id: '1', link: 'https://x' } },
        body: { text: 'x' },
        action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'https://x' } },
      }),
    ],
    [
      'interactive.action.parameters.url',
      interactive({
        type: 'cta_url',
        body: { text: 'x' },
        action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'ftp://x' } },
      }),
    ],
    [
      'interactive.action.parameters.flow_id',
      interactive({
        type: 'flow',
        body: { text: 'x' },
        action: { name: 'flow', parameters: { flow_message_version: '3', flow_cta: 'Go' } },
      }),
    ],
    [
      'interactive.action.parameters.country',
      interactive({
        type: 'address_message',
        body: { text: 'x' },
        action: { name: 'address_message', parameters: { country: 'India' } },
      }),
    ],
    [
      'interactive.action.name',
      interactive({
        type: 'location_request_message',
        body: { text: 'x' },
        action: { name: 'go' },
      }),
    ],
    [
      'interactive.action.sections',
      interactive({
        type: 'product_list',
        header: { type: 'text', text: 'h' },
        body: { text: 'x' },
        action: { catalog_id: '1', sections: [] },
      }),
    ],
    ['interactive.body', interactive({ type: 'list', action: { button: 'b', sections: [] } })],
    ['template.name', { to: TO, type: 'template', template: { language: { code: 'en' } } }],
    [
      'template.components[0].index',
      template([{ type: 'button', sub_type: 'url', parameters: [] }]),
    ],
    ['template.components[0].parameters', template([{ type: 'body' }])],
    [
      'template.components[1].parameters[0].type',
      template([{ type: 'holo_strip' }, { type: 'body', parameters: [{}] }]),
    ],
    // The 2026 shapes this library now knows keep their field-naming errors too.
    [
      'interactive.action.cards',
      interactive({ type: 'carousel', body: { text: 'x' }, action: {} }),
    ],
    [
      'interactive.action.cards[1].card_index',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: { cards: [productCard(0), { ...productCard(1), card_index: '1' }] },
      }),
    ],
    [
      'interactive.action.cards[0].action.catalog_id',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: {
          cards: [{ card_index: 0, type: 'product', action: { product_retailer_id: 'a' } }],
        },
      }),
    ],
    [
      'interactive.action.cards[0].header.image',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: { cards: [{ ...mediaCard(0), header: { type: 'image', image: {} } }] },
      }),
    ],
    [
      'interactive.action.cards[0].action.parameters.url',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: {
          cards: [
            {
              ...mediaCard(0),
              action: { name: 'cta_url', parameters: { display_text: 'Go', link: 'https://x' } },
            },
          ],
        },
      }),
    ],
    [
      'interactive.action.cards[0].action.buttons[0].quick_reply',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: {
          cards: [
            { ...mediaCard(0), type: 'button', action: { buttons: [{ type: 'quick_reply' }] } },
          ],
        },
      }),
    ],
    [
      'interactive.action.name',
      interactive({
        type: 'request_contact_info',
        body: { text: 'x' },
        action: { name: 'share_phone' },
      }),
    ],
    [
      'interactive.body',
      interactive({ type: 'catalog_message', action: { name: 'catalog_message' } }),
    ],
    [
      'interactive.action.parameters.reference_id',
      interactive({
        type: 'order_details',
        body: { text: 'x' },
        action: { name: 'review_and_pay', parameters: { referenceId: 'o-1' } },
      }),
    ],
    [
      'interactive.action.parameters.total_amount.value',
      interactive({
        type: 'order_details',
        body: { text: 'x' },
        action: {
          name: 'review_and_pay',
          parameters: {
            reference_id: 'o-1',
            type: 'digital-goods',
            currency: 'INR',
            total_amount: { value: '210.00', offset: 100 },
          },
        },
      }),
    ],
    [
      'interactive.action.parameters.order.status',
      interactive({
        type: 'order_status',
        body: { text: 'x' },
        action: { name: 'review_order', parameters: { reference_id: 'o-1', order: {} } },
      }),
    ],
    [
      'template.components[0].cards[0].card_index',
      template([{ type: 'carousel', cards: [{ components: [] }] }]),
    ],
    [
      'template.components[0].cards[0].components[0].parameters',
      template([
        { type: 'carousel', cards: [{ card_index: 0, components: [{ type: 'header' }] }] },
      ]),
    ],
    ['template.components[0].parameters', template([{ type: 'limited_time_offer' }])],
  ];

  it.each(cases)('%s', async (field, input) => {
    const error = await env.wa.messages
      .send(input as OpenMessage & { to: string })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe(field);
    expect(env.graph.requests).toHaveLength(0);
  });

  const passes: Array<[string, OpenMessage]> = [
    [
      'a newer card type in a carousel',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: { cards: [{ card_index: 0, type: 'holo', holo: { depth: 1 } }, productCard(1)] },
      }),
    ],
    [
      'a newer header type on a media card',
      interactive({
        type: 'carousel',
        body: { text: 'x' },
        action: {
          cards: [{ ...mediaCard(0), header: { type: 'gif', gif: { link: 'https://x' } } }],
        },
      }),
    ],
    [
      'voice_call and call_permission_request without a body or parameters',
      interactive({ type: 'voice_call', action: { name: 'voice_call' } }),
    ],
    [
      'order_details with fields of another market (payment_settings, a newer field)',
      interactive({
        type: 'order_details',
        body: { text: 'x' },
        action: {
          name: 'review_and_pay',
          parameters: {
            reference_id: 'o-1',
            type: 'digital-goods',
            payment_type: 'br',
            payment_settings: [{ type: 'pix_dynamic_code', pix_dynamic_code: { code: '0002' } }],
            currency: 'BRL',
            total_amount: { value: 50000, offset: 100 },
            installments: { max: 3 },
          },
        },
      }),
    ],
    [
      'a newer component inside a carousel card',
      template([
        {
          type: 'carousel',
          cards: [{ card_index: 0, components: [{ type: 'sticker_strip', frames: 3 }] }],
        },
      ]),
    ],
  ];

  it.each(passes)('passes unchanged: %s', async (_what, input) => {
    await env.wa.messages.send(input as OpenMessage & { to: string });
    const { to, type, ...content } = input;
    expect(JSON.parse(env.graph.requests[0].body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type,
      ...content,
    });
  });
});
