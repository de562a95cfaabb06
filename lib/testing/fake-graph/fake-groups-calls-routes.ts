import { randomBytes } from 'node:crypto';
import type { FakeAnswer } from './fake-graph-answer.js';
import { graphError } from './fake-graph-answer.js';
import type { FakeGraphStore } from './fake-graph-store.js';
import type { RecordedRequest } from './recorded-request.js';

/** A group the fake Graph API created (`POST /{phone}/groups`). */
export interface FakeGroup {
  id: string;
  /** The `request_id` `groups.create` answered (the `group_lifecycle_update` webhook carries it). */
  requestId: string;
  phoneNumberId: string;
  subject: string;
  description?: string;
  join_approval_mode: string;
  invite_link: string;
  creation_timestamp: number;
  participants: Array<{ wa_id: string }>;
  join_requests: Array<{ join_request_id: string; wa_id: string; creation_timestamp: number }>;
}

/** Per store: the groups and the calling settings (kept beside the store, not in it). */
const state = new WeakMap<
  FakeGraphStore,
  { groups: FakeGroup[]; calling: Record<string, unknown> }
>();

/** The groups of a fake Graph API's store (what `groups.create` made), for tests. */
export function fakeGroupsOf(store: FakeGraphStore): FakeGroup[] {
  let s = state.get(store);
  if (s === undefined) {
    s = { groups: [], calling: { status: 'DISABLED', call_icon_visibility: 'DEFAULT' } };
    state.set(store, s);
  }
  return s.groups;
}

const ok = (json: unknown): FakeAnswer => ({ status: 200, json });
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const requestId = () => `req_${randomBytes(6).toString('hex')}`;
const missing = (what: string) =>
  graphError(400, { code: 100, details: `Required parameter is missing: ${what}` });

