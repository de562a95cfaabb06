import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import { APP_SECRET } from '../webhook/support/webhook-app.js';
import { FUZZ_SEED, share } from './support/fuzz-config.js';
import { startPipelineApp, type PipelineApp } from './support/pipeline-app.js';

// X-Hub-Signature-256 fuzzing through the real guard: 200 only for `sha256=` + the HMAC-SHA256 of
// the exact bytes under the app secret (hex digits in either case: they decode to the same digest,
// and still require the secret); 401 for everything else, and no handler runs.

const BODY = webhookFixtureBytes('text');
const hmac = (body: Buffer, secret: string) =>
  createHmac('sha256', secret).update(body).digest('hex');
const VALID = hmac(BODY, APP_SECRET);
const HEX = '0123456789abcdef';

type Header = { value: string | string[] | null; valid: boolean; category: string };

const flipOne = fc
  .record({ at: fc.nat({ max: 63 }), by: fc.integer({ min: 1, max: 15 }) })
  .map(({ at, by }): Header => {
    const digit = HEX[(HEX.indexOf(VALID[at]) + by) % 16];
    return {
      value: `sha256=${VALID.slice(0, at)}${digit}${VALID.slice(at + 1)}`,
      valid: false,
      category: 'one hex digit changed',
    };
  });

const headers: fc.Arbitrary<Header> = fc.oneof(
  fc.constantFrom<Header>(
    { value: null, valid: false, category: 'missing' },
    { value: '', valid: false, category: 'empty' },
    { value: 'sha256=', valid: false, category: 'prefix only' },
    { value: `sha256=${VALID}`, valid: true, category: 'valid' },
    { value: `sha256=${VALID.toUpperCase()}`, valid: true, category: 'valid, uppercase hex' },
    { value: `SHA256=${VALID}`, valid: false, category: 'uppercase prefix' },
    { value: VALID, valid: false, category: 'no prefix' },
    { value: ` sha256=${VALID}`, valid: true, category: 'leading space (HTTP strips it)' },
    { value: `sha256=${VALID},`, valid: false, category: 'trailing comma' },
    {
      value: [`sha256=${VALID}`, `sha256=${VALID}`],
      valid: false,
      category: 'the valid header twice',
    },
    {
      value: [`sha256=${'0'.repeat(64)}`, `sha256=${VALID}`],
      valid: false,
      category: 'several headers',
    },
    {
      value: `sha1=${createHmac('sha1', APP_SECRET).update(BODY).digest('hex')}`,
      valid: false,
      category: 'sha1',
    },
    {
      value: `sha512=${createHmac('sha512', APP_SECRET).update(BODY).digest('hex')}`,
      valid: false,
      category: 'sha512',
    },
    {
      value: `sha256=${hmac(Buffer.from(`${BODY.toString()} `), APP_SECRET)}`,
      valid: false,
      category: 'HMAC of other bytes',
    },
    { value: `sha256=${hmac(BODY, 'another-secret')}`, valid: false, category: 'another secret' },
    {
      value: `sha256=${Buffer.from(VALID, 'hex').toString('base64')}`,
      valid: false,
      category: 'base64 digest',
    },
  ),
  flipOne,
  fc
    .string({ unit: fc.constantFrom(...HEX.split('')), minLength: 0, maxLength: 130 })
    .filter((h) => h !== VALID)
    .map((hex): Header => ({
      value: `sha256=${hex}`,
      valid: false,
      category: 'other hex of any length',
    })),
  fc.nat({ max: 63 }).map((cut): Header => ({
    value: `sha256=${VALID.slice(0, cut)}`,
    valid: false,
    category: 'truncated digest',
  })),
  fc
    .stringMatching(/^[\x21-\x7e]{0,80}$/)
    .map((value): Header => ({ value, valid: false, category: 'printable garbage' })),
  fc
    .record({
      at: fc.nat({ max: 63 }),
      char: fc.constantFrom('g', 'z', 'G', 'x', '-', '+', '/', '=', ' ', '\t'),
    })
    .map(({ at, char }): Header => ({
      value: `sha256=${VALID.slice(0, at)}${char}${VALID.slice(at + 1)}`,
      valid: false,
      category: 'non-hex digit',
    })),
);

describe('fuzzing X-Hub-Signature-256 through the real guard', () => {
  let target: PipelineApp;
  const categories: Record<string, number> = {};
  let accepted = 0;

  beforeAll(async () => {
    target = await startPipelineApp({ dedupe: false });
  });
  afterAll(async () => {
    await target?.close();
    process.stdout.write(
      `signature header fuzz: seed ${FUZZ_SEED}, cases ${JSON.stringify(categories)}\n`,
    );
  });

  it('answers 200 only to a valid signature, 401 to anything else, and runs handlers only then', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(headers, { minLength: 1, maxLength: 8 }), async (batch) => {
        await Promise.all(
          batch.map(async (header) => {
            const status = await target.post(BODY, { signature: header.value });
            categories[header.category] = (categories[header.category] ?? 0) + 1;
            expect({ category: header.category, status }).toEqual({
              category: header.category,
              status: header.valid ? 200 : 401,
            });
            if (header.valid) accepted += 1;
          }),
        );
      }),
      { seed: FUZZ_SEED, numRuns: Math.ceil(share(0.2) / 4.5) },
    );
    // Handlers ran exactly once per accepted request (de-duplication is off here).
    expect(target.log.messageIds.length).toBe(accepted);
    expect(Object.keys(categories).length).toBeGreaterThanOrEqual(15);
  });
});
