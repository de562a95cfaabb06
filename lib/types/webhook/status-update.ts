import type { WebhookError } from './webhook-error.js';

/** Delivery states of an outgoing message. `played` is for voice messages (since 2026-03). */
export type StatusType = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

/** The conversation (billing window) a message was sent in, on `sent` and the first of `delivered`/`read`. */
export interface StatusConversation {
  id: string;
  /** Unix seconds, as a string; only on the status that opened the conversation. */
  expiration_timestamp?: string;
  origin?: {
    type:
      | 'authentication'
      | 'authentication_international'
      | 'marketing'
      | 'marketing_lite'
      | 'utility'
      | 'service'
      | 'referral_conversion'
      | (string & {});
  };
}

/** Pricing of a message (per-message pricing `PMP` since 2025-07). */
export interface StatusPricing {
  /** Slated for deprecation by Meta. */
  billable?: boolean;
  pricing_model: 'PMP' | 'CBP' | (string & {});
  type?:
    | 'regular'
    | 'free_customer_service'
    | 'free_entry_point'
    | 'free_group_customer_service'
    | (string & {});
  category:
    | 'authentication'
    | 'authentication-international'
    | 'marketing'
    | 'marketing_lite'
    | 'utility'
    | 'service'
    | 'referral_conversion'
    | (string & {});
}

/** Meta's status object (`value.statuses[]`): the fate of a message the business sent. */
export interface StatusUpdate {
  /** The wamid of the outgoing message. */
  id: string;
  status: StatusType | (string & {});
  /** Unix seconds, as a string. */
  timestamp: string;
  /** Phone number of the recipient; absent for username-only (BSUID) users. */
  recipient_id?: string;
  /** BSUID of the recipient. */
  recipient_user_id?: string;
  recipient_parent_user_id?: string;
  /** `group` for messages sent to groups. */
  recipient_type?: 'individual' | 'group' | (string & {});
  /** For group messages: the participant the status is about (`recipient_id` is then the group id). */
  recipient_participant_id?: string;
  /** For group messages: the BSUID of the participant the status is about. */
  recipient_participant_user_id?: string;
  conversation?: StatusConversation;
  pricing?: StatusPricing;
  /** Present on `failed`. */
  errors?: WebhookError[];
  /** What the business attached to the send (`biz_opaque_callback_data`), echoed back. */
  biz_opaque_callback_data?: string;
}
