import type { SendMessageResponse } from '../types/outgoing/outgoing-message.js';
import {
  clampLimit,
  decodeCursor,
  DEFAULT_HISTORY_LIMIT,
  DEFAULT_MESSAGES_LIMIT,
  encodeCursor,
  MAX_HISTORY_LIMIT,
  MAX_MESSAGES_LIMIT,
  statusRank,
  toMs,
  type HistoryPage,
  type HistoryQuery,
  type InboundFacts,
  type MessageStore,
  type MessagesQuery,
  type MessageWithStatuses,
  type OutgoingRecord,
  type ReplyClaim,
  type SendOutcome,
  type StatusEvent,
  type StoredMessage,
  type WebhookRecordBatch,
} from '../types/ports/message-store.js';

export interface MemoryMessageStoreOptions {
  /**
   * Most messages kept (the oldest recorded go first); status trails and replies are capped the
   * same. Default 10 000 (a few MB).
   */
  maxMessages?: number;
}

type Reply =
  { state: 'sending'; at: number } | { state: 'sent'; at: number; response: SendMessageResponse };

/**
 * The in-memory `MessageStore`: for tests, the sandbox and single-instance bots that need the
 * window check and reply de-duplication within one process. Bounded; lost on restart, so a reply
 * that was `sending` when the process died is not known to the next one (use PostgreSQL for that).
 */
export class MemoryMessageStore implements MessageStore {
  readonly whenUnavailable = 'fail-closed' as const;
  readonly #max: number;
  /** By id, in insertion order (the eviction order). */
  readonly #messages = new Map<string, StoredMessage>();
  readonly #byWamid = new Map<string, StoredMessage>();
  readonly #statuses = new Map<string, StatusEvent[]>();
  readonly #replies = new Map<string, Reply>();
  /** Inbound messages per conversation: the window check of every send reads one, not the whole store. */
  readonly #inbound = new Map<string, Set<StoredMessage>>();

  constructor(options: MemoryMessageStoreOptions = {}) {
    const max = options.maxMessages ?? 10_000;
    if (!Number.isInteger(max) || max < 1) {
      throw new TypeError('MemoryMessageStore: maxMessages must be a positive integer');
    }
    this.#max = max;
  }

