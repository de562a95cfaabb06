import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import {
  webhookFixture,
  webhookFixtureBytes,
  webhookFixtureNames,
} from '../fixtures/webhook-fixtures.js';
import { FUZZ_RUNS, FUZZ_SEED, share } from './support/fuzz-config.js';
import { withCanary } from './support/canary.js';
import { mutate, mutationArb, type Json } from './support/mutations.js';
import {
  FIXTURE_WABA,
  OTHER_WABA,
  startPipelineApp,
  type PipelineApp,
} from './support/pipeline-app.js';

// The whole POST pipeline (HTTP → body parser → signature guard → parse → de-duplicate → dispatch →
// handlers) fed with hostile bodies, all correctly signed, over real keep-alive HTTP. Each run of a
// property sends a small batch of cases concurrently; `cases` counts what was really sent.

const FIXTURES = webhookFixtureNames();
const PARSED = new Map(FIXTURES.map((name) => [name, webhookFixture(name) as Json]));
const BATCH = 8;
const cases: Record<string, number> = {};
const statuses: Record<number, number> = {};

function count(category: string, status: number): void {
  cases[category] = (cases[category] ?? 0) + 1;
  statuses[status] = (statuses[status] ?? 0) + 1;
}

const own = (value: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(value, key);

/**
 * Whether parsed JSON holds an own `__proto__` key or a `constructor` object with a `prototype`.
 * The oracle is kept apart from lib/webhook/1-http/signed-body/prototype-keys.ts on purpose: it walks every
 * body, with no text pre-check, so a spelling the library's regex gate misses shows as a 200 where
 * 400 is expected. Importing the library's function would make the check agree with itself.
 */
function hasPrototypeKeys(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object') continue;
    if (own(node, '__proto__')) return true;
    const ctor: unknown = own(node, 'constructor')
      ? (node as { constructor: unknown }).constructor
      : undefined;
    if (ctor !== null && typeof ctor === 'object' && own(ctor, 'prototype')) return true;
    pending.push(...Object.values(node));
  }
  return false;
}

/**
 * The webhook body table (docs/webhooks.md), the same on Express and Fastify: 200 for a JSON
 * object or array, 400 for anything else, for zero bytes, and for `__proto__` or
 * `constructor.prototype` keys (Fastify's parser refuses them; Express now does too).
 */
function expectedStatus(bytes: Buffer): number {
  if (bytes.length === 0) return 400;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !hasPrototypeKeys(value) ? 200 : 400;
  } catch {
    return 400;
  }
}

const runsFor = (total: number): number => Math.max(1, Math.ceil(total / ((BATCH + 1) / 2)));

