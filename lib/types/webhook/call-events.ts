// The `calls` webhook field (Calling API), after Meta's Calling reference
// (developers.facebook.com/docs/whatsapp/cloud-api/calling/reference) and pywa's fixtures.
// Every object keeps unknown extra fields: Meta adds fields without notice; none is guaranteed.

import type { WebhookContact } from './webhook-contact.js';
import type { WebhookError } from './webhook-error.js';
import type { WebhookMetadata } from './webhook-payload.js';

type Open<T> = T & { [field: string]: unknown };

/** An SDP (RFC 8866) with its role: the user's `offer` on connect, the business's `answer` when accepting. */
export interface CallSession {
  sdp_type: 'offer' | 'answer' | (string & {});
  sdp: string;
}

export type CallDirection = 'USER_INITIATED' | 'BUSINESS_INITIATED' | (string & {});

interface CallEventBase {
  /** The call id (`wacid....`): what `calls.accept` / `reject` / `terminate` take. */
  id: string;
  /** The caller: the user's phone number (user-initiated) or the business number. */
  from?: string;
  to?: string;
  /** BSUID of the user, when the user has one. */
  from_user_id?: string;
  /** Unix seconds, as a string. */
  timestamp: string;
  direction?: CallDirection;
  /** What the business attached when it started or accepted the call, echoed back. */
  biz_opaque_callback_data?: string;
}

/** `event: 'connect'`: a user calls (SDP offer), or a business-initiated call is answered (SDP answer). */
export type CallConnectEvent = Open<
  CallEventBase & {
    event: 'connect';
    session?: CallSession;
  }
>;

/** `event: 'terminate'`: the call ended; `duration` (seconds) and times only when it was picked up. */
export type CallTerminateEvent = Open<
  CallEventBase & {
    event: 'terminate';
    status?: 'COMPLETED' | 'FAILED' | (string & {});
    /** Unix seconds, as strings. */
    start_time?: string;
    end_time?: string;
    duration?: number;
  }
>;

/** A `calls[]` item of an event this version does not know. */
export type CallOtherEvent = Open<CallEventBase & { event: string }>;

/** `value.calls[]`. */
export type CallEvent = CallConnectEvent | CallTerminateEvent;

/** `value.statuses[]` of a `calls` change: a business-initiated call rings, is accepted or rejected. */
export type CallStatusUpdate = Open<{
  /** The call id. */
  id: string;
  type?: 'call' | (string & {});
  status: 'RINGING' | 'ACCEPTED' | 'REJECTED' | (string & {});
  timestamp: string;
  recipient_id?: string;
  recipient_user_id?: string;
  biz_opaque_callback_data?: string;
}>;

/** `changes[].value` of the `calls` field. */
export type CallsChangeValue = Open<{
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: WebhookContact[];
  calls?: Array<CallEvent | CallOtherEvent>;
  statuses?: CallStatusUpdate[];
  /** On a failed call (with `terminate`). */
  errors?: WebhookError[];
}>;

/** What `@OnWhatsAppCall` handlers receive: one call event, or one call status. */
export type CallUpdatePayload = CallEvent | CallOtherEvent | CallStatusUpdate;

/** `'connect' | 'terminate'` for `calls[]` items, `'status'` for `statuses[]` items. */
export type CallUpdateType = 'connect' | 'terminate' | 'status' | (string & {});
