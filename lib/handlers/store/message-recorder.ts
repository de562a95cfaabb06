import { Logger } from '@nestjs/common';
import type { RegisteredHandler } from '../handler-registry.js';
import type { WhatsAppContextMessagesApi } from '../whatsapp-context.js';
import { field, stringOrUndefined as text } from '../payload-fields.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { conversationState, type ConversationState } from '../../store/conversation-state.js';
import type { MessageStore } from '../../types/ports/message-store.js';
import { ReplyLedgerMessages, type InDoubtReplies } from './reply-ledger.js';
import { SKIPPED, withStore } from '../../store/store-outage.js';
import { toRecordBatch } from './webhook-records.js';

/** Injection token of the `MessageRecorder` (null without the `store` option). */
export const WHATSAPP_MESSAGE_RECORDER = Symbol('WHATSAPP_MESSAGE_RECORDER');

/**
 * The webhook side of the `store` option: records each POST's messages and statuses before its
 * handlers run (so a reply sees the window its message opened), and gives handlers a context whose
 * replies are recorded once and whose `conversation()` reads the store.
 */
export class MessageRecorder {
  private readonly logger = new Logger('WhatsAppMessageStore');

  constructor(
    readonly store: MessageStore,
    private readonly inDoubt: InDoubtReplies,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records a POST's updates in one write. Never rejects: `false` when the store is down and fails
   * closed (the webhook answers 503, Meta redelivers, nothing ran), `true` otherwise.
   */
  async record(updates: readonly WebhookUpdate[]): Promise<boolean> {
    try {
      const batch = toRecordBatch(updates, this.now());
      if (batch.incoming.length + batch.statuses.length === 0) return true;
      await withStore(this.store, this.logger, `recording ${updates.length} update(s)`, () =>
        this.store.recordWebhook(batch),
      );
      return true;
    } catch (error) {
      this.logger.warn(
        `${error instanceof Error ? error.message : String(error)}: the delivery is refused so Meta redelivers it later (fail-closed)`,
      );
      return false;
    }
  }

  /** The context of one handler call: replies recorded under (update, handler, ordinal). */
  /**
   * The context pieces of one handler call: its replies recorded per (update, handler, ordinal)
   * and `ctx.conversation()`. The dispatcher builds the context class the update needs with them
   * (a call update gets a `WhatsAppCallContext`).
   */
  contextParts(
    update: WebhookUpdate,
    handler: RegisteredHandler,
    messages: WhatsAppContextMessagesApi,
  ): {
    messages: WhatsAppContextMessagesApi;
    conversation: () => Promise<ConversationState | undefined>;
  } {
    const replies =
      update.kind === 'message'
        ? new ReplyLedgerMessages(
            this.store,
            messages,
            `${update.key}|${handler.id}`,
            this.inDoubt,
            this.logger,
            this.now,
          )
        : messages;
    return { messages: replies, conversation: () => this.conversation(update) };
  }

  /** The conversation with the update's user (a message's sender, a status's recipient). */
  async conversation(update: WebhookUpdate): Promise<ConversationState | undefined> {
    const phoneNumberId = update.origin.phoneNumberId;
    const user =
      update.kind === 'message'
        ? (text(field(update.message, 'from')) ?? text(field(update.message, 'from_user_id')))
        : update.kind === 'status'
          ? text(field(update.status, 'recipient_id'))
          : undefined;
    if (phoneNumberId === undefined || user === undefined) return undefined;
    const facts = await withStore(this.store, this.logger, 'reading the conversation', () =>
      this.store.inboundFacts({ phoneNumberId, user }),
    );
    return facts === SKIPPED
      ? undefined
      : conversationState({ phoneNumberId, user }, facts, this.now());
  }
}
