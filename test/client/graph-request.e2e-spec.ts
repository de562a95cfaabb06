import 'reflect-metadata';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Response } from 'undici';
import {
  WhatsAppApiError,
  WhatsAppService,
  WhatsAppValidationError,
  type GraphRequestOptions,
  type OutboundLimiter,
  type WhatsAppModuleOptions,
} from '../../lib/index.js';
import { resolveWhatsAppOptions } from '../../lib/options/resolve-options.js';
import { PHONE_ID, TOKEN, WABA_ID, rejection } from './client-test-helper.js';

// `whatsapp.graph.request()`: any Graph endpoint over the client's own transport. A plain
// node:http server on 127.0.0.1 records each request as received and answers from a script.

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}
type Answer = { status: number; body: unknown };

const OTHER_TOKEN = 'EAAB-other-account-token-9876543210fedcba';
const seen: Seen[] = [];
let answers: Array<Answer | ((s: Seen) => Answer)> = [];
let server: Server;
let baseUrl: string;
let wa: WhatsAppService;
const sleeps: number[] = [];

function client(overrides: Partial<WhatsAppModuleOptions> = {}): WhatsAppService {
  return new WhatsAppService(
    resolveWhatsAppOptions(
      {
        accessToken: TOKEN,
        baseUrl,
        phoneNumberId: PHONE_ID,
        businessAccountId: WABA_ID,
        retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 50 },
        ...overrides,
      },
      false,
    ),
    { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
  );
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(s);
      const next = answers.shift() ?? { status: 200, body: { ok: true } };
      const answer = typeof next === 'function' ? next(s) : next;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  wa = client();
});
afterAll(async () => {
  await wa.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen.length = 0;
  answers = [];
  sleeps.length = 0;
});

const graphError = (code: number, message = 'Nope', extra: Record<string, unknown> = {}) => ({
  error: { message, type: 'OAuthException', code, fbtrace_id: 'AbCdEf', ...extra },
});

describe('graph.request: methods, paths, query, bodies', () => {
  it('GET with the version prefix, the bearer token and an encoded query; resolves the JSON', async () => {
    answers.push({ status: 200, body: { data: [{ about: 'Hi' }] } });
    const profile = await wa.graph.request<{ data: Array<{ about: string }> }>({
      method: 'GET',
      path: `/${PHONE_ID}/whatsapp_business_profile`,
      query: {
        fields: ['about', 'address'],
        limit: 5,
        summary: true,
        q: 'a&b=c é/?#',
        filtering: [{ field: 'name', operator: 'IN', value: ['a b'] }],
        skipped: undefined,
        alsoSkipped: null,
      },
    });
    expect(profile.data[0].about).toBe('Hi');
    const [req] = seen;
    expect(req.method).toBe('GET');
    const url = new URL(req.url, baseUrl);
    expect(url.pathname).toBe(`/v26.0/${PHONE_ID}/whatsapp_business_profile`);
    expect([...url.searchParams]).toEqual([
      ['fields', 'about,address'],
      ['limit', '5'],
      ['summary', 'true'],
      ['q', 'a&b=c é/?#'],
      ['filtering', '[{"field":"name","operator":"IN","value":["a b"]}]'],
    ]);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.body.length).toBe(0);
  });

  it('POST sends the JSON body byte for byte; an explicit version replaces the default', async () => {
    const body = { messaging_product: 'whatsapp', about: 'Open 9–5 "daily"', vertical: 'RETAIL' };
    await wa.graph.request({
      method: 'POST',
      path: `v25.0/${PHONE_ID}/whatsapp_business_profile`,
      body,
    });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].url).toBe(`/v25.0/${PHONE_ID}/whatsapp_business_profile`);
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].body.toString()).toBe(JSON.stringify(body));
  });

  it('DELETE with a query, and DELETE with a JSON body (group participants)', async () => {
    await wa.graph.request({
      method: 'DELETE',
      path: `/${WABA_ID}/message_templates`,
      query: { name: 'x y' },
    });
    await wa.graph.request({
      method: 'DELETE',
      path: '/g_123/participants',
      body: { messaging_product: 'whatsapp', participants: [{ user: '15551234567' }] },
    });
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['DELETE', `/v26.0/${WABA_ID}/message_templates?name=x+y`],
      ['DELETE', '/v26.0/g_123/participants'],
    ]);
    expect(JSON.parse(seen[1].body.toString())).toEqual({
      messaging_product: 'whatsapp',
      participants: [{ user: '15551234567' }],
    });
  });

  it('multipart form: text fields and a file part, as Graph receives them', async () => {
    const bytes = Buffer.from('%PDF-1.4 tiny');
    await wa.graph.request({
      method: 'POST',
      path: `/${PHONE_ID}/media`,
      form: {
        messaging_product: 'whatsapp',
        type: 'application/pdf',
        count: 2,
        file: { data: bytes, filename: 'invoice.pdf', contentType: 'application/pdf' },
        omitted: undefined,
      },
    });
    const req = seen[0];
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(req.body, {
      headers: { 'content-type': req.headers['content-type'] as string },
    }).formData();
    expect(form.get('messaging_product')).toBe('whatsapp');
    expect(form.get('count')).toBe('2');
    expect(form.has('omitted')).toBe(false);
    const file = form.get('file') as unknown as {
      name: string;
      type: string;
      arrayBuffer(): Promise<ArrayBuffer>;
    };
    expect(file.name).toBe('invoice.pdf');
    expect(file.type).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
  });
});

