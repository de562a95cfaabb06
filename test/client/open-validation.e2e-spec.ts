import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  WhatsAppValidationError,
  type OpenMessage,
  type SendInteractiveInput,
  type SendTemplateInput,
  type WhatsAppService,
} from '../../lib/index.js';
import { PHONE_ID } from './client-test-helper.js';
import { META_DOC_BODIES, type DocBody } from './fixtures/meta-doc-bodies.js';
import { ScriptedGraphServer } from './support/scripted-graph-server.js';

// Open validation: what the client knows it checks; what it does not know (a type, sub-type,
// component, button or field Meta added) it sends unchanged, and Meta answers its own error.
// Bodies are compared as the bytes the loopback Graph received.

let graph: ScriptedGraphServer;
let wa: WhatsAppService;

beforeAll(async () => {
  graph = await ScriptedGraphServer.start();
  wa = graph.client();
});
afterAll(async () => {
  await wa.close();
  await graph.close();
});
beforeEach(() => graph.reset());

/** The input of `send()` for a documented body: the body minus the two constant envelope fields. */
function inputOf(body: DocBody): OpenMessage & { to?: string; recipient?: string } {
  const { messaging_product: _p, recipient_type: _r, ...input } = body;
  return input as OpenMessage;
}

describe("Meta's documented bodies reach Graph byte-identical", () => {
  it.each(META_DOC_BODIES)('send(): %s', async (_what, body) => {
    const input = inputOf(body);
    const res = await wa.messages.send({ ...input, to: input.to as string });
    expect(res.messages[0].id).toMatch(/^wamid\./);
    expect(graph.requests).toHaveLength(1);
    expect(graph.requests[0].method).toBe('POST');
    expect(graph.requests[0].path).toBe(`/v26.0/${PHONE_ID}/messages`);
    expect(graph.requests[0].body).toBe(JSON.stringify(body));
  });

  const withHelper = META_DOC_BODIES.filter(([, b]) =>
    ['interactive', 'template'].includes(b.type as string),
  );

  it.each(withHelper)('typed helper (sendInteractive / sendTemplate): %s', async (_what, body) => {
    const input = inputOf(body);
    // The new shapes get their own types with the typed helpers (ISSUE11 §2); at run time the
    // helper of the message type already sends them unchanged.
    if (body.type === 'interactive')
      await wa.messages.sendInteractive(input as unknown as SendInteractiveInput);
    else await wa.messages.sendTemplate(input as unknown as SendTemplateInput);
    expect(graph.requests.map((r) => r.body)).toEqual([JSON.stringify(body)]);
  });

  it('an invented interactive type (holo_card) reaches the wire unchanged, unknown fields included', async () => {
    await wa.messages.send({
      to: '15551234567',
      type: 'interactive',
      interactive: { type: 'holo_card', body: { text: 'Spin me' }, hologram: { depth: 3 } },
      replyTo: 'wamid.X',
    } as OpenMessage & { to: string; replyTo: string });
    expect(JSON.parse(graph.requests[0].body)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551234567',
      type: 'interactive',
      interactive: { type: 'holo_card', body: { text: 'Spin me' }, hologram: { depth: 3 } },
      context: { message_id: 'wamid.X' },
    });
  });

  it("Meta's answer to a shape it refuses becomes a WhatsAppApiError, as for any send", async () => {
    graph.script({
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
    const error = await wa.messages
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
      wa.messages.send({ to: '15551234567', type: 'holo_card', holo_card: { depth: 3 } });
    // A message built elsewhere, typed as OpenMessage (the escape hatch for unknown sub-types).
    const built: OpenMessage = {
      type: 'interactive',
      interactive: { type: 'carousel', cards: [] },
    };
    const fromBuilt = () => wa.messages.send({ ...built, to: '15551234567' });
    // Known types stay precise: a wrong field of a known shape is a compile error.
    // @ts-expect-error text.body must be a string
    const wrong = () => wa.messages.send({ to: '15551234567', type: 'text', text: { body: 1 } });
    // @ts-expect-error the content field of a known type is required
    const missing = () => wa.messages.send({ to: '15551234567', type: 'image' });
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
      template([{ type: 'carousel' }, { type: 'body', parameters: [{}] }]),
    ],
  ];

  it.each(cases)('%s', async (field, input) => {
    const error = await wa.messages
      .send(input as OpenMessage & { to: string })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe(field);
    expect(graph.requests).toHaveLength(0);
  });
});