/** Answers the Groups and Calling endpoints; `undefined` for any other request. */
export function routeGroupsAndCalls(
  req: RecordedRequest,
  store: FakeGraphStore,
): FakeAnswer | undefined {
  const parts = req.graphPath.split('/').filter(Boolean);
  const [id, edge] = parts;
  const groups = fakeGroupsOf(store);
  const body = isObject(req.json) ? req.json : undefined;
  if (parts.length === 2 && edge === 'groups') {
    if (req.method === 'POST') {
      if (body?.messaging_product !== 'whatsapp' || typeof body.subject !== 'string')
        return missing('subject');
      const groupId = randomBytes(30).toString('base64url');
      const created = requestId();
      groups.push({
        id: groupId,
        requestId: created,
        phoneNumberId: id,
        subject: body.subject,
        description: typeof body.description === 'string' ? body.description : undefined,
        join_approval_mode:
          typeof body.join_approval_mode === 'string' ? body.join_approval_mode : 'auto_approve',
        invite_link: `https://chat.whatsapp.com/${randomBytes(11).toString('base64url')}`,
        creation_timestamp: Math.floor(Date.now() / 1000),
        participants: [],
        join_requests: [],
      });
      return ok({ messaging_product: 'whatsapp', request_id: created });
    }
    if (req.method === 'GET') {
      const mine = groups.filter((g) => g.phoneNumberId === id);
      const limit = Math.max(1, Math.min(Number(req.query.limit ?? 25) || 25, 1024));
      const start =
        req.query.after === undefined
          ? 0
          : Number(Buffer.from(req.query.after, 'base64url').toString()) + 1;
      const slice = mine.slice(start, start + limit);
      const end = start + slice.length - 1;
      const paging: Record<string, unknown> = {
        cursors: slice.length
          ? {
              before: Buffer.from(String(start)).toString('base64url'),
              after: Buffer.from(String(end)).toString('base64url'),
            }
          : {},
      };
      if (end + 1 < mine.length)
        paging.next = `https://graph.facebook.com/${id}/groups?after=${String(paging.cursors && (paging.cursors as Record<string, string>).after)}`;
      return ok({
        data: {
          groups: slice.map((g) => ({
            id: g.id,
            subject: g.subject,
            created_at: g.creation_timestamp,
          })),
        },
        paging,
      });
    }
  }
  if (parts.length === 2 && edge === 'calls' && req.method === 'POST') {
    if (body?.messaging_product !== 'whatsapp') return missing('messaging_product');
    if (body.action === 'connect') {
      if (!isObject(body.session) || typeof body.session.sdp !== 'string')
        return missing('session');
      return ok({
        messaging_product: 'whatsapp',
        calls: [{ id: `wacid.${randomBytes(24).toString('base64url')}` }],
      });
    }
    if (typeof body.call_id !== 'string') return missing('call_id');
    if ((body.action === 'pre_accept' || body.action === 'accept') && !isObject(body.session))
      return missing('session');
    if (!['pre_accept', 'accept', 'reject', 'terminate'].includes(String(body.action)))
      return missing('action');
    return ok({ messaging_product: 'whatsapp', success: true });
  }
  if (parts.length === 2 && edge === 'call_permissions' && req.method === 'GET') {
    if (req.query.user_wa_id === undefined && req.query.recipient === undefined)
      return missing('user_wa_id');
    return ok({
      messaging_product: 'whatsapp',
      permission: {
        status: 'temporary',
        expiration_time: Math.floor(Date.now() / 1000) + 7 * 86400,
      },
      actions: [
        {
          action_name: 'send_call_permission_request',
          can_perform_action: true,
          limits: [{ time_period: 'PT24H', max_allowed: 1, current_usage: 0 }],
        },
        {
          action_name: 'start_call',
          can_perform_action: true,
          limits: [{ time_period: 'PT24H', max_allowed: 5, current_usage: 0 }],
        },
      ],
    });
  }
  // `/{phone-number-id}/settings` (calling included) is answered by fake-graph-management.ts.
  const group = groups.find((g) => g.id === id);
  if (group === undefined) return undefined;
  if (parts.length === 1) {
    if (req.method === 'GET') {
      return ok({
        id: group.id,
        subject: group.subject,
        description: group.description,
        creation_timestamp: group.creation_timestamp,
        suspended: false,
        total_participant_count: group.participants.length,
        participants: group.participants,
        join_approval_mode: group.join_approval_mode,
      });
    }
    if (req.method === 'POST') {
      if (req.fields?.messaging_product !== 'whatsapp') return missing('messaging_product');
      if (req.fields.subject !== undefined) group.subject = req.fields.subject;
      if (req.fields.description !== undefined) group.description = req.fields.description;
      return ok({ success: true });
    }
    if (req.method === 'DELETE') {
      groups.splice(groups.indexOf(group), 1);
      return ok({ messaging_product: 'whatsapp', request_id: requestId() });
    }
  }
  if (edge === 'invite_link') {
    if (req.method === 'POST')
      group.invite_link = `https://chat.whatsapp.com/${randomBytes(11).toString('base64url')}`;
    return ok({ messaging_product: 'whatsapp', invite_link: group.invite_link });
  }
  if (edge === 'join_requests') {
    if (req.method === 'GET') return ok({ data: group.join_requests, paging: { cursors: {} } });
    const ids = Array.isArray(body?.join_requests) ? (body.join_requests as unknown[]) : undefined;
    if (ids === undefined) return missing('join_requests');
    for (const jr of group.join_requests.filter((r) => ids.includes(r.join_request_id))) {
      if (req.method === 'POST') group.participants.push({ wa_id: jr.wa_id });
    }
    group.join_requests = group.join_requests.filter((r) => !ids.includes(r.join_request_id));
    return ok({ messaging_product: 'whatsapp', request_id: requestId() });
  }
  if (edge === 'participants' && req.method === 'DELETE') {
    const list = Array.isArray(body?.participants)
      ? (body.participants as Array<Record<string, unknown>>)
      : undefined;
    if (list === undefined) return missing('participants');
    const users = new Set(list.map((p) => p.user ?? p.user_id));
    group.participants = group.participants.filter((p) => !users.has(p.wa_id));
    return ok({ messaging_product: 'whatsapp', request_id: requestId() });
  }
  return undefined;
}
