import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { WhatsAppModule, WhatsAppService, type WhatsAppModuleOptions } from '../../lib/index.js';
import type { WhatsAppServiceInternals } from '../../lib/client/whatsapp.service.js';
import { resolveWhatsAppOptions } from '../../lib/options/resolve-options.js';
import { FAKE_IDS, type FakeGraphApi } from '../../lib/testing/index.js';

/** A token shaped like a real one, so leaks are easy to spot in assertions. */
export const TOKEN = 'EAAG-secret-test-token-0123456789abcdef';
export const PHONE_ID = FAKE_IDS.phoneNumberId;
export const WABA_ID = FAKE_IDS.businessAccountId;
export const API = '/v26.0';

function baseOptions(
  fake: FakeGraphApi,
  overrides: Partial<WhatsAppModuleOptions>,
): WhatsAppModuleOptions {
  return {
    accessToken: TOKEN,
    baseUrl: fake.baseUrl,
    phoneNumberId: PHONE_ID,
    businessAccountId: WABA_ID,
    // Tiny delays keep retry tests fast without fake timers.
    retry: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 50 },
    ...overrides,
  };
}

export interface NestClient {
  service: WhatsAppService;
  moduleRef: TestingModule;
  close(): Promise<void>;
}

/** Builds WhatsAppService the way an app does: `WhatsAppModule.forRoot` in a Nest testing module. */
export async function createNestClient(
  fake: FakeGraphApi,
  overrides: Partial<WhatsAppModuleOptions> = {},
): Promise<NestClient> {
  const moduleRef = await Test.createTestingModule({
    imports: [WhatsAppModule.forRoot({ ...baseOptions(fake, overrides), webhookPath: false })],
  }).compile();
  return {
    service: moduleRef.get(WhatsAppService),
    moduleRef,
    close: () => moduleRef.close(),
  };
}

/** Direct construction, for tests that do not need Nest. Call `close()` on the result. */
export function createClient(
  fake: FakeGraphApi,
  overrides: Partial<WhatsAppModuleOptions> = {},
  internals: WhatsAppServiceInternals = {},
): WhatsAppService {
  return new WhatsAppService(
    resolveWhatsAppOptions(baseOptions(fake, overrides), false),
    internals,
  );
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}
