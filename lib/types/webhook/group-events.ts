// Values of the four Groups API webhook fields (`entry[].changes[].value`), after Meta's "Webhooks
// for Groups API" reference (developers.facebook.com/documentation/business-messaging/whatsapp/groups/webhooks).
// Every object keeps unknown extra fields: Meta adds fields without notice; none is guaranteed.

import type { WebhookError } from './webhook-error.js';
import type { WebhookMetadata } from './webhook-payload.js';

type Open<T> = T & { [field: string]: unknown };

/** `auto_approve` (default) or `approval_required` (join requests to approve or reject). */
export type GroupJoinApprovalMode = 'auto_approve' | 'approval_required' | (string & {});

/** Fields every item of `value.groups[]` has. */
export interface GroupEventBase {
  /** Unix seconds, as a string. */
  timestamp: string;
  group_id: string;
  /** What happened (`group_create`, `group_participants_add`, `group_suspend`, ...). */
  type: string;
  /** The `request_id` the asynchronous API call answered with (create, delete, remove, approve). */
  request_id?: string;
  /** Present when the operation failed (completely, or for some participants). */
  errors?: WebhookError[];
}

/** `group_lifecycle_update`: a group was created (with its invite link) or deleted. */
export type GroupLifecycleEvent = Open<
  GroupEventBase & {
    type: 'group_create' | 'group_delete' | (string & {});
    subject?: string;
    description?: string;
    /** `https://chat.whatsapp.com/...`: send it to the users who should join. */
    invite_link?: string;
    join_approval_mode?: GroupJoinApprovalMode;
  }
>;

/** A participant in `added_participants[]`, `removed_participants[]` or `failed_participants[]`. */
export type GroupParticipantRef = Open<{
  /** Phone number; absent for username-only (BSUID) users. */
  wa_id?: string;
  /** Business-scoped user id. */
  user_id?: string;
  parent_user_id?: string;
  username?: string;
  /** What the business passed in a remove request. */
  input?: string;
  errors?: WebhookError[];
}>;

/**
 * `group_participants_update`: someone joined by invite link (`group_participants_add`), left or
 * was removed (`group_participants_remove`), asked to join (`group_join_request_created`) or took
 * the request back (`group_join_request_revoked`).
 */
export type GroupParticipantsEvent = Open<
  GroupEventBase & {
    type:
      | 'group_participants_add'
      | 'group_participants_remove'
      | 'group_join_request_created'
      | 'group_join_request_revoked'
      | (string & {});
    /** Why (`invite_link`, ...). */
    reason?: string;
    /** `business` (a remove request) or `participant` (the user left). */
    initiated_by?: 'business' | 'participant' | (string & {});
    added_participants?: GroupParticipantRef[];
    removed_participants?: GroupParticipantRef[];
    failed_participants?: GroupParticipantRef[];
    /** For join requests: the id to approve or reject, and who asked. */
    join_request_id?: string;
    wa_id?: string;
    user_id?: string;
    parent_user_id?: string;
    username?: string;
  }
>;

/** One setting of a `group_settings_update`: whether it was applied. */
export type GroupSettingResult<T> = Open<
  T & { update_successful?: boolean; errors?: WebhookError[] }
>;

/** `group_settings_update`: the result of an update of subject, description or picture. */
export type GroupSettingsEvent = Open<
  GroupEventBase & {
    type: 'group_settings_update' | (string & {});
    group_subject?: GroupSettingResult<{ text?: string }>;
    group_description?: GroupSettingResult<{ text?: string }>;
    profile_picture?: GroupSettingResult<{ mime_type?: string; sha256?: string }>;
  }
>;

/** `group_status_update`: the group was suspended by WhatsApp, or the suspension was lifted. */
export type GroupStatusEvent = Open<
  GroupEventBase & {
    type: 'group_suspend' | 'group_suspend_cleared' | (string & {});
  }
>;

/** The common envelope of the four group fields: `{ messaging_product, metadata, groups: [...] }`. */
export type GroupsChangeValue<E> = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  groups: E[];
}>;

export type GroupLifecycleUpdateValue = GroupsChangeValue<GroupLifecycleEvent>;
export type GroupParticipantsUpdateValue = GroupsChangeValue<GroupParticipantsEvent>;
export type GroupSettingsUpdateValue = GroupsChangeValue<GroupSettingsEvent>;
export type GroupStatusUpdateValue = GroupsChangeValue<GroupStatusEvent>;
