import {
  Controller,
  HttpCode,
  Logger,
  Post,
  Req,
  Res,
  VERSION_NEUTRAL,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingHttpHeaders } from 'node:http';
import { FlowEndpointService, FLOW_STATUS, type FlowAnswer } from './flow-endpoint.service.js';

/** The part of an Express or Fastify request the controller reads. */
interface FlowHttpRequest {
  headers: IncomingHttpHeaders;
  rawBody?: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** The signed bytes: `rawBody`, zero bytes for an empty request, `undefined` when the app keeps no raw body. */
function rawBodyOf(request: FlowHttpRequest): Buffer | undefined | 'unreadable' {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody;
  const headers = request.headers;
  const length = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
    return EMPTY;
  }
  // No JSON parser read these bytes: nothing can show they are signed.
  const type = String(headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  return type === 'application/json' ? undefined : 'unreadable';
}

/**
 * Builds the Flows data endpoint controller of one module instance, mounted at `path` (a new class
 * per call, like the webhook's). The answer is written through Nest's HTTP adapter, so Express and
 * Fastify behave the same, with Meta's status codes and the base64 text body.
 */
export function createFlowController(path: string): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class WhatsAppFlowController {
    private readonly logger = new Logger('WhatsAppFlows');

    constructor(
      private readonly endpoint: FlowEndpointService,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    @Post()
    @HttpCode(200)
    async receive(@Req() request: FlowHttpRequest, @Res() response: unknown): Promise<void> {
      let answer: FlowAnswer;
      try {
        const raw = rawBodyOf(request);
        answer =
          raw === 'unreadable'
            ? {
                status: FLOW_STATUS.badSignature,
                body: '{"error":"Expected a signed application/json body"}',
                contentType: 'application/json',
              }
            : await this.endpoint.handle(raw, request.headers['x-hub-signature-256']);
      } catch (error) {
        // FlowEndpointService answers everything; this is the last line of defence.
        this.logger.error(
          `Flows endpoint failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        answer = {
          status: 500,
          body: '{"error":"Internal error"}',
          contentType: 'application/json',
        };
      }
      const adapter = this.adapterHost.httpAdapter;
      adapter.setHeader(response, 'Content-Type', `${answer.contentType}; charset=utf-8`);
      adapter.setHeader(response, 'Cache-Control', 'no-store');
      adapter.reply(response, answer.body, answer.status);
    }
  }
  return WhatsAppFlowController;
}
