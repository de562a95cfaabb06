import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WhatsAppService } from '../../lib/client/whatsapp.service.js';
import { WhatsAppValidationError } from '../../lib/errors/whatsapp-validation.error.js';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import { createClient } from '../client/client-test-helper.js';
import { FUZZ_SEED } from './support/fuzz-config.js';

// Outbound ids and URLs fuzzed through the real client against the fake Graph API: an id either
// is refused before any request (WhatsAppValidationError naming the field) or reaches exactly
// `/v26.0/<id>`; `media.download` of a URL only ever goes to an allowed host on port 443, or to
// Meta's media path on the Graph origin (SSRF), never with the token anywhere else.

const SAFE = /^[A-Za-z0-9_-]{1,128}$/;
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '..',
    '../me',
    'a/b',
    '123?fields=x',
    '123#x',
    '%2F',
    '123%2F..',
    ' 1',
    '1 ',
    'me/messages',
    '\u0000',
    '１２３',
    'a'.repeat(129),
  ),
  fc
    .array(fc.constantFrom('1', '/', '.', '?', '#', '%', '2', 'F', ' ', '-', '_', '\\', '&', '='), {
      minLength: 1,
      maxLength: 12,
    })
    .map((c) => c.join('')),
);

describe('outbound ids and download URLs, fuzzed through the real client', () => {
  let fake: FakeGraphApi;
  let wa: WhatsAppService;

  beforeAll(async () => {
    fake = await FakeGraphApi.start();
    wa = createClient(fake, { retry: false });
  });
  afterAll(async () => {
    await wa?.close();
    await fake?.close();
  });

  const calls: Array<[string, (wa: WhatsAppService, id: string) => Promise<unknown>]> = [
    ['media.get', (w, id) => w.media.get(id)],
    ['media.delete', (w, id) => w.media.delete(id)],
    ['templates.get', (w, id) => w.templates.get(id)],
    ['accounts.getPhoneNumber', (w, id) => w.accounts.getPhoneNumber(id)],
    [
      'sendText from phoneNumberId',
      (w, id) => w.messages.sendText({ to: '15551234567', text: { body: 'x' }, phoneNumberId: id }),
    ],
  ];

  it.each(calls)(
    '%s: a hostile id is refused before any request, a safe one reaches exactly its path',
    async (_name, call) => {
      await fc.assert(
        fc.asyncProperty(hostile, async (id) => {
          fake.reset();
          const outcome = await call(wa, id).then(
            () => 'ok',
            (error: unknown) => error,
          );
          if (!SAFE.test(id)) {
            expect(outcome).toBeInstanceOf(WhatsAppValidationError);
            expect(fake.requests).toHaveLength(0);
            return;
          }
          // A safe id goes out, to its own path segment and nowhere else.
          expect(fake.requests.length).toBeGreaterThanOrEqual(1);
          for (const request of fake.requests) expect(request.path.split('/')[2]).toBe(id);
        }),
        { seed: FUZZ_SEED, numRuns: 300 },
      );
    },
  );

  it('media.download(url): the bearer token only goes to allowed hosts over https on 443, or to the media path of the Graph origin', async () => {
    const graph = new URL(fake.baseUrl);
    const META = ['lookaside.fbsbx.com', 'lookaside.facebook.com', 'scontent.whatsapp.net'];
    const paths = fc.oneof(
      fc.webPath(),
      fc.constantFrom(
        '/whatsapp_business/attachments/',
        '/whatsapp_business/attachments',
        '/v26.0/me',
        '/v26.0/123/messages',
        '/whatsapp_business/attachments/../../v26.0/me',
        '/whatsapp_business/attachments/%2e%2e/x',
        '/WHATSAPP_BUSINESS/ATTACHMENTS/',
      ),
    );
    const queries = fc.constantFrom('', '?mid=1', '?mid=1&method=post', '?x=1#f');
    const urls = fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom(
        'http://169.254.169.254/latest/meta-data/',
        'http://127.0.0.1:6379/',
        'http://localhost/admin',
        'https://lookaside.fbsbx.com.evil.example/x',
        'https://evil.example/lookaside.fbsbx.com',
        'https://user:pass@lookaside.fbsbx.com/x',
        'http://lookaside.fbsbx.com/x',
        'https://[::1]/x',
        'file:///etc/passwd',
        'gopher://127.0.0.1:25/',
        `${'https'}://LOOKASIDE.FBSBX.COM@evil.example/`,
      ),
      // The Graph origin with any path: only Meta's media path goes out.
      fc.tuple(paths, queries).map(([path, query]) => `${fake.baseUrl}${path}${query}`),
      // The Graph host on another port or scheme, Meta's hosts on any port.
      fc
        .tuple(fc.constantFrom('http', 'https'), fc.integer({ min: 1, max: 65535 }), queries)
        .map(
          ([scheme, port, query]) =>
            `${scheme}://${graph.hostname}:${port}/whatsapp_business/attachments/${query}`,
        ),
      fc
        .tuple(fc.constantFrom(...META), fc.integer({ min: 0, max: 65535 }), paths)
        .map(([host, port, path]) => `https://${host}:${port}${path}`),
    );
    await fc.assert(
      fc.asyncProperty(urls, async (url) => {
        fake.reset();
        const outcome = await wa.media.download(url).then(
          (download) => download,
          (error: unknown) => error,
        );
        const parsed = URL.canParse(url) ? new URL(url) : undefined;
        const toGraph = parsed?.origin === graph.origin;
        if (toGraph) {
          if (parsed?.pathname !== '/whatsapp_business/attachments/') {
            expect(outcome).toBeInstanceOf(WhatsAppValidationError);
            expect(fake.requests).toHaveLength(0);
          }
        } else {
          // No fetch to anything but the fake happens in this test: other hosts must be refused up front
          // (an allowed Meta host would be refused here only by the network, which is not reached).
          const allowedMeta =
            parsed?.protocol === 'https:' &&
            parsed.username === '' &&
            parsed.password === '' &&
            parsed.port === '' &&
            META.includes(parsed.hostname);
          if (!allowedMeta) expect(outcome).toBeInstanceOf(WhatsAppValidationError);
        }
        for (const request of fake.requests) {
          expect(request.headers.host).toBe(graph.host);
          expect(request.path).toBe('/whatsapp_business/attachments/');
        }
      }),
      { seed: FUZZ_SEED, numRuns: 400 },
    );
  });

  it('media.download: a loopback server on another port of an allowed host receives nothing', async () => {
    let connections = 0;
    const internal = createServer((_req, res) => res.end('secret internal data'));
    internal.on('connection', () => connections++);
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    // `localhost` allowed as a media host, and 127.0.0.1 as the Graph origin's host.
    const lenient = createClient(fake, { retry: false, mediaDownloadHosts: ['localhost'] });
    try {
      const port = (internal.address() as AddressInfo).port;
      const media = '/whatsapp_business/attachments/?mid=1';
      const refused: Array<[string, RegExp]> = [
        [`http://127.0.0.1:${port}${media}`, /Graph API origin .* exactly/],
        [`https://127.0.0.1:${port}${media}`, /Graph API origin .* exactly/],
        [`https://localhost:${port}${media}`, /port \d+ is not allowed/],
        [`https://localhost:${port}/admin`, /port \d+ is not allowed/],
        [`${fake.baseUrl}/v26.0/me`, /not a media path/],
      ];
      const outcomes: unknown[] = [];
      for (const [url] of refused) {
        outcomes.push(
          await lenient.media.download(url).then(
            () => 'downloaded',
            (e: unknown) => e,
          ),
        );
      }
      // Nothing reached the internal server, not even a TLS handshake.
      expect(connections).toBe(0);
      refused.forEach(([, why], i) => {
        expect(outcomes[i]).toBeInstanceOf(WhatsAppValidationError);
        expect((outcomes[i] as WhatsAppValidationError).field).toBe('url');
        expect((outcomes[i] as WhatsAppValidationError).reason).toMatch(why);
      });
    } finally {
      await lenient.close();
      internal.closeAllConnections();
      await new Promise<void>((resolve) => internal.close(() => resolve()));
    }
  });

  it('media.download never follows a redirect (the token would go to wherever it points)', async () => {
    let reached = 0;
    const internal = createServer((_req, res) => {
      reached++;
      res.end('secret internal data');
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    try {
      const target = `http://127.0.0.1:${(internal.address() as AddressInfo).port}/admin`;
      for (const status of [301, 302, 303, 307, 308]) {
        fake.reset();
        fake.answerNext({ status, headers: { location: target }, body: '' });
        await wa.media.download(`${fake.baseUrl}/whatsapp_business/attachments/?mid=1`).then(
          async (download) => {
            // Whatever the client makes of the answer, it is the fake's, not the internal server's.
            const bytes = await download.toBuffer();
            expect(bytes.toString()).not.toContain('secret internal data');
          },
          () => undefined,
        );
        expect(fake.requests).toHaveLength(1);
      }
      expect(reached).toBe(0);
    } finally {
      await new Promise<void>((resolve) => internal.close(() => resolve()));
    }
  });
});
