import type { IncomingMessage } from '../../types/webhook/incoming-message.js';
import type { StatusUpdate } from '../../types/webhook/status-update.js';
import type { WebhookContact } from '../../types/webhook/webhook-contact.js';
import type { UpdateOrigin, WebhookUpdate } from '../../types/webhook-update.js';
import { canonicalHash } from './canonical-hash.js';
import { extractCallUpdates } from './extract-call-updates.js';
import { updateKey } from './update-key.js';

/** An item of the batch that was not turned into an update, and why (no payload content). */
export interface SkippedItem {
  /** Where it was, e.g. `entry[0].changes[2].messages[5]`. */
  path: string;
  reason: string;
}

export type ExtractResult =
  { ok: true; updates: WebhookUpdate[]; skipped: SkippedItem[] } | { ok: false; reason: string };

type Obj = Record<string, unknown>;

// Why hand-written guards and not class-validator/class-transformer: this runs for every POST Meta
// sends (up to 1000 updates per body, thousands of bodies per second on busy numbers). Transforming
// into class instances copies every payload and validating with decorators costs tens of µs per
// update (numbers in docs/performance.md), against a budget of ≤ 2 µs. The guards below check only
// what routing and de-duplication need (ids, types, field names) and hand Meta's objects through
// untouched, so unknown fields and types reach the handlers as Meta sent them. They only read fixed
// keys and never write into payload objects, so a body with `__proto__` keys cannot pollute anything.

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Turns a webhook body (already JSON-parsed) into updates, in batch order: every entry, change,
 * message, status and error. Tolerant: unknown fields, message types and webhook fields pass
 * through; malformed messages and statuses are skipped and listed in `skipped`. `ok: false` only
 * when the body is not a WhatsApp webhook at all. Never throws.
 */
export function extractUpdates(body: unknown): ExtractResult {
  if (!isObj(body)) return { ok: false, reason: 'body is not a JSON object' };
  if (body.object !== 'whatsapp_business_account') {
    return { ok: false, reason: 'object is not "whatsapp_business_account"' };
  }
  const entries = body.entry;
  if (!Array.isArray(entries)) return { ok: false, reason: 'entry is not an array' };

  const updates: WebhookUpdate[] = [];
  const skipped: SkippedItem[] = [];
  for (let e = 0; e < entries.length; e++) {
    const entry: unknown = entries[e];
    if (!isObj(entry)) {
      skipped.push({ path: `entry[${e}]`, reason: 'not an object' });
      continue;
    }
    const changes = entry.changes;
    if (!Array.isArray(changes)) {
      skipped.push({ path: `entry[${e}].changes`, reason: 'not an array' });
      continue;
    }
    const businessAccountId =
      typeof entry.id === 'string'
        ? entry.id
        : typeof entry.id === 'number'
          ? String(entry.id)
          : '';
    for (let c = 0; c < changes.length; c++) {
      const change: unknown = changes[c];
      if (!isObj(change)) {
        skipped.push({ path: `entry[${e}].changes[${c}]`, reason: 'not an object' });
        continue;
      }
      const field = change.field;
      if (typeof field !== 'string') {
        skipped.push({ path: `entry[${e}].changes[${c}].field`, reason: 'not a string' });
        continue;
      }
      const value = change.value;
      const origin = makeOrigin(businessAccountId, field, value);
      if (field === 'messages' && isObj(value)) {
        const messages = value.messages;
        const statuses = value.statuses;
        const hasMessages = Array.isArray(messages);
        const hasStatuses = Array.isArray(statuses);
        if (hasMessages || hasStatuses) {
          if (hasMessages) {
            pushMessages(messages, value.contacts, origin, updates, skipped, e, c);
          }
          if (hasStatuses) pushStatuses(statuses, origin, updates, skipped, e, c);
          // Change-level errors next to messages or statuses are rare; they still reach event handlers.
          const errors = value.errors;
          if (Array.isArray(errors) && errors.length > 0) {
            updates.push(eventUpdate(origin, value, entry.time));
          }
          continue;
        }
      }
      if (field === 'calls' && isObj(value)) {
        // Each call (and call status) for @OnWhatsAppCall handlers; the change as a whole still
        // reaches @OnWhatsAppEvent('calls') and catch-all event handlers, as before.
        const calls = extractCallUpdates(value, origin, skipped, `entry[${e}].changes[${c}]`);
        for (let k = 0; k < calls.length; k++) updates.push(calls[k]);
      }
      updates.push(eventUpdate(origin, value, entry.time));
    }
  }
  return { ok: true, updates, skipped };
}

function makeOrigin(businessAccountId: string, field: string, value: unknown): UpdateOrigin {
  const metadata = isObj(value) ? value.metadata : undefined;
  if (!isObj(metadata)) return { businessAccountId, field };
  const origin: UpdateOrigin = { businessAccountId, field };
  const phoneNumberId = str(metadata.phone_number_id);
  const displayPhoneNumber = str(metadata.display_phone_number);
  if (phoneNumberId !== undefined) origin.phoneNumberId = phoneNumberId;
  if (displayPhoneNumber !== undefined) origin.displayPhoneNumber = displayPhoneNumber;
  return origin;
}

/**
 * A message or status item that has a non-empty string `id` and a string `field` (`type` or
 * `status`); anything else is recorded in `skipped` with its path and reason, and gives undefined.
 */
