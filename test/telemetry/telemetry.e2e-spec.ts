import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, type INestApplication } from '@nestjs/common';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { inspect } from 'node:util';
import {
  OnWhatsAppMessage,
  OnWhatsAppStatus,
  WhatsAppModule,
  type StatusUpdate,
  type TextMessage,
} from '../../lib/index.js';
import { FakeGraphApi } from '../../lib/testing/index.js';
import { findSecrets } from '../hardening/support/capture-output.js';
import { createWebhookApp, postSigned } from '../webhook/support/webhook-app.js';
import { counterSum, pointsOf, registerTestSdk, type TestSdk } from './support/otel-sdk.js';

// Spans and metrics of a real Nest app (Express, rawBody, real HMAC) talking to the fake Graph API,
// recorded by a real OpenTelemetry SDK with in-memory exporters.

const TOKEN = 'test-access-token';
const APP_SECRET = 'test-app-secret';
const PHONE = '15550002222';
const DISPLAY_PHONE = '15550001111';
const TEXT_OK = 'private words of the customer';
const TEXT_FAIL = 'please fail now';

const change = (value: string): string =>
  `{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"${DISPLAY_PHONE}","phone_number_id":"PNID"},${value}}}`;
const text = (id: string, body: string): string =>
  `{"from":"${PHONE}","id":"${id}","timestamp":"1767614000","type":"text","text":{"body":"${body}"}}`;
const status = (id: string, value: string, extra = ''): string =>
  `{"id":"${id}","status":"${value}","timestamp":"1767614000","recipient_id":"${PHONE}"${extra}}`;

/** Two texts (one handler fails on the second), three statuses (one failed with 131047), one malformed entry. */
function batch(n: number): string {
  const messages = change(
    `"contacts":[{"profile":{"name":"Ana"},"wa_id":"${PHONE}"}],"messages":[${text(`wamid.ok${n}`, TEXT_OK)},${text(`wamid.fail${n}`, TEXT_FAIL)}]`,
  );
  const statuses = change(
    `"statuses":[${status(`wamid.s1${n}`, 'sent')},${status(`wamid.s2${n}`, 'delivered')},${status(`wamid.s3${n}`, 'failed', ',"errors":[{"code":131047,"title":"Re-engagement message"}]')}]`,
  );
  return `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[${messages},${statuses}]},42]}`;
}

@Injectable()
class Handlers {
  readonly statuses: string[] = [];

  @OnWhatsAppMessage('text')
  onText(message: TextMessage): string {
    if (message.text.body === TEXT_FAIL) throw new Error('handler refused');
    return 'thanks';
  }

  @OnWhatsAppStatus()
  onStatus(update: StatusUpdate): void {
    this.statuses.push(update.status);
  }
}

const attrs = (span: ReadableSpan): Record<string, unknown> => span.attributes;

