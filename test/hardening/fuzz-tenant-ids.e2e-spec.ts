import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { WhatsAppService } from '../../lib/client/whatsapp.service.js';
import { WhatsAppValidationError } from '../../lib/errors/whatsapp-validation.error.js';
import { FakeGraphApi } from '../../lib/testing/fake-graph-api.js';
import { createClient } from '../client/client-test-helper.js';
import { FUZZ_SEED } from './support/fuzz-config.js';

// Issue 14's ids (per-call phoneNumberId / businessAccountId overrides, forAccount ids, QR codes,
// block lists, subscriptions, upload sessions) fuzzed through the real client against the loopback
// fake Graph: a hostile id is refused before any request with a WhatsAppValidationError, a safe one
// reaches exactly the intended path (never another endpoint, never extra query parameters).

const SAFE = /^[A-Za-z0-9_-]{1,128}$/;
const TENANT_TOKEN = 'EAAG-tenant-token-fuzz-0123456789';
const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '..',
    '.',
    '../me',
    'a/b',
    '123/messages',
    '123?fields=x',
    '123&access_token=x',
    '123#x',
    '%2F',
    '123%2F..',
    ' 1',
    '1\n',
    'v25.0',
    'me/messages',
    '\u0000',
    '１２３',
    '__proto__',
    'a'.repeat(129),
  ),
  fc
    .array(fc.constantFrom('1', '/', '.', '?', '#', '%', '2', 'F', ' ', '-', '_', '\\', '&', '='), {
      minLength: 1,
      maxLength: 12,
    })
    .map((c) => c.join('')),
);

type Call = (wa: WhatsAppService, id: string) => Promise<unknown>;
/** name, the call, the exact path (after `/v26.0`) it must reach with a safe id. */
const calls: Array<[string, Call, (id: string) => string]> = [
  ['phoneNumbers.get', (w, id) => w.phoneNumbers.get({ phoneNumberId: id }), (id) => `/${id}`],
  [
    'phoneNumbers.register',
    (w, id) => w.phoneNumbers.register({ phoneNumberId: id, pin: '123456' }),
    (id) => `/${id}/register`,
  ],
  [
    'phoneNumbers.requestCode',
    (w, id) =>
      w.phoneNumbers.requestCode({ phoneNumberId: id, code_method: 'SMS', language: 'en_US' }),
    (id) => `/${id}/request_code`,
  ],
  [
    'profile.get',
    (w, id) => w.profile.get({ phoneNumberId: id }),
    (id) => `/${id}/whatsapp_business_profile`,
  ],
  [
    'qrCodes.list',
    (w, id) => w.qrCodes.list({ phoneNumberId: id }),
    (id) => `/${id}/message_qrdls`,
  ],
  [
    'qrCodes.get(code)',
    (w, id) => w.qrCodes.get(id),
    (id) => `/${FakeGraphApi.ids.phoneNumberId}/message_qrdls/${id}`,
  ],
  [
    'qrCodes.delete(code)',
    (w, id) => w.qrCodes.delete(id),
    (id) => `/${FakeGraphApi.ids.phoneNumberId}/message_qrdls/${id}`,
  ],
  [
    'blockedUsers.block',
    (w, id) => w.blockedUsers.block({ phoneNumberId: id, users: ['15551234567'] }),
    (id) => `/${id}/block_users`,
  ],
  [
    'blockedUsers.list',
    (w, id) => w.blockedUsers.list({ phoneNumberId: id }),
    (id) => `/${id}/block_users`,
  ],
  [
    'subscriptions.list',
    (w, id) => w.subscriptions.list({ businessAccountId: id }),
    (id) => `/${id}/subscribed_apps`,
  ],
  [
    'subscriptions.unsubscribe',
    (w, id) => w.subscriptions.unsubscribe({ businessAccountId: id }),
    (id) => `/${id}/subscribed_apps`,
  ],
  [
    'templates.list',
    (w, id) => w.templates.list({ businessAccountId: id }),
    (id) => `/${id}/message_templates`,
  ],
  [
    'templates.update',
    (w, id) => w.templates.update(id, { category: 'UTILITY' }),
    (id) => `/${id}`,
  ],
  [
    'business.listAccounts',
    (w, id) => w.business.listAccounts({ businessId: id }),
    (id) => `/${id}/owned_whatsapp_business_accounts`,
  ],
  [
    'uploads.createSession(appId)',
    (w, id) =>
      w.uploads.createSession({
        appId: id,
        file_name: 'a.png',
        file_length: 10,
        file_type: 'image/png',
      }),
    (id) => `/${id}/uploads`,
  ],
  [
    'forAccount(phoneNumberId).profile.get',
    (w, id) => w.forAccount({ accessToken: TENANT_TOKEN, phoneNumberId: id }).profile.get(),
    (id) => `/${id}/whatsapp_business_profile`,
  ],
  [
    'forAccount(businessAccountId).subscriptions.subscribe',
    (w, id) =>
      w.forAccount({ accessToken: TENANT_TOKEN, businessAccountId: id }).subscriptions.subscribe(),
    (id) => `/${id}/subscribed_apps`,
  ],
  [
    'forAccount(phoneNumberId).messages.sendText',
    (w, id) =>
      w
        .forAccount({ accessToken: TENANT_TOKEN, phoneNumberId: id })
        .messages.sendText({ to: '15551234567', text: { body: 'x' } }),
    (id) => `/${id}/messages`,
  ],
];

