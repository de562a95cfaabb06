import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { WebhookUpdate } from '../../lib/types/webhook-update.js';
import {
  APP_SECRET,
  journal,
  okRuns,
  startInstance,
  type Instance,
} from './support/queue-instances.js';
import { redisServerBinary, RedisServer, uniquePrefix, waitFor } from './support/redis-server.js';

/**
 * Queue mode's tenant lanes under attack (ISSUE14 §2): a `tenantOf` that misbehaves in every way
 * and bodies with odd tenant fields, through signed webhooks into a real Redis. Whatever it
 * answers, the POST is stored (200), every update runs once and in its conversation's order, no
 * promise is left unhandled, and the warning is logged at most once a minute, without secrets.
 */
const run = redisServerBinary() ? describe : describe.skip;

const ACCESS_TOKEN = 'EAAG-secret-token';
const MB = 'x'.repeat(1024 * 1024);
const MESSAGES_PER_USER = 3;

/** A thrown value whose every read throws: `message`, `name`, `stack`, `toString`. */
function poisoned(): unknown {
  return new Proxy(new Error('unused'), {
    get() {
      throw new Error(`poisoned read ${ACCESS_TOKEN}`);
    },
    getPrototypeOf() {
      throw new Error('poisoned prototype');
    },
  });
}

/** What `tenantOf` answers for each user (`from`): the attack. */
const behaviours: Record<string, (update: WebhookUpdate) => unknown> = {
  '15550000001': () => {
    throw new Error(`tenant lookup failed with ${ACCESS_TOKEN} and ${APP_SECRET}`);
  },
  '15550000002': () => Promise.reject(new Error(`rejected ${ACCESS_TOKEN}`)),
  '15550000003': () => Promise.resolve('tenant-a'),
  '15550000004': () => Number.NaN,
  '15550000005': () => Number.POSITIVE_INFINITY,
  '15550000006': () => -7,
  '15550000007': () => 2 ** 70,
  '15550000008': () => 1.5,
  '15550000009': () => ({
    toString() {
      throw new Error(`toString ${ACCESS_TOKEN}`);
    },
  }),
  '15550000010': () => MB,
  '15550000011': () => '__proto__',
  '15550000012': () => {
    throw poisoned();
  },
  '15550000013': () => {
    // A non-Error thrown value whose String() conversion throws.
    throw {
      toString() {
        throw new Error('no string');
      },
    };
  },
  '15550000014': () => Number.MAX_SAFE_INTEGER,
  '15550000015': () => 10n,
  '15550000016': () => Symbol('tenant'),
  '15550000017': () => undefined,
};
const USERS = Object.keys(behaviours);

function tenantOf(update: WebhookUpdate): string | number {
  const from = update.kind === 'message' ? (update.message.from ?? '') : '';
  const behaviour = behaviours[from] ?? (() => `plain-${from}`);
  return behaviour(update) as string | number;
}

type Message = [id: string, from: string, body: string];

/** A Meta-shaped body with one change; `entry` and `metadata` are patched by the odd-body cases. */
function delivery(
  messages: Message[],
  entryPatch: Record<string, unknown> = {},
  metadata: unknown = { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
): string {
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    contacts: messages.map(([, from]) => ({ profile: { name: 'T' }, wa_id: from })),
    messages: messages.map(([id, from, body]) => ({
      from,
      id,
      timestamp: '1750000000',
      type: 'text',
      text: { body },
    })),
  };
  if (metadata !== undefined) value.metadata = metadata;
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', ...entryPatch, changes: [{ field: 'messages', value }] }],
  });
}

/** The `first` handler's journal of one user's bodies, as `outcome body` lines. */
function stepsOf(prefix: string): string[] {
  return journal
    .filter((e) => e.handler === 'first' && e.body.startsWith(prefix))
    .map((e) => `${e.outcome} ${e.body}`);
}

