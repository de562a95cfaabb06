import { createHmac, type Hmac, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { anyDigestMatches, parseSignatureHeader } from '../verify-signature.js';

/** What reading a webhook POST's bytes ended with. */
export type SignedBodyRead =
  /** Every byte arrived; `bytes` is empty unless the header was well formed (nothing to hand on). */
  | { kind: 'complete'; verified: boolean; bytes: Buffer }
  /** More than the byte cap (announced or received); reading stopped there. */
  | { kind: 'too-large' }
  /** The client went away (or the stream failed) before the end. */
  | { kind: 'aborted' }
  /** Someone read the stream before us: there is nothing left to verify here. */
  | { kind: 'consumed' };

/** The request stream as read here: Node's IncomingMessage sets `complete` before its end chunk. */
export type BodyStream = Readable & { complete?: boolean };

const EMPTY = Buffer.alloc(0);
const ignore = (): void => undefined;

function declaredLength(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['content-length'];
  if (value === undefined || headers['transfer-encoding'] !== undefined) return undefined;
  const length = Number(value);
  return Number.isSafeInteger(length) ? length : undefined;
}

/**
 * Reads a webhook POST to its end, feeding each chunk to one HMAC per app secret as it arrives, so
 * an unsigned or wrongly signed body costs one HMAC pass and never a parse or a decompression.
 * Bytes are kept only when the signature header is well formed (they are needed to hand the body
 * on); at most `maxBytes` are read, and a Content-Length above it is refused before any byte.
 *
 * The stream is read in paused mode (`'readable'` + `read()`), and `onDone` is called exactly
 * once, synchronously, from the event that completed it. For an IncomingMessage that is the moment
 * `read()` returned null with `complete` set: Node has queued `'end'` for the next tick but not
 * emitted it, so the caller may still `unshift()` the bytes for the next reader (see
 * express-signed-body.ts). Any other stream completes on its `'end'` event.
 */
export function readSignedBody(
  stream: BodyStream,
  headers: IncomingHttpHeaders,
  keys: readonly KeyObject[],
  maxBytes: number,
  onDone: (outcome: SignedBodyRead) => void,
): void {
  if (stream.readableEnded) {
    onDone({ kind: 'consumed' });
    return;
  }
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > maxBytes) {
    onDone({ kind: 'too-large' });
    return;
  }
  const expected = parseSignatureHeader(headers['x-hub-signature-256']);
  // No well-formed header: the answer is 401 whatever the bytes, so they are only counted.
  const hmacs: Hmac[] = expected === undefined ? [] : keys.map((key) => createHmac('sha256', key));
  const chunks: Buffer[] = [];
  let received = 0;
  let finished = false;

  const finish = (outcome: SignedBodyRead): void => {
    if (finished) return;
    finished = true;
    stream.removeListener('readable', onReadable);
    stream.removeListener('end', onEnd);
    stream.removeListener('error', onAbort);
    stream.removeListener('aborted', onAbort);
    stream.removeListener('close', onClose);
    // The rest of a refused or broken body is nobody's: a late stream error must not go unhandled.
    if (outcome.kind !== 'complete') stream.on('error', ignore);
    onDone(outcome);
  };
  const complete = (): void => {
    if (expected === undefined) {
      finish({ kind: 'complete', verified: false, bytes: EMPTY });
      return;
    }
    const verified = anyDigestMatches(
      hmacs.map((hmac) => hmac.digest()),
      expected,
    );
    finish({ kind: 'complete', verified, bytes: Buffer.concat(chunks, received) });
  };
  function onReadable(): void {
    let chunk: unknown;
    while (!finished && (chunk = stream.read()) !== null) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
      received += bytes.length;
      if (received > maxBytes) {
        finish({ kind: 'too-large' });
        return;
      }
      for (const hmac of hmacs) hmac.update(bytes);
      if (expected !== undefined) chunks.push(bytes);
    }
    if (!finished && stream.complete === true) complete();
  }
  function onEnd(): void {
    complete();
  }
  function onAbort(): void {
    finish({ kind: 'aborted' });
  }
  function onClose(): void {
    if (stream.complete !== true) finish({ kind: 'aborted' });
  }

  stream.on('readable', onReadable);
  stream.on('end', onEnd);
  stream.on('error', onAbort);
  stream.on('aborted', onAbort);
  stream.on('close', onClose);
}
