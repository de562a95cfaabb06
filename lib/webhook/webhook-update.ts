// CONTRACT between parsing (webhook-parser) and dispatching (handlers). Shapes of payloads come from lib/types/webhook.

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
      key: string;
      origin: UpdateOrigin;
      /** Meta's message object (typed as `IncomingMessage` by lib/types/webhook). */
      message: { id: string; type: string } & Record<string, unknown>;
      /** The `value.contacts[]` entry of the sender, matched by wa_id / user_id. */
      contact?: Record<string, unknown>;
    }
  | {
      kind: 'status';
      key: string;
      origin: UpdateOrigin;
      /** Meta's status object (typed as `MessageStatus` by lib/types/webhook). */
      status: { id: string; status: string } & Record<string, unknown>;
    }
  | {
      /** Any change whose field is not `messages`, and a `messages` change that carries neither messages nor statuses (e.g. `value.errors`). */
      kind: 'event';
      key: string;
      origin: UpdateOrigin;
      value: unknown;
    };