run("processing: 'queue' tenant lanes under attack", () => {
  let server: RedisServer;
  let instance: Instance | undefined;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };

  beforeEach(async () => {
    server = await RedisServer.start({ config: { 'maxmemory-policy': 'noeviction' } });
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await instance?.app.close();
    instance = undefined;
    await server.close();
    process.off('unhandledRejection', onUnhandled);
    jest.restoreAllMocks();
  });

  it('a misbehaving tenantOf and odd tenant fields: 200, each update once and in order, no unhandled rejection, one warning without secrets', async () => {
    const warnings: string[] = [];
    const warn = Logger.prototype.warn;
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (
      this: Logger,
      message: unknown,
      ...rest: unknown[]
    ) {
      warnings.push(String(message));
      return warn.call(this, message, ...rest);
    });
    instance = await startInstance(
      'A',
      {
        connection: server.url,
        queueName: uniquePrefix('lanes-attack'),
        partitions: 8,
        tenantLanes: 4,
        tenantOf,
        concurrency: 4,
        shutdownTimeoutMs: 300,
      },
      { accessToken: ACCESS_TOKEN },
    );

    // One batch: every user's 3 messages, interleaved (seq 0 of all users, then seq 1, ...).
    const batch: Message[] = [];
    for (let seq = 0; seq < MESSAGES_PER_USER; seq++) {
      for (const from of USERS) batch.push([`wamid.la-${from}-${seq}`, from, `la-${from}-${seq}`]);
    }
    expect(await instance.post(delivery(batch))).toBe(200);

    // Bodies whose receiving number or WABA is missing, not a string or huge: the default tenant
    // (and the fallback of a failing tenantOf) still finds a lane.
    const odd: [string, string][] = [
      ['no-metadata', delivery([], {}, undefined)],
      ['numeric-phone', delivery([], {}, { phone_number_id: 106540352242922 })],
      ['object-phone', delivery([], {}, { phone_number_id: { id: '1' } })],
      ['huge-phone', delivery([], {}, { phone_number_id: MB })],
      ['no-entry-id', delivery([], { id: undefined }, undefined)],
      ['object-entry-id', delivery([], { id: { toString: 1 } }, undefined)],
      ['huge-entry-id', delivery([], { id: MB }, undefined)],
      ['proto-entry-id', delivery([], { id: '__proto__' }, { phone_number_id: '__proto__' })],
    ];
    const oddBodies: string[] = [];
    for (const [name] of odd) {
      // Two users per odd body: a failing tenantOf (falls back) and a plain one.
      const messages: Message[] = [];
      for (let seq = 0; seq < 2; seq++) {
        for (const from of ['15550000001', '15559999999']) {
          const body = `odd-${name}-${from}-${seq}`;
          messages.push([`wamid.${body}`, from, body]);
          oddBodies.push(body);
        }
      }
      const [, template] = odd.find(([n]) => n === name) as [string, string];
      const parsed = JSON.parse(template) as {
        entry: { changes: { value: Record<string, unknown> }[] }[];
      };
      const value = parsed.entry[0].changes[0].value;
      value.contacts = messages.map(([, from]) => ({ profile: { name: 'T' }, wa_id: from }));
      value.messages = messages.map(([id, from, body]) => ({
        from,
        id,
        timestamp: '1750000000',
        type: 'text',
        text: { body },
      }));
      expect(await instance.post(JSON.stringify(parsed))).toBe(200);
    }

    const expected = batch.length + oddBodies.length;
    await waitFor(
      () =>
        journal.filter(
          (e) => e.handler === 'first' && e.outcome === 'ok' && /^(la|odd)-/.test(e.body),
        ).length >= expected,
      `${expected} updates handled`,
      60_000,
    );
    // Everything stored ran once: no failures were planned, so no redelivery either.
    for (const [, , body] of batch) expect(okRuns(body)).toBe(1);
    for (const body of oddBodies) expect(okRuns(body)).toBe(1);
    // Each conversation one at a time and in order, whatever its tenant key was.
    for (const from of USERS) {
      expect(stepsOf(`la-${from}-`)).toEqual(
        Array.from({ length: MESSAGES_PER_USER }, (_, seq) => [
          `started la-${from}-${seq}`,
          `ok la-${from}-${seq}`,
        ]).flat(),
      );
    }
    for (const [name] of odd) {
      for (const from of ['15550000001', '15559999999']) {
        expect(stepsOf(`odd-${name}-${from}-`)).toEqual([
          `started odd-${name}-${from}-0`,
          `ok odd-${name}-${from}-0`,
          `started odd-${name}-${from}-1`,
          `ok odd-${name}-${from}-1`,
        ]);
      }
    }
    // A few macrotask turns so a rejection left unhandled would have been reported.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    const tenantWarnings = warnings.filter((w) => w.includes('tenantOf'));
    expect(tenantWarnings).toHaveLength(1);
    for (const warning of warnings) {
      expect(warning).not.toContain(ACCESS_TOKEN);
      expect(warning).not.toContain(APP_SECRET);
      expect(warning.length).toBeLessThan(1000);
    }
  }, 120_000);
});
