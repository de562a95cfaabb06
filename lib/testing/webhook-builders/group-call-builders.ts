import { randomBytes } from 'node:crypto';
import type { CallDirection } from '../../types/webhook/call-events.js';
import type { GroupJoinApprovalMode } from '../../types/webhook/group-events.js';
import type { StatusType } from '../../types/webhook/status-update.js';
import type { WebhookError } from '../../types/webhook/webhook-error.js';
import type { WebhookPayload } from '../../types/webhook/webhook-payload.js';
import { FAKE_IDS } from '../fake-graph/fake-graph-store.js';
import type {
  BuilderContact,
  ChangeOptions,
  WebhookBuilderOptions,
} from './webhook-builder-options.js';

/** Where and when: the change's number and account, and the event's timestamp. */
export interface GroupEventOptions extends ChangeOptions {
  /** Unix seconds. Default: now. */
  timestamp?: number;
  request_id?: string;
  errors?: WebhookError[];
}

/** A real, parseable SDP offer (RFC 8866, Opus audio): what a WhatsApp client sends on connect. */
export function sampleSdpOffer(): string {
  const ufrag = randomBytes(3).toString('hex');
  const pwd = randomBytes(12).toString('hex');
  const fingerprint = [...randomBytes(32)]
    .map((b) => b.toString(16).padStart(2, '0').toUpperCase())
    .join(':');
  const session = BigInt(`0x${randomBytes(7).toString('hex')}`).toString();
  return [
    'v=0',
    `o=- ${session} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 126',
    'c=IN IP4 0.0.0.0',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fingerprint}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:126 telephone-event/8000',
    '',
  ].join('\r\n');
}

/** Builders of the Groups and Calling webhooks (part of `WebhookBuilder`). */
export interface GroupCallBuilders {
  /** `group_lifecycle_update` `group_create` (success: give `invite_link`; failure: give `errors`). */
  groupCreated(
    groupId: string,
    fields?: {
      subject?: string;
      description?: string;
      invite_link?: string;
      join_approval_mode?: GroupJoinApprovalMode;
    },
    options?: GroupEventOptions,
  ): WebhookPayload;
  groupDeleted(groupId: string, options?: GroupEventOptions): WebhookPayload;
  /** `group_participants_update` `group_participants_add` by invite link. */
  groupParticipantsAdded(
    groupId: string,
    participants: BuilderContact[],
    options?: GroupEventOptions,
  ): WebhookPayload;
  /** `group_participants_update` `group_participants_remove`: by the business, or the participant left. */
  groupParticipantsRemoved(
    groupId: string,
    participants: BuilderContact[],
    options?: GroupEventOptions & { initiated_by?: 'business' | 'participant' },
  ): WebhookPayload;
  /** `group_join_request_created` (or `_revoked` with `revoked: true`). */
  groupJoinRequest(
    groupId: string,
    joinRequestId: string,
    user: BuilderContact,
    options?: GroupEventOptions & { revoked?: boolean },
  ): WebhookPayload;
  /** `group_settings_update`: each given setting applied (or not, with `update_successful: false`). */
  groupSettingsUpdated(
    groupId: string,
    settings: { subject?: string; description?: string; update_successful?: boolean },
    options?: GroupEventOptions,
  ): WebhookPayload;
  /** `group_status_update`: suspended, or the suspension cleared. */
  groupStatus(
    groupId: string,
    type: 'group_suspend' | 'group_suspend_cleared',
    options?: GroupEventOptions,
  ): WebhookPayload;
  /** A status of a message sent to a group, for one participant (`recipient_type: 'group'`). */
  groupMessageStatus(
    status: StatusType | (string & {}),
    groupId: string,
    participant: BuilderContact,
    options?: ChangeOptions & { id?: string; timestamp?: number },
  ): WebhookPayload;
  /** `calls` `connect`: the user calls, with an SDP offer (a real one unless `sdp` is given). */
  callConnect(options?: CallOptions & { sdp?: string }): WebhookPayload;
  /** `calls` `terminate`; `duration` (seconds) makes it a completed call that was picked up. */
  callTerminate(
    options?: CallOptions & { status?: 'COMPLETED' | 'FAILED'; duration?: number },
  ): WebhookPayload;
  /** A `calls` status of a business-initiated call: RINGING, ACCEPTED or REJECTED. */
  callStatus(
    status: 'RINGING' | 'ACCEPTED' | 'REJECTED' | (string & {}),
    options?: CallOptions,
  ): WebhookPayload;
}

export interface CallOptions extends ChangeOptions {
  /** The call id. Default: a fresh `wacid.`. */
  id?: string;
  /** The user (caller, or callee of a business-initiated call), merged over the builder's contact. */
  user?: BuilderContact;
  direction?: CallDirection;
  timestamp?: number;
  biz_opaque_callback_data?: string;
}

/** A fresh call id shaped like Meta's. */
export function newCallId(): string {
  return `wacid.${randomBytes(24).toString('base64url')}`;
}

export function createGroupCallBuilders(options: WebhookBuilderOptions = {}): GroupCallBuilders {
  const now = options.now ?? Date.now;
  const baseContact: BuilderContact = {
    waId: '15551234567',
    name: 'Test User',
    ...options.contact,
  };
  const seconds = (value: number | undefined) => String(value ?? Math.floor(now() / 1000));

  function metadata(where: ChangeOptions) {
    return {
      display_phone_number: where.displayPhoneNumber ?? options.displayPhoneNumber ?? '15550100000',
      phone_number_id: where.phoneNumberId ?? options.phoneNumberId ?? FAKE_IDS.phoneNumberId,
    };
  }

  function envelope(
    where: ChangeOptions,
    field: string,
    value: Record<string, unknown>,
  ): WebhookPayload {
    return {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: where.businessAccountId ?? options.businessAccountId ?? FAKE_IDS.businessAccountId,
          time: Math.floor(now() / 1000),
          changes: [
            {
              field,
              value: { messaging_product: 'whatsapp', metadata: metadata(where), ...value },
            },
          ],
        },
      ],
    };
  }

  function groupItem(
    type: string,
    groupId: string | undefined,
    o: GroupEventOptions,
    fields: Record<string, unknown>,
  ): Record<string, unknown> {
    const item: Record<string, unknown> = { timestamp: seconds(o.timestamp) };
    if (groupId !== undefined) item.group_id = groupId;
    item.type = type;
    if (o.request_id !== undefined) item.request_id = o.request_id;
    Object.assign(item, fields);
    if (o.errors !== undefined) item.errors = o.errors;
    return item;
  }

  const group = (field: string, item: Record<string, unknown>, o: GroupEventOptions) =>
    envelope(o, field, { groups: [item] });

  function participant(person: BuilderContact): Record<string, unknown> {
    const ref: Record<string, unknown> = {};
    if (person.waId) ref.wa_id = person.waId;
    if (person.userId !== undefined) ref.user_id = person.userId;
    if (person.username !== undefined) ref.username = person.username;
    return ref;
  }

  function contactOf(person: BuilderContact): Record<string, unknown> {
    const profile: Record<string, unknown> = {};
    if (person.name !== undefined) profile.name = person.name;
    if (person.username !== undefined) profile.username = person.username;
    return { profile, ...participant(person) };
  }

  function call(event: string, o: CallOptions, fields: Record<string, unknown>): WebhookPayload {
    const user = { ...baseContact, ...o.user };
    const direction = o.direction ?? 'USER_INITIATED';
    const business = o.displayPhoneNumber ?? options.displayPhoneNumber ?? '15550100000';
    const item: Record<string, unknown> = { id: o.id ?? newCallId() };
    const userId = user.waId ?? user.userId ?? '';
    item.from = direction === 'USER_INITIATED' ? userId : business;
    item.to = direction === 'USER_INITIATED' ? business : userId;
    item.event = event;
    item.timestamp = seconds(o.timestamp);
    item.direction = direction;
    if (o.biz_opaque_callback_data !== undefined)
      item.biz_opaque_callback_data = o.biz_opaque_callback_data;
    Object.assign(item, fields);
    return envelope(o, 'calls', { contacts: [contactOf(user)], calls: [item] });
  }

  return {
    groupCreated: (groupId, fields = {}, o = {}) =>
      group('group_lifecycle_update', groupItem('group_create', groupId, o, { ...fields }), o),
    groupDeleted: (groupId, o = {}) =>
      group('group_lifecycle_update', groupItem('group_delete', groupId, o, {}), o),
    groupParticipantsAdded: (groupId, people, o = {}) =>
      group(
        'group_participants_update',
        groupItem('group_participants_add', groupId, o, {
          reason: 'invite_link',
          initiated_by: 'participant',
          added_participants: people.map(participant),
        }),
        o,
      ),
    groupParticipantsRemoved: (groupId, people, o = {}) =>
      group(
        'group_participants_update',
        groupItem('group_participants_remove', groupId, o, {
          initiated_by: o.initiated_by ?? 'business',
          removed_participants: people.map(participant),
        }),
        o,
      ),
    groupJoinRequest: (groupId, joinRequestId, user, o = {}) =>
      group(
        'group_participants_update',
        groupItem(
          o.revoked ? 'group_join_request_revoked' : 'group_join_request_created',
          groupId,
          o,
          {
            join_request_id: joinRequestId,
            ...participant(user),
          },
        ),
        o,
      ),
    groupSettingsUpdated: (groupId, settings, o = {}) => {
      const ok = settings.update_successful ?? true;
      const fields: Record<string, unknown> = {};
      if (settings.subject !== undefined)
        fields.group_subject = { text: settings.subject, update_successful: ok };
      if (settings.description !== undefined) {
        fields.group_description = { text: settings.description, update_successful: ok };
      }
      return group(
        'group_settings_update',
        groupItem('group_settings_update', groupId, o, fields),
        o,
      );
    },
    groupStatus: (groupId, type, o = {}) =>
      group('group_status_update', groupItem(type, groupId, o, {}), o),
    groupMessageStatus: (status, groupId, person, o = {}) => {
      const item: Record<string, unknown> = {
        id: o.id ?? `wamid.${randomBytes(18).toString('base64')}`,
        status,
        timestamp: seconds(o.timestamp),
        recipient_id: groupId,
        recipient_type: 'group',
      };
      if (person.waId) item.recipient_participant_id = person.waId;
      if (person.userId !== undefined) item.recipient_participant_user_id = person.userId;
      return envelope(o, 'messages', { statuses: [item] });
    },
    callConnect: (o = {}) =>
      call('connect', o, {
        session: {
          sdp_type: o.direction === 'BUSINESS_INITIATED' ? 'answer' : 'offer',
          sdp: o.sdp ?? sampleSdpOffer(),
        },
      }),
    callTerminate: (o = {}) => {
      const fields: Record<string, unknown> = { status: o.status ?? 'COMPLETED' };
      if (o.duration !== undefined) {
        const end = Math.floor(now() / 1000);
        fields.start_time = String(end - o.duration);
        fields.end_time = String(end);
        fields.duration = o.duration;
      }
      return call('terminate', o, fields);
    },
    callStatus: (status, o = {}) => {
      const user = { ...baseContact, ...o.user };
      const item: Record<string, unknown> = {
        id: o.id ?? newCallId(),
        timestamp: seconds(o.timestamp),
        type: 'call',
        status,
      };
      if (user.waId) item.recipient_id = user.waId;
      if (user.userId !== undefined) item.recipient_user_id = user.userId;
      if (o.biz_opaque_callback_data !== undefined)
        item.biz_opaque_callback_data = o.biz_opaque_callback_data;
      return envelope(o, 'calls', { statuses: [item] });
    },
  };
}