describe('fuzzing the webhook POST pipeline (Express, real HTTP, signed bodies)', () => {
  // Bounded by case count; the time limit only catches a hang. Every filter kind is registered
  // (pipeline-app.ts), and on a loaded 2-core machine a property took over Jest's default 30 s.
  jest.setTimeout(180_000);

  let target: PipelineApp;

  beforeAll(async () => {
    target = await startPipelineApp();
    process.stdout.write(
      `webhook pipeline fuzz: seed ${FUZZ_SEED}, ${FUZZ_RUNS} cases (FUZZ_SEED / FUZZ_RUNS to change)\n`,
    );
  });

  afterAll(async () => {
    await target?.close();
    process.stdout.write(
      `webhook pipeline fuzz: cases ${JSON.stringify(cases)}, answers ${JSON.stringify(statuses)}\n`,
    );
  });

  const params = (numRuns: number) => ({ seed: FUZZ_SEED, numRuns, endOnFailure: false });

  it('arbitrary JSON values: 200 for objects and arrays, 400 otherwise, nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 6 }), { minLength: 1, maxLength: BATCH }),
        async (values) => {
          await Promise.all(
            values.map(async (value) => {
              const bytes = Buffer.from(JSON.stringify(value) ?? 'null');
              const status = await target.post(bytes);
              count('arbitrary JSON', status);
              expect(status).toBe(expectedStatus(bytes));
            }),
          );
        },
      ),
      params(runsFor(share(0.25))),
    );
  });

  it('WhatsApp-shaped arbitrary JSON: every entry, change and item replaced by anything', async () => {
    const anything = fc.jsonValue({ maxDepth: 4 });
    const message = fc.record(
      {
        id: fc.oneof(fc.string(), anything),
        type: fc.oneof(fc.constantFrom('text', 'image', 'zzz'), anything),
        text: anything,
      },
      { requiredKeys: [] },
    );
    const value = fc.record(
      {
        metadata: fc.oneof(
          fc.record({ phone_number_id: anything, display_phone_number: anything }),
          anything,
        ),
        contacts: fc.oneof(fc.array(anything, { maxLength: 3 }), anything),
        messages: fc.oneof(fc.array(fc.oneof(message, anything), { maxLength: 4 }), anything),
        statuses: fc.oneof(
          fc.array(fc.oneof(fc.record({ id: anything, status: anything }), anything), {
            maxLength: 4,
          }),
          anything,
        ),
        errors: anything,
      },
      { requiredKeys: [] },
    );
    const change = fc.oneof(
      fc.record({ field: fc.oneof(fc.constantFrom('messages', 'security'), anything), value }),
      anything,
    );
    // The entry id is what the `businessAccountId` filter reads: a registered WABA, another id, or anything.
    const entry = fc.oneof(
      fc.record({
        id: fc.oneof(fc.constantFrom(FIXTURE_WABA, OTHER_WABA, '1', ''), anything),
        time: anything,
        changes: fc.oneof(fc.array(change, { maxLength: 3 }), anything),
      }),
      anything,
    );
    const body = fc.record({
      object: fc.constant('whatsapp_business_account'),
      entry: fc.array(entry, { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: BATCH }), async (bodies) => {
        await Promise.all(
          bodies.map(async (value) => {
            const { body: text, canary } = withCanary(JSON.stringify(value));
            const status = await target.post(text);
            count('WhatsApp-shaped JSON', status);
            expect(status).toBe(200);
            if (canary) expect(target.log.messageIds).toContain(canary);
          }),
        );
      }),
      params(runsFor(share(0.2))),
    );
  });

  it('mutated fixtures (removed fields, swapped types, deep nesting, 1 MB strings, __proto__ keys): 200 (400 for __proto__ and constructor.prototype keys), and a good message beside them is handled', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            fixture: fc.constantFrom(...FIXTURES),
            mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: BATCH },
        ),
        async (batch) => {
          await Promise.all(
            batch.map(async ({ fixture, mutations }) => {
              const mutated = mutate(PARSED.get(fixture) ?? null, mutations);
              const { body, canary } = withCanary(mutated);
              const status = await target.post(body);
              count('mutated fixtures', status);
              expect(status).toBe(expectedStatus(Buffer.from(body)));
              if (canary && status === 200) expect(target.log.messageIds).toContain(canary);
            }),
          );
        },
      ),
      params(runsFor(share(0.3))),
    );
  });

  it('truncated fixtures and random bytes: 400 unless the bytes still are a JSON object or array', async () => {
    const truncated = fc
      .record({
        fixture: fc.constantFrom(...FIXTURES),
        keep: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ fixture, keep }) => {
        const bytes = webhookFixtureBytes(fixture);
        return bytes.subarray(0, Math.floor(bytes.length * keep));
      });
    const random = fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((a) => Buffer.from(a));
    const jsonish = fc
      .array(fc.constantFrom(...'{}[]":,0123456789.eE-+ \\u\u00e9truefalsn'.split('')), {
        minLength: 1,
        maxLength: 200,
      })
      .map((chars) => Buffer.from(chars.join('')));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(truncated, random, jsonish), { minLength: 1, maxLength: BATCH }),
        async (bodies) => {
          await Promise.all(
            bodies.map(async (bytes) => {
              const status = await target.post(bytes);
              count('truncated and random bytes', status);
              expect(status).toBe(expectedStatus(bytes));
            }),
          );
        },
      ),
      params(runsFor(share(0.25))),
    );
  });

  it('bodies over the 3 MB limit: 413, and no handler runs', async () => {
    const before = target.log.messageIds.length;
    for (const size of [3 * 1024 * 1024 + 1, 4 * 1024 * 1024]) {
      const base = webhookFixtureBytes('text').toString('utf8');
      const body = base.replace('"text":{', `"pad":"${'p'.repeat(size - base.length)}","text":{`);
      const status = await target.post(body);
      count('over the limit', status);
      expect(status).toBe(413);
    }
    expect(target.log.messageIds.length).toBe(before);
  });

  it('after all of it: no pollution, no handler saw a malformed payload, no error logged, the app still answers', async () => {
    const probe: Record<string, unknown> = {};
    expect(probe.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
    expect(target.log.violations).toEqual([]);
    // The handlers registered with filters (every kind) saw traffic too.
    expect(target.log.filtered).toBeGreaterThan(0);
    // So did the call handler (mutated `calls` fixtures) and the `inGroup` filter (group messages).
    expect(target.log.calls).toBeGreaterThan(0);
    expect(target.log.groupMessages).toBeGreaterThan(0);
    // And the WABA filter, on fixtures and on WhatsApp-shaped bodies with any entry id.
    expect(target.log.byWaba).toBeGreaterThan(0);
    // The one expected error line: the loud warning of the 413 test above.
    const errors = target.logger.errors().filter((line) => !line.includes('refused with 413'));
    expect(errors).toEqual([]);
    expect(statuses[500]).toBeUndefined();
    const total = Object.entries(cases)
      .filter(([category]) => category !== 'over the limit')
      .reduce((sum, [, n]) => sum + n, 0);
    expect(total).toBeGreaterThanOrEqual(Math.min(FUZZ_RUNS * 0.9, 10_000));
    expect(await target.post(webhookFixtureBytes('text'))).toBe(200);
  });
});
