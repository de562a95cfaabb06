import 'reflect-metadata';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { WhatsAppApiError, WhatsAppNetworkError } from '../../lib/index.js';
import { rejection } from './client-test-helper.js';
import { captureLogLines } from './support/capture-log-lines.js';
import type { Step } from './support/scripted-graph-server.js';
import { useScriptedGraph } from './support/use-scripted-graph.js';

// "Never sends a message twice": a fake Graph that ACCEPTS the send (records it, as Meta would
// deliver it) and then answers an error. A retry there would be a second message to the user. Only
// answers that prove the request was not processed (throttling refusals, 429) are retried.

const sleeps: number[] = [];
const logLines = captureLogLines();

// A wide maxDelayMs so the 131056 wait (1 s) is allowed; the waits are recorded, not slept.
const env = useScriptedGraph(
  { retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 20_000 }, timeoutMs: 300 },
  { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
);
beforeEach(() => {
  sleeps.length = 0;
});

const send = () => env.wa.messages.sendText({ to: '15551234567', text: { body: 'only once' } });
const graphError = (code: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    error: { message: `(#${code}) error`, type: 'OAuthException', code, ...extra },
  });

describe('a send that Meta may have accepted is never retried', () => {
  const afterAccept: Array<[string, Step]> = [
    ['500 without a body', { kind: 'accept-then', status: 500 }],
    [
      '502 with a proxy page',
      { kind: 'accept-then', status: 502, body: '<html>Bad Gateway</html>' },
    ],
    ['503 without a body', { kind: 'accept-then', status: 503 }],
    ['504 without a body', { kind: 'accept-then', status: 504 }],
    [
      '504 with a Graph error body (code 2, is_transient)',
      { kind: 'accept-then', status: 504, body: graphError(2, { is_transient: true }) },
    ],
    ['500 with code 1 (API unknown)', { kind: 'accept-then', status: 500, body: graphError(1) }],
    [
      '500 with code 131000 (something went wrong)',
      { kind: 'accept-then', status: 500, body: graphError(131000) },
    ],
    [
      '503 with code 131016 (service unavailable)',
      { kind: 'accept-then', status: 503, body: graphError(131016) },
    ],
  ];

  it.each(afterAccept)('%s: recorded once, thrown with outcomeUnknown', async (_name, step) => {
    env.graph.script(step, step, step);
    const error = await rejection(send());
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ outcomeUnknown: true, attempts: 1 });
    expect(env.graph.accepted).toHaveLength(1);
    expect(env.graph.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each<[string, Step, string]>([
    [
      'a timeout after the request was written',
      { kind: 'accept-then-hang' },
      'UND_ERR_HEADERS_TIMEOUT',
    ],
    ['a connection reset after the request was written', { kind: 'accept-then-reset' }, ''],
  ])('%s: recorded once, thrown with outcomeUnknown', async (_name, step, code) => {
    env.graph.script(step, step, step);
    const error = await rejection(send());
    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(error).toMatchObject({ outcomeUnknown: true, requestWritten: true, attempts: 1 });
    if (code) expect(error).toMatchObject({ code, timedOut: true });
    expect(env.graph.accepted).toHaveLength(1);
    expect(env.graph.requests).toHaveLength(1);
  });
});

describe('a send refused before processing is retried, and delivered once', () => {
  const refusals: Array<[string, Step]> = [
    ['400 code 4 (app rate limit)', { kind: 'refuse', status: 400, body: graphError(4) }],
    ['400 code 80007 (WABA rate limit)', { kind: 'refuse', status: 400, body: graphError(80007) }],
    ['400 code 130429 (throughput)', { kind: 'refuse', status: 400, body: graphError(130429) }],
    [
      '429 code 130429 with Retry-After',
      {
        kind: 'refuse',
        status: 429,
        body: graphError(130429),
        headers: { 'retry-after': '2' },
      },
    ],
    ['429 without a body', { kind: 'refuse', status: 429 }],
    [
      '400 code 131056 (pair rate limit)',
      { kind: 'refuse', status: 400, body: graphError(131056) },
    ],
    ['500 code 131057 (maintenance)', { kind: 'refuse', status: 500, body: graphError(131057) }],
  ];

  it.each(refusals)('%s: retried, accepted once', async (_name, step) => {
    env.graph.script(step);
    const res = await send();
    expect(res.messages[0].id).toBe('wamid.accepted-1');
    expect(env.graph.requests).toHaveLength(2);
    expect(env.graph.accepted).toHaveLength(1);
    expect(env.graph.requests[0].body).toBe(env.graph.requests[1].body);
    expect(sleeps).toHaveLength(1);
    expect(logLines.some((w) => w.includes('retry 1/3'))).toBe(true);
  });

  it('waits what each refusal demands (Retry-After, 4^X s for 131056)', async () => {
    env.graph.script(
      { kind: 'refuse', status: 429, body: graphError(130429), headers: { 'retry-after': '2' } },
      { kind: 'refuse', status: 400, body: graphError(131056) },
    );
    await send();
    // Retry-After 2 s, then 4^1 s: the 131056 came on the second retry.
    expect(sleeps).toEqual([2000, 4000]);
    expect(env.graph.accepted).toHaveLength(1);
  });

  it('131048 (spam rate limit) proves nothing was sent but is not retried (a quality issue)', async () => {
    env.graph.script({ kind: 'refuse', status: 400, body: graphError(131048) });
    const error = await rejection(send());
    expect(error).toMatchObject({ code: 131048, retryable: false, outcomeUnknown: false });
    expect(env.graph.requests).toHaveLength(1);
    expect(env.graph.accepted).toHaveLength(0);
  });

  it('a refusal then an answer after acceptance: delivered once, outcomeUnknown', async () => {
    env.graph.script(
      { kind: 'refuse', status: 400, body: graphError(130429) },
      { kind: 'accept-then', status: 504 },
      { kind: 'accept' },
    );
    const error = await rejection(send());
    expect(error).toMatchObject({ status: 504, outcomeUnknown: true, attempts: 2 });
    expect(env.graph.requests).toHaveLength(2);
    expect(env.graph.accepted).toHaveLength(1);
  });

  it('gives up after maxRetries refusals with outcomeUnknown false (safe to send again later)', async () => {
    const refuse: Step = { kind: 'refuse', status: 400, body: graphError(130429) };
    env.graph.script(refuse, refuse, refuse, refuse);
    const error = await rejection(send());
    expect(error).toMatchObject({ code: 130429, outcomeUnknown: false, attempts: 4 });
    expect(env.graph.accepted).toHaveLength(0);
  });
});

describe('reads are retried as before', () => {
  it.each<[string, Step]>([
    ['504 without a body', { kind: 'refuse', status: 504 }],
    ['500 code 131000', { kind: 'refuse', status: 500, body: graphError(131000) }],
    ['a reset', { kind: 'accept-then-reset' }],
    ['a timeout', { kind: 'accept-then-hang' }],
  ])('GET after %s: retried', async (_name, step) => {
    env.graph.script(step);
    const page = await env.wa.accounts.listPhoneNumbers();
    expect(page.data).toEqual([]);
    expect(env.graph.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });
});