describe('telemetry with an OpenTelemetry SDK registered', () => {
  let sdk: TestSdk;
  let fake: FakeGraphApi;
  let app: INestApplication;

  beforeAll(async () => {
    sdk = await registerTestSdk();
    fake = await FakeGraphApi.start();
    app = await createWebhookApp('express', {
      imports: [
        WhatsAppModule.forRoot({
          accessToken: TOKEN,
          appSecret: APP_SECRET,
          baseUrl: fake.baseUrl,
          retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5 },
          // Every send waits 20 ms for its turn: whatsapp.ratelimit.wait.duration.
          outboundLimiter: { acquire: () => new Promise((resolve) => setTimeout(resolve, 20)) },
        }),
      ],
      providers: [Handlers],
    });
  });

  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await sdk?.shutdown();
  });

  it('records a webhook span with its handler spans, and Graph client spans under the handlers', async () => {
    await postSigned(app, batch(1), { secret: APP_SECRET }).expect(500);
    const spans = sdk.spans();
    const webhook = spans.filter((span) => span.name === 'whatsapp.webhook.receive');
    expect(webhook).toHaveLength(1);
    expect(attrs(webhook[0])).toEqual({
      'whatsapp.webhook.updates': 5,
      'whatsapp.webhook.malformed_items': 1,
      'http.response.status_code': 500,
      'whatsapp.webhook.ack': 'failed',
    });
    expect(webhook[0].status.code).toBe(2); // ERROR

    const handlers = spans.filter((span) => span.name === 'whatsapp.handler');
    expect(handlers.map((span) => attrs(span))).toEqual([
      {
        'whatsapp.handler.id': 'Handlers.onText',
        'whatsapp.update.kind': 'message',
        'whatsapp.update.type': 'text',
        'whatsapp.handler.outcome': 'ok',
      },
      {
        'whatsapp.handler.id': 'Handlers.onText',
        'whatsapp.update.kind': 'message',
        'whatsapp.update.type': 'text',
        'whatsapp.handler.outcome': 'failed',
      },
      ...['sent', 'delivered', 'failed'].map((type) => ({
        'whatsapp.handler.id': 'Handlers.onStatus',
        'whatsapp.update.kind': 'status',
        'whatsapp.update.type': type,
        'whatsapp.handler.outcome': 'ok',
      })),
    ]);
    const webhookId = webhook[0].spanContext().spanId;
    for (const span of handlers) expect(span.parentSpanContext?.spanId).toBe(webhookId);

    // The reply of the first text: an HTTP client span, child of its handler's span.
    const graph = spans.filter((span) => span.kind === 2);
    expect(graph).toHaveLength(1);
    expect(graph[0].name).toBe('POST /v26.0/{id}/messages');
    expect(attrs(graph[0])).toEqual({
      'http.request.method': 'POST',
      'url.template': '/v26.0/{id}/messages',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(fake.baseUrl).port),
      'http.response.status_code': 200,
    });
    expect(graph[0].parentSpanContext?.spanId).toBe(handlers[0].spanContext().spanId);
  });

  it('counts updates, handler outcomes and durations, delivery statuses by error code, webhook answers, Graph calls', async () => {
    const collected = await sdk.collect();
    expect(
      counterSum(collected, 'whatsapp.updates.received', { 'whatsapp.update.kind': 'message' }),
    ).toBe(2);
    expect(
      counterSum(collected, 'whatsapp.updates.received', { 'whatsapp.update.kind': 'status' }),
    ).toBe(3);
    expect(counterSum(collected, 'whatsapp.updates.malformed')).toBe(1);
    expect(counterSum(collected, 'whatsapp.updates.handled')).toBe(4);
    expect(
      counterSum(collected, 'whatsapp.updates.failed', {
        'whatsapp.handler.id': 'Handlers.onText',
      }),
    ).toBe(1);
    expect(
      counterSum(collected, 'whatsapp.delivery.statuses', {
        'whatsapp.message.status': 'failed',
        'whatsapp.error.code': 131047,
      }),
    ).toBe(1);
    expect(
      counterSum(collected, 'whatsapp.delivery.statuses', {
        'whatsapp.message.status': 'delivered',
      }),
    ).toBe(1);
    expect(
      counterSum(collected, 'whatsapp.webhook.requests', { 'http.response.status_code': 500 }),
    ).toBe(1);
    const durations = pointsOf(collected, 'whatsapp.handler.duration');
    const handlerCalls = durations.reduce((n, p) => n + (p.value as { count: number }).count, 0);
    expect(handlerCalls).toBe(5);
    expect(
      collected.find((m) => m.descriptor.name === 'whatsapp.handler.duration')?.descriptor.unit,
    ).toBe('s');
    const waits = pointsOf(collected, 'whatsapp.ratelimit.wait.duration');
    expect(waits.map((p) => p.attributes)).toEqual([{ 'whatsapp.ratelimit.outcome': 'acquired' }]);
    const wait = waits[0].value as { count: number; sum: number };
    expect(wait.count).toBe(1);
    expect(wait.sum).toBeGreaterThanOrEqual(0.015);
    const graph = pointsOf(collected, 'whatsapp.graph.request.duration');
    expect(graph.map((p) => p.attributes)).toEqual([
      expect.objectContaining({
        'http.request.method': 'POST',
        'url.template': '/v26.0/{id}/messages',
        'http.response.status_code': 200,
      }),
    ]);
  });

  it('counts a redelivery as de-duplicated and runs only what failed', async () => {
    const before = await sdk.collect();
    const handledBefore = counterSum(before, 'whatsapp.updates.handled');
    await postSigned(app, batch(1), { secret: APP_SECRET }).expect(500);
    const after = await sdk.collect();
    expect(counterSum(after, 'whatsapp.updates.deduplicated')).toBe(4);
    expect(counterSum(after, 'whatsapp.updates.handled')).toBe(handledBefore);
    expect(
      counterSum(after, 'whatsapp.updates.deduplicated', { 'whatsapp.update.type': 'delivered' }),
    ).toBe(1);
  });

  it('records a Graph error by Meta code, with the retries on the span', async () => {
    // 130429 (throughput): not processed, retried; then 131047 ends the call.
    fake.failNext({ status: 400, error: { code: 130429, message: 'Rate limit hit' } }, 1);
    fake.failNext({ status: 400, error: { code: 131047, message: 'Re-engagement message' } }, 1);
    const body = `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[${change(`"messages":[${text('wamid.graph1', TEXT_OK)}]`)}]}]}`;
    await postSigned(app, body, { secret: APP_SECRET }).expect(500);
    const span = sdk
      .spans()
      .filter((s) => s.kind === 2)
      .at(-1);
    expect(span?.status.code).toBe(2);
    expect(attrs(span as ReadableSpan)).toEqual(
      expect.objectContaining({
        'http.response.status_code': 400,
        'error.type': '400',
        'whatsapp.graph.error_code': 131047,
        'http.request.resend_count': 1,
      }),
    );
    const collected = await sdk.collect();
    expect(
      counterSum(collected, 'whatsapp.graph.request.errors', {
        'whatsapp.graph.error_code': 131047,
      }),
    ).toBe(1);
  });

  it('never puts the token, the app secret, a phone number, a message text or a wamid in a span or a metric', async () => {
    const collected = await sdk.collect();
    const lines = [
      ...sdk
        .spans()
        .map((span) => `${span.name} ${JSON.stringify(span.attributes)} ${inspect(span.events)}`),
      ...collected.map((metric) => JSON.stringify(metric)),
    ];
    expect(lines.length).toBeGreaterThan(10);
    const forbidden = [
      TOKEN,
      APP_SECRET,
      PHONE,
      DISPLAY_PHONE,
      TEXT_OK,
      TEXT_FAIL,
      'wamid.',
      'Ana',
    ];
    expect(findSecrets(lines, forbidden)).toEqual([]);
  });
});
