import { describe, expect, it } from '@jest/globals';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { conversationOf, jobIdOf, partitionOf } from './update-partition.js';

const origin = { businessAccountId: 'waba', field: 'messages', phoneNumberId: 'phone' };

describe('update partitioning', () => {
  it('groups a message and the statuses of replies to that user into one conversation', () => {
    const message = {
      kind: 'message',
      key: 'm:1',
      origin,
      message: { id: '1', from: '155501', timestamp: '1', type: 'text', text: { body: 'x' } },
    } as WebhookUpdate;
    const status = {
      kind: 'status',
      key: 's:2:sent',
      origin,
      status: { id: '2', status: 'sent', timestamp: '1', recipient_id: '155501' },
    } as WebhookUpdate;
    expect(conversationOf(message)).toBe('phone|155501');
    expect(conversationOf(status)).toBe('phone|155501');
    const bsuid = {
      ...message,
      message: {
        id: '3',
        from_user_id: 'US.abc',
        timestamp: '1',
        type: 'text',
        text: { body: 'x' },
      },
    } as WebhookUpdate;
    expect(conversationOf(bsuid)).toBe('phone|US.abc');
    const event = {
      kind: 'event',
      key: 'e:x',
      origin: { businessAccountId: 'waba', field: 'account_update' },
      value: {},
    } as WebhookUpdate;
    expect(conversationOf(event)).toBe('waba|account_update');
  });

  it('maps a conversation to a stable partition, spread over all partitions', () => {
    expect(partitionOf('phone|155501', 8)).toBe(partitionOf('phone|155501', 8));
    const used = new Set(Array.from({ length: 200 }, (_, i) => partitionOf(`phone|1555${i}`, 8)));
    expect(used.size).toBe(8);
    for (const p of used) expect(p).toBeGreaterThanOrEqual(0);
  });

  it('escapes ":" out of job ids reversibly (BullMQ refuses it)', () => {
    expect(jobIdOf('m:wamid.HBg=')).toBe('m%3Awamid.HBg=');
    expect(jobIdOf('e:f:%3A')).toBe('e%3Af%3A%253A');
    expect(jobIdOf('e:f:%3A')).not.toBe(jobIdOf('e:f::'));
  });
});
