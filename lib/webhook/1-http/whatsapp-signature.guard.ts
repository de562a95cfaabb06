import {
  BadRequestException,
  HttpException,
  Inject,
  Injectable,
  InternalServerErrorException,
  Logger,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WHATSAPP_OPTIONS } from '../../whatsapp.constants.js';
import { hasPrototypeKeys } from './signed-body/prototype-keys.js';
import {
  parseContentType,
  refuseSignedBody,
  UNSIGNED,
  type SignedBodyRefusal,
} from './signed-body/signed-body-refusal.js';
import { isVerifiedBody } from './signed-body/verified-body.js';
import { toSigningKeys, verifyWebhookSignature } from './verify-signature.js';

/** The part of an Express or Fastify request the guard reads. */
interface SignedRequest {
  headers: IncomingHttpHeaders;
  rawBody?: Buffer;
  body?: unknown;
}

const EMPTY = Buffer.alloc(0);
/** At most one "rawBody missing" log line per minute, so a misconfigured app under Meta's retries does not flood its logs. */
const MISCONFIGURATION_LOG_INTERVAL_MS = 60_000;

function hasBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function toException(refusal: SignedBodyRefusal): HttpException {
  switch (refusal.status) {
    case 401:
      return new UnauthorizedException(refusal.message);
    case 413:
      return new PayloadTooLargeException(refusal.message);
    case 415:
      return new UnsupportedMediaTypeException(refusal.message);
    default:
      return new BadRequestException(refusal.message);
  }
}

/**
 * The JSON of a verified body. Nest 11's Fastify adapter, set up with
 * `app.useBodyParser('application/json', { bodyLimit })`, leaves `req.body` a Buffer (a string with
 * some parsers): the signed bytes are parsed here, or every webhook would be ignored with 200.
 */
function parsedBodyOf(body: unknown, raw: Buffer): unknown {
  if (!Buffer.isBuffer(body) && typeof body !== 'string') return body;
  try {
    // The bytes were signed and are UTF-8 (the refusal table checked the charset); a BOM is allowed.
    return JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch {
    throw new BadRequestException('The signed body is not JSON');
  }
}

/**
 * Lets a webhook POST through only when `X-Hub-Signature-256` is Meta's HMAC-SHA256 of the exact
 * request bytes (`req.rawBody`) under one of the configured app secrets; 401 otherwise. The parsed
 * body is never re-serialised: that would change Meta's `\u00e9` and `\/` escapes and break the HMAC.
 *
 * Unsigned requests never get here on Express and Fastify: WebhookSignedBody refuses them before
 * the body parsers run. The guard checks again (the same table, signed-body-refusal.ts), answers
 * 500 when the app does not keep `rawBody`, and refuses `__proto__` keys that Express's parser
 * keeps and Fastify's refuses. When the streamed check verified this request, the guard compares
 * `req.rawBody` with the bytes it verified (same header, same secrets) instead of computing the
 * HMAC again; any difference, or no streamed check, and it computes the HMAC as before.
 */
@Injectable()
export class WhatsAppSignatureGuard implements CanActivate {
  private readonly logger = new Logger(WhatsAppSignatureGuard.name);
  private readonly keys: readonly KeyObject[];
  private lastMisconfigurationLog = -Infinity;

  constructor(@Inject(WHATSAPP_OPTIONS) options: ResolvedWhatsAppOptions) {
    this.keys = toSigningKeys(options.appSecrets);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SignedRequest>();
    const headers = request.headers;
    const raw = this.rawBodyOf(request);
    const signature = headers['x-hub-signature-256'];
    // The streamed check already hashed these very bytes under this header: a memcmp, not a second HMAC.
    const verified =
      isVerifiedBody(request, raw, signature, this.keys) ||
      verifyWebhookSignature(raw, signature, this.keys);
    const refusal = refuseSignedBody(headers, verified, raw);
    if (refusal !== undefined) throw toException(refusal);
    request.body = parsedBodyOf(request.body, raw);
    if (hasPrototypeKeys(raw, request.body)) {
      throw new BadRequestException('A __proto__ or constructor.prototype key is not accepted');
    }
    return true;
  }

  private rawBodyOf(request: SignedRequest): Buffer {
    const raw = request.rawBody;
    const headers = request.headers;
    if (raw !== undefined) return raw;
    // The body parser skips an empty body and leaves no rawBody: that is zero bytes.
    if (!hasBody(headers)) return EMPTY;
    // No parser read these bytes (not application/json): nothing can show they are signed.
    if (
      request.body === undefined &&
      parseContentType(headers['content-type'])?.mediaType !== 'application/json'
    ) {
      throw toException(UNSIGNED);
    }
    // A JSON parser read the body and did not keep its bytes: rawBody really is off.
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
