import { graphError, type FakeAnswer } from './fake-graph-answer.js';
import type { FakeTemplate } from './fake-graph-store.js';
import type { RecordedRequest } from './recorded-request.js';

// Template analytics, pricing analytics and the Marketing Messages API send, answered with Meta's
// bodies (https://developers.facebook.com/docs/whatsapp/business-management-api/analytics) from
// the template sends this fake accepted.

/** A template send the fake accepted (on `/messages` or `/marketing_messages`). */
export interface FakeTemplateSend {
  templateId?: string;
  category: string;
  /** UNIX seconds. */
  at: number;
  phoneNumberId: string;
  to: string;
}

/** Rates the fake bills per delivered message (USD), by pricing category. */
export const FAKE_RATES: Readonly<Record<string, number>> = {
  MARKETING: 0.025,
  UTILITY: 0.004,
  AUTHENTICATION: 0.0135,
};

/** What the analytics endpoints report from. */
export class FakeAnalyticsState {
  sends: FakeTemplateSend[] = [];
  /** WABAs whose template analytics were confirmed (`is_enabled_for_insights=true`). */
  insightsEnabled = new Set<string>();
}

interface AnalyticsStore {
  analytics: FakeAnalyticsState;
  templates: FakeTemplate[];
  businessAccounts: Array<{ id: string }>;
  phoneNumbers: Array<{ id: string; display_phone_number: string }>;
}

const DAY = 86_400;
const ok = (json: unknown): FakeAnswer => ({ status: 200, json });
const invalid = (details: string): FakeAnswer =>
  graphError(400, { code: 100, message: '(#100) Invalid parameter', details });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Answers the analytics requests and `/marketing_messages`; records the template sends of
 * `/messages` (answered by `send`). `undefined` for any other request.
 */
export function routeAnalytics(
  req: RecordedRequest,
  store: AnalyticsStore,
  send: (req: RecordedRequest) => FakeAnswer,
): FakeAnswer | undefined {
  const parts = req.graphPath.split('/').filter(Boolean);
  const [id, edge] = parts;
  if (id === undefined || parts.length > 2) return undefined;
  const isWaba = store.businessAccounts.some((w) => w.id === id);
  if (parts.length === 2 && req.method === 'POST' && edge === 'messages') {
    return recordSend(req, store, id, send(req));
  }
  if (parts.length === 2 && req.method === 'POST' && edge === 'marketing_messages') {
    return marketingMessage(req, store, id, send);
  }
  if (!isWaba) return undefined;
  if (parts.length === 2 && edge === 'template_analytics' && req.method === 'GET') {
    return templateAnalytics(req, store);
  }
  if (parts.length === 1 && req.method === 'POST' && req.query.is_enabled_for_insights) {
    if (req.query.is_enabled_for_insights !== 'true') {
      return invalid('is_enabled_for_insights can only be set to true');
    }
    store.analytics.insightsEnabled.add(id);
    return ok({ id });
  }
  if (
    parts.length === 1 &&
    req.method === 'GET' &&
    req.query.fields?.startsWith('pricing_analytics.')
  ) {
    return pricingAnalytics(req, store, id);
  }
  return undefined;
}

function recordSend(
  req: RecordedRequest,
  store: AnalyticsStore,
  phoneNumberId: string,
  answer: FakeAnswer,
): FakeAnswer {
  const body = req.json;
  if (answer.status !== 200 || !isObject(body) || body.type !== 'template') return answer;
  const template = isObject(body.template) ? body.template : {};
  const language = isObject(template.language) ? template.language.code : undefined;
  const known = store.templates.find(
    (t) => t.name === template.name && (language === undefined || t.language === language),
  );
  store.analytics.sends.push({
    templateId: known?.id,
    category: known?.category ?? 'MARKETING',
    at: Math.floor(Date.now() / 1000),
    phoneNumberId,
    to: typeof body.to === 'string' ? body.to : String(body.recipient ?? ''),
  });
  return answer;
}

/** `/marketing_messages`: a template only, MARKETING when the fake knows it; answered like `/messages` plus `success`. */
function marketingMessage(
  req: RecordedRequest,
  store: AnalyticsStore,
  phoneNumberId: string,
  send: (req: RecordedRequest) => FakeAnswer,
): FakeAnswer {
  const body = req.json;
  if (!isObject(body) || body.type !== 'template' || !isObject(body.template)) {
    return invalid('The Marketing Messages API sends template messages only (type "template").');
  }
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return invalid('recipient_type must be "individual"');
  }
  const policy = body.product_policy;
  if (policy !== undefined && policy !== 'CLOUD_API_FALLBACK' && policy !== 'STRICT') {
    return invalid('product_policy must be CLOUD_API_FALLBACK or STRICT');
  }
  const known = store.templates.find((t) => t.name === (body.template as { name?: unknown }).name);
  if (known && known.category !== 'MARKETING') {
    return invalid(
      `Template ${known.name} is ${known.category}: only MARKETING templates can be sent.`,
    );
  }
  const answer = recordSend(req, store, phoneNumberId, send(req));
  return answer.status === 200 && isObject(answer.json)
    ? ok({ ...answer.json, success: true })
    : answer;
}

function dayStart(seconds: number): number {
  return Math.floor(seconds / DAY) * DAY;
}

