import type { IncomingMessage } from './incoming-message.js';
import type { StatusUpdate } from './status-update.js';
import type { WebhookContact } from './webhook-contact.js';
import type { WebhookError } from './webhook-error.js';

/** `value.metadata`: the business number that received the change. */
export interface WebhookMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

/** `value` of a `messages` change: incoming messages, statuses of outgoing ones, or errors. */
export interface MessagesChangeValue {
  messaging_product: 'whatsapp';
  metadata: WebhookMetadata;
  contacts?: WebhookContact[];
  messages?: IncomingMessage[];
  statuses?: StatusUpdate[];
  /** Errors not tied to one message (e.g. a rate limit). */
  errors?: WebhookError[];
}

export interface WebhookChange<F extends string = string, V = unknown> {
  field: F;
  value: V;
}

export interface WebhookEntry {
  /** The WhatsApp Business Account id. */
  id: string;
  /** Unix seconds (number); only on some fields. */
  time?: number;
  changes: WebhookChange[];
}

/** A webhook POST body as Meta sends it. */
export interface WebhookPayload {
  object: 'whatsapp_business_account';
  entry: WebhookEntry[];
}
