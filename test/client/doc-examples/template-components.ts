import type { TemplateAuthenticationButton, WhatsAppService } from 'nestjs-whatsapp-cloud';

export async function templates(wa: WhatsAppService, to: string, code: string): Promise<void> {
  // A media card carousel template: the bubble's body, then one entry per card.
  await wa.messages.sendTemplate({
    to,
    template: {
      name: 'summer_carousel_promo_2026',
      language: { code: 'en_US' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: '20OFF' }] },
        {
          type: 'carousel',
          cards: ['1602186516975000', '1602186516975001'].map((id, card_index) => ({
            card_index,
            components: [
              { type: 'header' as const, parameters: [{ type: 'image' as const, image: { id } }] },
              {
                type: 'button' as const,
                sub_type: 'quick_reply' as const,
                index: '0',
                parameters: [{ type: 'payload' as const, payload: `card-${card_index}` }],
              },
            ],
          })),
        },
      ],
    },
  });
  // Product cards: header parameters [{ type: 'product', product: { product_retailer_id, catalog_id } }].

  // A limited-time offer with a coupon code.
  await wa.messages.sendTemplate({
    to,
    template: {
      name: 'limited_time_offer_caribbean_pkg_2026',
      language: { code: 'en_US' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: 'Pablo' }] },
        {
          type: 'limited_time_offer',
          parameters: [
            {
              type: 'limited_time_offer',
              limited_time_offer: { expiration_time_ms: Date.now() + 14 * 86_400_000 },
            },
          ],
        },
        {
          type: 'button',
          sub_type: 'copy_code',
          index: 0,
          parameters: [{ type: 'coupon_code', coupon_code: 'CARIBE25' }],
        },
      ],
    },
  });

  // An authentication code (copy code, one-tap or zero-tap: the template decides, the send is the same).
  const button: TemplateAuthenticationButton = {
    type: 'button',
    sub_type: 'url',
    index: '0',
    parameters: [{ type: 'text', text: code }],
  };
  await wa.messages.sendTemplate({
    to,
    template: {
      name: 'verification_code',
      language: { code: 'en_US' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: code }] }, button],
    },
  });
}
