import type {
  CreateGroupInput,
  GroupInfo,
  GroupInviteLink,
  GroupJoinRequest,
  GroupJoinRequestsPage,
  GroupListPage,
  GroupParticipantToRemove,
  GroupRequestResponse,
  GroupSummary,
  ListGroupsQuery,
  UpdateGroupInput,
} from '../../types/outgoing/groups-calls.js';
import type { AccessTokenCallOptions } from '../../types/outgoing/account-management.js';
import type { GraphFormValue } from '../../types/outgoing/graph-request.js';
import { fieldsParam, type GraphContext } from '../graph-context.js';
import {
  array,
  assertObject,
  fail,
  isObject,
  number,
  oneOf,
  optionalText,
  text,
} from '../validation/checks.js';
import { groupPathId } from '../validation/group-id.js';
import { requiredId } from '../validation/path-id.js';
import { allPages } from './all-pages.js';

const INFO_FIELDS =
  'subject,description,participants,join_approval_mode,total_participant_count,suspended,creation_timestamp';
const APPROVAL_MODES = ['auto_approve', 'approval_required'] as const;

/** The per-call token of a call on a group id (`options` must be an object when given). */
function tokenOf(
  options: AccessTokenCallOptions | undefined,
  field = 'options',
): string | undefined {
  if (options !== undefined) assertObject(options, field);
  return options?.accessToken;
}

/** The items of a `groups.list` page, whichever of Meta's two shapes it has. */
export function groupsOfPage(page: GroupListPage): GroupSummary[] {
  const data: unknown = page.data;
  if (Array.isArray(data)) return data as GroupSummary[];
  const groups = isObject(data) ? data.groups : undefined;
  return Array.isArray(groups) ? (groups as GroupSummary[]) : [];
}

/**
 * `groups` (Groups API): `/{phone-number-id}/groups` and `/{group-id}/...`. Create, delete, remove
 * and join-request calls are asynchronous at Meta: they answer a `request_id`, and the result comes
 * as a webhook (`group_lifecycle_update`, `group_participants_update`) carrying the same id.
 * Every method takes a per-call `accessToken` (a tenant's; in its input, query or last `options`).
 */
export class GroupsApi {
  readonly #ctx: GraphContext;

  constructor(ctx: GraphContext) {
    this.#ctx = ctx;
  }

