import type { Logger } from '@nestjs/common';
import type { WhatsAppContextMessagesApi } from '../whatsapp-context.js';
import type {
  MarkAsReadInput,
  SendMessageInput,
  SendMessageResponse,
  SendReactionInput,
} from '../../types/outgoing/outgoing-message.js';
import type { InDoubtReplies, MessageStore } from '../../types/ports/message-store.js';
import { SKIPPED, warnLate, withStore } from '../../store/store-outage.js';

export type { InDoubtReplies };

/** What a skipped in-doubt reply resolves to: Meta's shape, without a message id. */
export const IN_DOUBT_RESPONSE: SendMessageResponse = Object.freeze({
  messaging_product: 'whatsapp',
  contacts: [],
  messages: [],
}) as unknown as SendMessageResponse;

/**
 * Replies of one handler call, recorded under `<update key>|<handler id>|<ordinal>`: `sending`
 * before the request, Meta's response after it. A re-run of the same handler on the same update
 * (Meta's redelivery after a failure or a crash) gets the recorded response instead of sending again.
 */
export class ReplyLedgerMessages implements WhatsAppContextMessagesApi {
  #ordinal = 0;

  constructor(
    private readonly store: MessageStore,
    private readonly inner: WhatsAppContextMessagesApi,
    private readonly prefix: string,
    private readonly inDoubt: InDoubtReplies,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  send(input: SendMessageInput): Promise<SendMessageResponse> {
    return this.once(`${this.prefix}|${this.#ordinal++}`, () => this.inner.send(input));
  }

  sendReaction(input: SendReactionInput): Promise<SendMessageResponse> {
    return this.once(`${this.prefix}|${this.#ordinal++}`, () => this.inner.sendReaction(input));
  }

  markAsRead(input: MarkAsReadInput): Promise<unknown> {
    return this.inner.markAsRead(input);
  }

  private async once(
    key: string,
    send: () => Promise<SendMessageResponse>,
  ): Promise<SendMessageResponse> {
    const claim = await withStore(this.store, this.logger, `claiming reply ${key}`, () =>
      this.store.claimReply(key, this.now()),
    );
    if (claim === SKIPPED) return send();
    if (claim.state === 'sent') {
      this.logger.log(`Reply ${key} was sent by an earlier run: not sent again`);
      return claim.response;
    }
    if (claim.state === 'sending') {
      if (this.inDoubt === 'skip') {
        this.logger.warn(
          `Reply ${key} was being sent when an earlier run stopped (${new Date(claim.since).toISOString()}): not sent again (inDoubtReplies: 'skip')`,
        );
        return IN_DOUBT_RESPONSE;
      }
      this.logger.warn(
        `Reply ${key} was being sent when an earlier run stopped: sent again (inDoubtReplies: 'resend')`,
      );
    }
    let response: SendMessageResponse;
    try {
      response = await send();
    } catch (error) {
      // An answer that does not prove Meta refused it (a bare 5xx, a timeout) stays in doubt.
      if ((error as { outcomeUnknown?: unknown } | null)?.outcomeUnknown !== true) {
        await this.store.releaseReply(key).catch(warnLate(this.logger, `the release of ${key}`));
      }
      throw error;
    }
    await this.store
      .completeReply(key, response, this.now())
      .catch(warnLate(this.logger, `the response of ${key}`));
    return response;
  }
}