function identifiedItem(
  item: unknown,
  field: 'type' | 'status',
  skipped: SkippedItem[],
  e: number,
  c: number,
  list: 'messages' | 'statuses',
  i: number,
): Obj | undefined {
  let reason: string | undefined;
  if (!isObj(item)) reason = 'not an object';
  else if (typeof item.id !== 'string' || item.id === '') reason = 'missing id';
  else if (typeof item[field] !== 'string') reason = `missing ${field}`;
  else return item;
  skipped.push({ path: `entry[${e}].changes[${c}].${list}[${i}]`, reason });
  return undefined;
}

function pushMessages(
  messages: unknown[],
  contactsValue: unknown,
  origin: UpdateOrigin,
  updates: WebhookUpdate[],
  skipped: SkippedItem[],
  e: number,
  c: number,
): void {
  const contacts = Array.isArray(contactsValue) ? new SenderContacts(contactsValue) : undefined;
  for (let m = 0; m < messages.length; m++) {
    const message = identifiedItem(messages[m], 'type', skipped, e, c, 'messages', m);
    if (message === undefined) continue;
    const key = updateKey('m:', message.id as string);
    const typed = message as unknown as IncomingMessage;
    const contact = contacts?.of(message);
    updates.push(
      contact === undefined
        ? { kind: 'message', key, origin, message: typed }
        : { kind: 'message', key, origin, message: typed, contact },
    );
  }
}

/** Up to this many contacts a scan is cheaper than building the index (Meta sends one per sender). */
const SCAN_LIMIT = 8;

/**
 * The `contacts[]` of one change, to find each message's sender: the first contact with the same
 * `wa_id` as `from` or the same `user_id` as `from_user_id`, else the only contact. Large lists are
 * indexed once, on first use (a signed body may carry 50 000 contacts for 20 000 messages: scanning
 * per message was O(messages × contacts), 27–33 s for that body; docs/performance.md).
 */
class SenderContacts {
  private byWaId: Map<string, number> | undefined;
  private byUserId: Map<string, number> | undefined;

  constructor(private readonly contacts: unknown[]) {}

  of(message: Obj): WebhookContact | undefined {
    const contacts = this.contacts;
    const from = str(message.from);
    const fromUserId = str(message.from_user_id);
    if (from !== undefined || fromUserId !== undefined) {
      const index =
        contacts.length <= SCAN_LIMIT ? this.scan(from, fromUserId) : this.lookUp(from, fromUserId);
      if (index !== -1) return contacts[index] as WebhookContact;
    }
    if (contacts.length === 1 && isObj(contacts[0])) return contacts[0] as WebhookContact;
    return undefined;
  }

  private scan(from: string | undefined, fromUserId: string | undefined): number {
    const contacts = this.contacts;
    for (let i = 0; i < contacts.length; i++) {
      const contact: unknown = contacts[i];
      if (!isObj(contact)) continue;
      if (
        (from !== undefined && contact.wa_id === from) ||
        (fromUserId !== undefined && contact.user_id === fromUserId)
      ) {
        return i;
      }
    }
    return -1;
  }

  /** The index answer of `scan`: the lower of the first positions of the wa_id and the user_id. */
  private lookUp(from: string | undefined, fromUserId: string | undefined): number {
    if (this.byWaId === undefined) this.index();
    const byWaId = this.byWaId as Map<string, number>;
    const byUserId = this.byUserId as Map<string, number>;
    const a = from === undefined ? undefined : byWaId.get(from);
    const b = fromUserId === undefined ? undefined : byUserId.get(fromUserId);
    if (a === undefined) return b ?? -1;
    return b === undefined || a < b ? a : b;
  }

  private index(): void {
    const byWaId = new Map<string, number>();
    const byUserId = new Map<string, number>();
    const contacts = this.contacts;
    for (let i = 0; i < contacts.length; i++) {
      const contact: unknown = contacts[i];
      if (!isObj(contact)) continue;
      const waId = contact.wa_id;
      const userId = contact.user_id;
      // First position wins, as in a scan.
      if (typeof waId === 'string' && !byWaId.has(waId)) byWaId.set(waId, i);
      if (typeof userId === 'string' && !byUserId.has(userId)) byUserId.set(userId, i);
    }
    this.byWaId = byWaId;
    this.byUserId = byUserId;
  }
}

function pushStatuses(
  statuses: unknown[],
  origin: UpdateOrigin,
  updates: WebhookUpdate[],
  skipped: SkippedItem[],
  e: number,
  c: number,
): void {
  for (let s = 0; s < statuses.length; s++) {
    const status = identifiedItem(statuses[s], 'status', skipped, e, c, 'statuses', s);
    if (status === undefined) continue;
    const id = status.id as string;
    const state = status.status as string;
    updates.push({
      kind: 'status',
      key: updateKey('s:', `${id}:${state}`),
      origin,
      status: status as unknown as StatusUpdate,
    });
  }
}

let unhashable = 0;

/**
 * An event's key hashes the WABA id, the entry's `time` and the value: a redelivery (same bytes)
 * hashes alike, while the same value sent again later for another account or at another time does not.
 */
function eventUpdate(origin: UpdateOrigin, value: unknown, time: unknown): WebhookUpdate {
  const hash = canonicalHash([
    origin.businessAccountId,
    typeof time === 'number' ? time : null,
    value,
  ]);
  // A value that cannot be hashed (not JSON) is never treated as a duplicate.
  const key = updateKey(
    'e:',
    `${origin.field}:${hash ?? `unhashable-${process.pid}-${++unhashable}`}`,
  );
  return { kind: 'event', key, origin, value };
}
