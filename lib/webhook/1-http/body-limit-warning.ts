import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { WHATSAPP_WEBHOOK_PATH } from '../../whatsapp.constants.js';

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
type FastifyOnError = (req: PathRequest, reply: unknown, error: unknown, done: () => void) => void;

interface Adapter {
  getType(): string;
  use(handler: ErrorMiddleware): unknown;
  getInstance(): unknown;
}

/** Meta's largest delivery (1000 updates). */
export const META_MAX_WEBHOOK_BYTES = '3 MB';

/**
 * Says loudly, once, when the JSON body parser refused a webhook POST as too large (413). Nest's
 * default limit is 100 kB on Express (1 MiB on Fastify), Meta sends up to 3 MB, and a refused
 * batch is redelivered for days and refused again: a silent outage unless someone says it.
 *
 * On Express it is an error-handling middleware added before Nest's own error handler, on Fastify
 * an `onError` hook; both only log, so the answer stays the platform's 413.
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
    // `null` in an application context (NestFactory.createApplicationContext): no HTTP, nothing to watch.
    const adapter = this.adapterHost.httpAdapter as Adapter | null | undefined;
    if (this.webhookPath === false || adapter === null || adapter === undefined) return;
    const type = adapter.getType();
    if (type === 'express') {
      adapter.use((error, req, _res, next) => {
        this.check(error, req);
        next(error);
      });
    } else if (type === 'fastify') {
      const fastify = adapter.getInstance() as {
        addHook(name: 'onError', hook: FastifyOnError): unknown;
      };
      fastify.addHook('onError', (req, _reply, error, done) => {
        this.check(error, req);
        done();
      });
    }
  }

  private check(error: unknown, req: PathRequest): void {
    if (
      this.warned ||
      !isTooLarge(error) ||
      !pathOf(req).endsWith(`/${String(this.webhookPath)}`)
    ) {
      return;
    }
    this.warned = true;
    this.logger.error(
      `A webhook POST to /${String(this.webhookPath)} was refused with 413: its body is larger than the JSON body limit. Meta sends up to ${META_MAX_WEBHOOK_BYTES} per delivery and retries a refused one for days. Raise the limit: app.useBodyParser('json', { limit: '3mb' }) on Express, app.useBodyParser('application/json', { bodyLimit: 3 * 1024 * 1024 }) on Fastify (and create the app with { rawBody: true }).`,
    );
  }
}

function isTooLarge(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  return status === 413 || statusCode === 413;
}

function pathOf(req: PathRequest): string {
  const url = req.originalUrl ?? req.url ?? '';
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
