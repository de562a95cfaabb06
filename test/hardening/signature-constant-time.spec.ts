import { describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The signature comparison must not leak, through its timing, how much of a forged digest is right.
// Proved without timing: (1) by reading the code, (2) by recording the comparisons it makes.

const SOURCE = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '../../lib/webhook/1-http/verify-signature.ts'),
  'utf8',
);

/** The body of `verifyWebhookSignature`, comments removed. */
function verifyBody(): string {
  const start = SOURCE.indexOf('export function verifyWebhookSignature');
  expect(start).toBeGreaterThanOrEqual(0);
  return SOURCE.slice(start)
    .replace(/\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '');
}

describe('constant-time signature comparison, by inspection', () => {
  it('compares digests only with timingSafeEqual, never with ===, equals or compare', () => {
    const body = verifyBody();
    expect(body).toMatch(/timingSafeEqual\(\s*actual\s*,\s*expected\s*\)/);
    // The only equality operators check the header's length and prefix, never the digest bytes.
    const equalities = body.match(/[!=]==?[^=]/g) ?? [];
    expect(body).not.toMatch(/(actual|expected)\s*[!=]==/);
    expect(body).not.toMatch(/[!=]==\s*(actual|expected)/);
    expect(body).not.toMatch(/\.equals\(|Buffer\.compare|\.compare\(/);
    expect(equalities.length).toBeLessThanOrEqual(2);
  });

  it('tries every key: no break or return inside the loop over keys', () => {
    const body = verifyBody();
    const loop = body.slice(body.indexOf('for (const key of keys)'));
    const loopBody = loop.slice(0, loop.indexOf('}') + 1);
    expect(loopBody).toContain('timingSafeEqual');
    expect(loopBody).not.toMatch(/\bbreak\b|\breturn\b/);
  });

  it('compares equal-length buffers: the header is length-checked first and the digest is 32 bytes', () => {
    const body = verifyBody();
    expect(body).toMatch(/header\.length !== PREFIX\.length \+ HEX_LENGTH/);
    expect(SOURCE).toMatch(/const HEX_LENGTH = 64;/);
    expect(SOURCE).toMatch(/const HEX = \/\^\[0-9a-fA-F\]\{64\}\$\/;/);
    expect(body).toMatch(/createHmac\('sha256', key\)/);
  });
});

describe('the streamed check (signed-body/read-signed-body.ts) compares the same way', () => {
  it('anyDigestMatches: timingSafeEqual on every digest, no early exit; the header parsed as above', () => {
    const start = SOURCE.indexOf('export function anyDigestMatches');
    const body = SOURCE.slice(start, SOURCE.indexOf('\n}\n', start))
      .replace(/\/\/.*$/gm, '')
      .replace(/\/\*[\s\S]*?\*\//g, '');
    const loop = body.slice(body.indexOf('for (const digest of actual)'));
    expect(loop).toMatch(/timingSafeEqual\(\s*digest\s*,\s*expected\s*\)/);
    expect(body).not.toMatch(/\bbreak\b|return true|\.equals\(|\.compare\(|[!=]==/);
    const parse = SOURCE.slice(SOURCE.indexOf('export function parseSignatureHeader'));
    expect(parse).toMatch(/header\.length !== PREFIX\.length \+ HEX_LENGTH/);
    expect(parse).toMatch(/HEX\.test\(hex\)/);
  });
});

describe('constant-time signature comparison, by recording the calls', () => {
  it('calls timingSafeEqual once per key on two 32-byte buffers, whatever the content, and never exits early', async () => {
    const crypto = await import('node:crypto');
    const calls: Array<[number, number]> = [];
    jest.unstable_mockModule('node:crypto', () => ({
      ...crypto,
      timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
        calls.push([a.byteLength, b.byteLength]);
        return crypto.timingSafeEqual(a, b);
      },
    }));
    const { toSigningKeys, verifyWebhookSignature } =
      await import('../../lib/webhook/1-http/verify-signature.js');
    const keys = toSigningKeys(['first-secret', 'second-secret', 'third-secret']);
    const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
    const valid = createHmac('sha256', 'first-secret').update(body).digest('hex');
    const headers = [
      `sha256=${valid}`, // matches the first key: the other two are still compared
      `sha256=${valid.slice(0, 63)}${valid[63] === '0' ? '1' : '0'}`, // wrong in the last digit
      `sha256=${valid[0] === '0' ? '1' : '0'}${valid.slice(1)}`, // wrong in the first digit
      `sha256=${'f'.repeat(64)}`,
    ];
    const results = headers.map((header) => {
      calls.length = 0;
      const ok = verifyWebhookSignature(body, header, keys);
      return { ok, calls: [...calls] };
    });
    expect(results.map((r) => r.ok)).toEqual([true, false, false, false]);
    for (const result of results)
      expect(result.calls).toEqual([
        [32, 32],
        [32, 32],
        [32, 32],
      ]);
    // A malformed header is refused before any HMAC: its length and alphabet are public.
    calls.length = 0;
    expect(verifyWebhookSignature(body, `sha256=${valid}0`, keys)).toBe(false);
    expect(calls).toEqual([]);
  });
});
