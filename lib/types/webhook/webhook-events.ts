// Values of the webhook fields other than `messages` (`entry[].changes[].value`), as Meta documents them.
// Every value keeps unknown extra fields: Meta adds fields without notice.

import type { IncomingMessage } from './incoming-message.js';
import type { MessagesChangeValue, WebhookMetadata } from './webhook-payload.js';
import type { CallsChangeValue } from './call-events.js';
import type {
  GroupLifecycleUpdateValue,
  GroupParticipantsUpdateValue,
  GroupSettingsUpdateValue,
  GroupStatusUpdateValue,
} from './group-events.js';

type Open<T> = T & { [field: string]: unknown };

export type TemplateStatusEvent =
  | 'APPROVED'
  | 'REJECTED'
  | 'PENDING'
  | 'PAUSED'
  | 'DISABLED'
  | 'FLAGGED'
  | 'IN_APPEAL'
  | 'PENDING_DELETION'
  | 'DELETED'
  | 'REINSTATED'
  | 'LIMIT_EXCEEDED'
  | 'ARCHIVED'
  | (string & {});

export type TemplateCategory = 'AUTHENTICATION' | 'MARKETING' | 'UTILITY' | (string & {});

/** `message_template_status_update`: a template was approved, rejected, paused, disabled... */
export type TemplateStatusUpdateValue = Open<{
  event: TemplateStatusEvent;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  reason?: string | null;
  message_template_category?: TemplateCategory;
  other_info?: { title?: string; description?: string };
  rejection_info?: { reason?: string; recommendation?: string };
  disable_info?: { disable_date?: string };
}>;

export type TemplateQualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | (string & {});

/** `message_template_quality_update`. */
export type TemplateQualityUpdateValue = Open<{
  previous_quality_score: TemplateQualityScore;
  new_quality_score: TemplateQualityScore;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
}>;

/** `template_category_update`: a category change, done (`previous_category`) or impending (`correct_category`). */
export type TemplateCategoryUpdateValue = Open<{
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  previous_category?: TemplateCategory;
  new_category: TemplateCategory;
  correct_category?: TemplateCategory;
  /** Unix seconds: when an impending change takes effect. */
  category_update_timestamp?: number;
}>;

/** `message_template_components_update`: the template's components were edited. */
export type TemplateComponentsUpdateValue = Open<{
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  message_template_element?: string;
  message_template_title?: string;
  message_template_footer?: string;
  message_template_buttons?: Array<{
    message_template_button_type: string;
    message_template_button_text: string;
    message_template_button_url?: string;
    message_template_button_phone_number?: string;
  }>;
}>;

/** `phone_number_quality_update`: messaging limit or throughput changed. */
export type PhoneNumberQualityUpdateValue = Open<{
  display_phone_number: string;
  event:
    | 'FLAGGED'
    | 'UNFLAGGED'
    | 'UPGRADE'
    | 'DOWNGRADE'
    | 'ONBOARDING'
    | 'THROUGHPUT_UPGRADE'
    | (string & {});
  current_limit?: string;
  old_limit?: string;
  max_daily_conversations_per_business?: string;
}>;

/** `phone_number_name_update`: the review of a display name. */
export type PhoneNumberNameUpdateValue = Open<{
  display_phone_number: string;
  decision: 'APPROVED' | 'REJECTED' | 'DEFERRED' | 'PENDING' | (string & {});
  requested_verified_name: string;
  rejection_reason?: string | null;
}>;

/** `account_update`: bans, violations, restrictions, partner changes of the WABA. */
export type AccountUpdateValue = Open<{
  event:
    | 'ACCOUNT_VIOLATION'
    | 'ACCOUNT_RESTRICTION'
    | 'ACCOUNT_DELETED'
    | 'DISABLED_UPDATE'
    | 'PARTNER_ADDED'
    | 'PARTNER_REMOVED'
    | 'PARTNER_APP_INSTALLED'
    | 'PARTNER_APP_UNINSTALLED'
    | 'PARTNER_CLIENT_CERTIFICATION_STATUS_UPDATE'
    | 'VERIFIED_ACCOUNT'
    | 'AUTH_INTL_PRICE_ELIGIBILITY_UPDATE'
    | 'BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE'
    | (string & {});
  phone_number?: string;
  ban_info?: { waba_ban_state?: string; waba_ban_date?: string };
  violation_info?: { violation_type?: string };
  restriction_info?: Array<{ restriction_type?: string; expiration?: string }>;
  lock_info?: { expiration?: string };
  waba_info?: Open<{ waba_id?: string; owner_business_id?: string; partner_app_id?: string }>;
}>;

/** `account_review_update`: the WABA's policy review. */
export type AccountReviewUpdateValue = Open<{
  decision: 'APPROVED' | 'REJECTED' | 'PENDING' | 'DEFERRED' | (string & {});
}>;

/** `account_alerts`: alerts about the account (e.g. messaging limit warnings). */
export type AccountAlertsValue = Open<{
  entity_type?: string;
  entity_id?: string;
  alert_severity?: string;
  alert_status?: string;
  alert_type?: string;
  alert_description?: string;
}>;

