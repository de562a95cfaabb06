import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  WhatsAppValidationError,
  type CreateTemplateInput,
  type WhatsAppService,
} from '../../lib/index.js';
import { FAKE_IDS, FakeGraphApi } from '../../lib/testing/index.js';
import {
  API,
  TOKEN,
  WABA_ID,
  createClient,
  createNestClient,
  type NestClient,
} from './client-test-helper.js';

// Template definitions and list queries go through the class-validator DTOs in lib/client/dto:
// these tests drive them through the public client against the loopback fake Graph API.

let fake: FakeGraphApi;
let wa: WhatsAppService;
let nest: NestClient;

beforeAll(async () => {
  fake = await FakeGraphApi.start({ accessToken: TOKEN });
  wa = createClient(fake);
  nest = await createNestClient(fake);
});
afterAll(async () => {
  await wa.close();
  await nest.close();
  await fake.close();
});
beforeEach(() => fake.reset());

async function validationError(promise: Promise<unknown>): Promise<WhatsAppValidationError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WhatsAppValidationError);
  return error as WhatsAppValidationError;
}

/** A definition using every component kind, named parameters, four button types. */
function seasonalPromo(): CreateTemplateInput {
  return {
    name: 'seasonal_promo',
    language: 'en_US',
    category: 'MARKETING',
    parameter_format: 'NAMED',
    components: [
      {
        type: 'HEADER',
        format: 'TEXT',
        text: 'Our {{sale}} is on!',
        example: { header_text_named_params: [{ param_name: 'sale', example: 'Summer Sale' }] },
      },
      {
        type: 'BODY',
        text: 'Shop until {{end}} and use {{code}}.',
        example: {
          body_text_named_params: [
            { param_name: 'end', example: 'August 31' },
            { param_name: 'code', example: 'SUN25' },
          ],
        },
      },
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
          {
            type: 'URL',
            text: 'Shop',
            url: 'https://shop.example/s/{{1}}',
            example: ['https://shop.example/s/summer'],
          },
          { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15551234567' },
          { type: 'COPY_CODE', example: 'SUN25' },
        ],
      },
    ],
  };
}

