import { describe, expect, it } from '@jest/globals';
import type { WebhookUpdate } from '../types/webhook-update.js';
import {
  laneOf,
  laneOfPartition,
  partitionOfUpdate,
  tenantKeyOf,
  type PartitionLayout,
} from './tenant-lanes.js';
import { conversationOf, partitionOf } from './update-partition.js';

function message(phone: string | undefined, from: string, waba = `waba-${phone}`): WebhookUpdate {
  return {
    kind: 'message',
    key: `m:${phone}-${from}`,
    origin: { businessAccountId: waba, field: 'messages', phoneNumberId: phone },
    message: { id: 'x', from, timestamp: '1', type: 'text', text: { body: 'x' } },
  } as WebhookUpdate;
}

function status(phone: string, recipient: string): WebhookUpdate {
  return {
    kind: 'status',
    key: `s:${phone}-${recipient}:sent`,
    origin: { businessAccountId: `waba-${phone}`, field: 'messages', phoneNumberId: phone },
    status: { id: 'y', status: 'sent', timestamp: '1', recipient_id: recipient },
  } as WebhookUpdate;
}

const layout = (lanes: number, tenantOf: PartitionLayout['tenantOf'] = 'phone-number') => ({
  partitions: 64,
  lanes,
  tenantOf,
});

describe('tenant lanes', () => {
  it('takes the receiving number, the WABA, or a function as the tenant', () => {
    const update = message('1065', '155501', '1022');
    expect(tenantKeyOf(update, 'phone-number')).toBe('1065');
    expect(tenantKeyOf(update, 'business-account')).toBe('1022');
    expect(tenantKeyOf(update, (u) => `customer-${u.origin.businessAccountId}`)).toBe(
      'customer-1022',
    );
    // An event without a number: the WABA.
    const event = {
      kind: 'event',
      key: 'e:x',
      origin: { businessAccountId: '1022', field: 'account_update' },
      value: {},
    } as WebhookUpdate;
    expect(tenantKeyOf(event, 'phone-number')).toBe('1022');
  });

  it('falls back to the receiving number when the function throws or answers nonsense, and logs neither the message nor the value', () => {
    const update = message('1065', '155501');
    const reasons: string[] = [];
    const onInvalid = (reason: string) => reasons.push(reason);
    expect(
      tenantKeyOf(
        update,
        () => {
          throw new Error('no tenant');
        },
        onInvalid,
      ),
    ).toBe('1065');
    expect(tenantKeyOf(update, () => ({}) as unknown as string, onInvalid)).toBe('1065');
    expect(tenantKeyOf(update, () => 1.5, onInvalid)).toBe('1065');
    expect(tenantKeyOf(update, () => 2 ** 60, onInvalid)).toBe('1065');
    const rejected = Promise.reject(new Error('async tenant lookup'));
    expect(tenantKeyOf(update, () => rejected as unknown as string, onInvalid)).toBe('1065');
    // A thrown value whose every read throws, and a thrown non-Error whose String() throws.
    const poisoned = new Proxy(new Error('x'), {
      getPrototypeOf() {
        throw new Error('trap');
      },
    });
    expect(
      tenantKeyOf(
        update,
        () => {
          throw poisoned;
        },
        onInvalid,
      ),
    ).toBe('1065');
    expect(
      tenantKeyOf(
        update,
        () => {
          throw {
            toString: () => {
              throw new Error('read');
            },
          };
        },
        onInvalid,
      ),
    ).toBe('1065');
    expect(reasons).toEqual([
      'tenantOf threw (Error; its message is not logged)',
      'tenantOf returned an object, not a string or a safe integer',
      'tenantOf returned a non-integer number, not a string or a safe integer',
      'tenantOf returned an integer beyond 2^53, not a string or a safe integer',
      'tenantOf returned a Promise (tenantOf must answer synchronously), not a string or a safe integer',
      'tenantOf threw (an unreadable thrown value; its message is not logged)',
      'tenantOf threw (a thrown value of type object; its message is not logged)',
    ]);
  });

  it('with one lane, lays conversations out exactly as without tenants', () => {
    for (let i = 0; i < 300; i++) {
      const update = message(`10${i % 7}`, `1555${i}`);
      expect(partitionOfUpdate(update, layout(1))).toBe(partitionOf(conversationOf(update), 64));
    }
  });

  it("puts every conversation of a tenant in its lane, spread over the lane's partitions", () => {
    const lanes = 8;
    const used = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const partition = partitionOfUpdate(message('1065', `1555${i}`), layout(lanes));
      expect(laneOfPartition(partition, lanes)).toBe(laneOf('1065', lanes));
      used.add(partition);
    }
    expect(used.size).toBe(64 / lanes);
    for (const partition of used) expect(partition).toBeLessThan(64);
  });

  it('keeps a message and the statuses of the replies to its user in one partition', () => {
    expect(partitionOfUpdate(message('1065', '155501'), layout(8))).toBe(
      partitionOfUpdate(status('1065', '155501'), layout(8)),
    );
  });

  it('groups all numbers of a WABA with "business-account"; an integer picks the lane', () => {
    const a = partitionOfUpdate(message('1065', '155501', 'W'), layout(8, 'business-account'));
    const b = partitionOfUpdate(message('2077', '155502', 'W'), layout(8, 'business-account'));
    expect(laneOfPartition(a, 8)).toBe(laneOfPartition(b, 8));
    expect(laneOfPartition(a, 8)).toBe(laneOf('W', 8));
    for (const lane of [0, 3, 7, 11, -1]) {
      const p = partitionOfUpdate(
        message('1065', '155501'),
        layout(8, () => lane),
      );
      expect(laneOfPartition(p, 8)).toBe(((lane % 8) + 8) % 8);
    }
  });
});
