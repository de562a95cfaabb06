// CONTRACT of the message store (module option `store`): what the module records and what apps query.
// Implementations: MemoryMessageStore (lib/store), PostgresMessageStore (lib/postgres). Times are epoch ms.
import type { SendMessageResponse } from '../outgoing/outgoing-message.js';

/**
 * Status of a stored message. Incoming messages are `received`; outgoing ones move only forward:
 * `pending` (before the request) → `sent` (Meta accepted it: wamid known) → `delivered` → `read`,
 * or `failed` (the Graph error, or Meta's failed status with its `errors`). See `statusRank`.
 */
export type StoredMessageStatus =
  'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | (string & {});

/** One message, as the store keeps it. */
export interface StoredMessage {
  /** The wamid, or `out:<uuid>` for an outgoing message Meta has not accepted (pending, failed). */
  id: string;
  wamid?: string;
  direction: 'in' | 'out';
  /** The business number that received or sent it. */
  phoneNumberId: string;
  /** The customer: `wa_id` (phone number) or BSUID. */
  user: string;
  /** Meta's message type (`text`, `template`, `reaction`, ...). */
  type: string;
  /** Incoming: Meta's `timestamp`; outgoing: when the send started. */
  at: number;
  status: StoredMessageStatus;
  /** When the current status was reached (Meta's status `timestamp`, or the response time). */
  statusAt?: number;
  /** Incoming: Meta's message object as received; outgoing: the request body sent to Meta. */
  payload: unknown;
  /** A failed send: the Graph error (`{ status, code, subcode, type, message, fbtraceId }`); a failed status: Meta's `errors`. */
  error?: unknown;
  /** `pricing` of the latest status that carried one (Meta's shape). */
  pricing?: unknown;
  /** `conversation` of the latest status that carried one (Meta's shape). */
  conversation?: unknown;
  /** Incoming from a click-to-WhatsApp ad (`referral.ctwa_clid` or `source_type: 'ad'`). */
  adReferral: boolean;
  /** The customer's current reaction to it (`reaction` messages; removed → undefined). */
  reaction?: string;
  /** The customer edited it: when, and the new content (`edit.message`). */
  editedAt?: number;
  edit?: unknown;
  /** The customer deleted it (`revoke`). */
  revokedAt?: number;
}

/** One status webhook of a message, as Meta sent it. */
export interface StatusEvent {
  status: string;
  at: number;
  /** Meta's status object (`errors`, `pricing`, `conversation`, `biz_opaque_callback_data`...). */
  raw: unknown;
}

/** A message and every status webhook received for it, oldest first. */
export interface MessageWithStatuses extends StoredMessage {
  statuses: StatusEvent[];
}

/** An incoming message to record (from a webhook). */
export interface IncomingRecord {
  wamid: string;
  phoneNumberId: string;
  user: string;
  type: string;
  at: number;
  adReferral: boolean;
  raw: unknown;
}

/** A status webhook to record. `rank` is `statusRank(status)`. */
export interface StatusRecord {
  wamid: string;
  status: string;
  rank: number;
  at: number;
  raw: unknown;
  errors?: unknown;
  pricing?: unknown;
  conversation?: unknown;
}

/** What an incoming reaction, edit or revoke does to the message it targets. */
export interface AnnotationRecord {
  kind: 'reaction' | 'edit' | 'revoke';
  /** The wamid of the message it targets. */
  target: string;
  at: number;
  /** Reactions: the emoji, `''` when removed. */
  emoji?: string;
  /** Edits: the new content. */
  content?: unknown;
}

/** Everything one webhook POST records, written at once (one round trip on PostgreSQL). */
export interface WebhookRecordBatch {
  incoming: IncomingRecord[];
  statuses: StatusRecord[];
  annotations: AnnotationRecord[];
}

/** An outgoing send, recorded `pending` before the request. */
export interface OutgoingRecord {
  /** `out:<uuid>`: the id until Meta gives a wamid. */
  id: string;
  phoneNumberId: string;
  user: string;
  type: string;
  at: number;
  /** The request body. */
  payload: unknown;
}

/** How a send ended: Meta's wamid, or the error. */
export type SendOutcome = { wamid: string; at: number } | { error: unknown; at: number };

/** `history()`: one conversation, newest first; `before` is the `next` cursor of the previous page. */
export interface HistoryQuery {
  user: string;
  phoneNumberId?: string;
  /** Default 50, at most 500. */
  limit?: number;
  before?: string;
}

export interface HistoryPage {
  messages: StoredMessage[];
  /** Cursor of the next (older) page; absent on the last page. */
  next?: string;
}

