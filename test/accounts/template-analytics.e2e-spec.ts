import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  WhatsAppApiError,
  WhatsAppValidationError,
  type WhatsAppService,
} from '../../lib/index.js';
import {
  FAKE_IDS,
  FAKE_RATES,
  FakeGraphApi,
  type RecordedRequest,
} from '../../lib/testing/index.js';
import { API, createClient, rejection, TOKEN } from '../client/client-test-helper.js';

// Template analytics, pricing analytics and the Marketing Messages API send against the loopback
// fake Graph API: Meta's exact request on the wire (method, path, query, body) and Meta's answer,
// computed by the fake from the template sends it accepted.

const PHONE = FAKE_IDS.phoneNumberId;
const WABA = FAKE_IDS.businessAccountId;
const DAY = 86_400;
const PROMO = { id: '777000000000001', name: 'spring_sale' };
let fake: FakeGraphApi;
let wa: WhatsAppService;

beforeAll(async () => {
  fake = await FakeGraphApi.start();
  wa = createClient(fake);
});
afterAll(async () => {
  await wa.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  fake.store.templates.push({
    id: PROMO.id,
    name: PROMO.name,
    language: 'en_US',
    status: 'APPROVED',
    category: 'MARKETING',
    components: [{ type: 'BODY', text: '20% off this week' }],
  });
});

function last(): Pick<RecordedRequest, 'method' | 'path' | 'query' | 'json'> {
  const r = fake.requests.at(-1);
  if (!r) throw new Error('no request');
  return { method: r.method, path: r.path, query: r.query, json: r.json };
}

const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
const helloWorld = (): string => {
  const found = fake.store.templates.find((t) => t.name === 'hello_world');
  if (!found) throw new Error('seeded template missing');
  return found.id;
};

async function sendSome(): Promise<void> {
  const template = { name: 'hello_world', language: { code: 'en_US' } };
  await wa.messages.sendTemplate({ to: '15551230001', template });
  await wa.messages.sendTemplate({ to: '15551230002', template });
  await wa.messages.sendMarketing({
    to: '15551230003',
    template: { name: PROMO.name, language: { code: 'en_US' } },
  });
}

