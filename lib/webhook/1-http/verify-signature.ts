import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

const PREFIX = 'sha256=';
const HEX_LENGTH = 64;
const HEX = /^[0-9a-fA-F]{64}$/;

const signingKeys = new WeakMap<readonly string[], readonly KeyObject[]>();

/**
 * Prepares app secrets once, so a request only computes HMACs. The same secrets array (one
 * module's resolved options) always gives the same keys array: the signature guard knows by that
 * identity that the streamed check used its own secrets (signed-body/verified-body.ts).
 */
export function toSigningKeys(secrets: readonly string[]): readonly KeyObject[] {
  let keys = signingKeys.get(secrets);
  if (keys === undefined) {
    keys = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
    signingKeys.set(secrets, keys);
  }
  return keys;
}

/**
 * The 32-byte digest an `X-Hub-Signature-256` header claims (`sha256=<64 hex>`), or `undefined`
 * when the header is missing or malformed (then no HMAC needs to be computed at all).
 */
export function parseSignatureHeader(header: unknown): Buffer | undefined {
  if (typeof header !== 'string' || header.length !== PREFIX.length + HEX_LENGTH) return undefined;
  if (!header.startsWith(PREFIX)) return undefined;
  const hex = header.slice(PREFIX.length);
  if (!HEX.test(hex)) return undefined;
  return Buffer.from(hex, 'hex');
}

/**
 * Whether any of `actual` (one 32-byte digest per key) equals `expected`. Every digest is compared
 * (no early exit that would tell which key matched), with `timingSafeEqual` on equal lengths.
 */
export function anyDigestMatches(actual: readonly Buffer[], expected: Buffer): boolean {
  let valid = false;
  for (const digest of actual) {
    // Both are 32 bytes: timingSafeEqual never throws here.
    if (timingSafeEqual(digest, expected)) valid = true;
  }
  return valid;
}

/**
 * Whether `header` (`X-Hub-Signature-256`) is `sha256=<hex HMAC-SHA256>` of `body` under any of
 * `keys`. Every key is tried (no early exit that would tell which one matched), and digests are
 * compared with `timingSafeEqual` on equal-length buffers. Anything malformed is simply `false`.
 */
export function verifyWebhookSignature(
  body: Buffer,
  header: unknown,
  keys: readonly KeyObject[],
): boolean {
  if (typeof header !== 'string' || header.length !== PREFIX.length + HEX_LENGTH) return false;
  if (!header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (!HEX.test(hex)) return false;
  const expected = Buffer.from(hex, 'hex');
  let valid = false;
  for (const key of keys) {
    const actual = createHmac('sha256', key).update(body).digest();
    // Both are 32 bytes: timingSafeEqual never throws here.
    if (timingSafeEqual(actual, expected)) valid = true;
  }
  return valid;
}
