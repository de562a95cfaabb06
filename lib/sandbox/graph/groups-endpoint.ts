import { randomBytes } from 'node:crypto';
import { GraphError, unknownObject } from '../graph-error.js';
import { GroupCallWebhooks } from '../group-call-webhooks.js';
import { forPhoneNumber } from '../businesses.js';
import type { GroupRecord } from '../groups-calls-records.js';
import { parseJsonObject } from '../http-util.js';
import type { GraphAnswer, GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { UserRecord } from '../sandbox-store.js';
import { checkString, invalid } from './field-checks.js';
import { parseMultipart } from './multipart.js';

/** The sandbox's cap on invite-link joins (Meta's cap has changed since launch: docs/groups.md). */
export const GROUP_SIZE_LIMIT = 8;
/** The simulated users every new group gets, so the page has someone to talk in it. */
const MEMBER_NAMES = ['Ana Costa', 'Ben Okafor', 'Chen Wei', 'Dana Levi', 'Eli Sato', 'Fay Murphy'];

const ok = (json: unknown): GraphAnswer => ({ status: 200, json });
const newRequestId = () => randomBytes(16).toString('hex');

/** `POST /{phone-number-id}/groups`: answers a `request_id`; the group comes in `group_lifecycle_update`. */
export function createGroup(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const body = jsonBody(req);
  const subject = checkString(body, 'subject', 'subject', { required: true, max: 128 }) as string;
  const description = checkString(body, 'description', 'description', { max: 2048 });
  const mode = body.join_approval_mode ?? 'auto_approve';
  if (mode !== 'auto_approve' && mode !== 'approval_required') {
    throw invalid('Param join_approval_mode must be one of {auto_approve, approval_required}.');
  }
  const group: GroupRecord = {
    id: randomBytes(30).toString('base64url'),
    phoneNumberId: ctx.business.phoneNumberId,
    subject,
    description,
    joinApprovalMode: mode,
    inviteLink: newInviteLink(),
    createdAt: Math.floor(Date.now() / 1000),
    participants: [],
    joinRequests: [],
  };
  const requestId = newRequestId();
  const members = newMembers(ctx, 2);
  group.participants = members.map((m) => m.wa_id);
  ctx.store.putGroup(group);
  const webhooks = new GroupCallWebhooks(ctx);
  webhooks.groupCreated(group, requestId);
  // The two simulated members joined by the invite link, as customers would.
  webhooks.participantsAdded(group, members);
  return ok({ messaging_product: 'whatsapp', request_id: requestId });
}

/** `GET /{phone-number-id}/groups?limit=&after=`: the active groups, newest last, by cursor. */
export function listGroups(ctx: SandboxContext, req: GraphRequest): GraphAnswer {
  const all = activeGroups(ctx);
  const limit = Math.max(1, Math.min(Number(req.query.get('limit') ?? 25) || 25, 1024));
  const after = req.query.get('after');
  const start = after === null ? 0 : decodeCursor(after) + 1;
  const page = all.slice(start, start + limit);
  const cursors =
    page.length === 0
      ? {}
      : { before: encodeCursor(start), after: encodeCursor(start + page.length - 1) };
  const paging: Record<string, unknown> = { cursors };
  if (start + page.length < all.length) {
    paging.next = `/${ctx.business.phoneNumberId}/groups?limit=${limit}&after=${cursors.after ?? ''}`;
  }
  return ok({
    data: {
      groups: page.map((g) => ({ id: g.id, subject: g.subject, created_at: g.createdAt })),
    },
    paging,
  });
}

/** The group a `/{group-id}[/edge]` request is about, or undefined when the id is not one. */
export function findGroup(ctx: SandboxContext, id: string): GroupRecord | undefined {
  const group = ctx.store.groups.get(id);
  return group?.deleted ? undefined : group;
}

/** `/{group-id}` and its edges. */
export async function routeGroup(
  ctx: SandboxContext,
  req: GraphRequest,
  group: GroupRecord,
  edge: string | undefined,
): Promise<GraphAnswer> {
  const { method } = req;
  if (edge === undefined) {
    if (method === 'GET') return ok(groupJson(ctx, group, req.query.get('fields')));
    if (method === 'POST') return updateGroup(ctx, req, group);
    if (method === 'DELETE') return deleteGroup(ctx, group);
  }
  if (edge === 'invite_link' && (method === 'GET' || method === 'POST')) {
    if (method === 'POST') {
      group.inviteLink = newInviteLink();
      ctx.store.putGroup(group);
    }
    return ok({ messaging_product: 'whatsapp', invite_link: group.inviteLink });
  }
  if (edge === 'join_requests') {
    if (method === 'GET') return ok(joinRequestsJson(ctx, group));
    if (method === 'POST' || method === 'DELETE') {
      return answerJoinRequests(ctx, group, jsonBody(req), method === 'POST');
    }
  }
  if (edge === 'participants' && method === 'DELETE') return removeParticipants(ctx, req, group);
  throw unknownObject(`${group.id}/${edge ?? ''}`, method);
}

/** A simulated user opens the invite link: joins, or asks to (`approval_required`). */
export function openInviteLink(root: SandboxContext, group: GroupRecord, user: UserRecord): void {
  if (group.participants.includes(user.wa_id)) return;
  // The group's webhooks come from the number that created it.
  const ctx = forPhoneNumber(root, group.phoneNumberId);
  const webhooks = new GroupCallWebhooks(ctx);
  if (group.joinApprovalMode === 'approval_required') {
    if (group.joinRequests.some((r) => r.waId === user.wa_id)) return;
    const request = {
      id: randomBytes(12).toString('hex'),
      waId: user.wa_id,
      createdAt: Math.floor(Date.now() / 1000),
    };
    group.joinRequests.push(request);
    ctx.store.putGroup(group);
    webhooks.joinRequest(group, request.id, user);
    return;
  }
  if (group.participants.length >= GROUP_SIZE_LIMIT) return;
  group.participants.push(user.wa_id);
  ctx.store.putGroup(group);
  webhooks.participantsAdded(group, [user]);
}

function groupJson(
  ctx: SandboxContext,
  group: GroupRecord,
  fields: string | null,
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    id: group.id,
    subject: group.subject,
    description: group.description,
    creation_timestamp: group.createdAt,
    suspended: false,
    total_participant_count: group.participants.length,
    participants: group.participants.map((waId) => participantJson(ctx, waId)),
    join_approval_mode: group.joinApprovalMode,
  };
  if (fields === null) return all;
  const wanted = new Set(['id', ...fields.split(',').map((f) => f.trim())]);
  return Object.fromEntries(Object.entries(all).filter(([key]) => wanted.has(key)));
}

