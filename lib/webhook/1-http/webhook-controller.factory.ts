import {
  Controller,
  ForbiddenException,
  Get,
  Header,
  HttpCode,
  Inject,
  InternalServerErrorException,
  Logger,
  Post,
  Req,
  ServiceUnavailableException,
  UseGuards,
  VERSION_NEUTRAL,
  type Type,
} from '@nestjs/common';
import type { ResolvedWhatsAppOptions } from '../../options/resolve-options.js';
import { WHATSAPP_OPTIONS } from '../../whatsapp.constants.js';
import { VerifyTokenMatcher } from './verify-token.js';
import { WhatsAppSignatureGuard } from './whatsapp-signature.guard.js';
import { WhatsAppWebhookService, type WebhookAck } from './whatsapp-webhook.service.js';

/** The part of an Express or Fastify request the controller reads. */
interface WebhookRequest {
  query: Record<string, unknown>;
  body?: unknown;
}

function answer(ack: WebhookAck): void {
  if (ack === 'unavailable') {
    throw new ServiceUnavailableException('De-duplication store unavailable; Meta will redeliver');
  }
  if (ack === 'failed') {
    // Not logged here: the dispatcher logged each failed handler with its stack.
    throw new InternalServerErrorException(
      'A WhatsApp handler failed; Meta will redeliver the update',
    );
  }
}

/**
 * Builds the webhook controller class of one module instance, mounted at `path`. A new class per
 * call: two module instances never share (or overwrite) route metadata.
 */
export function createWebhookController(path: string): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class WhatsAppWebhookController {
    private readonly logger = new Logger('WhatsAppWebhookController');
    private readonly verifyToken: VerifyTokenMatcher;
    private warnedNoToken = false;

    constructor(
      private readonly webhook: WhatsAppWebhookService,
      @Inject(WHATSAPP_OPTIONS) options: ResolvedWhatsAppOptions,
    ) {
      this.verifyToken = new VerifyTokenMatcher(options.verifyToken);
    }

    /** Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` is ours. */
    @Get()
    @Header('Content-Type', 'text/plain; charset=utf-8')
    @Header('X-Content-Type-Options', 'nosniff')
    verify(@Req() request: WebhookRequest): string {
      const query = request.query;
      const challenge = query['hub.challenge'];
      if (!this.verifyToken.configured && !this.warnedNoToken) {
        this.warnedNoToken = true;
        this.logger.warn(
          'Refused a webhook verification request: the verifyToken option is not set',
        );
      }
      if (
        query['hub.mode'] !== 'subscribe' ||
        typeof challenge !== 'string' ||
        challenge.length === 0 ||
        !this.verifyToken.matches(query['hub.verify_token'])
      ) {
        throw new ForbiddenException('Webhook verification failed');
      }
      return challenge;
    }

    /** A signed delivery of updates; the guard has checked the signature over the raw bytes. */
    @Post()
    @HttpCode(200)
    @UseGuards(WhatsAppSignatureGuard)
    receive(@Req() request: WebhookRequest): void | Promise<void> {
      const ack = this.webhook.receive(request.body);
      if (typeof ack === 'string') return answer(ack);
      return ack.then(answer);
    }
  }
  return WhatsAppWebhookController;
}
