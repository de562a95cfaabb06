import type { FakeAnswer } from './fake-graph-answer.js';
import { graphError } from './fake-graph-answer.js';
import { fakeId, fakeWamid, type FakeGraphStore } from './fake-graph-store.js';
import { routeGroupsAndCalls } from './fake-groups-calls-routes.js';
import type { RecordedRequest } from './recorded-request.js';
import { routeManagementRequest } from './fake-graph-management.js';
import { routeAnalytics } from './fake-analytics-routes.js';

/**
 * Unversioned path of media downloads; `GET /{media-id}` points its `url` here. Meta's media path
 * (lookaside.fbsbx.com/whatsapp_business/attachments/?mid=…): the only path `media.download`
 * fetches from the Graph origin.
 */
export const FAKE_MEDIA_DOWNLOAD_PATH = '/whatsapp_business/attachments/';

const ok = (json: unknown): FakeAnswer => ({ status: 200, json });
const success = (): FakeAnswer => ok({ success: true });
const unsupported = (req: RecordedRequest): FakeAnswer =>
  graphError(400, {
    code: 100,
    error_subcode: 33,
    message: `Unsupported ${req.method.toLowerCase()} request. Object with ID '${req.graphPath.split('/')[1] ?? ''}' does not exist`,
    details: 'Unsupported request',
  });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Cursor pagination like Graph's: `after`/`before` are opaque base64 cursors of an index. */
export function page<T>(items: T[], req: RecordedRequest, baseUrl: string): FakeAnswer {
  const limit = Math.max(1, Math.min(Number(req.query.limit ?? 25) || 25, 1000));
  const decode = (cursor: string) => Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  const encode = (index: number) => Buffer.from(String(index), 'utf8').toString('base64url');
  let start = 0;
  if (req.query.after !== undefined) start = decode(req.query.after) + 1;
  else if (req.query.before !== undefined) start = Math.max(0, decode(req.query.before) - limit);
  if (!Number.isInteger(start) || start < 0)
    return graphError(400, { code: 100, details: 'Invalid cursor' });
  const data = items.slice(start, start + limit);
  const end = start + data.length - 1;
  const paging: Record<string, unknown> = {
    cursors: data.length > 0 ? { before: encode(start), after: encode(end) } : {},
  };
  if (end + 1 < items.length) {
    const next = new URL(baseUrl + req.path);
    for (const [k, v] of Object.entries(req.query)) next.searchParams.set(k, v);
    next.searchParams.set('after', encode(end));
    next.searchParams.delete('before');
    paging.next = next.toString();
  }
  return ok({ data, paging });
}

function sendMessage(req: RecordedRequest): FakeAnswer {
  const body = req.json;
  if (!isObject(body) || body.messaging_product !== 'whatsapp') {
    return graphError(400, { code: 100, details: 'messaging_product is required' });
  }
  if (body.status === 'read') {
    return typeof body.message_id === 'string'
      ? success()
      : graphError(400, { code: 100, details: 'message_id is required' });
  }
  const to = typeof body.to === 'string' ? body.to : undefined;
  const recipient = typeof body.recipient === 'string' ? body.recipient : undefined;
  if (!to && !recipient)
    return graphError(400, { code: 131008, details: 'Required parameter is missing: to' });
  if (
    typeof body.type !== 'string' ||
    (!isObject(body[body.type]) && !Array.isArray(body[body.type]))
  ) {
    return graphError(400, { code: 131008, details: 'Required parameter is missing: type' });
  }
  if (body.recipient_type === 'group') {
    const message = { id: fakeWamid(), group_id: to };
    return ok({ messaging_product: 'whatsapp', contacts: [{ input: to }], messages: [message] });
  }
  const contact = to
    ? { input: to, wa_id: to.replace(/\D/g, '') }
    : { input: recipient, user_id: recipient };
  const message: Record<string, unknown> = { id: fakeWamid() };
  if (body.type === 'template') message.message_status = 'accepted';
  return ok({ messaging_product: 'whatsapp', contacts: [contact], messages: [message] });
}

