import type { SandboxTemplateSeed } from '../../lib/sandbox/sandbox-options.js';

/**
 * Template definitions (Meta's creation shapes) behind the template bodies of
 * test/client/fixtures/meta-doc-bodies.ts: media and product card carousels, a limited-time offer
 * with a copy-code button, a coupon code and an authentication template.
 */
export const NEW_SHAPE_TEMPLATES: SandboxTemplateSeed[] = [
  {
    name: 'summer_carousel_promo_2026',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'BODY', text: 'Summer is here! Use code *{{1}}* for {{2}} off.' },
      {
        type: 'CAROUSEL',
        cards: [0, 1].map(() => ({
          components: [
            { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
            { type: 'BODY', text: 'This one with code {{1}}' },
            {
              type: 'BUTTONS',
              buttons: [
                { type: 'QUICK_REPLY', text: 'Send more like this' },
                { type: 'URL', text: 'Shop', url: 'https://shop.example.com/{{1}}' },
              ],
            },
          ],
        })),
      },
    ],
  },
  {
    name: 'carousel_template_product_cards_v1',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, these are back in stock.' },
      {
        type: 'CAROUSEL',
        cards: [0, 1].map(() => ({
          components: [
            { type: 'HEADER', format: 'PRODUCT' },
            { type: 'BUTTONS', buttons: [{ type: 'SPM', text: 'View' }] },
          ],
        })),
      },
    ],
  },
  {
    name: 'limited_time_offer_caribbean_pkg_2026',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } },
      {
        type: 'LIMITED_TIME_OFFER',
        limited_time_offer: { text: 'Expiring offer!', has_expiration: true },
      },
      {
        type: 'BODY',
        text: 'Good news, {{1}}! Use code {{2}} to get 25% off all Caribbean Destination packages!',
      },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'COPY_CODE', example: 'CARIBE25' },
          {
            type: 'URL',
            text: 'Book now!',
            url: 'https://awesomedestinations.example/offers?ref={{1}}',
          },
        ],
      },
    ],
  },
  {
    name: 'coupon_code_fall2026_25off',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      { type: 'BODY', text: 'Use code {{1}} to get {{2}} off our newest succulents!' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Unsubscribe' },
          { type: 'COPY_CODE', example: '25OFF' },
        ],
      },
    ],
  },
  {
    name: 'verification_code',
    language: 'en_US',
    category: 'AUTHENTICATION',
    components: [
      { type: 'BODY', add_security_recommendation: true },
      { type: 'FOOTER', code_expiration_minutes: 10 },
      { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
    ],
  },
];