describe('graph.request: errors and retries', () => {
  it('a Graph error becomes a typed WhatsAppApiError', async () => {
    answers.push({
      status: 400,
      body: graphError(100, '(#100) Param fields is invalid', { error_subcode: 33 }),
    });
    const error = await rejection(
      wa.graph.request({ method: 'GET', path: '/123/whatsapp_business_profile' }),
    );
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 100,
      subcode: 33,
      fbtraceId: 'AbCdEf',
      method: 'GET',
      path: '/v26.0/123/whatsapp_business_profile',
      retryable: false,
    });
    expect(seen).toHaveLength(1);
  });

  it('a GET is retried on a 5xx, then succeeds', async () => {
    answers.push({ status: 500, body: graphError(2, 'Service unavailable') });
    answers.push({ status: 503, body: {} });
    answers.push({ status: 200, body: { id: '123' } });
    await expect(wa.graph.request({ method: 'GET', path: '/123' })).resolves.toEqual({ id: '123' });
    expect(seen).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('a POST is NOT retried after an answer that may follow an acceptance (500)', async () => {
    answers.push({ status: 500, body: graphError(1, 'An unknown error occurred') });
    const error = await rejection(
      wa.graph.request({
        method: 'POST',
        path: '/123/register',
        body: { messaging_product: 'whatsapp', pin: '123456' },
      }),
    );
    expect(error).toMatchObject({ status: 500, outcomeUnknown: true, attempts: 1 });
    expect(seen).toHaveLength(1);
  });

  it('a POST IS retried when the answer proves it was not processed (130429), a form rebuilt each time', async () => {
    answers.push({ status: 400, body: graphError(130429, 'Rate limit hit') });
    await wa.graph.request({
      method: 'POST',
      path: `/${PHONE_ID}/media`,
      form: {
        messaging_product: 'whatsapp',
        file: { data: Buffer.from('abc'), filename: 'a.txt' },
      },
    });
    expect(seen).toHaveLength(2);
    const strip = (s: Seen) => s.body.toString().replace(/-{2,}[\w-]+/g, '--B');
    expect(strip(seen[1])).toBe(strip(seen[0]));
    expect(seen[1].body.toString()).toContain('abc');
  });
});

describe('graph.request: accessToken for one call', () => {
  it('sends the per-call token instead of the module token', async () => {
    await wa.graph.request({ method: 'GET', path: '/999', accessToken: OTHER_TOKEN });
    await wa.graph.request({ method: 'GET', path: '/999' });
    expect(seen.map((s) => s.headers.authorization)).toEqual([
      `Bearer ${OTHER_TOKEN}`,
      `Bearer ${TOKEN}`,
    ]);
  });

  it('redacts the per-call token (and the module token) from an error that echoes them', async () => {
    answers.push((s) => ({
      status: 400,
      body: graphError(190, `Invalid token ${String(s.headers.authorization)} (module: ${TOKEN})`, {
        error_data: { details: `token=${OTHER_TOKEN.slice(4, 30)}` },
      }),
    }));
    const error = await rejection(
      wa.graph.request({ method: 'GET', path: '/999', accessToken: OTHER_TOKEN }),
    );
    expect(error).toBeInstanceOf(WhatsAppApiError);
    const everything = [
      String(error),
      (error as Error).message,
      (error as Error).stack ?? '',
      inspect(error, { depth: 10 }),
      JSON.stringify(error),
    ].join('\n');
    for (const secret of [OTHER_TOKEN, TOKEN, OTHER_TOKEN.slice(4, 30)]) {
      expect(everything).not.toContain(secret);
    }
    expect((error as WhatsAppApiError).code).toBe(190);
  });

  it('refuses a token that could break the header, without echoing it', async () => {
    const bad = `${OTHER_TOKEN}\r\nx-evil: 1`;
    const error = await rejection(
      wa.graph.request({ method: 'GET', path: '/999', accessToken: bad }),
    );
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe('accessToken');
    expect(String(error)).not.toContain(OTHER_TOKEN);
    expect(seen).toHaveLength(0);
  });
});

