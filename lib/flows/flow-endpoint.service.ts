import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';
import { verifyWebhookSignature } from '../webhook/1-http/verify-signature.js';
import {
  decryptFlowEnvelope,
  encryptFlowPayload,
  FlowDecryptionError,
  toFlowEnvelope,
} from './flow-crypto.js';
import { WHATSAPP_FLOW_ENDPOINT, type FlowEndpointConfig } from './flow-endpoint-config.js';
import { FlowHandlerExplorer } from './flow-handler-explorer.js';
import type { WhatsAppFlowContext, WhatsAppFlowRequest } from './flow-types.js';
import { WhatsAppFlowTokenExpiredError } from '../errors/whatsapp-flow-token-expired.error.js';

/** The HTTP answer of one request: status, body, and its content type. */
export interface FlowAnswer {
  status: number;
  body: string;
  contentType: 'text/plain' | 'application/json';
}

/** Meta's endpoint status codes (Flows "Error codes" reference). */
export const FLOW_STATUS = {
  ok: 200,
  badRequest: 400,
  notFound: 404,
  /** The request cannot be decrypted: WhatsApp refetches the business public key and retries. */
  cannotDecrypt: 421,
  /** The flow token is no longer valid: WhatsApp shows `error_msg` and disables the flow. */
  tokenExpired: 427,
  /** `X-Hub-Signature-256` does not match. */
  badSignature: 432,
  error: 500,
} as const;

/** At most one "rawBody missing" line per minute, as the webhook guard does. */
const MISCONFIGURATION_LOG_INTERVAL_MS = 60_000;

function plain(status: number, message: string): FlowAnswer {
  return { status, body: JSON.stringify({ error: message }), contentType: 'application/json' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeRequest(request: { action?: unknown; screen?: unknown }): string {
  const screen = typeof request.screen === 'string' ? `screen "${request.screen}"` : 'no screen';
  return `action "${String(request.action)}", ${screen}`;
}

/**
 * The Flows data endpoint, independent of the HTTP platform: signature (432), envelope (400),
 * decryption (421), `ping` and error notifications (answered here), routing to `@OnWhatsAppFlow`
 * handlers, and the encrypted answer (200, or 427 for WhatsAppFlowTokenExpiredError). Never throws:
 * whatever the bytes, the answer is a FlowAnswer.
 */
@Injectable()
export class FlowEndpointService {
  private readonly logger = new Logger('WhatsAppFlows');
  private lastMisconfigurationLog = -Infinity;

  constructor(
    @Inject(WHATSAPP_FLOW_ENDPOINT) private readonly config: FlowEndpointConfig | null,
    private readonly handlers: FlowHandlerExplorer,
  ) {}

  async handle(raw: Buffer | undefined, signature: unknown): Promise<FlowAnswer> {
    const config = this.config;
    if (config === null) return plain(FLOW_STATUS.notFound, 'The Flows endpoint is not configured');
    if (raw === undefined) return this.missingRawBody();
    if (!verifyWebhookSignature(raw, signature, config.signingKeys)) {
      return plain(FLOW_STATUS.badSignature, 'X-Hub-Signature-256 does not match the body');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return plain(FLOW_STATUS.badRequest, 'The body is not JSON');
    }
    const envelope = toFlowEnvelope(parsed);
    if (envelope === undefined) {
      return plain(
        FLOW_STATUS.badRequest,
        'Expected encrypted_flow_data, encrypted_aes_key and initial_vector (base64)',
      );
    }
    let decrypted;
    try {
      decrypted = decryptFlowEnvelope(envelope, config.privateKey);
    } catch (error) {
      if (!(error instanceof FlowDecryptionError)) throw error;
      this.logger.warn(`Flow request not decrypted (421): ${error.message}`);
      return plain(FLOW_STATUS.cannotDecrypt, 'The request cannot be decrypted');
    }
    const { aesKey, iv } = decrypted;
    const encrypted = (status: number, payload: unknown): FlowAnswer => ({
      status,
      body: encryptFlowPayload(payload, aesKey, iv),
      contentType: 'text/plain',
    });
    let request: unknown;
    try {
      request = JSON.parse(decrypted.plaintext);
    } catch {
      return plain(FLOW_STATUS.badRequest, 'The decrypted request is not JSON');
    }
    if (!isRecord(request) || typeof request.action !== 'string') {
      return plain(FLOW_STATUS.badRequest, 'The decrypted request has no action');
    }
    // Meta's health check: answered without user code.
    if (request.action === 'ping') return encrypted(FLOW_STATUS.ok, { data: { status: 'active' } });
    if (isRecord(request.data) && request.data.error !== undefined) {
      this.logger.warn(
        `WhatsApp reported a flow error (${describeRequest(request)}): ${String(request.data.error)}${typeof request.data.error_message === 'string' ? `: ${request.data.error_message}` : ''}`,
      );
      return encrypted(FLOW_STATUS.ok, { data: { acknowledged: true } });
    }
    if (typeof request.flow_token !== 'string') {
      return plain(FLOW_STATUS.badRequest, 'The decrypted request has no flow_token');
    }
    return this.route(request as unknown as WhatsAppFlowRequest, encrypted);
  }

  private async route(
    request: WhatsAppFlowRequest,
    encrypted: (status: number, payload: unknown) => FlowAnswer,
  ): Promise<FlowAnswer> {
    const handler = this.handlers.find(request);
    if (handler === undefined) {
      this.logger.warn(`No @OnWhatsAppFlow handler for ${describeRequest(request)}`);
      return plain(FLOW_STATUS.error, `No handler for ${describeRequest(request)}`);
    }
    const context: WhatsAppFlowContext = Object.freeze({
      kind: 'flow',
      flowToken: request.flow_token,
      action: request.action,
      screen: request.screen,
      version: typeof request.version === 'string' ? request.version : '',
    });
    let result: unknown;
    try {
      result = await handler.invoke(request, context);
    } catch (error) {
      if (error instanceof WhatsAppFlowTokenExpiredError) {
        return encrypted(FLOW_STATUS.tokenExpired, { error_msg: error.message });
      }
      if (error instanceof HttpException) {
        return plain(error.getStatus(), error.message);
      }
      // Nest's exception filter logged the error with its stack; say which request it was.
      this.logger.error(`Flow handler ${handler.id} failed (${describeRequest(request)})`);
      return plain(FLOW_STATUS.error, 'The flow handler failed');
    }
    if (!isRecord(result) || (typeof result.screen !== 'string' && !isRecord(result.data))) {
      this.logger.error(
        `Flow handler ${handler.id} returned no { screen, data } (${describeRequest(request)})`,
      );
      return plain(FLOW_STATUS.error, 'The flow handler returned no screen');
    }
    return encrypted(FLOW_STATUS.ok, result);
  }

  private missingRawBody(): FlowAnswer {
    const now = Date.now();
    if (now - this.lastMisconfigurationLog >= MISCONFIGURATION_LOG_INTERVAL_MS) {
      this.lastMisconfigurationLog = now;
      this.logger.error(
        'req.rawBody is missing, so the Flows signature cannot be checked: create the app with NestFactory.create(AppModule, { rawBody: true })',
      );
    }
    return plain(FLOW_STATUS.error, 'Flows endpoint misconfigured: rawBody is not enabled');
  }
}
