import type { WebhookUpdate } from '../types/webhook-update.js';

/**
 * The conversation an update belongs to: the business number and the user. Updates of one
 * conversation go to one partition, whose jobs run one at a time in arrival order.
 */
export function conversationOf(update: WebhookUpdate): string {
  const phone = update.origin.phoneNumberId ?? update.origin.businessAccountId;
  switch (update.kind) {
    case 'message':
      return `${phone}|${update.message.from ?? update.message.from_user_id ?? ''}`;
    case 'status':
      return `${phone}|${update.status.recipient_id ?? update.status.recipient_user_id ?? ''}`;
    case 'call':
      return `${phone}|${update.contact?.wa_id ?? update.contact?.user_id ?? ''}`;
    default:
      return `${update.origin.businessAccountId}|${update.origin.field}`;
  }
}

/** FNV-1a: a stable, well-spread hash, the same in every instance. */
export function partitionOf(conversation: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < conversation.length; i++) {
    hash ^= conversation.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** BullMQ refuses `:` in custom job ids; our keys (`m:<wamid>`) have some. Reversible escaping. */
export function jobIdOf(key: string): string {
  return key.replaceAll('%', '%25').replaceAll(':', '%3A');
}