describe('graph.request: refused before any request', () => {
  const paths = [
    '',
    '/',
    '../me',
    '/123/../me',
    '/123/./x',
    '123?fields=x',
    '/123#x',
    '/123/%2e%2e/x',
    '/123%2Fx',
    'https://evil.example/123',
    '//evil.example/123',
    '/123//messages',
    '/123/messages/',
    '/ 123',
    '/123\\x',
    '/123\nx',
    '/v26.0',
    '/a/b/c/d/e/f/g/h/i',
    'x'.repeat(2000),
  ];
  it.each(paths)('path %j', async (path) => {
    const error = await rejection(wa.graph.request({ method: 'GET', path }));
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe('path');
    expect(seen).toHaveLength(0);
  });

  const others: Array<[string, unknown]> = [
    ['method', { method: 'PUT', path: '/123' }],
    ['method', { method: 'get', path: '/123' }],
    ['body', { method: 'GET', path: '/123', body: { a: 1 } }],
    ['form', { method: 'POST', path: '/123', body: {}, form: { a: '1' } }],
    ['form.file', { method: 'POST', path: '/123', form: { file: { a: 1 } } }],
    [
      'form.file.filename',
      { method: 'POST', path: '/123', form: { file: { data: Buffer.from('x'), filename: '' } } },
    ],
    ['query', { method: 'GET', path: '/123', query: 'fields=x' }],
    ['options', null],
  ];
  it.each(others)('%s', async (field, options) => {
    const error = await rejection(wa.graph.request(options as GraphRequestOptions));
    expect(error).toBeInstanceOf(WhatsAppValidationError);
    expect((error as WhatsAppValidationError).field).toBe(field);
    expect(seen).toHaveLength(0);
  });
});

describe('graph.request: one way to talk to Graph', () => {
  it('goes through the outbound limiter for a message send (and only then)', async () => {
    const acquired: unknown[] = [];
    const limiter: OutboundLimiter = { acquire: async (send) => void acquired.push(send) };
    const limited = client({ outboundLimiter: limiter });
    try {
      await limited.graph.request({
        method: 'POST',
        path: `/${PHONE_ID}/messages`,
        body: {
          messaging_product: 'whatsapp',
          to: '15551234567',
          type: 'text',
          text: { body: 'x' },
        },
      });
      await limited.graph.request({
        method: 'POST',
        path: `/${PHONE_ID}/messages`,
        body: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.X' },
      });
      await limited.messages.sendText({ recipient: 'US.134912', text: { body: 'y' } });
      await limited.graph.request({ method: 'GET', path: `/${PHONE_ID}` });
      expect(acquired).toEqual([
        { phoneNumberId: PHONE_ID, recipient: '15551234567' },
        { phoneNumberId: PHONE_ID, recipient: 'US.134912' },
      ]);
    } finally {
      await limited.close();
    }
  });

  it('every namespace method calls graph.request', async () => {
    const spy = jest.spyOn(wa.graph, 'request');
    try {
      answers.push({
        status: 200,
        body: { messaging_product: 'whatsapp', contacts: [], messages: [{ id: 'w' }] },
      });
      await wa.messages.sendText({ to: '15551234567', text: { body: 'x' } });
      await wa.messages.markAsRead({ messageId: 'wamid.X' });
      await wa.media.upload({ file: Buffer.from('x'), mimeType: 'text/plain' });
      await wa.media.get('m1');
      await wa.media.delete('m1');
      answers.push({ status: 200, body: { data: [] } });
      await wa.templates.list();
      await wa.templates.get('t1');
      await wa.templates.create({
        name: 'n',
        language: 'en',
        category: 'UTILITY',
        library_template_name: 'x',
      });
      await wa.templates.update('t1', { category: 'UTILITY' });
      await wa.templates.delete({ name: 'n' });
      await wa.accounts.listPhoneNumbers();
      await wa.accounts.getPhoneNumber('p1');
      await wa.business.listAccounts({ businessId: 'b1' });
      expect(spy.mock.calls.map(([o]) => `${o.method} ${o.path}`)).toEqual([
        `POST /${PHONE_ID}/messages`,
        `POST /${PHONE_ID}/messages`,
        `POST /${PHONE_ID}/media`,
        'GET /m1',
        'DELETE /m1',
        `GET /${WABA_ID}/message_templates`,
        'GET /t1',
        `POST /${WABA_ID}/message_templates`,
        'POST /t1',
        `DELETE /${WABA_ID}/message_templates`,
        `GET /${WABA_ID}/phone_numbers`,
        'GET /p1',
        'GET /b1/owned_whatsapp_business_accounts',
      ]);
      expect(seen).toHaveLength(13);
    } finally {
      spy.mockRestore();
    }
  });
});
