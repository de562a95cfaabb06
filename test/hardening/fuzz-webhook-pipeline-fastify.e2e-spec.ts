import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import {
  webhookFixture,
  webhookFixtureBytes,
  webhookFixtureNames,
} from '../fixtures/webhook-fixtures.js';
import { withCanary } from './support/canary.js';
import { FUZZ_SEED, share } from './support/fuzz-config.js';
import { mutate, mutationArb, type Json } from './support/mutations.js';
import { startPipelineApp, type PipelineApp } from './support/pipeline-app.js';

// The same hostile bodies on Fastify, fewer of them (the Express suite has the full count): Fastify
// parses JSON its own way (scalars are accepted, an empty JSON body is refused), so the oracle is
// coarser: 200 for any JSON object, 400 for bytes that are not JSON, 200 or 400 otherwise; never 500.
// Fastify's parser (secure-json-parse) refuses `__proto__` and `constructor.prototype` keys with 400.

const FIXTURES = webhookFixtureNames();
const PARSED = new Map(FIXTURES.map((name) => [name, webhookFixture(name) as Json]));

function classify(bytes: Buffer): 'object' | 'not-json' | 'other' {
  try {
    const text = bytes.toString('utf8');
    const value: unknown = JSON.parse(text);
    if (/"__proto__"|"constructor"/.test(text)) return 'other';
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? 'object'
      : 'other';
  } catch {
    return bytes.length === 0 ? 'other' : 'not-json';
  }
}

describe('fuzzing the webhook POST pipeline on Fastify', () => {
  // Bounded by case count; the time limit only catches a hang. Every filter kind is registered
  // (pipeline-app.ts), and on a loaded 2-core machine a property took over Jest's default 30 s.
  jest.setTimeout(180_000);

  let target: PipelineApp;
  const answers: Record<number, number> = {};
  let cases = 0;

  beforeAll(async () => {
    target = await startPipelineApp({}, 8, 'fastify');
  });
  afterAll(async () => {
    await target?.close();
    process.stdout.write(
      `webhook pipeline fuzz (Fastify): seed ${FUZZ_SEED}, ${cases} cases, answers ${JSON.stringify(answers)}\n`,
    );
  });

  it('arbitrary JSON, mutated fixtures with a canary, truncated and random bytes: 200 or 400, never 500', async () => {
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? 'null'),
      fc
        .record({
          fixture: fc.constantFrom(...FIXTURES),
          mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
        })
        .map(({ fixture, mutations }) => mutate(PARSED.get(fixture) ?? null, mutations)),
      fc
        .record({
          fixture: fc.constantFrom(...FIXTURES),
          keep: fc.double({ min: 0, max: 1, noNaN: true }),
        })
        .map(({ fixture, keep }) => {
          const bytes = webhookFixtureBytes(fixture);
          return bytes.subarray(0, Math.floor(bytes.length * keep)).toString('utf8');
        }),
      fc
        .uint8Array({ minLength: 1, maxLength: 1024 })
        .map((a) => Buffer.from(a).toString('latin1')),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 8 }), async (texts) => {
        await Promise.all(
          texts.map(async (text) => {
            const kind = classify(Buffer.from(text));
            const { body: sent, canary } =
              kind === 'object' ? withCanary(text) : { body: text, canary: undefined };
            const status = await target.post(sent);
            cases++;
            answers[status] = (answers[status] ?? 0) + 1;
            if (kind === 'object') expect(status).toBe(200);
            else if (kind === 'not-json') expect(status).toBe(400);
            else expect([200, 400]).toContain(status);
            if (canary) expect(target.log.messageIds).toContain(canary);
          }),
        );
      }),
      { seed: FUZZ_SEED, numRuns: Math.ceil(share(0.1) / 4.5) },
    );
    expect(target.log.violations).toEqual([]);
    expect(target.log.filtered).toBeGreaterThan(0);
    expect(target.log.byWaba).toBeGreaterThan(0);
    expect(target.logger.errors()).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(answers[500]).toBeUndefined();
  });
});
