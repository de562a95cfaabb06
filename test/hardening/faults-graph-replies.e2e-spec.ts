import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import { OnWhatsAppMessage } from '../../lib/handlers/on-whatsapp-message.decorator.js';
import { FAKE_IDS, FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import type { TextMessage } from '../../lib/types/webhook/incoming-message.js';
import { WhatsAppModule } from '../../lib/whatsapp.module.js';
import { textMessages } from '../webhook/support/bodies.js';
import { APP_SECRET, createWebhookApp, postSigned } from '../webhook/support/webhook-app.js';
import { CapturingLogger } from '../webhook/support/capturing-logger.js';

// Graph API faults while a handler's reply is sent: the client retries exactly as its policy says
// (refusals that prove nothing was processed, and unwritten requests; never a send that may have
// been accepted: a 5xx, a generic server error, a reset or a timeout after writing), the
// webhook answers 500 when the reply finally failed so Meta redelivers, and the redelivery sends
// the reply again. Counted on the fake's record.

@Injectable()
class Replier {
  readonly runs = new Map<string, number>();

  @OnWhatsAppMessage('text')
  onText(message: TextMessage): string {
    this.runs.set(message.id, (this.runs.get(message.id) ?? 0) + 1);
    return `re:${message.id}`;
  }
}

const RETRIES = 2;
const TIMEOUT_MS = 300;

interface FaultCase {
  name: string;
  script: (fake: FakeGraphApi) => void;
  /** Requests carrying the reply, over the first delivery and Meta's redeliveries. */
  requests: number;
  /** Answers to the first delivery, then to each redelivery until 200. */
  answers: number[];
  /**
   * Replies the user may receive: a request whose answer was lost (reset, timeout) may have been
   * accepted by Meta, and the redelivery sends the reply again (docs/reliability.md).
   */
  accepted: number;
}

const throttled = { status: 429, error: { code: 130429, message: 'Rate limit hit' } };
const CASES: FaultCase[] = [
  {
    // Code 1 (API unknown) can follow acceptance: the reply is not retried by the client.
    name: 'HTTP 500 once',
    script: (f) => f.failNext({ status: 500, error: { code: 1, message: 'unknown' } }),
    requests: 2,
    answers: [500, 200],
    accepted: 2,
  },
  {
    name: "a proxy's HTML 502 once",
    script: (f) => f.answerNext({ status: 502, body: '<html>Bad gateway</html>' }),
    requests: 2,
    answers: [500, 200],
    accepted: 2,
  },
  {
    name: 'throttling (130429) twice',
    script: (f) => f.failNext(throttled, 2),
    requests: 3,
    answers: [200],
    accepted: 1,
  },
  {
    name: 'throttling with Retry-After',
    script: (f) => f.failNext({ ...throttled, headers: { 'retry-after': '0.01' } }),
    requests: 2,
    answers: [200],
    accepted: 1,
  },
  {
    name: 'throttling past the retry budget',
    script: (f) => f.failNext(throttled, RETRIES + 1),
    requests: RETRIES + 2,
    answers: [500, 200],
    accepted: 1,
  },
  {
    name: 'a non-retryable error (131026)',
    script: (f) =>
      f.failNext({ status: 400, error: { code: 131026, message: 'Message undeliverable' } }),
    requests: 2,
    answers: [500, 200],
    accepted: 1,
  },
  {
    name: 'a reset after the request was written',
    script: (f) => f.resetNext(),
    requests: 2,
    answers: [500, 200],
    accepted: 2,
  },
  {
    name: 'an answer slower than the timeout',
    script: (f) => f.delayNext(TIMEOUT_MS * 10),
    requests: 2,
    answers: [500, 200],
    accepted: 2,
  },
];

describe('Graph API faults during replies (Express, real HTTP, fake Graph API)', () => {
  let fake: FakeGraphApi;
  let app: INestApplication;
  let replier: Replier;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    app = await createWebhookApp(
      'express',
      {
        imports: [
          WhatsAppModule.forRoot({
            accessToken: 'faults-token',
            appSecret: APP_SECRET,
            baseUrl: fake.baseUrl,
            phoneNumberId: FAKE_IDS.phoneNumberId,
            timeoutMs: TIMEOUT_MS,
            retry: { maxRetries: RETRIES, baseDelayMs: 1, maxDelayMs: 20 },
          }),
        ],
        providers: [Replier],
      },
      { logger },
    );
    replier = app.get(Replier);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it.each(CASES)('$name', async (fault) => {
    const id = `wamid.fault.${fault.name.replace(/\W+/g, '-')}`;
    const body = textMessages([[id, 'hi']]);
    fault.script(fake);
    const answers: number[] = [];
    // Meta's side: deliver, and redeliver while the answer is not 200 (a few times at most).
    for (let attempt = 0; attempt < 4; attempt++) {
      const { status } = await postSigned(app, body);
      answers.push(status);
      if (status === 200) break;
    }
    const replies = fake.sentMessages().filter((m) => JSON.stringify(m).includes(`re:${id}`));
    expect({ answers, requests: replies.length }).toEqual({
      answers: fault.answers,
      requests: fault.requests,
    });
    // One handler run per delivery that failed or succeeded; none after the 200.
    expect(replier.runs.get(id)).toBe(fault.answers.length);
  });

  it('survived every fault: no unexpected error line, and the app still answers', async () => {
    const unexpected = logger
      .errors()
      .filter((line) => !line.includes('WhatsApp handler Replier.onText failed'));
    expect(unexpected).toEqual([]);
    expect((await postSigned(app, textMessages([['wamid.fault.after', 'ok']]))).status).toBe(200);
    expect(fake.sentMessages()).toHaveLength(1);
  });
});