/** Answers a request like the Graph API would, from the store. */
export function routeGraphRequest(
  req: RecordedRequest,
  store: FakeGraphStore,
  baseUrl: string,
): FakeAnswer {
  if (req.path === FAKE_MEDIA_DOWNLOAD_PATH && req.method === 'GET') {
    const media = store.media.get(req.query.mid ?? '');
    if (!media)
      return {
        status: 404,
        body: Buffer.from('Not Found'),
        headers: { 'content-type': 'text/plain' },
      };
    return { status: 200, body: media.data, headers: { 'content-type': media.mimeType } };
  }
  if (!req.apiVersion) return unsupported(req);
  const groupOrCall = routeGroupsAndCalls(req, store);
  if (groupOrCall !== undefined) return groupOrCall;
  const analytics = routeAnalytics(req, store, sendMessage);
  if (analytics) return analytics;
  const management = routeManagementRequest(
    req,
    store.management,
    new Set(store.phoneNumbers.map((p) => p.id)),
    (items, r) => page(items, r, baseUrl),
  );
  if (management) return management;
  const parts = req.graphPath.split('/').filter(Boolean);
  const [id, edge] = parts;
  if (parts.length === 2 && edge === 'messages' && req.method === 'POST') return sendMessage(req);
  if (parts.length === 2 && edge === 'media' && req.method === 'POST') {
    const file = req.files?.find((f) => f.field === 'file');
    if (req.fields?.messaging_product !== 'whatsapp' || !file) {
      return graphError(400, { code: 100, details: 'messaging_product and file are required' });
    }
    return ok({
      id: store.addMedia(
        file.data,
        file.contentType || req.fields.type || 'application/octet-stream',
        id,
      ).id,
    });
  }
  if (parts.length === 2 && edge === 'message_templates') {
    if (req.method === 'GET') {
      let templates = store.templates;
      if (req.query.name) templates = templates.filter((t) => t.name.includes(req.query.name));
      if (req.query.status) templates = templates.filter((t) => t.status === req.query.status);
      return page(templates, req, baseUrl);
    }
    if (req.method === 'POST') {
      const body = isObject(req.json) ? req.json : {};
      const template = {
        id: fakeId(),
        name: String(body.name),
        language: String(body.language),
        category: String(body.category),
        status: 'PENDING',
        components: Array.isArray(body.components)
          ? (body.components as Array<Record<string, unknown>>)
          : [],
      };
      store.templates.push(template);
      return ok({ id: template.id, status: template.status, category: template.category });
    }
    if (req.method === 'DELETE') {
      const before = store.templates.length;
      store.templates = store.templates.filter(
        (t) =>
          !(
            t.name === req.query.name &&
            (req.query.hsm_id === undefined || t.id === req.query.hsm_id)
          ),
      );
      return before === store.templates.length
        ? graphError(400, { code: 100, details: `Template ${req.query.name ?? ''} not found` })
        : success();
    }
  }
  if (parts.length === 2 && edge === 'phone_numbers' && req.method === 'GET') {
    return page(store.phoneNumbers, req, baseUrl);
  }
  if (
    parts.length === 2 &&
    /^(owned|client)_whatsapp_business_accounts$/.test(edge) &&
    req.method === 'GET'
  ) {
    return page(edge.startsWith('owned') ? store.businessAccounts : [], req, baseUrl);
  }
  if (parts.length === 1) {
    const media = store.media.get(id);
    if (media) {
      if (req.method === 'DELETE') {
        store.media.delete(id);
        return success();
      }
      if (req.method === 'GET') {
        const url = new URL(baseUrl + FAKE_MEDIA_DOWNLOAD_PATH);
        url.searchParams.set('mid', media.id);
        url.searchParams.set('ext', '1700000000');
        url.searchParams.set('hash', 'ATfake');
        return ok({
          messaging_product: 'whatsapp',
          url: url.toString(),
          mime_type: media.mimeType,
          sha256: media.sha256,
          file_size: media.data.length,
          id: media.id,
        });
      }
    }
    const template = store.templates.find((t) => t.id === id);
    if (template) {
      if (req.method === 'GET') return ok(template);
      if (req.method === 'POST') {
        const body = isObject(req.json) ? req.json : {};
        if (Array.isArray(body.components))
          template.components = body.components as Array<Record<string, unknown>>;
        if (typeof body.category === 'string') template.category = body.category;
        return success();
      }
    }
    const phone = store.phoneNumbers.find((p) => p.id === id);
    if (phone && req.method === 'GET') {
      const newName = store.management.displayNames.get(id);
      const all: Record<string, unknown> = {
        ...phone,
        conversational_automation: store.management.automation.get(id),
        name_status: phone.name_status ?? 'APPROVED',
        new_display_name: newName,
        new_name_status: newName === undefined ? 'NONE' : 'PENDING_REVIEW',
      };
      // Like Meta: with `fields`, only those (and `id`); without, the default set.
      const fields = req.query.fields?.split(',').filter(Boolean);
      if (fields === undefined || fields.length === 0) return ok(all);
      return ok(
        Object.fromEntries(
          Object.entries(all).filter(([key]) => key === 'id' || fields.includes(key)),
        ),
      );
    }
  }
  return unsupported(req);
}
