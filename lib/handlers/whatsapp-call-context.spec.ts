import { describe, expect, it } from '@jest/globals';
import type { CallUpdatePayload } from '../types/webhook/call-events.js';
import type { IncomingMessage } from '../types/webhook/incoming-message.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { compileMatcher } from './handler-matcher.js';
import { WhatsAppCallContext, type WhatsAppContextCallsApi } from './whatsapp-call-context.js';
import { WhatsAppContext, type WhatsAppContextMessagesApi } from './whatsapp-context.js';

const origin = { businessAccountId: 'waba', field: 'messages', phoneNumberId: 'P1' };
const sent: unknown[] = [];
const ok = { messaging_product: 'whatsapp' as const, contacts: [], messages: [] };
const messages: WhatsAppContextMessagesApi = {
  send: (input) => (sent.push(input), Promise.resolve(ok)),
  markAsRead: () => Promise.resolve(undefined),
  sendReaction: (input) => (sent.push(input), Promise.resolve(ok)),
};
const actions: unknown[] = [];
const calls: WhatsAppContextCallsApi = {
  preAccept: (input) => (actions.push(['preAccept', input]), Promise.resolve({ success: true })),
  accept: (input) => (actions.push(['accept', input]), Promise.resolve({ success: true })),
  reject: (input) => (actions.push(['reject', input]), Promise.resolve({ success: true })),
  terminate: (input) => (actions.push(['terminate', input]), Promise.resolve({ success: true })),
};

function message(fields: Record<string, unknown>): WebhookUpdate {
  const m = { id: 'wamid.1', timestamp: '1', type: 'text', from: '155', ...fields };
  return { kind: 'message', key: 'm:wamid.1', origin, message: m as unknown as IncomingMessage };
}

function call(fields: Record<string, unknown>, callType = 'connect'): WebhookUpdate {
  return {
    kind: 'call',
    key: 'c:x',
    origin: { ...origin, field: 'calls' },
    callType,
    call: fields as unknown as CallUpdatePayload,
  };
}

describe('group messages in the context', () => {
  it('groupId only from a string group_id; reply and react go to the group, replyPrivately to the sender', async () => {
    sent.length = 0;
    const ctx = new WhatsAppContext(message({ group_id: 'G1' }), messages);
    expect(ctx.groupId).toBe('G1');
    await ctx.reply('all');
    await ctx.react('👍');
    await ctx.replyPrivately(['only', '', 'you']);
    expect(sent).toEqual([
      {
        type: 'text',
        text: { body: 'all' },
        recipientType: 'group',
        to: 'G1',
        phoneNumberId: 'P1',
      },
      {
        recipientType: 'group',
        to: 'G1',
        reaction: { message_id: 'wamid.1', emoji: '👍' },
        phoneNumberId: 'P1',
      },
      { type: 'text', text: { body: 'only' }, to: '155', phoneNumberId: 'P1' },
      { type: 'text', text: { body: 'you' }, to: '155', phoneNumberId: 'P1' },
    ]);
    for (const hostile of [42, null, { id: 'G' }, ['G']]) {
      expect(new WhatsAppContext(message({ group_id: hostile }), messages).groupId).toBeUndefined();
    }
  });

  it('inGroup: true / false / a group id; a bad value fails at startup', () => {
    const m = (inGroup: boolean | string) =>
      compileMatcher({ kind: 'message', options: { inGroup } });
    const inGroup = message({ group_id: 'G1' });
    const direct = message({});
    const hostile = message({ group_id: 7 });
    expect([m(true)(inGroup), m(true)(direct), m(true)(hostile)]).toEqual([true, false, false]);
    expect([m(false)(inGroup), m(false)(direct), m(false)(hostile)]).toEqual([false, true, true]);
    expect([m('G1')(inGroup), m('G2')(inGroup), m('G1')(direct)]).toEqual([true, false, false]);
    expect(() => m(1 as unknown as string)).toThrow(/inGroup/);
  });
});

describe('WhatsAppCallContext', () => {
  it('reads only strings from the call; answers are bound to the call id and number', async () => {
    actions.length = 0;
    const ctx = new WhatsAppCallContext(
      call({
        id: 'wacid.1',
        direction: 'USER_INITIATED',
        session: { sdp_type: 'offer', sdp: 'v=0' },
      }),
      messages,
      calls,
    );
    expect([ctx.kind, ctx.callId, ctx.callType, ctx.direction, ctx.sdpOffer]).toEqual([
      'call',
      'wacid.1',
      'connect',
      'USER_INITIATED',
      'v=0',
    ]);
    await ctx.preAccept('ans');
    await ctx.accept('ans', { biz_opaque_callback_data: 'x' });
    await ctx.reject();
    await ctx.terminate();
    expect(actions).toEqual([
      ['preAccept', { callId: 'wacid.1', phoneNumberId: 'P1', sdp: 'ans' }],
      [
        'accept',
        { callId: 'wacid.1', phoneNumberId: 'P1', sdp: 'ans', biz_opaque_callback_data: 'x' },
      ],
      ['reject', { callId: 'wacid.1', phoneNumberId: 'P1' }],
      ['terminate', { callId: 'wacid.1', phoneNumberId: 'P1' }],
    ]);
  });

  it('a hostile call item gives undefined fields, and answers reject instead of sending garbage', async () => {
    const ctx = new WhatsAppCallContext(
      call({ id: 5, direction: {}, status: [], session: { sdp_type: 'answer', sdp: 'v=0' } }),
      messages,
      calls,
    );
    expect([ctx.callId, ctx.direction, ctx.callStatus, ctx.sdpOffer]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    await expect(ctx.reject()).rejects.toThrow(/no id/);
    await expect(
      new WhatsAppCallContext(call({ id: 'c' }), messages, undefined).accept('a'),
    ).rejects.toThrow(/no calls client/);
  });

  it('call matchers: by call type and phone number', () => {
    const connect = compileMatcher({ kind: 'call', callTypes: ['connect'], options: {} });
    const any = compileMatcher({ kind: 'call', options: { phoneNumberId: 'P2' } });
    expect(connect(call({ id: 'c' }))).toBe(true);
    expect(connect(call({ id: 'c' }, 'status'))).toBe(false);
    expect(connect(message({}))).toBe(false);
    expect(any(call({ id: 'c' }))).toBe(false);
  });
});