  /** Creates a group; its id and invite link arrive in the `group_lifecycle_update` webhook. */
  async create(input: CreateGroupInput): Promise<GroupRequestResponse> {
    assertObject(input, 'input');
    text(input.subject, 'subject', 128);
    optionalText(input.description, 'description', 2048);
    if (input.join_approval_mode !== undefined) {
      oneOf(input.join_approval_mode, 'join_approval_mode', APPROVAL_MODES);
    }
    const phone = this.#phone(input.phoneNumberId);
    const body: Record<string, unknown> = { messaging_product: 'whatsapp', subject: input.subject };
    if (input.description !== undefined) body.description = input.description;
    if (input.join_approval_mode !== undefined) body.join_approval_mode = input.join_approval_mode;
    return this.#ctx.graph.request<GroupRequestResponse>({
      method: 'POST',
      path: `/${phone}/groups`,
      body,
      accessToken: input.accessToken,
    });
  }

  /** Subject, description, participants, settings (`fields` overrides the default list). */
  async get(
    groupId: string,
    query: AccessTokenCallOptions & { fields?: string | string[] } = {},
  ): Promise<GroupInfo> {
    const id = groupPathId(groupId);
    const accessToken = tokenOf(query, 'query');
    return this.#ctx.graph.request<GroupInfo>({
      method: 'GET',
      path: `/${id}`,
      query: { fields: fieldsParam(query.fields) ?? INFO_FIELDS },
      accessToken,
    });
  }

  /** One page of the number's active groups; `listAll` follows the cursors. */
  async list(query: ListGroupsQuery = {}): Promise<GroupListPage> {
    assertObject(query, 'query');
    if (query.limit !== undefined) number(query.limit, 'limit', 1, 1024);
    optionalText(query.after, 'after', 2048);
    optionalText(query.before, 'before', 2048);
    const phone = this.#phone(query.phoneNumberId);
    return this.#ctx.graph.request<GroupListPage>({
      method: 'GET',
      path: `/${phone}/groups`,
      query: { limit: query.limit, after: query.after, before: query.before },
      accessToken: query.accessToken,
    });
  }

  /** Every active group, page by page (following `after`, never the `next` URL). */
  listAll(query: Omit<ListGroupsQuery, 'after' | 'before'> = {}): AsyncGenerator<GroupSummary> {
    return allPages(async (after) => {
      const page = await this.list({ ...query, after });
      return { data: groupsOfPage(page), paging: page.paging };
    });
  }

  /**
   * Subject, description and/or picture. The result of each arrives in `group_settings_update`.
   * Sent as a multipart form (Meta's shape, which the picture needs).
   */
  async update(groupId: string, input: UpdateGroupInput): Promise<GroupRequestResponse> {
    const id = groupPathId(groupId);
    assertObject(input, 'input');
    optionalText(input.subject, 'subject', 128);
    optionalText(input.description, 'description', 2048);
    const picture = input.profilePicture;
    if (picture !== undefined && !(picture instanceof Uint8Array) && !(picture instanceof Blob)) {
      fail('profilePicture', 'must be the JPEG bytes (Uint8Array, Buffer or Blob)');
    }
    if (input.subject === undefined && input.description === undefined && picture === undefined) {
      fail('input', 'give at least one of subject, description, profilePicture');
    }
    const form: Record<string, GraphFormValue> = { messaging_product: 'whatsapp' };
    if (input.subject !== undefined) form.subject = input.subject;
    if (input.description !== undefined) form.description = input.description;
    if (picture !== undefined) {
      form.file = { data: picture, filename: 'profile.jpg', contentType: 'image/jpeg' };
    }
    return this.#ctx.graph.request<GroupRequestResponse>({
      method: 'POST',
      path: `/${id}`,
      form,
      accessToken: input.accessToken,
    });
  }

  /** Deletes the group (every participant is removed); confirmed by `group_lifecycle_update`. */
  async delete(
    groupId: string,
    options: AccessTokenCallOptions = {},
  ): Promise<GroupRequestResponse> {
    const id = groupPathId(groupId);
    return this.#ctx.graph.request<GroupRequestResponse>({
      method: 'DELETE',
      path: `/${id}`,
      accessToken: tokenOf(options),
    });
  }

  async getInviteLink(
    groupId: string,
    options: AccessTokenCallOptions = {},
  ): Promise<GroupInviteLink> {
    const id = groupPathId(groupId);
    return this.#ctx.graph.request<GroupInviteLink>({
      method: 'GET',
      path: `/${id}/invite_link`,
      accessToken: tokenOf(options),
    });
  }

  /** A new invite link; the old one stops working. */
  async resetInviteLink(
    groupId: string,
    options: AccessTokenCallOptions = {},
  ): Promise<GroupInviteLink> {
    const id = groupPathId(groupId);
    return this.#ctx.graph.request<GroupInviteLink>({
      method: 'POST',
      path: `/${id}/invite_link`,
      body: { messaging_product: 'whatsapp' },
      accessToken: tokenOf(options),
    });
  }

  /** Open join requests (groups created with `join_approval_mode: 'approval_required'`). */
  async listJoinRequests(
    groupId: string,
    query: AccessTokenCallOptions & { limit?: number; after?: string; before?: string } = {},
  ): Promise<GroupJoinRequestsPage> {
    const id = groupPathId(groupId);
    assertObject(query, 'query');
    if (query.limit !== undefined) number(query.limit, 'limit', 1, 1024);
    return this.#ctx.graph.request<GroupJoinRequestsPage>({
      method: 'GET',
      path: `/${id}/join_requests`,
      query: { limit: query.limit, after: query.after, before: query.before },
      accessToken: query.accessToken,
    });
  }

  approveJoinRequests(
    groupId: string,
    joinRequestIds: readonly string[],
    options: AccessTokenCallOptions = {},
  ): Promise<GroupRequestResponse> {
    return this.#joinRequests('POST', groupId, joinRequestIds, options);
  }

  rejectJoinRequests(
    groupId: string,
    joinRequestIds: readonly string[],
    options: AccessTokenCallOptions = {},
  ): Promise<GroupRequestResponse> {
    return this.#joinRequests('DELETE', groupId, joinRequestIds, options);
  }

  /**
   * Removes participants, given by phone number (`'15551234567'` or `{ user }`) or BSUID
   * (`{ user_id }`). Removed users cannot rejoin by the invite link until it is reset.
   */
  async removeParticipants(
    groupId: string,
    participants: ReadonlyArray<string | GroupParticipantToRemove>,
    options: AccessTokenCallOptions = {},
  ): Promise<GroupRequestResponse> {
    const id = groupPathId(groupId);
    const accessToken = tokenOf(options);
    const list = array(participants, 'participants', 1, 8).map((p, i) => {
      if (typeof p === 'string') return { user: text(p, `participants[${i}]`, 256) };
      if (!isObject(p))
        fail(`participants[${i}]`, 'must be a phone number, { user } or { user_id }');
      if (p.user !== undefined) return { user: text(p.user, `participants[${i}].user`, 256) };
      return { user_id: text(p.user_id, `participants[${i}].user_id`, 256) };
    });
    return this.#ctx.graph.request<GroupRequestResponse>({
      method: 'DELETE',
      path: `/${id}/participants`,
      body: { messaging_product: 'whatsapp', participants: list },
      accessToken,
    });
  }

  async #joinRequests(
    method: 'POST' | 'DELETE',
    groupId: string,
    joinRequestIds: readonly string[],
    options: AccessTokenCallOptions,
  ): Promise<GroupRequestResponse> {
    const id = groupPathId(groupId);
    const accessToken = tokenOf(options);
    const ids = array(joinRequestIds, 'joinRequestIds', 1, 1000);
    ids.forEach((value, i) => text(value, `joinRequestIds[${i}]`, 256));
    return this.#ctx.graph.request<GroupRequestResponse>({
      method,
      path: `/${id}/join_requests`,
      body: { messaging_product: 'whatsapp', join_requests: ids },
      accessToken,
    });
  }

  #phone(value: string | undefined): string {
    return requiredId(value, this.#ctx.phoneNumberId, 'phoneNumberId', 'phoneNumberId');
  }
}

export type { GroupJoinRequest };