function participantJson(ctx: SandboxContext, waId: string): Record<string, unknown> {
  const user = ctx.store.users.get(waId);
  return user ? { wa_id: waId, user_id: user.user_id } : { wa_id: waId };
}

async function updateGroup(
  ctx: SandboxContext,
  req: GraphRequest,
  group: GroupRecord,
): Promise<GraphAnswer> {
  const parts = await parseMultipart(req.body, req.headers['content-type']);
  const fields: Record<string, unknown> = parts
    ? Object.fromEntries(
        parts.filter((p) => p.filename === undefined).map((p) => [p.name, p.data.toString()]),
      )
    : jsonBody(req);
  if (fields.messaging_product !== 'whatsapp') {
    throw new GraphError(100, 'The parameter messaging_product is required.');
  }
  const subject = checkString(fields, 'subject', 'subject', { max: 128 });
  const description = checkString(fields, 'description', 'description', { max: 2048 });
  const picture = parts?.some((p) => p.filename !== undefined) ?? false;
  if (subject === undefined && description === undefined && !picture) {
    throw invalid('Give at least one of subject, description, file.');
  }
  if (subject !== undefined) group.subject = subject;
  if (description !== undefined) group.description = description;
  ctx.store.putGroup(group);
  new GroupCallWebhooks(ctx).settingsUpdated(group, { subject, description });
  return ok({ success: true });
}

function deleteGroup(ctx: SandboxContext, group: GroupRecord): GraphAnswer {
  const requestId = newRequestId();
  group.deleted = true;
  group.participants = [];
  group.joinRequests = [];
  ctx.store.putGroup(group);
  new GroupCallWebhooks(ctx).groupDeleted(group, requestId);
  return ok({ messaging_product: 'whatsapp', request_id: requestId });
}