  recordWebhook(batch: WebhookRecordBatch): Promise<void> {
    for (const record of batch.incoming) {
      if (this.#byWamid.has(record.wamid)) continue;
      this.#add({
        id: record.wamid,
        wamid: record.wamid,
        direction: 'in',
        phoneNumberId: record.phoneNumberId,
        user: record.user,
        type: record.type,
        at: record.at,
        status: 'received',
        payload: record.raw,
        adReferral: record.adReferral,
      });
    }
    for (const status of batch.statuses) {
      const trail = this.#trail(status.wamid);
      if (trail.some((event) => event.status === status.status)) continue;
      trail.push({ status: status.status, at: status.at, raw: status.raw });
      const message = this.#byWamid.get(status.wamid);
      if (message?.direction !== 'out') continue;
      // Pricing and conversation are kept from any new status; the status itself only moves forward.
      if (status.pricing !== undefined) message.pricing = status.pricing;
      if (status.conversation !== undefined) message.conversation = status.conversation;
      if (status.rank <= statusRank(message.status)) continue;
      message.status = status.status;
      message.statusAt = status.at;
      if (status.errors !== undefined) message.error = status.errors;
    }
    for (const note of batch.annotations) {
      const target = this.#byWamid.get(note.target);
      if (target === undefined) continue;
      if (note.kind === 'reaction') target.reaction = note.emoji === '' ? undefined : note.emoji;
      else if (note.kind === 'edit') {
        target.editedAt = note.at;
        target.edit = note.content;
      } else target.revokedAt = note.at;
    }
    return Promise.resolve();
  }

  recordSend(record: OutgoingRecord): Promise<void> {
    this.#add({ ...record, direction: 'out', status: 'pending', adReferral: false });
    return Promise.resolve();
  }

  completeSend(id: string, outcome: SendOutcome): Promise<void> {
    const message = this.#messages.get(id);
    if (message === undefined) return Promise.resolve();
    if ('wamid' in outcome) {
      message.wamid = outcome.wamid;
      this.#byWamid.set(outcome.wamid, message);
      // Statuses that arrived before the response are applied now.
      let best: StatusEvent | undefined;
      for (const event of this.#statuses.get(outcome.wamid) ?? []) {
        if (statusRank(event.status) > statusRank(best?.status ?? 'sent')) best = event;
      }
      message.status = best?.status ?? 'sent';
      message.statusAt = best?.at ?? outcome.at;
      const errors = (best?.raw as { errors?: unknown } | undefined)?.errors;
      if (best?.status === 'failed' && errors !== undefined) message.error = errors;
    } else {
      message.status = 'failed';
      message.statusAt = outcome.at;
      message.error = outcome.error;
    }
    return Promise.resolve();
  }

  history(query: HistoryQuery): Promise<HistoryPage> {
    const limit = clampLimit(query.limit, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT);
    const cursor = decodeCursor(query.before);
    const matching = [...this.#messages.values()]
      .filter(
        (m) =>
          m.user === query.user &&
          (query.phoneNumberId === undefined || m.phoneNumberId === query.phoneNumberId) &&
          (cursor === undefined || m.at < cursor.at || (m.at === cursor.at && m.id < cursor.id)),
      )
      .sort(newestFirst);
    const messages = matching.slice(0, limit).map(copy);
    const next = matching.length > limit ? encodeCursor(messages[messages.length - 1]) : undefined;
    return Promise.resolve(next === undefined ? { messages } : { messages, next });
  }

  message(wamid: string): Promise<MessageWithStatuses | undefined> {
    const message = this.#byWamid.get(wamid);
    if (message === undefined) return Promise.resolve(undefined);
    const statuses = [...(this.#statuses.get(wamid) ?? [])].sort(
      (a, b) => a.at - b.at || statusRank(a.status) - statusRank(b.status),
    );
    return Promise.resolve({ ...copy(message), statuses });
  }

  messages(query: MessagesQuery): Promise<StoredMessage[]> {
    const limit = clampLimit(query.limit, DEFAULT_MESSAGES_LIMIT, MAX_MESSAGES_LIMIT);
    const statuses = query.status === undefined ? undefined : ([] as string[]).concat(query.status);
    const since = query.since === undefined ? undefined : toMs(query.since);
    const until = query.until === undefined ? undefined : toMs(query.until);
    const found = [...this.#messages.values()].filter(
      (m) =>
        (statuses === undefined || statuses.includes(m.status)) &&
        (query.direction === undefined || m.direction === query.direction) &&
        (query.phoneNumberId === undefined || m.phoneNumberId === query.phoneNumberId) &&
        (since === undefined || m.at >= since) &&
        (until === undefined || m.at < until),
    );
    return Promise.resolve(found.sort(newestFirst).slice(0, limit).map(copy));
  }

  inboundFacts(conversation: { phoneNumberId: string; user: string }): Promise<InboundFacts> {
    const facts: InboundFacts = {};
    for (const m of this.#inbound.get(conversationKey(conversation)) ?? []) {
      if (facts.lastInboundAt === undefined || m.at > facts.lastInboundAt)
        facts.lastInboundAt = m.at;
      if (m.adReferral && (facts.lastAdInboundAt === undefined || m.at > facts.lastAdInboundAt)) {
        facts.lastAdInboundAt = m.at;
      }
    }
    return Promise.resolve(facts);
  }

  claimReply(key: string, at: number): Promise<ReplyClaim> {
    const known = this.#replies.get(key);
    if (known === undefined) {
      this.#replies.set(key, { state: 'sending', at });
      this.#cap(this.#replies);
      return Promise.resolve({ state: 'claimed' });
    }
    return Promise.resolve(
      known.state === 'sent'
        ? { state: 'sent', response: known.response }
        : { state: 'sending', since: known.at },
    );
  }

  completeReply(key: string, response: SendMessageResponse, at: number): Promise<void> {
    this.#replies.set(key, { state: 'sent', at, response });
    return Promise.resolve();
  }

  releaseReply(key: string): Promise<void> {
    if (this.#replies.get(key)?.state === 'sending') this.#replies.delete(key);
    return Promise.resolve();
  }

  purge(olderThan: number | Date): Promise<number> {
    const cutoff = toMs(olderThan);
    let purged = 0;
    for (const [id, message] of this.#messages) {
      if (message.at >= cutoff) continue;
      this.#remove(id, message);
      purged++;
    }
    for (const [wamid, trail] of this.#statuses) {
      const kept = trail.filter((event) => event.at >= cutoff);
      if (kept.length === 0) this.#statuses.delete(wamid);
      else if (kept.length < trail.length) this.#statuses.set(wamid, kept);
    }
    for (const [key, reply] of this.#replies) if (reply.at < cutoff) this.#replies.delete(key);
    return Promise.resolve(purged);
  }

  #add(message: StoredMessage): void {
    this.#messages.set(message.id, message);
    if (message.wamid !== undefined) this.#byWamid.set(message.wamid, message);
    if (message.direction === 'in') {
      const key = conversationKey(message);
      let inbound = this.#inbound.get(key);
      if (inbound === undefined) this.#inbound.set(key, (inbound = new Set()));
      inbound.add(message);
    }
    while (this.#messages.size > this.#max) {
      const [id, oldest] = this.#messages.entries().next().value as [string, StoredMessage];
      this.#remove(id, oldest);
    }
  }

  #remove(id: string, message: StoredMessage): void {
    this.#messages.delete(id);
    if (message.direction === 'in') {
      const key = conversationKey(message);
      const inbound = this.#inbound.get(key);
      inbound?.delete(message);
      if (inbound?.size === 0) this.#inbound.delete(key);
    }
    if (message.wamid !== undefined) {
      this.#byWamid.delete(message.wamid);
      this.#statuses.delete(message.wamid);
    }
  }

  #trail(wamid: string): StatusEvent[] {
    let trail = this.#statuses.get(wamid);
    if (trail === undefined) {
      trail = [];
      this.#statuses.set(wamid, trail);
      this.#cap(this.#statuses);
    }
    return trail;
  }

  /** Drops the oldest entries of a map over the cap. */
  #cap(map: Map<string, unknown>): void {
    while (map.size > this.#max) map.delete(map.keys().next().value as string);
  }
}

function conversationKey(conversation: { phoneNumberId: string; user: string }): string {
  return `${conversation.phoneNumberId}\n${conversation.user}`;
}

function newestFirst(a: StoredMessage, b: StoredMessage): number {
  return b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** A copy without the undefined fields, so callers never mutate the store and results compare equal across stores. */
function copy(message: StoredMessage): StoredMessage {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) if (value !== undefined) out[key] = value;
  return out as unknown as StoredMessage;
}