/** `messages()`: e.g. `{ status: 'failed', since: Date.now() - 3_600_000 }`. Newest first. */
export interface MessagesQuery {
  status?: StoredMessageStatus | StoredMessageStatus[];
  direction?: 'in' | 'out';
  phoneNumberId?: string;
  /** `at >= since` (epoch ms or Date). */
  since?: number | Date;
  /** `at < until`. */
  until?: number | Date;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** What the window is computed from: the latest inbound message, and the latest from an ad. */
export interface InboundFacts {
  lastInboundAt?: number;
  lastAdInboundAt?: number;
}

/**
 * A reply recorded under (update key, handler id, ordinal). `claimed`: nobody sent it, send now;
 * `sent`: sent before, here is Meta's response; `sending`: a run started sending it and never said
 * how it ended (its process died, or it is still running elsewhere).
 */
export type ReplyClaim =
  | { state: 'claimed' }
  | { state: 'sent'; response: SendMessageResponse }
  | { state: 'sending'; since: number };

/** `outsideWindow`: refuse free-form messages to a user whose window is closed, or send anyway. */
export type OutsideWindowBehaviour = 'error' | 'allow';

/**
 * A reply found `sending` by a re-run (its process died between recording it and learning how the
 * send ended): `'skip'` (default) never risks a second copy, and loses the reply if the request
 * never left; `'resend'` never loses it, and may send it twice.
 */
export type InDoubtReplies = 'skip' | 'resend';

/** What a store does when its backend is down: the same choice as a Redis de-duplication store. */
export type MessageStoreUnavailableBehaviour = 'fail-closed' | 'fail-open';

/**
 * Where the module records messages, statuses and replies (module option `store`), and what apps
 * query. Every method may reject when the backend is down; the module then follows
 * `whenUnavailable` (docs/storage.md, "When the store is down").
 */
export interface MessageStore {
  /** Default `'fail-closed'`: webhook POSTs answer 503 and sends throw until the store is back. */
  readonly whenUnavailable?: MessageStoreUnavailableBehaviour;

  /** Records what one webhook POST carried; idempotent (a redelivery changes nothing). */
  recordWebhook(batch: WebhookRecordBatch): Promise<void>;
  /** Records an outgoing send as `pending`. */
  recordSend(record: OutgoingRecord): Promise<void>;
  /** `sent` with the wamid (or later, when its statuses arrived first), or `failed` with the error. */
  completeSend(id: string, outcome: SendOutcome): Promise<void>;

  history(query: HistoryQuery): Promise<HistoryPage>;
  /** A message by wamid with its status trail, or undefined. */
  message(wamid: string): Promise<MessageWithStatuses | undefined>;
  messages(query: MessagesQuery): Promise<StoredMessage[]>;
  inboundFacts(conversation: { phoneNumberId: string; user: string }): Promise<InboundFacts>;

  /** Records the reply `sending` unless it is known; says what is known. */
  claimReply(key: string, at: number): Promise<ReplyClaim>;
  /** The reply was sent: keeps Meta's response for a re-run. */
  completeReply(key: string, response: SendMessageResponse, at: number): Promise<void>;
  /** The send failed (nothing went out): forgets the claim, so a re-run sends it. */
  releaseReply(key: string): Promise<void>;

  /** Retention: deletes messages, statuses and replies older than `olderThan`; returns how many messages went. */
  purge(olderThan: number | Date): Promise<number>;
  /** Creates or upgrades the schema (SQL stores); a no-op elsewhere. */
  migrate?(): Promise<void>;
}

/**
 * Order of statuses: a status replaces the current one only when its rank is higher, so a late
 * `delivered` never overwrites `read`, and `failed` is final. Unknown statuses (`deleted`,
 * `warning`, ...) rank -1: kept in the trail, never the current status.
 */
export function statusRank(status: string): number {
  switch (status) {
    case 'pending':
      return 0;
    case 'sent':
      return 1;
    case 'delivered':
      return 2;
    case 'read':
    case 'played':
      return 3;
    case 'failed':
      return 4;
    default:
      return -1;
  }
}

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 500;
export const DEFAULT_MESSAGES_LIMIT = 100;
export const MAX_MESSAGES_LIMIT = 1000;

/** A limit within [1, max], `fallback` when absent or not a number. */
export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (typeof limit !== 'number' || !Number.isFinite(limit)) return fallback;
  return Math.min(Math.max(1, Math.floor(limit)), max);
}

/** Epoch ms of a `Date` or a number. */
export function toMs(value: number | Date): number {
  return value instanceof Date ? value.getTime() : value;
}

/** History cursor: `<at>:<id>` of the last message of a page. */
export function encodeCursor(message: StoredMessage): string {
  return `${message.at}:${message.id}`;
}

export function decodeCursor(cursor: string | undefined): { at: number; id: string } | undefined {
  if (typeof cursor !== 'string') return undefined;
  const colon = cursor.indexOf(':');
  const at = Number(cursor.slice(0, colon));
  if (colon <= 0 || !Number.isFinite(at)) return undefined;
  return { at, id: cursor.slice(colon + 1) };
}
