import 'reflect-metadata';
import { inspect } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { WhatsAppApiError } from '../../lib/index.js';
import { TOKEN } from './client-test-helper.js';
import { captureLogLines } from './support/capture-log-lines.js';
import { useScriptedGraph } from './support/use-scripted-graph.js';

// A Graph answer (a proxy, a debugging gateway) that echoes the bearer token it received, encoded
// so that the raw text never holds it: JSON `\u` escapes, partial escapes, halves in two fields,
// deep inside error_data. Whatever the decoding, the token must not reach the error's message,
// fields, inspect / JSON / String output, its stack, or a log line.

const logLines = captureLogLines();

const env = useScriptedGraph({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } });

/** JSON-escapes every character (`\u0045\u0041…`), or only those at even positions. */
const escapeAll = (text: string) =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const escapeEven = (text: string) =>
  [...text].map((c, i) => (i % 2 === 0 ? escapeAll(c) : c)).join('');

/** The token as the server received it (from the Authorization header), never from the test. */
const tokenOf = (authorization: string) => authorization.replace(/^Bearer /, '');
const half = TOKEN.length >> 1;

/** Raw JSON error bodies, written by hand so the escapes stay in the bytes on the wire. */
const echoes: Array<[string, (token: string) => string]> = [
  [
    'the whole token \\u-escaped in message',
    (t) =>
      `{"error":{"message":"Invalid OAuth access token ${escapeAll(t)}","code":190,"type":"OAuthException"}}`,
  ],
  [
    'partially escaped in error_data.details',
    (t) =>
      `{"error":{"message":"(#100) Invalid parameter","code":100,"error_data":{"messaging_product":"whatsapp","details":"header was Bearer ${escapeEven(t)}"}}}`,
  ],
  [
    'split across message and error_user_msg, escaped',
    (t) =>
      `{"error":{"message":"token ${escapeAll(t.slice(0, half))}","error_user_msg":"${escapeEven(t.slice(half))} rest","code":100}}`,
  ],
  [
    'in error_user_title and nested deep inside error_data',
    (t) =>
      `{"error":{"message":"bad","error_user_title":"\\u0042earer ${escapeAll(t)}","code":100,"error_data":{"details":"x","echo":{"headers":[{"authorization":"Bearer ${escapeEven(t)}"}],"${escapeAll(t)}":1}}}}`,
  ],
  [
    'as a JSON string inside the message (escaped twice)',
    (t) =>
      `{"error":{"message":"upstream said {\\"auth\\":\\"${escapeAll(t).replaceAll('\\', '\\\\')}\\"}","code":100}}`,
  ],
  [
    'escaped in a top-level field beside error (kept as error.response)',
    (t) =>
      `{"error":{"message":"bad","code":139100},"block_users":{"failed_users":[{"input":"${escapeAll(t)}"}]},"echo":{"authorization":"Bearer ${escapeEven(t)}"}}`,
  ],
  [
    'percent-encoded in details, and base64 of the header in the message',
    (t) =>
      `{"error":{"message":"echo ${Buffer.from(`Bearer ${t}`).toString('base64')}","code":100,"error_data":{"details":"${[...t].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}"}}}`,
  ],
];

/** Every way the error can be turned into text by an app or a logger. */
const renderings = (error: unknown): string[] => [
  inspect(error, { depth: 20, showHidden: true, getters: true }),
  JSON.stringify(error),
  String(error),
  (error as Error).stack ?? '',
  (error as Error).message,
];

describe('a Graph error that echoes the token encoded', () => {
  it.each(echoes)('%s: redacted everywhere', async (_name, build) => {
    env.graph.script({
      kind: 'answer',
      build: (seen) => ({ status: 400, body: build(tokenOf(seen.authorization)) }),
    });
    const error = await env.wa.messages.sendText({ to: '15551234567', text: { body: 'x' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WhatsAppApiError);
    // The server did receive the token, and its answer did not hold it in clear.
    expect(tokenOf(env.graph.requests[0].authorization)).toBe(TOKEN);
    const api = error as WhatsAppApiError;
    const outputs = [
      ...renderings(error),
      api.details ?? '',
      api.userMessage ?? '',
      api.userTitle ?? '',
      JSON.stringify(api.error),
      JSON.stringify(api.response ?? null),
      ...logLines,
    ];
    for (const out of outputs) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain(TOKEN.slice(0, half));
      expect(out).not.toContain(TOKEN.slice(half));
    }
    expect(outputs.join('\n')).toContain('[redacted]');
  });

  it('keeps the useful parts of the error (code, type, the text around the token)', async () => {
    env.graph.script({
      kind: 'answer',
      build: (seen) => ({ status: 401, body: echoes[0][1](tokenOf(seen.authorization)) }),
    });
    const error = (await env.wa.accounts
      .listPhoneNumbers()
      .catch((e: unknown) => e)) as WhatsAppApiError;
    expect(error).toMatchObject({
      status: 401,
      code: 190,
      type: 'OAuthException',
      category: 'auth',
    });
    expect(error.message).toContain('Invalid OAuth access token [redacted]');
  });

  it('an error body over 32 KiB is not parsed (status only), and the client keeps working', async () => {
    env.graph.script({
      kind: 'answer',
      build: (seen) => ({
        status: 400,
        body: `{"error":{"message":"${escapeAll(tokenOf(seen.authorization))} ${'x'.repeat(40_000)}","code":100}}`,
      }),
    });
    const error = (await env.wa.accounts
      .listPhoneNumbers()
      .catch((e: unknown) => e)) as WhatsAppApiError;
    expect(error).toMatchObject({ status: 400, code: undefined, error: undefined });
    expect(error.message).toMatch(
      /^Graph API answered HTTP 400 \[GET \/v26\.0\/[^/]+\/phone_numbers -> 400\]$/,
    );
    for (const out of renderings(error)) expect(out).not.toContain(TOKEN);
    expect((await env.wa.accounts.listPhoneNumbers()).data).toEqual([]);
  });
});
