import { describe, expect, it } from '@jest/globals';
import { WhatsAppValidationError } from '../../errors/whatsapp-validation.error.js';
import type { PricingAnalyticsQuery } from '../../types/outgoing/index.js';
import {
  analyticsTime,
  fieldExpansion,
  pricingAnalyticsField,
  templateAnalyticsParams,
} from './analytics-query.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof WhatsAppValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('fieldExpansion', () => {
  it('writes scalars as is, lists as JSON arrays, in order, leaving undefined out', () => {
    expect(
      fieldExpansion('pricing_analytics', [
        ['start', 1717225200],
        ['end', 1719817200],
        ['granularity', 'DAILY'],
        ['phone_numbers', undefined],
        ['country_codes', ['US', 'IN']],
      ]),
    ).toBe(
      'pricing_analytics.start(1717225200).end(1719817200).granularity(DAILY).country_codes(["US","IN"])',
    );
    expect(fieldExpansion('analytics', [])).toBe('analytics');
  });
});

describe('pricingAnalyticsField', () => {
  const base: PricingAnalyticsQuery = { start: 1717225200, end: 1719817200, granularity: 'DAILY' };

  it("builds Meta's field expansion with every filter", () => {
    expect(
      pricingAnalyticsField({
        ...base,
        granularity: 'MONTHLY',
        phoneNumbers: ['15550783881'],
        countryCodes: ['US'],
        metricTypes: ['COST', 'VOLUME'],
        pricingTypes: ['REGULAR'],
        pricingCategories: ['MARKETING', 'UTILITY'],
        dimensions: ['PRICING_CATEGORY', 'COUNTRY'],
      }),
    ).toBe(
      'pricing_analytics.start(1717225200).end(1719817200).granularity(MONTHLY)' +
        '.phone_numbers(["15550783881"]).country_codes(["US"]).metric_types(["COST","VOLUME"])' +
        '.pricing_types(["REGULAR"]).pricing_categories(["MARKETING","UTILITY"])' +
        '.dimensions(["PRICING_CATEGORY","COUNTRY"])',
    );
  });

  it('takes Dates (floored to seconds) and keeps enum values Meta adds later', () => {
    expect(
      pricingAnalyticsField({
        start: new Date('2025-07-01T00:00:00.999Z'),
        end: new Date('2025-08-01T00:00:00Z'),
        granularity: 'HALF_HOUR',
        pricingCategories: ['GROUP_MARKETING'],
      }),
    ).toBe(
      'pricing_analytics.start(1751328000).end(1754006400).granularity(HALF_HOUR).pricing_categories(["GROUP_MARKETING"])',
    );
  });

  it('refuses what could change the expansion, or a wrong range, naming the field', () => {
    const cases: Array<[Partial<PricingAnalyticsQuery>, string]> = [
      [{ countryCodes: ['US).dimensions(["PHONE'] }, 'countryCodes[0]'],
      [{ dimensions: ['country'] }, 'dimensions[0]'],
      [{ pricingCategories: ['MARKETING,UTILITY'] }, 'pricingCategories[0]'],
      [{ phoneNumbers: ['+1 555'] }, 'phoneNumbers[0]'],
      [{ metricTypes: [] }, 'metricTypes'],
      [{ granularity: 'DAY' as 'DAILY' }, 'granularity'],
      [{ start: 1719817200, end: 1717225200 }, 'end'],
      [{ start: Date.now() }, 'start'],
      [{ end: 1.5 }, 'end'],
      [{ start: new Date('nope') }, 'start'],
      [{ start: '2025/07/01' }, 'start'],
    ];
    for (const [patch, field] of cases) {
      expect(fieldOf(() => pricingAnalyticsField({ ...base, ...patch }))).toBe(field);
    }
  });
});

describe('templateAnalyticsParams', () => {
  it("writes template_ids as Meta's bracketed list and metric_types as a comma list", () => {
    expect(
      templateAnalyticsParams({
        start: 1689379200,
        end: 1689552000,
        templateIds: ['1924084211297547', '954638012257287'],
        metricTypes: ['COST', 'CLICKED', 'DELIVERED', 'READ', 'SENT'],
      }),
    ).toEqual({
      start: 1689379200,
      end: 1689552000,
      granularity: 'DAILY',
      metric_types: ['COST', 'CLICKED', 'DELIVERED', 'READ', 'SENT'],
      template_ids: '[1924084211297547,954638012257287]',
      product_type: undefined,
      use_waba_timezone: undefined,
      limit: undefined,
      after: undefined,
      before: undefined,
    });
  });

  it('passes MM API days and options through', () => {
    expect(
      templateAnalyticsParams({
        start: '2025-07-01',
        end: '2025-07-31',
        templateIds: ['1'],
        productType: 'MARKETING_MESSAGES_LITE_API',
        useWabaTimezone: true,
        limit: 30,
      }),
    ).toMatchObject({
      start: '2025-07-01',
      end: '2025-07-31',
      product_type: 'MARKETING_MESSAGES_LITE_API',
      use_waba_timezone: true,
      limit: 30,
    });
  });

  it('refuses 0 or more than 10 templates, bad ids and bad options', () => {
    const base = { start: 1689379200, end: 1689552000, templateIds: ['1'] };
    expect(fieldOf(() => templateAnalyticsParams({ ...base, templateIds: [] }))).toBe(
      'templateIds',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => String(i + 1));
    expect(fieldOf(() => templateAnalyticsParams({ ...base, templateIds: eleven }))).toBe(
      'templateIds',
    );
    expect(fieldOf(() => templateAnalyticsParams({ ...base, templateIds: ['1,2'] }))).toBe(
      'templateIds[0]',
    );
    expect(
      fieldOf(() =>
        templateAnalyticsParams({ ...base, useWabaTimezone: 'yes' as unknown as boolean }),
      ),
    ).toBe('useWabaTimezone');
    expect(fieldOf(() => templateAnalyticsParams({ ...base, limit: 0 }))).toBe('limit');
  });
});

describe('analyticsTime', () => {
  it('says milliseconds when given milliseconds', () => {
    expect(() => analyticsTime(1_719_817_200_000, 'start')).toThrow(/not milliseconds/);
    expect(analyticsTime(0, 'start')).toBe(0);
  });
});
