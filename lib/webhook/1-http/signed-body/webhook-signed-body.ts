import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { ResolvedWhatsAppOptions } from '../../../options/resolve-options.js';
import { WHATSAPP_OPTIONS, WHATSAPP_WEBHOOK_PATH } from '../../../whatsapp.constants.js';
import { toSigningKeys } from '../verify-signature.js';
import { installExpressSignedBody, type ExpressApp } from './express-signed-body.js';
import { installFastifySignedBody, type FastifyApp } from './fastify-signed-body.js';
import { webhookRoutePath, type PrefixConfig } from './webhook-route-path.js';

/**
 * The most bytes read from a webhook POST before its signature can be checked: above Meta's
 * largest delivery (1000 updates, 3 MB) with room to spare, and a bound on what an unsigned
 * request can make the process buffer and hash. Bodies above it are answered 413 unread.
 */
export const WEBHOOK_MAX_BODY_BYTES = 4 * 1024 * 1024;

interface Adapter {
  getType(): string;
  getInstance(): unknown;
}

/**
 * Installs the signature check ahead of the platform's body parsers, for the webhook's POST route
 * only: an unsigned or wrongly signed POST costs one streamed HMAC and is answered 401 before any
 * JSON parsing or decompression; a signed one reaches the app's own parser untouched. Nothing to
 * set up: it runs in `onModuleInit`, after Nest registered the routes and the parsers. The guard
 * stays behind it (it checks `req.rawBody` again and answers 500 when `rawBody` is off).
 */
@Injectable()
export class WebhookSignedBody implements OnModuleInit {
  private readonly logger = new Logger('WhatsAppWebhook');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    @Inject(WHATSAPP_WEBHOOK_PATH) private readonly webhookPath: string | false,
    @Inject(WHATSAPP_OPTIONS) private readonly options: ResolvedWhatsAppOptions,
  ) {}

  onModuleInit(): void {
    // `null` in an application context (NestFactory.createApplicationContext): no HTTP.
    const adapter = this.adapterHost.httpAdapter as Adapter | null | undefined;
    if (this.webhookPath === false || adapter === null || adapter === undefined) return;
    const path = webhookRoutePath(this.prefixConfig(), this.webhookPath);
    const keys = toSigningKeys(this.options.appSecrets);
    const type = adapter.getType();
    const warnNoRoute = (): void =>
      this.logger.warn(
        `No ${type} POST route found at ${path}: the webhook signature is checked after the body is parsed, not before`,
      );
    if (type === 'fastify') {
      installFastifySignedBody(
        adapter.getInstance() as FastifyApp,
        path,
        keys,
        WEBHOOK_MAX_BODY_BYTES,
        warnNoRoute,
      );
      return;
    }
    if (
      type === 'express' &&
      installExpressSignedBody(
        adapter.getInstance() as ExpressApp,
        path,
        keys,
        WEBHOOK_MAX_BODY_BYTES,
      )
    ) {
      return;
    }
    warnNoRoute();
  }

  /** Nest keeps the global prefix in the container's ApplicationConfig, which no provider exposes. */
  private prefixConfig(): PrefixConfig | undefined {
    return (this.moduleRef as unknown as { container?: { applicationConfig?: PrefixConfig } })
      .container?.applicationConfig;
  }
}
