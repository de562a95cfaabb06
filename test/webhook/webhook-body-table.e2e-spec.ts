// The table of docs/webhooks.md ("What a webhook POST is answered"), row by row, on both platforms,
// with the set-up API.md fixes (rawBody: true, JSON limit 3 MiB) and real HTTP with exact bytes.
import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { OutgoingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import { signWebhookBody } from '../../lib/testing/sign-webhook-body.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { webhookFixtureBytes } from '../fixtures/webhook-fixtures.js';
import { CapturingLogger } from './support/capturing-logger.js';
import { listenOnLoopback, sendRaw } from './support/raw-http.js';
import { TextCounter } from './support/text-counter.js';
import {
  APP_SECRET,
  PLATFORMS,
  WEBHOOK,
  createWebhookApp,
  type Platform,
} from './support/webhook-app.js';

const JSON_LIMIT = 3 * 1024 * 1024;
const TEXT = webhookFixtureBytes('text');
const GZIPPED = gzipSync(TEXT);
const sized = (bytes: number): Buffer => {
  const head = '{"object":"whatsapp_business_account","entry":[],"pad":"';
  return Buffer.from(`${head}${'x'.repeat(bytes - head.length - 2)}"}`);
};

interface Row {
  input: string;
  body: Buffer;
  /** Default: application/json. `null`: no Content-Type header at all. */
  type?: string | null;
  /** Default: the HMAC of `body` with the app secret. `null`: no header. */
  signature?: string | null;
  encoding?: string;
  status: number;
  /** Whether the text handler runs (default: only for 200 on the fixture). */
  handled?: boolean;
}

const sign = (body: Buffer | string): string => signWebhookBody(body, APP_SECRET);
const JSON_LIKE = [
  'text/plain',
  'text/json',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'text/plain; x=json',
];

export const ROWS: Row[] = [
  // Unsigned or wrongly signed: 401 whatever the content type or encoding, nothing parsed.
  { input: 'unsigned, application/json', body: TEXT, signature: null, status: 401 },
  { input: 'wrong signature, application/json', body: TEXT, signature: sign('x'), status: 401 },
  { input: 'unsigned, no content type', body: TEXT, type: null, signature: null, status: 401 },
  ...JSON_LIKE.map((type) => ({
    input: `unsigned, ${type}`,
    body: TEXT,
    type,
    signature: null,
    status: 401,
  })),
  ...JSON_LIKE.map((type) => ({
    input: `wrong signature, ${type}`,
    body: TEXT,
    type,
    signature: sign('x'),
    status: 401,
  })),
  { input: 'unsigned, gzip', body: GZIPPED, encoding: 'gzip', signature: null, status: 401 },
  { input: 'unsigned, empty body', body: Buffer.alloc(0), signature: null, status: 401 },
  {
    input: 'gzipped by the sender, signed over the uncompressed bytes',
    body: GZIPPED,
    encoding: 'gzip',
    signature: sign(TEXT),
    status: 401,
  },
  // Signed: Meta's shape is accepted, everything else refused before the parser.
  { input: 'signed valid JSON', body: TEXT, status: 200, handled: true },
  {
    input: 'signed, Content-Encoding: identity',
    body: TEXT,
    encoding: 'identity',
    status: 200,
    handled: true,
  },
  {
    input: 'signed, charset=utf-8',
    body: TEXT,
    type: 'application/json; charset=utf-8',
    status: 200,
    handled: true,
  },
  {
    input: 'signed, charset="UTF-8"',
    body: TEXT,
    type: 'application/JSON; charset="UTF-8"',
    status: 200,
    handled: true,
  },
  {
    input: 'signed, a UTF-8 BOM before the JSON',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), TEXT]),
    status: 200,
    handled: true,
  },
  {
    input: 'signed over gzipped bytes, Content-Encoding: gzip',
    body: GZIPPED,
    encoding: 'gzip',
    status: 415,
  },
  { input: 'signed, Content-Encoding: br', body: TEXT, encoding: 'br', status: 415 },
  {
    input: 'signed, charset=latin1',
    body: TEXT,
    type: 'application/json; charset=latin1',
    status: 415,
  },
  {
    input: 'signed, charset=utf-16',
    body: TEXT,
    type: 'application/json; charset=utf-16',
    status: 415,
  },
  {
    input: 'signed, charset=utf8',
    body: TEXT,
    type: 'application/json; charset=utf8',
    status: 415,
  },
  { input: 'signed, no content type', body: TEXT, type: null, status: 400 },
  ...JSON_LIKE.map((type) => ({ input: `signed, ${type}`, body: TEXT, type, status: 400 })),
  {
    input: 'signed, malformed content type',
    body: TEXT,
    type: 'application/json; charset',
    status: 400,
  },
  { input: 'signed empty body', body: Buffer.alloc(0), status: 400 },
  { input: 'signed whitespace only', body: Buffer.from(' \r\n'), status: 400 },
  {
    input: 'signed non-JSON',
    body: Buffer.from('{"object":"whatsapp_business_account","entry":['),
    status: 400,
  },
  { input: 'signed non-JSON text', body: Buffer.from('hello'), status: 400 },
  { input: 'signed JSON scalar 42', body: Buffer.from('42'), status: 400 },
  { input: 'signed JSON scalar "x"', body: Buffer.from('"x"'), status: 400 },
  { input: 'signed JSON null', body: Buffer.from('null'), status: 400 },
  { input: 'signed JSON array', body: Buffer.from('[]'), status: 200 },
  {
    input: 'signed, a __proto__ key',
    body: Buffer.from('{"object":"page","__proto__":{"x":1}}'),
    status: 400,
  },
  {
    input: 'signed, a \\u005f_proto__ key',
    body: Buffer.from('{"a":[{"\\u005f_proto__":{}}]}'),
    status: 400,
  },
  {
    input: 'signed, constructor.prototype',
    body: Buffer.from('{"constructor":{"prototype":{"x":1}}}'),
    status: 400,
  },
  {
    input: 'signed, "__proto__" inside a string',
    body: Buffer.from('{"object":"page","s":"\\"__proto__\\":1"}'),
    status: 200,
  },
  { input: 'signed, exactly the JSON limit (3 MiB)', body: sized(JSON_LIMIT), status: 200 },
  { input: 'signed, one byte over the JSON limit', body: sized(JSON_LIMIT + 1), status: 413 },
  {
    input: 'unsigned, over the JSON limit',
    body: sized(JSON_LIMIT + 1),
    signature: null,
    status: 401,
  },
  { input: 'unsigned, over 4 MiB', body: sized(4 * 1024 * 1024 + 1), signature: null, status: 413 },
];

