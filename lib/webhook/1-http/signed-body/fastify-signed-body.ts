import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { readSignedBody, type BodyStream } from './read-signed-body.js';
import {
  refusalBody,
  refuseSignedBody,
  tooLarge,
  type SignedBodyRefusal,
} from './signed-body-refusal.js';
import { markVerifiedBody } from './verified-body.js';

interface FastifyRequestLike {
  method: string;
  headers: IncomingHttpHeaders;
  routeOptions?: { url?: string };
}

interface FastifyReplyLike {
  sent: boolean;
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): unknown;
}

type PreParsingDone = (error: Error | null, payload?: BodyStream) => void;
type PreParsingHook = (
  request: FastifyRequestLike,
  reply: FastifyReplyLike,
  payload: BodyStream,
  done: PreParsingDone,
) => void;

export interface FastifyApp {
  addHook(name: 'preParsing', hook: PreParsingHook): unknown;
  hasRoute?(route: { method: string; url: string }): boolean;
}

function refuse(reply: FastifyReplyLike, refusal: SignedBodyRefusal, close: boolean): void {
  reply.code(refusal.status).header('content-type', 'application/json; charset=utf-8');
  if (close) reply.header('connection', 'close');
  reply.send(refusalBody(refusal));
}

/** A fresh stream of exactly `bytes`, for the content type parser. */
function replay(bytes: Buffer): BodyStream {
  const stream = new Readable({ read: () => undefined });
  stream.push(bytes);
  stream.push(null);
  return stream;
}

/**
 * Verifies the webhook's signature in a `preParsing` hook: it runs after routing (so the route is
 * Fastify's own match of `routePath`) and before the content type parser. The payload is read and
 * hashed as it arrives, refused without parsing (401, 413, 415, 400; the same table as Express),
 * or handed to the app's JSON parser as a new stream of the same bytes, which applies its own
 * `bodyLimit` and sets `rawBody` exactly as configured. `onMissingRoute` is called once, at the first
 * request, when no POST route is registered at `routePath` (the guard then checks after parsing).
 */
export function installFastifySignedBody(
  fastify: FastifyApp,
  routePath: string,
  keys: readonly KeyObject[],
  maxBytes: number,
  onMissingRoute: () => void,
): void {
  // Fastify adds routes to its router when it starts, after onModuleInit: checked on first use.
  let routeChecked = false;
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (!routeChecked) {
      routeChecked = true;
      if (fastify.hasRoute?.({ method: 'POST', url: routePath }) === false) onMissingRoute();
    }
    if (request.method !== 'POST' || request.routeOptions?.url !== routePath) {
      done(null, payload);
      return;
    }
    readSignedBody(payload, request.headers, keys, maxBytes, (outcome) => {
      switch (outcome.kind) {
        case 'aborted':
          return done(Object.assign(new Error('Request aborted'), { statusCode: 400 }));
        case 'consumed':
          return done(null, payload);
        case 'too-large':
          refuse(reply, tooLarge(maxBytes), true);
          return done(null);
        case 'complete': {
          const refusal = refuseSignedBody(request.headers, outcome.verified, outcome.bytes);
          if (refusal === undefined) {
            markVerifiedBody(request, request.headers, outcome.bytes, keys);
            return done(null, replay(outcome.bytes));
          }
          refuse(reply, refusal, false);
          return done(null);
        }
      }
    });
  });
}
