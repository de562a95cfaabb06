import type { ReplyIdFilter } from './reply-id.js';

/** Filters shared by every handler decorator. */
export interface WhatsAppHandlerOptions {
  /** Only updates received by (or, for statuses, sent from) this phone number id; several = any of them. */
  phoneNumberId?: string | string[];
  /**
   * Only updates of this WhatsApp Business Account (the webhook's `entry[].id`), e.g. one tenant's
   * WABA; several = any of them. Also matches account events that carry no phone number id.
   */
  businessAccountId?: string | string[];
}

/** Filters of `@OnWhatsAppMessage`, after pywa's most used filters, kept small and typed. */
export interface WhatsAppMessageHandlerOptions extends WhatsAppHandlerOptions {
  /**
   * Text of the message: a string matches the whole text (trimmed, case-insensitive), a RegExp is
   * tested against it. Text is `text.body`, a button's `button.text`, or the title of an
   * interactive reply; messages without text never match.
   */
  matches?: string | RegExp;
  /** Only messages sent by this sender (`from` phone number or `from_user_id` BSUID); several = any of them. */
  from?: string | string[];
  /** `true`: only replies to (quotes of) another message (`context.id` present); `false`: only non-replies. */
  isReply?: boolean;
  /** `true`: only forwarded messages (`context.forwarded` or `context.frequently_forwarded`). */
  isForwarded?: boolean;
  /**
   * The id a tap carries, as set when the message was sent: `interactive.button_reply.id`,
   * `interactive.list_reply.id`, the `flow_token` in an `nfm_reply`'s `response_json`, or a template
   * quick-reply's `button.payload`. A string matches one id exactly (case-sensitive), a list any
   * of its ids, a RegExp is tested. Messages that carry no id never match. Checked at startup.
   */
  replyId?: ReplyIdFilter;
  /**
   * `true`: only messages received in a group (Groups API, `group_id` set); `false`: only
   * one-to-one messages; a string: only messages of that group id.
   */
  inGroup?: boolean | string;
}

/** One registration made by a decorator; a method may carry several (stacked decorators). */
export type WhatsAppHandlerMetadata =
  | { kind: 'message'; types?: readonly string[]; options: WhatsAppMessageHandlerOptions }
  | { kind: 'status'; statuses?: readonly string[]; options: WhatsAppHandlerOptions }
  | { kind: 'event'; field?: string; options: WhatsAppHandlerOptions }
  | { kind: 'call'; callTypes?: readonly string[]; options: WhatsAppHandlerOptions };
