import { GraphError, invalidParameter } from '../graph-error.js';
import { parseJsonObject } from '../http-util.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { ChatMessage } from '../sandbox-store.js';
import { postMessages } from './messages-endpoint.js';

// Template analytics, pricing analytics and the Marketing Messages API send, from the messages
// the sandbox actually sent and their statuses. Shapes as Meta documents them:
// https://developers.facebook.com/docs/whatsapp/business-management-api/analytics

const DAY = 86_400;
/** Made-up per-message rates (USD), so costs are plausible and stable. */
const RATES: Readonly<Record<string, number>> = {
  MARKETING: 0.025,
  UTILITY: 0.004,
  AUTHENTICATION: 0.0135,
};
const DELIVERED = new Set(['delivered', 'read']);
const SENT = new Set(['sent', 'delivered', 'read']);

/** Answers these endpoints of the sandbox's number and WABA; `undefined` for any other request. */
export function routeAnalytics(ctx: SandboxContext, req: GraphRequest): GraphAnswer | undefined {
  const [id, edge] = req.segments;
  const o = ctx.options;
  if (id === o.phoneNumberId && edge === 'marketing_messages' && req.method === 'POST') {
    return marketingMessage(ctx, req);
  }
  if (id !== o.businessAccountId) return undefined;
  if (edge === 'template_analytics' && req.method === 'GET') return templateAnalytics(ctx, req);
  if (edge !== undefined) return undefined;
  const insights = req.query.get('is_enabled_for_insights');
  if (req.method === 'POST' && insights !== null) {
    if (insights !== 'true') throw invalidParameter('is_enabled_for_insights can only be true.');
    return { status: 200, json: { id } };
  }
  const fields = req.query.get('fields') ?? '';
  if (req.method === 'GET' && fields.startsWith('pricing_analytics.')) {
    return { status: 200, json: { pricing_analytics: pricingAnalytics(ctx, fields), id } };
  }
  return undefined;
}

/** A MARKETING template only; the rest as `/messages` does (the MM-only fields checked, then dropped). */
function marketingMessage(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  if (body.type !== 'template') {
    throw invalidParameter('The Marketing Messages API sends template messages only.');
  }
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    throw invalidParameter('Param recipient_type must be "individual".');
  }
  const { product_policy: policy, message_activity_sharing: sharing, ...rest } = body;
  if (policy !== undefined && policy !== 'CLOUD_API_FALLBACK' && policy !== 'STRICT') {
    throw invalidParameter('Param product_policy must be CLOUD_API_FALLBACK or STRICT.');
  }
  if (sharing !== undefined && typeof sharing !== 'boolean') {
    throw invalidParameter('Param message_activity_sharing must be a boolean.');
  }
  const template = body.template as { name?: unknown; language?: { code?: unknown } } | undefined;
  const found = ctx.store.findTemplate(
    String(template?.name),
    String(template?.language?.code),
    ctx.business.businessAccountId,
  );
  if (found && found.category !== 'MARKETING') {
    throw invalidParameter(
      `Template ${found.name} is ${found.category}: the Marketing Messages API sends MARKETING templates only.`,
    );
  }
  const answer = postMessages(ctx, { ...req, body: Buffer.from(JSON.stringify(rest)) });
  return 'json' in answer && isRecord(answer.json)
    ? { status: answer.status, json: { ...answer.json, success: true } }
    : answer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function seconds(value: string | null | undefined, name: string): number {
  if (value && /^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) / 1000;
  const n = Number(value);
  if (value === null || value === undefined || !Number.isInteger(n)) {
    throw invalidParameter(`Param ${name} must be a UNIX timestamp.`);
  }
  return n;
}

/** Bot template messages, their time in seconds. */
function templateSends(ctx: SandboxContext): Array<{ message: ChatMessage; at: number }> {
  const out: Array<{ message: ChatMessage; at: number }> = [];
  for (const message of ctx.store.messages.values()) {
    // The WABA's own templates (templates are per WABA).
    if (
      message.from === 'bot' &&
      message.template?.businessAccountId === ctx.business.businessAccountId
    ) {
      out.push({ message, at: Math.floor(message.at / 1000) });
    }
  }
  return out;
}

