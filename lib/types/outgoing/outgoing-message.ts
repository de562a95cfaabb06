// CONTRACT STUB (owned by the client work): the names below are fixed, their shapes get precise.

/** Message content in Meta's JSON shape, without the recipient fields: `{ type: 'text', text: { body } }`, ... */
export type OutgoingMessage = { type: string } & Record<string, unknown>;

/** Who a message goes to: a phone number (`to`) or a business-scoped user id (`recipient`). */
export type MessageRecipient =
  { to: string; recipient?: string } | { recipient: string; to?: string };

/** Common fields of every send. */
export interface SendOptions {
  /** Sending number; defaults to the module's `phoneNumberId`. */
  phoneNumberId?: string;
  /** Message id to quote (sent as `context.message_id`). */
  replyTo?: string;
  /** Echoed back in status webhooks (≤ 512 chars). */
  biz_opaque_callback_data?: string;
}

/** Input of `messages.send(payload)`. */
export type SendMessageInput = OutgoingMessage & MessageRecipient & SendOptions;

/** Meta's answer to a send. */
export interface SendMessageResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id?: string; user_id?: string }>;
  messages: Array<{
    id: string;
    message_status?: 'accepted' | 'held_for_quality_assessment' | 'paused';
  }>;
}

export interface MarkAsReadInput {
  messageId: string;
  /** Also show the typing indicator (disappears on reply or after 25 s). */
  typingIndicator?: boolean;
  phoneNumberId?: string;
}
