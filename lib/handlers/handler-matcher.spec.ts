import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { IncomingMessage } from '../types/webhook/incoming-message.js';
import type { WebhookUpdate } from '../types/webhook-update.js';
import { compileMatcher, compileOriginMatcher, messageText } from './handler-matcher.js';

const origin = { businessAccountId: 'waba', field: 'messages', phoneNumberId: 'P1' };

function message(fields: Record<string, unknown>, phoneNumberId = 'P1'): WebhookUpdate {
  const msg = {
    id: 'wamid.1',
    timestamp: '1',
    from: '111',
    ...fields,
  } as unknown as IncomingMessage;
  return { kind: 'message', key: 'm:wamid.1', origin: { ...origin, phoneNumberId }, message: msg };
}
const text = (body: string, extra: Record<string, unknown> = {}): WebhookUpdate =>
  message({ type: 'text', text: { body }, ...extra });
const status = (s: string): WebhookUpdate => ({
  kind: 'status',
  key: `s:wamid.1:${s}`,
  origin,
  status: { id: 'wamid.1', status: s, timestamp: '1', recipient_id: '111' } as never,
});
const event = (field: string): WebhookUpdate => ({
  kind: 'event',
  key: `e:${field}:x`,
  origin: { businessAccountId: 'waba', field },
  value: {},
});

describe('compileMatcher', () => {
  it('message: by type, list of types or any type (also unknown ones)', () => {
    const any = compileMatcher({ kind: 'message', options: {} });
    const onlyText = compileMatcher({ kind: 'message', types: ['text'], options: {} });
    const media = compileMatcher({ kind: 'message', types: ['image', 'video'], options: {} });
    const future = message({ type: 'hologram' });
    expect([any(text('hi')), any(future), any(status('sent'))]).toEqual([true, true, false]);
    expect([onlyText(text('hi')), onlyText(future)]).toEqual([true, false]);
    expect([media(message({ type: 'video' })), media(text('x'))]).toEqual([true, false]);
  });

  it('message: matches (string: whole text, trimmed, case-insensitive; RegExp, even global)', () => {
    const hello = compileMatcher({ kind: 'message', options: { matches: 'Hello' } });
    expect([
      hello(text(' hello ')),
      hello(text('hello there')),
      hello(message({ type: 'image' })),
    ]).toEqual([true, false, false]);
    const order = compileMatcher({ kind: 'message', options: { matches: /order \d+/g } });
    expect([order(text('my order 12')), order(text('my order 12')), order(text('no'))]).toEqual([
      true,
      true,
      false,
    ]);
    const button = compileMatcher({ kind: 'message', options: { matches: 'Yes' } });
    expect(button(message({ type: 'button', button: { payload: 'p', text: 'Yes' } }))).toBe(true);
    expect(
      button(
        message({
          type: 'interactive',
          interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'yes' } },
        }),
      ),
    ).toBe(true);
  });

  it('message: phoneNumberId, from (phone or BSUID), isReply, isForwarded', () => {
    const p2 = compileMatcher({ kind: 'message', options: { phoneNumberId: ['P2', 'P3'] } });
    expect([p2(text('x')), p2(message({ type: 'text', text: { body: 'x' } }, 'P3'))]).toEqual([
      false,
      true,
    ]);
    const from = compileMatcher({ kind: 'message', options: { from: ['US.9'] } });
    expect([
      from(text('x')),
      from(message({ type: 'text', from: undefined, from_user_id: 'US.9' })),
    ]).toEqual([false, true]);
    const reply = compileMatcher({ kind: 'message', options: { isReply: true } });
    const notReply = compileMatcher({ kind: 'message', options: { isReply: false } });
    const quoted = text('x', { context: { from: '1', id: 'wamid.0' } });
    expect([reply(quoted), reply(text('x')), notReply(quoted), notReply(text('x'))]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    const fwd = compileMatcher({ kind: 'message', options: { isForwarded: true } });
    expect([fwd(text('x', { context: { frequently_forwarded: true } })), fwd(text('x'))]).toEqual([
      true,
      false,
    ]);
  });

  it('status: by status, list or any; event: by field or catch-all', () => {
    const failed = compileMatcher({ kind: 'status', statuses: ['failed'], options: {} });
    const anyStatus = compileMatcher({ kind: 'status', options: {} });
    expect([
      failed(status('failed')),
      failed(status('read')),
      anyStatus(status('read')),
      anyStatus(text('x')),
    ]).toEqual([true, false, true, false]);
    const tpl = compileMatcher({
      kind: 'event',
      field: 'message_template_status_update',
      options: {},
    });
    const anyEvent = compileMatcher({ kind: 'event', options: {} });
    expect([
      tpl(event('message_template_status_update')),
      tpl(event('account_update')),
      anyEvent(event('new_field')),
    ]).toEqual([true, false, true]);
    expect(anyEvent(status('sent'))).toBe(false);
  });
});

