import { timingSafeEqual } from 'node:crypto';
import { GraphError, unknownObject } from '../graph-error.js';
import type { GraphRequest, SandboxContext } from '../sandbox-context.js';
import type { SandboxBusiness } from '../sandbox-options.js';

/** Meta's answer when the bearer token is missing or wrong. */
export function authError(): GraphError {
  return new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
}

/** The bearer token of a Graph request (`Authorization` header, else `?access_token=`). */
function givenToken(req: Pick<GraphRequest, 'headers' | 'query'>): string {
  const header = req.headers.authorization;
  return /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1] ?? req.query.get('access_token') ?? '';
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The token a business answers to: its own, else the top-level `accessToken` (a business without a token
 * shares the top-level one); undefined when neither is set (the business accepts any token).
 */
function tokenOf(ctx: SandboxContext, business: SandboxBusiness): string | undefined {
  return business.accessToken ?? ctx.options.accessToken;
}

/** The businesses a request's token may touch; empty when the token is nobody's (then: error 190). */
export function reachableBusinesses(
  ctx: SandboxContext,
  req: Pick<GraphRequest, 'headers' | 'query'>,
): Set<SandboxBusiness> {
  const given = givenToken(req);
  const reachable = new Set<SandboxBusiness>();
  for (const business of ctx.options.businesses) {
    const expected = tokenOf(ctx, business);
    if (expected === undefined || sameToken(given, expected)) reachable.add(business);
  }
  return reachable;
}

/** Whether the request carries the token of at least one business (always true when one has none). */
export function authorized(
  ctx: SandboxContext,
  req: Pick<GraphRequest, 'headers' | 'query'>,
): boolean {
  return reachableBusinesses(ctx, req).size > 0;
}

/**
 * Refuses a known token on an object of a business it does not belong to. Meta does not say "forbidden"
 * for a number or WABA the token cannot see: it answers as for an unknown id, code 100 subcode 33
 * "Unsupported post request. Object with ID '…' does not exist, cannot be loaded due to missing
 * permissions, or does not support this operation" (HTTP 400), e.g. a send with another app's
 * phone_number_id: https://github.com/sajuthankappan/whatsapp-cloud-api-rs/issues/3 and
 * https://github.com/netflie/whatsapp-cloud-api/issues/42. (#200) permission errors are for a token that
 * can see the object but lacks a scope, which the sandbox does not model.
 */
export function checkReach(
  reachable: ReadonlySet<SandboxBusiness>,
  owners: readonly SandboxBusiness[],
  id: string,
  method: string,
): void {
  if (!owners.some((b) => reachable.has(b))) throw unknownObject(id, method);
}
