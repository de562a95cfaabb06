import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { SendMessageResponse } from '../types/outgoing/outgoing-message.js';
import { conversationState } from './conversation-state.js';
import type { MessageStore, OutsideWindowBehaviour } from '../types/ports/message-store.js';
import { WhatsAppOutsideWindowError } from './store-errors.js';
import { SKIPPED, warnLate, withStore } from './store-outage.js';

export type { OutsideWindowBehaviour };

/** One send as `MessagesApi` built it: the request body and its number. */
export interface RecordedSend {
  phoneNumberId: string;
  body: Record<string, unknown>;
  /** The send's own `outsideWindow`, overriding the module's. */
  outsideWindow: unknown;
}

/**
 * The client's send path with a `store`: checks the customer-service window (before any request),
 * records the send `pending`, then `sent` with the wamid or `failed` with the Graph error.
 */
export class SendRecorder {
  private readonly logger = new Logger('WhatsAppMessageStore');

  constructor(
    private readonly store: MessageStore,
    private readonly outsideWindow: OutsideWindowBehaviour,
    private readonly now: () => number = Date.now,
  ) {}

  async send(
    send: RecordedSend,
    request: () => Promise<SendMessageResponse>,
  ): Promise<SendMessageResponse> {
    const { body, phoneNumberId } = send;
    const user =
      typeof body.to === 'string'
        ? body.to
        : typeof body.recipient === 'string'
          ? body.recipient
          : '';
    const type = typeof body.type === 'string' ? body.type : 'unknown';
    const mode = send.outsideWindow ?? this.outsideWindow;
    if (mode !== 'error' && mode !== 'allow') {
      throw new TypeError(`outsideWindow must be 'error' or 'allow'`);
    }
    // Templates open conversations; group messages have no customer-service window.
    if (mode === 'error' && type !== 'template' && body.recipient_type !== 'group') {
      await this.checkWindow(phoneNumberId, user);
    }
    const id = `out:${randomUUID()}`;
    const recorded = await withStore(this.store, this.logger, 'recording a send', () =>
      this.store.recordSend({ id, phoneNumberId, user, type, at: this.now(), payload: body }),
    );
    let response: SendMessageResponse;
    try {
      response = await request();
    } catch (error) {
      if (recorded !== SKIPPED) {
        await this.store
          .completeSend(id, { error: graphErrorRecord(error), at: this.now() })
          .catch(warnLate(this.logger, `the failure of ${id}`));
      }
      throw error;
    }
    const wamid = response?.messages?.[0]?.id;
    if (recorded !== SKIPPED && typeof wamid === 'string') {
      await this.store
        .completeSend(id, { wamid, at: this.now() })
        .catch(warnLate(this.logger, `the wamid of ${id}`));
    }
    return response;
  }

  private async checkWindow(phoneNumberId: string, user: string): Promise<void> {
    const facts = await withStore(this.store, this.logger, 'checking the window', () =>
      this.store.inboundFacts({ phoneNumberId, user }),
    );
    if (facts === SKIPPED) return;
    const state = conversationState({ phoneNumberId, user }, facts, this.now());
    if (!state.windowOpen) {
      throw new WhatsAppOutsideWindowError(user, phoneNumberId, state.windowOpenUntil);
    }
  }
}

/** What is kept of a failed send: the Graph error's fields (never the token, never the request). */
export function graphErrorRecord(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const key of [
    'name',
    'message',
    'status',
    'code',
    'subcode',
    'type',
    'fbtraceId',
    'details',
  ]) {
    const value = e[key];
    if (typeof value === 'string' || typeof value === 'number') record[key] = value;
  }
  return record;
}