function headersOf(row: Row): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'content-length': row.body.length };
  const type = row.type === undefined ? 'application/json' : row.type;
  if (type !== null) headers['content-type'] = type;
  const signature = row.signature === undefined ? sign(row.body) : row.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  if (row.encoding !== undefined) headers['content-encoding'] = row.encoding;
  return headers;
}

describe.each(PLATFORMS)('the webhook body table on %s', (platform: Platform) => {
  let app: INestApplication;
  let port: number;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    app = await createWebhookApp(
      platform,
      {
        imports: [
          WhatsAppModule.forRoot({ accessToken: 't', appSecret: APP_SECRET, dedupe: false }),
        ],
        providers: [TextCounter],
      },
      { logger },
    );
    port = await listenOnLoopback(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each(ROWS.map((row) => [row.input, row] as const))('%s', async (_input, row) => {
    const counter = app.get(TextCounter);
    const before = counter.bodies.length;
    const res = await sendRaw(port, { path: WEBHOOK, headers: headersOf(row), chunks: [row.body] });
    expect(res.status).toBe(row.status);
    expect(counter.bodies.length - before).toBe(row.handled === true ? 1 : 0);
  });

  it('never logs the "rawBody missing" error: rawBody is on', () => {
    expect(logger.matching('error', /rawBody is missing/)).toEqual([]);
    // And the check did run ahead of the parser: it found its route.
    expect(logger.matching('warn', /POST route found/)).toEqual([]);
  });
});
