import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { toSigningKeys, verifyWebhookSignature } from './verify-signature.js';

const body = Buffer.from(
  '{"object":"whatsapp_business_account","n":1.0,"s":"\\u00e9","u":"a\\/b"}',
);
const sign = (bytes: Buffer, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

describe('verifyWebhookSignature', () => {
  const keys = toSigningKeys(['old-secret', 'new-secret']);

  it('accepts the HMAC of the exact bytes under any configured secret', () => {
    expect(verifyWebhookSignature(body, sign(body, 'old-secret'), keys)).toBe(true);
    expect(verifyWebhookSignature(body, sign(body, 'new-secret'), keys)).toBe(true);
    expect(
      verifyWebhookSignature(
        body,
        sign(body, 'new-secret').toUpperCase().replace('SHA256=', 'sha256='),
        keys,
      ),
    ).toBe(true);
  });

  it('rejects re-serialised bytes, other secrets and malformed headers', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(verifyWebhookSignature(reserialised, sign(body, 'old-secret'), keys)).toBe(false);
    expect(verifyWebhookSignature(body, sign(body, 'other'), keys)).toBe(false);
    const valid = sign(body, 'old-secret');
    for (const header of [
      undefined,
      '',
      ['a', 'b'],
      valid.replace('sha256=', 'sha1='),
      valid.slice(0, -2),
      `${valid}00`,
      valid.replace('sha256=', ''),
      `sha256=${'z'.repeat(64)}`,
      ` ${valid.slice(1)}`,
    ]) {
      expect(verifyWebhookSignature(body, header, keys)).toBe(false);
    }
  });

  it('checks an empty body like any other', () => {
    const empty = Buffer.alloc(0);
    expect(verifyWebhookSignature(empty, sign(empty, 'new-secret'), keys)).toBe(true);
    expect(verifyWebhookSignature(empty, sign(body, 'new-secret'), keys)).toBe(false);
  });

  it('accepts nothing without keys', () => {
    expect(verifyWebhookSignature(body, sign(body, 'old-secret'), [])).toBe(false);
  });
});
