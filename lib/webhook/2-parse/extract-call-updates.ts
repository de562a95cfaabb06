import type { CallUpdatePayload } from '../../types/webhook/call-events.js';
import type { WebhookContact } from '../../types/webhook/webhook-contact.js';
import type { UpdateOrigin, WebhookUpdate } from '../../types/webhook-update.js';
import type { SkippedItem } from './extract-updates.js';
import { updateKey } from './update-key.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The user of a call: the contact whose wa_id / user_id is the call's `from` or `to`, else the only one. */
function contactOf(contacts: unknown, call: Obj): WebhookContact | undefined {
  if (!Array.isArray(contacts)) return undefined;
  const ids = [call.from, call.to, call.from_user_id, call.recipient_id, call.recipient_user_id];
  for (const contact of contacts as unknown[]) {
    if (!isObj(contact)) continue;
    if (
      ids.some((id) => typeof id === 'string' && (id === contact.wa_id || id === contact.user_id))
    ) {
      return contact as WebhookContact;
    }
  }
  return contacts.length === 1 && isObj(contacts[0]) ? (contacts[0] as WebhookContact) : undefined;
}

/**
 * The call updates of a `calls` change, in order: every `calls[]` item with a string `id` and
 * `event`, then every `statuses[]` item with a string `id` and `status`. Anything else is listed in
 * `skipped`; the change itself still reaches event handlers (the caller adds it). Never throws.
 */
export function extractCallUpdates(
  value: Obj,
  origin: UpdateOrigin,
  skipped: SkippedItem[],
  path: string,
): WebhookUpdate[] {
  const updates: WebhookUpdate[] = [];
  const lists: Array<['calls' | 'statuses', 'event' | 'status']> = [
    ['calls', 'event'],
    ['statuses', 'status'],
  ];
  for (const [list, typeField] of lists) {
    const items = value[list];
    if (!Array.isArray(items)) continue;
    for (let i = 0; i < items.length; i++) {
      const item: unknown = items[i];
      let reason: string | undefined;
      if (!isObj(item)) reason = 'not an object';
      else if (typeof item.id !== 'string' || item.id === '') reason = 'missing id';
      else if (typeof item[typeField] !== 'string') reason = `missing ${typeField}`;
      if (reason !== undefined || !isObj(item)) {
        skipped.push({ path: `${path}.${list}[${i}]`, reason: reason ?? 'not an object' });
        continue;
      }
      const state = item[typeField] as string;
      const callType = list === 'calls' ? state : 'status';
      const key = updateKey('c:', `${item.id as string}:${state}`);
      const contact = contactOf(value.contacts, item);
      const call = item as unknown as CallUpdatePayload;
      updates.push(
        contact === undefined
          ? { kind: 'call', key, origin, callType, call }
          : { kind: 'call', key, origin, callType, call, contact },
      );
    }
  }
  return updates;
}