/** Quick-reply clicks: user `button` messages quoting a template message, by button text. */
function clicksOn(ctx: SandboxContext, messageIds: Set<string>): Map<string, number> {
  const clicks = new Map<string, number>();
  for (const message of ctx.store.messages.values()) {
    if (message.from !== 'user' || !message.contextId || !messageIds.has(message.contextId)) {
      continue;
    }
    const button = message.payload.button as { text?: unknown } | undefined;
    if (message.type === 'button' && typeof button?.text === 'string') {
      clicks.set(button.text, (clicks.get(button.text) ?? 0) + 1);
    }
  }
  return clicks;
}

function templateAnalytics(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const start = seconds(req.query.get('start'), 'start');
  const end = seconds(req.query.get('end'), 'end');
  if (start >= end) throw invalidParameter('Param end must be after start.');
  if (req.query.get('granularity') !== 'DAILY') {
    throw invalidParameter('Param granularity must be DAILY.');
  }
  const list = /^\[([^\]]*)\]$/.exec(req.query.get('template_ids') ?? '')?.[1];
  const ids = (list ?? '')
    .split(',')
    .map((s) => s.replace(/["\s]/g, ''))
    .filter(Boolean);
  if (ids.length === 0 || ids.length > 10) {
    throw invalidParameter('Param template_ids must list 1 to 10 template ids, e.g. [123,456].');
  }
  const metrics = new Set(
    (req.query.get('metric_types') ?? 'SENT,DELIVERED,READ,CLICKED,COST').toUpperCase().split(','),
  );
  const sends = templateSends(ctx);
  const points: Array<Record<string, unknown>> = [];
  for (const templateId of ids) {
    for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
      const inDay = sends.filter(
        (s) => s.message.template?.id === templateId && s.at >= day && s.at < day + DAY,
      );
      const delivered = inDay.filter((s) => DELIVERED.has(s.message.status)).length;
      const rate = RATES[inDay[0]?.message.template?.category ?? ''] ?? 0;
      const point: Record<string, unknown> = {
        template_id: templateId,
        start: day,
        end: day + DAY,
      };
      if (metrics.has('SENT')) point.sent = inDay.filter((s) => SENT.has(s.message.status)).length;
      if (metrics.has('DELIVERED')) point.delivered = delivered;
      if (metrics.has('READ')) {
        point.read = inDay.filter((s) => s.message.status === 'read').length;
      }
      if (metrics.has('CLICKED')) {
        const clicks = clicksOn(ctx, new Set(inDay.map((s) => s.message.id)));
        point.clicked = [...clicks].map(([text, count]) => ({
          type: 'quick_reply_button',
          button_content: text,
          count,
        }));
      }
      if (metrics.has('COST')) {
        point.cost = [
          { type: 'amount_spent', value: round(delivered * rate) },
          delivered > 0
            ? { type: 'cost_per_delivered', value: rate }
            : { type: 'cost_per_delivered' },
          { type: 'cost_per_url_button_click' },
        ];
      }
      points.push(point);
    }
  }
  return {
    status: 200,
    json: { data: [{ granularity: 'DAILY', product_type: 'cloud_api', data_points: points }] },
  };
}

function round(value: number): number {
  return Number(value.toFixed(4));
}

/** The filters of a field expansion: `.name(value)`, lists JSON-decoded. */
function filtersOf(fields: string): Map<string, string | string[]> {
  const filters = new Map<string, string | string[]>();
  for (const [, name, raw] of fields.matchAll(/\.(\w+)\(([^()]*)\)/g)) {
    if (name === undefined || raw === undefined) continue;
    let value: string | string[] = raw;
    if (raw.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (Array.isArray(parsed)) value = parsed.map(String);
      } catch {
        throw invalidParameter(`Param ${name} must be a JSON list.`);
      }
    }
    filters.set(name, value);
  }
  return filters;
}

