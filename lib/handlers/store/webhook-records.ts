import { field, stringOrUndefined as text } from '../payload-fields.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import {
  statusRank,
  type AnnotationRecord,
  type WebhookRecordBatch,
} from '../../types/ports/message-store.js';

/**
 * What a webhook POST records: its messages (raw JSON), statuses, and what reactions, edits and
 * revokes do to their target. Everything is read defensively (a signed body may hold anything):
 * an item without a string id or user is left out, never a throw.
 */
export function toRecordBatch(updates: readonly WebhookUpdate[], now: number): WebhookRecordBatch {
  const batch: WebhookRecordBatch = { incoming: [], statuses: [], annotations: [] };
  for (const update of updates) {
    if (update.kind === 'message') {
      const message: unknown = update.message;
      const wamid = text(field(message, 'id'));
      const user = text(field(message, 'from')) ?? text(field(message, 'from_user_id'));
      if (wamid === undefined || user === undefined) continue;
      const type = text(field(message, 'type')) ?? 'unknown';
      const at = epochMs(field(message, 'timestamp'), now);
      const referral = field(message, 'referral');
      batch.incoming.push({
        wamid,
        phoneNumberId: update.origin.phoneNumberId ?? '',
        user,
        type,
        at,
        adReferral:
          text(field(referral, 'ctwa_clid')) !== undefined ||
          field(referral, 'source_type') === 'ad',
        raw: message,
      });
      const note = annotation(type, message, at);
      if (note !== undefined) batch.annotations.push(note);
    } else if (update.kind === 'status') {
      const raw: unknown = update.status;
      const wamid = text(field(raw, 'id'));
      const status = text(field(raw, 'status'));
      if (wamid === undefined || status === undefined) continue;
      batch.statuses.push({
        wamid,
        status,
        rank: statusRank(status),
        at: epochMs(field(raw, 'timestamp'), now),
        raw,
        errors: field(raw, 'errors'),
        pricing: field(raw, 'pricing'),
        conversation: field(raw, 'conversation'),
      });
    }
  }
  return batch;
}

function annotation(type: string, message: unknown, at: number): AnnotationRecord | undefined {
  if (type === 'reaction') {
    const reaction = field(message, 'reaction');
    const target = text(field(reaction, 'message_id'));
    if (target === undefined) return undefined;
    return { kind: 'reaction', target, at, emoji: text(field(reaction, 'emoji')) ?? '' };
  }
  if (type === 'edit') {
    const edit = field(message, 'edit');
    const target = text(field(edit, 'original_message_id'));
    return target === undefined
      ? undefined
      : { kind: 'edit', target, at, content: field(edit, 'message') };
  }
  if (type === 'revoke') {
    const target = text(field(field(message, 'revoke'), 'original_message_id'));
    return target === undefined ? undefined : { kind: 'revoke', target, at };
  }
  return undefined;
}

/** Meta's `timestamp` (seconds, as a string) in ms; `now` when it is not a sane number. */
function epochMs(timestamp: unknown, now: number): number {
  const seconds =
    typeof timestamp === 'string' || typeof timestamp === 'number' ? Number(timestamp) : NaN;
  return Number.isFinite(seconds) && seconds > 0 && seconds < 1e11
    ? Math.round(seconds * 1000)
    : now;
}
