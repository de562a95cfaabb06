import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WhatsAppApiError, WhatsAppService } from '../../lib/index.js';
import { resolveWhatsAppOptions } from '../../lib/options/resolve-options.js';
import type { WhatsAppSandbox } from '../../lib/sandbox/whatsapp-sandbox.js';
import { startSandboxWithReceiver } from './sandbox-with-receiver.js';
import type { WebhookReceiver } from './webhook-receiver.js';

// The sandbox answers template analytics, pricing analytics and /marketing_messages from the
// messages it actually sent and their statuses (delivered and read at once here).

const TOKEN = 'EAAG-sandbox-analytics-token-0123';
const DAY = 86_400;

describe('WhatsAppSandbox: analytics and marketing messages', () => {
  let sandbox: WhatsAppSandbox;
  let receiver: WebhookReceiver;
  let wa: WhatsAppService;
  const ids: Record<string, string> = {};

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 400 && !check(); i += 1) await new Promise((r) => setTimeout(r, 25));
    if (!check()) throw new Error('condition not met in 10 s');
  }

  beforeAll(async () => {
    ({ sandbox, receiver } = await startSandboxWithReceiver({
      appSecret: 'analytics-secret',
      accessToken: TOKEN,
      deliveredAfterMs: 0,
      readAfterMs: 0,
      templateReviewMs: 0,
    }));
    wa = new WhatsAppService(
      resolveWhatsAppOptions(
        {
          accessToken: TOKEN,
          baseUrl: sandbox.baseUrl,
          phoneNumberId: sandbox.phoneNumberId,
          businessAccountId: sandbox.businessAccountId,
          retry: false,
        },
        false,
      ),
      {},
    );
    for (const [name, category] of [
      ['spring_sale', 'MARKETING'],
      ['receipt', 'UTILITY'],
    ] as const) {
      const created = await wa.templates.create({
        name,
        language: 'en_US',
        category,
        components: [{ type: 'BODY', text: `The ${name} message` }],
      });
      ids[name] = created.id;
    }
    await until(() => [...sandbox.store.templates.values()].every((t) => t.status === 'APPROVED'));
  });
  afterAll(async () => {
    await wa.close();
    await sandbox.close();
    await receiver.close();
  });

  it('sends through /marketing_messages (MARKETING only) and reports analytics of what was sent', async () => {
    const lang = { code: 'en_US' };
    const sent = await wa.messages.sendMarketing({
      to: '15550001111',
      template: { name: 'spring_sale', language: lang },
      product_policy: 'CLOUD_API_FALLBACK',
      message_activity_sharing: false,
    });
    expect(sent).toMatchObject({ success: true, messages: [{ message_status: 'accepted' }] });
    await wa.messages.sendTemplate({
      to: '15550001111',
      template: { name: 'receipt', language: lang },
    });
    await wa.messages.sendTemplate({
      to: '447700900123',
      template: { name: 'receipt', language: lang },
    });
    const refused = await wa.messages
      .sendMarketing({ to: '15550001111', template: { name: 'receipt', language: lang } })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(WhatsAppApiError);
    expect((refused as WhatsAppApiError).code).toBe(100);
    await until(
      () =>
        [...sandbox.store.messages.values()].filter((m) => m.from === 'bot' && m.status === 'read')
          .length === 3,
    );

    await expect(wa.templates.enableAnalytics()).resolves.toEqual({
      id: sandbox.businessAccountId,
    });
    const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
    const page = await wa.templates.analytics({
      start: today,
      end: today + DAY,
      templateIds: [ids.spring_sale ?? '', ids.receipt ?? ''],
      metricTypes: ['SENT', 'DELIVERED', 'READ', 'COST'],
    });
    expect(page.data[0]?.data_points).toEqual([
      {
        template_id: ids.spring_sale,
        start: today,
        end: today + DAY,
        sent: 1,
        delivered: 1,
        read: 1,
        cost: [
          { type: 'amount_spent', value: 0.025 },
          { type: 'cost_per_delivered', value: 0.025 },
          { type: 'cost_per_url_button_click' },
        ],
      },
      {
        template_id: ids.receipt,
        start: today,
        end: today + DAY,
        sent: 2,
        delivered: 2,
        read: 2,
        cost: [
          { type: 'amount_spent', value: 0.008 },
          { type: 'cost_per_delivered', value: 0.004 },
          { type: 'cost_per_url_button_click' },
        ],
      },
    ]);

    const pricing = await wa.accounts.pricingAnalytics({
      start: today,
      end: today + DAY,
      granularity: 'DAILY',
      dimensions: ['COUNTRY', 'PRICING_CATEGORY'],
    });
    expect(pricing.data[0]?.data_points).toEqual(
      expect.arrayContaining([
        {
          start: today,
          end: today + DAY,
          country: 'US',
          pricing_category: 'MARKETING',
          volume: 1,
          cost: 0.025,
        },
        {
          start: today,
          end: today + DAY,
          country: 'US',
          pricing_category: 'UTILITY',
          volume: 1,
          cost: 0.004,
        },
        {
          start: today,
          end: today + DAY,
          country: 'GB',
          pricing_category: 'UTILITY',
          volume: 1,
          cost: 0.004,
        },
      ]),
    );
    const utilityOnly = await wa.accounts.pricingAnalytics({
      start: today,
      end: today + DAY,
      granularity: 'MONTHLY',
      pricingCategories: ['UTILITY'],
    });
    expect(utilityOnly.data[0]?.data_points).toHaveLength(1);
    expect(utilityOnly.data[0]?.data_points[0]).toMatchObject({ volume: 2, cost: 0.008 });
  });
});
