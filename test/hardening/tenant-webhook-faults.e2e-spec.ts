import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type LoggerService } from '@nestjs/common';
import { inspect } from 'node:util';
import { OnWhatsAppMessage, WhatsAppModule, type WhatsAppContext } from '../../lib/index.js';
import { FakeGraphApi, WhatsAppTestApp, webhook } from '../../lib/testing/index.js';

// A signed batch for many tenants whose resolveCredentials misbehaves in every way (never settles,
// throws synchronously, rejects with the token in its message, answers junk) and whose metadata is
// hostile (missing, non-string, huge, `__proto__`): the process never crashes, no rejection goes
// unhandled, the healthy tenant is answered with its own token, the hung lookup is bounded (the
// handler finishes, the next update of that number is not stuck behind it), junk ids never reach
// the resolver, and no token reaches a log line.

const OK = { phone: '310000000000001', waba: '410000000000001', token: 'EAAT-ok-tenant-7f3a9c' };
const HANG = '310000000000002';
const SYNC_THROW = '310000000000003';
const REJECT = '310000000000004';
const JUNK = '310000000000005';
const LEAKY = 'EAAT-leaky-secret-token-c0ffee42';

@Injectable()
class EchoBot {
  readonly seen: string[] = [];

  @OnWhatsAppMessage('text')
  onText(message: { text: { body: string } }, ctx: WhatsAppContext): string {
    this.seen.push(`${String(ctx.phoneNumberId)}:${message.text.body}`);
    return `echo ${message.text.body}`;
  }
}

@Module({
  // WhatsAppTestApp replaces these options with its test ones and the overlay below.
  imports: [WhatsAppModule.forRoot({ accessToken: 'replaced-by-the-test-app' })],
  providers: [EchoBot],
})
class EchoBotModule {}

/** Every line the app logs, to scan for tokens. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...args: unknown[]) => void this.lines.push(inspect(args, { depth: 8 }));
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
  fatal = this.log;
}

function change(phoneNumberId: unknown, body: string): Record<string, unknown> {
  const payload = webhook.text({ body, phoneNumberId: OK.phone }) as {
    entry: Array<{ changes: Array<{ value: { metadata: Record<string, unknown> } }> }>;
  };
  const value = payload.entry[0].changes[0].value;
  if (phoneNumberId === undefined) delete value.metadata.phone_number_id;
  else value.metadata.phone_number_id = phoneNumberId;
  return payload.entry[0].changes[0] as unknown as Record<string, unknown>;
}

describe('webhook path with misbehaving tenants', () => {
  let fake: FakeGraphApi;
  let app: WhatsAppTestApp;
  const logger = new CapturingLogger();
  const asked: unknown[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  let hangs = 0;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    fake = await FakeGraphApi.start();
    app = await WhatsAppTestApp.create({
      imports: [EchoBotModule],
      graph: fake,
      logger,
      options: {
        // Bounds a token lookup like a Graph call.
        timeoutMs: 300,
        retry: false,
        // Not async: a synchronous throw must be handled like a rejection.
        resolveCredentials: (ids) => {
          asked.push(ids.phoneNumberId);
          switch (ids.phoneNumberId) {
            case OK.phone:
              return Promise.resolve({ accessToken: OK.token });
            case HANG:
              hangs++;
              return new Promise<never>(() => undefined);
            case SYNC_THROW:
              throw new Error(`vault refused ${LEAKY}`);
            case REJECT:
              return Promise.reject(new Error(`db said no`));
            case JUNK:
              return Promise.resolve({ accessToken: 42 as unknown as string });
            default:
              return Promise.reject(new Error('unknown tenant'));
          }
        },
      },
    });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await app?.close();
    await fake?.close();
  });

  it('handles the whole batch, bounds the hung lookup and keeps junk ids from the resolver', async () => {
    const batch = {
      object: 'whatsapp_business_account',
      entry: [
        { id: OK.waba, changes: [change(HANG, 'to-hang')] },
        { id: OK.waba, changes: [change(SYNC_THROW, 'to-sync-throw')] },
        { id: OK.waba, changes: [change(REJECT, 'to-reject')] },
        { id: OK.waba, changes: [change(JUNK, 'to-junk')] },
        { id: OK.waba, changes: [change(undefined, 'no-number')] },
        { id: OK.waba, changes: [change(12345, 'numeric-number')] },
        { id: OK.waba, changes: [change('9'.repeat(100_000), 'huge-number')] },
        { id: OK.waba, changes: [change('__proto__', 'proto-number')] },
        { id: { toString: 1 }, changes: [change('../../me', 'dotted-number')] },
        { id: OK.waba, changes: [change(OK.phone, 'to-ok')] },
      ],
    };
    // receive() waits until every handler has finished: it resolves only if the hung lookup is bounded.
    const answer = await app.receive(batch);
    expect([200, 500]).toContain(answer.status);
    // The healthy tenant was answered with its own token.
    const replies = fake.requests.filter((r) => r.path === `/v26.0/${OK.phone}/messages`);
    expect(replies.map((r) => String(r.headers.authorization))).toContain(`Bearer ${OK.token}`);
    // Junk ids never reached the resolver.
    for (const id of asked) {
      expect(typeof id).toBe('string');
      expect(id as string).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    }
    // The hung lookup is not cached: the next update of that number asks again (and is bounded too).
    const before = hangs;
    await app.receive(webhook.text({ body: 'again', phoneNumberId: HANG }));
    expect(hangs).toBe(before + 1);
    expect(unhandled).toEqual([]);
  }, 20_000);

  it('no token in any log line', () => {
    const text = logger.lines.join('\n');
    expect(text).not.toContain(OK.token);
    expect(text).not.toContain(LEAKY);
    expect(unhandled).toEqual([]);
  });
});
