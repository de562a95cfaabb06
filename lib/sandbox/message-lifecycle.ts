import type { ResolvedSandboxOptions } from './sandbox-options.js';
import type { ChatMessage, ChatMessageStatus, SandboxStore } from './sandbox-store.js';
import type { WebhookDelivery } from './webhook-delivery.js';
import { unixSeconds } from './ids.js';

/** `pricing` of a status webhook (PMP model). */
export interface Pricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service';
  category: string;
}

interface Tracked {
  message: ChatMessage;
  pricing?: Pricing;
  bizOpaque?: string;
  /** Reactions only ever get `sent`. */
  sentOnly: boolean;
}

const ORDER: ChatMessageStatus[] = ['accepted', 'sent', 'delivered', 'read'];

/**
 * Walks every outgoing message through `sent → delivered → read`, sending one status webhook per step.
 * `read` comes when the simulated user opens the chat, or after `readAfterMs`.
 */
export class MessageLifecycle {
  private readonly tracked = new Map<string, Tracked>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly options: ResolvedSandboxOptions,
    private readonly store: SandboxStore,
    private readonly delivery: WebhookDelivery,
  ) {}

  /** A message the Graph API accepted: `sent` now, then `delivered` and `read` later. */
  accepted(message: ChatMessage, extras: { pricing?: Pricing; bizOpaque?: string } = {}): void {
    const entry: Tracked = { message, ...extras, sentOnly: message.type === 'reaction' };
    this.tracked.set(message.id, entry);
    this.advance(entry, 'sent');
    if (entry.sentOnly) return;
    this.later(this.options.deliveredAfterMs, () => this.advance(entry, 'delivered'));
    const readAfter = this.options.readAfterMs;
    if (readAfter !== false) {
      this.later(Math.max(readAfter, this.options.deliveredAfterMs), () =>
        this.advance(entry, 'read'),
      );
    }
  }

  /** A message accepted by the API and then refused, as Meta reports it: a `failed` status with the error. */
  failed(message: ChatMessage, error: { code: number; title: string; details: string }): void {
    message.status = 'failed';
    message.error = { code: error.code, title: error.title };
    this.store.touchMessage(message);
    this.delivery.enqueue({
      kind: 'status',
      phoneNumberId: message.phoneNumberId,
      status: {
        ...this.statusBase(message, 'failed'),
        errors: [
          {
            code: error.code,
            title: error.title,
            message: error.title,
            error_data: { details: error.details },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          },
        ],
      },
    });
  }

  /** The simulated user looked at the chat (with one business number, or all): its bot messages become `read`. */
  chatOpened(waId: string, phoneNumberId?: string): void {
    for (const entry of this.tracked.values()) {
      const { message } = entry;
      if (phoneNumberId !== undefined && message.phoneNumberId !== phoneNumberId) continue;
      if (message.waId === waId && !entry.sentOnly) this.advance(entry, 'read');
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Sends every missing step up to `target`, in order, so each message gets the full progression. */
  private advance(entry: Tracked, target: ChatMessageStatus): void {
    const { message } = entry;
    if (message.status === 'failed') return;
    let index = ORDER.indexOf(message.status);
    const targetIndex = ORDER.indexOf(target);
    if (index >= targetIndex) return;
    while (index < targetIndex) {
      index++;
      const status = ORDER[index] as ChatMessageStatus;
      message.status = status;
      this.delivery.enqueue({
        kind: 'status',
        status: this.statusWebhook(entry, status),
        // From the number that sent it: entry id its WABA, metadata its number.
        phoneNumberId: message.phoneNumberId,
      });
    }
    this.store.touchMessage(message);
    if (target === 'read') this.tracked.delete(message.id);
  }

  private statusWebhook(entry: Tracked, status: ChatMessageStatus): Record<string, unknown> {
    const value = this.statusBase(entry.message, status);
    // Meta sends pricing on `sent` and on one of `delivered`/`read`.
    if (entry.pricing && (status === 'sent' || status === 'delivered'))
      value.pricing = entry.pricing;
    if (entry.bizOpaque !== undefined) value.biz_opaque_callback_data = entry.bizOpaque;
    return value;
  }

  private statusBase(message: ChatMessage, status: string): Record<string, unknown> {
    const user = this.store.users.get(message.waId);
    // A group message's statuses name the group (Meta adds the participant; the sandbox reports the group).
    const group = this.store.groups.has(message.waId) ? { recipient_type: 'group' } : {};
    return {
      id: message.id,
      status,
      timestamp: unixSeconds(),
      recipient_id: message.waId,
      ...group,
      ...(user ? { recipient_user_id: user.user_id } : {}),
    };
  }

  private later(ms: number, run: () => void): void {
    // The server answers until the sandbox's close() ends: a send accepted meanwhile arms no timer.
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
