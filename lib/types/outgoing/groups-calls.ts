// Inputs and answers of the `groups` and `calls` namespaces (Meta's field names in answers).
import type { AccessTokenCallOptions } from './account-management.js';
import type { GraphPaging } from './graph-responses.js';

type Open<T> = T & { [field: string]: unknown };

/** `groups.create`: `POST /{phone-number-id}/groups`. */
export interface CreateGroupInput extends AccessTokenCallOptions {
  /** ≤ 128 characters; Meta trims whitespace. */
  subject: string;
  /** ≤ 2048 characters. */
  description?: string;
  /** Default `auto_approve`; `approval_required` makes joins go through join requests. */
  join_approval_mode?: 'auto_approve' | 'approval_required';
  phoneNumberId?: string;
}

/**
 * The create, delete, remove and join-request calls answer at once with a `request_id`; the result
 * comes later as a webhook (`group_lifecycle_update`, `group_participants_update`) carrying it.
 */
export type GroupRequestResponse = Open<{
  messaging_product?: 'whatsapp';
  request_id?: string;
  success?: boolean;
}>;

/** A participant in `groups.get`. */
export type GroupParticipant = Open<{ wa_id?: string; user_id?: string; username?: string }>;

/** `groups.get`: `GET /{group-id}`. */
export type GroupInfo = Open<{
  id: string;
  subject?: string;
  description?: string;
  /** Unix seconds. */
  creation_timestamp?: number | string;
  suspended?: boolean;
  total_participant_count?: number;
  participants?: GroupParticipant[];
  join_approval_mode?: 'auto_approve' | 'approval_required' | (string & {});
}>;

/** An item of `groups.list`. */
export type GroupSummary = Open<{ id: string; subject?: string; created_at?: number | string }>;

/** A page of `groups.list`: Meta documents `data.groups[]`; a plain `data[]` is accepted too. */
export interface GroupListPage {
  data: { groups: GroupSummary[] } | GroupSummary[];
  paging?: GraphPaging;
}

export interface ListGroupsQuery extends AccessTokenCallOptions {
  limit?: number;
  after?: string;
  before?: string;
  phoneNumberId?: string;
}

/** `groups.update`: `POST /{group-id}`; the picture is an uploaded JPEG (multipart), as Meta takes it. */
export interface UpdateGroupInput extends AccessTokenCallOptions {
  subject?: string;
  description?: string;
  /** JPEG bytes of the new group picture (sent as the `file` part of a multipart form). */
  profilePicture?: Uint8Array | Blob;
}

/** `groups.getInviteLink` / `resetInviteLink`. */
export type GroupInviteLink = Open<{ messaging_product?: 'whatsapp'; invite_link: string }>;

/** An open join request (`groups.listJoinRequests`). */
export type GroupJoinRequest = Open<{
  join_request_id: string;
  wa_id?: string;
  user_id?: string;
  /** Unix seconds. */
  creation_timestamp?: number | string;
}>;

export interface GroupJoinRequestsPage {
  data: GroupJoinRequest[];
  paging?: GraphPaging;
}

/** Who to remove: phone numbers (`user`) or BSUIDs (`user_id`). */
export type GroupParticipantToRemove = { user: string } | { user_id: string };

/** An SDP in Meta's session shape. */
export interface CallSessionInput {
  sdp_type: 'offer' | 'answer';
  sdp: string;
}

/** `calls.connect`: the business calls a user who gave permission (SDP offer). */
export type ConnectCallInput = (
  { to: string; recipient?: never } | { recipient: string; to?: never }
) & {
  /** The SDP offer (RFC 8866) of the business's WebRTC stack. */
  sdp: string;
  biz_opaque_callback_data?: string;
  phoneNumberId?: string;
  /** Per-call token (a tenant's), over the client's. */
  accessToken?: string;
};

/** `calls.preAccept` / `accept`: the SDP answer to a user's offer. */
export interface AnswerCallInput {
  callId: string;
  /** The SDP answer (RFC 8866). */
  sdp: string;
  /** Only on `accept`: echoed in the call's later webhooks. */
  biz_opaque_callback_data?: string;
  phoneNumberId?: string;
  /** Per-call token (the receiving tenant's), over the client's. */
  accessToken?: string;
}

/** `calls.reject` / `terminate`. */
export interface CallIdInput {
  callId: string;
  phoneNumberId?: string;
  /** Per-call token (the receiving tenant's), over the client's. */
  accessToken?: string;
}

export type ConnectCallResponse = Open<{
  messaging_product?: 'whatsapp';
  calls: Array<{ id: string }>;
}>;
export type CallActionResponse = Open<{ messaging_product?: 'whatsapp'; success: boolean }>;

/** `calls.getPermissions`: whether the business may call the user, and its limits. */
export type CallPermissionsResponse = Open<{
  messaging_product?: 'whatsapp';
  permission?: Open<{
    status: 'granted' | 'temporary' | 'denied' | 'no_permission' | (string & {});
    expiration_time?: number;
  }>;
  actions?: Array<
    Open<{
      action_name: 'send_call_permission_request' | 'start_call' | (string & {});
      can_perform_action: boolean;
      limits?: Array<
        Open<{
          time_period: string;
          max_allowed: number;
          current_usage: number;
          limit_expiration_time?: number;
        }>
      >;
    }>
  >;
}>;

export type CallPermissionsQuery = (
  { userWaId: string; recipient?: never } | { recipient: string; userWaId?: never }
) & {
  phoneNumberId?: string;
  /** Per-call token (a tenant's), over the client's. */
  accessToken?: string;
};

/** The `calling` object of `GET/POST /{phone-number-id}/settings`. */
export type CallingSettings = Open<{
  status?: 'ENABLED' | 'DISABLED' | (string & {});
  call_icon_visibility?: 'DEFAULT' | 'DISABLE_ALL' | (string & {});
  call_hours?: Open<{
    status?: 'ENABLED' | 'DISABLED' | (string & {});
    timezone_id?: string;
    weekly_operating_hours?: Array<{ day_of_week: string; open_time: string; close_time: string }>;
    holiday_schedule?: Array<{ date: string; start_time: string; end_time: string }>;
  }>;
  callback_permission_status?: 'ENABLED' | 'DISABLED' | (string & {});
  sip?: Open<{ status?: string; servers?: Array<Open<{ hostname: string; port?: number }>> }>;
}>;