function templateAnalytics(req: RecordedRequest, store: AnalyticsStore): FakeAnswer {
  const start = Number(req.query.start);
  const end = Number(req.query.end);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start >= end) {
    return invalid('start and end must be UNIX timestamps, start before end');
  }
  if (req.query.granularity !== 'DAILY') return invalid('granularity must be DAILY');
  const ids = /^\[([\w,"\s]*)\]$/.exec(req.query.template_ids ?? '')?.[1];
  if (!ids) return invalid('template_ids is required: a list such as [123,456]');
  const templateIds = ids
    .split(',')
    .map((s) => s.replace(/["\s]/g, ''))
    .filter(Boolean);
  const metrics = new Set(
    (req.query.metric_types ?? 'SENT,DELIVERED,READ,CLICKED,COST').toUpperCase().split(','),
  );
  const dataPoints: Array<Record<string, unknown>> = [];
  for (const templateId of templateIds) {
    for (let day = dayStart(start); day < end; day += DAY) {
      const count = store.analytics.sends.filter(
        (s) => s.templateId === templateId && s.at >= day && s.at < day + DAY,
      ).length;
      const category = store.templates.find((t) => t.id === templateId)?.category ?? 'MARKETING';
      const point: Record<string, unknown> = {
        template_id: templateId,
        start: day,
        end: day + DAY,
      };
      if (metrics.has('SENT')) point.sent = count;
      if (metrics.has('DELIVERED')) point.delivered = count;
      if (metrics.has('READ')) point.read = 0;
      if (metrics.has('CLICKED')) point.clicked = [];
      if (metrics.has('COST')) {
        const spent = count * (FAKE_RATES[category] ?? 0);
        point.cost = [
          { type: 'amount_spent', value: Number(spent.toFixed(4)) },
          count > 0
            ? { type: 'cost_per_delivered', value: FAKE_RATES[category] ?? 0 }
            : { type: 'cost_per_delivered' },
          { type: 'cost_per_url_button_click' },
        ];
      }
      dataPoints.push(point);
    }
  }
  return ok({
    data: [{ granularity: 'DAILY', product_type: 'cloud_api', data_points: dataPoints }],
    paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } },
  });
}

/** The filters of `pricing_analytics.start(…).end(…)…` (lists JSON-decoded). */
export function parseExpansion(fields: string): Map<string, string | string[]> {
  const filters = new Map<string, string | string[]>();
  for (const match of fields.matchAll(/\.(\w+)\(([^()]*)\)/g)) {
    const [, name, raw] = match as unknown as [string, string, string];
    let value: string | string[] = raw;
    if (raw.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        value = Array.isArray(parsed) ? parsed.map(String) : raw;
      } catch {
        value = raw;
      }
    }
    filters.set(name, value);
  }
  return filters;
}

const BUCKETS: Record<string, number> = { HALF_HOUR: 1800, DAILY: DAY, MONTHLY: 0 };

function bucketOf(at: number, granularity: string): [number, number] {
  if (granularity !== 'MONTHLY') {
    const size = BUCKETS[granularity] ?? DAY;
    const from = Math.floor(at / size) * size;
    return [from, from + size];
  }
  const d = new Date(at * 1000);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
  return [from, to];
}

function pricingAnalytics(req: RecordedRequest, store: AnalyticsStore, waba: string): FakeAnswer {
  const filters = parseExpansion(req.query.fields ?? '');
  const start = Number(filters.get('start'));
  const end = Number(filters.get('end'));
  const granularity = String(filters.get('granularity') ?? '');
  if (!Number.isInteger(start) || !Number.isInteger(end) || start >= end) {
    return invalid('start and end must be UNIX timestamps, start before end');
  }
  if (!(granularity in BUCKETS)) return invalid('granularity must be HALF_HOUR, DAILY or MONTHLY');
  const list = (name: string): string[] => {
    const value = filters.get(name);
    return Array.isArray(value) ? value : [];
  };
  const dimensions = new Set(list('dimensions'));
  const categories = list('pricing_categories');
  const metrics = list('metric_types');
  const points = new Map<string, Record<string, unknown>>();
  for (const send of store.analytics.sends) {
    if (send.at < start || send.at >= end) continue;
    if (categories.length > 0 && !categories.includes(send.category)) continue;
    const display = store.phoneNumbers
      .find((p) => p.id === send.phoneNumberId)
      ?.display_phone_number.replace(/\D/g, '');
    const [from, to] = bucketOf(send.at, granularity);
    const point: Record<string, unknown> = { start: from, end: to };
    if (dimensions.has('PHONE')) point.phone_number = display ?? send.phoneNumberId;
    if (dimensions.has('COUNTRY')) point.country = send.to.startsWith('1') ? 'US' : 'ZZ';
    if (dimensions.has('PRICING_TYPE')) point.pricing_type = 'REGULAR';
    if (dimensions.has('PRICING_CATEGORY')) point.pricing_category = send.category;
    if (dimensions.has('TIER')) point.tier = '0:250000';
    const key = JSON.stringify(point);
    const found = points.get(key) ?? { ...point, volume: 0, cost: 0 };
    found.volume = (found.volume as number) + 1;
    found.cost = Number(((found.cost as number) + (FAKE_RATES[send.category] ?? 0)).toFixed(4));
    points.set(key, found);
  }
  const dataPoints = [...points.values()].map((p) => {
    if (metrics.length > 0 && !metrics.includes('VOLUME')) delete p.volume;
    if (metrics.length > 0 && !metrics.includes('COST')) delete p.cost;
    return p;
  });
  return ok({ pricing_analytics: { data: [{ data_points: dataPoints }] }, id: waba });
}
