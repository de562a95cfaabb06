import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WhatsAppService } from '../../lib/client/whatsapp.service.js';
import { WhatsAppValidationError } from '../../lib/client/errors/whatsapp-validation.error.js';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import { createClient } from '../client/client-test-helper.js';
import { FUZZ_SEED } from './support/fuzz-config.js';

// Outbound ids and URLs fuzzed through the real client against the fake Graph API: an id either
// is refused before any request (WhatsAppValidationError naming the field) or reaches exactly
// `/v26.0/<id>`; `media.download` of a URL only ever goes to an allowed host (SSRF), never with
// the token anywhere else.

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

  it('media.download(url): the bearer token only goes to allowed hosts over https, or to the Graph origin', async () => {
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
      fc.constant(null).map(() => `${fake.baseUrl}/v26.0/media-file?x=1`),
    );
    await fc.assert(
      fc.asyncProperty(urls, async (url) => {
        fake.reset();
        const outcome = await wa.media.download(url).then(
          (download) => download,
          (error: unknown) => error,
        );
        const parsed = URL.canParse(url) ? new URL(url) : undefined;
        const toGraph = parsed?.origin === new URL(fake.baseUrl).origin;
        if (!toGraph) {
          // No fetch to anything but the fake happens in this test: other hosts must be refused up front
          // (an allowed Meta host would be refused here only by the network, which is not reached).
          const allowedMeta =
            parsed?.protocol === 'https:' &&
            parsed.username === '' &&
            parsed.password === '' &&
            ['lookaside.fbsbx.com', 'lookaside.facebook.com', 'scontent.whatsapp.net'].includes(
              parsed.hostname,
            );
          if (!allowedMeta) expect(outcome).toBeInstanceOf(WhatsAppValidationError);
        }
        for (const request of fake.requests)
          expect(request.headers.host).toBe(new URL(fake.baseUrl).host);
      }),
      { seed: FUZZ_SEED, numRuns: 400 },
    );
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
        await wa.media.download(`${fake.baseUrl}/v26.0/media-file`).then(
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
