import type { OutgoingMessage } from '../types/outgoing/outgoing-message.js';

/** One reply: a text (sent as a text message) or an outgoing message object (sent as is). */
export type WhatsAppReply = string | OutgoingMessage;

/** What a message handler may return, and `ctx.reply()` accepts: one reply or several, in order. */
export type WhatsAppReplies = WhatsAppReply | readonly WhatsAppReply[];

/**
 * Most replies one value may hold. More is a bug (a loop that returns every row of a table), and
 * sending it would flood the user and the Graph API: such a value is refused before anything is sent.
 */
export const MAX_REPLIES = 50;

const NO_REPLIES: readonly WhatsAppReply[] = Object.freeze([]);

/**
 * A value that is sent as a reply: a non-empty string, or an object with a string `type`.
 * May throw: reading `type` runs whatever getter or Proxy trap the value has (callers isolate it).
 */
export function isReply(value: unknown): value is WhatsAppReply {
  return (
    (typeof value === 'string' && value.length > 0) ||
    (value !== null &&
      typeof value === 'object' &&
      typeof (value as { type?: unknown }).type === 'string')
  );
}

/**
 * The replies a value holds, in order: `[value]` for one reply; for an array, its reply items
 * (holes, `undefined`, `null`, empty strings and other non-reply items are skipped, as a handler
 * that returns nothing sends nothing); `[]` for anything else. Every item is read once, before
 * anything is sent, so a getter that throws fails the whole value and nothing goes out.
 * Throws (a RangeError) for an array longer than MAX_REPLIES, before reading its items.
 */
export function collectReplies(value: unknown): readonly WhatsAppReply[] {
  // Most handlers return nothing: no allocation for them (the dispatch's hot path).
  if (!Array.isArray(value)) return isReply(value) ? [value] : NO_REPLIES;
  const length: unknown = value.length;
  if (typeof length !== 'number' || length > MAX_REPLIES) {
    throw new RangeError(
      `A handler returned ${String(length)} replies; at most ${MAX_REPLIES} are sent for one message, so none was sent`,
    );
  }
  const replies: WhatsAppReply[] = [];
  for (let i = 0; i < length; i++) {
    const item: unknown = value[i];
    if (isReply(item)) replies.push(item);
  }
  return replies;
}