describe('templates.create / update with class-validator DTOs', () => {
  it('sends a rich definition exactly as given, fields unknown to us included', async () => {
    const def = {
      ...seasonalPromo(),
      allow_category_change: true,
      // Meta adds fields over time; the DTOs must not refuse (or drop) them.
      a_field_meta_adds_later: { enabled: true },
    };
    const created = await wa.templates.create(def);
    expect(created).toEqual({ id: expect.any(String), status: 'PENDING', category: 'MARKETING' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].method).toBe('POST');
    expect(fake.requests[0].path).toBe(`${API}/${WABA_ID}/message_templates`);
    expect(fake.requests[0].json).toEqual(def);
  });

  it('accepts lower-case types as Meta does, and sends them unchanged', async () => {
    const def: CreateTemplateInput = {
      name: 'store_location',
      language: 'en_US',
      category: 'UTILITY',
      components: [
        { type: 'header', format: 'location' },
        { type: 'body', text: 'Visit us today' },
      ],
    };
    await nest.service.templates.create(def);
    expect(fake.requests.map((r) => r.json)).toEqual([def]);
  });

  // Open validation: Meta's newer definitions (and whatever it adds next) reach it byte for byte.
  // Typed: library_template_button_inputs is a TemplateLibraryButtonInput[] (a wrong shape fails tsc).
  const libraryTemplate: CreateTemplateInput = {
    name: 'delivery_update_ok',
    language: 'en_US',
    category: 'UTILITY',
    library_template_name: 'delivery_update_1',
    library_template_button_inputs: [
      {
        type: 'URL',
        url: {
          base_url: 'https://www.example.com/{{1}}',
          url_suffix_example: 'https://www.example.com/order',
        },
      },
    ],
  };
  const otp = (button: Record<string, unknown>) => ({
    name: 'verification_code',
    language: 'en_US',
    category: 'AUTHENTICATION',
    components: [
      { type: 'BODY', add_security_recommendation: true },
      { type: 'FOOTER', code_expiration_minutes: 10 },
      { type: 'BUTTONS', buttons: [button] },
    ],
  });
  const openDefinitions: Array<[string, Record<string, unknown>]> = [
    ['a Template Library template (no components)', libraryTemplate],
    ['an OTP copy-code button', otp({ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' })],
    [
      'an OTP one-tap button with supported_apps',
      otp({
        type: 'OTP',
        otp_type: 'ONE_TAP',
        text: 'Copy code',
        autofill_text: 'Autofill',
        supported_apps: [{ package_name: 'com.example.luckyshrub', signature_hash: 'K8a/AINcGX7' }],
      }),
    ],
    [
      'an OTP zero-tap button',
      otp({
        type: 'OTP',
        otp_type: 'ZERO_TAP',
        text: 'Copy code',
        zero_tap_terms_accepted: true,
        supported_apps: [{ package_name: 'com.example.luckyshrub', signature_hash: 'K8a/AINcGX7' }],
      }),
    ],
    [
      'a media card carousel',
      {
        name: 'summer_carousel_promo_2026',
        language: 'en_US',
        category: 'MARKETING',
        components: [
          {
            type: 'BODY',
            text: 'Rare succulents for sale! {{1}}',
            example: { body_text: [['Pablo']] },
          },
          {
            type: 'CAROUSEL',
            cards: [0, 1].map(() => ({
              components: [
                { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW...'] } },
                { type: 'BODY', text: 'Use code {{1}}', example: { body_text: [['15OFF']] } },
                { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Send me more' }] },
              ],
            })),
          },
        ],
      },
    ],
    [
      'a limited-time offer',
      {
        name: 'limited_time_offer_caribbean_pkg_2026',
        language: 'en_US',
        category: 'MARKETING',
        components: [
          { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW...'] } },
          {
            type: 'LIMITED_TIME_OFFER',
            limited_time_offer: { text: 'Expiring offer!', has_expiration: true },
          },
          { type: 'BODY', text: 'Good news, {{1}}!', example: { body_text: [['Pablo']] } },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'COPY_CODE', example: 'CARIBE25' },
              {
                type: 'URL',
                text: 'Book now!',
                url: 'https://example.com/{{1}}',
                example: ['https://example.com/n3mtql'],
              },
            ],
          },
        ],
      },
    ],
    [
      'an unknown component type',
      { ...seasonalPromo(), components: [{ type: 'SIDEBAR', panels: 2 }] },
    ],
    [
      'an unknown button type and OTP type',
      {
        ...seasonalPromo(),
        components: [
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'TELEPORT', text: 'Go', destination: 'moon' },
              { type: 'OTP', otp_type: 'PSYCHIC' },
            ],
          },
        ],
      },
    ],
    [
      'an unknown header format',
      {
        ...seasonalPromo(),
        components: [{ type: 'HEADER', format: 'HOLOGRAM', example: { h: 1 } }],
      },
    ],
  ];

  it.each(openDefinitions)('create sends %s unchanged', async (_what, def) => {
    await wa.templates.create(def as CreateTemplateInput);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].rawBody.toString()).toBe(JSON.stringify(def));
  });

  it.each([
    ['a name with upper case', { name: 'Seasonal_Promo' }, 'name'],
    ['a name of 513 characters', { name: 'a'.repeat(513) }, 'name'],
    ['a missing language', { language: undefined }, 'language'],
    ['an unknown category', { category: 'PROMO' }, 'category'],
    ['an unknown parameter_format', { parameter_format: 'MIXED' }, 'parameter_format'],
    ['no components', { components: [] }, 'components'],
    ['a component that is not an object', { components: ['BODY'] }, 'components[0]'],
    ['neither components nor a library template', { components: undefined }, 'components'],
    ['a component type that is not a string', { components: [{ type: 42 }] }, 'components[0].type'],
    [
      'a header without format',
      { components: [{ type: 'HEADER', text: 'Hi' }] },
      'components[0].format',
    ],
    [
      'a text header over 60 characters',
      { components: [{ type: 'HEADER', format: 'TEXT', text: 'x'.repeat(61) }] },
      'components[0].text',
    ],
    [
      'a body over 1024 characters',
      { components: [{ type: 'BODY', text: 'x'.repeat(1025) }] },
      'components[0].text',
    ],
    [
      'a positional body example that is not an array of arrays',
      { components: [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: ['Ann'] } }] },
      'components[0].example.body_text',
    ],
    [
      'a named parameter in upper case',
      {
        components: [
          {
            type: 'BODY',
            text: 'Hi {{Name}}',
            example: { body_text_named_params: [{ param_name: 'Name', example: 'Ann' }] },
          },
        ],
      },
      'components[0].example.body_text_named_params[0].param_name',
    ],
    [
      'a BUTTONS component without buttons',
      { components: [{ type: 'BUTTONS' }] },
      'components[0].buttons',
    ],
    [
      'eleven buttons',
      {
        components: [
          { type: 'BUTTONS', buttons: Array(11).fill({ type: 'QUICK_REPLY', text: 'Ok' }) },
        ],
      },
      'components[0].buttons',
    ],
    [
      'a button without type',
      { components: [{ type: 'BUTTONS', buttons: [{ text: 'Go' }] }] },
      'components[0].buttons[0].type',
    ],
    [
      'a URL button without url',
      { components: [{ type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Go' }] }] },
      'components[0].buttons[0].url',
    ],
    [
      'a quick reply label over 25 characters',
      {
        components: [{ type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'x'.repeat(26) }] }],
      },
      'components[0].buttons[0].text',
    ],
    [
      'a phone button with letters',
      {
        components: [
          {
            type: 'BUTTONS',
            buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: 'call-me' }],
          },
        ],
      },
      'components[0].buttons[0].phone_number',
    ],
    [
      'a copy-code example over 15 characters',
      {
        components: [
          { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'X'.repeat(16) }] },
        ],
      },
      'components[0].buttons[0].example',
    ],
    [
      'an OTP button without otp_type',
      { components: [{ type: 'BUTTONS', buttons: [{ type: 'OTP' }] }] },
      'components[0].buttons[0].otp_type',
    ],
  ])('create refuses %s, naming the field, with no request', async (_what, change, field) => {
    const def = { ...seasonalPromo(), ...change } as CreateTemplateInput;
    const error = await validationError(wa.templates.create(def));
    expect(error.field).toBe(field);
    expect(error.message).toContain(`"${field}"`);
    expect(fake.requests).toHaveLength(0);
  });

  it('names the path in the message of a deep error (components[3].buttons[1].url)', async () => {
    const def = seasonalPromo();
    const buttons = def.components?.[3].buttons ?? [];
    buttons[1] = { ...buttons[1], url: 'javascript:alert(1)' };
    const error = await validationError(nest.service.templates.create(def));
    expect(error.message).toBe(
      'WhatsApp: invalid "components[3].buttons[1].url": must be an absolute http(s) URL',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('update: validates the components it is given, and needs something to change', async () => {
    const id = fake.store.templates[0].id;
    expect(
      await validationError(
        wa.templates.update(id, {
          components: [
            { type: 'BODY', text: 'Hi' },
            { type: 'FOOTER', text: 'x'.repeat(61) },
          ],
        }),
      ),
    ).toMatchObject({ field: 'components[1].text', reason: 'must be at most 60 characters' });
    expect(
      await validationError(wa.templates.update(id, { category: 'promo' as never })),
    ).toMatchObject({ field: 'category' });
    expect(await validationError(wa.templates.update(id, {}))).toMatchObject({ field: 'def' });
    expect(fake.requests).toHaveLength(0);
    const components = [{ type: 'BODY', text: 'Order {{1}} is on its way', extra_meta: 1 }];
    expect(await wa.templates.update(id, { components })).toEqual({ success: true });
    expect(fake.requests.map((r) => [r.method, r.path, r.json])).toEqual([
      ['POST', `${API}/${id}`, { components }],
    ]);
  });
});

describe('list queries with class-validator DTOs', () => {
  it('refuse bad queries naming the field, with no request', async () => {
    const cases: Array<[Promise<unknown>, string]> = [
      [wa.templates.list({ status: 'LIVE' as never }), 'status'],
      [wa.templates.list({ limit: 1001 }), 'limit'],
      [wa.templates.list({ limit: 2.5 }), 'limit'],
      [wa.templates.list({ fields: [] }), 'fields'],
      [wa.templates.list('APPROVED' as never), 'query'],
      [wa.accounts.listPhoneNumbers({ limit: 0 }), 'limit'],
      [wa.accounts.listPhoneNumbers({ after: 42 as never }), 'after'],
      [wa.accounts.listPhoneNumbers({ fields: '' }), 'fields'],
      [wa.business.listAccounts({ businessId: FAKE_IDS.businessId, before: '' }), 'before'],
      [wa.business.listAccounts({ relation: 'owned' }), 'businessId'],
    ];
    for (const [promise, field] of cases) {
      expect(await validationError(promise)).toMatchObject({ field });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('pass valid queries through, fields we do not know included', async () => {
    await wa.templates.list({
      limit: 1000,
      category: 'UTILITY',
      language: 'en_US',
      ...{ quality_score: 'GREEN' }, // not ours to refuse; not sent either (the query is built)
    });
    await wa.accounts.listPhoneNumbers({ fields: ['id'], limit: 1 });
    await wa.business.listAccounts({ businessId: FAKE_IDS.businessId, relation: 'client' });
    expect(fake.requests.map((r) => r.query)).toEqual([
      expect.objectContaining({ limit: '1000', category: 'UTILITY', language: 'en_US' }),
      { fields: 'id', limit: '1' },
      {},
    ]);
  });
});
