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
 * an integer falls back to the receiving number (`onInvalid` says why): enqueueing never fails
 * because of it, and the fallback is the same for every update of a conversation.
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
    onInvalid?.(`tenantOf threw (${error instanceof Error ? error.message : String(error)})`);
    return receivingNumber(update);
  }
  if (typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key))) {
    return key;
  }
  onInvalid?.(`tenantOf returned ${typeof key}, not a string or an integer`);
  return receivingNumber(update);
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