describe('origin filters: phoneNumberId and businessAccountId (one matcher for every kind)', () => {
  const fromWaba = (update: WebhookUpdate, businessAccountId: string): WebhookUpdate =>
    ({ ...update, origin: { ...update.origin, businessAccountId } }) as WebhookUpdate;
  const call: WebhookUpdate = {
    kind: 'call',
    key: 'c:1',
    origin: { ...origin, field: 'calls' },
    callType: 'connect',
    call: { id: 'wacid.1' } as never,
  } as WebhookUpdate;

  it('businessAccountId: one id or a list, on messages, statuses, events and calls', () => {
    const one = { businessAccountId: 'waba' };
    const list = { businessAccountId: ['W2', 'waba'] };
    for (const options of [one, list]) {
      const matchers = [
        [compileMatcher({ kind: 'message', options }), text('x')],
        [compileMatcher({ kind: 'status', options }), status('read')],
        [compileMatcher({ kind: 'event', options }), event('account_update')],
        [compileMatcher({ kind: 'call', options }), call],
      ] as const;
      for (const [matcher, update] of matchers) {
        expect([matcher(update), matcher(fromWaba(update, 'W9'))]).toEqual([true, false]);
      }
    }
  });

  it('an account event (no phone number id) matches a WABA filter, never a phone filter', () => {
    const byWaba = compileMatcher({ kind: 'event', options: { businessAccountId: 'waba' } });
    const byPhone = compileMatcher({ kind: 'event', options: { phoneNumberId: 'P1' } });
    expect([byWaba(event('account_update')), byPhone(event('account_update'))]).toEqual([
      true,
      false,
    ]);
  });

  it('both filters: both must match', () => {
    const both = compileMatcher({
      kind: 'message',
      options: { phoneNumberId: 'P1', businessAccountId: ['waba'] },
    });
    expect([
      both(text('x')),
      both(message({ type: 'text' }, 'P2')),
      both(fromWaba(text('x'), 'W2')),
    ]).toEqual([true, false, false]);
  });

  it('no origin filter: no origin matcher (nothing to check per update)', () => {
    expect(compileOriginMatcher({})).toBeUndefined();
    expect(compileOriginMatcher({ businessAccountId: [] })?.(origin)).toBe(false);
  });

  it('refuses at startup what can never be an id: a number, null, an empty string', () => {
    for (const bad of [42, null, '', ['waba', ''], [7], { id: 'waba' }]) {
      for (const name of ['phoneNumberId', 'businessAccountId'] as const) {
        expect(() => compileOriginMatcher({ [name]: bad } as never)).toThrow(
          new TypeError(`${name} must be an id (a non-empty string) or a list of ids`),
        );
      }
    }
  });

  it('never throws on any origin, whatever a signed body put there (fast-check)', () => {
    const id = fc.oneof(fc.constantFrom('waba', 'P1', ''), fc.string(), fc.anything());
    const matcher = compileOriginMatcher({ phoneNumberId: ['P1'], businessAccountId: 'waba' });
    fc.assert(
      fc.property(id, id, (businessAccountId, phoneNumberId) => {
        const result = matcher?.({ businessAccountId, phoneNumberId, field: 'x' } as never);
        expect(result).toBe(businessAccountId === 'waba' && phoneNumberId === 'P1');
      }),
      { seed: 20_261_201, numRuns: 2_000 },
    );
  });

  it('an update whose entry had no id (parsed as "") never matches a WABA filter', () => {
    const matcher = compileMatcher({ kind: 'message', options: { businessAccountId: 'waba' } });
    expect(matcher(fromWaba(text('x'), ''))).toBe(false);
  });
});

describe('messageText', () => {
  it('is undefined for messages without text', () => {
    expect(
      messageText({
        type: 'image',
        id: 'x',
        timestamp: '1',
        image: { id: 'm', mime_type: 'image/jpeg', sha256: 's' },
      } as IncomingMessage),
    ).toBeUndefined();
  });
});

describe('hostile message shapes (signed bodies Meta or an attacker with the secret can send)', () => {
  // Each of these threw out of messageText() or a filter before; a throwing matcher rejected the
  // whole dispatch and, through an unhandled rejection, exited the process.
  const shapes: Record<string, Record<string, unknown>> = {
    'interactive without interactive (error 131000)': { type: 'interactive' },
    'interactive: null': { type: 'interactive', interactive: null },
    'interactive button_reply without button_reply': {
      type: 'interactive',
      interactive: { type: 'button_reply' },
    },
    'interactive list_reply: null': {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: null },
    },
    'text without text': { type: 'text' },
    'text: null': { type: 'text', text: null },
    'text.body: 42': { type: 'text', text: { body: 42 } },
    'button without button': { type: 'button' },
    'button: null': { type: 'button', button: null },
    'button.text: []': { type: 'button', button: { text: [] } },
    'context: null': { type: 'text', text: { body: 'x' }, context: null },
    'context: "str"': { type: 'text', text: { body: 'x' }, context: 'str' },
    'from: 42': { type: 'text', text: { body: 'x' }, from: 42, from_user_id: null },
  };
  const filters = [
    { matches: 'x' },
    { matches: /x|42/ },
    { from: ['111', '42'] },
    { isReply: true },
    { isReply: false },
    { isForwarded: true },
    { isForwarded: false },
  ];
  for (const [name, fields] of Object.entries(shapes)) {
    it(`${name}: messageText and every filter answer without throwing`, () => {
      const update = message(fields);
      if (update.kind !== 'message') throw new Error('unreachable');
      const body = messageText(update.message);
      expect(body === undefined || body === 'x').toBe(true);
      for (const options of filters) {
        const matcher = compileMatcher({ kind: 'message', options });
        expect(typeof matcher(update)).toBe('boolean');
      }
    });
  }

  it('a text body that is not a string never matches (42 is not "42")', () => {
    const matcher = compileMatcher({ kind: 'message', options: { matches: /42/ } });
    expect(matcher(message({ type: 'text', text: { body: 42 } }))).toBe(false);
    const from = compileMatcher({ kind: 'message', options: { from: '42' } });
    expect(from(message({ type: 'text', text: { body: 'x' }, from: 42 }))).toBe(false);
  });
});
