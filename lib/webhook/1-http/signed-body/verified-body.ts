import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What the streamed check verified on one request: the bytes, the header, and the keys it used. */
interface VerifiedBody {
  readonly bytes: Buffer;
  readonly signature: unknown;
  readonly keys: readonly KeyObject[];
}

/** Private to the module: user code cannot set it by accident, and no request carries it from the wire. */
const VERIFIED_BODY = Symbol('whatsapp.verifiedBody');

type Marked = { [VERIFIED_BODY]?: VerifiedBody };

/**
 * Records on `request` (the object the signature guard will receive: Express's IncomingMessage,
 * Fastify's request) that `bytes` were verified against its `X-Hub-Signature-256` with `keys`.
 * Only called once the streamed HMAC matched; `bytes` is the very Buffer handed on to the body
 * parser (no copy).
 */
export function markVerifiedBody(
  request: object,
  headers: IncomingHttpHeaders,
  bytes: Buffer,
  keys: readonly KeyObject[],
): void {
  const signature = headers['x-hub-signature-256'];
  (request as Marked)[VERIFIED_BODY] = { bytes, signature, keys };
}

/**
 * Whether the streamed check already verified exactly `raw` under `signature` with these very
 * `keys` (same array: the same app secrets, see toSigningKeys). Byte for byte (`Buffer.equals`, a
 * memcmp of public bytes): a parser or middleware that changed a byte, another header, another
 * module's secrets, or a route the streamed check never saw all get `false`, and the guard
 * computes the HMAC itself as before.
 */
export function isVerifiedBody(
  request: object,
  raw: Buffer,
  signature: unknown,
  keys: readonly KeyObject[],
): boolean {
  const verified = (request as Marked)[VERIFIED_BODY];
  return (
    verified !== undefined &&
    verified.keys === keys &&
    verified.signature === signature &&
    verified.bytes.equals(raw)
  );
}