describe('tenant and management ids, fuzzed through the real client', () => {
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

  it.each(calls)(
    '%s: a hostile id is refused before any request, a safe one reaches exactly its path',
    async (_name, call, expected) => {
      await fc.assert(
        fc.asyncProperty(hostile, async (id) => {
          fake.reset();
          // forAccount() refuses synchronously; the namespaces reject.
          const outcome = await Promise.resolve()
            .then(() => call(wa, id))
            .then(
              () => 'ok',
              (error: unknown) => error,
            );
          if (!SAFE.test(id)) {
            expect(outcome).toBeInstanceOf(WhatsAppValidationError);
            expect(fake.requests).toHaveLength(0);
            return;
          }
          expect(fake.requests).toHaveLength(1);
          expect(fake.requests[0].path).toBe(`/v26.0${expected(id)}`);
          expect(Object.keys(fake.requests[0].query)).not.toContain('access_token');
        }),
        { seed: FUZZ_SEED, numRuns: 150 },
      );
    },
  );

  // Session ids are `upload:<base64>[?sig=…]`, as createSession returns them: the id is one path
  // segment, the signature only ever the `sig` query parameter.
  const sessionIds = fc.oneof(
    hostile.map((s) => `upload:${s}`),
    fc
      .tuple(hostile, hostile)
      .map(([id, sig]) => `upload:${id.replace(/^$/, 'x')}?sig=${sig.replace(/^$/, 'x')}`),
    fc.constantFrom(
      'upload:abc/subscribed_apps',
      'upload:abc/../../me',
      'upload:a/b/c',
      'upload:abc?sig=%',
      'upload:abc?sig=%E0%A4%A',
      'upload:abc?sig=x&access_token=y',
      'upload:abc?sig=x%26access_token%3Dy',
    ),
  );

  it.each([
    ['uploads.getSession', (w: WhatsAppService, id: string) => w.uploads.getSession(id)],
    [
      'uploads.upload',
      (w: WhatsAppService, id: string) => w.uploads.upload(id, new Uint8Array([1, 2, 3])),
    ],
  ])(
    '%s: a session id reaches one path segment, its signature only the sig parameter',
    async (_name, call) => {
      await fc.assert(
        fc.asyncProperty(sessionIds, async (sessionId) => {
          fake.reset();
          const outcome = await call(wa, sessionId).then(
            () => 'ok',
            (error: unknown) => error,
          );
          if (fake.requests.length === 0) {
            // Refused up front: with a clear validation error, not a URIError from decoding.
            expect(outcome).toBeInstanceOf(WhatsAppValidationError);
            return;
          }
          expect(fake.requests).toHaveLength(1);
          const [request] = fake.requests;
          const segments = request.path.split('/');
          expect(segments).toHaveLength(3);
          // The id as one segment (a "/" of base64 percent-encoded), the rest is only the signature.
          expect(segments[2]).toMatch(/^upload:[A-Za-z0-9+=%_-]+$/);
          expect(sessionId.split('?sig=')[0]).toBe(decodeURIComponent(segments[2]));
          expect(Object.keys(request.query).filter((k) => k !== 'sig')).toEqual([]);
        }),
        { seed: FUZZ_SEED, numRuns: 200 },
      );
    },
  );
});
