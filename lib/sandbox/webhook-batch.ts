import {
  createWebhookBuilder,
  type WebhookBuilder,
} from '../testing/webhook-builders/webhook-builder.js';
import type {
  BuilderContact,
  StatusOptions,
} from '../testing/webhook-builders/webhook-builder-options.js';
import type { MessageContext } from '../types/webhook/incoming-message-parts.js';
import type { WebhookPayload } from '../types/webhook/webhook-payload.js';
import type { ResolvedSandboxOptions } from './sandbox-options.js';

/** What the sandbox queues for delivery: Meta's message and status objects, or another field's value. */
export type WebhookUpdateSource =
  | { kind: 'message'; message: Record<string, unknown>; sender: BuilderContact }
  | { kind: 'status'; status: Record<string, unknown> }
  | { kind: 'event'; field: string; value: Record<string, unknown> };

/** Envelopes for the sandbox's number, built with the testing kit's webhook builders. */
export function sandboxWebhookBuilder(options: ResolvedSandboxOptions): WebhookBuilder {
  return createWebhookBuilder({
    phoneNumberId: options.phoneNumberId,
    displayPhoneNumber: options.displayPhoneNumber,
    businessAccountId: options.businessAccountId,
  });
}

/**
 * One POST body for several updates, as Meta batches them: inbound messages, then statuses, then other
 * fields; consecutive changes of the account share an entry (events carry `time`, so they get their own).
 */
export function webhookBatch(
  webhook: WebhookBuilder,
  updates: WebhookUpdateSource[],
): WebhookPayload {
  const payloads: WebhookPayload[] = [];
  for (const kind of ['message', 'status', 'event'] as const) {
    for (const update of updates) {
      if (update.kind === kind) payloads.push(toPayload(webhook, update));
    }
  }
  return webhook.batch(...payloads);
}

function toPayload(webhook: WebhookBuilder, update: WebhookUpdateSource): WebhookPayload {
  if (update.kind === 'message') {
    // The sandbox made the message (its id, timestamp and quote); the builder wraps it in Meta's envelope.
    const {
      context,
      from: _from,
      from_user_id: _userId,
      group_id: groupId,
      id,
      timestamp,
      type,
      ...fields
    } = update.message;
    return webhook.message(String(type), fields, {
      id: String(id),
      timestamp: String(timestamp),
      sender: update.sender,
      context: context as MessageContext | undefined,
      ...(typeof groupId === 'string' ? { groupId } : {}),
    });
  }
  if (update.kind === 'status') {
    const { id, status, timestamp, recipient_id, recipient_user_id, ...fields } = update.status;
    const options: StatusOptions = {
      ...(fields as Partial<StatusOptions>),
      id: String(id),
      timestamp: String(timestamp),
      recipient: {
        waId: recipient_id === undefined ? null : String(recipient_id),
        ...(recipient_user_id === undefined ? {} : { userId: String(recipient_user_id) }),
      },
    };
    return webhook.status(String(status), options);
  }
  return webhook.event(update.field, update.value);
}
