import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from '../types/webhook/incoming-message.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { compileMatcher } from './handler-matcher.js';
import { compileReplyId, replyIdOf } from './reply-id.js';

const msg = (fields: Record<string, unknown>): IncomingMessage =>
  ({ id: 'wamid.1', timestamp: '1', from: '111', ...fields }) as unknown as IncomingMessage;
const update = (message: IncomingMessage): WebhookUpdate => ({
  kind: 'message',
  key: 'm:wamid.1',
  origin: { businessAccountId: 'waba', field: 'messages', phoneNumberId: 'P1' },
  message,
});
const buttonReply = (id: unknown): IncomingMessage =>
  msg({
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id, title: 'T' } },
  });
const listReply = (id: unknown): IncomingMessage =>
  msg({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title: 'T' } } });
const flowReply = (response_json: unknown, name = 'flow'): IncomingMessage =>
  msg({
    type: 'interactive',
    interactive: { type: 'nfm_reply', nfm_reply: { name, body: 'Sent', response_json } },
  });
const templateButton = (payload: unknown): IncomingMessage =>
  msg({ type: 'button', button: { payload, text: 'Yes' } });

describe('replyIdOf', () => {
  it('reads the id of each source', () => {
    expect(replyIdOf(buttonReply('plan_basic'))).toBe('plan_basic');
    expect(replyIdOf(listReply('row_2'))).toBe('row_2');
    expect(replyIdOf(templateButton('STOP_PROMOS'))).toBe('STOP_PROMOS');
    expect(replyIdOf(flowReply(JSON.stringify({ flow_token: 'signup-42', email: 'a@b.c' })))).toBe(
      'signup-42',
    );
  });

  it('gives no id for other messages, and never uses titles, texts or the Flow name', () => {
    expect(replyIdOf(msg({ type: 'text', text: { body: 'plan_basic' } }))).toBeUndefined();
    expect(replyIdOf(flowReply('{"screen_0_name":"x"}', 'plan_basic'))).toBeUndefined();
    expect(
      replyIdOf(msg({ type: 'interactive', interactive: { type: 'call_permission_reply' } })),
    ).toBeUndefined();
  });

  it('a missing or mistyped field gives no id, never a throw', () => {
    const hostile = [
      msg({ type: 'interactive' }),
      msg({ type: 'interactive', interactive: null }),
      msg({ type: 'interactive', interactive: 'x' }),
      msg({ type: 'interactive', interactive: { type: 'button_reply' } }),
      msg({ type: 'interactive', interactive: { type: 'list_reply', list_reply: [] } }),
      msg({ type: 'interactive', interactive: { type: 'nfm_reply' } }),
      msg({ type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: 7 } }),
      buttonReply(42),
      listReply({ id: 'x' }),
      templateButton(null),
      msg({ type: 'button' }),
      flowReply('{not json'),
      flowReply('null'),
      flowReply('"a string"'),
      flowReply('[1,2]'),
      flowReply(JSON.stringify({ flow_token: 12 })),
      flowReply({ flow_token: 'not-a-string-json' }),
      msg({ type: 42 }),
    ];
    for (const m of hostile) expect(replyIdOf(m)).toBeUndefined();
  });

  it('parses response_json once per message, however many handlers ask', () => {
    const parse = JSON.parse;
    let calls = 0;
    JSON.parse = ((text: string) => {
      calls++;
      return parse(text) as unknown;
    }) as typeof JSON.parse;
    try {
      const m = flowReply('{"flow_token":"t"}');
      for (let i = 0; i < 5; i++) expect(replyIdOf(m)).toBe('t');
    } finally {
      JSON.parse = parse;
    }
    expect(calls).toBe(1);
  });
});

describe('compileReplyId', () => {
  it('string: exact, case-sensitive, untrimmed; list: any; RegExp: tested, even global', () => {
    const one = compileReplyId('plan_basic');
    expect([one('plan_basic'), one('PLAN_BASIC'), one(' plan_basic'), one('plan')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    const list = compileReplyId(['a', 'b']);
    expect([list('a'), list('b'), list('c')]).toEqual([true, true, false]);
    const re = compileReplyId(/^plan_/g);
    expect([re('plan_pro'), re('plan_pro'), re('my_plan_pro')]).toEqual([true, true, false]);
  });

  it.each([[''], [[]], [['a', '']], [['a', 1]], [42], [null], [{}], [true]])(
    'refuses %p with a clear message',
    (value) => {
      expect(() => compileReplyId(value)).toThrow(/^replyId must be a non-empty string/);
    },
  );
});

describe('compileMatcher with replyId', () => {
  it('combines with the type filter: interactive alone does not see template buttons', () => {
    const interactive = compileMatcher({
      kind: 'message',
      types: ['interactive'],
      options: { replyId: /^plan_/ },
    });
    const any = compileMatcher({ kind: 'message', options: { replyId: ['plan_pro', 'STOP'] } });
    expect(interactive(update(buttonReply('plan_pro')))).toBe(true);
    expect(interactive(update(listReply('plan_x')))).toBe(true);
    expect(interactive(update(templateButton('plan_pro')))).toBe(false);
    expect(any(update(templateButton('STOP')))).toBe(true);
    expect(any(update(flowReply('{"flow_token":"plan_pro"}')))).toBe(true);
    expect(any(update(msg({ type: 'text', text: { body: 'plan_pro' } })))).toBe(false);
  });

  it('a bad replyId throws at compile time (startup), not at dispatch', () => {
    expect(() =>
      compileMatcher({ kind: 'message', options: { replyId: '' as unknown as string } }),
    ).toThrow(TypeError);
  });
});