/** `business_capability_update`: the business' limits changed. */
export type BusinessCapabilityUpdateValue = Open<{
  max_daily_conversation_per_phone?: number;
  max_daily_conversations_per_business?: number | string;
  max_phone_numbers_per_business?: number;
  max_phone_numbers_per_waba?: number;
}>;

/** `security`: two-step verification PIN changed or reset. */
export type SecurityValue = Open<{
  display_phone_number: string;
  event: 'PIN_CHANGED' | 'PIN_RESET_REQUEST' | 'PIN_RESET_SUCCESS' | (string & {});
  requester?: string;
}>;

/** A message the business sent from the WhatsApp Business app (coexistence), echoed to the API. */
export type MessageEcho = IncomingMessage & { from: string; to: string };

/** `smb_message_echoes`: messages sent from the Business app on a coexistence number. */
export type SmbMessageEchoesValue = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  message_echoes: MessageEcho[];
}>;

/** `user_preferences`: a user stopped or resumed marketing messages. */
export type UserPreferencesValue = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: Array<{ wa_id?: string; user_id?: string; profile?: { name?: string } }>;
  user_preferences: Array<{
    wa_id?: string;
    user_id?: string;
    detail?: string;
    category: 'marketing_messages' | (string & {});
    value: 'stop' | 'resume' | (string & {});
    timestamp: number;
  }>;
}>;

/** A `{ previous, current }` pair of a changed identifier. */
export interface IdChange {
  previous?: string;
  current?: string;
}

/**
 * `user_id_update`: a user's business-scoped user id (BSUID) changed. Shaped after Meta's BSUID
 * guide; every field is optional here because the field is new and Meta still adjusts it.
 * Username changes have no webhook of their own: the current username arrives in
 * `contacts[].profile.username` of each message (`ctx.contact.username`).
 */
export type UserIdUpdateValue = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  user_id_update?: Array<
    Open<{
      wa_id?: string;
      detail?: string;
      user_id?: IdChange;
      parent_user_id?: IdChange;
      timestamp?: string | number;
    }>
  >;
}>;

/** One message of a `history` thread: a message object, plus `to` for the business' own messages. */
export type HistoryMessage = IncomingMessage & {
  to?: string;
  /** `status` of the message at sync time (`'read'`, `'delivered'`, `'played'`, ...). */
  history_context?: { status?: string };
};

/**
 * `history`: the chat history of a WhatsApp Business app number onboarded to the Cloud API
 * (coexistence), in phases (0: day 0–1, 1: day 1–90, 2: day 90–180) and chunks; `errors` when
 * the business declined sharing it. One webhook may hold thousands of messages.
 */
export type HistoryValue = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  history: Array<
    Open<{
      metadata?: { phase?: number; chunk_order?: number; progress?: number };
      threads?: Array<{ id: string; messages: HistoryMessage[] }>;
      errors?: Array<Open<{ code?: number; title?: string; message?: string }>>;
    }>
  >;
}>;

/** `smb_app_state_sync`: contacts of a coexistence number's Business app added, edited or removed. */
export type SmbAppStateSyncValue = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  state_sync: Array<
    Open<{
      type: 'contact' | (string & {});
      /** `add` (added or edited) or `remove`; names are left out on `remove`. */
      action: 'add' | 'remove' | (string & {});
      contact?: { full_name?: string; first_name?: string; phone_number?: string };
      metadata?: { timestamp?: string };
    }>
  >;
}>;

/**
 * Field name → type of `changes[].value`. `messages` is here for the `messages` changes that carry
 * neither messages nor statuses (e.g. only `errors`), which are dispatched as events.
 */
export interface WebhookEventMap {
  messages: MessagesChangeValue;
  message_template_status_update: TemplateStatusUpdateValue;
  message_template_quality_update: TemplateQualityUpdateValue;
  message_template_components_update: TemplateComponentsUpdateValue;
  template_category_update: TemplateCategoryUpdateValue;
  phone_number_quality_update: PhoneNumberQualityUpdateValue;
  phone_number_name_update: PhoneNumberNameUpdateValue;
  account_update: AccountUpdateValue;
  account_review_update: AccountReviewUpdateValue;
  account_alerts: AccountAlertsValue;
  business_capability_update: BusinessCapabilityUpdateValue;
  security: SecurityValue;
  smb_message_echoes: SmbMessageEchoesValue;
  user_preferences: UserPreferencesValue;
  user_id_update: UserIdUpdateValue;
  history: HistoryValue;
  smb_app_state_sync: SmbAppStateSyncValue;
  group_lifecycle_update: GroupLifecycleUpdateValue;
  group_participants_update: GroupParticipantsUpdateValue;
  group_settings_update: GroupSettingsUpdateValue;
  group_status_update: GroupStatusUpdateValue;
  calls: CallsChangeValue;
}

/** A webhook field name: the known ones (autocompleted) or any other Meta adds. */
export type WebhookField = keyof WebhookEventMap | (string & {});

/** The value type of field `F` (`unknown` for fields this version does not know). */
export type WebhookEventValue<F extends string> = F extends keyof WebhookEventMap
  ? WebhookEventMap[F]
  : unknown;
