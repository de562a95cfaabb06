import type { WebhookUpdate } from '../types/webhook-update.js';
import { conversationOf, partitionOf } from './update-partition.js';

/**
 * Who an update belongs to, for per-tenant fairness (option `tenantOf`):
 * - `'phone-number'`: the receiving number (`phone_number_id`; the WABA for events without one);
 * - `'business-account'`: the WABA (`entry[].id`), so all numbers of a business share one lane;
 * - a function: any key, e.g. your customer id; a number places the tenant in that lane itself.
 *   It must give the same answer for every update of a conversation (same number and user).
 */
export type TenantOf =
  'phone-number' | 'business-account' | ((update: WebhookUpdate) => string | number);

/** How conversations are laid out on the partition queues. */
export interface PartitionLayout {
  partitions: number;
  /** Groups of partitions; a tenant's conversations all go to one lane. 1: no tenant grouping. */
  lanes: number;
  tenantOf: TenantOf;
}

/** The receiving number, else the WABA: the default tenant of an update. */
function receivingNumber(update: WebhookUpdate): string {
  return update.origin.phoneNumberId ?? update.origin.businessAccountId;
}

/**
 * The tenant key of an update. A function that throws or answers something else than a string or
 * a safe integer falls back to the receiving number (`onInvalid` says why): enqueueing never fails
 * because of it, and the fallback is the same for every update of a conversation. The reason never
 * holds the thrown message or the value (they may carry tokens or user data), and reading the
 * thrown value is guarded: it may be a Proxy whose every read throws.
 */
export function tenantKeyOf(
  update: WebhookUpdate,
  tenantOf: TenantOf,
  onInvalid?: (reason: string) => void,
): string | number {
  if (tenantOf === 'phone-number') return receivingNumber(update);
  if (tenantOf === 'business-account') return update.origin.businessAccountId;
  let key: unknown;
  try {
    key = tenantOf(update);
  } catch (error) {
    onInvalid?.(`tenantOf threw (${thrownKind(error)}; its message is not logged)`);
    return receivingNumber(update);
  }
  if (typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key))) {
    return key;
  }
  onInvalid?.(`tenantOf returned ${answerKind(key)}, not a string or a safe integer`);
  return receivingNumber(update);
}

/** What was thrown, for the log: the class name of an Error, else the type; never the message. */
function thrownKind(error: unknown): string {
  try {
    if (error instanceof Error) {
      const name: unknown = error.constructor.name;
      return typeof name === 'string' && /^\w{1,60}$/.test(name) ? name : 'Error';
    }
  } catch {
    return 'an unreadable thrown value';
  }
  return `a thrown value of type ${typeof error}`;
}

/**
 * What an invalid answer was, for the log. A Promise (an async `tenantOf`) is not awaited, the
 * lane is needed now; its rejection is handled here, else it would be an unhandled rejection.
 */
function answerKind(key: unknown): string {
  if (typeof key === 'number')
    return Number.isInteger(key) ? 'an integer beyond 2^53' : `a non-integer number`;
  if (typeof key !== 'object' || key === null) return key === null ? 'null' : typeof key;
  try {
    if (key instanceof Promise) {
      key.then(undefined, () => undefined);
      return 'a Promise (tenantOf must answer synchronously)';
    }
  } catch {
    return 'an unreadable object';
  }
  return 'an object';
}

/** The lane of a tenant: an integer is taken as the lane itself (modulo), a string is hashed. */
export function laneOf(tenant: string | number, lanes: number): number {
  if (typeof tenant === 'number') return ((tenant % lanes) + lanes) % lanes;
  return partitionOf(tenant, lanes);
}

/**
 * The partition of an update. Partition `p` belongs to lane `p % lanes`; the conversation is
 * hashed onto the `partitions / lanes` partitions of its tenant's lane. With one lane this is
 * `partitionOf(conversationOf(update), partitions)`, the layout without tenants.
 */
export function partitionOfUpdate(
  update: WebhookUpdate,
  layout: PartitionLayout,
  onInvalid?: (reason: string) => void,
): number {
  const { partitions, lanes } = layout;
  const slot = partitionOf(conversationOf(update), partitions / lanes);
  if (lanes === 1) return slot;
  return laneOf(tenantKeyOf(update, layout.tenantOf, onInvalid), lanes) + lanes * slot;
}

/** The lane a partition belongs to (its workers ask for slots in that lane's line). */
export function laneOfPartition(partition: number, lanes: number): number {
  return partition % lanes;
}
