import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import {
  WhatsAppValidationError,
  type SendCarouselInput,
  type TemplateAuthenticationButton,
  type TemplateComponent,
  type TemplateCopyCodeButton,
} from '../../lib/index.js';
import { useScriptedGraph } from './support/use-scripted-graph.js';

// The typed helpers of the 2026 interactive types: each is sendInteractive with its type set (first,
// as in Meta's JSON), through the real client to a loopback Graph. The bodies of Meta's docs are in
// open-validation.e2e-spec.ts (typed-helper table); here: what the helpers add and refuse, and the
// compile-time precision of their types.

const env = useScriptedGraph();

const TO = '15551234567';
const ask = {
  body: { text: 'Please share your phone number.' },
  action: { name: 'request_contact_info' as const },
};

describe('typed interactive helpers', () => {
  it('set interactive.type first, keep the envelope (recipient, replyTo, callback data, phone number)', async () => {
    await env.wa.messages.sendRequestContactInfo({
      recipient: 'US.13491208655302741918',
      interactive: ask,
      replyTo: 'wamid.Q',
      biz_opaque_callback_data: 'lead:7',
      phoneNumberId: '1234567890',
    });
    expect(env.graph.requests[0].path).toBe('/v26.0/1234567890/messages');
    expect(env.graph.requests[0].body).toBe(
      JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        recipient: 'US.13491208655302741918',
        type: 'interactive',
        interactive: { type: 'request_contact_info', ...ask },
        context: { message_id: 'wamid.Q' },
        biz_opaque_callback_data: 'lead:7',
      }),
    );
  });

  it('send the same bytes as sendInteractive with the type given', async () => {
    await env.wa.messages.sendCallPermissionRequest({
      to: TO,
      interactive: { action: { name: 'call_permission_request' } },
    });
    await env.wa.messages.sendInteractive({
      to: TO,
      interactive: { type: 'call_permission_request', action: { name: 'call_permission_request' } },
    });
    await env.wa.messages.sendCallPermissionRequest({
      to: TO,
      interactive: { type: 'call_permission_request', action: { name: 'call_permission_request' } },
    });
    const [a, b, c] = env.graph.requests.map((r) => r.body);
    expect(a).toBe(b);
    expect(c).toBe(b);
  });

  it('refuse another interactive type, naming interactive.type, and send nothing', async () => {
    const input = { to: TO, interactive: { type: 'button', ...ask } };
    const error = await env.wa.messages
      .sendRequestContactInfo(
        input as unknown as Parameters<typeof env.wa.messages.sendRequestContactInfo>[0],
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe('interactive.type');
    expect(env.graph.requests).toHaveLength(0);
  });

  it('name a missing or non-object interactive like sendInteractive does', async () => {
    for (const interactive of [undefined, 'carousel']) {
      const error = await env.wa.messages
        .sendCarousel({ to: TO, interactive } as unknown as SendCarouselInput)
        .catch((e: unknown) => e);
      expect((error as WhatsAppValidationError).field).toBe('interactive');
    }
    expect(env.graph.requests).toHaveLength(0);
  });

  it('check the shape of their type (a carousel card without card_index)', async () => {
    const error = await env.wa.messages
      .sendCarousel({
        to: TO,
        interactive: {
          body: { text: 'x' },
          action: {
            cards: [{ type: 'product', action: { product_retailer_id: 'a', catalog_id: '1' } }],
          },
        },
      } as unknown as SendCarouselInput)
      .catch((e: unknown) => e);
    expect((error as WhatsAppValidationError).field).toBe('interactive.action.cards[0].card_index');
    expect(env.graph.requests).toHaveLength(0);
  });

  it('sendFlow with data_exchange (no payload: the data endpoint answers the first screen)', async () => {
    await env.wa.messages.sendFlow({
      to: TO,
      interactive: {
        body: { text: 'Check availability' },
        action: {
          name: 'flow',
          parameters: {
            flow_message_version: '3',
            flow_token: 'booking-42',
            flow_name: 'booking',
            flow_cta: 'Book',
            flow_action: 'data_exchange',
          },
        },
      },
    });
    expect(JSON.parse(env.graph.requests[0].body).interactive).toEqual({
      type: 'flow',
      body: { text: 'Check availability' },
      action: {
        name: 'flow',
        parameters: {
          flow_message_version: '3',
          flow_token: 'booking-42',
          flow_name: 'booking',
          flow_cta: 'Book',
          flow_action: 'data_exchange',
        },
      },
    });
  });
});

