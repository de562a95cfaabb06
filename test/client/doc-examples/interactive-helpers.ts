import type { WhatsAppService } from 'nestjs-whatsapp-cloud';

export async function examples(wa: WhatsAppService, to: string): Promise<void> {
  // Media carousel: 2-10 cards, each an image or video header, optional body (≤ 160), and one URL
  // button, or quick-reply buttons (the same number on every card).
  await wa.messages.sendCarousel({
    to,
    interactive: {
      body: { text: 'Our picks for you this week' },
      action: {
        cards: [
          {
            card_index: 0,
            type: 'cta_url',
            header: { type: 'image', image: { link: 'https://example.com/echeveria.png' } },
            body: { text: 'Blue Echeveria' },
            action: {
              name: 'cta_url',
              parameters: { display_text: 'Shop now', url: 'https://shop.example.com/echeveria' },
            },
          },
          {
            card_index: 1,
            type: 'cta_url',
            header: { type: 'image', image: { link: 'https://example.com/aloe.png' } },
            body: { text: 'Aloe vera' },
            action: {
              name: 'cta_url',
              parameters: { display_text: 'Shop now', url: 'https://shop.example.com/aloe' },
            },
          },
        ],
      },
    },
  });
  // Quick-reply cards: action: { buttons: [{ type: 'quick_reply', quick_reply: { id, title } }] }.

  // Product carousel: every card of the same catalog (media and product cards do not mix).
  await wa.messages.sendCarousel({
    to,
    interactive: {
      body: { text: 'Check out these succulents' },
      action: {
        cards: ['abc123xyz', 'def456uvw'].map((product_retailer_id, card_index) => ({
          card_index,
          type: 'product' as const,
          action: { product_retailer_id, catalog_id: '123456789' },
        })),
      },
    },
  });

  // A WhatsApp Flow, opened on a screen with its data (navigate), or on what your data endpoint
  // answers (flow_action: 'data_exchange', no flow_action_payload).
  await wa.messages.sendFlow({
    to,
    interactive: {
      body: { text: 'Book a table in one minute' },
      action: {
        name: 'flow',
        parameters: {
          flow_message_version: '3',
          flow_id: '1234567890',
          flow_cta: 'Book',
          flow_token: 'booking-42',
          flow_action: 'navigate',
          flow_action_payload: { screen: 'BOOKING', data: { party_size: 2 } },
        },
      },
    },
  });

  // Ask a user known only by BSUID (a username user) for their phone number: the answer arrives
  // as a `contacts` message.
  await wa.messages.sendRequestContactInfo({
    recipient: 'US.13491208655302741918',
    interactive: {
      body: { text: 'Please share your phone number so we can finish your request.' },
      action: { name: 'request_contact_info' },
    },
  });

  // Calling: ask permission to call, or offer a button that calls you.
  await wa.messages.sendCallPermissionRequest({
    to,
    interactive: {
      body: { text: 'We would like to call you about your order.' },
      action: { name: 'call_permission_request' },
    },
  });
  await wa.messages.sendVoiceCall({
    to,
    interactive: {
      body: { text: 'Questions? Call us on WhatsApp.' },
      action: {
        name: 'voice_call',
        parameters: { display_text: 'Call us', ttl_minutes: 1440, payload: 'order-4471' },
      },
    },
  });

  // The catalog connected to your WABA, with one product's image as thumbnail.
  await wa.messages.sendCatalog({
    to,
    interactive: {
      body: { text: 'Browse our catalog and order in the chat.' },
      footer: { text: 'Free delivery over $50' },
      action: {
        name: 'catalog_message',
        parameters: { thumbnail_product_retailer_id: '2lc20305pt' },
      },
    },
  });

  // Payments: a bill (amounts are { value, offset }: 21000/100 = 210.00), then its status.
  await wa.messages.sendOrderDetails({
    to,
    interactive: {
      body: { text: 'Your order is ready to pay' },
      action: {
        name: 'review_and_pay',
        parameters: {
          reference_id: 'order-2026-0042',
          type: 'physical-goods',
          payment_type: 'upi',
          payment_configuration: 'my-payment-config',
          currency: 'INR',
          total_amount: { value: 21000, offset: 100 },
          order: {
            status: 'pending',
            items: [
              {
                retailer_id: 'cu1e3wv3uy',
                name: 'Echeveria',
                amount: { value: 10000, offset: 100 },
                quantity: 2,
              },
            ],
            subtotal: { value: 20000, offset: 100 },
            tax: { value: 1000, offset: 100, description: 'GST' },
          },
        },
      },
    },
  });
  await wa.messages.sendOrderStatus({
    to,
    interactive: {
      body: { text: 'Your order has shipped' },
      action: {
        name: 'review_order',
        parameters: {
          reference_id: 'order-2026-0042',
          order: { status: 'shipped', description: 'Arrives Thursday' },
        },
      },
    },
  });

  // Ask for a location, or for a delivery address (India, Singapore).
  await wa.messages.sendLocationRequest({
    to,
    interactive: {
      body: { text: 'Where should we pick you up?' },
      action: { name: 'send_location' },
    },
  });
  await wa.messages.sendAddressRequest({
    to,
    interactive: {
      body: { text: 'Where should we deliver your order?' },
      action: { name: 'address_message', parameters: { country: 'IN' } },
    },
  });
}
