import { createHmac } from 'node:crypto';

/**
 * The `X-Hub-Signature-256` header value Meta would send for `body`: `sha256=` + hex HMAC-SHA256.
 * Pass the exact bytes you POST (a string is signed as UTF-8); an object is serialised with `JSON.stringify` first.
 */
export function signWebhookBody(body: string | Buffer | object, appSecret: string): string {
  const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return `sha256=${createHmac('sha256', appSecret).update(bytes).digest('hex')}`;
}