describe('types of the helpers (compile-time checks)', () => {
  // One line per case (prettier-ignore) so each @ts-expect-error sits on the line of its error.
  it('compiles', () => {
    // prettier-ignore
    const calls = [
      // @ts-expect-error a carousel card's index is card_index
      () => env.wa.messages.sendCarousel({ to: TO, interactive: { body: { text: 'x' }, action: { cards: [{ index: 0, type: 'product', action: { product_retailer_id: 'a', catalog_id: '1' } }] } } }),
      // @ts-expect-error product and media cards do not mix in one carousel
      () => env.wa.messages.sendCarousel({ to: TO, interactive: { body: { text: 'x' }, action: { cards: [{ card_index: 0, type: 'product', action: { product_retailer_id: 'a', catalog_id: '1' } }, { card_index: 1, type: 'cta_url', header: { type: 'image', image: { link: 'https://x' } }, action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'https://x' } } }] } } }),
      // @ts-expect-error flow_action is 'navigate' or 'data_exchange'
      () => env.wa.messages.sendFlow({ to: TO, interactive: { body: { text: 'x' }, action: { name: 'flow', parameters: { flow_message_version: '3', flow_cta: 'Go', flow_id: '1', flow_action: 'open' } } } }),
      // @ts-expect-error the payload of navigate is flow_action_payload
      () => env.wa.messages.sendFlow({ to: TO, interactive: { body: { text: 'x' }, action: { name: 'flow', parameters: { flow_message_version: '3', flow_cta: 'Go', flow_id: '1', flow_payload: { screen: 'A' } } } } }),
      // @ts-expect-error the action of a contact-info request is named request_contact_info
      () => env.wa.messages.sendRequestContactInfo({ to: TO, interactive: { body: { text: 'x' }, action: { name: 'share_contact' } } }),
      // @ts-expect-error interactive.type of a helper is its own type
      () => env.wa.messages.sendCatalog({ to: TO, interactive: { type: 'product', body: { text: 'x' }, action: { name: 'catalog_message' } } }),
      // @ts-expect-error the thumbnail is thumbnail_product_retailer_id
      () => env.wa.messages.sendCatalog({ to: TO, interactive: { body: { text: 'x' }, action: { name: 'catalog_message', parameters: { thumbnail: 'a' } } } }),
      // @ts-expect-error order_details amounts are { value, offset }
      () => env.wa.messages.sendOrderDetails({ to: TO, interactive: { body: { text: 'x' }, action: { name: 'review_and_pay', parameters: { reference_id: 'o', type: 'digital-goods', currency: 'INR', total_amount: 210 } } } }),
      // @ts-expect-error the order of a status update is parameters.order
      () => env.wa.messages.sendOrderStatus({ to: TO, interactive: { body: { text: 'x' }, action: { name: 'review_order', parameters: { reference_id: 'o', status: 'shipped' } } } }),
      // @ts-expect-error voice_call: ttl_minutes is a number
      () => env.wa.messages.sendVoiceCall({ to: TO, interactive: { action: { name: 'voice_call', parameters: { ttl_minutes: '60' } } } }),
      // @ts-expect-error a helper needs a recipient
      () => env.wa.messages.sendCallPermissionRequest({ interactive: { action: { name: 'call_permission_request' } } }),
    ];
    // prettier-ignore
    // @ts-expect-error a coupon is the coupon_code parameter
    const coupon: TemplateCopyCodeButton = { type: 'button', sub_type: 'copy_code', index: 0, parameters: [{ type: 'text', text: 'X' }] };
    // prettier-ignore
    // @ts-expect-error the code of an authentication button is a text parameter
    const otp: TemplateAuthenticationButton = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'payload', payload: 'X' }] };
    // prettier-ignore
    const components: TemplateComponent[] = [
      // @ts-expect-error an offer's expiration is expiration_time_ms
      { type: 'limited_time_offer', parameters: [{ type: 'limited_time_offer', limited_time_offer: { expires_at: 1 } }] },
      // @ts-expect-error carousel template cards are { card_index, components }
      { type: 'carousel', cards: [{ card_index: 0, buttons: [] }] },
      // @ts-expect-error a product card header names product_retailer_id and catalog_id
      { type: 'carousel', cards: [{ card_index: 0, components: [{ type: 'header', parameters: [{ type: 'product', product: { id: 'a' } }] }] }] },
    ];
    expect([...calls, coupon, otp, ...components]).toHaveLength(16);
  });
});
