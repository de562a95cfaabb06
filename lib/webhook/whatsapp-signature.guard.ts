import {
  BadRequestException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedWhatsAppOptions } from '../options/resolve-options.js';
import { WHATSAPP_OPTIONS } from '../whatsapp.constants.js';
import { toSigningKeys, verifyWebhookSignature } from './verify-signature.js';

/** The part of an Express or Fastify request the guard reads. */
interface SignedRequest {
  headers: IncomingHttpHeaders;
  rawBody?: Buffer;
}

const EMPTY = Buffer.alloc(0);
/** At most one "rawBody missing" log line per minute, so a misconfigured app under Meta's retries does not flood its logs. */
const MISCONFIGURATION_LOG_INTERVAL_MS = 60_000;

function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return type !== undefined && type.toLowerCase().includes('json');
}

/**
 * Lets a webhook POST through only when `X-Hub-Signature-256` is Meta's HMAC-SHA256 of the exact
 * request bytes (`req.rawBody`) under one of the configured app secrets; 401 otherwise. The parsed
 * body is never re-serialised: that would change Meta's `\u00e9` and `\/` escapes and break the HMAC.
 */
@Injectable()
export class WhatsAppSignatureGuard implements CanActivate {
  private readonly logger = new Logger(WhatsAppSignatureGuard.name);
  private readonly keys: KeyObject[];
  private lastMisconfigurationLog = -Infinity;

  constructor(@Inject(WHATSAPP_OPTIONS) options: ResolvedWhatsAppOptions) {
    this.keys = toSigningKeys(options.appSecrets);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const headers = request.headers;
    if (
      !verifyWebhookSignature(this.rawBodyOf(request), headers['x-hub-signature-256'], this.keys)
    ) {
      throw new UnauthorizedException('Missing or invalid X-Hub-Signature-256');
    }
    return true;
  }

  private rawBodyOf(request: SignedRequest): Buffer {
    const raw = request.rawBody;
    const headers = request.headers;
    if (raw !== undefined) {
      // rawBody is also kept for urlencoded forms; Meta only ever sends JSON.
      if (raw.length > 0 && !isJson(headers)) throw new BadRequestException('Expected a JSON body');
      return raw;
    }
    // The body parser skips an empty body and leaves no rawBody: that is zero bytes.
    if (!hasBody(headers)) return EMPTY;
    // No parser reads this content type, so there are no bytes to check and nothing to parse.
    if (!isJson(headers)) throw new BadRequestException('Expected a JSON body');
    const now = Date.now();
    if (now - this.lastMisconfigurationLog >= MISCONFIGURATION_LOG_INTERVAL_MS) {
      this.lastMisconfigurationLog = now;
      this.logger.error(
        "req.rawBody is missing, so the webhook signature cannot be checked: create the app with NestFactory.create(AppModule, { rawBody: true }) (and raise the JSON limit with app.useBodyParser('json', { limit: '3mb' }))",
      );
    }
    throw new InternalServerErrorException('Webhook misconfigured: rawBody is not enabled');
  }
}
