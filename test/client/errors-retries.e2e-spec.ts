import 'reflect-metadata';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Agent } from 'undici';
import {
  WhatsAppApiError,
  WhatsAppNetworkError,
  WhatsAppValidationError,
  type WhatsAppService,
} from '../../lib/index.js';
import { FakeGraphApi } from '../../lib/testing/index.js';
import {
  API,
  PHONE_ID,
  TOKEN,
  createClient,
  createNestClient,
  rejection,
  type NestClient,
} from './client-test-helper.js';
import { captureLogLines } from './support/capture-log-lines.js';

let fake: FakeGraphApi;
let nest: NestClient;
let wa: WhatsAppService;
const sleeps: number[] = [];
let recorded: WhatsAppService;
const logLines = captureLogLines();

beforeAll(async () => {
  fake = await FakeGraphApi.start({ accessToken: TOKEN });
  nest = await createNestClient(fake);
  wa = nest.service;
  // Records the waits the retry loop asks for (then waits 0 ms), with a fixed jitter.
  recorded = createClient(
    fake,
    { retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 } },
    {
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
});
afterAll(async () => {
  await nest.close();
  await recorded.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  sleeps.length = 0;
});

const TO = '15551234567';
const send = (client: WhatsAppService = wa) =>
  client.messages.sendText({ to: TO, text: { body: 'hello' } });

describe('Meta error JSON → WhatsAppApiError', () => {
  it('carries every field of the error object', async () => {
    fake.failNext({
      status: 400,
      error: {
        code: 131009,
        message: '(#131009) Parameter value is not valid',
        type: 'OAuthException',
        error_subcode: 2494010,
        details: 'Parameter Invalid',
        fbtrace_id: 'AwvTgGtlIzl7O7UIT-fveNU',
        error_user_title: 'Invalid',
        error_user_msg: 'Fix it',
      },
    });
    const error = (await rejection(send())) as WhatsAppApiError;
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({
      name: 'WhatsAppApiError',
      status: 400,
      code: 131009,
      subcode: 2494010,
      type: 'OAuthException',
      fbtraceId: 'AwvTgGtlIzl7O7UIT-fveNU',
      details: 'Parameter Invalid',
      userTitle: 'Invalid',
      userMessage: 'Fix it',
      retryable: false,
      category: 'invalid-request',
      method: 'POST',
      path: `${API}/${PHONE_ID}/messages`,
      attempts: 1,
    });
    expect(error.message).toContain('(#131009) Parameter value is not valid');
    expect(error.message).toContain('Parameter Invalid');
  });

  it('a wrong token → 401 code 190, not retried', async () => {
    const other = createClient(fake, { accessToken: 'wrong-token' });
    const error = await rejection(send(other));
    await other.close();
    expect(error).toMatchObject({ status: 401, code: 190, category: 'auth', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('a non-JSON error body still gives a typed error by status', async () => {
    const error = await rejection(
      wa.media.download(`${fake.baseUrl}/whatsapp_business/attachments/?mid=nope`),
    );
    expect(error).toMatchObject({
      status: 404,
      code: undefined,
      retryable: false,
      path: '/whatsapp_business/attachments/',
    });
    expect((error as Error).message).not.toContain('mid=');
  });
});

describe('retries', () => {
  it('130429 then success → one message, two requests', async () => {
    fake.failNext({ error: { code: 130429, message: '(#130429) Rate limit hit' } });
    const res = await send();
    expect(res.messages[0].id).toMatch(/^wamid\./);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0].rawBody.equals(fake.requests[1].rawBody)).toBe(true);
    expect(logLines.some((l) => l.includes('130429') && l.includes('retry 1/3'))).toBe(true);
  });

  it.each([131047, 131026, 131051, 132000, 368, 100])('%i → no retry', async (code) => {
    fake.failNext({ error: { code } }, 5);
    const error = await rejection(send());
    expect(error).toMatchObject({ code, retryable: false, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    [400, 4],
    [400, 80007],
    [429, 130429],
    [500, 131057],
  ])(
    'HTTP %i code %i (refused before processing) is retried until maxRetries, then thrown with attempts',
    async (status, code) => {
      fake.failNext({ status, error: { code } }, 10);
      const error = await rejection(send());
      expect(error).toMatchObject({ code, retryable: true, outcomeUnknown: false, attempts: 4 });
      expect(fake.requests).toHaveLength(4);
    },
  );

  it.each([
    [500, 1],
    [503, 2],
    [500, 131000],
    [503, 131016],
  ])(
    'HTTP %i code %i may follow acceptance: a send is thrown at once (outcomeUnknown), a GET is retried',
    async (status, code) => {
      fake.failNext({ status, error: { code } }, 10);
      const error = await rejection(send());
      expect(error).toMatchObject({ code, retryable: true, outcomeUnknown: true, attempts: 1 });
      expect(fake.requests).toHaveLength(1);
      fake.reset();
      fake.failNext({ status, error: { code } }, 10);
      const read = await rejection(wa.accounts.listPhoneNumbers());
      expect(read).toMatchObject({ code, retryable: true, attempts: 4 });
      expect(fake.requests).toHaveLength(4);
    },
  );

  it('HTTP 5xx without a Graph body: a GET is retried, a send is not (outcomeUnknown)', async () => {
    const badGateway = {
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' },
    };
    fake.answerNext(badGateway);
    await wa.accounts.listPhoneNumbers();
    expect(fake.requests).toHaveLength(2);
    fake.reset();
    fake.answerNext(badGateway);
    expect(await rejection(send())).toMatchObject({
      status: 502,
      retryable: true,
      outcomeUnknown: true,
      attempts: 1,
    });
    expect(fake.requests).toHaveLength(1);
    fake.answerNext({ status: 400, body: 'plain text' });
    expect(await rejection(send())).toMatchObject({
      status: 400,
      code: undefined,
      retryable: false,
      outcomeUnknown: false,
    });
  });

  it('a timeout after the request was written is never retried for a send', async () => {
    const quick = createClient(fake, { timeoutMs: 50 });
    fake.delayNext(2000);
    const error = await rejection(send(quick));
    await quick.close();
    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(error).toMatchObject({
      timedOut: true,
      requestWritten: true,
      attempts: 1,
      code: 'UND_ERR_HEADERS_TIMEOUT',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('a connection reset after the request was written is never retried for a send', async () => {
    fake.resetNext('before-response', 5);
    const error = await rejection(send());
    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(error).toMatchObject({ requestWritten: true, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });

  it('a GET is retried after a reset or a timeout (idempotent)', async () => {
    const quick = createClient(fake, { timeoutMs: 50 });
    fake.resetNext('before-response', 1).delayNext(2000, 1);
    const page = await quick.accounts.listPhoneNumbers();
    await quick.close();
    expect(page.data).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
  });

  it('a refused connection (nothing written) is retried for a send, then thrown', async () => {
    const closed = await FakeGraphApi.start();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const client = createClient(closed, { baseUrl }, { sleep: async (ms) => void sleeps.push(ms) });
    const error = await rejection(send(client));
    await client.close();
    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', requestWritten: false, attempts: 4 });
    expect(sleeps).toHaveLength(3);
  });

  it('Retry-After is honoured (here 0.02 s), over the computed backoff', async () => {
    fake.failNext({ status: 429, error: { code: 130429 }, headers: { 'retry-after': '0.02' } });
    fake.failNext({ status: 400, error: { code: 4 } });
    await send(recorded);
    expect(fake.requests).toHaveLength(3);
    // 20 ms from Retry-After, then full jitter 0.5 × min(1000, 100 × 2¹) = 100 ms.
    expect(sleeps).toEqual([20, 100]);
  });

  it('Retry-After is honoured for real with a tiny value', async () => {
    fake.failNext({ status: 429, error: { code: 4 }, headers: { 'retry-after': '0.01' } });
    const res = await send();
    expect(res.messages).toHaveLength(1);
    expect(fake.requests).toHaveLength(2);
  });

  it('a Retry-After longer than maxDelayMs is not waited for', async () => {
    fake.failNext({ status: 429, error: { code: 130429 }, headers: { 'retry-after': '120' } });
    const error = await rejection(send(recorded));
    expect(error).toMatchObject({ code: 130429, retryAfterMs: 120_000, attempts: 1 });
    expect(sleeps).toEqual([]);
  });

  it('131056 (pair rate limit) is retried only after its 4^X s wait, within the cap', async () => {
    fake.failNext({ error: { code: 131056 } }, 2);
    const error = await rejection(send(recorded));
    // First retry waits 1 s (4^0); the second would need 4 s > maxDelayMs 1000 → given up.
    expect(sleeps).toEqual([1000]);
    expect(error).toMatchObject({ code: 131056, category: 'pair-rate-limit', attempts: 2 });
  });

  it('retry: false disables retries', async () => {
    const noRetry = await createNestClient(fake, { retry: false });
    fake.failNext({ error: { code: 130429 } });
    const error = await rejection(send(noRetry.service));
    await noRetry.close();
    expect(error).toMatchObject({ code: 130429, retryable: true, attempts: 1 });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('the access token never leaks', () => {
  it('not in errors, their inspect/JSON output, logs, or the service itself', async () => {
    // A proxy echoing the token back in its error body must not carry it into the error.
    fake.failNext(
      {
        status: 429,
        error: { code: 130429, message: `bad token ${TOKEN}`, details: `echo ${TOKEN}` },
      },
      10,
    );
    const apiError = await rejection(send());
    const validationError = await rejection(wa.messages.sendText({ to: 'x', text: { body: '' } }));
    fake.resetNext();
    const networkError = await rejection(send());
    for (const value of [
      apiError,
      validationError,
      networkError,
      wa,
      wa.messages,
      wa.media,
      wa.templates,
    ]) {
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(TOKEN);
      expect(String(value)).not.toContain(TOKEN);
      expect(JSON.stringify(value) ?? '').not.toContain(TOKEN);
    }
    expect((apiError as WhatsAppApiError).message).toContain('[redacted]');
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
    expect(validationError).toBeInstanceOf(WhatsAppValidationError);
  });
});

describe('lifecycle', () => {
  it('uses a given dispatcher and leaves it open on shutdown', async () => {
    const agent = new Agent();
    let dispatched = 0;
    const counting = agent.compose((dispatch) => (opts, handler) => {
      dispatched += 1;
      return dispatch(opts, handler);
    });
    const client = await createNestClient(fake, { dispatcher: counting });
    await send(client.service);
    await client.close();
    expect(dispatched).toBe(1);
    expect(agent.closed).toBe(false);
    await send(createClient(fake, { dispatcher: counting }));
    expect(dispatched).toBe(2);
    await agent.close();
  });

  it('closes its own Agent on application shutdown', async () => {
    const client = await createNestClient(fake);
    await send(client.service);
    await client.close();
    const error = await rejection(send(client.service));
    expect(error).toBeInstanceOf(WhatsAppNetworkError);
    expect(fake.requests).toHaveLength(1);
  });
});
