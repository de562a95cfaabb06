import type { Provider } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { WhatsAppModule, type WhatsAppModuleOptions } from '../../lib/index.js';
import type { WhatsAppSandbox } from '../../lib/sandbox/index.js';

export interface AppOnSandboxOptions {
  /** WhatsAppModule options; `baseUrl` is the sandbox's, ids default to its first business, `retry: false`. */
  module: Omit<WhatsAppModuleOptions, 'baseUrl'>;
  providers: Provider[];
  /** Meta sends up to 3 MB: raise the JSON limit (media-heavy tests). */
  largeBodies?: boolean;
  logger?: false;
}

/**
 * A real Nest app (`rawBody: true`, loopback, port 0) whose WhatsAppModule talks to `sandbox`, and
 * the sandbox's webhooks pointed at it. Close both (sandbox first) when done.
 */
export async function startAppOnSandbox(
  sandbox: WhatsAppSandbox,
  options: AppOnSandboxOptions,
): Promise<NestExpressApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      WhatsAppModule.forRoot({
        phoneNumberId: sandbox.phoneNumberId,
        businessAccountId: sandbox.businessAccountId,
        retry: false,
        ...options.module,
        baseUrl: sandbox.baseUrl,
      }),
    ],
    providers: options.providers,
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    rawBody: true,
    ...(options.logger === false ? { logger: false } : {}),
  });
  if (options.largeBodies) app.useBodyParser('json', { limit: '3mb' });
  await app.listen(0, '127.0.0.1');
  sandbox.setWebhookUrl(`${await app.getUrl()}/whatsapp/webhook`.replace('[::1]', '127.0.0.1'));
  return app;
}

/** Resolves once `test` holds, re-checked on every change of the sandbox; bounded by jest's timeout. */
export function sandboxUntil(sandbox: WhatsAppSandbox, test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!test()) return;
      sandbox.store.off('event', check);
      resolve();
    };
    sandbox.store.on('event', check);
    check();
  });
}