describe('template analytics', () => {
  it('enableAnalytics confirms insights on the WABA: POST /{waba}?is_enabled_for_insights=true', async () => {
    await expect(wa.templates.enableAnalytics()).resolves.toEqual({ id: WABA });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${WABA}`,
      query: { is_enabled_for_insights: 'true' },
      json: undefined,
    });
    expect(fake.store.analytics.insightsEnabled.has(WABA)).toBe(true);
  });

  it("GET /{waba}/template_analytics with Meta's query; data points per template and day", async () => {
    await sendSome();
    const page = await wa.templates.analytics({
      start: today,
      end: today + DAY,
      templateIds: [helloWorld(), PROMO.id],
      metricTypes: ['SENT', 'DELIVERED', 'COST'],
    });
    expect(last()).toEqual({
      method: 'GET',
      path: `${API}/${WABA}/template_analytics`,
      query: {
        start: String(today),
        end: String(today + DAY),
        granularity: 'DAILY',
        metric_types: 'SENT,DELIVERED,COST',
        template_ids: `[${helloWorld()},${PROMO.id}]`,
      },
      json: undefined,
    });
    expect(page.data).toHaveLength(1);
    expect(page.data[0]).toMatchObject({ granularity: 'DAILY', product_type: 'cloud_api' });
    const points = page.data[0]?.data_points ?? [];
    expect(points.map((p) => [p.template_id, p.start, p.end, p.sent, p.delivered])).toEqual([
      [helloWorld(), today, today + DAY, 2, 2],
      [PROMO.id, today, today + DAY, 1, 1],
    ]);
    // READ and CLICKED were not asked for.
    expect(points[0]).not.toHaveProperty('read');
    expect(points[1]?.cost?.[0]).toEqual({ type: 'amount_spent', value: FAKE_RATES.MARKETING });
  });

  it('a Date range, MM API product type and a tenant token', async () => {
    await wa.templates.analytics({
      start: new Date(today * 1000),
      end: new Date((today + 2 * DAY) * 1000),
      templateIds: [PROMO.id],
      productType: 'MARKETING_MESSAGES_LITE_API',
      useWabaTimezone: true,
      businessAccountId: WABA,
      accessToken: 'EAAB-tenant-token-000111',
    });
    const request = fake.requests.at(-1);
    expect(request?.query).toMatchObject({
      start: String(today),
      end: String(today + 2 * DAY),
      product_type: 'MARKETING_MESSAGES_LITE_API',
      use_waba_timezone: 'true',
    });
    expect(request?.headers.authorization).toBe('Bearer EAAB-tenant-token-000111');
  });
});

describe('pricing analytics', () => {
  it('GET /{waba}?fields=pricing_analytics… resolves to the field, by the dimensions asked for', async () => {
    await sendSome();
    const analytics = await wa.accounts.pricingAnalytics({
      start: today,
      end: today + DAY,
      granularity: 'DAILY',
      dimensions: ['PRICING_CATEGORY', 'PRICING_TYPE'],
    });
    expect(last()).toEqual({
      method: 'GET',
      path: `${API}/${WABA}`,
      query: {
        fields: `pricing_analytics.start(${today}).end(${today + DAY}).granularity(DAILY).dimensions(["PRICING_CATEGORY","PRICING_TYPE"])`,
      },
      json: undefined,
    });
    const points = analytics.data[0]?.data_points ?? [];
    expect(points).toEqual([
      {
        start: today,
        end: today + DAY,
        pricing_category: 'UTILITY',
        pricing_type: 'REGULAR',
        volume: 2,
        cost: 2 * (FAKE_RATES.UTILITY ?? 0),
      },
      {
        start: today,
        end: today + DAY,
        pricing_category: 'MARKETING',
        pricing_type: 'REGULAR',
        volume: 1,
        cost: FAKE_RATES.MARKETING,
      },
    ]);
  });

  it('filters: categories and countries reach the expansion as JSON lists', async () => {
    await sendSome();
    const analytics = await wa.accounts.pricingAnalytics({
      start: today,
      end: today + DAY,
      granularity: 'MONTHLY',
      countryCodes: ['US'],
      pricingCategories: ['MARKETING'],
      metricTypes: ['VOLUME'],
    });
    expect(last().query.fields).toBe(
      `pricing_analytics.start(${today}).end(${today + DAY}).granularity(MONTHLY).country_codes(["US"]).metric_types(["VOLUME"]).pricing_categories(["MARKETING"])`,
    );
    const point = analytics.data[0]?.data_points[0];
    expect(point).toMatchObject({ volume: 1 });
    expect(point).not.toHaveProperty('cost');
  });
});

describe('marketing messages (POST /{phone}/marketing_messages)', () => {
  it("sends Meta's template body plus product_policy and message_activity_sharing", async () => {
    const template = {
      name: PROMO.name,
      language: { code: 'en_US' },
      components: [{ type: 'body' as const, parameters: [{ type: 'text' as const, text: 'Ana' }] }],
    };
    const answer = await wa.messages.sendMarketing({
      to: '+1 555 123 0004',
      template,
      product_policy: 'STRICT',
      message_activity_sharing: true,
      biz_opaque_callback_data: 'campaign-7',
    });
    expect(last()).toEqual({
      method: 'POST',
      path: `${API}/${PHONE}/marketing_messages`,
      query: {},
      json: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+1 555 123 0004',
        type: 'template',
        template,
        product_policy: 'STRICT',
        message_activity_sharing: true,
        biz_opaque_callback_data: 'campaign-7',
      },
    });
    expect(answer).toMatchObject({
      messaging_product: 'whatsapp',
      contacts: [{ input: '+1 555 123 0004', wa_id: '15551230004' }],
      success: true,
    });
    expect(answer.messages[0]?.id).toMatch(/^wamid\./);
    expect(answer.messages[0]?.message_status).toBe('accepted');
  });

  it("a UTILITY template gets Meta's error from the fake", async () => {
    const error = await rejection(
      wa.messages.sendMarketing({
        to: '15551230005',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      }),
    );
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect((error as WhatsAppApiError).code).toBe(100);
  });
});

describe('validation before any request', () => {
  it('refuses bad input naming the field, and sends nothing', async () => {
    const template = { name: PROMO.name, language: { code: 'en_US' } };
    const errors = await Promise.all([
      rejection(wa.messages.sendMarketing({ to: '15551230006', template, type: 'text' } as never)),
      rejection(
        wa.messages.sendMarketing({ to: 'group-1', recipientType: 'group', template } as never),
      ),
      rejection(
        wa.messages.sendMarketing({
          to: '15551230006',
          template,
          product_policy: 'LOOSE' as 'STRICT',
        }),
      ),
      rejection(
        wa.messages.sendMarketing({
          to: '15551230006',
          template,
          message_activity_sharing: 'yes' as unknown as boolean,
        }),
      ),
      rejection(wa.messages.sendMarketing({ to: '15551230006' } as never)),
      rejection(wa.templates.analytics({ start: today, end: today + DAY, templateIds: [] })),
      rejection(wa.templates.analytics(undefined as never)),
      rejection(
        wa.accounts.pricingAnalytics({
          start: today * 1000,
          end: today + DAY,
          granularity: 'DAILY',
        }),
      ),
      rejection(
        wa.accounts.pricingAnalytics({
          start: today,
          end: today + DAY,
          granularity: 'DAILY',
          countryCodes: ['US)'],
        }),
      ),
    ]);
    expect(errors.every((e) => e instanceof WhatsAppValidationError)).toBe(true);
    expect(errors.map((e) => (e as WhatsAppValidationError).field)).toEqual([
      'type',
      'recipientType',
      'product_policy',
      'message_activity_sharing',
      'template',
      'templateIds',
      'query',
      'start',
      'countryCodes[0]',
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  it('the token never appears in a validation error', async () => {
    const error = await rejection(
      wa.accounts.pricingAnalytics({ start: 1, end: 0, granularity: 'DAILY' }),
    );
    expect(String((error as Error).message)).not.toContain(TOKEN);
  });
});
