// CONTRACT between parsing (webhook-parser) and dispatching (handlers). Shapes of payloads come from lib/types/webhook.
import type { IncomingMessage } from './webhook/incoming-message.js';
import type { StatusUpdate } from './webhook/status-update.js';
import type { WebhookContact } from './webhook/webhook-contact.js';
import type { CallUpdatePayload } from './webhook/call-events.js';

/** Where an update came from: the entry and change that carried it. */
export interface UpdateOrigin {
  /** `entry[].id`: the WhatsApp Business Account id. */
  businessAccountId: string;
  /** `changes[].field`. */
  field: string;
  /** `value.metadata.phone_number_id`, when the change has one. */
  phoneNumberId?: string;
  /** `value.metadata.display_phone_number`, when the change has one. */
  displayPhoneNumber?: string;
}

/** One unit of work found in a webhook POST, in batch order. `key` is its de-duplication key. */
export type WebhookUpdate =
  | {
      kind: 'message';
      /** `m:<wamid>` */
      key: string;
      origin: UpdateOrigin;
      /** Meta's message object, as received (not copied). `messageTypeOf(message)` gives its type as a string. */
      message: IncomingMessage;
      /** The `value.contacts[]` entry of the sender, matched by wa_id / user_id. */
      contact?: WebhookContact;
    }
  | {
      kind: 'status';
      /** `s:<wamid>:<status>` */
      key: string;
      origin: UpdateOrigin;
      /** Meta's status object, as received. */
      status: StatusUpdate;
    }
  | {
      /**
       * One item of a `calls` change: a `calls[]` event (connect, terminate) or a `statuses[]` call
       * status (RINGING, ACCEPTED, REJECTED). The change also reaches event handlers as an `event`.
       */
      kind: 'call';
      /** `c:<call id>:<event or status>` */
      key: string;
      origin: UpdateOrigin;
      /** `connect`, `terminate`, ... for `calls[]` items; `status` for `statuses[]` items. */
      callType: string;
      /** Meta's call (or call status) object, as received. */
      call: CallUpdatePayload;
      /** The `value.contacts[]` entry of the user, matched by wa_id / user_id. */
      contact?: WebhookContact;
    }
  | {
      /** Any change whose field is not `messages`, and a `messages` change that carries neither messages nor statuses (e.g. `value.errors`). */
      kind: 'event';
      /** `e:<field>:<sha1 of the canonical value>` */
      key: string;
      origin: UpdateOrigin;
      value: unknown;
    };
