import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { resolveWhatsAppOptions } from '../../options/resolve-options.js';
import type { IncomingMessage } from '../../types/webhook/incoming-message.js';
import { MemoryDedupeStore } from '../5-dedupe/memory-dedupe-store.js';
import type { WebhookUpdate } from '../../types/webhook-update.js';
import { compileMatcher } from '../../handlers/handler-matcher.js';
import type { WhatsAppMessageHandlerOptions } from '../../handlers/handler-metadata.js';
import { HandlerRegistry } from '../../handlers/handler-registry.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import type { WhatsAppContextMessagesApi } from '../../handlers/whatsapp-context.js';

// Hostile shapes that a correctly signed body or a handler can produce. Before the crash-proof
// change each of them made `dispatch()` reject (an unhandled rejection in the webhook service: the
// process exited) and the updates after it in the batch never ran.

const origin = { businessAccountId: 'waba', field: 'messages', phoneNumberId: 'P1' };

function message(id: string, fields: Record<string, unknown>): WebhookUpdate {
  const msg = { id, timestamp: '1', from: '111', ...fields } as unknown as IncomingMessage;
  return { kind: 'message', key: `m:${id}`, origin, message: msg };
}
const good = (id: string): WebhookUpdate => message(id, { type: 'text', text: { body: 'hi' } });

/** Signed-body shapes Meta (or anyone holding the secret) can send for a known message type. */
const HOSTILE_MESSAGES: Record<string, Record<string, unknown>> = {
  'interactive without interactive (error 131000)': { type: 'interactive' },
  'interactive: null': { type: 'interactive', interactive: null },
  'interactive button_reply without button_reply': {
    type: 'interactive',
    interactive: { type: 'button_reply' },
  },
  'interactive list_reply: "x"': {
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: 'x' },
  },
  'text without text': { type: 'text' },
  'text: null': { type: 'text', text: null },
  'text.body: 42': { type: 'text', text: { body: 42 } },
  'text.body: object': { type: 'text', text: { body: { a: 1 } } },
  'button without button': { type: 'button' },
  'button: "x"': { type: 'button', button: 'x' },
  'context: null': { type: 'text', text: { body: 'hi' }, context: null },
  'from: 42, from_user_id: {}': { type: 'text', text: { body: 'hi' }, from: 42, from_user_id: {} },
};

const FILTERS: WhatsAppMessageHandlerOptions[] = [
  { matches: 'hi' },
  { matches: /h/ },
  { from: ['111', 'U1'] },
  { isReply: false },
  { isForwarded: false },
  { phoneNumberId: 'P1' },
];

interface Harness {
  dispatcher: WebhookDispatcher;
  calls: string[];
  hookCalls: number;
}

function harness(
  handlers: Record<string, (payload: { id: string }) => unknown>,
  options: { matchers?: WhatsAppMessageHandlerOptions[]; onHandlerError?: () => void } = {},
): Harness {
  const registry = new HandlerRegistry();
  const state: Harness = { dispatcher: undefined as never, calls: [], hookCalls: 0 };
  for (const [id, fn] of Object.entries(handlers)) {
    const matchers = (options.matchers ?? [{}]).map((filter) =>
      compileMatcher({ kind: 'message', options: filter }),
    );
    registry.add('message', {
      handler: {
        id,
        invoke: (payload) => {
          state.calls.push(`${id}:${(payload as { id: string }).id}`);
          return fn(payload as { id: string });
        },
      },
      matchers,
    });
  }
  const resolved = resolveWhatsAppOptions(
    {
      accessToken: 'token',
      onHandlerError:
        options.onHandlerError &&
        (() => {
          state.hookCalls++;
          options.onHandlerError?.();
        }),
    },
    false,
  );
  const messages: WhatsAppContextMessagesApi = {
    send: () => Promise.resolve({ messaging_product: 'whatsapp', contacts: [], messages: [] }),
    markAsRead: () => Promise.resolve(undefined),
    sendReaction: () =>
      Promise.resolve({ messaging_product: 'whatsapp', contacts: [], messages: [] }),
  };
  state.dispatcher = new WebhookDispatcher(
    registry,
    resolved,
    new MemoryDedupeStore({ maxEntries: 1000 }),
    messages,
  );
  return state;
}

/** Throws on every read and every trap. */
function hostileProxy(): object {
  const boom = (): never => {
    throw new Error('trap');
  };
  return new Proxy(
    {},
    { get: boom, getPrototypeOf: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom },
  );
}

function errorWithThrowingGetters(): Error {
  const error = new Error('boom');
  Object.defineProperty(error, 'stack', {
    get() {
      throw new Error('stack getter');
    },
  });
  Object.defineProperty(error, 'message', {
    get() {
      throw new Error('message getter');
    },
  });
  return error;
}

