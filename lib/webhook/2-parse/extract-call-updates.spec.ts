import { describe, expect, it } from '@jest/globals';
import { webhookFixture } from '../../../test/fixtures/webhook-fixtures.js';
import { extractUpdates } from './extract-updates.js';

describe('call updates of a calls change', () => {
  it('gives one call update per calls[] item (with its contact) and still the change as an event', () => {
    const result = extractUpdates(webhookFixture('calls-connect'));
    if (!result.ok) throw new Error(result.reason);
    const [call, event] = result.updates;
    expect(call.kind).toBe('call');
    if (call.kind !== 'call') return;
    expect(call.callType).toBe('connect');
    expect(call.key).toBe('c:wacid.HBgLMTIwMjU1NTAxNDcVAgARGBI3QjU1NTZEMjA0RTk3RjQ0QzIA:connect');
    expect(call.contact?.wa_id).toBe('12025550147');
    expect(event.kind).toBe('event');
    expect(event.origin.field).toBe('calls');
  });

  it('gives call statuses the type "status", keyed by id and status', () => {
    const result = extractUpdates(webhookFixture('calls-status-ringing'));
    if (!result.ok) throw new Error(result.reason);
    const call = result.updates[0];
    expect(call.kind === 'call' && call.callType).toBe('status');
    expect(call.key).toMatch(/^c:wacid\..+:RINGING$/);
  });

  it.each([
    ['a string', 'x'],
    ['null', null],
    ['an item without id', { event: 'connect' }],
    ['an item without event', { id: 'wacid.1' }],
    ['an item with a numeric event', { id: 'wacid.1', event: 7 }],
  ])(
    'skips %s in calls[] (listed in skipped), and the change still reaches event handlers',
    (_name, item) => {
      const body = {
        object: 'whatsapp_business_account',
        entry: [
          { id: '1', changes: [{ field: 'calls', value: { calls: [item], statuses: 'nope' } }] },
        ],
      };
      const result = extractUpdates(body);
      if (!result.ok) throw new Error(result.reason);
      expect(result.updates.map((u) => u.kind)).toEqual(['event']);
      expect(result.skipped).toEqual([
        expect.objectContaining({ path: 'entry[0].changes[0].calls[0]' }),
      ]);
    },
  );

  it('a calls change of an unknown shape (no calls, no statuses) is an event only', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field: 'calls', value: { call_events_v2: [{ id: 'x' }] } }] }],
    };
    const result = extractUpdates(body);
    expect(result.ok && result.updates.map((u) => u.kind)).toEqual(['event']);
  });
});
