import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { toSigningKeys } from '../verify-signature.js';
import { readSignedBody, type SignedBodyRead } from './read-signed-body.js';

const KEYS = toSigningKeys(['old', 'new']);
const sign = (bytes: Buffer, secret: string): string =>
  `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

function read(
  chunks: Buffer[],
  headers: Record<string, string>,
  maxBytes = 1024,
  fail?: Error,
): Promise<SignedBodyRead> {
  const stream = new PassThrough();
  const outcome = new Promise<SignedBodyRead>((resolve) =>
    readSignedBody(stream, headers, KEYS, maxBytes, resolve),
  );
  for (const chunk of chunks) stream.write(chunk);
  if (fail === undefined) stream.end();
  else stream.destroy(fail);
  return outcome;
}

const BODY = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
const pieces = (bytes: Buffer): Buffer[] => [...bytes].map((byte) => Buffer.from([byte]));

describe('readSignedBody', () => {
  it('hashes the bytes as they arrive, under every secret, and keeps them when signed', async () => {
    for (const secret of ['old', 'new']) {
      const outcome = await read(pieces(BODY), { 'x-hub-signature-256': sign(BODY, secret) });
      expect(outcome).toEqual({ kind: 'complete', verified: true, bytes: BODY });
    }
    expect(await read([BODY], { 'x-hub-signature-256': sign(BODY, 'other') })).toMatchObject({
      kind: 'complete',
      verified: false,
    });
  });

  it('keeps no bytes when there is no well-formed signature header', async () => {
    expect(await read([BODY], {})).toEqual({
      kind: 'complete',
      verified: false,
      bytes: Buffer.alloc(0),
    });
  });

  it('stops at the cap: exactly the cap is read, one byte more is too large, as is a larger Content-Length', async () => {
    const cap = Buffer.alloc(64, ' ');
    expect(await read(pieces(cap), { 'x-hub-signature-256': sign(cap, 'old') }, 64)).toMatchObject({
      kind: 'complete',
      verified: true,
    });
    expect(await read([cap, Buffer.from(' ')], {}, 64)).toEqual({ kind: 'too-large' });
    expect(await read([], { 'content-length': '65' }, 64)).toEqual({ kind: 'too-large' });
  });

  it('reports a stream that fails half-way as aborted, once', async () => {
    expect(await read([BODY.subarray(0, 5)], {}, 1024, new Error('aborted'))).toEqual({
      kind: 'aborted',
    });
  });
});