describe('WebhookDispatcher: hostile bodies and handler values never reject the dispatch', () => {
  const silenced: (keyof Logger)[] = ['error', 'warn', 'debug'];
  const originals = new Map<string, unknown>();
  beforeEach(() => {
    for (const name of silenced) {
      originals.set(name, Logger.prototype[name]);
      (Logger.prototype as unknown as Record<string, unknown>)[name] = () => undefined;
    }
  });
  afterEach(() => {
    for (const name of silenced)
      (Logger.prototype as unknown as Record<string, unknown>)[name] = originals.get(name);
  });

  for (const [name, fields] of Object.entries(HOSTILE_MESSAGES)) {
    it(`message ${name}, every filter kind registered: resolves, and the rest of the batch runs`, async () => {
      const h = harness({ H: () => undefined }, { matchers: FILTERS });
      const batch = [good('a'), message('bad', fields), good('b')];
      const result = await h.dispatcher.dispatch(batch);
      expect(result).toEqual({ failures: 0, storeUnavailable: false });
      expect(h.calls).toEqual(expect.arrayContaining(['H:a', 'H:b']));
    });
  }

  it('a matcher that throws means "no match" for its handler; other handlers and updates run', async () => {
    const registry = new HandlerRegistry();
    const calls: string[] = [];
    const add = (id: string, matcher: (u: WebhookUpdate) => boolean) =>
      registry.add('message', {
        handler: { id, invoke: (p) => void calls.push(`${id}:${(p as { id: string }).id}`) },
        matchers: [matcher],
      });
    add('Throwing', (u) => {
      if (u.key === 'm:bad') throw new Error('matcher bug');
      return true;
    });
    add('All', () => true);
    const dispatcher = new WebhookDispatcher(
      registry,
      resolveWhatsAppOptions({ accessToken: 't' }, false),
      new MemoryDedupeStore({ maxEntries: 10 }),
      {} as WhatsAppContextMessagesApi,
    );
    const result = dispatcher.dispatchNow([good('a'), good('bad'), good('b')]);
    expect(result).toEqual({ failures: 0, storeUnavailable: false });
    expect(calls).toEqual(['Throwing:a', 'All:a', 'All:bad', 'Throwing:b', 'All:b']);
  });

  const HOSTILE_HANDLERS: Record<string, () => unknown> = {
    'throws an Error whose stack and message getters throw': () => {
      throw errorWithThrowingGetters();
    },
    'rejects with an Error whose stack getter throws': () =>
      Promise.reject(errorWithThrowingGetters()),
    'throws a Proxy whose every trap throws': () => {
      throw hostileProxy();
    },
    'throws an object whose toString throws': () => {
      throw {
        toString() {
          throw new Error('toString');
        },
      };
    },
    'returns an object whose type getter throws': () => ({
      get type(): string {
        throw new Error('type getter');
      },
    }),
    'resolves to an object whose type getter throws': () =>
      Promise.resolve({
        get type(): string {
          throw new Error('type getter');
        },
      }),
    'returns a Proxy whose every trap throws': () => hostileProxy(),
    'returns an object whose then getter throws': () => ({
      get then(): unknown {
        throw new Error('then getter');
      },
    }),
    'returns a thenable whose then throws': () => ({
      then() {
        throw new Error('then');
      },
    }),
  };

  for (const [name, fn] of Object.entries(HOSTILE_HANDLERS)) {
    it(`a handler that ${name}: one failure, reported, and the rest of the batch runs`, async () => {
      const h = harness(
        { Hostile: (p) => (p.id === 'bad' ? fn() : undefined), Other: () => undefined },
        { onHandlerError: () => undefined },
      );
      const result = await h.dispatcher.dispatch([good('a'), good('bad'), good('b')]);
      expect(result).toEqual({ failures: 1, storeUnavailable: false });
      expect(h.calls).toEqual([
        'Hostile:a',
        'Other:a',
        'Hostile:bad',
        'Other:bad',
        'Hostile:b',
        'Other:b',
      ]);
      expect(h.hookCalls).toBe(1);
    });
  }

  it('onHandlerError that throws a hostile value: still one failure, the batch goes on', async () => {
    const h = harness(
      { H: (p) => (p.id === 'bad' ? Promise.reject(new Error('x')) : undefined) },
      {
        onHandlerError: () => {
          throw errorWithThrowingGetters();
        },
      },
    );
    const result = await h.dispatcher.dispatch([good('bad'), good('b')]);
    expect(result).toEqual({ failures: 1, storeUnavailable: false });
    expect(h.calls).toEqual(['H:bad', 'H:b']);
  });

  it('a logger that throws while reporting: the dispatch still resolves, counting the failure', async () => {
    (Logger.prototype as unknown as Record<string, unknown>).error = () => {
      throw new Error('logger down');
    };
    const h = harness({
      H: (p) => {
        if (p.id === 'bad') throw new Error('x');
      },
    });
    const result = await h.dispatcher.dispatch([good('bad'), good('b')]);
    expect(result).toEqual({ failures: 1, storeUnavailable: false });
    expect(h.calls).toEqual(['H:bad', 'H:b']);
  });
});
