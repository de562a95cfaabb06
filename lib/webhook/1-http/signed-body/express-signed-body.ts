import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readSignedBody } from './read-signed-body.js';
import {
  refusalBody,
  refuseSignedBody,
  tooLarge,
  type SignedBodyRefusal,
} from './signed-body-refusal.js';
import { markVerifiedBody } from './verified-body.js';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

interface RouteLayer {
  route?: { path?: unknown; methods?: Record<string, boolean | undefined> };
  match(path: string): unknown;
}

/** An Express 5 application (`router`), or Express 4 (`_router`). */
export interface ExpressApp {
  use(handler: Middleware): unknown;
  _router?: { stack: RouteLayer[] };
  router?: { stack: RouteLayer[] };
}

export function sendRefusal(res: ServerResponse, refusal: SignedBodyRefusal, close: boolean): void {
  if (res.headersSent) return;
  res.statusCode = refusal.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // The rest of an over-long body is never read: the connection cannot be reused.
  if (close) res.setHeader('Connection', 'close');
  res.end(refusalBody(refusal));
}

function pathnameOf(url: string | undefined): string {
  const value = url ?? '/';
  const end = value.search(/[?#]/);
  return end === -1 ? value : value.slice(0, end);
}

/**
 * Puts the webhook's signature check in front of every other middleware of an Express app, the body
 * parsers included, for POSTs that Express will route to the webhook (matched with the route's own
 * layer, so case and trailing-slash rules are Express's). Returns `false` when no POST route is
 * registered at `routePath` (the guard then still checks the signature, after parsing).
 *
 * Why a middleware that reads the body and gives it back, rather than a parser of our own: the
 * app's JSON parser must stay the one the user configured (its limit, `rawBody`, its errors), and
 * the webhook must keep answering 500 when `rawBody` is off. So the bytes are read and hashed as
 * they arrive, refused (401, 413, 415, 400) without any parsing, and otherwise `unshift()`ed back
 * onto the request before Node emits `'end'` (see read-signed-body.ts): body-parser then reads the
 * very same bytes as if nobody had, with its own limit and `verify` (which sets `req.rawBody`).
 * Compressed bodies never reach it (415), so its `inflate` never runs on this route.
 */
export function installExpressSignedBody(
  app: ExpressApp,
  routePath: string,
  keys: readonly KeyObject[],
  maxBytes: number,
): boolean {
  const stack = (app._router ?? app.router)?.stack;
  if (stack === undefined) return false;
  const routes = stack.filter(
    (layer) =>
      layer.route?.methods?.post === true &&
      (layer.route.path === routePath ||
        (Array.isArray(layer.route.path) && layer.route.path.includes(routePath))),
  );
  if (routes.length === 0) return false;

  const verifyWebhookBody: Middleware = (req, res, next) => {
    if (req.method !== 'POST') return next();
    const path = pathnameOf(req.url);
    if (!routes.some((layer) => Boolean(layer.match(path)))) return next();
    readSignedBody(req, req.headers, keys, maxBytes, (outcome) => {
      switch (outcome.kind) {
        case 'aborted':
          return; // The client is gone: there is no one to answer.
        case 'consumed':
          return next(); // Read before us: the guard checks req.rawBody as before.
        case 'too-large':
          return sendRefusal(res, tooLarge(maxBytes), true);
        case 'complete': {
          const refusal = refuseSignedBody(req.headers, outcome.verified, outcome.bytes);
          if (refusal !== undefined) return sendRefusal(res, refusal, false);
          markVerifiedBody(req, req.headers, outcome.bytes, keys);
          // Synchronously, before the 'end' Node queued when read() found the end of the body.
          req.unshift(outcome.bytes);
          return next();
        }
      }
    });
  };
  app.use(verifyWebhookBody);
  // Ahead of everything, including parsers added before Nest's init (`app.useBodyParser`).
  const layer = stack.pop();
  if (layer !== undefined) stack.unshift(layer);
  return true;
}