function joinRequestsJson(ctx: SandboxContext, group: GroupRecord): Record<string, unknown> {
  return {
    data: group.joinRequests.map((r) => ({
      join_request_id: r.id,
      ...participantJson(ctx, r.waId),
      creation_timestamp: r.createdAt,
    })),
    paging: { cursors: {} },
  };
}

function answerJoinRequests(
  ctx: SandboxContext,
  group: GroupRecord,
  body: Record<string, unknown>,
  approve: boolean,
): GraphAnswer {
  const ids = body.join_requests;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => typeof i === 'string')) {
    throw new GraphError(100, 'Required parameter is missing: join_requests');
  }
  const known = group.joinRequests.filter((r) => ids.includes(r.id));
  if (known.length !== ids.length) {
    // 131213 "Group join request does not exist" (Groups API error codes page).
    throw new GraphError(
      131213,
      'Param join_requests contains an id that is not an open join request.',
    );
  }
  const requestId = newRequestId();
  group.joinRequests = group.joinRequests.filter((r) => !ids.includes(r.id));
  const joined = approve ? known.map((r) => ctx.store.users.get(r.waId)).filter(isUser) : [];
  for (const user of joined) group.participants.push(user.wa_id);
  ctx.store.putGroup(group);
  if (joined.length > 0) new GroupCallWebhooks(ctx).participantsAdded(group, joined, requestId);
  return ok({ messaging_product: 'whatsapp', request_id: requestId });
}

function removeParticipants(
  ctx: SandboxContext,
  req: GraphRequest,
  group: GroupRecord,
): GraphAnswer {
  const body = jsonBody(req);
  const list = body.participants;
  if (!Array.isArray(list) || list.length === 0) {
    throw new GraphError(100, 'Required parameter is missing: participants');
  }
  const removed: UserRecord[] = [];
  for (const item of list as unknown[]) {
    const ref = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const user =
      typeof ref.user === 'string'
        ? ctx.store.findUser({ to: ref.user })
        : typeof ref.user_id === 'string'
          ? ctx.store.findUser({ recipient: ref.user_id })
          : undefined;
    if (user && group.participants.includes(user.wa_id)) removed.push(user);
  }
  const requestId = newRequestId();
  group.participants = group.participants.filter((w) => !removed.some((u) => u.wa_id === w));
  ctx.store.putGroup(group);
  new GroupCallWebhooks(ctx).participantsRemoved(group, removed, requestId);
  return ok({ messaging_product: 'whatsapp', request_id: requestId });
}

function newMembers(ctx: SandboxContext, count: number): UserRecord[] {
  const members: UserRecord[] = [];
  const taken = ctx.store.groups.size * count;
  for (let i = 0; i < count; i++) {
    let waId: string;
    do waId = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    while (ctx.store.users.has(waId));
    const name = MEMBER_NAMES[(taken + i) % MEMBER_NAMES.length] ?? `Member ${i + 1}`;
    members.push(ctx.store.addUser({ wa_id: waId, name }));
  }
  return members;
}

/** The business number's groups that are not deleted. */
function activeGroups(ctx: SandboxContext): GroupRecord[] {
  return [...ctx.store.groups.values()].filter(
    (g) => !g.deleted && g.phoneNumberId === ctx.business.phoneNumberId,
  );
}

function jsonBody(req: GraphRequest): Record<string, unknown> {
  const body = parseJsonObject(req.body);
  if (!body) throw new GraphError(100, 'The request body is not a JSON object.');
  if (body.messaging_product !== 'whatsapp') {
    throw new GraphError(100, 'The parameter messaging_product is required.');
  }
  return body;
}

function newInviteLink(): string {
  return `https://chat.whatsapp.com/${randomBytes(11).toString('base64url')}`;
}

const encodeCursor = (index: number) => Buffer.from(String(index)).toString('base64url');
function decodeCursor(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  // 131059 "Invalid cursor" (Groups API error codes page).
  if (!Number.isInteger(n) || n < 0)
    throw new GraphError(131059, 'Param after is not a valid cursor.');
  return n;
}

function isUser(user: UserRecord | undefined): user is UserRecord {
  return user !== undefined;
}
