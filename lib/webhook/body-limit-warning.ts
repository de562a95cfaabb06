import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WHATSAPP_WEBHOOK_PATH } from '../whatsapp.constants.js';

interface HttpError {
  status?: unknown;
  statusCode?: unknown;
}

interface PathRequest {
  originalUrl?: string;
  url?: string;
}

type ErrorMiddleware = (
  error: unknown,
  req: PathRequest,
  res: unknown,
  next: (error?: unknown) => void,
) => void;

/** Meta's largest delivery (1000 updates). */
export const META_MAX_WEBHOOK_BYTES = '3 MB';

/**
 * Says loudly, once, when the JSON body parser refused a webhook POST as too large (413). Nest's
 * default limit is 100 kB, Meta sends up to 3 MB, and a refused batch is redelivered for days and
 * refused again, so this is a silent outage unless someone says it.
 *
 * On Express it is an error-handling middleware added before Nest's own error handler (it only
 * logs, then passes the error on, so the answer stays Nest's 413).
 */
@Injectable()
export class BodyLimitWarning implements OnModuleInit {
  private readonly logger = new Logger('WhatsAppWebhook');
  private warned = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(WHATSAPP_WEBHOOK_PATH) private readonly webhookPath: string | false,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as
      { getType(): string; use(handler: ErrorMiddleware): unknown } | undefined;
    if (this.webhookPath === false || adapter === undefined || adapter.getType() !== 'express')
      return;
    const suffix = `/${this.webhookPath}`;
    adapter.use((error, req, _res, next) => {
      if (!this.warned && isTooLarge(error) && pathOf(req).endsWith(suffix)) {
        this.warned = true;
        this.logger.error(
          `A webhook POST to ${suffix} was refused with 413: its body is larger than the JSON body limit. Meta sends up to ${META_MAX_WEBHOOK_BYTES} per delivery and retries a refused one for days. Raise the limit: app.useBodyParser('json', { limit: '3mb' }) (with NestFactory.create(AppModule, { rawBody: true })).`,
        );
      }
      next(error);
    });
  }
}

function isTooLarge(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { status, statusCode } = error as HttpError;
  return status === 413 || statusCode === 413;
}

function pathOf(req: PathRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
