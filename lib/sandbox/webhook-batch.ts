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
import type { SandboxBusiness } from './sandbox-options.js';

/**
 * What the sandbox queues for delivery: Meta's message and status objects, or another field's value.
 * `phoneNumberId` names the business number the update belongs to (entry id = its WABA, metadata = the
 * number); without it, the top-level business.
 */
export type WebhookUpdateSource = (
  | { kind: 'message'; message: Record<string, unknown>; sender: BuilderContact }
  | { kind: 'status'; status: Record<string, unknown> }
  | { kind: 'event'; field: string; value: Record<string, unknown> }
) & { phoneNumberId?: string };

/** Envelopes for one business number, built with the testing kit's webhook builders. */
export function sandboxWebhookBuilder(
  business: Pick<SandboxBusiness, 'phoneNumberId' | 'displayPhoneNumber' | 'businessAccountId'>,
): WebhookBuilder {
  return createWebhookBuilder({
    phoneNumberId: business.phoneNumberId,
    displayPhoneNumber: business.displayPhoneNumber,
    businessAccountId: business.businessAccountId,
  });
}

/**
 * One POST body for several updates, as Meta batches them: per business number (in order of first
 * update), inbound messages, then statuses, then other fields; consecutive changes of one WABA share an
 * entry (events carry `time`, so they get their own). `builderFor` gives the envelope of a number.
 */
export function webhookBatch(
  builderFor: (phoneNumberId: string | undefined) => WebhookBuilder,
  updates: WebhookUpdateSource[],
): WebhookPayload {
  const numbers = [...new Set(updates.map((u) => u.phoneNumberId))];
  const payloads: WebhookPayload[] = [];
  for (const number of numbers) {
    const webhook = builderFor(number);
    for (const kind of ['message', 'status', 'event'] as const) {
      for (const update of updates) {
        if (update.kind === kind && update.phoneNumberId === number)
          payloads.push(toPayload(webhook, update));
      }
    }
  }
  return builderFor(undefined).batch(...payloads);
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
