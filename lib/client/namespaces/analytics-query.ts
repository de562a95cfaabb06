import type {
  AnalyticsTime,
  PricingAnalyticsQuery,
  TemplateAnalyticsQuery,
} from '../../types/outgoing/index.js';
import type { GraphQueryValue } from '../../types/outgoing/graph-request.js';
import { array, fail, number, oneOf } from '../validation/checks.js';
import { pathId } from '../validation/path-id.js';

// Pure builders of the analytics requests: every value is checked here, before any request, and
// only letters, digits and `_` / `+` reach a field-expansion string (no `(`, `)`, `.` or `,`
// that could change what Graph reads).

/** A Graph enum value, known or not: upper-case letters, digits and `_`. */
const ENUM = /^[A-Z][A-Z0-9_]{0,63}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** 2^32: UNIX seconds until 2106. A larger number is almost surely milliseconds. */
const MAX_SECONDS = 4_294_967_296;

/** UNIX seconds (from a number or a Date), or a `'YYYY-MM-DD'` day as given. */
export function analyticsTime(value: AnalyticsTime, field: string): number | string {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) fail(field, 'must be a valid Date');
    return Math.floor(ms / 1000);
  }
  if (typeof value === 'string') {
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      fail(field, 'must be UNIX seconds, a Date or "YYYY-MM-DD"');
    }
    return value;
  }
  if (typeof value === 'number' && value > MAX_SECONDS) {
    fail(field, 'must be UNIX seconds, not milliseconds (divide by 1000 or pass a Date)');
  }
  if (!Number.isInteger(value))
    fail(field, 'must be UNIX seconds (an integer), a Date or "YYYY-MM-DD"');
  return number(value, field, 0, MAX_SECONDS);
}

/** `start` and `end` checked, and `start` before `end` when both are comparable. */
function range(query: { start: AnalyticsTime; end: AnalyticsTime }): {
  start: number | string;
  end: number | string;
} {
  const start = analyticsTime(query.start, 'start');
  const end = analyticsTime(query.end, 'end');
  if (typeof start === typeof end && start >= end) fail('end', 'must be after start');
  return { start, end };
}

function enums(value: unknown, field: string, max = 20): string[] | undefined {
  if (value === undefined) return undefined;
  return array(value, field, 1, max).map((item, i) => {
    if (typeof item !== 'string' || !ENUM.test(item)) {
      fail(`${field}[${i}]`, 'must be an upper-case Meta enum value such as "MARKETING"');
    }
    return item;
  });
}

function matching(
  value: unknown,
  field: string,
  pattern: RegExp,
  reason: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  return array(value, field, 1, 1000).map((item, i) => {
    if (typeof item !== 'string' || !pattern.test(item)) fail(`${field}[${i}]`, reason);
    return item;
  });
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(field, 'must be a boolean');
  return value;
}

/**
 * The query string of `GET /{waba-id}/template_analytics`:
 * `template_ids=[1924084211297547,954638012257287]`, `metric_types=SENT,DELIVERED` (comma list).
 * `template_ids` in brackets is the form every capture shows; `metric_types` is seen both as a comma
 * list and as a JSON array (Graph takes either for an array parameter). Meta's analytics page
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/analytics) could not be
 * read in full to confirm which its example uses: unconfirmed, docs/accounts.md.
 */
export function templateAnalyticsParams(
  query: TemplateAnalyticsQuery,
): Record<string, GraphQueryValue> {
  const { start, end } = range(query);
  const ids = array(query.templateIds, 'templateIds', 1, 10).map((id, i) =>
    pathId(id, `templateIds[${i}]`),
  );
  const granularity = oneOf(query.granularity ?? 'DAILY', 'granularity', ['DAILY']);
  const productType =
    query.productType === undefined ? undefined : enums([query.productType], 'productType')?.[0];
  return {
    start,
    end,
    granularity,
    metric_types: enums(query.metricTypes, 'metricTypes'),
    template_ids: `[${ids.join(',')}]`,
    product_type: productType,
    use_waba_timezone: optionalBoolean(query.useWabaTimezone, 'useWabaTimezone'),
    limit: query.limit === undefined ? undefined : number(query.limit, 'limit', 1, 1000),
    after: query.after,
    before: query.before,
  };
}

/** One filter of a field expansion: a scalar as is, a list as a JSON array (`["US","IN"]`). */
export type ExpansionValue = string | number | readonly string[];

/**
 * Graph's field-expansion syntax: `field.name(value).list(["a","b"])`, parameters in the given
 * order, `undefined` ones left out. Values must already be checked (no `(`, `)` or `.`).
 */
export function fieldExpansion(
  field: string,
  params: ReadonlyArray<readonly [string, ExpansionValue | undefined]>,
): string {
  let text = field;
  for (const [name, value] of params) {
    if (value === undefined) continue;
    const rendered = typeof value === 'object' ? JSON.stringify(value) : String(value);
    text += `.${name}(${rendered})`;
  }
  return text;
}

/**
 * The `fields` value of `GET /{waba-id}?fields=pricing_analytics…`, e.g.
 * `pricing_analytics.start(1717225200).end(1719817200).granularity(DAILY).dimensions(["PRICING_CATEGORY"])`.
 */
export function pricingAnalyticsField(query: PricingAnalyticsQuery): string {
  const { start, end } = range(query);
  return fieldExpansion('pricing_analytics', [
    ['start', start],
    ['end', end],
    ['granularity', oneOf(query.granularity, 'granularity', ['HALF_HOUR', 'DAILY', 'MONTHLY'])],
    [
      'phone_numbers',
      matching(
        query.phoneNumbers,
        'phoneNumbers',
        /^\+?\d{4,20}$/,
        'must be digits (a display number)',
      ),
    ],
    [
      'country_codes',
      matching(
        query.countryCodes,
        'countryCodes',
        /^[A-Z]{2}$/,
        'must be a 2-letter code such as "US"',
      ),
    ],
    ['metric_types', enums(query.metricTypes, 'metricTypes')],
    ['pricing_types', enums(query.pricingTypes, 'pricingTypes')],
    ['pricing_categories', enums(query.pricingCategories, 'pricingCategories')],
    ['dimensions', enums(query.dimensions, 'dimensions')],
  ]);
}