function bucket(at: number, granularity: string): [number, number] {
  if (granularity === 'MONTHLY') {
    const d = new Date(at * 1000);
    return [
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000,
      Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000,
    ];
  }
  const size = granularity === 'HALF_HOUR' ? 1800 : DAY;
  const from = Math.floor(at / size) * size;
  return [from, from + size];
}

/** A recipient's country from its calling code (a few common ones; others `ZZ`). */
function countryOf(waId: string): string {
  const codes: Array<[string, string]> = [
    ['1', 'US'],
    ['44', 'GB'],
    ['49', 'DE'],
    ['33', 'FR'],
    ['34', 'ES'],
    ['55', 'BR'],
    ['52', 'MX'],
    ['91', 'IN'],
    ['62', 'ID'],
  ];
  return codes.find(([prefix]) => waId.startsWith(prefix))?.[1] ?? 'ZZ';
}

/** Delivered messages: templates billed at their category's rate, the rest free service messages. */
function pricingAnalytics(
  ctx: SandboxContext,
  fields: string,
): { data: Array<{ data_points: Array<Record<string, unknown>> }> } {
  const filters = filtersOf(fields);
  const start = seconds(filters.get('start') as string | undefined, 'start');
  const end = seconds(filters.get('end') as string | undefined, 'end');
  const granularity = String(filters.get('granularity') ?? '');
  if (!['HALF_HOUR', 'DAILY', 'MONTHLY'].includes(granularity)) {
    throw invalidParameter('Param granularity must be HALF_HOUR, DAILY or MONTHLY.');
  }
  const list = (name: string): string[] => {
    const value = filters.get(name);
    return Array.isArray(value) ? value : [];
  };
  const dimensions = new Set(list('dimensions'));
  const [categories, types, countries, metrics] = [
    list('pricing_categories'),
    list('pricing_types'),
    list('country_codes'),
    list('metric_types'),
  ];
  const numbers = new Map(
    ctx.options.businesses
      .filter((b) => b.businessAccountId === ctx.business.businessAccountId)
      .map((b) => [b.phoneNumberId, b.displayPhoneNumber]),
  );
  const phones = list('phone_numbers').map((p) => p.replace(/\D/g, ''));
  const points = new Map<string, Record<string, unknown>>();
  for (const message of ctx.store.messages.values()) {
    // Messages sent by the numbers of this WABA only.
    const phone = numbers.get(message.phoneNumberId);
    if (phone === undefined) continue;
    const at = Math.floor(message.at / 1000);
    if (message.from !== 'bot' || !DELIVERED.has(message.status) || at < start || at >= end) {
      continue;
    }
    const category = message.template?.category ?? 'SERVICE';
    const type = message.template ? 'REGULAR' : 'FREE_CUSTOMER_SERVICE';
    const country = countryOf(message.waId);
    if (categories.length > 0 && !categories.includes(category)) continue;
    if (types.length > 0 && !types.includes(type)) continue;
    if (countries.length > 0 && !countries.includes(country)) continue;
    if (phones.length > 0 && !phones.includes(phone ?? '')) continue;
    const [from, to] = bucket(at, granularity);
    const point: Record<string, unknown> = { start: from, end: to };
    if (dimensions.has('PHONE')) point.phone_number = phone;
    if (dimensions.has('COUNTRY')) point.country = country;
    if (dimensions.has('PRICING_TYPE')) point.pricing_type = type;
    if (dimensions.has('PRICING_CATEGORY')) point.pricing_category = category;
    if (dimensions.has('TIER')) point.tier = '0:250000';
    const key = JSON.stringify(point);
    const sum = points.get(key) ?? { ...point, volume: 0, cost: 0 };
    sum.volume = (sum.volume as number) + 1;
    sum.cost = round((sum.cost as number) + (message.template ? (RATES[category] ?? 0) : 0));
    points.set(key, sum);
  }
  const dataPoints = [...points.values()].map((p) => {
    if (metrics.length > 0 && !metrics.includes('VOLUME')) delete p.volume;
    if (metrics.length > 0 && !metrics.includes('COST')) delete p.cost;
    return p;
  });
  return { data: [{ data_points: dataPoints }] };
}
